//! The open connections and what each is doing, so that the accept loop can hold a limit
//! on them: at the limit, the connection idle the longest gives its place to the newcomer.
//! Each connection's state is a few atomics its own task updates without a lock; the
//! registry's lock is taken to admit, to let go, and (only at the limit) to scan.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// No request in flight: the connection waits for, or is reading, a request head.
const IDLE: u8 = 0;
/// A request is in flight (its head was read and it is not yet answered).
const BUSY: u8 = 1;
/// Chosen to make room for a newcomer: its task closes it.
const EVICTED: u8 = 2;

/// `head_started_ms` when no request head has begun.
const NO_HEAD: u64 = u64::MAX;

/// One connection's state, shared by its task, its reads and the registry.
pub(super) struct Conn {
    id: u64,
    state: AtomicU8,
    /// When the connection last became idle (its opening, or its last answer), in
    /// milliseconds since the registry's epoch.
    idle_since_ms: AtomicU64,
    /// When the request head being read began, or `NO_HEAD`.
    head_started_ms: AtomicU64,
    /// Wakes the connection's watchdog: its state or deadline changed.
    changed: Notify,
}

/// What the watchdog of a connection waits for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Wake {
    /// Close now.
    Close,
    /// A request is in flight: nothing to time until it is answered.
    OnChange,
    /// Close at this time (milliseconds since the epoch) unless something changes first.
    At(u64),
}

/// The time limits of a connection.
#[derive(Clone, Copy, Debug)]
pub(super) struct Timeouts {
    pub header_read_ms: u64,
    pub idle_ms: u64,
}

