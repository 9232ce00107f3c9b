//! `POST /services/bulk`: a result per id, each service changed completely or not at all, on
//! both stores; bad bodies and roles refused.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use services_model::Role;

async fn bulk(t: &TestServer, token: &str, body: Value) -> common::Reply {
    t.call(
        Method::POST,
        "/api/v1/services/bulk",
        Some(token),
        Some(body),
    )
    .await
}

/// The ids of group 1's services with this status, as the list shows them.
async fn with_status(t: &TestServer, status: &str) -> Vec<u64> {
    let reply = t
        .get(&format!(
            "/api/v1/company-groups/1/services?status={status}&limit=1000"
        ))
        .await;
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect()
}

fn results(reply: &common::Reply) -> Vec<(u64, bool, String)> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_u64().unwrap(),
                r["ok"].as_bool().unwrap(),
                r["error"]["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A service of company 2 (another tenant).
async fn foreign_service(t: &TestServer) -> u64 {
    let token = t.token(2, Role::Admin);
    let groups = t.get_as(&token, "/api/v1/company-groups").await;
    let group = groups.body["items"][0]["id"].as_u64().unwrap();
    let list = t
        .get_as(&token, &format!("/api/v1/company-groups/{group}/services"))
        .await;
    list.body["items"][0]["id"].as_u64().unwrap()
}

async fn deactivate_reports_each_id_and_changes_exactly_the_companys(store: Store) {
    let t = TestServer::start(store).await;
    let active = with_status(&t, "active").await;
    let chosen = &active[..3];
    let foreign = foreign_service(&t).await;
    let missing = 9_000_000;
    let ids = json!([chosen[0], missing, chosen[1], foreign, chosen[2], chosen[0]]);
    let reply = bulk(&t, &t.admin(), json!({"action": "deactivate", "ids": ids})).await;
    assert_eq!(
        results(&reply),
        vec![
            (chosen[0], true, String::new()),
            (missing, false, "not_found".into()),
            (chosen[1], true, String::new()),
            (foreign, false, "not_found".into()),
            (chosen[2], true, String::new()),
        ],
        "one result per distinct id, in the order sent"
    );
    let message = reply.body["results"][1]["error"]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("does not exist"), "{message}");
    let inactive = with_status(&t, "inactive").await;
    assert!(chosen.iter().all(|id| inactive.contains(id)));
    // The other tenant's service is untouched.
    let theirs = t
        .get_as(
            &t.token(2, Role::Admin),
            &format!("/api/v1/services/{foreign}"),
        )
        .await;
    assert_eq!(theirs.status, 200);
    let before = theirs.body["updated_at"].clone();
    assert_ne!(before, Value::Null);

    // And back: activate.
    let reply = bulk(
        &t,
        &t.admin(),
        json!({"action": "activate", "ids": chosen.to_vec()}),
    )
    .await;
    assert!(results(&reply).iter().all(|(_, ok, _)| *ok));
    let active_again = with_status(&t, "active").await;
    assert!(chosen.iter().all(|id| active_again.contains(id)));
}

async fn alerts_on_needs_a_notification_group(store: Store) {
    let t = TestServer::start(store).await;
    let ids: Vec<u64> = t.service_ids(1).await;
    let mut without = Vec::new();
    let mut with = Vec::new();
    for id in &ids {
        let alerts = t.get(&format!("/api/v1/services/{id}/alerts")).await.body;
        if alerts["notification_group_id"].is_null() {
            without.push(*id);
        } else {
            with.push(*id);
        }
    }
    let (a, b) = (without[0], with[0]);
    // Off for both: each keeps its group (or none).
    let reply = bulk(
        &t,
        &t.admin(),
        json!({"action": "alerts_off", "ids": [a, b]}),
    )
    .await;
    assert!(results(&reply).iter().all(|(_, ok, _)| *ok));
    // On without a group: the one with a group of its own goes on, the other fails with why.
    let reply = bulk(
        &t,
        &t.admin(),
        json!({"action": "alerts_on", "ids": [a, b]}),
    )
    .await;
    assert_eq!(
        results(&reply),
        vec![
            (a, false, "invalid_alerts".into()),
            (b, true, String::new())
        ]
    );
    let alerts = |id: u64| {
        let t = &t;
        async move { t.get(&format!("/api/v1/services/{id}/alerts")).await.body }
    };
    assert_eq!(alerts(a).await["enabled"], false);
    assert_eq!(alerts(b).await["enabled"], true);
    // With a group named: both on, with that group.
    let groups = t.get("/api/v1/notification-groups").await.body;
    let group = groups["items"][0]["id"].as_u64().unwrap();
    let reply = bulk(
        &t,
        &t.admin(),
        json!({"action": "alerts_on", "ids": [a, b], "notification_group_id": group}),
    )
    .await;
    assert!(results(&reply).iter().all(|(_, ok, _)| *ok));
    for id in [a, b] {
        let now = alerts(id).await;
        assert_eq!(now["enabled"], true);
        assert_eq!(now["notification_group_id"], group);
    }
    // A group of another company, or one with another action, is refused as a whole.
    bulk(
        &t,
        &t.admin(),
        json!({"action": "alerts_on", "ids": [a], "notification_group_id": 9_000_000}),
    )
    .await
    .assert_error(422, "invalid_alerts", "does not exist");
    bulk(
        &t,
        &t.admin(),
        json!({"action": "deactivate", "ids": [a], "notification_group_id": group}),
    )
    .await
    .assert_error(422, "invalid_field", "alerts_on");
}

