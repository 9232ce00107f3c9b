//! Manual runs, the worker, run logs, the scheduler, restarts and fault injection.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use services_model::{parse_rfc3339, Cron};
use services_server::{scheduler, Outcome};
use std::time::Duration;

async fn start_run(t: &TestServer, service: u64, body: Option<Value>) -> common::Reply {
    t.call(
        Method::POST,
        &format!("/api/v1/services/{service}/runs"),
        Some(&t.admin()),
        body,
    )
    .await
}

/// Every log line of a run, fetched `page` lines at a time with the `after` cursor.
async fn whole_log(t: &TestServer, run: u64, page: u32) -> Vec<Value> {
    let mut lines = Vec::new();
    let mut after = 0;
    loop {
        let reply = t
            .get(&format!(
                "/api/v1/runs/{run}/log?after={after}&limit={page}"
            ))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let items = reply.body["items"].as_array().unwrap().clone();
        assert!(items.len() <= page as usize);
        if items.is_empty() {
            assert_eq!(
                reply.body["next_after"], after,
                "an empty page keeps the cursor"
            );
            return lines;
        }
        after = reply.body["next_after"].as_u64().unwrap();
        assert_eq!(items.last().unwrap()["seq"], after);
        lines.extend(items);
    }
}

async fn a_manual_run_reaches_ok_and_its_log_pages_with_after(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let reply = start_run(&t, service, None).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let run = reply.body["id"].as_u64().unwrap();
    assert_eq!(reply.body["status"], "queued");
    assert_eq!(reply.body["trigger"], "manual");
    assert_eq!(
        reply.headers["location"],
        format!("/api/v1/runs/{run}").as_str()
    );

    let finished = t.wait_for_run(service, run).await;
    assert_eq!(finished["status"], "ok");
    assert!(finished["started_at"].is_string() && finished["finished_at"].is_string());
    assert!(finished["pulled"].as_u64().unwrap() > 0);
    assert_eq!(finished["pulled"], finished["pushed"]);

    let lines = whole_log(&t, run, 2).await;
    assert!(lines.len() >= 4, "{lines:?}");
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=lines.len() as u64).collect::<Vec<_>>());
    assert!(lines[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("Manual run started"));
    assert!(lines.last().unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("Sync complete"));
    let last = t.get(&format!("/api/v1/runs/{run}/log")).await.body;
    assert_eq!(last["live"], false);
    assert_eq!(last["status"], "ok");

    let summary = t.get(&format!("/api/v1/services/{service}")).await.body["last_run"].clone();
    assert_eq!(summary["id"], run, "the list shows the latest run");
    t.stop().await;
}

async fn a_failing_run_ends_failed_with_an_error_line(store: Store) {
    let t = TestServer::start_with(store, |c| c.runs.outcome = Outcome::Failed).await;
    let service = t.a_service("active").await;
    let run = start_run(&t, service, None).await.body["id"]
        .as_u64()
        .unwrap();
    let finished = t.wait_for_run(service, run).await;
    assert_eq!(finished["status"], "failed");
    assert!(finished["pushed"].as_u64().unwrap() < finished["pulled"].as_u64().unwrap());
    let lines = whole_log(&t, run, 200).await;
    let last = lines.last().unwrap();
    assert_eq!(last["level"], "error");
    assert!(last["message"].as_str().unwrap().contains("rejected"));
    t.stop().await;
}

