//! One service: read, change, clone, remove, alerts; bad bodies; the OpenAPI document.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use services_model::{Cron, LeanView, OffsetDateTime, Role, Service};
use services_server::{clock, scheduler};

async fn patch(t: &TestServer, id: u64, body: Value) -> common::Reply {
    t.call(
        Method::PATCH,
        &format!("/api/v1/services/{id}"),
        Some(&t.admin()),
        Some(body),
    )
    .await
}

/// The service as the list endpoint and the lean whole-group view show it.
async fn listed(t: &TestServer, group: u64, id: u64) -> (Value, Service, String) {
    let list = t
        .get(&format!(
            "/api/v1/company-groups/{group}/services?limit=1000"
        ))
        .await;
    let row = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .expect("listed")
        .clone();
    let lean = t
        .client
        .get(t.url(&format!("/api/v1/company-groups/{group}/services/lean")))
        .bearer_auth(t.admin())
        .send()
        .await
        .unwrap();
    let etag = lean.headers()["etag"].to_str().unwrap().to_string();
    let view: LeanView = lean.json().await.unwrap();
    let service = view
        .services()
        .unwrap()
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap();
    (row, service, etag)
}

/// The next run after now of `cron`, as the API writes it (either side of a minute boundary).
fn next_runs(cron: &str) -> Vec<String> {
    let cron = Cron::parse(cron).unwrap();
    let now = clock::now_unix();
    [now - 5, now, now + 5]
        .into_iter()
        .map(|at| {
            let next = cron
                .next_after(OffsetDateTime::from_unix_timestamp(at).unwrap())
                .unwrap();
            clock::format(next.unix_timestamp())
        })
        .collect()
}

async fn patch_changes_type_and_trigger_and_the_list_shows_it(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let before = t.get(&format!("/api/v1/services/{id}")).await.body;
    let group = before["group_id"].as_u64().unwrap();
    let (_, _, etag_before) = listed(&t, group, id).await;
    let new_type = if before["service_type"] == "sweeper" {
        "standard"
    } else {
        "sweeper"
    };
    let reply = patch(
        &t,
        id,
        json!({"service_type": new_type, "trigger": {"kind": "schedule", "cron": "  30  6 * * 1-5 "}}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["service_type"], new_type);
    assert_eq!(
        reply.body["trigger"],
        json!({"kind": "schedule", "cron": "30 6 * * 1-5"}),
        "stored with single spaces"
    );
    assert!(
        next_runs("30 6 * * 1-5").contains(&reply.body["next_run_at"].as_str().unwrap().into()),
        "{}",
        reply.body["next_run_at"]
    );
    assert_eq!(reply.body["name"], before["name"], "the rest stays");
    assert_eq!(reply.body["notes"], before["notes"]);
    assert_eq!(reply.body["status"], before["status"]);
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body,
        reply.body
    );

    // The list and the lean view (a new ETag: the group's version moved) show it at once.
    let (row, lean, etag) = listed(&t, group, id).await;
    assert_eq!(row["service_type"], new_type);
    assert_eq!(row["trigger"]["cron"], "30 6 * * 1-5");
    assert_eq!(row["next_run_at"], reply.body["next_run_at"]);
    assert_eq!(lean.service_type.as_str(), new_type);
    assert_eq!(lean.trigger.cron(), Some("30 6 * * 1-5"));
    assert_ne!(etag, etag_before);
    // The search finds it by its new type.
    let found = t
        .get(&format!(
            "/api/v1/company-groups/{group}/services?q={new_type}&limit=1000"
        ))
        .await;
    assert!(found.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id));

    // A webhook has no schedule and no next run.
    let reply = patch(&t, id, json!({"trigger": {"kind": "webhook"}})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["trigger"], json!({"kind": "webhook"}));
    assert!(reply.body["next_run_at"].is_null());
    assert_eq!(reply.body["service_type"], new_type);
    let (row, lean, etag_webhook) = listed(&t, group, id).await;
    assert_eq!(row["trigger"], json!({"kind": "webhook"}));
    assert!(row["next_run_at"].is_null());
    assert_eq!(lean.trigger.cron(), None);
    assert_ne!(etag_webhook, etag);
    // And back to a schedule.
    let reply = patch(
        &t,
        id,
        json!({"trigger": {"kind": "schedule", "cron": "*/15 * * * *"}}),
    )
    .await;
    assert_eq!(reply.body["trigger"]["cron"], "*/15 * * * *");
    assert!(next_runs("*/15 * * * *").contains(&reply.body["next_run_at"].as_str().unwrap().into()));
    t.stop().await;
}

