//! The engine as the server shares it: the durable state behind a read-write lock, the
//! clock, and a signal for each new revision (for `consistency.atLeast`).
//!
//! Checks take the read lock and decide in memory. Writes go to one writer thread, which
//! takes every write waiting, decides them in turn and commits them together (group commit,
//! where the store has one writer), holding the write lock until the commit is durable:
//! checks wait for it meanwhile and never see a change the store could still lose.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use easel_core::State;
use easel_core::command::{Actor, AuditRecord, Command, Outcome};
use easel_core::request::Credential;
use easel_core::time::Time;
use easel_store::tables::{Stmt, Tables};
use easel_store::{Backend, Commit, Durable, Entry, JobResult, Revision, StoreError};
use tokio::sync::{oneshot, watch};

/// The most writes committed together.
const MAX_GROUP: usize = 512;

/// A backend of any kind, made shareable: `Durable` holds it behind the engine's lock, so
/// the mutex is never contended (every call goes through `get_mut`).
pub struct AnyBackend(Mutex<Box<dyn Backend + Send>>);

impl AnyBackend {
    /// Wraps a backend.
    pub fn new(backend: impl Backend + Send + 'static) -> AnyBackend {
        AnyBackend(Mutex::new(Box::new(backend)))
    }

    fn get(&mut self) -> &mut (dyn Backend + Send) {
        match self.0.get_mut() {
            Ok(b) => b.as_mut(),
            Err(poisoned) => poisoned.into_inner().as_mut(),
        }
    }
}

impl Backend for AnyBackend {
    fn changes_since(&mut self, after: Revision) -> Result<Vec<Entry>, StoreError> {
        self.get().changes_since(after)
    }
    fn org_versions(&mut self) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
        self.get().org_versions()
    }
    fn commit(&mut self, commit: &Commit) -> Result<Revision, StoreError> {
        self.get().commit(commit)
    }
    fn commit_group(&mut self, commits: &[Commit]) -> Result<Vec<Revision>, StoreError> {
        self.get().commit_group(commits)
    }
    fn exclusive(&self) -> bool {
        match self.0.lock() {
            Ok(b) => b.exclusive(),
            Err(poisoned) => poisoned.into_inner().exclusive(),
        }
    }
    fn record_refusal(&mut self, audit: &AuditRecord) -> Result<(), StoreError> {
        self.get().record_refusal(audit)
    }
    fn remove_audit_before(
        &mut self,
        org: &str,
        before: Time,
        record: &AuditRecord,
    ) -> Result<u64, StoreError> {
        self.get().remove_audit_before(org, before, record)
    }
    fn audit_page(
        &mut self,
        org: &str,
        page: &easel_store::AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.get().audit_page(org, page)
    }
    fn cursor_secret(&mut self) -> Result<[u8; easel_store::SECRET_BYTES], StoreError> {
        self.get().cursor_secret()
    }
    fn audit(
        &mut self,
        org: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.get().audit(org, after, limit)
    }
    fn state_tables(&mut self) -> Result<Tables, StoreError> {
        self.get().state_tables()
    }
    fn write_tables(
        &mut self,
        statements: &[Stmt],
        covers: &[Revision],
        at: Revision,
    ) -> Result<(), StoreError> {
        self.get().write_tables(statements, covers, at)
    }
    fn tables_stale(&mut self) -> Result<bool, StoreError> {
        self.get().tables_stale()
    }
    fn rebuild_tables(&mut self, rows: &Tables, revision: Revision) -> Result<(), StoreError> {
        self.get().rebuild_tables(rows, revision)
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
    /// Easel itself.
    System,
}

/// A write waiting for the writer thread.
struct WriteJob {
    acting: Acting,
    commands: Vec<Command>,
    reply: oneshot::Sender<JobResult>,
}

/// The shared engine.
pub struct Engine {
    durable: Arc<RwLock<Durable<AnyBackend>>>,
    revision: Arc<watch::Sender<Revision>>,
    clock: Clock,
    /// The writer thread's queue (taken, to stop it, when the engine is dropped).
    jobs: Mutex<Option<mpsc::Sender<WriteJob>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Seals and opens the cursors of lists, with the store's secret.
    cursors: crate::cursor::Cursors,
}

