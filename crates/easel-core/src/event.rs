//! Events: the facts a command produces, and the only way the state changes.
//!
//! Events name entities by their opaque string ids and carry everything needed to apply
//! them (a link digest, a password hash, the full settings), so replaying the stored events
//! of an organization from an empty state rebuilds exactly the same state.

mod touched;

pub use touched::{Key, Keys, touched};

use serde::{Deserialize, Serialize};

use crate::catalog::{AdminRole, AdminRoleSet, Plan};
use crate::ids::{BoardIx, GroupIx, OrgIx, ProjectIx, TeamIx, UserIx};
use crate::model::{
    BoardState, ContentKind, Grantee, InviteInto, Licence, LinkDigest, RequestState, ServiceKind,
    UserStatus,
};
use crate::roles::{Access, BoardRole, MemberKind, TeamRole};
use crate::settings::{CompanySettings, ContentSettings, TeamSettings};
use crate::state::{BoardInit, RequestKind, State, StateError};
use crate::time::Time;

/// Who a board grant is for, by id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    /// A user.
    User(String),
    /// A user group.
    Group(String),
}

/// When and by whom a board changed, as an event carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardStamp {
    /// The instant.
    pub at: Time,
    /// The user, if a user made the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A coordinate on a board, in pixels. Compared by its bits, so that events stay `Eq`
/// (a coordinate is never NaN: commands refuse non-finite numbers).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Coordinate(pub f64);

