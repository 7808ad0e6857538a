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

use super::group_kinds::{no_content, user_ref};
use super::teams::seen_team;
use super::{may, revision_header, run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{PROJECTS_READ, PROJECTS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
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

/// Paging of a project list: by cursor, 1 to 100 a page, 100 by default.
#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProjectPageQuery {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from: the `cursor` of the previous page.
    pub cursor: Option<String>,
}

impl ProjectPageQuery {
    /// The page size: the reference's default is a whole page.
    pub fn limit(&self) -> Option<usize> {
        Some(self.limit.unwrap_or(100))
    }
}

/// A project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// Always `project`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Whether only its members see it.
    pub private: bool,
}

fn project_out(state: &EngineState, p: ProjectIx) -> Option<ProjectOut> {
    let x = state.project(p)?;
    Some(ProjectOut {
        id: x.id.to_string(),
        name: x.name.clone(),
        kind: "project",
        private: x.private,
    })
}

/// A project role as the reference spells it (`ProjectRole`): a commenter is a
/// `commentator` there.
pub fn project_role_name(role: BoardRole) -> &'static str {
    match role {
        BoardRole::Commenter => "commentator",
        other => other.as_str(),
    }
}

/// A project role, in the reference's spelling or Easel's (`commenter`).
pub fn parse_project_role(text: &str) -> Result<BoardRole, ApiError> {
    match text {
        "commentator" => Ok(BoardRole::Commenter),
        other => BoardRole::parse(other)
            .ok_or_else(|| ApiError::invalid(format!("unknown role `{other}`"))),
    }
}

/// The project `id` of the organization `o`, live, if the caller may see it; 404 otherwise.
pub fn seen_org_project(
    state: &EngineState,
    caller: &Caller,
    o: easel_core::ids::OrgIx,
    id: &str,
    now: Time,
) -> Result<ProjectIx, ApiError> {
    let p = state
        .find_project(id)
        .filter(|p| state.project(*p).is_some_and(|x| x.org == o && !x.deleted))
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
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects", operation_id = "enterprise-get-projects", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ProjectPageQuery),
    responses((status = 200, body = CursorList<ProjectOut>)))]
pub async fn projects(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<ProjectPageQuery>,
) -> Result<axum::Json<CursorList<ProjectOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit(), q.cursor.as_deref())?;
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
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/projects", operation_id = "enterprise-create-project", tag = "projects", request_body = ProjectIn,
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
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}", operation_id = "enterprise-get-project", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project")),
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
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}", operation_id = "enterprise-update-project", tag = "projects", request_body = ProjectUpdateIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project")),
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
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}", operation_id = "enterprise-delete-project", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project")),
    responses((status = 204, description = "deleted")))]
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
    Ok(no_content(w.revision))
}

/// A member of a project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectMemberOut {
    /// The user's id (the member's id).
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// Their project role: `owner`, `coowner`, `editor`, `commentator` or `viewer`.
    pub role: &'static str,
    /// Always `project_member`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

fn member_out(
    state: &EngineState,
    u: easel_core::ids::UserIx,
    role: BoardRole,
) -> Option<ProjectMemberOut> {
    let user = state.user(u)?;
    Some(ProjectMemberOut {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
        role: project_role_name(role),
        kind: "project_member",
    })
}

/// The project's members.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/members", operation_id = "enterprise-get-project-members", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project"), ProjectPageQuery),
    responses((status = 200, body = CursorList<ProjectMemberOut>)))]
pub async fn project_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team, project)): Path<(String, String, String)>,
    Query(q): Query<ProjectPageQuery>,
) -> Result<axum::Json<CursorList<ProjectMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit(), q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
    let members = state.project(p).map_or(&[][..], |x| &x.members[..]);
    Ok(axum::Json(pager.walk(
        members,
        |(u, _)| u.get(),
        |&(u, role)| member_out(state, u, role),
    )?))
}

/// A member to add to a project: by email (the reference's way) or by user id (Easel's).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectMemberIn {
    /// The email of a member of the organization.
    pub email: Option<String>,
    /// The user's id (instead of the email).
    pub user_id: Option<String>,
    /// Their project role: `viewer`, `commentator` (or `commenter`), `editor`, `coowner`.
    pub role: String,
}

/// Add a member to a project, or change their role.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/members", operation_id = "enterprise-add-project-member", tag = "projects", request_body = ProjectMemberIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project")),
    responses((status = 201, body = ProjectMemberOut)))]
pub async fn add_project_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
    Json(body): Json<ProjectMemberIn>,
) -> Result<Response, ApiError> {
    let role = parse_project_role(&body.role)?;
    let user = {
        let reader = app.engine.read();
        let state = reader.state();
        seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
        match (&body.email, &body.user_id) {
            (Some(r), None) | (None, Some(r)) => user_ref(state, r)?,
            _ => return Err(ApiError::invalid("name the user by `email` or by `userId`")),
        }
    };
    let w = run(
        &app,
        &caller,
        Command::SetProjectMember {
            project: project.clone(),
            user: user.clone(),
            role,
        },
    )
    .await?;
    let out = written_member(&app, &project, &user);
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// A project member as they are after a write.
fn written_member(app: &AppState, project: &str, user: &str) -> Option<ProjectMemberOut> {
    let reader = app.engine.read();
    let state = reader.state();
    let p = state.find_project(project)?;
    project_member(state, p, user).ok()
}

/// Who in the team sees a project's boards: `private` (its members only) or `view` (the
/// whole team may view).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SharingPolicySettings {
    /// `private` or `view`.
    #[schema(value_type = Option<TeamAccess>)]
    pub team_access: Option<String>,
}

