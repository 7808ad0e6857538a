//! The engine as the server shares it: the state behind a read-write lock, the writer
//! thread that alone owns the store, the clock, and a signal for each new revision (for
//! `consistency.atLeast`).
//!
//! Checks take the read lock and decide in memory. Everything that touches the store goes
//! to the writer thread: writes (it takes every write waiting, decides them on a read of
//! the state, commits them together where the store has one writer, and takes the write
//! lock only to apply what is durable), audit reads, refusal records and catching up with
//! other nodes. No store call is made under the state's lock, so checks never wait for the
//! disk, and never see a change the store could still lose.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLockReadGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use easel_core::State;
use easel_core::command::{Actor, AuditRecord, Command, Outcome};
use easel_core::request::Credential;
use easel_core::time::Time;
use easel_store::tables::{Stmt, Tables};
use easel_store::{
    AuditPage, Backend, Commit, Durable, Entry, JobResult, Published, Revision, Shared, StoreError,
};
use tokio::sync::{oneshot, watch};

/// The most writes committed together.
const MAX_GROUP: usize = 512;

/// A backend of any kind, chosen at start-up (SQLite or PostgreSQL).
pub struct AnyBackend(Box<dyn Backend + Send>);

impl AnyBackend {
    /// Wraps a backend.
    pub fn new(backend: impl Backend + Send + 'static) -> AnyBackend {
        AnyBackend(Box::new(backend))
    }
}

impl Backend for AnyBackend {
    fn changes_since(&mut self, after: Revision) -> Result<Vec<Entry>, StoreError> {
        self.0.changes_since(after)
    }
    fn org_versions(&mut self) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        self.0.org_versions()
    }
    fn commit(&mut self, commit: &Commit) -> Result<Revision, StoreError> {
        self.0.commit(commit)
    }
    fn commit_group(&mut self, commits: &[Commit]) -> Result<Vec<Revision>, StoreError> {
        self.0.commit_group(commits)
    }
    fn exclusive(&self) -> bool {
        self.0.exclusive()
    }
    fn record_refusal(&mut self, audit: &AuditRecord) -> Result<(), StoreError> {
        self.0.record_refusal(audit)
    }
    fn remove_audit_before(
        &mut self,
        org: &str,
        before: Time,
        record: &AuditRecord,
    ) -> Result<u64, StoreError> {
        self.0.remove_audit_before(org, before, record)
    }
    fn audit_page(
        &mut self,
        org: &str,
        page: &AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.0.audit_page(org, page)
    }
    fn cursor_secret(&mut self) -> Result<[u8; easel_store::SECRET_BYTES], StoreError> {
        self.0.cursor_secret()
    }
    fn audit(
        &mut self,
        org: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.0.audit(org, after, limit)
    }
    fn state_tables(&mut self) -> Result<Tables, StoreError> {
        self.0.state_tables()
    }
    fn write_tables(
        &mut self,
        statements: &[Stmt],
        covers: &[Revision],
        at: Revision,
    ) -> Result<(), StoreError> {
        self.0.write_tables(statements, covers, at)
    }
    fn tables_stale(&mut self) -> Result<bool, StoreError> {
        self.0.tables_stale()
    }
    fn rebuild_tables(&mut self, rows: &Tables, revision: Revision) -> Result<(), StoreError> {
        self.0.rebuild_tables(rows, revision)
    }
}

/// Where the time comes from: the system clock, or a fixed time in tests.
#[derive(Clone)]
pub enum Clock {
    /// The system clock.
    System,
    /// A time that moves only when set.
    Fixed(Arc<Mutex<Time>>),
}

impl Clock {
    /// Now.
    pub fn now(&self) -> Time {
        match self {
            Clock::System => {
                let ms = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
                Time::from_millis(ms)
            }
            Clock::Fixed(t) => match t.lock() {
                Ok(t) => *t,
                Err(poisoned) => *poisoned.into_inner(),
            },
        }
    }
}

