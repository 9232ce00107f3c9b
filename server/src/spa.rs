//! Serving the trunk-built SPA. Its files are served under its public URL (trunk's `public_url`,
//! which the post-build hook writes to `dist/build.json`; `/` without that file), and every other
//! GET outside `/api` answers `index.html`, so that client-side routes survive a reload or a
//! shared link.
//!
//! Caching: the files `build.json` lists as `immutable` (their names carry a content hash) are
//! served with `Cache-Control: public, max-age=31536000, immutable`, and as the brotli or gzip
//! file the build wrote next to them (`.br`, `.gz`) when the client accepts it. Every other file
//! (`index.html`, `embed.js`, `build.json`, the favicon) is `no-cache` with an `ETag`, and a
//! request with a matching `If-None-Match` gets a 304.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// What `dist/build.json` says about the build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// Where the files are served (see [`public_url`]).
    pub public_url: String,
    /// Files (relative to `dist/`) whose names carry their content's hash.
    pub immutable: HashSet<String>,
}

fn read_build_json(dist_dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dist_dir.join("build.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// The build's public URL and its immutable files.
pub fn build_info(dist_dir: &Path) -> BuildInfo {
    let immutable = read_build_json(dist_dir)
        .and_then(|v| {
            v.get("immutable")?.as_array().map(|files| {
                files
                    .iter()
                    .filter_map(|f| f.as_str())
                    .filter(|f| safe_relative_path(f))
                    .map(str::to_owned)
                    .collect()
            })
        })
        .unwrap_or_default();
    BuildInfo {
        public_url: public_url(dist_dir),
        immutable,
    }
}

/// The URL path the SPA's files are served under, from `dist/build.json`
/// (`{"public_url": "/static/services-list/"}`): it starts and ends with `/`. `/` when the file
/// is missing, unreadable or names an unusable path.
pub fn public_url(dist_dir: &Path) -> String {
    let file = dist_dir.join("build.json");
    if !file.exists() {
        return "/".into();
    }
    let url =
        read_build_json(dist_dir).and_then(|v| v.get("public_url")?.as_str().map(str::to_owned));
    match url {
        Some(url) if usable_public_url(&url) => url,
        _ => {
            tracing::warn!(
                file = %file.display(),
                "build.json has no usable \"public_url\" (an absolute path like \
                 /static/services-list/ outside /api and /dashboard); serving the SPA at /"
            );
            "/".into()
        }
    }
}

/// A path of plain segments: no `..`, `.`, empty segment, backslash or NUL.
fn safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// An absolute path ending in `/`, made of plain segments, that the SPA's files may live under
/// without shadowing the API or the example host.
fn usable_public_url(url: &str) -> bool {
    if url == "/" {
        return true;
    }
    let Some(inner) = url
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix('/'))
    else {
        return false;
    };
    let first = inner.split('/').next().unwrap_or_default();
    inner.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    }) && first != "api"
        && first != "dashboard"
}

struct Site {
    dist: PathBuf,
    index: PathBuf,
    immutable: HashSet<String>,
    files: ServeDir,
}

/// Adds the SPA to `router`: the files of `dist_dir` under `public_url` (a missing one is a 404),
/// and `index.html` as the fallback for every other GET. Without `index.html`, every path the
/// router does not know answers a 503 page that says how to build the SPA.
pub fn mount<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    dist_dir: &Path,
    public_url: &str,
) -> Router<S> {
    let index = dist_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dist = %dist_dir.display(), "no built SPA found; run `make run` to build it");
        return router.fallback(not_built);
    }
    let site = Arc::new(Site {
        dist: dist_dir.to_path_buf(),
        index,
        immutable: build_info(dist_dir).immutable,
        files: ServeDir::new(dist_dir)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip(),
    });
    if public_url == "/" {
        let page = Router::new().fallback(root_file).with_state(site);
        return router.fallback_service(page);
    }
    let files = Router::new().fallback(asset).with_state(site.clone());
    let page = Router::new().fallback(index_page).with_state(site);
    router
        .nest_service(public_url.trim_end_matches('/'), files)
        .fallback_service(page)
}

/// A file under the public URL, or a 404.
async fn asset(State(site): State<Arc<Site>>, request: Request) -> Response {
    let path = decoded_path(&request);
    serve_file(&site, &path, request)
        .await
        .unwrap_or_else(|| no_such_asset().into_response())
}

