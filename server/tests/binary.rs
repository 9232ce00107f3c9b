//! The release binary, as an operator runs it: safe defaults (no users, no tokens, no demo data
//! unless asked), demo data kept off the network, the operator commands, and graceful shutdown
//! on a real SIGTERM or SIGINT.

mod common;

use common::process::{command, release_binary, run, ServerProcess};
use common::{call, Store, TestDb};
use reqwest::Method;
use serde_json::Value;
use services_server::db::{Db, Location};
use services_server::repo;
use std::path::Path;
use std::time::Duration;

/// The binary in `dir` with these arguments.
fn binary(dir: &Path, args: &[&str]) -> tokio::process::Command {
    let mut cmd = command(&release_binary(), dir);
    cmd.args(args);
    cmd
}

async fn users_and_tokens(location: &Location) -> (i64, i64) {
    let db = Db::open(location).await.unwrap();
    let counts = services_server::with_pool!(&db, read, |pool| {
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(pool)
            .await
            .unwrap();
        let tokens: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE token_hash IS NOT NULL")
                .fetch_one(pool)
                .await
                .unwrap();
        (users, tokens)
    });
    db.close().await;
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_binary_with_no_flags_holds_no_user_and_no_token() {
    let dir = tempfile::tempdir().unwrap();
    // No flags: only the address comes from the environment, so tests can run side by side.
    let mut cmd = binary(dir.path(), &[]);
    cmd.env("SERVICES_ADDR", "127.0.0.1:0");
    let server = ServerProcess::start(cmd).await;
    let client = reqwest::Client::new();
    call(
        &client,
        &server.url,
        Method::GET,
        "/api/demo/users",
        None,
        None,
    )
    .await
    .assert_error(404, "not_found", "/api/demo/users");
    for guess in [
        "pw_1_00000000000000000000000000000000",
        "pw_1_4b33edb61b233f5b93908e2d77d7347f",
    ] {
        call(
            &client,
            &server.url,
            Method::GET,
            "/api/v1/me",
            Some(guess),
            None,
        )
        .await
        .assert_error(401, "unauthorized", "Sign in");
    }
    let (code, output) = server
        .stop_with(libc::SIGTERM, Duration::from_secs(30))
        .await;
    assert_eq!(code, Some(0), "{output}");
    assert!(!output.contains("pw_"), "no token is printed: {output}");
    let db = Location::Sqlite(dir.path().join("data/services.sqlite3"));
    assert_eq!(
        users_and_tokens(&db).await,
        (0, 0),
        "the default database is empty"
    );

    // Configured by the operator: a company, a group and a token, printed once.
    let (ok, out, err) = run(binary(
        dir.path(),
        &[
            "create-company",
            "--name",
            "Acme Ltd",
            "--group",
            "Retail UK",
        ],
    ))
    .await;
    assert!(ok, "{err}");
    assert!(
        out.contains("Company 1 \"Acme Ltd\" created, with groups 1 \"Retail UK\""),
        "{out}"
    );
    let (ok, token, err) = run(binary(
        dir.path(),
        &[
            "issue-token",
            "--company",
            "1",
            "--role",
            "read-only",
            "--name",
            "Wallboard",
            "--quiet",
        ],
    ))
    .await;
    assert!(ok, "{err}");
    let token = token.trim().to_string();
    assert!(token.starts_with("pw_1_") && token.len() == 37, "{token}");
    assert_eq!(users_and_tokens(&db).await, (1, 1));
    let mut cmd = binary(dir.path(), &[]);
    cmd.env("SERVICES_ADDR", "127.0.0.1:0");
    let server = ServerProcess::start(cmd).await;
    let me = call(
        &client,
        &server.url,
        Method::GET,
        "/api/v1/me",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["role"], "read_only");
    assert_eq!(me.body["company"]["name"], "Acme Ltd");
    server
        .stop_with(libc::SIGTERM, Duration::from_secs(30))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_stays_off_the_network_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = "demo.sqlite3";
    // Asking for demo mode on a network address is refused before anything is written.
    let (ok, _, err) = run(binary(
        dir.path(),
        &["--demo", "--addr", "0.0.0.0:0", "--db", db],
    ))
    .await;
    assert!(!ok);
    assert!(err.contains("refusing to listen on 0.0.0.0:0"), "{err}");
    assert!(!dir.path().join(db).exists());

    let demo = ServerProcess::start(binary(
        dir.path(),
        &[
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--db",
            db,
            "--no-scheduler",
        ],
    ))
    .await;
    let printed = demo.output();
    let token = printed
        .lines()
        .find(|l| l.contains("ada.morgan@northwind.example"))
        .and_then(|l| l.split_whitespace().last())
        .unwrap_or_else(|| panic!("{printed}"))
        .to_string();
    let client = reqwest::Client::new();
    let me = call(
        &client,
        &demo.url,
        Method::GET,
        "/api/v1/me",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(me.body["email"], "ada.morgan@northwind.example");
    let listed = call(
        &client,
        &demo.url,
        Method::GET,
        "/api/demo/users",
        None,
        None,
    )
    .await;
    assert!(listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["token"] == token.as_str()));
    demo.stop_with(libc::SIGTERM, Duration::from_secs(30)).await;

    // Without --demo the demo users are still in the file: still refused on the network.
    let (ok, _, err) = run(binary(dir.path(), &["--addr", "0.0.0.0:0", "--db", db])).await;
    assert!(!ok);
    assert!(
        err.contains("holds demo users") && err.contains("--allow-demo-on-network"),
        "{err}"
    );
    let forced = ServerProcess::start(binary(
        dir.path(),
        &[
            "--addr",
            "0.0.0.0:0",
            "--db",
            db,
            "--allow-demo-on-network",
            "--no-scheduler",
        ],
    ))
    .await;
    let (code, output) = forced
        .stop_with(libc::SIGINT, Duration::from_secs(30))
        .await;
    assert_eq!(code, Some(0), "{output}");
    assert!(
        !output.contains(&token),
        "tokens are printed in demo mode only"
    );

    // Another demo database gets other tokens: nothing to derive from the source.
    let other = ServerProcess::start(binary(
        dir.path(),
        &[
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--db",
            "other.sqlite3",
            "--no-scheduler",
        ],
    ))
    .await;
    assert!(other.output().contains("ada.morgan@northwind.example"));
    assert!(!other.output().contains(&token));
    other
        .stop_with(libc::SIGTERM, Duration::from_secs(30))
        .await;
}

async fn operator_commands(store: Store) {
    let test_db = TestDb::new(store).await;
    let url = match &test_db.location {
        Location::Sqlite(path) => path.display().to_string(),
        Location::Postgres(url) => url.clone(),
    };
    let dir = test_db.dir.path();
    let cli = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--db", url.as_str()]);
        run(binary(dir, &all))
    };
    let (ok, out, err) = cli(&[
        "create-company",
        "--name",
        "Acme",
        "--group",
        "Retail",
        "--group",
        "Trade",
    ])
    .await;
    assert!(ok, "{err}");
    assert!(out.contains("groups 1 \"Retail\", 2 \"Trade\""), "{out}");
    let (ok, out, _) = cli(&["create-group", "--company", "1", "--name", "Marketplaces"]).await;
    assert!(ok && out.contains("Group 3 \"Marketplaces\""), "{out}");
    let (ok, _, err) = cli(&["create-group", "--company", "9", "--name", "X"]).await;
    assert!(!ok && err.contains("there is no company 9"), "{err}");
    let (ok, out, err) = cli(&[
        "issue-token",
        "--company",
        "1",
        "--role",
        "admin",
        "--name",
        "Deploy bot",
    ])
    .await;
    assert!(ok, "{err}");
    assert!(out.contains("shown only this once"), "{out}");
    let admin = out.lines().last().unwrap().trim().to_string();
    let (ok, _, err) = cli(&[
        "issue-token",
        "--company",
        "1",
        "--role",
        "owner",
        "--name",
        "x",
    ])
    .await;
    assert!(!ok && err.contains("not a role"), "{err}");

    let file = dir.join("services.json");
    std::fs::write(
        &file,
        serde_json::json!([
            {"name": "Shopify orders to NetSuite", "status": "active",
             "source": {"system": "Shopify", "entity": "orders"},
             "destination": {"system": "NetSuite", "entity": "sales orders"},
             "trigger": {"kind": "schedule", "cron": "*/15 * * * *"}, "alerts_enabled": true},
            {"name": "Returns sweeper", "service_type": "sweeper",
             "source": {"system": "ReBound", "entity": "returns"},
             "destination": {"system": "NetSuite", "entity": "credit memos"},
             "trigger": {"kind": "webhook"}}
        ])
        .to_string(),
    )
    .unwrap();
    let file_arg = file.display().to_string();
    let (ok, out, err) = cli(&["import", "--group", "1", &file_arg]).await;
    assert!(ok, "{err}");
    assert!(
        out.contains("Imported 2 services into group 1 \"Retail\""),
        "{out}"
    );
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"[{"name": "x", "source": {"system": "Nowhere", "entity": "a"}, "destination": {"system": "Shopify", "entity": "b"}, "trigger": {"kind": "webhook"}}]"#).unwrap();
    let (ok, _, err) = cli(&["import", "--group", "1", &bad.display().to_string()]).await;
    assert!(
        !ok && err.contains("service 1") && err.contains("Nowhere"),
        "{err}"
    );
    let (ok, out, err) = cli(&["generate", "--group", "2", "--services", "300"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("Generated 300 services in group 2"), "{out}");

    let server = ServerProcess::start(binary(
        dir,
        &["--addr", "127.0.0.1:0", "--db", &url, "--no-scheduler"],
    ))
    .await;
    let client = reqwest::Client::new();
    let groups = call(
        &client,
        &server.url,
        Method::GET,
        "/api/v1/company-groups",
        Some(&admin),
        None,
    )
    .await;
    let sizes: Vec<(String, u64)> = groups.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["service_count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sizes,
        vec![
            ("Retail".into(), 2),
            ("Trade".into(), 300),
            ("Marketplaces".into(), 0)
        ]
    );
    let retail = call(
        &client,
        &server.url,
        Method::GET,
        "/api/v1/company-groups/1/services",
        Some(&admin),
        None,
    )
    .await;
    let imported: Vec<&Value> = retail.body["items"].as_array().unwrap().iter().collect();
    assert_eq!(imported[0]["status"], "active");
    assert_eq!(
        imported[1]["status"], "inactive",
        "imported services are inactive unless told"
    );
    assert_eq!(imported[1]["service_type"], "sweeper");
    let orders = call(
        &client,
        &server.url,
        Method::GET,
        "/api/v1/company-groups/2/services?q=orders&status=active&limit=5",
        Some(&admin),
        None,
    )
    .await;
    assert!(
        orders.body["total"].as_u64().unwrap() > 10,
        "{}",
        orders.body
    );

    // A new token for the same user: the old one stops working.
    let (ok, out, err) = cli(&["issue-token", "--user", "1", "--quiet"]).await;
    assert!(ok, "{err}");
    let renewed = out.trim().to_string();
    call(
        &client,
        &server.url,
        Method::GET,
        "/api/v1/me",
        Some(&admin),
        None,
    )
    .await
    .assert_error(401, "unauthorized", "Sign in");
    let me = call(
        &client,
        &server.url,
        Method::GET,
        "/api/v1/me",
        Some(&renewed),
        None,
    )
    .await;
    assert_eq!(me.body["name"], "Deploy bot");
    server
        .stop_with(libc::SIGTERM, Duration::from_secs(30))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_commands_set_up_a_deployment_on_sqlite() {
    operator_commands(Store::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_commands_set_up_a_deployment_on_postgres() {
    operator_commands(Store::Postgres).await;
}

/// A run's status and log, read from the database while no server runs.
async fn run_state(location: &Location, run: u64) -> (String, Vec<String>) {
    let db = Db::open(location).await.unwrap();
    let status = repo::runs::find_any(&db, run)
        .await
        .unwrap()
        .unwrap()
        .status;
    let lines = repo::runs::log_after(&db, run, 0, 500).await.unwrap();
    db.close().await;
    (
        status.as_str().to_string(),
        lines.into_iter().map(|l| l.message).collect(),
    )
}

async fn start_run(
    client: &reqwest::Client,
    server: &ServerProcess,
    token: &str,
    service: u64,
) -> u64 {
    let reply = call(
        client,
        &server.url,
        Method::POST,
        &format!("/api/v1/services/{service}/runs"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_u64().unwrap()
}

async fn wait_until_running(location: &Location, run: u64) {
    for _ in 0..200 {
        if run_state(location, run).await.0 == "running" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("run {run} never started");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_and_sigint_finish_running_runs_in_time_and_requeue_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let location = Location::Sqlite(dir.path().join("shutdown.sqlite3"));
    let db_arg = dir.path().join("shutdown.sqlite3").display().to_string();
    let serve = |step: &str, grace: &str| {
        binary(
            dir.path(),
            &[
                "--demo",
                "--addr",
                "127.0.0.1:0",
                "--db",
                &db_arg,
                "--no-scheduler",
                "--run-outcome",
                "ok",
                "--run-concurrency",
                "1",
                "--run-step-ms",
                step,
                "--shutdown-grace-secs",
                grace,
            ],
        )
    };
    let server = ServerProcess::start(serve("400", "10")).await;
    let (token, services) = common::demo_admin_and_active_services(&location).await;
    let client = reqwest::Client::new();
    let running = start_run(&client, &server, &token, services[0]).await;
    wait_until_running(&location, running).await;
    // One run at a time: this one waits in the queue.
    let waiting = start_run(&client, &server, &token, services[1]).await;
    let url = server.url.clone();
    let (code, output) = server
        .stop_with(libc::SIGTERM, Duration::from_secs(20))
        .await;
    assert_eq!(code, Some(0), "{output}");
    assert!(output.contains("SIGTERM: stopping"), "{output}");
    assert!(
        reqwest::get(format!("{url}/api/v1/embed-config"))
            .await
            .is_err(),
        "no longer listening"
    );
    let (status, lines) = run_state(&location, running).await;
    assert_eq!(
        status, "ok",
        "the running run finished within the grace period: {lines:?}"
    );
    let (status, lines) = run_state(&location, waiting).await;
    assert_eq!(
        (status.as_str(), lines.len()),
        ("queued", 0),
        "no new work was taken"
    );

    // A run longer than the grace period goes back in the queue (SIGINT, as Ctrl+C sends)…
    let server = ServerProcess::start(serve("3000", "1")).await;
    wait_until_running(&location, waiting).await;
    let started = std::time::Instant::now();
    let (code, output) = server
        .stop_with(libc::SIGINT, Duration::from_secs(20))
        .await;
    assert_eq!(code, Some(0), "{output}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let (status, lines) = run_state(&location, waiting).await;
    assert_eq!(status, "queued", "{lines:?}");
    assert!(
        lines.last().unwrap().contains("put back in the queue"),
        "{lines:?}"
    );
    // …and the next start executes it.
    let server = ServerProcess::start(serve("50", "10")).await;
    for _ in 0..200 {
        if run_state(&location, waiting).await.0 == "ok" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(run_state(&location, waiting).await.0, "ok");
    server
        .stop_with(libc::SIGTERM, Duration::from_secs(20))
        .await;
}
