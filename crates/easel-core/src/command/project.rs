//! Project commands: create, members and roles.

use super::exec::{Exec, Step, new_id, refusal, text};
use crate::codes::Code;
use crate::event::Event;
use crate::ids::lookup;
use crate::request::Target;
use crate::roles::BoardRole;

pub(super) fn create_project(
    x: &mut Exec,
    team: &str,
    project: &str,
    name: &str,
    private: Option<bool>,
) -> Step {
    let t = x.team(team)?;
    // New projects take the team's default sharing unless told otherwise.
    let private = private.unwrap_or_else(|| {
        x.state.team(t).is_some_and(|t| {
            t.settings.default_sharing.projects == crate::settings::SharingLevel::Private
        })
    });
    new_id("project", project, x.state.find_project(project).is_some())?;
    text("name", name, false)?;
    x.require("team.create_project", Target::Team(t))?;
    x.change(format!("project {project}"), None, Some(name.to_string()));
    x.emit(Event::ProjectCreated {
        project: project.to_string(),
        team: team.to_string(),
        name: name.to_string(),
        private,
    });
    if let Some(actor) = x.actor_id() {
        x.emit(Event::ProjectMemberSet {
            project: project.to_string(),
            user: actor.to_string(),
            role: BoardRole::Owner,
        });
    }
    Ok(())
}

pub(super) fn set_project_member(x: &mut Exec, project: &str, user: &str, role: BoardRole) -> Step {
    let p = x.project(project)?;
    let u = x.member(user)?;
    if role == BoardRole::Owner {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a project has the owner it was created with",
        ));
    }
    let own = manager_role(x, p)?;
    if role > own {
        return Err(refusal(
            Code::AuthorityRoleCeiling,
            format!("{} may not grant {role}", own.with_article()),
        ));
    }
    let before = x.state.project(p).and_then(|p| lookup(&p.members, &u));
    if before == Some(BoardRole::Owner) {
        return Err(refusal(
            Code::AuthorityOwnerOnly,
            "the project's owner keeps their role",
        ));
    }
    if let Some(before) = before {
        super::board::ceiling(Some(own), before)?;
    }
    if role == BoardRole::Coowner {
        coowners_allowed(x, p)?;
    }
    x.change(
        format!("project role of {user}"),
        before.map(|r| r.as_str().to_string()),
        Some(role.as_str().to_string()),
    );
    x.emit(Event::ProjectMemberSet {
        project: project.to_string(),
        user: user.to_string(),
        role,
    });
    Ok(())
}

pub(super) fn remove_project_member(x: &mut Exec, project: &str, user: &str) -> Step {
    let p = x.project(project)?;
    let u = x.member(user)?;
    x.require("project.manage", Target::Project(p))?;
    let own = manager_role(x, p)?;
    if let Some(theirs) = x
        .state
        .project(p)
        .and_then(|p| lookup(&p.members, &u))
        .filter(|r| *r != BoardRole::Owner)
    {
        super::board::ceiling(Some(own), theirs)?;
    }
    let before = x.state.project(p).and_then(|p| lookup(&p.members, &u));
    match before {
        None => Err(refusal(
            Code::RequestNotFound,
            format!("`{user}` is not a member of the project"),
        )),
        Some(BoardRole::Owner) => Err(refusal(
            Code::AuthorityOwnerOnly,
            "the project's owner cannot be removed",
        )),
        Some(r) => {
            x.change(
                format!("project role of {user}"),
                Some(r.as_str().to_string()),
                None,
            );
            x.emit(Event::ProjectMemberRemoved {
                project: project.to_string(),
                user: user.to_string(),
            });
            Ok(())
        }
    }
}

pub(super) fn update_project(x: &mut Exec, project: &str, name: &str, private: bool) -> Step {
    let p = x.project(project)?;
    text("name", name, false)?;
    x.require("project.manage", Target::Project(p))?;
    let (n, pr) = x
        .state
        .project(p)
        .map(|p| (p.name.to_string(), p.private))
        .unwrap_or_default();
    x.change("name", Some(n), Some(name.to_string()));
    x.change("private", Some(pr.to_string()), Some(private.to_string()));
    x.emit(Event::ProjectDetailsSet {
        project: project.to_string(),
        name: name.to_string(),
        private,
    });
    Ok(())
}

