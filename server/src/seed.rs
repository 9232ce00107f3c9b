//! Realistic demo data for a new database: two companies, each with a user of every role and
//! notification groups; Northwind's three company groups hold about 150 services over systems
//! and entities from the Patchworks supported list, with runs from the last day. Deterministic
//! (apart from run times, which are relative to now), so every fresh database looks the same.

use crate::auth::{demo_token, hash_token};
use crate::repo;
use crate::repo::services::ServiceRecord;
use rusqlite::Connection;
use services_model::{
    Endpoint, LogLevel, Me, Role, RunStatus, RunTrigger, Service, ServiceType, Status, Trigger,
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
const FLOWS: &[(&str, &str, &str, &str)] = &[
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
const QUALIFIERS: [&str; 8] = [
    "main store",
    "outlet",
    "B2B",
    "marketplace",
    "trade",
    "clearance",
    "backfill",
    "priority",
];

const SCHEDULES: [&str; 9] = [
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

const SWEEPER_SCHEDULES: [&str; 3] = ["0 3 * * *", "0 1,13 * * *", "15 4 * * *"];

/// A small linear congruential generator: deterministic and dependency-free.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn email(name: &str, domain: &str) -> String {
    format!("{}@{domain}", name.to_lowercase().replace(' ', "."))
}

/// Seeds an empty database; leaves one that already has companies alone. Returns whether it
/// seeded. `now` (Unix seconds) anchors the demo runs in the last 24 hours.
pub fn seed_if_empty(conn: &mut Connection, now: i64) -> rusqlite::Result<bool> {
    let companies: u64 = conn.query_row("SELECT COUNT(*) FROM companies", [], |r| r.get(0))?;
    if companies > 0 {
        return Ok(false);
    }
    let tx = conn.transaction()?;
    let mut rng = Lcg(0x5EED_2026);
    for company in &COMPANIES {
        let company_id = repo::users::insert_company(&tx, company.name)?;
        let mut user_ids = Vec::new();
        for (name, role) in company.users {
            let email = email(name, company.domain);
            // The token embeds the user id, so insert first and set the hash after.
            let id = repo::users::insert_user(&tx, company_id, name, &email, role, &[])?;
            tx.execute(
                "UPDATE users SET token_hash = ?2 WHERE id = ?1",
                rusqlite::params![id, hash_token(&demo_token(id, &email))],
            )?;
            user_ids.push(id);
        }
        let on_call = repo::notifications::insert_group(&tx, company_id, "Ops on-call")?;
        repo::notifications::add_user(&tx, on_call, user_ids[0])?;
        repo::notifications::add_user(&tx, on_call, user_ids[1])?;
        repo::notifications::add_email(&tx, on_call, &format!("oncall@{}", company.domain))?;
        let warehouse = repo::notifications::insert_group(&tx, company_id, "Warehouse team")?;
        repo::notifications::add_email(&tx, warehouse, &format!("warehouse@{}", company.domain))?;

        let mut next_id = company.first_service_id;
        for (group_name, count) in company.groups {
            let group_id = repo::groups::insert(&tx, company_id, group_name)?;
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
                repo::services::insert(&tx, &record)?;
                if record.service.status == Status::Active {
                    demo_runs(&tx, &mut rng, &record.service, now)?;
                }
                next_id += 1;
            }
        }
    }
    tx.commit()?;
    Ok(true)
}

/// A few finished runs in the last 24 hours, with their logs.
fn demo_runs(
    conn: &Connection,
    rng: &mut Lcg,
    service: &Service,
    now: i64,
) -> rusqlite::Result<()> {
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
        let id = repo::runs::insert_finished(
            conn, service.id, trigger, status, &at, &end, pulled, pushed,
        )?;
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
            repo::runs::append_log(
                conn,
                id,
                level,
                &message,
                if level == LogLevel::Error { &end } else { &at },
            )?;
        }
    }
    Ok(())
}

/// The seeded users whose demo tokens still work, with those tokens.
pub fn demo_users(conn: &Connection) -> rusqlite::Result<Vec<(Me, String)>> {
    let mut out = Vec::new();
    for me in repo::users::all_users(conn)? {
        let token = demo_token(me.id, &me.email);
        let stored = repo::users::credentials(conn, me.id)?.map(|c| c.token_hash);
        if stored.as_deref() == Some(hash_token(&token).as_slice()) {
            out.push((me, token));
        }
    }
    Ok(out)
}

fn demo_service(
    rng: &mut Lcg,
    id: u64,
    group_id: u64,
    index: usize,
    names: &mut std::collections::HashSet<String>,
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
    let mut name = base.clone();
    while !names.insert(name.clone()) {
        name = format!("{base} ({})", QUALIFIERS[rng.below(QUALIFIERS.len())]);
        if names.contains(&name) {
            name = format!("{base} #{index}");
        }
    }
    let trigger = match service_type {
        ServiceType::Sweeper => Trigger::Schedule {
            cron: SWEEPER_SCHEDULES[rng.below(SWEEPER_SCHEDULES.len())].into(),
        },
        ServiceType::Standard if rng.chance(15) => Trigger::Webhook,
        ServiceType::Standard => Trigger::Schedule {
            cron: SCHEDULES[rng.below(SCHEDULES.len())].into(),
        },
    };
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
        created_at: created,
        updated_at: updated,
    }
}

fn timestamp(year: u32, month: u32, day: u32, hour: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use services_model::Cron;

    fn seeded() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        drop(crate::db::Db::open(&dir.path().join("seed.sqlite3")).unwrap());
        let mut conn = Connection::open(dir.path().join("seed.sqlite3")).unwrap();
        assert!(seed_if_empty(&mut conn, 1_795_789_500).unwrap());
        (dir, conn)
    }

    #[test]
    fn seeds_three_northwind_groups_and_150_valid_services_once() {
        let (_dir, mut conn) = seeded();
        let groups = repo::groups::list(&conn, 1).unwrap();
        assert_eq!(groups.len(), 3);
        let mut total = 0;
        for g in &groups {
            let services = repo::services::in_group(&conn, g.group.id).unwrap();
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
        assert_eq!(repo::groups::list(&conn, 2).unwrap().len(), 2);
        assert!(
            !seed_if_empty(&mut conn, 0).unwrap(),
            "a second start must not seed again"
        );
    }

    #[test]
    fn every_role_in_both_companies_has_a_working_demo_token() {
        let (_dir, conn) = seeded();
        let users = demo_users(&conn).unwrap();
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
    }

    #[test]
    fn demo_data_is_varied() {
        let (_dir, conn) = seeded();
        let all: Vec<Service> = (1..=3)
            .flat_map(|g| repo::services::in_group(&conn, g).unwrap())
            .collect();
        let systems: std::collections::HashSet<_> = all.iter().map(|s| &s.source.system).collect();
        assert!(systems.len() >= 8, "only {} source systems", systems.len());
        assert!(all.iter().any(|s| s.status == Status::Inactive));
        assert!(all.iter().any(|s| s.service_type == ServiceType::Sweeper));
        assert!(all.iter().any(|s| s.trigger == Trigger::Webhook));
        assert!(all.iter().any(|s| s.alerts_enabled) && all.iter().any(|s| !s.alerts_enabled));
        let runs: u64 = conn
            .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))
            .unwrap();
        assert!(runs > 100, "{runs} demo runs");
    }
}
