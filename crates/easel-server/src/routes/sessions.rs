//! Sessions of users signed in through the host product: a service of the platform starts
//! one for a user (its secret shown once), the user presents it as a bearer token, and
//! signs out; idle sessions and reset ones are refused at the credential layer.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, post};
use easel_core::codes::Code;
use easel_core::command::{Command, Outcome};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::engine::Acting;
use crate::error::ApiError;
use crate::wire::Json;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/sessions", post(start))
        .route("/v1/sessions/current", delete(end))
}

/// Whom to sign in.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionIn {
    /// The user the host product signed in.
    pub user_id: String,
}

/// A new session: present `session` as `Authorization: Bearer <session>`. Shown this once.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionOut {
    /// The session's credential.
    pub session: String,
    /// The user.
    pub user_id: String,
    /// The revision.
    pub revision: String,
}

/// Start a session for a user (service tokens only; a service limited to one organization
/// signs in only its members).
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions", request_body = SessionIn,
    responses((status = 201, body = SessionOut)))]
pub async fn start(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<SessionIn>,
) -> Result<Response, ApiError> {
    let Caller::Service { org, .. } = &caller else {
        return Err(ApiError::new(
            Code::AuthorityMissingPrivilege,
            "sessions are started by the platform's services",
        ));
    };
    {
        let reader = app.engine.read();
        let state = reader.state();
        let user = state
            .find_user(&body.user_id)
            .ok_or_else(|| ApiError::not_found("user", &body.user_id))?;
        if let Some(o) = org
            && state.membership(user, *o).is_none()
        {
            return Err(ApiError::not_found("user", &body.user_id));
        }
    }
    let session = crate::ids::new_id("ses")?;
    let (secret, digest) = crate::ids::new_secret()?;
    let command = Command::StartSession {
        session: session.clone(),
        user: body.user_id.clone(),
        digest: Some(digest),
    };
    let (outcome, revision) = app.engine.run(Acting::System, command).await?;
    if let Outcome::Refused { refusal, .. } = outcome {
        return Err(refusal.into());
    }
    let revision = revision.unwrap_or_else(|| app.engine.read().revision());
    Ok(written(
        StatusCode::CREATED,
        json!({"session": format!("{session}.{secret}"), "userId": body.user_id}),
        revision,
    ))
}

/// Sign out: the session presented ends.
#[utoipa::path(delete, path = "/v1/sessions/current", tag = "sessions",
    responses((status = 200, description = "ended")))]
pub async fn end(State(app): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let (Some(session), _) = caller.presented() else {
        return Err(ApiError::invalid(
            "present the session to end as the bearer token",
        ));
    };
    let w = run(
        &app,
        &caller,
        Command::EndSession {
            session: session.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"session": session, "ended": true}),
        w.revision,
    ))
}
