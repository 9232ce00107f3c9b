use super::{GroupMeta, RemotePage, ServicesStore};
use leptos::prelude::*;
use services_model::{Facets, Hits, IndexPage, ListQuery, Page, Sort};

/// One view of a group's list (search, filters, sort, page), as memos over the store. Each memo
/// reads only what it depends on, so a keystroke searches once (narrowing the last result while
/// the words only grow), counts the facets once and slices a page; a sort or page change never
/// searches again, and the facets never follow the sort or the page.
///
/// A group too large to hold ([`GroupMeta::per_query`]) is asked of the server for every view
/// instead; the latest answer gives the page, the total and the facets, and answers to views the
/// user has already left are dropped.
#[derive(Clone, Copy)]
pub struct ListView {
    pub meta: Memo<GroupMeta>,
    /// The lower-cased search words, for highlighting.
    pub terms: Memo<Vec<String>>,
    /// The facet counts; `None` until they are wanted ([`ListView::want_facets`]): only the
    /// filter panel shows them, so a load draws its first rows before counting.
    pub facets: Memo<Option<Facets>>,
    facets_wanted: RwSignal<bool>,
    /// Every matching service in order: what pages and positions are taken from.
    pub matching: Memo<Vec<u64>>,
    /// The page shown: its ids, how many match, and how many pages there are.
    pub page: Memo<IndexPage>,
}

/// Search hits, with the version of the index they were found in.
#[derive(Clone, Debug, Default, PartialEq)]
struct Found {
    group: u64,
    revision: u64,
    hits: Hits,
}

impl ListView {
    pub fn new(
        store: ServicesStore,
        group: Signal<Option<u64>>,
        query: Signal<ListQuery>,
    ) -> ListView {
        let meta = Memo::new(move |_| match group.get() {
            Some(g) => store.meta(g).get(),
            None => GroupMeta::default(),
        });
        let revision = Memo::new(move |_| meta.with(|m| m.revision));
        let terms = Memo::new(move |_| query.with(ListQuery::search_terms));
        let filters = Memo::new(move |_| {
            query.with(|q| ListQuery {
                statuses: q.statuses.clone(),
                source_systems: q.source_systems.clone(),
                source_entities: q.source_entities.clone(),
                favourites: q.favourites,
                last_run_failed: q.last_run_failed,
                ..ListQuery::default()
            })
        });
        // The user's favourites (none without a `Starred` in context: component tests).
        let starred = use_context::<super::Starred>();
        let favourites = Signal::derive(move || starred.map(|s| s.ids().get()).unwrap_or_default());
        let sort = Memo::new(move |_| query.with(|q| q.sort));
        let paging = Memo::new(move |_| query.with(|q| q.page));

        let found = Memo::new(move |previous: Option<&Option<Found>>| {
            let g = group.get()?;
            let revision = revision.get();
            terms.with(|terms| {
                store.with_group(g, |data| {
                    let index = data.index();
                    let hits = match previous {
                        Some(Some(p)) if p.group == g && p.revision == revision => {
                            index.narrow(&p.hits, terms)
                        }
                        _ => index.search(terms),
                    };
                    Found {
                        group: g,
                        revision,
                        hits,
                    }
                })
            })
        });
        let per_query = Memo::new(move |_| meta.with(|m| m.per_query));
        let remote_all = remote_pages(store, group, query, meta, per_query);
        // Only an answer for the group shown (another per-query group's may still be held).
        let remote = Memo::new(move |_| {
            let g = group.get();
            remote_all.with(|r| r.clone().filter(|r| Some(r.group) == g))
        });
        let facets_wanted = RwSignal::new(false);
        let facets = Memo::new(move |_| {
            if !facets_wanted.get() {
                return None;
            }
            if per_query.get() {
                return Some(
                    remote.with(|r| r.as_ref().map(|r| r.facets.clone()).unwrap_or_default()),
                );
            }
            Some(found.with(|found| {
                let Some(found) = found else {
                    return Facets::default();
                };
                filters.with(|f| {
                    favourites.with(|fav| {
                        store
                            .with_group(found.group, |d| d.index().facets(&found.hits, f, fav))
                            .unwrap_or_default()
                    })
                })
            }))
        });
        // Rows first: the counts are wanted once the first rows have been painted (a frame,
        // then a task after it), or sooner if the panel opens.
        Effect::new(move |asked: Option<bool>| {
            if asked == Some(true) {
                return true;
            }
            if !meta.with(|m| m.loaded || m.error.is_some()) {
                return false;
            }
            request_animation_frame(move || {
                set_timeout(
                    move || {
                        facets_wanted.try_set(true);
                    },
                    std::time::Duration::ZERO,
                );
            });
            true
        });
        let order = Memo::new(move |_| {
            let g = group.get()?;
            revision.track();
            let sort: Sort = sort.get();
            store.with_group(g, |d| (g, d.index().order(sort)))
        });
        let matching = Memo::new(move |_| {
            if per_query.get() {
                return remote.with(|r| r.as_ref().map(|r| r.ids.clone()).unwrap_or_default());
            }
            order.with(|order| {
                found.with(|found| match (order, found) {
                    (Some((g, order)), Some(found)) if *g == found.group => filters.with(|f| {
                        favourites.with(|fav| {
                            store
                                .with_group(*g, |d| d.index().matching(order, &found.hits, f, fav))
                                .unwrap_or_default()
                        })
                    }),
                    _ => Vec::new(),
                })
            })
        });
        let page = Memo::new(move |_| {
            let paging: Page = paging.get();
            if per_query.get() {
                return remote
                    .with(|r| r.as_ref().map(|r| remote_index_page(r, paging)))
                    .unwrap_or_default();
            }
            matching.with(|m| services_model::SearchIndex::page(m, paging))
        });
        ListView {
            meta,
            terms,
            facets,
            facets_wanted,
            matching,
            page,
        }
    }

    /// Counts the facets now (the filter panel opens before the first rows were painted).
    pub fn want_facets(&self) {
        if self.facets_wanted.try_get_untracked() == Some(false) {
            self.facets_wanted.set(true);
        }
    }
}

/// The server's latest answer for the view shown, while the group is per-query: asked again when
/// the view changes and after every load of the group (a tab shown again, a retry).
fn remote_pages(
    store: ServicesStore,
    group: Signal<Option<u64>>,
    query: Signal<ListQuery>,
    meta: Memo<GroupMeta>,
    per_query: Memo<bool>,
) -> ReadSignal<Option<RemotePage>> {
    let (remote, set_remote) = signal(None::<RemotePage>);
    let loads = Memo::new(move |_| meta.with(|m| m.loads));
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (Some(g), true) = (group.get(), per_query.get()) else {
            return;
        };
        loads.track();
        let view = query.get();
        latest.update_value(|n| *n += 1);
        let asked = latest.get_value();
        store.load_page(g, view, move |page| {
            if latest.try_get_value() == Some(asked) {
                set_remote.try_set(Some(page));
            }
        });
    });
    remote
}

/// The page of a per-query answer, numbered as the local pages are.
fn remote_index_page(remote: &RemotePage, paging: Page) -> IndexPage {
    let size = paging.size.max(1) as usize;
    let page_count = remote.total.div_ceil(size).max(1) as u32;
    IndexPage {
        ids: remote.ids.clone(),
        total: remote.total,
        number: paging.number.clamp(1, page_count),
        page_count,
    }
}
