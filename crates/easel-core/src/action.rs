//! What a principal may ask to do: a board capability, an admin privilege, or one of the
//! engine's own actions on teams, projects, organizations and the trash.

use std::fmt;

use crate::catalog::{Capability, Feature, Privilege, Scope, ScopeSet};

/// The kind of target an action is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// A board.
    Board,
    /// A team.
    Team,
    /// A project.
    Project,
    /// An organization.
    Org,
}

impl TargetKind {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            TargetKind::Board => "board",
            TargetKind::Team => "team",
            TargetKind::Project => "project",
            TargetKind::Org => "org",
        }
    }
}

/// Declares the engine's own actions: variant, id, target kind, doc.
macro_rules! engine_actions {
    ($($variant:ident = $id:literal on $target:ident, $doc:literal;)+) => {
        /// An action the engine defines beyond the catalogs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum EngineAction { $(#[doc = $doc] $variant,)+ }

        impl EngineAction {
            /// Every engine action.
            pub const ALL: &'static [EngineAction] = &[$(EngineAction::$variant),+];

            /// The action id.
            pub const fn id(self) -> &'static str {
                match self { $(EngineAction::$variant => $id),+ }
            }

            /// The kind of target it is asked about.
            pub const fn target(self) -> TargetKind {
                match self { $(EngineAction::$variant => TargetKind::$target),+ }
            }

            /// What it means.
            pub const fn doc(self) -> &'static str {
                match self { $(EngineAction::$variant => $doc),+ }
            }

            fn from_id(id: &str) -> Option<EngineAction> {
                match id { $($id => Some(EngineAction::$variant),)+ _ => None }
            }
        }
    };
}

engine_actions! {
    BoardRestore = "board.restore" on Board, "bring a trashed board back (owner, or `trash.restore`)";
    BoardPurge = "board.purge" on Board, "delete a trashed board for good (owner, or `trash.purge`)";
    TeamView = "team.view" on Team, "see the team and its members";
    TeamJoin = "team.join" on Team, "join the team at once (open teams)";
    TeamRequestJoin = "team.request_join" on Team, "ask to join the team";
    TeamManage = "team.manage" on Team, "change the team's settings, discovery, members and join requests";
    TeamInvite = "team.invite" on Team, "invite someone into the team (bounded by `who_can_invite` and domains)";
    TeamCreateBoard = "team.create_board" on Team, "create a board in the team (`who_can_create`)";
    TeamCreateProject = "team.create_project" on Team, "create a project in the team (`who_can_create`)";
    TeamCreateTemplate = "team.create_template" on Team, "create a template in the team (`who_can_create`)";
    ProjectView = "project.view" on Project, "open the project and list its boards";
    ProjectManage = "project.manage" on Project, "rename the project, change its privacy, members and roles";
    ProjectCreateBoard = "project.create_board" on Project, "create a board in the project";
    OrgView = "org.view" on Org, "see the organization's name and plan";
    OrgInvite = "org.invite" on Org, "invite someone new into the organization (`who_can_invite`, domains)";
    OrgResetSessions = "org.reset_sessions" on Org, "end every session of a user (`users.edit`, scope `sessions:delete`)";
    OrgLegalHolds = "org.legal_holds" on Org, "read and manage cases and legal holds";
    OrgExportContentLogs = "org.export_content_logs" on Org, "export the content activity log of every board";
    OrgExportBoards = "org.export_boards" on Org, "export the organization's boards (`boards.edit_all` across the organization)";
}

/// An action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// A board capability of `board-roles.toml`.
    Board(Capability),
    /// An admin privilege of `admin-privileges.toml`.
    Privilege(Privilege),
    /// An action the engine defines.
    Engine(EngineAction),
}

// The typed entry points take any of the three kinds of action as it is written.
impl From<Capability> for Action {
    fn from(c: Capability) -> Action {
        Action::Board(c)
    }
}

impl From<Privilege> for Action {
    fn from(p: Privilege) -> Action {
        Action::Privilege(p)
    }
}

impl From<EngineAction> for Action {
    fn from(e: EngineAction) -> Action {
        Action::Engine(e)
    }
}

impl Action {
    /// Parses an action id: a capability, a privilege or an engine action.
    pub fn parse(id: &str) -> Option<Action> {
        Capability::from_id(id)
            .map(Action::Board)
            .or_else(|| Privilege::from_id(id).map(Action::Privilege))
            .or_else(|| EngineAction::from_id(id).map(Action::Engine))
    }

