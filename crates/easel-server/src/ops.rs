//! What operators and load balancers ask: liveness, readiness, metrics, and the OpenAPI
//! document.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use serde_json::json;

use utoipa::openapi::HttpMethod;

use crate::AppState;
use crate::scopes::Rule;
use crate::table::Routes;

/// Outside the document: probes and scrapers, not the API.
const OPERATIONAL: &str = "an operator's endpoint, not part of the API";

/// The operators' routes.
pub fn routes() -> Routes {
    Routes::new()
        .undocumented(
            HttpMethod::Get,
            "/healthz",
            healthz,
            Rule::Open,
            OPERATIONAL,
        )
        .undocumented(HttpMethod::Get, "/readyz", readyz, Rule::Open, OPERATIONAL)
        .undocumented(
            HttpMethod::Get,
            "/metrics",
            metrics,
            Rule::Open,
            OPERATIONAL,
        )
        .undocumented(
            HttpMethod::Get,
            "/openapi.json",
            openapi,
            Rule::Open,
            "the document itself",
        )
}

/// Alive: the process answers.
pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({"status": "ok"}))
}

/// Ready: the state is loaded (it is before the server listens) and the revision it holds.
pub async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    let revision = app.engine.read().revision();
    axum::Json(json!({"status": "ready", "revision": revision.to_string()}))
}

/// Prometheus metrics, in the text exposition format.
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
pub async fn openapi() -> impl IntoResponse {
    axum::Json(crate::openapi::document())
}
