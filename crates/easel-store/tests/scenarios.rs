//! The engine's command scenarios replayed through SQLite and a restart (the same replay
//! runs on PostgreSQL in `postgres.rs`).

mod suite;

use easel_store::SqliteBackend;

#[test]
fn command_scenarios_survive_sqlite_and_a_restart() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (replayed, kinds) = suite::replay::command_scenarios(|name| {
        SqliteBackend::open(&tmp.path().join(format!("{name}.db")))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    });
    println!("{replayed} command scenario files replayed through SQLite and a restart");
    println!("{} kinds of event: {kinds:?}", kinds.len());
}