async fn remove_takes_runs_along_and_a_repeat_reports_not_found(store: Store) {
    let t = TestServer::start(store).await;
    let ids = t.service_ids(1).await;
    let active = t.a_service("active").await;
    let other = *ids.iter().find(|id| **id != active).unwrap();
    let gone = [active, other];
    let run = t.start_run(active).await;
    let reply = bulk(&t, &t.admin(), json!({"action": "remove", "ids": gone})).await;
    assert!(results(&reply).iter().all(|(_, ok, _)| *ok));
    for id in gone {
        t.get(&format!("/api/v1/services/{id}")).await.assert_error(
            404,
            "not_found",
            "does not exist",
        );
    }
    t.get(&format!("/api/v1/runs/{run}"))
        .await
        .assert_error(404, "not_found", "");
    let left = t.service_ids(1).await;
    assert_eq!(left.len(), ids.len() - 2);
    let reply = bulk(&t, &t.admin(), json!({"action": "remove", "ids": gone})).await;
    assert!(results(&reply)
        .iter()
        .all(|(_, ok, code)| !ok && code == "not_found"));
}

async fn bad_bodies_and_roles_are_refused(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    for role in [Role::User, Role::ReadOnly] {
        bulk(
            &t,
            &t.token(1, role),
            json!({"action": "deactivate", "ids": [id]}),
        )
        .await
        .assert_error(403, "forbidden", "services:manage");
    }
    let too_many: Vec<u64> = (1..=501).collect();
    for (body, code, part) in [
        (
            json!({"action": "deactivate", "ids": []}),
            "invalid_field",
            "1 to 500",
        ),
        (
            json!({"action": "deactivate", "ids": too_many}),
            "invalid_field",
            "501",
        ),
        (
            json!({"action": "pause", "ids": [id]}),
            "invalid_field",
            "pause",
        ),
        (
            json!({"action": "remove", "ids": [-1]}),
            "invalid_field",
            "-1",
        ),
        (
            json!({"action": "remove", "ids": [1.5]}),
            "invalid_field",
            "1.5",
        ),
        (json!({"action": "remove"}), "invalid_field", "ids"),
        (
            json!({"action": "remove", "ids": [id], "query": "x"}),
            "unknown_field",
            "query",
        ),
    ] {
        bulk(&t, &t.admin(), body)
            .await
            .assert_error(422, code, part);
    }
    let raw = t
        .client
        .post(t.url("/api/v1/services/bulk"))
        .bearer_auth(t.admin())
        .header("content-type", "application/json")
        .body("{\"action\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    // Nothing changed by the refusals.
    let still = t.get(&format!("/api/v1/services/{id}")).await.body;
    assert_eq!(still["status"], "active");
    // 500 distinct ids are fine (the ones that don't exist are reported).
    let mut many: Vec<u64> = (8_000_000..8_000_499).collect();
    many.push(id);
    let reply = bulk(&t, &t.admin(), json!({"action": "alerts_off", "ids": many})).await;
    let all = results(&reply);
    assert_eq!(all.len(), 500);
    assert_eq!(all.iter().filter(|(_, ok, _)| *ok).count(), 1);
}

on_both_stores!(
    deactivate_reports_each_id_and_changes_exactly_the_companys,
    alerts_on_needs_a_notification_group,
    remove_takes_runs_along_and_a_repeat_reports_not_found,
    bad_bodies_and_roles_are_refused,
);
