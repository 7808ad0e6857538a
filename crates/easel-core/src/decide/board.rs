//! Questions about a board: its life-cycle state, then authority and policy for the
//! capability asked (`board-roles.toml`), the board privileges, restore and purge.

use super::channels::{self, Roles};
use super::privileges::{held, may_invite};
use super::trace::{Outcome, Trace};
use super::{Ctx, Verdict};
use crate::action::{Action, EngineAction};
use crate::catalog::{Capability, Feature, Privilege};
use crate::codes::{Code, Layer};
use crate::decision::{Channel, Denial, Facts, Reason, Via};
use crate::ids::BoardIx;
use crate::model::{Board, BoardState, Grantee};
use crate::request::Subject;
use crate::roles::{BoardRole, MemberKind};
use crate::settings::{
    CopyAccess, CopyContent, SharingAccess, effective_coowners, effective_who_can_invite,
    email_allowed,
};

fn deny(code: Code, facts: Facts) -> Denial {
    Denial::new(code, facts)
}

pub(crate) fn decide<T: Trace>(ctx: &Ctx, bix: BoardIx, board: &Board, trace: &mut T) -> Verdict {
    let action = ctx.req.action;
    let facts = Facts {
        action: Some(action),
        ..Facts::default()
    };

    // Plan: the capability must exist on the plan at all.
    if let Action::Board(cap) = action
        && !cap.plans().contains(ctx.plan())
    {
        return Verdict::refused(deny(Code::PlanFeatureUnavailable, facts), None);
    }
    trace.layer(Layer::Plan, Outcome::Passed, || {
        format!("`{action}` exists on the {} plan", ctx.plan())
    });

    // State: trash, holds, retention.
    match board.state {
        BoardState::Trashed(_) => return trashed(ctx, bix, board, trace),
        BoardState::Purged => return Verdict::refused(deny(Code::RequestNotFound, facts), None),
        BoardState::Active => {
            if matches!(
                action,
                Action::Engine(EngineAction::BoardRestore | EngineAction::BoardPurge)
            ) {
                return Verdict::refused(deny(Code::StateNotTrashed, facts), None);
            }
        }
    }
    trace.layer(Layer::State, Outcome::Passed, || {
        "the board is active".into()
    });

    let roles = channels::evaluate(ctx, bix, board, Roles::default(), trace);
    match action {
        Action::Board(cap) => capability(ctx, board, cap, roles),
        Action::Privilege(p) => privilege(ctx, board, p, roles.best),
        Action::Engine(_) => {
            Verdict::refused(deny(Code::RequestUnsupportedTarget, facts), roles.best)
        }
    }
}

