//! The operator's organizations: create one for a named owner, read it, change its name or
//! plan, name its account owner, close it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::catalog::Plan;
use easel_core::command::Command;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bodiless::no_body;
use super::operator::{operator, run_as_operator};
use super::written;
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::{Json, Path};
use utoipa_axum::routes;

/// The operator's organization routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(create_org), Rule::NotForApps)
        .add(routes!(read_org), Rule::NotForApps)
        .add(routes!(update_org), Rule::NotForApps)
        .add(routes!(delete_org), Rule::NotForApps)
        .add(routes!(set_owner), Rule::NotForApps)
}

/// An organization as the operator sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperatorOrgOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The plan (`free`, `starter`, `business`, `consultant`, `education`, `enterprise`).
    pub plan: &'static str,
    /// Whether the Guard add-on is on (enterprise only).
    pub guard: bool,
    /// The account owner.
    pub owner_id: Option<String>,
    /// How many members and guests it has.
    pub members: usize,
}

impl OperatorOrgOut {
    /// The organization `id`, unless it is unknown or closed.
    pub fn of(state: &easel_core::State, id: &str) -> Option<OperatorOrgOut> {
        let o = state.org(state.find_org(id)?)?;
        Some(OperatorOrgOut {
            id: o.id.to_string(),
            name: o.name.clone(),
            plan: o.plan.as_str(),
            guard: o.guard,
            owner_id: o
                .owner
                .and_then(|u| state.user(u))
                .map(|u| u.id.to_string()),
            members: o.members.len(),
        })
    }
}

fn plan(text: &str) -> Result<Plan, ApiError> {
    Plan::parse(text).ok_or_else(|| ApiError::invalid(format!("unknown plan `{text}`")))
}

/// A new organization id: ten digits, as the reference platform's organization ids are
/// (its legal-hold routes take no other).
fn new_org_id() -> Result<String, ApiError> {
    let hex = crate::ids::random_hex(8)?;
    let n = u64::from_str_radix(&hex, 16).map_err(ApiError::internal)?;
    Ok((1_000_000_000 + n % 9_000_000_000).to_string())
}

/// A new organization.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgIn {
    /// The name.
    pub name: String,
    /// The plan.
    pub plan: String,
    /// The user who owns it: its first member, account owner, and company admin on
    /// enterprise.
    pub owner_id: String,
    /// Its id; ten random digits when left out.
    pub id: Option<String>,
}

/// Create an organization for a named owner.
#[utoipa::path(post, path = "/v2/operator/organizations", tag = "operator", request_body = OrgIn,
    operation_id = "easel-operator-create-organization",
    responses((status = 201, body = OperatorOrgOut)))]
pub async fn create_org(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<OrgIn>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    let plan = plan(&body.plan)?;
    let id = match body.id {
        Some(id) => id,
        None => new_org_id()?,
    };
    let w = run_as_operator(
        &app,
        &token,
        vec![Command::CreateOrg {
            org: id.clone(),
            name: body.name,
            plan,
            owner: Some(body.owner_id),
        }],
    )
    .await?;
    let out = OperatorOrgOut::of(app.engine.read().state(), &id);
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// An organization known to the operator, or a 404 (a closed one included).
fn known(app: &AppState, org: &str) -> Result<OperatorOrgOut, ApiError> {
    OperatorOrgOut::of(app.engine.read().state(), org)
        .ok_or_else(|| ApiError::not_found("organization", org))
}

/// Read an organization.
#[utoipa::path(get, path = "/v2/operator/organizations/{org_id}", tag = "operator",
    operation_id = "easel-operator-get-organization",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = OperatorOrgOut)))]
pub async fn read_org(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<OperatorOrgOut>, ApiError> {
    operator(&caller)?;
    known(&app, &org).map(axum::Json)
}

/// What the operator changes about an organization.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrgPatch {
    /// The name.
    pub name: Option<String>,
    /// The plan; features it lacks switch off, nothing is deleted.
    pub plan: Option<String>,
    /// The Guard add-on (enterprise only).
    pub guard: Option<bool>,
}

/// Rename an organization, or change its plan or add-on (together, all or nothing).
#[utoipa::path(patch, path = "/v2/operator/organizations/{org_id}", tag = "operator", request_body = OrgPatch,
    operation_id = "easel-operator-update-organization",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = OperatorOrgOut)))]
pub async fn update_org(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<OrgPatch>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    let current = known(&app, &org)?;
    let mut commands = Vec::new();
    if let Some(name) = body.name {
        commands.push(Command::UpdateOrgProfile {
            org: org.clone(),
            name,
        });
    }
    if body.plan.is_some() || body.guard.is_some() {
        // What is left out stays as it is.
        let plan = plan(body.plan.as_deref().unwrap_or(current.plan))?;
        commands.push(Command::ChangePlan {
            org: org.clone(),
            plan,
            guard: body
                .guard
                .unwrap_or(current.guard && plan == Plan::Enterprise),
        });
    }
    if commands.is_empty() {
        let revision = app.engine.read().revision();
        return Ok(written(StatusCode::OK, &current, revision));
    }
    let w = run_as_operator(&app, &token, commands).await?;
    let out = OperatorOrgOut::of(app.engine.read().state(), &org);
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Close an organization: every board purged, its teams, projects and groups deleted, its
/// apps uninstalled, its tokens revoked, every membership removed; its id is then unknown.
/// Refused while a legal hold is active.
#[utoipa::path(delete, path = "/v2/operator/organizations/{org_id}", tag = "operator",
    operation_id = "easel-operator-delete-organization",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 204, description = "closed")))]
pub async fn delete_org(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    known(&app, &org)?;
    let w = run_as_operator(&app, &token, vec![Command::DeleteOrg { org }]).await?;
    Ok(no_body(StatusCode::NO_CONTENT, w.revision))
}

/// The new account owner.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OwnerIn {
    /// An active member (not a guest) of the organization.
    pub user_id: String,
}

/// Name the account owner.
#[utoipa::path(put, path = "/v2/operator/organizations/{org_id}/owner", tag = "operator", request_body = OwnerIn,
    operation_id = "easel-operator-set-organization-owner",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = OperatorOrgOut)))]
pub async fn set_owner(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<OwnerIn>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    known(&app, &org)?;
    let w = run_as_operator(
        &app,
        &token,
        vec![Command::SetOrgOwner {
            org: org.clone(),
            user: body.user_id,
        }],
    )
    .await?;
    let out = OperatorOrgOut::of(app.engine.read().state(), &org);
    Ok(written(StatusCode::OK, &out, w.revision))
}
