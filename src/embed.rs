//! The JavaScript entry for hosts: `mountServicesList(element, { apiBase, basePath, getToken })`
//! mounts the app into `element` and returns a handle whose `unmount()` removes it with every
//! listener and timer it added. The generated `embed.js` wraps it (see scripts/post-build.sh).

use crate::config;
use crate::host_token::TokenProvider;
use crate::App;
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use services_model::embed::AppConfig;
use std::any::Any;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Every style of the app hangs off this class, so nothing leaks into the host page.
pub const ROOT_CLASS: &str = "pw-services-list";

thread_local! {
    static MOUNTED: Cell<bool> = const { Cell::new(false) };
}

/// A mounted app. `unmount()` takes it out of the page; calling it twice does nothing.
#[wasm_bindgen]
pub struct MountHandle {
    element: web_sys::HtmlElement,
    app: Option<(Owner, Box<dyn Any>)>,
}

#[wasm_bindgen]
impl MountHandle {
    pub fn unmount(&mut self) {
        if let Some((owner, app)) = self.app.take() {
            drop(app);
            // Runs every on_cleanup of the app (listeners, timers), even if something still
            // holds a reference to its owner.
            owner.cleanup();
            let _ = self.element.class_list().remove_1(ROOT_CLASS);
            config::reset();
            crate::prefetch::clear();
            MOUNTED.with(|m| m.set(false));
        }
    }
}

/// Mounts the services list into `element`. Options: `getToken` (required: a function that
/// returns the bearer token or a promise of it; asked again when the server refuses the token),
/// `basePath` (the path the app's routes live under, e.g. `/dashboard/services`; default the
/// site root), `apiBase` (default `/api/v1`, same origin) and `keyboardShortcuts` (default
/// `true`: whether `/` focuses the search, while focus is inside the app, until the user turns
/// it off or on in the account bar).
#[wasm_bindgen(js_name = mountServicesList)]
pub fn mount_services_list(
    element: web_sys::HtmlElement,
    options: JsValue,
) -> Result<MountHandle, JsError> {
    let option = |name: &str| {
        if options.is_object() {
            Reflect::get(&options, &name.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let get_token = option("getToken")
        .dyn_into::<Function>()
        .map_err(|_| JsError::new("getToken must be a function that returns the bearer token."))?;
    let text = |name: &str| -> Result<Option<String>, JsError> {
        let value = option(name);
        if value.is_undefined() || value.is_null() {
            Ok(None)
        } else {
            value
                .as_string()
                .map(Some)
                .ok_or_else(|| JsError::new(&format!("{name} must be a string.")))
        }
    };
    let app_config = AppConfig::new(text("apiBase")?.as_deref(), text("basePath")?.as_deref())
        .map_err(|e| JsError::new(&e))?;
    let shortcuts = option("keyboardShortcuts");
    let keyboard_shortcuts = if shortcuts.is_undefined() || shortcuts.is_null() {
        true
    } else {
        shortcuts
            .as_bool()
            .ok_or_else(|| JsError::new("keyboardShortcuts must be true or false."))?
    };
    if MOUNTED.with(Cell::get) {
        return Err(JsError::new(
            "The services list is already mounted on this page; unmount it first.",
        ));
    }
    config::set(app_config);
    crate::prefetch::set(option("prefetched"));
    // The document is the host's: its title stays the host's.
    config::set_owns_page(false);
    MOUNTED.with(|m| m.set(true));
    let _ = element.class_list().add_1(ROOT_CLASS);
    let provider = TokenProvider::Host(get_token);
    let owner = Owner::new();
    let root = element.clone();
    let app = owner.with(|| {
        leptos::mount::mount_to(element.clone(), move || {
            view! { <App provider root keyboard_shortcuts/> }
        })
    });
    Ok(MountHandle {
        element,
        app: Some((owner, Box::new(app))),
    })
}
