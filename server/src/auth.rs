//! Bearer tokens. Database tokens, `pw_<user id>_<secret>` (demo users and service accounts):
//! only a SHA-256 of each is stored; a presented token is checked for its shape first, then
//! hashed and compared in constant time. JWTs from the dashboard's identity provider: see
//! [`crate::jwt`]. Tokens are never logged.

use crate::error::ApiError;
use crate::rate_limit::ClientIp;
use crate::{jwt, repo, AppState};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
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

fn refused(reason: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        format!("Sign in again: {reason}."),
    )
}

/// The user id of a well-formed database token, `pw_<id>_<secret>`: the id a whole number from
/// 1 to SQLite's largest integer (no sign, no leading zero), the secret 16–256 characters of
/// `A-Z a-z 0-9 _ -`. Anything else is refused without a database lookup.
pub fn database_token_user(token: &str) -> Option<u64> {
    let (id, secret) = token.strip_prefix("pw_")?.split_once('_')?;
    if id.is_empty()
        || id.len() > 19
        || id.starts_with('0')
        || !id.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let id: u64 = id.parse().ok().filter(|id| *id <= i64::MAX as u64)?;
    let secret_ok = (16..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    secret_ok.then_some(id)
}

/// The token of an `Authorization: Bearer <token>` header, if the request has one.
fn bearer(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

enum Refusal {
    /// The credentials are bad; the reason is for the client.
    Bad(ApiError),
    /// The server could not check them.
    Failed(ApiError),
}

async fn identify(state: &AppState, token: &str) -> Result<CurrentUser, Refusal> {
    if let Some(user_id) = database_token_user(token) {
        let presented = hash_token(token);
        // The read pool: a token check never waits for a write.
        let credentials = repo::users::credentials(&state.db, user_id)
            .await
            .map_err(|e| Refusal::Failed(e.into()))?
            .ok_or(Refusal::Bad(unauthorized()))?;
        // Users without a database token (identity-provider users) match no `pw_` token.
        let stored = credentials.token_hash.unwrap_or_default();
        let matches = stored.len() == presented.len()
            && bool::from(stored.as_slice().ct_eq(presented.as_slice()));
        if !matches {
            return Err(Refusal::Bad(unauthorized()));
        }
        return Ok(CurrentUser {
            user_id: credentials.user_id,
            company_id: credentials.company_id,
            role: credentials.role,
        });
    }
    if !jwt::looks_like_jwt(token) {
        return Err(Refusal::Bad(unauthorized()));
    }
    let Some(verifier) = &state.jwt else {
        return Err(Refusal::Bad(refused(
            "this server does not accept identity-provider tokens (JWTs)",
        )));
    };
    let identity = verifier
        .verify(token)
        .map_err(|reason| Refusal::Bad(refused(&reason)))?;
    let user_id = state
        .jwt_users
        .user_id(&state.db, &identity)
        .await
        .map_err(|e| Refusal::Failed(e.into()))?
        .ok_or_else(|| {
            Refusal::Bad(refused(&format!(
                "the token's company {} does not exist here",
                identity.company_id
            )))
        })?;
    Ok(CurrentUser {
        user_id,
        company_id: identity.company_id,
        role: identity.role,
    })
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware for `/api/v1`: checks the bearer token (a database token or a JWT) and records
/// the caller. A client over its failed sign-in limit is refused first; changes count against
/// the write limits.
pub async fn authenticate(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = bearer(request.headers()).ok_or_else(unauthorized)?;
    state.limits.check_sign_in(client)?;
    let user = match identify(&state, &token).await {
        Ok(user) => user,
        Err(Refusal::Bad(error)) => return Err(state.limits.failed_sign_in(client, error)),
        Err(Refusal::Failed(error)) => return Err(error),
    };
    if is_write(request.method()) {
        state.limits.write(client, user.user_id)?;
    }
    request.extensions_mut().insert(user);
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
        assert_eq!(database_token_user(&a), Some(1));
    }

    #[test]
    fn database_tokens_are_checked_for_shape_before_any_lookup() {
        let secret = "4b33edb61b233f5b93908e2d77d7347f";
        assert_eq!(database_token_user(&format!("pw_42_{secret}")), Some(42));
        assert_eq!(
            database_token_user(&format!("pw_9223372036854775807_{secret}")),
            Some(i64::MAX as u64)
        );
        for bad in [
            format!("pw_9223372036854775808_{secret}"),
            format!("pw_18446744073709551615_{secret}"),
            "pw_18446744073709551615_x".to_string(),
            format!("pw_0_{secret}"),
            format!("pw_01_{secret}"),
            format!("pw_+1_{secret}"),
            format!("pw_-1_{secret}"),
            format!("pw__{secret}"),
            "pw_1_short".to_string(),
            format!("pw_1_{secret}!"),
            format!("pw_1_{}", "a".repeat(257)),
            format!("PW_1_{secret}"),
            format!("pw_1{secret}"),
            "pw_1_é4b33edb61b233f5b93908e2d77d734".to_string(),
        ] {
            assert_eq!(database_token_user(&bad), None, "{bad}");
        }
    }
}
