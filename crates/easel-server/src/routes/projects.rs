//! A team's projects: create, list what the caller may open, read, rename, delete, their
//! members and settings.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::command::Command;
use easel_core::ids::ProjectIx;
use easel_core::request::Target;
use easel_core::roles::BoardRole;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::answers::{Deleted, Removed, RoleOut};
use super::board_members::PageQuery;
use super::teams::seen_team;
use super::{may, revision_header, run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{PROJECTS_READ, PROJECTS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query, role_name};
use utoipa_axum::routes;

/// The project routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(projects), PROJECTS_READ)
        .add(routes!(create_project), PROJECTS_WRITE)
        .add(routes!(read_project), PROJECTS_READ)
        .add(routes!(update_project), PROJECTS_WRITE)
        .add(routes!(delete_project), PROJECTS_WRITE)
        .add(routes!(project_members), PROJECTS_READ)
        .add(routes!(add_project_member), PROJECTS_WRITE)
        .add(routes!(read_project_member), PROJECTS_READ)
        .add(routes!(change_project_member), PROJECTS_WRITE)
        .add(routes!(remove_project_member), PROJECTS_WRITE)
        .add(routes!(project_settings), PROJECTS_READ)
        .add(routes!(update_project_settings), PROJECTS_WRITE)
}

/// A project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// Whether only its members see it.
    pub private: bool,
}

fn project_out(state: &EngineState, p: ProjectIx) -> Option<ProjectOut> {
    let x = state.project(p)?;
    Some(ProjectOut {
        id: x.id.to_string(),
        name: x.name.clone(),
        private: x.private,
    })
}

fn seen_project(
    state: &EngineState,
    caller: &Caller,
    org: &str,
    team: &str,
    id: &str,
    now: Time,
) -> Result<ProjectIx, ApiError> {
    let t = seen_team(state, caller, org, team, now)?;
    let p = state
        .find_project(id)
        .filter(|p| state.project(*p).is_some_and(|x| x.team == t && !x.deleted))
        .ok_or_else(|| ApiError::not_found("project", id))?;
    if !may(
        state,
        caller,
        EngineAction::ProjectView,
        Target::Project(p),
        now,
    )
    .allowed
    {
        return Err(ApiError::not_found("project", id));
    }
    Ok(p)
}

/// The team's projects the caller may open.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), PageQuery),
    responses((status = 200, body = CursorList<ProjectOut>)))]
pub async fn projects(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<ProjectOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, now)?;
    let projects = state.team(t).map_or(&[][..], |x| &x.projects[..]);
    Ok(axum::Json(pager.walk(
        projects,
        |p| p.get(),
        |&p| {
            may(
                state,
                &caller,
                EngineAction::ProjectView,
                Target::Project(p),
                now,
            )
            .allowed
            .then(|| project_out(state, p))
            .flatten()
        },
    )?))
}

/// A new project.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectIn {
    /// The name.
    pub name: String,
    /// Whether only its members see it (the team's default when absent).
    pub private: Option<bool>,
}

/// Create a project in the team; the caller becomes its owner.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/projects", tag = "projects", request_body = ProjectIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 201, body = ProjectOut)))]
pub async fn create_project(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<ProjectIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_team(reader.state(), &caller, &org, &team, app.engine.now())?;
    }
    let project = crate::ids::new_id("prj")?;
    let w = run(
        &app,
        &caller,
        Command::CreateProject {
            team,
            project: project.clone(),
            name: body.name,
            private: body.private,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_project(&project)
            .and_then(|p| project_out(state, p))
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// A project.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project")),
    responses((status = 200, body = ProjectOut)))]
pub async fn read_project(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
) -> Result<axum::Json<ProjectOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
    project_out(state, p)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("project", &project))
}

/// A project's new name or privacy.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectUpdateIn {
    /// The name.
    pub name: Option<String>,
    /// Whether only its members see it.
    pub private: Option<bool>,
}

/// Rename a project or change its privacy.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}", tag = "projects", request_body = ProjectUpdateIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project")),
    responses((status = 200, body = ProjectOut)))]
pub async fn update_project(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
    Json(body): Json<ProjectUpdateIn>,
) -> Result<Response, ApiError> {
    let command = {
        let reader = app.engine.read();
        let state = reader.state();
        let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
        let x = state
            .project(p)
            .ok_or_else(|| ApiError::not_found("project", &project))?;
        Command::UpdateProject {
            project: project.clone(),
            name: body.name.unwrap_or_else(|| x.name.clone()),
            private: body.private.unwrap_or(x.private),
        }
    };
    let w = run(&app, &caller, command).await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_project(&project)
            .and_then(|p| project_out(state, p))
    };
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Delete a project: its boards stay in the team.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project")),
    responses((status = 200, description = "deleted")))]
pub async fn delete_project(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_project(
            reader.state(),
            &caller,
            &org,
            &team,
            &project,
            app.engine.now(),
        )?;
    }
    let w = run(
        &app,
        &caller,
        Command::DeleteProject {
            project: project.clone(),
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &Deleted::new(project), w.revision))
}

