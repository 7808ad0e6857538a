//! The organization's directory: one member, admin roles, user groups, billing groups and
//! managed domains.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::catalog::AdminRole;
use easel_core::command::Command;
use easel_core::ids::OrgIx;
use easel_core::model::Licence;
use easel_core::{State as EngineState, settings::email_allowed};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::board_members::PageQuery;
use super::orgs::{OrgMemberOut, seen_org};
use super::{run, run_all, run_in_org, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{GROUPS_READ, GROUPS_WRITE, ORG_READ, Rule, USERS_READ};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The directory's routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(member), USERS_READ)
        .add(routes!(change_member), Rule::NotForApps)
        .add(routes!(remove_member), Rule::NotForApps)
        .add(routes!(admin_roles), ORG_READ)
        .add(routes!(assign_role), Rule::NotForApps)
        .add(routes!(remove_role), Rule::NotForApps)
        .add(routes!(groups), GROUPS_READ)
        .add(routes!(create_group), GROUPS_WRITE)
        .add(routes!(group), GROUPS_READ)
        .add(routes!(rename_group), GROUPS_WRITE)
        .add(routes!(delete_group), GROUPS_WRITE)
        .add(routes!(group_members), GROUPS_READ)
        .add(routes!(add_group_member), GROUPS_WRITE)
        .add(routes!(remove_group_member), GROUPS_WRITE)
        .add(routes!(billing_groups), ORG_READ)
        .add(routes!(create_billing_group), Rule::NotForApps)
        .add(routes!(billing_group), ORG_READ)
        .add(routes!(rename_billing_group), Rule::NotForApps)
        .add(routes!(delete_billing_group), Rule::NotForApps)
        .add(routes!(billing_members), ORG_READ)
        .add(routes!(add_billing_member), Rule::NotForApps)
        .add(routes!(remove_billing_member), Rule::NotForApps)
        .add(routes!(domains), ORG_READ)
        .add(routes!(add_domain), Rule::NotForApps)
        .add(routes!(remove_domain), Rule::NotForApps)
        .add(routes!(verify_domain), Rule::NotForApps)
        .add(routes!(domain_violations), ORG_READ)
}

fn name_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn member_out(state: &EngineState, o: OrgIx, id: &str) -> Option<OrgMemberOut> {
    let u = state.find_user(id)?;
    let m = state.membership(u, o)?;
    let user = state.user(u)?;
    Some(OrgMemberOut {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
        kind: name_of(&m.kind),
        admin_roles: m.admin_roles.iter().map(|r| name_of(&r)).collect(),
        licence: m.licence.as_str(),
        active: m.active,
    })
}

/// One member (`users.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/members/{member}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = OrgMemberOut)))]
pub async fn member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
) -> Result<axum::Json<OrgMemberOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, Some("users.view"), app.engine.now())?;
    member_out(state, o, &member)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("member", &member))
}

/// What may change about a member.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    /// Deactivate (`false`) or reactivate (`true`) in the organization (`users.edit`).
    pub active: Option<bool>,
    /// The licence (`license_requests.manage`).
    pub licence: Option<String>,
}

/// Deactivate or reactivate a member, or change their licence.
#[utoipa::path(patch, path = "/v2/orgs/{org}/members/{member}", tag = "directory", request_body = MemberPatch,
    params(("org" = String, Path, description = "the organization"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = OrgMemberOut)))]
