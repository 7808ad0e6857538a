//! Easel's durable storage: every committed command in a changelog, with its audit record
//! and the organization's new version, in one transaction; the state is rebuilt by replaying
//! the changelog, and kept as SQL tables too, written after each commit. The engine
//! (`easel-core`) knows nothing of this crate.

mod db;
pub mod durable;
mod error;
mod group;
pub mod jsonl;
mod migrate;
pub mod postgres;
mod replay;
mod rows;
pub mod sqlite;
mod stored_tables;
pub mod tables;

use std::collections::BTreeMap;

use easel_core::command::AuditRecord;
use easel_core::event::Event;
use easel_core::time::Time;

pub use durable::{Durable, JobResult, LoadReport, Published, Shared, StateView};
pub use error::StoreError;
pub use postgres::PostgresBackend;
pub use sqlite::SqliteBackend;

/// A global, monotonically increasing number: one per committed command.
pub type Revision = i64;

/// One accepted command, as the changelog records it.
#[derive(Clone, Copy, Debug)]
pub struct Commit<'a> {
    /// The organization it changed (empty for identities, which belong to none).
    pub org: &'a str,
    /// The organization's version the command was decided against.
    pub expected_version: u64,
    /// When.
    pub at: Time,
    /// The command's type name.
    pub action: &'a str,
    /// Its events, in order.
    pub events: &'a [Event],
    /// Its audit records: one per command (several when commands are committed together).
    pub audits: &'a [AuditRecord],
}

/// A changelog entry read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Its revision.
    pub revision: Revision,
    /// The organization.
    pub org: String,
    /// When.
    pub at: Time,
    /// The command's type name.
    pub action: String,
    /// Its events, as the changelog stores them (a JSON array): decoded by `events`, or
    /// while the state is rebuilt, on a second thread as the first applies them.
    pub events_json: String,
}

impl Entry {
    /// The entry's events.
    pub fn events(&self) -> Result<Vec<Event>, StoreError> {
        rows::events_from(self.revision, &self.events_json)
    }
}

/// Which audit records a page holds: those of one organization after a cursor, in id
/// order (oldest first) or its reverse, made in a time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditPage {
    /// The id of the last record of the page before, if any.
    pub after: Option<i64>,
    /// Newest first (ids descending) instead of oldest first.
    pub newest_first: bool,
    /// Only records made at or after this time (milliseconds since the epoch).
    pub from_ms: Option<i64>,
    /// Only records made before this time.
    pub before_ms: Option<i64>,
    /// At most this many records.
    pub limit: usize,
}

impl AuditPage {
    /// The bounds as the queries bind them: the id to start after (exclusive, in the
    /// page's direction) and the time window, open ends made the widest values.
    pub(crate) fn bounds(&self) -> (i64, i64, i64, i64) {
        let start = self.after.unwrap_or(if self.newest_first {
            i64::MAX
        } else {
            i64::MIN
        });
        (
            start,
            self.from_ms.unwrap_or(i64::MIN),
            self.before_ms.unwrap_or(i64::MAX),
            i64::try_from(self.limit).unwrap_or(i64::MAX),
        )
    }
}

/// How many bytes the cursor secret holds.
pub const SECRET_BYTES: usize = 32;

/// A new cursor secret from the system's generator, written as hex for the meta table.
pub(crate) fn new_secret_hex() -> Result<String, StoreError> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| {
        StoreError::Unavailable(format!("no randomness for the cursor secret: {e}"))
    })?;
    Ok(easel_core::event::hex(&bytes))
}

/// A command's random bytes from the system's generator: the engine draws none itself.
pub(crate) fn os_entropy() -> Result<easel_core::Entropy, StoreError> {
    let mut bytes = [0u8; easel_core::Entropy::BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Unavailable(format!("no randomness for a command: {e}")))?;
    Ok(easel_core::Entropy::new(bytes))
}

