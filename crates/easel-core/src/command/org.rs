//! Organization commands: the organization itself, its members, admin roles, company
//! settings, sessions, and legal cases.

use super::exec::{Exec, Step, new_id, refusal, text};
use super::text::fields_of;
use crate::catalog::Plan;
use crate::catalog::{AdminRole, AdminRoleSet, Feature, Privilege, SettingKey};
use crate::codes::Code;
use crate::event::Event;
use crate::ids::{BoardIx, OrgIx, TeamIx, UserIx, lookup};
use crate::model::{Licence, UserStatus};
use crate::request::Target;
use crate::roles::MemberKind;
use crate::roles::TeamRole;
use crate::settings::CompanySettings;
use crate::state::valid_email;

pub(super) fn create_user(x: &mut Exec, user: &str, email: &str, name: &str) -> Step {
    if operator_only(x).is_err() {
        return Err(refusal(
            Code::AuthorityMissingPrivilege,
            "identities are registered by Easel itself or its operator",
        ));
    }
    new_id("user", user, x.state.find_user(user).is_some())?;
    text("name", name, true)?;
    let email = email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{email}` is not an email address"),
        ));
    }
    if x.state.find_email(&email).is_some() {
        return Err(refusal(
            Code::RequestConflict,
            format!("`{email}` is already registered"),
        ));
    }
    x.target = format!("user:{user}");
    x.emit(Event::UserCreated {
        user: user.to_string(),
        email,
        name: name.to_string(),
    });
    Ok(())
}

pub(super) fn create_org(
    x: &mut Exec,
    org: &str,
    name: &str,
    plan: Plan,
    owner: Option<&str>,
) -> Step {
    new_id("org", org, x.state.find_org(org).is_some())?;
    text("name", name, false)?;
    // A user creates an organization for themselves; the operator names its owner.
    let owner_id = match (x.provisioner(), x.actor_id(), owner) {
        (Some(_), _, Some(owner)) => owner.to_string(),
        (Some(_), _, None) => {
            return Err(refusal(
                Code::RequestInvalidParameter,
                "`owner` names the user who owns the new organization",
            ));
        }
        (None, Some(actor), None) => actor.to_string(),
        (None, Some(actor), Some(owner)) if owner == actor => actor.to_string(),
        (None, Some(_), Some(_)) => {
            return Err(refusal(
                Code::AuthorityMissingPrivilege,
                "a user creates organizations for themselves",
            ));
        }
        (None, None, Some(owner)) if x.is_easel() => owner.to_string(),
        (None, None, _) => {
            return Err(refusal(
                Code::AuthorityAnonymous,
                "a user creates organizations",
            ));
        }
    };
    let owner_ix = x
        .state
        .find_user(&owner_id)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no user `{owner_id}`")))?;
    if x.state
        .user(owner_ix)
        .is_some_and(|u| u.status == UserStatus::Deactivated)
    {
        return Err(refusal(
            Code::CredentialUserDeactivated,
            "a deactivated user cannot own an organization",
        ));
    }
    x.emit(Event::OrgCreated {
        org: org.to_string(),
        name: name.to_string(),
        plan,
        guard: false,
    });
    let roles = if Feature::AdminRoles.available(plan, false) {
        vec![AdminRole::CompanyAdmin]
    } else {
        vec![]
    };
    x.emit(Event::MembershipSet {
        org: org.to_string(),
        user: owner_id.clone(),
        kind: MemberKind::Member,
        admin_roles: roles,
        licence: Licence::Full,
    });
    x.emit(Event::OrgOwnerSet {
        org: org.to_string(),
        owner: Some(owner_id.clone()),
    });
    x.target = format!("org:{org}");
    x.change("organization", None, Some(name.to_string()));
    x.change("owner", None, Some(owner_id));
    // The organization exists once the events apply; the audit record names it.
    x.created_org = Some(org.to_string());
    Ok(())
}

/// Names the account owner (the operator's, for the product's own sign-up and support):
/// an active member of the organization.
pub(super) fn set_org_owner(x: &mut Exec, org: &str, user: &str) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    operator_only(x)?;
    let eligible = x
        .state
        .user(u)
        .is_some_and(|usr| usr.status == UserStatus::Active)
        && x.state
            .membership(u, o)
            .is_some_and(|m| m.active && m.kind == MemberKind::Member);
    if !eligible {
        return Err(refusal(
            Code::AuthorityTransferTargetIneligible,
            "the account owner must be an active member of the organization",
        ));
    }
    let before = x
        .state
        .org(o)
        .and_then(|org| org.owner)
        .and_then(|b| x.state.user(b))
        .map(|b| b.id.to_string());
    x.change("owner", before, Some(user.to_string()));
    x.emit(Event::OrgOwnerSet {
        org: org.to_string(),
        owner: Some(user.to_string()),
    });
    Ok(())
}

/// Only the operator's token (or Easel itself) runs the command.
pub(super) fn operator_only(x: &Exec) -> Step {
    let allowed = match x.provisioner() {
        Some(token) => super::provisioner::is_operator(x.state, token)?,
        None => x.is_easel(),
    };
    if allowed {
        Ok(())
    } else {
        Err(refusal(
            Code::AuthorityMissingPrivilege,
            "only the operator does this",
        ))
    }
}

pub(super) fn update_org_profile(x: &mut Exec, org: &str, name: &str) -> Step {
    let o = x.org(org)?;
    text("name", name, false)?;
    x.require("company_profile.edit", Target::Org(o))?;
    let before = x.state.org(o).map(|o| o.name.to_string());
    x.change("name", before, Some(name.to_string()));
    x.emit(Event::OrgRenamed {
        org: org.to_string(),
        name: name.to_string(),
    });
    Ok(())
}

pub(super) fn change_plan(x: &mut Exec, org: &str, plan: Plan, guard: bool) -> Step {
    let o = x.org(org)?;
    if guard && plan != crate::catalog::Plan::Enterprise {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "the Guard add-on exists only on the enterprise plan",
        ));
    }
    x.require("company_profile.edit", Target::Org(o))?;
    let current = x.state.org(o).map(|o| (o.plan, o.guard));
    x.change(
        "plan",
        current.map(|(p, _)| p.as_str().to_string()),
        Some(plan.as_str().to_string()),
    );
    x.change(
        "enterprise_guard",
        current.map(|(_, g)| g.to_string()),
        Some(guard.to_string()),
    );
    x.emit(Event::PlanChanged {
        org: org.to_string(),
        plan,
        guard,
    });
    // Admin roles start to count on a plan that has them: someone must hold company
    // admin then, and the account owner, who held its privileges, does.
    if let Some(owner) = x.state.org(o).and_then(|org| org.owner) {
        let admin_exists = x.state.org(o).is_some_and(|org| {
            org.admins.iter().any(|u| {
                x.state
                    .membership(*u, o)
                    .is_some_and(|m| m.active && m.admin_roles.contains(AdminRole::CompanyAdmin))
            })
        });
        if Feature::AdminRoles.available(plan, false)
            && !admin_exists
            && let (Some(m), Some(u)) = (x.state.membership(owner, o).copied(), x.state.user(owner))
        {
            let roles = m.admin_roles.union(AdminRole::CompanyAdmin.bit());
            x.change(
                format!("admin roles of {}", u.id),
                None,
                Some(AdminRole::CompanyAdmin.as_str().into()),
            );
            x.emit(Event::MembershipSet {
                org: org.to_string(),
                user: u.id.to_string(),
                kind: m.kind,
                admin_roles: roles.iter().collect(),
                licence: m.licence,
            });
        }
    }
    Ok(())
}

pub(super) fn reset_sessions(x: &mut Exec, org: &str, user: &str) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    x.decide(
        crate::action::Action::parse("org.reset_sessions")
            .ok_or_else(|| refusal(Code::RequestUnknownAction, "org.reset_sessions"))?,
        Target::Org(o),
        |_| {},
    )?;
    let _ = u;
    x.change(format!("sessions of {user}"), None, Some("reset".into()));
    // Only the sessions acting in this organization: a session another organization
    // started for the same person is not this organization's to end.
    x.emit(Event::SessionsReset {
        user: user.to_string(),
        at: x.now,
        org: Some(org.to_string()),
    });
    Ok(())
}

pub(super) fn set_trash_retention(x: &mut Exec, org: &str, days: u32) -> Step {
    let o = x.org(org)?;
    if !(1..=3650).contains(&days) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "trash retention is 1 to 3650 days",
        ));
    }
    x.require("trash.purge", Target::Org(o))?;
    let before = x.state.org(o).map(|o| o.trash_retention_days.to_string());
    x.change("trash retention days", before, Some(days.to_string()));
    x.emit(Event::TrashRetentionSet {
        org: org.to_string(),
        days,
    });
    Ok(())
}

pub(super) fn set_audit_retention(x: &mut Exec, org: &str, days: Option<u32>) -> Step {
    let o = x.org(org)?;
    if days.is_some_and(|d| !(1..=36_500).contains(&d)) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "audit retention is 1 to 36500 days, or for ever",
        ));
    }
    x.require("audit_logs.configure", Target::Org(o))?;
    let before = x
        .state
        .org(o)
        .and_then(|o| o.audit_retention_days)
        .map(|d| d.to_string());
    x.change("audit retention days", before, days.map(|d| d.to_string()));
    x.emit(Event::AuditRetentionSet {
        org: org.to_string(),
        days,
    });
    Ok(())
}

pub(super) fn create_case(
    x: &mut Exec,
    org: &str,
    case: &str,
    name: &str,
    description: &str,
) -> Step {
    let o = x.org(org)?;
    new_id("case", case, x.state.find_case(case).is_some())?;
    text("name", name, false)?;
    text("description", description, true)?;
    x.require("org.legal_holds", Target::Org(o))?;
    x.change("case", None, Some(name.to_string()));
    x.emit(Event::CaseCreated {
        org: org.to_string(),
        case: case.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        by: x.actor_id().map(str::to_string),
        at: x.now,
    });
    Ok(())
}

pub(super) fn add_member(
    x: &mut Exec,
    org: &str,
    user: &str,
    email: &str,
    name: &str,
    kind: MemberKind,
) -> Step {
    let o = x.org(org)?;
    x.require("users.add", Target::Org(o))?;
    let email = email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{email}` is not an email address"),
        ));
    }
    text("name", name, true)?;
    let settings = x
        .state
        .org(o)
        .map(|o| crate::settings::company_in_force(o.plan, &o.settings));
    let allowed = settings.is_none_or(|s| crate::settings::email_allowed(s, None, &email));
    // The guest bypass is for board invitations only (settings.toml).
    if !allowed {
        return Err(refusal(
            Code::PolicyDomainNotAllowed,
            format!("`{email}` is outside the allowed domains"),
        ));
    }
    let existing = x.state.find_email(&email);
    let id = match existing {
        Some(u) => {
            let found = x
                .state
                .user(u)
                .map(|u| u.id.to_string())
                .unwrap_or_default();
            if x.state.membership(u, o).is_some() {
                return Err(refusal(
                    Code::RequestConflict,
                    format!("`{email}` is already in the organization"),
                ));
            }
            found
        }
        None => {
            new_id("user", user, x.state.find_user(user).is_some())?;
            x.emit(Event::UserCreated {
                user: user.to_string(),
                email: email.clone(),
                name: name.to_string(),
            });
            user.to_string()
        }
    };
    x.change(
        format!("member {id}"),
        None,
        Some(kind.as_str().to_string()),
    );
    let licence = if kind == MemberKind::Guest {
        Licence::Free
    } else {
        Licence::Full
    };
    x.emit(Event::MembershipSet {
        org: org.to_string(),
        user: id,
        kind,
        admin_roles: vec![],
        licence,
    });
    Ok(())
}

