//! What the list shows: search, filters, sort and page, and how a list of services answers them.
//! The SPA runs this on the group it holds; the server runs the same code for API clients.

use crate::service::{Service, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The ids of the services the signed-in user starred: what the Favourites filter keeps.
pub type Favourites = HashSet<u64>;

/// Rows per page the UI offers; anything else in a URL falls back to the default.
pub const PAGE_SIZES: [u32; 4] = [25, 50, 100, 250];
pub const DEFAULT_PAGE_SIZE: u32 = 50;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortKey {
    #[default]
    Id,
    Name,
    Status,
    SourceSystem,
    /// When the last run finished (or started, or was queued); services that never ran sort
    /// last in both directions.
    LastRun,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Id,
        SortKey::Name,
        SortKey::Status,
        SortKey::SourceSystem,
        SortKey::LastRun,
    ];

    /// The word used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Id => "id",
            SortKey::Name => "name",
            SortKey::Status => "status",
            SortKey::SourceSystem => "system",
            SortKey::LastRun => "last_run",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortDirection {
    #[default]
    Ascending,
    Descending,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sort {
    pub key: SortKey,
    pub direction: SortDirection,
}

/// A 1-based page number and the rows per page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            number: 1,
            size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// The whole view of a group's list: what a link to the list must reproduce.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// As typed; matching trims it and splits it into words.
    pub search: String,
    /// Empty means every status. Several values match any of them.
    pub statuses: BTreeSet<Status>,
    pub source_systems: BTreeSet<String>,
    pub source_entities: BTreeSet<String>,
    /// Only the user's favourites (the Favourites filter).
    pub favourites: bool,
    /// Only services whose latest run failed (the "Last run failed" filter).
    pub last_run_failed: bool,
    pub sort: Sort,
    pub page: Page,
}

/// One filter value, in one dimension.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    Status(Status),
    SourceSystem(String),
    SourceEntity(String),
    /// Only the user's favourites.
    Favourites,
    /// Only services whose latest run failed.
    LastRunFailed,
}

impl Filter {
    /// The dimension, as the UI names it.
    pub fn dimension(&self) -> &'static str {
        match self {
            Filter::Status(_) => "Status",
            Filter::SourceSystem(_) => "Source system",
            Filter::SourceEntity(_) => "Source entity",
            Filter::Favourites => "Favourites",
            Filter::LastRunFailed => "Health",
        }
    }

    pub fn value(&self) -> String {
        match self {
            Filter::Status(Status::Active) => "Active".into(),
            Filter::Status(Status::Inactive) => "Inactive".into(),
            Filter::SourceSystem(v) | Filter::SourceEntity(v) => v.clone(),
            Filter::Favourites => "Only starred".into(),
            Filter::LastRunFailed => "Last run failed".into(),
        }
    }
}

/// The page numbers a pager offers: the first, the last, and two either side of the current
/// one; `None` marks a gap.
pub fn page_window(current: u32, count: u32) -> Vec<Option<u32>> {
    let mut pages: Vec<Option<u32>> = Vec::new();
    for n in 1..=count {
        if n == 1 || n == count || n.abs_diff(current) <= 2 {
            if pages.last().is_some_and(|p| p.is_some_and(|p| p + 1 < n)) {
                pages.push(None);
            }
            pages.push(Some(n));
        }
    }
    pages
}

/// A filter value and how many services it would match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

impl FacetCount {
    fn new(value: &str) -> Self {
        FacetCount {
            value: value.to_string(),
            count: 0,
        }
    }
}

/// Counts for every filter dimension; see [`ListQuery::facets`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub statuses: Vec<FacetCount>,
    pub source_systems: Vec<FacetCount>,
    pub source_entities: Vec<FacetCount>,
    /// How many of the user's favourites match the search and the other filters.
    #[serde(default)]
    pub favourites: usize,
    /// How many services whose latest run failed match the search and the other filters.
    #[serde(default)]
    pub last_run_failed: usize,
}

/// One page of results and where it sits in the whole.
#[derive(Debug, PartialEq, Eq)]
pub struct ListPage<'a> {
    pub items: Vec<&'a Service>,
    /// How many services match, over all pages.
    pub total: usize,
    /// The page shown: the requested one, or the last if the request ran past the end.
    pub number: u32,
    pub page_count: u32,
}

