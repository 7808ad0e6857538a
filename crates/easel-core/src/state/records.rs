//! Primitive changes to the organization's other records: requests and invitations,
//! domains, billing groups, board content, and deleting teams, projects and groups.

use crate::ids::{
    AppIx, BillingGroupIx, BoardIx, ContentIx, GroupIx, InvitationIx, OrgIx, ProjectIx, RequestIx,
    TeamIx, UserIx, sorted_insert, sorted_remove,
};
use crate::model::{
    AccessRequest, AppRequest, BillingGroup, Content, ContentKind, Domain, Grantee, Invitation,
    InviteInto, JoinRequest, Licence, LicenceRequest, RequestState,
};
use crate::roles::{BoardRole, MemberKind};
use crate::state::{State, StateError, own};
use crate::time::Time;

fn unknown(kind: &'static str, ix: impl std::fmt::Debug) -> StateError {
    StateError::Unknown {
        kind,
        id: format!("{ix:?}"),
    }
}

fn taken(id: &str) -> StateError {
    StateError::DuplicateId(id.to_string())
}

/// Which kind of request a request id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// Access to a board.
    Access,
    /// Joining a team.
    Join,
    /// A licence.
    Licence,
    /// Allowing an app.
    App,
}

impl RequestKind {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Join => "join",
            RequestKind::Licence => "licence",
            RequestKind::App => "app",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(text: &str) -> Option<RequestKind> {
        match text {
            "access" => Some(RequestKind::Access),
            "join" => Some(RequestKind::Join),
            "licence" => Some(RequestKind::Licence),
            "app" => Some(RequestKind::App),
            _ => None,
        }
    }
}

