//! The Cedar model checked against Easel beyond the benchmark's dataset, which has no
//! guests, groups, admins, project members, trash or settings switched off: every state
//! the scenario files of easel-core describe, with each check's changes and instant, asked
//! every (user, board, view or edit) question, under each policy file.

use std::path::Path;

use easel_core::scenario::{DEFAULT_NOW, load_dir};
use easel_core::{State, Time};
use easel_peers_bench::agreement::{CedarSide, compare};
use easel_peers_bench::cedar;
use easel_peers_bench::dataset::{Question, easel_requests};

/// Every user, on every board, for both actions.
fn every_question(state: &State) -> Vec<Question> {
    let mut all = Vec::new();
    for (user, _) in state.all_users() {
        for (board, _) in state.all_boards() {
            for edit in [false, true] {
                all.push(Question { user, board, edit });
            }
        }
    }
    all
}

fn instant(text: Option<&str>) -> Result<Time, String> {
    let text = text.unwrap_or(DEFAULT_NOW);
    Time::parse(text).ok_or_else(|| format!("bad instant `{text}`"))
}

#[test]
fn cedar_agrees_with_easel_on_every_scenario_state() -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/easel-core/tests/scenarios");
    let scenarios = load_dir(&dir)?;
    if scenarios.is_empty() {
        return Err(format!("no scenario files in {}", dir.display()));
    }
    let formulations = cedar::FORMULATIONS
        .iter()
        .map(|f| Ok((f.file, cedar::policies(f)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut compared = 0;
    let mut mismatches = 0;
    let mut failures = Vec::new();
    for (name, scenario) in &scenarios {
        let base = scenario.given.build().map_err(|e| format!("{name}: {e}"))?;
        // The given state at the default instant, then each check's own variant of it.
        let mut variants = vec![(base.clone(), instant(None)?)];
        for check in &scenario.checks {
            if check.changes.is_empty() && check.now.is_none() {
                continue;
            }
            let mut state = base.clone();
            for change in &check.changes {
                change
                    .apply(&mut state)
                    .map_err(|e| format!("{name}, {}: {e}", check.name))?;
            }
            variants.push((state, instant(check.now.as_deref())?));
        }
        for (state, now) in &variants {
            let questions = every_question(state);
            let entities = cedar::entities(state, *now).map_err(|e| format!("{name}: {e}"))?;
            let requests = cedar::requests(state, &questions)?;
            let easel = easel_requests(&questions)?;
            for (file, policies) in &formulations {
                let side = CedarSide {
                    policies,
                    entities: &entities,
                    requests: &requests,
                };
                let outcome = compare(state, *now, &questions, &easel, &side, 5);
                compared += outcome.compared;
                mismatches += outcome.mismatches;
                failures.extend(
                    outcome
                        .first
                        .iter()
                        .map(|m| format!("{file}, {name} at {now}: {m}")),
                );
            }
        }
    }
    if mismatches == 0 {
        println!(
            "{compared} questions over {} scenario files and {} policy files, all agreeing",
            scenarios.len(),
            formulations.len()
        );
        Ok(())
    } else {
        // A wrong policy shows up on many states at once: the first few are enough to read.
        failures.truncate(20);
        Err(format!(
            "Cedar and Easel disagree on {mismatches} of {compared} questions; the first:\n{}",
            failures.join("\n")
        ))
    }
}
