//! The organization's user groups and their members.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::group_kinds::{
    GroupIn, GroupKind, GroupMemberOut, GroupOut, GroupPageQuery, GroupUpdateIn, MemberIn, Seen,
    user_ref,
};
use super::{revision_header, run};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::{ApiError, Envelope};
use crate::scopes::{GROUPS_READ, GROUPS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use easel_core::command::Command;
use utoipa_axum::routes;

const KIND: GroupKind = GroupKind::User;

/// The most users one bulk change may name, as the reference allows.
const MAX_BULK: usize = 500;

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
        .add(routes!(update_group_members), GROUPS_WRITE)
        .add(routes!(group_member), GROUPS_READ)
        .add(routes!(remove_group_member), GROUPS_WRITE)
}

/// The organization's user groups (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups", operation_id = "enterprise-get-groups", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), GroupPageQuery),
    responses((status = 200, body = CursorList<GroupOut>)))]
pub async fn groups(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<GroupPageQuery>,
) -> Result<axum::Json<CursorList<GroupOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit(), q.cursor.as_deref())?;
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
#[utoipa::path(post, path = "/v2/orgs/{org_id}/groups", operation_id = "enterprise-create-group", tag = "directory", request_body = GroupIn,
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
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}", operation_id = "enterprise-get-group", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 200, body = GroupOut)))]
pub async fn group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<axum::Json<GroupOut>, ApiError> {
    KIND.read(&app, &caller, &org, &group)
}

/// Rename a user group or change its description (`groups.edit`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/groups/{group_id}", operation_id = "enterprise-update-group", tag = "directory", request_body = GroupUpdateIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 200, body = GroupOut)))]
pub async fn rename_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    Json(body): Json<GroupUpdateIn>,
) -> Result<Response, ApiError> {
    KIND.rename_to(&app, &caller, path, body).await
}

/// Delete a user group: its grants, team memberships and project assignments go with it
/// (`groups.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/groups/{group_id}", operation_id = "enterprise-delete-group", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 204, description = "deleted")))]
pub async fn delete_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    KIND.delete_in(&app, &caller, path).await
}

/// A user group's members (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}/members", operation_id = "enterprise-get-group-members", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group"), GroupPageQuery),
    responses((status = 200, body = CursorList<GroupMemberOut>)))]
pub async fn group_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(path): Path<(String, String)>,
    Query(q): Query<GroupPageQuery>,
) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
    KIND.members_page(&app, &caller, &list, path, q)
}

/// One member of a user group (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/groups/{group_id}/members/{member_id}", operation_id = "enterprise-get-group-member", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group"), ("member_id" = String, Path, description = "the user")),
    responses((status = 200, body = GroupMemberOut)))]
pub async fn group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String, String)>,
) -> Result<axum::Json<GroupMemberOut>, ApiError> {
    KIND.member(&app, &caller, path)
}

/// Add a user to a group, by email (or `userId`) (`groups.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/groups/{group_id}/members", operation_id = "enterprise-create-group-member", tag = "directory", request_body = MemberIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 201, body = GroupMemberOut)))]
pub async fn add_group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    Json(body): Json<MemberIn>,
) -> Result<Response, ApiError> {
    KIND.add_member_to(&app, &caller, path, body).await
}

/// Remove a user from a group (`groups.remove`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/groups/{group_id}/members/{member_id}", operation_id = "enterprise-delete-group-member", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group"), ("member_id" = String, Path, description = "the user")),
    responses((status = 204, description = "removed")))]
pub async fn remove_group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    KIND.remove_member_from(&app, &caller, path).await
}

/// Users to add to and remove from a group, each by id or email.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MembersChangeIn {
    /// Users to add.
    #[serde(default)]
    pub members_to_add: Vec<String>,
    /// Users to remove.
    #[serde(default)]
    pub members_to_remove: Vec<String>,
}

/// What one side of a bulk change did: the users it changed (`status` 200), or why the
/// users named in `error` were not changed (`status` 4xx). Each part writes both fields,
/// the one that does not apply as `null`: the reference's two shapes of a part (its
/// `oneOf`) require no field, so only the `null` tells a reader which one a part is.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MembersChangeResult {
    /// `addMembers` or `removeMembers`.
    pub operation: &'static str,
    /// The HTTP status of this part.
    pub status: u16,
    /// The users changed (`null` in a failed part).
    pub affected_users: Option<Vec<GroupMemberOut>>,
    /// Why the others were not changed (`null` in a successful part): the first refusal,
    /// with `context.users` naming every user the part could not change.
    pub error: Option<Envelope>,
}

/// Add and remove members in one request (`groups.assign`, `groups.remove`). Each user is
/// one write of its own, so a part may succeed while another is refused: the answer (207)
/// says, per operation, whom it changed and why the others were not.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/groups/{group_id}/members", operation_id = "enterprise-update-group-members", tag = "directory", request_body = MembersChangeIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the group")),
    responses((status = 207, body = Vec<MembersChangeResult>)))]
pub async fn update_group_members(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
    Json(body): Json<MembersChangeIn>,
) -> Result<Response, ApiError> {
    if body.members_to_add.len() + body.members_to_remove.len() > MAX_BULK {
        return Err(ApiError::new(
            easel_core::codes::Code::RequestTooLarge,
            format!("name at most {MAX_BULK} users at a time"),
        ));
    }
    // The group must be one of the organization's, seen as a reader would.
    KIND.read(&app, &caller, &org, &group).map(drop)?;
    let mut results = Vec::new();
    let mut revision = None;
    for (operation, refs, adding) in [
        ("addMembers", &body.members_to_add, true),
        ("removeMembers", &body.members_to_remove, false),
    ] {
        if refs.is_empty() {
            continue;
        }
        let mut done = Vec::new();
        let mut failed: Vec<(String, ApiError)> = Vec::new();
        for reference in refs {
            let user = user_ref(app.engine.read().state(), reference);
            let outcome = match user {
                Ok(user) => {
                    let command = if adding {
                        Command::AddGroupMember {
                            group: group.clone(),
                            user: user.clone(),
                        }
                    } else {
                        Command::RemoveGroupMember {
                            group: group.clone(),
                            user: user.clone(),
                        }
                    };
                    run(&app, &caller, command)
                        .await
                        .map(|w| (user, w.revision))
                }
                Err(e) => Err(e),
            };
            match outcome {
                Ok((user, r)) => {
                    revision = Some(r);
                    done.push(user);
                }
                Err(e) => failed.push((reference.clone(), e)),
            }
        }
        if !done.is_empty() {
            let reader = app.engine.read();
            let state = reader.state();
            let users = done
                .iter()
                .filter_map(|u| state.find_user(u).and_then(|u| KIND.person(state, u)))
                .collect();
            results.push(MembersChangeResult {
                operation,
                status: 200,
                affected_users: Some(users),
                error: None,
            });
        }
        if let Some((_, first)) = failed.first() {
            let mut envelope = first.envelope();
            let users: Vec<&str> = failed.iter().map(|(u, _)| u.as_str()).collect();
            envelope.context = serde_json::json!({ "users": users });
            results.push(MembersChangeResult {
                operation,
                status: envelope.status,
                affected_users: None,
                error: Some(envelope),
            });
        }
    }
    let revision = revision.unwrap_or_else(|| app.engine.read().revision());
    Ok(revision_header(
        StatusCode::MULTI_STATUS,
        &results,
        revision,
    ))
}
