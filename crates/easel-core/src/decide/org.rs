//! Questions about an organization: privileges, membership, invitations, sessions, holds.

use super::privileges::{held, may_invite};
use super::{Ctx, Verdict};
use crate::action::{Action, EngineAction};
use crate::catalog::{AdminRole, Privilege, SettingKey};
use crate::codes::Code;
use crate::decision::{Channel, Denial, Facts, Reason, Via};
use crate::settings::email_allowed;

pub(crate) fn decide(ctx: &Ctx) -> Verdict {
    let action = ctx.req.action;
    let facts = Facts {
        action: Some(action),
        ..Facts::default()
    };
    let refuse = |code: Code, facts: Facts| Verdict::refused(Denial::new(code, facts), None);
    let missing = |p: Privilege| {
        refuse(
            Code::AuthorityMissingPrivilege,
            Facts {
                privilege: Some(p),
                ..facts
            },
        )
    };
    let by_privilege = |p: Privilege| match held(ctx, p, None) {
        Some(r) => Verdict::allowed(None, vec![r]),
        None => missing(p),
    };
    let member_reason = Reason {
        channel: Channel::Membership,
        via: Via::Org(ctx.org_ix),
        role: None,
    };
    let e = match action {
        Action::Privilege(p) => return by_privilege(p),
        Action::Engine(e) => e,
        Action::Board(_) => return refuse(Code::RequestUnsupportedTarget, facts),
    };
    match e {
        EngineAction::OrgView => Verdict::allowed(None, vec![member_reason]),
        EngineAction::OrgInvite => {
            if ctx.is_guest() {
                return refuse(Code::AuthorityGuest, facts);
            }
            let admin = held(ctx, Privilege::UsersAdd, None);
            if !may_invite(ctx, ctx.company.who_can_invite, None) {
                return refuse(
                    Code::PolicyInviteNotAllowed,
                    Facts {
                        setting: Some(SettingKey::WhoCanInvite),
                        ..facts
                    },
                );
            }
            if ctx
                .req
                .invitee
                .is_some_and(|email| !email_allowed(ctx.company, None, email))
            {
                return refuse(
                    Code::PolicyDomainNotAllowed,
                    Facts {
                        setting: Some(SettingKey::AllowedDomains),
                        ..facts
                    },
                );
            }
            Verdict::allowed(None, vec![admin.unwrap_or(member_reason)])
        }
        EngineAction::OrgResetSessions => by_privilege(Privilege::UsersEdit),
        EngineAction::OrgExportContentLogs => by_privilege(Privilege::AuditLogsViewExport),
        // Exporting every board's content needs content access to every board.
        EngineAction::OrgExportBoards => by_privilege(Privilege::BoardsEditAll),
        EngineAction::OrgLegalHolds => {
            // No privilege in the table covers cases; they are compliance work, held by
            // company admins and security admins.
            let roles = AdminRole::CompanyAdmin
                .bit()
                .union(AdminRole::SecurityAdmin.bit());
            if ctx.org_roles.intersects(roles) {
                Verdict::allowed(
                    None,
                    vec![Reason {
                        channel: Channel::Admin,
                        via: Via::Org(ctx.org_ix),
                        role: None,
                    }],
                )
            } else {
                refuse(Code::AuthorityMissingPrivilege, facts)
            }
        }
        _ => refuse(Code::RequestUnsupportedTarget, facts),
    }
}