impl ListQuery {
    /// The lowercased search words; a service must contain every one of them.
    pub fn search_terms(&self) -> Vec<String> {
        self.search
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// The same view with another search, from page 1.
    pub fn with_search(&self, search: &str) -> ListQuery {
        ListQuery {
            search: search.to_string(),
            page: Page {
                number: 1,
                ..self.page
            },
            ..self.clone()
        }
    }

    /// Adds or removes one filter value, back on page 1.
    pub fn toggle_filter(&self, filter: &Filter) -> ListQuery {
        let mut next = self.clone();
        next.page.number = 1;
        match filter {
            Filter::Status(s) => {
                if !next.statuses.remove(s) {
                    next.statuses.insert(*s);
                }
            }
            Filter::SourceSystem(v) => {
                if !next.source_systems.remove(v) {
                    next.source_systems.insert(v.clone());
                }
            }
            Filter::SourceEntity(v) => {
                if !next.source_entities.remove(v) {
                    next.source_entities.insert(v.clone());
                }
            }
            Filter::Favourites => next.favourites = !next.favourites,
            Filter::LastRunFailed => next.last_run_failed = !next.last_run_failed,
        }
        next
    }

    /// Every active filter, in the order the panel lists them.
    pub fn active_filters(&self) -> Vec<Filter> {
        self.favourites
            .then_some(Filter::Favourites)
            .into_iter()
            .chain(self.last_run_failed.then_some(Filter::LastRunFailed))
            .chain(self.statuses.iter().map(|s| Filter::Status(*s)))
            .chain(
                self.source_systems
                    .iter()
                    .map(|v| Filter::SourceSystem(v.clone())),
            )
            .chain(
                self.source_entities
                    .iter()
                    .map(|v| Filter::SourceEntity(v.clone())),
            )
            .collect()
    }

    /// No filters, page 1; the search, sort and page size stay.
    pub fn cleared_filters(&self) -> ListQuery {
        ListQuery {
            statuses: BTreeSet::new(),
            source_systems: BTreeSet::new(),
            source_entities: BTreeSet::new(),
            favourites: false,
            last_run_failed: false,
            page: Page {
                number: 1,
                ..self.page
            },
            ..self.clone()
        }
    }

    /// No search and no filters, page 1; the sort and page size stay.
    pub fn cleared(&self) -> ListQuery {
        ListQuery {
            sort: self.sort,
            page: Page {
                number: 1,
                ..self.page
            },
            ..ListQuery::default()
        }
    }

    /// Sorted by `key`: ascending, or flipped if it already sorts by `key`. Back to page 1.
    pub fn sorted_by(&self, key: SortKey) -> ListQuery {
        let direction = if self.sort.key == key && self.sort.direction == SortDirection::Ascending {
            SortDirection::Descending
        } else {
            SortDirection::Ascending
        };
        ListQuery {
            sort: Sort { key, direction },
            page: Page {
                number: 1,
                ..self.page
            },
            ..self.clone()
        }
    }

    pub fn on_page(&self, number: u32) -> ListQuery {
        ListQuery {
            page: Page {
                number,
                ..self.page
            },
            ..self.clone()
        }
    }

    /// Another page size, from page 1.
    pub fn with_page_size(&self, size: u32) -> ListQuery {
        ListQuery {
            page: Page { number: 1, size },
            ..self.clone()
        }
    }

    pub fn has_filters(&self) -> bool {
        !(self.statuses.is_empty()
            && self.source_systems.is_empty()
            && self.source_entities.is_empty()
            && !self.favourites
            && !self.last_run_failed)
    }

    /// Whether a service passes the search and every filter (`favourites`: the user's).
    pub fn matches(&self, service: &Service, favourites: &Favourites) -> bool {
        self.matcher(favourites).matches(service)
    }

    /// Every matching service, sorted; the order is total, so the result is stable.
    pub fn filter_sorted<'a>(
        &self,
        services: &'a [Service],
        favourites: &Favourites,
    ) -> Vec<&'a Service> {
        let matcher = self.matcher(favourites);
        let mut found: Vec<&Service> = services.iter().filter(|s| matcher.matches(s)).collect();
        self.sort_services(&mut found);
        found
    }

    /// The requested page of the matching services.
    pub fn page_of<'a>(&self, services: &'a [Service], favourites: &Favourites) -> ListPage<'a> {
        let all = self.filter_sorted(services, favourites);
        let size = self.page.size.max(1) as usize;
        let total = all.len();
        let page_count = total.div_ceil(size).max(1) as u32;
        let number = self.page.number.clamp(1, page_count);
        let start = (number as usize - 1) * size;
        let items = all.into_iter().skip(start).take(size).collect();
        ListPage {
            items,
            total,
            number,
            page_count,
        }
    }

    pub fn sort_services(&self, services: &mut [&Service]) {
        let key = self.sort.key;
        let descending = self.sort.direction == SortDirection::Descending;
        // Lowercase once per service, not once per comparison.
        let mut keyed: Vec<(SortValue, &Service)> = services
            .iter()
            .map(|s| (SortValue::of(s, key), *s))
            .collect();
        keyed.sort_by(|(a, sa), (b, sb)| {
            // A missing value (a service that never ran) sorts last either way.
            let missing = a.is_missing().cmp(&b.is_missing());
            let by_key = a.cmp(b);
            let by_key = if descending { by_key.reverse() } else { by_key };
            missing.then(by_key).then(sa.id.cmp(&sb.id))
        });
        for (slot, (_, service)) in services.iter_mut().zip(keyed) {
            *slot = service;
        }
    }

    /// How many services each filter value would match, given the search and the *other*
    /// dimensions' filters (so ticking a value shows how many rows it adds). Every value seen in
    /// `services`, and every value already selected, is listed, even with a count of 0. With the
    /// Favourites filter on, only favourites count; `favourites` counts the favourites under the
    /// search and every other filter.
    pub fn facets(&self, services: &[Service], favourites: &Favourites) -> Facets {
        let matcher = self.matcher(favourites);
        let mut facets = Facets {
            statuses: Status::ALL
                .iter()
                .map(|s| FacetCount::new(s.as_str()))
                .collect(),
            source_systems: Vec::new(),
            source_entities: Vec::new(),
            favourites: 0,
            last_run_failed: 0,
        };
        let mut systems: BTreeMap<&str, usize> = BTreeMap::new();
        let mut entities: BTreeMap<&str, usize> = BTreeMap::new();
        for selected in &self.source_systems {
            systems.insert(selected, 0);
        }
        for selected in &self.source_entities {
            entities.insert(selected, 0);
        }
        for s in services {
            systems.entry(&s.source.system).or_insert(0);
            entities.entry(&s.source.entity).or_insert(0);
            if !matcher.matches_search(s) {
                continue;
            }
            let starred = favourites.contains(&s.id);
            let failed = s.health.last_run_failed();
            let status_ok = self.statuses.is_empty() || self.statuses.contains(&s.status);
            let system_ok =
                self.source_systems.is_empty() || self.source_systems.contains(&s.source.system);
            let entity_ok =
                self.source_entities.is_empty() || self.source_entities.contains(&s.source.entity);
            let failed_ok = !self.last_run_failed || failed;
            if starred && status_ok && system_ok && entity_ok && failed_ok {
                facets.favourites += 1;
            }
            if self.favourites && !starred {
                continue;
            }
            if failed && status_ok && system_ok && entity_ok {
                facets.last_run_failed += 1;
            }
            if !failed_ok {
                continue;
            }
            if system_ok && entity_ok {
                let index = Status::ALL.iter().position(|x| *x == s.status).unwrap_or(0);
                facets.statuses[index].count += 1;
            }
            if status_ok && entity_ok {
                *systems.entry(&s.source.system).or_insert(0) += 1;
            }
            if status_ok && system_ok {
                *entities.entry(&s.source.entity).or_insert(0) += 1;
            }
        }
        facets.source_systems = systems
            .into_iter()
            .map(|(v, count)| FacetCount {
                value: v.to_string(),
                count,
            })
            .collect();
        facets.source_entities = entities
            .into_iter()
            .map(|(v, count)| FacetCount {
                value: v.to_string(),
                count,
            })
            .collect();
        facets
    }

    fn matcher<'q>(&'q self, favourites: &'q Favourites) -> Matcher<'q> {
        Matcher {
            terms: self.search_terms(),
            query: self,
            favourites,
        }
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Number(u64),
    Text(String, String),
    /// An optional text compared as written (RFC 3339 UTC times).
    Maybe(Option<String>),
}

