//! The bulk action's dialog: the confirmation naming how many ("Deactivate 12 services?"), the
//! progress while the batches run, and the outcome with every service that failed and why.

use super::dialog::Dialog;
use crate::announce::Announcer;
use crate::store::{BulkOutcome, BulkSelection, ServicesStore};
use leptos::prelude::*;
use services_model::bulk::services;
use services_model::{BulkAction, NotificationGroup};
use stylers::style;

/// Where the dialog is.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Confirm,
    Running { done: usize },
    Done(BulkOutcome),
}

/// What the user confirms: the action and the services it applies to, taken when it opened.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkJob {
    pub action: BulkAction,
    pub group: u64,
    pub targets: Vec<(u64, String)>,
}

#[component]
pub fn BulkDialog(job: BulkJob, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let styler_class = style! {
        p {
            margin: 0 0 var(--pw-space-3) 0;
        }
        label {
            display: grid;
            gap: var(--pw-space-1);
            font-weight: 600;
            margin-bottom: var(--pw-space-3);
        }
        progress {
            width: 100%;
            margin-bottom: var(--pw-space-3);
        }
        ul.failures {
            margin: 0 0 var(--pw-space-3) 0;
            padding-left: var(--pw-space-4);
            max-height: 16rem;
            overflow-y: auto;
        }
        li {
            margin-bottom: var(--pw-space-1);
        }
        span.reason {
            display: block;
            color: var(--pw-color-text-muted);
            font-size: var(--pw-font-size-small);
        }
    };
    let store = expect_context::<ServicesStore>();
    let selection = use_context::<BulkSelection>();
    let announcer = use_context::<Announcer>();
    let step = RwSignal::new(Step::Confirm);
    let count = job.targets.len();
    let action = job.action;
    let groups = RwSignal::new(None::<Vec<NotificationGroup>>);
    let chosen_group = RwSignal::new(None::<u64>);
    if action == BulkAction::AlertsOn {
        leptos::task::spawn_local(async move {
            let list = store.notification_groups().await.unwrap_or_default();
            groups.try_set(Some(list));
        });
    }
    let job = StoredValue::new(job);
    let start = move |_| {
        if step.get_untracked() != Step::Confirm {
            return;
        }
        step.set(Step::Running { done: 0 });
        let BulkJob {
            action,
            group,
            targets,
        } = job.get_value();
        let notification_group = chosen_group.get_untracked();
        leptos::task::spawn_local(async move {
            let outcome = store
                .run_bulk(group, action, targets, notification_group, move |done| {
                    step.try_set(Step::Running { done });
                })
                .await;
            if action == BulkAction::Remove {
                if let Some(selection) = selection {
                    selection.remove_all(&outcome.ok);
                }
            }
            // Said after what the list says of rows that left it meanwhile.
            if let Some(announcer) = announcer {
                let said = action.outcome(outcome.ok.len(), count);
                set_timeout(
                    move || announcer.say(said),
                    std::time::Duration::from_millis(200),
                );
            }
            step.try_set(Step::Done(outcome));
        });
    };
    let cancel = move |_| {
        // While it runs the work goes on; the dialog stays to show how it went.
        if !matches!(step.get_untracked(), Step::Running { .. }) {
            on_close.run(());
        }
    };
    let explain = match action {
        BulkAction::Activate => "They will run on their schedules again and can be run manually.",
        BulkAction::Deactivate => {
            "They will stop running on their schedules, and can't be run manually, until activated again."
        }
        BulkAction::AlertsOn => "Failed syncs of each will send an alert email.",
        BulkAction::AlertsOff => "Failed syncs will no longer send alert emails.",
        BulkAction::Remove => "This removes them with their runs and logs. It can't be undone.",
    };
    let confirm_class = if action == BulkAction::Remove {
        "button button-danger"
    } else {
        "button button-primary"
    };
    let group_choice = move || {
        (action == BulkAction::AlertsOn).then(|| {
            view! { class = styler_class,
                <label>
                    "Send alerts to"
                    <select class="field" on:change:target=move |ev| chosen_group.set(ev.target().value().parse::<u64>().ok())>
                        <option value="" selected=true>"Each service's own notification group"</option>
                        {move || {
                            groups
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .map(|g| view! { class = styler_class, <option value=g.id.to_string()>{g.name}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            }
        })
    };
    let body = move || {
        match step.get() {
        Step::Confirm => view! { class = styler_class,
            <Dialog title=action.question(count) on_cancel=cancel>
                <p>{explain}</p>
                {group_choice}
                <div class="dialog-buttons">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="button" class=confirm_class on:click=start>{format!("{} {}", action.label(), services(count))}</button>
                </div>
            </Dialog>
        }
        .into_any(),
        Step::Running { done } => view! { class = styler_class,
            <Dialog title=action.progress(done, count) on_cancel=cancel>
                <p role="status">{action.progress(done, count)}</p>
                <progress max=count.to_string() value=done.to_string() aria-label="Progress"></progress>
                <div class="dialog-buttons">
                    <button type="button" class="button" aria-disabled="true">"Working…"</button>
                </div>
            </Dialog>
        }
        .into_any(),
        Step::Done(outcome) => {
            let failures = outcome.failures.clone();
            view! { class = styler_class,
                <Dialog title=action.outcome(outcome.ok.len(), count) on_cancel=cancel>
                    {(!failures.is_empty()).then(|| view! { class = styler_class,
                        <p>{format!("{} could not be changed:", services(failures.len()))}</p>
                        <ul class="failures" data-bulk-failures="">
                            {failures.into_iter().map(|f| view! { class = styler_class,
                                <li data-failed-id=f.id>
                                    {format!("{} (ID {})", f.name, f.id)}
                                    <span class="reason">{f.reason}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    <div class="dialog-buttons">
                        <button type="button" class="button button-primary" on:click=move |_| on_close.run(())>"Close"</button>
                    </div>
                </Dialog>
            }
            .into_any()
        }
    }
    };
    view! { {body} }
}