/// The values of `teamAccess`.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[expect(dead_code, reason = "a schema only: `teamAccess` is written as text")]
enum TeamAccess {
    Private,
    View,
}

/// A project's settings: the reference's sharing policy, and Easel's `private` (the same
/// fact).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSettings {
    /// The sharing policy.
    pub sharing_policy_settings: SharingPolicySettings,
    /// Always `project_settings`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Whether only the project's members see it.
    pub private: bool,
}

impl ProjectSettings {
    fn of(private: bool) -> ProjectSettings {
        ProjectSettings {
            sharing_policy_settings: SharingPolicySettings {
                team_access: Some(if private { "private" } else { "view" }.to_string()),
            },
            kind: "project_settings",
            private,
        }
    }
}

/// New project settings: the reference's sharing policy, or Easel's `private`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectSettingsIn {
    /// The sharing policy.
    pub sharing_policy_settings: Option<SharingPolicySettings>,
    /// Whether only the project's members see it.
    pub private: Option<bool>,
}

impl ProjectSettingsIn {
    /// The privacy asked for, if any.
    fn private(&self) -> Result<Option<bool>, ApiError> {
        let access = self
            .sharing_policy_settings
            .as_ref()
            .and_then(|s| s.team_access.as_deref());
        let from_access = match access {
            None => None,
            Some("private") => Some(true),
            Some("view") => Some(false),
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "`teamAccess` is `private` or `view`, not `{other}`"
                )));
            }
        };
        match (from_access, self.private) {
            (Some(a), Some(b)) if a != b => {
                Err(ApiError::invalid("`teamAccess` and `private` disagree"))
            }
            (a, b) => Ok(a.or(b)),
        }
    }
}

/// A project's settings.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/settings", operation_id = "enterprise-get-project-settings", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project")),
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
    Ok(axum::Json(ProjectSettings::of(x.private)))
}

/// Change a project's settings (`project.manage`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/settings", operation_id = "enterprise-update-project-settings", tag = "projects", request_body = ProjectSettingsIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), ("project_id" = String, Path, description = "the project")),
    responses((status = 200, body = ProjectSettings)))]
pub async fn update_project_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project)): Path<(String, String, String)>,
    Json(body): Json<ProjectSettingsIn>,
) -> Result<Response, ApiError> {
    let private = body.private()?;
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
            private: private.unwrap_or(x.private),
        }
    };
    let w = run(&app, &caller, command).await?;
    let now = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_project(&project)
            .and_then(|p| state.project(p))
            .map(|x| x.private)
    };
    Ok(revision_header(
        StatusCode::OK,
        &ProjectSettings::of(now.unwrap_or_default()),
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
        .find(|(u, _)| state.user(*u).is_some_and(|user| &*user.id == member))
        .and_then(|(u, role)| member_out(state, *u, *role))
        .ok_or_else(|| ApiError::not_found("project member", member))
}

/// One member of a project.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/members/{member_id}", operation_id = "enterprise-get-project-member", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("project_id" = String, Path, description = "the project"), ("member_id" = String, Path, description = "the user")),
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
    /// The project role: `viewer`, `commentator` (or `commenter`), `editor`, `coowner`;
    /// absent: unchanged.
    pub role: Option<String>,
}

/// Change a project member's role.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/members/{member_id}", operation_id = "enterprise-update-project-member", tag = "projects", request_body = ProjectRoleIn,
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("project_id" = String, Path, description = "the project"), ("member_id" = String, Path, description = "the user")),
    responses((status = 200, body = ProjectMemberOut)))]
pub async fn change_project_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team, project, member)): Path<(String, String, String, String)>,
    Json(body): Json<ProjectRoleIn>,
) -> Result<Response, ApiError> {
    let role = body.role.as_deref().map(parse_project_role).transpose()?;
    let current = {
        let reader = app.engine.read();
        let state = reader.state();
        let p = seen_project(state, &caller, &org, &team, &project, app.engine.now())?;
        project_member(state, p, &member)?
    };
    let Some(role) = role else {
        // Nothing to change: the member as they are.
        return Ok(revision_header(
            StatusCode::OK,
            &current,
            app.engine.read().revision(),
        ));
    };
    let w = run(
        &app,
        &caller,
        Command::SetProjectMember {
            project: project.clone(),
            user: member.clone(),
            role,
        },
    )
    .await?;
    let out = written_member(&app, &project, &member);
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Remove a member from a project.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/teams/{team_id}/projects/{project_id}/members/{member_id}", operation_id = "enterprise-delete-project-member", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("project_id" = String, Path, description = "the project"), ("member_id" = String, Path, description = "the user")),
    responses((status = 204, description = "removed")))]
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
    Ok(no_content(w.revision))
}
