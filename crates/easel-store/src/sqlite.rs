//! The embedded backend: one SQLite file, the zero-setup default.
//!
//! The file is opened in exclusive locking mode with a write-ahead log and `synchronous =
//! FULL`, so a commit is on disk when it returns and a second process is refused at once
//! rather than waiting or interleaving. A file that is not an Easel database is refused
//! before anything is written to it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use easel_core::command::AuditRecord;
use easel_core::time::Time;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};

use crate::db::Db;
use crate::migrate::{APPLICATION, Dialect, migrate};
use crate::rows::{
    AuditRow, NEWEST_AND_META, audit_columns, audit_page_sql, corrupt, events_column,
};
use crate::tables::{Kind, Stmt, TableSpec, Tables, Value};
use crate::{AuditPage, Backend, Commit, Entry, Revision, SECRET_BYTES, StoreError, stored_tables};

/// How many prepared statements a connection keeps: every statement the store runs (the
/// commits', and a delete and an insert per state table), so that none is parsed again.
const STATEMENT_CACHE: usize = 256;

/// The SQLite backend.
pub struct SqliteBackend {
    conn: Connection,
}

/// Refuses a file that exists, is not empty, and does not start with SQLite's header: it
/// is not a database, and opening it would be the first step to damaging it.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let mut header = [0u8; 16];
    match file.read(&mut header) {
        Ok(0) => Ok(()),
        Ok(n) if n == 16 && &header == b"SQLite format 3\0" => Ok(()),
        Ok(_) => Err(StoreError::Foreign(format!(
            "`{}` is not an SQLite database",
            path.display()
        ))),
        Err(e) => Err(StoreError::Unavailable(e.to_string())),
    }
}

impl SqliteBackend {
    /// Opens (creating if needed) the database at `path`, takes the exclusive lock, and
    /// migrates the schema.
    pub fn open(path: &Path) -> Result<SqliteBackend, StoreError> {
        check_header(path)?;
        let conn = Connection::open(path)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Fail at once if another process holds the file, instead of waiting.
        conn.busy_timeout(std::time::Duration::ZERO)?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        let mut backend = SqliteBackend { conn };
        backend.refuse_foreign(path)?;
        backend.conn.pragma_update(None, "journal_mode", "WAL")?;
        backend.conn.pragma_update(None, "synchronous", "FULL")?;
        backend.conn.pragma_update(None, "foreign_keys", "ON")?;
        // Take the lock now, with a write, so a second process is refused at open.
        backend.conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")?;
        backend.migrate()?;
        Ok(backend)
    }

    /// An in-memory database, for tests.
    pub fn in_memory() -> Result<SqliteBackend, StoreError> {
        let conn = Connection::open_in_memory()?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mut backend = SqliteBackend { conn };
        backend.migrate()?;
        Ok(backend)
    }

    /// Refuses a database that has tables but is not Easel's. Reads only.
    fn refuse_foreign(&self, path: &Path) -> Result<(), StoreError> {
        let tables: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables == 0 {
            return Ok(());
        }
        let ours: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM easel_meta WHERE key = 'application'",
                [],
                |r| r.get(0),
            )
            .optional()
            .unwrap_or(None);
        if ours.as_deref() == Some(APPLICATION) {
            Ok(())
        } else {
            Err(StoreError::Foreign(format!(
                "`{}` holds another application's tables",
                path.display()
            )))
        }
    }

    /// Applies the migrations this database lacks, in one transaction.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)?;
        migrate(&mut Tx(&tx), Dialect::Sqlite)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets how commits sync, with a statement prepared once (it runs twice a write).
    fn synchronous(&self, pragma: &'static str) -> Result<(), StoreError> {
        self.conn.prepare_cached(pragma)?.execute([])?;
        Ok(())
    }

    /// Runs `work` in a transaction that takes the write lock at once.
    fn in_tx<T>(
        &mut self,
        work: impl FnOnce(&mut dyn Db) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = work(&mut Tx(&tx))?;
        tx.commit()?;
        Ok(out)
    }
}

/// A transaction, for the code both backends share.
struct Tx<'t>(&'t Connection);

