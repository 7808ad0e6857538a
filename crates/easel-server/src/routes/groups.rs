//! The organization's user groups and their members.

use axum::extract::State;
use axum::response::Response;

use super::board_members::PageQuery;
use super::group_kinds::{GroupIn, GroupKind, GroupMemberOut, GroupOut, MemberIn, Seen};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{GROUPS_READ, GROUPS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

const KIND: GroupKind = GroupKind::User;

/// The user group routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(groups), GROUPS_READ)
        .add(routes!(create_group), GROUPS_WRITE)
        .add(routes!(group), GROUPS_READ)
        .add(routes!(rename_group), GROUPS_WRITE)
        .add(routes!(delete_group), GROUPS_WRITE)
        .add(routes!(group_members), GROUPS_READ)
        .add(routes!(add_group_member), GROUPS_WRITE)
        .add(routes!(remove_group_member), GROUPS_WRITE)
}

/// The organization's user groups (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<GroupOut>)))]
pub async fn groups(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<GroupOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = KIND.readable(&app, state, &caller, &org)?;
    let groups = state.org(o).map_or(&[][..], |x| &x.groups[..]);
    Ok(axum::Json(pager.walk(
        groups,
        |g| g.get(),
        |&g| Seen::from(state.group(g)?).out_in(o),
    )?))
}

/// Create a user group (`groups.edit`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/groups", tag = "directory", request_body = GroupIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = GroupOut)))]
pub async fn create_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    KIND.create_in(&app, &caller, org, body).await
}

/// A user group (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 200, body = GroupOut)))]
pub async fn group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<axum::Json<GroupOut>, ApiError> {
    KIND.read(&app, &caller, &org, &group)
}

/// Rename a user group (`groups.edit`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/groups/{group_id}", tag = "directory", request_body = GroupIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 200, body = GroupOut)))]
pub async fn rename_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    KIND.rename_to(&app, &caller, path, body).await
}

/// Delete a user group: its grants and team memberships go with it (`groups.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/groups/{group_id}", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 200, description = "deleted")))]
pub async fn delete_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    KIND.delete_in(&app, &caller, path).await
}

/// A user group's members (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}/members", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group"), PageQuery),
    responses((status = 200, body = CursorList<GroupMemberOut>)))]
pub async fn group_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(path): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
    KIND.members_page(&app, &caller, &list, path, q)
}

/// Add a user to a group (`groups.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/groups/{group_id}/members", tag = "directory", request_body = MemberIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 200, description = "added")))]
pub async fn add_group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    Json(body): Json<MemberIn>,
) -> Result<Response, ApiError> {
    KIND.add_member_to(&app, &caller, path, body).await
}

/// Remove a user from a group (`groups.remove`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/groups/{group_id}/members/{member}", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "removed")))]
pub async fn remove_group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    KIND.remove_member_from(&app, &caller, path).await
}