pub(super) fn delete_project(x: &mut Exec, project: &str) -> Step {
    let p = x.project(project)?;
    // The project's owner, or `spaces.delete` (content admins; company admins inside
    // projects they belong to).
    let owner = x.actor_ix()?.is_some_and(|u| {
        x.state.project(p).and_then(|p| lookup(&p.members, &u)) == Some(BoardRole::Owner)
    });
    if !owner {
        x.require("spaces.delete", Target::Project(p))?;
    }
    x.change(
        format!("project {project}"),
        Some("active".into()),
        Some("deleted".into()),
    );
    x.emit(Event::ProjectDeleted {
        project: project.to_string(),
    });
    Ok(())
}

/// The role at which the actor manages the project: their project role, or co-owner when
/// an admin privilege carries it (admins manage projects at co-owner level).
pub(super) fn manager_role(x: &Exec, p: crate::ids::ProjectIx) -> Step<BoardRole> {
    let decision = x.require("project.manage", crate::request::Target::Project(p))?;
    let by_privilege = decision
        .reasons
        .iter()
        .any(|r| r.channel != crate::decision::Channel::Project);
    Ok(if by_privilege {
        BoardRole::Coowner
    } else {
        decision.role.unwrap_or(BoardRole::Coowner)
    })
}

/// Co-owners exist only on plans with them and while the company and team allow them.
fn coowners_allowed(x: &Exec, p: crate::ids::ProjectIx) -> Step {
    let project = x
        .state
        .project(p)
        .ok_or_else(|| refusal(Code::RequestNotFound, "project"))?;
    let (org, team) = match (x.state.org(project.org), x.state.team(project.team)) {
        (Some(o), Some(t)) => (o, t),
        _ => return Err(refusal(Code::RequestNotFound, "project")),
    };
    if !crate::catalog::Feature::Coowners.available(org.plan, false) {
        return Err(refusal(
            Code::PlanFeatureUnavailable,
            "co-owners are not on the plan",
        ));
    }
    let company = crate::settings::company_in_force(org.plan, &org.settings);
    if !crate::settings::effective_coowners(company, &team.settings) {
        return Err(refusal(
            Code::PolicyCoownersDisabled,
            "co-owners are turned off",
        ));
    }
    Ok(())
}

/// The live user group `group` of the project's organization, or a not-found refusal (a
/// group of another organization is not found either).
fn project_org_group(x: &Exec, group: &str) -> Step<crate::ids::GroupIx> {
    x.state
        .find_group(group)
        .filter(|g| {
            x.state
                .group(*g)
                .is_some_and(|g| !g.deleted && Some(g.org) == x.org)
        })
        .ok_or_else(|| {
            refusal(
                Code::RequestNotFound,
                format!("no group `{group}` in the organization"),
            )
        })
}

pub(super) fn set_project_groups(
    x: &mut Exec,
    project: &str,
    groups: &[String],
    role: BoardRole,
) -> Step {
    if groups.is_empty() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "name at least one group to assign",
        ));
    }
    for group in groups {
        set_project_group(x, project, group, role)?;
    }
    Ok(())
}

fn set_project_group(x: &mut Exec, project: &str, group: &str, role: BoardRole) -> Step {
    let p = x.project(project)?;
    let g = project_org_group(x, group)?;
    // A group is given what the reference platform gives groups on a project: viewer,
    // commenter or editor; ownership and co-ownership stay with people.
    if role > BoardRole::Editor {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a group is assigned to a project as viewer, commenter or editor",
        ));
    }
    let own = manager_role(x, p)?;
    if role > own {
        return Err(refusal(
            Code::AuthorityRoleCeiling,
            format!("{} may not grant {role}", own.with_article()),
        ));
    }
    let before = x.state.project(p).and_then(|p| lookup(&p.groups, &g));
    if let Some(before) = before {
        super::board::ceiling(Some(own), before)?;
    }
    x.change(
        format!("project role of group {group}"),
        before.map(|r| r.as_str().to_string()),
        Some(role.as_str().to_string()),
    );
    x.emit(Event::ProjectGroupSet {
        project: project.to_string(),
        group: group.to_string(),
        role,
    });
    Ok(())
}

pub(super) fn remove_project_group(x: &mut Exec, project: &str, group: &str) -> Step {
    let p = x.project(project)?;
    let g = project_org_group(x, group)?;
    let own = manager_role(x, p)?;
    let before = x.state.project(p).and_then(|p| lookup(&p.groups, &g));
    let Some(role) = before else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("group `{group}` is not assigned to the project"),
        ));
    };
    super::board::ceiling(Some(own), role)?;
    x.change(
        format!("project role of group {group}"),
        Some(role.as_str().to_string()),
        None,
    );
    x.emit(Event::ProjectGroupRemoved {
        project: project.to_string(),
        group: group.to_string(),
    });
    Ok(())
}