impl PartialEq for Coordinate {
    fn eq(&self, other: &Coordinate) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Coordinate {}

/// A change to the state.
#[expect(
    missing_docs,
    reason = "the fields are the ids and values each variant's doc names"
)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// An organization was created.
    OrgCreated {
        org: String,
        name: String,
        plan: Plan,
        guard: bool,
    },
    /// The organization was closed by the operator, once nothing of it was left.
    OrgClosed { org: String },
    /// The organization's profile changed.
    OrgRenamed { org: String, name: String },
    /// The plan or add-on changed.
    PlanChanged {
        org: String,
        plan: Plan,
        guard: bool,
    },
    /// The account owner changed.
    OrgOwnerSet { org: String, owner: Option<String> },
    /// The company settings changed (the whole new value).
    CompanySettingsChanged {
        org: String,
        settings: CompanySettings,
    },
    /// A user identity was created.
    UserCreated {
        user: String,
        email: String,
        name: String,
    },
    /// A user was activated or deactivated everywhere.
    UserStatusSet { user: String, active: bool },
    /// A user's sessions were reset.
    SessionsReset {
        user: String,
        at: Time,
        /// The organization that reset them, whose sessions alone end (absent: everywhere).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        org: Option<String>,
    },
    /// A user's last activity was recorded.
    UserActiveAt { user: String, at: Option<Time> },
    /// A membership was added or changed.
    MembershipSet {
        org: String,
        user: String,
        kind: MemberKind,
        admin_roles: Vec<AdminRole>,
        licence: Licence,
    },
    /// A user was deactivated or reactivated in an organization.
    MembershipActiveSet {
        org: String,
        user: String,
        active: bool,
    },
    /// A user left or was removed from an organization.
    MembershipRemoved { org: String, user: String },
    /// A user's sign-in address changed.
    UserEmailSet { user: String, email: String },
    /// The organization's directory set what it says of a member.
    MemberProfileSet {
        org: String,
        user: String,
        profile: Box<crate::model::Profile>,
    },
    /// A user group was created.
    GroupCreated {
        org: String,
        group: String,
        name: String,
        /// What the group is for (absent in changelogs written before groups had one).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
    },
    /// A user joined a group.
    GroupMemberAdded { group: String, user: String },
    /// A user left a group.
    GroupMemberRemoved { group: String, user: String },
    /// A team was created.
    TeamCreated {
        org: String,
        team: String,
        name: String,
        settings: TeamSettings,
    },
    /// A team was renamed.
    TeamRenamed { team: String, name: String },
    /// A team's settings changed (the whole new value).
    TeamSettingsChanged {
        team: String,
        settings: TeamSettings,
    },
    /// A user joined a team or changed role in it.
    TeamMemberSet {
        team: String,
        user: String,
        role: TeamRole,
    },
    /// A user left a team.
    TeamMemberRemoved { team: String, user: String },
    /// A group joined a team or changed role in it.
    TeamGroupSet {
        team: String,
        group: String,
        role: TeamRole,
    },
    /// A group left a team.
    TeamGroupRemoved { team: String, group: String },
    /// A user became, or stopped being, a team content admin.
    TeamContentAdminSet {
        team: String,
        user: String,
        on: bool,
    },
    /// A project was created.
    ProjectCreated {
        project: String,
        team: String,
        name: String,
        private: bool,
    },
    /// A user joined a project or changed role in it.
    ProjectMemberSet {
        project: String,
        user: String,
        role: BoardRole,
    },
    /// A user left a project.
    ProjectMemberRemoved { project: String, user: String },
    /// A board was created.
    BoardCreated {
        board: String,
        team: String,
        project: Option<String>,
        owner: String,
        name: String,
        team_access: Access,
        company_access: Access,
        public_access: Access,
        content: ContentSettings,
        /// The description given at creation.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        description: String,
        /// When and by whom (absent in changelogs written before boards kept it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stamp: Option<BoardStamp>,
    },
    /// A board was renamed or described.
    BoardTextSet {
        board: String,
        name: String,
        description: String,
        /// When and by whom (absent in changelogs written before boards kept it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stamp: Option<BoardStamp>,
    },
    /// A direct grant was made or changed.
    GrantSet {
        board: String,
        to: Who,
        role: BoardRole,
    },
    /// A direct grant was removed.
    GrantRemoved { board: String, from: Who },
    /// The team, company and public-link access changed.
    BoardAccessSet {
        board: String,
        team: Access,
        company: Access,
        public: Access,
        /// When and by whom (absent in changelogs written before boards kept it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stamp: Option<BoardStamp>,
    },
    /// The public link's token changed (its SHA-256 digest, hex), or was removed.
    BoardLinkSet {
        board: String,
        digest: Option<String>,
    },
    /// The board password changed (its argon2 hash), or was removed.
    BoardPasswordSet { board: String, hash: Option<String> },
    /// Content settings changed.
    BoardContentSet {
        board: String,
        content: ContentSettings,
        /// When and by whom (absent in changelogs written before boards kept it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stamp: Option<BoardStamp>,
    },
    /// The classification label changed.
    BoardClassified {
        board: String,
        label: Option<String>,
    },
    /// The board became, or stopped being, a template.
    BoardTemplateSet { board: String, template: bool },
    /// The board came under, or left, a retention policy.
    BoardRetainedSet { board: String, retained: bool },
    /// Ownership moved.
    BoardOwnerSet { board: String, owner: String },
    /// The board moved to another team (leaving its project).
    BoardMoved { board: String, team: String },
    /// The board entered or left a project.
    BoardProjectSet {
        board: String,
        project: Option<String>,
    },
    /// The board went to the trash.
    BoardTrashed { board: String, at: Time },
    /// The board came back from the trash.
    BoardRestored { board: String },
    /// The board was purged for good.
    BoardPurged { board: String },
    /// A legal case was opened (by `by`, at `at`; both absent from older records).
    CaseCreated {
        org: String,
        case: String,
        name: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        by: Option<String>,
        #[serde(default)]
        at: Time,
    },
    /// A case's name and description were changed.
    CaseEdited {
        case: String,
        name: String,
        description: String,
        by: Option<String>,
        at: Time,
    },
    /// A case was deleted, and every hold of it released.
    CaseDeleted { case: String },
    /// A hold was added to a case.
    HoldAdded {
        case: String,
        hold: String,
        users: Vec<String>,
        #[serde(default)]
        name: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        by: Option<String>,
        #[serde(default)]
        at: Time,
    },
    /// A hold's name, description and users were replaced.
    HoldEdited {
        case: String,
        hold: String,
        name: String,
        description: String,
        users: Vec<String>,
        by: Option<String>,
        at: Time,
    },
    /// A hold was released.
    HoldReleased { case: String, hold: String },
    /// An invitation was made.
    InvitationCreated {
        invitation: String,
        org: String,
        email: String,
        into: InviteTarget,
        kind: MemberKind,
        inviter: String,
        expires_at: Time,
    },
    /// An invitation was accepted, revoked or expired.
    InvitationStateSet {
        invitation: String,
        state: RequestState,
    },
    /// Someone asked for access to a board.
    AccessRequested {
        request: String,
        board: String,
        user: String,
        role: BoardRole,
    },
    /// Someone asked to join a team.
    JoinRequested {
        request: String,
        team: String,
        user: String,
    },
    /// Someone asked for a licence.
    LicenceRequested {
        request: String,
        org: String,
        user: String,
        licence: Licence,
    },
    /// Someone asked to allow an app.
    AppRequested {
        request: String,
        org: String,
        user: String,
        app: String,
    },
    /// A request was approved or denied.
    RequestDecided {
        kind: RequestKind,
        request: String,
        state: RequestState,
    },
    /// A member's licence changed.
    LicenceSet {
        org: String,
        user: String,
        licence: Licence,
    },
    /// The application allowlist changed (`None`: off).
    AppAllowlistSet {
        org: String,
        apps: Option<Vec<String>>,
    },
    /// A domain was claimed or verified (`Some`), or dropped (`None`).
    DomainSet {
        org: String,
        domain: String,
        verified: Option<bool>,
    },
    /// A billing group was created.
    BillingGroupCreated {
        org: String,
        group: String,
        name: String,
    },
    /// A user joined or left a billing group.
    BillingMemberSet {
        group: String,
        user: String,
        on: bool,
    },
    /// A billing group was deleted.
    BillingGroupDeleted { group: String },
    /// A billing group was renamed.
    BillingGroupRenamed { group: String, name: String },
    /// An item or comment was added to a board.
    ContentAdded {
        content: String,
        board: String,
        kind: ContentKind,
        text: String,
        author: String,
    },
    /// An item's text changed (`Some`), or it was deleted (`None`).
    ContentSet {
        content: String,
        text: Option<String>,
    },
    /// An item was placed: its position, and the frame it sits in (`None`: the board).
    ContentPlaced {
        content: String,
        x: Coordinate,
        y: Coordinate,
        parent: Option<String>,
    },
    /// A project was renamed or its privacy changed.
    ProjectDetailsSet {
        project: String,
        name: String,
        private: bool,
    },
    /// A user group was renamed, and its description changed when one is given.
    GroupRenamed {
        group: String,
        name: String,
        /// The new description (absent: unchanged).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    /// A team was deleted (its boards were trashed first).
    TeamDeleted { team: String },
    /// A project was deleted (its boards stay in the team).
    ProjectDeleted { project: String },
    /// A user group was deleted.
    GroupDeleted { group: String },
    /// How long trashed boards are kept changed.
    TrashRetentionSet { org: String, days: u32 },
    /// How long audit events are kept changed (`None`: for ever).
    AuditRetentionSet { org: String, days: Option<u32> },
    /// A token was issued: its holder and the SHA-256 of its secret (hex); never the secret.
    TokenIssued {
        token: String,
        holder: TokenHolder,
        digest: String,
        expires_at: Option<Time>,
    },
    /// A token was revoked.
    TokenRevoked { token: String },
    /// An app was registered by its developer team (its client secret as a SHA-256, hex).
    AppRegistered {
        app: String,
        team: String,
        name: String,
        redirect_uris: Vec<String>,
        expiring_tokens: bool,
        scopes: Vec<String>,
        secret_digest: String,
    },
    /// The scopes an app enables changed (the whole new set, by name).
    AppScopesSet { app: String, scopes: Vec<String> },
    /// An app was deleted: its installations and tokens are revoked.
    AppDeleted { app: String },
    /// An app was installed into a team with the scopes it enabled then.
    AppInstalled {
        installation: String,
        app: String,
        team: String,
        scopes: Vec<String>,
    },
    /// A user of an installation consented to more scopes.
    AppConsented {
        installation: String,
        scopes: Vec<String>,
    },
    /// An installation was removed: its tokens are revoked.
    AppUninstalled { installation: String },
    /// A user signed in (with the SHA-256 of the session's secret, hex, when it is
    /// presented over HTTP).
    SessionStarted {
        session: String,
        user: String,
        at: Time,
        #[serde(default)]
        digest: Option<String>,
        /// The one organization it acts in (absent: every organization of its user).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        org: Option<String>,
    },
    /// A session was used.
    SessionSeen { session: String, at: Time },
    /// A session was ended (signed out).
    SessionEnded { session: String },
    /// A one-time sign-in link was issued for a user (the SHA-256 of its secret, hex),
    /// bound to the organization the session it starts will act in.
    SignInLinkIssued {
        link: String,
        user: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        org: Option<String>,
        digest: String,
        at: Time,
        expires_at: Time,
    },
    /// A sign-in link was exchanged for a session (links redeem once); the session's own
    /// `session_started` follows.
    SignInLinkRedeemed {
        link: String,
        session: String,
        at: Time,
    },
    /// An authorization code was issued (the SHA-256 of its secret, hex).
    CodeIssued {
        code: String,
        installation: String,
        user: String,
        redirect_uri: String,
        scopes: Vec<String>,
        challenge: String,
        expires_at: Time,
        digest: String,
    },
    /// An authorization code was exchanged (codes are single use).
    CodeUsed { code: String },
    /// A refresh token was issued with an access token, in a family.
    RefreshIssued {
        refresh: String,
        installation: String,
        user: String,
        scopes: Vec<String>,
        family: String,
        access: String,
        digest: String,
    },
    /// A refresh token was used: it is rotated away.
    RefreshUsed { refresh: String },
    /// A family of refresh and access tokens was revoked (a dead refresh token reused, or
    /// the app revoked it).
    FamilyRevoked { family: String },
    /// A user group was assigned to a project at a role, or its role there changed: its
    /// members reach the project's boards as project members at that role.
    ProjectGroupSet {
        project: String,
        group: String,
        role: BoardRole,
    },
    /// A user group was taken off a project.
    ProjectGroupRemoved { project: String, group: String },
}

