//! Favourites and saved views: per user, stored by the server, on both stores.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::json;
use services_model::Role;

async fn favourites(t: &TestServer, token: &str) -> Vec<u64> {
    let reply = t.get_as(token, "/api/v1/favourites").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_u64().unwrap())
        .collect()
}

async fn star(t: &TestServer, token: &str, method: Method, id: u64) -> common::Reply {
    t.call(
        method,
        &format!("/api/v1/services/{id}/favourite"),
        Some(token),
        None,
    )
    .await
}

async fn favourites_are_per_user_and_filter_the_list(store: Store) {
    let t = TestServer::start(store).await;
    let ids = t.service_ids(1).await;
    let (a, b, c) = (ids[4], ids[1], ids[9]);
    let admin = t.admin();
    let reader = t.token(1, Role::ReadOnly);
    assert!(favourites(&t, &admin).await.is_empty());
    for id in [a, b, a] {
        assert_eq!(star(&t, &admin, Method::PUT, id).await.status, 204);
    }
    // Any role may star: it changes nothing but the caller's own list.
    assert_eq!(star(&t, &reader, Method::PUT, c).await.status, 204);
    let mut mine = vec![a, b];
    mine.sort_unstable();
    assert_eq!(favourites(&t, &admin).await, mine);
    assert_eq!(favourites(&t, &reader).await, vec![c]);

    // The list's Favourites filter keeps exactly the caller's, and counts them either way.
    let list = t
        .get("/api/v1/company-groups/1/services?favourites=true")
        .await;
    let listed: Vec<u64> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    assert_eq!(listed, mine);
    assert_eq!(list.body["total"], 2);
    assert_eq!(list.body["facets"]["favourites"], 2);
    let plain = t.get("/api/v1/company-groups/1/services").await;
    assert_eq!(plain.body["facets"]["favourites"], 2);
    assert_eq!(plain.body["total"].as_u64().unwrap(), ids.len() as u64);
    let searched = t
        .get(&format!(
            "/api/v1/company-groups/1/services?q={a}&favourites=true"
        ))
        .await;
    assert!(searched.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["id"]
            .as_u64()
            .unwrap()
            .to_string()
            .contains(&a.to_string())
            || s["name"].as_str().unwrap().contains(&a.to_string())));
    t.get("/api/v1/company-groups/1/services?favourites=yes")
        .await
        .assert_error(400, "bad_request", "true or false");

    // Unstar (twice is once); another company's service is a 404; a removed service leaves.
    assert_eq!(star(&t, &admin, Method::DELETE, b).await.status, 204);
    assert_eq!(star(&t, &admin, Method::DELETE, b).await.status, 204);
    assert_eq!(favourites(&t, &admin).await, vec![a]);
    let other = t.token(2, Role::Admin);
    star(&t, &other, Method::PUT, a)
        .await
        .assert_error(404, "not_found", "does not exist");
    star(&t, &admin, Method::PUT, 9_000_000)
        .await
        .assert_error(404, "not_found", "does not exist");
    star(&t, &admin, Method::PUT, 0).await;
    let removed = t
        .call(
            Method::DELETE,
            &format!("/api/v1/services/{a}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(removed.status, 204);
    assert!(favourites(&t, &admin).await.is_empty());
}

async fn views_are_per_user_uniquely_named_and_bounded(store: Store) {
    let t = TestServer::start(store).await;
    let admin = t.admin();
    let manager = t.token(1, Role::Manager);
    let save = |token: &str, body: serde_json::Value| {
        let token = token.to_string();
        let t = &t;
        async move {
            t.call(Method::POST, "/api/v1/views", Some(&token), Some(body))
                .await
        }
    };
    let created = save(
        &admin,
        json!({"name": "  Failing Shopify ", "query": "?group=1&q=shopify&favourites=true"}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["name"], "Failing Shopify");
    assert_eq!(created.body["query"], "group=1&q=shopify&favourites=true");
    let id = created.body["id"].as_u64().unwrap();
    let second = save(&admin, json!({"name": "A first", "query": "group=2"})).await;
    assert_eq!(second.status, 201);
    // Listed by name, for their owner only.
    let list = t.get_as(&admin, "/api/v1/views").await.body;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["A first", "Failing Shopify"]);
    let theirs = t.get_as(&manager, "/api/v1/views").await.body;
    assert_eq!(theirs["items"], json!([]));
    // Names are unique per user: 409 for the owner, fine for another user.
    save(&admin, json!({"name": "Failing Shopify", "query": ""}))
        .await
        .assert_error(409, "conflict", "already have a view");
    assert_eq!(
        save(&manager, json!({"name": "Failing Shopify", "query": ""}))
            .await
            .status,
        201
    );
    // Bad names and queries.
    for (body, code, part) in [
        (json!({"name": " ", "query": ""}), "invalid_name", "name"),
        (
            json!({"name": "v".repeat(81), "query": ""}),
            "invalid_name",
            "81",
        ),
        (
            json!({"name": "a\nb", "query": ""}),
            "invalid_name",
            "control",
        ),
        (
            json!({"name": "q", "query": "a".repeat(2001)}),
            "invalid_field",
            "2000",
        ),
        (
            json!({"name": "q", "query": "q=\u{7}"}),
            "invalid_field",
            "control",
        ),
        (json!({"name": "q"}), "invalid_field", "query"),
        (
            json!({"name": "q", "query": "", "shared": true}),
            "unknown_field",
            "shared",
        ),
    ] {
        save(&admin, body).await.assert_error(422, code, part);
    }
    // Another user's view is a 404 to delete; the owner's goes once.
    t.call(
        Method::DELETE,
        &format!("/api/v1/views/{id}"),
        Some(&manager),
        None,
    )
    .await
    .assert_error(404, "not_found", "does not exist");
    let gone = t
        .call(
            Method::DELETE,
            &format!("/api/v1/views/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    t.call(
        Method::DELETE,
        &format!("/api/v1/views/{id}"),
        Some(&admin),
        None,
    )
    .await
    .assert_error(404, "not_found", "does not exist");
    t.call(Method::DELETE, "/api/v1/views/x", Some(&admin), None)
        .await
        .assert_error(400, "bad_request", "view id");
    // At most 100 views a user.
    for n in 0..99 {
        let reply = save(&manager, json!({"name": format!("v{n}"), "query": ""})).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    save(&manager, json!({"name": "one too many", "query": ""}))
        .await
        .assert_error(409, "conflict", "100 saved views");
}

on_both_stores!(
    favourites_are_per_user_and_filter_the_list,
    views_are_per_user_uniquely_named_and_bounded,
);
