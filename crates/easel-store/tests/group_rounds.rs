//! Group commit decides a round's jobs on one state: the result must be what running the
//! same jobs one after another gives. Random mixes of board jobs (sharing, changing and
//! removing members, on a few boards, by owners and by members who may or may not share)
//! and organization jobs (team membership, deactivation) are run as one group on one store
//! and one by one on another; every job's outcome and the final states must agree, and the
//! grouped store must hold the same after reopening.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

use easel_core::catalog::Plan;
use easel_core::command::{Actor, Command, Outcome};
use easel_core::roles::{BoardRole, MemberKind, TeamRole};
use easel_core::time::Time;
use easel_store::{Durable, SqliteBackend};
use proptest::prelude::*;

const USERS: [&str; 5] = ["ana", "ben", "cy", "dee", "eve"];
const BOARDS: [&str; 3] = ["b0", "b1", "b2"];

fn setup() -> Vec<(Option<&'static str>, Command)> {
    let mut out: Vec<(Option<&'static str>, Command)> = USERS
        .iter()
        .map(|u| {
            let user = Command::CreateUser {
                user: (*u).into(),
                email: format!("{u}@acme.test"),
                name: String::new(),
            };
            (None, user)
        })
        .collect();
    out.push((
        Some("ana"),
        Command::CreateOrg {
            org: "acme".into(),
            name: "Acme".into(),
            plan: Plan::Enterprise,
            owner: None,
        },
    ));
    for u in &USERS[1..] {
        out.push((
            Some("ana"),
            Command::AddMember {
                org: "acme".into(),
                user: (*u).into(),
                email: format!("{u}@acme.test"),
                name: String::new(),
                kind: MemberKind::Member,
            },
        ));
    }
    out.push((
        Some("ana"),
        Command::CreateTeam {
            org: "acme".into(),
            team: "design".into(),
            name: "Design".into(),
        },
    ));
    for b in BOARDS {
        out.push((
            Some("ana"),
            Command::CreateBoard {
                team: "design".into(),
                board: b.into(),
                name: b.into(),
                project: None,
                setup: Default::default(),
            },
        ));
    }
    out
}

fn role() -> impl Strategy<Value = BoardRole> {
    prop_oneof![
        Just(BoardRole::Viewer),
        Just(BoardRole::Commenter),
        Just(BoardRole::Editor),
        Just(BoardRole::Coowner),
    ]
}

/// One job: who acts, and what.
fn job() -> impl Strategy<Value = (usize, Command)> {
    let user = 0..USERS.len();
    let board = 0..BOARDS.len();
    prop_oneof![
        6 => (user.clone(), board.clone(), user.clone(), role()).prop_map(|(by, b, to, role)| {
            let share = Command::ShareBoard {
                board: BOARDS[b].into(),
                emails: vec![format!("{}@acme.test", USERS[to])],
                role,
            };
            (by, share)
        }),
        3 => (user.clone(), board.clone(), user.clone(), role()).prop_map(|(by, b, to, role)| {
            let change = Command::ChangeBoardMember {
                board: BOARDS[b].into(),
                user: USERS[to].into(),
                role,
            };
            (by, change)
        }),
        4 => (user.clone(), board.clone(), user.clone()).prop_map(|(by, b, to)| {
            let remove = Command::RemoveBoardMember {
                board: BOARDS[b].into(),
                user: USERS[to].into(),
            };
            (by, remove)
        }),
        2 => (user.clone(), any::<bool>()).prop_map(|(to, add)| {
            let command = if add {
                Command::SetTeamMember {
                    team: "design".into(),
                    user: USERS[to].into(),
                    role: TeamRole::Member,
                }
            } else {
                Command::RemoveTeamMember {
                    team: "design".into(),
                    user: USERS[to].into(),
                }
            };
            (0, command)
        }),
        1 => (1..USERS.len(), any::<bool>()).prop_map(|(to, off)| {
            let (org, user) = ("acme".to_string(), USERS[to].to_string());
            let command = if off {
                Command::DeactivateUser { org, user }
            } else {
                Command::ReactivateUser { org, user }
            };
            (0, command)
        }),
    ]
}

/// What an outcome comes to, for comparing: accepted with its events, or the refusal's code.
fn summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Accepted { events, .. } => format!("accepted {events:?}"),
        refused => format!("refused {:?}", refused.refusal().map(|r| r.code)),
    }
}

fn open_with_setup(path: &std::path::Path) -> Durable<SqliteBackend> {
    let (mut durable, _) = Durable::open(SqliteBackend::open(path).unwrap()).unwrap();
    for (actor, command) in setup() {
        let actor = actor.map_or(Actor::System, Actor::user);
        let (outcome, _) = durable.run(actor, &command, Time::from_millis(0)).unwrap();
        assert!(matches!(outcome, Outcome::Accepted { .. }), "{outcome:?}");
    }
    durable
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_group_decided_in_rounds_ends_as_one_by_one(jobs in prop::collection::vec(job(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let now = Time::from_millis(1_000);
        let commands: Vec<(Actor, Vec<Command>)> = jobs
            .iter()
            .map(|(by, c)| (Actor::user(USERS[*by]), vec![c.clone()]))
            .collect();
        let group: Vec<(Actor, &[Command])> =
            commands.iter().map(|(a, c)| (*a, c.as_slice())).collect();

        let grouped_path = dir.path().join("grouped.db");
        let mut grouped = open_with_setup(&grouped_path);
        let together = grouped.run_group(&group, now);

        let mut single = open_with_setup(&dir.path().join("single.db"));
        for (i, (actor, commands)) in group.iter().enumerate() {
            let (alone, _) = single.run_all(*actor, commands, now).unwrap();
            let (with_others, _) = together[i].as_ref().unwrap();
            prop_assert_eq!(summary(with_others), summary(&alone), "job {}", i);
        }
        prop_assert!(grouped.state() == single.state(), "the same state either way");
        let state = grouped.state().clone();
        drop(grouped);
        let (reopened, _) = Durable::open(SqliteBackend::open(&grouped_path).unwrap()).unwrap();
        prop_assert!(reopened.state() == &state, "the group is in the file as in memory");
    }
}
