//! The engine's state made durable: commands are decided on a read of the state, committed
//! to the store with no lock on the state held, and only then applied in memory, under the
//! write lock for as long as applying takes; then the state tables are written, from
//! memory, in a transaction of their own. A command the store does not acknowledge leaves
//! the memory untouched; another writer's commits are caught up before deciding.
//!
//! The state sits behind a read-write lock ([`Shared`]) that readers (the server's checks)
//! hold on their own; the store is this value's alone, so readers never wait for a
//! writer's disk I/O, and never see a change the store could still lose.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use easel_core::State;
use easel_core::command::{Actor, AuditRecord, Command, Outcome, execute};
use easel_core::event::Event;
use easel_core::state::StateError;
use easel_core::time::Time;

use crate::group::Footprint;
use crate::tables::{Key, Keys, rows_for};
use crate::{Backend, Commit, Revision, StoreError};

/// What a job (the commands of one request) came to: its outcome and revision, or why the
/// store failed it.
pub type JobResult = Result<(Outcome, Option<Revision>), StoreError>;

/// The state at one revision: what readers see.
#[derive(Debug, Default)]
pub struct Published {
    state: State,
    revision: Revision,
}

impl Published {
    /// The state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The last revision applied to it.
    pub fn revision(&self) -> Revision {
        self.revision
    }
}

/// The published state, shared between the one writer and every reader.
pub type Shared = Arc<RwLock<Published>>;

/// Reads the shared state (a poisoned lock still holds a whole state: every change is
/// applied under it event by event, and a failed apply reloads).
pub fn read(shared: &RwLock<Published>) -> RwLockReadGuard<'_, Published> {
    match shared.read() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn write(shared: &RwLock<Published>) -> RwLockWriteGuard<'_, Published> {
    match shared.write() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// A read view of the state, for as long as it is held.
pub struct StateView<'a>(RwLockReadGuard<'a, Published>);

impl Deref for StateView<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0.state
    }
}

impl PartialEq for StateView<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl PartialEq<&State> for StateView<'_> {
    fn eq(&self, other: &&State) -> bool {
        **self == **other
    }
}

/// A job decided, before its commit.
enum Decided {
    Refused(Outcome),
    Accepted {
        events: Vec<Event>,
        audits: Vec<AuditRecord>,
    },
}

/// How many jobs a round decides after the first that has to wait for the next round.
const MAX_WAITING_DECIDED: usize = 16;

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

/// The state, its store, and where the two stand. One value writes (the server's writer
/// thread owns it); any number read through [`Durable::shared`].
pub struct Durable<B: Backend> {
    shared: Shared,
    /// The published revision, kept here too: this value alone changes it.
    revision: Revision,
    backend: B,
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
            shared: Arc::new(RwLock::new(Published {
                state: State::new(),
                revision: 0,
            })),
            revision: 0,
            backend,
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

    /// The shared state, for readers on other threads.
    pub fn shared(&self) -> Shared {
        Arc::clone(&self.shared)
    }

    /// The state, as of `revision()`, for as long as the view is held.
    pub fn state(&self) -> StateView<'_> {
        StateView(read(&self.shared))
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
            let (rows, revision) = {
                let published = read(&self.shared);
                (
                    crate::tables::snapshot(&published.state),
                    published.revision,
                )
            };
            match self.backend.rebuild_tables(&rows, revision) {
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
        let entries = self.backend.changes_since(self.revision())?;
        if entries.is_empty() {
            return Ok((0, 0));
        }
        let applied = {
            let mut published = write(&self.shared);
            let Published { state, revision } = &mut *published;
            let applied = crate::replay::apply_entries(state, &entries, revision);
            self.revision = *revision;
            applied
        };
        let events = applied?;
        self.versions = self.backend.org_versions()?;
        Ok((entries.len(), events))
    }

