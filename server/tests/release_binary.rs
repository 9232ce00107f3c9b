//! Test what users run: the release build of the server (`cargo build --release -p
//! services-server`, built by `make test` before the tests), started as a process, gets issue 10's
//! two reports and the whole robustness corpus and still answers; it has no fault injection; it
//! logs JSON with request ids.

mod common;

use common::binary::{release_binary, Binary};
use common::corpus;
use std::time::Duration;

fn start(dir: &std::path::Path, extra: &[&str], envs: &[(&str, &str)]) -> Binary {
    let db = dir.join("release.sqlite3");
    let dist = dir.join("dist");
    let mut args = vec![
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
        "--dist",
        dist.to_str().unwrap(),
        "--no-scheduler",
        "--demo",
        "--run-step-ms",
        "20",
    ];
    args.extend_from_slice(extra);
    Binary::start(&args, envs)
}

async fn first_active_service(client: &reqwest::Client, base: &str, token: &str) -> u64 {
    let list: serde_json::Value = client
        .get(format!(
            "{base}/api/v1/company-groups/1/services?status=active&limit=1"
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["items"][0]["id"].as_u64().expect("an active service")
}

#[tokio::test]
async fn the_release_binary_answers_the_whole_corpus_and_keeps_answering() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(
        dir.path(),
        &["--log-format", "json"],
        // Even asked for, fault injection does not exist in a release build.
        &[("SERVICES_FAULT_INJECTION", "true")],
    );
    let admin = server.tokens.first().expect("demo tokens printed").clone();
    let client = reqwest::Client::new();
    let service = first_active_service(&client, &server.url, &admin).await;

    for odd in corpus::reported(service, &admin) {
        corpus::send(&client, &server.url, &odd).await;
    }
    assert!(
        server.is_running(),
        "issue 10's reports no longer stop the process"
    );
    let odd = corpus::odd_requests(service, &admin);
    for request in &odd {
        corpus::send(&client, &server.url, request).await;
    }
    assert!(server.is_running());

    let me = client
        .get(format!("{}/api/v1/me", server.url))
        .bearer_auth(&admin)
        .header("x-request-id", "release-test-me")
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        200,
        "it still answers after {} odd requests",
        odd.len() + 2
    );
    let health = client
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let faults = client
        .get(format!("{}/api/test/faults", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        faults.status(),
        404,
        "no fault injection in a release build"
    );

    // The request log is JSON, one object a line, with the request id.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logged = server
        .output()
        .into_iter()
        .filter(|line| line.contains("release-test-me"))
        .map(|line| serde_json::from_str::<serde_json::Value>(&line))
        .collect::<Vec<_>>();
    assert!(!logged.is_empty(), "the request was logged");
    for entry in logged {
        let entry = entry.expect("a JSON log line");
        assert_eq!(entry["span"]["id"], "release-test-me", "{entry}");
        assert_eq!(entry["span"]["path"], "/api/v1/me", "{entry}");
    }
    assert!(
        !server
            .output()
            .iter()
            .any(|line| line.starts_with('{') && line.contains(&admin)),
        "tokens are never logged"
    );
}

#[test]
fn the_release_binary_has_no_fault_injection_flag() {
    let output = std::process::Command::new(release_binary())
        .arg("--fault-injection")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--fault-injection"), "{stderr}");
}