/// Who holds a token issued with a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TokenHolder {
    /// A user: a personal access token, acting as them.
    User {
        /// The user.
        user: String,
        /// The one organization it acts in (absent: every organization of its user).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        org: Option<String>,
    },
    /// An installed app, acting as a user within the scopes given.
    App {
        /// The installation.
        installation: String,
        /// The user it acts as.
        user: String,
        /// The scopes it carries, by name.
        scopes: Vec<String>,
    },
    /// A service of the platform: a token for the decision API.
    Service {
        /// The service's name.
        name: String,
        /// The one organization it may ask about (`None`: every one).
        org: Option<String>,
    },
    /// The product's operator: the provisioning API, in every organization.
    Operator {
        /// Who or what holds it, for the audit log.
        name: String,
    },
    /// An identity provider's SCIM client in one organization.
    Scim {
        /// Who or what holds it, for the audit log.
        name: String,
        /// The organization.
        org: String,
    },
}

/// What an invitation invites into, by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum InviteTarget {
    /// The organization.
    Org,
    /// A team, at a team role.
    Team {
        /// The team.
        team: String,
        /// The role.
        role: TeamRole,
    },
    /// A project, at a project role.
    Project {
        /// The project.
        project: String,
        /// The role.
        role: BoardRole,
    },
    /// A board, at a board role.
    Board {
        /// The board.
        board: String,
        /// The role.
        role: BoardRole,
    },
}

/// A SHA-256 digest from 64 hex digits.
fn digest_of(hex: &str) -> Result<LinkDigest, StateError> {
    unhex32(hex)
        .map(LinkDigest::from_bytes)
        .ok_or_else(|| StateError::Invalid("digest".into()))
}

/// Scopes by name (any accepted spelling).
fn scope_set(names: &[String]) -> Result<crate::catalog::ScopeSet, StateError> {
    crate::catalog::ScopeSet::parse(names.iter().map(String::as_str))
        .map_err(|name| StateError::Invalid(format!("unknown scope `{name}`")))
}

