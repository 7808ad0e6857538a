//! How records become rows and back, the same for every backend.

use easel_core::command::{AuditChange, AuditOutcome, AuditRecord};
use easel_core::event::Event;
use easel_core::time::Time;

use crate::StoreError;

pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// An audit record's outcome, code and changes as stored.
pub(crate) fn audit_columns(
    audit: &AuditRecord,
) -> Result<(&'static str, Option<&'static str>, String), StoreError> {
    let (outcome, code) = match audit.outcome {
        AuditOutcome::Allowed => ("allowed", None),
        AuditOutcome::Refused { code } => ("refused", Some(code.as_str())),
    };
    Ok((
        outcome,
        code,
        serde_json::to_string(&audit.changes).map_err(corrupt)?,
    ))
}

/// The columns of an audit row, as read.
pub(crate) struct AuditRow {
    pub id: i64,
    pub org: String,
    pub at_ms: i64,
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub code: Option<String>,
    pub changes: String,
}

impl AuditRow {
    pub fn record(self) -> Result<(i64, AuditRecord), StoreError> {
        let id = self.id;
        let outcome = match (self.outcome.as_str(), self.code) {
            ("allowed", _) => AuditOutcome::Allowed,
            (_, Some(code)) => AuditOutcome::Refused {
                code: easel_core::Code::parse(&code)
                    .ok_or_else(|| corrupt(format!("audit {id}: code `{code}`")))?,
            },
            (other, None) => return Err(corrupt(format!("audit {id}: outcome `{other}`"))),
        };
        let changes: Vec<AuditChange> =
            serde_json::from_str(&self.changes).map_err(|e| corrupt(format!("audit {id}: {e}")))?;
        let record = AuditRecord {
            org: self.org,
            at: Time::from_millis(self.at_ms),
            actor: self.actor,
            action: self.action,
            target: self.target,
            outcome,
            changes,
        };
        Ok((id, record))
    }
}

/// The query of one page of an organization's audit log, oldest or newest first, with `?N`
/// placeholders (organization, the id to start after, the time window, the limit), read
/// from `source`: the table, with the index hint a backend needs.
pub(crate) fn audit_page_sql(newest_first: bool, source: &str) -> String {
    let (after, order) = if newest_first {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    format!(
        "SELECT id, org, at_ms, actor, action, target, outcome, code, changes FROM {source}
         WHERE org = ?1 AND id {after} ?2 AND at_ms >= ?3 AND at_ms < ?4
         ORDER BY id {order} LIMIT ?5"
    )
}

/// The changelog's newest revision and a value of the meta table (`?1`), in one row.
pub(crate) const NEWEST_AND_META: &str =
    "SELECT (SELECT coalesce(max(revision), 0) FROM changelog),
     (SELECT value FROM easel_meta WHERE key = ?1)";

/// A command's events as stored.
pub(crate) fn events_column(events: &[Event]) -> Result<String, StoreError> {
    serde_json::to_string(events).map_err(corrupt)
}

/// A command's events read back.
pub(crate) fn events_from(revision: i64, text: &str) -> Result<Vec<Event>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("revision {revision}: {e}")))
}
