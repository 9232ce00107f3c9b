//! Authentication, the role matrix and the tenant matrix.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use services_model::Role;

/// Every v1 route with ids filled in (company 1's).
fn every_route(service: u64, run: u64) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/me".into(), None),
        (Method::GET, "/api/v1/company-groups".into(), None),
        (
            Method::GET,
            "/api/v1/company-groups/1/services".into(),
            None,
        ),
        (
            Method::GET,
            "/api/v1/company-groups/1/services/lean".into(),
            None,
        ),
        (Method::GET, format!("/api/v1/services/{service}"), None),
        (
            Method::PATCH,
            format!("/api/v1/services/{service}"),
            Some(json!({"notes": "x"})),
        ),
        (Method::DELETE, format!("/api/v1/services/{service}"), None),
        (
            Method::POST,
            format!("/api/v1/services/{service}/clone"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/services/{service}/runs"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/services/{service}/runs"),
            None,
        ),
        (Method::GET, format!("/api/v1/runs/{run}"), None),
        (Method::GET, format!("/api/v1/runs/{run}/log"), None),
        (
            Method::GET,
            format!("/api/v1/services/{service}/alerts"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/services/{service}/alerts"),
            Some(json!({"enabled": false, "notification_group_id": null})),
        ),
        (Method::GET, "/api/v1/notification-groups".into(), None),
        (Method::GET, "/api/v1/systems".into(), None),
        (Method::GET, "/api/v1/openapi.json".into(), None),
    ]
}

async fn first_run(t: &TestServer, service: u64) -> u64 {
    let reply = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{service}/runs"),
            Some(&t.admin()),
            None,
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_u64().unwrap()
}

async fn every_route_needs_a_valid_bearer_token(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let run = first_run(&t, service).await;
    let admin = t.admin();
    let (user_id, _) = admin.trim_start_matches("pw_").split_once('_').unwrap();
    let wrong_secret = format!("pw_{user_id}_{}", "0".repeat(32));
    for (method, path, body) in every_route(service, run) {
        for token in [
            None,
            Some("not-a-token"),
            Some("pw_999_abc"),
            Some(wrong_secret.as_str()),
            Some(""),
        ] {
            let reply = t.call(method.clone(), &path, token, body.clone()).await;
            reply.assert_error(401, "unauthorized", "Bearer");
        }
        let basic = t
            .client
            .request(method.clone(), t.url(&path))
            .header("Authorization", format!("Basic {admin}"))
            .send()
            .await
            .unwrap();
        assert_eq!(basic.status(), 401, "{method} {path} with Basic");
    }
    assert_eq!(
        t.get(&format!("/api/v1/services/{service}")).await.status,
        200,
        "nothing was changed"
    );
    t.stop().await;
}

async fn me_names_the_user_role_and_company(store: Store) {
    let t = TestServer::start(store).await;
    for company in [1u64, 2] {
        for role in Role::ALL {
            let me = t.get_as(&t.token(company, role), "/api/v1/me").await;
            assert_eq!(me.status, 200);
            assert_eq!(me.body["company"]["id"], company);
            assert_eq!(me.body["role"], role.as_str());
            assert!(me.body["email"].as_str().unwrap().contains('@'));
        }
    }
    t.stop().await;
}

async fn only_admins_and_managers_may_change_services(store: Store) {
    let t = TestServer::start(store).await;
    let active = t.a_service("active").await;
    for role in Role::ALL {
        let token = t.token(1, role);
        let allowed = matches!(role, Role::Admin | Role::Manager);
        // A fresh active copy for this role to change and remove.
        let copy = t
            .call(
                Method::POST,
                &format!("/api/v1/services/{active}/clone"),
                Some(&t.admin()),
                None,
            )
            .await
            .body["id"]
            .as_u64()
            .unwrap();
        t.call(
            Method::PATCH,
            &format!("/api/v1/services/{copy}"),
            Some(&t.admin()),
            Some(json!({"status": "active"})),
        )
        .await;
        let before = t.get(&format!("/api/v1/services/{copy}")).await.body;

        let mutations: Vec<(Method, String, Option<Value>, u16)> = vec![
            (
                Method::PATCH,
                format!("/api/v1/services/{copy}"),
                Some(json!({"name": format!("Renamed by {}", role.as_str())})),
                200,
            ),
            (
                Method::POST,
                format!("/api/v1/services/{copy}/runs"),
                None,
                201,
            ),
            (
                Method::PUT,
                format!("/api/v1/services/{copy}/alerts"),
                Some(json!({"enabled": true, "notification_group_id": 1})),
                200,
            ),
            (
                Method::POST,
                format!("/api/v1/services/{copy}/clone"),
                None,
                201,
            ),
            (
                Method::DELETE,
                format!("/api/v1/services/{copy}"),
                None,
                204,
            ),
        ];
        for (method, path, body, success) in mutations {
            let reply = t.call(method.clone(), &path, Some(&token), body).await;
            if allowed {
                assert_eq!(
                    reply.status.as_u16(),
                    success,
                    "{} {method} {path}: {}",
                    role.as_str(),
                    reply.body
                );
            } else {
                reply.assert_error(403, "forbidden", "services:manage");
                let message = reply.body["error"]["message"].as_str().unwrap();
                assert!(
                    message.contains(&role.as_str().replace('_', "-")),
                    "{message}"
                );
            }
        }
        if !allowed {
            let after = t.get(&format!("/api/v1/services/{copy}")).await;
            assert_eq!(
                after.body,
                before,
                "a refused {} changed nothing",
                role.as_str()
            );
            let runs = t.get(&format!("/api/v1/services/{copy}/runs")).await;
            assert!(runs.body["items"].as_array().unwrap().is_empty());
        } else {
            t.get(&format!("/api/v1/services/{copy}"))
                .await
                .assert_error(404, "not_found", "does not exist");
        }
        // Every role may read.
        assert_eq!(
            t.get_as(&token, "/api/v1/company-groups/1/services")
                .await
                .status,
            200
        );
        assert_eq!(
            t.get_as(&token, &format!("/api/v1/services/{active}/alerts"))
                .await
                .status,
            200
        );
    }
    t.stop().await;
}

