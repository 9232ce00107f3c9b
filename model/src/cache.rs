//! What the SPA holds of the company groups between requests, and every way it changes: a load
//! arrives, a change is shown at once and then confirmed or rolled back, a service is cloned or
//! removed. Each change names the group it started in, so an answer that arrives after the user
//! moved to another group lands in its own; a load that was already on its way when a change was
//! confirmed does not undo it; and a load that arrives while a change is pending keeps showing
//! the change. The SPA's store wraps this in signals; this part is plain data, tested natively.

use crate::api::ServiceList;
use crate::index::SearchIndex;
use crate::service::{CompanyGroup, GroupSummary, ServiceDetail, ServiceSummary, Status};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};

/// A change to one service: shown before the server confirms it ([`ListCache::begin_edit`]),
/// or applied once it has ([`ListCache::applied`], a bulk action's result).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Status(Status),
    Alerts(bool),
}

impl Edit {
    fn apply(&self, summary: &mut ServiceSummary) {
        match self {
            Edit::Status(status) => summary.service.status = *status,
            Edit::Alerts(on) => summary.service.alerts_enabled = *on,
        }
    }
}

/// Names a load from its start, so its answer knows which changes happened meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadTicket {
    pub group: u64,
    started: u64,
}

/// Names a pending edit: the group and service it started on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditTicket {
    pub group: u64,
    pub id: u64,
    number: u64,
}

/// What a change did to one group's services as shown, so a view can touch just those rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub group: u64,
    /// Services whose shown value changed.
    pub updated: Vec<u64>,
    pub added: Vec<u64>,
    pub removed: Vec<u64>,
}

