//! Issue 15: the OpenAPI document states the rules the handlers enforce (built from the same
//! constants in `services_model::rules`), declares every error answer, links the ids that
//! `clone` and `runs` return, and the requests Schemathesis found refused are accepted.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use services_model::rules;

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

fn parameter<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("{method} {path} has parameters"))
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} has parameter {name}"))
}

async fn the_document_states_the_rules_the_handlers_enforce(store: Store) {
    let t = TestServer::start(store).await;
    let doc = t.get("/api/v1/openapi.json").await.body;

    let limit = &parameter(&doc, "/api/v1/company-groups/{id}/services", "get", "limit")["schema"];
    assert_eq!(limit["type"], "integer");
    assert_eq!(limit["minimum"], 1.0);
    assert_eq!(limit["maximum"], rules::LIST_LIMIT_MAX as f64);
    let log_limit = &parameter(&doc, "/api/v1/runs/{id}/log", "get", "limit")["schema"];
    assert_eq!(log_limit["minimum"], 1.0);
    assert_eq!(log_limit["maximum"], f64::from(rules::LOG_LIMIT_MAX));
    let since = &parameter(&doc, "/api/v1/services/{id}/runs", "get", "since")["schema"];
    assert_eq!(since["format"], "date-time");
    let key = &parameter(
        &doc,
        "/api/v1/services/{id}/runs",
        "post",
        "Idempotency-Key",
    );
    assert_eq!(key["in"], "header");
    assert_eq!(key["schema"]["pattern"], rules::IDEMPOTENCY_KEY_PATTERN);
    let sort = &parameter(&doc, "/api/v1/company-groups/{id}/services", "get", "sort")["schema"];
    assert!(sort["enum"].as_array().unwrap().contains(&json!("-name")));
    let search = &parameter(&doc, "/api/v1/company-groups/{id}/services", "get", "q")["schema"];
    assert_eq!(search["maxLength"], rules::SEARCH_MAX_CHARS);
    let id = &parameter(&doc, "/api/v1/services/{id}", "get", "id")["schema"];
    assert_eq!(id["type"], "integer");
    assert_eq!(id["maximum"], rules::MAX_ID as f64);

    let patch = schema(&doc, "ServicePatch");
    assert_eq!(patch["additionalProperties"], false);
    assert_eq!(patch["properties"]["name"]["minLength"], 1);
    assert_eq!(
        patch["properties"]["name"]["maxLength"],
        rules::NAME_MAX_CHARS
    );
    assert_eq!(
        patch["properties"]["name"]["pattern"],
        rules::text_pattern()
    );
    assert_eq!(
        patch["properties"]["notes"]["maxLength"],
        rules::NOTES_MAX_CHARS
    );
    let run = schema(&doc, "RunRequest");
    assert_eq!(run["additionalProperties"], false);
    assert_eq!(run["properties"]["page_size"]["minimum"], 1.0);
    assert_eq!(
        run["properties"]["record_ids"]["maxItems"],
        rules::RECORD_IDS_MAX
    );
    let alerts = schema(&doc, "AlertSettings");
    assert_eq!(alerts["additionalProperties"], false);
    assert_eq!(
        alerts["properties"]["notification_group_id"]["type"],
        json!(["integer", "null"])
    );
    assert!(schema(&doc, "Status")["enum"].is_array());

    // Every operation behind a token declares 401 and 429; every change 403; every body
    // 413, 415 and 422; every id 400 and 404; each with the error body.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let mut expected = vec![];
            if path != "/api/v1/embed-config" {
                expected.extend(["401", "429"]);
            }
            if method != "get" {
                expected.push("403");
            }
            if path.contains("{id}") {
                expected.extend(["400", "404"]);
            }
            if operation["requestBody"].is_object() {
                expected.extend(["400", "413", "415", "422"]);
            }
            for status in expected {
                let answer = &responses
                    .get(status)
                    .unwrap_or_else(|| panic!("{method} {path} declares {status}"));
                assert_eq!(
                    answer["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorResponse",
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(doc["paths"]["/api/v1/services/{id}/runs"]["post"]["responses"]["409"].is_object());

    // Links from the ids clone and runs return to the operations that take them.
    let operation_ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let clone = &doc["paths"]["/api/v1/services/{id}/clone"]["post"]["responses"]["201"]["links"];
    let runs = &doc["paths"]["/api/v1/services/{id}/runs"]["post"]["responses"]["201"]["links"];
    for (links, expected) in [
        (
            clone,
            vec![
                "get_service",
                "patch_service",
                "delete_service",
                "start_run",
            ],
        ),
        (runs, vec!["get_run", "run_log"]),
    ] {
        let links = links.as_object().expect("links");
        for link in links.values() {
            let target = link["operationId"].as_str().unwrap();
            assert!(operation_ids.contains(&target), "{target} exists");
            assert!(link["parameters"]["id"]
                .as_str()
                .unwrap()
                .starts_with("$response.body#/"));
        }
        for target in expected {
            assert!(
                links.values().any(|l| l["operationId"] == target),
                "a link to {target}"
            );
        }
    }
    t.stop().await;
}

/// The requests of issue 15 that the document allowed and the server refused: now the
/// document forbids them (limit=0, since=, name "", page_size 0, bad keys), and the server
/// accepts what it allows (an integral float id, a run's Location).
async fn the_issue_15_requests_are_answered_as_the_document_says(store: Store) {
    let t = TestServer::start(store).await;
    let admin = t.admin();
    let service = t.a_service("active").await;

    t.get("/api/v1/company-groups/1/services?limit=0")
        .await
        .assert_error(400, "bad_request", "limit");
    t.get("/api/v1/company-groups/1/services?status=paused")
        .await
        .assert_error(400, "bad_request", "status");
    t.get("/api/v1/company-groups/1/services?sort=colour")
        .await
        .assert_error(400, "bad_request", "sort");
    assert_eq!(
        t.get("/api/v1/company-groups/1/services?sort=-system&status=active&entity=")
            .await
            .status,
        200
    );
    // Found by Schemathesis: a NUL inside a search word was a 500 (SQLite's full-text syntax
    // ends at it; PostgreSQL text can't hold it). The document forbids it; the server says so.
    for query in ["q=a%00b", "q=%00", "system=a%00", "entity=%00x"] {
        t.get(&format!("/api/v1/company-groups/1/services?{query}"))
            .await
            .assert_error(400, "bad_request", "NUL");
    }
    t.get(&format!("/api/v1/services/{service}/runs?since="))
        .await
        .assert_error(400, "bad_request", "since");

    let service_path = format!("/api/v1/services/{service}");
    let patch = |body: Value| t.call(Method::PATCH, &service_path, Some(&admin), Some(body));
    patch(json!({"name": ""}))
        .await
        .assert_error(422, "invalid_name", "empty");
    // The limit is on the name as sent: 121 characters are refused even if one is a space.
    patch(json!({"name": format!(" {}", "n".repeat(120))}))
        .await
        .assert_error(422, "invalid_name", "121");
    let renamed = patch(json!({"name": "  Orders  ", "notes": null})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(renamed.body["name"], "Orders");

    let run = |body: Value, key: Option<&str>| {
        let mut request = t
            .client
            .post(t.url(&format!("/api/v1/services/{service}/runs")))
            .bearer_auth(&admin)
            .json(&body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send()
    };
    // Found by Schemathesis: serde takes a struct from an array; the document says object.
    for body in [json!([null, null]), json!(["Renamed"]), json!(7)] {
        patch(body)
            .await
            .assert_error(422, "invalid_field", "JSON object");
    }
    // An optional body may be `null`: no body.
    let renamed = patch(Value::Null).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let zero = run(json!({"page_size": 0}), None).await.unwrap();
    assert_eq!(zero.status(), 422);
    let spaces = run(json!({"record_ids": ["   "]}), None).await.unwrap();
    assert_eq!(spaces.status(), 422);
    let bad_key = run(json!({}), Some("two words")).await.unwrap();
    assert_eq!(bad_key.status(), 400);
    // 2.0 is the integer 2, as JSON Schema counts it.
    let started = run(json!({"page_size": 2.0}), Some("~")).await.unwrap();
    assert_eq!(started.status(), 201);
    let location = started.headers()["location"].to_str().unwrap().to_string();
    let body: Value = started.json().await.unwrap();
    assert_eq!(body["page_size"], 2);
    let fetched = t.get(&location).await;
    assert_eq!(fetched.status, 200, "Location {location} answers");
    assert_eq!(fetched.body["id"], body["id"]);
    assert_eq!(fetched.body["service_id"], service);
    t.get("/api/v1/runs/9223372036854775807")
        .await
        .assert_error(404, "not_found", "does not exist");
    // Another company's run is not there either.
    let other = t.token(2, services_model::Role::Admin);
    let reply = t.get_as(&other, &location).await;
    assert_eq!(reply.status, 404);

    let groups = t.get("/api/v1/notification-groups").await.body;
    let group = groups["items"][0]["id"].as_u64().unwrap();
    let alerts = t
        .call(
            Method::PUT,
            &format!("/api/v1/services/{service}/alerts"),
            Some(&admin),
            Some(json!({"enabled": true, "notification_group_id": group as f64})),
        )
        .await;
    assert_eq!(alerts.status, 200, "{}", alerts.body);
    assert_eq!(alerts.body["notification_group_id"], group);
    let fraction = t
        .call(
            Method::PUT,
            &format!("/api/v1/services/{service}/alerts"),
            Some(&admin),
            Some(json!({"enabled": true, "notification_group_id": 1.5})),
        )
        .await;
    fraction.assert_error(422, "invalid_field", "whole number");
    t.call(
        Method::PUT,
        &format!("/api/v1/services/{service}/alerts"),
        Some(&admin),
        Some(json!([false, null])),
    )
    .await
    .assert_error(422, "invalid_field", "JSON object");
    t.stop().await;
}

on_both_stores!(
    the_document_states_the_rules_the_handlers_enforce,
    the_issue_15_requests_are_answered_as_the_document_says,
);