impl SortValue {
    fn of(service: &Service, key: SortKey) -> SortValue {
        let text = |s: &str| SortValue::Text(s.to_lowercase(), s.to_string());
        match key {
            SortKey::Id => SortValue::Number(service.id),
            SortKey::Name => text(&service.name),
            SortKey::Status => text(service.status.as_str()),
            SortKey::SourceSystem => text(&service.source.system),
            SortKey::LastRun => SortValue::Maybe(service.health.last_run_at.clone()),
        }
    }

    fn is_missing(&self) -> bool {
        matches!(self, SortValue::Maybe(None))
    }
}

struct Matcher<'q> {
    terms: Vec<String>,
    query: &'q ListQuery,
    favourites: &'q Favourites,
}

impl Matcher<'_> {
    fn matches(&self, service: &Service) -> bool {
        let q = self.query;
        (q.statuses.is_empty() || q.statuses.contains(&service.status))
            && (q.source_systems.is_empty() || q.source_systems.contains(&service.source.system))
            && (q.source_entities.is_empty() || q.source_entities.contains(&service.source.entity))
            && (!q.favourites || self.favourites.contains(&service.id))
            && (!q.last_run_failed || service.health.last_run_failed())
            && self.matches_search(service)
    }

    fn matches_search(&self, service: &Service) -> bool {
        if self.terms.is_empty() {
            return true;
        }
        let id = service.id.to_string();
        let kind = service.service_type.as_str();
        let name = service.name.to_lowercase();
        self.terms.iter().all(|t| {
            id.contains(t.as_str()) || kind.contains(t.as_str()) || name.contains(t.as_str())
        })
    }
}

