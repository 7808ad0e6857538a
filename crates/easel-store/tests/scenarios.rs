//! The engine's command scenarios replayed through the store: each file's given state is
//! imported, its steps run through `Durable`, and after reopening the database the state is
//! the one the engine reached in memory, and every check answers the same.

use std::path::Path;

use easel_core::command::Actor;
use easel_core::scenario::{self, answer};
use easel_core::time::Time;
use easel_store::{Durable, SqliteBackend};

#[test]
fn command_scenarios_survive_the_store_and_a_restart() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../easel-core/tests/commands");
    let files = scenario::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut replayed = 0;
    for (name, parsed) in &files {
        if parsed.given.has_credentials() {
            continue;
        }
        let events = parsed
            .given
            .events()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let path = tmp.path().join(format!("{name}.db"));
        // The same events on both sides (password hashes are salted afresh on each build).
        let mut memory = easel_core::State::new();
        for event in &events {
            memory
                .apply(event)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        {
            let backend = SqliteBackend::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let (mut durable, _) = Durable::open(backend).unwrap_or_else(|e| panic!("{name}: {e}"));
            durable
                .import(&events, Time::from_millis(0))
                .unwrap_or_else(|e| panic!("{name}: importing: {e}"));
            for step in &parsed.steps {
                let Some(command) = &step.command else {
                    continue;
                };
                let at = Time::parse(step.now.as_deref().unwrap_or(scenario::DEFAULT_NOW))
                    .unwrap_or_default();
                let actor = step.user.as_deref().map_or(Actor::System, Actor::user);
                let stored = durable
                    .run(actor, command, at)
                    .unwrap_or_else(|e| panic!("{name}: `{}`: {e}", step.name))
                    .0;
                let in_memory = easel_core::command::run(&mut memory, actor, command, at);
                assert_eq!(
                    stored.refusal().map(|r| r.code),
                    in_memory.refusal().map(|r| r.code),
                    "{name}: `{}`",
                    step.name
                );
            }
        }
        // A restart: the state is rebuilt from the file alone.
        let backend =
            SqliteBackend::open(&path).unwrap_or_else(|e| panic!("{name}: reopening: {e}"));
        let (durable, _) =
            Durable::open(backend).unwrap_or_else(|e| panic!("{name}: replaying: {e}"));
        assert!(
            durable.state() == &memory,
            "{name}: the restarted state differs from the engine's"
        );
        for step in &parsed.steps {
            if let Some(check) = &step.check {
                let after =
                    answer(durable.state(), check).unwrap_or_else(|e| panic!("{name}: {e}"));
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
    println!("{replayed} command scenario files replayed through SQLite and a restart");
}
