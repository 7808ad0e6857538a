//! A readable description of a state (`given`) and of changes to it, in TOML: the language
//! of the scenario files, and a quick way to build states in tests and demos.
//!
//! Everything is named by opaque string ids, as callers see them. Building goes through the
//! state's own mutators, so a fixture can only describe what the state accepts.

use std::collections::BTreeMap;

use serde::Deserialize;

use easel_core::catalog::{Plan, ScopeSet};
use easel_core::ids::{BoardIx, OrgIx, TeamIx, UserIx};
use easel_core::model::{BoardState, Grantee};
use easel_core::roles::{Access, BoardRole};
use easel_core::settings::ContentSettings;
use easel_core::state::{State, StateError};
use easel_core::time::Time;

/// Why a fixture could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The TOML did not parse or did not fit the format.
    #[error("{0}")]
    Parse(String),
    /// A value named nothing known.
    #[error("{0}")]
    Invalid(String),
    /// The state refused a change.
    #[error("{context}: {source}")]
    State {
        /// What was being built.
        context: String,
        /// The refusal.
        source: StateError,
    },
}

type Result<T> = std::result::Result<T, FixtureError>;

pub(crate) fn invalid(message: impl Into<String>) -> FixtureError {
    FixtureError::Invalid(message.into())
}

/// A state, described.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Given {
    /// Organizations.
    pub org: Vec<OrgSpec>,
    /// Users.
    pub user: Vec<UserSpec>,
    /// Memberships.
    pub member: Vec<MemberSpec>,
    /// User groups.
    pub group: Vec<GroupSpec>,
    /// Teams.
    pub team: Vec<TeamSpec>,
    /// Projects.
    pub project: Vec<ProjectSpec>,
    /// Boards.
    pub board: Vec<BoardSpec>,
    /// Apps.
    pub app: Vec<AppSpec>,
    /// Installations.
    pub installation: Vec<InstallationSpec>,
    /// Tokens.
    pub token: Vec<TokenSpec>,
    /// Sessions.
    pub session: Vec<SessionSpec>,
    /// Legal cases.
    pub case: Vec<CaseSpec>,
}

/// An organization.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSpec {
    /// Id.
    pub id: String,
    /// Name (defaults to the id).
    #[serde(default)]
    pub name: Option<String>,
    /// Plan.
    pub plan: String,
    /// The enterprise_guard add-on.
    #[serde(default)]
    pub guard: bool,
    /// The account owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// Company settings (unset keys keep their defaults).
    #[serde(default)]
    pub settings: Option<toml::Table>,
}

/// A user.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// Id.
    pub id: String,
    /// Email (defaults to `<id>@example.test`).
    #[serde(default)]
    pub email: Option<String>,
    /// `active` or `deactivated`.
    #[serde(default)]
    pub status: Option<String>,
    /// Last activity.
    #[serde(default)]
    pub last_active: Option<String>,
    /// When the user's sessions were last reset.
    #[serde(default)]
    pub sessions_reset: Option<String>,
}

/// Memberships of several users in one organization.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    /// The organization.
    pub org: String,
    /// The users.
    pub users: Vec<String>,
    /// `member` (default) or `guest`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Admin roles.
    #[serde(default)]
    pub admin_roles: Vec<String>,
    /// False for users deactivated in the organization.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A user group.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Id.
    pub id: String,
    /// The organization.
    pub org: String,
    /// Members.
    #[serde(default)]
    pub members: Vec<String>,
}

/// A team.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// Id.
    pub id: String,
    /// The organization.
    pub org: String,
    /// User members and their roles (`admin` or `member`).
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    /// Group members and their roles.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
    /// Team content admins.
    #[serde(default)]
    pub content_admins: Vec<String>,
    /// Team settings (unset keys keep their defaults).
    #[serde(default)]
    pub settings: Option<toml::Table>,
}

/// A project.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSpec {
    /// Id.
    pub id: String,
    /// The team.
    pub team: String,
    /// Private projects are not listed to non-members.
    #[serde(default)]
    pub private: bool,
    /// Members and their project roles.
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    /// User groups assigned to the project and the project role they give their members.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
}

/// A board.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardSpec {
    /// Id.
    pub id: String,
    /// The team.
    pub team: String,
    /// The project.
    #[serde(default)]
    pub project: Option<String>,
    /// The owner.
    pub owner: String,
    /// Team access (default `private`).
    #[serde(default)]
    pub team_access: Option<String>,
    /// Company access (default `private`).
    #[serde(default)]
    pub company_access: Option<String>,
    /// Public-link access (default `private`).
    #[serde(default)]
    pub public_access: Option<String>,
    /// The link token.
    #[serde(default)]
    pub link: Option<String>,
    /// The board password (hashed when built).
    #[serde(default)]
    pub password: Option<String>,
    /// Direct grants: user id, or `group:<id>`, to role.
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    /// `active` (default) or `trashed`.
    #[serde(default)]
    pub state: Option<String>,
    /// When it was trashed.
    #[serde(default)]
    pub trashed_at: Option<String>,
    /// Under a retention policy.
    #[serde(default)]
    pub retained: bool,
    /// A template.
    #[serde(default)]
    pub template: bool,
    /// Content settings.
    #[serde(default)]
    pub content: Option<ContentSettings>,
    /// Classification label.
    #[serde(default)]
    pub classification: Option<String>,
}

