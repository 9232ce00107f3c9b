//! Path and query parameters, with 400s that say what was wrong.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use services_model::rules::{self, FILTER_MAX_VALUES as MAX_FILTER_VALUES};
use services_model::{SortKey, Status};
use utoipa::IntoParams;

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

pub use services_model::rules::MAX_ID;

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

/// 400s for list queries larger than any real view needs, so one request can't make the server
/// compare thousands of words or values against every service.
pub fn check_list_query(query: &services_model::ListQuery) -> Result<(), ApiError> {
    rules::check_search(&query.search).map_err(ApiError::bad_request)?;
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
        for value in values {
            rules::check_filter_value(name, value).map_err(ApiError::bad_request)?;
        }
    }
    Ok(())
}

/// 400s for `status` and `sort` values the list doesn't know (the document lists them), rather
/// than quietly ignoring them, and for more `system` or `entity` values than allowed, counted
/// as sent (repeats and empty ones too).
pub fn check_list_words(query: &str) -> Result<(), ApiError> {
    for name in ["system", "entity"] {
        let count = form_urlencoded::parse(query.as_bytes())
            .filter(|(key, _)| key == name)
            .count();
        if count > MAX_FILTER_VALUES {
            return Err(ApiError::bad_request(format!(
                "The {name} filter can list at most {MAX_FILTER_VALUES} values; it lists {count}."
            )));
        }
    }
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let known = match key.as_ref() {
            "status" => Status::parse(&value).is_some(),
            "sort" => SortKey::parse(value.strip_prefix('-').unwrap_or(&value)).is_some(),
            "favourites" | "last_run_failed" => value == "true" || value == "false",
            _ => true,
        };
        if !known {
            let allowed = match key.as_ref() {
                "status" => "active or inactive",
                "favourites" | "last_run_failed" => "true or false",
                _ => "id, name, status, system or last_run, with a leading - for descending",
            };
            return Err(ApiError::bad_request(format!(
                "{key} must be {allowed}, not \"{}\".",
                shorten(&value)
            )));
        }
    }
    Ok(())
}

/// The path of a route about one service.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct ServicePath {
    /// Service id
    #[param(schema_with = rules::schema::id)]
    id: u64,
}

/// The path of a route about one company group.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct GroupPath {
    /// Company group id
    #[param(schema_with = rules::schema::id)]
    id: u64,
}

/// The path of a route about one run.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct RunPath {
    /// Run id
    #[param(schema_with = rules::schema::id)]
    id: u64,
}
