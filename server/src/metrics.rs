//! Prometheus metrics (the `prometheus` crate, one registry per server): requests by method,
//! route and status with their latency, runs by status and the run queue's depth (read from the
//! database when scraped), and how long requests waited for the database. Served as
//! `GET /metrics` on the main address when `--metrics-token` is set (with that bearer token), and
//! without a token on `--metrics-addr`, an address meant to be reachable only from inside.

use crate::db::Db;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    exponential_buckets, Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// Time from asking for the database to holding it, for every database call in the process.
static DB_WAIT: LazyLock<Histogram> = LazyLock::new(|| {
    Histogram::with_opts(
        HistogramOpts::new(
            "services_db_wait_seconds",
            "Time a database call waited for the connection",
        )
        .buckets(exponential_buckets(0.0001, 4.0, 10).unwrap_or_default()),
    )
    .expect("a valid histogram")
});

/// Records how long a database call waited for the connection (the hook in `db.rs`).
pub fn db_wait(waited: Duration) {
    DB_WAIT.observe(waited.as_secs_f64());
}

const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    runs: IntGaugeVec,
    queue_depth: IntGauge,
    /// API route templates, split into segments (`{id}` matches any one segment).
    templates: Vec<(String, Vec<String>)>,
    public_url: String,
}

impl Metrics {
    /// Adds a collector owned elsewhere (the open event streams).
    pub fn register(&self, collector: Box<dyn prometheus::core::Collector>) {
        if let Err(error) = self.registry.register(collector) {
            tracing::warn!(%error, "could not register a metric");
        }
    }

    /// Metrics for a server whose API routes are `templates` (as in the OpenAPI document, e.g.
    /// `/api/v1/services/{id}`) and whose SPA files live under `public_url`.
    pub fn new(templates: impl IntoIterator<Item = String>, public_url: &str) -> Arc<Metrics> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("a valid counter");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from receiving a request to its answer's headers",
            )
            .buckets(exponential_buckets(0.001, 2.5, 12).unwrap_or_default()),
            &["method", "route", "status"],
        )
        .expect("a valid histogram");
        let runs = IntGaugeVec::new(
            Opts::new("services_runs", "Runs in the database by status (outcome)"),
            &["status"],
        )
        .expect("a valid gauge");
        let queue_depth = IntGauge::new("services_run_queue_depth", "Runs queued, not started")
            .expect("a valid gauge");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(runs.clone()),
            Box::new(queue_depth.clone()),
            Box::new(DB_WAIT.clone()),
        ] {
            registry.register(collector).expect("unique metric names");
        }
        let templates = templates
            .into_iter()
            .map(|t| {
                let segments = t.split('/').map(str::to_string).collect();
                (t, segments)
            })
            .collect();
        Arc::new(Metrics {
            registry,
            requests,
            latency,
            runs,
            queue_depth,
            templates,
            public_url: public_url.to_string(),
        })
    }

    /// A bounded label for a path: its API route template, or a coarse kind for the rest.
    pub fn route(&self, path: &str) -> String {
        let segments: Vec<&str> = path.split('/').collect();
        for (template, parts) in &self.templates {
            let matches = parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(part, segment)| part.starts_with('{') || part == segment);
            if matches {
                return template.clone();
            }
        }
        match path {
            "/healthz" | "/readyz" | "/metrics" => path.to_string(),
            _ if path == "/api" || path.starts_with("/api/") => "/api (unknown)".into(),
            _ if path.starts_with("/dashboard") => "/dashboard (example host)".into(),
            _ if self.public_url != "/" && path.starts_with(&self.public_url) => {
                "static files".into()
            }
            _ => "page".into(),
        }
    }

    pub fn observe(&self, method: &str, path: &str, status: StatusCode, elapsed: Duration) {
        let method = METHODS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(method))
            .copied()
            .unwrap_or("other");
        let route = self.route(path);
        let status = status.as_str();
        let labels = [method, route.as_str(), status];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition, after reading run counts from the database.
    pub async fn render(&self, db: &Db) -> String {
        let counts = crate::repo::queue::counts_by_status(db).await;
        match counts {
            Ok(counts) => {
                for status in ["queued", "running", "ok", "failed"] {
                    let n = counts
                        .iter()
                        .find(|(s, _)| s == status)
                        .map_or(0, |(_, n)| *n);
                    self.runs.with_label_values(&[status]).set(n);
                    if status == "queued" {
                        self.queue_depth.set(n);
                    }
                }
            }
            Err(error) => tracing::error!(%error, "metrics: could not count runs"),
        }
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Middleware: counts and times every request.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    metrics.observe(method.as_str(), &path, response.status(), started.elapsed());
    response
}

/// Who may read `/metrics` on the main address.
#[derive(Clone)]
pub struct MetricsAccess {
    pub metrics: Arc<Metrics>,
    pub db: Db,
    /// The bearer token `/metrics` needs; `None` serves it to anyone (the separate address).
    pub token: Option<Arc<str>>,
}

pub async fn serve_metrics(State(access): State<MetricsAccess>, request: Request) -> Response {
    if let Some(token) = &access.token {
        let presented = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let matches = presented.len() == token.len()
            && bool::from(presented.as_bytes().ct_eq(token.as_bytes()));
        if !matches {
            return crate::error::ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "/metrics needs `Authorization: Bearer <the --metrics-token>`.",
            )
            .into_response();
        }
    }
    let text = access.metrics.render(&access.db).await;
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `/metrics` on the main address without `--metrics-token`.
pub async fn not_here() -> crate::error::ApiError {
    crate::error::ApiError::not_found(
        "Metrics are served on the --metrics-addr address, or here with --metrics-token.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_labelled_by_template_or_kind() {
        let m = Metrics::new(
            [
                "/api/v1/services/{id}".to_string(),
                "/api/v1/services/{id}/runs".to_string(),
                "/api/v1/me".to_string(),
            ],
            "/static/services-list/",
        );
        assert_eq!(m.route("/api/v1/services/2001"), "/api/v1/services/{id}");
        assert_eq!(
            m.route("/api/v1/services/x/runs"),
            "/api/v1/services/{id}/runs"
        );
        assert_eq!(m.route("/api/v1/me"), "/api/v1/me");
        assert_eq!(m.route("/api/v1/nope/123"), "/api (unknown)");
        assert_eq!(m.route("/static/services-list/app-1.wasm"), "static files");
        assert_eq!(m.route("/services/2001"), "page");
        assert_eq!(m.route("/healthz"), "/healthz");
    }
}
