//! Realistic demo data for a new database: three company groups and about 150 services over
//! systems and entities from the Patchworks supported list. Deterministic, so every fresh
//! database (and every test) sees the same data.

use crate::repo;
use rusqlite::Connection;
use services_model::{Endpoint, Service, ServiceType, Status, Trigger};

/// Company groups and how many services each holds.
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

/// Seeds an empty database; leaves one that already has groups alone. Returns whether it seeded.
pub fn seed_if_empty(conn: &mut Connection) -> rusqlite::Result<bool> {
    let groups: u64 = conn.query_row("SELECT COUNT(*) FROM company_groups", [], |r| r.get(0))?;
    if groups > 0 {
        return Ok(false);
    }
    let tx = conn.transaction()?;
    let mut rng = Lcg(0x5EED_2026);
    let mut next_id = FIRST_SERVICE_ID;
    for (group_name, count) in GROUPS {
        let group_id = repo::insert_group(&tx, group_name)?;
        let mut names = std::collections::HashSet::new();
        for n in 0..count {
            let service = demo_service(&mut rng, next_id, group_id, n, &mut names);
            repo::insert_service(&tx, &service)?;
            next_id += 1;
        }
    }
    tx.commit()?;
    Ok(true)
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

    fn seeded() -> Connection {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("seed.sqlite3")).unwrap();
        drop(db);
        let mut conn = Connection::open(dir.path().join("seed.sqlite3")).unwrap();
        assert!(seed_if_empty(&mut conn).unwrap());
        conn
    }

    #[test]
    fn seeds_three_groups_and_about_150_valid_services_once() {
        let mut conn = seeded();
        let groups = repo::list_groups(&conn).unwrap();
        assert_eq!(groups.len(), 3);
        let mut total = 0;
        for g in &groups {
            let services = repo::services_in_group(&conn, g.group.id).unwrap();
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
        assert!(
            !seed_if_empty(&mut conn).unwrap(),
            "a second start must not seed again"
        );
    }

    #[test]
    fn demo_data_is_varied() {
        let conn = seeded();
        let all: Vec<Service> = (1..=3)
            .flat_map(|g| repo::services_in_group(&conn, g).unwrap())
            .collect();
        let systems: std::collections::HashSet<_> = all.iter().map(|s| &s.source.system).collect();
        assert!(systems.len() >= 8, "only {} source systems", systems.len());
        assert!(all.iter().any(|s| s.status == Status::Inactive));
        assert!(all.iter().any(|s| s.service_type == ServiceType::Sweeper));
        assert!(all.iter().any(|s| s.trigger == Trigger::Webhook));
        assert!(all.iter().any(|s| s.alerts_enabled) && all.iter().any(|s| !s.alerts_enabled));
    }
}