pub async fn change_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
    Json(body): Json<MemberPatch>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        member_out(state, o, &member).ok_or_else(|| ApiError::not_found("member", &member))?;
    }
    let mut commands = Vec::new();
    match body.active {
        Some(true) => commands.push(Command::ReactivateUser {
            org: org.clone(),
            user: member.clone(),
        }),
        Some(false) => commands.push(Command::DeactivateUser {
            org: org.clone(),
            user: member.clone(),
        }),
        None => {}
    }
    if let Some(l) = &body.licence {
        let licence =
            Licence::parse(l).ok_or_else(|| ApiError::invalid(format!("unknown licence `{l}`")))?;
        commands.push(Command::SetLicence {
            org: org.clone(),
            user: member.clone(),
            licence,
        });
    }
    // A patch that names nothing to change is well formed: it changes nothing and answers
    // the member as a read would (with the read's own check), at the current revision.
    if commands.is_empty() {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, Some("users.view"), app.engine.now())?;
        let out =
            member_out(state, o, &member).ok_or_else(|| ApiError::not_found("member", &member))?;
        return Ok(written(StatusCode::OK, json!(out), reader.revision()));
    }
    let w = run_all(&app, &caller, commands).await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_org(&org)
            .and_then(|o| member_out(state, o, &member))
    };
    Ok(written(StatusCode::OK, json!(out), w.revision))
}

/// Who takes over a removed member's boards.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SuccessorQuery {
    /// The member who receives the removed member's boards.
    pub successor: String,
}

/// Remove a member from the organization; their boards go to the successor (`users.remove`).
#[utoipa::path(delete, path = "/v2/orgs/{org}/members/{member}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("member" = String, Path, description = "the user"), SuccessorQuery),
    responses((status = 200, description = "removed")))]
pub async fn remove_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
    Query(q): Query<SuccessorQuery>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::RemoveUser {
            org: org.clone(),
            user: member.clone(),
            successor: q.successor,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": member, "removed": true}),
        w.revision,
    ))
}

/// An admin role held.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleHolder {
    /// The role.
    pub role: String,
    /// The user.
    pub user_id: String,
    /// For a team content admin, the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

/// Every admin role held in the organization (`admin_roles.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/admin-roles", tag = "directory",
    params(("org" = String, Path, description = "the organization"), PageQuery),
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
        Some("admin_roles.view"),
        app.engine.now(),
    )?;
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
        let first = items.len();
        let (Some(user), Some(m)) = (state.user(u), state.membership(u, o)) else {
            continue;
        };
        for role in m.admin_roles.iter() {
            let role = name_of(&role);
            items.push((
                format!("{role}/{}", user.id),
                RoleHolder {
                    role,
                    user_id: user.id.to_string(),
                    team_id: None,
                },
            ));
        }
        for t in &user.content_admin_teams {
            if let Some(team) = state.team(*t).filter(|x| x.org == o) {
                items.push((
                    format!("team_content_admin/{}/{}", user.id, team.id),
                    RoleHolder {
                        role: "team_content_admin".into(),
                        user_id: user.id.to_string(),
                        team_id: Some(team.id.to_string()),
                    },
                ));
            }
        }
        // Each row's position is its user and its rank among that user's rows; those the
        // cursor has passed are dropped.
        let rows = items.split_off(first);
        for (k, (_, row)) in rows.into_iter().enumerate() {
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
    Ok(axum::Json(pager.page(
        items.into_iter().map(|(_, r)| r).collect(),
        next.as_deref(),
    )))
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
    serde_json::from_value(Value::String(text.to_string()))
        .map_err(|_| ApiError::invalid(format!("unknown admin role `{text}`")))
}

/// Assign an admin role (`admin_roles.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org}/admin-roles", tag = "directory", request_body = AssignIn,
    params(("org" = String, Path, description = "the organization")),
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
        json!({"role": body.role, "userId": body.user_id, "teamId": body.team_id}),
        w.revision,
    ))
}

/// The team of a team content admin role.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TeamQuery {
    /// The team, for `team_content_admin`.
    pub team: Option<String>,
}

/// Remove an admin role (`admin_roles.remove`; never the last company admin).
#[utoipa::path(delete, path = "/v2/orgs/{org}/admin-roles/{role}/{member}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("role" = String, Path, description = "the role"),
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
        json!({"role": role_text, "userId": member, "removed": true}),
        w.revision,
    ))
}

/// A user group or billing group.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// How many members.
    pub member_count: usize,
}

/// A name.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    /// The name.
    pub name: String,
}

/// A member to add.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberIn {
    /// The user.
    pub user_id: String,
}

/// A member of a group.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GroupMemberOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
}

