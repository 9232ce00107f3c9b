//! The run queue's guarantees on both stores: idempotency keys per user in one statement, the
//! scheduler catching up once, leases that recover a run whose final write failed, graceful
//! release, and the retention job.

#[macro_use]
mod common;

use common::{Store, TestServer};
use serde_json::{json, Value};
use services_model::{parse_rfc3339, Cron, LogLevel, OffsetDateTime, Role, RunStatus, RunTrigger};
use services_server::{repo, retention, scheduler};
use std::time::Duration;

async fn post_run(
    t: &TestServer,
    token: &str,
    service: u64,
    key: &str,
    body: Value,
) -> (u16, Value) {
    let response = t
        .client
        .post(t.url(&format!("/api/v1/services/{service}/runs")))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn idempotency_keys_are_per_user_and_bound_to_their_request(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let admin = t.admin();
    let (status, first) = post_run(&t, &admin, service, "k-1", json!({"page_size": 10})).await;
    assert_eq!(status, 201);
    let (status, again) = post_run(&t, &admin, service, "k-1", json!({"page_size": 10})).await;
    assert_eq!((status, &again["id"]), (200, &first["id"]));
    // The same key for another request is refused, not silently answered with the first run.
    let (status, body) = post_run(&t, &admin, service, "k-1", json!({"page_size": 11})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "idempotency_key_reused");
    let other_service = t
        .get("/api/v1/company-groups/2/services?status=active")
        .await
        .body["items"][0]["id"]
        .as_u64()
        .unwrap();
    let (status, _) = post_run(&t, &admin, other_service, "k-1", json!({"page_size": 10})).await;
    assert_eq!(status, 422, "another service is another request");
    // Keys belong to their user: the manager's "k-1" is a run of its own.
    let manager = t.token(1, Role::Manager);
    let (status, theirs) = post_run(&t, &manager, service, "k-1", json!({"page_size": 10})).await;
    assert_eq!(status, 201);
    assert_ne!(theirs["id"], first["id"]);
    t.stop().await;
}

async fn concurrent_requests_with_one_key_start_one_run(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, token) = (
                t.client.clone(),
                t.url(&format!("/api/v1/services/{service}/runs")),
                t.admin(),
            );
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .header("Idempotency-Key", "together")
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                (
                    status,
                    response.json::<Value>().await.unwrap()["id"].clone(),
                )
            })
        })
        .collect();
    let mut created = 0;
    let mut ids = std::collections::HashSet::new();
    for task in tasks {
        let (status, id) = task.await.unwrap();
        assert!(status == 201 || status == 200, "{status}");
        created += usize::from(status == 201);
        ids.insert(id.to_string());
    }
    assert_eq!((created, ids.len()), (1, 1));
    t.stop().await;
}

/// Active scheduled services of the seed (both companies) whose cron matches `minute`.
async fn due(t: &TestServer, minute: OffsetDateTime) -> Vec<u64> {
    let mut due = Vec::new();
    for (company, groups) in [(1, 1..=3), (2, 4..=5)] {
        let token = t.token(company, Role::Admin);
        for group in groups {
            for s in t
                .get_as(
                    &token,
                    &format!("/api/v1/company-groups/{group}/services?limit=1000"),
                )
                .await
                .body["items"]
                .as_array()
                .unwrap()
            {
                if s["status"] == "active" && s["trigger"]["kind"] == "schedule" {
                    let cron = Cron::parse(s["trigger"]["cron"].as_str().unwrap()).unwrap();
                    if cron.matches(minute) {
                        due.push(s["id"].as_u64().unwrap());
                    }
                }
            }
        }
    }
    due.sort_unstable();
    due
}

