//! Abuse limits over real HTTP: failed sign-ins per client, writes per user and per client
//! (429 + Retry-After + JSON), bounded bodies (CSP reports), bounded query parameters and URIs.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::json;
use services_model::Role;
use services_server::rate_limit::LimitSettings;

fn retry_after(reply: &common::Reply) -> u64 {
    reply.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

async fn a_client_sending_bad_tokens_is_refused_for_a_while_then_even_its_good_token_waits(
    store: Store,
) {
    let t = TestServer::start_with(store, |c| {
        c.limits = LimitSettings {
            auth_failures_per_minute: 5,
            ..LimitSettings::default()
        }
    })
    .await;
    let admin = t.admin();
    for attempt in 0..5 {
        let bad = format!("pw_1_{:032}", attempt);
        t.get_as(&bad, "/api/v1/me")
            .await
            .assert_error(401, "unauthorized", "Bearer");
    }
    let over = t
        .get_as("pw_1_00000000000000000000000000000009", "/api/v1/me")
        .await;
    over.assert_error(429, "rate_limited", "failed sign-ins");
    let wait = retry_after(&over);
    assert!(
        (1..=12).contains(&wait),
        "one failure replenishes every 12 s: {wait}"
    );
    // Refused before the token is even looked at: a valid token from this client waits too.
    let blocked = t.get_as(&admin, "/api/v1/me").await;
    blocked.assert_error(429, "rate_limited", "Try again in");
    // Requests without a token are not failures of a sign-in: still a plain 401.
    t.call(Method::GET, "/api/v1/me", None, None)
        .await
        .assert_error(401, "unauthorized", "Bearer");
    t.stop().await;
}

async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.trust_forwarded_for = true;
        c.limits = LimitSettings {
            auth_failures_per_minute: 2,
            ..LimitSettings::default()
        }
    })
    .await;
    let from = |ip: &'static str| {
        t.client
            .get(t.url("/api/v1/me"))
            .bearer_auth("pw_1_00000000000000000000000000000000")
            .header("x-forwarded-for", format!("198.51.100.7, {ip}"))
    };
    for _ in 0..2 {
        assert_eq!(from("203.0.113.1").send().await.unwrap().status(), 401);
    }
    assert_eq!(from("203.0.113.1").send().await.unwrap().status(), 429);
    assert_eq!(
        from("203.0.113.2").send().await.unwrap().status(),
        401,
        "another client behind the same proxy is not blocked"
    );
    t.stop().await;
}

async fn writes_are_limited_per_user_and_reads_are_not(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.limits = LimitSettings {
            writes_per_minute_per_user: 3,
            writes_per_minute_per_client: 100,
            ..LimitSettings::default()
        }
    })
    .await;
    let service = t.a_service("active").await;
    let path = format!("/api/v1/services/{service}");
    for n in 0..3 {
        let reply = t
            .call(
                Method::PATCH,
                &path,
                Some(&t.admin()),
                Some(json!({"notes": format!("note {n}")})),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let over = t
        .call(
            Method::PATCH,
            &path,
            Some(&t.admin()),
            Some(json!({"notes": "one too many"})),
        )
        .await;
    over.assert_error(429, "rate_limited", "changes too quickly");
    assert!((1..=20).contains(&retry_after(&over)));
    assert_eq!(
        t.get(&path).await.body["notes"],
        "note 2",
        "the refused change did not happen"
    );
    for _ in 0..10 {
        assert_eq!(t.get(&path).await.status, 200, "reads are not limited");
    }
    let manager = t.token(1, Role::Manager);
    let reply = t
        .call(
            Method::PATCH,
            &path,
            Some(&manager),
            Some(json!({"notes": "by the manager"})),
        )
        .await;
    assert_eq!(reply.status, 200, "another user has their own budget");
    t.stop().await;
}

async fn writes_are_limited_per_client_whoever_signs_them(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.limits = LimitSettings {
            writes_per_minute_per_user: 100,
            writes_per_minute_per_client: 4,
            ..LimitSettings::default()
        }
    })
    .await;
    let service = t.a_service("active").await;
    let path = format!("/api/v1/services/{service}");
    let mut statuses = Vec::new();
    for token in [
        t.admin(),
        t.token(1, Role::Manager),
        t.admin(),
        t.token(1, Role::Manager),
        t.admin(),
    ] {
        let reply = t
            .call(
                Method::PATCH,
                &path,
                Some(&token),
                Some(json!({"notes": "x"})),
            )
            .await;
        statuses.push(reply.status.as_u16());
        if reply.status == 429 {
            reply.assert_error(429, "rate_limited", "your address");
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429]);
    t.stop().await;
}

