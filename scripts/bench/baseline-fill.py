#!/usr/bin/env python3
"""Fills company group 1 of a database made by the *baseline* server (schema 1, before the
data-layer rewrite) up to N services, the way `services-server generate` fills the new schema:
the same flows, types, statuses and schedules, names made unique with a qualifier and a number,
and one finished run for about 70% of the services. Only `scripts/bench-api.sh --baseline` uses it.

Usage: baseline-fill.py DB_FILE TOTAL_SERVICES
"""
import random
import sqlite3
import sys

FLOWS = [
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
QUALIFIERS = ["main store", "outlet", "B2B", "marketplace", "trade", "clearance", "backfill", "priority"]
SCHEDULES = ["*/5 * * * *", "*/10 * * * *", "*/15 * * * *", "*/30 * * * *", "0 * * * *",
             "0 */2 * * *", "0 2 * * *", "30 6 * * 1-5", "0 0 * * 0"]


def main() -> None:
    path, total = sys.argv[1], int(sys.argv[2])
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    have = db.execute("SELECT COUNT(*) FROM services WHERE group_id = 1").fetchone()[0]
    next_id = db.execute("SELECT MAX(id) FROM services").fetchone()[0] + 1
    services, runs = [], []
    for n in range(have, total):
        src, src_entity, dst, dst_entity = rng.choice(FLOWS)
        sweeper = rng.random() < 0.15
        base = f"Sweep failed {src} {src_entity} to {dst}" if sweeper else f"{src} {src_entity} to {dst}"
        name = f"{base} ({rng.choice(QUALIFIERS)} {n})"
        webhook = not sweeper and rng.random() < 0.15
        cron = None if webhook else rng.choice(SCHEDULES)
        status = "active" if rng.random() < 0.75 else "inactive"
        services.append((next_id, name, "sweeper" if sweeper else "standard", status, src, src_entity,
                         dst, dst_entity, "webhook" if webhook else "schedule", cron,
                         int(rng.random() < 0.6)))
        if rng.random() < 0.7:
            failed = rng.random() < 0.15
            pulled = rng.randint(1, 240)
            runs.append((next_id, "failed" if failed else "ok", pulled, pulled // 2 if failed else pulled))
        next_id += 1
    db.executemany(
        "INSERT INTO services (id, group_id, name, service_type, status, source_system, source_entity,"
        " destination_system, destination_entity, trigger_kind, trigger_cron, alerts_enabled,"
        " created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", services)
    db.executemany(
        "INSERT INTO runs (service_id, status, trigger, created_at, started_at, finished_at, pulled, pushed)"
        " VALUES (?, ?, 'schedule', '2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z',"
        " '2026-11-28T10:01:00Z', ?, ?)", runs)
    db.commit()


if __name__ == "__main__":
    main()
