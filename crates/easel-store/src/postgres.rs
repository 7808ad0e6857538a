//! The shared backend: PostgreSQL, for several server nodes on one database.
//!
//! Each node keeps the state in memory and catches up from the changelog. A commit takes a
//! transaction-scoped advisory lock, so revisions become visible in the order they are
//! numbered and no reader can skip one; each organization's version is compared and
//! advanced in the same transaction, so two nodes never both commit against one version.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use easel_core::command::AuditRecord;
use easel_core::time::Time;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement, Transaction};

use crate::db::Db;
use crate::migrate::{Dialect, migrate};
use crate::rows::{
    AuditRow, NEWEST_AND_META, audit_columns, audit_page_sql, corrupt, events_column,
};
use crate::tables::{Kind, Stmt, TableSpec, Tables, Value, dollar_placeholders};
use crate::{AuditPage, Backend, Commit, Entry, Revision, SECRET_BYTES, StoreError, stored_tables};

/// The advisory lock that orders commits.
const COMMIT_LOCK: i64 = 0x6561_7365_6c00;

/// How often, and how patiently, connecting is retried while the server is down.
const CONNECT_ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// The PostgreSQL backend, working in one schema.
pub struct PostgresBackend {
    client: Client,
    /// The state-table statements, prepared once per connection.
    prepared: HashMap<&'static str, Statement>,
}

fn pg(e: postgres::Error) -> StoreError {
    // The driver's own text for a server error is only "db error"; the server's says why.
    match e.as_db_error() {
        Some(db) => StoreError::Unavailable(format!("{}: {}", db.code().code(), db.message())),
        None => StoreError::Unavailable(e.to_string()),
    }
}

