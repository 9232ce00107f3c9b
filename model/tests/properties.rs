//! Properties of the list query over generated services and queries.

use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use services_model::*;

const SYSTEMS: [&str; 6] = [
    "shopify",
    "Shopify",
    "NetSuite",
    "Peoplevox",
    "Magento 2",
    "SAP Business One",
];
const ENTITIES: [&str; 4] = ["orders", "products", "stock", "refunds"];
const WORDS: [&str; 8] = [
    "Orders", "ÄRGER", "ärger", "stock", "Nightly", "sweep", "to", "Straße",
];

fn arb_status() -> impl Strategy<Value = Status> {
    prop_oneof![Just(Status::Active), Just(Status::Inactive)]
}

fn arb_service() -> impl Strategy<Value = Service> {
    (
        1u64..400,
        vec(prop::sample::select(&WORDS[..]), 1..4),
        any::<bool>(),
        arb_status(),
        prop::sample::select(&SYSTEMS[..]),
        prop::sample::select(&ENTITIES[..]),
        arb_health(),
    )
        .prop_map(
            |(id, words, sweeper, status, system, entity, health)| Service {
                id,
                group_id: 1,
                name: words.join(" "),
                service_type: if sweeper {
                    ServiceType::Sweeper
                } else {
                    ServiceType::Standard
                },
                status,
                source: Endpoint::new(system, entity),
                destination: Endpoint::new("NetSuite", entity),
                trigger: Trigger::Schedule {
                    cron: "*/15 * * * *".into(),
                },
                alerts_enabled: sweeper,
                created_at: "2026-01-01T00:00:00Z".into(),
                updated_at: "2026-01-01T00:00:00Z".into(),
                health,
            },
        )
}

/// Never run, or a last run of any status at one of a few times (ties on purpose).
fn arb_health() -> impl Strategy<Value = Health> {
    prop_oneof![
        Just(Health::default()),
        (prop::sample::select(&RunStatus::ALL[..]), 0u32..4, 0u32..3).prop_map(
            |(status, hour, failed_24h)| Health {
                last_run_status: Some(status),
                last_run_at: Some(format!("2026-11-29T0{hour}:00:00Z")),
                failed_24h,
            }
        ),
    ]
}

/// Services with distinct ids, as in a real group.
fn arb_services() -> impl Strategy<Value = Vec<Service>> {
    vec(arb_service(), 0..40).prop_map(|mut services| {
        services.sort_by_key(|s| s.id);
        services.dedup_by_key(|s| s.id);
        services
    })
}

fn arb_search() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        vec(
            prop::sample::select(&["orders", "ärger", "SWEEP", "1", "2", "standard", "x", " "][..]),
            0..3
        )
        .prop_map(|w| w.join(" ")),
        "\\PC{0,12}",
    ]
}