async fn patch_refuses_invalid_schedules_with_the_reason(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let before = t.get(&format!("/api/v1/services/{id}")).await.body;
    let schedule = |cron: &str| json!({"service_type": "sweeper", "trigger": {"kind": "schedule", "cron": cron}});
    for (body, code, part) in [
        (
            schedule("61 * * * *"),
            "invalid_schedule",
            "not a valid schedule",
        ),
        (
            schedule("0 24 * * *"),
            "invalid_schedule",
            "not a valid schedule",
        ),
        (schedule("* * * *"), "invalid_schedule", "5 fields"),
        (schedule(""), "invalid_schedule", "5 fields"),
        (schedule("MON * * * *"), "invalid_schedule", "minute field"),
        (schedule("0 0 30 2 *"), "invalid_schedule", "never runs"),
        (
            schedule(&"1,".repeat(150)),
            "invalid_schedule",
            "at most 200",
        ),
        (
            json!({"trigger": {"kind": "schedule"}}),
            "invalid_field",
            "cron",
        ),
        (
            json!({"trigger": {"kind": "hourly"}}),
            "invalid_field",
            "hourly",
        ),
        (
            json!({"trigger": "0 2 * * *"}),
            "invalid_field",
            "invalid type",
        ),
        (json!({"service_type": "daily"}), "invalid_field", "daily"),
    ] {
        patch(&t, id, body.clone())
            .await
            .assert_error(422, code, part);
    }
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body,
        before,
        "nothing changed, not even the valid type beside an invalid schedule"
    );
    t.stop().await;
}

async fn only_admins_and_managers_change_type_and_trigger(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let before = t.get(&format!("/api/v1/services/{id}")).await.body;
    let body = json!({"service_type": "sweeper", "trigger": {"kind": "webhook"}});
    for role in [Role::User, Role::ReadOnly] {
        t.call(
            Method::PATCH,
            &format!("/api/v1/services/{id}"),
            Some(&t.token(1, role)),
            Some(body.clone()),
        )
        .await
        .assert_error(403, "forbidden", "services:manage");
    }
    assert_eq!(t.get(&format!("/api/v1/services/{id}")).await.body, before);
    let reply = t
        .call(
            Method::PATCH,
            &format!("/api/v1/services/{id}"),
            Some(&t.token(1, Role::Manager)),
            Some(body),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        (&reply.body["service_type"], &reply.body["trigger"]["kind"]),
        (&json!("sweeper"), &json!("webhook"))
    );
    // Another company's service is not found, whatever the role.
    t.call(
        Method::PATCH,
        &format!("/api/v1/services/{id}"),
        Some(&t.token(2, Role::Admin)),
        Some(json!({"service_type": "standard"})),
    )
    .await
    .assert_error(404, "not_found", "does not exist");
    t.stop().await;
}

