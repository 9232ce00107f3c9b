//! Running a service manually, its recent runs, and a run's log.

use super::json::JsonBody;
use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use services_model::{LogPage, Run, RunRequest, RunTrigger, Status};
use utoipa::ToSchema;

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "Idempotency-Key must be 1–255 visible ASCII characters.",
        ));
    }
    Ok(Some(key.to_string()))
}

fn validate(request: RunRequest) -> Result<(Vec<String>, Option<u32>), ApiError> {
    let invalid = |m: String| ApiError::unprocessable("invalid_run_request", m);
    if request.record_ids.len() > 500 {
        return Err(invalid(format!(
            "A run can be limited to at most 500 record ids, not {}.",
            request.record_ids.len()
        )));
    }
    let mut ids: Vec<String> = Vec::new();
    for raw in request.record_ids {
        let id = raw.trim().to_string();
        if id.is_empty() || id.chars().count() > 64 || id.chars().any(char::is_control) {
            return Err(invalid(format!(
                "Record id \"{}\" must be 1–64 characters with no control characters.",
                raw.escape_debug()
            )));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if let Some(size) = request.page_size {
        if !(1..=1000).contains(&size) {
            return Err(invalid(format!(
                "Page size must be from 1 to 1000, not {size}."
            )));
        }
    }
    Ok((ids, request.page_size))
}

/// Starts a manual run of an active service. With an `Idempotency-Key` header, repeating the
/// request returns the run it started (200) instead of starting another.
#[utoipa::path(post, path = "/api/v1/services/{id}/runs", tag = "runs",
    params(("id" = u64, Path, description = "Service id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body(content = RunRequest, description = "Optional; an empty body runs everything due"),
    responses((status = 201, body = Run, description = "Started"), (status = 200, body = Run, description = "Already started with this Idempotency-Key"),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, body = ErrorResponse, description = "The service is inactive"),
        (status = 422, body = ErrorResponse)))]
pub async fn start_run(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    headers: HeaderMap,
    JsonBody(request): JsonBody<RunRequest>,
) -> Result<Response, ApiError> {
    let id = params::id(&id, "service")?;
    user.require_manage("run services")?;
    let key = idempotency_key(&headers)?;
    let (record_ids, page_size) = validate(request)?;
    let now = clock::now();
    enum Outcome {
        Missing,
        Inactive,
        Existing(Run),
        Started(Run),
    }
    let outcome = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let Some(service) = repo::services::find(&tx, user.company_id, id)? else {
                return Ok(Outcome::Missing);
            };
            if let Some(key) = &key {
                if let Some(run) = repo::runs::find_by_key(&tx, id, key)? {
                    return Ok(Outcome::Existing(run));
                }
            }
            if service.service.status != Status::Active {
                return Ok(Outcome::Inactive);
            }
            let run = repo::runs::insert(
                &tx,
                &repo::runs::NewRun {
                    service_id: id,
                    trigger: RunTrigger::Manual,
                    requested_by: Some(user.user_id),
                    record_ids: &record_ids,
                    page_size,
                    idempotency_key: key.as_deref(),
                    now: &now,
                },
            )?;
            tx.commit()?;
            Ok(Outcome::Started(run))
        })
        .await?;
    match outcome {
        Outcome::Missing => Err(ApiError::not_found(format!("Service {id} does not exist."))),
        Outcome::Inactive => Err(ApiError::conflict(format!(
            "Only active services can run. Activate service {id} first."
        ))),
        Outcome::Existing(run) => Ok((StatusCode::OK, Json(run)).into_response()),
        Outcome::Started(run) => {
            state.wake_worker.notify_one();
            let location = HeaderValue::from_str(&format!("/api/v1/runs/{}", run.id)).ok();
            let mut response = (StatusCode::CREATED, Json(run)).into_response();
            if let Some(location) = location {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Ok(response)
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RunList {
    pub items: Vec<Run>,
}

/// The service's runs since a time (default: the last 24 hours), newest first.
#[utoipa::path(get, path = "/api/v1/services/{id}/runs", tag = "runs",
    params(("id" = u64, Path, description = "Service id"),
        ("since" = Option<String>, Query, description = "RFC 3339; default 24 hours ago")),
    responses((status = 200, body = RunList), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_runs(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    RawQuery(query): RawQuery,
) -> Result<Json<RunList>, ApiError> {
    let id = params::id(&id, "service")?;
    let since = match params::query_value(&query.unwrap_or_default(), "since") {
        Some(text) => clock::parse(&text).map(clock::format).ok_or_else(|| {
            ApiError::bad_request(format!(
                "since must be an RFC 3339 time such as 2026-11-27T09:00:00Z, not \"{}\".",
                params::shorten(&text)
            ))
        })?,
        None => clock::format(clock::now_unix() - 24 * 3600),
    };
    let items = state
        .db
        .call(move |conn| {
            if repo::services::find(conn, user.company_id, id)?.is_none() {
                return Ok(None);
            }
            repo::runs::since(conn, id, &since).map(Some)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Service {id} does not exist.")))?;
    Ok(Json(RunList { items }))
}

/// A run's log lines after a cursor (the `seq` of the last line seen), for paging and polling.
#[utoipa::path(get, path = "/api/v1/runs/{id}/log", tag = "runs",
    params(("id" = u64, Path, description = "Run id"),
        ("after" = Option<u64>, Query, description = "Lines with a greater seq; default 0"),
        ("limit" = Option<u32>, Query, description = "1–500, default 200")),
    responses((status = 200, body = LogPage), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn run_log(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    RawQuery(query): RawQuery,
) -> Result<Json<LogPage>, ApiError> {
    let id = params::id(&id, "run")?;
    let query = query.unwrap_or_default();
    let after = params::number::<u64>(&query, "after", 0, params::MAX_ID)?.unwrap_or(0);
    let limit = params::number::<u32>(&query, "limit", 1, 500)?.unwrap_or(200);
    let (run, items) = state
        .db
        .call(move |conn| {
            let Some(run) = repo::runs::find(conn, user.company_id, id)? else {
                return Ok(None);
            };
            let lines = repo::runs::log_after(conn, id, after, limit)?;
            Ok(Some((run, lines)))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Run {id} does not exist.")))?;
    Ok(Json(LogPage {
        run_id: run.id,
        status: run.status,
        live: run.status.is_live(),
        next_after: items.last().map_or(after, |l| l.seq),
        items,
    }))
}
