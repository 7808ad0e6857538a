//! Durable write throughput: share and unshare commands from concurrent writers through the
//! engine (decided, committed, then acknowledged) on SQLite and on PostgreSQL; and what a
//! write load costs the checks running beside it (checks per second on one thread, with
//! and without 64 writers, taking turns). Run with `cargo bench -p easel-server --bench
//! writes`; PostgreSQL is measured when `EASEL_BENCH_POSTGRES_URL` is set (for example
//! `postgres://postgres@127.0.0.1:5432/test`).
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark over generated data that cannot fail to load"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use easel_core::command::{Command, Outcome};
use easel_core::request::Credential;
use easel_core::request::Question;
use easel_core::roles::BoardRole;
use easel_core::time::Time;
use easel_server::engine::{Acting, AnyBackend, Clock, Engine};
use easel_store::jsonl::import;
use easel_store::{Backend, Durable, PostgresBackend, SqliteBackend};
use easel_testkit::bench_data::{Size, write};

/// The server's allocator (see `crates/easel/src/main.rs`), so the numbers are the server's.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How long each measurement runs.
const RUN: Duration = Duration::from_secs(5);

/// A small deterministic generator for the writers' choices.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The boards with their owners, and every user's id and email, from the loaded state.
struct Names {
    boards: Vec<(String, String)>,
    users: Vec<(String, String)>,
}

fn load<B: Backend + Send + 'static>(backend: B, data: &[u8]) -> (Arc<Engine>, Names) {
    let (mut durable, _) = Durable::open(AnyBackend::new(backend)).unwrap();
    let events = import(&durable.state(), data).unwrap();
    durable.import(&events, Time::from_millis(0)).unwrap();
    let view = durable.state();
    let state: &easel_core::State = &view;
    let boards = state
        .all_boards()
        .map(|(_, b)| {
            let owner = state.user(b.owner).unwrap().id.to_string();
            (b.id.to_string(), owner)
        })
        .collect();
    let users = state
        .all_users()
        .map(|(_, u)| (u.id.to_string(), u.email.to_string()))
        .collect();
    drop(view);
    (Engine::new(durable, Clock::System), Names { boards, users })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// Runs `writers` concurrent writers for `RUN`: each shares a random board with a random
/// user (as the board's owner), then takes the share back. Returns the commands committed
/// per second and the acknowledgment latencies.
async fn measure(engine: &Arc<Engine>, names: &Arc<Names>, writers: usize) -> (f64, Vec<Duration>) {
    write_load(
        engine,
        names,
        writers,
        RUN,
        &Arc::new(AtomicBool::new(false)),
    )
    .await
}

/// `measure` for `run`, the writers idle while `paused` holds.
async fn write_load(
    engine: &Arc<Engine>,
    names: &Arc<Names>,
    writers: usize,
    run: Duration,
    paused: &Arc<AtomicBool>,
) -> (f64, Vec<Duration>) {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let started = Instant::now();
    for w in 0..writers {
        let (engine, names, stop) = (Arc::clone(engine), Arc::clone(names), Arc::clone(&stop));
        let paused = Arc::clone(paused);
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (w as u64 + 1));
            let mut times = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if paused.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    continue;
                }
                let (board, owner) = &names.boards[rng.below(names.boards.len())];
                let (user, email) = &names.users[rng.below(names.users.len())];
                if user == owner {
                    continue;
                }
                let acting = Acting::User(owner.clone(), Credential::None);
                let share = Command::ShareBoard {
                    board: board.clone(),
                    emails: vec![email.clone()],
                    role: BoardRole::Viewer,
                };
                let unshare = Command::RemoveBoardMember {
                    board: board.clone(),
                    user: user.clone(),
                };
                for command in [share, unshare] {
                    let t = Instant::now();
                    let (outcome, _) = engine.run(acting.clone(), command).await.unwrap();
                    if let Outcome::Refused { .. } = outcome {
                        panic!("a benchmark write was refused: {outcome:?}");
                    }
                    times.push(t.elapsed());
                }
            }
            times
        }));
    }
    tokio::time::sleep(run).await;
    stop.store(true, Ordering::Relaxed);
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    times.sort_unstable();
    (times.len() as f64 / elapsed.as_secs_f64(), times)
}

/// Slices of the checks-beside-writes measurement, alternately without and with writers.
const SLICES: u32 = 20;
/// How long a slice counts checks.
const SLICE: Duration = Duration::from_millis(500);
/// How long the writers are given to stop or start before a slice counts.
const SETTLE: Duration = Duration::from_millis(100);