/// The cursor secret read back from the meta table.
pub(crate) fn parse_secret(hex: &str) -> Result<[u8; SECRET_BYTES], StoreError> {
    let mut out = [0u8; SECRET_BYTES];
    let bad = || StoreError::Corrupt("the cursor secret is not 32 bytes of hex".into());
    if hex.len() != SECRET_BYTES * 2 || !hex.is_ascii() {
        return Err(bad());
    }
    for (i, byte) in out.iter_mut().enumerate() {
        let pair = hex.get(i * 2..i * 2 + 2).ok_or_else(bad)?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
    }
    Ok(out)
}

/// What a storage backend does. Every method is one transaction.
pub trait Backend {
    /// Every changelog entry after `after`, oldest first.
    fn changes_since(&mut self, after: Revision) -> Result<Vec<Entry>, StoreError>;
    /// The current version of every organization that has one.
    fn org_versions(&mut self) -> Result<BTreeMap<String, u64>, StoreError>;
    /// Commits a command: its changelog entry, its audit record and the organization's new
    /// version, all or nothing. Refused with `Conflict` when the organization moved past
    /// `expected_version`. Returns the new revision.
    fn commit(&mut self, commit: &Commit) -> Result<Revision, StoreError>;
    /// Commits several changelog entries, in order (group commit: one transaction and one
    /// sync to disk where the backend can). On an error, any of them may or may not have
    /// been written: the caller reloads. The default commits them one at a time.
    fn commit_group(&mut self, commits: &[Commit]) -> Result<Vec<Revision>, StoreError> {
        commits.iter().map(|c| self.commit(c)).collect()
    }
    /// Whether this process is the store's only writer (so commands may be decided one
    /// after another in memory and committed as a group without a race).
    fn exclusive(&self) -> bool {
        false
    }
    /// Records the audit record of a refused command.
    fn record_refusal(&mut self, audit: &AuditRecord) -> Result<(), StoreError>;
    /// Removes an organization's audit records older than `before`, and records the removal
    /// itself as `record`, in one transaction. Returns how many were removed.
    fn remove_audit_before(
        &mut self,
        org: &str,
        before: Time,
        record: &AuditRecord,
    ) -> Result<u64, StoreError>;
    /// An organization's audit records with ids after `after`, oldest first, at most
    /// `limit`, each with its id: a page without a time window.
    fn audit(
        &mut self,
        org: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let page = AuditPage {
            after: Some(after),
            newest_first: false,
            from_ms: None,
            before_ms: None,
            limit,
        };
        self.audit_page(org, &page)
    }
    /// One page of an organization's audit records, read from `page.after` in the page's
    /// order (by id), at most `page.limit`, each with its id. The query itself starts at
    /// the cursor and stops at the limit, so a page reads its own rows only.
    fn audit_page(
        &mut self,
        org: &str,
        page: &AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError>;
    /// The secret that authenticates the cursors this store's servers hand out. Made once,
    /// the first time it is asked for, and kept in the store, so that every server on the
    /// store (and the same server after a restart) accepts the cursors any of them issued.
    fn cursor_secret(&mut self) -> Result<[u8; SECRET_BYTES], StoreError>;
    /// Every row of the state tables.
    fn state_tables(&mut self) -> Result<tables::Tables, StoreError>;
    /// Writes the state tables after commits, in a transaction of its own that need not
    /// sync by itself (the next commit's sync covers it; a crash before then leaves the
    /// tables behind their changelog, which `tables_stale` tells at the next start):
    /// `statements` (`tables::rows_for`) are the rows, from the state at revision `at`, of
    /// what the commits `covers` touched, and those commits are recorded as written.
    /// Refused with `Conflict` when the changelog has moved past `at` (catch up, then write
    /// the same keys again from the newer state).
    fn write_tables(
        &mut self,
        statements: &[tables::Stmt],
        covers: &[Revision],
        at: Revision,
    ) -> Result<(), StoreError>;
    /// Whether the state tables lag the changelog: a database from before they existed, or
    /// one whose newest commits' rows were never written (a crash between the two).
    fn tables_stale(&mut self) -> Result<bool, StoreError>;
    /// Replaces the state tables with `rows`, the state as of `revision`, and marks them
    /// current. Refused with `Conflict` when the changelog has moved past `revision`.
    fn rebuild_tables(
        &mut self,
        rows: &tables::Tables,
        revision: Revision,
    ) -> Result<(), StoreError>;
}
