//! The operator's directory of an organization: members (with their admin roles), their
//! removal, teams with their admins and members, and SCIM tokens for the organization's
//! identity provider.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::catalog::AdminRole;
use easel_core::command::Command;
use easel_core::roles::{MemberKind, TeamRole};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodiless::no_body;
use super::members::SuccessorQuery;
use super::operator::{UserOut, operator, run_as_operator};
use super::scim_tokens::{ScimTokenIn, ScimTokenMade, issue};
use super::written;
use crate::AppState;
use crate::auth::Caller;
use crate::engine::Acting;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::{Json, Path, Query};
use utoipa_axum::routes;

/// The operator's routes into an organization's directory.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(add_member), Rule::NotForApps)
        .add(routes!(remove_member), Rule::NotForApps)
        .add(routes!(create_team), Rule::NotForApps)
        .add(routes!(create_scim_token), Rule::NotForApps)
}

/// An organization the operator may name: not unknown, not closed.
fn known(app: &AppState, org: &str) -> Result<(), ApiError> {
    let reader = app.engine.read();
    reader
        .state()
        .find_org(org)
        .map(drop)
        .ok_or_else(|| ApiError::not_found("organization", org))
}

/// A member to add: an existing identity by id or by address, or a new one by address.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberIn {
    /// An existing user.
    pub user_id: Option<String>,
    /// The sign-in address: an existing identity's, or a new one's.
    pub email: Option<String>,
    /// A new identity's name.
    #[serde(default)]
    pub name: String,
    /// `member` (the default) or `guest`.
    pub kind: Option<String>,
    /// Organization-level admin roles to assign (`company_admin`, `user_admin`,
    /// `content_admin`, `security_admin`).
    #[serde(default)]
    pub admin_roles: Vec<String>,
}

/// A member added.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberAdded {
    /// The user.
    pub user: Option<UserOut>,
    /// `member` or `guest`.
    pub kind: &'static str,
    /// The admin roles assigned.
    pub admin_roles: Vec<&'static str>,
}

/// Add a member or guest with admin roles, all or nothing.
#[utoipa::path(post, path = "/v2/operator/organizations/{org_id}/members", tag = "operator", request_body = MemberIn,
    operation_id = "easel-operator-add-member",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = MemberAdded)))]
pub async fn add_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<MemberIn>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    known(&app, &org)?;
    let kind = match body.kind.as_deref() {
        None | Some("member") => MemberKind::Member,
        Some("guest") => MemberKind::Guest,
        Some(other) => return Err(ApiError::invalid(format!("unknown kind `{other}`"))),
    };
    let roles = body
        .admin_roles
        .iter()
        .map(|r| {
            AdminRole::parse(r)
                .ok_or_else(|| ApiError::invalid(format!("unknown admin role `{r}`")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The engine adds by address: an existing identity's is found there, a new one's is
    // registered under the id drawn here.
    let (user, email, name) = match (&body.user_id, &body.email) {
        (Some(id), None) => {
            let found = UserOut::of(app.engine.read().state(), id)
                .ok_or_else(|| ApiError::not_found("user", id))?;
            (found.id, found.email, found.name)
        }
        (None, Some(email)) => {
            let existing = {
                let reader = app.engine.read();
                let state = reader.state();
                state
                    .find_email(email.trim())
                    .and_then(|u| state.user(u))
                    .map(|u| u.id.to_string())
            };
            let id = match existing {
                Some(id) => id,
                None => crate::ids::new_id("usr")?,
            };
            (id, email.clone(), body.name.clone())
        }
        _ => {
            return Err(ApiError::invalid(
                "name the member by `userId` or by `email`, not both",
            ));
        }
    };
    let mut commands = vec![Command::AddMember {
        org: org.clone(),
        user: user.clone(),
        email,
        name,
        kind,
    }];
    for role in &roles {
        commands.push(Command::AssignAdminRole {
            org: org.clone(),
            user: user.clone(),
            role: *role,
            team: None,
        });
    }
    let w = run_as_operator(&app, &token, commands).await?;
    let out = MemberAdded {
        user: UserOut::of(app.engine.read().state(), &user),
        kind: kind.as_str(),
        admin_roles: roles.iter().map(|r| r.as_str()).collect(),
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// Remove a member; their boards go to the successor, else each to the oldest admin of its
/// team, else to the account owner.
#[utoipa::path(delete, path = "/v2/operator/organizations/{org_id}/members/{member_id}", tag = "operator",
    operation_id = "easel-operator-remove-member",
    params(("org_id" = String, Path, description = "the organization"), ("member_id" = String, Path, description = "the user"), SuccessorQuery),
    responses((status = 204, description = "removed")))]
pub async fn remove_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, member)): Path<(String, String)>,
    Query(q): Query<SuccessorQuery>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    known(&app, &org)?;
    let w = run_as_operator(
        &app,
        &token,
        vec![Command::RemoveUser {
            org,
            user: member,
            successor: q.successor,
        }],
    )
    .await?;
    Ok(no_body(StatusCode::NO_CONTENT, w.revision))
}

/// A new team.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamIn {
    /// The name.
    pub name: String,
    /// Members who administer it (a team with members has at least one).
    #[serde(default)]
    pub admins: Vec<String>,
    /// Its other members.
    #[serde(default)]
    pub members: Vec<String>,
}

/// A team made.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamMade {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// Its admins.
    pub admins: Vec<String>,
    /// Its other members.
    pub members: Vec<String>,
}

/// Create a team with its admins and members, all or nothing.
#[utoipa::path(post, path = "/v2/operator/organizations/{org_id}/teams", tag = "operator", request_body = TeamIn,
    operation_id = "easel-operator-create-team",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = TeamMade)))]
pub async fn create_team(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<TeamIn>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    known(&app, &org)?;
    let team = crate::ids::new_id("team")?;
    let mut commands = vec![Command::CreateTeam {
        org,
        team: team.clone(),
        name: body.name.clone(),
    }];
    let roles = body
        .admins
        .iter()
        .map(|u| (u, TeamRole::Admin))
        .chain(body.members.iter().map(|u| (u, TeamRole::Member)));
    for (user, role) in roles {
        commands.push(Command::SetTeamMember {
            team: team.clone(),
            user: user.clone(),
            role,
        });
    }
    let w = run_as_operator(&app, &token, commands).await?;
    let out = TeamMade {
        id: team,
        name: body.name,
        admins: body.admins,
        members: body.members,
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// Make a SCIM token for the organization's identity provider (for its admin to paste
/// into Okta or Entra); the secret is shown once.
#[utoipa::path(post, path = "/v2/operator/organizations/{org_id}/scim-tokens", tag = "operator", request_body = ScimTokenIn,
    operation_id = "easel-operator-create-scim-token",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = ScimTokenMade)))]
pub async fn create_scim_token(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<ScimTokenIn>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    known(&app, &org)?;
    let (out, revision) = issue(&app, Acting::Provisioner(token), &org, body.name).await?;
    Ok(written(StatusCode::CREATED, &out, revision))
}
