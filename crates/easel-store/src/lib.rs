//! Easel's durable storage: every committed command in a changelog, with its audit record
//! and the organization's new version, in one transaction; the state is rebuilt by replaying
//! the changelog. The engine (`easel-core`) knows nothing of this crate.

pub mod bench_data;
pub mod durable;
mod error;
pub mod jsonl;
pub mod postgres;
mod replay;
mod rows;
pub mod sqlite;
pub mod tables;

use std::collections::BTreeMap;

use easel_core::command::AuditRecord;
use easel_core::event::Event;
use easel_core::time::Time;

pub use durable::{Durable, JobResult, LoadReport};
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
    /// `limit`, each with its id.
    fn audit(
        &mut self,
        org: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError>;
    /// Every row of the state tables.
    fn state_tables(&mut self) -> Result<tables::Tables, StoreError>;
    /// Whether the state tables lag the changelog (a database from before they existed).
    fn tables_stale(&mut self) -> Result<bool, StoreError>;
    /// Replaces the state tables with `rows`, the state as of `revision`, and marks them
    /// current. Refused with `Conflict` when the changelog has moved past `revision`.
    fn rebuild_tables(
        &mut self,
        rows: &tables::Tables,
        revision: Revision,
    ) -> Result<(), StoreError>;
}
