//! Commands: every change the product allows, decided by the same engine, turned into events
//! and audit records. `execute` is pure (it reads the state and says what would happen);
//! `run` also applies the events, which is the only way the state changes.

mod audit;
mod board;
mod exec;
mod org;
mod project;
mod team;
mod tick;

pub use audit::{AuditChange, AuditOutcome, AuditRecord};

use serde::{Deserialize, Serialize};

use crate::catalog::{AdminRole, Plan};
use crate::codes::Code;
use crate::event::Event;
use crate::request::Credential;
use crate::roles::{Access, BoardRole, MemberKind, TeamRole};
use crate::settings::{CompanySettings, ContentSettings, TeamSettings};
use crate::state::State;
use crate::time::Time;
use exec::Exec;

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
    /// Create an organization; the actor becomes its owner (and company admin on
    /// enterprise).
    CreateOrg {
        org: String,
        name: String,
        plan: Plan,
    },
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
    /// Remove a user (`users.remove`); their boards go to the successor.
    RemoveUser {
        org: String,
        user: String,
        successor: String,
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
        #[serde(default)]
        private: bool,
    },
    /// Add a member to a project, or change their role.
    SetProjectMember {
        project: String,
        user: String,
        role: BoardRole,
    },
    /// Remove a member from a project.
    RemoveProjectMember { project: String, user: String },

    // ---- boards ----
    /// Create a board in a team (and optionally a project) with the team's defaults.
    CreateBoard {
        team: String,
        board: String,
        name: String,
        #[serde(default)]
        project: Option<String>,
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
    /// Move the board to the trash.
    TrashBoard { board: String },
    /// Bring the board back from the trash.
    RestoreBoard { board: String },
    /// Delete a trashed board for good.
    PurgeBoard { board: String },

    // ---- compliance ----
    /// Open a legal case.
    CreateCase {
        org: String,
        case: String,
        name: String,
    },
    /// Hold some users' boards under a case.
    AddLegalHold {
        case: String,
        hold: String,
        users: Vec<String>,
    },
    /// Release a hold.
    ReleaseLegalHold { case: String, hold: String },

    // ---- time ----
    /// Apply the time-driven rules to an organization: deactivate idle guests (when
    /// `auto_deactivate_guests` is on) and purge boards trashed longer than the retention,
    /// unless held.
    Tick { org: String },
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
    /// The command's type name, as written in files and audit records.
    pub fn name(&self) -> String {
        let value = toml::Value::try_from(self).ok();
        value
            .as_ref()
            .and_then(|v| v.get("type"))
            .and_then(toml::Value::as_str)
            .unwrap_or("command")
            .to_string()
    }
}

/// Decides a command against the state at `now`, without changing anything.
pub fn execute(state: &State, actor: Actor, command: &Command, now: Time) -> Outcome {
    let mut x = Exec::new(state, actor, command, now);
    let result = match command {
        Command::CreateUser { .. }
        | Command::CreateOrg { .. }
        | Command::UpdateOrgProfile { .. }
        | Command::ChangePlan { .. }
        | Command::AddMember { .. }
        | Command::DeactivateUser { .. }
        | Command::ReactivateUser { .. }
        | Command::RemoveUser { .. }
        | Command::AssignAdminRole { .. }
        | Command::RemoveAdminRole { .. }
        | Command::UpdateCompanySettings { .. }
        | Command::ResetSessions { .. }
        | Command::CreateCase { .. }
        | Command::AddLegalHold { .. }
        | Command::ReleaseLegalHold { .. } => org::run(&mut x, command),
        Command::CreateTeam { .. }
        | Command::RenameTeam { .. }
        | Command::SetTeamMember { .. }
        | Command::RemoveTeamMember { .. }
        | Command::UpdateTeamSettings { .. }
        | Command::JoinTeam { .. } => team::run(&mut x, command),
        Command::CreateProject { .. }
        | Command::SetProjectMember { .. }
        | Command::RemoveProjectMember { .. } => project::run(&mut x, command),
        Command::Tick { .. } => tick::run(&mut x, command),
        _ => board::run(&mut x, command),
    };
    x.finish(result)
}

/// Decides a command and, when accepted, applies its events.
pub fn run(state: &mut State, actor: Actor, command: &Command, now: Time) -> Outcome {
    let outcome = execute(state, actor, command, now);
    if let Outcome::Accepted { events, audit } = &outcome {
        // Events of an accepted command were checked while deciding; applying them on a
        // copy first keeps the state whole even if one is refused (which would be a bug).
        let mut next = state.clone();
        for event in events {
            if let Err(e) = next.apply(event) {
                let refusal = Refusal {
                    code: Code::RequestInvalidParameter,
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
