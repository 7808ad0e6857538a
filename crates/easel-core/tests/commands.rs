//! Runs every command scenario in `tests/commands/`: ordered steps on one state, each
//! command with its outcome, events and audit record, and replay of the events at the end.

use std::path::Path;

use easel_core::scenario;

#[test]
fn command_scenarios_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/commands");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut steps = 0;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        match scenario::parse(&text) {
            Ok(parsed) => {
                steps += parsed.steps.len();
                match scenario::run_steps(&parsed) {
                    Ok(fails) => failures.extend(fails.into_iter().map(|f| format!("{name}: {f}"))),
                    Err(e) => failures.push(format!("{name}: building the state: {e}")),
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{} command scenario files, {steps} steps", files.len());
}
