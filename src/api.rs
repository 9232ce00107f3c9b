//! Every request the SPA makes, and every URL it knows. Components call these functions and get
//! typed data or an [`ApiError`] whose message can be shown to the user as it is.

use crate::config;
use futures::future::LocalBoxFuture;
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use services_model::{
    AlertSettings, BulkRequest, BulkResponse, FavouriteList, GroupSummary, LeanView, LogPage, Me,
    NewView, NotificationGroup, Run, RunRequest, SavedView, ServiceDetail, ServiceList,
    ServicePatch, ViewList,
};
use std::fmt;
use std::rc::Rc;

/// Asks whoever provides tokens for a fresh one after the server refused `stale`. `None` when
/// none can be had. The session implements it; standalone sign-in has none.
pub type Renew = Rc<dyn Fn(String) -> LocalBoxFuture<'static, Option<String>>>;

/// What every authenticated request needs: the bearer token, and how to renew it. On a 401 the
/// client asks for a fresh token once and repeats the request, so an expired token costs the
/// user nothing.
#[derive(Clone)]
pub struct Client {
    token: String,
    renew: Option<Renew>,
}

impl Client {
    pub fn new(token: String, renew: Option<Renew>) -> Client {
        Client { token, renew }
    }
}

fn url(path: &str) -> String {
    format!("{}{path}", config::api_base())
}

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
    let list: Items<DemoUser> =
        decode(fetch(Method::Get, "/api/demo/users", None, None, None).await?).await?;
    Ok(list.items)
}

/// What the server tells an app running in an iframe: which parent origins may give it a token.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct EmbedConfig {
    pub parent_origins: Vec<String>,
}

pub async fn embed_config() -> Result<EmbedConfig, ApiError> {
    decode(fetch(Method::Get, &url("/embed-config"), None, None, None).await?).await
}

/// The signed-in user, their role and company: what the UI may offer.
pub async fn me(client: &Client) -> Result<Me, ApiError> {
    client.get("/me").await
}

pub async fn company_groups(client: &Client) -> Result<Vec<GroupSummary>, ApiError> {
    let list: Items<GroupSummary> = client.get("/company-groups").await?;
    Ok(list.items)
}

/// A group's lean view and its ETag: every service of the group in the lean column format (or
/// the marker for a group too large to send whole); the store searches, filters, sorts and pages
/// them itself. `None` when the copy the caller has (its ETag `held`, sent as `If-None-Match`) is
/// still current: the server answers 304 with no body (or the same ETag, not read or decoded).
pub async fn group_lean(
    client: &Client,
    group_id: u64,
    held: Option<&str>,
) -> Result<Option<(LeanView, Option<String>)>, ApiError> {
    let path = format!("/company-groups/{group_id}/services/lean");
    let conditional = held.map(|etag| ("If-None-Match", etag));
    let response = client
        .send::<()>(Method::Get, &path, None, conditional)
        .await?;
    if response.status() == 304 {
        return Ok(None);
    }
    let etag = response.headers().get("etag");
    if etag.is_some() && etag.as_deref() == held {
        return Ok(None);
    }
    Ok(Some((decode(response).await?, etag)))
}

/// One page of a group's services matching `query` (the list endpoint's parameters), with the
/// total and the facet counts: for groups too large to hold in the browser.
pub async fn group_page(
    client: &Client,
    group_id: u64,
    query: &str,
) -> Result<ServiceList, ApiError> {
    client
        .get(&format!("/company-groups/{group_id}/services?{query}"))
        .await
}

