//! Checks, batches and lookups in process on a generated dataset, its memory, and the cold
//! start from SQLite. Run with `EASEL_BENCH_SIZE=small|medium|large cargo bench -p
//! easel-store --bench checks`; prints the numbers `docs/benchmarks.md` records.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark over generated data that cannot fail to load"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use easel_core::action::Action;
use easel_core::ids::{BoardIx, UserIx};
use easel_core::lookup::{MAX_PAGE, boards_for, reach, subjects_for};
use easel_core::time::Time;
use easel_core::{Request, State, Subject, Target, decide, decide_batch};
use easel_store::jsonl::import;
use easel_store::{Durable, SqliteBackend};
use easel_testkit::bench_data::{Size, write};

/// The server's allocator (see `crates/easel/src/main.rs`), so the numbers are the server's.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// A small deterministic generator for the questions.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The machine's memory latency: the time of one load that misses every cache and depends on
/// the one before (a walk of a random cycle over 512 MiB, one 64-byte line a step, on huge
/// pages like the state). A check of a random user about a random board of a large state
/// cannot take less than the misses its chain of records costs at this price.
fn dependent_miss_ns() -> f64 {
    const LINES: usize = 512 << 20 >> 6;
    const STRIDE: usize = 16; // u32 slots in a 64-byte line
    let mut next = vec![0u32; LINES * STRIDE];
    // Sattolo's shuffle: one cycle through every line.
    let mut order: Vec<u32> = (0..LINES as u32).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in (1..LINES).rev() {
        order.swap(i, rng.below(i));
    }
    for w in 0..LINES {
        next[order[w] as usize * STRIDE] = order[(w + 1) % LINES] * STRIDE as u32;
    }
    drop(order);
    let steps = 2_000_000;
    let mut at = 0usize;
    let started = Instant::now();
    for _ in 0..steps {
        at = next[at] as usize;
    }
    black_box(at);
    started.elapsed().as_secs_f64() * 1e9 / steps as f64
}

