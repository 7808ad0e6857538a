//! Organizations: the organization, its members, and its company settings.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::catalog::{AdminRole, Plan, Privilege};
use easel_core::codes::Code;
use easel_core::command::Command;
use easel_core::ids::{OrgIx, UserIx};
use easel_core::model::{Licence, Membership};
use easel_core::request::Target;
use easel_core::roles::MemberKind;
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
    /// The plan in the reference platform's vocabulary (`plan_name`): `free` is
    /// `free_team_org`, `starter` `professional_2022`, `business` `business`, `consultant`
    /// `consultant`, `education` `edu_team_org`, `enterprise` `company`.
    pub plan: &'static str,
    /// Easel's own name of the plan: `free`, `starter`, `business`, `consultant`,
    /// `education` or `enterprise`.
    pub easel_plan: &'static str,
    /// Full licences: Easel keeps no purchase record, so this counts the members who hold
    /// a full licence.
    pub full_licenses_purchased: usize,
    /// How many members and guests.
    pub member_count: usize,
    /// Always `organization`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// An Easel plan as the reference platform names plans.
pub fn plan_name(plan: Plan) -> &'static str {
    match plan {
        Plan::Free => "free_team_org",
        Plan::Starter => "professional_2022",
        Plan::Business => "business",
        Plan::Consultant => "consultant",
        Plan::Education => "edu_team_org",
        Plan::Enterprise => "company",
    }
}

/// The organization, for its members.
#[utoipa::path(get, path = "/v2/orgs/{org_id}", tag = "organizations",
    operation_id = "enterprise-get-organization",
    params(("org_id" = String, Path, description = "the organization")),
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
    let full = x
        .members
        .iter()
        .filter(|u| {
            state
                .membership(**u, o)
                .is_some_and(|m| m.licence == Licence::Full)
        })
        .count();
    Ok(axum::Json(OrgOut {
        id: x.id.to_string(),
        name: x.name.clone(),
        plan: plan_name(x.plan),
        easel_plan: x.plan.as_str(),
        full_licenses_purchased: full,
        member_count: x.members.len(),
        kind: "organization",
    }))
}

/// An admin role a member holds.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AdminRoleOut {
    /// Always `prebuilt`: Easel's admin roles are those of the catalog.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The role, as the catalog names it (`company_admin`, ...).
    pub name: &'static str,
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
    /// Their role in the reference's vocabulary: `organization_internal_admin` (a company
    /// admin), `organization_internal_user` (any other member) or
    /// `organization_external_user` (a guest).
    pub role: &'static str,
    /// Easel's kind: `member` or `guest`.
    pub kind: &'static str,
    /// Their admin roles.
    pub admin_roles: Vec<AdminRoleOut>,
    /// Their licence: `full`, `occasional`, `free` or `free_restricted`.
    pub license: &'static str,
    /// The same, in Easel's spelling of the field.
    pub licence: &'static str,
    /// Whether they are active in the organization.
    pub active: bool,
    /// Always `organization-member`.
    #[serde(rename = "type")]
    pub object: &'static str,
}

/// A membership's role in the reference's vocabulary.
fn member_role(m: &Membership) -> &'static str {
    match m.kind {
        MemberKind::Guest => "organization_external_user",
        MemberKind::Member if m.admin_roles.contains(AdminRole::CompanyAdmin) => {
            "organization_internal_admin"
        }
        MemberKind::Member => "organization_internal_user",
    }
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
            role: member_role(m),
            kind: m.kind.as_str(),
            admin_roles: m
                .admin_roles
                .iter()
                .map(|r| AdminRoleOut {
                    kind: "prebuilt",
                    name: r.as_str(),
                })
                .collect(),
            license: m.licence.as_str(),
            licence: m.licence.as_str(),
            active: m.active,
            object: "organization-member",
        })
    }
}