async fn polling_a_live_run_sees_every_line_once(store: Store) {
    let t = TestServer::start_with(store, |c| c.runs.step = Duration::from_millis(150)).await;
    let service = t.a_service("active").await;
    let run = start_run(&t, service, None).await.body["id"]
        .as_u64()
        .unwrap();
    let mut after = 0;
    let mut seen = Vec::new();
    let mut was_live = false;
    for _ in 0..200 {
        let page = t
            .get(&format!("/api/v1/runs/{run}/log?after={after}"))
            .await
            .body;
        for line in page["items"].as_array().unwrap() {
            seen.push(line["seq"].as_u64().unwrap());
        }
        after = page["next_after"].as_u64().unwrap();
        if page["live"] == true {
            was_live = true;
        } else if was_live {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(was_live, "the run was seen queued or running");
    let rest = t
        .get(&format!("/api/v1/runs/{run}/log?after={after}"))
        .await
        .body;
    seen.extend(
        rest["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["seq"].as_u64().unwrap()),
    );
    assert_eq!(
        seen,
        (1..=seen.len() as u64).collect::<Vec<_>>(),
        "no line twice, none missing"
    );
    t.stop().await;
}

async fn only_active_services_run(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("inactive").await;
    start_run(&t, service, None).await.assert_error(
        409,
        "conflict",
        "Only active services can run",
    );
    let runs = t
        .get(&format!(
            "/api/v1/services/{service}/runs?since=2000-01-01T00:00:00Z"
        ))
        .await;
    let before = runs.body["items"].as_array().unwrap().len();
    start_run(&t, service, Some(json!({"page_size": 10})))
        .await
        .assert_error(409, "conflict", "Activate");
    let runs = t
        .get(&format!(
            "/api/v1/services/{service}/runs?since=2000-01-01T00:00:00Z"
        ))
        .await;
    assert_eq!(runs.body["items"].as_array().unwrap().len(), before);
    t.stop().await;
}

async fn an_idempotency_key_makes_a_repeat_return_the_same_run(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let url = t.url(&format!("/api/v1/services/{service}/runs"));
    let post = |key: &'static str| {
        t.client
            .post(&url)
            .bearer_auth(t.admin())
            .header("Idempotency-Key", key)
            .json(&json!({"page_size": 50}))
            .send()
    };
    let first = post("run-7f3a").await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post("run-7f3a").await.unwrap();
    assert_eq!(again.status(), 200, "a repeat is not a new run");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    let other = post("run-9c21").await.unwrap();
    assert_eq!(other.status(), 201);
    assert_ne!(other.json::<Value>().await.unwrap()["id"], first["id"]);
    let bad = post(" ").await.unwrap();
    assert_eq!(bad.status(), 400);
    let runs = t
        .get(&format!("/api/v1/services/{service}/runs"))
        .await
        .body["items"]
        .clone();
    let manual = runs
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["trigger"] == "manual")
        .count();
    assert_eq!(manual, 2);
    t.stop().await;
}

async fn run_overrides_limit_the_run_and_are_validated(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let reply = start_run(
        &t,
        service,
        Some(json!({"record_ids": ["#1001", " #1002 ", "#1001"], "page_size": 25})),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["record_ids"], json!(["#1001", "#1002"]));
    assert_eq!(reply.body["page_size"], 25);
    let finished = t
        .wait_for_run(service, reply.body["id"].as_u64().unwrap())
        .await;
    assert_eq!(finished["pulled"], 2, "only the named records");

    for (body, part) in [
        (json!({"page_size": 0}), "Page size"),
        (json!({"page_size": 1001}), "Page size"),
        (json!({"record_ids": [""]}), "Record id"),
        (json!({"record_ids": ["x".repeat(65)]}), "Record id"),
        (
            json!({"record_ids": (0..501).map(|i| i.to_string()).collect::<Vec<_>>()}),
            "500",
        ),
    ] {
        start_run(&t, service, Some(body))
            .await
            .assert_error(422, "invalid_run_request", part);
    }
    start_run(&t, service, Some(json!({"dry_run": true})))
        .await
        .assert_error(422, "unknown_field", "dry_run");
    t.stop().await;
}

async fn runs_default_to_the_last_24_hours(store: Store) {
    let t = TestServer::start(store).await;
    let groups = t.get("/api/v1/company-groups/1/services").await.body["items"].clone();
    let with_runs = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["last_run"].is_object())
        .unwrap()
        .clone();
    let id = with_runs["id"].as_u64().unwrap();
    let recent = t.get(&format!("/api/v1/services/{id}/runs")).await.body["items"].clone();
    let recent = recent.as_array().unwrap();
    assert!(!recent.is_empty());
    assert_eq!(recent[0]["id"], with_runs["last_run"]["id"], "newest first");
    let future = t
        .get(&format!(
            "/api/v1/services/{id}/runs?since=2100-01-01T00:00:00Z"
        ))
        .await;
    assert!(future.body["items"].as_array().unwrap().is_empty());
    t.stop().await;
}

async fn the_scheduler_queues_exactly_the_due_active_services_once(store: Store) {
    // Slow runs, so every queued run is still live when the scheduler looks again.
    let t = TestServer::start_with(store, |c| c.runs.step = Duration::from_secs(60)).await;
    let at = parse_rfc3339("2026-11-30T02:00:00Z").unwrap(); // a Monday, 02:00
    let mut expected: Vec<u64> = Vec::new();
    for group in 1..=3 {
        for s in t
            .get(&format!("/api/v1/company-groups/{group}/services"))
            .await
            .body["items"]
            .as_array()
            .unwrap()
        {
            if s["status"] == "active" && s["trigger"]["kind"] == "schedule" {
                let cron = Cron::parse(s["trigger"]["cron"].as_str().unwrap()).unwrap();
                if cron.matches(at) {
                    expected.push(s["id"].as_u64().unwrap());
                }
            }
        }
    }
    assert!(
        expected.len() > 5,
        "the seed has services due at 02:00 on a Monday"
    );
    let mut started = scheduler::enqueue_due(&t.server.db, at).await.unwrap();
    // Company 2's services are due too; keep company 1's.
    started.retain(|id| *id < 5000);
    assert_eq!(started, expected);
    let again = scheduler::enqueue_due(&t.server.db, at).await.unwrap();
    assert!(
        again.is_empty(),
        "no second run while one is live: {again:?}"
    );
    let runs = t
        .get(&format!(
            "/api/v1/services/{}/runs?since=2000-01-01T00:00:00Z",
            expected[0]
        ))
        .await
        .body["items"]
        .clone();
    assert!(runs
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["trigger"] == "schedule" && r["created_at"] == "2026-11-30T02:00:00Z"));
    t.stop().await;
}

