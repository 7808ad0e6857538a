//! The SQLite backend: what is acknowledged is there after reopening; refused commands leave
//! only their audit record; a second opener, a foreign file and a stale writer are refused.

mod suite;

use easel_store::{SqliteBackend, StoreError};

#[test]
fn a_second_opener_is_refused_while_the_first_holds_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    let first = SqliteBackend::open(&path).unwrap();
    match SqliteBackend::open(&path) {
        Err(StoreError::Locked(_)) => {}
        other => panic!("expected a lock refusal, got {:?}", other.err()),
    }
    drop(first);
    assert!(
        SqliteBackend::open(&path).is_ok(),
        "free again once the first closes"
    );
}

#[test]
fn foreign_and_corrupt_files_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "these are not the tables you are looking for\n").unwrap();
    let before = std::fs::read(&text).unwrap();
    assert!(matches!(
        SqliteBackend::open(&text),
        Err(StoreError::Foreign(_))
    ));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    assert!(matches!(
        SqliteBackend::open(&other),
        Err(StoreError::Foreign(_))
    ));
    assert_eq!(
        std::fs::read(&other).unwrap(),
        before,
        "another application's database is not modified"
    );

    let damaged = dir.path().join("damaged.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB_u8, 4096));
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(SqliteBackend::open(&damaged).is_err());
    assert_eq!(std::fs::read(&damaged).unwrap(), bytes);
}

#[test]
fn reopening_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    drop(SqliteBackend::open(&path).unwrap());
    drop(SqliteBackend::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: String = conn
        .query_row(
            "SELECT value FROM easel_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "8");
}

#[test]
fn sqlite_passes_the_storage_suite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    suite::acknowledged_commands_survive_reopening(|| SqliteBackend::open(&path).unwrap());
    let grouped = dir.path().join("grouped.db");
    suite::a_group_commits_in_order_and_survives_reopening(|| {
        SqliteBackend::open(&grouped).unwrap()
    });
    suite::a_stale_writer_gets_a_conflict_and_nothing_is_written(
        SqliteBackend::in_memory().unwrap(),
    );
}

#[test]
fn an_upgraded_sqlite_database_gets_its_state_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    suite::an_upgraded_database_gets_its_state_tables(
        || SqliteBackend::open(&path).unwrap(),
        || {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(&suite::downgrade_to_version_1())
                .unwrap();
        },
    );
}

#[test]
fn every_kind_of_event_reaches_the_sqlite_tables() {
    suite::events::every_kind_of_event_reaches_the_tables(SqliteBackend::in_memory().unwrap());
}
