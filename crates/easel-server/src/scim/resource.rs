//! Easel's state as SCIM resources: a member of the organization as a User (core schema
//! and the enterprise extension), a team as a Group, each with its `meta` and version.
//!
//! What is answered for what Easel has no record of:
//! - `meta.created` and `meta.lastModified` of a User come from the member's profile,
//!   which every SCIM write sets; a member never provisioned through SCIM has no profile,
//!   and their User carries neither (the RFC makes neither required), rather than a made-up
//!   instant. Groups carry neither either: Easel keeps no times for teams.
//! - A Group has no `externalId`: Easel keeps none for teams (the Schemas say so by not
//!   listing it for Groups; a filter on it matches nothing).
//! - `displayName` is the profile's when the member has one, else the user's name.

use axum::extract::FromRequestParts;
use axum::http::header::HOST;
use axum::http::request::Parts;
use easel_core::State;
use easel_core::catalog::AdminRole;
use easel_core::ids::{OrgIx, TeamIx, UserIx};
use easel_core::model::{Licence, UserStatus};
use easel_core::roles::MemberKind;
use serde_json::{Map, Value, json};

use super::edge::BASE_PATH;
use super::etag::weak_of;
use super::schema::{
    ENTERPRISE_USER, GROUP, ORGANIZATION_ADMIN_ROLE, ORGANIZATION_USER_ROLE, USER,
};
use crate::wire::iso;

/// The SCIM base URL of a request (`http://host/scim/v2`), for `meta.location`: from the
/// request's `Host` and, behind a proxy, `X-Forwarded-Proto` (Easel has no public URL
/// setting).
#[derive(Clone, Debug)]
pub struct Base(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Base {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .or_else(|| parts.uri.authority().map(|a| a.to_string()))
            .filter(|h| {
                !h.is_empty()
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
            })
            .unwrap_or_else(|| "localhost".to_string());
        let scheme = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|h| h.to_str().ok())
            .filter(|p| p.eq_ignore_ascii_case("https"))
            .map_or("http", |_| "https");
        Ok(Base(format!("{scheme}://{host}{BASE_PATH}")))
    }
}

/// The admin roles SCIM writes as `organization_admin_role`s, with their SCIM values.
pub const ADMIN_ROLES: &[(AdminRole, &str)] = &[
    (AdminRole::ContentAdmin, "Content Admin"),
    (AdminRole::UserAdmin, "User Admin"),
    (AdminRole::SecurityAdmin, "Security Admin"),
];
/// The primary role of a company admin.
pub const INTERNAL_ADMIN: &str = "ORGANIZATION_INTERNAL_ADMIN";
/// The primary role of everyone else.
pub const INTERNAL_USER: &str = "ORGANIZATION_INTERNAL_USER";

/// The licence as a `userType`.
pub fn user_type(licence: Licence) -> &'static str {
    match licence {
        Licence::Full => "Full",
        Licence::Occasional => "Occasional",
        Licence::Free => "Free",
        Licence::FreeRestricted => "Free Restricted",
    }
}

/// The licence a `userType` names (case-insensitively).
pub fn licence_of(user_type: &str) -> Option<Licence> {
    [
        Licence::Full,
        Licence::Occasional,
        Licence::Free,
        Licence::FreeRestricted,
    ]
    .into_iter()
    .find(|l| self::user_type(*l).eq_ignore_ascii_case(user_type.trim()))
}

/// A member of the organization SCIM shows: known, a member (never a guest).
pub fn find_user(state: &State, org: OrgIx, id: &str) -> Option<UserIx> {
    let u = state.find_user(id)?;
    is_listed(state, org, u).then_some(u)
}

/// Whether a user is one of the organization's Users: a member, not a guest.
pub fn is_listed(state: &State, org: OrgIx, u: UserIx) -> bool {
    state
        .membership(u, org)
        .is_some_and(|m| m.kind == MemberKind::Member)
}

/// A team of the organization, not deleted.
pub fn find_group(state: &State, org: OrgIx, id: &str) -> Option<TeamIx> {
    let t = state.find_team(id)?;
    state
        .team(t)
        .is_some_and(|team| team.org == org && !team.deleted)
        .then_some(t)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        map.insert(key.to_string(), Value::String(v.to_string()));
    }
}

