//! The Patchworks services list, a Leptos single-page app. Components live here (not in main.rs)
//! so browser tests can mount them. [`embed`] is the entry for hosts that mount it themselves.

pub mod announce;
pub mod api;
pub mod components;
pub mod config;
pub mod embed;
pub mod focus;
pub mod format;
pub mod host_token;
pub mod media;
pub mod navigation;
pub mod pages;
pub mod prefetch;
pub mod session;
pub mod shortcuts;
pub mod state;
pub mod store;
pub mod time_zone;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use components::*;
pub use pages::*;

/// The whole app. `provider` is where an embedded app gets its token; `None` standalone, where
/// the user signs in as a demo user. `root` is the host's element the app is mounted in (its
/// keyboard shortcuts listen there only); `keyboard_shortcuts` whether they are on until the
/// user chooses.
#[component]
pub fn App(
    #[prop(optional)] provider: Option<host_token::TokenProvider>,
    #[prop(optional)] root: Option<web_sys::HtmlElement>,
    #[prop(default = true)] keyboard_shortcuts: bool,
) -> impl IntoView {
    let session = session::Session::new(provider);
    provide_context(session);
    provide_context(state::ListReturn(RwSignal::new("/".to_string())));
    let toasts = components::Toasts::new();
    provide_context(toasts);
    let store = store::ServicesStore::new(session, toasts);
    provide_context(store);
    // The user's favourites, saved views and the services selected for a bulk action.
    let starred = store::Starred::new(session, toasts);
    provide_context(starred);
    let views = store::SavedViews::new(session);
    provide_context(views);
    let selection = store::BulkSelection::new();
    provide_context(selection);
    provide_context(announce::Announcer::new());
    provide_context(navigation::Navigation::new());
    provide_context(shortcuts::Shortcuts::new(
        root.map(Into::into),
        keyboard_shortcuts,
    ));
    // Another user (perhaps of another company) starts afresh; a renewed token does not.
    Effect::new(move |previous: Option<Option<u64>>| {
        let user = session.user.with(|u| u.as_ref().map(|u| u.id));
        if previous.is_some_and(|p| p.is_some() && p != user) {
            store.reset();
            views.reset();
            selection.clear();
        }
        if user.is_some() && previous.flatten() != user {
            starred.load();
        }
        user
    });
    let signed_in = move || session.token.with(Option::is_some);
    // Ask the server once per sign-in who this is: the role it names decides what the UI offers.
    Effect::new(move |_| {
        if session.token.with(Option::is_some) {
            session.load_user();
        }
    });
    session.connect();
    time_zone::dismiss_tooltips_on_escape();
    time_zone::provide_ticking_now();
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
                <announce::Announcements/>
                <store::live::LiveUpdates/>
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
            <h1 tabindex="-1">"Page not found"</h1>
            <p><a href=config::href("/")>"Go to the services list"</a></p>
        </main>
    }
}