impl Changes {
    fn none(group: u64) -> Changes {
        Changes {
            group,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.updated.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// One group's services: what the server last said plus the changes it confirmed since (the
/// base), and the search index over them as shown (the base with pending edits on top).
#[derive(Clone, Debug)]
pub struct GroupData {
    pub group: CompanyGroup,
    base: Vec<ServiceSummary>,
    positions: FxHashMap<u64, usize>,
    /// Services changed (or created) here, and when: a load that started earlier keeps these.
    touched: HashMap<u64, u64>,
    /// Services removed here, and when.
    removed: HashMap<u64, u64>,
    /// When the load whose answer this is started.
    loaded_at: u64,
    index: SearchIndex,
}

impl GroupData {
    pub fn len(&self) -> usize {
        self.base.len()
    }

    pub fn is_empty(&self) -> bool {
        self.base.is_empty()
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The ids, in the order the server listed them (new ones last).
    pub fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.base.iter().map(|s| s.service.id)
    }

    fn base_of(&self, id: u64) -> Option<&ServiceSummary> {
        self.positions.get(&id).map(|p| &self.base[*p])
    }

    fn set_base(&mut self, base: Vec<ServiceSummary>) {
        self.positions = base
            .iter()
            .enumerate()
            .map(|(p, s)| (s.service.id, p))
            .collect();
        self.base = base;
    }
}

/// Every group the SPA has seen, and the edits waiting for the server.
#[derive(Clone, Debug, Default)]
pub struct ListCache {
    groups: Option<Vec<GroupSummary>>,
    data: HashMap<u64, GroupData>,
    pending: Vec<(EditTicket, Edit)>,
    clock: u64,
    next_edit: u64,
    /// Groups too large to hold whole (only a page of each is held): their service count as the
    /// server last gave it, followed by the clones and removals confirmed here, and when.
    in_part: HashMap<u64, PartCount>,
}

#[derive(Clone, Copy, Debug)]
struct PartCount {
    count: u64,
    at: u64,
}

impl ListCache {
    pub fn new() -> ListCache {
        ListCache::default()
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// The company's groups, their counts following what is held of each (clones, removals).
    pub fn groups(&self) -> Option<Vec<GroupSummary>> {
        let mut groups = self.groups.clone()?;
        for g in &mut groups {
            if let Some(part) = self.in_part.get(&g.group.id) {
                g.service_count = part.count;
            } else if let Some(data) = self.data.get(&g.group.id) {
                g.service_count = data.len() as u64;
            }
        }
        Some(groups)
    }

    /// The load of `ticket` found the group too large to hold: only pages of it will be held
    /// ([`ListCache::finish_page`]), and it has `count` services. A clone or removal confirmed
    /// here after the load started is newer than its count, which then stays.
    pub fn held_in_part(&mut self, ticket: LoadTicket, count: u64) {
        let newer = self
            .in_part
            .get(&ticket.group)
            .is_some_and(|p| p.at > ticket.started);
        if !newer {
            self.in_part.insert(
                ticket.group,
                PartCount {
                    count,
                    at: ticket.started,
                },
            );
        }
    }

    /// How many services a group held in part has (`None` for a group held whole or unknown).
    pub fn part_count(&self, group: u64) -> Option<u64> {
        self.in_part.get(&group).map(|p| p.count)
    }

    /// A page of a group held in part: held like a load's answer (rows, actions), while the
    /// group's count stays the server's, not the page's length.
    pub fn finish_page(&mut self, ticket: LoadTicket, page: ServiceList) -> Changes {
        let part = self.in_part.get(&ticket.group).copied();
        let changes = self.finish_load(ticket, page);
        if let Some(part) = part {
            self.in_part.insert(ticket.group, part);
        }
        changes
    }

    /// A clone (+1) or removal (-1) confirmed here, in a group held in part.
    fn count_part(&mut self, group: u64, delta: i64, at: u64) {
        if let Some(part) = self.in_part.get_mut(&group) {
            part.count = part.count.saturating_add_signed(delta);
            part.at = at;
        }
    }

    pub fn set_groups(&mut self, groups: Vec<GroupSummary>) {
        self.groups = Some(groups);
    }

    pub fn group(&self, group: u64) -> Option<&GroupData> {
        self.data.get(&group)
    }

    /// A service as shown: its base with any pending edits applied.
    pub fn shown(&self, group: u64, id: u64) -> Option<ServiceSummary> {
        let mut summary = self.data.get(&group)?.base_of(id)?.clone();
        for (ticket, edit) in &self.pending {
            if ticket.group == group && ticket.id == id {
                edit.apply(&mut summary);
            }
        }
        Some(summary)
    }

    /// Which group holds this service, if any loaded one does.
    pub fn group_of(&self, id: u64) -> Option<u64> {
        self.data
            .iter()
            .find(|(_, d)| d.positions.contains_key(&id))
            .map(|(g, _)| *g)
    }

    pub fn begin_load(&mut self, group: u64) -> LoadTicket {
        LoadTicket {
            group,
            started: self.tick(),
        }
    }

    /// A load's answer. What was confirmed here after the load started stays as it is here; an
    /// answer older than the one already held is dropped.
    pub fn finish_load(&mut self, ticket: LoadTicket, list: ServiceList) -> Changes {
        let group = ticket.group;
        if self
            .data
            .get(&group)
            .is_some_and(|d| d.loaded_at > ticket.started)
        {
            return Changes::none(group);
        }
        // The whole group arrived: its count is what is held again.
        self.in_part.remove(&group);
        let old = self.data.remove(&group);
        let mut items = list.items;
        if let Some(old) = &old {
            let newer = |at: Option<&u64>| at.is_some_and(|t| *t > ticket.started);
            items.retain(|s| !newer(old.removed.get(&s.service.id)));
            for item in &mut items {
                if newer(old.touched.get(&item.service.id)) {
                    if let Some(local) = old.base_of(item.service.id) {
                        *item = local.clone();
                    }
                }
            }
            let listed: HashSet<u64> = items.iter().map(|s| s.service.id).collect();
            for local in &old.base {
                let id = local.service.id;
                if newer(old.touched.get(&id)) && !listed.contains(&id) {
                    items.push(local.clone());
                }
            }
        }
        // What changed, by the base (pending edits apply the same on both sides).
        let mut changes = Changes::none(group);
        for s in &items {
            match old.as_ref().and_then(|o| o.base_of(s.service.id)) {
                None => changes.added.push(s.service.id),
                Some(before) if before != s => changes.updated.push(s.service.id),
                Some(_) => {}
            }
        }
        if let Some(old) = &old {
            let now: HashSet<u64> = items.iter().map(|s| s.service.id).collect();
            changes.removed = old.ids().filter(|id| !now.contains(id)).collect();
            changes.removed.sort_unstable();
        }
        let (touched, removed) = match old {
            Some(old) => (
                keep_after(old.touched, ticket.started),
                keep_after(old.removed, ticket.started),
            ),
            None => (HashMap::new(), HashMap::new()),
        };
        let mut data = GroupData {
            group: list.group,
            base: Vec::new(),
            positions: FxHashMap::default(),
            touched,
            removed,
            loaded_at: ticket.started,
            index: SearchIndex::new(items.iter().map(|s| &s.service)),
        };
        data.set_base(items);
        self.data.insert(group, data);
        // Pending edits show on top of the new base, in the index too.
        let edited: Vec<u64> = self
            .pending
            .iter()
            .filter(|(t, _)| t.group == group)
            .map(|(t, _)| t.id)
            .collect();
        for id in edited {
            if let Some(shown) = self.shown(group, id) {
                if let Some(data) = self.data.get_mut(&group) {
                    data.index.upsert(&shown.service);
                }
            }
        }
        changes
    }

    /// Re-reads one service as shown into the index, and says whether it changed.
    fn refresh(&mut self, group: u64, id: u64, before: Option<ServiceSummary>) -> Changes {
        let now = self.shown(group, id);
        let mut changes = Changes::none(group);
        if let Some(data) = self.data.get_mut(&group) {
            match &now {
                Some(s) => data.index.upsert(&s.service),
                None => data.index.remove(id),
            }
        }
        match (before, now) {
            (None, Some(_)) => changes.added.push(id),
            (Some(_), None) => changes.removed.push(id),
            (Some(a), Some(b)) if a != b => changes.updated.push(id),
            _ => {}
        }
        changes
    }

    /// Shows `edit` on a service at once. `None` if the group or service isn't held.
    pub fn begin_edit(&mut self, group: u64, id: u64, edit: Edit) -> Option<(EditTicket, Changes)> {
        let before = self.shown(group, id)?;
        self.next_edit += 1;
        let ticket = EditTicket {
            group,
            id,
            number: self.next_edit,
        };
        self.pending.push((ticket, edit));
        let changes = self.refresh(group, id, Some(before));
        Some((ticket, changes))
    }

    /// The server accepted the edit and answered with the service as it now is.
    pub fn confirm_edit(&mut self, ticket: EditTicket, saved: &ServiceDetail) -> Changes {
        let before = self.shown(ticket.group, ticket.id);
        self.pending.retain(|(t, _)| *t != ticket);
        self.store_saved(ticket.group, saved);
        self.refresh(ticket.group, ticket.id, before)
    }

    /// The server refused the edit: the service shows what it was (and any later edit).
    pub fn fail_edit(&mut self, ticket: EditTicket) -> Changes {
        let before = self.shown(ticket.group, ticket.id);
        self.pending.retain(|(t, _)| *t != ticket);
        self.refresh(ticket.group, ticket.id, before)
    }

    /// A change the server confirmed without an optimistic step (a rename, notes, alerts).
    pub fn saved(&mut self, saved: &ServiceDetail) -> Changes {
        let group = saved.service.group_id;
        let before = self.shown(group, saved.service.id);
        if before.is_none() {
            return Changes::none(group);
        }
        self.store_saved(group, saved);
        self.refresh(group, saved.service.id, before)
    }

    fn store_saved(&mut self, group: u64, saved: &ServiceDetail) {
        let at = self.tick();
        let Some(data) = self.data.get_mut(&group) else {
            return;
        };
        let Some(p) = data.positions.get(&saved.service.id).copied() else {
            return;
        };
        let base = &mut data.base[p];
        base.service = saved.service.clone();
        base.next_run_at = saved.next_run_at.clone();
        base.last_run = saved.last_run.clone();
        data.touched.insert(saved.service.id, at);
    }

    /// A change the server confirmed without answering with the service (a bulk action's
    /// result): applied to what is held, and kept by a load that started before it.
    pub fn applied(&mut self, group: u64, id: u64, edit: &Edit) -> Changes {
        let before = self.shown(group, id);
        let at = self.tick();
        let Some(data) = self.data.get_mut(&group) else {
            return Changes::none(group);
        };
        let Some(p) = data.positions.get(&id).copied() else {
            return Changes::none(group);
        };
        edit.apply(&mut data.base[p]);
        data.touched.insert(id, at);
        self.refresh(group, id, before)
    }

    /// A new service the server created in `group` (a clone).
    pub fn created(&mut self, created: &ServiceDetail) -> Changes {
        let group = created.service.group_id;
        let at = self.tick();
        let id = created.service.id;
        let Some(data) = self.data.get_mut(&group) else {
            return Changes::none(group);
        };
        if data.positions.contains_key(&id) {
            return Changes::none(group);
        }
        let mut base = std::mem::take(&mut data.base);
        base.push(summary_of(created));
        data.set_base(base);
        data.touched.insert(id, at);
        self.count_part(group, 1, at);
        self.refresh(group, id, None)
    }

    /// The server removed the service.
    pub fn removed(&mut self, group: u64, id: u64) -> Changes {
        let before = self.shown(group, id);
        let at = self.tick();
        let Some(data) = self.data.get_mut(&group) else {
            return Changes::none(group);
        };
        // Counted once, whether the page held it or not (a removal elsewhere, then its event).
        let first = data.removed.insert(id, at).is_none();
        data.touched.remove(&id);
        if data.positions.contains_key(&id) {
            let mut base = std::mem::take(&mut data.base);
            base.retain(|s| s.service.id != id);
            data.set_base(base);
        }
        self.pending.retain(|(t, _)| t.id != id);
        if first {
            self.count_part(group, -1, at);
        }
        self.refresh(group, id, before)
    }

    /// The edits still waiting for the server.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}

fn keep_after(map: HashMap<u64, u64>, started: u64) -> HashMap<u64, u64> {
    map.into_iter().filter(|(_, at)| *at > started).collect()
}

/// A service's row in the list, from its detail.
pub fn summary_of(detail: &ServiceDetail) -> ServiceSummary {
    ServiceSummary {
        service: detail.service.clone(),
        last_run: detail.last_run.clone(),
        next_run_at: detail.next_run_at.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Facets;
    use crate::service::{AlertSettings, Service};

    fn service(id: u64, group: u64, status: Status) -> Service {
        Service {
            group_id: group,
            ..crate::fixtures::service(id, &format!("Service {id}"), status, "Shopify", "orders")
        }
    }

    fn summary(id: u64, group: u64, status: Status) -> ServiceSummary {
        ServiceSummary {
            service: service(id, group, status),
            last_run: None,
            next_run_at: None,
        }
    }

    fn detail(service: Service) -> ServiceDetail {
        ServiceDetail {
            service,
            notes: String::new(),
            alerts: AlertSettings {
                enabled: false,
                notification_group_id: None,
            },
            last_run: None,
            next_run_at: None,
        }
    }

    fn list(group: u64, items: Vec<ServiceSummary>) -> ServiceList {
        ServiceList {
            group: CompanyGroup {
                id: group,
                name: format!("Group {group}"),
            },
            total: items.len(),
            facets: Facets::default(),
            items,
        }
    }

    /// Groups 1 (services 1–3, all active) and 2 (services 11–12), loaded.
    fn loaded() -> ListCache {
        let mut cache = ListCache::new();
        cache.set_groups(
            [(1, 3), (2, 2)]
                .into_iter()
                .map(|(id, count)| GroupSummary {
                    group: CompanyGroup {
                        id,
                        name: format!("Group {id}"),
                    },
                    service_count: count,
                })
                .collect(),
        );
        for (group, ids) in [(1, vec![1, 2, 3]), (2, vec![11, 12])] {
            let ticket = cache.begin_load(group);
            let items = ids
                .iter()
                .map(|id| summary(*id, group, Status::Active))
                .collect();
            let changes = cache.finish_load(ticket, list(group, items));
            assert_eq!(changes.added, ids);
        }
        cache
    }

    fn status(cache: &ListCache, group: u64, id: u64) -> Option<Status> {
        cache.shown(group, id).map(|s| s.service.status)
    }

    fn counts(cache: &ListCache) -> Vec<u64> {
        cache
            .groups()
            .unwrap()
            .iter()
            .map(|g| g.service_count)
            .collect()
    }

    #[test]
    fn an_edit_shows_at_once_and_the_confirmation_keeps_it() {
        let mut cache = loaded();
        let (ticket, changes) = cache
            .begin_edit(1, 2, Edit::Status(Status::Inactive))
            .unwrap();
        assert_eq!(changes.updated, vec![2]);
        assert_eq!(status(&cache, 1, 2), Some(Status::Inactive));
        let mut saved = service(2, 1, Status::Inactive);
        saved.updated_at = "2026-02-01T00:00:00Z".into();
        let changes = cache.confirm_edit(ticket, &detail(saved));
        assert_eq!(changes.updated, vec![2], "updated_at changed");
        assert_eq!(status(&cache, 1, 2), Some(Status::Inactive));
        assert_eq!(cache.pending(), 0);
    }

    #[test]
    fn a_refused_edit_rolls_back_in_the_group_it_started_in() {
        let mut cache = loaded();
        let (ticket, _) = cache
            .begin_edit(1, 2, Edit::Status(Status::Inactive))
            .unwrap();
        // The user moved to group 2 meanwhile; nothing here knows or cares.
        let changes = cache.fail_edit(ticket);
        assert_eq!((changes.group, changes.updated), (1, vec![2]));
        assert_eq!(status(&cache, 1, 2), Some(Status::Active));
    }

    #[test]
    fn a_clone_lands_in_its_own_group_and_the_counts_follow() {
        let mut cache = loaded();
        let changes = cache.created(&detail(service(4, 1, Status::Inactive)));
        assert_eq!((changes.group, changes.added), (1, vec![4]));
        assert!(cache.shown(2, 4).is_none());
        assert_eq!(counts(&cache), vec![4, 2]);
        let changes = cache.removed(2, 12);
        assert_eq!(changes.removed, vec![12]);
        assert_eq!(counts(&cache), vec![4, 1]);
        assert_eq!(cache.group_of(4), Some(1));
    }

    #[test]
    fn a_load_that_arrives_during_an_edit_keeps_showing_the_edit() {
        let mut cache = loaded();
        let (ticket, _) = cache
            .begin_edit(1, 2, Edit::Status(Status::Inactive))
            .unwrap();
        // The server answered the reload before it saw the change.
        let load = cache.begin_load(1);
        let items = (1..=3).map(|id| summary(id, 1, Status::Active)).collect();
        let changes = cache.finish_load(load, list(1, items));
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(status(&cache, 1, 2), Some(Status::Inactive));
        cache.confirm_edit(ticket, &detail(service(2, 1, Status::Inactive)));
        assert_eq!(status(&cache, 1, 2), Some(Status::Inactive));
    }

    #[test]
    fn a_load_started_before_a_confirmed_change_does_not_undo_it() {
        let mut cache = loaded();
        let load = cache.begin_load(1);
        let (ticket, _) = cache
            .begin_edit(1, 2, Edit::Status(Status::Inactive))
            .unwrap();
        cache.confirm_edit(ticket, &detail(service(2, 1, Status::Inactive)));
        cache.created(&detail(service(4, 1, Status::Inactive)));
        cache.removed(1, 3);
        // The load's answer was read before all three.
        let items = (1..=3).map(|id| summary(id, 1, Status::Active)).collect();
        cache.finish_load(load, list(1, items));
        assert_eq!(status(&cache, 1, 2), Some(Status::Inactive));
        assert!(cache.shown(1, 4).is_some(), "the clone stays");
        assert!(cache.shown(1, 3).is_none(), "the removed one stays gone");
        assert_eq!(counts(&cache), vec![3, 2]);

        // A load that started afterwards is the truth, whatever it says.
        let later = cache.begin_load(1);
        let items = vec![
            summary(1, 1, Status::Inactive),
            summary(3, 1, Status::Active),
        ];
        let changes = cache.finish_load(later, list(1, items));
        assert_eq!(changes.updated, vec![1]);
        assert_eq!(changes.added, vec![3]);
        assert_eq!(changes.removed, vec![2, 4]);
        assert_eq!(status(&cache, 1, 1), Some(Status::Inactive));
    }

    #[test]
    fn a_confirmed_bulk_change_shows_and_outlives_an_older_load() {
        let mut cache = loaded();
        let older = cache.begin_load(1);
        let changes = cache.applied(1, 3, &Edit::Alerts(true));
        assert_eq!(changes.updated, vec![3]);
        assert!(cache.shown(1, 3).unwrap().service.alerts_enabled);
        cache.applied(1, 3, &Edit::Status(Status::Inactive));
        let items = vec![summary(1, 1, Status::Active), summary(3, 1, Status::Active)];
        cache.finish_load(older, list(1, items));
        assert_eq!(status(&cache, 1, 3), Some(Status::Inactive));
        assert!(cache.applied(1, 99, &Edit::Alerts(true)).is_empty());
        assert!(cache.applied(7, 3, &Edit::Alerts(true)).is_empty());
    }

    #[test]
    fn the_index_follows_what_is_shown() {
        let mut cache = loaded();
        let inactive = crate::query::ListQuery::from_query("status=inactive");
        let matching = |cache: &ListCache| {
            let index = cache.group(1).unwrap().index();
            index.matching(
                &index.order(inactive.sort),
                &index.search(&inactive.search_terms()),
                &inactive,
                &crate::query::Favourites::new(),
            )
        };
        assert!(matching(&cache).is_empty());
        let (ticket, _) = cache
            .begin_edit(1, 3, Edit::Status(Status::Inactive))
            .unwrap();
        assert_eq!(matching(&cache), vec![3]);
        cache.fail_edit(ticket);
        assert!(matching(&cache).is_empty());
    }

    #[test]
    fn an_answer_older_than_the_one_held_is_dropped() {
        let mut cache = loaded();
        let first = cache.begin_load(2);
        let second = cache.begin_load(2);
        cache.finish_load(second, list(2, vec![summary(11, 2, Status::Inactive)]));
        let changes = cache.finish_load(first, list(2, vec![summary(11, 2, Status::Active)]));
        assert!(changes.is_empty());
        assert_eq!(status(&cache, 2, 11), Some(Status::Inactive));
        assert!(cache.shown(2, 12).is_none());
    }

    #[test]
    fn a_group_held_in_part_counts_the_servers_total_not_the_page() {
        let mut cache = loaded();
        // Group 2 is too large to hold: 120 services, of which a page of two is held.
        let load = cache.begin_load(2);
        cache.held_in_part(load, 120);
        let page = cache.begin_load(2);
        cache.finish_page(page, list(2, vec![summary(11, 2, Status::Active)]));
        assert_eq!(counts(&cache), vec![3, 120]);
        assert_eq!(cache.part_count(2), Some(120));
        // Another view (a search, a filter, the next page): still the group's count.
        let page = cache.begin_load(2);
        cache.finish_page(page, list(2, vec![]));
        assert_eq!(counts(&cache), vec![3, 120]);
        let page = cache.begin_load(2);
        let items = vec![
            summary(11, 2, Status::Active),
            summary(12, 2, Status::Active),
        ];
        cache.finish_page(page, list(2, items));
        assert_eq!(counts(&cache), vec![3, 120]);

        // A lean answer that started before the clone and removals below is older than them.
        let stale = cache.begin_load(2);
        cache.created(&detail(service(13, 2, Status::Inactive)));
        assert_eq!(counts(&cache), vec![3, 121]);
        cache.removed(2, 11);
        // Removed elsewhere, off the page held; then its event says so again.
        cache.removed(2, 500);
        cache.removed(2, 500);
        cache.removed(2, 11);
        assert_eq!(counts(&cache), vec![3, 119]);
        cache.held_in_part(stale, 121);
        assert_eq!(counts(&cache), vec![3, 119]);
        // A later one is the truth.
        let later = cache.begin_load(2);
        cache.held_in_part(later, 118);
        assert_eq!(counts(&cache), vec![3, 118]);

        // The group shrank below the limit: held whole, its count is what is held again.
        let whole = cache.begin_load(2);
        cache.finish_load(whole, list(2, vec![summary(12, 2, Status::Active)]));
        assert_eq!(counts(&cache), vec![3, 1]);
        assert_eq!(cache.part_count(2), None);
    }

    #[test]
    fn edits_of_services_that_are_not_held_do_nothing() {
        let mut cache = loaded();
        assert!(cache
            .begin_edit(1, 99, Edit::Status(Status::Inactive))
            .is_none());
        assert!(cache
            .begin_edit(7, 1, Edit::Status(Status::Inactive))
            .is_none());
        assert!(cache
            .saved(&detail(service(99, 1, Status::Active)))
            .is_empty());
        assert!(cache
            .created(&detail(service(5, 7, Status::Active)))
            .is_empty());
    }
}
