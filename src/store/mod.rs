//! The services store: the one place that holds the company groups and their services, and the
//! only part of the app that talks to the server (through [`crate::api`]). Pages and components
//! read from it and call its actions; they never fetch.
//!
//! - Each group's services are held once, in [`ListCache`] (plain Rust in `services-model`: the
//!   loads, optimistic edits, confirmations and rollbacks, and the search index built once per
//!   load). Every service shown also has a signal of its own ([`RowHandle`]), so a change to
//!   one service touches one row.
//! - Each group has a [`GroupMeta`] signal whose `revision` moves when its services change:
//!   the list's memos ([`ListView`]) follow it.
//! - Actions ([`actions`]) capture the group and service they start on; their answers are
//!   applied there, whatever the user looks at by then, and never touch a disposed signal.
//! - Where a group's services come from is [`source::GroupSource`].

mod actions;
mod bulk;
mod favourites;
mod list_view;
pub mod live;
mod row;
mod selection;
mod service;
pub mod source;
mod views;

pub use actions::CloneOutcome;
pub use bulk::{BulkFailure, BulkOutcome};
pub use favourites::Starred;
pub use list_view::ListView;
pub use row::RowHandle;
pub use selection::BulkSelection;
pub use service::DetailState;
pub use views::{SavedViews, ViewsState};

use crate::components::Toasts;
use crate::session::Session;
use leptos::prelude::*;
use services_model::{Changes, GroupData, GroupSummary, ListCache, ServiceList};
use std::collections::{HashMap, HashSet};

/// What the list needs to know of one group besides its services.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupMeta {
    /// Moves whenever the group's services, as shown, change.
    pub revision: u64,
    /// Whether its services have been loaded at least once.
    pub loaded: bool,
    pub size: usize,
    pub loading: bool,
    /// Why the last load failed, while it stays failed.
    pub error: Option<String>,
    /// Too large to hold: every view is asked of the server ([`source::Loaded::PerQuery`]).
    pub per_query: bool,
    /// Moves with every answer to a load of the group (a per-query list asks again then).
    pub loads: u64,
}

/// The server's answer for one view of a per-query group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RemotePage {
    pub group: u64,
    pub query: services_model::ListQuery,
    pub total: usize,
    pub facets: services_model::Facets,
    pub ids: Vec<u64>,
}

/// The company groups, once asked for.
pub type GroupsState = Option<Result<Vec<GroupSummary>, String>>;

#[derive(Clone, Copy)]
pub struct ServicesStore {
    session: Session,
    toasts: Toasts,
    cache: StoredValue<ListCache, LocalStorage>,
    rows: StoredValue<HashMap<u64, ArcRwSignal<services_model::ServiceSummary>>, LocalStorage>,
    metas: StoredValue<HashMap<u64, ArcRwSignal<GroupMeta>>, LocalStorage>,
    groups: RwSignal<GroupsState>,
    details: StoredValue<HashMap<u64, ArcRwSignal<DetailState>>, LocalStorage>,
    source: StoredValue<source::GroupSource, LocalStorage>,
    /// The ETag of each group's whole copy as last loaded: a load that answers the same one
    /// (the live stream's reload on connecting, a poll) changes nothing and is not decoded.
    etags: StoredValue<HashMap<u64, String>, LocalStorage>,
    /// Moves when the store is emptied for another user: answers to older requests are dropped.
    generation: StoredValue<u64>,
    /// Whether a group's or a service's first answer has been taken (and so drawn): start-up
    /// work that no first view needs waits for it.
    answered: RwSignal<bool>,
    live: live::LiveFeed,
}

impl ServicesStore {
    pub fn new(session: Session, toasts: Toasts) -> ServicesStore {
        ServicesStore {
            session,
            toasts,
            cache: StoredValue::new_local(ListCache::new()),
            rows: StoredValue::new_local(HashMap::new()),
            metas: StoredValue::new_local(HashMap::new()),
            groups: RwSignal::new(None),
            details: StoredValue::new_local(HashMap::new()),
            source: StoredValue::new_local(source::GroupSource::default()),
            etags: StoredValue::new_local(HashMap::new()),
            generation: StoredValue::new(0),
            answered: RwSignal::new(false),
            live: live::LiveFeed::new(),
        }
    }

    /// Forgets everything: another user (of perhaps another company) signs in.
    pub fn reset(&self) {
        self.generation.update_value(|g| *g += 1);
        self.cache.set_value(ListCache::new());
        self.rows.set_value(HashMap::new());
        self.metas.set_value(HashMap::new());
        self.details.set_value(HashMap::new());
        self.etags.set_value(HashMap::new());
        self.groups.set(None);
        self.live.forget();
    }

