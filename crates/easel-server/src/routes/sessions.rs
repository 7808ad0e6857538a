//! Sessions of users signed in through the host product: a service of the platform starts
//! one for a user (its secret shown once), or asks for a one-time link that signs the user
//! in to the web console; the user presents the session as a bearer token, and signs out;
//! idle sessions and reset ones are refused at the credential layer.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use easel_core::codes::Code;
use easel_core::command::{Command, Outcome};
use easel_core::event::Event;
use easel_core::ids::OrgIx;
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
        .add(routes!(create_link), Rule::NotForApps)
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

/// The organization of the service calling, or a refusal for any other caller: sessions
/// and sign-in links are for the platform's services alone (`what` says which).
fn service_org(caller: &Caller, what: &str) -> Result<Option<OrgIx>, ApiError> {
    match caller {
        Caller::Service { org, .. } => Ok(*org),
        _ => Err(ApiError::new(
            Code::AuthorityMissingPrivilege,
            format!("{what} by the platform's services"),
        )),
    }
}

/// The organization a session started for `user` acts in, by a service limited to
/// `service` (or to none), when the request names `named`: a limited service's own
/// organization always (naming another answers 404), the one named otherwise, or none.
/// The user must be an active member or guest there; anyone else is answered as no one.
fn session_org(
    app: &AppState,
    service: Option<OrgIx>,
    user: &str,
    named: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    // The organization first: whether the user exists anywhere is not the caller's to
    // learn from the answer for an organization it may not name.
    let org = match (service, named) {
        (Some(own), None) => Some(own),
        (Some(own), Some(named)) => match state.find_org(named) {
            Some(o) if o == own => Some(o),
            _ => return Err(ApiError::not_found("organization", named)),
        },
        (None, Some(named)) => Some(
            state
                .find_org(named)
                .ok_or_else(|| ApiError::not_found("organization", named))?,
        ),
        (None, None) => None,
    };
    let unknown_user = || ApiError::not_found("user", user);
    let u = state.find_user(user).ok_or_else(unknown_user)?;
    // Only someone the organization holds and keeps active: the session can reach
    // nothing beyond it, so a service signs in no one of another organization.
    if let Some(o) = org
        && !state.membership(u, o).is_some_and(|m| m.active)
    {
        return Err(unknown_user());
    }
    Ok(org.and_then(|o| state.org(o)).map(|o| o.id.to_string()))
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
    let service = service_org(&caller, "sessions are started")?;
    let org_id = session_org(&app, service, &body.user_id, body.org_id.as_deref())?;
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

/// Whom a sign-in link is for, where, and which console page it opens.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInLinkIn {
    /// The user the link signs in.
    pub user_id: String,
    /// The organization the session acts in, as for `POST /v1/sessions`: the user must be
    /// an active member or guest of it; a service limited to one organization always
    /// signs in there.
    #[serde(default)]
    pub org_id: Option<String>,
    /// The console page to open once signed in: a path under `/ui/` (the console's home
    /// when absent).
    #[serde(default)]
    #[schema(max_length = 2048, pattern = "^/ui/")]
    pub redirect: Option<String>,
}

/// A sign-in link: open `link` in a browser, once, before `expiresAt`. Shown this once.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInLinkOut {
    /// The URL that signs the user in to the web console.
    pub link: String,
    /// The link's id (the part of its credential before the dot).
    pub link_id: String,
    /// The user.
    pub user_id: String,
    /// The organization the session will act in, if bound to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// When the link stops working (RFC 3339): 15 minutes after it was made.
    pub expires_at: String,
    /// The revision.
    pub revision: String,
}

/// The start of the console's URLs in a sign-in link: the public address the operator
/// configured, else the server as the request reached it (`http://` and its `Host`, for
/// a server on loopback); a missing or malformed `Host` gives the loopback address.
pub fn link_base(app: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &app.console.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    format!("http://{}", host.unwrap_or("127.0.0.1"))
}

/// Make a one-time sign-in link for the web console (service tokens only, with the
/// organization rules of `POST /v1/sessions`). Opened once within 15 minutes, it starts a
/// session for the user, bound as the link is; Easel keeps only the digest of its secret.
#[utoipa::path(post, path = "/v1/sessions/links", tag = "sessions", request_body = SignInLinkIn,
    operation_id = "easel-create-sign-in-link",
    responses((status = 201, body = SignInLinkOut)))]
pub async fn create_link(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(body): Json<SignInLinkIn>,
) -> Result<Response, ApiError> {
    let service = service_org(&caller, "sign-in links are made")?;
    if let Some(bad) = body
        .redirect
        .as_deref()
        .filter(|r| !crate::signin::console_path(r))
    {
        return Err(ApiError::invalid(format!(
            "`redirect` must be a path of the console, under `/ui/`, not `{}`",
            bad.chars().take(80).collect::<String>().escape_debug()
        )));
    }
    let org_id = session_org(&app, service, &body.user_id, body.org_id.as_deref())?;
    let link_id = crate::ids::new_id("lnk")?;
    let (secret, digest) = crate::ids::new_secret()?;
    let command = Command::IssueSignInLink {
        link: link_id.clone(),
        user: body.user_id.clone(),
        org: org_id.clone(),
        digest,
    };
    let (outcome, revision) = app.engine.run(Acting::System, command).await?;
    let events = match outcome {
        Outcome::Refused { refusal, .. } => return Err(refusal.into()),
        Outcome::Accepted { events, .. } => events,
    };
    let expires_at = events
        .iter()
        .find_map(|e| match e {
            Event::SignInLinkIssued { expires_at, .. } => Some(*expires_at),
            _ => None,
        })
        .ok_or_else(|| ApiError::new(Code::RequestInternal, "the link was not issued"))?;
    let revision = revision.unwrap_or_else(|| app.engine.read().revision());
    let out = SignInLinkOut {
        link: crate::signin::url(
            &link_base(&app, &headers),
            &format!("{link_id}.{secret}"),
            body.redirect.as_deref(),
        ),
        link_id,
        user_id: body.user_id,
        org_id,
        expires_at: crate::wire::iso(expires_at),
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
