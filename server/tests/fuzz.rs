//! Fuzzing every parser that reads client text (proptest), first one by one, then through a
//! running server over HTTP: path ids, query strings, headers (tokens, JWTs, idempotency keys,
//! request ids, content types, encodings, ETags) and JSON bodies. Nothing may panic, and no
//! request may get a 5xx.

mod common;

use common::{Store, TestDb, TestServer};
use proptest::prelude::*;
use reqwest::Method;
use services_model::{AlertSettings, RunRequest, ServicePatch};
use services_server::api::json;
use services_server::api::params;
use services_server::auth::database_token_user;
use services_server::jwt::looks_like_jwt;

/// Arbitrary JSON, with the field names the API knows mixed in.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        Just("name".to_string()),
        Just("status".to_string()),
        Just("notes".to_string()),
        Just("record_ids".to_string()),
        Just("page_size".to_string()),
        Just("enabled".to_string()),
        Just("notification_group_id".to_string()),
        Just("id".to_string()),
        "\\PC{0,8}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        "\\PC{0,30}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("active")),
        Just(serde_json::Value::from("inactive")),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ids_tokens_and_bodies_never_panic(text in "\\PC{0,80}", bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = params::id(&text, "service");
        let _ = params::shorten(&text);
        let _ = params::number::<u32>(&format!("limit={text}"), "limit", 1, 500);
        let _ = database_token_user(&text);
        let _ = looks_like_jwt(&text);
        let _ = services_server::clock::parse(&text);
        let _ = json::parse::<ServicePatch>(&bytes);
        let _ = json::parse::<RunRequest>(&bytes);
        let _ = json::parse::<AlertSettings>(&bytes);
        let _ = json::parse::<serde_json::Value>(text.as_bytes());
    }

    #[test]
    fn json_bodies_are_accepted_or_refused_with_a_4xx(value in json_value()) {
        let bytes = value.to_string().into_bytes();
        for status in [
            json::parse::<ServicePatch>(&bytes).err().map(|e| e.status),
            json::parse::<RunRequest>(&bytes).err().map(|e| e.status),
            json::parse::<AlertSettings>(&bytes).err().map(|e| e.status),
        ].into_iter().flatten() {
            prop_assert!(status.is_client_error(), "{status} for {value}");
        }
    }

    #[test]
    fn database_token_ids_are_always_sqlite_integers(text in "pw_[0-9]{0,25}_[a-f0-9_\\-]{0,40}") {
        if let Some(id) = database_token_user(&text) {
            prop_assert!((1..=i64::MAX as u64).contains(&id));
        }
    }
}

/// One generated request.
#[derive(Debug, Clone)]
struct Probe {
    method: Method,
    path: String,
    token: Option<String>,
    headers: Vec<(String, String)>,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2001".to_string()),
        Just("1".to_string()),
        Just("0".to_string()),
        Just("18446744073709551615".to_string()),
        Just("9223372036854775808".to_string()),
        Just("-1".to_string()),
        Just("%C3%A9".to_string()),
        Just("%00".to_string()),
        Just("%FF".to_string()),
        Just("..".to_string()),
        "[a-zA-Z0-9%._~-]{0,12}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("q"),
        Just("status"),
        Just("system"),
        Just("entity"),
        Just("sort"),
        Just("limit"),
        Just("offset"),
        Just("since"),
        Just("after"),
        Just("page"),
        Just("x"),
    ];
    let value = prop_oneof![
        "[ -~]{0,20}".prop_map(|v| { percent_encode(&v) }),
        Just("2026-11-27T14:25:0%C3%A9Z".to_string()),
        Just("2026-11-27T14:25:00Z".to_string()),
        Just("-id".to_string()),
        Just("18446744073709551616".to_string()),
        Just("%F0%9F%98%80".to_string()),
        Just("%".to_string()),
        Just("%zz".to_string()),
    ];
    prop::collection::vec((key, value), 0..6).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn probe(admin: String) -> impl Strategy<Value = Probe> {
    let method = prop_oneof![
        Just(Method::GET),
        Just(Method::POST),
        Just(Method::PATCH),
        Just(Method::PUT),
        Just(Method::DELETE),
        Just(Method::HEAD),
        Just(Method::OPTIONS),
    ];
    let path = (
        prop_oneof![
            Just("/api/v1/services/{}"),
            Just("/api/v1/services/{}/runs"),
            Just("/api/v1/services/{}/clone"),
            Just("/api/v1/services/{}/alerts"),
            Just("/api/v1/company-groups/{}/services"),
            Just("/api/v1/runs/{}/log"),
            Just("/api/v1/me"),
            Just("/api/v1/{}"),
            Just("/api/{}"),
            Just("/static/services-list/{}"),
            Just("/{}"),
            Just("/healthz"),
            Just("/readyz"),
            Just("/metrics"),
            Just("/api/csp-reports"),
        ],
        segment(),
        query(),
    )
        .prop_map(|(template, id, query)| {
            let path = template.replace("{}", &id);
            if query.is_empty() {
                path
            } else {
                format!("{path}?{query}")
            }
        });
    let token = prop_oneof![
        Just(None),
        Just(Some(admin)),
        Just(Some("pw_18446744073709551615_x".to_string())),
        "pw_[0-9]{1,20}_[0-9a-f]{0,40}".prop_map(Some),
        "[A-Za-z0-9_-]{1,20}\\.[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,20}".prop_map(Some),
        Just(Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.".to_string())),
        "[ -~]{0,30}".prop_map(Some),
    ];
    let header = prop_oneof![
        ("idempotency-key", "[ -~]{0,40}"),
        ("x-request-id", "[ -~]{0,200}"),
        (
            "accept-encoding",
            "(gzip|br|deflate|identity|\\*|[a-z;=.0-9, ]{0,20})"
        ),
        ("if-none-match", "(W/)?\"[ -~]{0,20}\"|\\*|[ -~]{0,10}"),
        ("range", "bytes=[0-9-]{0,10}"),
        ("x-forwarded-for", "[0-9a-f.:, ]{0,40}"),
    ]
    .prop_map(|(k, v)| (k.to_string(), v));
    let content_type = prop_oneof![
        Just(None),
        Just(Some("application/json".to_string())),
        Just(Some("application/json; charset=utf-8".to_string())),
        Just(Some("text/plain".to_string())),
        "[ -~]{0,30}".prop_map(Some),
    ];
    let body = prop_oneof![
        Just(Vec::new()),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..300),
    ];
    (
        method,
        path,
        token,
        prop::collection::vec(header, 0..4),
        content_type,
        body,
    )
        .prop_map(|(method, path, token, headers, content_type, body)| Probe {
            method,
            path,
            token,
            headers,
            content_type,
            body,
        })
}

