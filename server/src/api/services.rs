//! One service: read, change, clone, remove, and its alert settings.

use super::groups::next_run_at;
use super::json::{self, JsonBody};
use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::repo::services::ServiceRecord;
use crate::{clock, repo, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use services_model::{
    rules, validate_cron, validate_name, AlertSettings, Service, ServiceDetail, ServicePatch,
    Status, Trigger,
};
use std::collections::HashSet;

fn not_found(id: u64) -> ApiError {
    ApiError::not_found(format!("Service {id} does not exist."))
}

async fn load(state: &AppState, user: CurrentUser, id: u64) -> Result<ServiceRecord, ApiError> {
    repo::services::find(&state.db, user.company_id, id)
        .await?
        .ok_or_else(|| not_found(id))
}

async fn detail(state: &AppState, record: ServiceRecord) -> Result<ServiceDetail, ApiError> {
    let last_run = repo::runs::last_of(&state.db, record.service.id).await?;
    let now = clock::now_unix();
    let failed = repo::health::failed_since(
        &state.db,
        &[record.service.id],
        &repo::health::window_start(now),
    )
    .await?;
    let mut record = record;
    record.service.health = repo::health::from_last_run(
        last_run.as_ref(),
        failed.get(&record.service.id).copied().unwrap_or(0),
    );
    Ok(ServiceDetail {
        next_run_at: next_run_at(&record.service, now),
        alerts: AlertSettings {
            enabled: record.service.alerts_enabled,
            notification_group_id: record.alert_group_id,
        },
        notes: record.notes,
        last_run,
        service: record.service,
    })
}

/// A service with its notes, alert settings, last run and next scheduled run.
#[utoipa::path(get, path = "/api/v1/services/{id}", tag = "services",
    params(params::ServicePath),
    responses((status = 200, body = ServiceDetail), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn get_service(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<Json<ServiceDetail>, ApiError> {
    let id = params::id(&id, "service")?;
    let record = load(&state, user, id).await?;
    Ok(Json(detail(&state, record).await?))
}

const FIXED_FIELDS: [(&str, &str); 4] = [
    ("id", "id"),
    ("group_id", "company group"),
    ("source", "source"),
    ("destination", "destination"),
];

/// Renames a service, activates or deactivates it, changes its notes, its type (standard or
/// sweeper) or its trigger (a schedule or a webhook). A schedule is a 5-field UTC cron
/// expression that runs at least once; an invalid one is refused with 422 `invalid_schedule`
/// and the reason. The scheduler and the list see the change at once.
#[utoipa::path(patch, path = "/api/v1/services/{id}", tag = "services",
    params(params::ServicePath),
    request_body(content = Option<ServicePatch>, description = "Optional; an empty body changes nothing"),
    responses((status = 200, body = ServiceDetail), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 413, body = ErrorResponse),
        (status = 422, body = ErrorResponse)))]
pub async fn patch_service(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<ServiceDetail>, ApiError> {
    let id = params::id(&id, "service")?;
    user.require_manage("change services")?;
    if let Some(object) = body.as_object() {
        if let Some((_, what)) = FIXED_FIELDS
            .iter()
            .find(|(key, _)| object.contains_key(*key))
        {
            return Err(ApiError::unprocessable(
                "immutable_field",
                format!("A service's {what} can't be changed."),
            ));
        }
    }
    let patch: ServicePatch = json::parse(body.to_string().as_bytes())?;
    let name = patch
        .name
        .as_deref()
        .map(validate_name)
        .transpose()
        .map_err(|m| ApiError::unprocessable("invalid_name", m))?;
    if let Some(notes) = &patch.notes {
        rules::check_notes(notes).map_err(|m| ApiError::unprocessable("invalid_notes", m))?;
    }
    let trigger = patch.trigger.map(checked_trigger).transpose()?;
    load(&state, user, id).await?;
    repo::services::update(
        &state.db,
        id,
        &repo::services::Changes {
            name: name.as_deref(),
            status: patch.status,
            notes: patch.notes.as_deref(),
            service_type: patch.service_type,
            trigger: trigger.as_ref(),
        },
        &clock::now(),
    )
    .await?;
    let record = load(&state, user, id).await?;
    Ok(Json(detail(&state, record).await?))
}

/// A trigger as it is stored: a schedule checked by the rule the editor applies, normalised.
fn checked_trigger(trigger: Trigger) -> Result<Trigger, ApiError> {
    match trigger {
        Trigger::Webhook => Ok(Trigger::Webhook),
        Trigger::Schedule { cron } => validate_cron(&cron)
            .map(|cron| Trigger::Schedule { cron })
            .map_err(|e| {
                ApiError::unprocessable("invalid_schedule", format!("Not a schedule: {e}."))
            }),
    }
}

/// "Copy of …", made unique in the group and kept within 120 characters.
pub fn copy_name(original: &str, taken: &HashSet<String>) -> String {
    let fit = |suffix: &str| {
        let room = 120 - "Copy of ".len() - suffix.chars().count();
        let base: String = original.chars().take(room).collect();
        format!("Copy of {}{suffix}", base.trim_end())
    };
    let first = fit("");
    if !taken.contains(&first) {
        return first;
    }
    (2..)
        .map(|n| fit(&format!(" ({n})")))
        .find(|name| !taken.contains(name))
        .unwrap_or(first)
}

/// Copies a service: a new id, "Copy of …", inactive, in the same group with the same flow,
/// trigger and alert settings.
#[utoipa::path(post, path = "/api/v1/services/{id}/clone", tag = "services",
    params(params::ServicePath),
    responses((status = 201, body = ServiceDetail, description = "The copy",
            links(
                ("GetCopy" = (operation_id = "get_service", parameters(("id" = "$response.body#/id")),
                    description = "The copy")),
                ("ChangeCopy" = (operation_id = "patch_service", parameters(("id" = "$response.body#/id")))),
                ("RemoveCopy" = (operation_id = "delete_service", parameters(("id" = "$response.body#/id")))),
                ("CloneCopy" = (operation_id = "clone_service", parameters(("id" = "$response.body#/id")))),
                ("RunCopy" = (operation_id = "start_run", parameters(("id" = "$response.body#/id")))),
                ("CopyRuns" = (operation_id = "list_runs", parameters(("id" = "$response.body#/id")))),
                ("CopyAlerts" = (operation_id = "get_alerts", parameters(("id" = "$response.body#/id")))),
                ("SetCopyAlerts" = (operation_id = "put_alerts", parameters(("id" = "$response.body#/id")))),
            )),
        (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse)))]
