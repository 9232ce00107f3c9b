//! A mixed load against the release binary: clients read, clone, rename, run and remove services
//! for a while, then the harness checks that nothing answered 5xx, that every write the server
//! acknowledged is there, and that SQLite's `PRAGMA integrity_check` passes; then the same again
//! with the process SIGKILLed in the middle of the load and started again on the same file.
//!
//! `SOAK_CLIENTS` and `SOAK_SECONDS` set the size (default 8 clients × 4 s per phase, what
//! `make test` runs); `make soak` runs 50 × 60 and prints the figures RELIABILITY.md quotes.

mod common;

use common::binary::Binary;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn start(db: &Path, dist: &Path) -> Binary {
    Binary::start(
        &[
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
            // The load comes from one address with a handful of tokens: limits off.
            "--writes-per-minute-per-user",
            "0",
            "--writes-per-minute-per-client",
            "0",
            "--auth-failures-per-minute",
            "0",
        ],
        &[("RUST_LOG", "warn")],
    )
}

/// What the server acknowledged, and what was in flight when it died.
#[derive(Default)]
struct Ledger {
    /// Clones created (201) and not removed, with the last name the server confirmed, and a
    /// rename that was sent but never answered.
    alive: HashMap<u64, (String, Option<String>)>,
    removed: HashSet<u64>,
    /// Removals sent and not answered (the kill cut them off): they may or may not have happened.
    removing: HashSet<u64>,
    /// How often each id was handed out by a clone: SQLite reuses the id of a removed service
    /// that had the largest id, and then an acknowledged removal and a new clone share it.
    handed_out: HashMap<u64, u32>,
    runs: Vec<u64>,
    counts: BTreeMap<&'static str, u64>,
    statuses: BTreeMap<u16, u64>,
    server_errors: Vec<String>,
    interrupted: u64,
    latencies_ms: Vec<f64>,
    /// From the first request to the last answer (or the kill).
    elapsed: Duration,
}

struct Load {
    base: String,
    tokens: Vec<String>,
    sources: Vec<u64>,
    ledger: Mutex<Ledger>,
}

/// xorshift: each client its own reproducible sequence.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

enum Outcome {
    Answered(u16, serde_json::Value),
    Interrupted,
}

async fn send(
    load: &Load,
    client: &reqwest::Client,
    token: &str,
    what: &'static str,
    method: reqwest::Method,
    path: String,
    body: Option<serde_json::Value>,
) -> Outcome {
    let mut request = client
        .request(method.clone(), format!("{}{path}", load.base))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let started = Instant::now();
    let result = request.send().await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let response = match result {
        Ok(response) => response,
        Err(_) => {
            let mut ledger = load.ledger.lock().unwrap();
            *ledger.counts.entry(what).or_default() += 1;
            ledger.interrupted += 1;
            return Outcome::Interrupted;
        }
    };
    let status = response.status().as_u16();
    {
        let mut ledger = load.ledger.lock().unwrap();
        *ledger.counts.entry(what).or_default() += 1;
        ledger.latencies_ms.push(elapsed_ms);
        *ledger.statuses.entry(status).or_default() += 1;
    }
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    if status >= 500 {
        load.ledger
            .lock()
            .unwrap()
            .server_errors
            .push(format!("{method} {path}: {status} {body}"));
    }
    Outcome::Answered(status, body)
}

