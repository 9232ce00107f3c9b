//! Company groups and the services list of one group.

use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;
use services_model::{Cron, GroupSummary, ListQuery, ServiceList, ServiceSummary, Status, Trigger};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct GroupList {
    pub items: Vec<GroupSummary>,
}

/// The company groups of the caller's company, with how many services each holds.
#[utoipa::path(get, path = "/api/v1/company-groups", tag = "services",
    responses((status = 200, body = GroupList), (status = 401, body = ErrorResponse)))]
pub async fn list_groups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<GroupList>, ApiError> {
    let items = state
        .db
        .call(move |conn| repo::groups::list(conn, user.company_id))
        .await?;
    Ok(Json(GroupList { items }))
}

/// A group's services, each with its last run and next scheduled run. The optional parameters
/// narrow and order them exactly as the list page does (the `services-model` crate's `ListQuery`).
#[utoipa::path(get, path = "/api/v1/company-groups/{id}/services", tag = "services",
    params(
        ("id" = u64, Path, description = "Company group id"),
        ("q" = Option<String>, Query, description = "Search: every word must occur in the id, the type or the name; case-insensitive. At most 200 characters and 20 words"),
        ("status" = Option<Vec<Status>>, Query, description = "Repeatable; any of them"),
        ("system" = Option<Vec<String>>, Query, description = "Source system; repeatable (at most 50 values of 100 characters)"),
        ("entity" = Option<Vec<String>>, Query, description = "Source entity; repeatable (at most 50 values of 100 characters)"),
        ("sort" = Option<String>, Query, description = "id, name, status or system; a leading - sorts descending. Default id"),
        ("limit" = Option<u32>, Query, description = "1–1000; all when left out"),
        ("offset" = Option<u32>, Query, description = "Skip this many matching services"),
    ),
    responses((status = 200, body = ServiceList), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_services(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    RawQuery(query): RawQuery,
) -> Result<Json<ServiceList>, ApiError> {
    let id = params::id(&id, "company group")?;
    let query = query.unwrap_or_default();
    let limit = params::number::<usize>(&query, "limit", 1, 1000)?;
    let offset = params::number::<usize>(&query, "offset", 0, usize::MAX)?.unwrap_or(0);
    let list_query = ListQuery::from_query(&query);
    params::check_list_query(&list_query)?;
    let (group, services, last_runs) = state
        .db
        .call(move |conn| {
            let Some(group) = repo::groups::find(conn, user.company_id, id)? else {
                return Ok(None);
            };
            let services = repo::services::in_group(conn, id)?;
            let last_runs = repo::runs::latest_in_group(conn, id)?;
            Ok(Some((group, services, last_runs)))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Company group {id} does not exist.")))?;
    let facets = list_query.facets(&services);
    let matching = list_query.filter_sorted(&services);
    let total = matching.len();
    let now = clock::now_unix();
    let items = matching
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|s| ServiceSummary {
            last_run: last_runs.get(&s.id).cloned(),
            next_run_at: next_run_at(s, now),
            service: s.clone(),
        })
        .collect();
    Ok(Json(ServiceList {
        group,
        total,
        facets,
        items,
    }))
}

/// When an active scheduled service runs next; `None` for webhooks and inactive services.
pub fn next_run_at(service: &services_model::Service, now: i64) -> Option<String> {
    match (&service.trigger, service.status) {
        (Trigger::Schedule { cron }, Status::Active) => {
            let now = services_model::OffsetDateTime::from_unix_timestamp(now).ok()?;
            let next = Cron::parse(cron).ok()?.next_after(now)?;
            Some(clock::format(next.unix_timestamp()))
        }
        _ => None,
    }
}
