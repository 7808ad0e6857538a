//! Runs every scenario file in `tests/scenarios/` against the engine.

use std::path::Path;

use easel_testkit::scenario;

/// The catalog of rules is only as good as its coverage; this floor keeps it from eroding.
const MIN_CASES: usize = 150;

#[test]
fn scenario_files_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let files = scenario::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut cases = 0;
    for (name, parsed) in &files {
        cases += scenario::case_count(parsed);
        match scenario::run(parsed) {
            Ok(fails) => failures.extend(fails.into_iter().map(|f| format!("{name}: {f}"))),
            Err(e) => failures.push(format!("{name}: building the state: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenario failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        cases >= MIN_CASES,
        "only {cases} scenario cases; at least {MIN_CASES} are expected"
    );
    println!("{} scenario files, {cases} cases", files.len());
}