/// Lower-case hex of bytes (for digests in events).
pub fn hex(bytes: &[u8]) -> String {
    // Every new id, secret and digest goes through here: a digit table, not a formatter
    // per byte.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Bytes of a 64-digit hex digest.
pub fn unhex32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn unknown(kind: &'static str, id: &str) -> StateError {
    StateError::Unknown {
        kind,
        id: id.to_string(),
    }
}

impl State {
    fn org_ix(&self, id: &str) -> Result<OrgIx, StateError> {
        self.find_org(id).ok_or_else(|| unknown("organization", id))
    }

    fn user_ix(&self, id: &str) -> Result<UserIx, StateError> {
        self.find_user(id).ok_or_else(|| unknown("user", id))
    }

    /// Who acted and when, for a case or a hold.
    fn stamp(&self, by: Option<&str>, at: Time) -> Result<crate::model::Stamp, StateError> {
        let by = by.map(|u| self.user_ix(u)).transpose()?;
        Ok(crate::model::Stamp { by, at })
    }

    fn team_ix(&self, id: &str) -> Result<TeamIx, StateError> {
        self.find_team(id).ok_or_else(|| unknown("team", id))
    }

    fn project_ix(&self, id: &str) -> Result<ProjectIx, StateError> {
        self.find_project(id).ok_or_else(|| unknown("project", id))
    }

    fn group_ix(&self, id: &str) -> Result<GroupIx, StateError> {
        self.find_group(id).ok_or_else(|| unknown("group", id))
    }

    fn board_ix(&self, id: &str) -> Result<BoardIx, StateError> {
        self.find_board(id).ok_or_else(|| unknown("board", id))
    }

    fn installation_ix(&self, id: &str) -> Result<crate::ids::InstallationIx, StateError> {
        self.find_installation(id)
            .ok_or_else(|| unknown("installation", id))
    }

    /// Records when and by whom a board changed (on creation, also as its creation); an
    /// event without a stamp leaves the board's stamps as they were.
    fn stamp_board(
        &mut self,
        board: BoardIx,
        stamp: Option<&BoardStamp>,
        created: bool,
    ) -> Result<(), StateError> {
        let Some(stamp) = stamp else { return Ok(()) };
        let by = stamp.by.as_deref().map(|u| self.user_ix(u)).transpose()?;
        self.set_board_stamp(board, crate::model::Stamp { at: stamp.at, by }, created)
    }

    fn grantee(&self, who: &Who) -> Result<Grantee, StateError> {
        Ok(match who {
            Who::User(u) => Grantee::User(self.user_ix(u)?),
            Who::Group(g) => Grantee::Group(self.group_ix(g)?),
        })
    }

    /// Applies one event. Each event is all-or-nothing: a refused event changes nothing.
    pub fn apply(&mut self, event: &Event) -> Result<(), StateError> {
        match event {
            Event::OrgCreated {
                org,
                name,
                plan,
                guard,
            } => self.add_org(org, name, *plan, *guard).map(drop),
            Event::OrgClosed { org } => self.close_org(self.org_ix(org)?),
            Event::OrgRenamed { org, name } => self.set_org_name(self.org_ix(org)?, name.clone()),
            Event::PlanChanged { org, plan, guard } => {
                self.set_plan(self.org_ix(org)?, *plan, *guard)
            }
            Event::OrgOwnerSet { org, owner } => {
                let owner = owner.as_deref().map(|u| self.user_ix(u)).transpose()?;
                self.set_org_owner(self.org_ix(org)?, owner)
            }
            Event::CompanySettingsChanged { org, settings } => {
                self.set_company_settings(self.org_ix(org)?, settings.clone())
            }
            Event::UserCreated { user, email, name } => self.add_user(user, email, name).map(drop),
            Event::UserStatusSet { user, active } => {
                let status = if *active {
                    UserStatus::Active
                } else {
                    UserStatus::Deactivated
                };
                self.set_user_status(self.user_ix(user)?, status)
            }
            Event::SessionsReset { user, at, org } => match org {
                Some(org) => self.reset_org_sessions(self.org_ix(org)?, self.user_ix(user)?, *at),
                None => self.reset_sessions(self.user_ix(user)?, *at),
            },
            Event::UserActiveAt { user, at } => self.set_last_active(self.user_ix(user)?, *at),
            Event::MembershipSet {
                org,
                user,
                kind,
                admin_roles,
                licence,
            } => {
                let roles: AdminRoleSet = admin_roles.iter().copied().collect();
                self.set_membership(
                    self.user_ix(user)?,
                    self.org_ix(org)?,
                    *kind,
                    roles,
                    *licence,
                )
            }
            Event::MembershipActiveSet { org, user, active } => {
                self.set_membership_active(self.user_ix(user)?, self.org_ix(org)?, *active)
            }
            Event::MembershipRemoved { org, user } => {
                self.remove_membership(self.user_ix(user)?, self.org_ix(org)?)
            }
            Event::UserEmailSet { user, email } => self.set_user_email(self.user_ix(user)?, email),
            Event::MemberProfileSet { org, user, profile } => {
                self.set_profile(self.user_ix(user)?, self.org_ix(org)?, (**profile).clone())
            }
            Event::GroupCreated {
                org,
                group,
                name,
                description,
            } => self
                .add_group(group, self.org_ix(org)?, name, description)
                .map(drop),
            Event::GroupMemberAdded { group, user } => {
                self.add_group_member(self.group_ix(group)?, self.user_ix(user)?)
            }
            Event::GroupMemberRemoved { group, user } => {
                self.remove_group_member(self.group_ix(group)?, self.user_ix(user)?)
            }
            Event::TeamCreated {
                org,
                team,
                name,
                settings,
            } => self
                .add_team(team, self.org_ix(org)?, name, settings.clone())
                .map(drop),
            Event::TeamRenamed { team, name } => {
                self.set_team_name(self.team_ix(team)?, name.clone())
            }
            Event::TeamSettingsChanged { team, settings } => {
                self.set_team_settings(self.team_ix(team)?, settings.clone())
            }
            Event::TeamMemberSet { team, user, role } => {
                self.set_team_member(self.team_ix(team)?, self.user_ix(user)?, *role)
            }
            Event::TeamMemberRemoved { team, user } => {
                self.remove_team_member(self.team_ix(team)?, self.user_ix(user)?)
            }
            Event::TeamGroupSet { team, group, role } => {
                self.set_team_group(self.team_ix(team)?, self.group_ix(group)?, *role)
            }
            Event::TeamGroupRemoved { team, group } => {
                self.remove_team_group(self.team_ix(team)?, self.group_ix(group)?)
            }
            Event::TeamContentAdminSet { team, user, on } => {
                self.set_team_content_admin(self.team_ix(team)?, self.user_ix(user)?, *on)
            }
            Event::ProjectCreated {
                project,
                team,
                name,
                private,
            } => self
                .add_project(project, self.team_ix(team)?, name, *private)
                .map(drop),
            Event::ProjectMemberSet {
                project,
                user,
                role,
            } => self.set_project_member(self.project_ix(project)?, self.user_ix(user)?, *role),
            Event::ProjectMemberRemoved { project, user } => {
                self.remove_project_member(self.project_ix(project)?, self.user_ix(user)?)
            }
            Event::BoardCreated {
                board,
                team,
                project,
                owner,
                name,
                team_access,
                company_access,
                public_access,
                content,
                description,
                stamp,
            } => {
                let init = BoardInit {
                    id: board.clone(),
                    team: self.team_ix(team)?,
                    project: project.as_deref().map(|p| self.project_ix(p)).transpose()?,
                    owner: self.user_ix(owner)?,
                    name: name.clone(),
                    team_access: *team_access,
                    company_access: *company_access,
                    public_access: *public_access,
                    content: *content,
                };
                let b = self.add_board(init)?;
                if !description.is_empty() {
                    let name = name.clone();
                    self.set_board_text(b, name, description.clone())?;
                }
                self.stamp_board(b, stamp.as_ref(), true)
            }
            Event::BoardTextSet {
                board,
                name,
                description,
                stamp,
            } => {
                let b = self.board_ix(board)?;
                self.set_board_text(b, name.clone(), description.clone())?;
                self.stamp_board(b, stamp.as_ref(), false)
            }
            Event::GrantSet { board, to, role } => {
                self.set_grant(self.board_ix(board)?, self.grantee(to)?, *role)
            }
            Event::GrantRemoved { board, from } => {
                self.remove_grant(self.board_ix(board)?, self.grantee(from)?)
            }
            Event::BoardAccessSet {
                board,
                team,
                company,
                public,
                stamp,
            } => {
                let b = self.board_ix(board)?;
                self.set_board_access(b, *team, *company, *public)?;
                self.stamp_board(b, stamp.as_ref(), false)
            }
            Event::BoardLinkSet { board, digest } => {
                let digest = match digest {
                    Some(hex) => Some(LinkDigest::from_bytes(
                        unhex32(hex).ok_or_else(|| StateError::Invalid("link digest".into()))?,
                    )),
                    None => None,
                };
                self.set_board_link(self.board_ix(board)?, digest)
            }
            Event::BoardPasswordSet { board, hash } => {
                self.set_board_password_hash(self.board_ix(board)?, hash.clone())
            }
            Event::BoardContentSet {
                board,
                content,
                stamp,
            } => {
                let b = self.board_ix(board)?;
                self.set_board_content(b, *content)?;
                self.stamp_board(b, stamp.as_ref(), false)
            }
            Event::BoardClassified { board, label } => {
                self.set_board_classification(self.board_ix(board)?, label.clone())
            }
            Event::BoardTemplateSet { board, template } => {
                self.set_board_template(self.board_ix(board)?, *template)
            }
            Event::BoardRetainedSet { board, retained } => {
                self.set_board_retained(self.board_ix(board)?, *retained)
            }
            Event::BoardOwnerSet { board, owner } => {
                self.set_board_owner(self.board_ix(board)?, self.user_ix(owner)?)
            }
            Event::BoardMoved { board, team } => {
                self.set_board_team(self.board_ix(board)?, self.team_ix(team)?)
            }
            Event::BoardProjectSet { board, project } => {
                let project = project.as_deref().map(|p| self.project_ix(p)).transpose()?;
                self.set_board_project(self.board_ix(board)?, project)
            }
            Event::BoardTrashed { board, at } => {
                self.set_board_state(self.board_ix(board)?, BoardState::Trashed(*at))
            }
            Event::BoardRestored { board } => {
                self.set_board_state(self.board_ix(board)?, BoardState::Active)
            }
            Event::BoardPurged { board } => {
                self.set_board_state(self.board_ix(board)?, BoardState::Purged)
            }
            Event::CaseCreated {
                org,
                case,
                name,
                description,
                by,
                at,
            } => {
                let created = self.stamp(by.as_deref(), *at)?;
                let text = (name.as_str(), description.as_str());
                self.add_case(case, self.org_ix(org)?, text, created)
                    .map(drop)
            }
            Event::CaseEdited {
                case,
                name,
                description,
                by,
                at,
            } => {
                let modified = self.stamp(by.as_deref(), *at)?;
                let case = self.find_case(case).ok_or_else(|| unknown("case", case))?;
                self.edit_case(case, name, description, modified)
            }
            Event::CaseDeleted { case } => {
                let case = self.find_case(case).ok_or_else(|| unknown("case", case))?;
                self.delete_case(case)
            }
            Event::HoldAdded {
                case,
                hold,
                users,
                name,
                description,
                by,
                at,
            } => {
                let users = users
                    .iter()
                    .map(|u| self.user_ix(u))
                    .collect::<Result<Vec<_>, _>>()?;
                let created = self.stamp(by.as_deref(), *at)?;
                let case = self.find_case(case).ok_or_else(|| unknown("case", case))?;
                self.add_hold(case, hold, (name, description), users, created)
            }
            Event::HoldEdited {
                case,
                hold,
                name,
                description,
                users,
                by,
                at,
            } => {
                let users = users
                    .iter()
                    .map(|u| self.user_ix(u))
                    .collect::<Result<Vec<_>, _>>()?;
                let modified = self.stamp(by.as_deref(), *at)?;
                let case = self.find_case(case).ok_or_else(|| unknown("case", case))?;
                self.edit_hold(case, hold, (name, description), users, modified)
            }
            Event::HoldReleased { case, hold } => {
                let case = self.find_case(case).ok_or_else(|| unknown("case", case))?;
                self.release_hold(case, hold)
            }
            Event::InvitationCreated {
                invitation,
                org,
                email,
                into,
                kind,
                inviter,
                expires_at,
            } => {
                let into = match into {
                    InviteTarget::Org => InviteInto::Org,
                    InviteTarget::Team { team, role } => {
                        InviteInto::Team(self.team_ix(team)?, *role)
                    }
                    InviteTarget::Project { project, role } => {
                        InviteInto::Project(self.project_ix(project)?, *role)
                    }
                    InviteTarget::Board { board, role } => {
                        InviteInto::Board(self.board_ix(board)?, *role)
                    }
                };
                let (org, inviter) = (self.org_ix(org)?, self.user_ix(inviter)?);
                self.add_invitation(invitation, org, email, into, *kind, inviter, *expires_at)
                    .map(drop)
            }
            Event::InvitationStateSet { invitation, state } => {
                let inv = self
                    .find_invitation(invitation)
                    .ok_or_else(|| unknown("invitation", invitation))?;
                self.set_invitation_state(inv, *state)
            }
            Event::AccessRequested {
                request,
                board,
                user,
                role,
            } => self
                .add_access_request(request, self.board_ix(board)?, self.user_ix(user)?, *role)
                .map(drop),
            Event::JoinRequested {
                request,
                team,
                user,
            } => self
                .add_join_request(request, self.team_ix(team)?, self.user_ix(user)?)
                .map(drop),
            Event::LicenceRequested {
                request,
                org,
                user,
                licence,
            } => self
                .add_licence_request(request, self.org_ix(org)?, self.user_ix(user)?, *licence)
                .map(drop),
            Event::AppRequested {
                request,
                org,
                user,
                app,
            } => {
                let app = self.find_app(app).ok_or_else(|| unknown("app", app))?;
                self.add_app_request(request, self.org_ix(org)?, self.user_ix(user)?, app)
                    .map(drop)
            }
            Event::RequestDecided {
                kind,
                request,
                state,
            } => {
                let r = match kind {
                    RequestKind::Access => self.find_access_request(request),
                    RequestKind::Join => self.find_join_request(request),
                    RequestKind::Licence => self.find_licence_request(request),
                    RequestKind::App => self.find_app_request(request),
                };
                self.set_request_state(*kind, r.ok_or_else(|| unknown("request", request))?, *state)
            }
            Event::LicenceSet { org, user, licence } => {
                self.set_licence(self.user_ix(user)?, self.org_ix(org)?, *licence)
            }
            Event::AppAllowlistSet { org, apps } => {
                let apps = match apps {
                    Some(ids) => Some(
                        ids.iter()
                            .map(|a| self.find_app(a).ok_or_else(|| unknown("app", a)))
                            .collect::<Result<Vec<_>, _>>()?,
                    ),
                    None => None,
                };
                self.set_app_allowlist(self.org_ix(org)?, apps)
            }
            Event::DomainSet {
                org,
                domain,
                verified,
            } => self.set_domain(self.org_ix(org)?, domain, *verified),
            Event::BillingGroupCreated { org, group, name } => self
                .add_billing_group(group, self.org_ix(org)?, name)
                .map(drop),
            Event::BillingMemberSet { group, user, on } => {
                let g = self
                    .find_billing_group(group)
                    .ok_or_else(|| unknown("billing group", group))?;
                self.set_billing_member(g, self.user_ix(user)?, *on)
            }
            Event::BillingGroupDeleted { group } => {
                let g = self
                    .find_billing_group(group)
                    .ok_or_else(|| unknown("billing group", group))?;
                self.delete_billing_group(g)
            }
            Event::BillingGroupRenamed { group, name } => {
                let g = self
                    .find_billing_group(group)
                    .ok_or_else(|| unknown("billing group", group))?;
                self.set_billing_group_name(g, name)
            }
            Event::ContentAdded {
                content,
                board,
                kind,
                text,
                author,
            } => self
                .add_content(
                    content,
                    self.board_ix(board)?,
                    *kind,
                    text,
                    self.user_ix(author)?,
                )
                .map(drop),
            Event::ContentSet { content, text } => {
                let c = self
                    .find_content(content)
                    .ok_or_else(|| unknown("content", content))?;
                self.set_content(c, text.clone())
            }
            Event::ContentPlaced {
                content,
                x,
                y,
                parent,
            } => {
                let c = self
                    .find_content(content)
                    .ok_or_else(|| unknown("content", content))?;
                let parent = match parent {
                    Some(p) => Some(self.find_content(p).ok_or_else(|| unknown("content", p))?),
                    None => None,
                };
                self.place_content(c, (x.0, y.0), parent)
            }
            Event::ProjectDetailsSet {
                project,
                name,
                private,
            } => self.set_project_details(self.project_ix(project)?, name.clone(), *private),
            Event::GroupRenamed {
                group,
                name,
                description,
            } => self.set_group_name(self.group_ix(group)?, name.clone(), description.clone()),
            Event::ProjectGroupSet {
                project,
                group,
                role,
            } => self.set_project_group(self.project_ix(project)?, self.group_ix(group)?, *role),
            Event::ProjectGroupRemoved { project, group } => {
                self.remove_project_group(self.project_ix(project)?, self.group_ix(group)?)
            }
            Event::TeamDeleted { team } => self.delete_team(self.team_ix(team)?),
            Event::ProjectDeleted { project } => self.delete_project(self.project_ix(project)?),
            Event::GroupDeleted { group } => self.delete_group(self.group_ix(group)?),
            Event::TrashRetentionSet { org, days } => {
                self.set_trash_retention(self.org_ix(org)?, *days)
            }
            Event::AuditRetentionSet { org, days } => {
                self.set_audit_retention(self.org_ix(org)?, *days)
            }
            Event::TokenIssued {
                token,
                holder,
                digest,
                expires_at,
            } => {
                let digest = LinkDigest::from_bytes(
                    unhex32(digest).ok_or_else(|| StateError::Invalid("token digest".into()))?,
                );
                match holder {
                    TokenHolder::User { user, org } => {
                        let org = org.as_deref().map(|o| self.org_ix(o)).transpose()?;
                        self.issue_personal_token(
                            token,
                            self.user_ix(user)?,
                            digest,
                            *expires_at,
                            org,
                        )
                        .map(drop)
                    }
                    TokenHolder::Service { name, org } => {
                        let org = org.as_deref().map(|o| self.org_ix(o)).transpose()?;
                        self.issue_service_token(token, name, org, digest, ServiceKind::Decision)
                    }
                    TokenHolder::Operator { name } => {
                        self.issue_service_token(token, name, None, digest, ServiceKind::Operator)
                    }
                    TokenHolder::Scim { name, org } => {
                        let org = Some(self.org_ix(org)?);
                        self.issue_service_token(token, name, org, digest, ServiceKind::Scim)
                    }
                    TokenHolder::App {
                        installation,
                        user,
                        scopes,
                    } => {
                        let inst = self.installation_ix(installation)?;
                        let user = self.user_ix(user)?;
                        self.issue_app_token(
                            token,
                            inst,
                            user,
                            scope_set(scopes)?,
                            digest,
                            *expires_at,
                        )
                    }
                }
            }
            Event::TokenRevoked { token } => self.revoke_token_id(token),
            Event::AppRegistered {
                app,
                team,
                name,
                redirect_uris,
                expiring_tokens,
                scopes,
                secret_digest,
            } => {
                let secret = LinkDigest::from_bytes(
                    unhex32(secret_digest)
                        .ok_or_else(|| StateError::Invalid("client secret digest".into()))?,
                );
                let init = crate::state::AppInit {
                    id: app.clone(),
                    team: self.team_ix(team)?,
                    name: name.clone(),
                    enabled: scope_set(scopes)?,
                    redirect_uris: redirect_uris.clone(),
                    expiring_tokens: *expiring_tokens,
                    secret,
                };
                self.register_app(init).map(drop)
            }
            Event::AppScopesSet { app, scopes } => {
                let a = self.find_app(app).ok_or_else(|| unknown("app", app))?;
                self.set_app_scopes(a, scope_set(scopes)?)
            }
            Event::AppDeleted { app } => {
                let a = self.find_app(app).ok_or_else(|| unknown("app", app))?;
                self.delete_app(a)
            }
            Event::AppInstalled {
                installation,
                app,
                team,
                scopes,
            } => {
                let a = self.find_app(app).ok_or_else(|| unknown("app", app))?;
                self.add_installation(installation, a, self.team_ix(team)?, scope_set(scopes)?)
                    .map(drop)
            }
            Event::AppConsented {
                installation,
                scopes,
            } => self.consent(self.installation_ix(installation)?, scope_set(scopes)?),
            Event::AppUninstalled { installation } => {
                self.uninstall(self.installation_ix(installation)?)
            }
            Event::SessionStarted {
                session,
                user,
                at,
                digest,
                org,
            } => {
                let org = org.as_deref().map(|o| self.org_ix(o)).transpose()?;
                let digest = match digest {
                    Some(hex) => {
                        Some(LinkDigest::from_bytes(unhex32(hex).ok_or_else(|| {
                            StateError::Invalid("session digest".into())
                        })?))
                    }
                    None => None,
                };
                let s = self.add_session(session, self.user_ix(user)?, *at, *at)?;
                if let Some(o) = org {
                    self.bind_session(s, o)?;
                }
                match digest {
                    Some(d) => self.set_session_digest(s, d),
                    None => Ok(()),
                }
            }
            Event::SignInLinkIssued {
                link,
                user,
                org,
                digest,
                at,
                expires_at,
            } => {
                let link = crate::model::SignInLink {
                    id: link.as_str().into(),
                    user: self.user_ix(user)?,
                    org: org.as_deref().map(|o| self.org_ix(o)).transpose()?,
                    digest: digest_of(digest)?,
                    issued_at: *at,
                    expires_at: *expires_at,
                    used: false,
                };
                self.issue_sign_in_link(link).map(drop)
            }
            Event::SignInLinkRedeemed { link, .. } => {
                let l = self
                    .find_sign_in_link(link)
                    .ok_or_else(|| unknown("sign-in link", link))?;
                self.use_sign_in_link(l)
            }
            Event::CodeIssued {
                code,
                installation,
                user,
                redirect_uri,
                scopes,
                challenge,
                expires_at,
                digest,
            } => {
                let code = crate::model::AuthCode {
                    id: code.as_str().into(),
                    installation: self.installation_ix(installation)?,
                    user: self.user_ix(user)?,
                    redirect_uri: redirect_uri.clone(),
                    scopes: scope_set(scopes)?,
                    challenge: challenge.clone(),
                    expires_at: *expires_at,
                    digest: digest_of(digest)?,
                    used: false,
                };
                self.issue_code(code).map(drop)
            }
            Event::CodeUsed { code } => {
                let c = self.find_code(code).ok_or_else(|| unknown("code", code))?;
                self.use_code(c)
            }
            Event::RefreshIssued {
                refresh,
                installation,
                user,
                scopes,
                family,
                access,
                digest,
            } => {
                let refresh = crate::model::Refresh {
                    id: refresh.as_str().into(),
                    installation: self.installation_ix(installation)?,
                    user: self.user_ix(user)?,
                    scopes: scope_set(scopes)?,
                    family: family.as_str().into(),
                    access: access.as_str().into(),
                    digest: digest_of(digest)?,
                    used: false,
                    revoked: false,
                };
                self.issue_refresh(refresh).map(drop)
            }
            Event::RefreshUsed { refresh } => {
                let r = self
                    .find_refresh(refresh)
                    .ok_or_else(|| unknown("refresh token", refresh))?;
                self.use_refresh(r)
            }
            Event::FamilyRevoked { family } => self.revoke_family(family),
            Event::SessionSeen { session, at } => {
                let s = self
                    .find_session(session)
                    .ok_or_else(|| unknown("session", session))?;
                self.touch_session(s, *at)
            }
            Event::SessionEnded { session } => {
                let s = self
                    .find_session(session)
                    .ok_or_else(|| unknown("session", session))?;
                self.end_session(s)
            }
        }
    }
}

/// `Event::kind` and `Event::KINDS` from one list, so neither can miss a variant.
macro_rules! kinds {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        impl Event {
            /// Every event's type name.
            pub const KINDS: &'static [&'static str] = &[$($name),+];

            /// The event's type name, as stored.
            pub fn kind(&self) -> &'static str {
                match self { $(Event::$variant { .. } => $name),+ }
            }
        }
    };
}

