//! The services selected for a bulk action ([`services_model::Selection`] in a signal), given
//! to the list's page as context. Rows, the header checkbox, the bulk bar and keyboard shortcuts
//! (`x` on a focused row: [`BulkSelection::toggle_selected`]) change it only through here.

use leptos::prelude::*;
use services_model::{PageState, Selection};

#[derive(Clone, Copy)]
pub struct BulkSelection {
    selection: RwSignal<Selection>,
    /// The ids of the page shown, in order: where a Shift+click range is taken from.
    page: StoredValue<Vec<u64>>,
}

impl Default for BulkSelection {
    fn default() -> Self {
        Self::new()
    }
}

impl BulkSelection {
    pub fn new() -> BulkSelection {
        BulkSelection {
            selection: RwSignal::new(Selection::default()),
            page: StoredValue::new(Vec::new()),
        }
    }

    /// Whether `id` is selected (tracked).
    pub fn is_selected(&self, id: u64) -> bool {
        self.selection.with(|s| s.contains(id))
    }

    /// How many are selected (tracked).
    pub fn count(&self) -> usize {
        self.selection.with(Selection::len)
    }

    /// The selected ids, ascending (untracked: for an action).
    pub fn ids(&self) -> Vec<u64> {
        self.selection.with_untracked(Selection::ids)
    }

    /// Selects or unselects one service: the `x` shortcut on a focused row.
    pub fn toggle_selected(&self, id: u64) {
        self.selection.update(|s| s.toggle(id));
    }

    /// A click on a row's checkbox; with Shift, the range from the last one clicked.
    pub fn click(&self, id: u64, shift: bool) {
        let page = self.page.get_value();
        self.selection.update(|s| s.click(id, shift, &page));
    }

    /// The page now shown (the list keeps this up to date).
    pub fn set_page(&self, ids: Vec<u64>) {
        self.page.set_value(ids);
    }

    /// The header checkbox's state for `page` (tracked).
    pub fn page_state(&self, page: &[u64]) -> PageState {
        self.selection.with(|s| s.page_state(page))
    }

    pub fn toggle_page(&self) {
        let page = self.page.get_value();
        self.selection.update(|s| s.toggle_page(&page));
    }

    pub fn select_all(&self, matching: &[u64]) {
        self.selection.update(|s| s.select_all(matching));
    }

    /// Whether every one of `matching` is selected (tracked).
    pub fn covers(&self, matching: &[u64]) -> bool {
        self.selection.with(|s| s.covers(matching))
    }

    pub fn clear(&self) {
        self.selection.update(Selection::clear);
    }

    /// The group shown: another one empties the selection; how many were dropped.
    pub fn for_group(&self, group: Option<u64>) -> usize {
        let changed = self
            .selection
            .try_with_untracked(|s| s.group() != group)
            .unwrap_or(false);
        if !changed {
            return 0;
        }
        let mut dropped = 0;
        self.selection.try_update(|s| dropped = s.for_group(group));
        dropped
    }

    /// Keeps only services that still exist; how many left.
    pub fn retain(&self, exists: impl Fn(u64) -> bool) -> usize {
        let gone = self
            .selection
            .try_with_untracked(|s| s.ids().into_iter().filter(|id| !exists(*id)).count())
            .unwrap_or(0);
        if gone > 0 {
            self.selection.try_update(|s| s.retain(&exists));
        }
        gone
    }

    /// Drops these services (removed by a bulk action).
    pub fn remove_all(&self, ids: &[u64]) {
        self.selection.try_update(|s| s.remove_all(ids));
    }
}
