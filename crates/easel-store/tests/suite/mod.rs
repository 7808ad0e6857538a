//! The storage suite every backend passes: round trips through reopening, refused
//! commands, audit paging, stale writers, audit retention, upgrades, and the state tables
//! against the state after every change. `storage_suite!` lists its tests once; each
//! backend's test binary instantiates it.
#![allow(dead_code, reason = "each test binary uses part of the suite")]
// `allow`, not `expect`: the module is included by several test binaries.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

pub mod events;
pub mod random;
pub mod replay;
mod store;

pub use store::Store;
#[allow(
    unused_imports,
    reason = "binaries that test one backend's own use it; others not"
)]
pub(crate) use store::storage_suite;

use easel_core::Code;
use easel_core::catalog::Plan;
use easel_core::command::{Actor, AuditOutcome, AuditRecord, Command, Outcome};
use easel_core::event::Event;
use easel_core::roles::BoardRole;
use easel_core::time::Time;
use easel_store::{AuditPage, Backend, Commit, Durable, StoreError};

pub fn day(n: i64) -> Time {
    Time::from_millis(n * 86_400_000)
}

pub fn script() -> Vec<(Option<&'static str>, Command)> {
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
                owner: None,
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
                setup: Default::default(),
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

/// What is acknowledged is there after reopening; a refused command leaves only its audit
/// record. `open` opens the same database each time it is called.
pub fn acknowledged_commands_survive_reopening<B: Backend>(mut open: impl FnMut() -> B) {
    let (state, revision) = {
        let (mut durable, report) = Durable::open(open()).unwrap();
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
    let (mut durable, report) = Durable::open(open()).unwrap();
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
    // Pages that start at their cursor, in both orders, give every record once.
    let ids: Vec<i64> = audit.iter().map(|(id, _)| *id).collect();
    for newest_first in [false, true] {
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = durable
                .backend()
                .audit_page(
                    "acme",
                    &AuditPage {
                        after,
                        newest_first,
                        from_ms: None,
                        before_ms: None,
                        limit: 4,
                    },
                )
                .unwrap();
            seen.extend(page.iter().map(|(id, _)| *id));
            match page.get(3) {
                Some((id, _)) => after = Some(*id),
                None => break,
            }
        }
        let mut expected = ids.clone();
        if newest_first {
            expected.reverse();
        }
        assert_eq!(seen, expected, "newest first: {newest_first}");
    }
    // The time window is applied by the query, and another organization's log is not read.
    let at = audit[3].1.at.millis();
    let window = durable
        .backend()
        .audit_page(
            "acme",
            &AuditPage {
                after: None,
                newest_first: true,
                from_ms: Some(at),
                before_ms: Some(at + 1),
                limit: 100,
            },
        )
        .unwrap();
    assert!(!window.is_empty() && window.iter().all(|(_, r)| r.at.millis() == at));
    let none = AuditPage {
        after: None,
        newest_first: false,
        from_ms: None,
        before_ms: None,
        limit: 100,
    };
    assert!(
        durable
            .backend()
            .audit_page("globex", &none)
            .unwrap()
            .is_empty()
    );
    // The cursor secret is made once and kept: the same after reopening.
    let secret = durable.cursor_secret();
    assert_ne!(secret, [0u8; easel_store::SECRET_BYTES]);
    drop(durable);
    let (mut again, _) = Durable::open(open()).unwrap();
    assert_eq!(again.cursor_secret(), secret);
    assert_eq!(again.backend().cursor_secret().unwrap(), secret);
}

/// A group commit: the script's commands (each depending on the ones before it) and a
/// refused one among them, run as one group, are answered in order with a revision each,
/// the refusal alone getting none; the state tables match; all of it survives reopening.
pub fn a_group_commits_in_order_and_survives_reopening<B: Backend>(mut open: impl FnMut() -> B) {
    let refused = Command::ShareBoard {
        board: "roadmap".into(),
        emails: vec!["ana@acme.test".into()],
        role: BoardRole::Viewer,
    };
    let mut jobs: Vec<(Option<&str>, Command)> = script();
    jobs.insert(6, (Some("ben"), refused));
    let (state, revision) = {
        let (mut durable, _) = Durable::open(open()).unwrap();
        let group: Vec<(Actor, Vec<Command>)> = jobs
            .iter()
            .map(|(actor, c)| (actor.map_or(Actor::System, Actor::user), vec![c.clone()]))
            .collect();
        let group: Vec<(Actor, &[Command])> =
            group.iter().map(|(a, c)| (*a, c.as_slice())).collect();
        let results = durable.run_group(&group, day(1));
        assert_eq!(results.len(), jobs.len());
        let mut last = 0;
        for (i, result) in results.iter().enumerate() {
            let (outcome, revision) = result.as_ref().unwrap();
            if i == 6 {
                assert!(
                    outcome.refusal().is_some() && revision.is_none(),
                    "{outcome:?}"
                );
            } else {
                assert!(
                    matches!(outcome, Outcome::Accepted { .. }),
                    "{i}: {outcome:?}"
                );
                let revision = revision.unwrap();
                assert!(revision > last, "revisions follow the order of the group");
                last = revision;
            }
        }
        assert_eq!(durable.revision(), last);
        replay::assert_tables_match(&mut durable, "after a group commit");
        (durable.state().clone(), durable.revision())
    };
    let (durable, report) = Durable::open(open()).unwrap();
    assert_eq!(report.entries, 7);
    assert!(
        durable.state() == &state,
        "the reopened state equals the state before"
    );
    assert_eq!(durable.revision(), revision);
}

/// A writer that decided against an old version is refused and writes nothing.
pub fn a_stale_writer_gets_a_conflict_and_nothing_is_written<B: Backend>(mut backend: B) {
    let user = |id: &str| {
        [Event::UserCreated {
            user: id.into(),
            email: format!("{id}@acme.test"),
            name: String::new(),
        }]
    };
    let (ana, ben) = (user("ana"), user("ben"));
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
        events: if v == 0 { &ana } else { &ben },
        audits: std::slice::from_ref(&audit),
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

/// Audit retention removes what is older than the organization's retention, keeps the
/// rest, and records the removal itself.
pub fn audit_retention_removes_old_records_and_says_so<B: Backend>(backend: B) {
    let (mut durable, _) = Durable::open(backend).unwrap();
    let run = |d: &mut Durable<B>, actor: Option<&str>, command: Command, at: Time| {
        let (outcome, _) = d
            .run(actor.map_or(Actor::System, Actor::user), &command, at)
            .unwrap();
        assert!(
            matches!(outcome, Outcome::Accepted { .. }),
            "{command:?}: {outcome:?}"
        );
    };
    run(
        &mut durable,
        None,
        Command::CreateUser {
            user: "sam".into(),
            email: "sam@acme.test".into(),
            name: String::new(),
        },
        day(1),
    );
    run(
        &mut durable,
        Some("sam"),
        Command::CreateOrg {
            org: "acme".into(),
            name: "Acme".into(),
            plan: Plan::Enterprise,
            owner: None,
        },
        day(1),
    );
    run(
        &mut durable,
        Some("sam"),
        Command::CreateTeam {
            org: "acme".into(),
            team: "t1".into(),
            name: "One".into(),
        },
        day(10),
    );
    run(
        &mut durable,
        Some("sam"),
        Command::SetAuditRetention {
            org: "acme".into(),
            days: Some(30),
        },
        day(50),
    );
    assert_eq!(durable.backend().audit("acme", 0, 100).unwrap().len(), 3);
    // On day 45 + 30 the records of days 1 and 10 are past the retention; day 50's is not.
    let removed = durable.apply_audit_retention(day(75)).unwrap();
    assert_eq!(removed, vec![("acme".to_string(), 2)]);
    let left = durable.backend().audit("acme", 0, 100).unwrap();
    let actions: Vec<&str> = left.iter().map(|(_, a)| a.action.as_str()).collect();
    assert_eq!(actions, ["set_audit_retention", "audit_retention"]);
    assert_eq!(
        left[1].1.changes[0].after.as_deref(),
        Some("2"),
        "the removal says how many"
    );
}

/// The statements that take a database back to schema version 1, from before the state
/// tables existed (what an upgrade starts from).
pub fn downgrade_to_version_1() -> String {
    let mut sql: String = easel_store::tables::TABLES
        .iter()
        .map(|t| format!("DROP TABLE {};\n", t.name))
        .collect();
    // Undo what the migrations after the first did to the tables the first made.
    sql.push_str("DROP INDEX audit_by_org_id;\n");
    sql.push_str("UPDATE easel_meta SET value = '1' WHERE key = 'schema_version';\n");
    sql
}

/// A database from before the state tables gets them on its next start, filled from its
/// changelog, and they then follow every command. `open` opens the same database each
/// time; `downgrade` runs `downgrade_to_version_1` on it while it is closed.
pub fn an_upgraded_database_gets_its_state_tables<B: Backend>(
    mut open: impl FnMut() -> B,
    downgrade: impl FnOnce(),
) {
    {
        let (mut durable, _) = Durable::open(open()).unwrap();
        for (i, (actor, command)) in script().into_iter().enumerate() {
            let actor = actor.map_or(Actor::System, Actor::user);
            durable.run(actor, &command, day(i as i64 + 1)).unwrap();
        }
    }
    downgrade();
    let (mut durable, _) = Durable::open(open()).unwrap();
    replay::assert_tables_match(&mut durable, "after the upgrade");
    let tables = durable.backend().state_tables().unwrap();
    assert_eq!(tables["boards"].len(), 1, "the tables were filled");
    assert_eq!(tables["grants"].len(), 1);
    assert!(!durable.backend().tables_stale().unwrap());
    let rename = Command::RenameBoard {
        board: "roadmap".into(),
        name: "Plan".into(),
        description: "Next year".into(),
    };
    let (outcome, _) = durable.run(Actor::user("ana"), &rename, day(20)).unwrap();
    assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
    replay::assert_tables_match(&mut durable, "after a command on the upgraded database");
}

/// The statements that take a database back to schema version 10, from before member
/// profiles had tables.
pub const DOWNGRADE_TO_VERSION_10: &str = "DROP TABLE member_profiles;\nDROP TABLE member_emails;\nUPDATE easel_meta SET value = '10' WHERE key = 'schema_version';\n";

/// A migration that adds tables (0011, member profiles) to a database that had state
/// tables: its start rebuilds them, so rows the state holds from before are there.
pub fn a_migration_that_adds_tables_rebuilds_them<B: Backend>(
    mut open: impl FnMut() -> B,
    downgrade: impl FnOnce(),
) {
    {
        let (mut durable, _) = Durable::open(open()).unwrap();
        for (i, (actor, command)) in script().into_iter().enumerate() {
            let actor = actor.map_or(Actor::System, Actor::user);
            durable.run(actor, &command, day(i as i64 + 1)).unwrap();
        }
        let profile = Command::SetMemberProfile {
            org: "acme".into(),
            user: "ben".into(),
            profile: easel_core::model::ProfileFields {
                external_id: Some("00u-ben".into()),
                emails: vec![easel_core::model::ProfileEmail {
                    value: "ben@acme.test".into(),
                    kind: Some("work".into()),
                    primary: true,
                }],
                ..Default::default()
            },
        };
        let (outcome, _) = durable.run(Actor::user("ana"), &profile, day(30)).unwrap();
        assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
    }
    downgrade();
    let (mut durable, _) = Durable::open(open()).unwrap();
    replay::assert_tables_match(&mut durable, "after the migration");
    let tables = durable.backend().state_tables().unwrap();
    assert_eq!(
        tables["member_profiles"].len(),
        1,
        "the profile's row is back"
    );
    assert_eq!(tables["member_emails"].len(), 1);
    assert!(!durable.backend().tables_stale().unwrap());
}

/// A stop between a commit and the write of its tables leaves them behind the changelog:
/// the next start sees it and rebuilds them. Meanwhile rows from a state older than the
/// changelog's newest entry are refused, so they cannot undo a newer commit's.
pub fn tables_left_behind_their_changelog_are_rebuilt_at_open<B: Backend>(
    mut open: impl FnMut() -> B,
) {
    {
        let (mut durable, _) = Durable::open(open()).unwrap();
        for (i, (actor, command)) in script().into_iter().enumerate() {
            let actor = actor.map_or(Actor::System, Actor::user);
            durable.run(actor, &command, day(i as i64 + 1)).unwrap();
        }
        assert!(!durable.backend().tables_stale().unwrap());
        // A commit whose tables are never written, as when the process stops in between.
        let events = [Event::UserCreated {
            user: "cy".into(),
            email: "cy@acme.test".into(),
            name: String::new(),
        }];
        let audit = AuditRecord {
            org: String::new(),
            at: day(10),
            actor: None,
            action: "create_user".into(),
            target: "user:cy".into(),
            outcome: AuditOutcome::Allowed,
            changes: vec![],
        };
        let version = durable.backend().org_versions().unwrap();
        let commit = Commit {
            org: "",
            expected_version: version.get("").copied().unwrap_or(0),
            at: day(10),
            action: "create_user",
            events: &events,
            audits: std::slice::from_ref(&audit),
        };
        let revision = durable.backend().commit(&commit).unwrap();
        assert!(
            durable.backend().tables_stale().unwrap(),
            "behind its changelog"
        );
        assert!(matches!(
            durable.backend().write_tables(&[], &[], revision - 1),
            Err(StoreError::Conflict(_))
        ));
    }
    let (mut durable, _) = Durable::open(open()).unwrap();
    assert!(durable.state().find_user("cy").is_some());
    assert!(!durable.backend().tables_stale().unwrap());
    replay::assert_tables_match(&mut durable, "after the rebuild at open");
}
