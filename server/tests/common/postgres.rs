//! A throw-away PostgreSQL cluster for this test process (`scripts/pg-cluster.sh`, on a free
//! port, removed when the process exits), and a fresh database in it per test.

use sqlx::Connection;
use std::sync::OnceLock;

static CLUSTER: OnceLock<String> = OnceLock::new();

/// The cluster's `postgres` database URL, starting the cluster on first use.
pub fn cluster_url() -> &'static str {
    CLUSTER.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let dir = tempfile::Builder::new()
            .prefix("services-test-pg")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        let output = std::process::Command::new("bash")
            .arg(format!("{root}/scripts/pg-cluster.sh"))
            .arg("start")
            .arg(&dir)
            .arg("--watch")
            .arg(std::process::id().to_string())
            .output()
            .expect("bash runs scripts/pg-cluster.sh");
        assert!(
            output.status.success(),
            "could not start PostgreSQL for the tests: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("a URL")
            .trim()
            .to_string()
    })
}

/// A new, empty database; its URL.
pub async fn new_database() -> String {
    let base = cluster_url();
    let name = format!("t_{}", services_server::tokens::random_hex(6));
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("connects to the test cluster");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("creates a database");
    let _ = conn.close().await;
    format!(
        "{}/{name}",
        base.rsplit_once('/').expect("a URL with a database").0
    )
}