impl Conn {
    /// A request head has been read: the request is in flight. False when the connection
    /// was evicted in the meantime (its task is closing it).
    pub(super) fn begin_request(&self) -> bool {
        self.head_started_ms.store(NO_HEAD, Ordering::Relaxed);
        self.state
            .compare_exchange(IDLE, BUSY, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The request is answered: the connection is idle from `now_ms`.
    pub(super) fn end_request(&self, now_ms: u64) {
        self.idle_since_ms.store(now_ms, Ordering::Relaxed);
        // Only a busy connection becomes idle; an evicted one stays evicted.
        let _ = self
            .state
            .compare_exchange(BUSY, IDLE, Ordering::AcqRel, Ordering::Acquire);
        self.changed.notify_one();
    }

    /// Bytes arrived. On an idle connection with no head begun, they begin one, and the
    /// head's deadline starts now.
    pub(super) fn bytes_read(&self, registry: &Registry) {
        if self.state.load(Ordering::Relaxed) == IDLE
            && self.head_started_ms.load(Ordering::Relaxed) == NO_HEAD
        {
            self.head_started_ms
                .store(registry.now_ms(), Ordering::Relaxed);
            self.changed.notify_one();
        }
    }

    /// What the watchdog waits for now. Once the server is `stopping`, a head being read
    /// is not waited for (hyper's graceful shutdown would wait for it to complete).
    pub(super) fn wake(&self, timeouts: Timeouts, stopping: bool) -> Wake {
        match self.state.load(Ordering::Acquire) {
            BUSY => Wake::OnChange,
            EVICTED => Wake::Close,
            _ => match self.head_started_ms.load(Ordering::Relaxed) {
                started if stopping && started != NO_HEAD => Wake::Close,
                NO_HEAD => Wake::At(
                    self.idle_since_ms
                        .load(Ordering::Relaxed)
                        .saturating_add(timeouts.idle_ms),
                ),
                started => Wake::At(started.saturating_add(timeouts.header_read_ms)),
            },
        }
    }

    /// Completes when `end_request`, `bytes_read` or an eviction changed something.
    pub(super) async fn changed(&self) {
        self.changed.notified().await;
    }
}

/// The open connections.
pub(super) struct Registry {
    epoch: Instant,
    max: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    next_id: u64,
    open: HashMap<u64, Arc<Conn>>,
}

impl Registry {
    /// An empty registry admitting up to `max` connections (at least one).
    pub(super) fn new(max: usize) -> Registry {
        Registry {
            epoch: Instant::now(),
            max: max.max(1),
            inner: Mutex::new(Inner {
                next_id: 0,
                open: HashMap::new(),
            }),
        }
    }

    /// Milliseconds since the epoch.
    pub(super) fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The instant `ms` milliseconds after the epoch.
    pub(super) fn instant(&self, ms: u64) -> Instant {
        self.epoch + Duration::from_millis(ms)
    }

    // A connection task never panics while holding the lock, but if one did, the map is
    // still consistent: each change to it is a single insert or remove.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many connections are open.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lock().open.len()
    }

    /// Admits a new connection. At the limit, the connection idle the longest is evicted
    /// to make room; when every connection has a request in flight, the newcomer is
    /// refused (`None`): refusing it costs nobody an answer under way.
    pub(super) fn admit(&self) -> Option<Arc<Conn>> {
        let now = self.now_ms();
        let mut inner = self.lock();
        if inner.open.len() >= self.max && !evict_longest_idle(&mut inner) {
            return None;
        }
        let id = inner.next_id;
        inner.next_id += 1;
        let conn = Arc::new(Conn {
            id,
            state: AtomicU8::new(IDLE),
            idle_since_ms: AtomicU64::new(now),
            // The first request's head is timed from the opening.
            head_started_ms: AtomicU64::new(now),
            changed: Notify::new(),
        });
        inner.open.insert(id, Arc::clone(&conn));
        Some(conn)
    }

    /// Evicts the connection idle the longest, if any is idle: what the accept loop gives
    /// back when the process is out of file descriptors.
    pub(super) fn evict_one(&self) -> bool {
        evict_longest_idle(&mut self.lock())
    }

    /// The connection is closed.
    pub(super) fn leave(&self, conn: &Conn) {
        self.lock().open.remove(&conn.id);
    }
}

/// Marks the idle connection with the oldest `idle_since_ms` evicted, wakes its task and
/// forgets it (its place is free at once; its socket closes as soon as its task runs).
fn evict_longest_idle(inner: &mut Inner) -> bool {
    loop {
        let Some(victim) = inner
            .open
            .values()
            .filter(|c| c.state.load(Ordering::Relaxed) == IDLE)
            .min_by_key(|c| c.idle_since_ms.load(Ordering::Relaxed))
            .map(Arc::clone)
        else {
            return false;
        };
        // The connection may have begun a request since the scan: then it keeps its
        // place, and the scan goes on among the others.
        if victim
            .state
            .compare_exchange(IDLE, EVICTED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            inner.open.remove(&victim.id);
            victim.changed.notify_one();
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header_read_ms: 10,
        idle_ms: 100,
    };

    #[tokio::test]
    async fn at_the_limit_the_longest_idle_makes_room() {
        let registry = Registry::new(2);
        let first = registry.admit();
        let second = registry.admit();
        assert!(first.is_some() && second.is_some());
        let (Some(first), Some(second)) = (first, second) else {
            return;
        };
        // The second answered a request later than the first was opened.
        assert!(second.begin_request());
        tokio::time::sleep(Duration::from_millis(5)).await;
        second.end_request(registry.now_ms());
        let third = registry.admit();
        assert!(third.is_some());
        assert_eq!(
            first.wake(TIMEOUTS, false),
            Wake::Close,
            "the oldest idle left"
        );
        assert_ne!(second.wake(TIMEOUTS, false), Wake::Close);
        assert!(
            !first.begin_request(),
            "an evicted connection takes no request"
        );
        assert_eq!(registry.len(), 2);
    }

    #[tokio::test]
    async fn a_connection_with_a_request_in_flight_is_never_evicted() {
        let registry = Registry::new(1);
        let Some(only) = registry.admit() else {
            unreachable!("an empty registry admits");
        };
        assert!(only.begin_request());
        assert!(registry.admit().is_none(), "the newcomer is refused");
        assert_eq!(only.wake(TIMEOUTS, false), Wake::OnChange);
        only.end_request(registry.now_ms());
        assert!(registry.admit().is_some());
        assert_eq!(only.wake(TIMEOUTS, false), Wake::Close);
    }

    #[tokio::test]
    async fn deadlines_follow_the_phase_of_the_connection() {
        let registry = Registry::new(4);
        let Some(conn) = registry.admit() else {
            unreachable!("an empty registry admits");
        };
        let Wake::At(first) = conn.wake(TIMEOUTS, false) else {
            unreachable!("a fresh connection is timed");
        };
        assert!(first <= registry.now_ms() + TIMEOUTS.header_read_ms);
        assert!(conn.begin_request());
        conn.end_request(50);
        assert_eq!(
            conn.wake(TIMEOUTS, false),
            Wake::At(150),
            "idle: the idle timeout"
        );
        conn.bytes_read(&registry);
        let Wake::At(head) = conn.wake(TIMEOUTS, false) else {
            unreachable!("a head being read is timed");
        };
        assert!(head <= registry.now_ms() + TIMEOUTS.header_read_ms);
        assert_eq!(conn.wake(TIMEOUTS, true), Wake::Close, "at shutdown");
        registry.leave(&conn);
        assert_eq!(registry.len(), 0);
    }
}