/// A board in the trash: visible to its owner and trash viewers; restore and purge only.
fn trashed<T: Trace>(ctx: &Ctx, bix: BoardIx, board: &Board, trace: &mut T) -> Verdict {
    let action = ctx.req.action;
    let facts = Facts {
        action: Some(action),
        ..Facts::default()
    };
    let owner = ctx.membership.is_some() && ctx.user.is_some_and(|(u, _)| u == board.owner);
    let owner_reason = ctx.user.map(|(u, _)| Reason {
        channel: Channel::Owner,
        via: Via::User(u),
        role: Some(BoardRole::Owner),
    });
    let by_owner_or = |privilege: Privilege| -> Option<Reason> {
        if owner {
            owner_reason
        } else {
            held(ctx, privilege, Some(board.team))
        }
    };
    let role = owner.then_some(BoardRole::Owner);
    let verdict = match action {
        Action::Board(Capability::View) | Action::Privilege(Privilege::TrashView) => {
            match by_owner_or(Privilege::TrashView) {
                Some(r) => Verdict::allowed(role, vec![r]),
                None => Verdict::refused(deny(Code::StateTrashed, facts), None),
            }
        }
        Action::Engine(EngineAction::BoardRestore) => match by_owner_or(Privilege::TrashRestore) {
            Some(r) => Verdict::allowed(role, vec![r]),
            None => Verdict::refused(
                deny(
                    Code::AuthorityMissingPrivilege,
                    Facts {
                        privilege: Some(Privilege::TrashRestore),
                        ..facts
                    },
                ),
                role,
            ),
        },
        Action::Engine(EngineAction::BoardPurge) => {
            if ctx.state.is_held(bix) {
                return Verdict::refused(deny(Code::StateLegalHold, facts), role);
            }
            let reason = match by_owner_or(Privilege::TrashPurge) {
                Some(r) => r,
                None => {
                    let facts = Facts {
                        privilege: Some(Privilege::TrashPurge),
                        ..facts
                    };
                    return Verdict::refused(deny(Code::AuthorityMissingPrivilege, facts), role);
                }
            };
            if board.retained {
                match held(ctx, Privilege::TrashForcePurgeRetained, Some(board.team)) {
                    Some(force) => Verdict::allowed(role, vec![reason, force]),
                    None => Verdict::refused(
                        deny(
                            Code::StateRetained,
                            Facts {
                                privilege: Some(Privilege::TrashForcePurgeRetained),
                                ..facts
                            },
                        ),
                        role,
                    ),
                }
            } else {
                Verdict::allowed(role, vec![reason])
            }
        }
        Action::Privilege(
            p @ (Privilege::TrashPurge
            | Privilege::TrashRestore
            | Privilege::TrashForcePurgeRetained),
        ) => privilege(ctx, board, p, role),
        _ => Verdict::refused(deny(Code::StateTrashed, facts), None),
    };
    trace.layer(Layer::State, if verdict.denial.is_some_and(|d| d.layer() == Layer::State) { Outcome::Refused } else { Outcome::Passed }, || {
        "the board is in the trash: only its owner and trash viewers see it; restore and purge only".into()
    });
    verdict
}

/// An admin privilege asked about a board: held organization-wide, or by a team content
/// admin of the board's team.
fn privilege(ctx: &Ctx, board: &Board, p: Privilege, role: Option<BoardRole>) -> Verdict {
    if ctx.membership.is_none() {
        return Verdict::refused(
            deny(Code::AuthorityNotInOrganization, Facts::default()),
            role,
        );
    }
    match held(ctx, p, Some(board.team)) {
        Some(r) => Verdict::allowed(role, vec![r]),
        None => Verdict::refused(
            deny(
                Code::AuthorityMissingPrivilege,
                Facts {
                    action: Some(Action::Privilege(p)),
                    privilege: Some(p),
                    ..Facts::default()
                },
            ),
            role,
        ),
    }
}

/// The refusal for a role below `needed`: a suspended channel that would have sufficed is
/// named first (the setting is the real cause), then a bad link, then the role itself.
fn too_low(cap: Capability, roles: &Roles, needed: BoardRole) -> Denial {
    let facts = Facts {
        action: Some(Action::Board(cap)),
        needed: Some(needed),
        had: roles.best,
        ..Facts::default()
    };
    if let Some((would, code)) = roles.suspended
        && would >= needed
    {
        return deny(
            code,
            Facts {
                had: roles.best,
                needed: Some(needed),
                ..facts
            },
        );
    }
    match (roles.best, roles.link_problem) {
        (None, Some(code)) => deny(code, facts),
        (None, None) => deny(Code::AuthorityNoBoardRole, facts),
        (Some(_), _) => deny(Code::AuthorityRoleTooLow, facts),
    }
}

