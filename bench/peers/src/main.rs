//! Runs Easel and Cedar on the same board checks: builds the dataset and both engines'
//! inputs, compares every answer, and only if all agree times both on one thread and
//! writes `results/peers-<size>.json`.
//!
//! `cargo run --release --manifest-path bench/peers/Cargo.toml -- --size small`
//! (`tiny`, `small`, `medium` or `large`; `--questions N` changes the 200,000 compared).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cedar_policy::{Authorizer, Decision};
use easel_core::{Time, decide};
use easel_peers_bench::agreement::{CedarSide, compare};
use easel_peers_bench::measure::{Measured, Round, micros, percentile, resident_kib, round};
use easel_peers_bench::{cedar, dataset};
use serde_json::json;

/// The server's allocator (with the options of the repository's `.cargo/config.toml`), used
/// by both engines alike.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The instant every question is asked at (as in `checks.rs`).
const NOW: Time = Time::from_millis(0);

/// The timings are taken in rounds, the engines in turn, each round on its own slice of
/// the questions: machine load that comes and goes then falls on both engines alike, and
/// over all rounds every question is asked.
const ROUNDS: usize = 5;

/// Easel's share of a round: throughput for 2 s in all, and 100,000 checks timed alone.
const EASEL_ROUND: Round = Round {
    passes_for: Duration::from_millis(2_000 / ROUNDS as u64),
    max_samples: 100_000 / ROUNDS,
    budget: Duration::from_secs(60),
    min_samples: 100_000 / ROUNDS,
};

/// Cedar's share of a round (per policy file): throughput for 2 s in all (a pass at
/// least), and checks timed alone for about 10 s in all, at least 20,000.
const CEDAR_ROUND: Round = Round {
    passes_for: Duration::from_millis(2_000 / ROUNDS as u64),
    max_samples: 2_000_000 / ROUNDS,
    budget: Duration::from_millis(10_000 / ROUNDS as u64),
    min_samples: 20_000 / ROUNDS,
};

/// How many mismatches to print when the engines disagree.
const SHOWN_MISMATCHES: usize = 10;

