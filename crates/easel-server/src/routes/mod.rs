//! The platform API (`/v2/...`): organizations, teams, projects, boards and their members.
//! Reads ask the engine what the caller may see; writes are commands the engine decides.
//! No handler decides anything itself.

pub mod admin_roles;
pub mod answers;
pub mod apps;
pub mod billing_groups;
pub mod board_groups;
pub mod board_members;
pub mod boards;
pub mod bodiless;
pub mod compliance;
pub mod content;
pub mod domains;
pub mod group_kinds;
pub mod groups;
pub mod members;
pub mod oauth;
pub mod oauth_answers;
pub mod operator;
pub mod operator_members;
pub mod operator_orgs;
pub mod orgs;
pub mod project_groups;
pub mod projects;
pub mod requests;
pub mod scim;
pub mod scim_tokens;
pub mod sessions;
pub mod team_groups;
pub mod team_settings;
pub mod teams;

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use easel_core::action::Action;
use easel_core::catalog::Capability;
use easel_core::codes::{Code, Layer};
use easel_core::command::{Command, Outcome};
use easel_core::event::Event;
use easel_core::ids::BoardIx;
use easel_core::model::BoardState;
use easel_core::request::{Request, Subject, Target};
use easel_core::{Decision, State, Time};
use serde::Serialize;
use serde_json::Value;

use crate::AppState;
use crate::auth::Caller;
use crate::engine::Acting;
use crate::error::ApiError;
use crate::table::Routes;
use crate::tenancy::visible_org;

/// Every platform route: each resource file declares its own.
pub fn routes() -> Routes {
    Routes::new()
        .merge(boards::routes())
        .merge(board_members::routes())
        .merge(board_groups::routes())
        .merge(orgs::routes())
        .merge(teams::routes())
        .merge(team_settings::routes())
        .merge(team_groups::routes())
        .merge(projects::routes())
        .merge(project_groups::routes())
        .merge(requests::routes())
        .merge(members::routes())
        .merge(admin_roles::routes())
        .merge(groups::routes())
        .merge(billing_groups::routes())
        .merge(domains::routes())
        .merge(content::routes())
        .merge(compliance::routes())
        .merge(apps::routes())
        .merge(sessions::routes())
        .merge(oauth::routes())
        .merge(scim_tokens::routes())
        .merge(operator::routes())
        .merge(scim::routes())
}

/// The header every write answers with.
pub const REVISION: &str = "easel-revision";

/// The user a platform route acts as: service tokens are for the decision API.
pub fn acting(caller: &Caller) -> Result<Acting, ApiError> {
    match caller {
        Caller::User { id, credential, .. } => Ok(Acting::User(id.clone(), *credential)),
        Caller::Service { .. } => Err(ApiError::new(
            Code::AuthorityMissingPrivilege,
            "a service token asks the decision API; the platform API acts as a user",
        )),
        Caller::Provisioner { .. } => Err(crate::decision::provisioner_refused()),
    }
}

/// Asks the engine whether the caller may do `action` on `target`, as the caller's user with
/// the credential it presented. The route holds the target's index and the action's value,
/// so nothing is spelled out and parsed back; a target that is gone is refused as a question
/// naming it would be.
pub fn may(
    state: &State,
    caller: &Caller,
    action: impl Into<Action>,
    target: Target,
    now: Time,
) -> Decision {
    may_with(state, caller, action, target, now, |_| {})
}

