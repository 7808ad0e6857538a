//! The state tables as stored, the same on both backends: writing them, reading them back,
//! rebuilding them, and knowing how far they are.
//!
//! A command's changelog entry is committed first, on its own (that transaction is the
//! durable one); the tables are written after, in a transaction of their own that need not
//! sync to disk by itself, since the next commit's sync covers it. A crash in between leaves
//! them behind their changelog, which the next start sees and mends by rebuilding them.
//! Two values of the meta table say how far they are:
//!
//! - `tables_revision`: the revision the tables are at (every revision up to it has its rows
//!   in them), then, space-separated, any later revision whose rows are in too. With several
//!   nodes, one may write its commit's rows before another, which committed just before it,
//!   writes its own: that earlier revision is a gap until then;
//! - `tables_stale` (present or not): the tables are rebuilt at the next start (a database
//!   from before they existed, or a gap no node came back to fill).

use std::collections::BTreeSet;

use crate::db::Db;
use crate::tables::{Stmt, TABLES, Tables};
use crate::{Revision, StoreError};

const REVISION: &str = "tables_revision";
const STALE: &str = "tables_stale";

/// How many revisions may be written past a gap before the gap is taken for one whose node
/// is gone (and the tables for stale).
const MAX_AHEAD: usize = 1024;

/// Where the tables stand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Progress {
    through: Revision,
    ahead: BTreeSet<Revision>,
}

impl Progress {
    fn parse(text: Option<&str>) -> Result<Progress, StoreError> {
        let text = text.unwrap_or_default();
        let mut revisions = text.split_whitespace().map(|r| {
            r.parse()
                .map_err(|_| StoreError::Corrupt(format!("tables revision `{text}`")))
        });
        Ok(Progress {
            through: revisions.next().transpose()?.unwrap_or(0),
            ahead: revisions.collect::<Result<_, _>>()?,
        })
    }

    fn save(&self, db: &mut dyn Db) -> Result<(), StoreError> {
        let mut text = self.through.to_string();
        for r in &self.ahead {
            text.push(' ');
            text.push_str(&r.to_string());
        }
        db.set_meta(REVISION, &text)
    }

    /// The revisions after `through` up to `at`, the newest, when every one of them is
    /// known to be written (by `covers` or before): then the changelog need not be read.
    fn written_through(&self, covers: &[Revision], at: Revision) -> Option<Vec<Revision>> {
        let span = usize::try_from(at - self.through).ok()?;
        if span > covers.len() + self.ahead.len() {
            return None;
        }
        let range = self.through + 1..=at;
        let all = range
            .clone()
            .all(|r| covers.contains(&r) || self.ahead.contains(&r));
        all.then(|| range.collect())
    }

    /// Notes that the rows of `covers` are written, and moves `through` over every revision
    /// of `later` (the changelog's next revisions after it, in order) that is written.
    /// False when too many are written past a gap.
    fn record(&mut self, covers: &[Revision], later: &[Revision]) -> bool {
        let through = self.through;
        self.ahead.extend(covers.iter().filter(|r| **r > through));
        for r in later {
            if !self.ahead.remove(r) {
                break;
            }
            self.through = *r;
        }
        self.ahead.len() <= MAX_AHEAD
    }
}

/// At open: a database whose tables were written by an Easel from before they were written
/// apart had them written in the changelog's own transactions, so they are at its newest
/// revision.
pub(crate) fn adopt(db: &mut dyn Db) -> Result<(), StoreError> {
    adopt_at(db)
}

/// Marks the tables for a rebuild at this start: a migration changed what they hold (a
/// new table or column), and rows written before it lack what the state has.
pub(crate) fn mark_stale(db: &mut dyn Db) -> Result<(), StoreError> {
    db.set_meta(STALE, "1")
}

fn adopt_at(db: &mut dyn Db) -> Result<(), StoreError> {
    if db.meta(REVISION)?.is_none() {
        let newest = db.newest()?;
        db.set_meta(REVISION, &newest.to_string())?;
    }
    Ok(())
}