    /// Applies committed changes in memory, in order, each advancing the revision; then
    /// writes the state tables' rows of what they touched. Should the state refuse one (a
    /// command produced events it cannot take), the state is reloaded from the store and
    /// the error returned.
    fn publish(&mut self, committed: &[(&[Event], Revision)]) -> Result<(), StoreError> {
        let mut keys = Keys::default();
        let refused = {
            let mut published = write(&self.shared);
            let mut refused = None;
            for (events, revision) in committed {
                if let Err((i, e)) = apply_noting(&mut published.state, events, &mut keys) {
                    let event = events.get(i);
                    refused = Some(StoreError::Corrupt(format!("{event:?}: {e}")));
                    break;
                }
                published.revision = *revision;
            }
            self.revision = published.revision;
            refused
        };
        match refused {
            None => {
                self.note_unwritten(keys, committed.iter().map(|(_, r)| *r));
                Ok(())
            }
            Some(e) => {
                self.reload()?;
                Err(e)
            }
        }
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
                // The rows are read under the read lock, and written with none held.
                let statements = rows_for(&read(&self.shared).state, chunk);
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

    /// Stores a refusal's audit record.
    fn record(&mut self, refused: &Outcome) -> Result<(), StoreError> {
        match refused.audit() {
            Some(audit) => self.backend.record_refusal(audit),
            None => Ok(()),
        }
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
            let decided = decide_job(&read(&self.shared).state, actor, commands, now)?;
            let (events, audits) = match decided {
                Decided::Refused(refused) => {
                    self.record(&refused)?;
                    return Ok((refused, None));
                }
                Decided::Accepted { events, audits } => (events, audits),
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
                    // Durable now; memory follows.
                    self.publish(&[(&events, revision)])?;
                    self.versions.insert(first.org.clone(), expected + 1);
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

    /// Group commit, for a store this process alone writes (`Backend::exclusive`). The jobs
    /// are decided in rounds on the state as it stands, with no lock on it but a read lock:
    /// a round takes each job whose footprint meets no earlier one's in the round (see
    /// [`Footprint`]), so the round's jobs could have run one after another in any order
    /// with the same outcomes; the others wait for the next round, decided on the state this
    /// one leaves. A round's accepted jobs are committed together (one transaction, one
    /// sync), then applied in memory and answered. Elsewhere the jobs run one by one.
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
        let mut pending: Vec<usize> = (0..jobs.len()).collect();
        while !pending.is_empty() {
            pending = self.round(jobs, &pending, now, &mut results);
        }
        // The tables once, with what every round touched.
        self.write_tables_after_commits();
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(StoreError::Unavailable("not run".into()))))
            .collect()
    }

