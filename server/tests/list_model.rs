//! The list in SQL answers exactly as the `services-model` rule does (`ListQuery`, which the SPA
//! runs in the browser): random groups — names with mixed case, non-ASCII letters and LIKE
//! metacharacters, renamed, deactivated, retyped and removed after insertion, some starred by the
//! user, with finished runs (ok or failed, some older than 24 hours) — and random searches,
//! filters (the Favourites and "Last run failed" filters too), sorts (by last run too) and
//! windows, compared on SQLite and on PostgreSQL, health (last run, failed in 24 h) included.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use services_model::{
    Endpoint, Favourites, Health, ListQuery, Role, RunStatus, RunTrigger, Service, ServiceType,
    Sort, SortDirection, SortKey, Status, Trigger,
};
use services_server::db::{Db, Location};
use services_server::repo;
use services_server::repo::list::{use_search_index, CountsCache};
use services_server::repo::services::ServiceRecord;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// Words names are made of: case variants, letters whose lowercase differs in length or
/// context (İ, ẞ, Σ), LIKE and FTS syntax characters, digits that also occur in ids.
const WORDS: &[&str] = &[
    "Shopify",
    "shopify",
    "SHOP",
    "orders",
    "Örders",
    "straße",
    "STRASSE",
    "ẞig",
    "İstanbul",
    "ΣΊΣΥΦΟΣ",
    "σίσυφος",
    "x_y",
    "50%",
    "a\\b",
    "\"quoted\"",
    "NOT",
    "AND",
    "o*",
    "ǅemal",
    "ﬁle",
    "sweeper",
    "Standard",
    "12",
    "2001",
    "to",
    "NetSuite",
    "stock",
    "zz",
];
const SYSTEMS: &[&str] = &["Shopify", "shopify", "NetSuite", "Ärger", "b", "Zeta"];
const ENTITIES: &[&str] = &["orders", "Orders", "stock", "straße"];

#[derive(Clone, Debug)]
struct Case {
    services: Vec<(u16, String, bool, bool, usize, usize, bool)>,
    /// Indexes (mod the group's size) to rename, deactivate and remove afterwards.
    renames: Vec<(usize, String)>,
    deactivate: Vec<usize>,
    remove: Vec<usize>,
    /// Indexes (mod the group's size) the user stars.
    starred: Vec<usize>,
    /// Finished runs, in order: (service index mod the group's size, failed, hours ago index).
    runs: Vec<(usize, bool, usize)>,
    queries: Vec<Query>,
}

/// How long ago the generated runs finished: within the last 24 hours, and well before.
const HOURS_AGO: [i64; 6] = [0, 1, 2, 3, 30, 48];

#[derive(Clone, Debug)]
struct Query {
    /// Words: taken from a name (by index and range) or from WORDS, upper- or lowercased.
    words: Vec<(usize, usize, usize, u8)>,
    statuses: Vec<bool>,
    systems: Vec<usize>,
    entities: Vec<usize>,
    sort: (usize, bool),
    limit: u64,
    offset: u64,
    favourites: bool,
    last_run_failed: bool,
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..4).prop_map(|w| w.join(" "))
}

fn query() -> impl Strategy<Value = Query> {
    (
        prop::collection::vec((any::<usize>(), 0usize..12, 1usize..6, 0u8..4), 0..3),
        prop::collection::vec(any::<bool>(), 0..3),
        prop::collection::vec(0..SYSTEMS.len() + 1, 0..3),
        prop::collection::vec(0..ENTITIES.len() + 1, 0..2),
        (0usize..SortKey::ALL.len(), any::<bool>()),
        1u64..80,
        0u64..40,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(words, statuses, systems, entities, sort, limit, offset, favourites, failed)| Query {
                last_run_failed: failed,
                words,
                statuses,
                systems,
                entities,
                sort,
                limit,
                offset,
                favourites,
            },
        )
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(
            (
                1u16..3000,
                name(),
                any::<bool>(),
                any::<bool>(),
                0..SYSTEMS.len(),
                0..ENTITIES.len(),
                any::<bool>(),
            ),
            0..120,
        ),
        prop::collection::vec((any::<usize>(), name()), 0..4),
        prop::collection::vec(any::<usize>(), 0..4),
        prop::collection::vec(any::<usize>(), 0..4),
        prop::collection::vec(any::<usize>(), 0..12),
        prop::collection::vec((any::<usize>(), any::<bool>(), 0..HOURS_AGO.len()), 0..40),
        prop::collection::vec(query(), 1..4),
    )
        .prop_map(
            |(services, renames, deactivate, remove, starred, runs, queries)| Case {
                runs,
                services,
                renames,
                deactivate,
                remove,
                starred,
                queries,
            },
        )
}

