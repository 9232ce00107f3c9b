use super::remove_dialog::RemoveDialog;
use super::status_dialog::StatusDialog;
use super::toasts::Toasts;
use super::trigger_editor::TriggerSettings;
use crate::store::ServicesStore;
use leptos::prelude::*;
use services_model::{validate_name, ServiceDetail, ServicePatch, Status};
use stylers::style;

/// Rename, status switch, type and trigger (see [`TriggerSettings`]), notes and remove. Names are checked as the API checks them
/// (1–120 characters, no control characters), and the API's own errors are shown as they come.
/// Each field is the user's until they save it: saving one leaves the others' edits alone.
#[component]
pub fn SettingsTab(
    /// The service as the store holds it now.
    #[prop(into)]
    detail: Signal<Option<ServiceDetail>>,
    #[prop(into)] can_manage: Signal<bool>,
    #[prop(into)] on_removed: Callback<()>,
) -> impl IntoView {
    let styler_class = style! {
        form {
            display: grid;
            gap: var(--pw-space-2);
            margin-bottom: var(--pw-space-4);
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
            margin-bottom: var(--pw-space-4);
        }
        button[role="switch"] {
            min-width: 7rem;
        }
        button[aria-checked="true"] {
            background: var(--pw-color-accent);
            border-color: var(--pw-color-accent);
            color: var(--pw-color-on-accent);
        }
        button {
            justify-self: start;
        }
        button.danger {
            border-color: var(--pw-color-danger-strong);
            color: var(--pw-color-danger);
        }
        p.note {
            color: var(--pw-color-text-muted);
        }
        h3 {
            font-size: var(--pw-font-size);
            margin: 0 0 var(--pw-space-2) 0;
        }
    };
    let store = expect_context::<ServicesStore>();
    let toasts = expect_context::<Toasts>();
    let initial = detail.get_untracked();
    let id = initial.as_ref().map_or(0, |d| d.service.id);
    let name = RwSignal::new(
        initial
            .as_ref()
            .map(|d| d.service.name.clone())
            .unwrap_or_default(),
    );
    let notes = RwSignal::new(initial.map(|d| d.notes).unwrap_or_default());
    let name_error = RwSignal::new(None::<String>);
    let notes_error = RwSignal::new(None::<String>);
    let status_error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let removing = RwSignal::new(false);
    let locked = move || !can_manage.get();

    let save = move |patch: ServicePatch, error: RwSignal<Option<String>>, done: &'static str| {
        leptos::task::spawn_local(async move {
            match store.update_service(id, patch).await {
                Ok(_) => {
                    error.try_set(None);
                    toasts.show(done, None);
                }
                Err(e) => {
                    error.try_set(Some(format!("Not saved: {e}")));
                }
            }
        });
    };
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_name(&name.get_untracked()) {
            Err(message) => name_error.set(Some(message)),
            Ok(valid) => save(
                ServicePatch {
                    name: Some(valid),
                    ..Default::default()
                },
                name_error,
                "Name saved.",
            ),
        }
    };
    let save_notes = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(
            ServicePatch {
                notes: Some(notes.get_untracked()),
                ..Default::default()
            },
            notes_error,
            "Notes saved.",
        )
    };
    let is_active = move || {
        detail.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.service.status == Status::Active)
        })
    };
    let service_now = move || detail.with_untracked(|d| d.as_ref().map(|d| d.service.clone()));

    view! { class = styler_class,
        <h2 class="visually-hidden">"Settings"</h2>
        <Show when=locked>
            <p class="note">"Your role can only view services, so these settings are read-only."</p>
        </Show>
        <form on:submit=rename>
            <label>
                "Name"
                <input
                    class="field"
                    type="text"
                    prop:value=move || name.get()
                    on:input:target=move |ev| name.set(ev.target().value())
                    disabled=locked
                    aria-invalid=move || name_error.with(Option::is_some).then_some("true")
                />
            </label>
            {move || name_error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
            <button type="submit" class="button" disabled=locked>"Save name"</button>
        </form>
        <h3>"Status"</h3>
        <div class="row">
            <button
                type="button"
                class="button"
                role="switch"
                aria-checked=move || is_active().to_string()
                aria-label="Active: runs on its schedule"
                disabled=locked
                on:click=move |_| confirming.set(true)
            >
                {move || if is_active() { "Active" } else { "Inactive" }}
            </button>
        </div>
        {move || status_error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
        <TriggerSettings detail=detail can_manage=can_manage/>
        <form on:submit=save_notes>
            <label>
                "Notes"
                <textarea class="field" prop:value=move || notes.get() on:input:target=move |ev| notes.set(ev.target().value()) disabled=locked></textarea>
            </label>
            {move || notes_error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
            <button type="submit" class="button" disabled=locked>"Save notes"</button>
        </form>
        <h3>"Remove"</h3>
        <button type="button" class="button danger" disabled=locked on:click=move |_| removing.set(true)>"Remove service…"</button>
        {move || confirming.get().then(service_now).flatten().map(|service| {
            let next = if service.status == Status::Active { Status::Inactive } else { Status::Active };
            view! {
                <StatusDialog
                    service=service
                    on_close=move |_| confirming.set(false)
                    on_confirm=move |_| {
                        confirming.set(false);
                        save(ServicePatch { status: Some(next), ..Default::default() }, status_error, "Status saved.");
                    }
                />
            }
        })}
        {move || removing.get().then(service_now).flatten().map(|service| {
            view! { <RemoveDialog service=service on_close=move |_| removing.set(false) on_removed=move |_| { on_removed.try_run(()); }/> }
        })}
    }
}