async fn a_restart_recovers_runs_that_were_left_running(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    // What a server killed mid-run leaves behind: a running run whose lease nobody renews.
    let run: i64 = services_server::with_pool!(&t.server.db, write, |pool| {
        sqlx::query_scalar(
            "INSERT INTO runs (service_id, status, trigger, created_at, started_at, lease_owner, lease_expires_at, attempts)
             VALUES ($1, 'running', 'manual', '2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z', 'a-dead-instance', 0, 1)
             RETURNING id",
        )
        .bind(service as i64)
        .fetch_one(pool)
        .await
        .unwrap()
    });
    let run = run as u64;
    let db = t.stop().await;
    let t = TestServer::start_in(db, |_| {}).await;
    let finished = t.wait_for_run(service, run).await;
    assert_eq!(finished["status"], "ok", "{finished}");
    let log = t.get(&format!("/api/v1/runs/{run}/log")).await.body;
    let messages: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("stopped answering") && messages[0].contains("put back in the queue"),
        "{messages:?}"
    );
    assert!(
        messages.last().unwrap().contains("Sync complete"),
        "{messages:?}"
    );
    t.stop().await;
}

async fn fault_injection_answers_chosen_routes_then_recovers(store: Store) {
    let t = TestServer::start_with(store, |c| c.fault_injection = true).await;
    let service = t.a_service("active").await;
    let set = |rules: Value| {
        t.call(
            Method::PUT,
            "/api/test/faults",
            None,
            Some(json!({ "rules": rules })),
        )
    };
    let reply = set(
        json!([{"method": "POST", "path": "/api/v1/services/*/clone", "status": 503, "times": 1}]),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let clone = format!("/api/v1/services/{service}/clone");
    let before = t.service_ids(1).await.len();
    t.call(Method::POST, &clone, Some(&t.admin()), None)
        .await
        .assert_error(503, "injected_fault", "503");
    assert_eq!(
        t.service_ids(1).await.len(),
        before,
        "the failed request changed nothing"
    );
    assert_eq!(
        t.call(Method::POST, &clone, Some(&t.admin()), None)
            .await
            .status,
        201,
        "the retry succeeds"
    );

    set(json!([{"path": "/api/v1/company-groups", "malformed": true}])).await;
    let raw = t
        .client
        .get(t.url("/api/v1/company-groups"))
        .bearer_auth(t.admin())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    assert!(
        serde_json::from_str::<Value>(&raw.text().await.unwrap()).is_err(),
        "a malformed body"
    );

    set(json!([{"path": "/api/v1/me", "delay_ms": 300}])).await;
    let started = std::time::Instant::now();
    assert_eq!(t.get("/api/v1/me").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    set(json!([{"path": "/api/v1/me", "status": 401, "times": 1}])).await;
    t.get("/api/v1/me")
        .await
        .assert_error(401, "injected_fault", "401");
    assert_eq!(t.get("/api/v1/me").await.status, 200);

    assert_eq!(
        t.call(Method::DELETE, "/api/test/faults", None, None)
            .await
            .status,
        204
    );
    assert_eq!(t.get("/api/v1/company-groups").await.status, 200);
    set(json!([{"path": "/x", "bogus": 1}]))
        .await
        .assert_error(422, "unknown_field", "bogus");
    t.stop().await;
}

async fn fault_injection_is_off_by_default(store: Store) {
    let t = TestServer::start(store).await;
    t.call(
        Method::PUT,
        "/api/test/faults",
        None,
        Some(json!({"rules": []})),
    )
    .await
    .assert_error(404, "not_found", "/api/test/faults");
    t.stop().await;
}

on_both_stores!(
    a_manual_run_reaches_ok_and_its_log_pages_with_after,
    a_failing_run_ends_failed_with_an_error_line,
    polling_a_live_run_sees_every_line_once,
    only_active_services_run,
    an_idempotency_key_makes_a_repeat_return_the_same_run,
    run_overrides_limit_the_run_and_are_validated,
    runs_default_to_the_last_24_hours,
    the_scheduler_queues_exactly_the_due_active_services_once,
    a_restart_recovers_runs_that_were_left_running,
    fault_injection_answers_chosen_routes_then_recovers,
    fault_injection_is_off_by_default,
);
