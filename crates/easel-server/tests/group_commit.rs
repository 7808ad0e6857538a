//! Writes through the engine's writer thread: many at once are each answered with their
//! own revision, in one order, and every acknowledged one is in the file after reopening.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

use std::sync::Arc;
use std::time::Duration;

use easel_core::command::{Command, Outcome};
use easel_server::{Acting, AnyBackend, Clock, Engine};
use easel_store::{Durable, SqliteBackend, StoreError};

fn open(path: &std::path::Path) -> Durable<AnyBackend> {
    // The engine closes its store on a thread of its own: wait for the file to be free.
    for _ in 0..200 {
        match SqliteBackend::open(path) {
            Ok(b) => return Durable::open(AnyBackend::new(b)).unwrap().0,
            Err(StoreError::Locked(_)) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("{e}"),
        }
    }
    panic!("the database stayed locked after the engine was dropped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_are_each_acknowledged_and_durable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    let engine = Engine::new(open(&path), Clock::System);
    let mut tasks = Vec::new();
    for i in 0..200 {
        let engine = Arc::clone(&engine);
        tasks.push(tokio::spawn(async move {
            let create = Command::CreateUser {
                user: format!("u{i}"),
                email: format!("u{i}@acme.test"),
                name: String::new(),
            };
            engine.run(Acting::System, create).await.unwrap()
        }));
    }
    // And one the state refuses (a taken email), among them.
    let taken = Command::CreateUser {
        user: "again".into(),
        email: "u0@acme.test".into(),
        name: String::new(),
    };
    let mut revisions = Vec::new();
    for t in tasks {
        let (outcome, revision) = t.await.unwrap();
        assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
        revisions.push(revision.unwrap());
    }
    let (outcome, revision) = engine.run(Acting::System, taken).await.unwrap();
    assert!(outcome.refusal().is_some() && revision.is_none());
    revisions.sort_unstable();
    revisions.dedup();
    assert_eq!(revisions.len(), 200, "a revision of its own for each write");
    let state = engine.read().state().clone();
    assert_eq!(state.user_count(), 200);
    drop(engine);

    let reopened = open(&path);
    assert!(
        reopened.state() == &state,
        "everything acknowledged is in the file"
    );
}
