//! The in-memory state: every entity in dense tables, with the indexes decisions and
//! lookups need. Reads are plain borrows; changes go through the methods in `mutate`, which
//! keep the forward and reverse indexes in step.

mod apps;
mod credentials;
mod error;
mod mutate;
mod oauth;
mod records;
pub use records::RequestKind;

pub use apps::AppInit;
pub use error::StateError;
pub use mutate::{BoardInit, MAX_TEXT_LEN, valid_email};

use rustc_hash::FxHashMap;

use crate::ids::{
    AppIx, BillingGroupIx, BoardIx, CaseIx, CodeIx, ContentIx, GroupIx, InstallationIx,
    InvitationIx, OrgIx, ProjectIx, RefreshIx, RequestIx, ServiceIx, SessionIx, Table, TeamIx,
    TokenIx, UserIx,
};
use crate::model::{
    AccessRequest, App, AppRequest, AuthCode, BillingGroup, Board, BoardCore, Case, Content, Group,
    Installation, Invitation, JoinRequest, LicenceRequest, Membership, Org, Project, Refresh,
    ServiceToken, Session, Team, Token, User,
};

/// Everything the engine knows, indexed for the questions it answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    pub(crate) orgs: Table<OrgIx, Org>,
    pub(crate) users: Table<UserIx, User>,
    pub(crate) teams: Table<TeamIx, Team>,
    pub(crate) projects: Table<ProjectIx, Project>,
    pub(crate) boards: Table<BoardIx, Board>,
    /// Each board's core, at the board's index (`BoardCore::of` the board, kept in step by
    /// every change to a board).
    pub(crate) board_cores: Vec<BoardCore>,
    pub(crate) groups: Table<GroupIx, Group>,
    pub(crate) apps: Table<AppIx, App>,
    pub(crate) installations: Table<InstallationIx, Installation>,
    pub(crate) tokens: Table<TokenIx, Token>,
    pub(crate) services: Table<ServiceIx, ServiceToken>,
    pub(crate) codes: Table<CodeIx, AuthCode>,
    pub(crate) refreshes: Table<RefreshIx, Refresh>,
    pub(crate) sessions: Table<SessionIx, Session>,
    pub(crate) cases: Table<CaseIx, Case>,
    pub(crate) invitations: Table<InvitationIx, Invitation>,
    pub(crate) access_requests: Table<RequestIx, AccessRequest>,
    pub(crate) join_requests: Table<RequestIx, JoinRequest>,
    pub(crate) licence_requests: Table<RequestIx, LicenceRequest>,
    pub(crate) app_requests: Table<RequestIx, AppRequest>,
    pub(crate) billing_groups: Table<BillingGroupIx, BillingGroup>,
    pub(crate) contents: Table<ContentIx, Content>,
    /// A board's items (`false`) or comments (`true`), in order of index (which is the
    /// order they were added): a page of them starts at its cursor without reading the
    /// rest of the board, let alone other boards. Deleted ones stay, as in `contents`.
    pub(crate) board_contents: FxHashMap<(BoardIx, bool), Vec<ContentIx>>,
    /// Lower-case email → user.
    pub(crate) emails: FxHashMap<Box<str>, UserIx>,
}

/// Read access by index and by id.
macro_rules! accessors {
    ($($field:ident: $ix:ident => $ty:ident, $get:ident, $find:ident, $all:ident;)+) => {
        impl State {$(
            #[doc = concat!("The ", stringify!($ty), " at an index.")]
            pub fn $get(&self, ix: $ix) -> Option<&$ty> {
                self.$field.get(ix)
            }

            #[doc = concat!("The index of a ", stringify!($ty), " id.")]
            pub fn $find(&self, id: &str) -> Option<$ix> {
                self.$field.find(id)
            }

            #[doc = concat!("Every ", stringify!($ty), " with its index, in insertion order.")]
            pub fn $all(&self) -> impl Iterator<Item = ($ix, &$ty)> {
                self.$field.iter()
            }
        )+}
    };
}

accessors! {
    orgs: OrgIx => Org, org, find_org, all_orgs;
    users: UserIx => User, user, find_user, all_users;
    teams: TeamIx => Team, team, find_team, all_teams;
    projects: ProjectIx => Project, project, find_project, all_projects;
    boards: BoardIx => Board, board, find_board, all_boards;
    groups: GroupIx => Group, group, find_group, all_groups;
    apps: AppIx => App, app, find_app, all_apps;
    installations: InstallationIx => Installation, installation, find_installation, all_installations;
    tokens: TokenIx => Token, token, find_token, all_tokens;
    services: ServiceIx => ServiceToken, service, find_service, all_services;
    codes: CodeIx => AuthCode, code, find_code, all_codes;
    refreshes: RefreshIx => Refresh, refresh, find_refresh, all_refreshes;
    sessions: SessionIx => Session, session, find_session, all_sessions;
    cases: CaseIx => Case, case, find_case, all_cases;
    invitations: InvitationIx => Invitation, invitation, find_invitation, all_invitations;
    access_requests: RequestIx => AccessRequest, access_request, find_access_request, all_access_requests;
    join_requests: RequestIx => JoinRequest, join_request, find_join_request, all_join_requests;
    licence_requests: RequestIx => LicenceRequest, licence_request, find_licence_request, all_licence_requests;
    app_requests: RequestIx => AppRequest, app_request, find_app_request, all_app_requests;
    billing_groups: BillingGroupIx => BillingGroup, billing_group, find_billing_group, all_billing_groups;
    contents: ContentIx => Content, content, find_content, all_contents;
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State::default()
    }

    /// The user with an email (any letter case).
    pub fn find_email(&self, email: &str) -> Option<UserIx> {
        self.emails
            .get(email.to_ascii_lowercase().as_str())
            .copied()
    }

    /// A user's membership in an organization.
    pub fn membership(&self, user: UserIx, org: OrgIx) -> Option<&Membership> {
        self.users.get(user)?.membership(org)
    }

    /// A board's items (or, with `comments`, its comments), deleted ones included, in the
    /// order they were added.
    pub fn board_contents(&self, board: BoardIx, comments: bool) -> &[ContentIx] {
        self.board_contents
            .get(&(board, comments))
            .map_or(&[], Vec::as_slice)
    }

    /// The number of boards ever created (purged ones included).
    pub fn board_count(&self) -> usize {
        self.boards.len()
    }

    /// A board's core: the facts a lookup reads for every candidate.
    pub fn board_core(&self, board: BoardIx) -> Option<&BoardCore> {
        self.board_cores.get(board.get())
    }

    /// The number of users.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }
}