fn main() {
    println!(
        "memory latency: {:.0} ns a dependent miss",
        dependent_miss_ns()
    );
    let size_name = std::env::var("EASEL_BENCH_SIZE").unwrap_or_else(|_| "small".into());
    let size = Size::named(&size_name).unwrap();
    let mut data = Vec::new();
    write(size, 42, &mut data).unwrap();
    let records = data.iter().filter(|b| **b == b'\n').count();

    let before = resident_kib();
    let started = Instant::now();
    let events = import(&State::new(), data.as_slice()).unwrap();
    let mut state = State::new();
    for e in &events {
        state.apply(e).unwrap();
    }
    let loaded = started.elapsed();
    drop(events);
    let after = resident_kib();
    let grants: usize = state.all_boards().map(|(_, b)| b.grants.len()).sum();
    let memberships: usize = state
        .all_users()
        .map(|(_, u)| u.orgs.len() + u.teams.len())
        .sum();
    println!(
        "dataset {size_name}: {records} records, {} boards, {} users, {grants} direct grants, {memberships} memberships",
        state.board_count(),
        state.user_count()
    );
    println!(
        "load in memory (parse, check, apply): {:.2} s",
        loaded.as_secs_f64()
    );
    let held = (after.saturating_sub(before)) * 1024;
    println!(
        "resident memory of the state: {:.1} MiB ({:.0} bytes per grant or membership, indexes included)",
        held as f64 / 1048576.0,
        held as f64 / (grants + memberships).max(1) as f64
    );

    let now = Time::from_millis(0);
    let view = Action::parse("board.view").unwrap();
    let edit = Action::parse("board.edit_content").unwrap();
    let users = state.user_count();
    let boards = state.board_count();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let questions: Vec<Request> = (0..1_000_000)
        .map(|i| {
            let u = state.find_user(&format!("u{}", rng.below(users))).unwrap();
            let b = state
                .find_board(&format!("b{}", rng.below(boards)))
                .unwrap();
            let action = if i % 2 == 0 { view } else { edit };
            Request::new(Subject::User(u), action, Target::Board(b))
        })
        .collect();

    // Throughput, one thread.
    let started = Instant::now();
    let mut allowed = 0usize;
    for q in &questions {
        // The whole decision is kept, as a caller would (and as a batch returns it), so
        // the compiler cannot leave out the reasons it carries.
        allowed += usize::from(black_box(decide(&state, q, now)).allowed);
    }
    let elapsed = started.elapsed();
    println!(
        "single checks: {:.2} M/s ({:.3} µs each on average; {:.0}% allowed)",
        questions.len() as f64 / elapsed.as_secs_f64() / 1e6,
        micros(elapsed) / questions.len() as f64,
        100.0 * allowed as f64 / questions.len() as f64
    );
    // Latency: each check timed alone (the clock's own cost, about 20 ns, included).
    let mut times: Vec<Duration> = questions
        .iter()
        .take(200_000)
        .map(|q| {
            let t = Instant::now();
            black_box(decide(&state, q, now));
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    println!(
        "single check latency: p50 {:.3} µs, p99 {:.3} µs",
        micros(percentile(&times, 0.5)),
        micros(percentile(&times, 0.99))
    );
    // Batches of 1,000.
    let started = Instant::now();
    let mut batches = 0;
    for batch in questions.chunks(1_000) {
        black_box(decide_batch(&state, batch, now));
        batches += 1;
    }
    let elapsed = started.elapsed();
    println!(
        "batches of 1,000: {:.2} M checks/s ({batches} batches)",
        (batches * 1_000) as f64 / elapsed.as_secs_f64() / 1e6
    );

    // Lookups: the user who reaches the most boards, and random users.
    let mut reached: Vec<(usize, UserIx)> = (0..200)
        .map(|_| {
            let u = state.find_user(&format!("u{}", rng.below(users))).unwrap();
            let mut n = 0;
            let mut cursor: Option<String> = None;
            loop {
                let page = boards_for(&state, u, view, cursor.as_deref(), MAX_PAGE, now).unwrap();
                n += page.items.len();
                match page.next {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            (n, u)
        })
        .collect();
    reached.sort_unstable_by_key(|r| std::cmp::Reverse(r.0));
    let (heavy_n, heavy) = reached[0];
    let mut firsts: Vec<Duration> = (0..1_000)
        .map(|_| {
            let t = Instant::now();
            black_box(boards_for(&state, heavy, view, None, 100, now).unwrap());
            t.elapsed()
        })
        .collect();
    firsts.sort_unstable();
    // The full enumeration: in one pass, and as pages of 1,000 through cursors.
    let rounds = 20;
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(reach(&state, heavy, view, now).unwrap().count());
    }
    let full = started.elapsed() / rounds;
    let started = Instant::now();
    for _ in 0..rounds {
        let mut cursor: Option<String> = None;
        loop {
            let page = boards_for(&state, heavy, view, cursor.as_deref(), MAX_PAGE, now).unwrap();
            match page.next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
    }
    let paged = started.elapsed() / rounds;
    println!(
        "lookup of the boards of the heaviest user sampled ({heavy_n} boards): first page of 100 p50 {:.1} µs, p99 {:.1} µs; full enumeration {:.2} ms ({:.1} M boards/s); as pages of 1,000 {:.2} ms ({:.1} M boards/s)",
        micros(percentile(&firsts, 0.5)),
        micros(percentile(&firsts, 0.99)),
        full.as_secs_f64() * 1e3,
        heavy_n as f64 / full.as_secs_f64() / 1e6,
        paged.as_secs_f64() * 1e3,
        heavy_n as f64 / paged.as_secs_f64() / 1e6
    );
    let mut subject_times: Vec<Duration> = (0..1_000)
        .map(|_| {
            let b: BoardIx = state
                .find_board(&format!("b{}", rng.below(boards)))
                .unwrap();
            let t = Instant::now();
            black_box(subjects_for(&state, b, view, None, 100, now).unwrap());
            t.elapsed()
        })
        .collect();
    subject_times.sort_unstable();
    println!(
        "lookup of a board's subjects, first page of 100: p50 {:.1} µs, p99 {:.1} µs",
        micros(percentile(&subject_times, 0.5)),
        micros(percentile(&subject_times, 0.99))
    );

    // Cold start: the dataset committed to SQLite, then the file opened and replayed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    {
        let (mut durable, _) = Durable::open(SqliteBackend::open(&path).unwrap()).unwrap();
        let events = import(&durable.state(), data.as_slice()).unwrap();
        durable.import(&events, now).unwrap();
    }
    let started = Instant::now();
    let (durable, report) = Durable::open(SqliteBackend::open(&path).unwrap()).expect("reopen");
    let cold = started.elapsed();
    println!(
        "cold start from SQLite: {:.2} s ({} events, {:.2} s per million boards)",
        cold.as_secs_f64(),
        report.events,
        cold.as_secs_f64() / (durable.state().board_count() as f64 / 1e6)
    );
}