impl State {
    /// Records an invitation.
    #[expect(
        clippy::too_many_arguments,
        reason = "an invitation is these facts; a struct would only rename them"
    )]
    pub fn add_invitation(
        &mut self,
        id: &str,
        org: OrgIx,
        email: &str,
        into: InviteInto,
        kind: MemberKind,
        inviter: UserIx,
        expires_at: Time,
    ) -> Result<InvitationIx, StateError> {
        self.orgs
            .get(org)
            .ok_or_else(|| unknown("organization", org))?;
        let invitation = Invitation {
            id: id.into(),
            org,
            email: email.to_ascii_lowercase().into(),
            into,
            kind,
            inviter,
            state: RequestState::Pending,
            expires_at,
        };
        let ix = self
            .invitations
            .insert(id, invitation)
            .ok_or_else(|| taken(id))?;
        own(&mut self.owned.invitations, org, ix);
        Ok(ix)
    }

    /// Moves an invitation to a new state.
    pub fn set_invitation_state(
        &mut self,
        inv: InvitationIx,
        state: RequestState,
    ) -> Result<(), StateError> {
        self.invitations
            .get_mut(inv)
            .ok_or_else(|| unknown("invitation", inv))?
            .state = state;
        Ok(())
    }

    /// Records a request for board access.
    pub fn add_access_request(
        &mut self,
        id: &str,
        board: BoardIx,
        user: UserIx,
        role: BoardRole,
    ) -> Result<RequestIx, StateError> {
        self.boards
            .get(board)
            .ok_or_else(|| unknown("board", board))?;
        let r = AccessRequest {
            id: id.into(),
            board,
            user,
            role,
            state: RequestState::Pending,
        };
        let ix = self
            .access_requests
            .insert(id, r)
            .ok_or_else(|| taken(id))?;
        own(&mut self.owned.access_requests, board, ix);
        Ok(ix)
    }

    /// Records a request to join a team.
    pub fn add_join_request(
        &mut self,
        id: &str,
        team: TeamIx,
        user: UserIx,
    ) -> Result<RequestIx, StateError> {
        self.teams.get(team).ok_or_else(|| unknown("team", team))?;
        let r = JoinRequest {
            id: id.into(),
            team,
            user,
            state: RequestState::Pending,
        };
        let ix = self.join_requests.insert(id, r).ok_or_else(|| taken(id))?;
        own(&mut self.owned.join_requests, team, ix);
        Ok(ix)
    }

    /// Records a licence request.
    pub fn add_licence_request(
        &mut self,
        id: &str,
        org: OrgIx,
        user: UserIx,
        licence: Licence,
    ) -> Result<RequestIx, StateError> {
        self.orgs
            .get(org)
            .ok_or_else(|| unknown("organization", org))?;
        let r = LicenceRequest {
            id: id.into(),
            org,
            user,
            licence,
            state: RequestState::Pending,
        };
        let ix = self
            .licence_requests
            .insert(id, r)
            .ok_or_else(|| taken(id))?;
        own(&mut self.owned.licence_requests, org, ix);
        Ok(ix)
    }

    /// Records a request to allow an app.
    pub fn add_app_request(
        &mut self,
        id: &str,
        org: OrgIx,
        user: UserIx,
        app: AppIx,
    ) -> Result<RequestIx, StateError> {
        self.apps.get(app).ok_or_else(|| unknown("app", app))?;
        let r = AppRequest {
            id: id.into(),
            org,
            user,
            app,
            state: RequestState::Pending,
        };
        let ix = self.app_requests.insert(id, r).ok_or_else(|| taken(id))?;
        own(&mut self.owned.app_requests, org, ix);
        Ok(ix)
    }

    /// Decides a request of any kind.
    pub fn set_request_state(
        &mut self,
        kind: RequestKind,
        r: RequestIx,
        state: RequestState,
    ) -> Result<(), StateError> {
        let slot = match kind {
            RequestKind::Access => self.access_requests.get_mut(r).map(|x| &mut x.state),
            RequestKind::Join => self.join_requests.get_mut(r).map(|x| &mut x.state),
            RequestKind::Licence => self.licence_requests.get_mut(r).map(|x| &mut x.state),
            RequestKind::App => self.app_requests.get_mut(r).map(|x| &mut x.state),
        };
        *slot.ok_or_else(|| unknown("request", r))? = state;
        Ok(())
    }

    /// Sets a member's licence type.
    pub fn set_licence(
        &mut self,
        user: UserIx,
        org: OrgIx,
        licence: Licence,
    ) -> Result<(), StateError> {
        let u = self
            .users
            .get_mut(user)
            .ok_or_else(|| unknown("user", user))?;
        let m = u
            .orgs
            .iter_mut()
            .find(|m| m.org == org)
            .ok_or_else(|| StateError::NotInOrganization(u.id.to_string()))?;
        m.licence = licence;
        Ok(())
    }

    /// Turns the application allowlist on (with its apps) or off.
    pub fn set_app_allowlist(
        &mut self,
        org: OrgIx,
        apps: Option<Vec<AppIx>>,
    ) -> Result<(), StateError> {
        self.orgs
            .get_mut(org)
            .ok_or_else(|| unknown("organization", org))?
            .app_allowlist = apps.map(|mut a| {
            a.sort_unstable();
            a.dedup();
            a
        });
        Ok(())
    }

    /// Claims, verifies or drops a domain.
    pub fn set_domain(
        &mut self,
        org: OrgIx,
        name: &str,
        verified: Option<bool>,
    ) -> Result<(), StateError> {
        let o = self
            .orgs
            .get_mut(org)
            .ok_or_else(|| unknown("organization", org))?;
        let name = name.to_ascii_lowercase();
        let at = o.domains.iter().position(|d| d.name == name);
        match (at, verified) {
            (Some(i), Some(v)) => o.domains[i].verified = v,
            (None, Some(v)) => o.domains.push(Domain { name, verified: v }),
            (Some(i), None) => {
                o.domains.remove(i);
            }
            (None, None) => return Err(unknown("domain", name)),
        }
        Ok(())
    }

    /// Creates a billing group.
    pub fn add_billing_group(
        &mut self,
        id: &str,
        org: OrgIx,
        name: &str,
    ) -> Result<BillingGroupIx, StateError> {
        self.orgs
            .get(org)
            .ok_or_else(|| unknown("organization", org))?;
        let g = BillingGroup {
            id: id.into(),
            org,
            name: name.to_string(),
            members: Vec::new(),
            deleted: false,
        };
        let ix = self.billing_groups.insert(id, g).ok_or_else(|| taken(id))?;
        own(&mut self.owned.billing_groups, org, ix);
        Ok(ix)
    }

    /// Renames a billing group.
    pub fn set_billing_group_name(
        &mut self,
        group: BillingGroupIx,
        name: &str,
    ) -> Result<(), StateError> {
        self.billing_groups
            .get_mut(group)
            .ok_or_else(|| unknown("billing group", group))?
            .name = name.to_string();
        Ok(())
    }

    /// Adds a user to a billing group, or removes them.
    pub fn set_billing_member(
        &mut self,
        group: BillingGroupIx,
        user: UserIx,
        on: bool,
    ) -> Result<(), StateError> {
        let org = self
            .billing_groups
            .get(group)
            .ok_or_else(|| unknown("billing group", group))?
            .org;
        if on
            && self
                .users
                .get(user)
                .and_then(|u| u.membership(org))
                .is_none()
        {
            return Err(StateError::NotInOrganization(format!("{user:?}")));
        }
        let g = self
            .billing_groups
            .get_mut(group)
            .ok_or_else(|| unknown("billing group", group))?;
        if on {
            sorted_insert(&mut g.members, user);
        } else {
            sorted_remove(&mut g.members, &user);
        }
        Ok(())
    }

    /// Deletes a billing group.
    pub fn delete_billing_group(&mut self, group: BillingGroupIx) -> Result<(), StateError> {
        let g = self
            .billing_groups
            .get_mut(group)
            .ok_or_else(|| unknown("billing group", group))?;
        g.members.clear();
        g.deleted = true;
        Ok(())
    }

    /// Adds an item or comment to a board.
    pub fn add_content(
        &mut self,
        id: &str,
        board: BoardIx,
        kind: ContentKind,
        text: &str,
        author: UserIx,
    ) -> Result<ContentIx, StateError> {
        self.boards
            .get(board)
            .ok_or_else(|| unknown("board", board))?;
        let c = Content {
            id: id.into(),
            board,
            kind,
            text: text.to_string(),
            author,
            deleted: false,
            position: None,
            parent: None,
        };
        let ix = self.contents.insert(id, c).ok_or_else(|| taken(id))?;
        // A new index is the largest yet, so pushing keeps the board's list sorted.
        self.board_contents
            .entry((board, kind == ContentKind::Comment))
            .or_default()
            .push(ix);
        Ok(ix)
    }

    /// Changes an item's text, or deletes it.
    pub fn set_content(
        &mut self,
        content: ContentIx,
        text: Option<String>,
    ) -> Result<(), StateError> {
        let c = self
            .contents
            .get_mut(content)
            .ok_or_else(|| unknown("content", content))?;
        match text {
            Some(t) => c.text = t,
            None => c.deleted = true,
        }
        Ok(())
    }

    /// Places an item: its position and the frame it sits in, a live frame of the same
    /// board that is not the item itself.
    pub fn place_content(
        &mut self,
        content: ContentIx,
        position: (f64, f64),
        parent: Option<ContentIx>,
    ) -> Result<(), StateError> {
        if !(position.0.is_finite() && position.1.is_finite()) {
            return Err(StateError::Invalid(
                "a position is two finite numbers".into(),
            ));
        }
        let board = self
            .contents
            .get(content)
            .ok_or_else(|| unknown("content", content))?
            .board;
        if let Some(p) = parent {
            let frame = self.contents.get(p).ok_or_else(|| unknown("content", p))?;
            if p == content
                || frame.board != board
                || frame.deleted
                || frame.kind != ContentKind::Frame
            {
                return Err(StateError::Invalid(
                    "an item's parent is another frame of its board".into(),
                ));
            }
        }
        let c = self
            .contents
            .get_mut(content)
            .ok_or_else(|| unknown("content", content))?;
        c.position = Some(position);
        c.parent = parent;
        Ok(())
    }

    /// Renames a project and sets its privacy.
    pub fn set_project_details(
        &mut self,
        project: ProjectIx,
        name: String,
        private: bool,
    ) -> Result<(), StateError> {
        let p = self
            .projects
            .get_mut(project)
            .ok_or_else(|| unknown("project", project))?;
        p.name = name;
        p.private = private;
        Ok(())
    }

    /// Renames a user group, and changes its description when one is given.
    pub fn set_group_name(
        &mut self,
        group: GroupIx,
        name: String,
        description: Option<String>,
    ) -> Result<(), StateError> {
        let g = self
            .groups
            .get_mut(group)
            .ok_or_else(|| unknown("group", group))?;
        g.name = name;
        if let Some(d) = description {
            g.description = d;
        }
        Ok(())
    }

    /// Deletes a team. It must hold no boards that are not purged or trashed, so that
    /// nothing is lost: the command trashes them first.
    pub fn delete_team(&mut self, team: TeamIx) -> Result<(), StateError> {
        let t = self.teams.get(team).ok_or_else(|| unknown("team", team))?;
        let active = t
            .boards
            .iter()
            .any(|b| self.boards.get(*b).is_some_and(|b| !b.is_trashed()));
        if active {
            return Err(StateError::Invalid(
                "the team still holds active boards".into(),
            ));
        }
        let members: Vec<UserIx> = t.members.iter().map(|(u, _)| *u).collect();
        let groups: Vec<GroupIx> = t.group_members.iter().map(|(g, _)| *g).collect();
        let admins = t.content_admins.clone();
        let projects = t.projects.clone();
        let org = t.org;
        for p in projects {
            self.delete_project(p)?;
        }
        for u in members {
            self.remove_team_member(team, u)?;
        }
        for g in groups {
            self.remove_team_group(team, g)?;
        }
        for u in admins {
            self.set_team_content_admin(team, u, false)?;
        }
        sorted_remove(
            &mut self
                .orgs
                .get_mut(org)
                .ok_or_else(|| unknown("organization", org))?
                .teams,
            &team,
        );
        self.teams
            .get_mut(team)
            .ok_or_else(|| unknown("team", team))?
            .deleted = true;
        Ok(())
    }

    /// Deletes a project: its boards stay in the team, its members leave.
    pub fn delete_project(&mut self, project: ProjectIx) -> Result<(), StateError> {
        let p = self
            .projects
            .get(project)
            .ok_or_else(|| unknown("project", project))?;
        let (boards, members, groups, team) = (
            p.boards.clone(),
            p.members.clone(),
            p.groups.clone(),
            p.team,
        );
        for b in boards {
            self.set_board_project(b, None)?;
        }
        for (g, _) in groups {
            self.remove_project_group(project, g)?;
        }
        for (u, _) in members {
            self.remove_project_member(project, u)?;
        }
        if let Some(t) = self.teams.get_mut(team) {
            sorted_remove(&mut t.projects, &project);
        }
        self.projects
            .get_mut(project)
            .ok_or_else(|| unknown("project", project))?
            .deleted = true;
        Ok(())
    }

    /// Deletes a user group: its grants, team memberships and members go with it.
    pub fn delete_group(&mut self, group: GroupIx) -> Result<(), StateError> {
        let g = self
            .groups
            .get(group)
            .ok_or_else(|| unknown("group", group))?;
        let (boards, teams, projects, members, org) = (
            g.boards.clone(),
            g.teams.clone(),
            g.projects.clone(),
            g.members.clone(),
            g.org,
        );
        for p in projects {
            self.remove_project_group(p, group)?;
        }
        for b in boards {
            self.remove_grant(b, Grantee::Group(group))?;
        }
        for t in teams {
            self.remove_team_group(t, group)?;
        }
        for u in members {
            self.remove_group_member(group, u)?;
        }
        sorted_remove(
            &mut self
                .orgs
                .get_mut(org)
                .ok_or_else(|| unknown("organization", org))?
                .groups,
            &group,
        );
        self.groups
            .get_mut(group)
            .ok_or_else(|| unknown("group", group))?
            .deleted = true;
        Ok(())
    }
}
