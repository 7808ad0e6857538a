//! The organization's directory: user groups, billing groups, and claimed domains.

use super::exec::{Exec, Step, new_id, refusal, text};
use super::org::hand_over;
use crate::codes::Code;
use crate::event::Event;
use crate::ids::{BillingGroupIx, GroupIx};
use crate::request::Target;
use crate::roles::MemberKind;
use crate::roles::TeamRole;
use crate::settings::{company_in_force, email_allowed};
use crate::state::valid_email;

pub(super) fn create_group(
    x: &mut Exec,
    org: &str,
    group: &str,
    name: &str,
    description: &str,
) -> Step {
    let o = x.org(org)?;
    new_id("group", group, x.state.find_group(group).is_some())?;
    text("name", name, false)?;
    text("description", description, true)?;
    x.require("groups.edit", Target::Org(o))?;
    x.change(format!("group {group}"), None, Some(name.to_string()));
    x.emit(Event::GroupCreated {
        org: org.to_string(),
        group: group.to_string(),
        name: name.to_string(),
        description: description.to_string(),
    });
    Ok(())
}

pub(super) fn rename_group(
    x: &mut Exec,
    group: &str,
    name: &str,
    description: Option<&str>,
) -> Step {
    let g = user_group(x, group)?;
    text("name", name, false)?;
    if let Some(d) = description {
        text("description", d, true)?;
    }
    require_org(x, "groups.edit")?;
    let before = x.state.group(g);
    x.change(
        "name",
        before.map(|g| g.name.to_string()),
        Some(name.to_string()),
    );
    if let Some(d) = description {
        x.change(
            "description",
            before.map(|g| g.description.to_string()),
            Some(d.to_string()),
        );
    }
    x.emit(Event::GroupRenamed {
        group: group.to_string(),
        name: name.to_string(),
        description: description.map(str::to_string),
    });
    Ok(())
}

pub(super) fn delete_group(x: &mut Exec, group: &str) -> Step {
    user_group(x, group)?;
    require_org(x, "groups.edit")?;
    x.change(
        format!("group {group}"),
        Some("active".into()),
        Some("deleted".into()),
    );
    x.emit(Event::GroupDeleted {
        group: group.to_string(),
    });
    Ok(())
}

pub(super) fn set_team_group(x: &mut Exec, team: &str, group: &str, role: TeamRole) -> Step {
    let t = x.team(team)?;
    let g = x.state.find_group(group).filter(|g| {
        x.state
            .group(*g)
            .is_some_and(|g| !g.deleted && Some(g.org) == x.org)
    });
    g.ok_or_else(|| {
        refusal(
            Code::RequestNotFound,
            format!("no group `{group}` in the organization"),
        )
    })?;
    x.require("team.manage", Target::Team(t))?;
    // A team's members are never guests, through a group either.
    let has_guest = g.and_then(|g| x.state.group(g)).is_some_and(|gr| {
        gr.members.iter().any(|u| {
            x.state
                .membership(*u, gr.org)
                .is_some_and(|m| m.kind == MemberKind::Guest)
        })
    });
    if has_guest {
        return Err(refusal(
            Code::AuthorityGuest,
            "the group has guests, who cannot be team members",
        ));
    }
    x.change(
        format!("team role of group {group}"),
        None,
        Some(role.as_str().into()),
    );
    x.emit(Event::TeamGroupSet {
        team: team.to_string(),
        group: group.to_string(),
        role,
    });
    Ok(())
}

pub(super) fn remove_team_group(x: &mut Exec, team: &str, group: &str) -> Step {
    let t = x.team(team)?;
    let g = x
        .state
        .find_group(group)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no group `{group}`")))?;
    x.require("team.manage", Target::Team(t))?;
    if !x
        .state
        .team(t)
        .is_some_and(|t| t.group_members.iter().any(|(x, _)| *x == g))
    {
        return Err(refusal(
            Code::RequestNotFound,
            format!("group `{group}` is not in the team"),
        ));
    }
    x.change(
        format!("team role of group {group}"),
        Some("member".into()),
        None,
    );
    x.emit(Event::TeamGroupRemoved {
        team: team.to_string(),
        group: group.to_string(),
    });
    Ok(())
}