/// Refuses a change that leaves the organization with no active company admin: `user`
/// keeping only `keeps` of their roles.
fn last_company_admin_guard(x: &Exec, o: OrgIx, user: UserIx, keeps: AdminRoleSet) -> Step {
    let Some(org) = x.state.org(o) else {
        return Ok(());
    };
    if !Feature::AdminRoles.available(org.plan, false) {
        // The account owner holds the company admin privileges there; ownership moves only
        // with a successor.
        if org.owner == Some(user) && !keeps.contains(AdminRole::CompanyAdmin) {
            return Err(refusal(
                Code::AuthorityLastCompanyAdmin,
                "the account owner holds the company admin privileges",
            ));
        }
        return Ok(());
    }
    let is_admin = |u: UserIx| {
        x.state.user(u).is_some_and(|usr| {
            usr.status == UserStatus::Active
                && usr
                    .membership(o)
                    .is_some_and(|m| m.active && m.admin_roles.contains(AdminRole::CompanyAdmin))
        })
    };
    if !is_admin(user) || keeps.contains(AdminRole::CompanyAdmin) {
        return Ok(());
    }
    if org.admins.iter().any(|&u| u != user && is_admin(u)) {
        Ok(())
    } else {
        Err(refusal(
            Code::AuthorityLastCompanyAdmin,
            "the organization must keep at least one active company admin",
        ))
    }
}

