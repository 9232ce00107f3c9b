//! The list's single-key shortcuts and the `?` overlay that lists them. Keys go through
//! [`Shortcuts::on_key`], so they honour the off switch, the embedded scope, modifier keys and
//! text fields; they also keep still while a modal dialog or an actions menu has the keyboard.
//! Rows are found in the DOM (`#services-panel [data-row-id]`), so the list's components need
//! no change: `j`/`k` move focus between the rows' name links (roving focus), `Enter` opens the
//! focused row, `.` opens its actions menu and `x` toggles its selection.
//!
//! The selection hook: `x` clicks the row's `[data-row-select]` element (the bulk-actions
//! checkbox gives itself that attribute); a row without one says "Selection is not available".

use super::dialog::Dialog;
use crate::announce::Announcer;
use crate::shortcuts::Shortcuts;
use leptos::prelude::*;
use stylers::style;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Every shortcut the overlay lists: the keys and what they do.
pub const SHORTCUTS: [(&str, &str); 7] = [
    ("/", "Search"),
    ("j", "Next service"),
    ("k", "Previous service"),
    ("Enter", "Open the focused service"),
    (".", "Actions menu of the focused service"),
    ("x", "Select or unselect the focused service"),
    ("?", "Show these shortcuts"),
];

/// The row `step` away from `current` among `count` rows, stopping at either end; with no
/// current row, `j` starts at the first and `k` at the last.
pub fn step_row(current: Option<usize>, count: usize, step: isize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    Some(match current {
        None if step >= 0 => 0,
        None => count - 1,
        Some(at) => at.saturating_add_signed(step).min(count - 1),
    })
}

fn rows() -> Vec<Element> {
    let Ok(list) = document().query_selector_all("#services-panel [data-row-id]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// The row holding focus, if any.
fn focused_row() -> Option<Element> {
    let active = document().active_element()?;
    active
        .closest("#services-panel [data-row-id]")
        .ok()
        .flatten()
}

fn part(row: &Element, css: &str) -> Option<HtmlElement> {
    row.query_selector(css)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

/// A modal dialog or an open menu owns the keys now.
fn keys_taken() -> bool {
    let open_modal = document()
        .query_selector("[aria-modal='true']")
        .ok()
        .flatten()
        .is_some();
    let in_menu = document()
        .active_element()
        .and_then(|a| a.closest("[role='menu']").ok().flatten())
        .is_some();
    open_modal || in_menu
}

fn move_focus(step: isize) {
    let rows = rows();
    let current = focused_row().and_then(|r| rows.iter().position(|x| *x == r));
    if let Some(next) = step_row(current, rows.len(), step) {
        if let Some(link) = part(&rows[next], "a.name") {
            let _ = link.focus();
            link.scroll_into_view_with_bool(false);
        }
    }
}

/// Registers the list's shortcuts and renders the button and the overlay that list them.
#[component]
pub fn ListShortcuts() -> impl IntoView {
    let styler_class = style! {
        dl {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: var(--pw-space-2) var(--pw-space-3);
            margin: 0 0 var(--pw-space-3) 0;
        }
        dt {
            text-align: right;
        }
        dd {
            margin: 0;
        }
        kbd {
            display: inline-block;
            min-width: 1.5rem;
            padding: 0 var(--pw-space-1);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: 4px;
            background: var(--pw-color-surface-2);
            color: var(--pw-color-text);
            font-family: monospace;
            text-align: center;
        }
        p {
            margin: 0 0 var(--pw-space-3) 0;
            color: var(--pw-color-text-muted);
            font-size: var(--pw-font-size-small);
        }
    };
    let open = RwSignal::new(false);
    let shortcuts = use_context::<Shortcuts>().unwrap_or_else(|| Shortcuts::new(None, true));
    let announcer = use_context::<Announcer>();
    let when_free = move |action: fn(&web_sys::KeyboardEvent)| {
        move |ev: &web_sys::KeyboardEvent| {
            if !keys_taken() {
                action(ev);
            }
        }
    };
    shortcuts.on_key("?", move |ev| {
        if !keys_taken() {
            ev.prevent_default();
            open.set(true);
        }
    });
    shortcuts.on_key(
        "j",
        when_free(|ev| {
            ev.prevent_default();
            move_focus(1);
        }),
    );
    shortcuts.on_key(
        "k",
        when_free(|ev| {
            ev.prevent_default();
            move_focus(-1);
        }),
    );
    // A link or button opens itself on Enter; elsewhere in a row (its schedule) Enter opens it.
    shortcuts.on_key(
        "Enter",
        when_free(|ev| {
            let on_control = document()
                .active_element()
                .and_then(|a| a.closest("a, button, [role='menuitem']").ok().flatten())
                .is_some();
            if let (false, Some(row)) = (on_control, focused_row()) {
                if let Some(link) = part(&row, "a.name") {
                    ev.prevent_default();
                    link.click();
                }
            }
        }),
    );
    shortcuts.on_key(
        ".",
        when_free(|ev| {
            if let Some(button) =
                focused_row().and_then(|row| part(&row, "[data-actions-for] button"))
            {
                ev.prevent_default();
                let _ = button.focus();
                button.click();
            }
        }),
    );
    shortcuts.on_key("x", move |ev| {
        if keys_taken() {
            return;
        }
        let Some(row) = focused_row() else {
            return;
        };
        ev.prevent_default();
        match part(&row, "[data-row-select]") {
            Some(select) => select.click(),
            None => {
                if let Some(announcer) = announcer {
                    announcer.say("Selection is not available in this list.");
                }
            }
        }
    });

    let keys = move || {
        SHORTCUTS
            .iter()
            .map(|(key, what)| {
                view! { class = styler_class,
                    <dt><kbd>{*key}</kbd></dt>
                    <dd>{*what}</dd>
                }
            })
            .collect_view()
    };
    let on_off = move || {
        if shortcuts.enabled.get() {
            "Shortcuts are on. They never act while you type in a field; turn them off with “Keyboard shortcuts” at the top of the page."
        } else {
            "Shortcuts are off; turn them on with “Keyboard shortcuts” at the top of the page."
        }
    };
    view! { class = styler_class,
        <button type="button" class="button" aria-keyshortcuts="?" on:click=move |_| open.set(true)>
            "Shortcuts"
        </button>
        <Show when=move || open.get()>
            <Dialog title="Keyboard shortcuts" on_cancel=move |_| open.set(false)>
                <dl>{keys()}</dl>
                <p>{on_off}</p>
                <div class="dialog-buttons">
                    <button type="button" class="button button-primary" on:click=move |_| open.set(false)>"Close"</button>
                </div>
            </Dialog>
        </Show>
    }
}
