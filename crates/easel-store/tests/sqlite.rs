//! The SQLite backend: what is acknowledged is there after reopening; refused commands leave
//! only their audit record; a second opener, a foreign file and a stale writer are refused.

use easel_core::Code;
use easel_core::catalog::Plan;
use easel_core::command::{Actor, AuditOutcome, Command, Outcome};
use easel_core::event::Event;
use easel_core::roles::BoardRole;
use easel_core::time::Time;
use easel_store::{Backend, Commit, Durable, SqliteBackend, StoreError};

fn day(n: i64) -> Time {
    Time::from_millis(n * 86_400_000)
}

fn script() -> Vec<(Option<&'static str>, Command)> {
    let user = |id: &str| Command::CreateUser {
        user: id.into(),
        email: format!("{id}@acme.test"),
        name: String::new(),
    };
    vec![
        (None, user("ana")),
        (None, user("ben")),
        (
            Some("ana"),
            Command::CreateOrg {
                org: "acme".into(),
                name: "Acme".into(),
                plan: Plan::Enterprise,
            },
        ),
        (
            Some("ana"),
            Command::AddMember {
                org: "acme".into(),
                user: "ben".into(),
                email: "ben@acme.test".into(),
                name: String::new(),
                kind: easel_core::roles::MemberKind::Member,
            },
        ),
        (
            Some("ana"),
            Command::CreateTeam {
                org: "acme".into(),
                team: "design".into(),
                name: "Design".into(),
            },
        ),
        (
            Some("ana"),
            Command::CreateBoard {
                team: "design".into(),
                board: "roadmap".into(),
                name: "Roadmap".into(),
                project: None,
            },
        ),
        (
            Some("ana"),
            Command::ShareBoard {
                board: "roadmap".into(),
                emails: vec!["ben@acme.test".into()],
                role: BoardRole::Editor,
            },
        ),
    ]
}

#[test]
fn acknowledged_commands_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    let (state, revision) = {
        let (mut durable, report) = Durable::open(SqliteBackend::open(&path).unwrap()).unwrap();
        assert_eq!(report.entries, 0);
        for (i, (actor, command)) in script().into_iter().enumerate() {
            let actor = actor.map_or(Actor::System, Actor::user);
            let (outcome, revision) = durable.run(actor, &command, day(i as i64 + 1)).unwrap();
            assert!(
                matches!(outcome, Outcome::Accepted { .. }),
                "{command:?}: {outcome:?}"
            );
            assert_eq!(
                revision,
                Some(i as i64 + 1),
                "one revision per committed command"
            );
        }
        // A refused command: only its audit record is stored.
        let refused = Command::ShareBoard {
            board: "roadmap".into(),
            emails: vec!["ana@acme.test".into()],
            role: BoardRole::Viewer,
        };
        let (outcome, revision) = durable.run(Actor::user("ben"), &refused, day(9)).unwrap();
        assert!(outcome.refusal().is_some() && revision.is_none());
        (durable.state().clone(), durable.revision())
    };
    let (mut durable, report) = Durable::open(SqliteBackend::open(&path).unwrap()).unwrap();
    assert_eq!(report.entries, 7);
    assert!(report.events >= 7);
    assert!(
        durable.state() == &state,
        "the reopened state equals the state before"
    );
    assert_eq!(durable.revision(), revision);
    let audit = durable.backend().audit("acme", 0, 100).unwrap();
    let actions: Vec<&str> = audit.iter().map(|(_, a)| a.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create_org",
            "add_member",
            "create_team",
            "create_board",
            "share_board",
            "share_board"
        ]
    );
    assert_eq!(audit[4].1.outcome, AuditOutcome::Allowed);
    assert!(matches!(audit[5].1.outcome, AuditOutcome::Refused { .. }));
    assert!(audit[5].1.changes.is_empty());
    // Audit paging.
    let first = durable.backend().audit("acme", 0, 2).unwrap();
    let rest = durable.backend().audit("acme", first[1].0, 100).unwrap();
    assert_eq!(first.len() + rest.len(), 6);
}

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
fn a_stale_writer_gets_a_conflict_and_nothing_is_written() {
    let mut backend = SqliteBackend::in_memory().unwrap();
    let events = [Event::UserCreated {
        user: "ana".into(),
        email: "ana@acme.test".into(),
        name: String::new(),
    }];
    let audit = easel_core::command::AuditRecord {
        org: "acme".into(),
        at: day(1),
        actor: None,
        action: "create_user".into(),
        target: "user:ana".into(),
        outcome: AuditOutcome::Allowed,
        changes: vec![],
    };
    let commit = |v| Commit {
        org: "acme",
        expected_version: v,
        at: day(1),
        action: "create_user",
        events: &events,
        audit: &audit,
    };
    assert_eq!(backend.commit(&commit(0)).unwrap(), 1);
    // A second writer decided against version 0 too: refused.
    assert!(matches!(
        backend.commit(&commit(0)),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(backend.changes_since(0).unwrap().len(), 1);
    assert_eq!(backend.audit("acme", 0, 10).unwrap().len(), 1);
    assert_eq!(backend.org_versions().unwrap().get("acme"), Some(&1));
    assert_eq!(backend.commit(&commit(1)).unwrap(), 2);
    assert_eq!(
        StoreError::Conflict("acme".into()).code(),
        Code::RequestConflict
    );
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
    assert_eq!(version, "1");
}
