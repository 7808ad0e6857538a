//! The state as SQL tables: their columns, the statements each event turns into, and the
//! rows a whole state makes (to fill the tables of an existing database, and to check them).
//!
//! The statements are written once, with SQLite's numbered placeholders (`?1`), in SQL
//! both backends speak; PostgreSQL gets them with `$1`.

mod events;
mod events_board;
mod snapshot;

use std::collections::{BTreeMap, BTreeSet};

pub use events::statements;
pub use snapshot::snapshot;

/// A column value, typed so both drivers bind it as the column's type (NULLs included).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// TEXT.
    Text(Option<String>),
    /// BIGINT.
    Int(Option<i64>),
    /// BOOLEAN.
    Bool(bool),
}

/// A column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// TEXT.
    Text,
    /// BIGINT.
    Int,
    /// BOOLEAN.
    Bool,
}

/// One table: its name and columns, in order.
#[derive(Debug)]
pub struct TableSpec {
    /// The table.
    pub name: &'static str,
    /// Its columns.
    pub columns: &'static [(&'static str, Kind)],
}

impl TableSpec {
    /// `SELECT` of every column.
    pub fn select_sql(&self) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        format!("SELECT {} FROM {}", cols.join(", "), self.name)
    }

    /// `INSERT` of one row, with numbered placeholders.
    pub fn insert_sql(&self) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        let params: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.name,
            cols.join(", "),
            params.join(", ")
        )
    }
}

/// Every table's rows, by table name.
pub type Tables = BTreeMap<&'static str, BTreeSet<Vec<Value>>>;

/// One statement and its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// The SQL, with `?1`-style placeholders.
    pub sql: &'static str,
    /// The arguments, in placeholder order.
    pub args: Vec<Value>,
}

/// SQL with `?N` placeholders rewritten as PostgreSQL's `$N`. The statements hold no
/// string literals containing `?`, so a plain scan is exact.
pub fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

use Kind::{Bool, Int, Text};

