use crate::session::Session;
use leptos::prelude::*;
use stylers::style;

/// Embedded only: "Connecting…" while the host is asked for a token, and "Your session has
/// expired" with a way to try again when it gave none the server accepts. What the page already
/// shows stays on screen.
#[component]
pub fn SessionExpired() -> impl IntoView {
    let styler_class = style! {
        div {
            margin: var(--pw-space-3);
            padding: var(--pw-space-3);
            border-radius: var(--pw-radius);
            color: var(--pw-color-text);
        }
        div.expired {
            border: 1px solid var(--pw-color-danger);
            background: var(--pw-color-danger-surface);
        }
        p {
            margin: 0 0 var(--pw-space-2) 0;
        }
    };
    let session = expect_context::<Session>();
    let waiting_first = move || session.connecting.get() && session.token.with(Option::is_none);
    view! { class = styler_class,
        <Show when=waiting_first>
            <div role="status">"Connecting to Patchworks…"</div>
        </Show>
        <Show when=move || session.expired.get()>
            <div class="expired" role="alert">
                <p><strong>"Your session has expired."</strong>" Try again, or reload the dashboard if it keeps happening."</p>
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || session.connecting.get()
                    on:click=move |_| session.connect()
                >
                    {move || if session.connecting.get() { "Trying again…" } else { "Try again" }}
                </button>
            </div>
        </Show>
    }
}
