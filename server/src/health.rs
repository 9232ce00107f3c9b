//! `/healthz` (the process answers) and `/readyz` (it can do its job: the database answers within
//! a deadline, the worker and the scheduler are alive), both JSON and never cached. The worker
//! and the scheduler call [`Heartbeat::beat`] on every turn of their loops; a loop that stopped,
//! or has been silent too long, makes the instance not ready.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long `/readyz` waits for the database.
pub const DATABASE_DEADLINE: Duration = Duration::from_secs(2);

/// Proof of life from a background loop.
#[derive(Clone)]
pub struct Heartbeat(Arc<Beats>);

struct Beats {
    name: &'static str,
    /// How long the loop may be silent and still count as alive.
    max_silence: Duration,
    start: Instant,
    /// Milliseconds after `start` of the last beat; -1 before the first.
    last: AtomicI64,
    stopped: AtomicBool,
}

impl Heartbeat {
    pub fn new(name: &'static str, max_silence: Duration) -> Heartbeat {
        Heartbeat(Arc::new(Beats {
            name,
            max_silence,
            start: Instant::now(),
            last: AtomicI64::new(-1),
            stopped: AtomicBool::new(false),
        }))
    }

    /// The loop is alive.
    pub fn beat(&self) {
        let ms = self.0.start.elapsed().as_millis() as i64;
        self.0.last.store(ms, Ordering::Relaxed);
    }

    /// Time since the last beat; `None` before the first.
    pub fn silence(&self) -> Option<Duration> {
        let last = self.0.last.load(Ordering::Relaxed);
        (last >= 0).then(|| {
            self.0
                .start
                .elapsed()
                .saturating_sub(Duration::from_millis(last as u64))
        })
    }

    /// Marks the loop as ended (its task returned or panicked).
    pub fn stopped(&self) {
        self.0.stopped.store(true, Ordering::Relaxed);
    }

    fn alive(&self) -> bool {
        !self.0.stopped.load(Ordering::Relaxed)
            && self.silence().is_some_and(|s| s <= self.0.max_silence)
    }

    fn report(&self) -> serde_json::Value {
        json!({
            "ok": self.alive(),
            "stopped": self.0.stopped.load(Ordering::Relaxed),
            "seconds_since_beat": self.silence().map(|s| (s.as_secs_f64() * 10.0).round() / 10.0),
            "max_silence_seconds": self.0.max_silence.as_secs(),
        })
    }

    /// Runs `task` and marks this heartbeat stopped when it ends, however it ends.
    pub fn watch(&self, task: tokio::task::JoinHandle<()>) -> tokio::task::JoinHandle<()> {
        let heartbeat = self.clone();
        tokio::spawn(async move {
            struct Guard(Heartbeat);
            impl Drop for Guard {
                fn drop(&mut self) {
                    self.0.stopped();
                }
            }
            let _guard = Guard(heartbeat);
            let abort = task.abort_handle();
            // If this watcher is aborted (the server stops), the task goes too.
            struct AbortOnDrop(tokio::task::AbortHandle);
            impl Drop for AbortOnDrop {
                fn drop(&mut self) {
                    self.0.abort();
                }
            }
            let _abort = AbortOnDrop(abort);
            if let Err(error) = task.await {
                if error.is_panic() {
                    tracing::error!("a background loop panicked");
                }
            }
        })
    }

    pub fn name(&self) -> &'static str {
        self.0.name
    }
}

/// What `/readyz` checks.
#[derive(Clone)]
pub struct Health {
    pub loops: Arc<[Heartbeat]>,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

fn no_store(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn healthz() -> Response {
    no_store(StatusCode::OK, json!({"status": "ok"}))
}

async fn readyz(State(state): State<AppState>) -> Response {
    let started = Instant::now();
    let database =
        tokio::time::timeout(DATABASE_DEADLINE, crate::repo::meta::ping(&state.db)).await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let database = match database {
        Ok(Ok(1)) => json!({"ok": true, "ms": elapsed_ms}),
        Ok(Ok(_)) => json!({"ok": false, "ms": elapsed_ms, "error": "unexpected answer"}),
        Ok(Err(error)) => {
            tracing::error!(%error, "readiness: the database failed");
            json!({"ok": false, "ms": elapsed_ms, "error": "the database failed"})
        }
        Err(_) => json!({"ok": false, "ms": elapsed_ms,
            "error": format!("no answer within {} ms", DATABASE_DEADLINE.as_millis())}),
    };
    let mut checks = serde_json::Map::new();
    let mut ready = database["ok"] == true;
    checks.insert("database".into(), database);
    for heartbeat in state.health.loops.iter() {
        let report = heartbeat.report();
        ready &= report["ok"] == true;
        checks.insert(heartbeat.name().into(), report);
    }
    let (status, word) = if ready {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not_ready")
    };
    no_store(status, json!({"status": word, "checks": checks}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heartbeat_is_alive_only_between_beats_and_stop() {
        let beat = Heartbeat::new("worker", Duration::from_secs(60));
        assert!(!beat.alive(), "no beat yet");
        beat.beat();
        assert!(beat.alive());
        assert!(beat.silence().unwrap() < Duration::from_secs(1));
        beat.stopped();
        assert!(!beat.alive());
        let quiet = Heartbeat::new("scheduler", Duration::ZERO);
        quiet.beat();
        std::thread::sleep(Duration::from_millis(5));
        assert!(!quiet.alive(), "silent for longer than allowed");
    }
}
