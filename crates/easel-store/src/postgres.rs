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

use crate::rows::{AuditRow, audit_columns, corrupt, events_column};
use crate::tables::{Kind, Stmt, TABLES, Tables, Value, dollar_placeholders};
use crate::{AuditPage, Backend, Commit, Entry, Revision, SECRET_BYTES, StoreError};

/// The migrations, in order.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_init.sql"),
    include_str!("../migrations/shared/0002_state.sql"),
    include_str!("../migrations/shared/0003_tokens.sql"),
    include_str!("../migrations/shared/0004_apps.sql"),
    include_str!("../migrations/shared/0005_oauth.sql"),
    include_str!("../migrations/shared/0006_session_org.sql"),
    include_str!("../migrations/shared/0007_audit_pages.sql"),
    include_str!("../migrations/shared/0008_session_resets.sql"),
];

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
        let mut tx = self.client.transaction().map_err(pg)?;
        // One node migrates at a time.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&(COMMIT_LOCK + 1)])
            .map_err(pg)?;
        let has_meta = tx
            .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'easel_meta'", &[])
            .map_err(pg)?
            .get::<_, i64>(0);
        let current: i64 = if has_meta == 0 {
            0
        } else {
            let row = tx
                .query_opt(
                    "SELECT value FROM easel_meta WHERE key = 'schema_version'",
                    &[],
                )
                .map_err(pg)?;
            row.map_or(Ok(0), |r| r.get::<_, String>(0).parse().map_err(corrupt))?
        };
        let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
        if current > known {
            return Err(StoreError::TooNew {
                found: current,
                known,
            });
        }
        for (i, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(current).unwrap_or(0))
        {
            tx.batch_execute(sql).map_err(pg)?;
            let version = (i + 1).to_string();
            tx.execute(
                "INSERT INTO easel_meta (key, value) VALUES ('schema_version', $1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&version],
            )
            .map_err(pg)?;
            tx.execute(
                "INSERT INTO easel_meta (key, value) VALUES ('application', 'easel') ON CONFLICT (key) DO NOTHING",
                &[],
            )
            .map_err(pg)?;
        }
        tx.commit().map_err(pg)
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

/// Runs state-table statements in the transaction, preparing each SQL text once.
fn run_statements(
    tx: &mut Transaction,
    prepared: &mut HashMap<&'static str, Statement>,
    statements: impl IntoIterator<Item = Stmt>,
) -> Result<(), StoreError> {
    for stmt in statements {
        let prepared = match prepared.get(stmt.sql) {
            Some(p) => p.clone(),
            None => {
                let p = tx.prepare(&dollar_placeholders(stmt.sql)).map_err(pg)?;
                prepared.insert(stmt.sql, p.clone());
                p
            }
        };
        let args: Vec<&(dyn ToSql + Sync)> = stmt.args.iter().map(arg).collect();
        tx.execute(&prepared, &args).map_err(pg)?;
    }
    Ok(())
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
        run_statements(
            &mut tx,
            &mut self.prepared,
            commit.events.iter().flat_map(crate::tables::statements),
        )?;
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

    fn audit(
        &mut self,
        org: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(
                "SELECT id, org, at_ms, actor, action, target, outcome, code, changes FROM audit
                 WHERE org = $1 AND id > $2 ORDER BY id LIMIT $3",
                &[&org, &after, &limit],
            )
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

    fn audit_page(
        &mut self,
        org: &str,
        page: &AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let (start, from_ms, before_ms, limit) = page.bounds();
        let sql = if page.newest_first {
            "SELECT id, org, at_ms, actor, action, target, outcome, code, changes FROM audit
             WHERE org = $1 AND id < $2 AND at_ms >= $3 AND at_ms < $4
             ORDER BY id DESC LIMIT $5"
        } else {
            "SELECT id, org, at_ms, actor, action, target, outcome, code, changes FROM audit
             WHERE org = $1 AND id > $2 AND at_ms >= $3 AND at_ms < $4
             ORDER BY id LIMIT $5"
        };
        let rows = self
            .client
            .query(sql, &[&org, &start, &from_ms, &before_ms, &limit])
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
        let mut out = Tables::new();
        for table in TABLES {
            let rows = self.client.query(&table.select_sql(), &[]).map_err(pg)?;
            let set = out.entry(table.name).or_default();
            for row in &rows {
                let values = table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, kind))| read_value(row, i, *kind))
                    .collect::<Result<Vec<Value>, StoreError>>()?;
                set.insert(values);
            }
        }
        Ok(out)
    }

    fn tables_stale(&mut self) -> Result<bool, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT value FROM easel_meta WHERE key = 'tables_stale'",
                &[],
            )
            .map_err(pg)?;
        Ok(row.is_some())
    }

    fn rebuild_tables(&mut self, rows: &Tables, revision: Revision) -> Result<(), StoreError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        // No commit may land between the check and the rewrite.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&COMMIT_LOCK])
            .map_err(pg)?;
        let newest: i64 = tx
            .query_one("SELECT coalesce(max(revision), 0) FROM changelog", &[])
            .map_err(pg)?
            .get(0);
        if newest != revision {
            return Err(StoreError::Conflict(String::from("state tables")));
        }
        for table in TABLES {
            tx.execute(&format!("DELETE FROM {}", table.name), &[])
                .map_err(pg)?;
            let insert = tx
                .prepare(&dollar_placeholders(&table.insert_sql()))
                .map_err(pg)?;
            for row in rows.get(table.name).into_iter().flatten() {
                let args: Vec<&(dyn ToSql + Sync)> = row.iter().map(arg).collect();
                tx.execute(&insert, &args).map_err(pg)?;
            }
        }
        tx.execute("DELETE FROM easel_meta WHERE key = 'tables_stale'", &[])
            .map_err(pg)?;
        tx.commit().map_err(pg)
    }
}
