//! Saved views: per user, a name and the list URL's query string.

use super::json::JsonBody;
use super::params::{self, PathText};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorResponse};
use crate::repo::views::Created;
use crate::{clock, repo, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use services_model::rules::VIEWS_MAX;
use services_model::views::{check_view_name, check_view_query};
use services_model::{NewView, SavedView, ViewList};

/// The caller's saved views, by name.
#[utoipa::path(get, path = "/api/v1/views", tag = "views",
    responses((status = 200, body = ViewList), (status = 401, body = ErrorResponse)))]
pub async fn list_views(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<ViewList>, ApiError> {
    let items = repo::views::list(&state.db, user.user_id).await?;
    Ok(Json(ViewList { items }))
}

/// Saves a view for the caller: a name (unique among theirs: 409 otherwise) and the list's
/// query string (`group=1&q=shopify&status=active&sort=-name`). At most 100 views a user.
#[utoipa::path(post, path = "/api/v1/views", tag = "views",
    request_body = NewView,
    responses((status = 201, body = SavedView,
            links(("RemoveView" = (operation_id = "delete_view", parameters(("id" = "$response.body#/id")))))),
        (status = 401, body = ErrorResponse), (status = 409, body = ErrorResponse),
        (status = 413, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn create_view(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewView>,
) -> Result<(StatusCode, Json<SavedView>), ApiError> {
    let name =
        check_view_name(&body.name).map_err(|m| ApiError::unprocessable("invalid_name", m))?;
    let query =
        check_view_query(&body.query).map_err(|m| ApiError::unprocessable("invalid_field", m))?;
    match repo::views::create(
        &state.db,
        user.user_id,
        &name,
        &query,
        &clock::now(),
        VIEWS_MAX,
    )
    .await?
    {
        Created::View(view) => Ok((StatusCode::CREATED, Json(view))),
        Created::Duplicate => Err(ApiError::conflict(format!(
            "You already have a view named “{name}”: choose another name, or remove that one first."
        ))),
        Created::Full => Err(ApiError::conflict(format!(
            "You have {VIEWS_MAX} saved views, the most there can be: remove one first."
        ))),
    }
}

/// Removes one of the caller's views (another user's view is a 404).
#[utoipa::path(delete, path = "/api/v1/views/{id}", tag = "views",
    params(ViewPath),
    responses((status = 204, description = "Removed"), (status = 400, body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn delete_view(
    State(state): State<AppState>,
    user: CurrentUser,
    PathText(id): PathText,
) -> Result<StatusCode, ApiError> {
    let id = params::id(&id, "view")?;
    if repo::views::delete(&state.db, user.user_id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("View {id} does not exist.")))
    }
}

/// The path of a route about one saved view.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct ViewPath {
    /// Saved view id
    #[param(schema_with = services_model::rules::schema::id)]
    id: u64,
}
