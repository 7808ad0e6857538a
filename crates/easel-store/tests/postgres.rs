//! The storage suite on PostgreSQL, each test in a fresh schema, plus what only a shared
//! database allows: two nodes writing to one organization. Reads `EASEL_TEST_POSTGRES_URL`
//! (`.ci/run` sets it and starts the server); without it the tests say so and pass.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

mod suite;

use easel_core::catalog::Plan;
use easel_core::command::{Actor, Command, Outcome};
use easel_store::{Durable, PostgresBackend};

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

#[test]
fn postgres_passes_the_storage_suite() {
    let Some(url) = url() else { return };
    let schema = fresh_schema("suite");
    suite::acknowledged_commands_survive_reopening(|| connect(&url, &schema));
    let grouped = fresh_schema("grouped");
    suite::a_group_commits_in_order_and_survives_reopening(|| connect(&url, &grouped));
    let other = fresh_schema("conflict");
    suite::a_stale_writer_gets_a_conflict_and_nothing_is_written(connect(&url, &other));
    let retention = fresh_schema("retention");
    suite::audit_retention_removes_old_records_and_says_so(connect(&url, &retention));
    drop_schema(&url, &schema);
    drop_schema(&url, &grouped);
    drop_schema(&url, &other);
    drop_schema(&url, &retention);
}

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

#[test]
fn command_scenarios_survive_postgres_and_a_restart() {
    let Some(url) = url() else { return };
    let mut schemas = std::collections::BTreeMap::new();
    let (replayed, _) = suite::replay::command_scenarios(|name| {
        let schema = schemas
            .entry(name.to_string())
            .or_insert_with(|| fresh_schema(name.trim_end_matches(".toml")));
        connect(&url, schema)
    });
    for schema in schemas.values() {
        drop_schema(&url, schema);
    }
    println!("{replayed} command scenario files replayed through PostgreSQL and a restart");
}

#[test]
fn an_upgraded_postgres_database_gets_its_state_tables() {
    let Some(url) = url() else { return };
    let schema = fresh_schema("upgrade");
    suite::an_upgraded_database_gets_its_state_tables(
        || connect(&url, &schema),
        || {
            let mut client =
                postgres::Client::connect(&url, postgres::NoTls).unwrap_or_else(|e| panic!("{e}"));
            client
                .batch_execute(&format!(
                    "SET search_path TO {schema}; {}",
                    suite::downgrade_to_version_1()
                ))
                .unwrap_or_else(|e| panic!("{e}"));
        },
    );
    drop_schema(&url, &schema);
}

#[test]
fn every_kind_of_event_reaches_the_postgres_tables() {
    let Some(url) = url() else { return };
    let schema = fresh_schema("events");
    suite::events::every_kind_of_event_reaches_the_tables(connect(&url, &schema));
    drop_schema(&url, &schema);
}