    /// One round of a group: decides `pending`, commits and applies the jobs it takes, and
    /// returns those left for the next round.
    fn round(
        &mut self,
        jobs: &[(Actor, &[Command])],
        pending: &[usize],
        now: Time,
        results: &mut [Option<JobResult>],
    ) -> Vec<usize> {
        // (job, events, audits) of each job taken.
        let mut staged: Vec<(usize, Vec<Event>, Vec<AuditRecord>)> = Vec::new();
        let mut refused: Vec<(usize, Outcome)> = Vec::new();
        let mut waiting = Vec::new();
        {
            let published = read(&self.shared);
            let mut taken: Vec<Footprint> = Vec::new();
            let mut held: Vec<Footprint> = Vec::new();
            let mut closed = false;
            for &i in pending {
                // A job after one that waits would mostly wait too: leave the rest of a
                // long queue undecided rather than decide it again each round.
                if waiting.len() >= MAX_WAITING_DECIDED {
                    waiting.push(i);
                    continue;
                }
                let Some((actor, commands)) = jobs.get(i) else {
                    continue;
                };
                if closed {
                    waiting.push(i);
                    continue;
                }
                // A refusal is final only for a job decided on the state its predecessors
                // left, so a job after one taken or held is decided again next round.
                let first = staged.is_empty() && waiting.is_empty();
                match decide_job(&published.state, *actor, commands, now) {
                    Err(e) if first => results[i] = Some(Err(e)),
                    Ok(Decided::Refused(outcome)) if first => refused.push((i, outcome)),
                    // What it would change is unknown: nothing after it may overtake it.
                    Err(_) | Ok(Decided::Refused(_)) => {
                        waiting.push(i);
                        closed = true;
                    }
                    Ok(Decided::Accepted { events, audits }) => {
                        let footprint = Footprint::of(&published.state, &events);
                        // Taken only if it meets nothing taken and nothing held before it,
                        // so it never overtakes a job it could have depended on.
                        if taken.iter().chain(&held).any(|t| t.meets(&footprint)) {
                            waiting.push(i);
                            held.push(footprint);
                        } else {
                            taken.push(footprint);
                            staged.push((i, events, audits));
                        }
                    }
                }
            }
        }
        for (i, outcome) in refused {
            results[i] = Some(self.record(&outcome).map(|()| (outcome, None)));
        }
        if staged.is_empty() {
            return Vec::new();
        }
        let before = self.versions.clone();
        let mut expected = Vec::with_capacity(staged.len());
        for (_, _, audits) in &staged {
            let org = audits.first().map(|a| a.org.clone()).unwrap_or_default();
            let version = self.versions.entry(org).or_insert(0);
            expected.push(*version);
            *version += 1;
        }
        let commits: Vec<Commit> = staged
            .iter()
            .zip(&expected)
            .filter_map(|((_, events, audits), expected)| {
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
        let committed = self.backend.commit_group(&commits);
        drop(commits);
        let failed = match committed {
            Ok(revisions) => {
                let applied: Vec<(&[Event], Revision)> = staged
                    .iter()
                    .zip(&revisions)
                    .map(|((_, events, _), r)| (events.as_slice(), *r))
                    .collect();
                match self.publish(&applied) {
                    Ok(()) => {
                        for ((i, events, mut audits), revision) in staged.into_iter().zip(revisions)
                        {
                            let audit = audits.swap_remove(0);
                            let outcome = Outcome::Accepted { events, audit };
                            results[i] = Some(Ok((outcome, Some(revision))));
                        }
                        return waiting;
                    }
                    Err(e) => e,
                }
            }
            Err(e) => {
                // Nothing was applied in memory. Part of the group may be in the store all
                // the same (a backend without one transaction for a group): the next
                // catch-up brings it in, on the versions the store holds.
                self.versions = before;
                if let Err(again) = self.catch_up() {
                    for &i in &waiting {
                        results[i] = Some(Err(again.clone()));
                    }
                    waiting.clear();
                }
                e
            }
        };
        for (i, ..) in staged {
            results[i] = Some(Err(failed.clone()));
        }
        waiting
    }

    /// Commits a batch of events as one changelog entry (an import): applied to a copy of
    /// the state first, so a batch the state refuses is refused whole and nothing is written.
    pub fn import(&mut self, events: &[Event], now: Time) -> Result<Revision, StoreError> {
        self.catch_up()?;
        let (mut next, mut keys) = (read(&self.shared).state.clone(), Keys::default());
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
        *write(&self.shared) = Published {
            state: next,
            revision,
        };
        self.revision = revision;
        self.versions.insert(String::new(), expected + 1);
        self.note_unwritten(keys, [revision]);
        self.write_tables_after_commits();
        Ok(revision)
    }

    /// The time-driven audit retention: in every organization with a retention, removes the
    /// audit records older than it, recording each removal as an audit record of its own
    /// (nothing disappears silently). Returns the records removed per organization.
    pub fn apply_audit_retention(&mut self, now: Time) -> Result<Vec<(String, u64)>, StoreError> {
        self.catch_up()?;
        let due: Vec<(String, u32)> = read(&self.shared)
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

    /// Rebuilds the state from the store, and the state tables if they lag it. Readers keep
    /// the state they had until the new one is whole.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        let entries = self.backend.changes_since(0)?;
        let mut state = State::new();
        let mut revision = 0;
        crate::replay::apply_entries(&mut state, &entries, &mut revision)?;
        self.versions = self.backend.org_versions()?;
        *write(&self.shared) = Published { state, revision };
        self.revision = revision;
        self.unwritten = Unwritten::default();
        self.refresh_tables()
    }
}

/// Decides a job's commands against `state`. Accepted commands must act in one organization
/// and, when several, apply together (checked on a copy, so a combination the state
/// refuses never reaches the store).
fn decide_job(
    state: &State,
    actor: Actor,
    commands: &[Command],
    now: Time,
) -> Result<Decided, StoreError> {
    let mut events = Vec::new();
    let mut audits = Vec::new();
    // Each command is decided on the state the ones before it leave (a member added, then
    // their profile set; a team created, then its members), on a copy: the same one copy
    // that checked the changes go together.
    let mut next = (commands.len() > 1).then(|| state.clone());
    for command in commands {
        let on = next.as_ref().unwrap_or(state);
        match execute(on, actor, command, now, crate::os_entropy()?) {
            refused @ Outcome::Refused { .. } => return Ok(Decided::Refused(refused)),
            Outcome::Accepted {
                events: more,
                audit,
            } => {
                if let Some(next) = next.as_mut() {
                    for event in &more {
                        if next.apply(event).is_err() {
                            return Err(StoreError::Corrupt(String::from(
                                "the changes cannot be made together",
                            )));
                        }
                    }
                }
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
    Ok(Decided::Accepted { events, audits })
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
