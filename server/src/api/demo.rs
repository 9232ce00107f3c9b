//! Standalone sign-in for demos: the demo users and their (random, per database) tokens. Served
//! only in demo mode (`--demo`, as `make run` passes); never behind a real identity provider.

use crate::error::ApiError;
use crate::{repo, AppState};
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use services_model::Me;

#[derive(Serialize)]
pub struct DemoUser {
    #[serde(flatten)]
    pub user: Me,
    pub token: String,
}

#[derive(Serialize)]
pub struct DemoUserList {
    pub items: Vec<DemoUser>,
}

pub async fn demo_users(State(state): State<AppState>) -> Result<Json<DemoUserList>, ApiError> {
    let users = repo::users::demo_users(&state.db).await?;
    Ok(Json(DemoUserList {
        items: users
            .into_iter()
            .map(|(user, token)| DemoUser { user, token })
            .collect(),
    }))
}
