//! What operators and load balancers ask: liveness, readiness, metrics, and the OpenAPI
//! document.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::scopes::Rule;
use crate::table::Routes;

/// The operators' routes: open to anyone who can reach the port, like the probes of a load
/// balancer; they say nothing about any organization.
pub fn routes() -> Routes {
    Routes::new()
        .add(routes!(healthz), Rule::Open)
        .add(routes!(readyz), Rule::Open)
        .add(routes!(metrics), Rule::Open)
        .add(routes!(openapi), Rule::Open)
}

/// The process is alive.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The state is loaded and the server answers from it.
#[derive(Serialize, ToSchema)]
pub struct Ready {
    /// Always `ready`.
    #[schema(example = "ready")]
    pub status: &'static str,
    /// The revision of the state the server answers from.
    pub revision: String,
}

/// Alive: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", operation_id = "easel-healthz",
    security(()),
    responses((status = 200, body = Health, description = "the process answers")))]
pub async fn healthz() -> axum::Json<Health> {
    axum::Json(Health { status: "ok" })
}

/// Ready: the state is loaded (it is before the server listens) and the revision it holds.
#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "easel-readyz",
    security(()),
    responses((status = 200, body = Ready, description = "the state is loaded")))]
pub async fn readyz(State(app): State<AppState>) -> axum::Json<Ready> {
    let revision = app.engine.read().revision();
    axum::Json(Ready {
        status: "ready",
        revision: revision.to_string(),
    })
}

/// Prometheus metrics, in the OpenMetrics text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "easel-metrics",
    security(()),
    responses((status = 200, body = String,
        content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8",
        description = "the metrics in the OpenMetrics text format")))]
pub async fn metrics(State(app): State<AppState>) -> impl IntoResponse {
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.render(),
    )
}

/// The OpenAPI 3.1 document of every route.
#[utoipa::path(get, path = "/openapi.json", tag = "operations", operation_id = "easel-openapi",
    security(()),
    responses((status = 200, body = Object, description = "this document")))]
pub async fn openapi() -> impl IntoResponse {
    axum::Json(crate::openapi::document())
}
