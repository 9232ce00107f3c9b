//! Nothing a client can send makes the server answer 500: odd paths, ids, headers and bodies.

mod common;

use common::TestServer;
use reqwest::Method;

#[tokio::test]
async fn odd_requests_get_4xx_json_never_5xx() {
    let t = TestServer::start().await;
    let service = t.a_service("active").await;
    let ids = [
        "0",
        "18446744073709551615",
        "18446744073709551616",
        "%00",
        "%F0%9F%98%80",
        "1e3",
        "+1",
        " 1",
        "null",
        &service.to_string(),
    ];
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", b"[]".to_vec()),
        ("application/json", b"null".to_vec()),
        ("application/json", b"\"text\"".to_vec()),
        (
            "application/json",
            b"{\"name\": null, \"status\": null}".to_vec(),
        ),
        ("application/json", vec![0xff, 0xfe, 0x00]),
        ("application/json", b"{\"record_ids\": [1, 2]}".to_vec()),
        ("application/json", b"{\"page_size\": -1}".to_vec()),
        ("application/json", b"{\"page_size\": 1e99}".to_vec()),
        ("text/plain", b"hello".to_vec()),
        ("application/json; charset=utf-8", b"{}".to_vec()),
    ];
    let routes = |id: &str| {
        vec![
            (Method::GET, format!("/api/v1/company-groups/{id}/services?q=%FF&status=&sort=--id&limit=1000&offset=18446744073709551615")),
            (Method::GET, format!("/api/v1/services/{id}")),
            (Method::PATCH, format!("/api/v1/services/{id}")),
            (Method::POST, format!("/api/v1/services/{id}/runs")),
            (Method::GET, format!("/api/v1/services/{id}/runs?since=2026-02-30T00:00:00Z")),
            (Method::GET, format!("/api/v1/runs/{id}/log?after=18446744073709551615&limit=500")),
            (Method::PUT, format!("/api/v1/services/{id}/alerts")),
            (Method::POST, format!("/api/v1/services/{id}/clone")),
        ]
    };
    let mut checked = 0;
    for id in ids {
        for (method, path) in routes(id) {
            for (content_type, body) in &bodies {
                let response = t
                    .client
                    .request(method.clone(), t.url(&path))
                    .bearer_auth(t.admin())
                    .header("content-type", *content_type)
                    .header("Idempotency-Key", "k")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let text = response.text().await.unwrap();
                assert!(
                    status.as_u16() < 500,
                    "{method} {path} {content_type}: {status} {text}"
                );
                if !status.is_success() {
                    let json: serde_json::Value = serde_json::from_str(&text)
                        .unwrap_or_else(|_| panic!("{method} {path}: {text}"));
                    assert!(json["error"]["message"].is_string(), "{text}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 10 * 8 * 10);
    t.stop().await;
}

/// Issue 10: a `since` with a multi-byte character where the seconds end made the RFC 3339
/// parser slice inside the character and panic (which aborted a release build).
#[tokio::test]
async fn a_multibyte_since_is_a_400_and_the_server_keeps_answering() {
    let t = TestServer::start().await;
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
#[tokio::test]
async fn a_token_with_an_id_beyond_sqlite_integers_is_a_401() {
    let t = TestServer::start().await;
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