fn group_of(state: &EngineState, o: OrgIx, id: &str) -> Result<GroupOut, ApiError> {
    state
        .find_group(id)
        .and_then(|g| state.group(g))
        .filter(|g| g.org == o && !g.deleted)
        .map(|g| GroupOut {
            id: g.id.to_string(),
            name: g.name.clone(),
            member_count: g.members.len(),
        })
        .ok_or_else(|| ApiError::not_found("group", id))
}

fn person(state: &EngineState, u: easel_core::ids::UserIx) -> Option<GroupMemberOut> {
    let user = state.user(u)?;
    Some(GroupMemberOut {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
    })
}

/// The organization's user groups (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/groups", tag = "directory",
    params(("org" = String, Path, description = "the organization"), PageQuery),
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
    let o = seen_org(state, &caller, &org, Some("groups.view"), app.engine.now())?;
    let groups = state.org(o).map_or(&[][..], |x| &x.groups[..]);
    Ok(axum::Json(pager.walk(
        groups,
        |g| g.get(),
        |&g| group_of(state, o, &state.group(g)?.id).ok(),
    )?))
}

/// Create a user group (`groups.edit`).
#[utoipa::path(post, path = "/v2/orgs/{org}/groups", tag = "directory", request_body = GroupIn,
    params(("org" = String, Path, description = "the organization")),
    responses((status = 201, body = GroupOut)))]
pub async fn create_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let group = crate::ids::new_id("grp")?;
    let w = run(
        &app,
        &caller,
        Command::CreateGroup {
            org,
            group: group.clone(),
            name: body.name.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        json!({"id": group, "name": body.name, "memberCount": 0}),
        w.revision,
    ))
}

/// A user group (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/groups/{group}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the group")),
    responses((status = 200, body = GroupOut)))]
pub async fn group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<axum::Json<GroupOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, Some("groups.view"), app.engine.now())?;
    group_of(state, o, &group).map(axum::Json)
}

/// Rename a user group (`groups.edit`).
#[utoipa::path(patch, path = "/v2/orgs/{org}/groups/{group}", tag = "directory", request_body = GroupIn,
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the group")),
    responses((status = 200, body = GroupOut)))]
pub async fn rename_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        group_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::RenameGroup {
            group: group.clone(),
            name: body.name,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_org(&org)
            .and_then(|o| group_of(state, o, &group).ok())
    };
    Ok(written(StatusCode::OK, json!(out), w.revision))
}

/// Delete a user group: its grants and team memberships go with it (`groups.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org}/groups/{group}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the group")),
    responses((status = 200, description = "deleted")))]
pub async fn delete_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        group_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::DeleteGroup {
            group: group.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": group, "deleted": true}),
        w.revision,
    ))
}

/// A user group's members (`groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/groups/{group}/members", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the group"), PageQuery),
    responses((status = 200, body = CursorList<GroupMemberOut>)))]
pub async fn group_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, group)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, Some("groups.view"), app.engine.now())?;
    group_of(state, o, &group)?;
    let members = state
        .find_group(&group)
        .and_then(|g| state.group(g))
        .map_or(&[][..], |g| &g.members[..]);
    Ok(axum::Json(pager.walk(
        members,
        |u| u.get(),
        |u| person(state, *u),
    )?))
}

/// Add a user to a group (`groups.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org}/groups/{group}/members", tag = "directory", request_body = MemberIn,
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the group")),
    responses((status = 200, description = "added")))]
pub async fn add_group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
    Json(body): Json<MemberIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        group_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::AddGroupMember {
            group,
            user: body.user_id.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": body.user_id, "added": true}),
        w.revision,
    ))
}

/// Remove a user from a group (`groups.remove`).
#[utoipa::path(delete, path = "/v2/orgs/{org}/groups/{group}/members/{member}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the group"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "removed")))]
pub async fn remove_group_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group, member)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        group_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::RemoveGroupMember {
            group,
            user: member.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": member, "removed": true}),
        w.revision,
    ))
}

