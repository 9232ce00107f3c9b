use super::dialog::Dialog;
use crate::store::ServicesStore;
use leptos::prelude::*;
use services_model::Service;
use stylers::style;

/// "Remove…": names the service and asks for its ID before removing it. Nothing leaves the
/// list until the server confirms; closed before the answer, the removal still completes.
#[component]
pub fn RemoveDialog(
    service: Service,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_removed: Callback<()>,
) -> impl IntoView {
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
    };
    let store = expect_context::<ServicesStore>();
    let id = service.id;
    let target = service.clone();
    let typed = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirmed = move || typed.with(|t| t.trim() == id.to_string());
    let remove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !confirmed() || pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let target = target.clone();
        leptos::task::spawn_local(async move {
            let result = store.remove_service(target).await;
            pending.try_set(false);
            match result {
                Ok(()) => {
                    on_removed.try_run(());
                }
                Err(e) => {
                    error.try_set(Some(format!("The service was not removed: {e}")));
                }
            }
        });
    };
    view! { class = styler_class,
        <Dialog title=format!("Remove “{}”?", service.name) on_cancel=on_close>
            <form on:submit=remove>
                <p>{format!("This removes the service “{}” (ID {id}) with its runs and logs. It can't be undone.", service.name)}</p>
                <label>
                    {format!("Type the service ID, {id}, to confirm")}
                    <input class="field" type="text" inputmode="numeric" autocomplete="off" prop:value=move || typed.get() on:input:target=move |ev| typed.set(ev.target().value())/>
                </label>
                {move || error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
                <div class="dialog-buttons">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button button-danger" aria-disabled=move || (!confirmed() || pending.get()).then_some("true")>
                        {move || if pending.get() { "Removing…" } else { "Remove service" }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
