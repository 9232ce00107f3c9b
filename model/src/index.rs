//! A group's services prepared once for the list: lower-cased search text, interned filter values
//! and sort keys. Each keystroke then costs one pass over the prepared text (less when the new
//! search only narrows the last one), and filters, facet counts, sorting and paging work on
//! positions. It answers exactly as [`ListQuery`] does on a slice of services; a property test
//! holds the two to that.

use crate::query::{FacetCount, Facets, Favourites, ListQuery, Page, Sort, SortDirection, SortKey};
use crate::service::{Service, ServiceType, Status};
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// One service as the index sees it.
#[derive(Clone, Debug)]
struct Entry {
    id: u64,
    kind: ServiceType,
    name: String,
    status: Status,
    system: u32,
    entity: u32,
    /// Whether the latest run failed.
    failed: bool,
    /// When the latest run finished, started or was queued (RFC 3339 UTC).
    last_run_at: Option<String>,
}

/// What a search reads of one service.
#[derive(Clone, Debug)]
struct SearchText {
    /// `"{id}\n{type}\n{name, lower-cased}"`. A search word never contains `\n` (words are split
    /// on whitespace), so it occurs in this text exactly when it occurs in one of the three.
    text: String,
    /// Where the lower-cased name starts in `text`.
    name_at: usize,
}

impl SearchText {
    fn of(entry: &Entry) -> SearchText {
        let mut text = format!("{}\n{}\n", entry.id, entry.kind.as_str());
        let name_at = text.len();
        text.push_str(&entry.name.to_lowercase());
        SearchText { text, name_at }
    }

    fn lower_name(&self) -> &str {
        &self.text[self.name_at..]
    }
}

/// Interned strings: each distinct value once, numbered in the order first seen, with how many
/// services use it (a value no service uses any more is not offered as a filter).
#[derive(Clone, Debug, Default)]
struct Values {
    names: Vec<String>,
    numbers: FxHashMap<String, u32>,
    uses: Vec<usize>,
}

impl Values {
    /// The value's number, counting one more use of it.
    fn take(&mut self, value: &str) -> u32 {
        let n = match self.numbers.get(value) {
            Some(n) => *n,
            None => {
                let n = self.names.len() as u32;
                self.names.push(value.to_string());
                self.numbers.insert(value.to_string(), n);
                self.uses.push(0);
                n
            }
        };
        self.uses[n as usize] += 1;
        n
    }

    fn release(&mut self, n: u32) {
        self.uses[n as usize] -= 1;
    }

    fn name(&self, n: u32) -> &str {
        &self.names[n as usize]
    }

    /// Each value in use with its count, plus every `selected` value (0 when unused), sorted.
    fn counted(&self, counts: &[usize], selected: &BTreeSet<String>) -> Vec<FacetCount> {
        let mut all: BTreeMap<&str, usize> = selected.iter().map(|v| (v.as_str(), 0)).collect();
        for (n, name) in self.names.iter().enumerate() {
            if self.uses[n] > 0 {
                all.insert(name, counts[n]);
            }
        }
        all.into_iter()
            .map(|(value, count)| FacetCount {
                value: value.to_string(),
                count,
            })
            .collect()
    }
}

/// The services of one group, ready to be searched. Positions (`u32`) name services inside one
/// version of the index; they change when services are added or removed.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// The lower-cased search text of each entry, made when a search or the name sort first
    /// needs it (the first rows of a load need neither), and kept in step from then on.
    texts: OnceCell<Vec<SearchText>>,
    positions: FxHashMap<u64, u32>,
    systems: Values,
    entities: Values,
}

/// The services that match a search, as positions in ascending order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    /// The lower-cased words searched for.
    pub terms: Vec<String>,
    positions: Vec<u32>,
    /// One bit per position of the index: whether it matched.
    bits: Vec<u64>,
}

