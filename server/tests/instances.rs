//! Two server instances (real processes) on one PostgreSQL database: runs started through
//! either execute exactly once, one idempotency key makes one run across both, due services are
//! queued once however many instances tick, and a killed instance's claimed run is recovered by
//! the other once its lease expires, never before.

mod common;

use common::process::{command, test_binary, ServerProcess};
use common::{call, demo_admin_and_active_services, wait_for_run};
use reqwest::Method;
use serde_json::Value;
use services_model::parse_rfc3339;
use services_server::db::{Db, Location};
use services_server::scheduler;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// An instance on `url` with successful runs of three `step_ms` steps and leases of 2 seconds.
async fn instance(url: &str, step_ms: u32) -> ServerProcess {
    let dir = std::env::temp_dir();
    let mut cmd = command(&test_binary(), &dir);
    cmd.args([
        "--addr",
        "127.0.0.1:0",
        "--db",
        url,
        "--dist",
        "/nonexistent",
        "--demo",
        "--no-scheduler",
        "--run-outcome",
        "ok",
        "--run-lease-secs",
        "2",
        "--run-step-ms",
        &step_ms.to_string(),
    ]);
    ServerProcess::start(cmd).await
}

async fn log(client: &reqwest::Client, base: &str, token: &str, run: u64) -> Vec<String> {
    call(
        client,
        base,
        Method::GET,
        &format!("/api/v1/runs/{run}/log?limit=500"),
        Some(token),
        None,
    )
    .await
    .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_started_through_either_instance_each_execute_exactly_once() {
    let url = common::postgres::new_database().await;
    let a = instance(&url, 100).await;
    let b = instance(&url, 100).await;
    let (token, services) = demo_admin_and_active_services(&Location::Postgres(url.clone())).await;
    let client = reqwest::Client::new();
    let mut runs = Vec::new();
    for (i, service) in services.iter().take(24).enumerate() {
        let base = if i % 2 == 0 { &a.url } else { &b.url };
        let reply = call(
            &client,
            base,
            Method::POST,
            &format!("/api/v1/services/{service}/runs"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        runs.push((*service, reply.body["id"].as_u64().unwrap()));
    }
    for (service, run) in &runs {
        let finished = wait_for_run(&client, &a.url, &token, *service, *run).await;
        assert_eq!(finished["status"], "ok");
        let lines = log(&client, &b.url, &token, *run).await;
        let starts = lines
            .iter()
            .filter(|l| l.starts_with("Manual run started"))
            .count();
        let ends = lines.iter().filter(|l| l.contains("Sync complete")).count();
        assert_eq!((starts, ends), (1, 1), "run {run} executed once: {lines:?}");
    }
    // Each instance logs the runs it finished: together, each run once.
    let executed = |p: &ServerProcess| p.output().matches("run finished").count();
    assert_eq!(
        executed(&a) + executed(&b),
        runs.len(),
        "{}\n{}",
        a.output(),
        b.output()
    );

    // One Idempotency-Key, twenty requests spread over both instances: one run.
    let service = services[0];
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let base = if i % 2 == 0 {
                a.url.clone()
            } else {
                b.url.clone()
            };
            let (client, token) = (client.clone(), token.clone());
            tokio::spawn(async move {
                let response = client
                    .post(format!("{base}/api/v1/services/{service}/runs"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", "across-instances")
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                (
                    status,
                    response.json::<Value>().await.unwrap()["id"].as_u64(),
                )
            })
        })
        .collect();
    let mut created = 0;
    let mut ids = HashSet::new();
    for task in tasks {
        let (status, id) = task.await.unwrap();
        assert!(status == 200 || status == 201, "{status}");
        created += usize::from(status == 201);
        ids.insert(id.unwrap());
    }
    assert_eq!((created, ids.len()), (1, 1));
    a.stop_with(libc::SIGTERM, Duration::from_secs(30)).await;
    b.stop_with(libc::SIGTERM, Duration::from_secs(30)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_services_are_queued_once_however_many_instances_tick() {
    let url = common::postgres::new_database().await;
    // The instances' schedulers, as two separate connections pools tick the same minutes.
    let seeded = instance(&url, 100).await;
    seeded
        .stop_with(libc::SIGTERM, Duration::from_secs(30))
        .await;
    let one = Db::open(&Location::Postgres(url.clone())).await.unwrap();
    let two = Db::open(&Location::Postgres(url.clone())).await.unwrap();
    let mut queued: HashMap<u64, usize> = HashMap::new();
    let monday = parse_rfc3339("2026-11-30T00:00:00Z")
        .unwrap()
        .unix_timestamp();
    for minute in [0, 5, 15, 60, 120, 150] {
        let now = monday + minute * 60 + 1;
        let (x, y) = tokio::join!(
            scheduler::catch_up(&one, now),
            scheduler::catch_up(&two, now)
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        assert!(
            x.iter().all(|id| !y.contains(id)),
            "minute {minute}: both instances queued {x:?} / {y:?}"
        );
        for id in x.into_iter().chain(y) {
            *queued.entry(id).or_default() += 1;
        }
        // What the second pool sees as due again at the same minute: nothing.
        assert!(scheduler::catch_up(&two, now).await.unwrap().is_empty());
    }
    assert!(!queued.is_empty());
    let runs: Vec<(i64, String)> = services_server::with_pool!(&one, read, |pool| {
        sqlx::query_as("SELECT service_id, scheduled_for FROM runs WHERE trigger = 'schedule' AND scheduled_for IS NOT NULL")
            .fetch_all(pool)
            .await
            .unwrap()
    });
    let distinct: HashSet<&(i64, String)> = runs.iter().collect();
    assert_eq!(distinct.len(), runs.len(), "one run per service and minute");
    one.close().await;
    two.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instances_run_is_recovered_by_the_other_after_its_lease() {
    let url = common::postgres::new_database().await;
    // The instance that will be killed runs slowly, alone, so it is the one that claims.
    let doomed = instance(&url, 4000).await;
    let (token, services) = demo_admin_and_active_services(&Location::Postgres(url.clone())).await;
    let client = reqwest::Client::new();
    let service = services[0];
    let reply = call(
        &client,
        &doomed.url,
        Method::POST,
        &format!("/api/v1/services/{service}/runs"),
        Some(&token),
        None,
    )
    .await;
    let run = reply.body["id"].as_u64().unwrap();
    for _ in 0..100 {
        if !log(&client, &doomed.url, &token, run).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The other instance starts while the run is claimed: it must leave a live lease alone.
    let other = instance(&url, 100).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    let lines = log(&client, &other.url, &token, run).await;
    assert!(
        !lines.iter().any(|l| l.contains("put back in the queue")),
        "a live lease was taken over: {lines:?}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("Manual run started"))
            .count(),
        1
    );
    // Killed: no shutdown, no release; its lease simply stops being renewed.
    doomed
        .stop_with(libc::SIGKILL, Duration::from_secs(10))
        .await;
    let finished = wait_for_run(&client, &other.url, &token, service, run).await;
    assert_eq!(finished["status"], "ok", "{finished}");
    let lines = log(&client, &other.url, &token, run).await;
    let requeued = lines
        .iter()
        .position(|l| l.contains("stopped answering") && l.contains("put back in the queue"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(
        lines.iter().filter(|l| l.contains("Sync complete")).count(),
        1,
        "{lines:?}"
    );
    assert!(lines[requeued..]
        .iter()
        .any(|l| l.starts_with("Manual run started")));
    assert!(other.output().contains("run finished"));
    other
        .stop_with(libc::SIGTERM, Duration::from_secs(30))
        .await;
}

/// A change made through one instance reaches a stream open on the other (the `events` table
/// and NOTIFY), and a run executed by either is followed to its end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_made_on_one_instance_reaches_a_stream_on_the_other() {
    use common::sse::EventStream;
    use services_model::EventKind;
    let url = common::postgres::new_database().await;
    let a = instance(&url, 50).await;
    let b = instance(&url, 50).await;
    let (token, services) = demo_admin_and_active_services(&Location::Postgres(url.clone())).await;
    let client = reqwest::Client::new();
    let mut on_b = EventStream::open(&b.url, &token, None).await;
    let renamed = call(
        &client,
        &a.url,
        Method::PATCH,
        &format!("/api/v1/services/{}", services[0]),
        Some(&token),
        Some(serde_json::json!({"name": "Renamed on A"})),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let event = on_b.event(Duration::from_secs(5)).await;
    assert_eq!(
        (event.kind, event.service_id),
        (EventKind::ServiceChanged, services[0])
    );
    let started = call(
        &client,
        &a.url,
        Method::POST,
        &format!("/api/v1/services/{}/runs", services[1]),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let run = started.body["id"].as_u64().unwrap();
    let seen = on_b
        .until(Duration::from_secs(20), |e| {
            e.kind == EventKind::RunFinished && e.run_id == Some(run)
        })
        .await;
    assert_eq!(seen[0].kind, EventKind::RunQueued, "{seen:?}");
    a.stop_with(libc::SIGTERM, Duration::from_secs(30)).await;
    b.stop_with(libc::SIGTERM, Duration::from_secs(30)).await;
}