pub(super) fn create_billing_group(x: &mut Exec, org: &str, group: &str, name: &str) -> Step {
    let o = x.org(org)?;
    new_id("group", group, x.state.find_billing_group(group).is_some())?;
    text("name", name, false)?;
    x.require("billing_groups.edit", Target::Org(o))?;
    x.change(
        format!("billing group {group}"),
        None,
        Some(name.to_string()),
    );
    x.emit(Event::BillingGroupCreated {
        org: org.to_string(),
        group: group.to_string(),
        name: name.to_string(),
    });
    Ok(())
}

pub(super) fn delete_billing_group(x: &mut Exec, group: &str) -> Step {
    billing_group(x, group)?;
    require_org(x, "billing_groups.edit")?;
    x.change(
        format!("billing group {group}"),
        Some("active".into()),
        Some("deleted".into()),
    );
    x.emit(Event::BillingGroupDeleted {
        group: group.to_string(),
    });
    Ok(())
}

pub(super) fn rename_billing_group(x: &mut Exec, group: &str, name: &str) -> Step {
    let g = billing_group(x, group)?;
    text("name", name, false)?;
    require_org(x, "billing_groups.edit")?;
    let before = x.state.billing_group(g).map(|g| g.name.to_string());
    x.change("name", before, Some(name.to_string()));
    x.emit(Event::BillingGroupRenamed {
        group: group.to_string(),
        name: name.to_string(),
    });
    Ok(())
}

pub(super) fn remove_users_outside_allowlist(x: &mut Exec, org: &str, successor: &str) -> Step {
    let o = x.org(org)?;
    x.require("users.remove", Target::Org(o))?;
    let outside = outside_allowlist(x, o);
    if outside.is_empty() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "every member is inside the allowlist",
        ));
    }
    if outside.iter().any(|u| u == successor) {
        return Err(refusal(
            Code::AuthorityTransferTargetIneligible,
            "the successor is outside the allowlist too",
        ));
    }
    // Each removal is checked against the state before any of them, so check the
    // whole set: some active company admin must stay.
    let stays = x.state.org(o).is_some_and(|org| {
        org.admins.iter().any(|u| {
            x.state.user(*u).is_some_and(|usr| {
                !outside.iter().any(|id| **id == *usr.id)
                    && crate::decide::is_company_admin(x.state, *u, o)
            })
        }) || !crate::catalog::Feature::AdminRoles.available(org.plan, false)
    });
    if !stays {
        return Err(refusal(
            Code::AuthorityLastCompanyAdmin,
            "every company admin is outside the allowlist",
        ));
    }
    for user in outside {
        hand_over(x, org, &user, Some(successor))?;
    }
    Ok(())
}

/// The ids of the members and guests whose email is outside the company allowlist now.
fn outside_allowlist(x: &Exec, o: crate::ids::OrgIx) -> Vec<String> {
    users_outside_allowlist(x.state, o)
        .into_iter()
        .filter_map(|u| x.state.user(u))
        .map(|u| u.id.to_string())
        .collect()
}

/// The ids of every user of `org` whose email is outside the company allowlist (for the
/// admin listing of MODEL.md §6).
pub fn users_outside_allowlist(
    state: &crate::state::State,
    org: crate::ids::OrgIx,
) -> Vec<crate::ids::UserIx> {
    let Some(o) = state.org(org) else {
        return Vec::new();
    };
    let settings = company_in_force(o.plan, &o.settings);
    o.members
        .iter()
        .copied()
        .filter(|u| {
            state
                .user(*u)
                .is_some_and(|usr| !email_allowed(settings, None, &usr.email))
        })
        .collect()
}

