use super::load_error::LoadError;
use super::toasts::Toasts;
use crate::store::ServicesStore;
use leptos::prelude::*;
use services_model::{AlertSettings, NotificationGroup};
use stylers::style;

/// Whether failed syncs send an alert, and which notification group gets it.
#[component]
pub fn AlertsTab(service_id: u64, #[prop(into)] can_manage: Signal<bool>) -> impl IntoView {
    let styler_class = style! {
        form {
            display: grid;
            gap: var(--pw-space-3);
            max-width: 36rem;
        }
        label {
            display: grid;
            gap: var(--pw-space-1);
            font-weight: 600;
        }
        div.row {
            display: flex;
            align-items: center;
            gap: var(--pw-space-3);
        }
        button[aria-checked="true"] {
            background: var(--pw-color-accent);
            border-color: var(--pw-color-accent);
            color: var(--pw-color-on-accent);
        }
        button {
            justify-self: start;
        }
        p.note {
            color: var(--pw-color-text-muted);
        }
        span.recipients {
            font-weight: 400;
            font-size: var(--pw-font-size-small);
            color: var(--pw-color-text-muted);
        }
    };
    let store = expect_context::<ServicesStore>();
    let toasts = expect_context::<Toasts>();
    let session = expect_context::<crate::session::Session>();
    let loaded = LocalResource::new(move || {
        session.token.track();
        async move {
            let settings = store.alert_settings(service_id).await?;
            let groups = store.notification_groups().await?;
            Ok::<_, crate::api::ApiError>((settings, groups))
        }
    });
    let enabled = RwSignal::new(false);
    let group = RwSignal::new(None::<u64>);
    let groups = RwSignal::new(Vec::<NotificationGroup>::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok((settings, list))) = loaded.get() {
            enabled.set(settings.enabled);
            group.set(settings.notification_group_id);
            groups.set(list);
        }
    });
    let locked = move || !can_manage.get();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let settings = AlertSettings {
            enabled: enabled.get_untracked(),
            notification_group_id: group.get_untracked(),
        };
        if settings.enabled && settings.notification_group_id.is_none() {
            error.set(Some(
                "Choose a notification group to send alerts to.".into(),
            ));
            return;
        }
        leptos::task::spawn_local(async move {
            match store.save_alerts(service_id, settings.clone()).await {
                Ok(_) => {
                    error.try_set(None);
                    toasts.show(
                        if settings.enabled {
                            "Alerts are on."
                        } else {
                            "Alerts are off."
                        },
                        None,
                    );
                }
                Err(e) => {
                    error.try_set(Some(format!("Not saved: {e}")));
                }
            }
        });
    };
    view! { class = styler_class,
        <h2 class="visually-hidden">"Alerts"</h2>
        {move || match loaded.get() {
            None => view! { <p role="status">"Loading alert settings…"</p> }.into_any(),
            Some(Err(e)) => view! { <LoadError what="the alert settings" message=e.to_string() on_retry=move |_| loaded.refetch()/> }.into_any(),
            Some(Ok(_)) => view! { class = styler_class,
                <form on:submit=save>
                    <Show when=locked>
                        <p class="note">"Your role can only view services, so these settings are read-only."</p>
                    </Show>
                    <div class="row">
                        <button
                            type="button"
                            class="button"
                            role="switch"
                            aria-checked=move || enabled.get().to_string()
                            aria-label="Email an alert when a sync fails"
                            disabled=locked
                            on:click=move |_| enabled.update(|e| *e = !*e)
                        >
                            {move || if enabled.get() { "On" } else { "Off" }}
                        </button>
                        <span>"Email an alert when a sync fails"</span>
                    </div>
                    <label>
                        "Notification group"
                        <select
                            class="field"
                            disabled=locked
                            on:change:target=move |ev| group.set(ev.target().value().parse::<u64>().ok())
                        >
                            <option value="" selected=move || group.get().is_none()>"None"</option>
                            {move || groups.get().into_iter().map(|g| {
                                let id = g.id;
                                let who = format!("{} recipient(s)", g.recipients.len());
                                view! { class = styler_class, <option value=id.to_string() selected=move || group.get() == Some(id)>{format!("{} ({who})", g.name)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    {move || error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
                    <button type="submit" class="button" disabled=locked>"Save alert settings"</button>
                </form>
            }
            .into_any(),
        }}
    }
}
