//! What every layer needs to know about the subject and the target's organization, computed
//! once per question.

use crate::catalog::{AdminRole, AdminRoleSet, Feature, Plan};
use crate::ids::{OrgIx, TeamIx, UserIx};
use crate::model::{Membership, Org, User, UserStatus};
use crate::request::{Request, Subject};
use crate::roles::{MemberKind, TeamRole};
use crate::settings::{CompanySettings, company_in_force};
use crate::state::State;

/// The subject as seen from one organization.
pub(crate) struct Ctx<'s, 'r> {
    pub state: &'s State,
    pub req: &'r Request<'r>,
    pub org_ix: OrgIx,
    pub org: &'s Org,
    /// The company settings in force (defaults where the plan has no company settings).
    pub company: &'s CompanySettings,
    /// The subject, if a registered user.
    pub user: Option<(UserIx, &'s User)>,
    /// The subject's membership in the organization, if any and usable (user and
    /// membership active). A deactivated user has none: only a public link reaches them.
    pub membership: Option<Membership>,
    /// The organization-level admin roles in force.
    pub org_roles: AdminRoleSet,
}

impl<'s, 'r> Ctx<'s, 'r> {
    pub fn new(state: &'s State, req: &'r Request<'r>, org_ix: OrgIx, org: &'s Org) -> Ctx<'s, 'r> {
        let user = match req.subject {
            Subject::User(u) => state.user(u).map(|x| (u, x)),
            Subject::Anonymous => None,
        };
        let membership = user
            .filter(|(_, u)| u.status == UserStatus::Active)
            .and_then(|(_, u)| u.membership(org_ix).copied())
            .filter(|m| m.active);
        let org_roles = match (membership, user) {
            (Some(m), _) if m.kind == MemberKind::Guest => AdminRoleSet::EMPTY,
            (Some(m), _) if Feature::AdminRoles.available(org.plan, false) => m.admin_roles,
            // Without admin roles, the account owner holds the company admin privileges.
            (Some(_), Some((u, _))) if org.owner == Some(u) => AdminRole::CompanyAdmin.bit(),
            _ => AdminRoleSet::EMPTY,
        };
        Ctx {
            state,
            req,
            org_ix,
            org,
            company: company_in_force(org.plan, &org.settings),
            user,
            membership,
            org_roles,
        }
    }

    pub fn plan(&self) -> Plan {
        self.org.plan
    }

    pub fn has(&self, feature: Feature) -> bool {
        feature.available(self.org.plan, self.org.has_guard())
    }

    /// A usable membership of kind member (not guest).
    pub fn is_full_member(&self) -> bool {
        self.membership
            .is_some_and(|m| m.kind == MemberKind::Member)
    }

    pub fn is_guest(&self) -> bool {
        self.membership.is_some_and(|m| m.kind == MemberKind::Guest)
    }

    pub fn is_company_admin(&self) -> bool {
        self.org_roles.contains(AdminRole::CompanyAdmin)
    }

    /// The subject's role in a team: directly or through a group, the higher; guests have
    /// none (they never belong to teams).
    pub fn team_role(&self, team: TeamIx) -> Option<TeamRole> {
        if !self.is_full_member() {
            return None;
        }
        let (uix, user) = self.user?;
        let t = self.state.team(team)?;
        let direct = self.state.direct_team_role(team, uix);
        let via_group = t
            .group_members
            .iter()
            .filter(|(g, _)| user.groups.binary_search(g).is_ok())
            .map(|(_, r)| *r)
            .max();
        direct.max(via_group)
    }

    /// Whether the subject is a team content admin of the team (a role that exists only
    /// where admin roles do).
    pub fn is_team_content_admin(&self, team: TeamIx) -> bool {
        self.is_full_member()
            && self.has(Feature::AdminRoles)
            && self
                .user
                .is_some_and(|(_, u)| u.content_admin_teams.binary_search(&team).is_ok())
    }
}

/// Whether `user` holds the company admin role in force in `org`: the role itself on plans
/// with admin roles, the account ownership elsewhere.
pub(crate) fn is_company_admin(state: &State, user: UserIx, org: OrgIx) -> bool {
    let Some(o) = state.org(org) else {
        return false;
    };
    let Some(u) = state.user(user) else {
        return false;
    };
    let Some(m) = u
        .membership(org)
        .filter(|m| m.active && m.kind == MemberKind::Member)
    else {
        return false;
    };
    if u.status != UserStatus::Active {
        return false;
    }
    if Feature::AdminRoles.available(o.plan, false) {
        m.admin_roles.contains(AdminRole::CompanyAdmin)
    } else {
        o.owner == Some(user)
    }
}
