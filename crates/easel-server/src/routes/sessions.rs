//! Sessions of users signed in through the host product: a service of the platform starts
//! one for a user (its secret shown once), the user presents it as a bearer token, and
//! signs out; idle sessions and reset ones are refused at the credential layer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::codes::Code;
use easel_core::command::{Command, Outcome};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::bodiless::no_body;
use super::orgs::seen_org;
use super::{run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::engine::Acting;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::{Json, Query};
use easel_core::catalog::Scope;
use utoipa_axum::routes;

/// The session routes: for the host product's service, never for app tokens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(start), Rule::NotForApps)
        .add(routes!(end), Rule::NotForApps)
        .add(
            routes!(reset_sessions),
            Rule::OneOf(&[Scope::SessionsDelete]),
        )
}

/// Whom to sign in, and where.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionIn {
    /// The user the host product signed in.
    pub user_id: String,
    /// The organization the session acts in: the user must be an active member or guest
    /// of it. A service limited to one organization always starts sessions there (naming
    /// another answers 404); an unrestricted service that names none starts a session that
    /// acts in every organization of the user.
    #[serde(default)]
    pub org_id: Option<String>,
}

/// A new session: present `session` as `Authorization: Bearer <session>`. Shown this once.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionOut {
    /// The session's credential.
    pub session: String,
    /// The user.
    pub user_id: String,
    /// The organization it acts in, if bound to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The revision.
    pub revision: String,
}

/// Start a session for a user (service tokens only). The session acts only in its
/// organization: a service limited to one organization signs in only that organization's
/// active members and guests, for that organization alone.
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions", request_body = SessionIn,
    operation_id = "easel-start-session",
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
    let org_id = {
        let reader = app.engine.read();
        let state = reader.state();
        let unknown_user = || ApiError::not_found("user", &body.user_id);
        let user = state.find_user(&body.user_id).ok_or_else(unknown_user)?;
        let org = match (org, body.org_id.as_deref()) {
            (Some(own), None) => Some(*own),
            (Some(own), Some(named)) => match state.find_org(named) {
                Some(o) if o == *own => Some(o),
                _ => return Err(ApiError::not_found("organization", named)),
            },
            (None, Some(named)) => Some(
                state
                    .find_org(named)
                    .ok_or_else(|| ApiError::not_found("organization", named))?,
            ),
            (None, None) => None,
        };
        // Only someone the organization holds and keeps active: the session can reach
        // nothing beyond it, so a service signs in no one of another organization.
        if let Some(o) = org
            && !state.membership(user, o).is_some_and(|m| m.active)
        {
            return Err(unknown_user());
        }
        org.and_then(|o| state.org(o)).map(|o| o.id.to_string())
    };
    let session = crate::ids::new_id("ses")?;
    let (secret, digest) = crate::ids::new_secret()?;
    let command = Command::StartSession {
        session: session.clone(),
        user: body.user_id.clone(),
        digest: Some(digest),
        org: org_id.clone(),
    };
    let (outcome, revision) = app.engine.run(Acting::System, command).await?;
    if let Outcome::Refused { refusal, .. } = outcome {
        return Err(refusal.into());
    }
    let revision = revision.unwrap_or_else(|| app.engine.read().revision());
    let out = SessionOut {
        session: format!("{session}.{secret}"),
        user_id: body.user_id,
        org_id,
        revision: revision.to_string(),
    };
    Ok(written(StatusCode::CREATED, &out, revision))
}

/// A session ended.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Ended {
    /// The session's id.
    pub session: String,
    /// Always `true`.
    pub ended: bool,
}

/// Sign out: the session presented ends.
#[utoipa::path(delete, path = "/v1/sessions/current", tag = "sessions",
    operation_id = "easel-end-session",
    responses((status = 200, description = "ended")))]
pub async fn end(State(app): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    // Only a session ends itself: any other credential is refused (403), as a service
    // token is on a route that acts as a user; the request itself is well formed.
    let (Some(session), _) = caller.presented() else {
        return Err(ApiError::new(
            easel_core::codes::Code::AuthorityMissingPrivilege,
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
        &Ended {
            session,
            ended: true,
        },
        w.revision,
    ))
}

/// Whose sessions to end.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResetQuery {
    /// The user's email.
    pub email: String,
    /// The organization acted in (the only one shared with the user when absent).
    pub org: Option<String>,
}

/// End every session of a user (`users.edit`). As the reference documents, the answer
/// has no body; the revision is in the `Easel-Revision` header.
#[utoipa::path(post, path = "/v2/sessions/reset_all", tag = "sessions", params(ResetQuery),
    operation_id = "enterprise-post-user-sessions-reset",
    responses((status = 200, description = "every session of the user ended; no body")))]
pub async fn reset_sessions(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ResetQuery>,
) -> Result<Response, ApiError> {
    let (org, user) = {
        let reader = app.engine.read();
        let state = reader.state();
        let u = state
            .find_email(&q.email)
            .ok_or_else(|| ApiError::not_found("user", &q.email))?;
        let user = state
            .user(u)
            .ok_or_else(|| ApiError::not_found("user", &q.email))?;
        let shared: Vec<String> = user
            .orgs
            .iter()
            .filter_map(|m| state.org(m.org))
            .filter(|o| q.org.as_deref().is_none_or(|x| x == &*o.id))
            .filter(|o| seen_org(state, &caller, &o.id, None, app.engine.now()).is_ok())
            .map(|o| o.id.to_string())
            .collect();
        match shared.as_slice() {
            [one] => (one.clone(), user.id.to_string()),
            [] => return Err(ApiError::not_found("user", &q.email)),
            _ => {
                return Err(ApiError::invalid(
                    "the user is in several of your organizations: name one with `org`",
                ));
            }
        }
    };
    let w = run(&app, &caller, Command::ResetSessions { org, user }).await?;
    Ok(no_body(StatusCode::OK, w.revision))
}
