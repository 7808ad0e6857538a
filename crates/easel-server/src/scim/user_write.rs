//! A User as Easel writes it: what a SCIM body asks of a member (`UserDraft`), read from
//! the body the way the schema declares it, and the engine's commands that take the member
//! from what they are to what was asked — only those for what changed, plus the profile,
//! which every write sets so that `meta.lastModified` moves.

use easel_core::State;
use easel_core::catalog::{AdminRole, AdminRoleSet};
use easel_core::command::Command;
use easel_core::ids::{OrgIx, UserIx};
use easel_core::model::{Licence, ProfileEmail, ProfileFields, UserStatus};
use serde_json::{Map, Value};

use super::error::{ScimError, ScimType};
use super::resource::{ADMIN_ROLES, INTERNAL_ADMIN, INTERNAL_USER, licence_of};
use super::schema::ENTERPRISE_USER;

/// What a member is, in the terms SCIM writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserDraft {
    /// The sign-in address (`userName`), lower case.
    pub user_name: String,
    /// Active in the organization.
    pub active: bool,
    /// The licence (`userType`).
    pub licence: Licence,
    /// Company admin (the primary role `ORGANIZATION_INTERNAL_ADMIN`).
    pub company_admin: bool,
    /// The other organization admin roles.
    pub admin_roles: Vec<AdminRole>,
    /// What the directory says of them.
    pub profile: ProfileFields,
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::typed(ScimType::InvalidValue, detail)
}

/// A member's current draft.
pub fn current(state: &State, org: OrgIx, u: UserIx) -> Option<UserDraft> {
    let user = state.user(u)?;
    let m = state.membership(u, org)?;
    let profile = state
        .org(org)
        .and_then(|o| o.profiles.get(&u))
        .map(|p| p.fields.clone())
        .unwrap_or_default();
    Some(UserDraft {
        user_name: user.email.to_string(),
        active: m.active && user.status == UserStatus::Active,
        licence: m.licence,
        company_admin: m.admin_roles.contains(AdminRole::CompanyAdmin),
        admin_roles: ADMIN_ROLES
            .iter()
            .map(|(r, _)| *r)
            .filter(|r| m.admin_roles.contains(*r))
            .collect(),
        profile,
    })
}

/// A member's key, whatever its case.
fn get<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn text(object: &Map<String, Value>, name: &str, path: &str) -> Result<Option<String>, ScimError> {
    match get(object, name) {
        None => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(format!("`{path}` must be a string"))),
    }
}

/// A boolean, also as the strings `"true"`/`"false"` some identity providers send.
fn boolean(value: &Value, path: &str) -> Result<bool, ScimError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(invalid(format!("`{path}` must be true or false"))),
    }
}

fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ScimError> {
    value
        .as_object()
        .ok_or_else(|| invalid(format!("`{path}` must be an object")))
}

fn list<'a>(value: Option<&'a Value>, path: &str) -> Result<Vec<&'a Value>, ScimError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.iter().filter(|v| !v.is_null()).collect()),
        Some(_) => Err(invalid(format!("`{path}` must be a list"))),
    }
}

