//! Runs every command scenario in `tests/commands/`: ordered steps on one state, each
//! command with its outcome, events and audit record, and replay of the events at the end.

use std::path::Path;

use easel_testkit::scenario;

/// Every command has scenarios; this floor keeps them from eroding.
const MIN_STEPS: usize = 200;

#[test]
fn command_scenarios_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/commands");
    let files = scenario::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut steps = 0;
    for (name, parsed) in &files {
        steps += parsed.steps.len();
        match scenario::run_steps(parsed) {
            Ok(fails) => failures.extend(fails.into_iter().map(|f| format!("{name}: {f}"))),
            Err(e) => failures.push(format!("{name}: building the state: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        steps >= MIN_STEPS,
        "only {steps} command steps; at least {MIN_STEPS} are expected"
    );
    println!("{} command scenario files, {steps} steps", files.len());
}