async fn the_scheduler_catches_up_missed_minutes_once(store: Store) {
    // Slow runs: what the scheduler queued stays live while it looks again.
    let t = TestServer::start_with(store, |c| c.runs.step = Duration::from_secs(60)).await;
    let db = &t.server.db;
    let start = parse_rfc3339("2026-11-30T01:50:00Z").unwrap(); // a Monday
    let minute_at = |m: i64| OffsetDateTime::from_unix_timestamp(m * 60).unwrap();
    let first = scheduler::catch_up(db, start.unix_timestamp() + 7)
        .await
        .unwrap();
    assert_eq!(
        first,
        due(&t, start).await,
        "a new database starts at the current minute"
    );
    assert!(!first.is_empty());
    assert!(
        scheduler::catch_up(db, start.unix_timestamp() + 40)
            .await
            .unwrap()
            .is_empty(),
        "the same minute never fires twice"
    );
    // Ten minutes without a tick (a stopped server, a late timer): every service due in them
    // is queued once, for its latest due minute, unless it still has a live run.
    let later = start.unix_timestamp() + 600;
    let mut expected = Vec::new();
    let mut latest = std::collections::HashMap::new();
    for minute in (start.unix_timestamp() / 60 + 1)..=(later / 60) {
        for id in due(&t, minute_at(minute)).await {
            if !first.contains(&id) && !expected.contains(&id) {
                expected.push(id);
            }
            latest.insert(id, services_server::clock::format(minute * 60));
        }
    }
    expected.sort_unstable();
    let caught_up = scheduler::catch_up(db, later).await.unwrap();
    assert_eq!(caught_up, expected);
    assert!(!caught_up.is_empty());
    for id in &caught_up {
        // Company 2's services start at 5001.
        let token = t.token(if *id > 5000 { 2 } else { 1 }, Role::Admin);
        let runs = t
            .get_as(
                &token,
                &format!("/api/v1/services/{id}/runs?since=2000-01-01T00:00:00Z"),
            )
            .await
            .body["items"]
            .clone();
        let scheduled: Vec<&Value> = runs
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["trigger"] == "schedule"
                    && r["created_at"].as_str().unwrap() > "2026-11-30T01:50:00Z"
            })
            .collect();
        assert_eq!(scheduled.len(), 1, "service {id}: {runs}");
        assert_eq!(scheduled[0]["created_at"], latest[id].as_str());
    }
    assert!(scheduler::catch_up(db, later).await.unwrap().is_empty());
    assert!(
        scheduler::catch_up(db, later - 300)
            .await
            .unwrap()
            .is_empty(),
        "a clock that went back queues nothing"
    );
    t.stop().await;
}

/// Makes every final write of a run fail inside the database, as a full disk would.
async fn refuse_final_writes(t: &TestServer, on: bool) {
    let statements: &[&str] = match (t.db.store(), on) {
        (Store::Sqlite, true) => &[
            "CREATE TRIGGER refuse_finish BEFORE UPDATE OF status ON runs
             WHEN NEW.status IN ('ok', 'failed')
             BEGIN SELECT RAISE(ABORT, 'injected: disk full'); END",
        ],
        (Store::Sqlite, false) => &["DROP TRIGGER refuse_finish"],
        (Store::Postgres, true) => &[
            "CREATE FUNCTION refuse_finish() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN IF NEW.status IN ('ok', 'failed') THEN RAISE EXCEPTION 'injected: disk full';
             END IF; RETURN NEW; END $$",
            "CREATE TRIGGER refuse_finish BEFORE UPDATE OF status ON runs
             FOR EACH ROW EXECUTE FUNCTION refuse_finish()",
        ],
        (Store::Postgres, false) => &["DROP TRIGGER refuse_finish ON runs"],
    };
    for sql in statements {
        services_server::with_pool!(&t.server.db, write, |pool| {
            sqlx::raw_sql(sqlx::AssertSqlSafe(*sql))
                .execute(pool)
                .await
                .unwrap()
                .rows_affected()
        });
    }
}

async fn log_messages(t: &TestServer, run: u64) -> Vec<String> {
    t.get(&format!("/api/v1/runs/{run}/log?limit=500"))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap().to_string())
        .collect()
}