async fn a_schedule_changed_to_the_next_minute_runs_on_the_next_tick(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let runs_path = format!("/api/v1/services/{id}/runs?since=2000-01-01T00:00:00Z");
    for run in t.get(&runs_path).await.body["items"].as_array().unwrap() {
        if run["status"] == "queued" || run["status"] == "running" {
            t.wait_for_run(id, run["id"].as_u64().unwrap()).await;
        }
    }
    // A schedule that fires only in the coming minute (this year, on this date).
    let minute = (clock::now_unix() / 60 + 1) * 60;
    let at = OffsetDateTime::from_unix_timestamp(minute).unwrap();
    let cron = format!(
        "{} {} {} {} *",
        at.minute(),
        at.hour(),
        at.day(),
        u8::from(at.month())
    );
    let reply = patch(
        &t,
        id,
        json!({"trigger": {"kind": "schedule", "cron": cron}}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let minute_text = clock::format(minute);
    assert_eq!(reply.body["next_run_at"], minute_text.as_str());
    // The scheduler's next turn (what it runs just after the minute starts).
    let started = scheduler::catch_up(&t.server.db, minute + 1).await.unwrap();
    let scheduled: Vec<Value> = t.get(&runs_path).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["trigger"] == "schedule" && r["created_at"] == minute_text.as_str())
        .cloned()
        .collect();
    assert_eq!(scheduled.len(), 1, "one run for the minute: {scheduled:?}");
    // (Unless the test crossed into that minute and the server's own tick queued it first.)
    assert!(
        started.contains(&id) || clock::now_unix() >= minute,
        "{started:?}"
    );
    t.stop().await;
}

async fn a_service_has_notes_alerts_and_runs(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let reply = t.get(&format!("/api/v1/services/{id}")).await;
    assert_eq!(reply.status, 200);
    let s = &reply.body;
    assert_eq!(s["id"], id);
    assert_eq!(s["notes"], "");
    assert!(s["alerts"]["enabled"].is_boolean());
    assert_eq!(s["alerts"]["enabled"], s["alerts_enabled"]);
    t.get("/api/v1/services/987654")
        .await
        .assert_error(404, "not_found", "987654");
    t.stop().await;
}

async fn patch_renames_trimmed_changes_status_and_notes(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let before = t.get(&format!("/api/v1/services/{id}")).await.body;
    let reply = patch(&t, id, json!({"name": "  Shopify orders → NetSuite (EU)  ", "status": "inactive", "notes": "Paused for the\nmigration."})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["name"], "Shopify orders → NetSuite (EU)");
    assert_eq!(reply.body["status"], "inactive");
    assert_eq!(reply.body["notes"], "Paused for the\nmigration.");
    assert!(
        reply.body["next_run_at"].is_null(),
        "inactive services have no next run"
    );
    assert_ne!(reply.body["updated_at"], Value::Null);
    assert_eq!(reply.body["created_at"], before["created_at"]);
    // Partial: only what is given changes.
    let reply = patch(&t, id, json!({"status": "active"})).await;
    assert_eq!(reply.body["name"], "Shopify orders → NetSuite (EU)");
    assert_eq!(reply.body["notes"], "Paused for the\nmigration.");
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body["status"],
        "active"
    );
    t.stop().await;
}

async fn patch_refuses_bad_names_fixed_fields_and_unknown_fields(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let before = t.get(&format!("/api/v1/services/{id}")).await.body;
    for (body, code, part) in [
        (json!({"name": "   "}), "invalid_name", "empty"),
        (json!({"name": "x".repeat(121)}), "invalid_name", "120"),
        (json!({"name": "two\nlines"}), "invalid_name", "control"),
        (json!({"id": 5}), "immutable_field", "id"),
        (json!({"source": {}}), "immutable_field", "source"),
        (json!({"type": "sweeper"}), "unknown_field", "type"),
        (json!({"colour": "red"}), "unknown_field", "colour"),
        (json!({"status": "paused"}), "invalid_field", "paused"),
        (json!({"name": 42}), "invalid_field", "invalid"),
        (
            json!({"notes": "n".repeat(10_001)}),
            "invalid_notes",
            "10000",
        ),
    ] {
        patch(&t, id, body.clone())
            .await
            .assert_error(422, code, part);
    }
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body,
        before,
        "nothing changed"
    );
    t.stop().await;
}

