use crate::api;
use crate::components::{DemoUserList, LoadError};
use crate::session::Session;
use leptos::prelude::*;
use stylers::style;

/// Standalone sign-in: pick one of the demo users. (Embedded in the dashboard, the host
/// provides the token instead.)
#[component]
pub fn SignInPage() -> impl IntoView {
    let styler_class = style! {
        main {
            max-width: 32rem;
            margin: 0 auto;
            padding: var(--pw-space-4) var(--pw-space-3);
        }
        h1 {
            font-size: var(--pw-font-size-title);
            margin: 0 0 var(--pw-space-2) 0;
        }
        p {
            color: var(--pw-color-text-muted);
        }
        p.notice {
            color: var(--pw-color-text);
            border-left: 4px solid var(--pw-color-accent);
            padding-left: var(--pw-space-2);
        }
    };
    let session = expect_context::<Session>();
    let users = LocalResource::new(api::demo_users);
    view! { class = styler_class,
        <main>
            <h1>"Sign in to Patchworks services"</h1>
            {move || session.notice.get().map(|notice| view! { class = styler_class, <p class="notice" role="alert">{notice}</p> })}
            <p>"Choose a demo user. Admins and managers can change services; users and read-only users can look."</p>
            {move || match users.get() {
                None => view! { <p role="status">"Loading demo users…"</p> }.into_any(),
                Some(Err(e)) => view! { <LoadError what="the demo users" message=e.to_string() on_retry=move |_| users.refetch()/> }.into_any(),
                Some(Ok(list)) => view! { <DemoUserList users=list on_choose=move |user| session.sign_in(user)/> }.into_any(),
            }}
        </main>
    }
}
