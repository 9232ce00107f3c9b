//! Every request the SPA makes, and every URL it knows. Components call these functions and get
//! typed data or an [`ApiError`] whose message can be shown to the user as it is.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use services_model::{CompanyGroup, GroupSummary, Me, ServiceDetail, ServiceSummary};
use std::fmt;

/// Same origin as the page.
const API_BASE: &str = "/api/v1";

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, blocked).
    Network(String),
    /// The server answered with an error status; `message` is its explanation.
    Status { status: u16, message: String },
    /// The server answered 2xx with a body we could not read.
    Decode(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(_) => {
                f.write_str("The server could not be reached. Check your connection.")
            }
            ApiError::Status { message, .. } => f.write_str(message),
            ApiError::Decode(detail) => write!(
                f,
                "The server sent a response we could not read ({detail})."
            ),
        }
    }
}

impl ApiError {
    /// The token was refused: the user must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Status { status: 401, .. })
    }
}

#[derive(Deserialize)]
struct Items<T> {
    items: Vec<T>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ServicePage {
    pub group: CompanyGroup,
    pub total: usize,
    pub items: Vec<ServiceSummary>,
}

/// A seeded user the standalone sign-in offers, with the token to act as them.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DemoUser {
    #[serde(flatten)]
    pub user: Me,
    pub token: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    message: String,
}

/// The demo users a standalone server offers (`--demo-sign-in`).
pub async fn demo_users() -> Result<Vec<DemoUser>, ApiError> {
    let list: Items<DemoUser> = get_json("/api/demo/users", None).await?;
    Ok(list.items)
}

pub async fn company_groups(token: &str) -> Result<Vec<GroupSummary>, ApiError> {
    let list: Items<GroupSummary> =
        get_json(&format!("{API_BASE}/company-groups"), Some(token)).await?;
    Ok(list.items)
}

/// Every service of one group: the page filters, sorts and pages them itself.
pub async fn group_services(token: &str, group_id: u64) -> Result<ServicePage, ApiError> {
    get_json(
        &format!("{API_BASE}/company-groups/{group_id}/services"),
        Some(token),
    )
    .await
}

pub async fn service(token: &str, id: u64) -> Result<ServiceDetail, ApiError> {
    get_json(&format!("{API_BASE}/services/{id}"), Some(token)).await
}

async fn get_json<T: DeserializeOwned>(url: &str, token: Option<&str>) -> Result<T, ApiError> {
    let mut request = Request::get(url).header("Accept", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(status_error(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

async fn status_error(response: Response) -> ApiError {
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => format!("The server answered {status} {}.", response.status_text()),
    };
    ApiError::Status { status, message }
}