pub(super) fn remove_user(x: &mut Exec, org: &str, user: &str, successor: Option<&str>) -> Step {
    let o = x.org(org)?;
    x.member(user)?;
    x.require("users.remove", Target::Org(o))?;
    hand_over(x, org, user, successor)
}

/// Whether `s` can take over from `u` in `o`: another active member (not a guest).
fn can_inherit(x: &Exec, o: OrgIx, u: UserIx, s: UserIx) -> bool {
    u != s
        && x.state
            .user(s)
            .is_some_and(|usr| usr.status == UserStatus::Active)
        && x.state
            .membership(s, o)
            .is_some_and(|m| m.active && m.kind == MemberKind::Member)
}

/// Who inherits a board of `u` when no successor is named: the oldest admin of the
/// board's team who can, else the account owner.
fn heir(x: &Exec, o: OrgIx, u: UserIx, board: BoardIx) -> Option<UserIx> {
    let team = x.state.board(board).and_then(|b| x.state.team(b.team));
    let admin = team.and_then(|t| {
        t.joined
            .iter()
            .copied()
            .find(|&m| lookup(&t.members, &m) == Some(TeamRole::Admin) && can_inherit(x, o, u, m))
    });
    admin.or_else(|| {
        x.state
            .org(o)
            .and_then(|org| org.owner)
            .filter(|&owner| can_inherit(x, o, u, owner))
    })
}

