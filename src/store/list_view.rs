use super::{GroupMeta, ServicesStore};
use leptos::prelude::*;
use services_model::{Facets, Hits, IndexPage, ListQuery, Page, Sort};

/// One view of a group's list (search, filters, sort, page), as memos over the store. Each memo
/// reads only what it depends on, so a keystroke searches once (narrowing the last result while
/// the words only grow), counts the facets once and slices a page; a sort or page change never
/// searches again, and the facets never follow the sort or the page.
#[derive(Clone, Copy)]
pub struct ListView {
    pub meta: Memo<GroupMeta>,
    /// The lower-cased search words, for highlighting.
    pub terms: Memo<Vec<String>>,
    pub facets: Memo<Facets>,
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
                ..ListQuery::default()
            })
        });
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
        let facets = Memo::new(move |_| {
            found.with(|found| {
                let Some(found) = found else {
                    return Facets::default();
                };
                filters.with(|f| {
                    store
                        .with_group(found.group, |d| d.index().facets(&found.hits, f))
                        .unwrap_or_default()
                })
            })
        });
        let order = Memo::new(move |_| {
            let g = group.get()?;
            revision.track();
            let sort: Sort = sort.get();
            store.with_group(g, |d| (g, d.index().order(sort)))
        });
        let matching = Memo::new(move |_| {
            order.with(|order| {
                found.with(|found| match (order, found) {
                    (Some((g, order)), Some(found)) if *g == found.group => filters.with(|f| {
                        store
                            .with_group(*g, |d| d.index().matching(order, &found.hits, f))
                            .unwrap_or_default()
                    }),
                    _ => Vec::new(),
                })
            })
        });
        let page = Memo::new(move |_| {
            let paging: Page = paging.get();
            matching.with(|m| services_model::SearchIndex::page(m, paging))
        });
        ListView {
            meta,
            terms,
            facets,
            matching,
            page,
        }
    }
}
