//! State shared by the rows of the services list, provided as context by the list.

use leptos::ev;
use leptos::prelude::*;
use services_model::Role;
use wasm_bindgen::JsCast;

/// Which row's actions menu is open (at most one), and what the signed-in role may do.
#[derive(Clone, Copy)]
pub struct RowContext {
    pub open_menu: RwSignal<Option<u64>>,
    pub role: Signal<Role>,
    /// A row to highlight and focus when it appears (a new clone).
    pub highlight: RwSignal<Option<u64>>,
}

impl RowContext {
    /// Also closes an open menu when the user clicks anywhere outside it.
    pub fn new(role: Signal<Role>) -> RowContext {
        let open_menu = RwSignal::new(None::<u64>);
        let handle = window_event_listener(ev::click, move |ev| {
            let Some(open) = open_menu.get_untracked() else {
                return;
            };
            let inside = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| {
                    el.closest(&format!("[data-actions-for='{open}']"))
                        .ok()
                        .flatten()
                })
                .is_some();
            if !inside {
                open_menu.set(None);
            }
        });
        on_cleanup(move || handle.remove());
        RowContext {
            open_menu,
            role,
            highlight: RwSignal::new(None),
        }
    }

    pub fn can_manage(&self) -> bool {
        self.role.get().can_manage_services()
    }
}

/// Where "Back to services" goes: the last list view, with its group, search, filters and page.
#[derive(Clone, Copy)]
pub struct ListReturn(pub RwSignal<String>);
