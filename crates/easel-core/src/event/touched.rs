//! Which entities an event touches: the keys of what it may change, cascades included, read
//! from the state before the event. The store writes the rows of these keys again after a
//! commit; group commit tells by them which writes may share a round. A key is as small as what changes together (one
//! membership, one grant, one board's own row), so writing a change again costs its size.
//!
//! This is the only per-event knowledge the tables need. Naming a key too many is harmless
//! (its rows are written again as they are); one too few leaves a row behind, which the
//! tests that compare the tables with the state after every event catch.

use std::collections::BTreeSet;

use super::{Event, Who};
use crate::State;
use crate::model::{Grantee, TokenKind};

/// An entity of the state whose rows the tables hold, by the ids of the events.
#[expect(
    missing_docs,
    reason = "the fields are the ids each variant's doc names"
)]
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// An organization, its company settings, domains and app allowlist.
    Org(String),
    /// The instant an organization reset a user's sessions.
    SessionReset { org: String, user: String },
    /// A user identity.
    User(String),
    /// A membership and its admin roles.
    Membership { org: String, user: String },
    /// A user group.
    Group(String),
    /// A user in a group.
    GroupMember { group: String, user: String },
    /// A team and its settings.
    Team(String),
    /// A user in a team.
    TeamMember { team: String, user: String },
    /// A group in a team.
    TeamGroup { team: String, group: String },
    /// A team content admin.
    TeamContentAdmin { team: String, user: String },
    /// A project.
    Project(String),
    /// A user in a project.
    ProjectMember { project: String, user: String },
    /// A user group assigned to a project.
    ProjectGroup { project: String, group: String },
    /// A board's own row.
    Board(String),
    /// A direct grant on a board, to a user or (`group`) a group.
    Grant {
        board: String,
        group: bool,
        to: String,
    },
    /// An item or comment.
    Content(String),
    /// An invitation.
    Invitation(String),
    /// A request of a kind (`access`, `join`, `licence`, `app`).
    Request { kind: &'static str, id: String },
    /// A billing group.
    BillingGroup(String),
    /// A user in a billing group.
    BillingMember { group: String, user: String },
    /// A legal case.
    Case(String),
    /// A legal hold and the users it holds.
    Hold { case: String, hold: String },
    /// A token, a user's or a service's, with its scopes.
    Token(String),
    /// An app and the scopes it enables.
    App(String),
    /// An installation and the scopes it was granted.
    Installation(String),
    /// A session.
    Session(String),
    /// A one-time sign-in link. It has no rows (the tables leave links out: they live in
    /// memory, rebuilt from the changelog); its key keeps a job that issues or redeems one
    /// out of a round it would otherwise share with board jobs.
    SignInLink(String),
    /// An authorization code.
    Code(String),
    /// A refresh token.
    Refresh(String),
}

/// The keys a run of events touched, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys(BTreeSet<Key>);

/// The keys `event` touches, read from the state before it is applied.
pub fn touched(before: &State, event: &Event) -> Keys {
    let mut keys = Keys::default();
    keys.add(before, event);
    keys
}

fn s(id: &str) -> String {
    id.to_string()
}

impl Keys {
    /// Every key, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Key> {
        self.0.iter()
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds the keys of another run.
    pub fn extend(&mut self, other: Keys) {
        self.0.extend(other.0);
    }

    fn key(&mut self, key: Key) {
        self.0.insert(key);
    }

    fn grant(&mut self, board: &str, who: &Who) {
        let (group, to) = match who {
            Who::User(u) => (false, u),
            Who::Group(g) => (true, g),
        };
        self.key(Key::Grant {
            board: s(board),
            group,
            to: s(to),
        });
    }

