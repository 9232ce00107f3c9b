#!/usr/bin/env python3
"""Grows a company group of a services database to N realistic services, for `make bench`.

The one place the benchmark's data comes from: `bench/lib/data.mjs` calls it on a database the
release server has just created (migrated and seeded with the demo data), with the server stopped.
When `services-server generate` (issue 11) lands, `data.mjs` can call that instead.

Services look like the seeded ones (server/src/seed.rs): flows between systems of the Patchworks
list, "Shopify orders to NetSuite (outlet 0412)" names, standard and sweeper types, cron or webhook
triggers, three in four active, alerts on for about 60 %. Active services get one to three finished
runs in the last day, so `last_run` is filled in as in a real group. Deterministic: the same
arguments give the same services (run times are relative to now).

    python3 bench/generate.py DB --group 1 --count 10000
"""

import argparse
import random
import sqlite3
import time

# The seed's flows (common ones first, so they are the most frequent) ...
COMMON_FLOWS = [
    ("Shopify", "orders", "NetSuite", "sales orders"),
    ("Shopify", "orders", "Descartes Peoplevox", "sales orders"),
    ("Shopify", "refunds", "NetSuite", "credit memos"),
    ("Shopify", "customers", "NetSuite", "customers"),
    ("NetSuite", "products", "Shopify", "products"),
    ("NetSuite", "stock", "Shopify", "inventory levels"),
    ("NetSuite", "prices", "Shopify", "price lists"),
    ("NetSuite", "fulfilments", "Shopify", "fulfilments"),
    ("Descartes Peoplevox", "fulfilments", "Shopify", "fulfilments"),
    ("Descartes Peoplevox", "stock", "NetSuite", "inventory adjustments"),
    ("Brightpearl", "products", "Magento 2", "products"),
    ("Brightpearl", "stock", "Magento 2", "stock"),
    ("Magento 2", "orders", "Brightpearl", "sales orders"),
    ("Magento 2", "refunds", "Brightpearl", "credit notes"),
    ("BigCommerce", "orders", "Linnworks", "orders"),
    ("Linnworks", "stock", "BigCommerce", "inventory levels"),
    ("Linnworks", "fulfilments", "BigCommerce", "shipments"),
    ("Veeqo", "stock", "WooCommerce", "stock"),
    ("WooCommerce", "orders", "Veeqo", "orders"),
    ("WooCommerce", "customers", "SAP Business One", "business partners"),
    ("SAP Business One", "products", "WooCommerce", "products"),
    ("SAP Business One", "stock", "Shopify", "inventory levels"),
    ("TikTok Shop", "orders", "NetSuite", "sales orders"),
    ("Global-e", "orders", "NetSuite", "sales orders"),
    ("Business Central", "products", "Shopify", "products"),
    ("Shopify", "orders", "Business Central", "sales orders"),
]

# ... and the rest of the supported systems (server/src/systems.rs) with the entities they offer.
COMMERCE = ["orders", "products", "stock", "customers", "fulfilments", "refunds", "prices"]
ERP = COMMERCE + ["locations", "payment terms"]
WAREHOUSE = ["orders", "products", "stock", "fulfilments", "returns"]
MARKETING = ["customers", "orders", "products"]
FILES = ["orders", "products", "stock", "fulfilments"]
SYSTEMS = {
    "Active Ants": WAREHOUSE, "BigCommerce": COMMERCE, "Bleckmann": WAREHOUSE,
    "Bleckmann Returns": ["returns", "refunds"], "Bleckmann SFTP": FILES, "Brightpearl": ERP,
    "Business Central": ERP, "Citrus-Lime": COMMERCE, "CommerceTools": COMMERCE,
    "Cybertill": COMMERCE, "Descartes Peoplevox": WAREHOUSE, "Dynamics NAV": ERP,
    "Emarsys": MARKETING, "EposNow": COMMERCE, "Global-e": ["orders", "refunds", "fulfilments"],
    "Inventory Planner": ["products", "stock", "purchase orders"], "Khaos Control": ERP,
    "Lightspeed Retail R-Series": COMMERCE, "Lightspeed Retail X-Series": COMMERCE,
    "Linnworks": WAREHOUSE, "Magento 2": COMMERCE,
    "Mirakl": ["orders", "products", "stock", "refunds"], "Navision": ERP, "NetSuite": ERP,
    "Odoo": ERP, "Ometria": MARKETING, "Patchworks SFTP": FILES, "Plytix": ["products", "prices"],
    "Prima": ERP, "ReBound": ["returns", "refunds"], "SAP Business One": ERP, "Seko": WAREHOUSE,
    "Shopify": COMMERCE, "Sitoo": COMMERCE, "SparkLayer": ["prices", "customers"],
    "The Edge by John Lewis": ["orders", "products", "stock"],
    "TikTok Shop": ["orders", "products", "stock", "refunds"], "Torque": WAREHOUSE,
    "Veeqo": WAREHOUSE, "Vend": COMMERCE, "Visualsoft": COMMERCE, "Voyado": MARKETING,
    "WooCommerce": COMMERCE, "ZigZag": ["returns"],
}

