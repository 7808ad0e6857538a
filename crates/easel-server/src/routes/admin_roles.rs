//! The organization's admin roles: who holds which, assigning and removing them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::catalog::AdminRole;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::ids::OrgIx;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::board_members::PageQuery;
use super::orgs::seen_org;
use super::{run_in_org, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{ORG_READ, Rule};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The admin role routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(admin_roles), ORG_READ)
        .add(routes!(assign_role), Rule::NotForApps)
        .add(routes!(remove_role), Rule::NotForApps)
}

/// An admin role held.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleHolder {
    /// The role.
    pub role: &'static str,
    /// The user.
    pub user_id: String,
    /// For a team content admin, the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

/// Every admin role held in the organization (`admin_roles.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/admin-roles", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<RoleHolder>)))]
pub async fn admin_roles(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<RoleHolder>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::AdminRolesView),
        app.engine.now(),
    )?;
    holders_page(state, o, &pager).map(axum::Json)
}

/// A page of the admin roles held in `o`, from the pager's cursor.
pub fn holders_page(
    state: &EngineState,
    o: OrgIx,
    pager: &Pager<'_>,
) -> Result<CursorList<RoleHolder>, ApiError> {
    // Walked in order of user from the cursor, which names a user and how many of their
    // roles were given; the walk stops at one row past the page.
    let after: Option<(usize, usize)> = match pager.after() {
        None => None,
        Some(p) => Some(
            p.strip_prefix('r')
                .and_then(|p| p.split_once('.'))
                .and_then(|(u, k)| Some((u.parse().ok()?, k.parse().ok()?)))
                .ok_or_else(|| {
                    ApiError::new(
                        easel_core::codes::Code::RequestInvalidCursor,
                        "the cursor is not of this list",
                    )
                })?,
        ),
    };
    let members = state.org(o).map_or(&[][..], |x| &x.members[..]);
    let start = after.map_or(0, |(a, _)| members.partition_point(|u| u.get() < a));
    let mut items: Vec<(String, RoleHolder)> = Vec::new();
    for &u in members.get(start..).unwrap_or_default() {
        if items.len() > pager.limit {
            break;
        }
        let (Some(user), Some(m)) = (state.user(u), state.membership(u, o)) else {
            continue;
        };
        let held = m.admin_roles.iter().map(|role| RoleHolder {
            role: role.as_str(),
            user_id: user.id.to_string(),
            team_id: None,
        });
        let team_content = user.content_admin_teams.iter().filter_map(|t| {
            let team = state.team(*t).filter(|x| x.org == o)?;
            Some(RoleHolder {
                role: AdminRole::TeamContentAdmin.as_str(),
                user_id: user.id.to_string(),
                team_id: Some(team.id.to_string()),
            })
        });
        // Each row's position is its user and its rank among that user's rows; those the
        // cursor has passed are dropped.
        for (k, row) in held.chain(team_content).enumerate() {
            let k = k + 1;
            if after.is_some_and(|(a, n)| a == u.get() && k <= n) {
                continue;
            }
            items.push((format!("r{}.{k}", u.get()), row));
        }
    }
    let more = items.len() > pager.limit;
    items.truncate(pager.limit);
    let next = more
        .then(|| items.last().map(|(position, _)| position.clone()))
        .flatten();
    Ok(pager.page(items.into_iter().map(|(_, r)| r).collect(), next.as_deref()))
}

/// A role to assign.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignIn {
    /// The member.
    pub user_id: String,
    /// `company_admin`, `user_admin`, `content_admin`, `security_admin` or
    /// `team_content_admin`.
    pub role: String,
    /// The team, for a team content admin.
    pub team_id: Option<String>,
}

fn admin_role(text: &str) -> Result<AdminRole, ApiError> {
    AdminRole::parse(text).ok_or_else(|| ApiError::invalid(format!("unknown admin role `{text}`")))
}

/// Assign an admin role (`admin_roles.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/admin-roles", tag = "directory", request_body = AssignIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = RoleHolder)))]
pub async fn assign_role(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<AssignIn>,
) -> Result<Response, ApiError> {
    let role = admin_role(&body.role)?;
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::AssignAdminRole {
            org: org.clone(),
            user: body.user_id.clone(),
            role,
            team: body.team_id.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &RoleAssigned {
            role: role.as_str(),
            user_id: body.user_id,
            team_id: body.team_id,
        },
        w.revision,
    ))
}

/// An admin role assigned: as `RoleHolder`, with `teamId` always present (`null` but for a
/// team content admin).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssigned {
    /// The role.
    pub role: &'static str,
    /// The user.
    pub user_id: String,
    /// For a team content admin, the team.
    pub team_id: Option<String>,
}

/// An admin role removed.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleRemoved {
    /// The role.
    pub role: &'static str,
    /// The user.
    pub user_id: String,
    /// Always `true`.
    pub removed: bool,
}

/// The team of a team content admin role.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TeamQuery {
    /// The team, for `team_content_admin`.
    pub team: Option<String>,
}

/// Remove an admin role (`admin_roles.remove`; never the last company admin).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/admin-roles/{role}/{member}", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("role" = String, Path, description = "the role"),
        ("member" = String, Path, description = "the user"), TeamQuery),
    responses((status = 200, description = "removed")))]
pub async fn remove_role(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, role_text, member)): Path<(String, String, String)>,
    Query(q): Query<TeamQuery>,
) -> Result<Response, ApiError> {
    let role = admin_role(&role_text)?;
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::RemoveAdminRole {
            org: org.clone(),
            user: member.clone(),
            role,
            team: q.team,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &RoleRemoved {
            role: role.as_str(),
            user_id: member,
            removed: true,
        },
        w.revision,
    ))
}