    fn generation(&self) -> Option<u64> {
        self.generation.try_get_value()
    }

    /// Whether an answer to a request made at `generation` still belongs here.
    fn current(&self, generation: Option<u64>) -> bool {
        generation.is_some() && self.generation() == generation
    }

    /// Whether a group's list or a service has answered since the app started (tracked).
    pub fn answered(&self) -> bool {
        self.answered.get()
    }

    fn mark_answered(&self) {
        if self.answered.try_get_untracked() == Some(false) {
            self.answered.set(true);
        }
    }

    /// The company's groups with their service counts (which follow clones and removals).
    pub fn groups(&self) -> ReadSignal<GroupsState> {
        self.groups.read_only()
    }

    /// The signal of one group's [`GroupMeta`], created on first use.
    pub fn meta(&self, group: u64) -> ArcRwSignal<GroupMeta> {
        self.metas
            .try_update_value(|m| m.entry(group).or_default().clone())
            .unwrap_or_default()
    }

    /// The row of a service the store holds. Rows are made when first asked for (the services
    /// shown), so a large group costs a signal only per service on screen.
    pub fn row(&self, id: u64) -> Option<RowHandle> {
        if let Some(summary) = self.rows.try_with_value(|rows| rows.get(&id).cloned())? {
            return Some(RowHandle { id, summary });
        }
        let summary = self
            .cache
            .try_with_value(|c| c.group_of(id).and_then(|g| c.shown(g, id)))??;
        let summary = ArcRwSignal::new(summary);
        self.rows
            .try_update_value(|rows| rows.insert(id, summary.clone()));
        Some(RowHandle { id, summary })
    }

    /// Reads a group's data (not reactively: track [`GroupMeta::revision`] for that).
    pub fn with_group<R>(&self, group: u64, read: impl FnOnce(&GroupData) -> R) -> Option<R> {
        self.cache
            .try_with_value(|c| c.group(group).map(read))
            .flatten()
    }

    /// Asks for the company's groups; what is shown stays while they load, but for an error,
    /// which gives way to "loading" again.
    pub fn load_groups(&self) {
        let store = *self;
        let client = self.session.client();
        let generation = self.generation();
        if self.groups.with_untracked(|g| matches!(g, Some(Err(_)))) {
            self.groups.set(None);
        }
        leptos::task::spawn_local(async move {
            let result = crate::api::company_groups(&client).await;
            if !store.current(generation) {
                return;
            }
            match result {
                Ok(list) => {
                    store.cache.try_update_value(|c| c.set_groups(list));
                    store.publish_groups();
                }
                Err(e) => {
                    store.session.check(&e);
                    store.groups.set(Some(Err(e.to_string())));
                }
            }
        });
    }

    /// Shows a group: what is held of it at once, and a fresh load behind it.
    pub fn open_group(&self, group: u64) {
        let loading = self.meta(group).try_with_untracked(|m| m.loading);
        if loading != Some(true) {
            self.load_group(group);
        }
    }

    /// Loads a group's services; the answer is applied to that group whenever it arrives.
    pub fn load_group(&self, group: u64) {
        let Some(ticket) = self.cache.try_update_value(|c| c.begin_load(group)) else {
            return;
        };
        let meta = self.meta(group);
        meta.update(|m| m.loading = true);
        let store = *self;
        let client = self.session.client();
        let source = self.source.get_value();
        let generation = self.generation();
        let held = self
            .etags
            .try_with_value(|e| e.get(&group).cloned())
            .flatten();
        leptos::task::spawn_local(async move {
            let result = source.fetch(&client, group, held).await;
            if !store.current(generation) {
                return;
            }
            match result {
                Ok(source::Loaded::Unchanged) => {
                    meta.update(|m| {
                        m.loading = false;
                        m.error = None;
                    });
                }
                Ok(source::Loaded::Whole(list, etag)) => {
                    store.etags.try_update_value(|e| match etag {
                        Some(etag) => e.insert(group, etag),
                        None => e.remove(&group),
                    });
                    meta.update(|m| {
                        m.loading = false;
                        m.error = None;
                        m.per_query = false;
                        m.loads += 1;
                    });
                    let changes = store
                        .cache
                        .try_update_value(|c| c.finish_load(ticket, list));
                    if let Some(changes) = changes {
                        store.apply(changes);
                    }
                }
                // The list asks for its view (`load_page`); the group counts as loaded once a
                // page has come.
                Ok(source::Loaded::PerQuery { count }) => {
                    store.etags.try_update_value(|e| e.remove(&group));
                    store
                        .cache
                        .try_update_value(|c| c.held_in_part(ticket, count));
                    let count = store
                        .cache
                        .try_with_value(|c| c.part_count(group))
                        .flatten()
                        .unwrap_or(count);
                    meta.update(|m| {
                        m.loading = false;
                        m.error = None;
                        m.per_query = true;
                        m.size = count as usize;
                        m.loads += 1;
                    });
                    store.publish_groups();
                }
                Err(e) => {
                    store.session.check(&e);
                    meta.update(|m| {
                        m.loading = false;
                        m.error = Some(e.to_string());
                    });
                }
            }
            store.mark_answered();
        });
    }

