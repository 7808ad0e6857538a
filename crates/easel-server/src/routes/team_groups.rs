//! User groups in teams, from both sides: a team's groups (add, list, read, take out) and
//! a group's teams (list, read). A group in a team gives its members the group's team role.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::State as EngineState;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::ids::{GroupIx, OrgIx, TeamIx};
use easel_core::request::Target;
use easel_core::roles::TeamRole;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::bodiless::no_body;
use super::orgs::seen_org;
use super::teams::{limit_or_100, seen_team};
use super::{may, run_in_team, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{TEAMS_READ, TEAMS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The routes of groups in teams, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(add), TEAMS_WRITE)
        .add(routes!(team_groups), TEAMS_READ)
        .add(routes!(team_group), TEAMS_READ)
        .add(routes!(remove), TEAMS_WRITE)
        .add(routes!(group_teams), TEAMS_READ)
        .add(routes!(group_team), TEAMS_READ)
}

/// A user group in a team.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TeamGroupOut {
    /// The group.
    pub id: String,
    /// Its team role: `member` (or `admin`, which Easel also holds).
    pub role: &'static str,
    /// Always `team-user-group`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// A team a user group is in.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GroupTeamOut {
    /// The team.
    pub id: String,
    /// The group's team role: `member` (or `admin`).
    pub role: &'static str,
    /// Always `user-group-team`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The group to add and its role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamGroupIn {
    /// The user group.
    pub user_group_id: String,
    /// `member` (the default); Easel also takes `admin`.
    pub role: Option<String>,
}

/// Paging of these lists.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GroupsPageQuery {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The group `id` of the organization `o`, unless unknown, deleted or another's.
fn find_group(state: &EngineState, o: OrgIx, id: &str) -> Option<GroupIx> {
    state
        .find_group(id)
        .filter(|g| state.group(*g).is_some_and(|x| x.org == o && !x.deleted))
}

/// The role of the group `g` in the team `t`, if it is in it.
fn role_in(state: &EngineState, t: TeamIx, g: GroupIx) -> Option<TeamRole> {
    state
        .team(t)?
        .group_members
        .iter()
        .find(|(x, _)| *x == g)
        .map(|(_, r)| *r)
}

fn team_group_out(state: &EngineState, t: TeamIx, g: GroupIx) -> Option<TeamGroupOut> {
    let role = role_in(state, t, g)?;
    let group = state.group(g).filter(|x| !x.deleted)?;
    Some(TeamGroupOut {
        id: group.id.to_string(),
        role: role.as_str(),
        kind: "team-user-group",
    })
}

/// Add a user group to a team (team admins).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/groups", tag = "teams", request_body = TeamGroupIn,
    operation_id = "enterprise-teams-create-group",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 201, body = TeamGroupOut)))]
pub async fn add(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<TeamGroupIn>,
) -> Result<Response, ApiError> {
    let role = match body.role.as_deref() {
        None => TeamRole::Member,
        Some(r) => TeamRole::parse(r)
            .ok_or_else(|| ApiError::invalid(format!("unknown team role `{r}`")))?,
    };
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::SetTeamGroup {
            team: team.clone(),
            group: body.user_group_id.clone(),
            role,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_team(&team)
            .zip(state.find_group(&body.user_group_id))
            .and_then(|(t, g)| team_group_out(state, t, g))
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// The user groups in a team.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/groups", tag = "teams",
    operation_id = "enterprise-teams-get-groups",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), GroupsPageQuery),
    responses((status = 200, body = CursorList<TeamGroupOut>)))]
pub async fn team_groups(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<GroupsPageQuery>,
) -> Result<axum::Json<CursorList<TeamGroupOut>>, ApiError> {
    let pager = Pager::new(
        &app,
        &caller,
        &list,
        limit_or_100(q.limit),
        q.cursor.as_deref(),
    )?;
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let groups = state.team(t).map_or(&[][..], |x| &x.group_members[..]);
    Ok(axum::Json(pager.walk(
        groups,
        |(g, _)| g.get(),
        |&(g, _)| team_group_out(state, t, g),
    )?))
}

