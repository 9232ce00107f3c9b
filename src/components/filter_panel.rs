use crate::media::use_media_query;
use leptos::html;
use leptos::prelude::*;
use services_model::{FacetCount, Facets, Filter, ListQuery, Status};
use stylers::style;
use web_sys::{HtmlElement, KeyboardEvent};

const PANEL_ID: &str = "filter-panel";

/// The "Filters" disclosure: the user's favourites, status, source system and source entity as checkbox groups with
/// counts that follow the search and the other filters; active filters as removable chips.
/// Below 600 px wide the panel opens as a full-screen modal sheet.
#[component]
pub fn FilterPanel(
    #[prop(into)] query: Signal<ListQuery>,
    /// `None` while the counts are not made yet: the panel is busy and shows no options.
    #[prop(into)]
    facets: Signal<Option<Facets>>,
    #[prop(into)] on_change: Callback<ListQuery>,
    /// The panel opens: the counts are wanted now.
    #[prop(optional, into)]
    on_open: Option<Callback<()>>,
) -> impl IntoView {
    let styler_class = style! {
        div.filters {
            display: contents;
        }
        div.bar {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--pw-space-2);
        }
        button {
            font: inherit;
            cursor: pointer;
        }
        button.toggle {
            padding: var(--pw-space-2) var(--pw-space-3);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
        }
        button.toggle[aria-expanded="true"] {
            border-color: var(--pw-color-accent);
            color: var(--pw-color-accent-text);
        }
        ul.chips {
            display: flex;
            flex-wrap: wrap;
            gap: var(--pw-space-1);
            list-style: none;
            margin: 0;
            padding: 0;
        }
        button.chip {
            font-size: var(--pw-font-size-small);
            padding: 0.125rem var(--pw-space-2);
            border: 1px solid var(--pw-color-accent);
            border-radius: 999px;
            background: var(--pw-color-accent-surface);
            color: var(--pw-color-accent-text);
        }
        button.clear {
            font-size: var(--pw-font-size-small);
            background: none;
            border: none;
            color: var(--pw-color-accent-text);
            text-decoration: underline;
        }
        div.panel {
            flex: 1 1 100%;
            display: grid;
            grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
            gap: var(--pw-space-3);
            padding: var(--pw-space-3);
            border: 1px solid var(--pw-color-border);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
        }
        div.panel[hidden] {
            display: none;
        }
        div.sheet {
            position: fixed;
            inset: 0;
            z-index: 20;
            overflow-y: auto;
            border-radius: 0;
            grid-template-columns: 1fr;
            align-content: start;
        }
        div.head {
            display: flex;
            justify-content: space-between;
            align-items: center;
            grid-column: 1 / -1;
        }
        h2 {
            font-size: var(--pw-font-size);
            margin: 0;
        }
        fieldset {
            border: none;
            margin: 0;
            padding: 0;
            min-width: 0;
        }
        legend {
            font-weight: 600;
            margin-bottom: var(--pw-space-1);
        }
        label {
            display: flex;
            gap: var(--pw-space-2);
            align-items: center;
            padding: 0.125rem 0;
        }
        span.count {
            color: var(--pw-color-text-muted);
            font-size: var(--pw-font-size-small);
        }
        button.close {
            padding: var(--pw-space-1) var(--pw-space-3);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
        }
    };
    let open = RwSignal::new(false);
    let narrow = use_media_query("(max-width: 599px)");
    let modal = move || open.get() && narrow.get();
    let toggle_ref = NodeRef::<html::Button>::new();
    let panel_ref = NodeRef::<html::Div>::new();
    let active = Memo::new(move |_| query.with(ListQuery::active_filters));

    let close = move || {
        open.set(false);
        if let Some(button) = toggle_ref.get_untracked() {
            let _ = button.focus();
        }
    };
    // A modal sheet takes focus when it opens.
    Effect::new(move |_| {
        if modal() {
            if let Some(first) = focusables(panel_ref).into_iter().next() {
                let _ = first.focus();
            }
        }
    });
    let on_panel_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        } else if ev.key() == "Tab" && modal() {
            trap_focus(&ev, panel_ref);
        }
    };
    let toggle = move |filter: Filter| on_change.run(query.get_untracked().toggle_filter(&filter));

    // Each checkbox is keyed by its value and kept while the counts change, so the one just
    // toggled keeps focus.
    let group = move |legend: &'static str,
                      counts: fn(&Facets) -> &Vec<FacetCount>,
                      make: fn(&str) -> Option<Filter>| {
        let values = Memo::new(move |_| {
            facets.with(|f| {
                f.as_ref()
                    .map(|f| {
                        counts(f)
                            .iter()
                            .map(|fc| fc.value.clone())
                            .collect::<Vec<String>>()
                    })
                    .unwrap_or_default()
            })
        });
        view! { class = styler_class,
            <fieldset>
                <legend>{legend}</legend>
                <For
                    each=move || values.get().into_iter().filter_map(move |v| make(&v))
                    key=|filter| filter.clone()
                    children=move |filter| {
                        let value = match &filter {
                            Filter::Status(s) => s.as_str().to_string(),
                            Filter::SourceSystem(v) | Filter::SourceEntity(v) => v.clone(),
                            Filter::Favourites | Filter::LastRunFailed => String::new(),
                        };
                        let count = move || {
                            facets.with(|f| {
                                f.as_ref().map_or(0, |f| {
                                    counts(f)
                                        .iter()
                                        .find(|fc| fc.value == value)
                                        .map_or(0, |fc| fc.count)
                                })
                            })
                        };
                        let checked = {
                            let filter = filter.clone();
                            move || active.with(|a| a.contains(&filter))
                        };
                        let label = filter.value();
                        view! { class = styler_class,
                            <label>
                                <input
                                    type="checkbox"
                                    prop:checked=checked
                                    on:change=move |_| toggle(filter.clone())
                                />
                                {label}
                                <span class="count">{move || format!("({})", count())}</span>
                            </label>
                        }
                    }
                />
            </fieldset>
        }
    };

    view! { class = styler_class,
        <div class="filters">
            <div class="bar">
                <button
                    type="button"
                    class="toggle"
                    node_ref=toggle_ref
                    aria-expanded=move || open.get().to_string()
                    aria-controls=PANEL_ID
                    on:click=move |_| {
                        if !open.get_untracked() {
                            if let Some(on_open) = on_open {
                                on_open.run(());
                            }
                        }
                        open.update(|o| *o = !*o)
                    }
                >
                    "Filters"
                    {move || match active.with(Vec::len) {
                        0 => String::new(),
                        n => format!(" ({n} active)"),
                    }}
                </button>
                <Show when=move || active.with(|a| !a.is_empty())>
                    <ul class="chips" aria-label="Active filters">
                        <For
                            each=move || active.get()
                            key=|f| f.clone()
                            children=move |f| {
                                let name = format!("Remove filter: {} = {}", f.dimension(), f.value());
                                let text = format!("{}: {} ×", f.dimension(), f.value());
                                view! { class = styler_class,
                                    <li>
                                        <button type="button" class="chip" aria-label=name on:click=move |_| toggle(f.clone())>
                                            {text}
                                        </button>
                                    </li>
                                }
                            }
                        />
                    </ul>
                    <button type="button" class="clear" on:click=move |_| on_change.run(query.get_untracked().cleared_filters())>
                        "Clear all"
                    </button>
                </Show>
            </div>
            <div
                id=PANEL_ID
                class="panel"
                class:sheet=modal
                node_ref=panel_ref
                hidden=move || !open.get()
                aria-busy=move || facets.with(Option::is_none).then_some("true")
                role=move || modal().then_some("dialog")
                aria-modal=move || modal().then_some("true")
                aria-labelledby=move || modal().then_some("filter-panel-title")
                on:keydown=on_panel_keydown
            >
                <div class="head">
                    <h2 id="filter-panel-title">"Filters"</h2>
                    <button type="button" class="close" on:click=move |_| close()>"Done"</button>
                </div>
                {group("Status", |f: &Facets| &f.statuses, |v| Status::parse(v).map(Filter::Status))}
                {group("Source system", |f: &Facets| &f.source_systems, |v| Some(Filter::SourceSystem(v.to_string())))}
                {group("Source entity", |f: &Facets| &f.source_entities, |v| Some(Filter::SourceEntity(v.to_string())))}
                <fieldset>
                    <legend>"Health"</legend>
                    <label>
                        <input
                            type="checkbox"
                            data-filter-last-run-failed=""
                            prop:checked=move || query.with(|q| q.last_run_failed)
                            on:change=move |_| toggle(Filter::LastRunFailed)
                        />
                        "Last run failed"
                        <span class="count">{move || facets.with(|f| f.as_ref().map(|f| format!("({})", f.last_run_failed)))}</span>
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"Favourites"</legend>
                    <label>
                        <input
                            type="checkbox"
                            data-filter-favourites=""
                            prop:checked=move || query.with(|q| q.favourites)
                            on:change=move |_| toggle(Filter::Favourites)
                        />
                        "Only starred"
                        <span class="count">{move || facets.with(|f| f.as_ref().map(|f| format!("({})", f.favourites)))}</span>
                    </label>
                </fieldset>
            </div>
        </div>
    }
}

/// The focusable controls inside the panel, in order.
fn focusables(panel: NodeRef<html::Div>) -> Vec<HtmlElement> {
    panel
        .get_untracked()
        .map(|p| crate::focus::focusables(&p))
        .unwrap_or_default()
}

/// Keeps Tab and Shift+Tab inside the modal sheet.
fn trap_focus(ev: &KeyboardEvent, panel: NodeRef<html::Div>) {
    if let Some(panel) = panel.get_untracked() {
        crate::focus::trap_tab(ev, &panel);
    }
}
