//! Import of 1,000,000 records into a fresh SQLite database, and the reload after it. Run
//! with `cargo bench -p easel-store --bench import`; prints the timings.
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark over generated data that cannot fail to parse"
)]

use std::fmt::Write as _;
use std::time::Instant;

use easel_core::time::Time;
use easel_store::jsonl::import;
use easel_store::{Durable, SqliteBackend};

/// Records: 1 organization, 100,000 users and memberships, 2,000 teams, 200,000 team
/// memberships, 250,000 boards and 447,999 board members: 1,000,000 in all.
fn records() -> String {
    let mut out = String::with_capacity(160 << 20);
    out.push_str(r#"{"type":"organization","id":"o","name":"Bench","plan":"enterprise"}"#);
    out.push('\n');
    let users = 100_000;
    for u in 0..users {
        let _ = writeln!(
            out,
            r#"{{"type":"user","id":"u{u}","email":"u{u}@bench.test"}}"#
        );
    }
    for u in 0..users {
        let _ = writeln!(
            out,
            r#"{{"type":"org_member","org":"o","user":"u{u}","kind":"member"}}"#
        );
    }
    for t in 0..2_000 {
        let _ = writeln!(
            out,
            r#"{{"type":"team","id":"t{t}","org":"o","name":"T{t}"}}"#
        );
    }
    for m in 0..200_000 {
        let _ = writeln!(
            out,
            r#"{{"type":"team_member","team":"t{}","user":"u{}","role":"member"}}"#,
            m % 2_000,
            (m * 7) % users
        );
    }
    let boards = 250_000;
    for b in 0..boards {
        let owner = ((b % 2_000) * 7 + (b / 2_000) * 14_000) % users;
        let _ = writeln!(
            out,
            r#"{{"type":"board","id":"b{b}","team":"t{}","owner":"u{owner}","teamAccess":"viewer","organizationAccess":"private","publicAccess":"private"}}"#,
            b % 2_000
        );
    }
    let mut written = 1 + 2 * users + 2_000 + 200_000 + boards;
    let mut i = 0;
    while written < 1_000_000 {
        let b = i % boards;
        let owner = ((b % 2_000) * 7 + (b / 2_000) * 14_000) % users;
        let user = (owner + 1 + i / boards) % users;
        let _ = writeln!(
            out,
            r#"{{"type":"board_member","board":"b{b}","user":"u{user}","role":"editor"}}"#
        );
        written += 1;
        i += 1;
    }
    out
}

fn main() {
    let text = records();
    let lines = text.lines().count();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let started = Instant::now();
    let (mut durable, _) = Durable::open(SqliteBackend::open(&path).unwrap()).unwrap();
    let events = import(&durable.state(), text.as_bytes()).unwrap();
    let parsed = started.elapsed();
    durable.import(&events, Time::from_millis(0)).unwrap();
    let total = started.elapsed();
    drop(durable);
    let reopened = Instant::now();
    let (durable, report) = Durable::open(SqliteBackend::open(&path).unwrap()).unwrap();
    let load = reopened.elapsed();
    println!("records: {lines}");
    println!("import (parse and check): {:.2} s", parsed.as_secs_f64());
    println!("import (total, committed): {:.2} s", total.as_secs_f64());
    println!(
        "reload: {:.2} s ({} events)",
        load.as_secs_f64(),
        report.events
    );
    println!("boards after reload: {}", durable.state().board_count());
}