/// Refuses removing `u` from a team (or from the organization, which removes them from
/// every team) where they are the only admin and others remain: a team is never left with
/// members and no admin.
pub(super) fn last_team_admin_guard(x: &Exec, u: UserIx, team: TeamIx) -> Step {
    let Some(t) = x.state.team(team).filter(|t| !t.deleted) else {
        return Ok(());
    };
    let admin = |m: UserIx| lookup(&t.members, &m) == Some(TeamRole::Admin);
    if !admin(u) || t.members.len() < 2 {
        return Ok(());
    }
    if t.members
        .iter()
        .any(|&(m, r)| m != u && r == TeamRole::Admin)
    {
        return Ok(());
    }
    Err(refusal(
        Code::AuthorityLastTeamAdmin,
        format!(
            "the user is the only admin of team `{}`, which has other members: make another member admin first",
            t.id
        ),
    ))
}

/// Removes `user` from the organization the command acts in. Their boards go to
/// `successor`, or, when none is named, each to the oldest admin of its team, else to the
/// account owner; the account ownership, if theirs, to the named successor. The caller
/// has checked the privilege.
pub(super) fn hand_over(x: &mut Exec, org: &str, user: &str, successor: Option<&str>) -> Step {
    let o = x
        .org
        .ok_or_else(|| refusal(Code::RequestNotFound, "organization"))?;
    let u = x.member(user)?;
    let named = successor.map(|s| x.member(s)).transpose()?;
    if let Some(s) = named
        && !can_inherit(x, o, u, s)
    {
        return Err(refusal(
            Code::AuthorityTransferTargetIneligible,
            "the successor must be another active member of the organization",
        ));
    }
    let teams: Vec<TeamIx> = x
        .state
        .user(u)
        .map(|usr| usr.teams.iter().map(|(t, _)| *t).collect())
        .unwrap_or_default();
    for t in teams {
        if x.state.team(t).is_some_and(|t| t.org == o) {
            last_team_admin_guard(x, u, t)?;
        }
    }
    let owns_account = x.state.org(o).is_some_and(|org| org.owner == Some(u));
    // The successor takes over the account ownership, so an owner may leave here.
    // (Only where ownership is what makes a company admin: on plans without admin roles.)
    let passes_on = owns_account
        && named.is_some()
        && x.state
            .org(o)
            .is_some_and(|org| !Feature::AdminRoles.available(org.plan, false));
    let keeps = if passes_on {
        AdminRole::CompanyAdmin.bit()
    } else {
        AdminRoleSet::EMPTY
    };
    last_company_admin_guard(x, o, u, keeps)?;
    if owns_account {
        let (Some(s), Some(name)) = (named, successor) else {
            return Err(refusal(
                Code::AuthorityNoSuccessor,
                "the account owner is removed only with a named successor, who becomes the owner",
            ));
        };
        let _ = s;
        x.emit(Event::OrgOwnerSet {
            org: org.to_string(),
            owner: Some(name.to_string()),
        });
        x.change("owner", Some(user.to_string()), Some(name.to_string()));
    }
    let owned: Vec<BoardIx> = x
        .state
        .user(u)
        .map(|usr| {
            usr.owned
                .iter()
                .copied()
                .filter(|b| x.state.board(*b).is_some_and(|b| b.org == o))
                .collect()
        })
        .unwrap_or_default();
    for b in owned {
        let to = match named {
            Some(s) => s,
            None => heir(x, o, u, b).ok_or_else(|| {
                refusal(
                    Code::AuthorityNoSuccessor,
                    "a board of the user has no one to go to (no other admin in its team, no other account owner): name a successor",
                )
            })?,
        };
        let board = x
            .state
            .board(b)
            .map(|b| b.id.to_string())
            .unwrap_or_default();
        let to = x
            .state
            .user(to)
            .map(|t| t.id.to_string())
            .unwrap_or_default();
        x.change(
            format!("owner of {board}"),
            Some(user.to_string()),
            Some(to.clone()),
        );
        x.emit(Event::BoardOwnerSet { board, owner: to });
    }
    let kind = x
        .state
        .membership(u, o)
        .map(|m| m.kind.as_str().to_string());
    x.change(format!("member {user}"), kind, None);
    x.emit(Event::MembershipRemoved {
        org: org.to_string(),
        user: user.to_string(),
    });
    Ok(())
}

