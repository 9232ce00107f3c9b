//! Path and query parameters, with 400s that say what was wrong.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// A route's one path parameter, as text (the handler parses it with [`id`]). A segment that
/// does not decode to UTF-8 (`%FF`) is a JSON 400 like every other bad id.
pub struct PathText(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathText {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(text)) => Ok(PathText(text)),
            Err(_) => Err(ApiError::bad_request(
                "The id in the address must be a positive whole number.",
            )),
        }
    }
}

/// The largest id SQLite can hold.
pub const MAX_ID: u64 = i64::MAX as u64;

pub fn id(text: &str, what: &str) -> Result<u64, ApiError> {
    text.parse::<u64>()
        .ok()
        .filter(|id| *id <= MAX_ID)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "The {what} id must be a positive whole number up to {MAX_ID}, not \"{}\".",
                shorten(text)
            ))
        })
}

/// Client text echoed in an error message: at most 60 characters, control characters escaped.
pub fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(60).flat_map(char::escape_debug).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
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
            "{key} must be a whole number from {min} to {max}, not \"{}\".",
            shorten(&text)
        ))),
    }
}

/// The most a search may hold: characters, and words (each word is matched against every
/// service).
pub const MAX_SEARCH_CHARS: usize = 200;
pub const MAX_SEARCH_WORDS: usize = 8;
/// The longest search word: each is matched in SQL against every service the others keep.
pub const MAX_SEARCH_WORD_CHARS: usize = 64;
/// The most values one filter (`system`, `entity`) may list, and their length.
pub const MAX_FILTER_VALUES: usize = 50;
pub const MAX_FILTER_CHARS: usize = 100;

/// 400s for list queries larger than any real view needs, so one request can't make the server
/// compare thousands of words or values against every service.
pub fn check_list_query(query: &services_model::ListQuery) -> Result<(), ApiError> {
    let chars = query.search.chars().count();
    if chars > MAX_SEARCH_CHARS {
        return Err(ApiError::bad_request(format!(
            "The search can have at most {MAX_SEARCH_CHARS} characters; it has {chars}."
        )));
    }
    let words = query.search.split_whitespace().count();
    if words > MAX_SEARCH_WORDS {
        return Err(ApiError::bad_request(format!(
            "The search can have at most {MAX_SEARCH_WORDS} words; it has {words}."
        )));
    }
    if let Some(long) = query
        .search
        .split_whitespace()
        .find(|w| w.chars().count() > MAX_SEARCH_WORD_CHARS)
    {
        return Err(ApiError::bad_request(format!(
            "A search word can have at most {MAX_SEARCH_WORD_CHARS} characters, not \"{}\".",
            shorten(long)
        )));
    }
    for (name, values) in [
        ("system", &query.source_systems),
        ("entity", &query.source_entities),
    ] {
        if values.len() > MAX_FILTER_VALUES {
            return Err(ApiError::bad_request(format!(
                "The {name} filter can list at most {MAX_FILTER_VALUES} values; it lists {}.",
                values.len()
            )));
        }
        if let Some(long) = values.iter().find(|v| v.chars().count() > MAX_FILTER_CHARS) {
            return Err(ApiError::bad_request(format!(
                "A {name} filter value can have at most {MAX_FILTER_CHARS} characters, not \"{}\".",
                shorten(long)
            )));
        }
    }
    Ok(())
}