/// An app.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    /// Id.
    pub id: String,
    /// The developer team.
    pub team: String,
    /// Enabled scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// An installation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallationSpec {
    /// Id.
    pub id: String,
    /// The app.
    pub app: String,
    /// The team it is installed in.
    pub team: String,
    /// Granted scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// False once uninstalled.
    #[serde(default = "yes")]
    pub active: bool,
}

/// A token.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// Id.
    pub id: String,
    /// The user.
    pub user: String,
    /// The installation (none: a personal token).
    #[serde(default)]
    pub installation: Option<String>,
    /// Scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Expiry.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The one organization a personal token acts in (none: every one of its user).
    #[serde(default)]
    pub org: Option<String>,
    /// Revoked.
    #[serde(default)]
    pub revoked: bool,
}

/// A session.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSpec {
    /// Id.
    pub id: String,
    /// The user.
    pub user: String,
    /// Start.
    pub created_at: String,
    /// Last activity (defaults to the start).
    #[serde(default)]
    pub last_active: Option<String>,
    /// Ended.
    #[serde(default)]
    pub ended: bool,
    /// The one organization it acts in (none: every one of its user).
    #[serde(default)]
    pub org: Option<String>,
}

/// A legal case.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSpec {
    /// Id.
    pub id: String,
    /// The organization.
    pub org: String,
    /// Holds.
    #[serde(default)]
    pub holds: Vec<HoldSpec>,
}

/// A legal hold.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldSpec {
    /// Id.
    pub id: String,
    /// Held users.
    pub users: Vec<String>,
    /// Released.
    #[serde(default)]
    pub released: bool,
}

/// A change to a built state, for scenarios that compare before and after.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Merge company settings.
    CompanySettings {
        /// The organization.
        org: String,
        /// The keys to set.
        set: toml::Table,
    },
    /// Merge team settings.
    TeamSettings {
        /// The team.
        team: String,
        /// The keys to set.
        set: toml::Table,
    },
    /// Change the plan.
    Plan {
        /// The organization.
        org: String,
        /// The plan.
        plan: String,
        /// The Guard add-on.
        #[serde(default)]
        guard: bool,
    },
    /// Grant a board role to a user or `group:<id>`.
    Grant {
        /// The board.
        board: String,
        /// The grantee.
        to: String,
        /// The role.
        role: String,
    },
    /// Remove a direct grant.
    Ungrant {
        /// The board.
        board: String,
        /// The grantee.
        from: String,
    },
    /// Set a board's channel access.
    Access {
        /// The board.
        board: String,
        /// Team access.
        #[serde(default)]
        team: Option<String>,
        /// Company access.
        #[serde(default)]
        company: Option<String>,
        /// Public access.
        #[serde(default)]
        public: Option<String>,
    },
    /// Move a board to the trash.
    Trash {
        /// The board.
        board: String,
        /// When.
        at: String,
    },
    /// Restore a board from the trash.
    Restore {
        /// The board.
        board: String,
    },
    /// Deactivate or reactivate a user in an organization.
    MemberActive {
        /// The user.
        user: String,
        /// The organization.
        org: String,
        /// Active or not.
        active: bool,
    },
    /// Remove a user from a team.
    LeaveTeam {
        /// The team.
        team: String,
        /// The user.
        user: String,
    },
    /// Remove a user from a user group.
    LeaveGroup {
        /// The group.
        group: String,
        /// The user.
        user: String,
    },
    /// Take a user group off a project.
    UnassignProjectGroup {
        /// The project.
        project: String,
        /// The group.
        group: String,
    },
}

/// A fixture: a `given` state plus anything else in the file.
pub fn parse_given(text: &str) -> Result<Given> {
    toml::from_str(text).map_err(|e| FixtureError::Parse(e.to_string()))
}

fn state_err(context: impl Into<String>) -> impl FnOnce(StateError) -> FixtureError {
    let context = context.into();
    move |source| FixtureError::State { context, source }
}

pub(crate) fn time(text: &str) -> Result<Time> {
    Time::parse(text).ok_or_else(|| {
        invalid(format!(
            "bad time `{text}` (write `day N` or `day N HH:MM`)"
        ))
    })
}

pub(crate) fn access(text: Option<&str>) -> Result<Access> {
    match text {
        None => Ok(Access::None),
        Some(t) => Access::parse(t).ok_or_else(|| invalid(format!("bad access `{t}`"))),
    }
}

pub(crate) fn role(text: &str) -> Result<BoardRole> {
    BoardRole::parse(text).ok_or_else(|| invalid(format!("bad role `{text}`")))
}

/// Checks scope names (any accepted spelling), naming the first unknown one.
pub(crate) fn scopes(names: &[String]) -> Result<ScopeSet> {
    ScopeSet::parse(names.iter().map(String::as_str))
        .map_err(|bad| invalid(format!("unknown scope `{bad}`")))
}

