//! Teams: create, list what the caller can see, read, rename, delete, members, settings,
//! joining open teams.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::command::Command;
use easel_core::ids::{TeamIx, UserIx};
use easel_core::request::Target;
use easel_core::roles::TeamRole;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::bodiless::no_body;
use super::orgs::seen_org;
use super::{may, run, run_in_org, run_in_team, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{TEAMS_READ, TEAMS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The team routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(list), TEAMS_READ)
        .add(routes!(create), TEAMS_WRITE)
        .add(routes!(read), TEAMS_READ)
        .add(routes!(rename), TEAMS_WRITE)
        .add(routes!(delete), TEAMS_WRITE)
        .add(routes!(members), TEAMS_READ)
        .add(routes!(add_member), TEAMS_WRITE)
        .add(routes!(read_member), TEAMS_READ)
        .add(routes!(change_member), TEAMS_WRITE)
        .add(routes!(remove_member), TEAMS_WRITE)
        .add(routes!(join), TEAMS_WRITE)
}

/// A team.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TeamOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// How many direct members.
    #[serde(rename = "memberCount")]
    pub member_count: usize,
    /// Always `team`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// A team as the API lists it.
pub fn team_out(state: &EngineState, t: TeamIx) -> Option<TeamOut> {
    let team = state.team(t)?;
    Some(TeamOut {
        id: team.id.to_string(),
        name: team.name.clone(),
        member_count: team.members.len(),
        kind: "team",
    })
}

/// The reference's page size: 1 to 100, 100 when absent.
pub(super) fn limit_or_100(limit: Option<usize>) -> Option<usize> {
    Some(limit.unwrap_or(100))
}

/// A team of the organization that the caller may see (`team.view`), or a 404.
pub fn seen_team(
    state: &EngineState,
    caller: &Caller,
    org: &str,
    id: &str,
    now: Time,
) -> Result<TeamIx, ApiError> {
    let o = seen_org(state, caller, org, None, now)?;
    let t = state
        .find_team(id)
        .filter(|t| state.team(*t).is_some_and(|x| x.org == o && !x.deleted))
        .ok_or_else(|| ApiError::not_found("team", id))?;
    if !may(state, caller, EngineAction::TeamView, Target::Team(t), now).allowed {
        return Err(ApiError::not_found("team", id));
    }
    Ok(t)
}

/// Filters and paging of the team list.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TeamsQuery {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
    /// Only teams whose name contains this text (any letter case).
    pub name: Option<String>,
}

/// The teams of the organization the caller may see.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams", tag = "teams",
    operation_id = "enterprise-get-teams",
    params(("org_id" = String, Path, description = "the organization"), TeamsQuery),
    responses((status = 200, body = CursorList<TeamOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<TeamsQuery>,
) -> Result<axum::Json<CursorList<TeamOut>>, ApiError> {
    let pager = Pager::new(
        &app,
        &caller,
        &list,
        limit_or_100(q.limit),
        q.cursor.as_deref(),
    )?;
    let name = q.name.as_deref().map(str::to_lowercase);
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, None, now)?;
    let teams = state.org(o).map_or(&[][..], |x| &x.teams[..]);
    Ok(axum::Json(pager.walk(
        teams,
        |t| t.get(),
        |&t| {
            let named = state.team(t).is_some_and(|x| {
                name.as_deref()
                    .is_none_or(|n| x.name.to_lowercase().contains(n))
            });
            (named && may(state, &caller, EngineAction::TeamView, Target::Team(t), now).allowed)
                .then(|| team_out(state, t))
                .flatten()
        },
    )?))
}

/// A name.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameIn {
    /// The name.
    pub name: String,
}

/// Create a team; the caller becomes its admin.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams", tag = "teams", request_body = NameIn,
    operation_id = "enterprise-create-team",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = TeamOut)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<NameIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let team = crate::ids::new_id("team")?;
    let w = run(
        &app,
        &caller,
        Command::CreateTeam {
            org,
            team: team.clone(),
            name: body.name,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state.find_team(&team).and_then(|t| team_out(state, t))
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// A team.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}", tag = "teams",
    operation_id = "enterprise-get-team",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = TeamOut)))]
pub async fn read(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<axum::Json<TeamOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    team_out(state, t)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("team", &team))
}

/// What may change about a team.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamChangesIn {
    /// The new name; absent leaves it as it is.
    pub name: Option<String>,
}

/// Rename a team; a change naming nothing answers the team as it is.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}", tag = "teams", request_body = TeamChangesIn,
    operation_id = "enterprise-update-team",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = TeamOut)))]
pub async fn rename(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<TeamChangesIn>,
) -> Result<Response, ApiError> {
    let Some(name) = body.name else {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let out = team_out(state, t).ok_or_else(|| ApiError::not_found("team", &team))?;
        return Ok(written(StatusCode::OK, &out, reader.revision()));
    };
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::RenameTeam {
            team: team.clone(),
            name,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state.find_team(&team).and_then(|t| team_out(state, t))
    };
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Delete a team: its boards go to the trash first, nothing is lost.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}", tag = "teams",
    operation_id = "enterprise-delete-team",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 204, description = "deleted; the revision is in the `Easel-Revision` header")))]
pub async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::DeleteTeam { team: team.clone() },
    )
    .await?;
    Ok(no_body(StatusCode::NO_CONTENT, w.revision))
}

/// A member of a team.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamMemberOut {
    /// The user's id (a team member's id is their user's).
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// `member` or `admin`.
    pub role: &'static str,
    /// The team.
    pub team_id: String,
    /// Always `team-member`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The direct member `u` of the team `t`, or nothing.
