//! Which audit records the audit page and its exports hold: the filters a person sets
//! (actor, action, target, outcome, a time window, the order), the sealed cursor where a
//! read goes on, and the read itself, from the store a chunk at a time with a bound on how
//! many records one request looks at, so that a narrow filter over a long log costs a
//! bounded amount and says where to go on.
//!
//! The store narrows by time; actor, action, target and outcome are matched here, record
//! by record, as the content log does (the store keeps no index on them).

use easel_core::State as EngineState;
use easel_core::command::{AuditOutcome, AuditRecord};
use easel_core::time::Time;
use easel_store::AuditPage;

use super::{Failure, OrgRef, Viewer, field};
use crate::AppState;
use crate::cursor::Scope;
use crate::error::ApiError;

/// How many records one read of the store brings back at most.
const CHUNK: usize = 1_000;

/// The longest text a filter field takes.
const MAX_FIELD_CHARS: usize = 512;

/// Which outcomes a filter keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutcomeFilter {
    /// Both.
    Any,
    /// Allowed commands only.
    Allowed,
    /// Refused attempts only.
    Refused,
}

impl OutcomeFilter {
    /// The query's spelling.
    pub(super) const fn as_str(self) -> &'static str {
        match self {
            OutcomeFilter::Any => "",
            OutcomeFilter::Allowed => "allowed",
            OutcomeFilter::Refused => "refused",
        }
    }
}

/// The filters of the audit page and its exports, as the query gives them.
#[derive(Clone, Debug)]
pub(super) struct AuditFilter {
    /// Who acted: a user id or an email ("" for anyone).
    pub(super) actor: String,
    /// The command, for example `create_board` ("" for any).
    pub(super) action: String,
    /// What it acted on: `kind:id`, or an id alone ("" for anything).
    pub(super) target: String,
    /// Allowed, refused, or both.
    pub(super) outcome: OutcomeFilter,
    /// Only records at or after this instant.
    pub(super) from: Option<Time>,
    /// Only records before this instant.
    pub(super) to: Option<Time>,
    /// Newest first (the default) or oldest first.
    pub(super) newest_first: bool,
    /// Where the read goes on from, as a page's link gave it.
    pub(super) cursor: Option<String>,
}

/// A time as the form's date-time field sends it (`2026-12-07T10:15`, taken as UTC), a bare
/// date (midnight UTC), or an instant with its offset as the API takes one. (A civil date
/// and time is read as one before anything else: read as a date, its time would be lost.)
fn time(name: &str, text: &str) -> Result<Option<Time>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let instant = text.parse::<jiff::Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    });
    instant
        .map(|ts| Some(Time::from_millis(ts.as_millisecond())))
        .ok_or_else(|| {
            format!("“{name}” must be a date and time such as 2026-12-07T10:15 (UTC), not “{text}”")
        })
}