impl Engine {
    /// Wraps an opened store and starts its writer thread.
    pub fn new(durable: Durable<AnyBackend>, clock: Clock) -> Arc<Engine> {
        let (revision, _) = watch::channel(durable.revision());
        let cursors = crate::cursor::Cursors::new(&durable.cursor_secret());
        let durable = Arc::new(RwLock::new(durable));
        let revision = Arc::new(revision);
        let (jobs, queue) = mpsc::channel();
        let writer = {
            let (durable, revision, clock) =
                (Arc::clone(&durable), Arc::clone(&revision), clock.clone());
            std::thread::Builder::new()
                .name("easel-writer".into())
                .spawn(move || write_loop(&queue, &durable, &revision, &clock))
                .ok()
        };
        Arc::new(Engine {
            durable,
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
        let guard = match self.durable.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        Reader { guard }
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
        let stopped = || StoreError::Unavailable("the writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        let job = WriteJob {
            acting,
            commands,
            reply,
        };
        let sent = match self.jobs.lock() {
            Ok(jobs) => jobs.as_ref().map(|j| j.send(job).is_ok()),
            Err(poisoned) => poisoned.into_inner().as_ref().map(|j| j.send(job).is_ok()),
        };
        if sent != Some(true) {
            return Err(stopped());
        }
        answer.await.map_err(|_| stopped())?
    }

    /// Applies what other nodes committed (for a store shared by several servers).
    pub async fn catch_up(self: &Arc<Engine>) -> Result<(), StoreError> {
        let engine = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut durable = match engine.durable.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            durable.catch_up()?;
            let revision = durable.revision();
            drop(durable);
            engine.revision.send_replace(revision);
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("catching up was interrupted: {e}")))?
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
        let engine = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut durable = match engine.durable.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            durable.backend().record_refusal(&audit)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("the write was interrupted: {e}")))?
    }

    /// Reads one page of an organization's audit records (see [`AuditPage`]).
    pub async fn audit_page(
        self: &Arc<Engine>,
        org: String,
        page: easel_store::AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let engine = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut durable = match engine.durable.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            durable.backend().audit_page(&org, &page)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("the read was interrupted: {e}")))?
    }

    /// Reads an organization's audit records after `after`, at most `limit`.
    pub async fn audit(
        self: &Arc<Engine>,
        org: String,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        let engine = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut durable = match engine.durable.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            durable.backend().audit(&org, after, limit)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("the read was interrupted: {e}")))?
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // Closing the queue ends the writer once it has answered what it holds; waiting
        // for it releases the store (a SQLite file's lock) before the engine is gone.
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        if let Some(writer) = self.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = writer.join();
        }
        // The store is closed on a thread of its own: a driver may block on closing (the
        // PostgreSQL client runs its own runtime), which it must not do on an async worker
        // that drops the engine. The engine's reference goes right after this returns.
        let store = Arc::clone(&self.durable);
        let _ = std::thread::Builder::new()
            .name("easel-store-close".into())
            .spawn(move || {
                while Arc::strong_count(&store) > 1 {
                    std::thread::sleep(Duration::from_millis(1));
                }
                drop(store);
            });
    }
}

/// The writer thread: takes the writes waiting (up to `MAX_GROUP`), runs them as a group
/// under the write lock, publishes the new revision and answers each.
fn write_loop(
    queue: &mpsc::Receiver<WriteJob>,
    durable: &RwLock<Durable<AnyBackend>>,
    revision: &watch::Sender<Revision>,
    clock: &Clock,
) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let now = clock.now();
        let mut guard = match durable.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let jobs: Vec<(Actor, &[Command])> = group
            .iter()
            .map(|job| {
                let actor = match &job.acting {
                    Acting::User(id, credential) => Actor::User {
                        id,
                        credential: *credential,
                    },
                    Acting::System => Actor::System,
                };
                (actor, job.commands.as_slice())
            })
            .collect();
        let results = guard.run_group(&jobs, now);
        drop(jobs);
        let at = guard.revision();
        drop(guard);
        revision.send_replace(at);
        for (job, result) in group.into_iter().zip(results) {
            // A caller that went away no longer wants the answer; the write stands.
            let _ = job.reply.send(result);
        }
    }
}

/// A read view: the state at one revision.
pub struct Reader<'e> {
    guard: RwLockReadGuard<'e, Durable<AnyBackend>>,
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
