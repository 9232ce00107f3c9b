//! Demo data (`--demo`) for a new database: two companies, each with a user of every role and
//! notification groups; Northwind's three company groups hold about 150 services over systems
//! and entities from the Patchworks supported list, with runs from the last day. The services
//! are the same in every demo database (run times are relative to now); the users' tokens are
//! random per database, kept readable in `demo_credentials` for the demo sign-in.

use crate::auth::{hash_token, new_token};
use crate::db::{Db, DbError, Tx};
use crate::repo;
use crate::repo::services::ServiceRecord;
use crate::repo::users::{NewUser, UserKind};
use services_model::{
    Endpoint, LogLevel, Role, RunStatus, RunTrigger, Service, ServiceType, Status, Trigger,
};

/// A demo company: its users (name, email, role) and company groups (name, services).
pub struct DemoCompany {
    pub name: &'static str,
    pub domain: &'static str,
    pub users: [(&'static str, Role); 4],
    pub groups: &'static [(&'static str, usize)],
    pub first_service_id: u64,
}

pub const COMPANIES: [DemoCompany; 2] = [
    DemoCompany {
        name: "Northwind Trading",
        domain: "northwind.example",
        users: [
            ("Ada Morgan", Role::Admin),
            ("Ben Carter", Role::Manager),
            ("Chloe Patel", Role::User),
            ("Dan Hughes", Role::ReadOnly),
        ],
        groups: &GROUPS,
        first_service_id: FIRST_SERVICE_ID,
    },
    DemoCompany {
        name: "Contoso Outfitters",
        domain: "contoso.example",
        users: [
            ("Eve Lindqvist", Role::Admin),
            ("Finn Obrien", Role::Manager),
            ("Grace Kim", Role::User),
            ("Hugo Silva", Role::ReadOnly),
        ],
        groups: &[("Contoso Online", 16), ("Contoso Stores", 8)],
        first_service_id: 5001,
    },
];

/// Northwind's company groups and how many services each holds.
pub const GROUPS: [(&str, usize); 3] = [
    ("Northwind Retail UK", 64),
    ("Northwind Retail EU", 52),
    ("Northwind Wholesale", 34),
];

/// The first seeded service id; ids then count up across all groups.
pub const FIRST_SERVICE_ID: u64 = 2001;

/// Plausible flows: (source system, source entity, destination system, destination entity).
pub const FLOWS: &[(&str, &str, &str, &str)] = &[
    ("Shopify", "orders", "NetSuite", "sales orders"),
    ("Shopify", "orders", "Descartes Peoplevox", "sales orders"),
    ("Shopify", "refunds", "NetSuite", "credit memos"),
    ("Shopify", "customers", "NetSuite", "customers"),
    ("NetSuite", "products", "Shopify", "products"),
    ("NetSuite", "stock", "Shopify", "inventory levels"),
    ("NetSuite", "prices", "Shopify", "price lists"),
    ("NetSuite", "fulfilments", "Shopify", "fulfilments"),
    (
        "Descartes Peoplevox",
        "fulfilments",
        "Shopify",
        "fulfilments",
    ),
    (
        "Descartes Peoplevox",
        "stock",
        "NetSuite",
        "inventory adjustments",
    ),
    ("Brightpearl", "products", "Magento 2", "products"),
    ("Brightpearl", "stock", "Magento 2", "stock"),
    ("Magento 2", "orders", "Brightpearl", "sales orders"),
    ("Magento 2", "refunds", "Brightpearl", "credit notes"),
    ("BigCommerce", "orders", "Linnworks", "orders"),
    ("Linnworks", "stock", "BigCommerce", "inventory levels"),
    ("Linnworks", "fulfilments", "BigCommerce", "shipments"),
    ("Veeqo", "stock", "WooCommerce", "stock"),
    ("WooCommerce", "orders", "Veeqo", "orders"),
    (
        "WooCommerce",
        "customers",
        "SAP Business One",
        "business partners",
    ),
    ("SAP Business One", "products", "WooCommerce", "products"),
    ("SAP Business One", "stock", "Shopify", "inventory levels"),
    ("TikTok Shop", "orders", "NetSuite", "sales orders"),
    ("Global-e", "orders", "NetSuite", "sales orders"),
    ("Business Central", "products", "Shopify", "products"),
    ("Shopify", "orders", "Business Central", "sales orders"),
];