/// A time as the form's date-time field shows it, in UTC.
pub(super) fn form_time(t: Option<Time>) -> String {
    t.and_then(|t| jiff::Timestamp::from_millisecond(t.millis()).ok())
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

impl AuditFilter {
    /// The filters of a query; what cannot be read is said in words, for the page to show.
    pub(super) fn parse(fields: &[(String, String)]) -> Result<AuditFilter, String> {
        let text = |name: &str| -> Result<String, String> {
            let v = field(fields, name);
            if v.chars().count() > MAX_FIELD_CHARS {
                return Err(format!("“{name}” is at most {MAX_FIELD_CHARS} characters"));
            }
            Ok(v.to_string())
        };
        let outcome = match field(fields, "outcome") {
            "" | "any" => OutcomeFilter::Any,
            "allowed" => OutcomeFilter::Allowed,
            "refused" => OutcomeFilter::Refused,
            other => return Err(format!("“outcome” is allowed or refused, not “{other}”")),
        };
        let newest_first = match field(fields, "order") {
            "" | "newest" => true,
            "oldest" => false,
            other => return Err(format!("“order” is newest or oldest, not “{other}”")),
        };
        let from = time("from", field(fields, "from"))?;
        let to = time("to", field(fields, "to"))?;
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err("“from” must come before “to”".into());
        }
        let cursor = Some(field(fields, "cursor").to_string()).filter(|c| !c.is_empty());
        Ok(AuditFilter {
            actor: text("actor")?,
            action: text("action")?,
            target: text("target")?,
            outcome,
            from,
            to,
            newest_first,
            cursor,
        })
    }

    /// The filters as a query (no cursor): the same records on another page or an export.
    pub(super) fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        for (name, value) in [
            ("actor", self.actor.clone()),
            ("action", self.action.clone()),
            ("target", self.target.clone()),
            ("outcome", self.outcome.as_str().to_string()),
            ("from", form_time(self.from)),
            ("to", form_time(self.to)),
        ] {
            if !value.is_empty() {
                q.push((name, value));
            }
        }
        if !self.newest_first {
            q.push(("order", "oldest".to_string()));
        }
        q
    }

    /// `query` with a cursor, written out for an address.
    pub(super) fn query_string(&self, cursor: Option<&str>) -> String {
        let mut q = self.query();
        if let Some(c) = cursor {
            q.push(("cursor", c.to_string()));
        }
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }

    /// The list a cursor belongs to: this organization's log under these filters, as this
    /// viewer reads it; a cursor of other filters or another viewer is refused.
    fn scope(&self, org: &OrgRef, viewer: &Viewer) -> Scope {
        let millis = |t: Option<Time>| t.map(|t| t.millis().to_string()).unwrap_or_default();
        Scope::new(&format!("console audit {}", org.id), &viewer.caller)
            .with(&self.actor)
            .with(&self.action)
            .with(&self.target)
            .with(self.outcome.as_str())
            .with(&millis(self.from))
            .with(&millis(self.to))
            .with(if self.newest_first {
                "newest"
            } else {
                "oldest"
            })
    }

    /// The id of the record the read starts after, from the cursor.
    pub(super) fn after(
        &self,
        app: &AppState,
        org: &OrgRef,
        viewer: &Viewer,
    ) -> Result<Option<i64>, Failure> {
        let position = app
            .engine
            .cursors()
            .open(&self.scope(org, viewer), self.cursor.as_deref())?;
        position
            .map(|p| {
                p.strip_prefix('a')
                    .and_then(|n| n.parse::<i64>().ok())
                    .ok_or_else(|| Failure::malformed("the cursor is not one of this list"))
            })
            .transpose()
    }

    /// The cursor that goes on after record `id`.
    pub(super) fn seal(&self, app: &AppState, org: &OrgRef, viewer: &Viewer, id: i64) -> String {
        app.engine
            .cursors()
            .seal(&self.scope(org, viewer), &format!("a{id}"))
    }

    /// The filters resolved against the state: an email names its user.
    pub(super) fn matcher(&self, state: &EngineState) -> Matcher {
        let actor = if self.actor.contains('@') {
            // An email no one has matches no record.
            Some(
                state
                    .find_email(&self.actor)
                    .and_then(|u| state.user(u))
                    .map(|u| u.id.to_string())
                    .unwrap_or_default(),
            )
        } else {
            Some(self.actor.clone()).filter(|a| !a.is_empty())
        };
        Matcher {
            actor,
            action: Some(self.action.clone()).filter(|a| !a.is_empty()),
            target: Some(self.target.clone()).filter(|t| !t.is_empty()),
            outcome: self.outcome,
            from_ms: self.from.map(Time::millis),
            before_ms: self.to.map(Time::millis),
            newest_first: self.newest_first,
        }
    }
}

/// The filters as they are matched.
#[derive(Clone, Debug)]
pub(super) struct Matcher {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    outcome: OutcomeFilter,
    from_ms: Option<i64>,
    before_ms: Option<i64>,
    newest_first: bool,
}

impl Matcher {
    /// Whether any filter is matched here rather than by the store.
    fn narrows(&self) -> bool {
        self.actor.is_some()
            || self.action.is_some()
            || self.target.is_some()
            || self.outcome != OutcomeFilter::Any
    }

