use super::dialog::Dialog;
use crate::store::ServicesStore;
use leptos::prelude::*;
use services_model::{Run, RunRequest, Service};
use stylers::style;

/// "Run manually": optional record ids and page size, then one run. The dialog's idempotency
/// key means a double click, a repeated submit or a retry after a lost answer starts one run.
/// The store starts it and says so; closed before the answer, the dialog just goes.
#[component]
pub fn RunDialog(
    service: Service,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_started: Callback<Run>,
) -> impl IntoView {
    let styler_class = style! {
        form {
            display: grid;
            gap: var(--pw-space-3);
        }
        label {
            display: grid;
            gap: var(--pw-space-1);
            font-weight: 600;
        }
        span.hint {
            font-weight: 400;
            font-size: var(--pw-font-size-small);
            color: var(--pw-color-text-muted);
        }
    };
    let store = expect_context::<ServicesStore>();
    let id = service.id;
    let target = service.clone();
    let key = format!("run-{id}-{}", (js_sys::Math::random() * 1e15) as u64);
    let record_ids = RwSignal::new(String::new());
    let page_size = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let ids: Vec<String> = record_ids
            .get_untracked()
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let size_text = page_size.get_untracked();
        let size = match size_text.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n @ 1..=1000) => Some(n),
                _ => {
                    error.set(Some(
                        "Page size must be a whole number from 1 to 1000.".into(),
                    ));
                    return;
                }
            },
        };
        pending.set(true);
        error.set(None);
        let key = key.clone();
        let target = target.clone();
        leptos::task::spawn_local(async move {
            let request = RunRequest {
                record_ids: ids,
                page_size: size,
            };
            let result = store.start_run(target, request, key).await;
            // The dialog may have been closed meanwhile: its signals are gone then.
            pending.try_set(false);
            match result {
                Ok(run) => {
                    on_started.try_run(run);
                }
                Err(e) => {
                    error.try_set(Some(format!(
                        "The run did not start: {e} Check and try again."
                    )));
                }
            }
        });
    };
    view! { class = styler_class,
        <Dialog title=format!("Run “{}” now", service.name) on_cancel=on_close>
            <form on:submit=submit>
                <label>
                    "Record ids to sync"
                    <span class="hint">"Optional. Separate ids with commas or new lines; leave empty to sync everything due."</span>
                    <textarea class="field" prop:value=move || record_ids.get() on:input:target=move |ev| record_ids.set(ev.target().value())></textarea>
                </label>
                <label>
                    "Page size"
                    <span class="hint">"Optional, 1–1000 records per page pulled."</span>
                    <input class="field" type="text" inputmode="numeric" prop:value=move || page_size.get() on:input:target=move |ev| page_size.set(ev.target().value())/>
                </label>
                {move || error.get().map(|e| view! { class = styler_class, <p class="form-error" role="alert">{e}</p> })}
                <div class="dialog-buttons">
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button button-primary" aria-disabled=move || pending.get().then_some("true")>
                        {move || if pending.get() { "Starting…" } else { "Start run" }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
