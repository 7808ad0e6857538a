//! Easel's HTTP server: the platform REST API and the decision API, both on the one engine.
//! `app` builds the router from the route table and wraps it in the server's layers (what
//! tests call in process); `serve` runs it on a listener until a shutdown signal, letting
//! requests in flight finish.

pub mod auth;
pub mod console;
pub mod cursor;
pub mod decision;
pub mod demo;
pub mod engine;
pub mod error;
pub mod head;
pub mod ids;
pub mod limits;
pub mod lookup;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod ops;
pub mod refusals;
pub mod routes;
pub mod scim;
pub mod scopes;
mod serve;
pub mod signin;
pub mod state;
pub mod table;
pub mod tenancy;
pub mod wire;

use std::sync::Arc;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use auth::Caller;
pub use engine::{Acting, AnyBackend, Clock, Engine};
pub use error::ApiError;
pub use limits::Limits;
pub use serve::serve;
pub use state::{App, AppState};

use crate::middleware::{REQUEST_ID, RandomRequestId};

async fn overloaded(_: tower::BoxError) -> StatusCode {
    StatusCode::TOO_MANY_REQUESTS
}

/// The router with every route and layer.
pub fn app(app: AppState) -> Router {
    let limits = app.limits.clone();
    let table = table::all();
    let guard = scopes::Guard {
        app: app.clone(),
        rules: Arc::new(table.rules()),
    };
    let routes = table
        .router()
        // Runs after routing, so it knows the route; before the route's extractors.
        .route_layer(axum::middleware::from_fn_with_state(guard, scopes::enforce))
        // Outside the scope layer: a write it refuses is audited too.
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            refusals::audit,
        ))
        .merge(console::router())
        .fallback(|| async { StatusCode::NOT_FOUND });
    routes
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            console::headers::pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            middleware::record,
        ))
        .layer(axum::middleware::from_fn(wire::utf8_only))
        // SCIM's errors, whoever wrote them, in SCIM's shape (RFC 7644 §3.12).
        .layer(axum::middleware::from_fn(scim::edge::errors))
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    axum::http::HeaderName::from_static(REQUEST_ID),
                    RandomRequestId::default(),
                ))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                        let id = req
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
                    })
                    // One line per answered request, at the default level: the access log.
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(
                    axum::http::HeaderName::from_static(REQUEST_ID),
                ))
                .layer(axum::middleware::from_fn(middleware::envelope))
                // Inside the envelope, so its refusals carry the request id; before the
                // concurrency limit, so an oversized head never takes a slot.
                .layer(axum::middleware::from_fn_with_state(app.clone(), head::limit))
                .layer(CatchPanicLayer::new())
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(limits.concurrent_requests)
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    limits.request_timeout,
                )),
        )
        .with_state(app)
}
