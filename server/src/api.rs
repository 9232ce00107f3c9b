//! The JSON API under `/api/v1`.

use crate::error::ApiError;
use crate::{repo, AppState};
use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::Method;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use services_model::{CompanyGroup, GroupSummary, ListQuery, Service};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/company-groups", get(list_groups))
        .route("/v1/company-groups/{id}/services", get(list_services))
        .fallback(unknown_route)
}

#[derive(Serialize)]
struct GroupList {
    items: Vec<GroupSummary>,
}

async fn list_groups(State(state): State<AppState>) -> Result<Json<GroupList>, ApiError> {
    let items = state.db.call(|conn| repo::list_groups(conn)).await?;
    Ok(Json(GroupList { items }))
}

#[derive(Serialize)]
struct ServiceList {
    group: CompanyGroup,
    /// How many services match the query, before `limit` and `offset`.
    total: usize,
    items: Vec<Service>,
}

/// A group's services. Optional parameters narrow and order them exactly as the list page does
/// (`q`, `status`, `system`, `entity`, `sort`; see `ListQuery`), and `limit`/`offset` page them.
async fn list_services(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<ServiceList>, ApiError> {
    let id = parse_id(&id, "company group")?;
    let query = query.unwrap_or_default();
    let (limit, offset) = parse_window(&query)?;
    let list_query = ListQuery::from_query(&query);
    let (group, services) = state
        .db
        .call(move |conn| {
            let Some(group) = repo::find_group(conn, id)? else {
                return Ok(None);
            };
            Ok(Some((group, repo::services_in_group(conn, id)?)))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Company group {id} does not exist.")))?;
    let matching = list_query.filter_sorted(&services);
    let total = matching.len();
    let items = matching
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    Ok(Json(ServiceList {
        group,
        total,
        items,
    }))
}

fn parse_id(text: &str, what: &str) -> Result<u64, ApiError> {
    text.parse::<u64>().map_err(|_| {
        ApiError::bad_request(format!(
            "The {what} id must be a positive whole number, not \"{text}\"."
        ))
    })
}

/// `limit` (1–1000) and `offset` (0 or more); both optional.
fn parse_window(query: &str) -> Result<(Option<usize>, usize), ApiError> {
    let mut limit = None;
    let mut offset = 0;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "limit" => match value.parse::<usize>() {
                Ok(n @ 1..=1000) => limit = Some(n),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "limit must be between 1 and 1000, not \"{value}\"."
                    )))
                }
            },
            "offset" => {
                offset = value.parse::<usize>().map_err(|_| {
                    ApiError::bad_request(format!("offset must be 0 or more, not \"{value}\"."))
                })?
            }
            _ => {}
        }
    }
    Ok((limit, offset))
}

async fn unknown_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!("There is no API route {method} {}.", uri.path()))
}
