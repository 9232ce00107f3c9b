use super::dialog::Dialog;
use leptos::prelude::*;
use services_model::{Service, Status};
use stylers::style;

/// Confirms activating or deactivating a service, saying what will change.
#[component]
pub fn StatusDialog(
    service: Service,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let styler_class = style! {
        p {
            margin: 0 0 var(--pw-space-3) 0;
        }
    };
    let activating = service.status == Status::Inactive;
    let (verb, what) = if activating {
        (
            "Activate",
            format!(
                "“{}” will run on its schedule again ({}) and can be run manually.",
                service.name,
                service.trigger.describe()
            ),
        )
    } else {
        ("Deactivate", format!("“{}” will stop running on its schedule, and can't be run manually, until it is activated again.", service.name))
    };
    view! { class = styler_class,
        <Dialog title=format!("{verb} this service?") on_cancel=on_close>
            <p>{what}</p>
            <div class="dialog-buttons">
                <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button type="button" class="button button-primary" on:click=move |_| on_confirm.run(())>{verb}</button>
            </div>
        </Dialog>
    }
}
