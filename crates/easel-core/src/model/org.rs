//! Organizations and memberships in them.

use crate::catalog::{AdminRoleSet, Plan};
use crate::ids::{BoardIx, GroupIx, OrgIx, TeamIx, UserIx};
use crate::roles::MemberKind;
use crate::settings::CompanySettings;

/// How long a new organization keeps trashed boards, in days.
pub const DEFAULT_TRASH_RETENTION_DAYS: u32 = 30;

/// An organization (company): the unit of tenancy.
#[derive(Clone, Debug, PartialEq)]
pub struct Org {
    /// The opaque id.
    pub id: Box<str>,
    /// The display name.
    pub name: String,
    /// The subscription plan.
    pub plan: Plan,
    /// Whether the enterprise_guard add-on is active (it only counts on enterprise).
    pub guard: bool,
    /// The account owner: holds the company admin privileges on plans without admin roles.
    pub owner: Option<UserIx>,
    /// The stored company settings (in force only where the plan has them).
    pub settings: CompanySettings,
    /// Days a trashed board is kept before it may be purged by time.
    pub trash_retention_days: u32,
    /// Days audit events are kept; `None` keeps them for ever.
    pub audit_retention_days: Option<u32>,
    /// Every user with a membership (members and guests), sorted.
    pub members: Vec<UserIx>,
    /// Users holding an organization-level admin role, sorted.
    pub admins: Vec<UserIx>,
    /// Every board not purged, sorted.
    pub boards: Vec<BoardIx>,
    /// Boards whose company access is not none, sorted.
    pub company_boards: Vec<BoardIx>,
    /// Teams, sorted.
    pub teams: Vec<TeamIx>,
    /// User groups, sorted.
    pub groups: Vec<GroupIx>,
    /// Users under an active legal hold, sorted.
    pub held_users: Vec<UserIx>,
    /// Claimed email domains.
    pub domains: Vec<crate::model::Domain>,
    /// When on, only these apps may be installed.
    pub app_allowlist: Option<Vec<crate::ids::AppIx>>,
    /// Users whose sessions the organization reset, and when, sorted by user: a session
    /// acting here that began at or before the instant is ended here, and nowhere else.
    pub session_resets: Vec<(UserIx, crate::time::Time)>,
    /// What the organization's directory says of its members (SCIM), by member.
    pub profiles: std::collections::BTreeMap<UserIx, crate::model::Profile>,
    /// Closed by the operator (`DeleteOrg`): nothing of it is left, and its id is no
    /// longer found (`State::find_org`), though it stays taken.
    pub closed: bool,
}

impl Org {
    /// An organization with no one in it and default settings: what a new organization
    /// starts as, and what stands in where a check needs one before any exists.
    pub(crate) fn standin() -> Org {
        Org {
            id: "".into(),
            name: String::new(),
            plan: Plan::Free,
            guard: false,
            owner: None,
            settings: CompanySettings::default(),
            trash_retention_days: DEFAULT_TRASH_RETENTION_DAYS,
            audit_retention_days: None,
            members: Vec::new(),
            admins: Vec::new(),
            boards: Vec::new(),
            company_boards: Vec::new(),
            teams: Vec::new(),
            groups: Vec::new(),
            held_users: Vec::new(),
            domains: Vec::new(),
            app_allowlist: None,
            session_resets: Vec::new(),
            profiles: std::collections::BTreeMap::new(),
            closed: false,
        }
    }

    /// When the organization last reset `user`'s sessions, if it ever did.
    pub fn sessions_reset_at(&self, user: UserIx) -> Option<crate::time::Time> {
        self.session_resets
            .binary_search_by_key(&user, |(u, _)| *u)
            .ok()
            .map(|i| self.session_resets[i].1)
    }

    /// Whether the Guard add-on counts (it needs the enterprise plan).
    pub fn has_guard(&self) -> bool {
        self.guard && self.plan == Plan::Enterprise
    }
}

/// A licence type of a membership.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Licence {
    /// A full licence.
    #[default]
    Full,
    /// An occasional-use licence.
    Occasional,
    /// A free licence.
    Free,
    /// A restricted free licence.
    FreeRestricted,
}

impl Licence {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Licence::Full => "full",
            Licence::Occasional => "occasional",
            Licence::Free => "free",
            Licence::FreeRestricted => "free_restricted",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(text: &str) -> Option<Licence> {
        match text {
            "full" => Some(Licence::Full),
            "occasional" => Some(Licence::Occasional),
            "free" => Some(Licence::Free),
            "free_restricted" => Some(Licence::FreeRestricted),
            _ => None,
        }
    }
}

/// A user's membership in one organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    /// The organization.
    pub org: OrgIx,
    /// Member or guest.
    pub kind: MemberKind,
    /// Organization-level admin roles (team content admin is held per team, elsewhere).
    pub admin_roles: AdminRoleSet,
    /// False once an admin deactivated the user in this organization.
    pub active: bool,
    /// The licence type.
    pub licence: Licence,
}