fn capability(ctx: &Ctx, board: &Board, cap: Capability, roles: Roles) -> Verdict {
    let facts = Facts {
        action: Some(Action::Board(cap)),
        had: roles.best,
        ..Facts::default()
    };
    let role = roles.best;
    if cap == Capability::RequestAccess {
        return request_access(ctx, cap, roles);
    }
    let needed = cap.min_role().unwrap_or(BoardRole::Viewer);
    let sufficient = role.is_some_and(|r| r >= needed);

    // Admin privileges that stand in for a role on some capabilities.
    let admin_alternative = match cap {
        Capability::Share => held(ctx, Privilege::BoardsEditAccess, Some(board.team))
            .or_else(|| held(ctx, Privilege::BoardsEditSharing, Some(board.team))),
        Capability::Delete => held(ctx, Privilege::BoardsDelete, Some(board.team)),
        Capability::SetClassification => held(ctx, Privilege::BoardsEditAll, Some(board.team)),
        Capability::TransferOwnership => extended_company_admin(ctx, board),
        _ => None,
    };
    let reasons = match (sufficient, admin_alternative) {
        (true, _) => roles.reasons,
        (false, Some(reason)) => vec![reason],
        (false, None) => return Verdict::refused(too_low(cap, &roles, needed), role),
    };
    let allow = |reasons: Vec<Reason>| Verdict::allowed(role, reasons);
    // Sharing on the strength of an admin privilege follows the privilege, not the
    // editor rules, even when the admin channel also gives the admin editor access.
    let via_admin = admin_alternative.is_some();

    match cap {
        // Voting is for registered users; a link treats anyone outside the organization
        // (never in it, removed, deactivated) as an anonymous visitor.
        Capability::VoteAndTimer
            if ctx.req.subject == Subject::Anonymous || ctx.membership.is_none() =>
        {
            Verdict::refused(deny(Code::AuthorityAnonymous, facts), role)
        }
        Capability::Share => share(ctx, board, role, via_admin, facts)
            .map_or_else(|| allow(reasons), |d| Verdict::refused(d, role)),
        Capability::AddCoowner => {
            let team = ctx.state.team(board.team).map(|t| &t.settings);
            if team.is_some_and(|t| effective_coowners(ctx.company, t)) {
                allow(reasons)
            } else {
                Verdict::refused(deny(Code::PolicyCoownersDisabled, facts), role)
            }
        }
        Capability::MoveBetweenTeams => match move_board(ctx, board, facts) {
            Some(d) => Verdict::refused(d, role),
            None => allow(reasons),
        },
        Capability::TransferOwnership => match ctx.req.new_owner {
            Some(new_owner) if !transfer_target_ok(ctx, board, new_owner) => {
                Verdict::refused(deny(Code::AuthorityTransferTargetIneligible, facts), role)
            }
            _ => allow(reasons),
        },
        Capability::SetClassification if ctx.company.board_classification.is_none() => {
            Verdict::refused(
                deny(
                    Code::PolicyClassificationOff,
                    Facts {
                        setting: Some(crate::catalog::SettingKey::BoardClassification),
                        ..facts
                    },
                ),
                role,
            )
        }
        Capability::CopyContent => match copy_refusal(ctx, board, role) {
            Some(setting) => Verdict::refused(
                deny(
                    Code::PolicyCopyRestricted,
                    Facts {
                        setting: Some(setting),
                        ..facts
                    },
                ),
                role,
            ),
            None => allow(reasons),
        },
        _ => allow(reasons),
    }
}

/// Company admins may transfer any board's ownership while extended content admin is on.
fn extended_company_admin(ctx: &Ctx, board: &Board) -> Option<Reason> {
    (ctx.is_company_admin() && ctx.company.extended_content_admin && ctx.has(Feature::AdminRoles))
        .then_some(Reason {
            channel: Channel::Admin,
            via: Via::Org(board.org),
            role: None,
        })
}

