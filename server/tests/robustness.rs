//! Nothing a client can send makes the server answer 500: odd paths, ids, headers and bodies.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;

async fn odd_requests_get_4xx_json_never_5xx(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    let odd = common::corpus::odd_requests(service, &t.admin());
    assert_eq!(odd.len(), 12 * 8 * 10);
    for request in &odd {
        common::corpus::send(&t.client, &t.server.url(), request).await;
    }
    t.stop().await;
}

/// Issue 10: a `since` with a multi-byte character where the seconds end made the RFC 3339
/// parser slice inside the character and panic (which aborted a release build).
async fn a_multibyte_since_is_a_400_and_the_server_keeps_answering(store: Store) {
    let t = TestServer::start(store).await;
    let service = t.a_service("active").await;
    for since in [
        "2026-11-27T14:25:0%C3%A9Z",
        "2026-11-27T14:25:00%C3%A9",
        "2026-11-27T14:25:00.%C3%A9Z",
        "2026-11-27T14:25:00%2B0%C3%A9:00",
        "%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80",
    ] {
        let reply = t
            .get(&format!("/api/v1/services/{service}/runs?since={since}"))
            .await;
        reply.assert_error(400, "bad_request", "RFC 3339");
    }
    let me = t.get("/api/v1/me").await;
    assert_eq!(me.status, 200, "the server still answers");
    t.stop().await;
}

/// Issue 10: a token whose user id does not fit SQLite's integer reached the database and
/// ended as a 500; it is a 401 like any other bad token.
async fn a_token_with_an_id_beyond_sqlite_integers_is_a_401(store: Store) {
    let t = TestServer::start(store).await;
    for token in [
        "pw_18446744073709551615_x",
        "pw_9223372036854775808_4b33edb61b233f5b93908e2d77d7347f",
        "pw_99999999999999999999999_x",
        "pw_-1_x",
        "pw_+1_x",
        "pw_0_x",
        "pw__x",
        "pw_1_",
    ] {
        let reply = t.call(Method::GET, "/api/v1/me", Some(token), None).await;
        reply.assert_error(401, "unauthorized", "Bearer");
    }
    t.stop().await;
}

on_both_stores!(
    odd_requests_get_4xx_json_never_5xx,
    a_multibyte_since_is_a_400_and_the_server_keeps_answering,
    a_token_with_an_id_beyond_sqlite_integers_is_a_401,
);