/// Reads a User body (the whole resource: a POST, a PUT, or a PATCH applied to the
/// current resource). `keep` supplies what a PUT that leaves out `active`, `userType` and
/// `roles` keeps (RFC 7644 §3.5.1 lets a service provider take omitted attributes as not
/// asserted; clearing a company admin's role because a directory does not send roles would
/// be a surprise). A new user's defaults: active, a full licence, no admin role.
pub fn read(body: &Value, keep: Option<&UserDraft>) -> Result<UserDraft, ScimError> {
    super::body::names_schema(body, super::schema::USER)?;
    let body = object(body, "the User")?;
    let user_name = text(body, "userName", "userName")?
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("`userName` is required: the user's email address"))?;
    let active = match get(body, "active") {
        Some(v) => boolean(v, "active")?,
        None => keep.is_none_or(|k| k.active),
    };
    let licence = match text(body, "userType", "userType")? {
        Some(t) => licence_of(&t).ok_or_else(|| {
            invalid(format!(
                "`userType` is one of Full, Occasional, Free, Free Restricted; not `{t}`"
            ))
        })?,
        None => keep.map_or(Licence::Full, |k| k.licence),
    };
    let (company_admin, admin_roles) = match get(body, "roles") {
        None => keep.map_or((false, Vec::new()), |k| {
            (k.company_admin, k.admin_roles.clone())
        }),
        Some(v) => roles(list(Some(v), "roles")?)?,
    };
    let mut profile = ProfileFields {
        external_id: text(body, "externalId", "externalId")?,
        display_name: text(body, "displayName", "displayName")?,
        // Not a declared attribute: what Easel holds is kept.
        preferred_language: keep.and_then(|k| k.profile.preferred_language.clone()),
        ..ProfileFields::default()
    };
    if let Some(name) = get(body, "name") {
        let name = object(name, "name")?;
        profile.formatted_name = text(name, "formatted", "name.formatted")?;
        profile.given_name = text(name, "givenName", "name.givenName")?;
        profile.family_name = text(name, "familyName", "name.familyName")?;
    }
    for item in list(get(body, "emails"), "emails")? {
        let email = object(item, "emails")?;
        let Some(value) = text(email, "value", "emails.value")? else {
            continue;
        };
        profile.emails.push(ProfileEmail {
            value,
            kind: text(email, "type", "emails.type")?,
            primary: get(email, "primary")
                .map(|p| boolean(p, "emails.primary"))
                .transpose()?
                .unwrap_or(false),
        });
    }
    if profile.emails.iter().filter(|e| e.primary).count() > 1 {
        return Err(invalid("at most one of `emails` is primary"));
    }
    if let Some(ext) = get(body, ENTERPRISE_USER) {
        let ext = object(ext, ENTERPRISE_USER)?;
        profile.employee_number = text(ext, "employeeNumber", "employeeNumber")?;
        profile.cost_center = text(ext, "costCenter", "costCenter")?;
        profile.organization = text(ext, "organization", "organization")?;
        profile.division = text(ext, "division", "division")?;
        profile.department = text(ext, "department", "department")?;
        match get(ext, "manager") {
            None => {}
            // Some directories send the manager's id alone.
            Some(Value::String(id)) => {
                profile.manager_id = Some(id.clone()).filter(|s| !s.is_empty())
            }
            Some(m) => {
                let m = object(m, "manager")?;
                profile.manager_id = text(m, "value", "manager.value")?;
                profile.manager_name = text(m, "displayName", "manager.displayName")?;
            }
        }
    }
    Ok(UserDraft {
        user_name,
        active,
        licence,
        company_admin,
        admin_roles,
        profile,
    })
}

/// The roles a `roles` list names: whether the primary role is the company admin's, and
/// which admin roles (values compare ignoring case; an unknown one is refused).
fn roles(items: Vec<&Value>) -> Result<(bool, Vec<AdminRole>), ScimError> {
    let mut company_admin = false;
    let mut set = AdminRoleSet::EMPTY;
    for item in items {
        let value = match item {
            Value::String(s) => s.clone(),
            Value::Object(o) => text(o, "value", "roles.value")?.unwrap_or_default(),
            _ => return Err(invalid("each of `roles` is an object with a `value`")),
        };
        let value = value.trim();
        if value.eq_ignore_ascii_case(INTERNAL_ADMIN) {
            company_admin = true;
        } else if value.eq_ignore_ascii_case(INTERNAL_USER) {
        } else if let Some((role, _)) = ADMIN_ROLES
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(value))
        {
            set = AdminRoleSet::from_bits(set.bits() | role.bit().bits());
        } else {
            return Err(invalid(format!(
                "`roles` holds `{value}`: a role is {INTERNAL_ADMIN}, {INTERNAL_USER}, \
                 Content Admin, User Admin or Security Admin"
            )));
        }
    }
    let admin_roles = ADMIN_ROLES
        .iter()
        .map(|(r, _)| *r)
        .filter(|r| set.contains(*r))
        .collect();
    Ok((company_admin, admin_roles))
}