fn billing_of(state: &EngineState, o: OrgIx, id: &str) -> Result<GroupOut, ApiError> {
    state
        .find_billing_group(id)
        .and_then(|g| state.billing_group(g))
        .filter(|g| g.org == o && !g.deleted)
        .map(|g| GroupOut {
            id: g.id.to_string(),
            name: g.name.clone(),
            member_count: g.members.len(),
        })
        .ok_or_else(|| ApiError::not_found("billing group", id))
}

/// The organization's billing groups (`billing_groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/billing-groups", tag = "directory",
    params(("org" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<GroupOut>)))]
pub async fn billing_groups(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<GroupOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some("billing_groups.view"),
        app.engine.now(),
    )?;
    Ok(axum::Json(pager.walk(
        state.org_billing_groups(o),
        |g| g.get(),
        |ix| {
            let g = state.billing_group(*ix)?;
            (g.org == o && !g.deleted)
                .then(|| billing_of(state, o, &g.id).ok())
                .flatten()
        },
    )?))
}

/// Create a billing group (`billing_groups.edit`).
#[utoipa::path(post, path = "/v2/orgs/{org}/billing-groups", tag = "directory", request_body = GroupIn,
    params(("org" = String, Path, description = "the organization")),
    responses((status = 201, body = GroupOut)))]
pub async fn create_billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let group = crate::ids::new_id("bg")?;
    let w = run(
        &app,
        &caller,
        Command::CreateBillingGroup {
            org,
            group: group.clone(),
            name: body.name.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        json!({"id": group, "name": body.name, "memberCount": 0}),
        w.revision,
    ))
}

/// A billing group (`billing_groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/billing-groups/{group}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the billing group")),
    responses((status = 200, body = GroupOut)))]
pub async fn billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<axum::Json<GroupOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some("billing_groups.view"),
        app.engine.now(),
    )?;
    billing_of(state, o, &group).map(axum::Json)
}

/// Delete a billing group (`billing_groups.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org}/billing-groups/{group}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the billing group")),
    responses((status = 200, description = "deleted")))]
pub async fn delete_billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        billing_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::DeleteBillingGroup {
            group: group.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": group, "deleted": true}),
        w.revision,
    ))
}

/// Rename a billing group (`billing_groups.edit`).
#[utoipa::path(patch, path = "/v2/orgs/{org}/billing-groups/{group}", tag = "directory", request_body = GroupIn,
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the billing group")),
    responses((status = 200, body = GroupOut)))]
pub async fn rename_billing_group(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
    Json(body): Json<GroupIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        billing_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::RenameBillingGroup {
            group: group.clone(),
            name: body.name,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_org(&org)
            .and_then(|o| billing_of(state, o, &group).ok())
    };
    Ok(written(StatusCode::OK, json!(out), w.revision))
}

/// A billing group's members (`billing_groups.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/billing-groups/{group}/members", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the billing group"), PageQuery),
    responses((status = 200, body = CursorList<GroupMemberOut>)))]
pub async fn billing_members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, group)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some("billing_groups.view"),
        app.engine.now(),
    )?;
    billing_of(state, o, &group)?;
    let members = state
        .find_billing_group(&group)
        .and_then(|g| state.billing_group(g))
        .map_or(&[][..], |g| &g.members[..]);
    Ok(axum::Json(pager.walk(
        members,
        |u| u.get(),
        |u| person(state, *u),
    )?))
}

/// Add a user to a billing group (`billing_groups.assign`).
#[utoipa::path(post, path = "/v2/orgs/{org}/billing-groups/{group}/members", tag = "directory", request_body = MemberIn,
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the billing group")),
    responses((status = 200, description = "added")))]
pub async fn add_billing_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group)): Path<(String, String)>,
    Json(body): Json<MemberIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        billing_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::AddBillingMember {
            group,
            user: body.user_id.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": body.user_id, "added": true}),
        w.revision,
    ))
}

