//! The example host page (`--example-host <dir>`): a stand-in for the Patchworks dashboard that
//! embeds the services list, served by this server for demos and end-to-end tests.
//!
//! - `GET /dashboard/assets/{file}`: the files of `<dir>` (404 when missing);
//! - `GET /dashboard/iframe`: `<dir>/iframe.html`;
//! - any other `GET /dashboard` or `/dashboard/…`: `<dir>/index.html`, so the host's deep links
//!   (e.g. `/dashboard/services/services/2001`) survive a reload.
//!
//! Both pages are read on every request, with `__PUBLIC_URL__` replaced by the SPA's public URL.
//! Their Content-Security-Policy is the app's, with their own inline scripts allowed by hash and
//! frames from any http(s) origin (the iframe example frames the app from a second origin).

use crate::security;
use axum::extract::OriginalUri;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, get_service};
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;

/// What the host pages replace with the SPA's public URL (e.g. `/static/services-list/`).
pub const PUBLIC_URL_PLACEHOLDER: &str = "__PUBLIC_URL__";

/// Which frames the host pages may contain.
pub const FRAME_SRC: &str = "'self' http: https:";

struct Host {
    dir: PathBuf,
    public_url: String,
    frame_ancestors: String,
}

/// The `/dashboard` routes for the example host in `dir`.
pub fn routes<S: Clone + Send + Sync + 'static>(
    dir: PathBuf,
    public_url: &str,
    frame_ancestors: &str,
) -> Router<S> {
    if !dir.is_dir() {
        tracing::warn!(dir = %dir.display(), "the example host folder does not exist");
    }
    let host = Arc::new(Host {
        dir: dir.clone(),
        public_url: public_url.to_owned(),
        frame_ancestors: frame_ancestors.to_owned(),
    });
    let folder: Arc<str> = dir.display().to_string().into();
    let missing = any(move |OriginalUri(uri): OriginalUri| {
        let folder = folder.clone();
        async move {
            (
                StatusCode::NOT_FOUND,
                format!(
                    "Not found: {} is not a file of the example host folder {folder}.",
                    uri.path()
                ),
            )
        }
    });
    let assets = ServeDir::new(&dir)
        .append_index_html_on_directories(false)
        .not_found_service(missing);
    let index = {
        let host = host.clone();
        move || page(host.clone(), "index.html")
    };
    let iframe = move || page(host.clone(), "iframe.html");
    Router::new()
        .nest_service("/dashboard/assets", get_service(assets))
        .route("/dashboard/iframe", get(iframe))
        .route("/dashboard", get(index.clone()))
        .route("/dashboard/", get(index.clone()))
        .route("/dashboard/{*rest}", get(index))
}

async fn page(host: Arc<Host>, file: &'static str) -> Response {
    let path = host.dir.join(file);
    let html = match tokio::fs::read_to_string(&path).await {
        Ok(html) => html.replace(PUBLIC_URL_PLACEHOLDER, &host.public_url),
        Err(e) => {
            return (
                StatusCode::NOT_FOUND,
                format!(
                    "Not found: the example host page {} cannot be read ({e}).",
                    path.display()
                ),
            )
                .into_response()
        }
    };
    let csp = security::policy(
        &security::inline_script_hashes(&html),
        &host.frame_ancestors,
        Some(FRAME_SRC),
    );
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response();
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}
