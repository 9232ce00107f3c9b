//! `POST /services/bulk`: one action on up to 500 services, a result per id.

use super::json::JsonBody;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::extract::State;
use axum::Json;
use services_model::bulk::distinct;
use services_model::rules::{BULK_MAX_IDS, MAX_ID};
use services_model::{BulkAction, BulkError, BulkRequest, BulkResponse, BulkResult};

fn failed(id: u64, code: &str, message: String) -> BulkResult {
    BulkResult {
        id,
        ok: false,
        error: Some(BulkError {
            code: code.into(),
            message,
        }),
    }
}

/// Activates, deactivates, turns alerts on or off for, or removes each of 1–500 services. Each
/// service is changed completely or not at all, and one that can't be changed leaves the others
/// changed: the answer has a result per distinct id, in the order sent, with the reason for each
/// failure (`not_found`: not a service of the caller's company, or removed meanwhile;
/// `invalid_alerts`: alerts on, no notification group given and the service has none).
/// Counts as one change against the write limits.
#[utoipa::path(post, path = "/api/v1/services/bulk", tag = "services",
    request_body = BulkRequest,
    responses((status = 200, body = BulkResponse), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 413, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn bulk(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<BulkRequest>,
) -> Result<Json<BulkResponse>, ApiError> {
    user.require_manage("change services")?;
    let ids = distinct(&body.ids);
    if ids.is_empty() || ids.len() > BULK_MAX_IDS {
        return Err(ApiError::unprocessable(
            "invalid_field",
            format!(
                "A bulk request names 1 to {BULK_MAX_IDS} services; this one names {}.",
                ids.len()
            ),
        ));
    }
    if let Some(big) = ids.iter().find(|id| **id > MAX_ID) {
        return Err(ApiError::unprocessable(
            "invalid_field",
            format!("{big} is not a service id (ids go up to {MAX_ID})."),
        ));
    }
    let group = match (body.action, body.notification_group_id) {
        (BulkAction::AlertsOn, Some(group)) => {
            if !repo::notifications::exists(&state.db, user.company_id, group).await? {
                return Err(ApiError::unprocessable(
                    "invalid_alerts",
                    format!("Notification group {group} does not exist."),
                ));
            }
            Some(group)
        }
        (_, Some(_)) => {
            return Err(ApiError::unprocessable(
                "invalid_field",
                "notification_group_id goes only with the alerts_on action.",
            ))
        }
        (_, None) => None,
    };
    let owned = repo::bulk::owned(&state.db, user.company_id, &ids).await?;
    let no_group = |id: &u64| {
        body.action == BulkAction::AlertsOn
            && group.is_none()
            && owned.get(id).is_some_and(Option::is_none)
    };
    let wanted: Vec<u64> = ids
        .iter()
        .copied()
        .filter(|id| owned.contains_key(id) && !no_group(id))
        .collect();
    let done: std::collections::HashSet<u64> = if wanted.is_empty() {
        Default::default()
    } else {
        repo::bulk::apply(
            &state.db,
            user.company_id,
            body.action,
            &wanted,
            group,
            &clock::now(),
        )
        .await?
        .into_iter()
        .collect()
    };
    let results = ids
        .into_iter()
        .map(|id| {
            if done.contains(&id) {
                BulkResult {
                    id,
                    ok: true,
                    error: None,
                }
            } else if no_group(&id) {
                failed(
                    id,
                    "invalid_alerts",
                    "It has no notification group to send alerts to: choose one in its alert settings.".into(),
                )
            } else {
                failed(id, "not_found", format!("Service {id} does not exist."))
            }
        })
        .collect();
    Ok(Json(BulkResponse { results }))
}
