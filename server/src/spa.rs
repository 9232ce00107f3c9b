//! Serving the trunk-built SPA: files from `dist/`, and `index.html` for any other path so that
//! client-side routes survive a reload or a shared link.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get_service, MethodRouter};
use std::path::PathBuf;
use tower_http::services::{ServeDir, ServeFile};

pub fn service<S: Clone + Send + Sync + 'static>(dist_dir: PathBuf) -> MethodRouter<S> {
    let index = dist_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dist = %dist_dir.display(), "no built SPA found; run `make run` to build it");
        return axum::routing::any(not_built);
    }
    get_service(ServeDir::new(&dist_dir).fallback(ServeFile::new(index)))
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><title>Services list not built</title>\
             <p>The services list has not been built. Run <code>make run</code>, \
             which builds it with trunk and starts this server.</p>",
        ),
    )
}
