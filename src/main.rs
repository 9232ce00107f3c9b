use services_list::{api, config, host_token::TokenProvider, App};
use std::rc::Rc;

/// Standalone start: only on our own index.html (it has `#app-boot`). A host page that loads the
/// module to call `mountServicesList` gets nothing mounted by itself.
fn main() {
    console_error_panic_hook::set_once();
    let document = leptos::prelude::document();
    // index.html shows a loading line until the app starts, so the page is never blank.
    let Some(boot) = document.get_element_by_id("app-boot") else {
        return;
    };
    config::reset();
    // Before mounting, Leptos's executor is not set up yet: use wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async move {
        let provider = parent_provider().await;
        boot.remove();
        match provider {
            Some(provider) => {
                leptos::mount::mount_to_body(move || leptos::view! { <App provider/> })
            }
            None => leptos::mount::mount_to_body(|| leptos::view! { <App/> }),
        }
    });
}

/// In an iframe whose parent origin the server allows (`--frame-ancestors`), the parent hands
/// over the token by postMessage. Otherwise the user signs in.
async fn parent_provider() -> Option<TokenProvider> {
    let window = web_sys::window()?;
    let framed = window
        .parent()
        .ok()
        .flatten()
        .is_some_and(|parent| parent != window);
    if !framed {
        return None;
    }
    let origins = api::embed_config().await.ok()?.parent_origins;
    (!origins.is_empty()).then(|| TokenProvider::Parent(Rc::new(origins)))
}
