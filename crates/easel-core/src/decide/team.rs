//! Questions about a team (MODEL.md §5): seeing, joining, managing, inviting, creating.

use super::privileges::{held, may_invite};
use super::{Ctx, Verdict};
use crate::action::{Action, EngineAction};
use crate::catalog::{Privilege, SettingKey};
use crate::codes::Code;
use crate::decision::{Channel, Denial, Facts, Reason, Via};
use crate::ids::TeamIx;
use crate::model::Team;
use crate::roles::TeamRole;
use crate::settings::{
    Creators, TeamDiscovery, TeamPrivacy, effective_who_can_invite, email_allowed,
};

pub(crate) fn decide(ctx: &Ctx, tix: TeamIx, team: &Team) -> Verdict {
    let action = ctx.req.action;
    let facts = Facts {
        action: Some(action),
        ..Facts::default()
    };
    let refuse = |code: Code| Verdict::refused(Denial::new(code, facts), None);
    let team_role = ctx.team_role(tix);
    let role_reason = team_role.map(|_| Reason {
        channel: Channel::TeamRole,
        via: Via::Team(tix),
        role: None,
    });
    let is_admin = team_role == Some(TeamRole::Admin);
    let discoverable = ctx.company.team_privacy == TeamPrivacy::Visible
        && team.settings.team_discovery != TeamDiscovery::Hidden;
    let setting = |k: SettingKey| Facts {
        setting: Some(k),
        ..facts
    };
    let missing = |p: Privilege| {
        Verdict::refused(
            Denial::new(
                Code::AuthorityMissingPrivilege,
                Facts {
                    privilege: Some(p),
                    ..facts
                },
            ),
            None,
        )
    };

    let e = match action {
        Action::Privilege(p) => {
            return match held(ctx, p, Some(tix)) {
                Some(r) => Verdict::allowed(None, vec![r]),
                None => missing(p),
            };
        }
        Action::Engine(e) => e,
        Action::Board(_) => return refuse(Code::RequestUnsupportedTarget),
    };
    match e {
        EngineAction::TeamView => {
            if let Some(r) = role_reason.or_else(|| held(ctx, Privilege::TeamsView, Some(tix))) {
                Verdict::allowed(None, vec![r])
            } else if ctx.is_guest() {
                refuse(Code::AuthorityGuest)
            } else if discoverable {
                Verdict::allowed(
                    None,
                    vec![Reason {
                        channel: Channel::Membership,
                        via: Via::Org(ctx.org_ix),
                        role: None,
                    }],
                )
            } else {
                Verdict::refused(
                    Denial::new(
                        Code::PolicyTeamNotDiscoverable,
                        setting(SettingKey::TeamDiscovery),
                    ),
                    None,
                )
            }
        }
        EngineAction::TeamJoin | EngineAction::TeamRequestJoin => {
            if ctx.is_guest() {
                return refuse(Code::AuthorityGuest);
            }
            if team_role.is_some() {
                return refuse(Code::AuthorityAlreadyHasAccess);
            }
            if !discoverable {
                let key = if ctx.company.team_privacy == TeamPrivacy::Private {
                    SettingKey::TeamPrivacy
                } else {
                    SettingKey::TeamDiscovery
                };
                return Verdict::refused(
                    Denial::new(Code::PolicyTeamNotDiscoverable, setting(key)),
                    None,
                );
            }
            if e == EngineAction::TeamJoin && team.settings.team_discovery != TeamDiscovery::Open {
                return Verdict::refused(
                    Denial::new(
                        Code::PolicyJoinNeedsApproval,
                        setting(SettingKey::TeamDiscovery),
                    ),
                    None,
                );
            }
            Verdict::allowed(
                None,
                vec![Reason {
                    channel: Channel::Membership,
                    via: Via::Org(ctx.org_ix),
                    role: None,
                }],
            )
        }
        EngineAction::TeamManage => {
            let reason = if is_admin { role_reason } else { None }
                .or_else(|| held(ctx, Privilege::TeamsEdit, Some(tix)));
            match reason {
                Some(r) => Verdict::allowed(None, vec![r]),
                None => missing(Privilege::TeamsEdit),
            }
        }
        EngineAction::TeamInvite => {
            let admin = held(ctx, Privilege::UsersAdd, Some(tix));
            let reason = match (admin, role_reason) {
                (Some(r), _) | (None, Some(r)) => r,
                (None, None) if ctx.is_guest() => return refuse(Code::AuthorityGuest),
                (None, None) => return refuse(Code::AuthorityNotTeamMember),
            };
            let who = effective_who_can_invite(ctx.company, &team.settings);
            if !may_invite(ctx, who, Some(tix)) {
                return Verdict::refused(
                    Denial::new(
                        Code::PolicyInviteNotAllowed,
                        setting(SettingKey::WhoCanInvite),
                    ),
                    None,
                );
            }
            if let Some(email) = ctx.req.invitee
                && !email_allowed(ctx.company, Some(&team.settings), email)
            {
                return Verdict::refused(
                    Denial::new(
                        Code::PolicyDomainNotAllowed,
                        setting(SettingKey::AllowedDomains),
                    ),
                    None,
                );
            }
            Verdict::allowed(None, vec![reason])
        }
        EngineAction::TeamCreateBoard
        | EngineAction::TeamCreateProject
        | EngineAction::TeamCreateTemplate => {
            create(ctx, tix, team, e, role_reason, is_admin, facts)
        }
        _ => refuse(Code::RequestUnsupportedTarget),
    }
}

/// Creating in a team: the admin privilege for the asset, or team membership within
/// `who_can_create`. Guests never create.
pub(crate) fn create(
    ctx: &Ctx,
    tix: TeamIx,
    team: &Team,
    what: EngineAction,
    role_reason: Option<Reason>,
    is_team_admin: bool,
    facts: Facts,
) -> Verdict {
    if ctx.is_guest() {
        return Verdict::refused(Denial::new(Code::AuthorityGuest, facts), None);
    }
    let (privilege, creators) = match what {
        EngineAction::TeamCreateProject => (
            Privilege::SpacesCreate,
            team.settings.who_can_create.projects,
        ),
        EngineAction::TeamCreateTemplate => (
            Privilege::BoardsCreate,
            team.settings.who_can_create.templates,
        ),
        _ => (Privilege::BoardsCreate, team.settings.who_can_create.boards),
    };
    if let Some(r) = held(ctx, privilege, Some(tix)) {
        return Verdict::allowed(None, vec![r]);
    }
    let company_admin = ctx.is_company_admin();
    let reason = match role_reason {
        Some(r) => r,
        None if company_admin => Reason {
            channel: Channel::Privilege,
            via: Via::Org(ctx.org_ix),
            role: None,
        },
        None => return Verdict::refused(Denial::new(Code::AuthorityNotTeamMember, facts), None),
    };
    let allowed = match creators {
        Creators::AllMembers => true,
        Creators::CompanyAndTeamAdmins => company_admin || is_team_admin,
        Creators::CompanyAdmins => company_admin,
    };
    if allowed {
        Verdict::allowed(None, vec![reason])
    } else {
        Verdict::refused(
            Denial::new(
                Code::PolicyCreateNotAllowed,
                Facts {
                    setting: Some(SettingKey::WhoCanCreate),
                    ..facts
                },
            ),
            None,
        )
    }
}
