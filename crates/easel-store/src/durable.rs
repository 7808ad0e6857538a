//! The engine's state made durable: commands are decided in memory, committed to the store,
//! and only then applied in memory; then the state tables are written, from memory, in a
//! transaction of their own. A command the store does not acknowledge leaves the memory
//! untouched; another writer's commits are caught up before deciding.

use std::collections::BTreeMap;
use std::time::Instant;

use easel_core::State;
use easel_core::command::{Actor, AuditRecord, Command, Outcome, execute};
use easel_core::event::Event;
use easel_core::state::StateError;
use easel_core::time::Time;

use crate::tables::{Key, Keys, rows_for};
use crate::{Backend, Commit, Revision, StoreError};

/// What a job (the commands of one request) came to: its outcome and revision, or why the
/// store failed it.
pub type JobResult = Result<(Outcome, Option<Revision>), StoreError>;

/// A job decided, before its commit.
enum Decided {
    Refused(Outcome),
    Accepted {
        events: Vec<Event>,
        audits: Vec<AuditRecord>,
        /// The state after the events, with the keys they touched, when they were applied
        /// to a copy to check they go together.
        next: Option<Box<(State, Keys)>>,
    },
}

/// How often a command is decided again after losing a race to another writer.
const CONFLICT_RETRIES: usize = 3;

/// What loading found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadReport {
    /// Changelog entries replayed.
    pub entries: usize,
    /// Events applied.
    pub events: usize,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u128,
}

/// The most keys whose rows one statement list holds: a large import writes its tables in
/// several transactions of this size (the last one records the import as written).
const KEYS_PER_WRITE: usize = 50_000;

/// Commits this node made whose rows are not in the state tables yet, and what they touched.
#[derive(Default)]
struct Unwritten {
    keys: Keys,
    revisions: Vec<Revision>,
}

/// The state, its store, and where the two stand.
pub struct Durable<B: Backend> {
    state: State,
    backend: B,
    revision: Revision,
    versions: BTreeMap<String, u64>,
    cursor_secret: [u8; crate::SECRET_BYTES],
    unwritten: Unwritten,
}

impl<B: Backend> Durable<B> {
    /// Loads the state by replaying the store's changelog.
    pub fn open(backend: B) -> Result<(Durable<B>, LoadReport), StoreError> {
        let started = Instant::now();
        let mut backend = backend;
        let cursor_secret = backend.cursor_secret()?;
        let mut durable = Durable {
            state: State::new(),
            backend,
            revision: 0,
            versions: BTreeMap::new(),
            cursor_secret,
            unwritten: Unwritten::default(),
        };
        let (entries, events) = durable.catch_up()?;
        durable.refresh_tables()?;
        Ok((
            durable,
            LoadReport {
                entries,
                events,
                elapsed_ms: started.elapsed().as_millis(),
            },
        ))
    }

    /// The store's cursor secret (see [`Backend::cursor_secret`]), read once at open.
    pub fn cursor_secret(&self) -> [u8; crate::SECRET_BYTES] {
        self.cursor_secret
    }

    /// The state, as of `revision()`.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The last revision applied.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// The store.
    pub fn backend(&mut self) -> &mut B {
        &mut self.backend
    }

    /// Fills the state tables of a database whose tables lag its changelog (from before
    /// they existed, or stopped between a commit and its tables), from the state replayed
    /// out of its changelog.
    fn refresh_tables(&mut self) -> Result<(), StoreError> {
        for _ in 0..=CONFLICT_RETRIES {
            if !self.backend.tables_stale()? {
                return Ok(());
            }
            let rows = crate::tables::snapshot(&self.state);
            match self.backend.rebuild_tables(&rows, self.revision) {
                // Another node committed meanwhile: catch up and write again.
                Err(StoreError::Conflict(_)) => {
                    self.catch_up()?;
                }
                other => return other,
            }
        }
        Err(StoreError::Conflict(String::from("state tables")))
    }

    /// Applies what other writers committed since the last revision seen.
    pub fn catch_up(&mut self) -> Result<(usize, usize), StoreError> {
        let entries = self.backend.changes_since(self.revision)?;
        let events = crate::replay::apply_entries(&mut self.state, &entries, &mut self.revision)?;
        if !entries.is_empty() {
            self.versions = self.backend.org_versions()?;
        }
        Ok((entries.len(), events))
    }