    fn matches(&self, r: &AuditRecord) -> bool {
        let outcome = match (self.outcome, r.outcome) {
            (OutcomeFilter::Any, _)
            | (OutcomeFilter::Allowed, AuditOutcome::Allowed)
            | (OutcomeFilter::Refused, AuditOutcome::Refused { .. }) => true,
            (OutcomeFilter::Allowed | OutcomeFilter::Refused, _) => false,
        };
        outcome
            && self
                .actor
                .as_deref()
                .is_none_or(|a| r.actor.as_deref() == Some(a))
            && self
                .action
                .as_deref()
                .is_none_or(|a| r.action.eq_ignore_ascii_case(a))
            && self.target.as_deref().is_none_or(|t| {
                r.target == t || r.target.split_once(':').is_some_and(|(_, id)| id == t)
            })
    }
}

/// What a read found.
#[derive(Debug)]
pub(super) struct Found {
    /// The matching records, in the order asked.
    pub(super) records: Vec<(i64, AuditRecord)>,
    /// The record after which the next read goes on, when there may be more.
    pub(super) next: Option<i64>,
    /// Whether the read stopped at its bound before it had all it wanted: more records
    /// may match further on.
    pub(super) stopped: bool,
}

/// Reads up to `want` matching records of organization `org` after record `after`,
/// looking at no more than `budget` records (when filters narrow beyond time; otherwise
/// the store returns exactly the records asked for, one more to know whether more follow).
pub(super) async fn read(
    app: &AppState,
    org: &str,
    m: &Matcher,
    after: Option<i64>,
    want: usize,
    budget: usize,
) -> Result<Found, ApiError> {
    let narrows = m.narrows();
    let mut records: Vec<(i64, AuditRecord)> = Vec::new();
    let mut from = after;
    let mut looked = 0usize;
    loop {
        // Without narrowing filters every record read is kept: ask for what is missing,
        // and one more.
        let chunk = if narrows {
            CHUNK.min(budget.saturating_sub(looked)).max(1)
        } else {
            want + 1 - records.len()
        };
        let read = app
            .engine
            .audit_page(
                org.to_string(),
                AuditPage {
                    after: from,
                    newest_first: m.newest_first,
                    from_ms: m.from_ms,
                    before_ms: m.before_ms,
                    limit: chunk,
                },
            )
            .await?;
        let dry = read.len() < chunk;
        looked += read.len();
        for (id, r) in read {
            from = Some(id);
            if m.matches(&r) {
                records.push((id, r));
                if records.len() > want {
                    // One more than wanted: it starts the next read.
                    records.pop();
                    let next = records.last().map(|(id, _)| *id);
                    return Ok(Found {
                        records,
                        next,
                        stopped: false,
                    });
                }
            }
        }
        if dry {
            return Ok(Found {
                records,
                next: None,
                stopped: false,
            });
        }
        if narrows && looked >= budget {
            return Ok(Found {
                records,
                next: from,
                stopped: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<AuditFilter, String> {
        let fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        AuditFilter::parse(&fields)
    }

    #[test]
    fn a_filter_reads_what_the_form_sends_and_writes_it_back() {
        let f = parse("actor=usr_cy&action=create_board&outcome=refused&from=2026-12-07T10:15&to=2026-12-08&order=oldest")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.outcome, OutcomeFilter::Refused);
        assert!(!f.newest_first);
        assert_eq!(form_time(f.from), "2026-12-07T10:15:00");
        assert_eq!(form_time(f.to), "2026-12-08T00:00:00");
        let again = parse(&f.query_string(None)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.query(), f.query());
    }

    #[test]
    fn what_cannot_be_read_is_said() {
        for bad in [
            "outcome=maybe",
            "order=sideways",
            "from=yesterday",
            "from=2026-12-08&to=2026-12-07",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(&format!("actor={}", "a".repeat(600))).is_err());
    }
}