#[cfg(test)]
// The tests change one part of a query at a time, on purpose.
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::fixtures::service;
    use crate::run::RunStatus;

    fn sample() -> Vec<Service> {
        vec![
            service(
                101,
                "Shopify orders to NetSuite",
                Status::Active,
                "Shopify",
                "orders",
            ),
            service(
                102,
                "Stock levels Ärger",
                Status::Inactive,
                "Peoplevox",
                "stock",
            ),
            service(
                203,
                "Products nightly",
                Status::Active,
                "Brightpearl",
                "products",
            ),
            service(110, "Refund sweeper", Status::Active, "Shopify", "refunds"),
            service(
                45,
                "shopify customers",
                Status::Inactive,
                "Shopify",
                "customers",
            ),
        ]
    }

    fn none() -> Favourites {
        Favourites::new()
    }

    fn ids(found: &[&Service]) -> Vec<u64> {
        found.iter().map(|s| s.id).collect()
    }

    fn query(search: &str) -> ListQuery {
        ListQuery {
            search: search.into(),
            ..ListQuery::default()
        }
    }

    #[test]
    fn empty_query_returns_everything_by_id_ascending() {
        let all = sample();
        assert_eq!(
            ids(&ListQuery::default().filter_sorted(&all, &none())),
            vec![45, 101, 102, 110, 203]
        );
    }

    #[test]
    fn search_is_case_insensitive_on_name() {
        let all = sample();
        assert_eq!(
            ids(&query("SHOPIFY").filter_sorted(&all, &none())),
            vec![45, 101]
        );
    }

    #[test]
    fn search_is_unicode_aware() {
        let all = sample();
        assert_eq!(ids(&query("ÄRGER").filter_sorted(&all, &none())), vec![102]);
        assert_eq!(ids(&query("ärger").filter_sorted(&all, &none())), vec![102]);
    }

    #[test]
    fn search_matches_id_as_decimal_text() {
        let all = sample();
        assert_eq!(
            ids(&query("10").filter_sorted(&all, &none())),
            vec![101, 102, 110]
        );
        assert_eq!(ids(&query("203").filter_sorted(&all, &none())), vec![203]);
    }

    #[test]
    fn search_matches_type() {
        let all = sample();
        // 45 and 110 are sweepers; "Refund sweeper" also says so in its name.
        assert_eq!(
            ids(&query("Sweeper").filter_sorted(&all, &none())),
            vec![45, 110]
        );
        assert_eq!(
            ids(&query("standard").filter_sorted(&all, &none())),
            vec![101, 102, 203]
        );
    }

    #[test]
    fn search_is_trimmed_and_every_word_must_match() {
        let all = sample();
        assert_eq!(
            ids(&query("  shopify   orders ").filter_sorted(&all, &none())),
            vec![101]
        );
        // Words may match different fields: "sweeper" the type, "customers" the name.
        assert_eq!(
            ids(&query("sweeper customers").filter_sorted(&all, &none())),
            vec![45]
        );
        assert!(query("shopify nothing-like-this")
            .filter_sorted(&all, &none())
            .is_empty());
        assert_eq!(query("   ").filter_sorted(&all, &none()).len(), all.len());
    }

    #[test]
    fn filters_are_or_within_and_across_dimensions() {
        let all = sample();
        let mut q = ListQuery::default();
        q.source_systems = ["Shopify".to_string(), "Peoplevox".to_string()].into();
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![45, 101, 102, 110]
        );
        q.statuses = [Status::Inactive].into();
        assert_eq!(ids(&q.filter_sorted(&all, &none())), vec![45, 102]);
        q.source_entities = ["stock".to_string()].into();
        assert_eq!(ids(&q.filter_sorted(&all, &none())), vec![102]);
        q.statuses = [Status::Active, Status::Inactive].into();
        q.source_entities.clear();
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![45, 101, 102, 110]
        );
    }

    #[test]
    fn filters_combine_with_search() {
        let all = sample();
        let mut q = query("shopify");
        q.statuses = [Status::Active].into();
        assert_eq!(ids(&q.filter_sorted(&all, &none())), vec![101]);
    }

    #[test]
    fn sorts_by_each_key_both_ways() {
        let all = sample();
        let mut q = ListQuery::default();
        q.sort = Sort {
            key: SortKey::Name,
            direction: SortDirection::Ascending,
        };
        // Case-insensitive: "shopify customers" sorts with the S's.
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![203, 110, 45, 101, 102]
        );
        q.sort.direction = SortDirection::Descending;
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![102, 101, 45, 110, 203]
        );
        q.sort = Sort {
            key: SortKey::Id,
            direction: SortDirection::Descending,
        };
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![203, 110, 102, 101, 45]
        );
    }

    #[test]
    fn sort_ties_keep_id_order_in_both_directions() {
        let all = sample();
        let mut q = ListQuery::default();
        q.sort = Sort {
            key: SortKey::Status,
            direction: SortDirection::Ascending,
        };
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![101, 110, 203, 45, 102]
        );
        q.sort.direction = SortDirection::Descending;
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![45, 102, 101, 110, 203]
        );
        q.sort = Sort {
            key: SortKey::SourceSystem,
            direction: SortDirection::Ascending,
        };
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![203, 102, 45, 101, 110]
        );
    }

    fn counts(list: &[FacetCount]) -> Vec<(&str, usize)> {
        list.iter().map(|f| (f.value.as_str(), f.count)).collect()
    }

    #[test]
    fn facets_count_each_value_under_the_other_filters_and_the_search() {
        let all = sample();
        let plain = ListQuery::default().facets(&all, &none());
        assert_eq!(
            counts(&plain.statuses),
            vec![("active", 3), ("inactive", 2)]
        );
        assert_eq!(
            counts(&plain.source_systems),
            vec![("Brightpearl", 1), ("Peoplevox", 1), ("Shopify", 3)]
        );

        let mut q = ListQuery::default();
        q.statuses = [Status::Active].into();
        q.source_systems = ["Shopify".to_string(), "Magento 2".to_string()].into();
        let f = q.facets(&all, &none());
        // Status counts ignore the status filter but apply the system filter.
        assert_eq!(counts(&f.statuses), vec![("active", 2), ("inactive", 1)]);
        // System counts apply the status filter; a selected value absent from the data shows 0.
        assert_eq!(
            counts(&f.source_systems),
            vec![
                ("Brightpearl", 1),
                ("Magento 2", 0),
                ("Peoplevox", 0),
                ("Shopify", 2)
            ]
        );
        assert_eq!(
            counts(&f.source_entities),
            vec![
                ("customers", 0),
                ("orders", 1),
                ("products", 0),
                ("refunds", 1),
                ("stock", 0)
            ]
        );

        q.search = "refund".into();
        let f = q.facets(&all, &none());
        assert_eq!(counts(&f.statuses), vec![("active", 1), ("inactive", 0)]);
    }

    #[test]
    fn the_favourites_filter_keeps_exactly_the_starred_and_is_counted() {
        let all = sample();
        let starred: Favourites = [101, 102, 999].into();
        let mut q = ListQuery::default();
        assert_eq!(q.facets(&all, &starred).favourites, 2);
        q = q.toggle_filter(&Filter::Favourites);
        assert!(q.favourites && q.has_filters());
        assert_eq!(q.active_filters(), vec![Filter::Favourites]);
        assert_eq!(ids(&q.filter_sorted(&all, &starred)), vec![101, 102]);
        // Other filters and the search combine with it, and count only favourites.
        q.statuses = [Status::Active].into();
        assert_eq!(ids(&q.filter_sorted(&all, &starred)), vec![101]);
        let f = q.facets(&all, &starred);
        assert_eq!(f.favourites, 1);
        assert_eq!(counts(&f.statuses), vec![("active", 1), ("inactive", 1)]);
        assert_eq!(
            counts(&f.source_systems),
            vec![("Brightpearl", 0), ("Peoplevox", 0), ("Shopify", 1)]
        );
        // Without the filter the favourites count follows the search and the other filters.
        let mut plain = q.toggle_filter(&Filter::Favourites);
        assert!(!plain.favourites);
        plain.search = "stock".into();
        plain.statuses.clear();
        assert_eq!(plain.facets(&all, &starred).favourites, 1);
        assert!(!q.cleared_filters().favourites);
        assert!(q.filter_sorted(&all, &none()).is_empty());
    }

    fn with_health(mut s: Service, status: Option<RunStatus>, at: Option<&str>) -> Service {
        s.health.last_run_status = status;
        s.health.last_run_at = at.map(str::to_string);
        s
    }

    /// 101 failed at 09:00, 102 ran ok at 10:00, 203 failed at 08:00, 110 is running since
    /// 11:00, 45 never ran.
    fn with_runs() -> Vec<Service> {
        let at = |h: u32| format!("2026-11-29T{h:02}:00:00Z");
        let mut all = sample();
        let runs = [
            (101, Some(RunStatus::Failed), Some(at(9))),
            (102, Some(RunStatus::Ok), Some(at(10))),
            (203, Some(RunStatus::Failed), Some(at(8))),
            (110, Some(RunStatus::Running), Some(at(11))),
        ];
        for s in all.iter_mut() {
            if let Some((_, status, when)) = runs.iter().find(|(id, _, _)| *id == s.id) {
                *s = with_health(s.clone(), *status, when.as_deref());
            }
        }
        all
    }

    #[test]
    fn the_last_run_failed_filter_keeps_exactly_the_failed_and_is_counted() {
        let all = with_runs();
        let mut q = ListQuery::default();
        assert_eq!(q.facets(&all, &none()).last_run_failed, 2);
        q = q.toggle_filter(&Filter::LastRunFailed);
        assert!(q.last_run_failed && q.has_filters());
        assert_eq!(q.active_filters(), vec![Filter::LastRunFailed]);
        assert_eq!(Filter::LastRunFailed.value(), "Last run failed");
        assert_eq!(ids(&q.filter_sorted(&all, &none())), vec![101, 203]);
        // The other facets count only failed services; the count follows the other filters.
        let f = q.facets(&all, &none());
        assert_eq!(counts(&f.statuses), vec![("active", 2), ("inactive", 0)]);
        q.source_systems = ["Shopify".to_string()].into();
        assert_eq!(ids(&q.filter_sorted(&all, &none())), vec![101]);
        assert_eq!(q.facets(&all, &none()).last_run_failed, 1);
        // With favourites: the favourites count applies it too.
        let starred: Favourites = [101, 102].into();
        assert_eq!(q.facets(&all, &starred).favourites, 1);
        assert!(!q.cleared_filters().last_run_failed);
        // A running service whose previous run failed is not "last run failed".
        let running = with_health(all[0].clone(), Some(RunStatus::Running), None);
        assert!(!q.matches(&running, &none()));
    }

    #[test]
    fn sorting_by_last_run_puts_never_run_last_both_ways() {
        let all = with_runs();
        let mut q = ListQuery::default().sorted_by(SortKey::LastRun);
        assert_eq!(q.sort.direction, SortDirection::Ascending);
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![203, 101, 102, 110, 45]
        );
        q = q.sorted_by(SortKey::LastRun);
        assert_eq!(q.sort.direction, SortDirection::Descending);
        assert_eq!(
            ids(&q.filter_sorted(&all, &none())),
            vec![110, 102, 101, 203, 45]
        );
        // Ties (two never-run services) keep id order in both directions.
        let mut more = all.clone();
        more.push(service(7, "never", Status::Active, "Shopify", "orders"));
        assert_eq!(ids(&q.filter_sorted(&more, &none()))[3..], [203, 7, 45]);
        q.sort.direction = SortDirection::Ascending;
        assert_eq!(ids(&q.filter_sorted(&more, &none()))[3..], [110, 7, 45]);
        assert_eq!(SortKey::parse("last_run"), Some(SortKey::LastRun));
    }

    #[test]
    fn view_changes_go_back_to_page_one_but_keep_the_rest() {
        let mut q = ListQuery::default();
        q.page = Page {
            number: 4,
            size: 100,
        };
        q.sort = Sort {
            key: SortKey::Name,
            direction: SortDirection::Descending,
        };
        let searched = q.with_search("shop");
        assert_eq!(
            (searched.page.number, searched.page.size, searched.sort),
            (1, 100, q.sort)
        );
        let filtered = q.toggle_filter(&Filter::SourceSystem("Shopify".into()));
        assert_eq!(filtered.page.number, 1);
        assert_eq!(
            filtered.active_filters(),
            vec![Filter::SourceSystem("Shopify".into())]
        );
        assert!(filtered
            .toggle_filter(&Filter::SourceSystem("Shopify".into()))
            .active_filters()
            .is_empty());
        let sorted = q.sorted_by(SortKey::Name);
        assert_eq!(
            sorted.sort,
            Sort {
                key: SortKey::Name,
                direction: SortDirection::Ascending
            }
        );
        assert_eq!(
            sorted.sorted_by(SortKey::Name).sort.direction,
            SortDirection::Descending
        );
        assert_eq!(q.sorted_by(SortKey::Id).sort, Sort::default());
        let cleared = filtered.with_search("x").cleared();
        assert!(cleared.search.is_empty() && !cleared.has_filters());
        assert_eq!(cleared.sort, q.sort);
        assert_eq!(
            q.with_page_size(25).page,
            Page {
                number: 1,
                size: 25
            }
        );
        assert_eq!(
            q.on_page(2).page,
            Page {
                number: 2,
                size: 100
            }
        );
    }

    #[test]
    fn page_window_keeps_the_ends_and_the_neighbours() {
        assert_eq!(page_window(1, 1), vec![Some(1)]);
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(5, 10),
            vec![
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(10)
            ]
        );
        assert_eq!(
            page_window(1, 10),
            vec![Some(1), Some(2), Some(3), None, Some(10)]
        );
        assert_eq!(
            page_window(4, 5),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
    }

    #[test]
    fn pages_slice_the_sorted_matches_and_clamp_past_the_end() {
        let all = sample();
        let mut q = ListQuery::default();
        q.page = Page { number: 2, size: 2 };
        let page = q.page_of(&all, &none());
        assert_eq!(ids(&page.items), vec![102, 110]);
        assert_eq!((page.total, page.number, page.page_count), (5, 2, 3));
        q.page.number = 99;
        let page = q.page_of(&all, &none());
        assert_eq!(ids(&page.items), vec![203]);
        assert_eq!(page.number, 3);
        q.search = "no such service".into();
        let page = q.page_of(&all, &none());
        assert!(page.items.is_empty());
        assert_eq!((page.total, page.number, page.page_count), (0, 1, 1));
    }
}