/// Filters and paging of the member list.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MembersQuery {
    /// Only these emails (comma-separated): the answer is then a bare array of them, and
    /// the other filters and paging do not apply.
    pub emails: Option<String>,
    /// Only this role (`organization_internal_admin`, `organization_internal_user`,
    /// `organization_external_user`, `organization_team_guest_user`, `unknown`), or, as
    /// Easel also takes, `member`, `guest` or an admin role of the catalog.
    pub role: Option<String>,
    /// Only this licence.
    #[serde(alias = "licence")]
    pub license: Option<String>,
    /// Only active (`true`) or deactivated (`false`) members.
    pub active: Option<bool>,
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The member list: a page, or, asked by emails, the members with those emails.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum MembersOut {
    /// A page of the members the filters keep.
    Page(CursorList<OrgMemberOut>),
    /// The members with the emails asked for.
    ByEmails(Vec<OrgMemberOut>),
}

/// Whether the membership `m` has the role `role`, in either vocabulary.
fn has_role(m: &Membership, role: &str) -> bool {
    member_role(m) == role
        || m.kind.as_str() == role
        || m.admin_roles.iter().any(|x| x.as_str() == role)
}

/// The organization's members and guests (`users.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/members", tag = "organizations",
    operation_id = "enterprise-get-organization-members",
    params(("org_id" = String, Path, description = "the organization"), MembersQuery),
    responses((status = 200, body = MembersOut)))]
pub async fn members(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<axum::Json<MembersOut>, ApiError> {
    let pager = Pager::new(
        &app,
        &caller,
        &list,
        Some(q.limit.unwrap_or(100)),
        q.cursor.as_deref(),
    )?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::UsersView),
        app.engine.now(),
    )?;
    if let Some(emails) = q.emails.as_deref() {
        return Ok(axum::Json(MembersOut::ByEmails(members_by_emails(
            state, o, emails,
        ))));
    }
    let filter = MemberFilter {
        role: q.role.as_deref(),
        licence: q.license.as_deref(),
        active: q.active,
    };
    Ok(axum::Json(MembersOut::Page(member_page(
        state, o, &filter, &pager,
    )?)))
}

/// The members of `o` with the given emails (comma-separated), as the reference answers a
/// lookup by emails: only the emails count.
pub fn members_by_emails(state: &EngineState, o: OrgIx, emails: &str) -> Vec<OrgMemberOut> {
    emails
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .filter_map(|email| {
            state
                .find_email(email)
                .and_then(|u| OrgMemberOut::of(state, o, u))
        })
        .collect()
}

/// What a page of members keeps: each filter given must match.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemberFilter<'a> {
    /// A role in either vocabulary (see [`MembersQuery::role`]).
    pub role: Option<&'a str>,
    /// A licence.
    pub licence: Option<&'a str>,
    /// Active or deactivated.
    pub active: Option<bool>,
}

/// A page of the members of `o` that `filter` keeps, from the pager's cursor.
pub fn member_page(
    state: &EngineState,
    o: OrgIx,
    filter: &MemberFilter<'_>,
    pager: &Pager<'_>,
) -> Result<CursorList<OrgMemberOut>, ApiError> {
    let x = state
        .org(o)
        .ok_or_else(|| ApiError::not_found("organization", ""))?;
    if let Some(l) = filter.licence
        && Licence::parse(l).is_none()
        && !matches!(
            l,
            "advanced" | "standard" | "basic" | "full_trial" | "unknown"
        )
    {
        return Err(ApiError::invalid(format!("unknown licence `{l}`")));
    }
    // The members are walked in order of user from the cursor, filtered as they come, and
    // the walk stops once the page is full and one more shows another follows.
    let mut items = Vec::with_capacity(pager.limit);
    let (mut more, mut last) = (false, None);
    let start = match pager.after_index()? {
        Some(after) => x.members.partition_point(|u| u.get() <= after),
        None => 0,
    };
    for u in x.members.get(start..).unwrap_or_default() {
        let Some(m) = state.membership(*u, o) else {
            continue;
        };
        let keep = filter.role.is_none_or(|r| has_role(m, r))
            && filter.licence.is_none_or(|l| m.licence.as_str() == l)
            && filter.active.is_none_or(|a| m.active == a);
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
    Ok(pager.page(items, next.as_deref()))
}

/// The company settings (`collaboration_settings.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/settings", tag = "organizations",
    operation_id = "easel-get-company-settings",
    params(("org_id" = String, Path, description = "the organization")),
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
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/settings", tag = "organizations",
    operation_id = "easel-update-company-settings",
    params(("org_id" = String, Path, description = "the organization")),
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