/// One user group in a team.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/groups/{group_id}", tag = "teams",
    operation_id = "enterprise-teams-get-group",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("group_id" = String, Path, description = "the user group")),
    responses((status = 200, body = TeamGroupOut)))]
pub async fn team_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, group)): Path<(String, String, String)>,
) -> Result<axum::Json<TeamGroupOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    state
        .team(t)
        .and_then(|x| find_group(state, x.org, &group))
        .and_then(|g| team_group_out(state, t, g))
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("team group", &group))
}

/// Take a user group out of a team (team admins).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}/groups/{group_id}", tag = "teams",
    operation_id = "enterprise-teams-delete-group",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("group_id" = String, Path, description = "the user group")),
    responses((status = 204, description = "taken out; the revision is in the `Easel-Revision` header")))]
pub async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, group)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    {
        // A group of another organization is answered as an unknown one.
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        state
            .team(t)
            .and_then(|x| find_group(state, x.org, &group))
            .ok_or_else(|| ApiError::not_found("team group", &group))?;
    }
    let w = run_in_team(
        &app,
        &caller,
        (&org, &team),
        Command::RemoveTeamGroup {
            team: team.clone(),
            group,
        },
    )
    .await?;
    Ok(no_body(StatusCode::NO_CONTENT, w.revision))
}

/// The group `id` of the organization, for a caller who may see its groups.
fn seen_group(
    app: &AppState,
    state: &EngineState,
    caller: &Caller,
    org: &str,
    id: &str,
) -> Result<GroupIx, ApiError> {
    let o = seen_org(
        state,
        caller,
        org,
        Some(Privilege::GroupsView),
        app.engine.now(),
    )?;
    find_group(state, o, id).ok_or_else(|| ApiError::not_found("group", id))
}

/// The team `t` as the group `g` is in it, if the caller may see the team.
fn group_team_out(
    app: &AppState,
    state: &EngineState,
    caller: &Caller,
    g: GroupIx,
    t: TeamIx,
) -> Option<GroupTeamOut> {
    let team = state.team(t).filter(|x| !x.deleted)?;
    let role = role_in(state, t, g)?;
    may(
        state,
        caller,
        EngineAction::TeamView,
        Target::Team(t),
        app.engine.now(),
    )
    .allowed
    .then(|| GroupTeamOut {
        id: team.id.to_string(),
        role: role.as_str(),
        kind: "user-group-team",
    })
}

/// The teams a user group is in, of those the caller may see.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}/teams", tag = "groups",
    operation_id = "enterprise-groups-get-teams",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the user group"), GroupsPageQuery),
    responses((status = 200, body = CursorList<GroupTeamOut>)))]
pub async fn group_teams(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, group)): Path<(String, String)>,
    Query(q): Query<GroupsPageQuery>,
) -> Result<axum::Json<CursorList<GroupTeamOut>>, ApiError> {
    let pager = Pager::new(
        &app,
        &caller,
        &list,
        limit_or_100(q.limit),
        q.cursor.as_deref(),
    )?;
    let reader = app.engine.read();
    let state = reader.state();
    let g = seen_group(&app, state, &caller, &org, &group)?;
    let teams = state.group(g).map_or(&[][..], |x| &x.teams[..]);
    Ok(axum::Json(pager.walk(
        teams,
        |t| t.get(),
        |&t| group_team_out(&app, state, &caller, g, t),
    )?))
}

/// One team a user group is in.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}/teams/{team_id}", tag = "groups",
    operation_id = "enterprise-groups-get-team",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the user group"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = GroupTeamOut)))]
pub async fn group_team(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group, team)): Path<(String, String, String)>,
) -> Result<axum::Json<GroupTeamOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let g = seen_group(&app, state, &caller, &org, &group)?;
    state
        .find_team(&team)
        .and_then(|t| group_team_out(&app, state, &caller, g, t))
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("group team", &team))
}
