//! The organization's billing groups and their members.

use axum::extract::State;
use axum::response::Response;

use super::group_kinds::{
    GroupIn, GroupKind, GroupMemberOut, GroupOut, GroupPageQuery, GroupUpdateIn, MemberIn, Seen,
};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{ORG_READ, Rule};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

const KIND: GroupKind = GroupKind::Billing;

/// The billing group routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(billing_groups), ORG_READ)
        .add(routes!(create_billing_group), Rule::NotForApps)
        .add(routes!(billing_group), ORG_READ)
        .add(routes!(rename_billing_group), Rule::NotForApps)
        .add(routes!(delete_billing_group), Rule::NotForApps)
        .add(routes!(billing_members), ORG_READ)
        .add(routes!(add_billing_member), Rule::NotForApps)
        .add(routes!(remove_billing_member), Rule::NotForApps)
}

/// The organization's billing groups (`billing_groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/billing-groups", operation_id = "easel-get-billing-groups", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), GroupPageQuery),
    responses((status = 200, body = CursorList<GroupOut>)))]
pub async fn billing_groups(
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
    Ok(axum::Json(pager.walk(
        state.org_billing_groups(o),
        |g| g.get(),
        |&g| Seen::from(state.billing_group(g)?).out_in(o),
    )?))
}

/// Create a billing group (`billing_groups.edit`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/billing-groups", operation_id = "easel-create-billing-group", tag = "directory", request_body = GroupIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = GroupOut)))]
pub async fn create_billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    KIND.create_in(&app, &caller, org, body).await
}

/// A billing group (`billing_groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/billing-groups/{group_id}", operation_id = "easel-get-billing-group", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the billing group")),
    responses((status = 200, body = GroupOut)))]
pub async fn billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<axum::Json<GroupOut>, ApiError> {
    KIND.read(&app, &caller, &org, &group)
}

/// Delete a billing group (`billing_groups.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/billing-groups/{group_id}", operation_id = "easel-delete-billing-group", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the billing group")),
    responses((status = 204, description = "deleted")))]
pub async fn delete_billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
) -> Result<Response, ApiError> {
    KIND.delete_in(&app, &caller, path).await
}

/// Rename a billing group (`billing_groups.edit`).
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/billing-groups/{group_id}", operation_id = "easel-update-billing-group", tag = "directory", request_body = GroupUpdateIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the billing group")),
    responses((status = 200, body = GroupOut)))]
pub async fn rename_billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    Json(body): Json<GroupUpdateIn>,
) -> Result<Response, ApiError> {
    KIND.rename_to(&app, &caller, path, body).await
}

/// A billing group's members (`billing_groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/billing-groups/{group_id}/members", operation_id = "easel-get-billing-group-members", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the billing group"), GroupPageQuery),
    responses((status = 200, body = CursorList<GroupMemberOut>)))]
pub async fn billing_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(path): Path<(String, String)>,
    Query(q): Query<GroupPageQuery>,
) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
    KIND.members_page(&app, &caller, &list, path, q)
}

/// Add a user to a billing group (`billing_groups.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/billing-groups/{group_id}/members", operation_id = "easel-add-billing-group-member", tag = "directory", request_body = MemberIn,
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the billing group")),
    responses((status = 201, body = GroupMemberOut)))]
pub async fn add_billing_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String)>,
    Json(body): Json<MemberIn>,
) -> Result<Response, ApiError> {
    KIND.add_member_to(&app, &caller, path, body).await
}

/// Remove a user from a billing group (`billing_groups.remove`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/billing-groups/{group_id}/members/{member_id}", operation_id = "easel-delete-billing-group-member", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("group_id" = String, Path, description = "the billing group"), ("member_id" = String, Path, description = "the user")),
    responses((status = 204, description = "removed")))]
pub async fn remove_billing_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(path): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    KIND.remove_member_from(&app, &caller, path).await
}
