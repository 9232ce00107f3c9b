//! Path and query parameters, with 400s that say what was wrong.

use crate::error::ApiError;

/// The largest id SQLite can hold.
pub const MAX_ID: u64 = i64::MAX as u64;

pub fn id(text: &str, what: &str) -> Result<u64, ApiError> {
    text.parse::<u64>()
        .ok()
        .filter(|id| *id <= MAX_ID)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "The {what} id must be a positive whole number up to {MAX_ID}, not \"{text}\"."
            ))
        })
}

/// The value of a query parameter (the first if repeated).
pub fn query_value(query: &str, key: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    query: &str,
    key: &str,
    min: T,
    max: T,
) -> Result<Option<T>, ApiError> {
    let Some(text) = query_value(query, key) else {
        return Ok(None);
    };
    match text.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(Some(n)),
        _ => Err(ApiError::bad_request(format!(
            "{key} must be a whole number from {min} to {max}, not \"{text}\"."
        ))),
    }
}