pub(super) fn admin_role(
    x: &mut Exec,
    org: &str,
    user: &str,
    role: AdminRole,
    team: Option<&str>,
    on: bool,
) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    x.require(
        if on {
            "admin_roles.assign"
        } else {
            "admin_roles.remove"
        },
        Target::Org(o),
    )?;
    let m = x
        .state
        .membership(u, o)
        .copied()
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no user `{user}`")))?;
    if on && m.kind == MemberKind::Guest {
        return Err(refusal(
            Code::AuthorityGuest,
            "guests cannot hold admin roles",
        ));
    }
    if role == AdminRole::TeamContentAdmin {
        let team = team.ok_or_else(|| {
            refusal(
                Code::RequestInvalidParameter,
                "team content admin is held per team: name the team",
            )
        })?;
        let t = x
            .state
            .find_team(team)
            .filter(|t| x.state.team(*t).is_some_and(|t| t.org == o && !t.deleted));
        let t = t.ok_or_else(|| {
            refusal(
                Code::RequestNotFound,
                format!("no team `{team}` in the organization"),
            )
        })?;
        let was = x
            .state
            .team(t)
            .is_some_and(|t| t.content_admins.contains(&u));
        x.change(
            format!("team_content_admin of {user} in {team}"),
            Some(was.to_string()),
            Some(on.to_string()),
        );
        x.emit(Event::TeamContentAdminSet {
            team: team.to_string(),
            user: user.to_string(),
            on,
        });
        return Ok(());
    }
    if team.is_some() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "only team content admin is held per team",
        ));
    }
    let roles = if on {
        m.admin_roles.union(role.bit())
    } else {
        m.admin_roles.without(role)
    };
    if !on {
        last_company_admin_guard(x, o, u, roles)?;
    }
    let names = |set: AdminRoleSet| {
        (!set.is_empty()).then(|| {
            set.iter()
                .map(AdminRole::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    x.change(
        format!("admin roles of {user}"),
        names(m.admin_roles),
        names(roles),
    );
    x.emit(Event::MembershipSet {
        org: org.to_string(),
        user: user.to_string(),
        kind: m.kind,
        admin_roles: roles.iter().collect(),
        licence: m.licence,
    });
    Ok(())
}

/// Each changed key needs the privilege settings.toml names for it.
pub(super) fn update_company_settings(x: &mut Exec, org: &str, settings: &CompanySettings) -> Step {
    let o = x.org(org)?;
    let current = x
        .state
        .org(o)
        .map(|o| o.settings.clone())
        .unwrap_or_default();
    validate_company(settings)?;
    let diff = diff(&current, settings);
    if diff.is_empty() {
        return Err(refusal(Code::RequestInvalidParameter, "nothing to change"));
    }
    for (key, _, _) in &diff {
        let needs = match key.as_str() {
            "idle_session_timeout_secs" => Privilege::AuthSettingsEdit,
            _ => Privilege::CollaborationSettingsEdit,
        };
        let allowed = x.decide(
            crate::action::Action::Privilege(needs),
            Target::Org(o),
            |_| {},
        );
        // Template sharing is also the template admins' to set (`templates.edit_sharing`).
        if key == "restrict_template_sharing" && allowed.is_err() {
            x.decide(
                crate::action::Action::Privilege(Privilege::TemplatesEditSharing),
                Target::Org(o),
                |_| {},
            )?;
        } else {
            allowed?;
        }
    }
    for (key, before, after) in diff {
        x.change(format!("settings.{key}"), before, after);
    }
    x.emit(Event::CompanySettingsChanged {
        org: org.to_string(),
        settings: settings.clone(),
    });
    Ok(())
}

fn validate_company(s: &CompanySettings) -> Step {
    if let Some(domains) = &s.allowed_domains {
        for d in domains {
            if !valid_email(&format!("x@{d}")) {
                return Err(refusal(
                    Code::RequestInvalidParameter,
                    format!("`{d}` is not a domain"),
                ));
            }
        }
    }
    if s.idle_session_timeout_secs == Some(0) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "an idle timeout must be longer than zero (or off)",
        ));
    }
    if let Some(c) = &s.board_classification
        && let Some(d) = &c.default_label
        && !c.labels.iter().any(|l| &l.name == d)
    {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("the default label `{d}` is not a label"),
        ));
    }
    let _ = SettingKey::ALL;
    Ok(())
}

