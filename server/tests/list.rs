//! The list endpoint's window and bounds, the lean whole-group view and its size rule, and
//! reads that never wait for the writer.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use services_model::{LeanMode, LeanView, Service};
use std::time::Duration;

async fn a_page_is_the_default_and_inputs_are_bounded(store: Store) {
    let t = TestServer::start(store).await;
    // Group 1 holds 64 services. A bare request is the whole group (it is within the lean
    // limit: what the SPA read before the lean view); any query gets a page of 50 by default.
    let bare = t.get("/api/v1/company-groups/1/services").await;
    assert_eq!(bare.body["items"].as_array().unwrap().len(), 64);
    let sorted = t.get("/api/v1/company-groups/1/services?sort=-name").await;
    assert_eq!(sorted.body["total"], 64);
    assert_eq!(sorted.body["items"].as_array().unwrap().len(), 50);
    let rest = t
        .get("/api/v1/company-groups/1/services?sort=-name&offset=50")
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 14);
    let explicit = t.get("/api/v1/company-groups/1/services?limit=1000").await;
    assert_eq!(explicit.body["items"].as_array().unwrap().len(), 64);

    for (query, part) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("offset=10000001", "offset"),
        ("q=a+b+c+d+e+f+g+h+i", "at most 8 words"),
        (
            &format!("q={}", "x".repeat(65)) as &str,
            "at most 64 characters",
        ),
    ] {
        t.get(&format!("/api/v1/company-groups/1/services?{query}"))
            .await
            .assert_error(400, "bad_request", part);
    }
    let many_systems: String = (0..51).map(|i| format!("system=s{i}&")).collect();
    t.get(&format!("/api/v1/company-groups/1/services?{many_systems}"))
        .await
        .assert_error(400, "bad_request", "at most 50 values");
    let eight_words = t
        .get("/api/v1/company-groups/1/services?q=a+b+c+d+e+f+g+h")
        .await;
    assert_eq!(eight_words.status, 200);
    t.stop().await;
}

