//! User groups assigned to a project: their members reach the project's boards as project
//! members at the group's role (docs/decisions.md, "User groups may be assigned to
//! projects").

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::command::Command;
use easel_core::ids::{GroupIx, ProjectIx};
use easel_core::roles::BoardRole;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::group_kinds::no_content;
use super::orgs::seen_org;
use super::projects::{ProjectPageQuery, seen_org_project};
use super::{revision_header, run};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{PROJECTS_READ, PROJECTS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The project group routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(project_groups), PROJECTS_READ)
        .add(routes!(assign_project_groups), PROJECTS_WRITE)
        .add(routes!(remove_project_group), PROJECTS_WRITE)
}

/// The role a group has on a project, as the reference spells it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProjectGroupRole {
    /// Views the project's boards.
    #[serde(alias = "viewer")]
    Viewer,
    /// Comments on them.
    #[serde(alias = "commenter", alias = "commentator")]
    Commenter,
    /// Edits them.
    #[serde(alias = "editor")]
    Editor,
}

impl ProjectGroupRole {
    fn board_role(self) -> BoardRole {
        match self {
            ProjectGroupRole::Viewer => BoardRole::Viewer,
            ProjectGroupRole::Commenter => BoardRole::Commenter,
            ProjectGroupRole::Editor => BoardRole::Editor,
        }
    }

    /// The wire role of a stored one; the engine holds groups at these three only.
    fn of(role: BoardRole) -> ProjectGroupRole {
        match role {
            BoardRole::Viewer => ProjectGroupRole::Viewer,
            BoardRole::Commenter => ProjectGroupRole::Commenter,
            _ => ProjectGroupRole::Editor,
        }
    }
}

/// A user group assigned to a project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectGroupOut {
    /// The group's id.
    pub id: String,
    /// The group's name.
    pub name: String,
    /// The role its members have on the project.
    pub role: ProjectGroupRole,
    /// Always `project-user-group`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

fn group_out(state: &EngineState, g: GroupIx, role: BoardRole) -> Option<ProjectGroupOut> {
    let group = state.group(g).filter(|g| !g.deleted)?;
    Some(ProjectGroupOut {
        id: group.id.to_string(),
        name: group.name.clone(),
        role: ProjectGroupRole::of(role),
        kind: "project-user-group",
    })
}

/// Groups to assign to a project, and the role they get.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectGroupsIn {
    /// The groups' ids.
    pub user_group_ids: Vec<String>,
    /// The role (`VIEWER` when absent).
    pub role: Option<ProjectGroupRole>,
}

/// The project `project` of the organization `org`, if the caller may see both.
fn seen(
    app: &AppState,
    state: &EngineState,
    caller: &Caller,
    org: &str,
    project: &str,
) -> Result<ProjectIx, ApiError> {
    let now = app.engine.now();
    let o = seen_org(state, caller, org, None, now)?;
    seen_org_project(state, caller, o, project, now)
}

/// The user groups assigned to a project, with their roles.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/projects/{project_id}/groups", operation_id = "enterprise-projects-get-groups", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("project_id" = String, Path, description = "the project"), ProjectPageQuery),
    responses((status = 200, body = CursorList<ProjectGroupOut>)))]
pub async fn project_groups(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, project)): Path<(String, String)>,
    Query(q): Query<ProjectPageQuery>,
) -> Result<axum::Json<CursorList<ProjectGroupOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit(), q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let p = seen(&app, state, &caller, &org, &project)?;
    let groups = state.project(p).map_or(&[][..], |x| &x.groups[..]);
    Ok(axum::Json(pager.walk(
        groups,
        |(g, _)| g.get(),
        |&(g, role)| group_out(state, g, role),
    )?))
}

/// Assign user groups to a project at a role, or change their role there, all or none
/// (`project.manage`). The answer is the first group's assignment.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/projects/{project_id}/groups", operation_id = "enterprise-project-create-group", tag = "projects", request_body = ProjectGroupsIn,
    params(("org_id" = String, Path, description = "the organization"), ("project_id" = String, Path, description = "the project")),
    responses((status = 200, body = ProjectGroupOut)))]
pub async fn assign_project_groups(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, project)): Path<(String, String)>,
    Json(body): Json<ProjectGroupsIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen(&app, reader.state(), &caller, &org, &project)?;
    }
    let Some(first) = body.user_group_ids.first().cloned() else {
        return Err(ApiError::invalid(
            "name at least one group in `userGroupIds`",
        ));
    };
    let role = body.role.unwrap_or(ProjectGroupRole::Viewer).board_role();
    let w = run(
        &app,
        &caller,
        Command::SetProjectGroups {
            project: project.clone(),
            groups: body.user_group_ids,
            role,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state.find_project(&project).and_then(|p| {
            let g = state.find_group(&first)?;
            let role = state.project(p)?.groups.iter().find(|(x, _)| *x == g)?.1;
            group_out(state, g, role)
        })
    };
    Ok(revision_header(StatusCode::OK, &out, w.revision))
}

/// Take a user group off a project (`project.manage`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/projects/{project_id}/groups/{group_id}", operation_id = "enterprise-project-delete-groups", tag = "projects",
    params(("org_id" = String, Path, description = "the organization"), ("project_id" = String, Path, description = "the project"), ("group_id" = String, Path, description = "the group")),
    responses((status = 204, description = "removed")))]
pub async fn remove_project_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, project, group)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen(&app, reader.state(), &caller, &org, &project)?;
    }
    let w = run(
        &app,
        &caller,
        Command::RemoveProjectGroup { project, group },
    )
    .await?;
    Ok(no_content(w.revision))
}