async fn another_companys_ids_answer_404_and_nothing_of_theirs_changes(store: Store) {
    let t = TestServer::start(store).await;
    let theirs = t.token(2, Role::Admin);
    let their_groups = t.get_as(&theirs, "/api/v1/company-groups").await.body["items"].clone();
    let their_group = their_groups[0]["id"].as_u64().unwrap();
    let their_services = t
        .get_as(
            &theirs,
            &format!("/api/v1/company-groups/{their_group}/services?status=active"),
        )
        .await;
    let their_service = their_services.body["items"][0]["id"].as_u64().unwrap();
    let started = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{their_service}/runs"),
            Some(&theirs),
            None,
        )
        .await;
    let their_run = started.body["id"].as_u64().unwrap();
    // Settled first: their run finishing later must not read as a change made by us.
    common::wait_for_run(
        &t.client,
        &t.server.url(),
        &theirs,
        their_service,
        their_run,
    )
    .await;
    let service_before = t
        .get_as(&theirs, &format!("/api/v1/services/{their_service}"))
        .await
        .body;
    let runs_before = t
        .get_as(&theirs, &format!("/api/v1/services/{their_service}/runs"))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();

    let ours = t.admin();
    let mut routes = every_route(their_service, their_run);
    routes.push((
        Method::GET,
        format!("/api/v1/company-groups/{their_group}/services"),
        None,
    ));
    for (method, path, body) in routes {
        if !path.contains(&their_service.to_string())
            && !path.contains(&format!("runs/{their_run}"))
            && !path.contains(&format!("groups/{their_group}/"))
        {
            continue; // routes without ids answer with our own data
        }
        let reply = t.call(method.clone(), &path, Some(&ours), body).await;
        reply.assert_error(404, "not_found", "does not exist");
    }
    // Our lists never show their data.
    let our_groups = t.get_as(&ours, "/api/v1/company-groups").await.body["items"].clone();
    assert!(our_groups
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["id"] != their_group));
    let our_alert_groups =
        t.get_as(&ours, "/api/v1/notification-groups").await.body["items"].clone();
    let their_alert_groups =
        t.get_as(&theirs, "/api/v1/notification-groups").await.body["items"].clone();
    for g in their_alert_groups.as_array().unwrap() {
        assert!(our_alert_groups
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != g["id"]));
        // Nor can we point our alerts at their notification group.
        let ours_service = t.a_service("active").await;
        t.call(
            Method::PUT,
            &format!("/api/v1/services/{ours_service}/alerts"),
            Some(&ours),
            Some(json!({"enabled": true, "notification_group_id": g["id"]})),
        )
        .await
        .assert_error(422, "invalid_alerts", "does not exist");
    }

    let mut service_after = t
        .get_as(&theirs, &format!("/api/v1/services/{their_service}"))
        .await
        .body;
    // The next scheduled run moves on with the clock; everything else must be as it was.
    let mut service_before = service_before;
    service_before["next_run_at"] = Value::Null;
    service_after["next_run_at"] = Value::Null;
    assert_eq!(service_after, service_before);
    let runs_after = t
        .get_as(&theirs, &format!("/api/v1/services/{their_service}/runs"))
        .await
        .body["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(runs_after, runs_before);
    let count_after = t.get_as(&theirs, "/api/v1/company-groups").await.body["items"].clone();
    assert_eq!(count_after, their_groups);
    t.stop().await;
}

async fn demo_sign_in_lists_working_tokens_only_in_demo_mode(store: Store) {
    // The demo database, started again without --demo: its users stay, the sign-in goes.
    let demo = TestServer::start(store).await;
    let db = demo.stop().await;
    let off = TestServer::start_in(db, |c| c.demo = false).await;
    off.call(Method::GET, "/api/demo/users", None, None)
        .await
        .assert_error(404, "not_found", "/api/demo/users");
    off.stop().await;

    let t = TestServer::start_with(store, |c| c.demo = true).await;
    let users = t.call(Method::GET, "/api/demo/users", None, None).await;
    assert_eq!(users.status, 200);
    let users = users.body["items"].as_array().unwrap().clone();
    assert_eq!(users.len(), 8);
    for user in &users {
        let me = t
            .get_as(user["token"].as_str().unwrap(), "/api/v1/me")
            .await;
        assert_eq!(me.body["email"], user["email"]);
        assert_eq!(me.body["role"], user["role"]);
    }
    t.stop().await;
}

on_both_stores!(
    every_route_needs_a_valid_bearer_token,
    me_names_the_user_role_and_company,
    only_admins_and_managers_may_change_services,
    another_companys_ids_answer_404_and_nothing_of_theirs_changes,
    demo_sign_in_lists_working_tokens_only_in_demo_mode,
);