    /// Adds the keys `event` touches, read from `before`, the state it applies to.
    pub fn add(&mut self, before: &State, event: &Event) {
        use Event as E;
        match event {
            E::OrgCreated { org, .. }
            | E::OrgRenamed { org, .. }
            | E::PlanChanged { org, .. }
            | E::OrgOwnerSet { org, .. }
            | E::CompanySettingsChanged { org, .. }
            | E::TrashRetentionSet { org, .. }
            | E::AuditRetentionSet { org, .. }
            | E::AppAllowlistSet { org, .. }
            | E::DomainSet { org, .. } => self.key(Key::Org(s(org))),
            // Its own rows go, and the instants it reset sessions at with them.
            E::OrgClosed { org } => {
                self.key(Key::Org(s(org)));
                let resets = before
                    .find_org(org)
                    .and_then(|o| before.org(o))
                    .map(|o| o.session_resets.clone())
                    .unwrap_or_default();
                for (u, _) in resets {
                    if let Some(user) = before.user(u) {
                        self.key(Key::SessionReset {
                            org: s(org),
                            user: user.id.to_string(),
                        });
                    }
                }
            }
            E::SessionsReset {
                user,
                org: Some(org),
                ..
            } => self.key(Key::SessionReset {
                org: s(org),
                user: s(user),
            }),
            E::UserCreated { user, .. }
            | E::UserStatusSet { user, .. }
            | E::UserEmailSet { user, .. }
            | E::SessionsReset { user, .. }
            | E::UserActiveAt { user, .. } => self.key(Key::User(s(user))),
            E::MembershipSet { org, user, .. }
            | E::MembershipActiveSet { org, user, .. }
            | E::MemberProfileSet { org, user, .. }
            | E::LicenceSet { org, user, .. } => self.key(Key::Membership {
                org: s(org),
                user: s(user),
            }),
            E::MembershipRemoved { org, user } => self.membership_removed(before, org, user),
            E::GroupCreated { group, .. } | E::GroupRenamed { group, .. } => {
                self.key(Key::Group(s(group)));
            }
            E::GroupMemberAdded { group, user } | E::GroupMemberRemoved { group, user } => {
                self.key(Key::GroupMember {
                    group: s(group),
                    user: s(user),
                });
            }
            E::GroupDeleted { group } => self.group_deleted(before, group),
            E::TeamCreated { team, .. }
            | E::TeamRenamed { team, .. }
            | E::TeamSettingsChanged { team, .. } => self.key(Key::Team(s(team))),
            E::TeamMemberSet { team, user, .. } | E::TeamMemberRemoved { team, user } => {
                self.key(Key::TeamMember {
                    team: s(team),
                    user: s(user),
                });
            }
            E::TeamGroupSet { team, group, .. } | E::TeamGroupRemoved { team, group } => {
                self.key(Key::TeamGroup {
                    team: s(team),
                    group: s(group),
                });
            }
            E::TeamContentAdminSet { team, user, .. } => self.key(Key::TeamContentAdmin {
                team: s(team),
                user: s(user),
            }),
            E::TeamDeleted { team } => self.team_deleted(before, team),
            E::ProjectCreated { project, .. } | E::ProjectDetailsSet { project, .. } => {
                self.key(Key::Project(s(project)));
            }
            E::ProjectMemberSet { project, user, .. }
            | E::ProjectMemberRemoved { project, user } => self.key(Key::ProjectMember {
                project: s(project),
                user: s(user),
            }),
            E::ProjectGroupSet { project, group, .. }
            | E::ProjectGroupRemoved { project, group } => self.key(Key::ProjectGroup {
                project: s(project),
                group: s(group),
            }),
            E::ProjectDeleted { project } => self.project_deleted(before, project),
            E::BoardCreated { board, .. }
            | E::BoardTextSet { board, .. }
            | E::BoardAccessSet { board, .. }
            | E::BoardLinkSet { board, .. }
            | E::BoardPasswordSet { board, .. }
            | E::BoardContentSet { board, .. }
            | E::BoardClassified { board, .. }
            | E::BoardTemplateSet { board, .. }
            | E::BoardRetainedSet { board, .. }
            | E::BoardMoved { board, .. }
            | E::BoardProjectSet { board, .. }
            | E::BoardTrashed { board, .. }
            | E::BoardRestored { board } => self.key(Key::Board(s(board))),
            E::GrantSet { board, to: who, .. } | E::GrantRemoved { board, from: who } => {
                self.grant(board, who);
            }
            // The new owner's direct grant goes: the owner channel supersedes it.
            E::BoardOwnerSet { board, owner } => {
                self.key(Key::Board(s(board)));
                self.grant(board, &Who::User(owner.clone()));
            }
            E::BoardPurged { board } => self.board_purged(before, board),
            E::CaseCreated { case, .. } | E::CaseEdited { case, .. } => {
                self.key(Key::Case(s(case)));
            }
            // A deleted case leaves the tables with its holds.
            E::CaseDeleted { case } => {
                self.key(Key::Case(s(case)));
                let holds: Vec<String> = before
                    .find_case(case)
                    .and_then(|c| before.case(c))
                    .map(|c| c.holds.iter().map(|h| h.id.to_string()).collect())
                    .unwrap_or_default();
                for hold in holds {
                    self.key(Key::Hold {
                        case: s(case),
                        hold,
                    });
                }
            }
            E::HoldAdded { case, hold, .. }
            | E::HoldEdited { case, hold, .. }
            | E::HoldReleased { case, hold } => {
                self.key(Key::Hold {
                    case: s(case),
                    hold: s(hold),
                });
            }
            E::InvitationCreated { invitation, .. } | E::InvitationStateSet { invitation, .. } => {
                self.key(Key::Invitation(s(invitation)));
            }
            E::AccessRequested { request, .. } => self.request("access", request),
            E::JoinRequested { request, .. } => self.request("join", request),
            E::LicenceRequested { request, .. } => self.request("licence", request),
            E::AppRequested { request, .. } => self.request("app", request),
            E::RequestDecided { kind, request, .. } => self.request(kind.as_str(), request),
            E::BillingGroupCreated { group, .. } | E::BillingGroupRenamed { group, .. } => {
                self.key(Key::BillingGroup(s(group)));
            }
            E::BillingMemberSet { group, user, .. } => self.key(Key::BillingMember {
                group: s(group),
                user: s(user),
            }),
            E::BillingGroupDeleted { group } => self.billing_group_deleted(before, group),
            E::ContentAdded { content, .. }
            | E::ContentSet { content, .. }
            | E::ContentPlaced { content, .. } => {
                self.key(Key::Content(s(content)));
            }
            E::TokenIssued { token, .. } | E::TokenRevoked { token } => {
                self.key(Key::Token(s(token)));
            }
            E::AppRegistered { app, .. } | E::AppScopesSet { app, .. } => {
                self.key(Key::App(s(app)));
            }
            E::AppDeleted { app } => self.app_deleted(before, app),
            E::AppInstalled { installation, .. } | E::AppConsented { installation, .. } => {
                self.key(Key::Installation(s(installation)));
            }
            E::AppUninstalled { installation } => self.uninstalled(before, installation),
            E::SessionStarted { session, .. }
            | E::SessionSeen { session, .. }
            | E::SessionEnded { session } => self.key(Key::Session(s(session))),
            E::SignInLinkIssued { link, .. } | E::SignInLinkRedeemed { link, .. } => {
                self.key(Key::SignInLink(s(link)));
            }
            E::CodeIssued { code, .. } | E::CodeUsed { code } => self.key(Key::Code(s(code))),
            E::RefreshIssued { refresh, .. } | E::RefreshUsed { refresh } => {
                self.key(Key::Refresh(s(refresh)));
            }
            E::FamilyRevoked { family } => self.family_revoked(before, family),
        }
    }