/// Who acts in a command, owned (a command runs on another thread).
#[derive(Clone, Debug)]
pub enum Acting {
    /// A user with the credential they presented.
    User(String, Credential),
    /// A provisioning token (operator or SCIM), by id.
    Provisioner(String),
    /// Easel itself.
    System,
}

/// What the writer thread is asked to do: everything that touches the store.
enum Job {
    /// Commands to decide, commit and apply.
    Write {
        acting: Acting,
        commands: Vec<Command>,
        reply: oneshot::Sender<JobResult>,
    },
    /// Apply what other nodes committed.
    CatchUp(oneshot::Sender<Result<(), StoreError>>),
    /// Store the audit record of a refusal no command decided.
    Refusal(AuditRecord, oneshot::Sender<Result<(), StoreError>>),
    /// Read a page of an organization's audit records.
    AuditPage(String, AuditPage, oneshot::Sender<AuditRows>),
    /// Read an organization's audit records after an id.
    Audit(String, i64, usize, oneshot::Sender<AuditRows>),
}

/// Audit records read back, each with its id.
type AuditRows = Result<Vec<(i64, AuditRecord)>, StoreError>;

/// The shared engine.
pub struct Engine {
    shared: Shared,
    revision: Arc<watch::Sender<Revision>>,
    clock: Clock,
    /// The writer thread's queue (taken, to stop it, when the engine is dropped).
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Seals and opens the cursors of lists, with the store's secret.
    cursors: crate::cursor::Cursors,
}

impl Engine {
    /// Takes an opened store and starts its writer thread, which owns it from now on.
    pub fn new(durable: Durable<AnyBackend>, clock: Clock) -> Arc<Engine> {
        let (revision, _) = watch::channel(durable.revision());
        let cursors = crate::cursor::Cursors::new(&durable.cursor_secret());
        let shared = durable.shared();
        let revision = Arc::new(revision);
        let (jobs, queue) = mpsc::channel();
        let writer = {
            let (revision, clock) = (Arc::clone(&revision), clock.clone());
            std::thread::Builder::new()
                .name("easel-writer".into())
                .spawn(move || write_loop(&queue, durable, &revision, &clock))
                .ok()
        };
        Arc::new(Engine {
            shared,
            revision,
            clock,
            jobs: Mutex::new(Some(jobs)),
            writer: Mutex::new(writer),
            cursors,
        })
    }

    /// The cursors of lists, sealed with the store's secret.
    pub fn cursors(&self) -> &crate::cursor::Cursors {
        &self.cursors
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> Time {
        self.clock.now()
    }

    /// The state and its revision, for reading.
    pub fn read(&self) -> Reader<'_> {
        Reader {
            guard: easel_store::durable::read(&self.shared),
        }
    }