    /// Asks the server for one view of a per-query group. The page's services are held like a
    /// loaded group's (rows, actions); `done` gets the page, the total and the facets, unless
    /// the store was emptied meanwhile. A failure shows as the group's load error.
    pub fn load_page(
        &self,
        group: u64,
        query: services_model::ListQuery,
        done: impl FnOnce(RemotePage) + 'static,
    ) {
        let Some(ticket) = self.cache.try_update_value(|c| c.begin_load(group)) else {
            return;
        };
        let store = *self;
        let client = self.session.client();
        let generation = self.generation();
        let meta = self.meta(group);
        leptos::task::spawn_local(async move {
            let result = source::page(&client, group, &query).await;
            if !store.current(generation) {
                return;
            }
            match result {
                Ok(list) => {
                    let page = RemotePage {
                        group,
                        query,
                        total: list.total,
                        facets: list.facets.clone(),
                        ids: list.items.iter().map(|s| s.service.id).collect(),
                    };
                    meta.update(|m| m.error = None);
                    let changes = store
                        .cache
                        .try_update_value(|c| c.finish_page(ticket, list));
                    if let Some(changes) = changes {
                        store.apply(changes);
                    }
                    done(page);
                }
                Err(e) => {
                    store.session.check(&e);
                    meta.update(|m| m.error = Some(e.to_string()));
                }
            }
            store.mark_answered();
        });
    }

    /// Takes a group's services as if a load had just answered (what a load does, without the
    /// network; browser tests use it to give the list its data).
    pub fn receive(&self, list: ServiceList) {
        let group = list.group.id;
        let changes = self.cache.try_update_value(|c| {
            let ticket = c.begin_load(group);
            c.finish_load(ticket, list)
        });
        if let Some(changes) = changes {
            self.apply(changes);
        }
    }

    /// Brings the rows, the group's meta, the tab counts and open service pages in line with
    /// what a change did.
    fn apply(&self, changes: Changes) {
        let group = changes.group;
        // Only services with a row (once shown) or an open page need their new value. Those
        // are few; a group's first load adds thousands of services.
        let mut held: HashSet<u64> = self
            .rows
            .try_with_value(|r| r.keys().copied().collect())
            .unwrap_or_default();
        if let Some(details) = self
            .details
            .try_with_value(|d| d.keys().copied().collect::<Vec<_>>())
        {
            held.extend(details);
        }
        let watched: Vec<u64> = changes
            .updated
            .iter()
            .chain(&changes.added)
            .copied()
            .filter(|id| held.contains(id))
            .collect();
        for id in watched {
            let Some(Some(summary)) = self.cache.try_with_value(|c| c.shown(group, id)) else {
                continue;
            };
            if let Some(Some(row)) = self.rows.try_with_value(|r| r.get(&id).cloned()) {
                row.set(summary.clone());
            }
            self.sync_detail(id, &summary.service);
        }
        self.rows.try_update_value(|rows| {
            for id in &changes.removed {
                rows.remove(id);
            }
        });
        // A group held in part holds one page: its size is the server's count (and what was
        // cloned and removed here since).
        let size = self
            .cache
            .try_with_value(|c| c.part_count(group))
            .flatten()
            .map(|n| n as usize)
            .or_else(|| self.with_group(group, GroupData::len))
            .unwrap_or(0);
        self.meta(group).update(|m| {
            m.revision += 1;
            m.loaded = true;
            m.size = size;
        });
        self.publish_groups();
    }

    fn publish_groups(&self) {
        if let Some(Some(groups)) = self.cache.try_with_value(ListCache::groups) {
            let changed = self
                .groups
                .try_with_untracked(|g| g.as_ref().and_then(|g| g.as_ref().ok()) != Some(&groups))
                .unwrap_or(false);
            if changed {
                self.groups.set(Some(Ok(groups)));
            }
        }
    }
}