async fn the_group_list_says_which_groups_load_whole(store: Store) {
    let t = TestServer::start(store).await;
    let groups = t.get("/api/v1/company-groups").await.body;
    assert_eq!(groups["lean_limit"], 20_000);
    t.stop().await;
    let t = TestServer::start_with(store, |c| c.lean_limit = 50).await;
    let groups = t.get("/api/v1/company-groups").await.body;
    assert_eq!(groups["lean_limit"], 50);
    let sizes: Vec<u64> = groups["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["service_count"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, vec![64, 52, 34]);
    t.stop().await;
}

/// The raw body of a GET, with the headers.
async fn fetch(
    t: &TestServer,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = t.client.get(t.url(path)).bearer_auth(t.admin());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn decode(encoding: Option<&str>, body: &[u8]) -> LeanView {
    let mut json = Vec::new();
    match encoding {
        Some("br") => brotli::BrotliDecompress(&mut &body[..], &mut json).unwrap(),
        Some("gzip") => {
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut json).unwrap();
        }
        None => json = body.to_vec(),
        Some(other) => panic!("unexpected encoding {other}"),
    }
    serde_json::from_slice(&json).unwrap()
}

/// What the lean view keeps of a service from the list endpoint.
fn listed(item: &Value) -> Service {
    let mut service: Service = serde_json::from_value(item.clone()).unwrap();
    service.created_at.clear();
    service.updated_at.clear();
    service
}

async fn the_lean_view_holds_the_whole_group_compressed_and_cached(store: Store) {
    let t = TestServer::start(store).await;
    let path = "/api/v1/company-groups/1/services/lean";
    let full = t.get("/api/v1/company-groups/1/services?limit=1000").await;
    let expected: Vec<Service> = full.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(listed)
        .collect();
    let full_size = serde_json::to_vec(&full.body).unwrap().len();

    let (status, headers, br) = fetch(&t, path, &[("accept-encoding", "gzip, br")]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["vary"], "Accept-Encoding");
    assert_eq!(headers["cache-control"], "private, no-cache");
    let view = decode(Some("br"), &br);
    assert_eq!(view.mode, LeanMode::Whole);
    assert_eq!((view.count, view.limit), (64, 20_000));
    assert_eq!(view.group.name, "Northwind Retail UK");
    assert_eq!(view.services().unwrap().unwrap(), expected);
    assert!(
        br.len() * 8 < full_size,
        "brotli lean view {} bytes, list JSON {full_size}",
        br.len()
    );

    let (_, headers, gz) = fetch(&t, path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(
        decode(Some("gzip"), &gz).services().unwrap().unwrap(),
        expected
    );
    let (_, headers, plain) = fetch(&t, path, &[]).await;
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(decode(None, &plain).services().unwrap().unwrap(), expected);

    // The ETag names the group's version: a client holding it gets a 304.
    let etag = headers["etag"].to_str().unwrap().to_string();
    let (status, _, body) = fetch(&t, path, &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.len()), (304, 0));
    // A change in the group makes a new version.
    let id = expected[3].id;
    let renamed = t
        .call(
            Method::PATCH,
            &format!("/api/v1/services/{id}"),
            Some(&t.admin()),
            Some(json!({"name": "Renamed for the lean view"})),
        )
        .await;
    assert_eq!(renamed.status, 200);
    let (status, headers, body) = fetch(&t, path, &[("if-none-match", &etag)]).await;
    assert_eq!(status, 200);
    assert_ne!(headers["etag"].to_str().unwrap(), etag);
    let services = decode(None, &body).services().unwrap().unwrap();
    assert_eq!(services[3].name, "Renamed for the lean view");
    // Another group's version is untouched by it.
    let (_, other, _) = fetch(&t, "/api/v1/company-groups/2/services/lean", &[]).await;
    let (status, _, _) = fetch(
        &t,
        "/api/v1/company-groups/2/services/lean",
        &[("if-none-match", other["etag"].to_str().unwrap())],
    )
    .await;
    assert_eq!(status, 304);

    // Tenants: company 2's admin sees company 1's group as missing.
    let theirs = t.token(2, services_model::Role::Admin);
    t.get_as(&theirs, path)
        .await
        .assert_error(404, "not_found", "does not exist");
    t.get("/api/v1/company-groups/x/services/lean")
        .await
        .assert_error(400, "bad_request", "company group id");
    t.stop().await;
}

async fn groups_over_the_lean_limit_are_asked_per_query(store: Store) {
    let t = TestServer::start_with(store, |c| c.lean_limit = 50).await;
    for (group, count, mode) in [
        (1, 64, LeanMode::PerQuery),
        (2, 52, LeanMode::PerQuery),
        (3, 34, LeanMode::Whole),
    ] {
        let (status, headers, body) = fetch(
            &t,
            &format!("/api/v1/company-groups/{group}/services/lean"),
            &[],
        )
        .await;
        assert_eq!(status, 200);
        assert!(headers.get("etag").is_some());
        let view = decode(None, &body);
        assert_eq!((view.mode, view.count, view.limit), (mode, count, 50));
        assert_eq!(view.services.is_some(), mode == LeanMode::Whole);
        let json: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json["mode"],
            if mode == LeanMode::Whole {
                "whole"
            } else {
                "per_query"
            }
        );
    }
    // A bare list request no longer returns a group over the limit whole: a page.
    let bare = t.get("/api/v1/company-groups/1/services").await;
    assert_eq!(bare.body["total"], 64);
    assert_eq!(bare.body["items"].as_array().unwrap().len(), 50);
    t.stop().await;
}

async fn reads_never_wait_for_the_writer(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    // Hold a write transaction open: on SQLite that is the one writer connection.
    let mut held = t.server.db.begin().await.unwrap();
    services_server::with_tx!(&mut held, |conn| {
        sqlx::query("UPDATE companies SET name = name WHERE id = 2")
            .execute(&mut *conn)
            .await
            .unwrap()
            .rows_affected()
    });
    for path in [
        "/api/v1/me",
        "/api/v1/company-groups",
        "/api/v1/company-groups/1/services?q=shopify&status=active",
        "/api/v1/company-groups/1/services/lean",
        &format!("/api/v1/services/{service}"),
    ] {
        let reply = tokio::time::timeout(Duration::from_secs(3), t.get(path))
            .await
            .unwrap_or_else(|_| panic!("{path} waited for the writer"));
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    }
    let (client, url, token) = (
        t.client.clone(),
        t.url(&format!("/api/v1/services/{service}")),
        t.admin(),
    );
    let write = tokio::spawn(async move {
        client
            .patch(url)
            .bearer_auth(token)
            .json(&json!({"notes": "written after the held transaction"}))
            .send()
            .await
            .unwrap()
            .status()
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    if store == Store::Sqlite {
        assert!(!write.is_finished(), "writes queue for the one writer");
    }
    held.commit().await.unwrap();
    assert_eq!(write.await.unwrap(), 200);
    t.stop().await;
}

on_both_stores!(
    a_page_is_the_default_and_inputs_are_bounded,
    the_group_list_says_which_groups_load_whole,
    the_lean_view_holds_the_whole_group_compressed_and_cached,
    groups_over_the_lean_limit_are_asked_per_query,
    reads_never_wait_for_the_writer,
);
