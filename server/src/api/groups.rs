//! Company groups and the services list of one group.

use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;
use services_model::{
    Cron, GroupSummary, ListQuery, ServiceList, ServiceSummary, Status, Trigger, DEFAULT_PAGE_SIZE,
};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct GroupList {
    pub items: Vec<GroupSummary>,
    /// Groups with at most this many services can be loaded whole
    /// (`GET /company-groups/{id}/services/lean`); larger ones are asked per query.
    pub lean_limit: u64,
}

/// The company groups of the caller's company, with how many services each holds.
#[utoipa::path(get, path = "/api/v1/company-groups", tag = "services",
    responses((status = 200, body = GroupList), (status = 401, body = ErrorResponse)))]
pub async fn list_groups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<GroupList>, ApiError> {
    let items = repo::groups::list(&state.db, user.company_id).await?;
    Ok(Json(GroupList {
        items,
        lean_limit: state.lean_limit,
    }))
}

/// The largest `offset`.
pub const MAX_OFFSET: u64 = 10_000_000;

/// A group's services, each with its last run and next scheduled run: one window of those
/// matching the search and filters, in the requested order, with the total and the facet
/// counts. The search, filters and sort mean exactly what the list page's do (the
/// `services-model` crate's `ListQuery`), computed by the database.
#[utoipa::path(get, path = "/api/v1/company-groups/{id}/services", tag = "services",
    params(
        ("id" = u64, Path, description = "Company group id"),
        ("q" = Option<String>, Query, description = "Search: every word must occur in the id, the type or the name; case-insensitive. At most 200 characters and 8 words of up to 64 characters"),
        ("status" = Option<Vec<Status>>, Query, description = "Repeatable; any of them"),
        ("system" = Option<Vec<String>>, Query, description = "Source system; repeatable (at most 50 values of 100 characters)"),
        ("entity" = Option<Vec<String>>, Query, description = "Source entity; repeatable (at most 50 values of 100 characters)"),
        ("sort" = Option<String>, Query, description = "id, name, status or system; a leading - sorts descending. Default id"),
        ("limit" = Option<u32>, Query, description = "1–1000. Default: a page of 50; without any query parameter, the whole group when it is within the lean limit (deprecated: use /services/lean)"),
        ("offset" = Option<u32>, Query, description = "Skip this many matching services (at most 10,000,000)"),
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
    let limit = params::number::<u64>(&query, "limit", 1, 1000)?;
    let offset = params::number::<u64>(&query, "offset", 0, MAX_OFFSET)?.unwrap_or(0);
    let list_query = ListQuery::from_query(&query);
    params::check_list_query(&list_query)?;
    let limit = match limit {
        Some(limit) => limit,
        // The whole group for a bare request (what the SPA read before the lean view), if it is
        // within the lean limit; otherwise a page.
        None if query.is_empty()
            && repo::groups::size(&state.db, id).await? <= state.lean_limit =>
        {
            state.lean_limit
        }
        None => u64::from(DEFAULT_PAGE_SIZE),
    };
    let listing = repo::list::list(
        &state.db,
        &state.counts,
        user.company_id,
        id,
        &list_query,
        limit,
        offset,
    )
    .await?
    .ok_or_else(|| ApiError::not_found(format!("Company group {id} does not exist.")))?;
    let now = clock::now_unix();
    // A page holds few distinct schedules: each is parsed and evaluated once.
    let mut next_runs: HashMap<String, Option<String>> = HashMap::new();
    let items = listing
        .items
        .into_iter()
        .map(|(service, last_run)| {
            let next_run_at = match (&service.trigger, service.status) {
                (Trigger::Schedule { cron }, Status::Active) => next_runs
                    .entry(cron.clone())
                    .or_insert_with(|| next_run_at(&service, now))
                    .clone(),
                _ => None,
            };
            ServiceSummary {
                next_run_at,
                last_run,
                service,
            }
        })
        .collect();
    Ok(Json(ServiceList {
        group: listing.group,
        total: usize::try_from(listing.total).unwrap_or(usize::MAX),
        facets: listing.facets,
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
