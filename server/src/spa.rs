//! Serving the trunk-built SPA. Its files are served under its public URL (trunk's `public_url`,
//! which the post-build hook writes to `dist/build.json`; `/` without that file), and every other
//! GET outside `/api` answers `index.html`, so that client-side routes survive a reload or a
//! shared link.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::get_service;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The URL path the SPA's files are served under, from `dist/build.json`
/// (`{"public_url": "/static/services-list/"}`): it starts and ends with `/`. `/` when the file
/// is missing, unreadable or names an unusable path.
pub fn public_url(dist_dir: &Path) -> String {
    let file = dist_dir.join("build.json");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return "/".into();
    };
    let url = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("public_url")?.as_str().map(str::to_owned));
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
    if public_url == "/" {
        return router.fallback_service(get_service(
            ServeDir::new(dist_dir).fallback(ServeFile::new(index)),
        ));
    }
    let files = ServeDir::new(dist_dir)
        .append_index_html_on_directories(false)
        .not_found_service(axum::routing::any(no_such_asset));
    router
        .nest_service(public_url.trim_end_matches('/'), get_service(files))
        .fallback_service(get_service(ServeFile::new(index)))
}

async fn no_such_asset() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, "No such file in the built SPA.")
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
}
