//! The API over real HTTP, against a temporary SQLite file.

use serde_json::Value;
use services_server::{start, Config, Running};
use std::path::Path;

async fn server_in(dir: &Path) -> Running {
    start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db_path: dir.join("test.sqlite3"),
        dist_dir: dir.join("dist"),
        seed: true,
    })
    .await
    .expect("server starts")
}

async fn get(server: &Running, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{}{path}", server.url()))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{path}: {content_type}"
    );
    (status, response.json().await.unwrap())
}

fn assert_error(body: &Value, code: &str, message_part: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(
        message.contains(message_part),
        "{message:?} should mention {message_part:?}"
    );
}

#[tokio::test]
async fn lists_seeded_company_groups_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    assert!(server.seeded);
    let (status, body) = get(&server, "/api/v1/company-groups").await;
    assert_eq!(status, 200);
    let groups = body["items"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0]["name"], "Northwind Retail UK");
    let total: u64 = groups
        .iter()
        .map(|g| g["service_count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 150);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn lists_a_groups_services_in_id_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    let (status, body) = get(&server, "/api/v1/company-groups/2/services").await;
    assert_eq!(status, 200);
    assert_eq!(body["group"]["name"], "Northwind Retail EU");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 52);
    assert_eq!(body["total"], 52);
    let ids: Vec<u64> = items.iter().map(|s| s["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    for s in items {
        assert_eq!(s["group_id"], 2);
        assert!(s["source"]["system"].is_string() && s["destination"]["entity"].is_string());
        assert!(["standard", "sweeper"].contains(&s["service_type"].as_str().unwrap()));
        assert!(["schedule", "webhook"].contains(&s["trigger"]["kind"].as_str().unwrap()));
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn services_answer_the_list_query_and_window() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    let (_, all) = get(&server, "/api/v1/company-groups/1/services").await;
    let all = all["items"].as_array().unwrap().clone();
    let expected: Vec<&Value> = all
        .iter()
        .filter(|s| {
            s["status"] == "active"
                && s["source"]["system"] == "Shopify"
                && s["name"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("orders")
        })
        .collect();
    assert!(
        !expected.is_empty(),
        "the seed has active Shopify order services"
    );

    let (status, body) = get(
        &server,
        "/api/v1/company-groups/1/services?q=ORDERS&status=active&system=Shopify&sort=-id",
    )
    .await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    assert_eq!(body["total"].as_u64().unwrap() as usize, expected.len());
    let got: Vec<u64> = items.iter().map(|s| s["id"].as_u64().unwrap()).collect();
    let mut want: Vec<u64> = expected.iter().map(|s| s["id"].as_u64().unwrap()).collect();
    want.reverse();
    assert_eq!(got, want);

    let (_, window) = get(
        &server,
        "/api/v1/company-groups/1/services?limit=5&offset=10",
    )
    .await;
    let window_ids: Vec<&Value> = window["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["id"])
        .collect();
    let all_ids: Vec<&Value> = all.iter().map(|s| &s["id"]).collect();
    assert_eq!(window_ids, all_ids[10..15].to_vec());
    assert_eq!(window["total"].as_u64().unwrap() as usize, all.len());
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_group_is_a_json_404() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    let (status, body) = get(&server, "/api/v1/company-groups/999/services").await;
    assert_eq!(status, 404);
    assert_error(&body, "not_found", "999");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn malformed_ids_and_windows_are_json_400s() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    for (path, part) in [
        ("/api/v1/company-groups/abc/services", "abc"),
        ("/api/v1/company-groups/-1/services", "-1"),
        (
            "/api/v1/company-groups/99999999999999999999999/services",
            "whole number",
        ),
        ("/api/v1/company-groups/1/services?limit=0", "limit"),
        ("/api/v1/company-groups/1/services?limit=x", "limit"),
        ("/api/v1/company-groups/1/services?offset=-3", "offset"),
    ] {
        let (status, body) = get(&server, path).await;
        assert_eq!(status, 400, "{path}");
        assert_error(&body, "bad_request", part);
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s_not_the_spa() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    let (status, body) = get(&server, "/api/v1/nothing-here").await;
    assert_eq!(status, 404);
    assert_error(&body, "not_found", "/api/v1/nothing-here");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn serves_the_spa_with_index_fallback_for_client_routes() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>SPA</title>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log('hi')").unwrap();
    let server = server_in(dir.path()).await;

    let index = reqwest::get(format!("{}/", server.url())).await.unwrap();
    assert_eq!(index.status(), 200);
    assert!(index.text().await.unwrap().contains("<title>SPA</title>"));

    let asset = reqwest::get(format!("{}/app.js", server.url()))
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));

    let deep = reqwest::get(format!("{}/services/2001?q=x", server.url()))
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
    assert!(deep.text().await.unwrap().contains("<title>SPA</title>"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn without_a_build_the_page_says_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_in(dir.path()).await;
    let page = reqwest::get(format!("{}/", server.url())).await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("make run"));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn data_survives_a_restart_and_is_not_seeded_twice() {
    let dir = tempfile::tempdir().unwrap();
    let first = server_in(dir.path()).await;
    let (_, before) = get(&first, "/api/v1/company-groups/3/services").await;
    first.stop().await.unwrap();

    let second = server_in(dir.path()).await;
    assert!(!second.seeded);
    let (_, groups) = get(&second, "/api/v1/company-groups").await;
    assert_eq!(groups["items"].as_array().unwrap().len(), 3);
    let (_, after) = get(&second, "/api/v1/company-groups/3/services").await;
    assert_eq!(before, after);
    second.stop().await.unwrap();
}