/// Sharing: who may share, the role ceilings, and whom the invitee may be.
fn share(
    ctx: &Ctx,
    board: &Board,
    role: Option<BoardRole>,
    via_admin: bool,
    facts: Facts,
) -> Option<Denial> {
    let team = ctx.state.team(board.team)?;
    let is_owner_level = role.is_some_and(|r| r >= BoardRole::Coowner);
    if !via_admin && !is_owner_level {
        // An editor shares only as a member of the board's team, and only while the board
        // lets editors share (content settings exist on paid plans; free keeps the default).
        if ctx.team_role(board.team).is_none() {
            return Some(deny(Code::AuthorityNotTeamMember, facts));
        }
        if ctx.has(Feature::BoardContentSettings)
            && board.content.sharing_access == SharingAccess::OwnerAndCoowners
        {
            return Some(deny(Code::PolicySharingRestricted, facts));
        }
        if board.template && ctx.company.restrict_template_sharing {
            return Some(deny(Code::PolicySharingRestricted, facts));
        }
    }
    if let Some(granting) = ctx.req.role {
        // Admins share at editor level: their access is content access, never ownership.
        // The admin level only ever raises the ceiling: an owner or co-owner who is also an
        // admin keeps the ceiling of their own role.
        let admin_level = via_admin.then_some(BoardRole::Editor);
        let own = role.max(admin_level).unwrap_or(BoardRole::Viewer);
        let f = Facts {
            had: Some(own),
            needed: Some(granting),
            ..facts
        };
        // The ceiling first: no one grants above their own role. Then co-owner, which only
        // the owner grants; ownership itself is transferred, never granted.
        if granting > own {
            return Some(deny(Code::AuthorityRoleCeiling, f));
        }
        if granting == BoardRole::Owner {
            return Some(deny(Code::RequestInvalidParameter, f));
        }
        if granting == BoardRole::Coowner {
            if !ctx.has(Feature::Coowners) {
                return Some(deny(
                    Code::PlanFeatureUnavailable,
                    Facts {
                        feature: Some(Feature::Coowners),
                        ..f
                    },
                ));
            }
            if own != BoardRole::Owner {
                return Some(deny(Code::AuthorityOwnerOnly, f));
            }
            if !effective_coowners(ctx.company, &team.settings) {
                return Some(deny(Code::PolicyCoownersDisabled, f));
            }
        }
    }
    let email = ctx.req.invitee?;
    let invitee_kind = ctx
        .state
        .find_email(email)
        .and_then(|u| ctx.state.membership(u, ctx.org_ix))
        .map(|m| m.kind);
    // Board invitations never make members: someone new to the organization joins as a
    // guest. Inviting someone new is bounded by `who_can_invite` of company and team.
    let guest = invitee_kind != Some(MemberKind::Member);
    let domain_ok = email_allowed(ctx.company, Some(&team.settings), email);
    let setting = |k| Facts {
        setting: Some(k),
        ..facts
    };
    use crate::catalog::SettingKey as K;
    let who = effective_who_can_invite(ctx.company, &team.settings);
    if invitee_kind.is_none() && !may_invite(ctx, who, Some(board.team)) {
        return Some(deny(Code::PolicyInviteNotAllowed, setting(K::WhoCanInvite)));
    }
    if guest && !team.settings.guest_invites {
        return Some(deny(
            Code::PolicyGuestInvitesDisabled,
            setting(K::GuestInvites),
        ));
    }
    let bypass = guest && ctx.company.allowed_domains_guest_bypass;
    if !(domain_ok || bypass) {
        return Some(deny(
            Code::PolicyDomainNotAllowed,
            setting(K::AllowedDomains),
        ));
    }
    None
}

/// Moving: the owner belongs to both teams, and both teams allow moving.
fn move_board(ctx: &Ctx, board: &Board, facts: Facts) -> Option<Denial> {
    let from = ctx.state.team(board.team)?;
    if ctx.team_role(board.team).is_none() {
        return Some(deny(Code::AuthorityNotTeamMember, facts));
    }
    let setting = Facts {
        setting: Some(crate::catalog::SettingKey::BoardMoving),
        ..facts
    };
    if !from.settings.board_moving {
        return Some(deny(Code::PolicyMovingDisabled, setting));
    }
    let to_ix = ctx.req.to_team?;
    let Some(to) = ctx.state.team(to_ix).filter(|t| t.org == board.org) else {
        return Some(deny(Code::RequestCrossOrganization, facts));
    };
    if ctx.team_role(to_ix).is_none() {
        return Some(deny(Code::AuthorityNotTeamMember, facts));
    }
    if !to.settings.board_moving {
        return Some(deny(Code::PolicyMovingDisabled, setting));
    }
    None
}

