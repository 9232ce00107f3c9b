//! Favourites: the services the caller starred (per user; any role may star).

use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::{clock, repo, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use services_model::FavouriteList;

/// The ids of the services the caller starred, ascending: fetched once, it marks the rows and
/// answers the Favourites filter (`favourites=true` on the list does the same on the server).
#[utoipa::path(get, path = "/api/v1/favourites", tag = "favourites",
    responses((status = 200, body = FavouriteList), (status = 401, body = ErrorResponse)))]
pub async fn list_favourites(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<FavouriteList>, ApiError> {
    let ids = repo::favourites::list(&state.db, user.user_id, user.company_id).await?;
    Ok(Json(FavouriteList { ids }))
}

async fn check_service(state: &AppState, user: CurrentUser, id: u64) -> Result<(), ApiError> {
    repo::services::find(&state.db, user.company_id, id)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found(format!("Service {id} does not exist.")))
}

/// Stars a service for the caller (again: no change).
#[utoipa::path(put, path = "/api/v1/services/{id}/favourite", tag = "favourites",
    params(params::ServicePath),
    responses((status = 204, description = "Starred"), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn star(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<StatusCode, ApiError> {
    let id = params::id(&id, "service")?;
    check_service(&state, user, id).await?;
    repo::favourites::add(&state.db, user.user_id, id, &clock::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unstars a service for the caller (not starred: no change).
#[utoipa::path(delete, path = "/api/v1/services/{id}/favourite", tag = "favourites",
    params(params::ServicePath),
    responses((status = 204, description = "Not starred"), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn unstar(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<StatusCode, ApiError> {
    let id = params::id(&id, "service")?;
    check_service(&state, user, id).await?;
    repo::favourites::remove(&state.db, user.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
