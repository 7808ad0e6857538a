//! Team commands: create, rename, members, settings, joining.

use super::exec::{Exec, Step, new_id, refusal, text};
use super::org::diff;
use crate::codes::Code;
use crate::decide::is_company_admin;
use crate::event::Event;
use crate::ids::lookup;
use crate::request::Target;
use crate::roles::{MemberKind, TeamRole};
use crate::settings::{TeamSettings, company_in_force, email_allowed};

pub(super) fn create_team(x: &mut Exec, org: &str, team: &str, name: &str) -> Step {
    let o = x.org(org)?;
    new_id("team", team, x.state.find_team(team).is_some())?;
    text("name", name, false)?;
    x.require("teams.edit", Target::Org(o))?;
    x.change(format!("team {team}"), None, Some(name.to_string()));
    x.emit(Event::TeamCreated {
        org: org.to_string(),
        team: team.to_string(),
        name: name.to_string(),
        settings: TeamSettings::default(),
    });
    if let Some(actor) = x.actor_ix()?
        && x.state
            .membership(actor, o)
            .is_some_and(|m| m.kind == MemberKind::Member)
    {
        let id = x.actor_id().unwrap_or_default().to_string();
        x.emit(Event::TeamMemberSet {
            team: team.to_string(),
            user: id,
            role: TeamRole::Admin,
        });
    }
    Ok(())
}

pub(super) fn rename_team(x: &mut Exec, team: &str, name: &str) -> Step {
    let t = x.team(team)?;
    text("name", name, false)?;
    x.require("team.manage", Target::Team(t))?;
    let before = x.state.team(t).map(|t| t.name.to_string());
    x.change("name", before, Some(name.to_string()));
    x.emit(Event::TeamRenamed {
        team: team.to_string(),
        name: name.to_string(),
    });
    Ok(())
}

pub(super) fn set_team_member(x: &mut Exec, team: &str, user: &str, role: TeamRole) -> Step {
    let t = x.team(team)?;
    let u = x.member(user)?;
    x.require("team.manage", Target::Team(t))?;
    let (org, settings) = match x.state.team(t) {
        Some(t) => (t.org, t.settings.clone()),
        None => return Err(refusal(Code::RequestNotFound, team.to_string())),
    };
    if x.state
        .membership(u, org)
        .is_some_and(|m| m.kind == MemberKind::Guest)
    {
        return Err(refusal(
            Code::AuthorityGuest,
            "guests cannot be team members",
        ));
    }
    let email = x
        .state
        .user(u)
        .map(|u| u.email.to_string())
        .unwrap_or_default();
    let company = x
        .state
        .org(org)
        .map(|o| company_in_force(o.plan, &o.settings).clone())
        .unwrap_or_default();
    if !email_allowed(&company, Some(&settings), &email) {
        return Err(refusal(
            Code::PolicyDomainNotAllowed,
            format!("`{email}` is outside the allowed domains"),
        ));
    }
    if role != TeamRole::Admin {
        super::org::last_team_admin_guard(x, u, t)?;
    }
    let before = x
        .state
        .team(t)
        .and_then(|t| lookup(&t.members, &u))
        .map(|r| r.as_str().to_string());
    x.change(
        format!("team role of {user}"),
        before,
        Some(role.as_str().to_string()),
    );
    x.emit(Event::TeamMemberSet {
        team: team.to_string(),
        user: user.to_string(),
        role,
    });
    Ok(())
}

pub(super) fn remove_team_member(x: &mut Exec, team: &str, user: &str) -> Step {
    let t = x.team(team)?;
    let u = x.member(user)?;
    x.require("team.manage", Target::Team(t))?;
    super::org::last_team_admin_guard(x, u, t)?;
    let before = x.state.team(t).and_then(|t| lookup(&t.members, &u));
    let Some(before) = before else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("`{user}` is not a member of the team"),
        ));
    };
    x.change(
        format!("team role of {user}"),
        Some(before.as_str().to_string()),
        None,
    );
    x.emit(Event::TeamMemberRemoved {
        team: team.to_string(),
        user: user.to_string(),
    });
    Ok(())
}

