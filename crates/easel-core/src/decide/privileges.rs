//! Which admin privileges a subject holds where (MODEL.md §4).

use super::Ctx;
use crate::catalog::{AdminRole, Privilege};
use crate::decision::{Channel, Reason, Via};
use crate::ids::TeamIx;
use crate::roles::TeamRole;
use crate::settings::WhoCanInvite;

/// The reason the subject holds `privilege` for something in `team` (or organization-wide
/// when `team` is `None`), if they do. Team content admins hold their privileges only
/// inside their teams.
pub(crate) fn held(ctx: &Ctx, privilege: Privilege, team: Option<TeamIx>) -> Option<Reason> {
    let holders = privilege.holders();
    if holders.intersects(ctx.org_roles) {
        return Some(Reason {
            channel: Channel::Privilege,
            via: Via::Privilege(privilege),
            role: None,
        });
    }
    if extended_content_admin_covers(privilege)
        && ctx.is_company_admin()
        && ctx.company.extended_content_admin
    {
        return Some(Reason {
            channel: Channel::Admin,
            via: Via::Org(ctx.org_ix),
            role: None,
        });
    }
    let team = team?;
    if holders.contains(AdminRole::TeamContentAdmin) && ctx.is_team_content_admin(team) {
        return Some(Reason {
            channel: Channel::Privilege,
            via: Via::Team(team),
            role: None,
        });
    }
    None
}

/// Whether the privilege is one of the project ("spaces") privileges that company admins
/// hold inside the projects they are members of.
pub(crate) fn is_space_privilege(privilege: Privilege) -> bool {
    privilege.group() == "spaces"
}

/// Whether the subject may invite someone new under `who_can_invite = who`: company-level
/// admins (holders of `users.add`) always; team admins (of `team`, or of any team when none
/// is named) unless only company admins may; every member (never a guest) when all may.
pub(crate) fn may_invite(ctx: &Ctx, who: WhoCanInvite, team: Option<TeamIx>) -> bool {
    if !ctx.is_full_member() {
        return false;
    }
    let admin = held(ctx, Privilege::UsersAdd, None).is_some();
    let team_admin = match team {
        Some(t) => ctx.team_role(t) == Some(TeamRole::Admin),
        None => ctx.user.is_some_and(|(_, u)| {
            u.teams.iter().any(|(t, r)| {
                *r == TeamRole::Admin && ctx.state.team(*t).is_some_and(|t| t.org == ctx.org_ix)
            })
        }),
    };
    match who {
        WhoCanInvite::AllMembers => true,
        WhoCanInvite::CompanyAndTeamAdmins => admin || team_admin,
        WhoCanInvite::CompanyAdmins => admin,
    }
}

/// The privileges a company admin holds while `extended_content_admin` is on: managing
/// access to any board, project and template (settings.toml), as a content admin does;
/// not purging boards under retention, which the setting does not mention.
fn extended_content_admin_covers(privilege: Privilege) -> bool {
    use Privilege as P;
    matches!(
        privilege,
        P::BoardsViewAll
            | P::BoardsEditAccess
            | P::BoardsEditAll
            | P::BoardsEditSharing
            | P::BoardsDelete
            | P::TemplatesView
            | P::TemplatesEdit
            | P::TemplatesEditSharing
    ) || is_space_privilege(privilege)
}
