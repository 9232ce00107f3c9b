use crate::api;
use crate::components::LoadError;
use crate::session::Session;
use crate::state::ListReturn;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use services_model::{ServiceDetail, Status};
use stylers::style;

/// One service: where a row click lands. A way back to the exact list view it came from.
#[component]
pub fn ServicePage() -> impl IntoView {
    let styler_class = style! {
        main {
            max-width: 60rem;
            margin: 0 auto;
            padding: var(--space-4) var(--space-3);
        }
        a.back {
            display: inline-block;
            margin-bottom: var(--space-3);
        }
        h1 {
            font-size: var(--font-size-title);
            margin: 0 0 var(--space-3) 0;
            overflow-wrap: anywhere;
        }
        dl {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: var(--space-2) var(--space-4);
            margin: 0;
        }
        dt {
            color: var(--color-text-muted);
        }
        dd {
            margin: 0;
            overflow-wrap: anywhere;
        }
        p.state {
            color: var(--color-text-muted);
        }
    };
    let session = expect_context::<Session>();
    let back = expect_context::<ListReturn>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok())));
    let detail = LocalResource::new(move || {
        let id = id.get();
        let token = session.token.get().unwrap_or_default();
        async move {
            let Some(id) = id else {
                return Err(api::ApiError::Status {
                    status: 404,
                    message: "There is no such service.".into(),
                });
            };
            let result = api::service(&token, id).await;
            if let Err(e) = &result {
                session.check(e);
            }
            result
        }
    });
    let title = move |d: &ServiceDetail| d.service.name.clone();
    view! { class = styler_class,
        <main>
            <a class="back" href=move || back.0.get()>"← Back to services"</a>
            {move || match detail.get() {
                None => view! { <p class="state" role="status">"Loading the service…"</p> }.into_any(),
                Some(Err(e)) => view! { <LoadError what="the service" message=e.to_string() on_retry=move |_| detail.refetch()/> }.into_any(),
                Some(Ok(d)) => {
                    let s = &d.service;
                    let status = if s.status == Status::Active { "Active" } else { "Inactive" };
                    let last_run = d
                        .last_run
                        .as_ref()
                        .map(|r| format!("{} · started {} · pulled {}, pushed {}", r.status.as_str(), r.started_at.clone().unwrap_or_default(), r.pulled, r.pushed))
                        .unwrap_or_else(|| "No runs yet".into());
                    view! { class = styler_class,
                        <h1>{title(&d)}</h1>
                        <dl>
                            <dt>"ID"</dt><dd>{s.id}</dd>
                            <dt>"Status"</dt><dd>{status}</dd>
                            <dt>"Type"</dt><dd>{s.service_type.as_str()}</dd>
                            <dt>"Flow"</dt><dd>{format!("{} {} → {} {}", s.source.system, s.source.entity, s.destination.system, s.destination.entity)}</dd>
                            <dt>"Schedule"</dt><dd>{s.trigger.describe()}{s.trigger.cron().map(|c| format!(" ({c})"))}</dd>
                            <dt>"Next run"</dt><dd>{d.next_run_at.clone().unwrap_or_else(|| "Not scheduled".into())}</dd>
                            <dt>"Last run"</dt><dd>{last_run}</dd>
                            <dt>"Alerts"</dt><dd>{if d.alerts.enabled { "On" } else { "Off" }}</dd>
                            <dt>"Notes"</dt><dd>{if d.notes.is_empty() { "None".to_string() } else { d.notes.clone() }}</dd>
                        </dl>
                    }
                    .into_any()
                }
            }}
        </main>
    }
}
