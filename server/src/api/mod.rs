//! The JSON API: `/api/v1`, every route but `/api/v1/embed-config` behind a bearer token, and
//! its OpenAPI document.

pub mod account;
pub mod demo;
pub mod embed;
pub mod groups;
pub mod json;
pub mod lean;
pub mod params;
pub mod runs;
pub mod services;

use crate::error::ApiError;
use crate::{auth, AppState};
use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::{Method, StatusCode};
use axum::routing::{any, get};
use axum::{middleware, Json, Router};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Patchworks services API",
        description = "Services, runs, logs and alerts of a Patchworks company. Every route but \
            `/api/v1/embed-config` needs `Authorization: Bearer <token>`; a user sees only their \
            own company, and only admins and managers may change things. Errors are \
            `{\"error\":{\"code\",\"message\"}}`.",
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "services", description = "Company groups and their services"),
        (name = "runs", description = "Manual runs and run logs"),
        (name = "alerts", description = "Sync-failure alerts"),
        (name = "account", description = "The signed-in user")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The v1 routes that need a token, those that do not, and the document that describes
/// exactly them.
pub fn v1() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    let (authenticated, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(account::me))
        .routes(routes!(groups::list_groups))
        .routes(routes!(groups::list_services))
        .routes(routes!(lean::lean_services))
        .routes(routes!(
            services::get_service,
            services::patch_service,
            services::delete_service
        ))
        .routes(routes!(services::clone_service))
        .routes(routes!(runs::start_run, runs::list_runs))
        .routes(routes!(runs::run_log))
        .routes(routes!(services::get_alerts, services::put_alerts))
        .routes(routes!(account::notification_groups))
        .routes(routes!(account::list_systems))
        .split_for_parts();
    let (public, public_doc) = OpenApiRouter::new()
        .routes(routes!(embed::embed_config))
        .split_for_parts();
    doc.merge(public_doc);
    (authenticated, public, doc)
}

/// Every API route as a template (`/api/v1/services/{id}`), for labelling metrics.
pub fn route_templates() -> Vec<String> {
    let (_, _, doc) = v1();
    let mut templates: Vec<String> = doc.paths.paths.keys().cloned().collect();
    templates.extend(
        [
            "/api/v1/openapi.json",
            "/api/csp-reports",
            "/api/demo/users",
            "/api/test/faults",
            "/api/test/csp-reports",
        ]
        .map(String::from),
    );
    templates
}

/// Everything under `/api`.
pub fn routes(state: &AppState) -> Router<AppState> {
    let (v1, public, mut doc) = v1();
    doc.paths.paths.insert(
        "/api/v1/openapi.json".into(),
        utoipa::openapi::path::PathItem::new(
            utoipa::openapi::HttpMethod::Get,
            utoipa::openapi::path::OperationBuilder::new()
                .summary(Some("This OpenAPI 3.1 document"))
                .tag("account")
                .response("200", utoipa::openapi::Response::new("The document")),
        ),
    );
    let doc = Arc::new(doc);
    let mut api = v1
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .merge(public);
    #[cfg(feature = "fault-injection")]
    if state.faults.is_some() {
        api = api.merge(crate::faults::routes());
    }
    if state.demo_sign_in {
        api = api.route("/api/demo/users", get(demo::demo_users));
    }
    #[cfg(feature = "fault-injection")]
    let api = api.route_layer(middleware::from_fn_with_state(
        state.clone(),
        crate::faults::inject,
    ));
    api.route("/api", any(unknown_route))
        .route("/api/{*rest}", any(unknown_route))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(json::BODY_LIMIT))
}

async fn unknown_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!("There is no API route {method} {}.", uri.path()))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} does not accept {method}.", uri.path()),
    )
}
