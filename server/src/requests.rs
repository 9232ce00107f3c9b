//! What every request passes through, outermost first: a request id (`X-Request-Id`, kept when
//! the client sent a sane one, else a UUID; echoed on the answer), the request log (tower-http's
//! `TraceLayer`: one line per answer with the id, method, path, status and latency), metrics,
//! a 414 for URIs over 8 KiB, compression of answers the client accepts (gzip or brotli, unless
//! already encoded), the handler deadline (504 JSON), a catch for panics (500 JSON, logged), and
//! the client address.

use crate::error::ApiError;
use crate::{metrics, rate_limit, Config};
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnRequest, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tracing::Level;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` in the layers above.
pub fn layers(router: Router, config: &Config, metrics: Arc<metrics::Metrics>) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(from_fn(drop_odd_request_id))
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request| {
                        let id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!(
                            "request",
                            id = %id,
                            method = %request.method(),
                            path = %request.uri().path(),
                        )
                    })
                    .on_request(DefaultOnRequest::new().level(Level::DEBUG))
                    .on_response(
                        DefaultOnResponse::new()
                            .level(Level::INFO)
                            .latency_unit(LatencyUnit::Millis),
                    ),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(from_fn_with_state(metrics, metrics::track))
            .layer(from_fn(refuse_long_uris))
            .layer(CompressionLayer::new())
            .layer(from_fn_with_state(config.request_timeout, deadline))
            .layer(CatchPanicLayer::custom(panic_answer))
            .layer(from_fn_with_state(
                config.trust_forwarded_for,
                rate_limit::record_client,
            )),
    )
}

/// The longest URI (path and query) served; longer ones get a 414.
pub const MAX_URI: usize = 8 * 1024;

async fn refuse_long_uris(request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("The address can have at most {} KiB.", MAX_URI / 1024),
        )
        .into_response();
    }
    next.run(request).await
}

/// A client's `X-Request-Id` is kept only when it is 1–128 visible ASCII characters, so ids in
/// the log stay readable and short.
async fn drop_odd_request_id(mut request: Request, next: Next) -> Response {
    let sane = request.headers().get(REQUEST_ID).map(|v| {
        let b = v.as_bytes();
        !b.is_empty() && b.len() <= 128 && b.iter().all(u8::is_ascii_graphic)
    });
    if sane == Some(false) {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

/// Answers 504 when the handler takes longer than `limit`.
async fn deadline(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "timeout",
                format!(
                    "The server took longer than {} seconds to answer. Try again in a moment.",
                    limit.as_secs_f64()
                ),
            )
            .into_response()
        }
    }
}

fn panic_answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = %detail, "a request handler panicked");
    ApiError::internal("The server hit an unexpected error. Try again; if it keeps happening, tell your administrator.")
        .into_response()
}