async fn malformed_unsupported_and_oversized_bodies(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let url = t.url(&format!("/api/v1/services/{id}"));
    let send = |body: Vec<u8>, content_type: &'static str| {
        t.client
            .patch(&url)
            .bearer_auth(t.admin())
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let reply = send(b"{\"name\": ".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));

    let reply = send(b"name=x".to_vec(), "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(reply.status(), 415);
    assert_eq!(
        reply.json::<Value>().await.unwrap()["error"]["code"],
        "unsupported_media_type"
    );

    let big = format!("{{\"notes\": \"{}\"}}", "a".repeat(70 * 1024)).into_bytes();
    let reply = send(big, "application/json").await.unwrap();
    assert_eq!(reply.status(), 413);
    assert_eq!(
        reply.json::<Value>().await.unwrap()["error"]["code"],
        "payload_too_large"
    );
    t.stop().await;
}

async fn clone_makes_an_inactive_copy_with_the_same_settings(store: Store) {
    let t = TestServer::start(store).await;
    let all = t
        .get("/api/v1/company-groups/1/services?status=active")
        .await
        .body["items"]
        .clone();
    let original = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["alerts_enabled"] == true)
        .unwrap()
        .clone();
    let id = original["id"].as_u64().unwrap();
    let detail = t.get(&format!("/api/v1/services/{id}")).await.body;
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{id}/clone"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let copy = reply.body;
    assert_ne!(copy["id"], original["id"]);
    assert_eq!(
        copy["name"],
        format!("Copy of {}", original["name"].as_str().unwrap())
    );
    assert_eq!(copy["status"], "inactive");
    for field in [
        "group_id",
        "service_type",
        "source",
        "destination",
        "trigger",
        "alerts_enabled",
    ] {
        assert_eq!(copy[field], original[field], "{field}");
    }
    assert_eq!(copy["alerts"], detail["alerts"]);
    let again = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{id}/clone"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(
        again.body["name"],
        format!("Copy of {} (2)", original["name"].as_str().unwrap())
    );
    assert_eq!(t.service_ids(1).await.len(), 64 + 2);
    t.stop().await;
}

