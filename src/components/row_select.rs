//! The selection's checkboxes: one per row, written into the row's HTML ([`checkbox_html`];
//! Shift+click selects the range from the last one clicked), and the page's header checkbox,
//! mixed while part of the page is selected. None without a [`BulkSelection`] in context or for
//! roles that may only look.

use crate::state::RowContext;
use crate::store::BulkSelection;
use leptos::prelude::*;
use services_model::PageState;
use stylers::style;

/// The selection, when there is one in context; the controls show while [`selecting`] is true.
fn selection() -> Option<BulkSelection> {
    use_context::<BulkSelection>()
}

/// Whether a selection exists at all (the app has one; a lone component may not): the table
/// then has a column for it, hidden while [`selecting`] is false.
pub fn has_selection() -> bool {
    selection().is_some()
}

/// Whether the selection UI shows (a role that may change services; the role is known once the
/// server has said who the user is, which may be after the rows are made).
pub fn selecting() -> Signal<bool> {
    let rows = use_context::<RowContext>();
    let present = selection().is_some();
    Signal::derive(move || present && rows.is_some_and(|r| r.can_manage()))
}

/// A row checkbox's scoped style (rows write theirs as HTML with this class).
// stylers' build collects only `let … = style! {…}` statements into the stylesheet.
#[allow(clippy::let_and_return)]
fn checkbox_style() -> &'static str {
    let class = style! {
        input {
            width: 1.125rem;
            height: 1.125rem;
            margin: 0;
            cursor: pointer;
            accent-color: var(--pw-color-accent);
        }
    };
    class
}

/// "Select all on this page", with its mixed state. `label` shows the text (cards) instead of
/// keeping it for screen readers only (the table's header cell).
#[component]
pub fn PageCheckbox(
    #[prop(into)] page: Signal<Vec<u64>>,
    #[prop(optional)] label: bool,
) -> impl IntoView {
    let styler_class = style! {
        label {
            display: inline-flex;
            align-items: center;
            gap: var(--pw-space-2);
            font-size: var(--pw-font-size-small);
            cursor: pointer;
        }
        input {
            width: 1.125rem;
            height: 1.125rem;
            margin: 0;
            cursor: pointer;
            accent-color: var(--pw-color-accent);
        }
    };
    let shown = selecting();
    let selection = selection()?;
    Some(move || {
        if !shown.get() {
            return None;
        }
        let state = Memo::new(move |_| page.with(|p| selection.page_state(p)));
        let text = if label {
            view! { class = styler_class, <span>"Select all on this page"</span> }.into_any()
        } else {
            view! { class = styler_class, <span class="visually-hidden">"Select all on this page"</span> }.into_any()
        };
        Some(view! { class = styler_class,
            <label>
                <input
                    type="checkbox"
                    data-select-page=""
                    prop:checked=move || state.get() == PageState::All
                    prop:indeterminate=move || state.get() == PageState::Some
                    on:click=move |_| selection.toggle_page()
                />
                {text}
            </label>
        })
    })
}

pub(crate) fn label(name: &str, id: u64) -> String {
    format!("Select {name} (ID {id})")
}

/// A row's checkbox as HTML (table row or card), unchecked and unlabelled (the row sets `checked`
/// and its [`label`], so a rename doesn't replace a focused checkbox), with no listener (the list
/// sends its clicks to [`BulkSelection::click`]; Shift+click selects the range from the last one
/// clicked).
pub(crate) fn checkbox_html(id: u64) -> String {
    format!(
        r#"<input type="checkbox" class="{}" data-select="{id}" data-row-select="">"#,
        checkbox_style()
    )
}
