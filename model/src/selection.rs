//! Which services the user has selected for a bulk action, and how clicks change that: a
//! checkbox per row, Shift+click for a range of the page, the page's header checkbox (with its
//! mixed state), and "select all N matching". Plain data, tested without a DOM; the SPA keeps
//! one in a signal.
//!
//! The selection belongs to one group: it survives paging, sorting and filtering (rows hidden by
//! a filter stay selected and are counted), is emptied when the group changes, and loses services
//! that no longer exist ([`Selection::retain`]).

use std::collections::BTreeSet;

/// The header checkbox of a page: none, some or all of its rows selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageState {
    None,
    Some,
    All,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    group: Option<u64>,
    ids: BTreeSet<u64>,
    /// The row last clicked without Shift: where a Shift+click range starts.
    anchor: Option<u64>,
}

impl Selection {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: u64) -> bool {
        self.ids.contains(&id)
    }

    pub fn group(&self) -> Option<u64> {
        self.group
    }

    /// The selected ids, ascending.
    pub fn ids(&self) -> Vec<u64> {
        self.ids.iter().copied().collect()
    }

    /// The group the selection belongs to. Another group empties it; returns how many
    /// services were dropped so.
    pub fn for_group(&mut self, group: Option<u64>) -> usize {
        if self.group == group {
            return 0;
        }
        let dropped = self.ids.len();
        *self = Selection {
            group,
            ..Selection::default()
        };
        dropped
    }

    /// Selects or unselects one service (a checkbox, or `x` on a focused row).
    pub fn toggle(&mut self, id: u64) {
        if !self.ids.remove(&id) {
            self.ids.insert(id);
        }
        self.anchor = Some(id);
    }

    /// A click on `id`'s checkbox; with Shift, every row of `page` from the last clicked one
    /// to this one takes the state this one gets. Without an anchor on the page it toggles one.
    pub fn click(&mut self, id: u64, shift: bool, page: &[u64]) {
        let range = shift
            .then(|| {
                let from = page.iter().position(|x| Some(*x) == self.anchor)?;
                let to = page.iter().position(|x| *x == id)?;
                Some(&page[from.min(to)..=from.max(to)])
            })
            .flatten();
        match range {
            Some(rows) => {
                let select = !self.ids.contains(&id);
                for row in rows {
                    if select {
                        self.ids.insert(*row);
                    } else {
                        self.ids.remove(row);
                    }
                }
                self.anchor = Some(id);
            }
            None => self.toggle(id),
        }
    }

    pub fn page_state(&self, page: &[u64]) -> PageState {
        let selected = page.iter().filter(|id| self.ids.contains(id)).count();
        match selected {
            0 => PageState::None,
            n if n == page.len() => PageState::All,
            _ => PageState::Some,
        }
    }

    /// The header checkbox: selects the whole page, or, when all of it is selected, unselects it.
    pub fn toggle_page(&mut self, page: &[u64]) {
        if self.page_state(page) == PageState::All {
            for id in page {
                self.ids.remove(id);
            }
        } else {
            self.ids.extend(page.iter().copied());
        }
    }

    /// "Select all N matching": every service the search and filters match, on every page.
    pub fn select_all(&mut self, matching: &[u64]) {
        self.ids.extend(matching.iter().copied());
    }

    /// Whether every one of `matching` is selected (and there is at least one).
    pub fn covers(&self, matching: &[u64]) -> bool {
        !matching.is_empty() && matching.iter().all(|id| self.ids.contains(id))
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }

    /// Keeps only the services `exists` says are still there; returns how many left.
    pub fn retain(&mut self, exists: impl Fn(u64) -> bool) -> usize {
        let before = self.ids.len();
        self.ids.retain(|id| exists(*id));
        if self.anchor.is_some_and(|a| !exists(a)) {
            self.anchor = None;
        }
        before - self.ids.len()
    }

    /// Drops these services (a bulk removal that succeeded).
    pub fn remove_all(&mut self, ids: &[u64]) {
        for id in ids {
            self.ids.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: [u64; 6] = [10, 11, 12, 13, 14, 15];

    fn selected(s: &Selection) -> Vec<u64> {
        s.ids()
    }

    #[test]
    fn a_click_toggles_one_and_shift_click_selects_the_range_from_the_last_click() {
        let mut s = Selection::default();
        s.click(11, false, &PAGE);
        assert_eq!(selected(&s), vec![11]);
        s.click(14, true, &PAGE);
        assert_eq!(selected(&s), vec![11, 12, 13, 14]);
        // Backwards, from the new anchor (14) to 10.
        s.click(10, true, &PAGE);
        assert_eq!(selected(&s), vec![10, 11, 12, 13, 14]);
        // A Shift+click on a selected row unselects the range.
        s.click(12, false, &PAGE);
        assert_eq!(selected(&s), vec![10, 11, 13, 14]);
        s.click(14, true, &PAGE);
        assert_eq!(selected(&s), vec![10, 11]);
    }

    #[test]
    fn shift_click_without_an_anchor_on_the_page_toggles_one() {
        let mut s = Selection::default();
        s.click(99, false, &[99, 100]);
        s.click(12, true, &PAGE);
        assert_eq!(selected(&s), vec![12, 99]);
    }

    #[test]
    fn the_header_checkbox_is_mixed_until_the_whole_page_is_selected() {
        let mut s = Selection::default();
        assert_eq!(s.page_state(&PAGE), PageState::None);
        s.toggle(13);
        assert_eq!(s.page_state(&PAGE), PageState::Some);
        s.toggle_page(&PAGE);
        assert_eq!(s.page_state(&PAGE), PageState::All);
        assert_eq!(s.len(), 6);
        s.toggle(99);
        s.toggle_page(&PAGE);
        assert_eq!(s.page_state(&PAGE), PageState::None);
        assert_eq!(selected(&s), vec![99], "other pages' rows stay selected");
        assert_eq!(s.page_state(&[]), PageState::None);
    }

    #[test]
    fn select_all_matching_reaches_beyond_the_page_and_paging_keeps_it() {
        let mut s = Selection::default();
        s.for_group(Some(1));
        let matching: Vec<u64> = (1..=120).collect();
        assert!(!s.covers(&matching));
        s.select_all(&matching);
        assert_eq!(s.len(), 120);
        assert!(s.covers(&matching));
        assert!(!s.covers(&[]));
        // Paging, sorting and filtering change what is shown, not the selection.
        assert_eq!(s.page_state(&matching[50..100]), PageState::All);
        assert_eq!(s.for_group(Some(1)), 0);
        assert_eq!(s.len(), 120);
    }

    #[test]
    fn another_group_empties_it_and_removed_services_leave_it() {
        let mut s = Selection::default();
        s.for_group(Some(1));
        s.select_all(&[1, 2, 3, 4]);
        s.click(3, false, &[1, 2, 3, 4]);
        s.click(3, false, &[1, 2, 3, 4]);
        assert_eq!(s.retain(|id| id != 3 && id != 4), 2);
        assert_eq!(selected(&s), vec![1, 2]);
        // The anchor went with its row: Shift+click now toggles one.
        s.click(1, true, &[1, 2]);
        assert_eq!(selected(&s), vec![2]);
        s.remove_all(&[2]);
        assert!(s.is_empty());
        s.select_all(&[5, 6]);
        assert_eq!(s.for_group(Some(2)), 2);
        assert!(s.is_empty());
        s.toggle(7);
        s.clear();
        assert!(s.is_empty());
    }
}
