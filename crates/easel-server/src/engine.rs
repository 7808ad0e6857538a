//! The engine as the server shares it: the durable state behind a read-write lock, the
//! clock, and a signal for each new revision (for `consistency.atLeast`).
//!
//! Checks take the read lock and decide in memory. A write takes the write lock for the
//! whole command, store commit included, on a blocking thread; checks wait for it meanwhile.

use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;

use easel_core::State;
use easel_core::command::{Actor, AuditRecord, Command, Outcome};
use easel_core::request::Credential;
use easel_core::time::Time;
use easel_store::tables::Tables;
use easel_store::{Backend, Commit, Durable, Entry, Revision, StoreError};
use tokio::sync::watch;

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

/// The shared engine.
pub struct Engine {
    durable: RwLock<Durable<AnyBackend>>,
    revision: watch::Sender<Revision>,
    clock: Clock,
}

impl Engine {
    /// Wraps an opened store.
    pub fn new(durable: Durable<AnyBackend>, clock: Clock) -> Arc<Engine> {
        let (revision, _) = watch::channel(durable.revision());
        Arc::new(Engine {
            durable: RwLock::new(durable),
            revision,
            clock,
        })
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

    /// Runs commands that change different things together, all or nothing.
    pub async fn run_all(
        self: &Arc<Engine>,
        acting: Acting,
        commands: Vec<Command>,
    ) -> Result<(Outcome, Option<Revision>), StoreError> {
        let engine = Arc::clone(self);
        let result = tokio::task::spawn_blocking(move || {
            let now = engine.now();
            let mut durable = match engine.durable.write() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            let actor = match &acting {
                Acting::User(id, credential) => Actor::User {
                    id,
                    credential: *credential,
                },
                Acting::System => Actor::System,
            };
            let result = durable.run_all(actor, &commands, now);
            let revision = durable.revision();
            drop(durable);
            engine.revision.send_replace(revision);
            result
        })
        .await;
        result.map_err(|e| StoreError::Unavailable(format!("the write was interrupted: {e}")))?
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