fn valid_schema(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl PostgresBackend {
    /// Connects to `url`, retrying with backoff while the server is down (each failed
    /// attempt is reported to `on_retry`), then uses (creating if needed) `schema` and
    /// migrates it.
    pub fn connect(
        url: &str,
        schema: &str,
        mut on_retry: impl FnMut(u32, &str),
    ) -> Result<PostgresBackend, StoreError> {
        if !valid_schema(schema) {
            return Err(StoreError::Unavailable(format!(
                "`{schema}` is not a schema name Easel uses"
            )));
        }
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        let mut client = loop {
            match Client::connect(url, NoTls) {
                Ok(client) => break client,
                Err(e) if attempt < CONNECT_ATTEMPTS => {
                    on_retry(attempt, &e.to_string());
                    std::thread::sleep(backoff);
                    backoff = backoff.saturating_mul(2);
                    attempt += 1;
                }
                Err(e) => return Err(pg(e)),
            }
        };
        // The name was checked above: letters, digits and underscores only.
        client
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema};"
            ))
            .map_err(pg)?;
        let mut backend = PostgresBackend {
            client,
            prepared: HashMap::new(),
        };
        backend.migrate()?;
        Ok(backend)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // One node migrates at a time.
        let lock = format!("SELECT pg_advisory_xact_lock({});", COMMIT_LOCK + 1);
        self.in_tx(&lock, |db| migrate(db, Dialect::Postgres))
    }

    /// Runs `work` in a transaction, committed when it succeeds and rolled back when not.
    /// `begin` is SQL the transaction starts with (its locks and settings), sent in the
    /// same round trip as the `BEGIN`.
    fn in_tx<T>(
        &mut self,
        begin: &str,
        work: impl FnOnce(&mut dyn Db) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let done = self
            .client
            .batch_execute(&format!("BEGIN; {begin}"))
            .map_err(pg)
            .and_then(|()| {
                work(&mut Tx {
                    client: &mut self.client,
                    prepared: &mut self.prepared,
                })
            });
        match done {
            Ok(out) => {
                self.client.batch_execute("COMMIT").map_err(pg)?;
                Ok(out)
            }
            Err(e) => {
                // Nothing of it is kept; a connection too broken to say so is closed anyway.
                let _ = self.client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// The connection inside a transaction that `in_tx` began, for the code both backends
/// share.
struct Tx<'a> {
    client: &'a mut Client,
    prepared: &'a mut HashMap<&'static str, Statement>,
}

impl Tx<'_> {
    /// A statement written with `?1`-style placeholders, prepared once per connection (a
    /// round trip saved on every later use).
    fn statement(&mut self, sql: &'static str) -> Result<Statement, StoreError> {
        if let Some(p) = self.prepared.get(sql) {
            return Ok(p.clone());
        }
        let p = self.client.prepare(&dollar_placeholders(sql)).map_err(pg)?;
        self.prepared.insert(sql, p.clone());
        Ok(p)
    }
}

impl Db for Tx<'_> {
    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        self.client.batch_execute(sql).map_err(pg)
    }

    fn execute(&mut self, sql: &'static str, args: &[Value]) -> Result<(), StoreError> {
        let statement = self.statement(sql)?;
        let args: Vec<&(dyn ToSql + Sync)> = args.iter().map(arg).collect();
        self.client.execute(&statement, &args).map_err(pg)?;
        Ok(())
    }

    fn select(&mut self, table: &TableSpec) -> Result<Vec<Vec<Value>>, StoreError> {
        let rows = self.client.query(&table.select_sql(), &[]).map_err(pg)?;
        rows.iter()
            .map(|row| {
                (table.columns.iter().enumerate())
                    .map(|(i, (_, kind))| read_value(row, i, *kind))
                    .collect()
            })
            .collect()
    }

    fn has_table(&mut self, name: &str) -> Result<bool, StoreError> {
        let n: i64 = self
            .client
            .query_one(
                "SELECT count(*) FROM pg_tables
                 WHERE schemaname = current_schema() AND tablename = $1",
                &[&name],
            )
            .map_err(pg)?
            .get(0);
        Ok(n > 0)
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        let statement = self.statement("SELECT value FROM easel_meta WHERE key = ?1")?;
        let row = self.client.query_opt(&statement, &[&key]).map_err(pg)?;
        Ok(row.map(|r| r.get(0)))
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        let statement = self.statement(
            "INSERT INTO easel_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        self.client
            .execute(&statement, &[&key, &value])
            .map_err(pg)?;
        Ok(())
    }

    fn newest(&mut self) -> Result<Revision, StoreError> {
        let statement = self.statement("SELECT coalesce(max(revision), 0) FROM changelog")?;
        Ok(self.client.query_one(&statement, &[]).map_err(pg)?.get(0))
    }

    fn newest_and_meta(&mut self, key: &str) -> Result<(Revision, Option<String>), StoreError> {
        let statement = self.statement(NEWEST_AND_META)?;
        let row = self.client.query_one(&statement, &[&key]).map_err(pg)?;
        Ok((row.get(0), row.get(1)))
    }

    fn revisions_after(
        &mut self,
        after: Revision,
        limit: usize,
    ) -> Result<Vec<Revision>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let statement = self.statement(
            "SELECT revision FROM changelog WHERE revision > ?1 ORDER BY revision LIMIT ?2",
        )?;
        let rows = self
            .client
            .query(&statement, &[&after, &limit])
            .map_err(pg)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

/// A value as the driver binds it: typed, NULLs included.
fn arg(value: &Value) -> &(dyn ToSql + Sync) {
    match value {
        Value::Text(v) => v,
        Value::Int(v) => v,
        Value::Bool(v) => v,
    }
}

/// One column of a row read back, as its declared kind.
fn read_value(row: &postgres::Row, i: usize, kind: Kind) -> Result<Value, StoreError> {
    Ok(match kind {
        Kind::Text => Value::Text(row.try_get(i).map_err(pg)?),
        Kind::Int => Value::Int(row.try_get(i).map_err(pg)?),
        Kind::Bool => Value::Bool(row.try_get(i).map_err(pg)?),
    })
}

fn insert_audit(
    tx: &mut Transaction,
    revision: Option<Revision>,
    audit: &AuditRecord,
) -> Result<(), StoreError> {
    let (outcome, code, changes) = audit_columns(audit)?;
    tx.execute(
        "INSERT INTO audit (revision, org, at_ms, actor, action, target, outcome, code, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &revision,
            &audit.org,
            &audit.at.millis(),
            &audit.actor,
            &audit.action,
            &audit.target,
            &outcome,
            &code,
            &changes,
        ],
    )
    .map_err(pg)?;
    Ok(())
}

impl Backend for PostgresBackend {
    fn changes_since(&mut self, after: Revision) -> Result<Vec<Entry>, StoreError> {
        let rows = self
            .client
            .query("SELECT revision, org, at_ms, action, events FROM changelog WHERE revision > $1 ORDER BY revision", &[&after])
            .map_err(pg)?;
        rows.iter()
            .map(|r| {
                let revision: i64 = r.get(0);
                Ok(Entry {
                    revision,
                    org: r.get(1),
                    at: Time::from_millis(r.get(2)),
                    action: r.get(3),
                    events_json: r.get(4),
                })
            })
            .collect()
    }

