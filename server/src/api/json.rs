//! Request bodies: JSON with errors a client can act on. Malformed JSON is a 400; a body that
//! parses but doesn't fit (unknown or mistyped fields) is a 422 naming the field; a body over the
//! limit is a 413; a non-JSON content type is a 415.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

/// Bodies larger than this are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body; an empty body and `null` read as `{}` when `T` allows it (see [`parse`]).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        format!("The request body is larger than {} KiB.", BODY_LIMIT / 1024),
                    )
                } else {
                    ApiError::bad_request(format!(
                        "The request body could not be read: {}",
                        rejection.body_text()
                    ))
                }
            })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return parse(b"{}").map(JsonBody);
        }
        if !content_type.is_some_and(|t| t.starts_with("application/json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        // `null` is no body, as the document says of optional bodies (`oneOf: [null, …]`).
        if bytes.trim_ascii() == b"null" {
            return parse(b"{}").map(JsonBody);
        }
        parse(&bytes).map(JsonBody)
    }
}

/// Reads a body: JSON (else 400) holding an object (else 422: serde would also take a struct
/// from an array, `[null, null]`, which the document does not allow) that fits `T` (else 422).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(refusal)?;
    if !value.is_object() {
        return Err(ApiError::unprocessable(
            "invalid_field",
            "The request body must be a JSON object.",
        ));
    }
    serde_json::from_value(value).map_err(refusal)
}

fn refusal(e: serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let detail = e.to_string();
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::bad_request(format!("The request body is not valid JSON: {detail}."))
        }
        Category::Data => {
            let (code, message) = match unknown_field(&detail) {
                Some(field) => (
                    "unknown_field",
                    format!("Unknown field \"{field}\" in the request body."),
                ),
                None => (
                    "invalid_field",
                    format!("The request body has an invalid value: {detail}."),
                ),
            };
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
        }
    }
}

/// serde names an unknown field as: unknown field `x`, expected one of …
fn unknown_field(detail: &str) -> Option<&str> {
    let rest = detail.strip_prefix("unknown field `")?;
    rest.split('`').next()
}
