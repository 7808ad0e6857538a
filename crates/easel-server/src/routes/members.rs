//! The organization's members, one at a time: read, deactivate or reactivate, change the
//! licence, remove with a successor for their boards.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::ids::OrgIx;
use easel_core::model::Licence;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::answers::Removed;
use super::orgs::{OrgMemberOut, seen_org};
use super::{run_all, run_in_org, written};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::{Rule, USERS_READ};
use crate::table::Routes;
use crate::wire::{Json, Path, Query};
use utoipa_axum::routes;

/// The organization member routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(member), USERS_READ)
        .add(routes!(change_member), Rule::NotForApps)
        .add(routes!(remove_member), Rule::NotForApps)
}

/// The member `id` of the organization `o`, or nothing.
fn member_out(state: &EngineState, o: OrgIx, id: &str) -> Option<OrgMemberOut> {
    OrgMemberOut::of(state, o, state.find_user(id)?)
}

/// One member (`users.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/members/{member_id}", tag = "directory",
    operation_id = "enterprise-get-organization-member",
    params(("org_id" = String, Path, description = "the organization"), ("member_id" = String, Path, description = "the user")),
    responses((status = 200, body = OrgMemberOut)))]
pub async fn member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
) -> Result<axum::Json<OrgMemberOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::UsersView),
        app.engine.now(),
    )?;
    member_out(state, o, &member)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("member", &member))
}

/// What may change about a member.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    /// Deactivate (`false`) or reactivate (`true`) in the organization (`users.edit`).
    pub active: Option<bool>,
    /// The licence (`license_requests.manage`); the reference's spelling `license` is taken too.
    #[serde(alias = "license")]
    pub licence: Option<String>,
}

/// Deactivate or reactivate a member, or change their licence.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/members/{member_id}", tag = "directory", request_body = MemberPatch,
    operation_id = "easel-update-organization-member",
    params(("org_id" = String, Path, description = "the organization"), ("member_id" = String, Path, description = "the user")),
    responses((status = 200, body = OrgMemberOut)))]
pub async fn change_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
    Json(body): Json<MemberPatch>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        member_out(state, o, &member).ok_or_else(|| ApiError::not_found("member", &member))?;
    }
    let mut commands = Vec::new();
    match body.active {
        Some(true) => commands.push(Command::ReactivateUser {
            org: org.clone(),
            user: member.clone(),
        }),
        Some(false) => commands.push(Command::DeactivateUser {
            org: org.clone(),
            user: member.clone(),
        }),
        None => {}
    }
    if let Some(l) = &body.licence {
        let licence =
            Licence::parse(l).ok_or_else(|| ApiError::invalid(format!("unknown licence `{l}`")))?;
        commands.push(Command::SetLicence {
            org: org.clone(),
            user: member.clone(),
            licence,
        });
    }
    // A patch that names nothing to change is well formed: it changes nothing and answers
    // the member as a read would (with the read's own check), at the current revision.
    if commands.is_empty() {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(
            state,
            &caller,
            &org,
            Some(Privilege::UsersView),
            app.engine.now(),
        )?;
        let out =
            member_out(state, o, &member).ok_or_else(|| ApiError::not_found("member", &member))?;
        return Ok(written(StatusCode::OK, &out, reader.revision()));
    }
    let w = run_all(&app, &caller, commands).await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_org(&org)
            .and_then(|o| member_out(state, o, &member))
    };
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Who takes over a removed member's boards.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SuccessorQuery {
    /// The member who receives the removed member's boards (and the account ownership, if
    /// theirs). Without it, each board goes to the oldest admin of its team, else to the
    /// account owner.
    #[serde(default)]
    pub successor: Option<String>,
}

/// Remove a member from the organization (`users.remove`); their boards go to the named
/// successor, or each to the oldest admin of its team, else to the account owner.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/members/{member_id}", tag = "directory",
    operation_id = "easel-remove-organization-member",
    params(("org_id" = String, Path, description = "the organization"), ("member_id" = String, Path, description = "the user"), SuccessorQuery),
    responses((status = 200, description = "removed")))]
pub async fn remove_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
    Query(q): Query<SuccessorQuery>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::RemoveUser {
            org: org.clone(),
            user: member.clone(),
            successor: q.successor,
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &Removed::new(member), w.revision))
}
