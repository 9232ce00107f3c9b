//! Security headers on every response: a strict Content-Security-Policy (no inline script but
//! trunk's loader, allowed by its hash; no inline style), `X-Content-Type-Options`,
//! `Referrer-Policy`, and a configurable `frame-ancestors`. Violations are reported to
//! `POST /api/csp-reports`.

use crate::error::ApiError;
use crate::rate_limit::ClientIp;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The `sha256-…` sources of the inline `<script>` elements (those without `src`) in a page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close..];
    }
    hashes
}

/// The policy for a built SPA in `dist_dir`, embeddable by `frame_ancestors`.
pub fn content_security_policy(dist_dir: &Path, frame_ancestors: &str) -> String {
    let index = std::fs::read_to_string(dist_dir.join("index.html")).unwrap_or_default();
    policy(&inline_script_hashes(&index), frame_ancestors, None)
}

/// The policy: scripts from this origin and the inline ones with these hashes, wasm, no inline
/// style, embeddable by `frame_ancestors`; frames only from this origin unless `frame_src` says
/// otherwise.
pub fn policy(script_hashes: &[String], frame_ancestors: &str, frame_src: Option<&str>) -> String {
    let scripts: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    let frames = frame_src
        .map(|sources| format!(" frame-src {sources};"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none';{frames} \
         base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}; \
         report-uri /api/csp-reports"
    )
}

#[derive(Clone)]
pub struct SecurityHeaders {
    pub csp: HeaderValue,
}

/// Middleware: adds the headers to every response. A handler that set its own policy (the
/// example host pages) keeps it.
pub async fn add_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert_with(|| headers.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The largest violation report accepted (413 above).
pub const REPORT_LIMIT: usize = 8 * 1024;
/// How many reports are kept: the newest, in a ring.
pub const REPORTS_KEPT: usize = 100;

/// Violation reports the browser sent, oldest first: at most [`REPORTS_KEPT`], each at most
/// [`REPORT_LIMIT`] bytes.
#[derive(Clone, Default)]
pub struct CspReports(Arc<Mutex<VecDeque<serde_json::Value>>>);

impl CspReports {
    pub fn list(&self) -> Vec<serde_json::Value> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    fn push(&self, report: serde_json::Value) {
        let mut reports = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if reports.len() >= REPORTS_KEPT {
            reports.pop_front();
        }
        reports.push_back(report);
    }
}

/// `POST /api/csp-reports` (what browsers call; no token, at most [`REPORT_LIMIT`] bytes, counted
/// against the client's write limit), and with fault injection on, `GET /api/test/csp-reports`
/// for tests.
pub fn routes(state: &AppState) -> Router<AppState> {
    let router = Router::new().route(
        "/api/csp-reports",
        post(receive).layer(DefaultBodyLimit::max(REPORT_LIMIT)),
    );
    if state.test_routes() {
        router.route("/api/test/csp-reports", axum::routing::get(list))
    } else {
        router
    }
}

async fn receive(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("A report can have at most {} KiB.", REPORT_LIMIT / 1024),
            )
        } else {
            ApiError::bad_request("The report could not be read.")
        }
    })?;
    state.limits.client_write(client)?;
    let report: serde_json::Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&body).into_owned()));
    tracing::warn!(%report, "Content-Security-Policy violation");
    state.csp_reports.push(report);
    Ok(StatusCode::NO_CONTENT)
}

async fn list(State(state): State<AppState>) -> Json<Vec<serde_json::Value>> {
    Json(state.csp_reports.list())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_ring_keeps_the_newest() {
        let reports = CspReports::default();
        for n in 0..REPORTS_KEPT + 5 {
            reports.push(serde_json::json!(n));
        }
        let kept = reports.list();
        assert_eq!(kept.len(), REPORTS_KEPT);
        assert_eq!(kept[0], 5);
        assert_eq!(kept[REPORTS_KEPT - 1], REPORTS_KEPT + 4);
    }

    #[test]
    fn hashes_only_inline_scripts_exactly() {
        let html =
            "<script src=\"/a.js\"></script><script type=\"module\">\nimport x;\n</script><p>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"\nimport x;\n"));
        assert_eq!(hashes[0], format!("sha256-{expected}"));
        assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    }

    #[test]
    fn the_policy_allows_wasm_and_the_loader_but_no_inline_style() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<script type=module>go()</script>",
        )
        .unwrap();
        let csp = content_security_policy(dir.path(), "'self' https://dashboard.example");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(csp.contains("style-src 'self';"));
        assert!(csp.contains("frame-ancestors 'self' https://dashboard.example;"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