/// Writes `statements`, the rows (from the state at revision `at`) of what the commits
/// `covers` touched, and records those commits as written. Refused with `Conflict` when the
/// changelog has moved past `at`: rows from an older state could undo a newer commit's.
/// The backend holds its commit lock over the transaction, so none can land meanwhile.
pub(crate) fn write(
    db: &mut dyn Db,
    statements: &[Stmt],
    covers: &[Revision],
    at: Revision,
) -> Result<(), StoreError> {
    let (newest, revision) = db.newest_and_meta(REVISION)?;
    if newest != at {
        return Err(StoreError::Conflict(String::from("state tables")));
    }
    db.run(statements)?;
    let mut progress = Progress::parse(revision.as_deref())?;
    let later = match progress.written_through(covers, at) {
        Some(later) => later,
        None => db.revisions_after(progress.through, progress.ahead.len() + covers.len())?,
    };
    if !progress.record(covers, &later) {
        // The gap's node is gone. The tables are right but for that commit's rows, which
        // the rebuild at the next start brings back.
        db.set_meta(STALE, "1")?;
        progress = Progress {
            through: at,
            ahead: BTreeSet::new(),
        };
    }
    progress.save(db)
}

/// Whether the tables lag the changelog: marked stale, or behind its newest revision.
pub(crate) fn stale(db: &mut dyn Db) -> Result<bool, StoreError> {
    let (newest, revision) = db.newest_and_meta(REVISION)?;
    Ok(db.meta(STALE)?.is_some() || Progress::parse(revision.as_deref())?.through < newest)
}

/// Every row of the state tables.
pub(crate) fn read(db: &mut dyn Db) -> Result<Tables, StoreError> {
    let mut out = Tables::new();
    for table in TABLES {
        out.insert(table.name, db.select(table)?.into_iter().collect());
    }
    Ok(out)
}

/// Replaces the tables with `rows`, the state as of `revision`, and marks them current.
/// Refused with `Conflict` when the changelog has moved past `revision`.
pub(crate) fn rebuild(
    db: &mut dyn Db,
    rows: &Tables,
    revision: Revision,
) -> Result<(), StoreError> {
    if db.newest()? != revision {
        return Err(StoreError::Conflict(String::from("state tables")));
    }
    for table in TABLES {
        db.batch(&format!("DELETE FROM {}", table.name))?;
        for row in rows.get(table.name).into_iter().flatten() {
            db.execute(table.insert_sql(), row)?;
        }
    }
    let current = Progress {
        through: revision,
        ahead: BTreeSet::new(),
    };
    current.save(db)?;
    db.batch("DELETE FROM easel_meta WHERE key = 'tables_stale'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(through: Revision, ahead: &[Revision]) -> Progress {
        Progress {
            through,
            ahead: ahead.iter().copied().collect(),
        }
    }

    #[test]
    fn one_writer_moves_through_its_own_revisions() {
        let mut p = at(4, &[]);
        assert!(p.record(&[5, 6, 7], &[5, 6, 7]));
        assert_eq!(p, at(7, &[]));
    }

    #[test]
    fn a_revision_written_past_a_gap_waits_for_it() {
        // Node b wrote 6 while a, which committed 5, had not written yet.
        let mut p = at(4, &[]);
        assert!(p.record(&[6], &[5, 6]));
        assert_eq!(p, at(4, &[6]));
        // Then a writes 5: both are in.
        assert!(p.record(&[5], &[5, 6]));
        assert_eq!(p, at(6, &[]));
    }

    #[test]
    fn gaps_in_the_numbering_are_skipped_and_old_revisions_ignored() {
        let mut p = at(4, &[]);
        assert!(p.record(&[3, 9], &[9]));
        assert_eq!(p, at(9, &[]));
    }

    #[test]
    fn the_changelog_is_read_only_when_a_revision_before_is_not_known_written() {
        assert_eq!(at(4, &[]).written_through(&[5, 6], 6), Some(vec![5, 6]));
        assert_eq!(at(4, &[6]).written_through(&[5], 6), Some(vec![5, 6]));
        // 5 is another node's, or a number the changelog skipped: only it can say.
        assert_eq!(at(4, &[]).written_through(&[6], 6), None);
    }

    #[test]
    fn too_many_past_a_gap_is_reported() {
        let mut p = at(0, &[]);
        let covers: Vec<Revision> = (2..=2 + MAX_AHEAD as Revision).collect();
        let later: Vec<Revision> = (1..=2 + MAX_AHEAD as Revision).collect();
        assert!(!p.record(&covers, &later));
    }
}