fn user_group(x: &mut Exec, id: &str) -> Step<GroupIx> {
    let g = x
        .state
        .find_group(id)
        .filter(|g| x.state.group(*g).is_some_and(|g| !g.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no group `{id}`")))?;
    x.org = x.state.group(g).map(|g| g.org);
    x.target = format!("group:{id}");
    Ok(g)
}

fn billing_group(x: &mut Exec, id: &str) -> Step<BillingGroupIx> {
    let g = x
        .state
        .find_billing_group(id)
        .filter(|g| x.state.billing_group(*g).is_some_and(|g| !g.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no billing group `{id}`")))?;
    x.org = x.state.billing_group(g).map(|g| g.org);
    x.target = format!("billing_group:{id}");
    Ok(g)
}

fn require_org(x: &Exec, privilege: &str) -> Step {
    let o = x
        .org
        .ok_or_else(|| refusal(Code::RequestNotFound, "organization"))?;
    x.require(privilege, Target::Org(o)).map(drop)
}

/// Adds a user to a user group (`on`) or removes them.
pub(super) fn group_member(x: &mut Exec, group: &str, user: &str, on: bool) -> Step {
    let g = user_group(x, group)?;
    let u = x.member(user)?;
    // A group in a team makes its members team members; guests never are.
    let guest = x.org.is_some_and(|o| {
        x.state
            .membership(u, o)
            .is_some_and(|m| m.kind == MemberKind::Guest)
    });
    if on && guest && x.state.group(g).is_some_and(|g| !g.teams.is_empty()) {
        return Err(refusal(
            Code::AuthorityGuest,
            "the group is a team member, and guests cannot be",
        ));
    }
    require_org(x, if on { "groups.assign" } else { "groups.remove" })?;
    let was = x
        .state
        .group(g)
        .is_some_and(|g| g.members.binary_search(&u).is_ok());
    if was == on {
        return Err(refusal(
            Code::RequestConflict,
            format!(
                "`{user}` is {} the group",
                if on { "already in" } else { "not in" }
            ),
        ));
    }
    x.change(
        format!("group {group}"),
        was.then(|| user.to_string()),
        on.then(|| user.to_string()),
    );
    x.emit(if on {
        Event::GroupMemberAdded {
            group: group.to_string(),
            user: user.to_string(),
        }
    } else {
        Event::GroupMemberRemoved {
            group: group.to_string(),
            user: user.to_string(),
        }
    });
    Ok(())
}

/// Adds a user to a billing group (`on`) or removes them.
pub(super) fn billing_member(x: &mut Exec, group: &str, user: &str, on: bool) -> Step {
    let g = billing_group(x, group)?;
    let u = x.member(user)?;
    require_org(
        x,
        if on {
            "billing_groups.assign"
        } else {
            "billing_groups.remove"
        },
    )?;
    let was = x
        .state
        .billing_group(g)
        .is_some_and(|g| g.members.binary_search(&u).is_ok());
    if was == on {
        return Err(refusal(
            Code::RequestConflict,
            format!(
                "`{user}` is {} the billing group",
                if on { "already in" } else { "not in" }
            ),
        ));
    }
    x.change(
        format!("billing group {group}"),
        was.then(|| user.to_string()),
        on.then(|| user.to_string()),
    );
    x.emit(Event::BillingMemberSet {
        group: group.to_string(),
        user: user.to_string(),
        on,
    });
    Ok(())
}

/// What a domain command does.
#[derive(Clone, Copy)]
pub(super) enum DomainChange {
    Add,
    Verify,
    Remove,
}

/// Claims, verifies or drops a domain.
pub(super) fn domain(x: &mut Exec, org: &str, domain: &str, change: DomainChange) -> Step {
    let o = x.org(org)?;
    let domain = domain.trim().to_ascii_lowercase();
    if !valid_email(&format!("x@{domain}")) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{domain}` is not a domain"),
        ));
    }
    x.require("managed_domains.edit", Target::Org(o))?;
    let current = x.state.org(o).and_then(|o| {
        o.domains
            .iter()
            .find(|d| d.name == domain)
            .map(|d| d.verified)
    });
    let verified = match (change, current) {
        (DomainChange::Add, None) => Some(false),
        (DomainChange::Add, Some(_)) => {
            return Err(refusal(
                Code::RequestConflict,
                format!("`{domain}` is already claimed"),
            ));
        }
        (DomainChange::Verify, Some(false)) => Some(true),
        (DomainChange::Verify, Some(true)) => {
            return Err(refusal(
                Code::RequestConflict,
                format!("`{domain}` is already verified"),
            ));
        }
        (DomainChange::Remove, Some(_)) => None,
        _ => {
            return Err(refusal(
                Code::RequestNotFound,
                format!("`{domain}` is not claimed"),
            ));
        }
    };
    let word = |v: Option<bool>| v.map(|v| if v { "verified" } else { "claimed" }.to_string());
    x.change(format!("domain {domain}"), word(current), word(verified));
    x.emit(Event::DomainSet {
        org: org.to_string(),
        domain,
        verified,
    });
    Ok(())
}
