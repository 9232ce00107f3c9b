use crate::api::LOG_PAGE;
use crate::format::timestamp_html;
use crate::store::live::LiveState;
use crate::store::ServicesStore;
use leptos::prelude::*;
use services_model::{LogLevel, LogLine, RunStatus};
use std::time::Duration;
use stylers::style;

/// How often a live run's log is fetched again.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// A run's log, line by line. While the run is queued or running it follows the live updates
/// (or, without them, fetches new lines every 5 seconds) and says so, with a button to pause
/// and resume the auto-refresh.
#[component]
pub fn RunLog(
    run_id: u64,
    /// Called once when the run is seen to finish, so what lists runs can refresh.
    #[prop(optional, into)]
    on_finished: Option<Callback<()>>,
) -> impl IntoView {
    let styler_class = style! {
        section {
            margin-top: var(--pw-space-3);
            border: 1px solid var(--pw-color-border);
            border-radius: var(--pw-radius);
            padding: var(--pw-space-3);
        }
        div.head {
            display: flex;
            flex-wrap: wrap;
            justify-content: space-between;
            align-items: center;
            gap: var(--pw-space-2);
        }
        h3 {
            margin: 0;
            font-size: var(--pw-font-size);
        }
        p.state {
            margin: var(--pw-space-2) 0;
            color: var(--pw-color-text-muted);
            font-size: var(--pw-font-size-small);
        }
        ol {
            margin: 0;
            padding: 0;
            list-style: none;
            font-family: ui-monospace, monospace;
            font-size: var(--pw-font-size-small);
        }
        li {
            padding: 0.125rem 0;
            border-bottom: 1px solid var(--pw-color-border);
            overflow-wrap: anywhere;
        }
        li.error {
            color: var(--pw-color-danger);
            font-weight: 600;
        }
        span.at {
            color: var(--pw-color-text-muted);
            margin-right: var(--pw-space-2);
        }
        button {
            font: inherit;
            padding: var(--pw-space-1) var(--pw-space-3);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
            cursor: pointer;
        }
        button[aria-pressed="true"] {
            border-color: var(--pw-color-accent);
            color: var(--pw-color-accent-text);
        }
    };
    let store = expect_context::<ServicesStore>();
    let lines = RwSignal::new(Vec::<LogLine>::new());
    let status = RwSignal::new(None::<RunStatus>);
    let live = RwSignal::new(true);
    let auto_refresh = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let loading = StoredValue::new(false);
    // Asked again while a fetch was out (a live event): fetch once more after it.
    let again = StoredValue::new(false);
    // Reads every line after the last one shown, page by page; after the component is gone
    // (another run chosen, the page left) it only stops.
    let fetch = move || {
        if loading.get_value() {
            again.set_value(true);
            return;
        }
        loading.set_value(true);
        let mut after = lines.with_untracked(|l| l.last().map_or(0, |l| l.seq));
        leptos::task::spawn_local(async move {
            loop {
                let result = store.run_log(run_id, after).await;
                let Some(was_live) = live.try_get_untracked() else {
                    return;
                };
                match result {
                    Ok(page) => {
                        error.maybe_update(|e| e.take().is_some());
                        status.maybe_update(|s| s.replace(page.status) != Some(page.status));
                        if was_live && !page.live {
                            if let Some(done) = on_finished {
                                done.try_run(());
                            }
                        }
                        live.maybe_update(|l| std::mem::replace(l, page.live) != page.live);
                        let full = page.items.len() >= LOG_PAGE;
                        after = page.next_after;
                        if !page.items.is_empty() {
                            lines.update(|l| l.extend(page.items));
                        }
                        if full {
                            continue;
                        }
                    }
                    Err(e) => {
                        let message =
                            format!("The log could not be refreshed: {e} It will try again.");
                        // The same message again is not news: leave the alert as it is.
                        error.maybe_update(|old| {
                            let changed = old.as_deref() != Some(message.as_str());
                            *old = Some(message);
                            changed
                        });
                    }
                }
                if again.try_update_value(std::mem::take) != Some(true) {
                    break;
                }
            }
            loading.try_set_value(false);
        });
    };
    fetch();
    // Live updates bring the run's new lines; without them (polling) it asks every 5 seconds.
    let feed = store.live();
    let run_events = feed.run(run_id);
    Effect::new(move |first: Option<()>| {
        run_events.track();
        if first.is_some() && auto_refresh.get_untracked() {
            fetch();
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if live.get_untracked() && auto_refresh.get_untracked() && !feed.is_live() {
                fetch();
            }
        },
        POLL_EVERY,
    ) {
        on_cleanup(move || handle.clear());
    }
    let following = feed.state();
    let state_text = Memo::new(
        move |_| match (status.get(), live.get(), auto_refresh.get()) {
            (None, _, _) => "Loading the log…".to_string(),
            (Some(s), true, true) if following.get() == LiveState::Live => format!(
                "The run is {}: auto-refresh is on, following it live.",
                s.as_str()
            ),
            (Some(s), true, true) => format!(
                "The run is {}: auto-refresh is on, every 5 seconds.",
                s.as_str()
            ),
            (Some(s), true, false) => format!("The run is {}: auto-refresh is paused.", s.as_str()),
            (Some(s), false, _) => format!(
                "The run finished: {}.",
                if s == RunStatus::Ok { "ok" } else { s.as_str() }
            ),
        },
    );
    view! { class = styler_class,
        <section aria-labelledby=format!("run-log-{run_id}")>
            <div class="head">
                <h3 id=format!("run-log-{run_id}")>{format!("Log of run {run_id}")}</h3>
                <Show when=move || live.get()>
                    <button
                        type="button"
                        aria-pressed=move || auto_refresh.get().to_string()
                        on:click=move |_| {
                            let on = !auto_refresh.get_untracked();
                            auto_refresh.set(on);
                            if on {
                                fetch();
                            }
                        }
                    >
                        "Auto-refresh"
                    </button>
                </Show>
            </div>
            <p class="state" role="status">{state_text}</p>
            <Show when=move || error.with(Option::is_some)>
                <p class="state" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <ol>
                <For
                    each=move || lines.get()
                    key=|l| l.seq
                    children=move |l| {
                        let is_error = l.level == LogLevel::Error;
                        view! { class = styler_class,
                            <li class:error=is_error>
                                <span class="at" inner_html=move || timestamp_html(&l.at)></span>
                                {l.message}
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}
