//! Running a service manually, its recent runs, and a run's log.

use super::json::JsonBody;
use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::repo::runs::Started;
use crate::{clock, repo, AppState};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use services_model::rules::{
    self, IDEMPOTENCY_KEY_MAX, LOG_LIMIT_DEFAULT, LOG_LIMIT_MAX, RECORD_IDS_MAX,
    RECORD_ID_MAX_CHARS, RUN_PAGE_SIZE_MAX,
};
use services_model::{LogPage, Run, RunRequest};
use utoipa::IntoParams;
use utoipa::ToSchema;

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if !rules::idempotency_key_ok(key) {
        return Err(ApiError::bad_request(format!(
            "Idempotency-Key must be 1–{IDEMPOTENCY_KEY_MAX} visible ASCII characters."
        )));
    }
    Ok(Some(key.to_string()))
}

fn validate(request: RunRequest) -> Result<(Vec<String>, Option<u32>), ApiError> {
    let invalid = |m: String| ApiError::unprocessable("invalid_run_request", m);
    if request.record_ids.len() > RECORD_IDS_MAX {
        return Err(invalid(format!(
            "A run can be limited to at most {RECORD_IDS_MAX} record ids, not {}.",
            request.record_ids.len()
        )));
    }
    let mut ids: Vec<String> = Vec::new();
    for raw in &request.record_ids {
        let id = rules::check_text(raw, RECORD_ID_MAX_CHARS).map_err(|_| {
            invalid(format!(
                "Record id \"{}\" must be 1–{RECORD_ID_MAX_CHARS} characters, not only spaces, with no control characters.",
                params::shorten(raw)
            ))
        })?;
        if !ids.iter().any(|seen| seen == id) {
            ids.push(id.to_string());
        }
    }
    if let Some(size) = request.page_size {
        if !(1..=RUN_PAGE_SIZE_MAX).contains(&size) {
            return Err(invalid(format!(
                "Page size must be from 1 to {RUN_PAGE_SIZE_MAX}, not {size}."
            )));
        }
    }
    Ok((ids, request.page_size))
}

/// The headers of `POST /services/{id}/runs`.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct RunHeaders {
    /// Makes retries safe: a repeat with the same key (per user) returns the run it started.
    #[param(rename = "Idempotency-Key", schema_with = rules::schema::idempotency_key)]
    idempotency_key: Option<String>,
}

/// The query of `GET /services/{id}/runs`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RunsSince {
    /// RFC 3339; default 24 hours ago.
    #[param(schema_with = rules::schema::date_time)]
    since: Option<String>,
}

/// The query of `GET /runs/{id}/log`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct LogQuery {
    /// Lines with a greater seq; default 0.
    #[param(schema_with = rules::schema::log_after)]
    after: Option<u64>,
    /// 1–500, default 200.
    #[param(schema_with = rules::schema::log_limit)]
    limit: Option<u32>,
}

/// Starts a manual run of an active service. With an `Idempotency-Key` header (scoped to the
/// user), repeating the request returns the run it started (200) instead of starting another;
/// the same key with a different request is a 422.
#[utoipa::path(post, path = "/api/v1/services/{id}/runs", tag = "runs",
    params(params::ServicePath, RunHeaders),
    request_body(content = Option<RunRequest>, description = "Optional; an empty body runs everything due"),
    responses((status = 201, body = Run, description = "Started",
            headers(("Location" = String, description = "The run: /api/v1/runs/{id}")),
            links(
                ("GetRun" = (operation_id = "get_run", parameters(("id" = "$response.body#/id")))),
                ("RunLog" = (operation_id = "run_log", parameters(("id" = "$response.body#/id")))),
                ("RunService" = (operation_id = "get_service", parameters(("id" = "$response.body#/service_id")))),
            )),
        (status = 200, body = Run, description = "Already started with this Idempotency-Key",
            links(
                ("GetRun" = (operation_id = "get_run", parameters(("id" = "$response.body#/id")))),
                ("RunLog" = (operation_id = "run_log", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, body = ErrorResponse, description = "The service is inactive"),
        (status = 422, body = ErrorResponse, description = "An invalid body, or a reused Idempotency-Key")))]
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
    if repo::services::find(&state.db, user.company_id, id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(format!("Service {id} does not exist.")));
    }
    let hash = key
        .as_ref()
        .map(|_| request_hash(id, &record_ids, page_size));
    let started = repo::runs::start_manual(
        &state.db,
        &repo::runs::NewRun {
            service_id: id,
            requested_by: user.user_id,
            record_ids: &record_ids,
            page_size,
            idempotency: key.as_deref().zip(hash.as_deref()),
            now: &clock::now(),
        },
    )
    .await?;
    match started {
        Started::Started(run) => {
            state.wake_worker.notify_one();
            let location = HeaderValue::from_str(&format!("/api/v1/runs/{}", run.id)).ok();
            let mut response = (StatusCode::CREATED, Json(run)).into_response();
            if let Some(location) = location {
                response.headers_mut().insert(header::LOCATION, location);
            }
            Ok(response)
        }
        Started::Existing(run) => Ok((StatusCode::OK, Json(run)).into_response()),
        Started::KeyReused => Err(ApiError::unprocessable(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request. Use a new key for a new run.",
        )),
        Started::NotStarted => Err(ApiError::conflict(format!(
            "Only active services can run. Activate service {id} first."
        ))),
    }
}

/// What an idempotency key stands for: the service and the validated request.
fn request_hash(service: u64, record_ids: &[String], page_size: Option<u32>) -> Vec<u8> {
    let canonical = serde_json::json!({
        "service": service,
        "record_ids": record_ids,
        "page_size": page_size,
    });
    crate::auth::hash_token(&canonical.to_string())
}

#[derive(Serialize, ToSchema)]
pub struct RunList {
    pub items: Vec<Run>,
}

/// The service's runs since a time (default: the last 24 hours), newest first.
#[utoipa::path(get, path = "/api/v1/services/{id}/runs", tag = "runs",
    params(params::ServicePath, RunsSince),
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
    if repo::services::find(&state.db, user.company_id, id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(format!("Service {id} does not exist.")));
    }
    let items = repo::runs::since(&state.db, id, &since).await?;
    Ok(Json(RunList { items }))
}

/// A run's log lines after a cursor (the `seq` of the last line seen), for paging and polling.
#[utoipa::path(get, path = "/api/v1/runs/{id}/log", tag = "runs",
    params(params::RunPath, LogQuery),
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
    let limit =
        params::number::<u32>(&query, "limit", 1, LOG_LIMIT_MAX)?.unwrap_or(LOG_LIMIT_DEFAULT);
    let run = repo::runs::find(&state.db, user.company_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("Run {id} does not exist.")))?;
    let items = repo::runs::log_after(&state.db, id, after, limit).await?;
    Ok(Json(LogPage {
        run_id: run.id,
        status: run.status,
        live: run.status.is_live(),
        next_after: items.last().map_or(after, |l| l.seq),
        items,
    }))
}

/// A run: its status, counts and times (where `POST /services/{id}/runs` points with
/// `Location`).
#[utoipa::path(get, path = "/api/v1/runs/{id}", tag = "runs",
    params(params::RunPath),
    responses((status = 200, body = Run), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn get_run(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<Json<Run>, ApiError> {
    let id = params::id(&id, "run")?;
    repo::runs::find(&state.db, user.company_id, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("Run {id} does not exist.")))
}