#[test]
fn no_generated_request_gets_a_5xx_or_stops_the_server_on_sqlite() {
    no_generated_request_gets_a_5xx_or_stops_the_server(Store::Sqlite);
}

#[test]
fn no_generated_request_gets_a_5xx_or_stops_the_server_on_postgres() {
    no_generated_request_gets_a_5xx_or_stops_the_server(Store::Postgres);
}

fn no_generated_request_gets_a_5xx_or_stops_the_server(store: Store) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // A built SPA, so that pages and files are served rather than the "not built" 503.
    let db = runtime.block_on(TestDb::new(store));
    let dist = db.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("public")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>SPA</title>").unwrap();
    std::fs::write(dist.join("app-1a2b.js"), "export default 1;").unwrap();
    std::fs::write(dist.join("public/favicon.svg"), "<svg/>").unwrap();
    std::fs::write(
        dist.join("build.json"),
        r#"{"public_url": "/static/services-list/", "immutable": ["app-1a2b.js"]}"#,
    )
    .unwrap();
    let t = runtime.block_on(TestServer::start_in(db, |c| {
        c.metrics_token = Some("m".into());
    }));
    let client = reqwest::Client::new();
    let base = t.server.url();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&probe(t.admin()), |p| {
        let (status, text) = runtime.block_on(async {
            let mut request = client.request(p.method.clone(), format!("{base}{}", p.path));
            if let Some(token) = &p.token {
                if let Ok(value) =
                    reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
                {
                    request = request.header("authorization", value);
                }
            }
            for (name, value) in &p.headers {
                if let Ok(value) = reqwest::header::HeaderValue::from_str(value) {
                    request = request.header(name.as_str(), value);
                }
            }
            if let Some(content_type) = &p.content_type {
                if let Ok(value) = reqwest::header::HeaderValue::from_str(content_type) {
                    request = request.header("content-type", value);
                }
            }
            let response = request
                .body(p.body.clone())
                .send()
                .await
                .expect("the server answers");
            let status = response.status();
            let api =
                p.path.starts_with("/api/") && response.headers().get("content-encoding").is_none();
            let text = response.text().await.unwrap_or_default();
            (status, if api { text } else { String::new() })
        });
        prop_assert!(status.as_u16() < 500, "{:?} → {} {}", p, status, text);
        if !text.is_empty() && !status.is_success() && p.method != Method::HEAD {
            let body: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| TestCaseError::fail(format!("{p:?}: not JSON ({e}): {text}")))?;
            prop_assert!(body["error"]["message"].is_string(), "{}", text);
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let me = runtime.block_on(t.get("/api/v1/me"));
    assert_eq!(me.status, 200, "the server still answers");
    runtime.block_on(t.stop());
}
