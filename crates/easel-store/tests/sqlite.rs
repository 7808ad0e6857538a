//! The SQLite backend: the storage suite (`suite::storage_suite!`), on files in a temporary
//! folder; and what only a file has: a second opener and a foreign file are refused, and the
//! migrations run once.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

mod suite;

use easel_store::{SqliteBackend, StoreError};

/// Database files in a folder of their own, one per name.
struct Files(tempfile::TempDir);

impl Files {
    fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.path().join(format!("{name}.db"))
    }
}

impl suite::Store for Files {
    type Backend = SqliteBackend;

    fn open(&self, name: &str) -> SqliteBackend {
        SqliteBackend::open(&self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn run_sql(&self, name: &str, sql: &str) {
        let conn = rusqlite::Connection::open(self.path(name)).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(sql).unwrap_or_else(|e| panic!("{e}"));
    }
}

suite::storage_suite!(Some(Files(
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
)));

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
    assert_eq!(version, "11");
}
