//! Questions about a project (the admin table's "spaces").

use super::privileges::{held, is_space_privilege};
use super::{Ctx, Verdict, team};
use crate::action::{Action, EngineAction};
use crate::catalog::{AdminRole, Feature, Privilege};
use crate::codes::Code;
use crate::decision::{Channel, Denial, Facts, Reason, Via};
use crate::ids::{ProjectIx, lookup};
use crate::model::Project;
use crate::roles::{BoardRole, TeamRole};
use crate::settings::effective_coowners;

pub(crate) fn decide(ctx: &Ctx, pix: ProjectIx, project: &Project) -> Verdict {
    let action = ctx.req.action;
    let facts = Facts {
        action: Some(action),
        ..Facts::default()
    };
    let refuse = |code: Code, facts: Facts| Verdict::refused(Denial::new(code, facts), None);
    let Some(team) = ctx.state.team(project.team) else {
        return refuse(Code::RequestNotFound, facts);
    };
    // The user's project role: their own, or the highest a group of theirs assigned to the
    // project gives (their own wins a tie, so that it is the reason given).
    let member = ctx.user.and_then(|(u, user)| {
        let direct = lookup(&project.members, &u).map(|r| (r, Via::Project(pix)));
        let groups = project
            .groups
            .iter()
            .filter(|(g, _)| user.groups.binary_search(g).is_ok())
            .map(|(g, r)| (*r, Via::Group(*g)));
        direct
            .into_iter()
            .chain(groups)
            .reduce(|best, next| if next.0 > best.0 { next } else { best })
    });
    let granted = member.map(|(r, _)| r);
    let member_via = member.map_or(Via::Project(pix), |(_, via)| via);
    let coowners_on = ctx.has(Feature::Coowners) && effective_coowners(ctx.company, &team.settings);
    let acts = granted.map(|r| {
        if r == BoardRole::Coowner && !coowners_on {
            BoardRole::Editor
        } else {
            r
        }
    });
    let member_reason = acts.map(|r| Reason {
        channel: Channel::Project,
        via: member_via,
        role: Some(r),
    });
    // Company admins hold every project privilege inside the projects they belong to.
    let space_privilege = |p: Privilege| -> Option<Reason> {
        held(ctx, p, Some(project.team)).or_else(|| {
            (is_space_privilege(p)
                && granted.is_some()
                && ctx.org_roles.contains(AdminRole::CompanyAdmin))
            .then_some(Reason {
                channel: Channel::Privilege,
                via: Via::Project(pix),
                role: None,
            })
        })
    };
    let missing = |p: Privilege| {
        refuse(
            Code::AuthorityMissingPrivilege,
            Facts {
                privilege: Some(p),
                ..facts
            },
        )
    };

    let e = match action {
        Action::Privilege(p) => {
            return match space_privilege(p) {
                Some(r) => Verdict::allowed(None, vec![r]),
                None => missing(p),
            };
        }
        Action::Engine(e) => e,
        Action::Board(_) => return refuse(Code::RequestUnsupportedTarget, facts),
    };
    let team_role = ctx.team_role(project.team);
    match e {
        EngineAction::ProjectView => {
            // Content admins and team content admins may open a private project by id.
            let by_id = [Privilege::SpacesEditAccess, Privilege::SpacesEdit]
                .into_iter()
                .find_map(space_privilege);
            let open = (!project.private)
                .then_some(())
                .and(team_role)
                .map(|_| Reason {
                    channel: Channel::TeamRole,
                    via: Via::Team(project.team),
                    role: None,
                });
            match member_reason.or(by_id).or(open) {
                Some(r) => Verdict::allowed(acts, vec![r]),
                None if team_role.is_none() && !project.private => {
                    refuse(Code::AuthorityNotTeamMember, facts)
                }
                None => refuse(Code::AuthorityNotProjectMember, facts),
            }
        }
        EngineAction::ProjectManage => {
            if acts.is_some_and(|r| r >= BoardRole::Coowner) {
                return Verdict::allowed(acts, member_reason.into_iter().collect());
            }
            if let Some(r) = space_privilege(Privilege::SpacesEditAccess)
                .or_else(|| space_privilege(Privilege::SpacesEdit))
            {
                return Verdict::allowed(acts, vec![r]);
            }
            let facts = Facts {
                needed: Some(BoardRole::Coowner),
                had: acts,
                ..facts
            };
            match (granted, acts) {
                (Some(BoardRole::Coowner), _) => refuse(Code::PolicyCoownersDisabled, facts),
                (_, Some(_)) => refuse(Code::AuthorityRoleTooLow, facts),
                _ => refuse(Code::AuthorityNotProjectMember, facts),
            }
        }
        EngineAction::ProjectCreateBoard => {
            if ctx.is_guest() {
                return refuse(Code::AuthorityGuest, facts);
            }
            if project.private
                && let Some(r) = space_privilege(Privilege::SpacesCreateBoardsInPrivate)
            {
                return Verdict::allowed(acts, vec![r]);
            }
            match acts {
                Some(r) if r >= BoardRole::Editor => {
                    let is_admin = team_role == Some(TeamRole::Admin);
                    let mut verdict = team::create(
                        ctx,
                        project.team,
                        team,
                        EngineAction::TeamCreateBoard,
                        member_reason,
                        is_admin,
                        facts,
                    );
                    verdict.role = acts;
                    verdict
                }
                Some(_) => refuse(
                    Code::AuthorityRoleTooLow,
                    Facts {
                        needed: Some(BoardRole::Editor),
                        had: acts,
                        ..facts
                    },
                ),
                None => refuse(Code::AuthorityNotProjectMember, facts),
            }
        }
        _ => refuse(Code::RequestUnsupportedTarget, facts),
    }
}
