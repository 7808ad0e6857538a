//! The organization's managed domains (claimed, verified, dropped) and the members whose
//! email falls outside the company's allowed domains.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::settings::email_allowed;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::board_members::PageQuery;
use super::orgs::{OrgMemberOut, seen_org};
use super::{run_in_org, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{ORG_READ, Rule};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The managed domain routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(domains), ORG_READ)
        .add(routes!(add_domain), Rule::NotForApps)
        .add(routes!(remove_domain), Rule::NotForApps)
        .add(routes!(verify_domain), Rule::NotForApps)
        .add(routes!(domain_violations), ORG_READ)
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
#[utoipa::path(get, path = "/v2/orgs/{org_id}/domains", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
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
        Some(Privilege::ManagedDomainsView),
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

/// A managed domain dropped.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DomainRemoved {
    /// The domain, lower case.
    pub domain: String,
    /// Always `true`.
    pub removed: bool,
}

/// A domain to claim.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainIn {
    /// The domain.
    pub domain: String,
}

/// Claim a domain (`managed_domains.edit`); it is unverified until verified.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/domains", tag = "directory", request_body = DomainIn,
    params(("org_id" = String, Path, description = "the organization")),
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
        &DomainOut {
            domain: body.domain.to_ascii_lowercase(),
            verified: false,
        },
        w.revision,
    ))
}

/// Record that a claimed domain was verified (`managed_domains.edit`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/domains/{domain}/verify", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("domain" = String, Path, description = "the domain")),
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
        &DomainOut {
            domain: domain.to_ascii_lowercase(),
            verified: true,
        },
        w.revision,
    ))
}

/// Drop a claimed domain (`managed_domains.edit`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/domains/{domain}", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), ("domain" = String, Path, description = "the domain")),
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
        &DomainRemoved {
            domain: domain.to_ascii_lowercase(),
            removed: true,
        },
        w.revision,
    ))
}

/// The members whose email is outside the company's allowed domains
/// (`managed_domains.view`); empty when no allowlist is set.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/domain-violations", tag = "directory",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
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
        Some(Privilege::ManagedDomainsView),
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
            OrgMemberOut::of(state, o, *u)
        },
    )?))
}