/// Every service of a group matching `query` (the list's parameters, without paging) as a CSV
/// file, with the file name the server suggests.
pub async fn export_csv(
    client: &Client,
    group_id: u64,
    query: &str,
) -> Result<(web_sys::Blob, String), ApiError> {
    let sep = if query.is_empty() { "" } else { "?" };
    let path = format!("/company-groups/{group_id}/services/export.csv{sep}{query}");
    let response = client.send::<()>(Method::Get, &path, None, None).await?;
    let name = response
        .headers()
        .get("content-disposition")
        .and_then(|d| {
            d.split("filename=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "services.csv".to_string());
    let promise = web_sys::Response::from(response)
        .blob()
        .map_err(|_| ApiError::Decode("the file could not be read".into()))?;
    let blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| ApiError::Network("the download was interrupted".into()))?;
    Ok((wasm_bindgen::JsCast::unchecked_into(blob), name))
}

pub async fn service(client: &Client, id: u64) -> Result<ServiceDetail, ApiError> {
    client.get(&format!("/services/{id}")).await
}

pub async fn update_service(
    client: &Client,
    id: u64,
    patch: &ServicePatch,
) -> Result<ServiceDetail, ApiError> {
    let response = client
        .send(Method::Patch, &format!("/services/{id}"), Some(patch), None)
        .await?;
    decode(response).await
}

pub async fn clone_service(client: &Client, id: u64) -> Result<ServiceDetail, ApiError> {
    let response = client
        .send::<()>(Method::Post, &format!("/services/{id}/clone"), None, None)
        .await?;
    decode(response).await
}

pub async fn remove_service(client: &Client, id: u64) -> Result<(), ApiError> {
    client
        .send::<()>(Method::Delete, &format!("/services/{id}"), None, None)
        .await
        .map(|_| ())
}

/// Starts a manual run. The same `idempotency_key` never starts a second run, so a repeated
/// submit (or a retry after a lost answer or a renewed token) returns the first.
pub async fn start_run(
    client: &Client,
    id: u64,
    request: &RunRequest,
    idempotency_key: &str,
) -> Result<Run, ApiError> {
    let response = client
        .send(
            Method::Post,
            &format!("/services/{id}/runs"),
            Some(request),
            Some(("Idempotency-Key", idempotency_key)),
        )
        .await?;
    decode(response).await
}

/// The service's runs in the last 24 hours, newest first.
pub async fn recent_runs(client: &Client, id: u64) -> Result<Vec<Run>, ApiError> {
    let list: Items<Run> = client.get(&format!("/services/{id}/runs")).await?;
    Ok(list.items)
}

/// The most log lines one request returns (the server's limit); a full page means more follow.
pub const LOG_PAGE: usize = 500;

pub async fn run_log(client: &Client, run: u64, after: u64) -> Result<LogPage, ApiError> {
    client
        .get(&format!("/runs/{run}/log?after={after}&limit={LOG_PAGE}"))
        .await
}

pub async fn alert_settings(client: &Client, id: u64) -> Result<AlertSettings, ApiError> {
    client.get(&format!("/services/{id}/alerts")).await
}

pub async fn save_alert_settings(
    client: &Client,
    id: u64,
    settings: &AlertSettings,
) -> Result<AlertSettings, ApiError> {
    let response = client
        .send(
            Method::Put,
            &format!("/services/{id}/alerts"),
            Some(settings),
            None,
        )
        .await?;
    decode(response).await
}

pub async fn notification_groups(client: &Client) -> Result<Vec<NotificationGroup>, ApiError> {
    let list: Items<NotificationGroup> = client.get("/notification-groups").await?;
    Ok(list.items)
}

/// Opens the live-update stream (`GET /events`: server-sent events of the company) with the
/// bearer token in a header (never the URL) and `Last-Event-ID` when resuming; returns its body
/// to read as it arrives. A 401 renews the token once, as every call does. `signal` aborts it.
pub async fn open_events(
    client: &Client,
    last_id: Option<&str>,
    signal: &web_sys::AbortSignal,
) -> Result<web_sys::ReadableStream, ApiError> {
    let url = url("/events");
    let open = |token: String| {
        let mut builder = Request::get(&url)
            .header("Accept", "text/event-stream")
            .header("Authorization", &format!("Bearer {token}"))
            .abort_signal(Some(signal));
        if let Some(id) = last_id {
            builder = builder.header("Last-Event-ID", id);
        }
        async move {
            builder
                .build()
                .map_err(|e| ApiError::Network(e.to_string()))?
                .send()
                .await
                .map_err(|e| ApiError::Network(e.to_string()))
        }
    };
    let mut response = open(client.token.clone()).await?;
    if response.status() == 401 {
        if let Some(renew) = &client.renew {
            if let Some(token) = renew(client.token.clone()).await {
                response = open(token).await?;
            }
        }
    }
    let response = checked(response).await?;
    response
        .body()
        .ok_or_else(|| ApiError::Decode("the event stream has no body".into()))
}

/// One bulk action on up to 500 services: a result per id.
pub async fn bulk(client: &Client, request: &BulkRequest) -> Result<BulkResponse, ApiError> {
    let response = client
        .send(Method::Post, "/services/bulk", Some(request), None)
        .await?;
    decode(response).await
}

/// The ids of the services the user starred.
pub async fn favourites(client: &Client) -> Result<Vec<u64>, ApiError> {
    let list: FavouriteList = client.get("/favourites").await?;
    Ok(list.ids)
}

/// Stars (`true`) or unstars a service for the user.
pub async fn set_favourite(client: &Client, id: u64, starred: bool) -> Result<(), ApiError> {
    let method = if starred { Method::Put } else { Method::Delete };
    client
        .send::<()>(method, &format!("/services/{id}/favourite"), None, None)
        .await
        .map(|_| ())
}

pub async fn saved_views(client: &Client) -> Result<Vec<SavedView>, ApiError> {
    let list: ViewList = client.get("/views").await?;
    Ok(list.items)
}

pub async fn save_view(client: &Client, view: &NewView) -> Result<SavedView, ApiError> {
    let response = client
        .send(Method::Post, "/views", Some(view), None)
        .await?;
    decode(response).await
}

pub async fn remove_view(client: &Client, id: u64) -> Result<(), ApiError> {
    client
        .send::<()>(Method::Delete, &format!("/views/{id}"), None, None)
        .await
        .map(|_| ())
}

#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Client {
    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        decode(self.send::<()>(Method::Get, path, None, None).await?).await
    }

    /// Sends a request to `path` under the API base, with one extra `header` if given; a 401
    /// renews the token and sends it once more. An error status becomes an [`ApiError`] (a 304,
    /// which only a request with a conditional header gets, does not).
    async fn send<B: serde::Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        header: Option<(&str, &str)>,
    ) -> Result<Response, ApiError> {
        let url = url(path);
        let body = body
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        let prefetched = match (method, &body, header) {
            (Method::Get, None, None) => crate::prefetch::take(&url, &self.token).await,
            _ => None,
        };
        let first = match prefetched {
            Some(response) => response,
            None => fetch(method, &url, Some(&self.token), body.as_deref(), header).await?,
        };
        if first.status() != 401 {
            return checked(first).await;
        }
        let fresh = match &self.renew {
            Some(renew) => renew(self.token.clone()).await,
            None => None,
        };
        match fresh {
            Some(token) => {
                checked(fetch(method, &url, Some(&token), body.as_deref(), header).await?).await
            }
            None => checked(first).await,
        }
    }
}

