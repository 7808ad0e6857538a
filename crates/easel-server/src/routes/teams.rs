//! Teams: create, list what the caller can see, read, rename, delete, members, settings,
//! joining open teams.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::command::Command;
use easel_core::ids::TeamIx;
use easel_core::request::Target;
use easel_core::roles::TeamRole;
use easel_core::settings::TeamSettings;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::answers::{Deleted, Removed, RoleOut};
use super::board_members::PageQuery;
use super::orgs::{merged, seen_org};
use super::{may, revision_header, run, run_in_org, run_in_team, written};
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
        .add(routes!(settings), TEAMS_READ)
        .add(routes!(update_settings), TEAMS_WRITE)
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
}

fn team_out(state: &EngineState, t: TeamIx) -> Option<TeamOut> {
    let team = state.team(t)?;
    Some(TeamOut {
        id: team.id.to_string(),
        name: team.name.clone(),
        member_count: team.members.len(),
    })
}

/// A team of the organization that the caller may see (`team.view`), or a 404.
pub(super) fn seen_team(
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

/// The teams of the organization the caller may see.
#[utoipa::path(get, path = "/v2/orgs/{org}/teams", tag = "teams",
    params(("org" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<TeamOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<TeamOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, None, now)?;
    let teams = state.org(o).map_or(&[][..], |x| &x.teams[..]);
    Ok(axum::Json(pager.walk(
        teams,
        |t| t.get(),
        |&t| {
            may(state, &caller, EngineAction::TeamView, Target::Team(t), now)
                .allowed
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
#[utoipa::path(post, path = "/v2/orgs/{org}/teams", tag = "teams", request_body = NameIn,
    params(("org" = String, Path, description = "the organization")),
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
#[utoipa::path(get, path = "/v2/orgs/{org}/teams/{team}", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
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

/// Rename a team.
#[utoipa::path(patch, path = "/v2/orgs/{org}/teams/{team}", tag = "teams", request_body = NameIn,
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
    responses((status = 200, body = TeamOut)))]
pub async fn rename(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<NameIn>,
) -> Result<Response, ApiError> {
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::RenameTeam {
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
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Delete a team: its boards go to the trash first, nothing is lost.
#[utoipa::path(delete, path = "/v2/orgs/{org}/teams/{team}", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
    responses((status = 200, description = "deleted")))]
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
    Ok(written(StatusCode::OK, &Deleted::new(team), w.revision))
}

/// A member of a team.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TeamMemberOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// `member` or `admin`.
    pub role: &'static str,
}

/// The team's direct members.
#[utoipa::path(get, path = "/v2/orgs/{org}/teams/{team}/members", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team"), PageQuery),
    responses((status = 200, body = CursorList<TeamMemberOut>)))]
pub async fn members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<TeamMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let members = state.team(t).map_or(&[][..], |x| &x.members[..]);
    Ok(axum::Json(pager.walk(
        members,
        |(u, _)| u.get(),
        |&(u, role)| {
            let user = state.user(u)?;
            Some(TeamMemberOut {
                id: user.id.to_string(),
                name: user.name.clone(),
                email: user.email.to_string(),
                role: role.as_str(),
            })
        },
    )?))
}

/// A member to add, and their team role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamMemberIn {
    /// A member of the organization.
    pub user_id: String,
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

/// Add a member to the team.
#[utoipa::path(post, path = "/v2/orgs/{org}/teams/{team}/members", tag = "teams", request_body = TeamMemberIn,
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
    responses((status = 200, description = "added")))]
pub async fn add_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<TeamMemberIn>,
) -> Result<Response, ApiError> {
    let role = team_role(body.role.as_deref())?;
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::SetTeamMember {
            team: team.clone(),
            user: body.user_id.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &RoleOut {
            id: body.user_id,
            role: role.as_str(),
        },
        w.revision,
    ))
}

/// A new team role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamRoleIn {
    /// `member` or `admin`.
    pub role: String,
}

/// Change a member's team role.
#[utoipa::path(patch, path = "/v2/orgs/{org}/teams/{team}/members/{member}", tag = "teams", request_body = TeamRoleIn,
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "changed")))]
pub async fn change_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, member)): Path<(String, String, String)>,
    Json(body): Json<TeamRoleIn>,
) -> Result<Response, ApiError> {
    let role = team_role(Some(&body.role))?;
    {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let known = state
            .find_user(&member)
            .and_then(|u| state.direct_team_role(t, u))
            .is_some();
        if !known {
            return Err(ApiError::not_found("team member", &member));
        }
    }
    let w = run(
        &app,
        &caller,
        Command::SetTeamMember {
            team,
            user: member.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &RoleOut {
            id: member,
            role: role.as_str(),
        },
        w.revision,
    ))
}

/// Remove a member from the team.
#[utoipa::path(delete, path = "/v2/orgs/{org}/teams/{team}/members/{member}", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "removed")))]
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
            user: member.clone(),
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &Removed::new(member), w.revision))
}

/// The team's settings.
#[utoipa::path(get, path = "/v2/orgs/{org}/teams/{team}/settings", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
    responses((status = 200, description = "the team settings, keyed as in the settings catalog")))]
pub async fn settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let x = state
        .team(t)
        .ok_or_else(|| ApiError::not_found("team", &team))?;
    super::sorted(&x.settings)
}

/// Change some team settings; each changed key needs its own right.
#[utoipa::path(patch, path = "/v2/orgs/{org}/teams/{team}/settings", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
    request_body(content = Object, description = "the settings to change"),
    responses((status = 200, description = "the team settings after the change")))]
pub async fn update_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(patch): Json<Value>,
) -> Result<Response, ApiError> {
    let next: TeamSettings = {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let x = state
            .team(t)
            .ok_or_else(|| ApiError::not_found("team", &team))?;
        merged(&x.settings, patch)?
    };
    let w = run(
        &app,
        &caller,
        Command::UpdateTeamSettings {
            team: team.clone(),
            settings: next,
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let settings = state
        .find_team(&team)
        .and_then(|t| state.team(t))
        .map(|x| &x.settings);
    Ok(revision_header(StatusCode::OK, &settings, w.revision))
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
#[utoipa::path(post, path = "/v2/orgs/{org}/teams/{team}/join", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team")),
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
#[utoipa::path(get, path = "/v2/orgs/{org}/teams/{team}/members/{member}", tag = "teams",
    params(("org" = String, Path, description = "the organization"), ("team" = String, Path, description = "the team"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = TeamMemberOut)))]
pub async fn read_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, member)): Path<(String, String, String)>,
) -> Result<axum::Json<TeamMemberOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let u = state
        .find_user(&member)
        .ok_or_else(|| ApiError::not_found("team member", &member))?;
    let role = state
        .direct_team_role(t, u)
        .ok_or_else(|| ApiError::not_found("team member", &member))?;
    let user = state
        .user(u)
        .ok_or_else(|| ApiError::not_found("team member", &member))?;
    Ok(axum::Json(TeamMemberOut {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
        role: role.as_str(),
    }))
}
