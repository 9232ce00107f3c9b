//! Single-key shortcuts (`/` for the search), which WCAG 2.1.4 says a user must be able to turn
//! off: the choice is a switch in the account bar, kept on this device. Embedded in a host page
//! they listen only inside the app's element, so the host keeps its own keys.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, KeyboardEvent};

const STORAGE_KEY: &str = "pw-services-list:shortcuts";

#[derive(Clone, Copy)]
pub struct Shortcuts {
    pub enabled: RwSignal<bool>,
    /// Where keys are heard: the mount element when embedded; the window standalone.
    scope: StoredValue<Option<EventTarget>, LocalStorage>,
}

impl Shortcuts {
    /// `scope` is the app's element in a host page (`None`: the whole window). `default_on` is
    /// what applies until the user chooses.
    pub fn new(scope: Option<EventTarget>, default_on: bool) -> Shortcuts {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let enabled = match saved.as_deref() {
            Some("off") => false,
            Some("on") => true,
            _ => default_on,
        };
        Shortcuts {
            enabled: RwSignal::new(enabled),
            scope: StoredValue::new_local(scope),
        }
    }

    /// Turns them on or off, and remembers the choice on this device.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.set(on);
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, if on { "on" } else { "off" });
        }
    }

    /// Runs `action` when `key` is pressed with no modifier, outside text fields, while the
    /// shortcuts are on; until the current owner is cleaned up.
    pub fn on_key(&self, key: &'static str, action: impl Fn(&KeyboardEvent) + 'static) {
        let enabled = self.enabled;
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |ev: KeyboardEvent| {
            if ev.key() != key
                || ev.ctrl_key()
                || ev.meta_key()
                || ev.alt_key()
                || ev.default_prevented()
                || !enabled.try_get_untracked().unwrap_or(false)
                || typing()
            {
                return;
            }
            action(&ev);
        });
        let target: EventTarget = self
            .scope
            .with_value(Clone::clone)
            .unwrap_or_else(|| window().unchecked_into());
        let _ =
            target.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        // Cleanups run before the owner's values are dropped, so the listener is still here.
        let held = StoredValue::new_local(Some((target, listener)));
        on_cleanup(move || {
            if let Some(Some((target, listener))) = held.try_update_value(Option::take) {
                let _ = target.remove_event_listener_with_callback(
                    "keydown",
                    listener.as_ref().unchecked_ref(),
                );
            }
        });
    }
}

/// Whether focus is in a field where keys are text.
fn typing() -> bool {
    document().active_element().is_some_and(|el| {
        matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || el.has_attribute("contenteditable")
    })
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
