use crate::session::Session;
use leptos::prelude::*;
use stylers::style;

/// Who is signed in, and a way to sign out.
#[component]
pub fn AccountBar() -> impl IntoView {
    let styler_class = style! {
        div {
            display: flex;
            justify-content: flex-end;
            align-items: center;
            gap: var(--pw-space-3);
            padding: var(--pw-space-2) var(--pw-space-3);
            border-bottom: 1px solid var(--pw-color-border);
            font-size: var(--pw-font-size-small);
            color: var(--pw-color-text-muted);
        }
        button {
            font: inherit;
            color: var(--pw-color-accent-text);
            background: none;
            border: none;
            cursor: pointer;
            text-decoration: underline;
        }
    };
    let session = expect_context::<Session>();
    let who = move || {
        session.user.with(|u| {
            u.as_ref()
                .map(|u| {
                    format!(
                        "{} · {} · {}",
                        u.name,
                        u.role.as_str().replace('_', "-"),
                        u.company.name
                    )
                })
                .unwrap_or_default()
        })
    };
    view! { class = styler_class,
        <div>
            <span>"Signed in as " {who}</span>
            // Embedded, the host owns signing in and out.
            {(!session.is_embedded()).then(|| view! { class = styler_class,
                <button type="button" on:click=move |_| session.sign_out(None)>"Sign out"</button>
            })}
        </div>
    }
}