pub async fn clone_service(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<(StatusCode, Json<ServiceDetail>), ApiError> {
    let id = params::id(&id, "service")?;
    user.require_manage("clone services")?;
    let now = clock::now();
    let original = load(&state, user, id).await?;
    // The group's row is held until commit, so concurrent clones see each other's names.
    let mut tx = state.db.begin().await?;
    repo::groups::lock(&mut tx, original.service.group_id).await?;
    let Some(original) = repo::services::find_in(&mut tx, user.company_id, id).await? else {
        return Err(not_found(id));
    };
    let taken: HashSet<String> = repo::services::names_in_group(&mut tx, original.service.group_id)
        .await?
        .into_iter()
        .collect();
    let copy = ServiceRecord {
        service: Service {
            id: 0,
            name: copy_name(&original.service.name, &taken),
            status: Status::Inactive,
            created_at: now.clone(),
            updated_at: now,
            ..original.service.clone()
        },
        notes: String::new(),
        alert_group_id: original.alert_group_id,
    };
    let new_id = repo::services::insert(&mut tx, &copy).await?;
    tx.commit().await?;
    let record = load(&state, user, new_id).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, record).await?)))
}

/// Removes a service with its runs and their logs.
#[utoipa::path(delete, path = "/api/v1/services/{id}", tag = "services",
    params(params::ServicePath),
    responses((status = 204, description = "Removed"), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse)))]
pub async fn delete_service(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<StatusCode, ApiError> {
    let id = params::id(&id, "service")?;
    user.require_manage("remove services")?;
    load(&state, user, id).await?;
    repo::services::delete(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether failed syncs of the service send alerts, and to which notification group.
#[utoipa::path(get, path = "/api/v1/services/{id}/alerts", tag = "alerts",
    params(params::ServicePath),
    responses((status = 200, body = AlertSettings), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn get_alerts(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<Json<AlertSettings>, ApiError> {
    let id = params::id(&id, "service")?;
    let record = load(&state, user, id).await?;
    Ok(Json(AlertSettings {
        enabled: record.service.alerts_enabled,
        notification_group_id: record.alert_group_id,
    }))
}

/// Turns alerts on (naming the notification group to email) or off.
#[utoipa::path(put, path = "/api/v1/services/{id}/alerts", tag = "alerts",
    params(params::ServicePath),
    request_body = AlertSettings,
    responses((status = 200, body = AlertSettings), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn put_alerts(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
    JsonBody(settings): JsonBody<AlertSettings>,
) -> Result<Json<AlertSettings>, ApiError> {
    let id = params::id(&id, "service")?;
    user.require_manage("change alert settings")?;
    load(&state, user, id).await?;
    if settings.enabled && settings.notification_group_id.is_none() {
        return Err(ApiError::unprocessable(
            "invalid_alerts",
            "Choose a notification group to send alerts to.",
        ));
    }
    if let Some(group) = settings.notification_group_id {
        let exists = repo::notifications::exists(&state.db, user.company_id, group).await?;
        if !exists {
            return Err(ApiError::unprocessable(
                "invalid_alerts",
                format!("Notification group {group} does not exist."),
            ));
        }
    }
    repo::services::set_alerts(
        &state.db,
        id,
        settings.enabled,
        settings.notification_group_id,
        &clock::now(),
    )
    .await?;
    Ok(Json(settings))
}

#[cfg(test)]
mod tests {
    use super::copy_name;
    use std::collections::HashSet;

    #[test]
    fn copies_get_unique_names_within_the_limit() {
        let mut taken = HashSet::new();
        let first = copy_name("Orders", &taken);
        assert_eq!(first, "Copy of Orders");
        taken.insert(first);
        assert_eq!(copy_name("Orders", &taken), "Copy of Orders (2)");
        taken.insert("Copy of Orders (2)".into());
        assert_eq!(copy_name("Orders", &taken), "Copy of Orders (3)");
        let long = "x".repeat(120);
        let copy = copy_name(&long, &taken);
        assert_eq!(copy.chars().count(), 120);
        taken.insert(copy.clone());
        let second = copy_name(&long, &taken);
        assert!(second.ends_with(" (2)") && second.chars().count() == 120);
    }
}
