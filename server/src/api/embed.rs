//! What the app needs to know before anyone signs in when it runs in an iframe: which parent
//! pages may hand it a token by `postMessage`. Public: it is derived from the CSP
//! `frame-ancestors` the server already sends on every response.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EmbedConfig {
    /// Origins (`scheme://host[:port]`) allowed to frame the app and send it a token by
    /// `postMessage`; compare them with `MessageEvent.origin`.
    #[schema(example = json!(["https://dash.patchworks.co.uk"]))]
    pub parent_origins: Vec<String>,
}

/// The parent origins allowed to hand the app a token when it is framed. Needs no token.
#[utoipa::path(get, path = "/api/v1/embed-config", tag = "account", security(()),
    responses((status = 200, body = EmbedConfig,
        headers(("Cache-Control" = String, description = "no-store")))))]
pub async fn embed_config(
    State(state): State<AppState>,
) -> ([(header::HeaderName, HeaderValue); 1], Json<EmbedConfig>) {
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(EmbedConfig {
            parent_origins: state.parent_origins.to_vec(),
        }),
    )
}

/// The full http(s) origins in a CSP source list such as
/// `'self' https://dash.patchworks.co.uk http://localhost:1234`: keywords (`'self'`, `'none'`),
/// schemes alone, wildcards and sources with a path are dropped. Origins are written the way
/// browsers report `MessageEvent.origin`: lower case, without a default port or a trailing `/`.
/// Duplicates are dropped; the order is kept.
pub fn parent_origins(frame_ancestors: &str) -> Vec<String> {
    let mut origins: Vec<String> = Vec::new();
    for source in frame_ancestors.split_ascii_whitespace() {
        if let Some(origin) = origin_of(source) {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
    }
    origins
}

fn origin_of(source: &str) -> Option<String> {
    let (scheme, rest) = source.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    // A lone trailing `/` is the root path, which CSP treats like no path.
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() || authority.contains(['/', '?', '#', '*', '@', '\\']) {
        return None;
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (address, after) = v6.split_once(']')?;
        if address.is_empty()
            || !address
                .chars()
                .all(|c| c.is_ascii_hexdigit() || ".:".contains(c))
        {
            return None;
        }
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (format!("[{}]", address.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let labels_ok = host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !labels_ok {
            return None;
        }
        (host.to_ascii_lowercase(), port)
    };
    match port {
        None => Some(format!("{scheme}://{host}")),
        Some(port) => {
            let number: u16 = port
                .parse()
                .ok()
                .filter(|_| port.chars().all(|c| c.is_ascii_digit()))?;
            if number == 0 {
                return None;
            }
            if number.to_string() == default_port {
                Some(format!("{scheme}://{host}"))
            } else {
                Some(format!("{scheme}://{host}:{number}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_full_origins_of_the_frame_ancestors() {
        assert_eq!(
            parent_origins(
                "'self' https://dash.patchworks.co.uk http://localhost:1234 'none' \
                 https://*.patchworks.co.uk https://dash.example/app https://dash.example/ \
                 https: data: *.example.com example.com *  http://127.0.0.1:8080 \
                 wss://socket.example https://[::1]:8443 ftp://files.example"
            ),
            [
                "https://dash.patchworks.co.uk",
                "http://localhost:1234",
                "https://dash.example",
                "http://127.0.0.1:8080",
                "https://[::1]:8443",
            ]
        );
    }

    #[test]
    fn origins_are_written_as_browsers_report_them() {
        assert_eq!(
            parent_origins("HTTPS://Dash.Example:443 http://a.example:80 http://a.example"),
            ["https://dash.example", "http://a.example"]
        );
        assert_eq!(
            parent_origins("http://localhost:08080"),
            ["http://localhost:8080"]
        );
    }

    #[test]
    fn malformed_sources_are_dropped() {
        for bad in [
            "'self'",
            "",
            "   ",
            "https://",
            "https://:443",
            "http://host:",
            "http://host:x",
            "http://host:99999",
            "http://host:0",
            "http://host:+80",
            "http://user@host",
            "http://host?x",
            "http://host#x",
            "http://ho_st",
            "http://host..example",
            "http://[::1",
            "http://[]",
            "http://[::1]x",
            "https://dash.example:*",
            "//dash.example",
        ] {
            assert!(parent_origins(bad).is_empty(), "{bad:?}");
        }
    }
}
