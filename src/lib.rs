//! The Patchworks services list, a Leptos single-page app. Components live here (not in main.rs)
//! so browser tests can mount them. [`embed`] is the entry for hosts that mount it themselves.

pub mod api;
pub mod components;
pub mod config;
pub mod embed;
pub mod focus;
pub mod host_token;
pub mod media;
pub mod pages;
pub mod session;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use components::*;
pub use pages::*;

/// The whole app. `provider` is where an embedded app gets its token; `None` standalone, where
/// the user signs in as a demo user.
#[component]
pub fn App(#[prop(optional)] provider: Option<host_token::TokenProvider>) -> impl IntoView {
    let session = session::Session::new(provider);
    provide_context(session);
    provide_context(state::ListReturn(RwSignal::new("/".to_string())));
    provide_context(components::Toasts::new());
    let signed_in = move || session.token.with(Option::is_some);
    // Ask the server once per sign-in who this is: the role it names decides what the UI offers.
    Effect::new(move |_| {
        let Some(token) = session.token.get() else {
            return;
        };
        let client = session.client();
        leptos::task::spawn_local(async move {
            match api::me(&client).await {
                Ok(me)
                    if session.token.try_get_untracked().flatten().as_deref() == Some(&token) =>
                {
                    session.user.set(Some(me))
                }
                Ok(_) => {}
                Err(e) => session.check(&e),
            }
        });
    });
    session.connect();
    let signed_out = move || {
        if session.is_embedded() {
            view! { <SessionExpired/> }.into_any()
        } else {
            view! { <SignInPage/> }.into_any()
        }
    };
    view! {
        <Router base=config::base_path()>
            <Show when=signed_in fallback=signed_out>
                <SessionExpired/>
                <AccountBar/>
                <ToastRegion/>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=ServicesPage/>
                    <Route path=path!("/services/:id") view=ServicePage/>
                </Routes>
            </Show>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <main>
            <h1>"Page not found"</h1>
            <p><a href=config::href("/")>"Go to the services list"</a></p>
        </main>
    }
}
