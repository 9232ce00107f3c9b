//! What operators rely on, over real HTTP: health and readiness, Prometheus metrics, the request
//! id, deadlines for slow clients and slow handlers, panics answered as 500s, compression.

#[macro_use]
mod common;

use common::{Store, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use std::io::Read;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn healthz_and_readyz_answer_json_without_a_token(store: Store) {
    let t = TestServer::start_with(store, |c| c.scheduler = true).await;
    let health = t.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body, json!({"status": "ok"}));
    assert_eq!(health.headers["cache-control"], "no-store");
    let ready = t.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.body["status"], "ready");
    for check in ["database", "worker", "scheduler"] {
        assert_eq!(
            ready.body["checks"][check]["ok"], true,
            "{check}: {}",
            ready.body
        );
    }
    assert!(ready.body["checks"]["database"]["ms"].as_u64().unwrap() < 2000);
    t.stop().await;
}

async fn readyz_is_503_while_the_database_does_not_answer(store: Store) {
    let t = TestServer::start(store).await;
    assert!(
        t.call(Method::GET, "/readyz", None, None).await.body["checks"]
            .get("scheduler")
            .is_none()
    );
    // Hold every reading connection for longer than the readiness deadline.
    let held = common::hold_readers(&t.server.db, Duration::from_millis(3500)).await;
    let started = Instant::now();
    let ready = t.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(ready.body["status"], "not_ready");
    assert_eq!(ready.body["checks"]["database"]["ok"], false);
    assert!(ready.body["checks"]["database"]["error"]
        .as_str()
        .unwrap()
        .contains("2000 ms"));
    assert!(
        started.elapsed() < Duration::from_millis(3000),
        "answered at the deadline"
    );
    let health = t.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, 200, "the process is still up");
    held.await.unwrap();
    assert_eq!(t.call(Method::GET, "/readyz", None, None).await.status, 200);
    t.stop().await;
}