impl Hits {
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    fn contains(&self, position: u32) -> bool {
        let (word, bit) = (position as usize / 64, position % 64);
        self.bits.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Every position of an index of `size` services (no search words): no per-service check.
    fn all(size: usize) -> Hits {
        let mut bits = vec![u64::MAX; size.div_ceil(64)];
        if let Some(last) = bits.last_mut() {
            if !size.is_multiple_of(64) {
                *last = (1u64 << (size % 64)) - 1;
            }
        }
        Hits {
            terms: Vec::new(),
            positions: (0..size as u32).collect(),
            bits,
        }
    }

    fn from_positions(terms: Vec<String>, positions: Vec<u32>, size: usize) -> Hits {
        let mut bits = vec![0u64; size.div_ceil(64)];
        for p in &positions {
            bits[*p as usize / 64] |= 1 << (p % 64);
        }
        Hits {
            terms,
            positions,
            bits,
        }
    }
}

/// One page of the matching services, by id, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexPage {
    pub ids: Vec<u64>,
    /// How many services match, over all pages.
    pub total: usize,
    /// The page shown: the requested one, or the last if the request ran past the end.
    pub number: u32,
    pub page_count: u32,
}

impl SearchIndex {
    pub fn new<'a>(services: impl IntoIterator<Item = &'a Service>) -> SearchIndex {
        let services = services.into_iter();
        let mut index = SearchIndex::default();
        index.entries.reserve(services.size_hint().0);
        index.positions.reserve(services.size_hint().0);
        for service in services {
            index.upsert(service);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, id: u64) -> bool {
        self.positions.contains_key(&id)
    }

    /// Adds a service, or brings its entry up to date.
    pub fn upsert(&mut self, service: &Service) {
        let entry = self.entry(service);
        let text = self.texts.get().map(|_| SearchText::of(&entry));
        match self.positions.get(&service.id).copied() {
            Some(at) => {
                let old = std::mem::replace(&mut self.entries[at as usize], entry);
                self.systems.release(old.system);
                self.entities.release(old.entity);
                if let (Some(texts), Some(text)) = (self.texts.get_mut(), text) {
                    texts[at as usize] = text;
                }
            }
            None => {
                self.positions.insert(service.id, self.entries.len() as u32);
                self.entries.push(entry);
                if let (Some(texts), Some(text)) = (self.texts.get_mut(), text) {
                    texts.push(text);
                }
            }
        }
    }

    pub fn remove(&mut self, id: u64) {
        let Some(at) = self.positions.remove(&id) else {
            return;
        };
        let old = self.entries.remove(at as usize);
        if let Some(texts) = self.texts.get_mut() {
            texts.remove(at as usize);
        }
        self.systems.release(old.system);
        self.entities.release(old.entity);
        for (p, entry) in self.entries.iter().enumerate().skip(at as usize) {
            self.positions.insert(entry.id, p as u32);
        }
    }

    fn entry(&mut self, service: &Service) -> Entry {
        Entry {
            id: service.id,
            kind: service.service_type,
            name: service.name.clone(),
            status: service.status,
            system: self.systems.take(&service.source.system),
            entity: self.entities.take(&service.source.entity),
            failed: service.health.last_run_failed(),
            last_run_at: service.health.last_run_at.clone(),
        }
    }

    /// Every service whose id, type or name contains each of `terms` (lower-cased words, as
    /// [`ListQuery::search_terms`] gives them).
    pub fn search(&self, terms: &[String]) -> Hits {
        let all = 0..self.entries.len() as u32;
        if terms.is_empty() {
            return Hits::all(self.entries.len());
        }
        let texts = self.texts();
        let positions = all.filter(|p| matches(texts, *p, terms)).collect();
        Hits::from_positions(terms.to_vec(), positions, self.entries.len())
    }

    /// The same as [`SearchIndex::search`], faster when `previous` was found in this version of
    /// the index with words that the new ones only narrow (typing on: "sh" → "sho").
    pub fn narrow(&self, previous: &Hits, terms: &[String]) -> Hits {
        let narrows = previous
            .terms
            .iter()
            .all(|old| terms.iter().any(|new| new.contains(old.as_str())));
        if !narrows || previous.bits.len() != self.entries.len().div_ceil(64) {
            return self.search(terms);
        }
        let texts = self.texts();
        let positions = previous
            .positions
            .iter()
            .copied()
            .filter(|p| matches(texts, *p, terms))
            .collect();
        Hits::from_positions(terms.to_vec(), positions, self.entries.len())
    }

    fn texts(&self) -> &[SearchText] {
        self.texts
            .get_or_init(|| self.entries.iter().map(SearchText::of).collect())
    }

    /// The positions of every service, sorted as `sort` orders them (ties by id).
    pub fn order(&self, sort: Sort) -> Vec<u32> {
        // Lower-case each system once, not once per comparison.
        let system_rank = match sort.key {
            SortKey::SourceSystem => self.system_ranks(),
            _ => Vec::new(),
        };
        let texts: &[SearchText] = match sort.key {
            SortKey::Name => self.texts(),
            _ => &[],
        };
        let by_key = |x: u32, y: u32| -> Ordering {
            let (a, b) = (&self.entries[x as usize], &self.entries[y as usize]);
            match sort.key {
                SortKey::Id => a.id.cmp(&b.id),
                SortKey::Name => texts[x as usize]
                    .lower_name()
                    .cmp(texts[y as usize].lower_name())
                    .then_with(|| a.name.cmp(&b.name)),
                SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
                SortKey::SourceSystem => {
                    system_rank[a.system as usize].cmp(&system_rank[b.system as usize])
                }
                SortKey::LastRun => a.last_run_at.cmp(&b.last_run_at),
            }
        };
        // Services that never ran sort last in both directions.
        let missing = |a: &Entry, b: &Entry| -> Ordering {
            match sort.key {
                SortKey::LastRun => a.last_run_at.is_none().cmp(&b.last_run_at.is_none()),
                _ => Ordering::Equal,
            }
        };
        let mut order: Vec<u32> = (0..self.entries.len() as u32).collect();
        // The default view: a group arrives in ascending id order, so it is sorted already.
        if sort == Sort::default() && self.entries.is_sorted_by_key(|e| e.id) {
            return order;
        }
        order.sort_by(|x, y| {
            let (a, b) = (&self.entries[*x as usize], &self.entries[*y as usize]);
            let key = match sort.direction {
                SortDirection::Ascending => by_key(*x, *y),
                SortDirection::Descending => by_key(*x, *y).reverse(),
            };
            missing(a, b).then(key).then(a.id.cmp(&b.id))
        });
        order
    }

    /// Each interned system's rank in the order `SortKey::SourceSystem` sorts them: by the
    /// lower-cased name, then the name.
    fn system_ranks(&self) -> Vec<usize> {
        let mut names: Vec<(String, &str, usize)> = self
            .systems
            .names
            .iter()
            .enumerate()
            .map(|(n, s)| (s.to_lowercase(), s.as_str(), n))
            .collect();
        names.sort();
        let mut rank = vec![0; names.len()];
        for (r, (_, _, n)) in names.into_iter().enumerate() {
            rank[n] = r;
        }
        rank
    }

    fn passes_filters(&self, position: u32, query: &ListQuery, favourites: &Favourites) -> bool {
        let e = &self.entries[position as usize];
        (!query.favourites || favourites.contains(&e.id))
            && (!query.last_run_failed || e.failed)
            && (query.statuses.is_empty() || query.statuses.contains(&e.status))
            && (query.source_systems.is_empty()
                || query.source_systems.contains(self.systems.name(e.system)))
            && (query.source_entities.is_empty()
                || query.source_entities.contains(self.entities.name(e.entity)))
    }

    /// The ids of the services among `hits` that pass `query`'s filters, in `order`
    /// (`favourites`: the user's, for the Favourites filter).
    pub fn matching(
        &self,
        order: &[u32],
        hits: &Hits,
        query: &ListQuery,
        favourites: &Favourites,
    ) -> Vec<u64> {
        let unfiltered = !query.has_filters();
        if unfiltered && hits.len() == self.entries.len() {
            return order.iter().map(|p| self.entries[*p as usize].id).collect();
        }
        order
            .iter()
            .copied()
            .filter(|p| {
                hits.contains(*p) && (unfiltered || self.passes_filters(*p, query, favourites))
            })
            .map(|p| self.entries[p as usize].id)
            .collect()
    }

    /// The `page` of `matching` (from [`SearchIndex::matching`]).
    pub fn page(matching: &[u64], page: Page) -> IndexPage {
        let size = page.size.max(1) as usize;
        let total = matching.len();
        let page_count = total.div_ceil(size).max(1) as u32;
        let number = page.number.clamp(1, page_count);
        let start = (number as usize - 1) * size;
        IndexPage {
            ids: matching.iter().skip(start).take(size).copied().collect(),
            total,
            number,
            page_count,
        }
    }

    /// How many of `hits` each filter value would match under the *other* dimensions' filters,
    /// as [`ListQuery::facets`] counts them.
    pub fn facets(&self, hits: &Hits, query: &ListQuery, favourites: &Favourites) -> Facets {
        let mut statuses = [0usize; 2];
        let mut starred = 0;
        let mut failed = 0;
        let mut systems = vec![0usize; self.systems.names.len()];
        let mut entities = vec![0usize; self.entities.names.len()];
        let wanted = |set: &BTreeSet<String>, values: &Values| -> Vec<bool> {
            values.names.iter().map(|v| set.contains(v)).collect()
        };
        let system_on = wanted(&query.source_systems, &self.systems);
        let entity_on = wanted(&query.source_entities, &self.entities);
        for p in &hits.positions {
            let e = &self.entries[*p as usize];
            let status_ok = query.statuses.is_empty() || query.statuses.contains(&e.status);
            let system_ok = query.source_systems.is_empty() || system_on[e.system as usize];
            let entity_ok = query.source_entities.is_empty() || entity_on[e.entity as usize];
            let favourite = favourites.contains(&e.id);
            let failed_ok = !query.last_run_failed || e.failed;
            if favourite && status_ok && system_ok && entity_ok && failed_ok {
                starred += 1;
            }
            if query.favourites && !favourite {
                continue;
            }
            if e.failed && status_ok && system_ok && entity_ok {
                failed += 1;
            }
            if !failed_ok {
                continue;
            }
            if system_ok && entity_ok {
                statuses[status_slot(e.status)] += 1;
            }
            if status_ok && entity_ok {
                systems[e.system as usize] += 1;
            }
            if status_ok && system_ok {
                entities[e.entity as usize] += 1;
            }
        }
        Facets {
            statuses: Status::ALL
                .iter()
                .map(|s| FacetCount {
                    value: s.as_str().to_string(),
                    count: statuses[status_slot(*s)],
                })
                .collect(),
            source_systems: self.systems.counted(&systems, &query.source_systems),
            source_entities: self.entities.counted(&entities, &query.source_entities),
            favourites: starred,
            last_run_failed: failed,
        }
    }
}