/// The state tables, as migrations 0002 to 0005 create them.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "organizations",
        columns: &[
            ("id", Text),
            ("name", Text),
            ("plan", Text),
            ("guard", Bool),
            ("owner_id", Text),
            ("trash_retention_days", Int),
            ("audit_retention_days", Int),
            ("app_allowlist_on", Bool),
        ],
    },
    TableSpec {
        name: "users",
        columns: &[
            ("id", Text),
            ("email", Text),
            ("name", Text),
            ("active", Bool),
            ("last_active_ms", Int),
            ("sessions_reset_ms", Int),
        ],
    },
    TableSpec {
        name: "memberships",
        columns: &[
            ("org_id", Text),
            ("user_id", Text),
            ("kind", Text),
            ("licence", Text),
            ("active", Bool),
        ],
    },
    TableSpec {
        name: "admin_roles",
        columns: &[("org_id", Text), ("user_id", Text), ("role", Text)],
    },
    TableSpec {
        name: "settings",
        columns: &[
            ("org_id", Text),
            ("team_id", Text),
            ("key", Text),
            ("value", Text),
        ],
    },
    TableSpec {
        name: "domains",
        columns: &[("org_id", Text), ("name", Text), ("verified", Bool)],
    },
    TableSpec {
        name: "app_allowlist",
        columns: &[("org_id", Text), ("app_id", Text)],
    },
    TableSpec {
        name: "user_groups",
        columns: &[
            ("id", Text),
            ("org_id", Text),
            ("name", Text),
            ("deleted", Bool),
        ],
    },
    TableSpec {
        name: "group_members",
        columns: &[("group_id", Text), ("user_id", Text)],
    },
    TableSpec {
        name: "teams",
        columns: &[
            ("id", Text),
            ("org_id", Text),
            ("name", Text),
            ("deleted", Bool),
        ],
    },
    TableSpec {
        name: "team_members",
        columns: &[("team_id", Text), ("user_id", Text), ("role", Text)],
    },
    TableSpec {
        name: "team_groups",
        columns: &[("team_id", Text), ("group_id", Text), ("role", Text)],
    },
    TableSpec {
        name: "team_content_admins",
        columns: &[("team_id", Text), ("user_id", Text)],
    },
    TableSpec {
        name: "projects",
        columns: &[
            ("id", Text),
            ("org_id", Text),
            ("team_id", Text),
            ("name", Text),
            ("private", Bool),
            ("deleted", Bool),
        ],
    },
    TableSpec {
        name: "project_members",
        columns: &[("project_id", Text), ("user_id", Text), ("role", Text)],
    },
    TableSpec {
        name: "boards",
        columns: &[
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
    },
    TableSpec {
        name: "grants",
        columns: &[
            ("board_id", Text),
            ("principal_type", Text),
            ("principal_id", Text),
            ("role", Text),
        ],
    },
    TableSpec {
        name: "board_content",
        columns: &[
            ("id", Text),
            ("board_id", Text),
            ("kind", Text),
            ("text", Text),
            ("author_id", Text),
            ("deleted", Bool),
        ],
    },
    TableSpec {
        name: "invitations",
        columns: &[
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
    },
    TableSpec {
        name: "requests",
        columns: &[
            ("kind", Text),
            ("id", Text),
            ("org_id", Text),
            ("user_id", Text),
            ("target_id", Text),
            ("value", Text),
            ("state", Text),
        ],
    },
    TableSpec {
        name: "billing_groups",
        columns: &[
            ("id", Text),
            ("org_id", Text),
            ("name", Text),
            ("deleted", Bool),
        ],
    },
    TableSpec {
        name: "billing_members",
        columns: &[("group_id", Text), ("user_id", Text)],
    },
    TableSpec {
        name: "cases",
        columns: &[("id", Text), ("org_id", Text), ("name", Text)],
    },
    TableSpec {
        name: "legal_holds",
        columns: &[("case_id", Text), ("id", Text), ("released", Bool)],
    },
    TableSpec {
        name: "legal_hold_users",
        columns: &[("case_id", Text), ("hold_id", Text), ("user_id", Text)],
    },
    TableSpec {
        name: "tokens",
        columns: &[
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
    },
    TableSpec {
        name: "token_scopes",
        columns: &[("token_id", Text), ("scope", Text)],
    },
    TableSpec {
        name: "apps",
        columns: &[
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
    },
    TableSpec {
        name: "app_scopes",
        columns: &[("app_id", Text), ("scope", Text)],
    },
    TableSpec {
        name: "installations",
        columns: &[
            ("id", Text),
            ("app_id", Text),
            ("org_id", Text),
            ("team_id", Text),
            ("active", Bool),
            ("scope_version", Int),
        ],
    },
    TableSpec {
        name: "installation_scopes",
        columns: &[("installation_id", Text), ("scope", Text)],
    },
    TableSpec {
        name: "session_resets",
        columns: &[("org_id", Text), ("user_id", Text), ("at_ms", Int)],
    },
    TableSpec {
        name: "sessions",
        columns: &[
            ("id", Text),
            ("user_id", Text),
            ("created_at_ms", Int),
            ("last_active_ms", Int),
            ("ended", Bool),
            ("digest", Text),
            ("org_id", Text),
        ],
    },
    TableSpec {
        name: "oauth_codes",
        columns: &[
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
    },
    TableSpec {
        name: "refresh_tokens",
        columns: &[
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
    },
];

/// A text value.
pub(crate) fn text(s: impl Into<String>) -> Value {
    Value::Text(Some(s.into()))
}

/// A text value or NULL.
pub(crate) fn opt_text(s: Option<impl Into<String>>) -> Value {
    Value::Text(s.map(Into::into))
}

/// An integer or NULL.
pub(crate) fn opt_int(i: Option<i64>) -> Value {
    Value::Int(i)
}

/// A wire name: how serde spells a unit enum value (a role, an access level, a plan).
pub(crate) fn wire<T: serde::Serialize>(value: &T) -> Value {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => text(s),
        Ok(other) => text(other.to_string()),
        Err(e) => text(format!("<{e}>")),
    }
}

/// A scope's canonical name (events may carry an alias).
pub(crate) fn scope_name(name: &str) -> String {
    easel_core::catalog::Scope::from_name(name)
        .map_or_else(|| name.to_string(), |s| s.name().to_string())
}

/// Scopes as stored in a column: canonical names, in catalog order, space-separated.
pub(crate) fn scope_list(names: &[String]) -> String {
    let set: easel_core::catalog::ScopeSet = names
        .iter()
        .filter_map(|n| easel_core::catalog::Scope::from_name(n))
        .collect();
    scope_text(set)
}

/// A scope set as stored in a column.
pub(crate) fn scope_text(set: easel_core::catalog::ScopeSet) -> String {
    set.iter().map(|s| s.name()).collect::<Vec<_>>().join(" ")
}

/// The top-level entries of a settings value, each with its JSON.
pub(crate) fn setting_rows<T: serde::Serialize>(settings: &T) -> Vec<(String, String)> {
    match serde_json::to_value(settings) {
        Ok(serde_json::Value::Object(map)) => {
            map.into_iter().map(|(k, v)| (k, v.to_string())).collect()
        }
        _ => Vec::new(),
    }
}
