//! Commands: every change the product allows, decided by the same engine, turned into events
//! and audit records. `execute` is pure (it reads the state and says what would happen);
//! `run` also applies the events, which is the only way the state changes.

mod apps;
mod audit;
mod board;
mod cases;
mod closing;
mod content;
mod directory;
mod dispatch;
mod exec;
mod oauth;
mod org;
mod profile;
mod project;
mod provisioner;
mod requests;
mod signin;
mod team;
mod text;
mod tick;
mod tokens;

pub use audit::{AuditChange, AuditOutcome, AuditRecord};
pub use board::MAX_PASSWORD_CHARS;
pub use directory::users_outside_allowlist;
pub use exec::MAX_TEXT_CHARS;
pub use oauth::{Consent, consent};
pub use signin::{
    SIGN_IN_LINK_TTL_SECS, not_valid as sign_in_link_refusal, redeemable as sign_in_link_redeemable,
};

use serde::{Deserialize, Serialize};

use crate::catalog::{AdminRole, Plan};
use crate::codes::Code;
use crate::entropy::Entropy;
use crate::event::{Event, TokenHolder};
use crate::request::Credential;
use crate::roles::{Access, BoardRole, MemberKind, TeamRole};
use crate::settings::{CompanySettings, ContentSettings, TeamSettings};
use crate::state::State;
use crate::time::Time;
use exec::Exec;

/// What a new board starts with instead of its team's defaults; each absent part is the
/// default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoardSetup {
    /// The description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What the team channel gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_access: Option<Access>,
    /// What the company channel gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_access: Option<Access>,
    /// What the public link gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_access: Option<Access>,
    /// Who may copy content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_access: Option<crate::settings::CopyAccess>,
    /// Who may share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_access: Option<crate::settings::SharingAccess>,
}

impl BoardSetup {
    /// Whether it changes nothing from the defaults.
    pub fn is_empty(&self) -> bool {
        *self == BoardSetup::default()
    }
}

/// Who issues a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor<'a> {
    /// A user, with what they presented.
    User {
        /// The user's id.
        id: &'a str,
        /// The credential presented.
        credential: Credential,
    },
    /// A provisioning credential acting for no user: an operator's token (every
    /// organization) or a SCIM client's (its own organization), by token id. What it may do
    /// is declared in `provisioner.rs`.
    Provisioner {
        /// The token's id.
        token: &'a str,
    },
    /// Easel itself, for time-driven changes.
    System,
}