/// Whether the service at `position` contains each of `terms`.
fn matches(texts: &[SearchText], position: u32, terms: &[String]) -> bool {
    let text = &texts[position as usize].text;
    terms.iter().all(|t| text.contains(t.as_str()))
}

fn status_slot(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::service;

    fn sample() -> Vec<Service> {
        vec![
            service(101, "Shopify orders", Status::Active, "Shopify", "orders"),
            service(102, "Stock Ärger", Status::Inactive, "Peoplevox", "stock"),
            service(110, "Refund sweeper", Status::Active, "Shopify", "refunds"),
            service(
                45,
                "shopify customers",
                Status::Inactive,
                "shopify",
                "customers",
            ),
        ]
    }

    fn page(index: &SearchIndex, q: &ListQuery) -> IndexPage {
        let hits = index.search(&q.search_terms());
        SearchIndex::page(
            &index.matching(&index.order(q.sort), &hits, q, &Favourites::new()),
            q.page,
        )
    }

    #[test]
    fn a_word_never_matches_across_fields() {
        let index = SearchIndex::new(&[service(7, "x", Status::Active, "S", "e")]);
        // "7\nstandard\nx": "7s" or "dx" would span two fields.
        assert!(index.search(&["7s".into()]).is_empty());
        assert!(index.search(&["dx".into()]).is_empty());
        assert_eq!(index.search(&["ndar".into()]).len(), 1);
    }

    #[test]
    fn the_first_view_is_drawn_without_the_search_text_and_edits_after_it_keep_step() {
        let mut all = sample();
        let mut index = SearchIndex::new(&all);
        // The default view (no search, by id) and its facets don't need the lower-cased text.
        let q = ListQuery::default();
        let first = page(&index, &q);
        index.facets(&index.search(&[]), &q, &Favourites::new());
        assert_eq!(first.ids.len(), all.len());
        assert!(
            index.texts.get().is_none(),
            "built before a search needed it"
        );
        // A search builds it; edits made after that are searched as a fresh index finds them.
        let by_name = ListQuery {
            search: "shop".into(),
            sort: Sort {
                key: SortKey::Name,
                ..Sort::default()
            },
            ..ListQuery::default()
        };
        assert_eq!(
            page(&index, &by_name),
            page(&SearchIndex::new(&all), &by_name)
        );
        assert!(index.texts.get().is_some());
        all[1].name = "SHOPPING list".into();
        index.upsert(&all[1]);
        all.remove(0);
        index.remove(101);
        let extra = service(7, "Shop floor", Status::Active, "Magento 2", "orders");
        index.upsert(&extra);
        all.push(extra);
        let fresh = SearchIndex::new(&all);
        for search in ["", "shop", "list", "7", "sweeper", "orders"] {
            let q = ListQuery {
                search: search.into(),
                ..by_name.clone()
            };
            assert_eq!(page(&index, &q), page(&fresh, &q), "{search}");
        }
    }

    #[test]
    fn updates_and_removals_keep_it_in_step_with_a_fresh_index() {
        let mut all = sample();
        let mut index = SearchIndex::new(&all);
        // A system only a since-changed service had is no longer offered.
        let mut moved = all[2].clone();
        moved.source.system = "Unused".into();
        index.upsert(&moved);
        index.upsert(&all[2]);
        all[1].name = "Renamed stock".into();
        all[1].status = Status::Active;
        index.upsert(&all[1]);
        all.remove(0);
        index.remove(101);
        let extra = service(300, "New orders", Status::Inactive, "Magento 2", "orders");
        index.upsert(&extra);
        all.push(extra);
        let fresh = SearchIndex::new(&all);
        for search in ["", "stock", "renamed", "orders", "sweeper"] {
            let q = ListQuery {
                search: search.into(),
                ..ListQuery::default()
            };
            assert_eq!(page(&index, &q), page(&fresh, &q), "{search}");
            let hits = index.search(&q.search_terms());
            assert_eq!(
                index.facets(&hits, &q, &Favourites::new()),
                fresh.facets(&fresh.search(&q.search_terms()), &q, &Favourites::new())
            );
        }
        assert!(!index.contains(101) && index.contains(300));
        let everything = index.facets(
            &index.search(&[]),
            &ListQuery::default(),
            &Favourites::new(),
        );
        assert!(
            everything
                .source_systems
                .iter()
                .all(|f| f.value != "Unused"),
            "{everything:?}"
        );
    }

    #[test]
    fn narrowing_gives_what_a_fresh_search_gives() {
        let index = SearchIndex::new(&sample());
        let s = index.search(&["s".into()]);
        let sh = index.narrow(&s, &["sh".into()]);
        assert_eq!(sh, index.search(&["sh".into()]));
        // Not a narrowing: a word was dropped, so it searches afresh.
        let other = index.narrow(&sh, &["stock".into()]);
        assert_eq!(other, index.search(&["stock".into()]));
    }
}
