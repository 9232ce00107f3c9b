//! The systems Patchworks services connect, and the entities each offers.

use services_model::SystemInfo;

const COMMERCE: &[&str] = &[
    "orders",
    "products",
    "stock",
    "customers",
    "fulfilments",
    "refunds",
    "prices",
];
const ERP: &[&str] = &[
    "orders",
    "products",
    "stock",
    "customers",
    "fulfilments",
    "refunds",
    "prices",
    "locations",
    "payment terms",
];
const WAREHOUSE: &[&str] = &["orders", "products", "stock", "fulfilments", "returns"];
const MARKETING: &[&str] = &["customers", "orders", "products"];
const FILES: &[&str] = &["orders", "products", "stock", "fulfilments"];

const SYSTEMS: &[(&str, &[&str])] = &[
    ("Active Ants", WAREHOUSE),
    ("BigCommerce", COMMERCE),
    ("Bleckmann", WAREHOUSE),
    ("Bleckmann Returns", &["returns", "refunds"]),
    ("Bleckmann SFTP", FILES),
    ("Brightpearl", ERP),
    ("Business Central", ERP),
    ("Citrus-Lime", COMMERCE),
    ("CommerceTools", COMMERCE),
    ("Cybertill", COMMERCE),
    ("Descartes Peoplevox", WAREHOUSE),
    ("Dynamics NAV", ERP),
    ("Emarsys", MARKETING),
    ("EposNow", COMMERCE),
    ("Global-e", &["orders", "refunds", "fulfilments"]),
    (
        "Inventory Planner",
        &["products", "stock", "purchase orders"],
    ),
    ("Khaos Control", ERP),
    ("Lightspeed Retail R-Series", COMMERCE),
    ("Lightspeed Retail X-Series", COMMERCE),
    ("Linnworks", WAREHOUSE),
    ("Magento 2", COMMERCE),
    ("Mirakl", &["orders", "products", "stock", "refunds"]),
    ("Navision", ERP),
    ("NetSuite", ERP),
    ("Odoo", ERP),
    ("Ometria", MARKETING),
    ("Patchworks SFTP", FILES),
    ("Plytix", &["products", "prices"]),
    ("Prima", ERP),
    ("ReBound", &["returns", "refunds"]),
    ("SAP Business One", ERP),
    ("Seko", WAREHOUSE),
    ("Shopify", COMMERCE),
    ("Sitoo", COMMERCE),
    ("SparkLayer", &["prices", "customers"]),
    ("The Edge by John Lewis", &["orders", "products", "stock"]),
    ("TikTok Shop", &["orders", "products", "stock", "refunds"]),
    ("Torque", WAREHOUSE),
    ("Veeqo", WAREHOUSE),
    ("Vend", COMMERCE),
    ("Visualsoft", COMMERCE),
    ("Voyado", MARKETING),
    ("WooCommerce", COMMERCE),
    ("ZigZag", &["returns"]),
];

pub fn all() -> Vec<SystemInfo> {
    SYSTEMS
        .iter()
        .map(|(name, entities)| SystemInfo {
            name: name.to_string(),
            entities: entities.iter().map(|e| e.to_string()).collect(),
        })
        .collect()
}
