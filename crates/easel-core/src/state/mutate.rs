//! The changes the state knows how to make, each keeping every index consistent.
//!
//! These are the primitive changes; the commands of the product are built on them. Each one
//! checks what it needs first and changes nothing when it refuses.

use crate::catalog::{AdminRole, AdminRoleSet, Plan, ScopeSet};
use crate::ids::{
    AppIx, BoardIx, CaseIx, GroupIx, InstallationIx, OrgIx, ProjectIx, SessionIx, TeamIx, TokenIx,
    UserIx, lookup, remove_key, sorted_insert, sorted_remove, upsert,
};
use crate::model::{
    App, Board, BoardCore, BoardState, Case, Grantee, Grants, Group, Installation, LegalHold,
    Licence, LinkDigest, Membership, Org, Project, Session, Stamp, Team, Token, TokenKind, User,
    UserStatus,
};
use crate::roles::{Access, BoardRole, MemberKind, TeamRole};
use crate::settings::{CompanySettings, ContentSettings, TeamSettings};
use crate::state::{State, StateError};
use crate::time::Time;

/// Everything a new board needs.
#[derive(Clone, Debug)]
pub struct BoardInit {
    /// The opaque id.
    pub id: String,
    /// The team.
    pub team: TeamIx,
    /// The project, if any (must be of the same team).
    pub project: Option<ProjectIx>,
    /// The owner (must be in the organization).
    pub owner: UserIx,
    /// The display name.
    pub name: String,
    /// Team channel.
    pub team_access: Access,
    /// Company channel.
    pub company_access: Access,
    /// Public link.
    pub public_access: Access,
    /// Content settings.
    pub content: ContentSettings,
}

/// The longest id or name accepted.
pub const MAX_TEXT_LEN: usize = 256;

pub(super) fn check_id(id: &str) -> Result<(), StateError> {
    if id.is_empty() || id.len() > MAX_TEXT_LEN || id.chars().any(char::is_control) {
        return Err(StateError::Invalid(format!("id `{}`", id.escape_debug())));
    }
    Ok(())
}

/// A light syntax check: one `@`, something on each side, a dot in the domain, no spaces.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn unknown(kind: &'static str, ix: impl std::fmt::Debug) -> StateError {
    StateError::Unknown {
        kind,
        id: format!("{ix:?}"),
    }
}

impl State {
    fn org_mut(&mut self, org: OrgIx) -> Result<&mut Org, StateError> {
        self.orgs
            .get_mut(org)
            .ok_or_else(|| unknown("organization", org))
    }

    fn user_mut(&mut self, user: UserIx) -> Result<&mut User, StateError> {
        self.users
            .get_mut(user)
            .ok_or_else(|| unknown("user", user))
    }

    fn team_mut(&mut self, team: TeamIx) -> Result<&mut Team, StateError> {
        self.teams
            .get_mut(team)
            .ok_or_else(|| unknown("team", team))
    }

    fn project_mut(&mut self, project: ProjectIx) -> Result<&mut Project, StateError> {
        self.projects
            .get_mut(project)
            .ok_or_else(|| unknown("project", project))
    }

    fn group_mut(&mut self, group: GroupIx) -> Result<&mut Group, StateError> {
        self.groups
            .get_mut(group)
            .ok_or_else(|| unknown("group", group))
    }

    /// Rewrites a board's core after a change to it.
    fn sync_core(&mut self, board: BoardIx) {
        if let (Some(b), Some(core)) = (
            self.boards.get(board),
            self.board_cores.get_mut(board.get()),
        ) {
            *core = BoardCore::of(b);
        }
    }

    fn board_mut(&mut self, board: BoardIx) -> Result<&mut Board, StateError> {
        match self.boards.get_mut(board) {
            Some(b) if b.state != BoardState::Purged => Ok(b),
            _ => Err(unknown("board", board)),
        }
    }

    fn require_member(&self, user: UserIx, org: OrgIx) -> Result<&Membership, StateError> {
        let u = self.users.get(user).ok_or_else(|| unknown("user", user))?;
        u.membership(org)
            .ok_or_else(|| StateError::NotInOrganization(u.id.to_string()))
    }

    fn team_org(&self, team: TeamIx) -> Result<OrgIx, StateError> {
        Ok(self
            .teams
            .get(team)
            .ok_or_else(|| unknown("team", team))?
            .org)
    }

    // ---- organizations and users -------------------------------------------------------