/// The keys whose values differ, with both values as audit records write them.
pub(super) fn diff<T: serde::Serialize>(
    before: &T,
    after: &T,
) -> Vec<(String, Option<String>, Option<String>)> {
    let (b, a) = (fields_of(before), fields_of(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| {
            (
                k.clone(),
                b.get(k).map(ToString::to_string),
                a.get(k).map(ToString::to_string),
            )
        })
        .collect()
}

/// Deactivates or reactivates (`active`) a user in the organization.
pub(super) fn set_active(x: &mut Exec, org: &str, user: &str, active: bool) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    x.require("users.edit", Target::Org(o))?;
    if !active {
        last_company_admin_guard(x, o, u, AdminRoleSet::EMPTY)?;
    }
    let before = x.state.membership(u, o).map(|m| m.active.to_string());
    x.change(
        format!("active of {user}"),
        before,
        Some(active.to_string()),
    );
    x.emit(Event::MembershipActiveSet {
        org: org.to_string(),
        user: user.to_string(),
        active,
    });
    Ok(())
}

/// Adds a hold on `add`'s users, or (`None`) releases it.
/// Adds a hold (`add`: its users, name and description) or releases one.
pub(super) fn legal_hold(
    x: &mut Exec,
    case: &str,
    hold: &str,
    add: Option<(&[String], &str, &str)>,
) -> Step {
    let c = super::cases::case(x, case)?;
    let existing = x
        .state
        .case(c)
        .and_then(|c| c.holds.iter().find(|h| &*h.id == hold).map(|h| h.released));
    if let Some((users, name, description)) = add {
        new_id("hold", hold, existing.is_some())?;
        text("name", name, true)?;
        text("description", description, true)?;
        super::cases::hold_users(x, users)?;
        x.change(format!("hold {hold}"), None, Some(users.join(", ")));
        x.emit(Event::HoldAdded {
            case: case.to_string(),
            hold: hold.to_string(),
            users: users.to_vec(),
            name: name.to_string(),
            description: description.to_string(),
            by: x.actor_id().map(str::to_string),
            at: x.now,
        });
    } else {
        match existing {
            None => {
                return Err(refusal(Code::RequestNotFound, format!("no hold `{hold}`")));
            }
            Some(true) => {
                return Err(refusal(
                    Code::RequestConflict,
                    format!("hold `{hold}` is already released"),
                ));
            }
            Some(false) => {}
        }
        x.change(
            format!("hold {hold}"),
            Some("active".into()),
            Some("released".into()),
        );
        x.emit(Event::HoldReleased {
            case: case.to_string(),
            hold: hold.to_string(),
        });
    }
    Ok(())
}