/// The name a new identity is given: the display name, else the formatted name, else the
/// given and family names.
pub fn identity_name(draft: &UserDraft) -> String {
    let p = &draft.profile;
    p.display_name
        .clone()
        .or_else(|| p.formatted_name.clone())
        .unwrap_or_else(|| {
            [p.given_name.as_deref(), p.family_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
}

/// The commands that take a member from `before` to `after`, in an order the engine
/// accepts them: the address first, reactivation before and deactivation after the rest,
/// roles added before roles removed.
pub fn commands(org: &str, user: &str, before: &UserDraft, after: &UserDraft) -> Vec<Command> {
    let (org, user) = (org.to_string(), user.to_string());
    let mut out = Vec::new();
    if before.user_name != after.user_name {
        out.push(Command::ChangeEmail {
            org: org.clone(),
            user: user.clone(),
            email: after.user_name.clone(),
        });
    }
    if after.active && !before.active {
        out.push(Command::ReactivateUser {
            org: org.clone(),
            user: user.clone(),
        });
    }
    if before.licence != after.licence {
        out.push(Command::SetLicence {
            org: org.clone(),
            user: user.clone(),
            licence: after.licence,
        });
    }
    let held = |d: &UserDraft, r: AdminRole| {
        if r == AdminRole::CompanyAdmin {
            d.company_admin
        } else {
            d.admin_roles.contains(&r)
        }
    };
    let all = std::iter::once(AdminRole::CompanyAdmin).chain(ADMIN_ROLES.iter().map(|(r, _)| *r));
    for role in all.clone() {
        if held(after, role) && !held(before, role) {
            out.push(Command::AssignAdminRole {
                org: org.clone(),
                user: user.clone(),
                role,
                team: None,
            });
        }
    }
    for role in all {
        if held(before, role) && !held(after, role) {
            out.push(Command::RemoveAdminRole {
                org: org.clone(),
                user: user.clone(),
                role,
                team: None,
            });
        }
    }
    out.push(Command::SetMemberProfile {
        org: org.clone(),
        user: user.clone(),
        profile: after.profile.clone(),
    });
    if before.active && !after.active {
        out.push(Command::DeactivateUser { org, user });
    }
    out
}

/// What a member added by SCIM is before the rest of the body applies.
pub fn new_member(user_name: &str) -> UserDraft {
    UserDraft {
        user_name: user_name.to_string(),
        active: true,
        licence: Licence::Full,
        ..UserDraft::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::schema::{GROUP, USER};
    use serde_json::json;

    #[test]
    fn a_body_reads_as_the_schema_declares() {
        let d = read(
            &json!({
                "schemas": [USER, ENTERPRISE_USER],
                "userName": "Ada@Example.com", "active": "False", "userType": "free restricted",
                "name": {"givenName": "Ada", "familyName": "Lovelace"},
                "emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
                "roles": [{"value": "ORGANIZATION_INTERNAL_ADMIN", "primary": true},
                          {"value": "security admin"}],
                ENTERPRISE_USER: {"department": "R&D", "manager": {"value": "u2"}},
            }),
            None,
        )
        .unwrap_or_default();
        assert_eq!(d.user_name, "ada@example.com");
        assert!(!d.active);
        assert_eq!(d.licence, Licence::FreeRestricted);
        assert!(d.company_admin);
        assert_eq!(d.admin_roles, [AdminRole::SecurityAdmin]);
        assert_eq!(d.profile.given_name.as_deref(), Some("Ada"));
        assert_eq!(d.profile.department.as_deref(), Some("R&D"));
        assert_eq!(d.profile.manager_id.as_deref(), Some("u2"));
    }

    #[test]
    fn bad_values_are_invalid_value() {
        for body in [
            json!({}),
            json!({"userName": 3}),
            json!({"userName": "a@b.c", "active": "maybe"}),
            json!({"userName": "a@b.c", "userType": "Gold"}),
            json!({"userName": "a@b.c", "roles": [{"value": "Owner"}]}),
            json!({"userName": "a@b.c", "name": "Ada"}),
        ] {
            let mut body = body;
            body["schemas"] = json!([USER]);
            let e = read(&body, None).err();
            assert_eq!(
                e.and_then(|e| e.scim_type),
                Some(ScimType::InvalidValue),
                "{body}"
            );
        }
    }

    #[test]
    fn a_body_names_the_user_schema() {
        for body in [
            json!({"userName": "a@b.c"}),
            json!({"schemas": "urn:ietf:params:scim:schemas:core:2.0:User", "userName": "a@b.c"}),
            json!({"schemas": [GROUP], "userName": "a@b.c"}),
        ] {
            let e = read(&body, None).err();
            assert_eq!(
                e.and_then(|e| e.scim_type),
                Some(ScimType::InvalidSyntax),
                "{body}"
            );
        }
    }

    #[test]
    fn only_what_changed_is_commanded() {
        let before = new_member("a@b.c");
        let mut after = before.clone();
        after.active = false;
        after.admin_roles = vec![AdminRole::ContentAdmin];
        let names: Vec<String> = commands("o", "u", &before, &after)
            .iter()
            .map(|c| c.name())
            .collect();
        assert_eq!(
            names,
            ["assign_admin_role", "set_member_profile", "deactivate_user"]
        );
    }
}