/// The query a `Query` describes over `services`.
fn list_query(q: &Query, services: &[Service]) -> ListQuery {
    let mut search = Vec::new();
    for (i, (pick, start, len, case)) in q.words.iter().enumerate() {
        let word: String = if services.is_empty() || i % 2 == 1 {
            WORDS[pick % WORDS.len()].to_string()
        } else {
            let source = &services[pick % services.len()];
            let text = if pick % 3 == 0 {
                source.id.to_string()
            } else {
                source.name.clone()
            };
            text.chars().skip(*start).take(*len).collect()
        };
        let word = match case {
            0 => word.to_uppercase(),
            1 => word.to_lowercase(),
            _ => word,
        };
        search.push(word);
    }
    ListQuery {
        search: format!(" {} ", search.join("  ")),
        statuses: q
            .statuses
            .iter()
            .map(|a| if *a { Status::Active } else { Status::Inactive })
            .collect(),
        source_systems: q
            .systems
            .iter()
            .map(|i| SYSTEMS.get(*i).copied().unwrap_or("Nowhere").to_string())
            .collect::<BTreeSet<_>>(),
        source_entities: q
            .entities
            .iter()
            .map(|i| ENTITIES.get(*i).copied().unwrap_or("nothing").to_string())
            .collect::<BTreeSet<_>>(),
        sort: Sort {
            key: SortKey::ALL[q.sort.0],
            direction: if q.sort.1 {
                SortDirection::Descending
            } else {
                SortDirection::Ascending
            },
        },
        favourites: q.favourites,
        last_run_failed: q.last_run_failed,
        ..ListQuery::default()
    }
}

struct Fixture {
    db: Db,
    company: u64,
    /// Whose favourites the list reads.
    user: u64,
    cache: CountsCache,
    /// Each case's ids are offset so that groups never share one.
    next_base: AtomicU64,
    /// How many page queries SQLite ran from its trigram index.
    indexed: AtomicU64,
}

async fn check(f: &Fixture, case: &Case) -> Result<(), TestCaseError> {
    let base = f.next_base.fetch_add(10_000, Ordering::SeqCst);
    let mut tx = f.db.begin().await.unwrap();
    let group = repo::groups::insert(&mut tx, f.company, "group")
        .await
        .unwrap();
    let mut seen = BTreeSet::new();
    let mut services: Vec<Service> = Vec::new();
    for (id, name, active, sweeper, system, entity, alerts) in &case.services {
        if !seen.insert(*id) {
            continue;
        }
        services.push(Service {
            id: base + u64::from(*id),
            group_id: group,
            name: name.clone(),
            service_type: if *sweeper {
                ServiceType::Sweeper
            } else {
                ServiceType::Standard
            },
            status: if *active {
                Status::Active
            } else {
                Status::Inactive
            },
            source: Endpoint::new(SYSTEMS[*system], ENTITIES[*entity]),
            destination: Endpoint::new("NetSuite", "orders"),
            trigger: Trigger::Webhook,
            alerts_enabled: *alerts,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            health: Health::default(),
        });
    }
    if !services.is_empty() {
        let records: Vec<ServiceRecord> = services
            .iter()
            .map(|s| ServiceRecord {
                service: s.clone(),
                notes: String::new(),
                alert_group_id: None,
            })
            .collect();
        repo::services::insert_many(&mut tx, &records)
            .await
            .unwrap();
    }
    // Finished runs through the repository, as the demo data writes them; the health the list
    // must show follows from them: the latest run's outcome and time, and the failures of the
    // last 24 hours.
    let now = services_server::clock::now_unix();
    let n = services.len();
    for (i, failed, ago) in case.runs.iter().filter(|_| n > 0) {
        let s = &mut services[i % n];
        let at = services_server::clock::format(now - HOURS_AGO[*ago] * 3600);
        let status = if *failed {
            RunStatus::Failed
        } else {
            RunStatus::Ok
        };
        repo::runs::insert_finished(&mut tx, s.id, RunTrigger::Schedule, status, &at, &at, 1, 1)
            .await
            .unwrap();
        s.health.last_run_status = Some(status);
        s.health.last_run_at = Some(at);
        if *failed && HOURS_AGO[*ago] < 24 {
            s.health.failed_24h += 1;
        }
    }
    tx.commit().await.unwrap();
    let mut favourites = Favourites::new();
    for i in &case.starred {
        if let Some(s) = services.get(i % services.len().max(1)) {
            repo::favourites::add(&f.db, f.user, s.id, "t")
                .await
                .unwrap();
            favourites.insert(s.id);
        }
    }
    let first = list_query(&case.queries[0], &services);
    compare(f, group, &first, &case.queries[0], &services, &favourites).await?;

    // Changes go through the repository, as the API makes them; the counts, the search index
    // and the cached counts must follow.
    if !services.is_empty() {
        for (i, name) in &case.renames {
            let n = services.len();
            let s = &mut services[i % n];
            let changes = repo::services::Changes {
                name: Some(name),
                ..Default::default()
            };
            repo::services::update(&f.db, s.id, &changes, "t")
                .await
                .unwrap();
            s.name = name.clone();
            s.updated_at = "t".into();
        }
        for i in &case.deactivate {
            let n = services.len();
            let s = &mut services[i % n];
            // Deactivated and retyped: the search (which reads the type) must follow.
            let retyped = match s.service_type {
                ServiceType::Standard => ServiceType::Sweeper,
                ServiceType::Sweeper => ServiceType::Standard,
            };
            let changes = repo::services::Changes {
                status: Some(Status::Inactive),
                service_type: Some(retyped),
                ..Default::default()
            };
            repo::services::update(&f.db, s.id, &changes, "t")
                .await
                .unwrap();
            s.status = Status::Inactive;
            s.service_type = retyped;
            s.updated_at = "t".into();
        }
        for i in &case.remove {
            if services.is_empty() {
                break;
            }
            let n = services.len();
            let s = services.remove(i % n);
            repo::services::delete(&f.db, s.id).await.unwrap();
            favourites.remove(&s.id);
        }
    }
    services.sort_by_key(|s| s.id);
    for q in &case.queries {
        let query = list_query(q, &services);
        compare(f, group, &query, q, &services, &favourites).await?;
    }
    Ok(())
}