/// The new owner must be an active member of the board's team and directly invited.
fn transfer_target_ok(ctx: &Ctx, board: &Board, new_owner: crate::ids::UserIx) -> bool {
    let state = ctx.state;
    let Some(user) = state.user(new_owner) else {
        return false;
    };
    let member = user.status == crate::model::UserStatus::Active
        && user
            .membership(board.org)
            .is_some_and(|m| m.active && m.kind == MemberKind::Member);
    let in_team = state.direct_team_role(board.team, new_owner).is_some()
        || state.team(board.team).is_some_and(|t| {
            t.group_members
                .iter()
                .any(|(g, _)| user.groups.binary_search(g).is_ok())
        });
    member && in_team && board.grant(Grantee::User(new_owner)).is_some()
}

/// The setting that forbids this subject to copy, if one does. The free plan always
/// allows copying.
fn copy_refusal(
    ctx: &Ctx,
    board: &Board,
    role: Option<BoardRole>,
) -> Option<crate::catalog::SettingKey> {
    use crate::catalog::SettingKey as K;
    if !ctx.has(Feature::BoardContentSettings) {
        return None;
    }
    let team_member = ctx.team_role(board.team).is_some();
    let ok = match board.content.copy_access {
        CopyAccess::AnyoneWithAccess => true,
        CopyAccess::TeamMembers => team_member,
        CopyAccess::Editors => role.is_some_and(|r| r >= BoardRole::Editor),
        CopyAccess::OwnerOnly => role == Some(BoardRole::Owner),
    };
    if !ok {
        return Some(K::DefaultBoardContent);
    }
    let team = ctx.state.team(board.team)?;
    if team.settings.copy_content == CopyContent::TeamMembers && !team_member {
        return Some(K::CopyContent);
    }
    None
}

/// Requesting access: registered members of the organization ask for a role they lack.
fn request_access(ctx: &Ctx, cap: Capability, roles: Roles) -> Verdict {
    let role = roles.best;
    let facts = Facts {
        action: Some(Action::Board(cap)),
        had: role,
        ..Facts::default()
    };
    if ctx.req.subject == Subject::Anonymous {
        return Verdict::refused(deny(Code::AuthorityAnonymous, facts), role);
    }
    if ctx.membership.is_none() {
        return Verdict::refused(deny(Code::AuthorityNotInOrganization, facts), role);
    }
    let wanted = ctx.req.role.unwrap_or(BoardRole::Viewer);
    let facts = Facts {
        needed: Some(wanted),
        ..facts
    };
    if wanted > BoardRole::Editor {
        return Verdict::refused(deny(Code::RequestInvalidParameter, facts), role);
    }
    if role.is_some_and(|r| r >= wanted) {
        return Verdict::refused(deny(Code::AuthorityAlreadyHasAccess, facts), role);
    }
    if role.is_some() && wanted == BoardRole::Editor && !ctx.has(Feature::RequestEditAccess) {
        return Verdict::refused(
            deny(
                Code::PlanFeatureUnavailable,
                Facts {
                    feature: Some(Feature::RequestEditAccess),
                    ..facts
                },
            ),
            role,
        );
    }
    let reason = ctx.user.map(|(_, _)| Reason {
        channel: Channel::Membership,
        via: Via::Org(ctx.org_ix),
        role: None,
    });
    Verdict::allowed(role, reason.into_iter().collect())
}
