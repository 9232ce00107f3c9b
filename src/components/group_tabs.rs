use leptos::prelude::*;
use services_model::GroupSummary;
use stylers::style;
use web_sys::KeyboardEvent;

/// One tab per company group, with its service count. WAI-ARIA tabs with manual activation:
/// arrow keys, Home and End move focus; Enter or Space (a click) selects.
#[component]
pub fn GroupTabs(
    #[prop(into)] groups: Signal<Vec<GroupSummary>>,
    #[prop(into)] selected: Signal<Option<u64>>,
    #[prop(into)] on_select: Callback<u64>,
    /// The id of the panel the tabs control.
    #[prop(into)]
    panel_id: String,
) -> impl IntoView {
    let styler_class = style! {
        div[role="tablist"] {
            display: flex;
            flex-wrap: wrap;
            gap: var(--pw-space-1);
            border-bottom: 1px solid var(--pw-color-border);
        }
        button {
            font: inherit;
            color: var(--pw-color-text-muted);
            background: none;
            border: none;
            border-bottom: 3px solid transparent;
            padding: var(--pw-space-2) var(--pw-space-3);
            cursor: pointer;
        }
        button:hover {
            color: var(--pw-color-text);
        }
        button[aria-selected="true"] {
            color: var(--pw-color-accent-text);
            border-bottom-color: var(--pw-color-accent);
            font-weight: 600;
        }
        span.count {
            margin-left: var(--pw-space-1);
            padding: 0 var(--pw-space-1);
            border-radius: 999px;
            background: var(--pw-color-surface-2);
            color: var(--pw-color-text);
            font-size: var(--pw-font-size-small);
        }
    };

    let focused_tab = move || -> Option<usize> {
        let ids: Vec<u64> = groups.with(|g| g.iter().map(|g| g.group.id).collect());
        let active = document().active_element()?;
        ids.iter().position(|id| active.id() == tab_id(*id))
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let count = groups.with(Vec::len);
        let Some(current) = focused_tab() else {
            return;
        };
        let Some(next) = crate::focus::tab_key_target(&ev.key(), current, count) else {
            return;
        };
        ev.prevent_default();
        let id = groups.with(|g| g[next].group.id);
        if let Some(tab) = document().get_element_by_id(&tab_id(id)) {
            use wasm_bindgen::JsCast;
            if let Ok(tab) = tab.dyn_into::<web_sys::HtmlElement>() {
                let _ = tab.focus();
            }
        }
    };

    view! { class = styler_class,
        <div role="tablist" aria-label="Company groups" on:keydown=on_keydown>
            <For
                each=move || groups.get()
                key=|g| g.group.id
                children=move |g| {
                    let id = g.group.id;
                    let is_selected = move || selected.get() == Some(id);
                    // Tab reaches the selected tab; if the URL names no known group, the first.
                    let focusable = move || {
                        is_selected()
                            || (groups.with(|all| {
                                all.first().is_some_and(|f| f.group.id == id)
                                    && !all.iter().any(|x| selected.get() == Some(x.group.id))
                            }))
                    };
                    let name = move || groups.with(|all| all.iter().find(|x| x.group.id == id).map(|x| x.group.name.clone()).unwrap_or_default());
                    let count = move || groups.with(|all| all.iter().find(|x| x.group.id == id).map_or(0, |x| x.service_count));
                    let panel_id = panel_id.clone();
                    view! { class = styler_class,
                        <button
                            type="button"
                            role="tab"
                            id=tab_id(id)
                            aria-selected=move || is_selected().to_string()
                            aria-controls=panel_id
                            tabindex=move || if focusable() { "0" } else { "-1" }
                            on:click=move |_| on_select.run(id)
                        >
                            {name}
                            <span class="count">
                                <span class="visually-hidden">", "</span>
                                {count}
                                <span class="visually-hidden">" services"</span>
                            </span>
                        </button>
                    }
                }
            />
        </div>
    }
}

/// The DOM id of a group's tab, so the panel can name it with `aria-labelledby`.
pub fn tab_id(group_id: u64) -> String {
    format!("group-tab-{group_id}")
}
