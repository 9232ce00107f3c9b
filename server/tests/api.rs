//! Groups, the services list, errors and the SPA, over real HTTP against a temporary SQLite file.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::Value;

async fn lists_the_callers_company_groups_with_counts(store: Store) {
    let t = TestServer::start(store).await;
    assert!(t.server.seeded);
    let reply = t.get("/api/v1/company-groups").await;
    assert_eq!(reply.status, 200);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let groups = reply.body["items"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0]["name"], "Northwind Retail UK");
    let total: u64 = groups
        .iter()
        .map(|g| g["service_count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 150);
    t.stop().await;
}

async fn lists_a_groups_services_with_last_and_next_runs(store: Store) {
    let t = TestServer::start(store).await;
    let reply = t.get("/api/v1/company-groups/2/services").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["group"]["name"], "Northwind Retail EU");
    let items = reply.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 52);
    assert_eq!(reply.body["total"], 52);
    let ids: Vec<u64> = items.iter().map(|s| s["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "id order by default");
    for s in items {
        assert_eq!(s["group_id"], 2);
        assert!(s["source"]["system"].is_string() && s["destination"]["entity"].is_string());
        let scheduled_and_active = s["trigger"]["kind"] == "schedule" && s["status"] == "active";
        assert_eq!(s["next_run_at"].is_string(), scheduled_and_active, "{s}");
        if let Some(run) = s["last_run"].as_object() {
            assert!(["ok", "failed"].contains(&run["status"].as_str().unwrap()));
            assert!(run["pulled"].as_u64().unwrap() >= run["pushed"].as_u64().unwrap());
        }
    }
    assert!(
        items.iter().any(|s| s["last_run"].is_object()),
        "the seed has recent runs"
    );
    t.stop().await;
}

async fn services_answer_the_list_query_with_facets_and_window(store: Store) {
    let t = TestServer::start(store).await;
    let all = t.get("/api/v1/company-groups/1/services").await.body["items"]
        .as_array()
        .unwrap()
        .clone();
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

    let reply = t
        .get("/api/v1/company-groups/1/services?q=ORDERS&status=active&system=Shopify&sort=-id")
        .await;
    assert_eq!(reply.status, 200);
    let got: Vec<u64> = reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    let mut want: Vec<u64> = expected.iter().map(|s| s["id"].as_u64().unwrap()).collect();
    want.reverse();
    assert_eq!(got, want);
    assert_eq!(reply.body["total"].as_u64().unwrap() as usize, want.len());

    // Facets: the status counts ignore the status filter but keep the search and the system.
    let statuses = reply.body["facets"]["statuses"].as_array().unwrap();
    let inactive_matches = all
        .iter()
        .filter(|s| {
            s["status"] == "inactive"
                && s["source"]["system"] == "Shopify"
                && s["name"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("orders")
        })
        .count();
    assert_eq!(statuses[0]["value"], "active");
    assert_eq!(statuses[0]["count"].as_u64().unwrap() as usize, want.len());
    assert_eq!(
        statuses[1]["count"].as_u64().unwrap() as usize,
        inactive_matches
    );

    let window = t
        .get("/api/v1/company-groups/1/services?limit=5&offset=10")
        .await;
    let window_ids: Vec<&Value> = window.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["id"])
        .collect();
    let all_ids: Vec<&Value> = all.iter().map(|s| &s["id"]).collect();
    assert_eq!(window_ids, all_ids[10..15].to_vec());
    assert_eq!(window.body["total"].as_u64().unwrap() as usize, all.len());
    t.stop().await;
}

async fn unknown_group_is_a_json_404(store: Store) {
    let t = TestServer::start(store).await;
    t.get("/api/v1/company-groups/999/services")
        .await
        .assert_error(404, "not_found", "999");
    t.stop().await;
}

async fn malformed_ids_and_parameters_are_json_400s(store: Store) {
    let t = TestServer::start(store).await;
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
        ("/api/v1/services/x1", "x1"),
        ("/api/v1/runs/1.5/log", "1.5"),
        ("/api/v1/runs/1/log?after=soon", "after"),
        ("/api/v1/services/2001/runs?since=yesterday", "since"),
    ] {
        t.get(path).await.assert_error(400, "bad_request", part);
    }
    t.stop().await;
}

