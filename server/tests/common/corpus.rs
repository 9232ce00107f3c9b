//! The robustness corpus: odd ids, paths, query strings, headers and bodies that must all get a
//! 4xx JSON answer (or a success), never a 5xx, from the debug and the release server alike.

use reqwest::Method;

/// One request of the corpus.
pub struct Odd {
    pub method: Method,
    pub path: String,
    pub token: Option<String>,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// Issue 10's two reports, first: a multi-byte `since` (a panic that aborted release builds) and
/// a token whose id does not fit SQLite (a 500).
pub fn reported(service: u64, admin: &str) -> Vec<Odd> {
    vec![
        Odd {
            method: Method::GET,
            path: format!("/api/v1/services/{service}/runs?since=2026-11-27T14:25:0%C3%A9Z"),
            token: Some(admin.to_string()),
            content_type: "application/json",
            body: Vec::new(),
        },
        Odd {
            method: Method::GET,
            path: "/api/v1/me".into(),
            token: Some("pw_18446744073709551615_x".into()),
            content_type: "application/json",
            body: Vec::new(),
        },
    ]
}

/// Every odd id on every route with every odd body: 12 × 8 × 10 requests.
pub fn odd_requests(service: u64, admin: &str) -> Vec<Odd> {
    let service = service.to_string();
    let ids = [
        "0",
        "18446744073709551615",
        "18446744073709551616",
        "%00",
        "%F0%9F%98%80",
        "%FF",
        "%C3%28",
        "1e3",
        "+1",
        " 1",
        "null",
        service.as_str(),
    ];
    let bodies: Vec<(&'static str, Vec<u8>)> = vec![
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
    let mut out = Vec::new();
    for id in ids {
        for (method, path) in routes(id) {
            for (content_type, body) in &bodies {
                out.push(Odd {
                    method: method.clone(),
                    path: path.clone(),
                    token: Some(admin.to_string()),
                    content_type,
                    body: body.clone(),
                });
            }
        }
    }
    out
}

/// Sends one request of the corpus; panics on a 5xx or an error that is not JSON.
pub async fn send(client: &reqwest::Client, base: &str, odd: &Odd) {
    let mut request = client
        .request(odd.method.clone(), format!("{base}{}", odd.path))
        .header("content-type", odd.content_type)
        .header("Idempotency-Key", "k")
        .body(odd.body.clone());
    if let Some(token) = &odd.token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(
        status.as_u16() < 500,
        "{} {} {}: {status} {text}",
        odd.method,
        odd.path,
        odd.content_type
    );
    if !status.is_success() {
        let json: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{} {}: {text}", odd.method, odd.path));
        assert!(json["error"]["message"].is_string(), "{text}");
    }
}
