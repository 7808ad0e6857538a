//! Signing out: the session ends in the engine (so the cookie is worthless even if it was
//! copied) and the browser forgets it.

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use easel_core::command::Command;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout;
use super::viewer::cleared_cookie;
use super::{Failure, Posted};
use crate::AppState;

/// A form with nothing but its anti-forgery field.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// Sign-out and the page after it.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/sign-out", post(sign_out))
        .route("/ui/signed-out", get(signed_out))
}

async fn sign_out(
    axum::extract::State(app): axum::extract::State<AppState>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let (session, _) = viewer.caller.presented();
    let session = session.ok_or_else(|| Failure::signed_out(None))?;
    crate::routes::run(&app, &viewer.caller, Command::EndSession { session }).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (LOCATION, "/ui/signed-out".to_string()),
            (SET_COOKIE, cleared_cookie(&app)),
        ],
    )
        .into_response())
}

async fn signed_out() -> Markup {
    layout::bare(
        "Signed out",
        html! { p { "You are signed out. Open a new sign-in link to come back." } },
    )
}
