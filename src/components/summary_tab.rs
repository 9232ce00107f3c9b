use super::run_log::{RunLog, POLL_EVERY};
use crate::format::{run_duration, timestamp_html};
use crate::store::live::LiveState;
use crate::store::ServicesStore;
use leptos::prelude::*;
use services_model::Run;
use std::collections::HashMap;
use stylers::style;

/// What the runs area shows; the table itself is built once and its rows update in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Runs {
    Loading,
    NoneMatch,
    Table,
}

/// The runs of the last 24 hours with a search by run id, and the chosen run's log. Follows the
/// live updates (without them, refreshes every 5 seconds while a run is queued or running);
/// each run's row updates in place, so focus stays where it is.
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
    let store = expect_context::<ServicesStore>();
    // The runs in order (newest first), and a signal per run.
    let order = RwSignal::new(None::<Vec<u64>>);
    let runs = StoredValue::new_local(HashMap::<u64, ArcRwSignal<Run>>::new());
    let error = RwSignal::new(None::<String>);
    let search = RwSignal::new(String::new());
    let take = move |list: Vec<Run>| {
        runs.update_value(|by_id| {
            let ids: Vec<u64> = list.iter().map(|r| r.id).collect();
            by_id.retain(|id, _| ids.contains(id));
            for run in list {
                match by_id.get(&run.id) {
                    Some(signal) if signal.with_untracked(|r| *r == run) => {}
                    Some(signal) => signal.set(run),
                    None => {
                        by_id.insert(run.id, ArcRwSignal::new(run));
                    }
                }
            }
            if order.with_untracked(|o| o.as_ref() != Some(&ids)) {
                order.set(Some(ids));
            }
        });
    };
    // One request at a time; asked again meanwhile (a live event), once more after it.
    let loading = StoredValue::new(false);
    let again = StoredValue::new(false);
    let load = move || {
        if loading.get_value() {
            again.set_value(true);
            return;
        }
        loading.set_value(true);
        leptos::task::spawn_local(async move {
            loop {
                let result = store.recent_runs(service_id).await;
                // The tab may be gone by now.
                if runs.try_with_value(|_| ()).is_none() {
                    return;
                }
                match result {
                    Ok(list) => {
                        error.try_set(None);
                        take(list);
                    }
                    Err(e) => {
                        error.try_set(Some(e.to_string()));
                    }
                }
                if again.try_update_value(std::mem::take) != Some(true) {
                    break;
                }
            }
            loading.try_set_value(false);
        });
    };
    load();
    // Live updates say when the service's runs change; without them, poll while one is live.
    let feed = store.live();
    let service_events = feed.service(service_id);
    Effect::new(move |first: Option<()>| {
        service_events.track();
        if first.is_some() {
            load();
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let any_live = runs
                .try_with_value(|r| r.values().any(|x| x.with_untracked(|x| x.status.is_live())))
                .unwrap_or(false);
            // Without live updates (the fallback) a run started elsewhere must show too.
            if !feed.is_live() && (any_live || feed.state().get_untracked() == LiveState::Polling) {
                load();
            }
        },
        POLL_EVERY,
    ) {
        on_cleanup(move || handle.clear());
    }
    let shown = Memo::new(move |_| {
        let needle = search.with(|s| s.trim().to_string());
        order.with(|o| {
            o.as_ref().map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|id| id.to_string().contains(&needle))
                    .collect::<Vec<_>>()
            })
        })
    });
    let state = Memo::new(move |_| {
        shown.with(|s| match s {
            None => Runs::Loading,
            Some(s) if s.is_empty() => Runs::NoneMatch,
            Some(_) => Runs::Table,
        })
    });
    let row = move |id: u64| {
        let Some(run) = runs.with_value(|r| r.get(&id).cloned()) else {
            return ().into_any();
        };
        let read = move |f: fn(&Run) -> String| {
            let run = run.clone();
            move || run.with(f)
        };
        let chosen = move || selected_run.get() == Some(id);
        view! { class = styler_class,
            <tr class:chosen=chosen>
                <td>{id}</td>
                <td>{read(|r| r.status.as_str().into())}</td>
                <td>{read(|r| r.trigger.as_str().into())}</td>
                <td inner_html=read(|r| r.started_at.as_deref().map_or_else(|| "queued".into(), timestamp_html))></td>
                <td>{read(run_duration)}</td>
                <td>{read(|r| r.pulled.to_string())}</td>
                <td>{read(|r| r.pushed.to_string())}</td>
                <td>
                    <button type="button" aria-label=format!("View the log of run {id}") on:click=move |_| on_select_run.run(id)>
                        "View log"
                    </button>
                </td>
            </tr>
        }
        .into_any()
    };
    view! { class = styler_class,
        <h2 class="visually-hidden">"Summary"</h2>
        <label>
            "Search by run ID"
            <input type="search" prop:value=move || search.get() on:input:target=move |ev| search.set(ev.target().value())/>
        </label>
        {move || error.get().map(|e| view! { <super::LoadError what="the runs" message=e on_retry=move |_| load()/> })}
        {move || match state.get() {
            Runs::Loading => view! { class = styler_class, <p class="state" role="status">"Loading runs…"</p> }.into_any(),
            Runs::NoneMatch => view! { class = styler_class, <p class="state">"No runs in the last 24 hours match."</p> }.into_any(),
            Runs::Table => view! { class = styler_class,
                <div class="scroll" tabindex="0" role="region" aria-label="Runs of the last 24 hours">
                    <table>
                        <caption class="visually-hidden">"Runs of the last 24 hours"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Run"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Trigger"</th>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Duration"</th>
                                <th scope="col">"Pulled"</th>
                                <th scope="col">"Pushed"</th>
                                <th scope="col"><span class="visually-hidden">"Log"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || shown.get().unwrap_or_default() key=|id| *id children=row/>
                        </tbody>
                    </table>
                </div>
            }
            .into_any(),
        }}
        {move || selected_run.get().map(|run| view! { <RunLog run_id=run on_finished=move |_| load()/> })}
    }
}