async fn a_run_whose_final_write_fails_is_recovered_after_its_lease(store: Store) {
    let t = TestServer::start_with(store, |c| c.runs.lease = Duration::from_secs(2)).await;
    let service = t.a_service("active").await;
    refuse_final_writes(&t, true).await;
    let run = t.start_run(service).await;
    // The run does its work, then cannot record the end (the worker retries, then gives up).
    for _ in 0..100 {
        if log_messages(&t, run)
            .await
            .iter()
            .any(|m| m.contains("Sync complete"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let runs = t
        .get(&format!(
            "/api/v1/services/{service}/runs?since=2000-01-01T00:00:00Z"
        ))
        .await
        .body;
    let stuck = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == run)
        .unwrap()
        .clone();
    assert_eq!(stuck["status"], "running", "{stuck}");
    refuse_final_writes(&t, false).await;
    // Its lease runs out and the run goes back in the queue, to be executed again.
    let finished = t.wait_for_run(service, run).await;
    assert_eq!(finished["status"], "ok", "{finished}");
    let messages = log_messages(&t, run).await;
    let requeued = messages
        .iter()
        .position(|m| m.contains("put back in the queue"))
        .unwrap_or_else(|| panic!("{messages:?}"));
    assert!(
        messages[requeued..]
            .iter()
            .any(|m| m.contains("Sync complete")),
        "executed again after recovery: {messages:?}"
    );
    t.stop().await;
}

async fn shutdown_puts_running_runs_back_in_the_queue(store: Store) {
    let t = TestServer::start_with(store, |c| c.runs.step = Duration::from_secs(30)).await;
    let service = t.a_service("active").await;
    let run = t.start_run(service).await;
    for _ in 0..100 {
        if !log_messages(&t, run).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let db = t.db;
    t.server.shutdown(Duration::from_millis(200)).await.unwrap();
    // Started again with quick runs, the run is executed from the queue.
    let t = TestServer::start_in(db, |_| {}).await;
    let finished = t.wait_for_run(service, run).await;
    assert_eq!(finished["status"], "ok");
    let messages = log_messages(&t, run).await;
    assert!(
        messages
            .iter()
            .any(|m| m.contains("server stopped before this run finished")),
        "{messages:?}"
    );
    t.stop().await;
}

async fn retention_purges_old_runs_and_their_logs_but_keeps_the_last(store: Store) {
    let t = TestServer::start(store).await;
    let db = &t.server.db;
    let now = services_server::clock::now_unix();
    let days_ago = |d: i64| services_server::clock::format(now - d * 86_400);
    let services: Vec<u64> = t
        .get("/api/v1/company-groups/3/services?status=active")
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .take(2)
        .collect();
    let (busy, quiet) = (services[0], services[1]);
    let mut tx = db.begin().await.unwrap();
    let mut old = Vec::new();
    for (service, age) in [(busy, 45), (busy, 40), (quiet, 50), (quiet, 35)] {
        let at = days_ago(age);
        let id = repo::runs::insert_finished(
            &mut tx,
            service,
            RunTrigger::Schedule,
            RunStatus::Ok,
            &at,
            &at,
            5,
            5,
        )
        .await
        .unwrap();
        repo::runs::append_log_in(&mut tx, id, LogLevel::Info, "old line", &at)
            .await
            .unwrap();
        old.push(id);
    }
    let recent_at = days_ago(2);
    let recent = repo::runs::insert_finished(
        &mut tx,
        busy,
        RunTrigger::Manual,
        RunStatus::Ok,
        &recent_at,
        &recent_at,
        1,
        1,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        retention::purge(db, now, 60).await.unwrap(),
        0,
        "nothing is 60 days old"
    );
    let purged = retention::purge(db, now, 30).await.unwrap();
    assert_eq!(
        purged, 3,
        "busy's two old runs and quiet's older one; quiet keeps its last"
    );
    for gone in [old[0], old[1], old[2]] {
        t.get(&format!("/api/v1/runs/{gone}/log"))
            .await
            .assert_error(404, "not_found", "does not exist");
    }
    assert_eq!(
        log_messages(&t, old[3]).await,
        vec!["old line"],
        "a service's last run stays, with its log"
    );
    assert_eq!(log_messages(&t, recent).await.len(), 0);
    let busy_runs = t
        .get(&format!(
            "/api/v1/services/{busy}/runs?since=2000-01-01T00:00:00Z"
        ))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect::<Vec<_>>();
    assert!(busy_runs.contains(&recent) && !busy_runs.contains(&old[0]));
    let quiet_detail = t.get(&format!("/api/v1/services/{quiet}")).await.body;
    assert_eq!(quiet_detail["last_run"]["id"], old[3]);
    t.stop().await;
}

on_both_stores!(
    idempotency_keys_are_per_user_and_bound_to_their_request,
    concurrent_requests_with_one_key_start_one_run,
    the_scheduler_catches_up_missed_minutes_once,
    a_run_whose_final_write_fails_is_recovered_after_its_lease,
    shutdown_puts_running_runs_back_in_the_queue,
    retention_purges_old_runs_and_their_logs_but_keeps_the_last,
);