QUALIFIERS = ["main store", "outlet", "B2B", "marketplace", "trade", "clearance", "backfill",
              "priority", "UK", "EU", "US", "wholesale", "retail", "invoices"]
SCHEDULES = ["*/5 * * * *", "*/10 * * * *", "*/15 * * * *", "*/30 * * * *", "0 * * * *",
             "0 */2 * * *", "0 2 * * *", "30 6 * * 1-5", "0 0 * * 0"]
SWEEPER_SCHEDULES = ["0 3 * * *", "0 1,13 * * *", "15 4 * * *"]


def flow(rng):
    if rng.random() < 0.6:
        return rng.choice(COMMON_FLOWS)
    names = sorted(SYSTEMS)
    while True:
        src, dst = rng.choice(names), rng.choice(names)
        entity = rng.choice(SYSTEMS[src])
        if src != dst and entity in SYSTEMS[dst]:
            return (src, entity, dst, entity)


def stamp(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def grow(db, group, count, seed=2026):
    rng = random.Random(seed * 1_000_003 + group * 7919 + count)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = ON")
    have = conn.execute("SELECT COUNT(*) FROM services WHERE group_id = ?", (group,)).fetchone()[0]
    if conn.execute("SELECT COUNT(*) FROM company_groups WHERE id = ?", (group,)).fetchone()[0] != 1:
        raise SystemExit(f"generate: no company group {group} in {db}")
    company = conn.execute("SELECT company_id FROM company_groups WHERE id = ?", (group,)).fetchone()[0]
    alert_groups = [r[0] for r in conn.execute(
        "SELECT id FROM notification_groups WHERE company_id = ? ORDER BY id", (company,))]
    next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM services").fetchone()[0]
    names = {r[0] for r in conn.execute("SELECT name FROM services WHERE group_id = ?", (group,))}
    now = int(time.time())
    services, runs = [], []
    for n in range(max(0, count - have)):
        src, src_entity, dst, dst_entity = flow(rng)
        sweeper = rng.random() < 0.15
        base = (f"Sweep failed {src} {src_entity} to {dst}" if sweeper
                else f"{src} {src_entity} to {dst}")
        name = base
        while name in names:
            name = f"{base} ({rng.choice(QUALIFIERS)} {rng.randrange(1, 10_000):04d})"
        names.add(name)
        if sweeper:
            kind, cron = "schedule", rng.choice(SWEEPER_SCHEDULES)
        elif rng.random() < 0.15:
            kind, cron = "webhook", None
        else:
            kind, cron = "schedule", rng.choice(SCHEDULES)
        active = rng.random() < 0.75
        alerts = rng.random() < 0.6
        created = stamp(1735689600 + rng.randrange(365 * 86400))
        updated = stamp(1767225600 + rng.randrange(300 * 86400))
        service_id = next_id + n
        services.append((service_id, group, name, "sweeper" if sweeper else "standard",
                         "active" if active else "inactive", src, src_entity, dst, dst_entity,
                         kind, cron, int(alerts),
                         rng.choice(alert_groups) if alerts and alert_groups else None,
                         created, updated))
        if active:
            for _ in range(rng.randrange(1, 4)):
                started = now - 60 * (10 + rng.randrange(23 * 60))
                finished = started + 20 + rng.randrange(300)
                failed = rng.random() < 0.15
                pulled = 1 + rng.randrange(240)
                runs.append((service_id, "failed" if failed else "ok",
                             "schedule" if rng.random() < 0.85 else "manual",
                             stamp(started), stamp(started), stamp(finished), pulled,
                             pulled // 2 if failed else pulled))
    with conn:
        conn.executemany(
            "INSERT INTO services (id, group_id, name, service_type, status, source_system,"
            " source_entity, destination_system, destination_entity, trigger_kind, trigger_cron,"
            " alerts_enabled, alert_group_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", services)
        runs.sort(key=lambda r: r[3])
        conn.executemany(
            "INSERT INTO runs (service_id, status, trigger, created_at, started_at, finished_at,"
            " pulled, pushed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", runs)
    total = conn.execute("SELECT COUNT(*) FROM services WHERE group_id = ?", (group,)).fetchone()[0]
    conn.close()
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db")
    parser.add_argument("--group", type=int, default=1)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    total = grow(args.db, args.group, args.count)
    print(f"group {args.group} of {args.db} holds {total} services")


if __name__ == "__main__":
    main()
