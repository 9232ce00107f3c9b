//! Keyboard focus helpers for modal surfaces (dialogs, the filter sheet).

use leptos::prelude::Callback;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex='0']";

/// The focusable controls inside `root`, in document order.
pub fn focusables(root: &Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Keeps Tab and Shift+Tab inside `root`, wrapping at either end.
pub fn trap_tab(ev: &KeyboardEvent, root: &Element) {
    if ev.key() != "Tab" {
        return;
    }
    let items = focusables(root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = leptos::prelude::document().active_element();
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    let at = |el: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<Element>())
    };
    if ev.shift_key() && (at(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// Focuses the first element matching `selector`, if any.
pub fn focus_selector(selector: &str) -> bool {
    leptos::prelude::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .is_some_and(|e| e.focus().is_ok())
}

/// Where a WAI-ARIA tablist's focus goes for a key: ←/→ wrap, Home and End jump. `None` for any
/// other key (or an empty list), which the tablist leaves alone.
pub fn tab_key_target(key: &str, current: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    match key {
        "ArrowRight" => Some((current + 1) % count),
        "ArrowLeft" => Some((current + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}

/// Where focus goes when a dialog closes and the control that opened it has gone meanwhile
/// (its row was removed, or left the filtered list). A page provides it as context.
#[derive(Clone, Copy)]
pub struct FocusFallback(pub Callback<()>);
