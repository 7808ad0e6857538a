//! Organizations: the organization, its members, and its company settings.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::catalog::{AdminRole, Privilege};
use easel_core::codes::Code;
use easel_core::command::Command;
use easel_core::ids::{OrgIx, UserIx};
use easel_core::request::Target;
use easel_core::settings::CompanySettings;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{may, revision_header, run};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{ORG_READ, Rule, USERS_READ};
use crate::table::Routes;
use crate::tenancy::visible_org;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The organization's routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(read), ORG_READ)
        .add(routes!(members), USERS_READ)
        .add(routes!(settings), ORG_READ)
        .add(routes!(update_settings), Rule::NotForApps)
}

/// An organization the caller may see, or a 404; with `privilege`, the caller must also hold
/// it (a 403 naming it otherwise).
pub fn seen_org(
    state: &EngineState,
    caller: &Caller,
    id: &str,
    privilege: Option<Privilege>,
    now: Time,
) -> Result<OrgIx, ApiError> {
    let o = state
        .find_org(id)
        .ok_or_else(|| ApiError::not_found("organization", id))?;
    visible_org(state, caller, Target::Org(o))?;
    let view = may(state, caller, EngineAction::OrgView, Target::Org(o), now);
    if let Some(d) = view.denial {
        return Err(if d.layer() == easel_core::codes::Layer::Credential {
            ApiError::new(d.code, d.message())
        } else {
            ApiError::not_found("organization", id)
        });
    }
    if let Some(p) = privilege {
        let decision = may(state, caller, p, Target::Org(o), now);
        if let Some(d) = decision.denial {
            return Err(ApiError::new(d.code, d.message()).with_layer(d.layer()));
        }
    }
    Ok(o)
}

/// An organization.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// `free`, `starter`, `business` or `enterprise`.
    pub plan: String,
    /// How many members and guests.
    pub member_count: usize,
}

/// The organization, for its members.
#[utoipa::path(get, path = "/v2/orgs/{org}", tag = "organizations",
    params(("org" = String, Path, description = "the organization")),
    responses((status = 200, body = OrgOut), (status = 404, description = "unknown, or not the caller's")))]
pub async fn read(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<OrgOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, None, app.engine.now())?;
    let x = state
        .org(o)
        .ok_or_else(|| ApiError::not_found("organization", &org))?;
    Ok(axum::Json(OrgOut {
        id: x.id.to_string(),
        name: x.name.clone(),
        plan: x.plan.as_str().to_string(),
        member_count: x.members.len(),
    }))
}

/// A member of the organization.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrgMemberOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// `member` or `guest`.
    pub kind: &'static str,
    /// Their admin roles.
    pub admin_roles: Vec<&'static str>,
    /// Their licence.
    pub licence: &'static str,
    /// Whether they are active in the organization.
    pub active: bool,
}

impl OrgMemberOut {
    /// The user `u` as a member of the organization `o`, or nothing if they are not one.
    pub fn of(state: &EngineState, o: OrgIx, u: UserIx) -> Option<OrgMemberOut> {
        let m = state.membership(u, o)?;
        let user = state.user(u)?;
        Some(OrgMemberOut {
            id: user.id.to_string(),
            name: user.name.clone(),
            email: user.email.to_string(),
            kind: m.kind.as_str(),
            admin_roles: m.admin_roles.iter().map(AdminRole::as_str).collect(),
            licence: m.licence.as_str(),
            active: m.active,
        })
    }
}

/// Filters and paging of the member list.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MembersQuery {
    /// Only these emails (comma-separated).
    pub emails: Option<String>,
    /// Only holders of this admin role, or `member` / `guest`.
    pub role: Option<String>,
    /// Only this licence.
    pub licence: Option<String>,
    /// Only active (`true`) or deactivated (`false`) members.
    pub active: Option<bool>,
    /// Page size, 1 to 100.
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The organization's members and guests (`users.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/members", tag = "organizations",
    params(("org" = String, Path, description = "the organization"), MembersQuery),
    responses((status = 200, body = CursorList<OrgMemberOut>)))]