    fn org_versions(&mut self) -> Result<BTreeMap<String, u64>, StoreError> {
        let rows = self
            .client
            .query("SELECT org, version FROM org_versions", &[])
            .map_err(pg)?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.get::<_, String>(0),
                    u64::try_from(r.get::<_, i64>(1)).map_err(corrupt)?,
                ))
            })
            .collect()
    }

    fn commit(&mut self, commit: &Commit) -> Result<Revision, StoreError> {
        let events = events_column(commit.events)?;
        let expected = i64::try_from(commit.expected_version).map_err(corrupt)?;
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&COMMIT_LOCK])
            .map_err(pg)?;
        let moved = if expected == 0 {
            tx.execute("INSERT INTO org_versions (org, version) VALUES ($1, 1) ON CONFLICT (org) DO NOTHING", &[&commit.org])
        } else {
            tx.execute(
                "UPDATE org_versions SET version = $2 + 1 WHERE org = $1 AND version = $2",
                &[&commit.org, &expected],
            )
        }
        .map_err(pg)?;
        if moved != 1 {
            return Err(StoreError::Conflict(commit.org.to_string()));
        }
        let revision: i64 = tx
            .query_one(
                "INSERT INTO changelog (org, at_ms, action, events) VALUES ($1, $2, $3, $4) RETURNING revision",
                &[&commit.org, &commit.at.millis(), &commit.action, &events],
            )
            .map_err(pg)?
            .get(0);
        for audit in commit.audits {
            insert_audit(&mut tx, Some(revision), audit)?;
        }
        tx.commit().map_err(pg)?;
        Ok(revision)
    }

    fn record_refusal(&mut self, audit: &AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        insert_audit(&mut tx, None, audit)?;
        tx.commit().map_err(pg)
    }

    fn remove_audit_before(
        &mut self,
        org: &str,
        before: Time,
        record: &AuditRecord,
    ) -> Result<u64, StoreError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        let removed = tx
            .execute(
                "DELETE FROM audit WHERE org = $1 AND at_ms < $2",
                &[&org, &before.millis()],
            )
            .map_err(pg)?;
        let mut record = record.clone();
        record.changes = vec![easel_core::command::AuditChange {
            field: "audit records removed".into(),
            before: None,
            after: Some(removed.to_string()),
        }];
        insert_audit(&mut tx, None, &record)?;
        tx.commit().map_err(pg)?;
        Ok(removed)
    }

    fn audit_page(
        &mut self,
        org: &str,
        page: &AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let (start, from_ms, before_ms, limit) = page.bounds();
        let sql = dollar_placeholders(&audit_page_sql(page.newest_first, "audit"));
        let rows = self
            .client
            .query(&sql, &[&org, &start, &from_ms, &before_ms, &limit])
            .map_err(pg)?;
        rows.iter()
            .map(|r| {
                AuditRow {
                    id: r.get(0),
                    org: r.get(1),
                    at_ms: r.get(2),
                    actor: r.get(3),
                    action: r.get(4),
                    target: r.get(5),
                    outcome: r.get(6),
                    code: r.get(7),
                    changes: r.get(8),
                }
                .record()
            })
            .collect()
    }

    fn cursor_secret(&mut self) -> Result<[u8; SECRET_BYTES], StoreError> {
        // Written only if absent: when several servers start together on one database, the
        // first insert wins and every one of them reads that same secret back.
        self.client
            .execute(
                "INSERT INTO easel_meta (key, value) VALUES ('cursor_secret', $1)
                 ON CONFLICT (key) DO NOTHING",
                &[&crate::new_secret_hex()?],
            )
            .map_err(pg)?;
        let row = self
            .client
            .query_one(
                "SELECT value FROM easel_meta WHERE key = 'cursor_secret'",
                &[],
            )
            .map_err(pg)?;
        crate::parse_secret(&row.get::<_, String>(0))
    }

    fn state_tables(&mut self) -> Result<Tables, StoreError> {
        self.in_tx("", stored_tables::read)
    }

    fn write_tables(
        &mut self,
        statements: &[Stmt],
        covers: &[Revision],
        at: Revision,
    ) -> Result<(), StoreError> {
        // The next commit's flush of the log covers this transaction too, so it need not
        // wait for its own; lost to a crash before then, it leaves the tables behind their
        // changelog, and they are rebuilt at the next start. Under the commit lock, no
        // commit lands between the check that `at` is the newest revision and the rows
        // written from it.
        let begin = format!(
            "SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock({COMMIT_LOCK});"
        );
        self.in_tx(&begin, |db| {
            stored_tables::write(db, statements, covers, at)
        })
    }

    fn tables_stale(&mut self) -> Result<bool, StoreError> {
        self.in_tx("", stored_tables::stale)
    }

    fn rebuild_tables(&mut self, rows: &Tables, revision: Revision) -> Result<(), StoreError> {
        // No commit may land between the check and the rewrite.
        let lock = format!("SELECT pg_advisory_xact_lock({COMMIT_LOCK});");
        self.in_tx(&lock, |db| stored_tables::rebuild(db, rows, revision))
    }
}