impl<'a> Actor<'a> {
    /// A user trusted by the caller (no credential to check).
    pub fn user(id: &'a str) -> Actor<'a> {
        Actor::User {
            id,
            credential: Credential::None,
        }
    }
}

/// A change someone asks for. Ids of new entities are chosen by the caller.
#[expect(
    missing_docs,
    reason = "the fields are the ids and values each variant's doc names"
)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    // ---- identities ----
    /// Register a user identity (sign-up through the host product's identity provider);
    /// Easel itself runs it.
    CreateUser {
        user: String,
        email: String,
        #[serde(default)]
        name: String,
    },

    // ---- organization ----
    /// Create an organization; its owner (the acting user, or the user the operator names)
    /// becomes its first member (and company admin where the plan has admin roles).
    CreateOrg {
        org: String,
        name: String,
        plan: Plan,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Close an organization (the operator; never under a legal hold): every board is
    /// purged, its teams, projects and groups deleted, apps uninstalled, its tokens
    /// revoked and sessions ended, every membership removed; its id is then unknown.
    DeleteOrg { org: String },
    /// Name the account owner (the operator): an active member.
    SetOrgOwner { org: String, user: String },
    /// Rename the organization (`company_profile.edit`).
    UpdateOrgProfile { org: String, name: String },
    /// Change the plan (`company_profile.edit`); features switch off, nothing is deleted.
    ChangePlan {
        org: String,
        plan: Plan,
        #[serde(default)]
        guard: bool,
    },
    /// Add a member or guest (`users.add`), creating the user if the email is new.
    AddMember {
        org: String,
        user: String,
        email: String,
        #[serde(default)]
        name: String,
        #[serde(default = "member_kind")]
        kind: MemberKind,
    },
    /// Deactivate a user in the organization (`users.edit`).
    DeactivateUser { org: String, user: String },
    /// Reactivate a user in the organization (`users.edit`).
    ReactivateUser { org: String, user: String },
    /// Remove a user (`users.remove`); their boards go to the successor, or, when none is
    /// named, each to the oldest admin of its team, else to the account owner.
    RemoveUser {
        org: String,
        user: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        successor: Option<String>,
    },
    /// Set what the organization's directory says of a member (`users.edit`): SCIM's
    /// external id, names and enterprise attributes.
    SetMemberProfile {
        org: String,
        user: String,
        profile: crate::model::ProfileFields,
    },
    /// Change a member's sign-in address (`users.edit`), where the identity belongs to no
    /// other organization.
    ChangeEmail {
        org: String,
        user: String,
        email: String,
    },
    /// Assign an admin role (`admin_roles.assign`); `team` for team content admin.
    AssignAdminRole {
        org: String,
        user: String,
        role: AdminRole,
        #[serde(default)]
        team: Option<String>,
    },
    /// Remove an admin role (`admin_roles.remove`); never the last company admin.
    RemoveAdminRole {
        org: String,
        user: String,
        role: AdminRole,
        #[serde(default)]
        team: Option<String>,
    },
    /// Replace the company settings; each changed key needs its edit privilege.
    UpdateCompanySettings {
        org: String,
        settings: CompanySettings,
    },
    /// End every session of a user (`users.edit`, scope `sessions:delete`).
    ResetSessions { org: String, user: String },
    /// Set how many days trashed boards stay restorable (`trash.purge`).
    SetTrashRetention { org: String, days: u32 },
    /// Set how many days audit events are kept, or for ever (`audit_logs.configure`).
    SetAuditRetention { org: String, days: Option<u32> },

    // ---- teams ----
    /// Create a team (`teams.edit`); the creator becomes its admin.
    CreateTeam {
        org: String,
        team: String,
        name: String,
    },
    /// Rename a team.
    RenameTeam { team: String, name: String },
    /// Add a member to a team, or change their role.
    SetTeamMember {
        team: String,
        user: String,
        role: TeamRole,
    },
    /// Remove a member from a team.
    RemoveTeamMember { team: String, user: String },
    /// Replace a team's settings; each changed key needs its edit right.
    UpdateTeamSettings {
        team: String,
        settings: TeamSettings,
    },
    /// Join an open team.
    JoinTeam { team: String },

    // ---- projects ----
    /// Create a project in a team; the creator becomes its owner.
    CreateProject {
        team: String,
        project: String,
        name: String,
        /// Absent: the team's `default_sharing.projects` decides.
        #[serde(default)]
        private: Option<bool>,
    },
    /// Add a member to a project, or change their role.
    SetProjectMember {
        project: String,
        user: String,
        role: BoardRole,
    },
    /// Remove a member from a project.
    RemoveProjectMember { project: String, user: String },
    /// Assign user groups to a project at a role (viewer, commenter or editor), or change
    /// their role there (`project.manage`); their members reach the project's boards. All
    /// or none: one group refused refuses the command.
    SetProjectGroups {
        project: String,
        groups: Vec<String>,
        role: BoardRole,
    },
    /// Take a user group off a project (`project.manage`).
    RemoveProjectGroup { project: String, group: String },

    // ---- boards ----
    /// Create a board in a team (and optionally a project) with the team's defaults, or
    /// with the description, access and content settings `setup` gives (each within what
    /// the plan and settings allow, as changing them later would be).
    CreateBoard {
        team: String,
        board: String,
        name: String,
        #[serde(default)]
        project: Option<String>,
        #[serde(default, skip_serializing_if = "BoardSetup::is_empty")]
        setup: BoardSetup,
    },
    /// Rename and describe a board.
    RenameBoard {
        board: String,
        name: String,
        #[serde(default)]
        description: String,
    },
    /// Share a board with people by email at a role.
    ShareBoard {
        board: String,
        emails: Vec<String>,
        role: BoardRole,
    },
    /// Change a member's role on a board.
    ChangeBoardMember {
        board: String,
        user: String,
        role: BoardRole,
    },
    /// Remove a member from a board.
    RemoveBoardMember { board: String, user: String },
    /// Share a board with a user group of its organization at `viewer`, `commenter` or
    /// `editor`, decided as sharing with a user is.
    ShareBoardWithGroup {
        board: String,
        group: String,
        role: BoardRole,
    },
    /// Take a user group's grant off a board.
    RemoveBoardGroup { board: String, group: String },
    /// Set the team, company and public-link access of a board within the settings' bounds.
    SetBoardSharing {
        board: String,
        team: Access,
        company: Access,
        public: Access,
    },
    /// Replace the public link's token (the old link stops working).
    ResetBoardLink { board: String, token: String },
    /// Set or clear the board password.
    SetBoardPassword {
        board: String,
        password: Option<String>,
    },
    /// Change the board's content settings.
    SetContentSettings {
        board: String,
        content: ContentSettings,
    },
    /// Give the board to a team member who is a direct collaborator.
    TransferOwnership { board: String, new_owner: String },
    /// Move the board to another team.
    MoveBoard { board: String, team: String },
    /// Copy the board into a team, as a new board owned by the actor.
    CopyBoard {
        board: String,
        new_board: String,
        team: String,
        name: String,
    },
    /// Set or clear the classification label.
    SetClassification {
        board: String,
        label: Option<String>,
    },
    /// Give a label to every board of a team the actor may classify (with
    /// `unclassified_only`, only those without a label yet).
    ClassifyTeamBoards {
        team: String,
        label: String,
        unclassified_only: bool,
    },
    /// Move the board to the trash.
    TrashBoard { board: String },
    /// Bring the board back from the trash.
    RestoreBoard { board: String },
    /// Delete a trashed board for good.
    PurgeBoard { board: String },

    /// Delete a team: its boards go to the trash first, nothing is lost.
    DeleteTeam { team: String },
    /// Rename a project and set its privacy.
    UpdateProject {
        project: String,
        name: String,
        private: bool,
    },
    /// Delete a project: its boards stay in the team.
    DeleteProject { project: String },

    // ---- invitations and requests ----
    /// Invite someone by email into the organization, or a team, project or board of it.
    Invite {
        invitation: String,
        org: String,
        email: String,
        #[serde(default)]
        team: Option<String>,
        #[serde(default)]
        project: Option<String>,
        #[serde(default)]
        board: Option<String>,
        #[serde(default)]
        role: Option<String>,
        #[serde(default)]
        guest: bool,
    },
    /// Accept an invitation addressed to the actor's email.
    AcceptInvitation { invitation: String },
    /// Withdraw an invitation (its inviter, or `users.add`).
    RevokeInvitation { invitation: String },
    /// Ask for access to a board.
    RequestAccess {
        request: String,
        board: String,
        role: BoardRole,
    },
    /// Grant a board access request, at the asked role or another.
    ApproveAccessRequest {
        request: String,
        #[serde(default)]
        role: Option<BoardRole>,
    },
    /// Turn a board access request down.
    DenyAccessRequest { request: String },
    /// Ask to join a team.
    RequestToJoinTeam { request: String, team: String },
    /// Let a join request in (team admins).
    ApproveJoinRequest { request: String },
    /// Turn a join request down (team admins).
    DenyJoinRequest { request: String },
    /// Set a member's licence type (`license_requests.manage`).
    SetLicence {
        org: String,
        user: String,
        licence: crate::model::Licence,
    },
    /// Ask for a licence type.
    RequestLicence {
        request: String,
        org: String,
        licence: crate::model::Licence,
    },
    /// Grant a licence request.
    ApproveLicenceRequest { request: String },
    /// Turn a licence request down.
    DenyLicenceRequest { request: String },
    /// Turn the application allowlist on with these apps, or off (`apps.manage_allowlist`).
    SetAppAllowlist {
        org: String,
        apps: Option<Vec<String>>,
    },
    /// Ask for an app to be allowed.
    RequestApp {
        request: String,
        org: String,
        app: String,
    },
    /// Allow a requested app (`apps.manage_requests`).
    ApproveAppRequest { request: String },
    /// Turn an app request down.
    DenyAppRequest { request: String },

    // ---- directory: groups, billing groups, domains ----
    /// Create a user group (`groups.edit`).
    CreateGroup {
        org: String,
        group: String,
        name: String,
        /// What the group is for.
        #[serde(default)]
        description: String,
    },
    /// Rename a user group, and change its description when one is given (`groups.edit`).
    RenameGroup {
        group: String,
        name: String,
        #[serde(default)]
        description: Option<String>,
    },
    /// Delete a user group (`groups.edit`); its grants and team memberships go with it.
    DeleteGroup { group: String },
    /// Add a user to a group (`groups.assign`).
    AddGroupMember { group: String, user: String },
    /// Remove a user from a group (`groups.remove`).
    RemoveGroupMember { group: String, user: String },
    /// Make a group a member of a team (team admins).
    SetTeamGroup {
        team: String,
        group: String,
        role: TeamRole,
    },
    /// Take a group out of a team (team admins).
    RemoveTeamGroup { team: String, group: String },
    /// Create a billing group (`billing_groups.edit`).
    CreateBillingGroup {
        org: String,
        group: String,
        name: String,
    },
    /// Delete a billing group (`billing_groups.edit`).
    DeleteBillingGroup { group: String },
    /// Rename a billing group (`billing_groups.edit`).
    RenameBillingGroup { group: String, name: String },
    /// Add a user to a billing group (`billing_groups.assign`).
    AddBillingMember { group: String, user: String },
    /// Remove a user from a billing group (`billing_groups.remove`).
    RemoveBillingMember { group: String, user: String },
    /// Claim a domain (`managed_domains.edit`).
    AddDomain { org: String, domain: String },
    /// Record that a claimed domain's ownership was verified (`managed_domains.edit`).
    VerifyDomain { org: String, domain: String },
    /// Drop a claimed domain (`managed_domains.edit`).
    RemoveDomain { org: String, domain: String },
    /// Remove every member whose email is outside the allowlist (`users.remove`); their
    /// boards go to the successor.
    RemoveUsersOutsideAllowlist { org: String, successor: String },

    // ---- content ----
    /// Add an item (sticky note, text, shape, frame) or a comment to a board.
    AddContent {
        board: String,
        content: String,
        kind: crate::model::ContentKind,
        text: String,
    },
    /// Change an item's text (editors; a comment: its author).
    UpdateContent { content: String, text: String },
    /// Delete an item (editors) or a comment (its author, or editors).
    DeleteContent { content: String },
    /// Place an item (editors): its centre's position, and the frame of its board it sits
    /// in (`None`: the board itself).
    PlaceContent {
        content: String,
        x: f64,
        y: f64,
        #[serde(default)]
        parent: Option<String>,
    },
    /// Mark a board as a template, or not (its owner within `who_can_create` templates, or
    /// `templates.edit`).
    SetTemplate { board: String, template: bool },

    // ---- compliance ----
    /// Open a legal case.
    CreateCase {
        org: String,
        case: String,
        name: String,
        #[serde(default)]
        description: String,
    },
    /// Replace a case's name and description.
    EditCase {
        case: String,
        name: String,
        description: String,
    },
    /// Delete a case, releasing every hold of it.
    DeleteCase { case: String },
    /// Hold some users' boards under a case.
    AddLegalHold {
        case: String,
        hold: String,
        users: Vec<String>,
        #[serde(default)]
        name: String,
        #[serde(default)]
        description: String,
    },
    /// Replace an active hold's name, description and users.
    EditLegalHold {
        case: String,
        hold: String,
        name: String,
        description: String,
        users: Vec<String>,
    },
    /// Release a hold.
    ReleaseLegalHold { case: String, hold: String },

    // ---- time ----
    /// Apply the time-driven rules to an organization: deactivate idle guests (when
    /// `auto_deactivate_guests` is on), purge boards trashed longer than the retention
    /// unless held or retained, and mark pending invitations past their expiry expired.
    Tick { org: String },

    // ---- tokens ----
    /// Issue a token (by Easel itself, for its operator): a user's personal access token or
    /// a service token for the decision API. The command carries the SHA-256 of the secret
    /// (hex), never the secret.
    IssueToken {
        token: String,
        holder: TokenHolder,
        digest: String,
        #[serde(default)]
        expires_at: Option<Time>,
    },
    /// Revoke a token (by Easel itself).
    RevokeToken { token: String },
    /// Make a SCIM token for the organization's identity provider (`auth_settings.edit`);
    /// the command carries the SHA-256 of the secret (hex), never the secret.
    CreateScimToken {
        org: String,
        token: String,
        name: String,
        digest: String,
    },
    /// Revoke one of the organization's SCIM tokens (`auth_settings.edit`).
    RevokeScimToken { org: String, token: String },

    // ---- apps and sessions ----
    /// Register an OAuth app for a team (a member of the team); the command carries the
    /// SHA-256 of the client secret (hex), never the secret.
    RegisterApp {
        app: String,
        team: String,
        name: String,
        redirect_uris: Vec<String>,
        #[serde(default = "yes")]
        expiring_tokens: bool,
        scopes: Vec<String>,
        secret_digest: String,
    },
    /// Change the scopes an app enables (a member of its team).
    SetAppScopes { app: String, scopes: Vec<String> },
    /// Delete an app: every installation and token is revoked (a member of its team).
    DeleteApp { app: String },
    /// Install an app into a team (the team's admins), with the scopes it enables now.
    InstallApp {
        installation: String,
        app: String,
        team: String,
    },
    /// Consent to the scopes an app enabled after it was installed (a member of the team).
    ConsentApp { installation: String },
    /// Uninstall: the installation's tokens are revoked (the team's admins).
    UninstallApp { installation: String },
    /// Start a session for a user (Easel itself, for the host product's sign-in), with the
    /// SHA-256 of its secret when it will be presented over HTTP.
    StartSession {
        session: String,
        user: String,
        #[serde(default)]
        digest: Option<String>,
        /// The one organization the session acts in, where the user must be an active
        /// member or guest (absent: every organization of the user).
        #[serde(default)]
        org: Option<String>,
    },
    /// Issue a one-time sign-in link for the web console (Easel itself, for a service
    /// or its operator): it starts one session for `user`, bound to `org` when one is
    /// named (where the user must be an active member or guest), within
    /// `SIGN_IN_LINK_TTL_SECS` (15 minutes). The command carries the SHA-256 of the link's
    /// secret (hex), never the secret.
    IssueSignInLink {
        link: String,
        user: String,
        #[serde(default)]
        org: Option<String>,
        digest: String,
    },
    /// Exchange a sign-in link for a new session (Easel itself, once the link's secret was
    /// checked), with the SHA-256 of the session's secret. An unknown, used or expired
    /// link, or one whose user is no longer active there, is refused alike
    /// (`credential.invalid`).
    RedeemSignInLink {
        link: String,
        session: String,
        digest: String,
    },
    /// Record that a session was used (Easel itself).
    TouchSession { session: String },
    /// End a session (its user signing out, or Easel itself).
    EndSession { session: String },

    // ---- OAuth ----
    /// A user authorizes an app for a team: installing it when it is not installed (the
    /// team's admins), consenting to pending scopes, and receiving a code (its SHA-256 here).
    Authorize {
        code: String,
        installation: String,
        app: String,
        team: String,
        redirect_uri: String,
        #[serde(default)]
        scopes: Vec<String>,
        challenge: String,
        digest: String,
    },
    /// Exchange a code for an access token (and a refresh token), by Easel itself once the
    /// client, the redirect URI and the PKCE verifier were checked.
    ExchangeCode {
        code: String,
        access: String,
        access_digest: String,
        #[serde(default)]
        refresh: Option<String>,
        #[serde(default)]
        refresh_digest: Option<String>,
        #[serde(default)]
        expires_at: Option<Time>,
    },
    /// Rotate a refresh token: it dies, a new access and refresh token are issued in its
    /// family (Easel itself).
    RotateRefresh {
        refresh: String,
        access: String,
        access_digest: String,
        new_refresh: String,
        new_refresh_digest: String,
        #[serde(default)]
        expires_at: Option<Time>,
    },
    /// Revoke a token family (Easel itself, on reuse of a dead code or refresh token).
    RevokeFamily { family: String },
}

