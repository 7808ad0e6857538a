//! The storage suite on PostgreSQL (`suite::storage_suite!`), each database a fresh schema,
//! plus what only a shared database allows: two nodes writing to one organization, and one
//! writing its tables past another's commit. Reads `EASEL_TEST_POSTGRES_URL` (`.ci/run`
//! sets it and starts the server); without it the tests say so and pass.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

mod suite;

use std::cell::RefCell;
use std::collections::BTreeMap;

use easel_core::catalog::Plan;
use easel_core::command::{Actor, AuditOutcome, AuditRecord, Command, Outcome};
use easel_core::event::Event;
use easel_store::tables::{rows_for, touched};
use easel_store::{Backend, Commit, Durable, PostgresBackend, StoreError};

fn url() -> Option<String> {
    let url = std::env::var("EASEL_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("EASEL_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped");
    }
    url
}

/// A schema no other test uses.
fn fresh_schema(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("easel_test_{name}_{}_{nanos}", std::process::id())
}

fn connect(url: &str, schema: &str) -> PostgresBackend {
    PostgresBackend::connect(url, schema, |n, e| {
        eprintln!("connecting, attempt {n}: {e}")
    })
    .unwrap_or_else(|e| panic!("PostgreSQL at EASEL_TEST_POSTGRES_URL: {e}"))
}

