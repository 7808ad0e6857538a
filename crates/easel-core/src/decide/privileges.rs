//! Which admin privileges a subject holds where (MODEL.md §4).

use super::Ctx;
use crate::catalog::{AdminRole, Privilege};
use crate::decision::{Channel, Reason, Via};
use crate::ids::TeamIx;

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
