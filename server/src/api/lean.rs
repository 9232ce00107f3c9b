//! `GET /api/v1/company-groups/{id}/services/lean`: the whole group in the lean column format of
//! `services_model::LeanView`, for the SPA to search locally. Compressed (brotli or gzip, as the
//! client accepts) once per group version and kept; the ETag names the version, so a client
//! that has it gets a 304. Groups over the lean limit answer the `per_query` marker instead.
//!
//! The health columns (last run, failed runs in 24 hours) make the version three numbers: the
//! group's `list_version` (its services), its `health_version` (moved by every run that is
//! queued, starts, finishes or goes) and the 5-minute window the failed runs were counted in
//! (a failure leaves the 24 hours without any write).

use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{repo, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use services_model::LeanView;
use std::io::Write;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The best of brotli and gzip the client accepts (`q=0` refuses one).
    pub fn choose(headers: &HeaderMap) -> Encoding {
        let accepted = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|part| {
                let mut pieces = part.split(';').map(str::trim);
                let name = pieces.next()?.to_ascii_lowercase();
                let refused = pieces.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (!refused).then_some(name)
            })
            .collect::<Vec<_>>();
        if accepted.iter().any(|e| e == "br") {
            Encoding::Brotli
        } else if accepted.iter().any(|e| e == "gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    fn encode(self, json: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Encoding::Identity => Ok(json.to_vec()),
            Encoding::Gzip => {
                let mut out =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                out.write_all(json)?;
                out.finish()
            }
            Encoding::Brotli => {
                let mut out = Vec::new();
                let params = brotli::enc::BrotliEncoderParams {
                    // Encoded once per version of a group, so spend a little more on it.
                    quality: 9,
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &json[..], &mut out, &params)?;
                Ok(out)
            }
        }
    }
}

type LeanKey = (u64, i64, i64, i64, Encoding);

/// How long a lean view's count of failed runs in the last 24 hours may be reused.
const HEALTH_WINDOW_SECONDS: i64 = 300;

/// Encoded lean views per group, version and encoding (a few groups' worth).
#[derive(Clone)]
pub struct LeanCache(Arc<quick_cache::sync::Cache<LeanKey, Bytes>>);

impl Default for LeanCache {
    fn default() -> Self {
        LeanCache(Arc::new(quick_cache::sync::Cache::new(24)))
    }
}

/// Every service of a group, as the list shows it, in one compact compressed answer; or, for
/// a group larger than the lean limit, `{"mode":"per_query"}` with its size: then ask
/// `GET /company-groups/{id}/services` per query.
#[utoipa::path(get, path = "/api/v1/company-groups/{id}/services/lean", tag = "services",
    params(params::GroupPath,
        ("If-None-Match" = Option<String>, Header, description = "The ETag of a copy the client holds")),
    responses((status = 200, body = LeanView, description = "The group (brotli or gzip when accepted)"),
        (status = 304, description = "The client's copy is current"),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 404, body = ErrorResponse)))]
pub async fn lean_services(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = params::id(&id, "company group")?;
    let (group, version) = repo::groups::find_versioned(&state.db, user.company_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Company group {id} does not exist.")))?;
    let health_version = repo::groups::health_version(&state.db, id).await?;
    let now = crate::clock::now_unix();
    let window = now.div_euclid(HEALTH_WINDOW_SECONDS);
    let database = repo::meta::database_id(&state.db).await?;
    let etag = format!(
        "W/\"lean-{database}-{id}-{version}-{health_version}-{window}-{}\"",
        state.lean_limit
    );
    let mut response_headers = HeaderMap::new();
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response_headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, value);
    }
    let client_has_it = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == etag || tag.trim() == "*");
    if client_has_it {
        return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
    }
    let encoding = Encoding::choose(&headers);
    let key = (id, version, health_version, window, encoding);
    let body = match state.lean.0.get(&key) {
        Some(body) => body,
        None => {
            let count = repo::groups::size(&state.db, id).await?;
            let view = if count > state.lean_limit {
                LeanView::per_query(group, count, state.lean_limit)
            } else {
                let mut services = repo::services::in_group(&state.db, id).await?;
                let since = repo::health::window_start(now);
                let mut health = repo::health::of_group(&state.db, id, &since).await?;
                for service in &mut services {
                    if let Some(h) = health.remove(&service.id) {
                        service.health = h;
                    }
                }
                LeanView::whole(group, &services, state.lean_limit)
            };
            let body = tokio::task::spawn_blocking(move || {
                let json = serde_json::to_vec(&view).map_err(std::io::Error::other)?;
                encoding.encode(&json)
            })
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|r| r)
            .map_err(|error| {
                tracing::error!(%error, "could not encode a lean view");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "The server could not prepare the list. Try again in a moment.",
                )
            })?;
            let body = Bytes::from(body);
            state.lean.0.insert(key, body.clone());
            body
        }
    };
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(name) = encoding.header() {
        response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    Ok((StatusCode::OK, response_headers, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn picks_brotli_then_gzip_and_honours_q_zero() {
        assert_eq!(
            Encoding::choose(&accepting("gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::choose(&accepting("gzip")), Encoding::Gzip);
        assert_eq!(
            Encoding::choose(&accepting("br;q=0, gzip;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::choose(&accepting("identity")), Encoding::Identity);
        assert_eq!(Encoding::choose(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn both_encodings_decode_to_the_json() {
        let json = br#"{"mode":"whole","id":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}"#;
        let gz = Encoding::Gzip.encode(json).unwrap();
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back).unwrap();
        assert_eq!(back, json);
        let br = Encoding::Brotli.encode(json).unwrap();
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, json);
    }
}
