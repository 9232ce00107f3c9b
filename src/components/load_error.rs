use leptos::prelude::*;
use stylers::style;

/// What went wrong while loading, and a way to try again.
#[component]
pub fn LoadError(
    /// What was being loaded, e.g. "company groups".
    what: &'static str,
    #[prop(into)] message: String,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let styler_class = style! {
        div {
            border: 1px solid var(--pw-color-danger);
            border-radius: var(--pw-radius);
            padding: var(--pw-space-3);
            background: var(--pw-color-danger-surface);
            color: var(--pw-color-text);
        }
        p {
            margin: 0 0 var(--pw-space-2) 0;
        }
        button {
            font: inherit;
        }
    };
    view! { class = styler_class,
        <div role="alert">
            <p><strong>{format!("Could not load {what}.")}</strong>" "{message}</p>
            <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
        </div>
    }
}