/// Remove a user from a billing group (`billing_groups.remove`).
#[utoipa::path(delete, path = "/v2/orgs/{org}/billing-groups/{group}/members/{member}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("group" = String, Path, description = "the billing group"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "removed")))]
pub async fn remove_billing_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, group, member)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        billing_of(state, o, &group)?;
    }
    let w = run(
        &app,
        &caller,
        Command::RemoveBillingMember {
            group,
            user: member.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"id": member, "removed": true}),
        w.revision,
    ))
}

/// A managed domain.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DomainOut {
    /// The domain, lower case.
    pub domain: String,
    /// Whether its ownership was verified.
    pub verified: bool,
}

/// The organization's managed domains (`managed_domains.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/domains", tag = "directory",
    params(("org" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<DomainOut>)))]
pub async fn domains(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<DomainOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some("managed_domains.view"),
        app.engine.now(),
    )?;
    // An organization's domains are listed in the order they were added (positions in its
    // own short list, which only grows at the end or loses one on removal).
    let domains = state.org(o).map_or(&[][..], |x| &x.domains[..]);
    let start = pager.after().map(str::to_string);
    let skip = match start.as_deref() {
        None => 0,
        Some(name) => domains
            .iter()
            .position(|d| d.name == name.strip_prefix('d').unwrap_or(name))
            .map_or(domains.len(), |i| i + 1),
    };
    let rest = domains.get(skip..).unwrap_or_default();
    let data: Vec<DomainOut> = rest
        .iter()
        .take(pager.limit)
        .map(|d| DomainOut {
            domain: d.name.clone(),
            verified: d.verified,
        })
        .collect();
    let next = (rest.len() > pager.limit)
        .then(|| data.last().map(|d| format!("d{}", d.domain)))
        .flatten();
    Ok(axum::Json(pager.page(data, next.as_deref())))
}

/// A domain to claim.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainIn {
    /// The domain.
    pub domain: String,
}

/// Claim a domain (`managed_domains.edit`); it is unverified until verified.
#[utoipa::path(post, path = "/v2/orgs/{org}/domains", tag = "directory", request_body = DomainIn,
    params(("org" = String, Path, description = "the organization")),
    responses((status = 201, body = DomainOut)))]
pub async fn add_domain(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<DomainIn>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::AddDomain {
            org: org.clone(),
            domain: body.domain.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        json!({"domain": body.domain.to_ascii_lowercase(), "verified": false}),
        w.revision,
    ))
}

/// Record that a claimed domain was verified (`managed_domains.edit`).
#[utoipa::path(post, path = "/v2/orgs/{org}/domains/{domain}/verify", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("domain" = String, Path, description = "the domain")),
    responses((status = 200, body = DomainOut)))]
pub async fn verify_domain(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, domain)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::VerifyDomain {
            org: org.clone(),
            domain: domain.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"domain": domain.to_ascii_lowercase(), "verified": true}),
        w.revision,
    ))
}

/// Drop a claimed domain (`managed_domains.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org}/domains/{domain}", tag = "directory",
    params(("org" = String, Path, description = "the organization"), ("domain" = String, Path, description = "the domain")),
    responses((status = 200, description = "removed")))]
pub async fn remove_domain(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, domain)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::RemoveDomain {
            org: org.clone(),
            domain: domain.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        json!({"domain": domain.to_ascii_lowercase(), "removed": true}),
        w.revision,
    ))
}

/// The members whose email is outside the company's allowed domains
/// (`managed_domains.view`); empty when no allowlist is set.
#[utoipa::path(get, path = "/v2/orgs/{org}/domain-violations", tag = "directory",
    params(("org" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<OrgMemberOut>)))]
pub async fn domain_violations(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<OrgMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some("managed_domains.view"),
        app.engine.now(),
    )?;
    let Some(x) = state.org(o) else {
        return Err(ApiError::not_found("organization", &org));
    };
    Ok(axum::Json(pager.walk(
        &x.members,
        |u| u.get(),
        |u| {
            let user = state.user(*u)?;
            if email_allowed(&x.settings, None, &user.email) {
                return None;
            }
            member_out(state, o, &user.id)
        },
    )?))
}