/// A member of a project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectMemberOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role on the project's boards.
    pub role: &'static str,
}

/// The project's members.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/members", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project"), PageQuery),
    responses((status = 200, body = CursorList<ProjectMemberOut>)))]
pub async fn project_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team, project)): Path<(String, String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<ProjectMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
    let members = state.project(p).map_or(&[][..], |x| &x.members[..]);
    Ok(axum::Json(pager.walk(
        members,
        |(u, _)| u.get(),
        |&(u, role)| {
            let user = state.user(u)?;
            Some(ProjectMemberOut {
                id: user.id.to_string(),
                name: user.name.clone(),
                role: role_name(role),
            })
        },
    )?))
}

/// A member to add to a project.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectMemberIn {
    /// A member of the organization.
    pub user_id: String,
    /// Their role on the project's boards.
    pub role: String,
}

/// Add a member to a project, or change their role.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/members", tag = "projects", request_body = ProjectMemberIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project")),
    responses((status = 200, description = "added")))]
pub async fn add_project_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
    Json(body): Json<ProjectMemberIn>,
) -> Result<Response, ApiError> {
    let role = BoardRole::parse(&body.role)
        .ok_or_else(|| ApiError::invalid(format!("unknown role `{}`", body.role)))?;
    {
        let reader = app.engine.read();
        seen_project(
            reader.state(),
            &caller,
            &org,
            &team,
            &project,
            app.engine.now(),
        )?;
    }
    let w = run(
        &app,
        &caller,
        Command::SetProjectMember {
            project,
            user: body.user_id.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &RoleOut {
            id: body.user_id,
            role: role_name(role),
        },
        w.revision,
    ))
}

/// A project's settings.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectSettings {
    /// Whether only the project's members see it.
    pub private: bool,
}

/// A project's settings.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/settings", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project")),
    responses((status = 200, body = ProjectSettings)))]
pub async fn project_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
) -> Result<axum::Json<ProjectSettings>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
    let x = state
        .project(p)
        .ok_or_else(|| ApiError::not_found("project", &project))?;
    Ok(axum::Json(ProjectSettings { private: x.private }))
}

/// Change a project's settings (`project.manage`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/settings", tag = "projects", request_body = ProjectSettings,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project" = String, Path, description = "the project")),
    responses((status = 200, body = ProjectSettings)))]
pub async fn update_project_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
    Json(body): Json<ProjectSettings>,
) -> Result<Response, ApiError> {
    let command = {
        let reader = app.engine.read();
        let state = reader.state();
        let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
        let x = state
            .project(p)
            .ok_or_else(|| ApiError::not_found("project", &project))?;
        Command::UpdateProject {
            project: project.clone(),
            name: x.name.clone(),
            private: body.private,
        }
    };
    let w = run(&app, &caller, command).await?;
    Ok(revision_header(
        StatusCode::OK,
        &ProjectSettings {
            private: body.private,
        },
        w.revision,
    ))
}

fn project_member(
    state: &EngineState,
    p: ProjectIx,
    member: &str,
) -> Result<ProjectMemberOut, ApiError> {
    let x = state
        .project(p)
        .ok_or_else(|| ApiError::not_found("project member", member))?;
    x.members
        .iter()
        .find_map(|(u, role)| {
            let user = state.user(*u).filter(|user| &*user.id == member)?;
            Some(ProjectMemberOut {
                id: user.id.to_string(),
                name: user.name.clone(),
                role: role_name(*role),
            })
        })
        .ok_or_else(|| ApiError::not_found("project member", member))
}

/// One member of a project.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/members/{member}", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("project" = String, Path, description = "the project"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = ProjectMemberOut)))]
pub async fn read_project_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project, member)): Path<(String, String, String, String)>,
) -> Result<axum::Json<ProjectMemberOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
    project_member(state, p, &member).map(axum::Json)
}

/// A new project role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectRoleIn {
    /// The role on the project's boards.
    pub role: String,
}

/// Change a project member's role.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/members/{member}", tag = "projects", request_body = ProjectRoleIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("project" = String, Path, description = "the project"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = ProjectMemberOut)))]
pub async fn change_project_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project, member)): Path<(String, String, String, String)>,
    Json(body): Json<ProjectRoleIn>,
) -> Result<Response, ApiError> {
    let role = BoardRole::parse(&body.role)
        .ok_or_else(|| ApiError::invalid(format!("unknown role `{}`", body.role)))?;
    {
        let reader = app.engine.read();
        let state = reader.state();
        let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
        project_member(state, p, &member)?;
    }
    let w = run(
        &app,
        &caller,
        Command::SetProjectMember {
            project,
            user: member.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &RoleOut {
            id: member,
            role: role_name(role),
        },
        w.revision,
    ))
}

/// Remove a member from a project.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project}/members/{member}", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("project" = String, Path, description = "the project"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "removed")))]
pub async fn remove_project_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project, member)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
        project_member(state, p, &member)?;
    }
    let w = run(
        &app,
        &caller,
        Command::RemoveProjectMember {
            project,
            user: member.clone(),
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &Removed::new(member), w.revision))
}