fn metric(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find(|line| line.starts_with(name_and_labels))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn metrics_need_their_token_on_the_main_address(store: Store) {
    let t = TestServer::start(store).await;
    t.call(Method::GET, "/metrics", None, None)
        .await
        .assert_error(404, "not_found", "--metrics-addr");
    t.stop().await;

    let t = TestServer::start_with(store, |c| c.metrics_token = Some("scrape-secret".into())).await;
    t.call(Method::GET, "/metrics", None, None)
        .await
        .assert_error(401, "unauthorized", "--metrics-token");
    t.call(Method::GET, "/metrics", Some(&t.admin()), None)
        .await
        .assert_error(401, "unauthorized", "--metrics-token");
    for _ in 0..3 {
        assert_eq!(t.get("/api/v1/me").await.status, 200);
    }
    let service = t.a_service("active").await;
    let run = t
        .call(
            Method::POST,
            &format!("/api/v1/services/{service}/runs"),
            Some(&t.admin()),
            None,
        )
        .await;
    t.wait_for_run(service, run.body["id"].as_u64().unwrap())
        .await;
    assert_eq!(t.get("/api/v1/services/999999").await.status, 404);
    let response = t
        .client
        .get(t.url("/metrics"))
        .bearer_auth("scrape-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    let me = metric(
        &text,
        r#"http_requests_total{method="GET",route="/api/v1/me",status="200"}"#,
    );
    assert_eq!(me, Some(3.0), "{text}");
    assert_eq!(
        metric(
            &text,
            r#"http_requests_total{method="GET",route="/api/v1/services/{id}",status="404"}"#
        ),
        Some(1.0),
        "ids are folded into the route template"
    );
    assert!(text.contains(
        r#"http_request_duration_seconds_bucket{method="GET",route="/api/v1/me",status="200",le="#
    ));
    assert!(metric(&text, r#"services_runs{status="ok"}"#).unwrap() >= 1.0);
    assert_eq!(metric(&text, "services_run_queue_depth"), Some(0.0));
    assert!(metric(&text, "services_db_wait_seconds_count").unwrap() > 0.0);
    t.stop().await;
}

async fn the_metrics_address_serves_metrics_and_health_without_a_token(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.metrics_addr = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
    })
    .await;
    let internal = format!(
        "http://{}",
        t.server.metrics_addr.expect("a metrics address")
    );
    let metrics = t
        .client
        .get(format!("{internal}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(metrics
        .text()
        .await
        .unwrap()
        .contains("services_run_queue_depth"));
    let ready = t
        .client
        .get(format!("{internal}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let api = t
        .client
        .get(format!("{internal}/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404, "only metrics and health live there");
    t.stop().await;
}

async fn every_answer_carries_a_request_id(store: Store) {
    let t = TestServer::start(store).await;
    let generated = t.get("/api/v1/me").await;
    let id = generated.headers["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let other = t.get("/api/v1/me").await;
    assert_ne!(other.headers["x-request-id"], id.as_str());
    let kept = t
        .client
        .get(t.url("/healthz"))
        .header("x-request-id", "dashboard-req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "dashboard-req-42");
    let odd = t
        .client
        .get(t.url("/healthz"))
        .header("x-request-id", "x".repeat(300))
        .send()
        .await
        .unwrap();
    assert_eq!(
        odd.headers()["x-request-id"].len(),
        36,
        "an odd id is replaced"
    );
    t.stop().await;
}

async fn a_slow_handler_is_answered_504_json(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.fault_injection = true;
        c.request_timeout = Duration::from_millis(500);
    })
    .await;
    let rules = json!({"rules": [{"path": "/api/v1/me", "delay_ms": 5000, "times": 1}]});
    assert_eq!(
        t.call(Method::PUT, "/api/test/faults", None, Some(rules))
            .await
            .status,
        200
    );
    let started = Instant::now();
    t.get("/api/v1/me")
        .await
        .assert_error(504, "timeout", "took longer than 0.5 seconds");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(t.get("/api/v1/me").await.status, 200);
    t.stop().await;
}

async fn a_panicking_handler_is_a_500_json_and_the_server_goes_on(store: Store) {
    let t = TestServer::start_with(store, |c| c.fault_injection = true).await;
    let rules =
        json!({"rules": [{"method": "GET", "path": "/api/v1/company-groups", "panic": true}]});
    assert_eq!(
        t.call(Method::PUT, "/api/test/faults", None, Some(rules))
            .await
            .status,
        200
    );
    for _ in 0..3 {
        t.get("/api/v1/company-groups")
            .await
            .assert_error(500, "internal", "unexpected error");
    }
    assert_eq!(t.get("/api/v1/me").await.status, 200);
    assert_eq!(
        t.call(Method::DELETE, "/api/test/faults", None, None)
            .await
            .status,
        204
    );
    assert_eq!(t.get("/api/v1/company-groups").await.status, 200);
    t.stop().await;
}

/// Reads until the server closes the connection; returns what it sent and how long it took.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for {limit:?}"),
        }
    }
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

async fn clients_that_send_headers_slowly_or_not_at_all_are_disconnected(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.connections.header_read_timeout = Duration::from_secs(1)
    })
    .await;
    let mut trickle = TcpStream::connect(t.server.addr).await.unwrap();
    trickle
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let (_, waited) = read_until_closed(&mut trickle, Duration::from_secs(5)).await;
    assert!(waited >= Duration::from_millis(800), "{waited:?}");

    let mut silent = TcpStream::connect(t.server.addr).await.unwrap();
    let (_, waited) = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(waited < Duration::from_secs(4), "{waited:?}");

    let mut keep_alive = TcpStream::connect(t.server.addr).await.unwrap();
    keep_alive
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (sent, _) = read_until_closed(&mut keep_alive, Duration::from_secs(5)).await;
    assert!(sent.starts_with("HTTP/1.1 200"), "{sent}");
    assert_eq!(t.get("/api/v1/me").await.status, 200);
    t.stop().await;
}

async fn open_connections_are_capped_and_the_next_waits_its_turn(store: Store) {
    let t = TestServer::start_with(store, |c| {
        c.connections.max_connections = 2;
        c.connections.header_read_timeout = Duration::from_secs(30);
    })
    .await;
    let idle_a = TcpStream::connect(t.server.addr).await.unwrap();
    let _idle_b = TcpStream::connect(t.server.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    assert!(
        client.get(t.url("/healthz")).send().await.is_err(),
        "a third connection is not served while two are open"
    );
    drop(idle_a);
    let client = reqwest::Client::new();
    let served = tokio::time::timeout(Duration::from_secs(5), client.get(t.url("/healthz")).send())
        .await
        .expect("served once a slot is free")
        .unwrap();
    assert_eq!(served.status(), 200);
    t.stop().await;
}

async fn json_answers_are_compressed_when_the_client_accepts_it(store: Store) {
    let t = TestServer::start(store).await;
    let path = "/api/v1/company-groups/1/services";
    let plain: Value = t.get(path).await.body;
    for encoding in ["gzip", "br"] {
        let response = t
            .client
            .get(t.url(path))
            .bearer_auth(t.admin())
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert!(response.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("accept-encoding"));
        let bytes = response.bytes().await.unwrap();
        let mut text = String::new();
        if encoding == "gzip" {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
        } else {
            brotli_decompressor::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut text)
                .unwrap();
        }
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), plain);
        assert!(
            bytes.len() * 4 < text.len(),
            "{encoding}: {} of {}",
            bytes.len(),
            text.len()
        );
    }
    let identity = t
        .client
        .get(t.url(path))
        .bearer_auth(t.admin())
        .send()
        .await
        .unwrap();
    assert!(identity.headers().get("content-encoding").is_none());
    t.stop().await;
}

on_both_stores!(
    healthz_and_readyz_answer_json_without_a_token,
    readyz_is_503_while_the_database_does_not_answer,
    metrics_need_their_token_on_the_main_address,
    the_metrics_address_serves_metrics_and_health_without_a_token,
    every_answer_carries_a_request_id,
    a_slow_handler_is_answered_504_json,
    a_panicking_handler_is_a_500_json_and_the_server_goes_on,
    clients_that_send_headers_slowly_or_not_at_all_are_disconnected,
    open_connections_are_capped_and_the_next_waits_its_turn,
    json_answers_are_compressed_when_the_client_accepts_it,
);
