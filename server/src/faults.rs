//! Fault injection for resilience tests: compiled only with the `fault-injection` build feature
//! (release builds leave it out), and off unless the server is started with `--fault-injection`.
//! Rules, set at run time through `PUT /api/test/faults`, make matching API requests wait,
//! answer with a chosen status or a malformed body, or panic, all through the real stack.

use crate::error::ApiError;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// An HTTP method, or any when left out.
    #[serde(default)]
    pub method: Option<String>,
    /// A path such as `/api/v1/services/*/clone`; `*` matches one segment.
    pub path: String,
    /// Answer with this status instead of running the handler.
    #[serde(default)]
    pub status: Option<u16>,
    /// Wait this long first.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Answer with a truncated JSON body (with `status`, or 200).
    #[serde(default)]
    pub malformed: bool,
    /// Apply to this many requests, then stop; forever when left out.
    #[serde(default)]
    pub times: Option<u32>,
    /// Panic in the handler instead of answering (to test the server's panic handling).
    #[serde(default)]
    pub panic: bool,
}

impl FaultRule {
    fn matches(&self, method: &str, path: &str) -> bool {
        if self
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(method))
        {
            return false;
        }
        let want: Vec<&str> = self.path.trim_end_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| *w == "*" || w == g)
    }
}

#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<Vec<FaultRule>>>);

impl Faults {
    /// The first matching rule, counting one use of it.
    fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let index = rules.iter().position(|r| r.matches(method, path))?;
        let rule = rules[index].clone();
        if let Some(times) = rules[index].times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                rules.remove(index);
            }
        }
        Some(rule)
    }

    fn replace(&self, rules: Vec<FaultRule>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = rules;
    }

    fn list(&self) -> Vec<FaultRule> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Middleware over `/api`: applies the first matching rule.
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(faults) = state.faults.as_ref() else {
        return next.run(request).await;
    };
    let Some(rule) = faults.take(request.method().as_str(), request.uri().path()) else {
        return next.run(request).await;
    };
    if let Some(ms) = rule.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if rule.panic {
        panic!("injected panic for {}", request.uri().path());
    }
    let status = rule.status.and_then(|s| StatusCode::from_u16(s).ok());
    if rule.malformed {
        return Response::builder()
            .status(status.unwrap_or(StatusCode::OK))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"items": [{"id": 1, "name": "#))
            .unwrap_or_default();
    }
    match status {
        Some(status) => ApiError::new(
            status,
            "injected_fault",
            format!("Injected fault: this request was answered with {status}."),
        )
        .into_response(),
        None => next.run(request).await,
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSet {
    rules: Vec<FaultRule>,
}

/// `GET`, `PUT` and `DELETE /api/test/faults`, and `POST /api/test/event-streams/disconnect`
/// (ends every open live-update stream, as a dropped connection would; clients reconnect).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/test/faults",
            put(set_rules).get(get_rules).delete(clear_rules),
        )
        .route(
            "/api/test/event-streams/disconnect",
            axum::routing::post(disconnect_streams),
        )
}

async fn disconnect_streams(State(state): State<AppState>) -> StatusCode {
    state.events.disconnect_all();
    StatusCode::NO_CONTENT
}

async fn set_rules(
    State(state): State<AppState>,
    crate::api::json::JsonBody(set): crate::api::json::JsonBody<RuleSet>,
) -> Result<Json<RuleSet>, ApiError> {
    let faults = state
        .faults
        .as_ref()
        .ok_or_else(|| ApiError::not_found("Fault injection is off."))?;
    faults.replace(set.rules);
    Ok(Json(RuleSet {
        rules: faults.list(),
    }))
}

async fn get_rules(State(state): State<AppState>) -> Result<Json<RuleSet>, ApiError> {
    let faults = state
        .faults
        .as_ref()
        .ok_or_else(|| ApiError::not_found("Fault injection is off."))?;
    Ok(Json(RuleSet {
        rules: faults.list(),
    }))
}

async fn clear_rules(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    let faults = state
        .faults
        .as_ref()
        .ok_or_else(|| ApiError::not_found("Fault injection is off."))?;
    faults.replace(Vec::new());
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(method: Option<&str>, path: &str, times: Option<u32>) -> FaultRule {
        FaultRule {
            method: method.map(String::from),
            path: path.into(),
            status: Some(500),
            delay_ms: None,
            malformed: false,
            times,
            panic: false,
        }
    }

    #[test]
    fn rules_match_method_and_segments() {
        let r = rule(Some("post"), "/api/v1/services/*/clone", None);
        assert!(r.matches("POST", "/api/v1/services/12/clone"));
        assert!(!r.matches("GET", "/api/v1/services/12/clone"));
        assert!(!r.matches("POST", "/api/v1/services/12/runs"));
        assert!(!r.matches("POST", "/api/v1/services/clone"));
        assert!(rule(None, "/api/v1/me", None).matches("DELETE", "/api/v1/me/"));
    }

    #[test]
    fn counted_rules_run_out() {
        let faults = Faults::default();
        faults.replace(vec![rule(None, "/api/v1/me", Some(2))]);
        assert!(faults.take("GET", "/api/v1/me").is_some());
        assert!(faults.take("GET", "/api/v1/me").is_some());
        assert!(faults.take("GET", "/api/v1/me").is_none());
    }
}