async fn compare(
    f: &Fixture,
    group: u64,
    query: &ListQuery,
    q: &Query,
    services: &[Service],
    favourites: &Favourites,
) -> Result<(), TestCaseError> {
    let listing = repo::list::list(
        &f.db, &f.cache, f.company, f.user, group, query, q.limit, q.offset,
    )
    .await
    .unwrap()
    .expect("the group exists");
    let expected = query.filter_sorted(services, favourites);
    let expected_ids: Vec<u64> = expected
        .iter()
        .skip(q.offset as usize)
        .take(q.limit as usize)
        .map(|s| s.id)
        .collect();
    let got: Vec<u64> = listing.items.iter().map(|(s, _)| s.id).collect();
    prop_assert_eq!(&got, &expected_ids, "query {:?}", query);
    prop_assert_eq!(listing.total, expected.len() as u64, "total of {:?}", query);
    prop_assert_eq!(
        &listing.facets,
        &query.facets(services, favourites),
        "facets of {:?}",
        query
    );
    prop_assert_eq!(listing.group_size, services.len() as u64);
    for (got, want) in listing
        .items
        .iter()
        .zip(expected.iter().skip(q.offset as usize))
    {
        prop_assert_eq!(&got.0, *want);
    }
    let searched = services
        .iter()
        .filter(|s| {
            query
                .with_search(&query.search)
                .cleared_filters()
                .matches(s, favourites)
        })
        .count() as u64;
    if !query.search_terms().is_empty() && use_search_index(searched, services.len() as u64) {
        f.indexed.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

fn run(location: impl FnOnce() -> Location) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let location = match location() {
        Location::Sqlite(_) => Location::Sqlite(dir.path().join("model.sqlite3")),
        pg => pg,
    };
    let fixture = rt.block_on(async {
        let db = Db::open(&location).await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let company = repo::users::insert_company(&mut tx, "Model").await.unwrap();
        let user = repo::users::insert_user(
            &mut tx,
            &repo::users::NewUser {
                company_id: company,
                name: "Model",
                email: "model@example.test",
                role: Role::User,
                kind: repo::users::UserKind::Person,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        Fixture {
            db,
            company,
            user,
            cache: CountsCache::default(),
            next_base: AtomicU64::new(0),
            indexed: AtomicU64::new(0),
        }
    });
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    });
    runner
        .run(&case(), |case| rt.block_on(check(&fixture, &case)))
        .unwrap();
    let indexed = fixture.indexed.load(Ordering::SeqCst);
    assert!(
        indexed > 5,
        "only {indexed} queries were selective enough to use the search index"
    );
    rt.block_on(fixture.db.close());
}

#[test]
fn the_list_in_sqlite_answers_as_the_model() {
    run(|| Location::Sqlite("unused".into()));
}

#[test]
fn the_list_in_postgres_answers_as_the_model() {
    let url = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(common::postgres::new_database());
    run(|| Location::Postgres(url));
}
