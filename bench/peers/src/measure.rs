//! Single-thread timing: throughput over whole passes of the questions, and the latency of
//! each check timed alone, gathered in rounds so that two engines can take turns.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// What one engine's rounds added up to.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// Checks run for throughput.
    pub checks: usize,
    /// The time they took.
    pub elapsed: Duration,
    /// Checks timed alone, in no order.
    pub times: Vec<Duration>,
}

impl Measured {
    /// Checks per second over all the throughput passes.
    pub fn per_second(&self) -> f64 {
        self.checks as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// The times of the checks timed alone, sorted.
    pub fn sorted_times(&self) -> Vec<Duration> {
        let mut times = self.times.clone();
        times.sort_unstable();
        times
    }
}

/// How much of a round goes to each measure.
#[derive(Clone, Copy, Debug)]
pub struct Round {
    /// Throughput runs whole passes of the round's questions for at least this long (one
    /// pass at least).
    pub passes_for: Duration,
    /// Stop timing checks alone after this many...
    pub max_samples: usize,
    /// ...or once this long has gone by, provided...
    pub budget: Duration,
    /// ...this many were timed.
    pub min_samples: usize,
}

/// Runs one round on `items`: throughput passes, then checks timed alone (cycling through
/// `items`), added to `into`.
pub fn round<T>(items: &[T], round: &Round, into: &mut Measured, check: impl Fn(&T) -> bool) {
    if items.is_empty() {
        return;
    }
    let started = Instant::now();
    let mut allowed = 0usize;
    loop {
        for item in items {
            allowed += usize::from(check(black_box(item)));
        }
        into.checks += items.len();
        if started.elapsed() >= round.passes_for {
            break;
        }
    }
    into.elapsed += started.elapsed();
    // The count keeps the answers alive, so the checks cannot be optimized away.
    black_box(allowed);

    // Each check alone; the clock's own cost (some tens of nanoseconds) is in every sample.
    let started = Instant::now();
    let mut timed = 0;
    for item in items.iter().cycle() {
        let t = Instant::now();
        black_box(check(black_box(item)));
        into.times.push(t.elapsed());
        timed += 1;
        if timed >= round.max_samples {
            break;
        }
        // Reading the clock for the budget once per thousand checks keeps it off the
        // samples' own cost.
        if timed % 1024 == 0 && timed >= round.min_samples && started.elapsed() >= round.budget {
            break;
        }
    }
}

/// The `p` quantile (0 to 1) of sorted times, by nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A duration in microseconds.
pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The resident memory of this process, in KiB (0 where `/proc` is not there).
pub fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}