pub(super) fn join_team(x: &mut Exec, team: &str) -> Step {
    let t = x.team(team)?;
    if x.actor_id().is_none() {
        return Err(refusal(Code::AuthorityAnonymous, "a user joins a team"));
    }
    x.require("team.join", Target::Team(t))?;
    let id = x.actor_id().unwrap_or_default().to_string();
    x.change(format!("team role of {id}"), None, Some("member".into()));
    x.emit(Event::TeamMemberSet {
        team: team.to_string(),
        user: id,
        role: TeamRole::Member,
    });
    Ok(())
}

pub(super) fn delete_team(x: &mut Exec, team: &str) -> Step {
    let t = x.team(team)?;
    x.require("team.manage", Target::Team(t))?;
    let at = x.now;
    let boards: Vec<String> = x
        .state
        .team(t)
        .map(|tm| {
            tm.boards
                .iter()
                .filter_map(|b| x.state.board(*b))
                .filter(|b| !b.is_trashed())
                .map(|b| b.id.to_string())
                .collect()
        })
        .unwrap_or_default();
    // Nothing is lost: the boards go to the trash, restorable by their owners and
    // trash admins.
    for board in boards {
        x.change(
            format!("state of {board}"),
            Some("active".into()),
            Some("trashed".into()),
        );
        x.emit(Event::BoardTrashed { board, at });
    }
    x.change(
        format!("team {team}"),
        Some("active".into()),
        Some("deleted".into()),
    );
    x.emit(Event::TeamDeleted {
        team: team.to_string(),
    });
    Ok(())
}

/// Team admins change their team's settings; `guest_invites` and the classification
/// default are the company admin's (settings.toml); the team's allowlist may only narrow
/// the company's.
pub(super) fn update_team_settings(x: &mut Exec, team: &str, settings: &TeamSettings) -> Step {
    let t = x.team(team)?;
    let (org, current) = match x.state.team(t) {
        Some(t) => (t.org, t.settings.clone()),
        None => return Err(refusal(Code::RequestNotFound, team.to_string())),
    };
    let changes = diff(&current, settings);
    if changes.is_empty() {
        return Err(refusal(Code::RequestInvalidParameter, "nothing to change"));
    }
    let company_keys = ["guest_invites", "board_classification_default"];
    let team_keys = changes
        .iter()
        .any(|(k, _, _)| !company_keys.contains(&k.as_str()));
    if team_keys {
        x.require("team.manage", Target::Team(t))?;
    }
    if changes
        .iter()
        .any(|(k, _, _)| company_keys.contains(&k.as_str()))
    {
        let admin = x
            .actor_ix()?
            .is_some_and(|u| is_company_admin(x.state, u, org));
        if !admin && !x.is_easel() {
            return Err(refusal(
                Code::AuthorityMissingPrivilege,
                "only company admins change guest invitations and the classification default",
            ));
        }
    }
    let company = x
        .state
        .org(org)
        .map(|o| company_in_force(o.plan, &o.settings).clone())
        .unwrap_or_default();
    if let (Some(mine), Some(theirs)) = (&settings.allowed_domains, &company.allowed_domains)
        && let Some(wider) = mine
            .iter()
            .find(|d| !theirs.iter().any(|c| c.eq_ignore_ascii_case(d)))
    {
        return Err(refusal(
            Code::PolicyDomainNotAllowed,
            format!("`{wider}` is not allowed by the company: a team may only narrow"),
        ));
    }
    if let Some(label) = &settings.board_classification_default {
        let known = company
            .board_classification
            .as_ref()
            .is_some_and(|c| c.labels.iter().any(|l| &l.name == label));
        if !known {
            return Err(refusal(
                Code::RequestInvalidParameter,
                format!("`{label}` is not a classification label"),
            ));
        }
    }
    for (key, before, after) in changes {
        x.change(format!("settings.{key}"), before, after);
    }
    x.emit(Event::TeamSettingsChanged {
        team: team.to_string(),
        settings: settings.clone(),
    });
    Ok(())
}