/// With the files at the root: a file when there is one, else the page.
async fn root_file(State(site): State<Arc<Site>>, request: Request) -> Response {
    let path = decoded_path(&request);
    let headers = request.headers().clone();
    match serve_file(&site, &path, request).await {
        Some(response) => response,
        None => revalidated(&site.index, &headers).unwrap_or_else(not_built_page),
    }
}

async fn index_page(State(site): State<Arc<Site>>, request: Request) -> Response {
    revalidated(&site.index, request.headers()).unwrap_or_else(not_built_page)
}

/// The request's path without its leading `/`, percent-decoded (empty when not UTF-8).
fn decoded_path(request: &Request) -> String {
    let raw = request.uri().path().trim_start_matches('/');
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|p| p.into_owned())
        .unwrap_or_default()
}

async fn serve_file(site: &Site, path: &str, request: Request) -> Option<Response> {
    if !safe_relative_path(path) {
        return None;
    }
    if site.immutable.contains(path) {
        let mut response = site
            .files
            .clone()
            .oneshot(request)
            .await
            .ok()?
            .map(Body::new);
        if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
            // The same URL answers brotli, gzip or plain bytes depending on the request.
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return Some(response);
        }
        return None;
    }
    let file = site.dist.join(path);
    if !file.is_file() {
        return None;
    }
    revalidated(&file, request.headers())
}

/// A file that may change at any deploy: `no-cache`, with an `ETag` from its content, and a 304
/// when the client already has it.
fn revalidated(file: &Path, request: &HeaderMap) -> Option<Response> {
    let body = std::fs::read(file).ok()?;
    let digest = Sha256::digest(&body);
    // Weak: the answer may be compressed on the way out, and both forms are the same file.
    let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
    let etag = HeaderValue::from_str(&etag).ok()?;
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| {
            tag == "*"
                || tag.trim_start_matches("W/")
                    == etag.to_str().unwrap_or("").trim_start_matches("W/")
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mime = mime_guess::from_path(file).first_or_octet_stream();
        let mut response = Response::new(Body::from(body));
        if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
            response.headers_mut().insert(header::CONTENT_TYPE, value);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Some(response)
}

fn no_such_asset() -> Response {
    (StatusCode::NOT_FOUND, "No such file in the built SPA.").into_response()
}

async fn not_built() -> Response {
    not_built_page()
}

fn not_built_page() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><title>Services list not built</title>\
             <p>The services list has not been built. Run <code>make run</code>, \
             which builds it with trunk and starts this server.</p>",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_comes_from_build_json_or_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(public_url(dir.path()), "/");
        let write = |text: &str| std::fs::write(dir.path().join("build.json"), text).unwrap();
        write(r#"{"public_url": "/static/services-list/"}"#);
        assert_eq!(public_url(dir.path()), "/static/services-list/");
        write(r#"{"public_url": "/"}"#);
        assert_eq!(public_url(dir.path()), "/");
        for bad in [
            "not json",
            "{}",
            r#"{"public_url": 3}"#,
            r#"{"public_url": "static/"}"#,
            r#"{"public_url": "/static"}"#,
            r#"{"public_url": "//static/"}"#,
            r#"{"public_url": "/a/../b/"}"#,
            r#"{"public_url": "/api/static/"}"#,
            r#"{"public_url": "/dashboard/"}"#,
            r#"{"public_url": "/{x}/"}"#,
            r#"{"public_url": "https://cdn.example/app/"}"#,
        ] {
            write(bad);
            assert_eq!(public_url(dir.path()), "/", "{bad}");
        }
    }

    #[test]
    fn build_json_lists_the_immutable_files_and_unsafe_names_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("build.json"),
            r#"{"public_url": "/", "immutable": ["app-1a2b.wasm", "../etc/passwd", "a//b", "css/main-9f.css", 3]}"#,
        )
        .unwrap();
        let info = build_info(dir.path());
        let mut files: Vec<_> = info.immutable.into_iter().collect();
        files.sort();
        assert_eq!(files, ["app-1a2b.wasm", "css/main-9f.css"]);
        assert!(
            !safe_relative_path("x/./y") && !safe_relative_path("") && !safe_relative_path("a\\b")
        );
    }
}
