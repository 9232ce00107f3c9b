//! Company groups and the services list of one group.

use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Serialize;
use services_model::{
    rules, Cron, GroupSummary, ListQuery, ServiceList, ServiceSummary, Status, Trigger,
    DEFAULT_PAGE_SIZE,
};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

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

/// The query of `GET /company-groups/{id}/services` (parsed from the raw query by the handler,
/// for errors that name the parameter; this type states the rules in the document).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// Search: every word must occur in the id, the type or the name; case-insensitive. At most
    /// 200 characters and 8 words of up to 64 characters.
    #[param(schema_with = rules::schema::search)]
    q: Option<String>,
    /// Repeatable; any of them.
    status: Option<Vec<Status>>,
    /// Source system; repeatable (at most 50 values of up to 100 characters; empty ones are
    /// ignored).
    #[param(schema_with = rules::schema::filter_values)]
    system: Option<Vec<String>>,
    /// Source entity; repeatable (as `system`).
    #[param(schema_with = rules::schema::filter_values)]
    entity: Option<Vec<String>>,
    /// `true`: only the services the caller starred (`facets.favourites` counts them under the
    /// search and the other filters either way).
    favourites: Option<bool>,
    /// `true`: only the services whose latest run failed (`facets.last_run_failed` counts them
    /// under the search and the other filters either way).
    last_run_failed: Option<bool>,
    /// id, name, status, system or last_run (never-run services last either way); a leading -
    /// sorts descending.
    #[param(schema_with = rules::schema::sort)]
    sort: Option<String>,
    /// 1–1000. Default: a page of 50; without any query parameter, the whole group when it is
    /// within the lean limit (deprecated: use /services/lean).
    #[param(schema_with = rules::schema::list_limit)]
    limit: Option<u64>,
    /// Skip this many matching services (at most 10,000,000).
    #[param(schema_with = rules::schema::list_offset)]
    offset: Option<u64>,
}

/// A group's services, each with its last run and next scheduled run: one window of those
/// matching the search and filters, in the requested order, with the total and the facet
/// counts. The search, filters and sort mean exactly what the list page's do (the
/// `services-model` crate's `ListQuery`), computed by the database.
#[utoipa::path(get, path = "/api/v1/company-groups/{id}/services", tag = "services",
    params(params::GroupPath, ListParams),
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
    let limit = params::number::<u64>(&query, "limit", 1, rules::LIST_LIMIT_MAX)?;
    let offset = params::number::<u64>(&query, "offset", 0, rules::LIST_OFFSET_MAX)?.unwrap_or(0);
    params::check_list_words(&query)?;
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
        user.user_id,
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