/// A member as a User, without `meta.location` and `meta.version` (see `finish`).
pub fn user(state: &State, org: OrgIx, u: UserIx) -> Option<Value> {
    let user = state.user(u)?;
    let membership = state.membership(u, org)?;
    if membership.kind != MemberKind::Member {
        return None;
    }
    let profile = state.org(org).and_then(|o| o.profiles.get(&u));
    let fields = profile.map(|p| &p.fields);
    let mut out = Map::new();
    let mut schemas = vec![Value::from(USER)];
    out.insert("id".into(), Value::String(user.id.to_string()));
    put(
        &mut out,
        "externalId",
        fields.and_then(|f| f.external_id.as_deref()),
    );
    out.insert("userName".into(), Value::String(user.email.to_string()));
    let mut name = Map::new();
    if let Some(f) = fields {
        put(&mut name, "formatted", f.formatted_name.as_deref());
        put(&mut name, "familyName", f.family_name.as_deref());
        put(&mut name, "givenName", f.given_name.as_deref());
    }
    if !name.is_empty() {
        out.insert("name".into(), Value::Object(name));
    }
    let display = match fields {
        Some(f) => f.display_name.as_deref(),
        None => Some(user.name.as_str()),
    };
    put(&mut out, "displayName", display);
    out.insert(
        "userType".into(),
        Value::from(user_type(membership.licence)),
    );
    out.insert(
        "active".into(),
        Value::Bool(membership.active && user.status == UserStatus::Active),
    );
    let emails: Vec<Value> = fields
        .map(|f| {
            f.emails
                .iter()
                .map(|e| {
                    let mut m = Map::new();
                    m.insert("value".into(), Value::String(e.value.clone()));
                    put(&mut m, "type", e.kind.as_deref());
                    m.insert("primary".into(), Value::Bool(e.primary));
                    Value::Object(m)
                })
                .collect()
        })
        .unwrap_or_default();
    if !emails.is_empty() {
        out.insert("emails".into(), Value::Array(emails));
    }
    let company_admin = membership.admin_roles.contains(AdminRole::CompanyAdmin);
    let mut roles = vec![json!({
        "value": if company_admin { INTERNAL_ADMIN } else { INTERNAL_USER },
        "type": ORGANIZATION_USER_ROLE,
        "primary": true,
    })];
    for (role, value) in ADMIN_ROLES {
        if membership.admin_roles.contains(*role) {
            roles.push(json!({"value": value, "type": ORGANIZATION_ADMIN_ROLE, "primary": false}));
        }
    }
    out.insert("roles".into(), Value::Array(roles));
    let groups: Vec<Value> = user
        .teams
        .iter()
        .filter_map(|(t, _)| state.team(*t))
        .filter(|t| t.org == org && !t.deleted)
        .map(|t| json!({"value": t.id.to_string(), "display": t.name}))
        .collect();
    if !groups.is_empty() {
        out.insert("groups".into(), Value::Array(groups));
    }
    if let Some(f) = fields {
        let mut ext = Map::new();
        put(&mut ext, "employeeNumber", f.employee_number.as_deref());
        put(&mut ext, "costCenter", f.cost_center.as_deref());
        put(&mut ext, "organization", f.organization.as_deref());
        put(&mut ext, "division", f.division.as_deref());
        put(&mut ext, "department", f.department.as_deref());
        let mut manager = Map::new();
        put(&mut manager, "value", f.manager_id.as_deref());
        put(&mut manager, "displayName", f.manager_name.as_deref());
        if !manager.is_empty() {
            ext.insert("manager".into(), Value::Object(manager));
        }
        if !ext.is_empty() {
            schemas.push(Value::from(ENTERPRISE_USER));
            out.insert(ENTERPRISE_USER.into(), Value::Object(ext));
        }
    }
    out.insert("schemas".into(), Value::Array(schemas));
    let mut meta = Map::new();
    meta.insert("resourceType".into(), Value::from("User"));
    if let Some(p) = profile {
        meta.insert("created".into(), Value::String(iso(p.created_at)));
        meta.insert("lastModified".into(), Value::String(iso(p.modified_at)));
    }
    out.insert("meta".into(), Value::Object(meta));
    Some(Value::Object(out))
}

/// A team as a Group, without `meta.location` and `meta.version` (see `finish`). Its
/// members are the team's users (guests never are).
pub fn group(state: &State, org: OrgIx, t: TeamIx) -> Option<Value> {
    let team = state.team(t).filter(|x| x.org == org && !x.deleted)?;
    let members: Vec<Value> = team
        .members
        .iter()
        .filter(|(u, _)| is_listed(state, org, *u))
        .filter_map(|(u, _)| state.user(*u))
        .map(|u| json!({"value": u.id.to_string(), "type": "User", "display": u.name}))
        .collect();
    let mut out = Map::new();
    out.insert("schemas".into(), json!([GROUP]));
    out.insert("id".into(), Value::String(team.id.to_string()));
    out.insert("displayName".into(), Value::String(team.name.clone()));
    if !members.is_empty() {
        out.insert("members".into(), Value::Array(members));
    }
    out.insert("meta".into(), json!({"resourceType": "Group"}));
    Some(Value::Object(out))
}

/// A resource as answered: its version (a weak hash of the resource without the
/// request's host in it, so a version is the same however the server was reached) in
/// `meta.version`, its `meta.location`, and member and group references. Returns the
/// resource and its ETag.
pub fn finish(mut resource: Value, base: &Base, endpoint: &str) -> (Value, String) {
    let tag = weak_of(&resource);
    let id = resource
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let base = &base.0;
    for (list, target) in [("members", "Users"), ("groups", "Groups")] {
        if let Some(items) = resource.get_mut(list).and_then(Value::as_array_mut) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                let value = item
                    .get("value")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                if let Some(v) = value {
                    item.insert("$ref".into(), Value::String(format!("{base}/{target}/{v}")));
                }
            }
        }
    }
    if let Some(meta) = resource.get_mut("meta").and_then(Value::as_object_mut) {
        meta.insert(
            "location".into(),
            Value::String(format!("{base}/{endpoint}/{id}")),
        );
        meta.insert("version".into(), Value::String(tag.clone()));
    }
    (resource, tag)
}

/// A resource's ETag alone, as `finish` computes it.
pub fn version(resource: &Value) -> String {
    weak_of(resource)
}