fn yes() -> bool {
    true
}

fn member_kind() -> MemberKind {
    MemberKind::Member
}

/// Why a command was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The stable code.
    pub code: Code,
    /// What was wrong, for a person.
    pub message: String,
}

/// What executing a command produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Accepted: the events to apply, and the audit record.
    Accepted {
        /// The events, in order.
        events: Vec<Event>,
        /// The audit record.
        audit: AuditRecord,
    },
    /// Refused: nothing changes; the audit record of the refused attempt, when the command
    /// names an organization.
    Refused {
        /// Why.
        refusal: Refusal,
        /// The audit record.
        audit: Option<AuditRecord>,
    },
}

impl Outcome {
    /// The refusal, if refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Outcome::Refused { refusal, .. } => Some(refusal),
            Outcome::Accepted { .. } => None,
        }
    }

    /// The audit record, if any.
    pub fn audit(&self) -> Option<&AuditRecord> {
        match self {
            Outcome::Accepted { audit, .. } => Some(audit),
            Outcome::Refused { audit, .. } => audit.as_ref(),
        }
    }
}

impl Command {
    /// The command's type name, as written in files and audit records (serde's tag).
    pub fn name(&self) -> String {
        match text::fields_of(self).remove("type") {
            Some(text::Value::Text(name)) => name,
            _ => "command".to_string(),
        }
    }
}