    fn request(&mut self, kind: &'static str, id: &str) {
        self.key(Key::Request { kind, id: s(id) });
    }

    // The cascades: what the state's primitive takes with it, read from the same lists it
    // walks (`remove_membership`, `delete_group`, `delete_team`, `delete_project`, a purge,
    // `delete_app`, `uninstall`, `revoke_family`).

    fn membership_removed(&mut self, before: &State, org: &str, user: &str) {
        self.key(Key::Membership {
            org: s(org),
            user: s(user),
        });
        // The organization's owner, if it was them, is cleared.
        self.key(Key::Org(s(org)));
        let Some(u) = before.find_user(user).and_then(|u| before.user(u)) else {
            return;
        };
        // Every place of theirs, in this organization or not (the others are written again
        // as they are): a user's own lists are short.
        for (t, _) in &u.teams {
            if let Some(t) = before.team(*t) {
                self.key(Key::TeamMember {
                    team: s(&t.id),
                    user: s(user),
                });
            }
        }
        for t in &u.content_admin_teams {
            if let Some(t) = before.team(*t) {
                self.key(Key::TeamContentAdmin {
                    team: s(&t.id),
                    user: s(user),
                });
            }
        }
        for (p, _) in &u.projects {
            if let Some(p) = before.project(*p) {
                self.key(Key::ProjectMember {
                    project: s(&p.id),
                    user: s(user),
                });
            }
        }
        for g in &u.groups {
            if let Some(g) = before.group(*g) {
                self.key(Key::GroupMember {
                    group: s(&g.id),
                    user: s(user),
                });
            }
        }
        // Direct grants can be many: only this organization's boards lose theirs.
        let org = before.find_org(org);
        for b in &u.direct {
            if let Some(b) = before.board(*b).filter(|b| Some(b.org) == org) {
                self.grant(&b.id, &Who::User(s(user)));
            }
        }
    }