async fn unknown_routes_and_methods_are_json_errors_not_the_spa(store: Store) {
    let t = TestServer::start(store).await;
    t.get("/api/v1/nothing-here")
        .await
        .assert_error(404, "not_found", "/api/v1/nothing-here");
    t.call(Method::POST, "/api/v1/me", Some(&t.admin()), None)
        .await
        .assert_error(405, "method_not_allowed", "POST");
    t.stop().await;
}

async fn serves_the_spa_with_index_fallback_for_client_routes(store: Store) {
    let t = TestServer::start(store).await;
    let dist = t.db.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>SPA</title>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log('hi')").unwrap();
    // The SPA folder is read at start: restart on the same database.
    let dir = t.stop().await;
    let t = TestServer::start_in(dir, |_| {}).await;

    let index = reqwest::get(t.url("/")).await.unwrap();
    assert_eq!(index.status(), 200);
    assert!(index.text().await.unwrap().contains("<title>SPA</title>"));
    let asset = reqwest::get(t.url("/app.js")).await.unwrap();
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let deep = reqwest::get(t.url("/services/2001?q=x")).await.unwrap();
    assert_eq!(deep.status(), 200);
    assert!(deep.text().await.unwrap().contains("<title>SPA</title>"));
    t.stop().await;
}

async fn without_a_build_the_page_says_how_to_build_it(store: Store) {
    let t = TestServer::start(store).await;
    let page = reqwest::get(t.url("/")).await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("make run"));
    t.stop().await;
}

async fn data_survives_a_restart_and_is_not_seeded_twice(store: Store) {
    let t = TestServer::start(store).await;
    let id = t.a_service("active").await;
    let renamed = t
        .call(
            Method::PATCH,
            &format!("/api/v1/services/{id}"),
            Some(&t.admin()),
            Some(serde_json::json!({"name": "Kept across restarts"})),
        )
        .await;
    assert_eq!(renamed.status, 200);
    let before = t.get("/api/v1/company-groups/3/services").await.body;
    let dir = t.stop().await;

    let t = TestServer::start_in(dir, |_| {}).await;
    assert!(!t.server.seeded);
    assert_eq!(
        t.get("/api/v1/company-groups").await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let after = t.get("/api/v1/company-groups/3/services").await.body;
    assert_eq!(before["items"], after["items"]);
    assert_eq!(
        t.get(&format!("/api/v1/services/{id}")).await.body["name"],
        "Kept across restarts"
    );
    t.stop().await;
}

async fn every_response_carries_the_security_headers(store: Store) {
    let t = TestServer::start(store).await;
    let dist = t.db.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><script type=\"module\">start()</script>",
    )
    .unwrap();
    let dir = t.stop().await;
    let t = TestServer::start_in(dir, |c| {
        c.frame_ancestors = "'self' https://dashboard.example".into()
    })
    .await;
    for path in ["/", "/services/1", "/api/v1/me", "/api/v1/nothing"] {
        let response = t
            .client
            .get(t.url(path))
            .bearer_auth(t.admin())
            .send()
            .await
            .unwrap();
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{path}: {csp}"
        );
        assert!(
            csp.contains("style-src 'self';") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(
            csp.contains("frame-ancestors 'self' https://dashboard.example;"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
    }
    let report = t
        .client
        .post(t.url("/api/csp-reports"))
        .header("content-type", "application/csp-report")
        .body(r#"{"csp-report":{"violated-directive":"script-src"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 204);
    t.stop().await;
}

on_both_stores!(
    lists_the_callers_company_groups_with_counts,
    lists_a_groups_services_with_last_and_next_runs,
    services_answer_the_list_query_with_facets_and_window,
    unknown_group_is_a_json_404,
    malformed_ids_and_parameters_are_json_400s,
    unknown_routes_and_methods_are_json_errors_not_the_spa,
    serves_the_spa_with_index_fallback_for_client_routes,
    without_a_build_the_page_says_how_to_build_it,
    data_survives_a_restart_and_is_not_seeded_twice,
    every_response_carries_the_security_headers,
);
