//! The Patchworks services list, a Leptos single-page app. Components live here (not in main.rs)
//! so browser tests can mount them.

pub mod api;
pub mod components;
pub mod focus;
pub mod media;
pub mod pages;
pub mod session;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use components::*;
pub use pages::*;

#[component]
pub fn App() -> impl IntoView {
    let session = session::Session::new();
    provide_context(session);
    provide_context(state::ListReturn(RwSignal::new("/".to_string())));
    provide_context(components::Toasts::new());
    let signed_in = move || session.token.with(Option::is_some);
    // Ask the server once per sign-in who this is: the role it names decides what the UI offers.
    Effect::new(move |_| {
        let Some(token) = session.token.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::me(&token).await {
                Ok(me) if session.token.get_untracked().as_deref() == Some(token.as_str()) => {
                    session.user.set(Some(me))
                }
                Ok(_) => {}
                Err(e) => session.check(&e),
            }
        });
    });
    view! {
        <Router>
            <Show when=signed_in fallback=SignInPage>
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
            <p><a href="/">"Go to the services list"</a></p>
        </main>
    }
}