fn member_out(state: &EngineState, t: TeamIx, u: UserIx) -> Option<TeamMemberOut> {
    let role = state.direct_team_role(t, u)?;
    let user = state.user(u)?;
    Some(TeamMemberOut {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
        role: role.as_str(),
        team_id: state.team(t)?.id.to_string(),
        kind: "team-member",
    })
}

/// The member `id` of the team, as it is now (after a write), or nothing.
fn member_now(app: &AppState, team: &str, id: &str) -> Option<TeamMemberOut> {
    let reader = app.engine.read();
    let state = reader.state();
    member_out(state, state.find_team(team)?, state.find_user(id)?)
}

/// Filters and paging of a team's members.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TeamMembersQuery {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
    /// Only members with this role: `member` or `admin`.
    pub role: Option<String>,
}

/// The team's direct members.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/members", tag = "teams",
    operation_id = "enterprise-get-team-members",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), TeamMembersQuery),
    responses((status = 200, body = CursorList<TeamMemberOut>)))]
pub async fn members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<TeamMembersQuery>,
) -> Result<axum::Json<CursorList<TeamMemberOut>>, ApiError> {
    let pager = Pager::new(
        &app,
        &caller,
        &list,
        limit_or_100(q.limit),
        q.cursor.as_deref(),
    )?;
    let role = q.role.as_deref().map(|r| team_role(Some(r))).transpose()?;
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let members = state.team(t).map_or(&[][..], |x| &x.members[..]);
    Ok(axum::Json(pager.walk(
        members,
        |(u, _)| u.get(),
        |&(u, r)| {
            role.is_none_or(|want| want == r)
                .then(|| member_out(state, t, u))
                .flatten()
        },
    )?))
}

/// A member to add, and their team role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamMemberIn {
    /// The email of a member of the organization.
    pub email: Option<String>,
    /// Easel's way to name them: their user id (one of `email` and `userId`).
    pub user_id: Option<String>,
    /// `member` (the default) or `admin`.
    pub role: Option<String>,
}

fn team_role(text: Option<&str>) -> Result<TeamRole, ApiError> {
    match text {
        None => Ok(TeamRole::Member),
        Some(t) => {
            TeamRole::parse(t).ok_or_else(|| ApiError::invalid(format!("unknown team role `{t}`")))
        }
    }
}

/// Add a member to the team, named by email (or by user id).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/members", tag = "teams", request_body = TeamMemberIn,
    operation_id = "enterprise-invite-team-member",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 201, body = TeamMemberOut)))]
pub async fn add_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<TeamMemberIn>,
) -> Result<Response, ApiError> {
    let role = team_role(body.role.as_deref())?;
    let user = match (body.email, body.user_id) {
        (Some(email), None) => {
            let reader = app.engine.read();
            let state = reader.state();
            seen_team(state, &caller, &org, &team, app.engine.now())?;
            // An email that names no one is answered as an unknown user would be.
            state
                .find_email(&email)
                .and_then(|u| state.user(u))
                .map(|u| u.id.to_string())
                .ok_or_else(|| ApiError::not_found("user", &email))?
        }
        (None, Some(id)) => id,
        _ => {
            return Err(ApiError::invalid(
                "name the new member by `email` (or by `userId`), one of the two",
            ));
        }
    };
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::SetTeamMember {
            team: team.clone(),
            user: user.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &member_now(&app, &team, &user),
        w.revision,
    ))
}

/// A new team role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRoleIn {
    /// `member` or `admin`; absent leaves the role as it is.
    pub role: Option<String>,
}

/// Change a member's team role.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/members/{member_id}", tag = "teams", request_body = TeamRoleIn,
    operation_id = "enterprise-update-team-member",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("member_id" = String, Path, description = "the user")),
    responses((status = 200, body = TeamMemberOut)))]
pub async fn change_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, member)): Path<(String, String, String)>,
    Json(body): Json<TeamRoleIn>,
) -> Result<Response, ApiError> {
    let role = body
        .role
        .as_deref()
        .map(|r| team_role(Some(r)))
        .transpose()?;
    let current = {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        state
            .find_user(&member)
            .and_then(|u| member_out(state, t, u))
            .ok_or_else(|| ApiError::not_found("team member", &member))?
    };
    let Some(role) = role else {
        let revision = app.engine.read().revision();
        return Ok(written(StatusCode::OK, &current, revision));
    };
    let w = run(
        &app,
        &caller,
        Command::SetTeamMember {
            team: team.clone(),
            user: member.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &member_now(&app, &team, &member),
        w.revision,
    ))
}

/// Remove a member from the team.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}/members/{member_id}", tag = "teams",
    operation_id = "enterprise-delete-team-member",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("member_id" = String, Path, description = "the user")),
    responses((status = 204, description = "removed; the revision is in the `Easel-Revision` header")))]
pub async fn remove_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, member)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::RemoveTeamMember {
            team: team.clone(),
            user: member,
        },
    )
    .await?;
    Ok(no_body(StatusCode::NO_CONTENT, w.revision))
}

/// A team joined.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Joined {
    /// The team's id.
    pub id: String,
    /// Always `true`.
    pub joined: bool,
}

/// Join an open team.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/join", tag = "teams",
    operation_id = "easel-join-team",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, description = "joined")))]
pub async fn join(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::JoinTeam { team: team.clone() },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &Joined {
            id: team,
            joined: true,
        },
        w.revision,
    ))
}

/// One direct member of a team.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/members/{member_id}", tag = "teams",
    operation_id = "enterprise-get-team-member",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("member_id" = String, Path, description = "the user")),
    responses((status = 200, body = TeamMemberOut)))]
pub async fn read_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, member)): Path<(String, String, String)>,
) -> Result<axum::Json<TeamMemberOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    state
        .find_user(&member)
        .and_then(|u| member_out(state, t, u))
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("team member", &member))
}