    /// Creates an organization.
    pub fn add_org(
        &mut self,
        id: &str,
        name: &str,
        plan: Plan,
        guard: bool,
    ) -> Result<OrgIx, StateError> {
        check_id(id)?;
        // A new organization is the empty one, named.
        let org = Org {
            id: id.into(),
            name: name.to_string(),
            plan,
            guard,
            ..Org::standin()
        };
        self.orgs
            .insert(id, org)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))
    }

    /// Renames an organization.
    pub fn set_org_name(&mut self, org: OrgIx, name: String) -> Result<(), StateError> {
        self.org_mut(org)?.name = name;
        Ok(())
    }

    /// Closes an organization that holds nothing any more: no member, board, team or group
    /// (the closing command removes them first, each by its own event).
    pub fn close_org(&mut self, org: OrgIx) -> Result<(), StateError> {
        let o = self.org_mut(org)?;
        if !(o.members.is_empty()
            && o.boards.is_empty()
            && o.teams.is_empty()
            && o.groups.is_empty())
        {
            return Err(StateError::Invalid(
                "an organization is closed once it holds nothing".into(),
            ));
        }
        o.closed = true;
        o.owner = None;
        Ok(())
    }

    /// Sets the plan and the Guard add-on. Nothing is deleted when features go away.
    pub fn set_plan(&mut self, org: OrgIx, plan: Plan, guard: bool) -> Result<(), StateError> {
        let o = self.org_mut(org)?;
        o.plan = plan;
        o.guard = guard;
        Ok(())
    }

    /// Names the account owner (who must be a member, not a guest).
    pub fn set_org_owner(&mut self, org: OrgIx, owner: Option<UserIx>) -> Result<(), StateError> {
        if let Some(user) = owner {
            let m = self.require_member(user, org)?;
            if m.kind == MemberKind::Guest {
                return Err(StateError::Invalid(
                    "a guest cannot own the organization".into(),
                ));
            }
        }
        self.org_mut(org)?.owner = owner;
        Ok(())
    }

    /// Replaces the stored company settings.
    pub fn set_company_settings(
        &mut self,
        org: OrgIx,
        settings: CompanySettings,
    ) -> Result<(), StateError> {
        self.org_mut(org)?.settings = settings;
        Ok(())
    }

    /// Sets how many days trashed boards are kept.
    pub fn set_trash_retention(&mut self, org: OrgIx, days: u32) -> Result<(), StateError> {
        self.org_mut(org)?.trash_retention_days = days;
        Ok(())
    }

    /// Sets how long audit events are kept (`None`: for ever).
    pub fn set_audit_retention(&mut self, org: OrgIx, days: Option<u32>) -> Result<(), StateError> {
        self.org_mut(org)?.audit_retention_days = days;
        Ok(())
    }

    /// Creates a user. Emails are unique, in any letter case.
    pub fn add_user(&mut self, id: &str, email: &str, name: &str) -> Result<UserIx, StateError> {
        check_id(id)?;
        let email = email.trim().to_ascii_lowercase();
        if !valid_email(&email) {
            return Err(StateError::InvalidEmail(email));
        }
        if self.emails.contains_key(email.as_str()) {
            return Err(StateError::DuplicateEmail(email));
        }
        let user = User {
            id: id.into(),
            email: email.as_str().into(),
            name: name.to_string(),
            status: UserStatus::Active,
            last_active_at: None,
            sessions_reset_at: None,
            orgs: smallvec::SmallVec::new(),
            teams: smallvec::SmallVec::new(),
            content_admin_teams: Vec::new(),
            projects: smallvec::SmallVec::new(),
            groups: Vec::new(),
            owned: Vec::new(),
            direct: Vec::new(),
        };
        let ix = self
            .users
            .insert(id, user)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))?;
        self.emails.insert(email.into(), ix);
        Ok(ix)
    }

    /// Changes a user's sign-in address (unique, case-insensitive).
    pub fn set_user_email(&mut self, user: UserIx, email: &str) -> Result<(), StateError> {
        let email = email.trim().to_ascii_lowercase();
        if !valid_email(&email) {
            return Err(StateError::InvalidEmail(email));
        }
        match self.emails.get(email.as_str()) {
            Some(&other) if other == user => return Ok(()),
            Some(_) => return Err(StateError::DuplicateEmail(email)),
            None => {}
        }
        let u = self.user_mut(user)?;
        let old = std::mem::replace(&mut u.email, email.as_str().into());
        self.emails.remove(&old);
        self.emails.insert(email.into(), user);
        Ok(())
    }

    /// Activates or deactivates a user everywhere.
    pub fn set_user_status(&mut self, user: UserIx, status: UserStatus) -> Result<(), StateError> {
        self.user_mut(user)?.status = status;
        Ok(())
    }

    /// Records the user's last activity.
    pub fn set_last_active(&mut self, user: UserIx, at: Option<Time>) -> Result<(), StateError> {
        self.user_mut(user)?.last_active_at = at;
        Ok(())
    }

    /// Adds or updates a membership. Guests cannot hold admin roles; team content admin is
    /// held per team and is refused here.
    pub fn set_membership(
        &mut self,
        user: UserIx,
        org: OrgIx,
        kind: MemberKind,
        admin_roles: AdminRoleSet,
        licence: Licence,
    ) -> Result<(), StateError> {
        if self.orgs.get(org).is_none() {
            return Err(unknown("organization", org));
        }
        if kind == MemberKind::Guest && !admin_roles.is_empty() {
            return Err(StateError::GuestAdmin);
        }
        if admin_roles.contains(AdminRole::TeamContentAdmin) {
            return Err(StateError::Invalid(
                "team_content_admin is held per team".into(),
            ));
        }
        let u = self.user_mut(user)?;
        let active = u.membership(org).is_none_or(|m| m.active);
        let m = Membership {
            org,
            kind,
            admin_roles,
            active,
            licence,
        };
        match u.orgs.binary_search_by(|x| x.org.cmp(&org)) {
            Ok(i) => u.orgs[i] = m,
            Err(i) => u.orgs.insert(i, m),
        }
        let o = self.org_mut(org)?;
        sorted_insert(&mut o.members, user);
        if admin_roles.is_empty() {
            sorted_remove(&mut o.admins, &user);
        } else {
            sorted_insert(&mut o.admins, user);
        }
        Ok(())
    }

    /// Deactivates or reactivates a user in one organization.
    pub fn set_membership_active(
        &mut self,
        user: UserIx,
        org: OrgIx,
        active: bool,
    ) -> Result<(), StateError> {
        self.require_member(user, org)?;
        let u = self.user_mut(user)?;
        if let Ok(i) = u.orgs.binary_search_by(|x| x.org.cmp(&org)) {
            u.orgs[i].active = active;
        }
        Ok(())
    }

    /// Removes a user from an organization, with every team, project and group membership
    /// they had there. Boards they own must have been given to someone else first.
    pub fn remove_membership(&mut self, user: UserIx, org: OrgIx) -> Result<(), StateError> {
        self.require_member(user, org)?;
        let owned_here = self.users.get(user).is_some_and(|u| {
            u.owned
                .iter()
                .any(|b| self.boards.get(*b).is_some_and(|b| b.org == org))
        });
        if owned_here {
            return Err(StateError::Invalid(
                "the user still owns boards in the organization".into(),
            ));
        }
        let (teams, projects, groups, tca) = {
            let u = self.user_mut(user)?;
            (
                u.teams.clone(),
                u.projects.clone(),
                u.groups.clone(),
                u.content_admin_teams.clone(),
            )
        };
        for (t, _) in teams {
            if self.team_org(t)? == org {
                self.remove_team_member(t, user)?;
            }
        }
        for t in tca {
            if self.team_org(t)? == org {
                self.set_team_content_admin(t, user, false)?;
            }
        }
        for (p, _) in projects {
            if self.projects.get(p).is_some_and(|p| p.org == org) {
                self.remove_project_member(p, user)?;
            }
        }
        for g in groups {
            if self.groups.get(g).is_some_and(|g| g.org == org) {
                self.remove_group_member(g, user)?;
            }
        }
        let direct: Vec<BoardIx> = self
            .users
            .get(user)
            .map(|u| u.direct.clone())
            .unwrap_or_default();
        for b in direct {
            if self.boards.get(b).is_some_and(|x| x.org == org) {
                self.remove_grant(b, Grantee::User(user))?;
            }
        }
        let u = self.user_mut(user)?;
        u.orgs.retain(|m| m.org != org);
        let o = self.org_mut(org)?;
        sorted_remove(&mut o.members, &user);
        sorted_remove(&mut o.admins, &user);
        o.profiles.remove(&user);
        if o.owner == Some(user) {
            o.owner = None;
        }
        Ok(())
    }

    /// Sets what the organization's directory says of a member.
    pub fn set_profile(
        &mut self,
        user: UserIx,
        org: OrgIx,
        profile: crate::model::Profile,
    ) -> Result<(), StateError> {
        self.require_member(user, org)?;
        self.org_mut(org)?.profiles.insert(user, profile);
        Ok(())
    }

    // ---- teams, projects, groups ---------------------------------------------------------

    /// Creates a team.
    pub fn add_team(
        &mut self,
        id: &str,
        org: OrgIx,
        name: &str,
        settings: TeamSettings,
    ) -> Result<TeamIx, StateError> {
        check_id(id)?;
        self.org_mut(org)?;
        let team = Team {
            id: id.into(),
            org,
            name: name.to_string(),
            settings,
            members: Vec::new(),
            group_members: Vec::new(),
            content_admins: Vec::new(),
            boards: Vec::new(),
            projects: Vec::new(),
            deleted: false,
            joined: Vec::new(),
        };
        let ix = self
            .teams
            .insert(id, team)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))?;
        sorted_insert(&mut self.org_mut(org)?.teams, ix);
        Ok(ix)
    }

    /// Renames a team.
    pub fn set_team_name(&mut self, team: TeamIx, name: String) -> Result<(), StateError> {
        self.team_mut(team)?.name = name;
        Ok(())
    }

    /// Replaces a team's settings.
    pub fn set_team_settings(
        &mut self,
        team: TeamIx,
        settings: TeamSettings,
    ) -> Result<(), StateError> {
        self.team_mut(team)?.settings = settings;
        Ok(())
    }

    /// Adds a user to a team, or changes their team role. The user must be in the
    /// organization.
    pub fn set_team_member(
        &mut self,
        team: TeamIx,
        user: UserIx,
        role: TeamRole,
    ) -> Result<(), StateError> {
        let org = self.team_org(team)?;
        self.require_member(user, org)?;
        let t = self.team_mut(team)?;
        if !t.joined.contains(&user) {
            t.joined.push(user);
        }
        upsert(&mut t.members, user, role);
        upsert(&mut self.user_mut(user)?.teams, team, role);
        Ok(())
    }

    /// Removes a user from a team.
    pub fn remove_team_member(&mut self, team: TeamIx, user: UserIx) -> Result<(), StateError> {
        let t = self.team_mut(team)?;
        remove_key(&mut t.members, &user);
        t.joined.retain(|u| *u != user);
        remove_key(&mut self.user_mut(user)?.teams, &team);
        Ok(())
    }

    /// Adds a group to a team, or changes its team role.
    pub fn set_team_group(
        &mut self,
        team: TeamIx,
        group: GroupIx,
        role: TeamRole,
    ) -> Result<(), StateError> {
        let org = self.team_org(team)?;
        let g = self.group_mut(group)?;
        if g.org != org {
            return Err(StateError::CrossOrganization(g.id.to_string()));
        }
        sorted_insert(&mut g.teams, team);
        upsert(&mut self.team_mut(team)?.group_members, group, role);
        Ok(())
    }

    /// Removes a group from a team.
    pub fn remove_team_group(&mut self, team: TeamIx, group: GroupIx) -> Result<(), StateError> {
        remove_key(&mut self.team_mut(team)?.group_members, &group);
        sorted_remove(&mut self.group_mut(group)?.teams, &team);
        Ok(())
    }

    /// Makes a user a team content admin of a team, or stops it. Guests cannot be.
    pub fn set_team_content_admin(
        &mut self,
        team: TeamIx,
        user: UserIx,
        on: bool,
    ) -> Result<(), StateError> {
        let org = self.team_org(team)?;
        if on && self.require_member(user, org)?.kind == MemberKind::Guest {
            return Err(StateError::GuestAdmin);
        }
        let t = self.team_mut(team)?;
        let u_list = &mut t.content_admins;
        if on {
            sorted_insert(u_list, user);
            sorted_insert(&mut self.user_mut(user)?.content_admin_teams, team);
        } else {
            sorted_remove(u_list, &user);
            sorted_remove(&mut self.user_mut(user)?.content_admin_teams, &team);
        }
        Ok(())
    }

    /// Creates a project in a team.
    pub fn add_project(
        &mut self,
        id: &str,
        team: TeamIx,
        name: &str,
        private: bool,
    ) -> Result<ProjectIx, StateError> {
        check_id(id)?;
        let org = self.team_org(team)?;
        let project = Project {
            id: id.into(),
            org,
            team,
            name: name.to_string(),
            private,
            members: Vec::new(),
            groups: Vec::new(),
            boards: Vec::new(),
            deleted: false,
        };
        let ix = self
            .projects
            .insert(id, project)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))?;
        sorted_insert(&mut self.team_mut(team)?.projects, ix);
        Ok(ix)
    }

    /// Adds a user to a project, or changes their project role. The user must be in the
    /// organization (guests may be project members).
    pub fn set_project_member(
        &mut self,
        project: ProjectIx,
        user: UserIx,
        role: BoardRole,
    ) -> Result<(), StateError> {
        let org = self
            .projects
            .get(project)
            .ok_or_else(|| unknown("project", project))?
            .org;
        self.require_member(user, org)?;
        upsert(&mut self.project_mut(project)?.members, user, role);
        upsert(&mut self.user_mut(user)?.projects, project, role);
        Ok(())
    }

    /// Removes a user from a project.
    pub fn remove_project_member(
        &mut self,
        project: ProjectIx,
        user: UserIx,
    ) -> Result<(), StateError> {
        remove_key(&mut self.project_mut(project)?.members, &user);
        remove_key(&mut self.user_mut(user)?.projects, &project);
        Ok(())
    }

    /// Assigns a user group to a project at a role, or changes the role: the group's
    /// members reach the project's boards as its members would. Both are of one
    /// organization.
    pub fn set_project_group(
        &mut self,
        project: ProjectIx,
        group: GroupIx,
        role: BoardRole,
    ) -> Result<(), StateError> {
        let org = self
            .projects
            .get(project)
            .ok_or_else(|| unknown("project", project))?
            .org;
        let g = self.group_mut(group)?;
        if g.org != org {
            return Err(StateError::CrossOrganization(g.id.to_string()));
        }
        sorted_insert(&mut g.projects, project);
        upsert(&mut self.project_mut(project)?.groups, group, role);
        Ok(())
    }

    /// Takes a user group off a project.
    pub fn remove_project_group(
        &mut self,
        project: ProjectIx,
        group: GroupIx,
    ) -> Result<(), StateError> {
        remove_key(&mut self.project_mut(project)?.groups, &group);
        sorted_remove(&mut self.group_mut(group)?.projects, &project);
        Ok(())
    }

    /// Creates a user group.
    pub fn add_group(
        &mut self,
        id: &str,
        org: OrgIx,
        name: &str,
        description: &str,
    ) -> Result<GroupIx, StateError> {
        check_id(id)?;
        self.org_mut(org)?;
        let group = Group {
            id: id.into(),
            org,
            name: name.to_string(),
            description: description.to_string(),
            members: Vec::new(),
            boards: Vec::new(),
            teams: Vec::new(),
            projects: Vec::new(),
            deleted: false,
        };
        let ix = self
            .groups
            .insert(id, group)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))?;
        sorted_insert(&mut self.org_mut(org)?.groups, ix);
        Ok(ix)
    }

    /// Adds a user to a group. The user must be in the group's organization.
    pub fn add_group_member(&mut self, group: GroupIx, user: UserIx) -> Result<(), StateError> {
        let org = self
            .groups
            .get(group)
            .ok_or_else(|| unknown("group", group))?
            .org;
        self.require_member(user, org)?;
        sorted_insert(&mut self.group_mut(group)?.members, user);
        sorted_insert(&mut self.user_mut(user)?.groups, group);
        Ok(())
    }

    /// Removes a user from a group.
    pub fn remove_group_member(&mut self, group: GroupIx, user: UserIx) -> Result<(), StateError> {
        sorted_remove(&mut self.group_mut(group)?.members, &user);
        sorted_remove(&mut self.user_mut(user)?.groups, &group);
        Ok(())
    }

    // ---- boards ----------------------------------------------------------------------------

    /// Creates a board in a team (and optionally a project of that team).
    pub fn add_board(&mut self, init: BoardInit) -> Result<BoardIx, StateError> {
        check_id(&init.id)?;
        let org = self.team_org(init.team)?;
        if let Some(p) = init.project {
            let project = self.projects.get(p).ok_or_else(|| unknown("project", p))?;
            if project.team != init.team {
                return Err(StateError::Invalid(
                    "the project belongs to another team".into(),
                ));
            }
        }
        self.require_member(init.owner, org)?;
        let board = Board {
            id: init.id.as_str().into(),
            org,
            team: init.team,
            project: init.project,
            owner: init.owner,
            name: init.name.into(),
            description: "".into(),
            state: BoardState::Active,
            team_access: init.team_access,
            company_access: init.company_access,
            public_access: init.public_access,
            rare: None,
            content: init.content,
            template: false,
            retained: false,
            grants: Grants::new(),
            created: crate::model::Stamp::default(),
            modified: crate::model::Stamp::default(),
        };
        let core = BoardCore::of(&board);
        let ix = self
            .boards
            .insert(&init.id, board)
            .ok_or_else(|| StateError::DuplicateId(init.id.clone()))?;
        self.board_cores.push(core);
        self.index_board(ix, true)?;
        Ok(ix)
    }

    /// Adds (`on`) or removes a board from every reverse index.
    fn index_board(&mut self, ix: BoardIx, on: bool) -> Result<(), StateError> {
        let b = self.boards.get(ix).ok_or_else(|| unknown("board", ix))?;
        let (org, team, project, owner, company) =
            (b.org, b.team, b.project, b.owner, b.company_access);
        let grants = b.grants.clone();
        let edit = |v: &mut Vec<BoardIx>| {
            if on {
                sorted_insert(v, ix)
            } else {
                sorted_remove(v, &ix)
            }
        };
        let o = self.org_mut(org)?;
        edit(&mut o.boards);
        if company != Access::None {
            edit(&mut o.company_boards);
        }
        edit(&mut self.team_mut(team)?.boards);
        if let Some(p) = project {
            edit(&mut self.project_mut(p)?.boards);
        }
        edit(&mut self.user_mut(owner)?.owned);
        for (grantee, _) in &grants {
            match grantee {
                Grantee::User(u) => edit(&mut self.user_mut(u)?.direct),
                Grantee::Group(g) => edit(&mut self.group_mut(g)?.boards),
            }
        }
        Ok(())
    }

    /// Grants a role on a board to a user or a group of the board's organization. The
    /// owner holds the board already and cannot also be granted.
    pub fn set_grant(
        &mut self,
        board: BoardIx,
        who: Grantee,
        role: BoardRole,
    ) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        let (org, owner) = (b.org, b.owner);
        if role == BoardRole::Owner {
            return Err(StateError::Invalid(
                "ownership is transferred, not granted".into(),
            ));
        }
        match who {
            Grantee::User(u) => {
                if u == owner {
                    return Err(StateError::Invalid(
                        "the owner cannot also be a member".into(),
                    ));
                }
                self.require_member(u, org)?;
                sorted_insert(&mut self.user_mut(u)?.direct, board);
            }
            Grantee::Group(g) => {
                let group = self.group_mut(g)?;
                if group.org != org {
                    return Err(StateError::CrossOrganization(group.id.to_string()));
                }
                sorted_insert(&mut group.boards, board);
            }
        }
        if !self.board_mut(board)?.grants.set(who, role) {
            return Err(StateError::Invalid(
                "the grantee's index is out of range".into(),
            ));
        }
        self.sync_core(board);
        Ok(())
    }

    /// Removes a direct grant.
    pub fn remove_grant(&mut self, board: BoardIx, who: Grantee) -> Result<(), StateError> {
        if !self.board_mut(board)?.grants.remove(who) {
            return Ok(());
        }
        self.sync_core(board);
        match who {
            Grantee::User(u) => sorted_remove(&mut self.user_mut(u)?.direct, &board),
            Grantee::Group(g) => sorted_remove(&mut self.group_mut(g)?.boards, &board),
        }
        Ok(())
    }

    /// Sets the team, company and public-link access of a board.
    pub fn set_board_access(
        &mut self,
        board: BoardIx,
        team: Access,
        company: Access,
        public: Access,
    ) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        b.team_access = team;
        b.company_access = company;
        b.public_access = public;
        let org = b.org;
        self.sync_core(board);
        let o = self.org_mut(org)?;
        if company == Access::None {
            sorted_remove(&mut o.company_boards, &board);
        } else {
            sorted_insert(&mut o.company_boards, board);
        }
        Ok(())
    }

    /// Moves a board between the active and trashed states, or purges it (which removes it
    /// from every index; the slot stays).
    pub fn set_board_state(&mut self, board: BoardIx, state: BoardState) -> Result<(), StateError> {
        self.board_mut(board)?;
        if state == BoardState::Purged {
            self.index_board(board, false)?;
        }
        self.board_mut(board)?.state = state;
        self.sync_core(board);
        Ok(())
    }

    /// Gives the board to a new owner (a member of the organization). A direct grant the
    /// new owner held is dropped: the owner channel supersedes it.
    pub fn set_board_owner(&mut self, board: BoardIx, owner: UserIx) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        let (org, old) = (b.org, b.owner);
        self.require_member(owner, org)?;
        self.remove_grant(board, Grantee::User(owner))?;
        sorted_remove(&mut self.user_mut(old)?.owned, &board);
        sorted_insert(&mut self.user_mut(owner)?.owned, board);
        self.board_mut(board)?.owner = owner;
        self.sync_core(board);
        Ok(())
    }

    /// Moves a board to another team of the same organization (leaving any project).
    pub fn set_board_team(&mut self, board: BoardIx, team: TeamIx) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        let (org, old_team, project) = (b.org, b.team, b.project);
        if self.team_org(team)? != org {
            return Err(StateError::CrossOrganization(format!("{team:?}")));
        }
        sorted_remove(&mut self.team_mut(old_team)?.boards, &board);
        if let Some(p) = project {
            sorted_remove(&mut self.project_mut(p)?.boards, &board);
        }
        sorted_insert(&mut self.team_mut(team)?.boards, board);
        let b = self.board_mut(board)?;
        b.team = team;
        b.project = None;
        self.sync_core(board);
        Ok(())
    }

    /// Puts a board into a project of its team, or takes it out.
    pub fn set_board_project(
        &mut self,
        board: BoardIx,
        project: Option<ProjectIx>,
    ) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        let (team, old) = (b.team, b.project);
        if let Some(p) = project
            && self
                .projects
                .get(p)
                .ok_or_else(|| unknown("project", p))?
                .team
                != team
        {
            return Err(StateError::Invalid(
                "the project belongs to another team".into(),
            ));
        }
        if let Some(p) = old {
            sorted_remove(&mut self.project_mut(p)?.boards, &board);
        }
        if let Some(p) = project {
            sorted_insert(&mut self.project_mut(p)?.boards, board);
        }
        self.board_mut(board)?.project = project;
        self.sync_core(board);
        Ok(())
    }

    /// Sets (or clears) the digest of the board's public-link token.
    pub fn set_board_link(
        &mut self,
        board: BoardIx,
        link: Option<LinkDigest>,
    ) -> Result<(), StateError> {
        self.board_mut(board)?.edit_rare(|r| r.link = link);
        Ok(())
    }

    /// Sets (or clears) the board password's argon2 hash.
    pub fn set_board_password_hash(
        &mut self,
        board: BoardIx,
        hash: Option<String>,
    ) -> Result<(), StateError> {
        self.board_mut(board)?
            .edit_rare(|r| r.password = hash.map(Into::into));
        Ok(())
    }

    /// Sets content settings.
    pub fn set_board_content(
        &mut self,
        board: BoardIx,
        content: ContentSettings,
    ) -> Result<(), StateError> {
        self.board_mut(board)?.content = content;
        Ok(())
    }

    /// Sets the classification label.
    pub fn set_board_classification(
        &mut self,
        board: BoardIx,
        label: Option<String>,
    ) -> Result<(), StateError> {
        self.board_mut(board)?
            .edit_rare(|r| r.classification = label.map(Into::into));
        Ok(())
    }

    /// Marks a board as a template, or not.
    pub fn set_board_template(&mut self, board: BoardIx, template: bool) -> Result<(), StateError> {
        self.board_mut(board)?.template = template;
        Ok(())
    }

    /// Puts a board under a retention policy, or not.
    pub fn set_board_retained(&mut self, board: BoardIx, retained: bool) -> Result<(), StateError> {
        self.board_mut(board)?.retained = retained;
        Ok(())
    }

    /// Records when and by whom a board changed (and, at its creation, was created).
    pub fn set_board_stamp(
        &mut self,
        board: BoardIx,
        stamp: crate::model::Stamp,
        created: bool,
    ) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        if created {
            b.created = stamp;
        }
        b.modified = stamp;
        Ok(())
    }

    /// Renames and describes a board.
    pub fn set_board_text(
        &mut self,
        board: BoardIx,
        name: String,
        description: String,
    ) -> Result<(), StateError> {
        let b = self.board_mut(board)?;
        b.name = name.into();
        b.description = description.into();
        Ok(())
    }

    // ---- apps, tokens, sessions ------------------------------------------------------------

    /// Registers an app owned by a developer team.
    pub fn add_app(
        &mut self,
        id: &str,
        team: TeamIx,
        name: &str,
        enabled: ScopeSet,
    ) -> Result<AppIx, StateError> {
        check_id(id)?;
        let org = self.team_org(team)?;
        let app = App {
            id: id.into(),
            org,
            team,
            name: name.to_string(),
            enabled,
            installations: Vec::new(),
            redirect_uris: Vec::new(),
            expiring_tokens: true,
            secret: None,
            deleted: false,
            scope_version: 1,
        };
        self.apps
            .insert(id, app)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))
    }

    /// Installs an app into a team with the scopes granted now.
    pub fn add_installation(
        &mut self,
        id: &str,
        app: AppIx,
        team: TeamIx,
        granted: ScopeSet,
    ) -> Result<InstallationIx, StateError> {
        check_id(id)?;
        let org = self.team_org(team)?;
        let scope_version = self
            .apps
            .get(app)
            .ok_or_else(|| unknown("app", app))?
            .scope_version;
        let inst = Installation {
            id: id.into(),
            app,
            team,
            org,
            granted,
            active: true,
            scope_version,
        };
        let ix = self
            .installations
            .insert(id, inst)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))?;
        if let Some(a) = self.apps.get_mut(app) {
            a.installations.push(ix);
        }
        Ok(ix)
    }

    /// Marks an installation uninstalled (or installed again).
    pub fn set_installation_active(
        &mut self,
        inst: InstallationIx,
        active: bool,
    ) -> Result<(), StateError> {
        self.installations
            .get_mut(inst)
            .ok_or_else(|| unknown("installation", inst))?
            .active = active;
        Ok(())
    }

    /// Records a token.
    pub fn add_token(
        &mut self,
        id: &str,
        kind: TokenKind,
        user: UserIx,
        scopes: ScopeSet,
        expires_at: Option<Time>,
    ) -> Result<TokenIx, StateError> {
        check_id(id)?;
        self.users.get(user).ok_or_else(|| unknown("user", user))?;
        if let TokenKind::App(inst) = kind {
            self.installations
                .get(inst)
                .ok_or_else(|| unknown("installation", inst))?;
        }
        let token = Token {
            id: id.into(),
            kind,
            user,
            scopes,
            expires_at,
            revoked: false,
            digest: None,
            org: None,
        };
        self.tokens
            .insert(id, token)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))
    }

    /// Revokes a token.
    pub fn revoke_token(&mut self, token: TokenIx) -> Result<(), StateError> {
        self.tokens
            .get_mut(token)
            .ok_or_else(|| unknown("token", token))?
            .revoked = true;
        Ok(())
    }

    /// Records a session.
    pub fn add_session(
        &mut self,
        id: &str,
        user: UserIx,
        created_at: Time,
        last_active_at: Time,
    ) -> Result<SessionIx, StateError> {
        check_id(id)?;
        self.users.get(user).ok_or_else(|| unknown("user", user))?;
        let session = Session {
            id: id.into(),
            user,
            created_at,
            last_active_at,
            ended: false,
            digest: None,
            org: None,
        };
        self.sessions
            .insert(id, session)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))
    }

    /// Ends a session.
    pub fn end_session(&mut self, session: SessionIx) -> Result<(), StateError> {
        self.sessions
            .get_mut(session)
            .ok_or_else(|| unknown("session", session))?
            .ended = true;
        Ok(())
    }

    /// Ends, in one organization, every session of a user started before `at`.
    pub fn reset_org_sessions(
        &mut self,
        org: OrgIx,
        user: UserIx,
        at: Time,
    ) -> Result<(), StateError> {
        self.users.get(user).ok_or_else(|| unknown("user", user))?;
        let resets = &mut self.org_mut(org)?.session_resets;
        match resets.binary_search_by_key(&user, |(u, _)| *u) {
            Ok(i) => resets[i].1 = at,
            Err(i) => resets.insert(i, (user, at)),
        }
        Ok(())
    }

    /// Ends every session of a user started before `at`.
    pub fn reset_sessions(&mut self, user: UserIx, at: Time) -> Result<(), StateError> {
        self.user_mut(user)?.sessions_reset_at = Some(at);
        Ok(())
    }

    // ---- cases and legal holds -------------------------------------------------------------

    /// Opens a legal case with its name and description.
    pub fn add_case(
        &mut self,
        id: &str,
        org: OrgIx,
        (name, description): (&str, &str),
        created: Stamp,
    ) -> Result<CaseIx, StateError> {
        check_id(id)?;
        self.org_mut(org)?;
        let case = Case {
            id: id.into(),
            org,
            name: name.to_string(),
            description: description.to_string(),
            created,
            modified: created,
            deleted: false,
            holds: Vec::new(),
        };
        let ix = self
            .cases
            .insert(id, case)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))?;
        super::own(&mut self.owned.cases, org, ix);
        Ok(ix)
    }

    /// Replaces a case's name and description.
    pub fn edit_case(
        &mut self,
        case: CaseIx,
        name: &str,
        description: &str,
        modified: Stamp,
    ) -> Result<(), StateError> {
        let c = self
            .cases
            .get_mut(case)
            .ok_or_else(|| unknown("case", case))?;
        c.name = name.to_string();
        c.description = description.to_string();
        c.modified = modified;
        Ok(())
    }

    /// Deletes a case: it is gone, and none of its holds holds anything any more.
    pub fn delete_case(&mut self, case: CaseIx) -> Result<(), StateError> {
        let c = self
            .cases
            .get_mut(case)
            .ok_or_else(|| unknown("case", case))?;
        c.deleted = true;
        for h in &mut c.holds {
            h.released = true;
        }
        let org = c.org;
        self.reindex_holds(org)
    }

    /// The users of a hold, sorted and each a member of the case's organization.
    fn hold_users(&self, org: OrgIx, users: Vec<UserIx>) -> Result<Vec<UserIx>, StateError> {
        for u in &users {
            self.require_member(*u, org)?;
        }
        let mut users = users;
        users.sort_unstable();
        users.dedup();
        Ok(users)
    }

    /// Adds a hold over some users' boards to a case.
    pub fn add_hold(
        &mut self,
        case: CaseIx,
        id: &str,
        (name, description): (&str, &str),
        users: Vec<UserIx>,
        created: Stamp,
    ) -> Result<(), StateError> {
        check_id(id)?;
        let org = self
            .cases
            .get(case)
            .ok_or_else(|| unknown("case", case))?
            .org;
        let users = self.hold_users(org, users)?;
        let c = self
            .cases
            .get_mut(case)
            .ok_or_else(|| unknown("case", case))?;
        if c.holds.iter().any(|h| &*h.id == id) {
            return Err(StateError::DuplicateId(id.to_string()));
        }
        c.holds.push(LegalHold {
            id: id.into(),
            name: name.to_string(),
            description: description.to_string(),
            users,
            released: false,
            created,
            modified: created,
        });
        self.reindex_holds(org)
    }

    /// Replaces a hold's name, description and users.
    pub fn edit_hold(
        &mut self,
        case: CaseIx,
        id: &str,
        (name, description): (&str, &str),
        users: Vec<UserIx>,
        modified: Stamp,
    ) -> Result<(), StateError> {
        let org = self
            .cases
            .get(case)
            .ok_or_else(|| unknown("case", case))?
            .org;
        let users = self.hold_users(org, users)?;
        let hold = self
            .cases
            .get_mut(case)
            .ok_or_else(|| unknown("case", case))?
            .holds
            .iter_mut()
            .find(|h| &*h.id == id)
            .ok_or_else(|| unknown("legal hold", id))?;
        hold.name = name.to_string();
        hold.description = description.to_string();
        hold.users = users;
        hold.modified = modified;
        self.reindex_holds(org)
    }

    /// Releases a hold.
    pub fn release_hold(&mut self, case: CaseIx, id: &str) -> Result<(), StateError> {
        let c = self
            .cases
            .get_mut(case)
            .ok_or_else(|| unknown("case", case))?;
        let org = c.org;
        let hold = c
            .holds
            .iter_mut()
            .find(|h| &*h.id == id)
            .ok_or_else(|| unknown("legal hold", id))?;
        hold.released = true;
        self.reindex_holds(org)
    }

    fn reindex_holds(&mut self, org: OrgIx) -> Result<(), StateError> {
        let mut held: Vec<UserIx> = self
            .cases
            .iter()
            .filter(|(_, c)| c.org == org)
            .flat_map(|(_, c)| c.holds.iter().filter(|h| !h.released))
            .flat_map(|h| h.users.iter().copied())
            .collect();
        held.sort_unstable();
        held.dedup();
        self.org_mut(org)?.held_users = held;
        Ok(())
    }

    /// Whether a board is under an active legal hold (its owner is held).
    pub fn is_held(&self, board: BoardIx) -> bool {
        self.boards.get(board).is_some_and(|b| {
            self.orgs
                .get(b.org)
                .is_some_and(|o| o.held_users.binary_search(&b.owner).is_ok())
        })
    }

    /// The role a team gives a user directly (not through groups).
    pub fn direct_team_role(&self, team: TeamIx, user: UserIx) -> Option<TeamRole> {
        // The user's own short list, held inline, rather than the team's long one.
        lookup(&self.users.get(user)?.teams, &team)
    }
}