/// As [`may`], with the particulars of the question set by `detail` (the role a share
/// grants or a request asks for, the new owner of a transfer).
pub fn may_with(
    state: &State,
    caller: &Caller,
    action: impl Into<Action>,
    target: Target,
    now: Time,
    detail: impl FnOnce(&mut Request<'_>),
) -> Decision {
    let subject = match caller.user() {
        None => Some(Subject::Anonymous),
        Some(id) => state.find_user(id).map(Subject::User),
    };
    let request = subject.ok_or(Code::RequestNotFound).and_then(|subject| {
        Request::about(state, subject, caller.credential(), action.into(), target)
            .map_err(|e| e.code)
    });
    match request {
        Ok(mut req) => {
            detail(&mut req);
            easel_core::decide(state, &req, now)
        }
        Err(code) => Decision::refuse(
            easel_core::Denial::new(code, easel_core::Facts::default()),
            None,
        ),
    }
}

/// A board the caller may see: its index, or a 404 (never revealing a board the caller
/// cannot view).
pub fn seen_board(
    state: &State,
    caller: &Caller,
    id: &str,
    now: Time,
) -> Result<BoardIx, ApiError> {
    let hidden = || ApiError::not_found("board", id);
    let b = state.find_board(id).ok_or_else(hidden)?;
    if state.board(b).is_none_or(|x| x.state == BoardState::Purged) {
        return Err(hidden());
    }
    visible_org(state, caller, Target::Board(b))?;
    let view = may(state, caller, Capability::View, Target::Board(b), now);
    // A trashed board is seen by those who could restore it.
    let trashed = state.board(b).is_some_and(|x| x.is_trashed());
    let restore = trashed && may(state, caller, Capability::Delete, Target::Board(b), now).allowed;
    match view.denial {
        None => Ok(b),
        Some(_) if restore => Ok(b),
        Some(d) if d.layer() == Layer::Credential => Err(ApiError::new(d.code, d.message())),
        Some(_) => Err(hidden()),
    }
}

/// What a write produced.
pub struct Written {
    /// Its events.
    pub events: Vec<Event>,
    /// The revision it committed at.
    pub revision: i64,
}

/// Runs a command as the caller; a refusal is the error it maps to.
pub async fn run(app: &AppState, caller: &Caller, command: Command) -> Result<Written, ApiError> {
    run_all(app, caller, vec![command]).await
}

/// Runs a command in an organization the caller may see (404 otherwise).
pub async fn run_in_org(
    app: &AppState,
    caller: &Caller,
    org: &str,
    command: Command,
) -> Result<Written, ApiError> {
    {
        let reader = app.engine.read();
        orgs::seen_org(reader.state(), caller, org, None, app.engine.now())?;
    }
    run(app, caller, command).await
}

/// Runs a command on a team the caller may see (404 otherwise).
pub async fn run_in_team(
    app: &AppState,
    caller: &Caller,
    (org, team): (&str, &str),
    command: Command,
) -> Result<Written, ApiError> {
    {
        let reader = app.engine.read();
        teams::seen_team(reader.state(), caller, org, team, app.engine.now())?;
    }
    run(app, caller, command).await
}

/// Runs a command on a board the caller may see (404 otherwise).
pub async fn run_on_board(
    app: &AppState,
    caller: &Caller,
    board: &str,
    command: Command,
) -> Result<Written, ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), caller, board, app.engine.now())?;
    }
    run(app, caller, command).await
}

/// Runs commands that change different things together, all or nothing.
pub async fn run_all(
    app: &AppState,
    caller: &Caller,
    commands: Vec<Command>,
) -> Result<Written, ApiError> {
    let acting = acting(caller)?;
    let (outcome, revision) = app.engine.run_all(acting, commands).await?;
    match outcome {
        Outcome::Accepted { events, .. } => Ok(Written {
            events,
            revision: revision.unwrap_or_else(|| app.engine.read().revision()),
        }),
        Outcome::Refused { refusal, audit } => Err(answer_refusal(refusal, audit.as_ref())),
    }
}

/// A refused command as the caller is told it. A target in an organization the caller
/// does not act within is answered as the 404 of an unknown id, named as the command named
/// it; the engine has audited the attempt either way.
fn answer_refusal(
    refusal: easel_core::command::Refusal,
    audit: Option<&easel_core::command::AuditRecord>,
) -> ApiError {
    let foreign = matches!(
        refusal.code,
        Code::AuthorityNotInOrganization | Code::CredentialCrossOrganization
    );
    let target = audit.and_then(|a| a.target.split_once(':'));
    match target {
        Some((kind, id)) if foreign => {
            let kind = match kind {
                "access_request" | "join_request" | "licence_request" | "app_request" => "request",
                "org" => "organization",
                "billing_group" => "billing group",
                other => other,
            };
            let mut error = ApiError::not_found(kind, id);
            error.audited = true;
            error
        }
        _ => refusal.into(),
    }
}

/// A typed answer as JSON, written through a JSON value: its object keys come out sorted
/// (nested ones too), which is the byte form these answers have always had on the wire.
/// A failure to serialize is the server's own (`wire::to_body`: a 500).
pub fn sorted<T: Serialize>(body: &T) -> Result<axum::Json<Value>, ApiError> {
    crate::wire::to_body(body).map(axum::Json)
}

/// A JSON answer to a write, with its revision in the body and the `Easel-Revision` header.
pub fn written<T: Serialize>(status: axum::http::StatusCode, body: &T, revision: i64) -> Response {
    match sorted(body) {
        Ok(axum::Json(mut body)) => {
            if let Some(object) = body.as_object_mut() {
                object.insert("revision".into(), Value::String(revision.to_string()));
            }
            with_revision(status, body, revision)
        }
        Err(e) => e.into_response(),
    }
}

/// A JSON answer to a write with its revision in the `Easel-Revision` header only (for
/// bodies that are settings, which a client may send back as they are).
pub fn revision_header<T: Serialize>(
    status: axum::http::StatusCode,
    body: &T,
    revision: i64,
) -> Response {
    match sorted(body) {
        Ok(axum::Json(body)) => with_revision(status, body, revision),
        Err(e) => e.into_response(),
    }
}

fn with_revision(status: axum::http::StatusCode, body: Value, revision: i64) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&revision.to_string()) {
        response.headers_mut().insert(REVISION, v);
    }
    response
}