    /// Applies committed events, returning the keys they touched.
    fn apply(&mut self, events: &[Event]) -> Result<Keys, StoreError> {
        let mut keys = Keys::default();
        apply_noting(&mut self.state, events, &mut keys).map_err(|(i, e)| {
            let event = events.get(i);
            StoreError::Corrupt(format!("{event:?}: {e}"))
        })?;
        Ok(keys)
    }

    /// Writes the state tables' rows of what this node's commits not yet written touched,
    /// from the state in memory (the commits must be applied). After another node's commit
    /// the rows are written again from the state caught up with it. Until the write
    /// succeeds the commits stay noted, for the next write; should the process stop first,
    /// the tables are behind their changelog and are rebuilt at the next start.
    pub fn write_tables(&mut self) -> Result<(), StoreError> {
        for _ in 0..=CONFLICT_RETRIES {
            match self.write_unwritten() {
                Err(StoreError::Conflict(_)) => {
                    self.catch_up()?;
                }
                other => return other,
            }
        }
        Err(StoreError::Conflict(String::from("state tables")))
    }

    fn write_unwritten(&mut self) -> Result<(), StoreError> {
        if self.unwritten.revisions.is_empty() {
            return Ok(());
        }
        {
            let mut keys = self.unwritten.keys.iter().peekable();
            loop {
                let chunk: Vec<&Key> = keys.by_ref().take(KEYS_PER_WRITE).collect();
                let last = keys.peek().is_none();
                let covers: &[Revision] = if last { &self.unwritten.revisions } else { &[] };
                let statements = rows_for(&self.state, chunk);
                self.backend
                    .write_tables(&statements, covers, self.revision)?;
                if last {
                    break;
                }
            }
        }
        self.unwritten = Unwritten::default();
        Ok(())
    }

    /// Notes what committed revisions touched, for the next tables write.
    fn note_unwritten(&mut self, keys: Keys, revisions: impl IntoIterator<Item = Revision>) {
        self.unwritten.keys.extend(keys);
        self.unwritten.revisions.extend(revisions);
    }

    /// Writes the tables after commits. The commits are durable whatever comes of it: a
    /// failed write is tried again with the next one, or mended at the next start.
    fn write_tables_after_commits(&mut self) {
        let _ = self.write_tables();
    }

    /// Decides a command and, when accepted, commits it and applies it. A refused command's
    /// audit record is stored too. Returns the outcome and, when committed, its revision.
    pub fn run(
        &mut self,
        actor: Actor,
        command: &Command,
        now: Time,
    ) -> Result<(Outcome, Option<Revision>), StoreError> {
        self.run_all(actor, std::slice::from_ref(command), now)
    }

    /// Decides several commands of one organization against the same state and commits
    /// them together, all or nothing: one changelog entry, an audit record each. They must
    /// change different things (the fields of one PATCH, say). The first refusal refuses
    /// them all and is what is returned (its audit record stored); accepted, the outcome
    /// holds every event and the first command's audit record.
    pub fn run_all(
        &mut self,
        actor: Actor,
        commands: &[Command],
        now: Time,
    ) -> Result<(Outcome, Option<Revision>), StoreError> {
        let result = self.commit_job(actor, commands, now);
        self.write_tables_after_commits();
        result
    }