fn arb_query() -> impl Strategy<Value = ListQuery> {
    (
        arb_search(),
        btree_set(arb_status(), 0..3),
        btree_set(
            prop::sample::select(&SYSTEMS[..]).prop_map(String::from),
            0..3,
        ),
        btree_set(
            prop::sample::select(&ENTITIES[..]).prop_map(String::from),
            0..3,
        ),
        prop::sample::select(&SortKey::ALL[..]),
        any::<bool>(),
        1u32..20,
        prop::sample::select(&PAGE_SIZES[..]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(search, statuses, systems, entities, key, desc, number, size, favourites, failed)| {
                ListQuery {
                    last_run_failed: failed,
                    search,
                    statuses,
                    source_systems: systems,
                    source_entities: entities,
                    favourites,
                    sort: Sort {
                        key,
                        direction: if desc {
                            SortDirection::Descending
                        } else {
                            SortDirection::Ascending
                        },
                    },
                    page: Page { number, size },
                }
            },
        )
}

/// The user's favourites in these tests: every third id.
fn starred() -> Favourites {
    (0..400).filter(|id: &u64| id.is_multiple_of(3)).collect()
}

/// The rules written out once more, field by field, as the issue states them.
fn oracle(query: &ListQuery, s: &Service) -> bool {
    let words: Vec<String> = query
        .search
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let text_ok = words.iter().all(|w| {
        s.id.to_string().contains(w.as_str())
            || s.service_type.as_str().contains(w.as_str())
            || s.name.to_lowercase().contains(w.as_str())
    });
    let status_ok = query.statuses.is_empty() || query.statuses.contains(&s.status);
    let system_ok =
        query.source_systems.is_empty() || query.source_systems.contains(&s.source.system);
    let entity_ok =
        query.source_entities.is_empty() || query.source_entities.contains(&s.source.entity);
    let favourite_ok = !query.favourites || s.id.is_multiple_of(3);
    let failed_ok = !query.last_run_failed || s.health.last_run_status == Some(RunStatus::Failed);
    text_ok && status_ok && system_ok && entity_ok && favourite_ok && failed_ok
}

proptest! {
    #[test]
    fn query_string_round_trips(query in arb_query()) {
        let text = query.to_query();
        prop_assert_eq!(ListQuery::from_query(&text), query);
    }

    #[test]
    fn from_query_never_panics(text in "\\PC{0,80}") {
        let _ = ListQuery::from_query(&text);
    }

    #[test]
    fn results_are_exactly_the_matching_services(services in arb_services(), query in arb_query()) {
        let found = query.filter_sorted(&services, &starred());
        for s in &found {
            prop_assert!(oracle(&query, s), "service {} does not match but was returned", s.id);
        }
        let expected = services.iter().filter(|s| oracle(&query, s)).count();
        prop_assert_eq!(found.len(), expected, "a matching service is missing");
    }

    #[test]
    fn results_are_sorted_and_pages_partition_them(services in arb_services(), query in arb_query()) {
        let found = query.filter_sorted(&services, &starred());
        let mut again = found.clone();
        query.sort_services(&mut again);
        prop_assert_eq!(ids(&again), ids(&found), "sorting is not idempotent");

        let mut stitched = Vec::new();
        let mut page_query = query.clone();
        let page_count = query.page_of(&services, &starred()).page_count;
        for n in 1..=page_count {
            page_query.page.number = n;
            stitched.extend(page_query.page_of(&services, &starred()).items);
        }
        prop_assert_eq!(ids(&stitched), ids(&found));
    }

    #[test]
    fn sorting_by_last_run_orders_times_and_puts_never_run_last(
        services in arb_services(),
        desc in any::<bool>(),
    ) {
        let query = ListQuery {
            sort: Sort {
                key: SortKey::LastRun,
                direction: if desc { SortDirection::Descending } else { SortDirection::Ascending },
            },
            ..ListQuery::default()
        };
        let found = query.filter_sorted(&services, &starred());
        for pair in found.windows(2) {
            let (a, b) = (&pair[0].health.last_run_at, &pair[1].health.last_run_at);
            match (a, b) {
                (None, Some(_)) => prop_assert!(false, "a never-run service sorts before a run one"),
                (Some(_), None) => {}
                (Some(x), Some(y)) if x != y => prop_assert_eq!(x < y, !desc),
                _ => prop_assert!(pair[0].id < pair[1].id, "ties keep id order"),
            }
        }
    }
}

fn ids(list: &[&Service]) -> Vec<u64> {
    list.iter().map(|s| s.id).collect()
}

proptest! {
    #[test]
    fn the_index_answers_exactly_as_the_query_does(services in arb_services(), query in arb_query()) {
        let index = SearchIndex::new(&services);
        let hits = index.search(&query.search_terms());
        let matching = index.matching(&index.order(query.sort), &hits, &query, &starred());
        prop_assert_eq!(&matching, &ids(&query.filter_sorted(&services, &starred())));
        let page = SearchIndex::page(&matching, query.page);
        let expected = query.page_of(&services, &starred());
        prop_assert_eq!(page.ids, ids(&expected.items));
        prop_assert_eq!(
            (page.total, page.number, page.page_count),
            (expected.total, expected.number, expected.page_count)
        );
        prop_assert_eq!(index.facets(&hits, &query, &starred()), query.facets(&services, &starred()));
    }

    #[test]
    fn typing_on_narrows_to_what_a_fresh_search_finds(
        services in arb_services(),
        typed in arb_search(),
        more in "[a-zäß0-9 ]{0,4}",
    ) {
        let index = SearchIndex::new(&services);
        let before = ListQuery { search: typed.clone(), ..ListQuery::default() };
        let after = ListQuery { search: format!("{typed}{more}"), ..ListQuery::default() };
        let previous = index.search(&before.search_terms());
        prop_assert_eq!(
            index.narrow(&previous, &after.search_terms()),
            index.search(&after.search_terms())
        );
    }
}