    /// Hands a job to the writer thread and waits for its answer.
    async fn ask<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<Result<T, StoreError>>) -> Job,
    ) -> Result<T, StoreError> {
        let stopped = || StoreError::Unavailable("the writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        let job = job(reply);
        let sent = match self.jobs.lock() {
            Ok(jobs) => jobs.as_ref().map(|j| j.send(job).is_ok()),
            Err(poisoned) => poisoned.into_inner().as_ref().map(|j| j.send(job).is_ok()),
        };
        if sent != Some(true) {
            return Err(stopped());
        }
        answer.await.map_err(|_| stopped())?
    }

    /// Runs a command: decided on the newest state, committed, then applied.
    pub async fn run(
        self: &Arc<Engine>,
        acting: Acting,
        command: Command,
    ) -> Result<(Outcome, Option<Revision>), StoreError> {
        self.run_all(acting, vec![command]).await
    }

    /// Runs commands that change different things together, all or nothing. Answered once
    /// the store has made them durable.
    pub async fn run_all(
        self: &Arc<Engine>,
        acting: Acting,
        commands: Vec<Command>,
    ) -> Result<(Outcome, Option<Revision>), StoreError> {
        self.ask(|reply| Job::Write {
            acting,
            commands,
            reply,
        })
        .await
    }

    /// Applies what other nodes committed (for a store shared by several servers).
    pub async fn catch_up(self: &Arc<Engine>) -> Result<(), StoreError> {
        self.ask(Job::CatchUp).await
    }

    /// Waits until the state is at least at `revision`, catching up with the store once;
    /// false if it is not there within `patience`.
    pub async fn wait_for(self: &Arc<Engine>, revision: Revision, patience: Duration) -> bool {
        if *self.revision.borrow() >= revision {
            return true;
        }
        if self.catch_up().await.is_err() {
            return false;
        }
        let mut rx = self.revision.subscribe();
        tokio::time::timeout(patience, rx.wait_for(|r| *r >= revision))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Records a refused attempt that no command decided (an OAuth request turned down
    /// before it reached one), so that it is audited like any refusal.
    pub async fn record_refusal(self: &Arc<Engine>, audit: AuditRecord) -> Result<(), StoreError> {
        self.ask(|reply| Job::Refusal(audit, reply)).await
    }

    /// Reads one page of an organization's audit records (see [`AuditPage`]).
    pub async fn audit_page(
        self: &Arc<Engine>,
        org: String,
        page: AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.ask(|reply| Job::AuditPage(org, page, reply)).await
    }

    /// Reads an organization's audit records after `after`, at most `limit`.
    pub async fn audit(
        self: &Arc<Engine>,
        org: String,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.ask(|reply| Job::Audit(org, after, limit, reply)).await
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Closing the queue ends the writer once it has answered what it holds; it closes
        // the store as it ends (on its own thread: a driver may block on closing, which it
        // must not do on an async worker), and waiting for it releases the store (a SQLite
        // file's lock) before the engine is gone.
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        if let Some(writer) = self.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = writer.join();
        }
    }
}

/// The writer thread: owns the store. Takes the jobs waiting (up to `MAX_GROUP` writes),
/// answers the reads and refusal records among them, runs the writes as a group, publishes
/// the new revision and answers each write.
fn write_loop(
    queue: &mpsc::Receiver<Job>,
    mut durable: Durable<AnyBackend>,
    revision: &watch::Sender<Revision>,
    clock: &Clock,
) {
    while let Ok(first) = queue.recv() {
        let mut writes = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Write {
                    acting,
                    commands,
                    reply,
                } => writes.push((acting, commands, reply)),
                Job::CatchUp(reply) => {
                    let _ = reply.send(durable.catch_up().map(drop));
                }
                Job::Refusal(audit, reply) => {
                    let _ = reply.send(durable.backend().record_refusal(&audit));
                }
                Job::AuditPage(org, page, reply) => {
                    let _ = reply.send(durable.backend().audit_page(&org, &page));
                }
                Job::Audit(org, after, limit, reply) => {
                    let _ = reply.send(durable.backend().audit(&org, after, limit));
                }
            }
            if writes.len() < MAX_GROUP {
                next = queue.try_recv().ok();
            }
        }
        if !writes.is_empty() {
            let now = clock.now();
            let jobs: Vec<(Actor, &[Command])> = writes
                .iter()
                .map(|(acting, commands, _)| {
                    let actor = match acting {
                        Acting::User(id, credential) => Actor::User {
                            id,
                            credential: *credential,
                        },
                        Acting::Provisioner(token) => Actor::Provisioner { token },
                        Acting::System => Actor::System,
                    };
                    (actor, commands.as_slice())
                })
                .collect();
            let results = durable.run_group(&jobs, now);
            drop(jobs);
            // Published before the answers, so a caller may ask at its write's revision.
            revision.send_replace(durable.revision());
            for ((_, _, reply), result) in writes.into_iter().zip(results) {
                // A caller that went away no longer wants the answer; the write stands.
                let _ = reply.send(result);
            }
        }
        revision.send_replace(durable.revision());
    }
}

/// A read view: the state at one revision.
pub struct Reader<'e> {
    guard: RwLockReadGuard<'e, Published>,
}

impl Reader<'_> {
    /// The state.
    pub fn state(&self) -> &State {
        self.guard.state()
    }

    /// Its revision.
    pub fn revision(&self) -> Revision {
        self.guard.revision()
    }
}