kinds! {
            OrgCreated => "org_created", OrgClosed => "org_closed", OrgRenamed => "org_renamed", PlanChanged => "plan_changed",
            OrgOwnerSet => "org_owner_set", CompanySettingsChanged => "company_settings_changed",
            UserCreated => "user_created", UserStatusSet => "user_status_set", SessionsReset => "sessions_reset", UserActiveAt => "user_active_at",
            MembershipSet => "membership_set", MembershipActiveSet => "membership_active_set",
            MembershipRemoved => "membership_removed", MemberProfileSet => "member_profile_set", UserEmailSet => "user_email_set", GroupCreated => "group_created",
            GroupMemberAdded => "group_member_added", GroupMemberRemoved => "group_member_removed",
            TeamCreated => "team_created", TeamRenamed => "team_renamed", TeamSettingsChanged => "team_settings_changed",
            TeamMemberSet => "team_member_set", TeamMemberRemoved => "team_member_removed",
            TeamGroupSet => "team_group_set", TeamGroupRemoved => "team_group_removed",
            TeamContentAdminSet => "team_content_admin_set", ProjectCreated => "project_created",
            ProjectMemberSet => "project_member_set", ProjectMemberRemoved => "project_member_removed",
            BoardCreated => "board_created", BoardTextSet => "board_text_set", GrantSet => "grant_set",
            GrantRemoved => "grant_removed", BoardAccessSet => "board_access_set", BoardLinkSet => "board_link_set",
            BoardPasswordSet => "board_password_set", BoardContentSet => "board_content_set",
            BoardClassified => "board_classified", BoardTemplateSet => "board_template_set",
            BoardRetainedSet => "board_retained_set", BoardOwnerSet => "board_owner_set", BoardMoved => "board_moved",
            BoardProjectSet => "board_project_set", BoardTrashed => "board_trashed", BoardRestored => "board_restored",
            BoardPurged => "board_purged", CaseCreated => "case_created", CaseEdited => "case_edited",
            CaseDeleted => "case_deleted", HoldAdded => "hold_added", HoldEdited => "hold_edited",
            HoldReleased => "hold_released", InvitationCreated => "invitation_created",
            InvitationStateSet => "invitation_state_set", AccessRequested => "access_requested",
            JoinRequested => "join_requested", LicenceRequested => "licence_requested", AppRequested => "app_requested",
            RequestDecided => "request_decided", LicenceSet => "licence_set", AppAllowlistSet => "app_allowlist_set",
            DomainSet => "domain_set", BillingGroupCreated => "billing_group_created",
            BillingMemberSet => "billing_member_set", BillingGroupDeleted => "billing_group_deleted",
            ContentAdded => "content_added", ContentSet => "content_set", ContentPlaced => "content_placed", ProjectDetailsSet => "project_details_set",
            GroupRenamed => "group_renamed", TeamDeleted => "team_deleted", ProjectDeleted => "project_deleted",
            GroupDeleted => "group_deleted", TrashRetentionSet => "trash_retention_set",
            AuditRetentionSet => "audit_retention_set",
            TokenIssued => "token_issued", TokenRevoked => "token_revoked",
            BillingGroupRenamed => "billing_group_renamed",
            AppRegistered => "app_registered", AppScopesSet => "app_scopes_set", AppDeleted => "app_deleted",
            AppInstalled => "app_installed", AppConsented => "app_consented", AppUninstalled => "app_uninstalled",
            SessionStarted => "session_started", SessionSeen => "session_seen", SessionEnded => "session_ended",
            SignInLinkIssued => "sign_in_link_issued", SignInLinkRedeemed => "sign_in_link_redeemed",
            CodeIssued => "code_issued", CodeUsed => "code_used", RefreshIssued => "refresh_issued",
            RefreshUsed => "refresh_used", FamilyRevoked => "family_revoked",
            ProjectGroupSet => "project_group_set", ProjectGroupRemoved => "project_group_removed",
}