pub async fn members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<axum::Json<CursorList<OrgMemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::UsersView),
        app.engine.now(),
    )?;
    let x = state
        .org(o)
        .ok_or_else(|| ApiError::not_found("organization", &org))?;
    let emails: Option<Vec<String>> = q.emails.as_deref().map(|e| {
        e.split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .collect()
    });
    // The members are walked in order of user from the cursor, filtered as they come, and
    // the walk stops once the page is full and one more shows another follows.
    let mut items = Vec::with_capacity(pager.limit);
    let (mut more, mut last) = (false, None);
    let start = match pager.after_index()? {
        Some(after) => x.members.partition_point(|u| u.get() <= after),
        None => 0,
    };
    for u in x.members.get(start..).unwrap_or_default() {
        let (Some(user), Some(m)) = (state.user(*u), state.membership(*u, o)) else {
            continue;
        };
        let keep = emails
            .as_ref()
            .is_none_or(|list| list.iter().any(|e| e == &*user.email))
            && q.role.as_deref().is_none_or(|r| {
                m.kind.as_str() == r || m.admin_roles.iter().any(|x| x.as_str() == r)
            })
            && q.licence.as_deref().is_none_or(|l| m.licence.as_str() == l)
            && q.active.is_none_or(|a| m.active == a);
        if !keep {
            continue;
        }
        if items.len() == pager.limit {
            more = true;
            break;
        }
        last = Some(u.get());
        items.extend(OrgMemberOut::of(state, o, *u));
    }
    let next = more.then(|| last.map(|l| format!("i{l}"))).flatten();
    Ok(axum::Json(pager.page(items, next.as_deref())))
}

/// The company settings (`collaboration_settings.view`).
#[utoipa::path(get, path = "/v2/orgs/{org}/settings", tag = "organizations",
    params(("org" = String, Path, description = "the organization")),
    responses((status = 200, description = "the company settings, keyed as in the settings catalog")))]
pub async fn settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::CollaborationSettingsView),
        app.engine.now(),
    )?;
    let x = state
        .org(o)
        .ok_or_else(|| ApiError::not_found("organization", &org))?;
    super::sorted(&x.settings)
}

/// Merges `patch` (some settings) into `current`: the keys given replace theirs.
pub fn merged<T>(current: &T, patch: Value) -> Result<T, ApiError>
where
    T: Serialize + for<'de> Deserialize<'de>,
{
    let Value::Object(changes) = patch else {
        return Err(ApiError::new(
            Code::RequestInvalidJson,
            "the body is an object of settings",
        ));
    };
    let mut value = crate::wire::to_body(current)?;
    if let Some(object) = value.as_object_mut() {
        for (k, v) in changes {
            object.insert(k, v);
        }
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::new(Code::RequestInvalidJson, e.to_string()))
}

/// Change some company settings; each changed key needs its own edit privilege.
#[utoipa::path(patch, path = "/v2/orgs/{org}/settings", tag = "organizations",
    params(("org" = String, Path, description = "the organization")),
    request_body(content = Object, description = "the settings to change, keyed as in the settings catalog"),
    responses((status = 200, description = "the company settings after the change")))]
pub async fn update_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(patch): Json<Value>,
) -> Result<Response, ApiError> {
    let next: CompanySettings = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        let x = state
            .org(o)
            .ok_or_else(|| ApiError::not_found("organization", &org))?;
        merged(&x.settings, patch)?
    };
    let w = run(
        &app,
        &caller,
        Command::UpdateCompanySettings {
            org: org.clone(),
            settings: next,
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let settings = state
        .find_org(&org)
        .and_then(|o| state.org(o))
        .map(|x| &x.settings);
    Ok(revision_header(StatusCode::OK, &settings, w.revision))
}
