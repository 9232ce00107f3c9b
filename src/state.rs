//! State shared by the rows of the services list, provided as context by the list's page.

use leptos::ev;
use leptos::prelude::*;
use services_model::Role;
use wasm_bindgen::JsCast;

/// Which row's actions menu is open (at most one), what the signed-in role may do, and where
/// keyboard focus is among the rows.
#[derive(Clone, Copy)]
pub struct RowContext {
    pub open_menu: RwSignal<Option<u64>>,
    pub role: Signal<Role>,
    /// A row shown highlighted (a new clone).
    pub highlight: RwSignal<Option<u64>>,
    /// A row whose name link takes focus when it appears: once, then this is cleared.
    pub focus_request: RwSignal<Option<u64>>,
    /// The row that last had focus, and its place on the page then.
    last_focus: StoredValue<Option<(u64, usize)>>,
    /// The ids of the rows on the page, in order.
    shown: StoredValue<Vec<u64>>,
}

impl RowContext {
    /// Also closes an open menu when the user clicks anywhere outside it.
    pub fn new(role: Signal<Role>) -> RowContext {
        let open_menu = RwSignal::new(None::<u64>);
        let handle = window_event_listener(ev::click, move |ev| {
            let Some(Some(open)) = open_menu.try_get_untracked() else {
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
            focus_request: RwSignal::new(None),
            last_focus: StoredValue::new(None),
            shown: StoredValue::new(Vec::new()),
        }
    }

    pub fn can_manage(&self) -> bool {
        self.role.get().can_manage_services()
    }

    /// Focus moved into row `id` (or, with `None`, elsewhere in the list).
    pub fn note_focus(&self, id: Option<u64>) {
        let at = id.and_then(|id| {
            self.shown
                .with_value(|s| s.iter().position(|x| *x == id))
                .map(|p| (id, p))
        });
        self.last_focus.set_value(at);
    }

    /// Whether row `id` is on the page (false once the page is gone).
    pub fn is_shown(&self, id: u64) -> bool {
        self.shown
            .try_with_value(|s| s.contains(&id))
            .unwrap_or(false)
    }

    /// The rows now on the page, in order.
    pub fn set_shown(&self, ids: Vec<u64>) {
        self.shown.set_value(ids);
    }

    /// Where focus goes when the row that had it is gone (removed, or filtered out by a
    /// change): the row that took its place, else the one before, else the search. Does
    /// nothing if that row is still there or focus is somewhere else already.
    pub fn restore_focus(&self) {
        let Some(Some((id, at))) = self.last_focus.try_get_value() else {
            return;
        };
        let Some(shown) = self.shown.try_get_value() else {
            return;
        };
        let lost = match document().active_element() {
            None => true,
            Some(active) => {
                !active.is_connected()
                    || document()
                        .body()
                        .is_some_and(|body| active == *body.unchecked_ref::<web_sys::Element>())
            }
        };
        if shown.contains(&id) || !lost {
            return;
        }
        let target = shown
            .get(at)
            .or_else(|| at.checked_sub(1).and_then(|p| shown.get(p)))
            .copied();
        let moved = target.is_some_and(|t| {
            crate::focus::focus_selector(&format!("#services-panel [data-row-id='{t}'] a.name"))
        });
        if !moved {
            crate::focus::focus_selector("#service-search");
        }
        self.note_focus(target);
    }
}

/// Where "Back to services" goes: the last list view, with its group, search, filters and page.
#[derive(Clone, Copy)]
pub struct ListReturn(pub RwSignal<String>);