impl Db for Tx<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn execute(&mut self, sql: &'static str, args: &[Value]) -> Result<(), StoreError> {
        self.0
            .prepare_cached(sql)?
            .execute(params_from_iter(args.iter()))?;
        Ok(())
    }

    fn select(&mut self, table: &TableSpec) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut stmt = self.0.prepare(&table.select_sql())?;
        let rows = stmt.query_map([], |row| {
            table
                .columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| read_value(row, i, *kind))
                .collect::<rusqlite::Result<Vec<Value>>>()
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn has_table(&mut self, name: &str) -> Result<bool, StoreError> {
        let n: i64 = self
            .0
            .prepare_cached(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            )?
            .query_row(params![name], |r| r.get(0))?;
        Ok(n > 0)
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .0
            .prepare_cached("SELECT value FROM easel_meta WHERE key = ?1")?
            .query_row(params![key], |r| r.get(0))
            .optional()?)
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.0
            .prepare_cached(
                "INSERT INTO easel_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }

    fn newest(&mut self) -> Result<Revision, StoreError> {
        Ok(self
            .0
            .prepare_cached("SELECT coalesce(max(revision), 0) FROM changelog")?
            .query_row([], |r| r.get(0))?)
    }

    fn newest_and_meta(&mut self, key: &str) -> Result<(Revision, Option<String>), StoreError> {
        Ok(self
            .0
            .prepare_cached(NEWEST_AND_META)?
            .query_row(params![key], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    fn revisions_after(
        &mut self,
        after: Revision,
        limit: usize,
    ) -> Result<Vec<Revision>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.0.prepare_cached(
            "SELECT revision FROM changelog WHERE revision > ?1 ORDER BY revision LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after, limit], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Sql;
        Ok(match self {
            Value::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Text(None) | Value::Int(None) => ToSqlOutput::Owned(Sql::Null),
            Value::Int(Some(i)) => ToSqlOutput::Owned(Sql::Integer(*i)),
            Value::Bool(b) => ToSqlOutput::Owned(Sql::Integer(i64::from(*b))),
        })
    }
}

/// One column of a row read back, as its declared kind.
fn read_value(row: &rusqlite::Row, i: usize, kind: Kind) -> rusqlite::Result<Value> {
    Ok(match kind {
        Kind::Text => Value::Text(row.get(i)?),
        Kind::Int => Value::Int(row.get(i)?),
        Kind::Bool => Value::Bool(row.get::<_, i64>(i)? != 0),
    })
}

/// Writes one changelog entry in a transaction: the version check, the entry, the
/// organization's new version and the audit records.
fn write_entry(tx: &rusqlite::Transaction<'_>, commit: &Commit) -> Result<Revision, StoreError> {
    let events = events_column(commit.events)?;
    let expected = i64::try_from(commit.expected_version).map_err(corrupt)?;
    let current: i64 = tx
        .query_row(
            "SELECT version FROM org_versions WHERE org = ?1",
            params![commit.org],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    if current != expected {
        return Err(StoreError::Conflict(commit.org.to_string()));
    }
    tx.execute(
        "INSERT INTO changelog (org, at_ms, action, events) VALUES (?1, ?2, ?3, ?4)",
        params![commit.org, commit.at.millis(), commit.action, events],
    )?;
    let revision = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO org_versions (org, version) VALUES (?1, ?2)
         ON CONFLICT (org) DO UPDATE SET version = excluded.version",
        params![commit.org, expected + 1],
    )?;
    for audit in commit.audits {
        insert_audit(tx, Some(revision), audit)?;
    }
    Ok(revision)
}

fn insert_audit(
    tx: &rusqlite::Transaction,
    revision: Option<Revision>,
    audit: &AuditRecord,
) -> Result<(), StoreError> {
    let (outcome, code, changes) = audit_columns(audit)?;
    tx.execute(
        "INSERT INTO audit (revision, org, at_ms, actor, action, target, outcome, code, changes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            revision,
            audit.org,
            audit.at.millis(),
            audit.actor,
            audit.action,
            audit.target,
            outcome,
            code,
            changes
        ],
    )?;
    Ok(())
}

impl Backend for SqliteBackend {
    fn changes_since(&mut self, after: Revision) -> Result<Vec<Entry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT revision, org, at_ms, action, events FROM changelog WHERE revision > ?1 ORDER BY revision")?;
        let rows = stmt.query_map(params![after], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (revision, org, at, action, events) = row?;
            out.push(Entry {
                revision,
                org,
                at: Time::from_millis(at),
                action,
                events_json: events,
            });
        }
        Ok(out)
    }

    fn org_versions(&mut self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT org, version FROM org_versions")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (org, version) = row?;
            out.insert(org, u64::try_from(version).map_err(corrupt)?);
        }
        Ok(out)
    }

    fn commit(&mut self, commit: &Commit) -> Result<Revision, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let revision = write_entry(&tx, commit)?;
        tx.commit()?;
        Ok(revision)
    }

    fn commit_group(&mut self, commits: &[Commit]) -> Result<Vec<Revision>, StoreError> {
        // One transaction, so one sync to disk, for every command of the group.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let revisions = commits
            .iter()
            .map(|c| write_entry(&tx, c))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(revisions)
    }

    fn exclusive(&self) -> bool {
        // The file is locked for this process alone: no other writer can commit between
        // a decision and its commit.
        true
    }

    fn record_refusal(&mut self, audit: &AuditRecord) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_audit(&tx, None, audit)?;
        tx.commit()?;
        Ok(())
    }

    fn remove_audit_before(
        &mut self,
        org: &str,
        before: Time,
        record: &AuditRecord,
    ) -> Result<u64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let removed = tx.execute(
            "DELETE FROM audit WHERE org = ?1 AND at_ms < ?2",
            params![org, before.millis()],
        )?;
        let mut record = record.clone();
        record.changes = vec![easel_core::command::AuditChange {
            field: "audit records removed".into(),
            before: None,
            after: Some(removed.to_string()),
        }];
        insert_audit(&tx, None, &record)?;
        tx.commit()?;
        Ok(u64::try_from(removed).unwrap_or(u64::MAX))
    }

    fn audit_page(
        &mut self,
        org: &str,
        page: &AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let (start, from_ms, before_ms, limit) = page.bounds();
        // The planner is told the index: left to itself it may pick the one by time for the
        // window and sort every record in it, where walking by id stops at the limit.
        let sql = audit_page_sql(page.newest_first, "audit INDEXED BY audit_by_org_id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![org, start, from_ms, before_ms, limit], |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                org: r.get(1)?,
                at_ms: r.get(2)?,
                actor: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                outcome: r.get(6)?,
                code: r.get(7)?,
                changes: r.get(8)?,
            })
        })?;
        rows.map(|row| row?.record()).collect()
    }

    fn cursor_secret(&mut self) -> Result<[u8; SECRET_BYTES], StoreError> {
        // Written only if absent, so the first secret is the one kept.
        self.conn.execute(
            "INSERT INTO easel_meta (key, value) VALUES ('cursor_secret', ?1)
             ON CONFLICT (key) DO NOTHING",
            params![crate::new_secret_hex()?],
        )?;
        let hex: String = self.conn.query_row(
            "SELECT value FROM easel_meta WHERE key = 'cursor_secret'",
            [],
            |r| r.get(0),
        )?;
        crate::parse_secret(&hex)
    }

    fn state_tables(&mut self) -> Result<Tables, StoreError> {
        self.in_tx(stored_tables::read)
    }

    fn write_tables(
        &mut self,
        statements: &[Stmt],
        covers: &[Revision],
        at: Revision,
    ) -> Result<(), StoreError> {
        // The next commit syncs the log through this transaction too, so it need not sync
        // by itself; lost to a power cut before then, it leaves the tables behind their
        // changelog, and they are rebuilt at the next start.
        self.synchronous("PRAGMA synchronous = NORMAL")?;
        let written = self.in_tx(|db| stored_tables::write(db, statements, covers, at));
        self.synchronous("PRAGMA synchronous = FULL")?;
        written
    }

    fn tables_stale(&mut self) -> Result<bool, StoreError> {
        self.in_tx(stored_tables::stale)
    }

    fn rebuild_tables(&mut self, rows: &Tables, revision: Revision) -> Result<(), StoreError> {
        self.in_tx(|db| stored_tables::rebuild(db, rows, revision))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synchronous(backend: &SqliteBackend) -> i64 {
        backend
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_sync_setting_switches_each_time_and_commits_sync_fully_after_a_tables_write() {
        let mut backend = SqliteBackend::in_memory().unwrap();
        // A prepared pragma applies again each time it runs.
        for _ in 0..2 {
            backend.synchronous("PRAGMA synchronous = NORMAL").unwrap();
            assert_eq!(synchronous(&backend), 1);
            backend.synchronous("PRAGMA synchronous = FULL").unwrap();
            assert_eq!(synchronous(&backend), 2);
        }
        backend.synchronous("PRAGMA synchronous = NORMAL").unwrap();
        backend.write_tables(&[], &[], 0).unwrap();
        assert_eq!(synchronous(&backend), 2, "FULL again for the next commit");
    }
}
