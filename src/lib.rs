//! The Patchworks services list, a Leptos single-page app. Components live here (not in main.rs)
//! so browser tests can mount them.

pub mod api;
pub mod components;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use components::*;
pub use pages::*;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=ServicesPage/>
            </Routes>
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
