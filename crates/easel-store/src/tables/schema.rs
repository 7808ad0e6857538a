//! The state tables: each one's name and columns, as migrations 0002 to 0011 create
//! them.
//! Every row written goes through one of these, so its `INSERT` is made here, once.

use std::sync::OnceLock;

use super::Kind::{self, Bool, Int, Text};

/// One table: its name and columns, in order.
#[derive(Debug)]
pub struct TableSpec {
    /// The table.
    pub name: &'static str,
    /// Its columns.
    pub columns: &'static [(&'static str, Kind)],
    /// Its `INSERT`, made at first use and kept: statements are prepared once per text, and
    /// a text that lives as long as the process can key that cache.
    insert: OnceLock<String>,
}

impl TableSpec {
    const fn new(name: &'static str, columns: &'static [(&'static str, Kind)]) -> TableSpec {
        TableSpec {
            name,
            columns,
            insert: OnceLock::new(),
        }
    }

    fn column_list(&self) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        cols.join(", ")
    }

    /// `SELECT` of every column.
    pub fn select_sql(&self) -> String {
        format!("SELECT {} FROM {}", self.column_list(), self.name)
    }

    /// `INSERT` of one row, with numbered placeholders.
    pub fn insert_sql(&'static self) -> &'static str {
        self.insert.get_or_init(|| {
            let params: Vec<String> = (1..=self.columns.len()).map(|i| format!("?{i}")).collect();
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                self.name,
                self.column_list(),
                params.join(", ")
            )
        })
    }
}

/// Every state table.
pub static TABLES: &[&TableSpec] = &[
    &ORGANIZATIONS,
    &USERS,
    &MEMBERSHIPS,
    &MEMBER_PROFILES,
    &MEMBER_EMAILS,
    &ADMIN_ROLES,
    &SETTINGS,
    &DOMAINS,
    &APP_ALLOWLIST,
    &USER_GROUPS,
    &GROUP_MEMBERS,
    &TEAMS,
    &TEAM_MEMBERS,
    &TEAM_GROUPS,
    &TEAM_CONTENT_ADMINS,
    &PROJECTS,
    &PROJECT_MEMBERS,
    &PROJECT_GROUPS,
    &BOARDS,
    &GRANTS,
    &BOARD_CONTENT,
    &INVITATIONS,
    &REQUESTS,
    &BILLING_GROUPS,
    &BILLING_MEMBERS,
    &CASES,
    &LEGAL_HOLDS,
    &LEGAL_HOLD_USERS,
    &TOKENS,
    &TOKEN_SCOPES,
    &APPS,
    &APP_SCOPES,
    &INSTALLATIONS,
    &INSTALLATION_SCOPES,
    &SESSION_RESETS,
    &SESSIONS,
    &OAUTH_CODES,
    &REFRESH_TOKENS,
];

/// `organizations`.
pub static ORGANIZATIONS: TableSpec = TableSpec::new(
    "organizations",
    &[
        ("id", Text),
        ("name", Text),
        ("plan", Text),
        ("guard", Bool),
        ("owner_id", Text),
        ("trash_retention_days", Int),
        ("audit_retention_days", Int),
        ("app_allowlist_on", Bool),
    ],
);

/// `users`.
pub static USERS: TableSpec = TableSpec::new(
    "users",
    &[
        ("id", Text),
        ("email", Text),
        ("name", Text),
        ("active", Bool),
        ("last_active_ms", Int),
        ("sessions_reset_ms", Int),
    ],
);

/// `memberships`.
pub static MEMBERSHIPS: TableSpec = TableSpec::new(
    "memberships",
    &[
        ("org_id", Text),
        ("user_id", Text),
        ("kind", Text),
        ("licence", Text),
        ("active", Bool),
    ],
);

/// `member_profiles`: what an organization's directory says of a member.
pub static MEMBER_PROFILES: TableSpec = TableSpec::new(
    "member_profiles",
    &[
        ("org_id", Text),
        ("user_id", Text),
        ("external_id", Text),
        ("formatted_name", Text),
        ("given_name", Text),
        ("family_name", Text),
        ("display_name", Text),
        ("preferred_language", Text),
        ("employee_number", Text),
        ("cost_center", Text),
        ("organization", Text),
        ("division", Text),
        ("department", Text),
        ("manager_id", Text),
        ("manager_name", Text),
        ("created_at_ms", Int),
        ("modified_at_ms", Int),
    ],
);

/// `member_emails`: the addresses a member's profile lists, in order.
pub static MEMBER_EMAILS: TableSpec = TableSpec::new(
    "member_emails",
    &[
        ("org_id", Text),
        ("user_id", Text),
        ("position", Int),
        ("value", Text),
        ("kind", Text),
        ("is_primary", Bool),
    ],
);

/// `admin_roles`.
pub static ADMIN_ROLES: TableSpec = TableSpec::new(
    "admin_roles",
    &[("org_id", Text), ("user_id", Text), ("role", Text)],
);

/// `settings`.
pub static SETTINGS: TableSpec = TableSpec::new(
    "settings",
    &[
        ("org_id", Text),
        ("team_id", Text),
        ("key", Text),
        ("value", Text),
    ],
);

/// `domains`.
pub static DOMAINS: TableSpec = TableSpec::new(
    "domains",
    &[("org_id", Text), ("name", Text), ("verified", Bool)],
);

/// `app_allowlist`.
pub static APP_ALLOWLIST: TableSpec =
    TableSpec::new("app_allowlist", &[("org_id", Text), ("app_id", Text)]);

/// `user_groups`.
pub static USER_GROUPS: TableSpec = TableSpec::new(
    "user_groups",
    &[
        ("id", Text),
        ("org_id", Text),
        ("name", Text),
        ("deleted", Bool),
        ("description", Text),
    ],
);

/// `group_members`.
pub static GROUP_MEMBERS: TableSpec =
    TableSpec::new("group_members", &[("group_id", Text), ("user_id", Text)]);

/// `teams`.
pub static TEAMS: TableSpec = TableSpec::new(
    "teams",
    &[
        ("id", Text),
        ("org_id", Text),
        ("name", Text),
        ("deleted", Bool),
    ],
);

/// `team_members`.
pub static TEAM_MEMBERS: TableSpec = TableSpec::new(
    "team_members",
    &[("team_id", Text), ("user_id", Text), ("role", Text)],
);

/// `team_groups`.
pub static TEAM_GROUPS: TableSpec = TableSpec::new(
    "team_groups",
    &[("team_id", Text), ("group_id", Text), ("role", Text)],
);

/// `team_content_admins`.
pub static TEAM_CONTENT_ADMINS: TableSpec = TableSpec::new(
    "team_content_admins",
    &[("team_id", Text), ("user_id", Text)],
);

/// `projects`.
pub static PROJECTS: TableSpec = TableSpec::new(
    "projects",
    &[
        ("id", Text),
        ("org_id", Text),
        ("team_id", Text),
        ("name", Text),
        ("private", Bool),
        ("deleted", Bool),
    ],
);

/// `project_groups` (migration 0009).
pub static PROJECT_GROUPS: TableSpec = TableSpec::new(
    "project_groups",
    &[("project_id", Text), ("group_id", Text), ("role", Text)],
);

/// `project_members`.
pub static PROJECT_MEMBERS: TableSpec = TableSpec::new(
    "project_members",
    &[("project_id", Text), ("user_id", Text), ("role", Text)],
);

/// `boards`.
pub static BOARDS: TableSpec = TableSpec::new(
    "boards",
    &[
        ("id", Text),
        ("org_id", Text),
        ("team_id", Text),
        ("project_id", Text),
        ("owner_id", Text),
        ("name", Text),
        ("description", Text),
        ("state", Text),
        ("trashed_at_ms", Int),
        ("team_access", Text),
        ("company_access", Text),
        ("public_access", Text),
        ("copy_access", Text),
        ("sharing_access", Text),
        ("link_digest", Text),
        ("password_hash", Text),
        ("classification", Text),
        ("template", Bool),
        ("retained", Bool),
    ],
);

/// `grants`.
pub static GRANTS: TableSpec = TableSpec::new(
    "grants",
    &[
        ("board_id", Text),
        ("principal_type", Text),
        ("principal_id", Text),
        ("role", Text),
    ],
);

/// `board_content`.
pub static BOARD_CONTENT: TableSpec = TableSpec::new(
    "board_content",
    &[
        ("id", Text),
        ("board_id", Text),
        ("kind", Text),
        ("text", Text),
        ("author_id", Text),
        ("deleted", Bool),
    ],
);

/// `invitations`.
pub static INVITATIONS: TableSpec = TableSpec::new(
    "invitations",
    &[
        ("id", Text),
        ("org_id", Text),
        ("email", Text),
        ("target_type", Text),
        ("target_id", Text),
        ("role", Text),
        ("member_kind", Text),
        ("inviter_id", Text),
        ("expires_at_ms", Int),
        ("state", Text),
    ],
);

/// `requests`.
pub static REQUESTS: TableSpec = TableSpec::new(
    "requests",
    &[
        ("kind", Text),
        ("id", Text),
        ("org_id", Text),
        ("user_id", Text),
        ("target_id", Text),
        ("value", Text),
        ("state", Text),
    ],
);

/// `billing_groups`.
pub static BILLING_GROUPS: TableSpec = TableSpec::new(
    "billing_groups",
    &[
        ("id", Text),
        ("org_id", Text),
        ("name", Text),
        ("deleted", Bool),
    ],
);

/// `billing_members`.
pub static BILLING_MEMBERS: TableSpec =
    TableSpec::new("billing_members", &[("group_id", Text), ("user_id", Text)]);

/// `cases`.
pub static CASES: TableSpec = TableSpec::new(
    "cases",
    &[
        ("id", Text),
        ("org_id", Text),
        ("name", Text),
        ("description", Text),
    ],
);

/// `legal_holds`.
pub static LEGAL_HOLDS: TableSpec = TableSpec::new(
    "legal_holds",
    &[
        ("case_id", Text),
        ("id", Text),
        ("released", Bool),
        ("name", Text),
        ("description", Text),
    ],
);

/// `legal_hold_users`.
pub static LEGAL_HOLD_USERS: TableSpec = TableSpec::new(
    "legal_hold_users",
    &[("case_id", Text), ("hold_id", Text), ("user_id", Text)],
);

/// `tokens`.
pub static TOKENS: TableSpec = TableSpec::new(
    "tokens",
    &[
        ("id", Text),
        ("holder_type", Text),
        ("user_id", Text),
        ("service_name", Text),
        ("org_id", Text),
        ("digest", Text),
        ("expires_at_ms", Int),
        ("revoked", Bool),
        ("installation_id", Text),
    ],
);

/// `token_scopes`.
pub static TOKEN_SCOPES: TableSpec =
    TableSpec::new("token_scopes", &[("token_id", Text), ("scope", Text)]);

/// `apps`.
pub static APPS: TableSpec = TableSpec::new(
    "apps",
    &[
        ("id", Text),
        ("org_id", Text),
        ("team_id", Text),
        ("name", Text),
        ("redirect_uris", Text),
        ("expiring_tokens", Bool),
        ("secret_digest", Text),
        ("deleted", Bool),
        ("scope_version", Int),
    ],
);

/// `app_scopes`.
pub static APP_SCOPES: TableSpec =
    TableSpec::new("app_scopes", &[("app_id", Text), ("scope", Text)]);

/// `installations`.
pub static INSTALLATIONS: TableSpec = TableSpec::new(
    "installations",
    &[
        ("id", Text),
        ("app_id", Text),
        ("org_id", Text),
        ("team_id", Text),
        ("active", Bool),
        ("scope_version", Int),
    ],
);

/// `installation_scopes`.
pub static INSTALLATION_SCOPES: TableSpec = TableSpec::new(
    "installation_scopes",
    &[("installation_id", Text), ("scope", Text)],
);

/// `session_resets`.
pub static SESSION_RESETS: TableSpec = TableSpec::new(
    "session_resets",
    &[("org_id", Text), ("user_id", Text), ("at_ms", Int)],
);

/// `sessions`.
pub static SESSIONS: TableSpec = TableSpec::new(
    "sessions",
    &[
        ("id", Text),
        ("user_id", Text),
        ("created_at_ms", Int),
        ("last_active_ms", Int),
        ("ended", Bool),
        ("digest", Text),
        ("org_id", Text),
    ],
);

/// `oauth_codes`.
pub static OAUTH_CODES: TableSpec = TableSpec::new(
    "oauth_codes",
    &[
        ("id", Text),
        ("installation_id", Text),
        ("user_id", Text),
        ("redirect_uri", Text),
        ("scopes", Text),
        ("challenge", Text),
        ("expires_at_ms", Int),
        ("digest", Text),
        ("used", Bool),
    ],
);

/// `refresh_tokens`.
pub static REFRESH_TOKENS: TableSpec = TableSpec::new(
    "refresh_tokens",
    &[
        ("id", Text),
        ("installation_id", Text),
        ("user_id", Text),
        ("scopes", Text),
        ("family", Text),
        ("access_token_id", Text),
        ("digest", Text),
        ("used", Bool),
        ("revoked", Bool),
    ],
);