    /// The action id.
    pub const fn id(self) -> &'static str {
        match self {
            Action::Board(c) => c.id(),
            Action::Privilege(p) => p.id(),
            Action::Engine(e) => e.id(),
        }
    }

    /// Every action the engine knows.
    pub fn all() -> impl Iterator<Item = Action> {
        Capability::ALL
            .into_iter()
            .map(Action::Board)
            .chain(Privilege::ALL.into_iter().map(Action::Privilege))
            .chain(EngineAction::ALL.iter().copied().map(Action::Engine))
    }

    /// Whether the action may be asked about a target of this kind. Privileges are held
    /// organization-wide or, for team content admins, per team: they may be asked about the
    /// organization, a team, a project or a board.
    pub fn applies_to(self, kind: TargetKind) -> bool {
        match self {
            Action::Board(_) => kind == TargetKind::Board,
            Action::Privilege(_) => true,
            Action::Engine(e) => e.target() == kind,
        }
    }

    /// Whether the action changes something (used to pick read or write scopes, and to know
    /// what a trashed board refuses).
    pub fn is_read(self) -> bool {
        match self {
            Action::Board(c) => matches!(
                c,
                Capability::View
                    | Capability::VoteAndTimer
                    | Capability::CopyContent
                    | Capability::DownloadBackup
            ),
            Action::Privilege(p) => p.id().ends_with(".view") || p == Privilege::BoardsViewAll,
            Action::Engine(e) => matches!(
                e,
                EngineAction::TeamView
                    | EngineAction::ProjectView
                    | EngineAction::OrgView
                    | EngineAction::OrgLegalHolds
            ),
        }
    }

    /// The plan feature the action needs, beyond a capability's own plan list.
    pub fn feature(self) -> Option<Feature> {
        use Privilege as P;
        match self {
            Action::Board(_) => None,
            Action::Privilege(p) => match p {
                P::AuditLogsConfigure | P::AuditLogsViewExport => Some(Feature::AuditLogs),
                P::AdminRolesView | P::AdminRolesAssign | P::AdminRolesRemove => {
                    Some(Feature::AdminRoles)
                }
                P::AuthSettingsView
                | P::AuthSettingsEdit
                | P::CollaborationSettingsView
                | P::CollaborationSettingsEdit
                | P::ManagedDomainsView
                | P::ManagedDomainsEdit => Some(Feature::CompanySettings),
                P::SpacesCreate
                | P::SpacesEditAccess
                | P::SpacesEdit
                | P::SpacesDelete
                | P::SpacesCreateBoardsInPrivate => Some(Feature::Projects),
                _ => None,
            },
            Action::Engine(e) => match e {
                EngineAction::TeamCreateProject
                | EngineAction::ProjectView
                | EngineAction::ProjectManage
                | EngineAction::ProjectCreateBoard => Some(Feature::Projects),
                EngineAction::OrgLegalHolds => Some(Feature::LegalHolds),
                EngineAction::OrgExportContentLogs => Some(Feature::ContentLogs),
                _ => None,
            },
        }
    }

    /// The scopes that admit the action for an app token, in both vocabularies. An empty
    /// set means apps may never do it.
    pub fn admitting_scopes(self) -> ScopeSet {
        use Privilege as P;
        use Scope as S;
        let set = |scopes: &[Scope]| scopes.iter().copied().collect::<ScopeSet>();
        let board_read = set(&[S::BoardsRead, S::MuralsRead]);
        let board_write = set(&[S::BoardsWrite, S::MuralsWrite]);
        let org_read = set(&[S::OrganizationsRead, S::WorkspacesRead]);
        let project_read = set(&[S::ProjectsRead, S::RoomsRead]);
        let project_write = set(&[S::ProjectsWrite, S::RoomsWrite]);
        let team_read = set(&[S::OrganizationsTeamsRead, S::TeamRead]);
        let team_write = set(&[S::OrganizationsTeamsWrite, S::TeamWrite]);
        match self {
            Action::Board(_) if self.is_read() => board_read,
            Action::Board(_) => board_write,
            Action::Privilege(p) => match p {
                P::CompanyProfileView | P::InsightsView => org_read,
                P::UsersView | P::InvitationsView | P::LicenseRequestsView => {
                    set(&[S::OrganizationsRead, S::UsersRead])
                }
                P::UsersAdd | P::UsersRemove => team_write,
                P::TeamsView => team_read,
                P::TeamsEdit => team_write,
                P::GroupsView => set(&[S::OrganizationsGroupsRead]),
                P::GroupsEdit | P::GroupsAssign | P::GroupsRemove => {
                    set(&[S::OrganizationsGroupsWrite])
                }
                P::SpacesCreate
                | P::SpacesEditAccess
                | P::SpacesEdit
                | P::SpacesDelete
                | P::SpacesCreateBoardsInPrivate => project_write,
                P::BoardsViewAll | P::TrashView => board_read,
                P::BoardsCreate
                | P::BoardsEditAccess
                | P::BoardsEditAll
                | P::BoardsEditSharing
                | P::BoardsDelete
                | P::TrashPurge
                | P::TrashRestore
                | P::TrashForcePurgeRetained => board_write,
                P::TemplatesView => set(&[S::TemplatesRead]),
                P::TemplatesEdit | P::TemplatesEditSharing => set(&[S::TemplatesWrite]),
                P::AuditLogsViewExport => set(&[S::AuditlogsRead]),
                P::AdminRolesView
                | P::AuthSettingsView
                | P::CollaborationSettingsView
                | P::ManagedDomainsView => org_read,
                // Changing who administers what, billing, apps and security settings stays
                // with people: no scope admits it.
                _ => ScopeSet::EMPTY,
            },
            Action::Engine(e) => match e {
                EngineAction::BoardRestore | EngineAction::BoardPurge => board_write,
                EngineAction::TeamView => team_read,
                EngineAction::TeamJoin
                | EngineAction::TeamRequestJoin
                | EngineAction::TeamManage
                | EngineAction::TeamInvite => team_write,
                EngineAction::TeamCreateBoard | EngineAction::ProjectCreateBoard => board_write,
                EngineAction::TeamCreateProject | EngineAction::ProjectManage => project_write,
                EngineAction::TeamCreateTemplate => set(&[S::TemplatesWrite, S::BoardsWrite]),
                EngineAction::ProjectView => project_read,
                EngineAction::OrgView => {
                    set(&[S::OrganizationsRead, S::WorkspacesRead, S::IdentityRead])
                }
                EngineAction::OrgInvite => team_write,
                EngineAction::OrgResetSessions => set(&[S::SessionsDelete]),
                EngineAction::OrgLegalHolds => set(&[S::OrganizationsCasesManagement]),
                EngineAction::OrgExportContentLogs => set(&[S::ContentlogsExport]),
                EngineAction::OrgExportBoards => set(&[S::BoardsExport]),
            },
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
