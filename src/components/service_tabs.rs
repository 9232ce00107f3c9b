use leptos::prelude::*;
use stylers::style;
use web_sys::KeyboardEvent;

/// The service page's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceTab {
    Summary,
    Settings,
    Alerts,
}

impl ServiceTab {
    pub const ALL: [ServiceTab; 3] = [
        ServiceTab::Summary,
        ServiceTab::Settings,
        ServiceTab::Alerts,
    ];

    /// The word in the URL (`?tab=`).
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceTab::Summary => "summary",
            ServiceTab::Settings => "settings",
            ServiceTab::Alerts => "alerts",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceTab::Summary => "Summary",
            ServiceTab::Settings => "Settings",
            ServiceTab::Alerts => "Alerts",
        }
    }

    pub fn parse(text: &str) -> Option<ServiceTab> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    pub fn tab_id(self) -> String {
        format!("service-tab-{}", self.as_str())
    }
}

/// WAI-ARIA tabs for the service page (manual activation, like the group tabs).
#[component]
pub fn ServiceTabs(
    #[prop(into)] selected: Signal<ServiceTab>,
    #[prop(into)] on_select: Callback<ServiceTab>,
    #[prop(into)] panel_id: String,
) -> impl IntoView {
    let styler_class = style! {
        div {
            display: flex;
            gap: var(--pw-space-1);
            border-bottom: 1px solid var(--pw-color-border);
            margin: var(--pw-space-3) 0;
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
        button[aria-selected="true"] {
            color: var(--pw-color-accent-text);
            border-bottom-color: var(--pw-color-accent);
            font-weight: 600;
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let tabs = ServiceTab::ALL;
        let Some(current) = document()
            .active_element()
            .and_then(|a| tabs.iter().position(|t| a.id() == t.tab_id()))
        else {
            return;
        };
        let Some(next) = crate::focus::tab_key_target(&ev.key(), current, tabs.len()) else {
            return;
        };
        ev.prevent_default();
        crate::focus::focus_selector(&format!("#{}", tabs[next].tab_id()));
    };
    view! { class = styler_class,
        <div role="tablist" aria-label="Service sections" on:keydown=on_keydown>
            {ServiceTab::ALL
                .into_iter()
                .map(|tab| {
                    let is_selected = move || selected.get() == tab;
                    let panel_id = panel_id.clone();
                    view! { class = styler_class,
                        <button
                            type="button"
                            role="tab"
                            id=tab.tab_id()
                            aria-selected=move || is_selected().to_string()
                            aria-controls=panel_id
                            tabindex=move || if is_selected() { "0" } else { "-1" }
                            on:click=move |_| on_select.run(tab)
                        >
                            {tab.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
