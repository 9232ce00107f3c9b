//! Every request the SPA makes, and every URL it knows. Components call these functions and get
//! typed data or an [`ApiError`] whose message can be shown to the user as it is.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use services_model::{
    AlertSettings, CompanyGroup, GroupSummary, LogLine, Me, NotificationGroup, Run, RunStatus,
    ServiceDetail, ServiceSummary, Status,
};
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

/// The signed-in user, their role and company: what the UI may offer.
pub async fn me(token: &str) -> Result<Me, ApiError> {
    get_json(&format!("{API_BASE}/me"), Some(token)).await
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

/// What a PATCH may change.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ServicePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

pub async fn update_service(
    token: &str,
    id: u64,
    patch: &ServicePatch,
) -> Result<ServiceDetail, ApiError> {
    send(
        Method::Patch,
        &format!("{API_BASE}/services/{id}"),
        token,
        Some(patch),
        None,
    )
    .await
}

pub async fn clone_service(token: &str, id: u64) -> Result<ServiceDetail, ApiError> {
    send::<(), _>(
        Method::Post,
        &format!("{API_BASE}/services/{id}/clone"),
        token,
        None,
        None,
    )
    .await
}

pub async fn remove_service(token: &str, id: u64) -> Result<(), ApiError> {
    send_for_status::<()>(
        Method::Delete,
        &format!("{API_BASE}/services/{id}"),
        token,
        None,
    )
    .await
}

/// Optional overrides for a manual run.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RunRequest {
    pub record_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
}

/// Starts a manual run. The same `idempotency_key` never starts a second run, so a repeated
/// submit (or a retry after a lost answer) returns the first.
pub async fn start_run(
    token: &str,
    id: u64,
    request: &RunRequest,
    idempotency_key: &str,
) -> Result<Run, ApiError> {
    send(
        Method::Post,
        &format!("{API_BASE}/services/{id}/runs"),
        token,
        Some(request),
        Some(idempotency_key),
    )
    .await
}

/// The service's runs in the last 24 hours, newest first.
pub async fn recent_runs(token: &str, id: u64) -> Result<Vec<Run>, ApiError> {
    let list: Items<Run> = get_json(&format!("{API_BASE}/services/{id}/runs"), Some(token)).await?;
    Ok(list.items)
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LogPage {
    pub run_id: u64,
    pub status: RunStatus,
    pub live: bool,
    pub items: Vec<LogLine>,
    pub next_after: u64,
}

pub async fn run_log(token: &str, run: u64, after: u64) -> Result<LogPage, ApiError> {
    get_json(
        &format!("{API_BASE}/runs/{run}/log?after={after}&limit=500"),
        Some(token),
    )
    .await
}

pub async fn alert_settings(token: &str, id: u64) -> Result<AlertSettings, ApiError> {
    get_json(&format!("{API_BASE}/services/{id}/alerts"), Some(token)).await
}

pub async fn save_alert_settings(
    token: &str,
    id: u64,
    settings: &AlertSettings,
) -> Result<AlertSettings, ApiError> {
    send(
        Method::Put,
        &format!("{API_BASE}/services/{id}/alerts"),
        token,
        Some(settings),
        None,
    )
    .await
}

pub async fn notification_groups(token: &str) -> Result<Vec<NotificationGroup>, ApiError> {
    let list: Items<NotificationGroup> =
        get_json(&format!("{API_BASE}/notification-groups"), Some(token)).await?;
    Ok(list.items)
}

#[derive(Clone, Copy)]
enum Method {
    Post,
    Patch,
    Put,
    Delete,
}

fn request(
    method: Method,
    url: &str,
    token: &str,
    idempotency_key: Option<&str>,
) -> gloo_net::http::RequestBuilder {
    let builder = match method {
        Method::Post => Request::post(url),
        Method::Patch => Request::patch(url),
        Method::Put => Request::put(url),
        Method::Delete => Request::delete(url),
    };
    let builder = builder
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"));
    match idempotency_key {
        Some(key) => builder.header("Idempotency-Key", key),
        None => builder,
    }
}

/// Sends a request and turns an error status into an [`ApiError`].
async fn send_checked<B: serde::Serialize>(
    method: Method,
    url: &str,
    token: &str,
    body: Option<&B>,
    idempotency_key: Option<&str>,
) -> Result<Response, ApiError> {
    let builder = request(method, url, token, idempotency_key);
    let sent = match body {
        Some(body) => {
            builder
                .json(body)
                .map_err(|e| ApiError::Decode(e.to_string()))?
                .send()
                .await
        }
        None => builder.send().await,
    };
    let response = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(status_error(response).await);
    }
    Ok(response)
}

async fn send<B: serde::Serialize, T: DeserializeOwned>(
    method: Method,
    url: &str,
    token: &str,
    body: Option<&B>,
    idempotency_key: Option<&str>,
) -> Result<T, ApiError> {
    let response = send_checked(method, url, token, body, idempotency_key).await?;
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// For answers without a body (204).
async fn send_for_status<B: serde::Serialize>(
    method: Method,
    url: &str,
    token: &str,
    body: Option<&B>,
) -> Result<(), ApiError> {
    send_checked(method, url, token, body, None)
        .await
        .map(|_| ())
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
