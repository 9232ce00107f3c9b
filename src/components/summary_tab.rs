use super::run_log::{RunLog, POLL_EVERY};
use crate::api;
use crate::session::Session;
use leptos::prelude::*;
use services_model::{parse_rfc3339, Run};
use stylers::style;

fn duration(run: &Run) -> String {
    let parse = |t: &Option<String>| {
        t.as_deref()
            .and_then(parse_rfc3339)
            .map(|t| t.unix_timestamp())
    };
    match (parse(&run.started_at), parse(&run.finished_at)) {
        (Some(a), Some(b)) if b >= a => {
            let s = b - a;
            if s >= 60 {
                format!("{}m {:02}s", s / 60, s % 60)
            } else {
                format!("{s}s")
            }
        }
        (Some(_), None) => "running".into(),
        _ => "—".into(),
    }
}

/// The runs of the last 24 hours with a search by run id, and the chosen run's log. Refreshes
/// every 5 seconds while a run is queued or running.
#[component]
pub fn SummaryTab(
    service_id: u64,
    #[prop(into)] selected_run: Signal<Option<u64>>,
    #[prop(into)] on_select_run: Callback<u64>,
) -> impl IntoView {
    let styler_class = style! {
        label {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--pw-space-2);
            margin-bottom: var(--pw-space-2);
            font-weight: 600;
        }
        input {
            font: inherit;
            padding: var(--pw-space-1) var(--pw-space-2);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
        }
        div.scroll {
            overflow-x: auto;
        }
        table {
            width: 100%;
            border-collapse: collapse;
            font-size: var(--pw-font-size-small);
        }
        th {
            text-align: left;
            padding: var(--pw-space-2);
            border-bottom: 2px solid var(--pw-color-border);
            color: var(--pw-color-text-muted);
        }
        td {
            padding: var(--pw-space-2);
            border-bottom: 1px solid var(--pw-color-border);
        }
        tr.chosen {
            background: var(--pw-color-accent-surface);
        }
        button {
            font: inherit;
            padding: 0.125rem var(--pw-space-2);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: 4px;
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            cursor: pointer;
        }
        p.state {
            color: var(--pw-color-text-muted);
        }
    };
    let session = expect_context::<Session>();
    let runs = RwSignal::new(None::<Vec<Run>>);
    let error = RwSignal::new(None::<String>);
    let search = RwSignal::new(String::new());
    let load = move || {
        let client = session.client();
        leptos::task::spawn_local(async move {
            match api::recent_runs(&client, service_id).await {
                Ok(list) => {
                    error.set(None);
                    runs.set(Some(list));
                }
                Err(e) => {
                    session.check(&e);
                    error.set(Some(e.to_string()));
                }
            }
        });
    };
    load();
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let any_live = runs.with_untracked(|r| {
                r.as_ref()
                    .is_some_and(|r| r.iter().any(|x| x.status.is_live()))
            });
            if any_live {
                load();
            }
        },
        POLL_EVERY,
    ) {
        on_cleanup(move || handle.clear());
    }
    let shown = move || {
        let needle = search.with(|s| s.trim().to_string());
        runs.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.iter()
                        .filter(|x| x.id.to_string().contains(&needle))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! { class = styler_class,
        <h2 class="visually-hidden">"Summary"</h2>
        <label>
            "Search by run ID"
            <input type="search" prop:value=move || search.get() on:input:target=move |ev| search.set(ev.target().value())/>
        </label>
        {move || error.get().map(|e| view! { <super::LoadError what="the runs" message=e on_retry=move |_| load()/> })}
        {move || match runs.with(Option::is_some) {
            false => view! { class = styler_class, <p class="state" role="status">"Loading runs…"</p> }.into_any(),
            true if shown().is_empty() => view! { class = styler_class, <p class="state">"No runs in the last 24 hours match."</p> }.into_any(),
            true => view! { class = styler_class,
                <div class="scroll" tabindex="0" role="region" aria-label="Runs of the last 24 hours">
                    <table>
                        <caption class="visually-hidden">"Runs of the last 24 hours"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Run"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Trigger"</th>
                                <th scope="col">"Started (UTC)"</th>
                                <th scope="col">"Duration"</th>
                                <th scope="col">"Pulled"</th>
                                <th scope="col">"Pushed"</th>
                                <th scope="col"><span class="visually-hidden">"Log"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {shown()
                                .into_iter()
                                .map(|run| {
                                    let id = run.id;
                                    let chosen = move || selected_run.get() == Some(id);
                                    view! { class = styler_class,
                                        <tr class:chosen=chosen>
                                            <td>{id}</td>
                                            <td>{run.status.as_str()}</td>
                                            <td>{run.trigger.as_str()}</td>
                                            <td>{run.started_at.clone().unwrap_or_else(|| "queued".into()).replace('T', " ").replace('Z', "")}</td>
                                            <td>{duration(&run)}</td>
                                            <td>{run.pulled}</td>
                                            <td>{run.pushed}</td>
                                            <td>
                                                <button type="button" aria-label=format!("View the log of run {id}") on:click=move |_| on_select_run.run(id)>
                                                    "View log"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        }}
        {move || selected_run.get().map(|run| view! { <RunLog run_id=run on_finished=move |_| load()/> })}
    }
}