async fn fetch(
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<&str>,
    header: Option<(&str, &str)>,
) -> Result<Response, ApiError> {
    let mut builder = match method {
        Method::Get => Request::get(url),
        Method::Post => Request::post(url),
        Method::Patch => Request::patch(url),
        Method::Put => Request::put(url),
        Method::Delete => Request::delete(url),
    }
    .header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some((name, value)) = header {
        builder = builder.header(name, value);
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body.to_string()),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Network(e.to_string()))?;
    request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

async fn checked(response: Response) -> Result<Response, ApiError> {
    if response.ok() || response.status() == 304 {
        Ok(response)
    } else {
        Err(status_error(response).await)
    }
}

/// The body as `T`. It is read as bytes and parsed from them: handing it over as a JS string
/// would re-encode every character into the wasm's memory (a group's lean view is megabytes).
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let response: web_sys::Response = checked(response).await?.into();
    let unreadable = |_| ApiError::Decode("the answer could not be read".into());
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(unreadable)?)
        .await
        .map_err(unreadable)?;
    // Copied once into the wasm's memory, without zeroing it first.
    let body = js_sys::Uint8Array::new(&buffer).to_vec();
    serde_json::from_slice::<T>(&body).map_err(|e| ApiError::Decode(e.to_string()))
}

async fn status_error(response: Response) -> ApiError {
    let status = response.status();
    let message = match response.json::<ErrorBody>().await {
        Ok(body) => body.error.message,
        Err(_) => format!("The server answered {status} {}.", response.status_text()),
    };
    ApiError::Status { status, message }
}