async fn csp_reports_are_bounded_in_size_and_number(store: Store) {
    let t = TestServer::start_with(store, |c| c.fault_injection = true).await;
    let report =
        |n: usize| json!({"csp-report": {"blocked-uri": format!("https://evil.example/{n}")}});
    let big = format!(r#"{{"csp-report": {{"x": "{}"}}}}"#, "a".repeat(9 * 1024));
    let reply = t
        .client
        .post(t.url("/api/csp-reports"))
        .header("content-type", "application/csp-report")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 413);
    let body: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    for n in 0..130 {
        let reply = t
            .client
            .post(t.url("/api/csp-reports"))
            .header("content-type", "application/csp-report")
            .body(report(n).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 204);
    }
    let kept = t
        .call(Method::GET, "/api/test/csp-reports", None, None)
        .await;
    let kept = kept.body.as_array().unwrap().clone();
    assert_eq!(kept.len(), 100, "only the newest 100 are kept");
    assert_eq!(kept[0], report(30));
    assert_eq!(kept[99], report(129));
    t.stop().await;
}

async fn csp_reports_count_against_the_clients_write_limit(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.limits = LimitSettings {
            writes_per_minute_per_client: 3,
            ..LimitSettings::default()
        }
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let reply = t
            .client
            .post(t.url("/api/csp-reports"))
            .body("{}")
            .send()
            .await
            .unwrap();
        statuses.push(reply.status().as_u16());
    }
    assert_eq!(statuses, [204, 204, 204, 429]);
    t.stop().await;
}

async fn oversized_searches_filters_and_addresses_are_400s_and_414s(store: Store) {
    let t = TestServer::start(store).await;
    let list = "/api/v1/company-groups/1/services";
    let long_search = "a".repeat(201);
    t.get(&format!("{list}?q={long_search}"))
        .await
        .assert_error(400, "bad_request", "at most 200 characters");
    let many_words = ["x"; 9].join("+");
    t.get(&format!("{list}?q={many_words}")).await.assert_error(
        400,
        "bad_request",
        "at most 8 words",
    );
    let long_word = "w".repeat(65);
    t.get(&format!("{list}?q={long_word}")).await.assert_error(
        400,
        "bad_request",
        "at most 64 characters",
    );
    let many_systems: String = (0..51).map(|n| format!("&system=S{n}")).collect();
    t.get(&format!("{list}?{many_systems}")).await.assert_error(
        400,
        "bad_request",
        "at most 50 values",
    );
    let long_entity = "e".repeat(101);
    t.get(&format!("{list}?entity={long_entity}"))
        .await
        .assert_error(400, "bad_request", "at most 100 characters");
    let fine = t
        .get(&format!(
            "{list}?q={}&system=Shopify",
            "shop ".repeat(8).trim_end()
        ))
        .await;
    assert_eq!(fine.status, 200, "8 words are fine: {}", fine.body);
    let huge = format!("{list}?q={}", "b".repeat(9000));
    t.get(&huge)
        .await
        .assert_error(414, "uri_too_long", "at most 8 KiB");
    t.stop().await;
}

async fn malformed_tokens_and_blocked_clients_are_answered_without_the_database(store: Store) {
    use std::time::{Duration, Instant};
    let t = TestServer::start_with(store, |c| {
        c.limits = LimitSettings {
            auth_failures_per_minute: 4,
            ..LimitSettings::default()
        }
    })
    .await;
    // Hold every connection a token check could use for two seconds.
    let held = common::hold_readers(&t.server.db, Duration::from_millis(2000)).await;
    let quick = Duration::from_millis(1000);
    for token in [
        "pw_18446744073709551615_x",
        "pw_1_short",
        "not-a-token",
        "a.b.c",
    ] {
        let started = Instant::now();
        t.get_as(token, "/api/v1/me")
            .await
            .assert_error(401, "unauthorized", "Sign in again");
        assert!(
            started.elapsed() < quick,
            "{token}: {:?}",
            started.elapsed()
        );
    }
    // Four failures used this client's budget; the fifth is a 429, and from then on even a
    // well-formed token is refused at once.
    let started = Instant::now();
    t.get_as("pw_1_short", "/api/v1/me")
        .await
        .assert_error(429, "rate_limited", "failed sign-ins");
    t.get_as(&t.admin(), "/api/v1/me")
        .await
        .assert_error(429, "rate_limited", "failed sign-ins");
    assert!(started.elapsed() < quick);
    held.await.unwrap();
    t.stop().await;

    // The contrast: a well-formed token has to be looked up, so it waits for a connection.
    let t = TestServer::start(store).await;
    let held = common::hold_readers(&t.server.db, Duration::from_millis(1500)).await;
    let started = Instant::now();
    t.get_as("pw_5_00000000000000000000000000000000", "/api/v1/me")
        .await
        .assert_error(401, "unauthorized", "Bearer");
    assert!(started.elapsed() >= Duration::from_millis(1000));
    held.await.unwrap();
    t.stop().await;
}

on_both_stores!(
    a_client_sending_bad_tokens_is_refused_for_a_while_then_even_its_good_token_waits,
    behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget,
    writes_are_limited_per_user_and_reads_are_not,
    writes_are_limited_per_client_whoever_signs_them,
    csp_reports_are_bounded_in_size_and_number,
    csp_reports_count_against_the_clients_write_limit,
    oversized_searches_filters_and_addresses_are_400s_and_414s,
    malformed_tokens_and_blocked_clients_are_answered_without_the_database,
);
