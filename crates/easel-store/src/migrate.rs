//! The schema migrations, and the one function that applies them on either backend.
//!
//! Migrations are SQL files, numbered and compiled in: the first makes the changelog, the
//! organizations' versions and the audit log in each backend's dialect; the others are one
//! text both backends run. The schema version is how many have been applied.

use crate::db::Db;
use crate::{StoreError, stored_tables};

/// The backends, as far as the migrations differ between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The migrations after the first, in order: the same SQL on both backends.
const SHARED: &[&str] = &[
    include_str!("../migrations/shared/0002_state.sql"),
    include_str!("../migrations/shared/0003_tokens.sql"),
    include_str!("../migrations/shared/0004_apps.sql"),
    include_str!("../migrations/shared/0005_oauth.sql"),
    include_str!("../migrations/shared/0006_session_org.sql"),
    include_str!("../migrations/shared/0007_audit_pages.sql"),
    include_str!("../migrations/shared/0008_session_resets.sql"),
    include_str!("../migrations/shared/0009_project_groups.sql"),
    include_str!("../migrations/shared/0010_case_texts.sql"),
    include_str!("../migrations/shared/0011_member_profiles.sql"),
];

/// What `easel_meta.application` says in an Easel database.
pub(crate) const APPLICATION: &str = "easel";

fn first(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => include_str!("../migrations/sqlite/0001_init.sql"),
        Dialect::Postgres => include_str!("../migrations/postgres/0001_init.sql"),
    }
}

/// Applies, in the transaction `db`, the migrations the database lacks, and records the
/// last one applied. A database from a newer Easel is refused untouched.
pub(crate) fn migrate(db: &mut dyn Db, dialect: Dialect) -> Result<(), StoreError> {
    let current: usize = if db.has_table("easel_meta")? {
        match db.meta("schema_version")? {
            Some(v) => v
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("schema version `{v}`")))?,
            None => 0,
        }
    } else {
        0
    };
    let known = SHARED.len() + 1;
    if current > known {
        return Err(StoreError::TooNew {
            found: i64::try_from(current).unwrap_or(i64::MAX),
            known: i64::try_from(known).unwrap_or(i64::MAX),
        });
    }
    let all = std::iter::once(first(dialect)).chain(SHARED.iter().copied());
    for (i, sql) in all.enumerate().skip(current) {
        db.batch(sql)?;
        db.set_meta("schema_version", &(i + 1).to_string())?;
        if db.meta("application")?.is_none() {
            db.set_meta("application", APPLICATION)?;
        }
    }
    // The state tables exist from the second migration on: a later one applied to a
    // database that had them leaves their rows short of what the state holds (a new
    // table, a new column's default), so they are rebuilt from the changelog now.
    if current >= 2 && current < known {
        stored_tables::mark_stale(db)?;
    }
    stored_tables::adopt(db)
}
