//! Project commands: create, members and roles.

use super::Command;
use super::exec::{Exec, Step, new_id, refusal, text};
use crate::codes::Code;
use crate::event::Event;
use crate::ids::lookup;
use crate::request::Target;
use crate::roles::BoardRole;

pub(super) fn run(x: &mut Exec, command: &Command) -> Step {
    match command {
        Command::CreateProject {
            team,
            project,
            name,
            private,
        } => {
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
            x.change(format!("project {project}"), None, Some(name.clone()));
            x.emit(Event::ProjectCreated {
                project: project.clone(),
                team: team.clone(),
                name: name.clone(),
                private,
            });
            if let Some(actor) = x.actor_id() {
                x.emit(Event::ProjectMemberSet {
                    project: project.clone(),
                    user: actor.to_string(),
                    role: BoardRole::Owner,
                });
            }
            Ok(())
        }
        Command::SetProjectMember {
            project,
            user,
            role,
        } => {
            let p = x.project(project)?;
            let u = x.member(user)?;
            if *role == BoardRole::Owner {
                return Err(refusal(
                    Code::RequestInvalidParameter,
                    "a project has the owner it was created with",
                ));
            }
            let decision = x.require("project.manage", Target::Project(p))?;
            // No one grants above their own role; admins manage at co-owner level.
            let own = decision.role.unwrap_or(BoardRole::Coowner);
            if *role > own {
                return Err(refusal(
                    Code::AuthorityRoleCeiling,
                    format!("a {own} may not grant {role}"),
                ));
            }
            let before = x.state.project(p).and_then(|p| lookup(&p.members, &u));
            if before == Some(BoardRole::Owner) {
                return Err(refusal(
                    Code::AuthorityOwnerOnly,
                    "the project's owner keeps their role",
                ));
            }
            x.change(
                format!("project role of {user}"),
                before.map(|r| r.as_str().to_string()),
                Some(role.as_str().to_string()),
            );
            x.emit(Event::ProjectMemberSet {
                project: project.clone(),
                user: user.clone(),
                role: *role,
            });
            Ok(())
        }
        Command::RemoveProjectMember { project, user } => {
            let p = x.project(project)?;
            let u = x.member(user)?;
            x.require("project.manage", Target::Project(p))?;
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
                        project: project.clone(),
                        user: user.clone(),
                    });
                    Ok(())
                }
            }
        }
        Command::UpdateProject {
            project,
            name,
            private,
        } => {
            let p = x.project(project)?;
            text("name", name, false)?;
            x.require("project.manage", Target::Project(p))?;
            let (n, pr) = x
                .state
                .project(p)
                .map(|p| (p.name.clone(), p.private))
                .unwrap_or_default();
            x.change("name", Some(n), Some(name.clone()));
            x.change("private", Some(pr.to_string()), Some(private.to_string()));
            x.emit(Event::ProjectDetailsSet {
                project: project.clone(),
                name: name.clone(),
                private: *private,
            });
            Ok(())
        }
        Command::DeleteProject { project } => {
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
                project: project.clone(),
            });
            Ok(())
        }
        _ => Err(refusal(
            Code::RequestInvalidParameter,
            "not a project command",
        )),
    }
}