/// Qualifiers that tell apart two services with the same flow, as ops teams name them.
pub const QUALIFIERS: [&str; 8] = [
    "main store",
    "outlet",
    "B2B",
    "marketplace",
    "trade",
    "clearance",
    "backfill",
    "priority",
];

pub const SCHEDULES: [&str; 9] = [
    "*/5 * * * *",
    "*/10 * * * *",
    "*/15 * * * *",
    "*/30 * * * *",
    "0 * * * *",
    "0 */2 * * *",
    "0 2 * * *",
    "30 6 * * 1-5",
    "0 0 * * 0",
];

pub const SWEEPER_SCHEDULES: [&str; 3] = ["0 3 * * *", "0 1,13 * * *", "15 4 * * *"];

/// A small linear congruential generator: deterministic and dependency-free.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

fn email(name: &str, domain: &str) -> String {
    format!("{}@{domain}", name.to_lowercase().replace(' ', "."))
}

/// Seeds an empty database; leaves one that already has companies alone. Returns whether it
/// seeded. `now` (Unix seconds) anchors the demo runs in the last 24 hours.
pub async fn seed_if_empty(db: &Db, now: i64) -> Result<bool, DbError> {
    let mut tx = db.begin().await?;
    let companies: i64 = crate::with_tx!(&mut tx, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM companies")
            .fetch_one(&mut *conn)
            .await?
    });
    if companies > 0 {
        return Ok(false);
    }
    let mut rng = Lcg(0x5EED_2026);
    for company in &COMPANIES {
        let company_id = repo::users::insert_company(&mut tx, company.name).await?;
        let mut user_ids = Vec::new();
        for (name, role) in company.users {
            let email = email(name, company.domain);
            let new = NewUser {
                company_id,
                name,
                email: &email,
                role,
                kind: UserKind::Demo,
            };
            // The token embeds the user id, so insert first and set the hash after.
            let id = repo::users::insert_user(&mut tx, &new).await?;
            let token = new_token(id);
            repo::users::set_token_hash(&mut tx, id, &hash_token(&token)).await?;
            repo::users::insert_demo_credential(&mut tx, id, &token).await?;
            user_ids.push(id);
        }
        let on_call = repo::notifications::insert_group(&mut tx, company_id, "Ops on-call").await?;
        repo::notifications::add_user(&mut tx, on_call, user_ids[0]).await?;
        repo::notifications::add_user(&mut tx, on_call, user_ids[1]).await?;
        repo::notifications::add_email(&mut tx, on_call, &format!("oncall@{}", company.domain))
            .await?;
        let warehouse =
            repo::notifications::insert_group(&mut tx, company_id, "Warehouse team").await?;
        repo::notifications::add_email(
            &mut tx,
            warehouse,
            &format!("warehouse@{}", company.domain),
        )
        .await?;

        let mut next_id = company.first_service_id;
        for (group_name, count) in company.groups {
            let group_id = repo::groups::insert(&mut tx, company_id, group_name).await?;
            let mut names = std::collections::HashSet::new();
            for n in 0..*count {
                let service = demo_service(&mut rng, next_id, group_id, n, &mut names);
                let alert_group = if service.alerts_enabled {
                    Some(if rng.chance(70) { on_call } else { warehouse })
                } else {
                    None
                };
                let record = ServiceRecord {
                    service,
                    notes: String::new(),
                    alert_group_id: alert_group,
                };
                repo::services::insert(&mut tx, &record).await?;
                if record.service.status == Status::Active {
                    demo_runs(&mut tx, &mut rng, &record.service, now).await?;
                }
                next_id += 1;
            }
        }
    }
    repo::meta::sync_id_sequences(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// A few finished runs in the last 24 hours, with their logs.
async fn demo_runs(tx: &mut Tx, rng: &mut Lcg, service: &Service, now: i64) -> Result<(), DbError> {
    for _ in 0..rng.below(4) {
        let started = now - 60 * (10 + rng.below(23 * 60) as i64);
        let finished = started + 20 + rng.below(300) as i64;
        let failed = rng.chance(15);
        let pulled = 1 + rng.below(240) as u64;
        let pushed = if failed { pulled / 2 } else { pulled };
        let status = if failed {
            RunStatus::Failed
        } else {
            RunStatus::Ok
        };
        let trigger = if rng.chance(85) {
            RunTrigger::Schedule
        } else {
            RunTrigger::Manual
        };
        let (at, end) = (
            crate::clock::format(started),
            crate::clock::format(finished),
        );
        let id =
            repo::runs::insert_finished(tx, service.id, trigger, status, &at, &end, pulled, pushed)
                .await?;
        let (src, dst) = (&service.source, &service.destination);
        let lines = [
            (
                LogLevel::Info,
                format!(
                    "Run started: {} {} → {} {}.",
                    src.system, src.entity, dst.system, dst.entity
                ),
            ),
            (
                LogLevel::Info,
                format!("Pulled {pulled} {} from {}.", src.entity, src.system),
            ),
            (
                LogLevel::Info,
                format!(
                    "Pushing {pulled} record(s) to {} {}.",
                    dst.system, dst.entity
                ),
            ),
            if failed {
                (
                    LogLevel::Error,
                    format!(
                        "{} rejected {} record(s): HTTP 422 \"Required field missing: sku\".",
                        dst.system,
                        pulled - pushed
                    ),
                )
            } else {
                (
                    LogLevel::Info,
                    format!(
                        "Pushed {pushed} record(s) to {}. Sync complete.",
                        dst.system
                    ),
                )
            },
        ];
        for (level, message) in lines {
            repo::runs::append_log_in(
                tx,
                id,
                level,
                &message,
                if level == LogLevel::Error { &end } else { &at },
            )
            .await?;
        }
    }
    Ok(())
}

fn demo_service(
    rng: &mut Lcg,
    id: u64,
    group_id: u64,
    index: usize,
    names: &mut std::collections::HashSet<String>,
) -> Service {
    random_service(
        rng,
        id,
        group_id,
        |rng, base| {
            let mut name = base.clone();
            while !names.insert(name.clone()) {
                name = format!("{base} ({})", QUALIFIERS[rng.below(QUALIFIERS.len())]);
                if names.contains(&name) {
                    name = format!("{base} #{index}");
                }
            }
            name
        },
        |rng| {
            let created = timestamp(
                2025,
                rng.below(12) as u32 + 1,
                rng.below(28) as u32 + 1,
                rng.below(24) as u32,
            );
            let updated = timestamp(
                2026,
                rng.below(10) as u32 + 1,
                rng.below(28) as u32 + 1,
                rng.below(24) as u32,
            );
            (created, updated)
        },
    )
}

/// A plausible service: a flow from `FLOWS`, 15% sweepers, 15% of the rest on a webhook, 75%
/// active, 60% with alerts. `name` makes the name from the flow's ("Shopify orders to
/// NetSuite"); `stamps` the created and updated times. The demo data and the load generator
/// both use it (the order of the draws keeps the demo data as it always was).
pub fn random_service(
    rng: &mut Lcg,
    id: u64,
    group_id: u64,
    name: impl FnOnce(&mut Lcg, String) -> String,
    stamps: impl FnOnce(&mut Lcg) -> (String, String),
) -> Service {
    let (src, src_entity, dst, dst_entity) = FLOWS[rng.below(FLOWS.len())];
    let service_type = if rng.chance(15) {
        ServiceType::Sweeper
    } else {
        ServiceType::Standard
    };
    let base = match service_type {
        ServiceType::Standard => format!("{src} {src_entity} to {dst}"),
        ServiceType::Sweeper => format!("Sweep failed {src} {src_entity} to {dst}"),
    };
    let name = name(rng, base);
    let trigger = match service_type {
        ServiceType::Sweeper => Trigger::Schedule {
            cron: SWEEPER_SCHEDULES[rng.below(SWEEPER_SCHEDULES.len())].into(),
        },
        ServiceType::Standard if rng.chance(15) => Trigger::Webhook,
        ServiceType::Standard => Trigger::Schedule {
            cron: SCHEDULES[rng.below(SCHEDULES.len())].into(),
        },
    };
    let (created_at, updated_at) = stamps(rng);
    Service {
        id,
        group_id,
        name,
        service_type,
        status: if rng.chance(75) {
            Status::Active
        } else {
            Status::Inactive
        },
        source: Endpoint::new(src, src_entity),
        destination: Endpoint::new(dst, dst_entity),
        trigger,
        alerts_enabled: rng.chance(60),
        created_at,
        updated_at,
        health: Default::default(),
    }
}

fn timestamp(year: u32, month: u32, day: u32, hour: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Location;
    use services_model::Cron;

    async fn seeded() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&Location::Sqlite(dir.path().join("seed.sqlite3")))
            .await
            .unwrap();
        assert!(seed_if_empty(&db, 1_795_789_500).await.unwrap());
        (dir, db)
    }

    #[tokio::test]
    async fn seeds_three_northwind_groups_and_150_valid_services_once() {
        let (_dir, db) = seeded().await;
        let groups = repo::groups::list(&db, 1).await.unwrap();
        assert_eq!(groups.len(), 3);
        let mut total = 0;
        for g in &groups {
            let services = repo::services::in_group(&db, g.group.id).await.unwrap();
            assert_eq!(services.len() as u64, g.service_count);
            let names: std::collections::HashSet<_> = services.iter().map(|s| &s.name).collect();
            assert_eq!(
                names.len(),
                services.len(),
                "names are unique within a group"
            );
            for s in &services {
                if let Trigger::Schedule { cron } = &s.trigger {
                    Cron::parse(cron).unwrap();
                }
            }
            total += services.len();
        }
        assert_eq!(total, 150);
        assert_eq!(repo::groups::list(&db, 2).await.unwrap().len(), 2);
        assert!(
            !seed_if_empty(&db, 0).await.unwrap(),
            "a second start must not seed again"
        );
    }

    #[tokio::test]
    async fn every_role_in_both_companies_has_a_working_random_demo_token() {
        let (_dir, db) = seeded().await;
        let users = repo::users::demo_users(&db).await.unwrap();
        assert_eq!(users.len(), 8);
        for company in 1..=2 {
            let roles: Vec<Role> = users
                .iter()
                .filter(|(u, _)| u.company.id == company)
                .map(|(u, _)| u.role)
                .collect();
            assert_eq!(roles, Role::ALL.to_vec());
        }
        assert_eq!(users[0].0.email, "ada.morgan@northwind.example");
        let (_other_dir, other) = seeded().await;
        let others = repo::users::demo_users(&other).await.unwrap();
        for ((a, ta), (b, tb)) in users.iter().zip(&others) {
            assert_eq!(a.email, b.email);
            assert_ne!(ta, tb, "tokens differ between demo databases");
        }
    }

    #[tokio::test]
    async fn demo_data_is_varied() {
        let (_dir, db) = seeded().await;
        let mut all: Vec<Service> = Vec::new();
        for g in 1..=3 {
            all.extend(repo::services::in_group(&db, g).await.unwrap());
        }
        let systems: std::collections::HashSet<_> = all.iter().map(|s| &s.source.system).collect();
        assert!(systems.len() >= 8, "only {} source systems", systems.len());
        assert!(all.iter().any(|s| s.status == Status::Inactive));
        assert!(all.iter().any(|s| s.service_type == ServiceType::Sweeper));
        assert!(all.iter().any(|s| s.trigger == Trigger::Webhook));
        assert!(all.iter().any(|s| s.alerts_enabled) && all.iter().any(|s| !s.alerts_enabled));
        let mut runs = 0;
        for s in &all {
            runs += repo::runs::since(&db, s.id, "2000-01-01T00:00:00Z")
                .await
                .unwrap()
                .len();
        }
        assert!(runs > 100, "{runs} demo runs");
    }
}