async fn twenty_parallel_clones_make_twenty_distinct_services(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let before = t.service_ids(1).await.len();
    let url = t.url(&format!("/api/v1/services/{id}/clone"));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, token) = (t.client.clone(), url.clone(), t.admin());
            tokio::spawn(async move {
                let response = client.post(url).bearer_auth(token).send().await.unwrap();
                let status = response.status();
                (status, response.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        replies.push(common::Reply {
            status,
            headers: Default::default(),
            body,
        });
    }
    let mut ids = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for reply in replies {
        assert_eq!(reply.status, 201, "{}", reply.body);
        ids.insert(reply.body["id"].as_u64().unwrap());
        names.insert(reply.body["name"].as_str().unwrap().to_string());
    }
    assert_eq!((ids.len(), names.len()), (20, 20));
    assert_eq!(t.service_ids(1).await.len(), before + 20);
    t.stop().await;
}

async fn delete_removes_the_service_with_its_runs_and_logs(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let run = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{id}/runs"),
            Some(&t.admin()),
            None,
        )
        .await
        .body["id"]
        .as_u64()
        .unwrap();
    t.wait_for_run(id, run).await;
    assert!(
        !t.get(&format!("/api/v1/runs/{run}/log")).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let reply = t
        .call(
            Method::DELETE,
            &format!("/api/v1/services/{id}"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_null(), "204 has no body");
    t.get(&format!("/api/v1/services/{id}"))
        .await
        .assert_error(404, "not_found", "does not exist");
    t.get(&format!("/api/v1/runs/{run}/log"))
        .await
        .assert_error(404, "not_found", "does not exist");
    assert!(!t.service_ids(1).await.contains(&id));
    let (runs, lines): (i64, i64) = services_server::with_pool!(&t.server.db, read, |pool| {
        let runs = sqlx::query_scalar("SELECT COUNT(*) FROM runs WHERE service_id = $1")
            .bind(id as i64)
            .fetch_one(pool)
            .await
            .unwrap();
        let lines = sqlx::query_scalar("SELECT COUNT(*) FROM run_log_lines WHERE run_id = $1")
            .bind(run as i64)
            .fetch_one(pool)
            .await
            .unwrap();
        (runs, lines)
    });
    assert_eq!((runs, lines), (0, 0));
    t.call(
        Method::DELETE,
        &format!("/api/v1/services/{id}"),
        Some(&t.admin()),
        None,
    )
    .await
    .assert_error(404, "not_found", "does not exist");
    t.stop().await;
}

async fn clone_of(t: &TestServer, id: u64) -> u64 {
    let path = format!("/api/v1/services/{id}/clone");
    let reply = t.call(Method::POST, &path, Some(&t.admin()), None).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.body["id"].as_u64().unwrap()
}

/// Schemathesis found it: on SQLite a new service took the id of the newest one just removed,
/// so the removed service's URL showed another service. Ids are never given twice.
async fn a_removed_services_id_is_never_given_again(store: Store) {
    let t = TestServer::start(store).await;
    let original = t.a_service("active").await;
    let newest = clone_of(&t, original).await;
    let reply = t
        .call(
            Method::DELETE,
            &format!("/api/v1/services/{newest}"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(reply.status, 204);
    let next = clone_of(&t, original).await;
    assert!(
        next > newest,
        "{next} reuses or precedes the removed {newest}"
    );
    t.get(&format!("/api/v1/services/{newest}"))
        .await
        .assert_error(404, "not_found", "does not exist");
    t.stop().await;
}

async fn alert_settings_read_write_and_validate(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let groups = t.get("/api/v1/notification-groups").await.body["items"].clone();
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["name"], "Ops on-call");
    let kinds: Vec<&str> = groups[0]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["user", "user", "email"]);
    let group = groups[1]["id"].as_u64().unwrap();

    let path = format!("/api/v1/services/{id}/alerts");
    let admin = t.admin();
    let put = |body: Value| t.call(Method::PUT, &path, Some(&admin), Some(body));
    let reply = put(json!({"enabled": true, "notification_group_id": group})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        t.get(&path).await.body,
        json!({"enabled": true, "notification_group_id": group})
    );
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body["alerts_enabled"],
        true
    );

    put(json!({"enabled": true, "notification_group_id": null}))
        .await
        .assert_error(422, "invalid_alerts", "notification group");
    put(json!({"enabled": true, "notification_group_id": 999}))
        .await
        .assert_error(422, "invalid_alerts", "999");
    put(json!({"enabled": true}))
        .await
        .assert_error(422, "invalid_alerts", "notification group");
    put(json!({"enabled": "yes", "notification_group_id": group}))
        .await
        .assert_error(422, "invalid_field", "invalid");
    put(json!({"enabled": true, "notification_group_id": group, "sms": true}))
        .await
        .assert_error(422, "unknown_field", "sms");

    let reply = put(json!({"enabled": false, "notification_group_id": null})).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body["alerts_enabled"],
        false
    );
    t.stop().await;
}

async fn systems_list_the_supported_systems_and_entities(store: Store) {
    let t = TestServer::start(store).await;
    let systems = t.get("/api/v1/systems").await.body["items"].clone();
    let systems = systems.as_array().unwrap();
    assert_eq!(systems.len(), 44);
    let shopify = systems.iter().find(|s| s["name"] == "Shopify").unwrap();
    assert!(shopify["entities"]
        .as_array()
        .unwrap()
        .contains(&json!("orders")));
    t.stop().await;
}