/// Decides a command against the state at `now`, without changing anything. Everything it
/// depends on is an argument: the state, who acts, the instant and the random bytes the
/// command may need (a password's salt), so the same arguments give the same outcome.
pub fn execute(
    state: &State,
    actor: Actor,
    command: &Command,
    now: Time,
    entropy: Entropy,
) -> Outcome {
    let mut x = Exec::new(state, actor, command, now, entropy);
    let result = match actor {
        Actor::Provisioner { token } => provisioner::admits(state, token, command)
            .and_then(|()| dispatch::dispatch(&mut x, command)),
        Actor::User { .. } | Actor::System => dispatch::dispatch(&mut x, command),
    };
    x.finish(result)
}

/// Decides a command and, when accepted, applies its events.
pub fn run(
    state: &mut State,
    actor: Actor,
    command: &Command,
    now: Time,
    entropy: Entropy,
) -> Outcome {
    let outcome = execute(state, actor, command, now, entropy);
    if let Outcome::Accepted { events, audit } = &outcome {
        // Events of an accepted command were checked while deciding; applying them on a
        // copy first keeps the state whole even if one is refused (which would be a bug).
        let mut next = state.clone();
        for event in events {
            if let Err(e) = next.apply(event) {
                let refusal = Refusal {
                    code: e.code(),
                    message: e.to_string(),
                };
                let mut audit = audit.clone();
                audit.outcome = AuditOutcome::Refused { code: refusal.code };
                audit.changes.clear();
                return Outcome::Refused {
                    refusal,
                    audit: Some(audit),
                };
            }
        }
        *state = next;
    }
    outcome
}
