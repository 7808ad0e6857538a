//! The console's stylesheet and script, compiled into the binary: no build step, nothing
//! fetched from elsewhere (the pages' policy admits only these).

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

const CSS: &str = include_str!("assets/console.css");
const JS: &str = include_str!("assets/console.js");

fn asset(kind: &'static str, text: &'static str) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, kind),
            (CACHE_CONTROL, "public, max-age=300"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        text,
    )
}

/// The asset routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/ui/assets/console.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/ui/assets/console.js",
            get(|| async { asset("text/javascript; charset=utf-8", JS) }),
        )
}
