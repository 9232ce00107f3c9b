//! Who is asking, what exists: the caller, notification groups and connectable systems.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{repo, systems, AppState};
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use services_model::{Me, NotificationGroup, SystemInfo};
use utoipa::ToSchema;

/// The signed-in user, their role and their company.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = ErrorResponse)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>, ApiError> {
    repo::users::me(&state.db, user.user_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Your user no longer exists."))
}

#[derive(Serialize, ToSchema)]
pub struct NotificationGroupList {
    pub items: Vec<NotificationGroup>,
}

/// The company's notification groups: who gets an alert when a sync fails.
#[utoipa::path(get, path = "/api/v1/notification-groups", tag = "alerts",
    responses((status = 200, body = NotificationGroupList), (status = 401, body = ErrorResponse)))]
pub async fn notification_groups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<NotificationGroupList>, ApiError> {
    let items = repo::notifications::list(&state.db, user.company_id).await?;
    Ok(Json(NotificationGroupList { items }))
}

#[derive(Serialize, ToSchema)]
pub struct SystemList {
    pub items: Vec<SystemInfo>,
}

/// Every system services can connect, and the entities it offers.
#[utoipa::path(get, path = "/api/v1/systems", tag = "services",
    responses((status = 200, body = SystemList), (status = 401, body = ErrorResponse)))]
pub async fn list_systems(_user: CurrentUser) -> Json<SystemList> {
    Json(SystemList {
        items: systems::all(),
    })
}
