//! The engine's command scenarios replayed through a backend: each file's given state is
//! imported and its steps run through `Durable`. After every step the state tables hold
//! exactly the rows of the in-memory state; after reopening, the state is the one the
//! engine reached in memory and every check answers the same.

use std::collections::BTreeSet;
use std::path::Path;

use easel_core::event::Event;
use easel_core::time::Time;
use easel_store::tables::{Tables, snapshot};
use easel_store::{Backend, Durable};
use easel_testkit::scenario::{self, answer};

/// The differences between the tables a backend holds and the rows of a state.
pub fn table_differences(stored: &Tables, expected: &Tables) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in expected {
        let empty = Default::default();
        let have = stored.get(table).unwrap_or(&empty);
        for row in rows.difference(have) {
            out.push(format!("{table}: missing {row:?}"));
        }
        for row in have.difference(rows) {
            out.push(format!("{table}: unexpected {row:?}"));
        }
    }
    out
}

/// Asserts the backend's tables are the state's rows.
pub fn assert_tables_match<B: Backend>(durable: &mut Durable<B>, context: &str) {
    let expected = snapshot(&durable.state());
    let stored = durable.backend().state_tables().unwrap();
    let diff = table_differences(&stored, &expected);
    assert!(
        diff.is_empty(),
        "{context}: the state tables differ from the state:\n{}",
        diff.join("\n")
    );
}

/// Replays every command scenario file without credentials; `open(name)` opens (the
/// first time, creates) the database of one file. Returns how many files were replayed and
/// the kinds of event they committed.
pub fn command_scenarios<B: Backend>(
    mut open: impl FnMut(&str) -> B,
) -> (usize, BTreeSet<&'static str>) {
    let mut kinds = BTreeSet::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../easel-core/tests/commands");
    let files = scenario::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut replayed = 0;
    for (name, parsed) in &files {
        let events = parsed
            .given
            .events()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // The same events on both sides (password hashes are salted afresh on each build).
        let mut memory = easel_core::State::new();
        for event in &events {
            memory
                .apply(event)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        {
            let (mut durable, _) =
                Durable::open(open(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            durable
                .import(&events, Time::from_millis(0))
                .unwrap_or_else(|e| panic!("{name}: importing: {e}"));
            assert_tables_match(&mut durable, &format!("{name}: after the import"));
            for step in &parsed.steps {
                let Some(command) = &step.command else {
                    continue;
                };
                let at = Time::parse(step.now.as_deref().unwrap_or(scenario::DEFAULT_NOW))
                    .unwrap_or_default();
                let actor = step
                    .actor()
                    .unwrap_or_else(|e| panic!("{name}: `{}`: {e}", step.name));
                let stored = durable
                    .run(actor, command, at)
                    .unwrap_or_else(|e| panic!("{name}: `{}`: {e}", step.name))
                    .0;
                let in_memory = easel_core::command::run(
                    &mut memory,
                    actor,
                    command,
                    at,
                    easel_testkit::ENTROPY,
                );
                assert_eq!(
                    stored.refusal().map(|r| r.code),
                    in_memory.refusal().map(|r| r.code),
                    "{name}: `{}`",
                    step.name
                );
                assert_tables_match(&mut durable, &format!("{name}: `{}`", step.name));
            }
        }
        // A restart: the state is rebuilt from the database alone.
        let (mut durable, _) =
            Durable::open(open(name)).unwrap_or_else(|e| panic!("{name}: replaying: {e}"));
        assert!(
            durable.state() == &memory,
            "{name}: the restarted state differs from the engine's"
        );
        assert_tables_match(&mut durable, &format!("{name}: after a restart"));
        for entry in durable.backend().changes_since(0).unwrap() {
            kinds.extend(entry.events().unwrap().iter().map(Event::kind));
        }
        for step in &parsed.steps {
            if let Some(check) = &step.check {
                let after =
                    answer(&durable.state(), check).unwrap_or_else(|e| panic!("{name}: {e}"));
                let before = answer(&memory, check).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(after, before, "{name}: `{}` after a restart", step.name);
            }
        }
        replayed += 1;
    }
    assert!(
        replayed >= 5,
        "only {replayed} command scenario files were replayed"
    );
    (replayed, kinds)
}
