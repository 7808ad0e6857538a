//! The in-memory state: every entity in dense tables, with the indexes decisions and
//! lookups need. Reads are plain borrows; changes go through the methods in `mutate`, which
//! keep the forward and reverse indexes in step.

mod apps;
mod credentials;
mod error;
mod mutate;
mod oauth;
mod records;
mod signin;
pub use records::RequestKind;

pub use apps::AppInit;
pub use error::StateError;
pub use mutate::{BoardInit, MAX_TEXT_LEN, valid_email};

use rustc_hash::FxHashMap;

use crate::ids::{
    AppIx, BillingGroupIx, BoardIx, CaseIx, CodeIx, ContentIx, GroupIx, InstallationIx,
    InvitationIx, OrgIx, ProjectIx, RefreshIx, RequestIx, ServiceIx, SessionIx, SignInLinkIx,
    Table, TeamIx, TokenIx, UserIx,
};
use crate::model::{
    AccessRequest, App, AppRequest, AuthCode, BillingGroup, Board, BoardCore, Case, Content, Group,
    Installation, Invitation, JoinRequest, LicenceRequest, Membership, Org, Project, Refresh,
    ServiceToken, Session, SignInLink, Team, Token, User,
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
    pub(crate) sign_in_links: Table<SignInLinkIx, SignInLink>,
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
    /// The records each organization, team or board holds, for their lists.
    pub(crate) owned: Owned,
}

/// Records listed by what they belong to, each list in order of index (the order they
/// were made, since a record's index is the largest yet when it is made and records are
/// never removed): a page of an organization's invitations, say, starts at its cursor in
/// that organization's own list instead of reading every organization's.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Owned {
    pub(crate) invitations: FxHashMap<OrgIx, Vec<InvitationIx>>,
    pub(crate) access_requests: FxHashMap<BoardIx, Vec<RequestIx>>,
    pub(crate) join_requests: FxHashMap<TeamIx, Vec<RequestIx>>,
    pub(crate) licence_requests: FxHashMap<OrgIx, Vec<RequestIx>>,
    pub(crate) app_requests: FxHashMap<OrgIx, Vec<RequestIx>>,
    pub(crate) billing_groups: FxHashMap<OrgIx, Vec<BillingGroupIx>>,
    pub(crate) cases: FxHashMap<OrgIx, Vec<CaseIx>>,
}

/// A list of an index map, empty when the owner has none.
fn owned<K: Eq + std::hash::Hash, V>(map: &FxHashMap<K, Vec<V>>, key: K) -> &[V] {
    map.get(&key).map_or(&[], Vec::as_slice)
}

/// Adds a new record to its owner's list (its index is the largest yet: the list stays
/// sorted).
pub(crate) fn own<K: Eq + std::hash::Hash, V>(map: &mut FxHashMap<K, Vec<V>>, key: K, ix: V) {
    map.entry(key).or_default().push(ix);
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
    sign_in_links: SignInLinkIx => SignInLink, sign_in_link, find_sign_in_link, all_sign_in_links;
    cases: CaseIx => Case, case, find_case, all_cases;
    invitations: InvitationIx => Invitation, invitation, find_invitation, all_invitations;
    access_requests: RequestIx => AccessRequest, access_request, find_access_request, all_access_requests;
    join_requests: RequestIx => JoinRequest, join_request, find_join_request, all_join_requests;
    licence_requests: RequestIx => LicenceRequest, licence_request, find_licence_request, all_licence_requests;
    app_requests: RequestIx => AppRequest, app_request, find_app_request, all_app_requests;
    billing_groups: BillingGroupIx => BillingGroup, billing_group, find_billing_group, all_billing_groups;
    contents: ContentIx => Content, content, find_content, all_contents;
}

/// Organizations by id skip a closed one: every lookup by id (a route's, a command's, an
/// event's) then answers it as unknown, which is what closing promises. The index still
/// reads it (what its boards and memberships pointed at stays readable for the audit), and
/// its id stays taken.
impl State {
    /// The organization at an index (closed ones too).
    pub fn org(&self, ix: OrgIx) -> Option<&Org> {
        self.orgs.get(ix)
    }

    /// The index of an organization id, unless it was closed.
    pub fn find_org(&self, id: &str) -> Option<OrgIx> {
        self.orgs
            .find(id)
            .filter(|o| self.orgs.get(*o).is_some_and(|x| !x.closed))
    }

    /// Whether an organization id was ever used (a closed organization's included).
    pub fn org_id_taken(&self, id: &str) -> bool {
        self.orgs.find(id).is_some()
    }

    /// Every organization not closed, with its index, in insertion order.
    pub fn all_orgs(&self) -> impl Iterator<Item = (OrgIx, &Org)> {
        self.orgs.iter().filter(|(_, o)| !o.closed)
    }
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

    /// An organization's invitations, in the order they were made.
    pub fn org_invitations(&self, org: OrgIx) -> &[InvitationIx] {
        owned(&self.owned.invitations, org)
    }

    /// The requests for access to a board, in the order they were made.
    pub fn board_access_requests(&self, board: BoardIx) -> &[RequestIx] {
        owned(&self.owned.access_requests, board)
    }

    /// The requests to join a team, in the order they were made.
    pub fn team_join_requests(&self, team: TeamIx) -> &[RequestIx] {
        owned(&self.owned.join_requests, team)
    }

    /// An organization's licence requests, in the order they were made.
    pub fn org_licence_requests(&self, org: OrgIx) -> &[RequestIx] {
        owned(&self.owned.licence_requests, org)
    }

    /// An organization's requests to allow apps, in the order they were made.
    pub fn org_app_requests(&self, org: OrgIx) -> &[RequestIx] {
        owned(&self.owned.app_requests, org)
    }

    /// An organization's billing groups (deleted ones included), in the order they were
    /// made.
    pub fn org_billing_groups(&self, org: OrgIx) -> &[BillingGroupIx] {
        owned(&self.owned.billing_groups, org)
    }

    /// An organization's legal cases, in the order they were made.
    pub fn org_cases(&self, org: OrgIx) -> &[CaseIx] {
        owned(&self.owned.cases, org)
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