    fn group_deleted(&mut self, before: &State, group: &str) {
        self.key(Key::Group(s(group)));
        let Some(g) = before.find_group(group).and_then(|g| before.group(g)) else {
            return;
        };
        for b in &g.boards {
            if let Some(b) = before.board(*b) {
                self.grant(&b.id, &Who::Group(s(group)));
            }
        }
        for t in &g.teams {
            if let Some(t) = before.team(*t) {
                self.key(Key::TeamGroup {
                    team: s(&t.id),
                    group: s(group),
                });
            }
        }
        for p in &g.projects {
            if let Some(p) = before.project(*p) {
                self.key(Key::ProjectGroup {
                    project: s(&p.id),
                    group: s(group),
                });
            }
        }
        for u in &g.members {
            if let Some(u) = before.user(*u) {
                self.key(Key::GroupMember {
                    group: s(group),
                    user: s(&u.id),
                });
            }
        }
    }

    fn team_deleted(&mut self, before: &State, team: &str) {
        self.key(Key::Team(s(team)));
        let Some(t) = before.find_team(team).and_then(|t| before.team(t)) else {
            return;
        };
        for p in &t.projects {
            if let Some(p) = before.project(*p) {
                self.project_deleted(before, &p.id);
            }
        }
        for (u, _) in &t.members {
            if let Some(u) = before.user(*u) {
                self.key(Key::TeamMember {
                    team: s(team),
                    user: s(&u.id),
                });
            }
        }
        for (g, _) in &t.group_members {
            if let Some(g) = before.group(*g) {
                self.key(Key::TeamGroup {
                    team: s(team),
                    group: s(&g.id),
                });
            }
        }
        for u in &t.content_admins {
            if let Some(u) = before.user(*u) {
                self.key(Key::TeamContentAdmin {
                    team: s(team),
                    user: s(&u.id),
                });
            }
        }
    }

    fn project_deleted(&mut self, before: &State, project: &str) {
        self.key(Key::Project(s(project)));
        let Some(p) = before.find_project(project).and_then(|p| before.project(p)) else {
            return;
        };
        // Its boards stay in the team, out of the project.
        for b in &p.boards {
            if let Some(b) = before.board(*b) {
                self.key(Key::Board(s(&b.id)));
            }
        }
        for (u, _) in &p.members {
            if let Some(u) = before.user(*u) {
                self.key(Key::ProjectMember {
                    project: s(project),
                    user: s(&u.id),
                });
            }
        }
        for (g, _) in &p.groups {
            if let Some(g) = before.group(*g) {
                self.key(Key::ProjectGroup {
                    project: s(project),
                    group: s(&g.id),
                });
            }
        }
    }

    fn board_purged(&mut self, before: &State, board: &str) {
        self.key(Key::Board(s(board)));
        let Some(b) = before.find_board(board).and_then(|b| before.board(b)) else {
            return;
        };
        for (who, _) in &b.grants {
            let who = match who {
                Grantee::User(u) => before.user(u).map(|u| Who::User(s(&u.id))),
                Grantee::Group(g) => before.group(g).map(|g| Who::Group(s(&g.id))),
            };
            if let Some(who) = who {
                self.grant(board, &who);
            }
        }
    }

    fn billing_group_deleted(&mut self, before: &State, group: &str) {
        self.key(Key::BillingGroup(s(group)));
        let Some(g) = before
            .find_billing_group(group)
            .and_then(|g| before.billing_group(g))
        else {
            return;
        };
        for u in &g.members {
            if let Some(u) = before.user(*u) {
                self.key(Key::BillingMember {
                    group: s(group),
                    user: s(&u.id),
                });
            }
        }
    }

    fn app_deleted(&mut self, before: &State, app: &str) {
        self.key(Key::App(s(app)));
        let Some(a) = before.find_app(app).and_then(|a| before.app(a)) else {
            return;
        };
        for i in &a.installations {
            if let Some(i) = before.installation(*i) {
                self.uninstalled(before, &i.id);
            }
        }
    }

    fn uninstalled(&mut self, before: &State, installation: &str) {
        self.key(Key::Installation(s(installation)));
        let Some(i) = before.find_installation(installation) else {
            return;
        };
        // Tokens are not listed under their installation: every one is looked at, as
        // `uninstall` itself does.
        for (_, t) in before.all_tokens() {
            if t.kind == TokenKind::App(i) {
                self.key(Key::Token(s(&t.id)));
            }
        }
    }

    fn family_revoked(&mut self, before: &State, family: &str) {
        for (_, r) in before.all_refreshes() {
            if &*r.family == family {
                self.key(Key::Refresh(s(&r.id)));
                self.key(Key::Token(s(&r.access)));
            }
        }
    }
}

impl<'k> IntoIterator for &'k Keys {
    type Item = &'k Key;
    type IntoIter = std::collections::btree_set::Iter<'k, Key>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