fn drop_schema(url: &str, schema: &str) {
    if let Ok(mut client) = postgres::Client::connect(url, postgres::NoTls) {
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}

/// Schemas of one database, one per name, dropped when done.
struct Schemas {
    url: String,
    names: RefCell<BTreeMap<String, String>>,
}

impl Schemas {
    fn schema(&self, name: &str) -> String {
        let mut names = self.names.borrow_mut();
        names
            .entry(name.to_string())
            .or_insert_with(|| fresh_schema(name))
            .clone()
    }
}

impl suite::Store for Schemas {
    type Backend = PostgresBackend;

    fn open(&self, name: &str) -> PostgresBackend {
        connect(&self.url, &self.schema(name))
    }

    fn run_sql(&self, name: &str, sql: &str) {
        let mut client =
            postgres::Client::connect(&self.url, postgres::NoTls).unwrap_or_else(|e| panic!("{e}"));
        let schema = self.schema(name);
        client
            .batch_execute(&format!("SET search_path TO {schema}; {sql}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        for schema in self.names.borrow().values() {
            drop_schema(&self.url, schema);
        }
    }
}

suite::storage_suite!(url().map(|url| Schemas {
    url,
    names: RefCell::default(),
}));

#[test]
fn two_nodes_share_one_database_and_never_commit_against_the_same_version() {
    let Some(url) = url() else { return };
    let schema = fresh_schema("nodes");
    let (mut a, _) = Durable::open(connect(&url, &schema)).unwrap_or_else(|e| panic!("{e}"));
    let (mut b, _) = Durable::open(connect(&url, &schema)).unwrap_or_else(|e| panic!("{e}"));
    let accepted = |(outcome, revision): (Outcome, Option<i64>)| {
        assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
        revision.unwrap_or_else(|| panic!("no revision"))
    };
    let now = suite::day(1);
    for user in ["ana", "ben"] {
        let create = Command::CreateUser {
            user: user.into(),
            email: format!("{user}@acme.test"),
            name: String::new(),
        };
        accepted(
            a.run(Actor::System, &create, now)
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    let org = Command::CreateOrg {
        org: "acme".into(),
        name: "Acme".into(),
        plan: Plan::Enterprise,
        owner: None,
    };
    let r1 = accepted(
        a.run(Actor::user("ana"), &org, now)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    // Node b has not seen the organization: its first command catches up (after losing the
    // race on the organization's version) and is decided against fresh state.
    let team = Command::CreateTeam {
        org: "acme".into(),
        team: "design".into(),
        name: "Design".into(),
    };
    let r2 = accepted(
        b.run(Actor::user("ana"), &team, now)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(r2 > r1, "revisions grow across nodes");
    // And node a, behind now, does the same.
    let board = Command::CreateBoard {
        team: "design".into(),
        board: "roadmap".into(),
        name: "Roadmap".into(),
        project: None,
        setup: Default::default(),
    };
    accepted(
        a.run(Actor::user("ana"), &board, now)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    b.catch_up().unwrap_or_else(|e| panic!("{e}"));
    assert!(a.state() == b.state(), "both nodes hold the same state");
    assert_eq!(a.revision(), b.revision());
    suite::replay::assert_tables_match(&mut b, "after two nodes wrote");
    drop_schema(&url, &schema);
}

/// Node a commits a board; before a writes its tables, node b commits a change to the same
/// board and writes its own: the tables are behind until a, refused its older rows, writes
/// them again from the state it catches up to. Then nothing is behind and every row is
/// right.
#[test]
fn a_commit_whose_tables_another_node_wrote_past_is_filled_in_after() {
    let Some(url) = url() else { return };
    let schema = fresh_schema("gap");
    let (mut a, _) = Durable::open(connect(&url, &schema)).unwrap_or_else(|e| panic!("{e}"));
    let (mut b, _) = Durable::open(connect(&url, &schema)).unwrap_or_else(|e| panic!("{e}"));
    let ok = |r: Result<(Outcome, Option<i64>), StoreError>| match r {
        Ok((Outcome::Accepted { .. }, Some(revision))) => revision,
        other => panic!("{other:?}"),
    };
    let now = suite::day(1);
    for (i, (actor, command)) in suite::script().into_iter().take(5).enumerate() {
        let actor = actor.map_or(Actor::System, Actor::user);
        ok(a.run(actor, &command, suite::day(i as i64 + 1)));
    }
    // Node a's commit, made by hand so that its tables wait.
    let event = Event::BoardCreated {
        board: "roadmap".into(),
        team: "design".into(),
        project: None,
        owner: "ana".into(),
        name: "Roadmap".into(),
        team_access: easel_core::roles::Access::Editor,
        company_access: easel_core::roles::Access::None,
        public_access: easel_core::roles::Access::None,
        content: Default::default(),
        description: String::new(),
        stamp: None,
    };
    let keys = touched(&a.state(), &event);
    let audit = AuditRecord {
        org: "acme".into(),
        at: now,
        actor: Some("ana".into()),
        action: "create_board".into(),
        target: "board:roadmap".into(),
        outcome: AuditOutcome::Allowed,
        changes: vec![],
    };
    let versions = a.backend().org_versions().unwrap_or_else(|e| panic!("{e}"));
    let commit = Commit {
        org: "acme",
        expected_version: versions.get("acme").copied().unwrap_or(0),
        at: now,
        action: "create_board",
        events: std::slice::from_ref(&event),
        audits: std::slice::from_ref(&audit),
    };
    let mine = a
        .backend()
        .commit(&commit)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ahead = a.state().clone();
    ahead.apply(&event).unwrap_or_else(|e| panic!("{e}"));
    // Node b renames the board, and writes its tables.
    let rename = Command::RenameBoard {
        board: "roadmap".into(),
        name: "Plan".into(),
        description: String::new(),
    };
    let theirs = ok(b.run(Actor::user("ana"), &rename, now));
    assert!(theirs > mine);
    assert!(
        b.backend().tables_stale().unwrap_or_else(|e| panic!("{e}")),
        "the tables are behind while a's commit is not written"
    );
    // a's rows from the state of its own commit would undo b's rename: refused.
    let old_rows = rows_for(&ahead, &keys);
    assert!(matches!(
        a.backend().write_tables(&old_rows, &[mine], mine),
        Err(StoreError::Conflict(_))
    ));
    a.catch_up().unwrap_or_else(|e| panic!("{e}"));
    let rows = rows_for(&a.state(), &keys);
    let at = a.revision();
    a.backend()
        .write_tables(&rows, &[mine], at)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!a.backend().tables_stale().unwrap_or_else(|e| panic!("{e}")));
    suite::replay::assert_tables_match(&mut a, "after both nodes wrote");
    drop_schema(&url, &schema);
}
