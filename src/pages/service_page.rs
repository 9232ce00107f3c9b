use crate::api;
use crate::components::{
    AlertsTab, LoadError, ServiceTab, ServiceTabs, SettingsTab, SummaryTab, Toasts,
};
use crate::session::Session;
use crate::state::ListReturn;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use services_model::{Role, ServiceDetail, Status};
use stylers::style;

const PANEL_ID: &str = "service-panel";

/// One service (`/services/{id}?tab=summary|settings|alerts&run=N`): where a row click lands.
/// A header with name, ID, status, type and flow; Summary, Settings and Alerts tabs; and a way
/// back to the exact list view it came from.
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
    let back = expect_context::<ListReturn>();
    let toasts = expect_context::<Toasts>();
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

    let detail = RwSignal::new(None::<Result<ServiceDetail, String>>);
    let load = move || {
        let Some(id) = id.get_untracked() else {
            detail.set(Some(Err("There is no such service.".into())));
            return;
        };
        let client = session.client();
        leptos::task::spawn_local(async move {
            let result = api::service(&client, id).await;
            if let Err(e) = &result {
                session.check(e);
            }
            detail.set(Some(result.map_err(|e| e.to_string())));
        });
    };
    Effect::new(move |_| {
        id.track();
        load();
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
        Callback::new(move |_: ()| {
            let name = detail.with_untracked(|d| {
                d.as_ref()
                    .and_then(|d| d.as_ref().ok())
                    .map(|d| d.service.name.clone())
            });
            toasts.show(format!("Removed “{}”.", name.unwrap_or_default()), None);
            go(back.0.get_untracked());
        })
    };
    let saved = Callback::new(move |d: ServiceDetail| detail.set(Some(Ok(d))));

    view! { class = styler_class,
        <main>
            <a class="back" href=move || crate::config::href(&back.0.get())>"← Back to services"</a>
            {move || match detail.get() {
                None => view! { class = styler_class, <p class="state" role="status">"Loading the service…"</p> }.into_any(),
                Some(Err(e)) => view! { <LoadError what="the service" message=e on_retry=move |_| load()/> }.into_any(),
                Some(Ok(d)) => {
                    let s = d.service.clone();
                    let service_id = s.id;
                    let status = if s.status == Status::Active { "Active" } else { "Inactive" };
                    let current = Signal::derive(move || {
                        detail.with(|d| d.as_ref().and_then(|d| d.as_ref().ok()).cloned()).unwrap_or_else(|| d.clone())
                    });
                    view! { class = styler_class,
                        <h1>{s.name.clone()}</h1>
                        <dl>
                            <div class="pair"><dt>"ID"</dt><dd>{s.id}</dd></div>
                            <div class="pair"><dt>"Status"</dt><dd>{status}</dd></div>
                            <div class="pair"><dt>"Type"</dt><dd>{s.service_type.as_str()}</dd></div>
                            <div class="pair"><dt>"Flow"</dt><dd>{format!("{} {} → {} {}", s.source.system, s.source.entity, s.destination.system, s.destination.entity)}</dd></div>
                            <div class="pair"><dt>"Schedule"</dt><dd>{s.trigger.describe()}</dd></div>
                        </dl>
                        <ServiceTabs selected=tab on_select=select_tab panel_id=PANEL_ID/>
                        <div role="tabpanel" id=PANEL_ID aria-labelledby=move || tab.get().tab_id()>
                            {move || match tab.get() {
                                ServiceTab::Summary => view! { <SummaryTab service_id=service_id selected_run=run on_select_run=select_run/> }.into_any(),
                                ServiceTab::Settings => view! { <SettingsTab detail=current can_manage=can_manage on_saved=saved on_removed=removed/> }.into_any(),
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