async fn the_openapi_document_covers_every_route(store: Store) {
    let t = TestServer::start(store).await;
    let doc = t.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    let doc = doc.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let patch_fields = &doc["components"]["schemas"]["ServicePatch"]["properties"];
    for field in ["name", "status", "notes", "service_type", "trigger"] {
        assert!(
            patch_fields[field].is_object(),
            "ServicePatch.{field}: {patch_fields}"
        );
    }
    let expected = [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/company-groups"),
        ("get", "/api/v1/company-groups/{id}/services"),
        ("get", "/api/v1/company-groups/{id}/services/lean"),
        ("get", "/api/v1/company-groups/{id}/services/export.csv"),
        ("get", "/api/v1/services/{id}"),
        ("patch", "/api/v1/services/{id}"),
        ("delete", "/api/v1/services/{id}"),
        ("post", "/api/v1/services/{id}/clone"),
        ("post", "/api/v1/services/{id}/runs"),
        ("get", "/api/v1/services/{id}/runs"),
        ("get", "/api/v1/runs/{id}"),
        ("get", "/api/v1/runs/{id}/log"),
        ("get", "/api/v1/services/{id}/alerts"),
        ("put", "/api/v1/services/{id}/alerts"),
        ("get", "/api/v1/notification-groups"),
        ("get", "/api/v1/systems"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/api/v1/embed-config"),
        ("get", "/api/v1/events"),
        ("post", "/api/v1/services/bulk"),
        ("get", "/api/v1/favourites"),
        ("put", "/api/v1/services/{id}/favourite"),
        ("delete", "/api/v1/services/{id}/favourite"),
        ("get", "/api/v1/views"),
        ("post", "/api/v1/views"),
        ("delete", "/api/v1/views/{id}"),
    ];
    // The only route anyone may call without a token.
    let public = ("get", "/api/v1/embed-config");
    let paths = doc["paths"].as_object().unwrap();
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        expected.len(),
        "no undocumented extras: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (method, path) in expected {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is missing from the document"
        );
        // Every documented route really answers (with auth it is never the 404 fallback).
        let concrete = path.replace("{id}", "1");
        if (method, path) == public {
            let reply = t.call(Method::GET, &concrete, None, None).await;
            assert_eq!(reply.status, 200, "{method} {concrete} needs no token");
            assert_eq!(
                doc["paths"][path][method]["security"],
                json!([{}]),
                "{method} {path} is documented as needing no token"
            );
            continue;
        }
        let reply = t
            .call(
                method.to_uppercase().parse().unwrap(),
                &concrete,
                None,
                None,
            )
            .await;
        assert_eq!(
            reply.status, 401,
            "{method} {concrete} is a real route behind auth"
        );
    }
    for schema in [
        "Service",
        "ServiceSummary",
        "Run",
        "LogLine",
        "ErrorResponse",
        "AlertSettings",
        "Facets",
        "LiveEvent",
        "StreamReset",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    t.stop().await;
}

on_both_stores!(
    patch_changes_type_and_trigger_and_the_list_shows_it,
    patch_refuses_invalid_schedules_with_the_reason,
    only_admins_and_managers_change_type_and_trigger,
    a_schedule_changed_to_the_next_minute_runs_on_the_next_tick,
    a_service_has_notes_alerts_and_runs,
    patch_renames_trimmed_changes_status_and_notes,
    patch_refuses_bad_names_fixed_fields_and_unknown_fields,
    malformed_unsupported_and_oversized_bodies,
    clone_makes_an_inactive_copy_with_the_same_settings,
    twenty_parallel_clones_make_twenty_distinct_services,
    delete_removes_the_service_with_its_runs_and_logs,
    a_removed_services_id_is_never_given_again,
    alert_settings_read_write_and_validate,
    systems_list_the_supported_systems_and_entities,
    the_openapi_document_covers_every_route,
);
