//! A store that fails during a write: the write fails with `request.unavailable`, nothing is
//! half-applied in memory, and the same command succeeds once the store is back.

use std::collections::BTreeMap;

use easel_core::Code;
use easel_core::catalog::Plan;
use easel_core::command::{Actor, AuditRecord, Command, Outcome};
use easel_core::time::Time;
use easel_store::tables::{Stmt, Tables};
use easel_store::{Backend, Commit, Durable, Entry, Revision, SqliteBackend, StoreError};

/// SQLite that refuses commits while `down`.
struct Flaky {
    inner: SqliteBackend,
    down: bool,
}

impl Backend for Flaky {
    fn changes_since(&mut self, after: Revision) -> Result<Vec<Entry>, StoreError> {
        self.inner.changes_since(after)
    }
    fn org_versions(&mut self) -> Result<BTreeMap<String, u64>, StoreError> {
        self.inner.org_versions()
    }
    fn commit(&mut self, commit: &Commit) -> Result<Revision, StoreError> {
        if self.down {
            return Err(StoreError::Unavailable("connection refused".into()));
        }
        self.inner.commit(commit)
    }
    fn record_refusal(&mut self, audit: &AuditRecord) -> Result<(), StoreError> {
        self.inner.record_refusal(audit)
    }
    fn remove_audit_before(
        &mut self,
        org: &str,
        before: Time,
        record: &AuditRecord,
    ) -> Result<u64, StoreError> {
        self.inner.remove_audit_before(org, before, record)
    }
    fn audit_page(
        &mut self,
        org: &str,
        page: &easel_store::AuditPage,
    ) -> Result<Vec<(i64, AuditRecord)>, StoreError> {
        self.inner.audit_page(org, page)
    }
    fn cursor_secret(&mut self) -> Result<[u8; easel_store::SECRET_BYTES], StoreError> {
        self.inner.cursor_secret()
    }
    fn state_tables(&mut self) -> Result<Tables, StoreError> {
        self.inner.state_tables()
    }
    fn write_tables(
        &mut self,
        statements: &[Stmt],
        covers: &[Revision],
        at: Revision,
    ) -> Result<(), StoreError> {
        self.inner.write_tables(statements, covers, at)
    }
    fn tables_stale(&mut self) -> Result<bool, StoreError> {
        self.inner.tables_stale()
    }
    fn rebuild_tables(&mut self, rows: &Tables, revision: Revision) -> Result<(), StoreError> {
        self.inner.rebuild_tables(rows, revision)
    }
}

#[test]
fn a_failed_write_changes_nothing_in_memory_and_can_be_retried() {
    let inner = SqliteBackend::in_memory().unwrap_or_else(|e| panic!("{e}"));
    let (mut durable, _) =
        Durable::open(Flaky { inner, down: false }).unwrap_or_else(|e| panic!("{e}"));
    let user = Command::CreateUser {
        user: "ana".into(),
        email: "ana@acme.test".into(),
        name: String::new(),
    };
    durable
        .run(Actor::System, &user, Time::from_millis(0))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = durable.state().clone();
    let revision = durable.revision();

    durable.backend().down = true;
    let org = Command::CreateOrg {
        org: "acme".into(),
        name: "Acme".into(),
        plan: Plan::Enterprise,
        owner: None,
    };
    match durable.run(Actor::user("ana"), &org, Time::from_millis(1)) {
        Err(e) => assert_eq!(e.code(), Code::RequestUnavailable),
        Ok(outcome) => panic!("expected the write to fail, got {outcome:?}"),
    }
    assert!(
        durable.state() == &before,
        "nothing is half-applied in memory"
    );
    assert_eq!(durable.revision(), revision);

    durable.backend().down = false;
    let (outcome, committed) = durable
        .run(Actor::user("ana"), &org, Time::from_millis(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(outcome, Outcome::Accepted { .. }));
    assert_eq!(committed, Some(revision + 1));
    assert!(durable.state().find_org("acme").is_some());
    let tables = durable
        .backend()
        .state_tables()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        tables["organizations"].len(),
        1,
        "the failed write left no row; the retried one did"
    );
}