    /// `run_all` but for the tables, whose keys are noted for the next write.
    fn commit_job(
        &mut self,
        actor: Actor,
        commands: &[Command],
        now: Time,
    ) -> Result<(Outcome, Option<Revision>), StoreError> {
        for _ in 0..=CONFLICT_RETRIES {
            // Decide on the newest state: other nodes may have committed since.
            self.catch_up()?;
            let (events, audits, next) = match self.decide_job(actor, commands, now)? {
                Decided::Refused(refused) => return Ok((refused, None)),
                Decided::Accepted {
                    events,
                    audits,
                    next,
                } => (events, audits, next),
            };
            let Some(first) = audits.first().cloned() else {
                return Err(StoreError::Corrupt(String::from("no command to run")));
            };
            let expected = self.versions.get(&first.org).copied().unwrap_or(0);
            let commit = Commit {
                org: &first.org,
                expected_version: expected,
                at: now,
                action: &first.action,
                events: &events,
                audits: &audits,
            };
            match self.backend.commit(&commit) {
                Ok(revision) => {
                    // Durable now; memory follows. A refusal here would mean the handler
                    // accepted events the state cannot take: reload.
                    let keys = match next {
                        Some(next) => {
                            let (next, keys) = *next;
                            self.state = next;
                            keys
                        }
                        None => match self.apply(&events) {
                            Ok(keys) => keys,
                            Err(e) => {
                                self.reload()?;
                                return Err(e);
                            }
                        },
                    };
                    self.versions.insert(first.org.clone(), expected + 1);
                    self.revision = revision;
                    self.note_unwritten(keys, [revision]);
                    let outcome = Outcome::Accepted {
                        events,
                        audit: first,
                    };
                    return Ok((outcome, Some(revision)));
                }
                // Another writer won the race: decide again on fresh state.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Conflict(String::from("retries exhausted")))
    }

    /// Decides a job's commands against the state as it is. A refusal's audit record is
    /// stored at once; accepted commands must act in one organization and, when several,
    /// apply together (checked on a copy, returned as `next`).
    fn decide_job(
        &mut self,
        actor: Actor,
        commands: &[Command],
        now: Time,
    ) -> Result<Decided, StoreError> {
        let mut events = Vec::new();
        let mut audits = Vec::new();
        for command in commands {
            match execute(&self.state, actor, command, now) {
                refused @ Outcome::Refused { .. } => {
                    if let Some(audit) = refused.audit() {
                        self.backend.record_refusal(audit)?;
                    }
                    return Ok(Decided::Refused(refused));
                }
                Outcome::Accepted {
                    events: more,
                    audit,
                } => {
                    events.extend(more);
                    audits.push(audit);
                }
            }
        }
        let Some(first) = audits.first() else {
            return Err(StoreError::Corrupt(String::from("no command to run")));
        };
        if audits.iter().any(|a| a.org != first.org) {
            return Err(StoreError::Corrupt(String::from(
                "commands run together must act in one organization",
            )));
        }
        // Commands decided apart are applied to a copy first, so a combination the state
        // refuses never reaches the store.
        let next = if commands.len() > 1 {
            let (mut next, mut keys) = (self.state.clone(), Keys::default());
            if apply_noting(&mut next, &events, &mut keys).is_err() {
                return Err(StoreError::Corrupt(String::from(
                    "the changes cannot be made together",
                )));
            }
            Some(Box::new((next, keys)))
        } else {
            None
        };
        Ok(Decided::Accepted {
            events,
            audits,
            next,
        })
    }

    /// Group commit, for a store this process alone writes (`Backend::exclusive`): each
    /// job is decided in turn on the state its predecessors left, then all the accepted
    /// ones are committed together (one transaction, one sync) and only then answered.
    /// Readers cannot see the state between the two, as the caller holds the state for
    /// writing throughout. Should the commit fail, the state is reloaded from the store
    /// and every accepted job gets the error. Elsewhere the jobs are committed one by one.
    /// Either way the state tables are written once, after the group, with what every job
    /// touched.
    pub fn run_group(&mut self, jobs: &[(Actor, &[Command])], now: Time) -> Vec<JobResult> {
        if jobs.len() < 2 || !self.backend.exclusive() {
            // One commit each, and the tables once for all of them.
            let results = jobs
                .iter()
                .map(|(actor, commands)| self.commit_job(*actor, commands, now))
                .collect();
            self.write_tables_after_commits();
            return results;
        }
        if let Err(e) = self.catch_up() {
            return jobs.iter().map(|_| Err(e.clone())).collect();
        }
        let mut results: Vec<Option<JobResult>> = jobs.iter().map(|_| None).collect();
        // (job, expected version, events, audits) of each accepted job, applied in memory.
        let mut staged: Vec<(usize, u64, Vec<Event>, Vec<AuditRecord>)> = Vec::new();
        // What they touched: the tables are written once, after the group.
        let mut keys = Keys::default();
        let mut broken = None;
        for (i, (actor, commands)) in jobs.iter().enumerate() {
            match self.decide_job(*actor, commands, now) {
                Err(e) => results[i] = Some(Err(e)),
                Ok(Decided::Refused(refused)) => results[i] = Some(Ok((refused, None))),
                Ok(Decided::Accepted {
                    events,
                    audits,
                    next,
                }) => {
                    let applied = match next {
                        Some(next) => {
                            let (next, touched) = *next;
                            self.state = next;
                            keys.extend(touched);
                            Ok(())
                        }
                        None => self.apply(&events).map(|touched| keys.extend(touched)),
                    };
                    if let Err(e) = applied {
                        // The handler produced events the state cannot take: the state is
                        // reloaded below, and nothing after this job is decided on it.
                        results[i] = Some(Err(e.clone()));
                        broken = Some(e);
                        break;
                    }
                    let org = audits.first().map(|a| a.org.clone()).unwrap_or_default();
                    let version = self.versions.entry(org).or_insert(0);
                    staged.push((i, *version, events, audits));
                    *version += 1;
                }
            }
        }
        let commits: Vec<Commit> = staged
            .iter()
            .filter_map(|(_, expected, events, audits)| {
                let first = audits.first()?;
                Some(Commit {
                    org: &first.org,
                    expected_version: *expected,
                    at: now,
                    action: &first.action,
                    events,
                    audits,
                })
            })
            .collect();
        let committed = match broken {
            Some(e) => Err(e),
            None if commits.is_empty() => Ok(Vec::new()),
            None => self.backend.commit_group(&commits),
        };
        drop(commits);
        match committed {
            Ok(revisions) => {
                for ((i, _, events, mut audits), revision) in
                    staged.into_iter().zip(revisions.iter().copied())
                {
                    self.revision = revision;
                    let audit = audits.swap_remove(0);
                    results[i] = Some(Ok((Outcome::Accepted { events, audit }, Some(revision))));
                }
                self.note_unwritten(keys, revisions);
                self.write_tables_after_commits();
            }
            Err(e) => {
                // Memory is ahead of the store: take it back to what is durable.
                let reloaded = self.reload();
                for (i, ..) in staged {
                    results[i] = Some(Err(match &reloaded {
                        Ok(()) => e.clone(),
                        Err(r) => r.clone(),
                    }));
                }
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(StoreError::Unavailable("not run".into()))))
            .collect()
    }

    /// Commits a batch of events as one changelog entry (an import): applied to a copy of
    /// the state first, so a batch the state refuses is refused whole and nothing is written.
    pub fn import(&mut self, events: &[Event], now: Time) -> Result<Revision, StoreError> {
        self.catch_up()?;
        let (mut next, mut keys) = (self.state.clone(), Keys::default());
        apply_noting(&mut next, events, &mut keys)
            .map_err(|(i, e)| StoreError::Corrupt(format!("record {}: {e}", i + 1)))?;
        let audit = easel_core::command::AuditRecord {
            org: String::new(),
            at: now,
            actor: None,
            action: "import".into(),
            target: format!("{} events", events.len()),
            outcome: easel_core::command::AuditOutcome::Allowed,
            changes: Vec::new(),
        };
        let expected = self.versions.get("").copied().unwrap_or(0);
        let commit = Commit {
            org: "",
            expected_version: expected,
            at: now,
            action: "import",
            events,
            audits: std::slice::from_ref(&audit),
        };
        let revision = self.backend.commit(&commit)?;
        self.state = next;
        self.versions.insert(String::new(), expected + 1);
        self.revision = revision;
        self.note_unwritten(keys, [revision]);
        self.write_tables_after_commits();
        Ok(revision)
    }

    /// The time-driven audit retention: in every organization with a retention, removes the
    /// audit records older than it, recording each removal as an audit record of its own
    /// (nothing disappears silently). Returns the records removed per organization.
    pub fn apply_audit_retention(&mut self, now: Time) -> Result<Vec<(String, u64)>, StoreError> {
        self.catch_up()?;
        let due: Vec<(String, u32)> = self
            .state
            .all_orgs()
            .filter_map(|(_, o)| o.audit_retention_days.map(|d| (o.id.to_string(), d)))
            .collect();
        let mut removed = Vec::new();
        for (org, days) in due {
            let before = now.plus_days(-i64::from(days));
            let record = easel_core::command::AuditRecord {
                org: org.clone(),
                at: now,
                actor: None,
                action: "audit_retention".into(),
                target: format!("org:{org}"),
                outcome: easel_core::command::AuditOutcome::Allowed,
                changes: Vec::new(),
            };
            let n = self.backend.remove_audit_before(&org, before, &record)?;
            removed.push((org, n));
        }
        Ok(removed)
    }

    /// Rebuilds the state from the store, and the state tables if they lag it.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        self.state = State::new();
        self.revision = 0;
        self.versions.clear();
        self.unwritten = Unwritten::default();
        self.catch_up()?;
        self.refresh_tables()
    }
}

/// Applies events in order, noting the keys each touches from the state before it. On a
/// refusal, says which event and why (the state may then hold the events before it).
fn apply_noting(
    state: &mut State,
    events: &[Event],
    keys: &mut Keys,
) -> Result<(), (usize, StateError)> {
    for (i, event) in events.iter().enumerate() {
        keys.add(state, event);
        state.apply(event).map_err(|e| (i, e))?;
    }
    Ok(())
}
