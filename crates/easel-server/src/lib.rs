//! Easel's HTTP server: the platform REST API and the decision API, both on the one engine.
//! `app` builds the router (what tests call in process); `serve` runs it on a listener until
//! a shutdown signal, letting requests in flight finish.

pub mod auth;
pub mod cursor;
pub mod decision;
pub mod demo;
pub mod engine;
pub mod error;
pub mod head;
pub mod ids;
pub mod lookup;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod ops;
pub mod refusals;
pub mod routes;
pub mod scopes;
mod serve;
pub mod tenancy;
pub mod wire;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use auth::Caller;
pub use engine::{Acting, AnyBackend, Clock, Engine};
pub use error::ApiError;
pub use serve::serve;
pub use tenancy::{target_org, visible_org};

use crate::middleware::{REQUEST_ID, RandomRequestId};

/// The limits on what one request may ask (docs/configuration.md).
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest request body, in bytes.
    pub body_bytes: usize,
    /// The most checks in one batch.
    pub batch_checks: usize,
    /// The largest page of any list.
    pub page_size: usize,
    /// The most requests in flight at once; more are refused with 429.
    pub concurrent_requests: usize,
    /// How long a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// How long a check waits for `consistency.atLeast`.
    pub consistency_wait: Duration,
    /// The longest request target (path and query), in bytes; longer is answered 414.
    pub uri_bytes: usize,
    /// The most bytes of header fields one request may carry; more is answered 431.
    pub header_bytes: usize,
    /// How long a client has to send a whole request head, from the connection's opening
    /// or from the first byte of each later request.
    pub header_read_timeout: Duration,
    /// How long a kept-alive connection may wait, with no request in flight, for its next
    /// request.
    pub idle_timeout: Duration,
    /// The most connections open at once; a newcomer beyond it takes the place of the
    /// connection idle the longest.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1024 * 1024,
            batch_checks: 1_000,
            page_size: 100,
            concurrent_requests: 1_024,
            request_timeout: Duration::from_secs(30),
            consistency_wait: Duration::from_secs(2),
            uri_bytes: 8 * 1024,
            header_bytes: 16 * 1024,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            // Below the common limit of 20,000 open files, with room for the store's files
            // and the connections the accept loop holds while it evicts.
            max_connections: 10_000,
        }
    }
}

/// What every route shares.
pub struct App {
    /// The engine.
    pub engine: Arc<Engine>,
    /// The limits.
    pub limits: Limits,
    /// The metrics.
    pub metrics: metrics::Metrics,
}

/// The shared application.
pub type AppState = Arc<App>;

async fn overloaded(_: tower::BoxError) -> StatusCode {
    StatusCode::TOO_MANY_REQUESTS
}

/// The router with every route and layer.
pub fn app(app: AppState) -> Router {
    let limits = app.limits.clone();
    let routes = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
        .route("/v1/check", post(decision::check))
        .route("/v1/check/batch", post(decision::batch))
        .route("/v1/explain", post(decision::explain))
        .route("/v1/lookup/boards", post(lookup::boards))
        .route("/v1/lookup/subjects", post(lookup::subjects))
        .merge(routes::router())
        // Runs after routing, so it knows the route; before the route's extractors.
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            scopes::enforce,
        ))
        // Outside the scope layer: a write it refuses is audited too.
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            refusals::audit,
        ))
        .fallback(|| async { StatusCode::NOT_FOUND });
    routes
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            middleware::record,
        ))
        .layer(axum::middleware::from_fn(wire::utf8_only))
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