/// Checks per second on one thread for `run`: may a random user view a random board, each
/// asked through the engine's read view as the server asks it.
fn checks_per_second(engine: &Engine, names: &Names, rng: &mut Rng, run: Duration) -> f64 {
    let started = Instant::now();
    let mut checks = 0u64;
    let mut allowed = 0u64;
    while started.elapsed() < run {
        for _ in 0..256 {
            let (board, _) = &names.boards[rng.below(names.boards.len())];
            let (user, _) = &names.users[rng.below(names.users.len())];
            let question = Question {
                user: Some(user.clone()),
                action: "board.view".into(),
                target: ("board".into(), board.clone()),
                ..Question::default()
            };
            let reader = engine.read();
            let state = reader.state();
            let request = question.resolve(state).unwrap();
            allowed += u64::from(easel_core::decide(state, &request, engine.now()).allowed);
            checks += 1;
        }
    }
    std::hint::black_box(allowed);
    checks as f64 / started.elapsed().as_secs_f64()
}

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 2).copied().unwrap_or_default()
}

/// Checks per second on one thread in `SLICES` slices, alternately alone and beside 64
/// concurrent writers (so that a drift of the machine's speed falls on both alike); the
/// medians of each, side by side.
async fn checks_under_writes(store: &str, engine: &Arc<Engine>, names: &Arc<Names>) {
    let paused = Arc::new(AtomicBool::new(true));
    let run = (SLICE + SETTLE) * SLICES + SETTLE;
    let writers = {
        let (engine, names, paused) = (Arc::clone(engine), Arc::clone(names), Arc::clone(&paused));
        tokio::spawn(async move { write_load(&engine, &names, 64, run, &paused).await })
    };
    let (e, n) = (Arc::clone(engine), Arc::clone(names));
    let checks = tokio::task::spawn_blocking(move || {
        let mut rng = Rng(7);
        let (mut alone, mut beside) = (Vec::new(), Vec::new());
        for slice in 0..SLICES {
            let writing = slice % 2 == 1;
            paused.store(!writing, Ordering::Relaxed);
            std::thread::sleep(SETTLE);
            let rate = checks_per_second(&e, &n, &mut rng, SLICE);
            if writing { &mut beside } else { &mut alone }.push(rate);
        }
        paused.store(true, Ordering::Relaxed);
        (median(alone), median(beside))
    });
    let (alone, beside) = checks.await.unwrap();
    let (_, times) = writers.await.unwrap();
    // The writers wrote during half the slices.
    let writes = times.len() as f64 / (SLICE * SLICES / 2).as_secs_f64();
    println!(
        "{store}: checks on one thread, median of {} slices of {} ms each: alone {alone:.0}/s; beside 64 writers {beside:.0}/s ({:.0}%, about {writes:.0} durable commands/s)",
        SLICES / 2,
        SLICE.as_millis(),
        100.0 * beside / alone
    );
}

async fn report(store: &str, engine: &Arc<Engine>, names: Names) {
    let names = Arc::new(names);
    checks_under_writes(store, engine, &names).await;
    for writers in [1, 16, 64, 256] {
        let (rate, times) = measure(engine, &names, writers).await;
        println!(
            "{store}: {writers} concurrent writers: {rate:.0} durable commands/s, acknowledged p50 {:.2} ms, p99 {:.2} ms",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3
        );
    }
}

fn main() {
    let mut data = Vec::new();
    write(Size::named("small").unwrap(), 42, &mut data).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (engine, names) = load(
        SqliteBackend::open(&dir.path().join("writes.db")).unwrap(),
        &data,
    );
    println!(
        "dataset small: {} boards, {} users; share then unshare a random board with a random user",
        names.boards.len(),
        names.users.len()
    );
    runtime.block_on(report("SQLite", &engine, names));
    drop(engine);

    match std::env::var("EASEL_BENCH_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("easel_bench_writes_{}", std::process::id());
            let backend = PostgresBackend::connect(&url, &schema, |_, _| {}).unwrap();
            let (engine, names) = load(backend, &data);
            runtime.block_on(report("PostgreSQL", &engine, names));
            drop(engine);
            if let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) {
                let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
        _ => println!("PostgreSQL: skipped (set EASEL_BENCH_POSTGRES_URL to measure it)"),
    }
}