/// Reads settings from a partial table over the defaults.
pub(crate) fn merge<T: serde::Serialize + serde::de::DeserializeOwned>(
    base: &T,
    patch: &toml::Table,
) -> Result<T> {
    let mut table = toml::Table::try_from(base).map_err(|e| invalid(e.to_string()))?;
    for (k, v) in patch {
        table.insert(k.clone(), v.clone());
    }
    table
        .try_into()
        .map_err(|e: toml::de::Error| invalid(format!("settings: {e}")))
}

fn find<T>(found: Option<T>, kind: &str, id: &str) -> Result<T> {
    found.ok_or_else(|| invalid(format!("no {kind} `{id}`")))
}

fn user(state: &State, id: &str) -> Result<UserIx> {
    find(state.find_user(id), "user", id)
}

fn org(state: &State, id: &str) -> Result<OrgIx> {
    find(state.find_org(id), "organization", id)
}

fn team(state: &State, id: &str) -> Result<TeamIx> {
    find(state.find_team(id), "team", id)
}

fn board(state: &State, id: &str) -> Result<BoardIx> {
    find(state.find_board(id), "board", id)
}

fn grantee(state: &State, who: &str) -> Result<Grantee> {
    match who.strip_prefix("group:") {
        Some(g) => Ok(Grantee::Group(find(state.find_group(g), "group", g)?)),
        None => Ok(Grantee::User(user(state, who)?)),
    }
}

impl Given {
    /// Builds the state.
    pub fn build(&self) -> Result<State> {
        let mut s = State::new();
        for event in self.events()? {
            s.apply(&event).map_err(state_err(event.kind()))?;
        }
        Ok(s)
    }
}

impl Change {
    /// Applies the change to a state.
    pub fn apply(&self, s: &mut State) -> Result<()> {
        let ctx = |what: &str| state_err(format!("change `{what}`"));
        match self {
            Change::CompanySettings { org: o, set } => {
                let ix = org(s, o)?;
                let current = find(s.org(ix), "organization", o)?.settings.clone();
                s.set_company_settings(ix, merge(&current, set)?)
                    .map_err(ctx(o))
            }
            Change::TeamSettings { team: t, set } => {
                let ix = team(s, t)?;
                let current = find(s.team(ix), "team", t)?.settings.clone();
                s.set_team_settings(ix, merge(&current, set)?)
                    .map_err(ctx(t))
            }
            Change::Plan {
                org: o,
                plan,
                guard,
            } => {
                let p = Plan::parse(plan).ok_or_else(|| invalid(format!("bad plan `{plan}`")))?;
                s.set_plan(org(s, o)?, p, *guard).map_err(ctx(o))
            }
            Change::Grant {
                board: b,
                to,
                role: r,
            } => {
                let (bx, g) = (board(s, b)?, grantee(s, to)?);
                s.set_grant(bx, g, role(r)?).map_err(ctx(b))
            }
            Change::Ungrant { board: b, from } => {
                let (bx, g) = (board(s, b)?, grantee(s, from)?);
                s.remove_grant(bx, g).map_err(ctx(b))
            }
            Change::Access {
                board: b,
                team: t,
                company,
                public,
            } => {
                let bx = board(s, b)?;
                let cur = find(s.board(bx), "board", b)?;
                let pick = |given: &Option<String>, now: Access| match given {
                    Some(text) => access(Some(text)),
                    None => Ok(now),
                };
                let (ta, ca, pa) = (
                    pick(t, cur.team_access)?,
                    pick(company, cur.company_access)?,
                    pick(public, cur.public_access)?,
                );
                s.set_board_access(bx, ta, ca, pa).map_err(ctx(b))
            }
            Change::Trash { board: b, at } => {
                let bx = board(s, b)?;
                s.set_board_state(bx, BoardState::Trashed(time(at)?))
                    .map_err(ctx(b))
            }
            Change::Restore { board: b } => {
                let bx = board(s, b)?;
                s.set_board_state(bx, BoardState::Active).map_err(ctx(b))
            }
            Change::MemberActive {
                user: u,
                org: o,
                active,
            } => {
                let (ux, ox) = (user(s, u)?, org(s, o)?);
                s.set_membership_active(ux, ox, *active).map_err(ctx(u))
            }
            Change::LeaveTeam { team: t, user: u } => {
                let (tx, ux) = (team(s, t)?, user(s, u)?);
                s.remove_team_member(tx, ux).map_err(ctx(t))
            }
            Change::LeaveGroup { group: g, user: u } => {
                let gx = s
                    .find_group(g)
                    .ok_or_else(|| invalid(format!("unknown group `{g}`")))?;
                let ux = user(s, u)?;
                s.remove_group_member(gx, ux).map_err(ctx(g))
            }
            Change::UnassignProjectGroup {
                project: p,
                group: g,
            } => {
                let px = s
                    .find_project(p)
                    .ok_or_else(|| invalid(format!("unknown project `{p}`")))?;
                let gx = s
                    .find_group(g)
                    .ok_or_else(|| invalid(format!("unknown group `{g}`")))?;
                s.remove_project_group(px, gx).map_err(ctx(p))
            }
        }
    }
}
