//! Runs every scenario file in `tests/scenarios/` against the engine.

use std::path::Path;

use easel_core::scenario;

/// The catalog of rules is only as good as its coverage; this floor keeps it from eroding.
const MIN_CASES: usize = 150;

#[test]
fn scenario_files_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut cases = 0;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let parsed = match scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        cases += scenario::case_count(&parsed);
        match scenario::run(&parsed) {
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
