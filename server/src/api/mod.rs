//! The JSON API: `/api/v1`, every route but `/api/v1/embed-config` behind a bearer token, and
//! its OpenAPI document.

pub mod account;
pub mod bulk;
pub mod demo;
pub mod embed;
pub mod events;
pub mod export;
pub mod favourites;
pub mod groups;
pub mod json;
pub mod lean;
pub mod params;
pub mod runs;
pub mod services;
pub mod views;

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
    // The messages of the event stream (`GET /api/v1/events`), which no JSON answer names.
    components(schemas(services_model::LiveEvent, services_model::StreamReset, services_model::EventKind)),
    tags(
        (name = "services", description = "Company groups and their services"),
        (name = "runs", description = "Manual runs and run logs"),
        (name = "alerts", description = "Sync-failure alerts"),
        (name = "favourites", description = "The caller's starred services"),
        (name = "views", description = "The caller's saved views of the list"),
        (name = "account", description = "The signed-in user"),
        (name = "events", description = "Live updates of the company's services and runs")
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
        .routes(routes!(export::export_services))
        .routes(routes!(
            services::get_service,
            services::patch_service,
            services::delete_service
        ))
        .routes(routes!(services::clone_service))
        .routes(routes!(bulk::bulk))
        .routes(routes!(favourites::list_favourites))
        .routes(routes!(favourites::star, favourites::unstar))
        .routes(routes!(views::list_views, views::create_view))
        .routes(routes!(views::delete_view))
        .routes(routes!(runs::start_run, runs::list_runs))
        .routes(routes!(runs::get_run))
        .routes(routes!(runs::run_log))
        .routes(routes!(services::get_alerts, services::put_alerts))
        .routes(routes!(account::notification_groups))
        .routes(routes!(account::list_systems))
        .routes(routes!(events::event_stream))
        .split_for_parts();
    let (public, public_doc) = OpenApiRouter::new()
        .routes(routes!(embed::embed_config))
        .split_for_parts();
    doc.merge(public_doc);
    declare_error_answers(&mut doc);
    (authenticated, public, doc)
}

/// The document as served. utoipa 5.5 writes a link's `operationId` and `operationRef` in
/// snake case, which no OpenAPI tool reads; they are renamed here.
pub fn document_json(doc: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut json = serde_json::to_value(doc).unwrap_or_default();
    fn rename_link_fields(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(links) = object.get_mut("links").and_then(|l| l.as_object_mut()) {
                    for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
                        for (from, to) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                        ] {
                            if let Some(v) = link.remove(from) {
                                link.insert(to.to_string(), v);
                            }
                        }
                    }
                }
                object.values_mut().for_each(rename_link_fields);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(rename_link_fields),
            _ => {}
        }
    }
    rename_link_fields(&mut json);
    json
}

/// Adds to every operation the error answers of the layers in front of its handler, with the
/// error body: 401 and 429 from authentication (a bad token; a client over its failed sign-in
/// limit, or a writer over its write limit), 400 for an id or query parameter out of its rules,
/// 404 for an id that is not the caller's, 403 for changes by a role that may not make them,
/// and 413/415/422 for request bodies. What a handler declares itself is kept.
fn declare_error_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorResponse")))
                    .build(),
            )
            .build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations: [(bool, &mut Option<Operation>); 5] = [
            (false, &mut item.get),
            (true, &mut item.post),
            (true, &mut item.put),
            (true, &mut item.patch),
            (true, &mut item.delete),
        ];
        for (write, operation) in operations {
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            let public = operation
                .security
                .as_ref()
                .is_some_and(|s| s.iter().all(|r| *r == Default::default()));
            let parameters = operation.parameters.as_deref().unwrap_or_default();
            let checked_parameters = parameters.iter().any(|p| {
                matches!(
                    p.parameter_in,
                    ParameterIn::Path | ParameterIn::Query | ParameterIn::Header
                )
            });
            let mut answers: Vec<(&str, &str)> = Vec::new();
            if checked_parameters {
                answers.push((
                    "400",
                    "A parameter breaks its rules (the message says which)",
                ));
            }
            if !public {
                answers.push(("401", "No valid `Authorization: Bearer <token>`"));
                answers.push((
                    "429",
                    "Too many failed sign-ins from this address, or too many changes; see `Retry-After`",
                ));
            }
            if write {
                answers.push(("403", "The caller's role may not change services"));
            }
            if path.contains("{id}") {
                answers.push(("404", "No such resource in the caller's company"));
            }
            if operation.request_body.is_some() {
                answers.push(("400", "The body is not valid JSON"));
                answers.push(("413", "The body is larger than 64 KiB"));
                answers.push(("415", "A body that is not `application/json`"));
                answers.push((
                    "422",
                    "The body breaks its schema (unknown field, wrong type, out of range)",
                ));
            }
            for (status, description) in answers {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| error(description).into());
            }
        }
    }
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
            "/api/test/event-streams/disconnect",
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
    declare_error_answers(&mut doc);
    let doc = Arc::new(document_json(&doc));
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
