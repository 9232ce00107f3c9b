use crate::components::{AlertsTab, LoadError, ServiceTab, ServiceTabs, SettingsTab, SummaryTab};
use crate::navigation;
use crate::session::Session;
use crate::state::ListReturn;
use crate::store::ServicesStore;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use services_model::{Role, ServiceDetail, Status};
use stylers::style;

const PANEL_ID: &str = "service-panel";

/// Whether the service is there to show.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shown {
    Loading,
    Failed(String),
    /// Loaded: this service (the page is built once per service and then only updated).
    Service(u64),
}

/// One service (`/services/{id}?tab=summary|settings|alerts&run=N`): where a row click lands.
/// A header with name, ID, status, type and flow; Summary, Settings and Alerts tabs; and a way
/// back to the exact list view it came from. Its data is the store's, per service, so another
/// service's page never shows this one's.
#[component]
pub fn ServicePage() -> impl IntoView {
    let styler_class = style! {
        main {
            max-width: 64rem;
            margin: 0 auto;
            padding: var(--pw-space-4) var(--pw-space-3);
        }
        a.back {
            display: inline-block;
            margin-bottom: var(--pw-space-3);
        }
        h1 {
            font-size: var(--pw-font-size-title);
            margin: 0 0 var(--pw-space-2) 0;
            overflow-wrap: anywhere;
        }
        dl {
            display: flex;
            flex-wrap: wrap;
            gap: var(--pw-space-1) var(--pw-space-4);
            margin: 0;
            font-size: var(--pw-font-size-small);
        }
        dt {
            color: var(--pw-color-text-muted);
        }
        dd {
            margin: 0 0 0 var(--pw-space-1);
            overflow-wrap: anywhere;
        }
        div.pair {
            display: flex;
        }
        p.state {
            color: var(--pw-color-text-muted);
        }
    };
    let session = expect_context::<Session>();
    let store = expect_context::<ServicesStore>();
    let back = expect_context::<ListReturn>();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok())));
    let tab = Memo::new(move |_| {
        query.with(|q| {
            q.get("tab")
                .and_then(|t| ServiceTab::parse(&t))
                .unwrap_or(ServiceTab::Summary)
        })
    });
    let run = Memo::new(move |_| query.with(|q| q.get("run").and_then(|r| r.parse::<u64>().ok())));
    let can_manage = Signal::derive(move || {
        session.user.with(|u| {
            u.as_ref()
                .map_or(Role::ReadOnly, |u| u.role)
                .can_manage_services()
        })
    });

    // This service's entry in the store, and a fresh load of it whenever the id changes.
    let entry = Memo::new(move |_| id.get().map(|id| store.detail(id)));
    Effect::new(move |_| {
        session.token.track();
        if let Some(id) = id.get() {
            store.load_detail(id);
        }
    });
    let shown = Memo::new(move |_| match entry.get() {
        None => Shown::Failed("There is no such service.".into()),
        Some(entry) => entry.with(|d| match d {
            None => Shown::Loading,
            Some(Err(e)) => Shown::Failed(e.clone()),
            Some(Ok(d)) => Shown::Service(d.service.id),
        }),
    });
    let detail = Signal::derive(move || {
        entry
            .get()
            .and_then(|e| e.with(|d| d.as_ref().and_then(|d| d.as_ref().ok()).cloned()))
    });
    // The title and the heading name the service once it is here.
    Effect::new(move |previous: Option<Option<u64>>| {
        let now = shown.with(|s| match s {
            Shown::Service(id) => Some(*id),
            _ => None,
        });
        if let Some(id) = now.filter(|id| previous.flatten() != Some(*id)) {
            let name = detail.with_untracked(|d| d.as_ref().map(|d| d.service.name.clone()));
            navigation::page_ready(name.unwrap_or_else(|| format!("Service {id}")));
        }
        now
    });

    let go = move |url: String| {
        navigate(
            &url,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        )
    };
    let select_tab = {
        let go = go.clone();
        Callback::new(move |t: ServiceTab| {
            if let Some(id) = id.get_untracked() {
                go(format!("/services/{id}?tab={}", t.as_str()));
            }
        })
    };
    let select_run = {
        let go = go.clone();
        Callback::new(move |r: u64| {
            if let Some(id) = id.get_untracked() {
                go(format!("/services/{id}?tab=summary&run={r}"));
            }
        })
    };
    let removed = {
        let go = go.clone();
        Callback::new(move |_: ()| go(back.0.get_untracked()))
    };

    view! { class = styler_class,
        <main>
            <a class="back" href=move || crate::config::href(&back.0.get())>"← Back to services"</a>
            {move || match shown.get() {
                Shown::Loading => view! { class = styler_class, <p class="state" role="status">"Loading the service…"</p> }.into_any(),
                Shown::Failed(e) => view! {
                    <LoadError what="the service" message=e on_retry=move |_| {
                        if let Some(id) = id.get_untracked() {
                            store.load_detail(id);
                        }
                    }/>
                }
                .into_any(),
                Shown::Service(service_id) => {
                    let field = move |read: fn(&ServiceDetail) -> String| {
                        move || detail.with(|d| d.as_ref().map(read).unwrap_or_default())
                    };
                    let current = Signal::derive(move || detail.get());
                    view! { class = styler_class,
                        <h1 tabindex="-1">{field(|d| d.service.name.clone())}</h1>
                        <dl>
                            <div class="pair"><dt>"ID"</dt><dd>{service_id}</dd></div>
                            <div class="pair"><dt>"Status"</dt><dd>{field(|d| if d.service.status == Status::Active { "Active".into() } else { "Inactive".into() })}</dd></div>
                            <div class="pair"><dt>"Type"</dt><dd>{field(|d| d.service.service_type.as_str().into())}</dd></div>
                            <div class="pair"><dt>"Flow"</dt><dd>{field(|d| {
                                let s = &d.service;
                                format!("{} {} → {} {}", s.source.system, s.source.entity, s.destination.system, s.destination.entity)
                            })}</dd></div>
                            <div class="pair"><dt>"Schedule"</dt><dd>{field(|d| crate::format::schedule(&d.service.trigger))}</dd></div>
                        </dl>
                        <ServiceTabs selected=tab on_select=select_tab panel_id=PANEL_ID/>
                        <div role="tabpanel" id=PANEL_ID aria-labelledby=move || tab.get().tab_id()>
                            {move || match tab.get() {
                                ServiceTab::Summary => view! { <SummaryTab service_id=service_id selected_run=run on_select_run=select_run/> }.into_any(),
                                ServiceTab::Settings => view! { <SettingsTab detail=current can_manage=can_manage on_removed=removed/> }.into_any(),
                                ServiceTab::Alerts => view! { <AlertsTab service_id=service_id can_manage=can_manage/> }.into_any(),
                            }}
                        </div>
                    }
                    .into_any()
                }
            }}
        </main>
    }
}