async fn client_loop(load: Arc<Load>, index: u64, until: Instant) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ (index + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let token = load.tokens[(index as usize) % load.tokens.len()].clone();
    let mut mine: Vec<u64> = Vec::new();
    let mut renames = 0u64;
    while Instant::now() < until {
        let source = load.sources[dice.roll(load.sources.len() as u64) as usize];
        match dice.roll(10) {
            0..=5 => {
                let path = match dice.roll(4) {
                    0 => "/api/v1/company-groups/1/services?q=orders&sort=-name".to_string(),
                    1 => format!("/api/v1/services/{source}"),
                    2 => format!("/api/v1/services/{source}/runs"),
                    _ => "/api/v1/company-groups".to_string(),
                };
                if let Outcome::Interrupted = send(
                    &load,
                    &client,
                    &token,
                    "read",
                    reqwest::Method::GET,
                    path,
                    None,
                )
                .await
                {
                    return;
                }
            }
            6 => {
                let path = format!("/api/v1/services/{source}/clone");
                match send(
                    &load,
                    &client,
                    &token,
                    "clone",
                    reqwest::Method::POST,
                    path,
                    None,
                )
                .await
                {
                    Outcome::Answered(201, body) => {
                        let id = body["id"].as_u64().unwrap();
                        let name = body["name"].as_str().unwrap().to_string();
                        let mut ledger = load.ledger.lock().unwrap();
                        ledger.alive.insert(id, (name, None));
                        *ledger.handed_out.entry(id).or_default() += 1;
                        mine.push(id);
                    }
                    Outcome::Interrupted => return,
                    Outcome::Answered(..) => {}
                }
            }
            7 if !mine.is_empty() => {
                let id = mine[dice.roll(mine.len() as u64) as usize];
                renames += 1;
                let name = format!("Soak {index}-{renames}");
                if let Some(entry) = load.ledger.lock().unwrap().alive.get_mut(&id) {
                    entry.1 = Some(name.clone());
                }
                let body = serde_json::json!({ "name": name });
                let path = format!("/api/v1/services/{id}");
                match send(
                    &load,
                    &client,
                    &token,
                    "rename",
                    reqwest::Method::PATCH,
                    path,
                    Some(body),
                )
                .await
                {
                    Outcome::Answered(200, _) => {
                        if let Some(entry) = load.ledger.lock().unwrap().alive.get_mut(&id) {
                            *entry = (name, None);
                        }
                    }
                    Outcome::Interrupted => return,
                    Outcome::Answered(..) => {}
                }
            }
            8 => {
                let path = format!("/api/v1/services/{source}/runs");
                match send(
                    &load,
                    &client,
                    &token,
                    "run",
                    reqwest::Method::POST,
                    path,
                    None,
                )
                .await
                {
                    Outcome::Answered(201, body) => {
                        load.ledger
                            .lock()
                            .unwrap()
                            .runs
                            .push(body["id"].as_u64().unwrap());
                    }
                    Outcome::Interrupted => return,
                    Outcome::Answered(..) => {}
                }
            }
            _ if !mine.is_empty() => {
                let id = mine.swap_remove(dice.roll(mine.len() as u64) as usize);
                load.ledger.lock().unwrap().removing.insert(id);
                let path = format!("/api/v1/services/{id}");
                match send(
                    &load,
                    &client,
                    &token,
                    "remove",
                    reqwest::Method::DELETE,
                    path,
                    None,
                )
                .await
                {
                    Outcome::Answered(204, _) => {
                        let mut ledger = load.ledger.lock().unwrap();
                        ledger.removing.remove(&id);
                        ledger.alive.remove(&id);
                        ledger.removed.insert(id);
                    }
                    Outcome::Interrupted => return,
                    Outcome::Answered(..) => {
                        load.ledger.lock().unwrap().removing.remove(&id);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Runs the load until `stop`; SIGKILLs the server at `kill_at` when given.
async fn run_load(
    server: &mut Binary,
    clients: u64,
    seconds: u64,
    kill_at: Option<Duration>,
) -> Arc<Load> {
    let http = reqwest::Client::new();
    let list: serde_json::Value = http
        .get(format!(
            "{}/api/v1/company-groups/1/services?status=active",
            server.url
        ))
        .bearer_auth(&server.tokens[0])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sources: Vec<u64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(20)
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    // Northwind's admin and manager may change services.
    let load = Arc::new(Load {
        base: server.url.clone(),
        tokens: server.tokens[..2].to_vec(),
        sources,
        ledger: Mutex::new(Ledger::default()),
    });
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(client_loop(load.clone(), i, until)))
        .collect();
    if let Some(at) = kill_at {
        tokio::time::sleep(at).await;
        server.kill();
    }
    for task in tasks {
        task.await.unwrap();
    }
    load.ledger.lock().unwrap().elapsed = match kill_at {
        Some(at) => at,
        None => started.elapsed(),
    };
    load
}

async fn integrity(db: &Path) -> String {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Checks every acknowledged write through the API of a running server; returns how many.
async fn verify(base: &str, token: &str, load: &Load) -> usize {
    let http = reqwest::Client::new();
    let (alive, removed, removing, handed_out, runs) = {
        let ledger = load.ledger.lock().unwrap();
        (
            ledger.alive.clone(),
            ledger.removed.clone(),
            ledger.removing.clone(),
            ledger.handed_out.clone(),
            ledger.runs.clone(),
        )
    };
    let mut checked = 0;
    for (id, (name, in_flight)) in &alive {
        if removed.contains(id) {
            continue; // reused id: which answer came last is not known
        }
        let reply = http
            .get(format!("{base}/api/v1/services/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        if reply.status() == 404 && removing.contains(id) {
            continue; // its removal was in flight when the server died, and happened
        }
        assert_eq!(reply.status(), 200, "acknowledged clone {id} is missing");
        let body: serde_json::Value = reply.json().await.unwrap();
        let found = body["name"].as_str().unwrap();
        assert!(
            found == name || in_flight.as_deref() == Some(found),
            "service {id} is named {found:?}, acknowledged {name:?}"
        );
        checked += 1;
    }
    for id in &removed {
        if handed_out.get(id).copied().unwrap_or(0) > 1 {
            continue; // the id was reused by a later clone
        }
        let status = http
            .get(format!("{base}/api/v1/services/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 404, "acknowledged removal of {id} came back");
        checked += 1;
    }
    for run in &runs {
        let status = http
            .get(format!("{base}/api/v1/runs/{run}/log"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200, "acknowledged run {run} is missing");
        checked += 1;
    }
    checked
}

fn report(phase: &str, clients: u64, load: &Load, verified: usize, integrity: &str) {
    let ledger = load.ledger.lock().unwrap();
    let mut latencies = ledger.latencies_ms.clone();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let answered = latencies.len() as f64;
    println!(
        "soak {phase}: {clients} clients for {:.1} s: {} answered ({:.0}/s), {} interrupted by the kill; \
         by kind {:?}; by status {:?}; 5xx {}; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         acknowledged writes verified {verified} ({} clones kept, {} removals, {} runs; {} ids reused after a removal); integrity_check {integrity}",
        ledger.elapsed.as_secs_f64(),
        latencies.len(),
        answered / ledger.elapsed.as_secs_f64(),
        ledger.interrupted,
        ledger.counts,
        ledger.statuses,
        ledger.server_errors.len(),
        at(0.5),
        at(0.99),
        latencies.last().copied().unwrap_or(0.0),
        ledger.alive.len(),
        ledger.removed.len(),
        ledger.runs.len(),
        ledger.handed_out.values().filter(|n| **n > 1).count(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_load_loses_nothing_even_when_the_process_is_killed() {
    let clients = setting("SOAK_CLIENTS", 8);
    let seconds = setting("SOAK_SECONDS", 4);
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");

    // Phase 1: the whole load, then a clean check.
    let db = dir.path().join("steady.sqlite3");
    let mut server = start(&db, &dist);
    let load = run_load(&mut server, clients, seconds, None).await;
    {
        let ledger = load.ledger.lock().unwrap();
        assert!(
            ledger.server_errors.is_empty(),
            "5xx answers: {:#?}",
            ledger.server_errors
        );
        assert_eq!(ledger.interrupted, 0);
        for kind in ["read", "clone", "rename", "run", "remove"] {
            assert!(
                ledger.counts.get(kind).copied().unwrap_or(0) > 0,
                "no {kind} was tried"
            );
        }
    }
    let verified = verify(&server.url, &server.tokens[0], &load).await;
    server.kill();
    let check = integrity(&db).await;
    assert_eq!(check, "ok");
    report("steady", clients, &load, verified, &check);

    // Phase 2: SIGKILL halfway, then start again on the same file.
    let db = dir.path().join("killed.sqlite3");
    let mut server = start(&db, &dist);
    let tokens = server.tokens.clone();
    let load = run_load(
        &mut server,
        clients,
        seconds,
        Some(Duration::from_millis(seconds * 500)),
    )
    .await;
    {
        let ledger = load.ledger.lock().unwrap();
        assert!(
            ledger.server_errors.is_empty(),
            "5xx answers: {:#?}",
            ledger.server_errors
        );
        assert!(ledger.interrupted > 0, "the kill interrupted the load");
    }
    let check = integrity(&db).await;
    assert_eq!(check, "ok", "the file survived the kill");
    let restarted = start(&db, &dist);
    let verified = verify(&restarted.url, &tokens[0], &load).await;
    report(
        "killed (SIGKILL at half time)",
        clients,
        &load,
        verified,
        &check,
    );
}
