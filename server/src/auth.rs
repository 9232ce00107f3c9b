//! Bearer tokens: `pw_<user id>_<secret>`. Only a SHA-256 of each token is stored; a presented
//! token is hashed and compared in constant time. Tokens are never logged.

use crate::error::ApiError;
use crate::{repo, AppState};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use services_model::Role;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The authenticated caller, put into the request by [`authenticate`].
#[derive(Clone, Copy, Debug)]
pub struct CurrentUser {
    pub user_id: u64,
    pub company_id: u64,
    pub role: Role,
}

impl CurrentUser {
    /// Admins and managers may change services; anyone else gets a 403 that says why.
    pub fn require_manage(&self, action: &str) -> Result<(), ApiError> {
        if self.role.can_manage_services() {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "You can't {action}: that needs the services:manage permission, which the {} role does not have. Ask an admin or manager.",
                self.role.as_str().replace('_', "-")
            ),
        ))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .copied()
            .ok_or_else(unauthorized)
    }
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub use crate::tokens::{new_token, random_hex};

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Sign in again: this request needs a valid `Authorization: Bearer <token>` header.",
    )
}

/// Middleware for `/api/v1`: checks the bearer token and records the caller.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(unauthorized)?
        .to_string();
    let user_id = token
        .strip_prefix("pw_")
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(id, _)| id.parse::<u64>().ok())
        .filter(|id| *id <= i64::MAX as u64)
        .ok_or_else(unauthorized)?;
    let presented = hash_token(&token);
    let credentials = repo::users::credentials(&state.db, user_id)
        .await?
        .ok_or_else(unauthorized)?;
    let Some(stored) = credentials.token_hash.as_deref() else {
        return Err(unauthorized());
    };
    if !bool::from(stored.ct_eq(presented.as_slice())) {
        return Err(unauthorized());
    }
    request.extensions_mut().insert(CurrentUser {
        user_id: credentials.user_id,
        company_id: credentials.company_id,
        role: credentials.role,
    });
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_to_32_bytes() {
        let a = new_token(1);
        assert!(a.starts_with("pw_1_") && a.len() == 5 + 32, "{a}");
        assert_ne!(a, new_token(1));
        assert_eq!(hash_token(&a).len(), 32);
    }
}