struct Args {
    size: String,
    questions: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        size: "small".into(),
        questions: 200_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--size" => args.size = it.next().ok_or("--size needs a value")?,
            "--questions" => {
                args.questions = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--questions needs a positive number")?;
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}`: --size tiny|small|medium|large [--questions N]"
                ));
            }
        }
    }
    Ok(args)
}

/// One engine's numbers.
struct Timing {
    throughput_per_s: f64,
    p50_us: f64,
    p99_us: f64,
    samples: usize,
}

impl Timing {
    fn new(measured: &Measured) -> Timing {
        let sorted = measured.sorted_times();
        Timing {
            throughput_per_s: measured.per_second(),
            p50_us: micros(percentile(&sorted, 0.5)),
            p99_us: micros(percentile(&sorted, 0.99)),
            samples: sorted.len(),
        }
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "throughput_per_s": self.throughput_per_s.round(),
            "p50_us": round3(self.p50_us),
            "p99_us": round3(self.p99_us),
            "latency_samples": self.samples,
        })
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn print_timing(name: &str, t: &Timing) {
    println!(
        "{name}: {:.3} M checks/s; latency p50 {:.3} µs, p99 {:.3} µs ({} checks timed alone)",
        t.throughput_per_s / 1e6,
        t.p50_us,
        t.p99_us,
        t.samples
    );
}

/// The one-minute load average at the end of the timings, to read them against (`None`
/// without `/proc`).
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn run() -> Result<ExitCode, String> {
    let args = parse_args()?;

    // Set-up times are measured as they happen but printed only once the answers agree.
    let before = resident_kib();
    let started = Instant::now();
    let state = dataset::load(&args.size)?;
    let easel_load = started.elapsed();
    let easel_mib = mib(resident_kib().saturating_sub(before));
    let grants = dataset::grant_count(&state);
    println!(
        "dataset {}: {} boards, {} users, {grants} direct grants",
        args.size,
        state.board_count(),
        state.user_count(),
    );

    let questions = dataset::questions(&state, args.questions)?;
    let easel_requests = dataset::easel_requests(&questions)?;

    let before = resident_kib();
    let started = Instant::now();
    let entities = cedar::entities(&state, NOW)?;
    let cedar_build = started.elapsed();
    let cedar_mib = mib(resident_kib().saturating_sub(before));
    let cedar_requests = cedar::requests(&state, &questions)?;
    let entity_count = entities.iter().count();
    let formulations = cedar::FORMULATIONS
        .iter()
        .map(|f| Ok((f, cedar::policies(f)?)))
        .collect::<Result<Vec<_>, String>>()?;

    // Agreement first, for every formulation: no timing is worth printing if the answers
    // differ.
    let mut compared = 0;
    let mut allowed = 0;
    for (formulation, policies) in &formulations {
        let cedar_side = CedarSide {
            policies,
            entities: &entities,
            requests: &cedar_requests,
        };
        let outcome = compare(
            &state,
            NOW,
            &questions,
            &easel_requests,
            &cedar_side,
            SHOWN_MISMATCHES,
        );
        if outcome.mismatches > 0 {
            eprintln!(
                "DISAGREEMENT ({}): {} of {} questions answered differently; the first:",
                formulation.file, outcome.mismatches, outcome.compared
            );
            for m in &outcome.first {
                eprintln!("  {m}");
            }
            return Ok(ExitCode::FAILURE);
        }
        (compared, allowed) = (outcome.compared, outcome.allowed);
    }
    println!(
        "agreement: {compared} questions, every answer the same with each of {} policy files ({:.1}% allowed)",
        formulations.len(),
        100.0 * allowed as f64 / compared.max(1) as f64
    );
    println!(
        "set-up: easel state loaded in {:.2} s; {entity_count} cedar entities built in {:.2} s",
        easel_load.as_secs_f64(),
        cedar_build.as_secs_f64()
    );

    // Timing, one thread, the same questions; the agreement pass warmed both up.
    let authorizer = Authorizer::new();
    let mut easel_measured = Measured::default();
    let mut cedar_measured = vec![Measured::default(); formulations.len()];
    let slice = questions.len().div_ceil(ROUNDS);
    for r in 0..ROUNDS {
        let range = (r * slice).min(questions.len())..((r + 1) * slice).min(questions.len());
        round(
            &easel_requests[range.clone()],
            &EASEL_ROUND,
            &mut easel_measured,
            |q| decide(&state, q, NOW).allowed,
        );
        for ((_, policies), measured) in formulations.iter().zip(&mut cedar_measured) {
            round(
                &cedar_requests[range.clone()],
                &CEDAR_ROUND,
                measured,
                |q| authorizer.is_authorized(q, policies, &entities).decision() == Decision::Allow,
            );
        }
    }
    let easel = Timing::new(&easel_measured);
    let cedar_timings: Vec<_> = formulations
        .iter()
        .zip(&cedar_measured)
        .map(|((f, policies), m)| (*f, policies.policies().count(), Timing::new(m)))
        .collect();
    let load = load_average();

    print_timing("easel", &easel);
    for (formulation, count, timing) in &cedar_timings {
        print_timing(&format!("{} ({count} policies)", formulation.name), timing);
        println!(
            "  easel/{} throughput: {:.1}x",
            formulation.name,
            easel.throughput_per_s / timing.throughput_per_s
        );
    }
    println!(
        "resident memory added (approximate): easel state {easel_mib:.0} MiB, cedar entities {cedar_mib:.0} MiB"
    );

    let mut report = json!({
        "size": args.size,
        "boards": state.board_count(),
        "users": state.user_count(),
        "grants": grants,
        "questions_compared": compared,
        "allowed_fraction": round3(allowed as f64 / compared.max(1) as f64),
        "easel": easel.json(),
        "easel_state_load_s": round3(easel_load.as_secs_f64()),
        "cedar_entities": entity_count,
        "cedar_entities_build_s": round3(cedar_build.as_secs_f64()),
        "easel_state_mib": easel_mib.round(),
        "cedar_entities_mib": cedar_mib.round(),
        "load_average_1m": load,
        "agreement": true,
    });
    // The first formulation is Cedar's result (`cedar`); the others are reported beside it.
    if let Some((_, _, main)) = cedar_timings.first() {
        report["easel_cedar_throughput_ratio"] =
            json!(round3(easel.throughput_per_s / main.throughput_per_s));
    }
    for (formulation, count, timing) in &cedar_timings {
        let mut entry = timing.json();
        entry["policy_file"] = json!(formulation.file);
        entry["policies"] = json!(count);
        entry["easel_throughput_ratio"] =
            json!(round3(easel.throughput_per_s / timing.throughput_per_s));
        report[formulation.name] = entry;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let path = dir.join(format!("peers-{}.json", args.size));
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n").map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
