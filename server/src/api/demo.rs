//! Standalone sign-in for demos: the seeded users and their tokens. Served only when the server
//! runs with `--demo-sign-in` (as `make run` does); never behind a real identity provider.

use crate::error::ApiError;
use crate::{seed, AppState};
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
    let users = state.db.call(|conn| seed::demo_users(conn)).await?;
    Ok(Json(DemoUserList {
        items: users
            .into_iter()
            .map(|(user, token)| DemoUser { user, token })
            .collect(),
    }))
}
