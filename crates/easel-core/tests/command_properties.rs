//! Properties of random command sequences started from an empty state: replaying the
//! accepted commands' events rebuilds an equal state; a refused command leaves the state
//! untouched; every board has exactly one owner and every index agrees with the data; and
//! nothing a command does touches another organization.

mod common;

use common::consistency::assert_indexes;
use easel_core::catalog::{AdminRole, Plan};
use easel_core::command::{Actor, Command, Outcome, run};
use easel_core::roles::{Access, BoardRole, MemberKind, TeamRole};
use easel_core::settings::{ContentSettings, TeamSettings};
use easel_core::{State, Time};
use proptest::prelude::*;

const USERS: usize = 6;
/// How many founding commands every sequence starts with.
const FOUNDING: usize = 31;

fn user(i: usize) -> String {
    format!("u{}", i % USERS)
}

fn email(i: usize) -> String {
    format!("u{}@example.test", i % USERS)
}

fn org(i: usize) -> String {
    format!("o{}", i % 2)
}

fn team(i: usize) -> String {
    format!("t{}", i % 4)
}

fn board(i: usize) -> String {
    format!("b{}", i % 6)
}

fn project(i: usize) -> String {
    format!("p{}", i % 3)
}

const ROLES: [BoardRole; 4] = [
    BoardRole::Viewer,
    BoardRole::Commenter,
    BoardRole::Editor,
    BoardRole::Coowner,
];
const PLANS: [Plan; 3] = [Plan::Free, Plan::Business, Plan::Enterprise];

/// A random command over a small id space, so that commands meet the same entities often.
fn command() -> impl Strategy<Value = Command> {
    let ids = (0..12usize, 0..12usize, 0..12usize, 0..4usize);
    (0..37u8, ids).prop_map(|(kind, (a, b, c, r))| match kind {
        0 => Command::AddMember {
            org: org(a),
            user: user(b),
            email: email(b),
            name: String::new(),
            kind: if c % 4 == 0 {
                MemberKind::Guest
            } else {
                MemberKind::Member
            },
        },
        1 => Command::CreateTeam {
            org: org(a),
            team: team(b),
            name: "Team".into(),
        },
        2 => Command::SetTeamMember {
            team: team(a),
            user: user(b),
            role: if c % 3 == 0 {
                TeamRole::Admin
            } else {
                TeamRole::Member
            },
        },
        3 => Command::CreateBoard {
            team: team(a),
            board: board(b),
            name: "Board".into(),
            project: (c % 2 == 0).then(|| project(c)),
            setup: Default::default(),
        },
        4 => Command::ShareBoard {
            board: board(a),
            emails: vec![email(b)],
            role: ROLES[r],
        },
        5 => Command::ChangeBoardMember {
            board: board(a),
            user: user(b),
            role: ROLES[r],
        },
        6 => Command::RemoveBoardMember {
            board: board(a),
            user: user(b),
        },
        7 => Command::SetBoardSharing {
            board: board(a),
            team: Access::ALL[r],
            company: Access::ALL[c % 4],
            public: Access::ALL[b % 4],
        },
        8 => Command::TransferOwnership {
            board: board(a),
            new_owner: user(b),
        },
        9 => Command::MoveBoard {
            board: board(a),
            team: team(b),
        },
        10 => Command::TrashBoard { board: board(a) },
        11 => Command::RestoreBoard { board: board(a) },
        12 => Command::PurgeBoard { board: board(a) },
        13 => Command::RemoveUser {
            org: org(a),
            user: user(b),
            successor: Some(user(c)),
        },
        14 => Command::AssignAdminRole {
            org: org(a),
            user: user(b),
            role: AdminRole::ALL[r],
            team: (r == 4).then(|| team(c)),
        },
        15 => Command::RemoveAdminRole {
            org: org(a),
            user: user(b),
            role: AdminRole::ALL[r],
            team: None,
        },
        16 => Command::DeactivateUser {
            org: org(a),
            user: user(b),
        },
        17 => Command::ReactivateUser {
            org: org(a),
            user: user(b),
        },
        18 => Command::ChangePlan {
            org: org(a),
            plan: PLANS[r % 3],
            guard: c % 2 == 0,
        },
        19 => Command::CreateProject {
            team: team(a),
            project: project(b),
            name: "Project".into(),
            private: Some(c % 2 == 0),
        },
        20 => Command::SetProjectMember {
            project: project(a),
            user: user(b),
            role: ROLES[r],
        },
        21 => {
            let mut settings = TeamSettings::default();
            settings.team_and_company_sharing.team = c % 2 == 0;
            settings.coowner_role = b % 2 == 0;
            Command::UpdateTeamSettings {
                team: team(a),
                settings,
            }
        }
        22 => Command::SetContentSettings {
            board: board(a),
            content: ContentSettings::default(),
        },
        24 => Command::CreateGroup {
            org: org(a),
            group: format!("g{}", b % 3),
            name: "Group".into(),
            description: String::new(),
        },
        25 => Command::AddGroupMember {
            group: format!("g{}", a % 3),
            user: user(b),
        },
        26 => Command::SetTeamGroup {
            team: team(a),
            group: format!("g{}", b % 3),
            role: TeamRole::Member,
        },
        27 => Command::DeleteGroup {
            group: format!("g{}", a % 3),
        },
        28 => Command::DeleteTeam { team: team(a) },
        29 => Command::DeleteProject {
            project: project(a),
        },
        30 => Command::Invite {
            invitation: format!("i{}", b % 6),
            org: org(a),
            email: email(c),
            team: None,
            project: None,
            board: (r % 2 == 0).then(|| board(b)),
            role: None,
            guest: false,
        },
        31 => Command::AcceptInvitation {
            invitation: format!("i{}", a % 6),
        },
        32 => Command::RequestAccess {
            request: format!("r{}", b % 6),
            board: board(a),
            role: ROLES[r % 3],
        },
        33 => Command::ApproveAccessRequest {
            request: format!("r{}", a % 6),
            role: None,
        },
        34 => Command::AddContent {
            board: board(a),
            content: format!("c{b}"),
            kind: easel_core::model::ContentKind::StickyNote,
            text: "note".into(),
        },
        35 => Command::SetProjectGroups {
            project: project(a),
            groups: vec![format!("g{}", b % 3), format!("g{}", c % 3)],
            role: ROLES[r],
        },
        36 => Command::RemoveProjectGroup {
            project: project(a),
            group: format!("g{}", b % 3),
        },
        _ => Command::Tick { org: org(a) },
    })
}

/// Who issues each command: mostly the two organizations' founders, so that enough
/// commands are allowed to build something; Easel itself for ticks.
fn actor_index() -> impl Strategy<Value = usize> {
    prop_oneof![3 => Just(0usize), 3 => Just(1usize), 2 => 0..USERS]
}

/// The state every sequence starts from, built by commands: six users, two organizations.
fn founding() -> Vec<(Option<String>, Command)> {
    let mut steps: Vec<(Option<String>, Command)> = (0..USERS)
        .map(|i| {
            (
                None,
                Command::CreateUser {
                    user: user(i),
                    email: email(i),
                    name: String::new(),
                },
            )
        })
        .collect();
    steps.push((
        Some(user(0)),
        Command::CreateOrg {
            org: org(0),
            name: "Zero".into(),
            plan: Plan::Enterprise,
            owner: None,
        },
    ));
    steps.push((
        Some(user(1)),
        Command::CreateOrg {
            org: org(1),
            name: "One".into(),
            plan: Plan::Business,
            owner: None,
        },
    ));
    // o0: members u2 and u3, guest u4; teams t0 and t2; boards b0, b2, b4.
    // o1: members u5 and u3 (in both organizations); teams t1 and t3; boards b1, b3, b5.
    let member = |o: usize, u: usize, kind| Command::AddMember {
        org: org(o),
        user: user(u),
        email: email(u),
        name: String::new(),
        kind,
    };
    for (founder, o, members, guest) in [(0, 0, [2, 3], Some(4)), (1, 1, [5, 3], None)] {
        for u in members {
            steps.push((Some(user(founder)), member(o, u, MemberKind::Member)));
        }
        if let Some(g) = guest {
            steps.push((Some(user(founder)), member(o, g, MemberKind::Guest)));
        }
        for t in [o, o + 2] {
            steps.push((
                Some(user(founder)),
                Command::CreateTeam {
                    org: org(o),
                    team: team(t),
                    name: "Team".into(),
                },
            ));
            steps.push((
                Some(user(founder)),
                Command::SetTeamMember {
                    team: team(t),
                    user: user(members[0]),
                    role: TeamRole::Member,
                },
            ));
            steps.push((
                Some(user(founder)),
                Command::SetTeamMember {
                    team: team(t),
                    user: user(members[1]),
                    role: TeamRole::Admin,
                },
            ));
        }
        for b in [o, o + 2, o + 4] {
            steps.push((
                Some(user(founder)),
                Command::CreateBoard {
                    team: team(o),
                    board: board(b),
                    name: "Board".into(),
                    project: None,
                    setup: Default::default(),
                },
            ));
        }
    }
    steps
}

/// Everything that belongs to one organization, as text.
fn org_view(state: &State, id: &str) -> String {
    let Some(o) = state.find_org(id) else {
        return String::new();
    };
    let mut out = format!("{:?}\n", state.org(o));
    for (_, t) in state.all_teams().filter(|(_, t)| t.org == o) {
        out.push_str(&format!("{t:?}\n"));
    }
    for (_, p) in state.all_projects().filter(|(_, p)| p.org == o) {
        out.push_str(&format!("{p:?}\n"));
    }
    for (_, b) in state.all_boards().filter(|(_, b)| b.org == o) {
        out.push_str(&format!("{b:?}\n"));
    }
    for (_, u) in state.all_users() {
        out.push_str(&format!("{:?}\n", u.membership(o)));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(500),
        ..ProptestConfig::default()
    })]

    #[test]
    fn command_sequences_keep_every_promise(steps in proptest::collection::vec((actor_index(), command()), 1..60)) {
        let mut state = State::new();
        let mut log = Vec::new();
        let mut accepted = 0;
        let sequence = founding().into_iter().chain(steps.into_iter().map(|(a, c)| {
            let actor = if matches!(c, Command::Tick { .. }) { None } else { Some(user(a)) };
            (actor, c)
        }));
        for (i, (actor_id, command)) in sequence.enumerate() {
            let now = Time::from_secs(86_400 * (i as i64 + 1));
            let actor = match &actor_id {
                Some(id) => Actor::user(id),
                None => Actor::System,
            };
            let before = state.clone();
            let views: Vec<String> = ["o0", "o1"].iter().map(|o| org_view(&state, o)).collect();
            let outcome = run(&mut state, actor, &command, now, easel_testkit::ENTROPY);
            match &outcome {
                Outcome::Refused { refusal, audit } => {
                    prop_assert!(state == before, "refused {:?} ({}) changed the state", command, refusal.code);
                    if let Some(audit) = audit {
                        prop_assert!(audit.changes.is_empty());
                    }
                }
                Outcome::Accepted { events, audit } => {
                    accepted += 1;
                    log.extend(events.iter().cloned());
                    // Nothing touches an organization the command does not act in.
                    for (o, view) in ["o0", "o1"].iter().zip(&views) {
                        if audit.org != *o && !audit.org.is_empty() {
                            prop_assert_eq!(&org_view(&state, o), view, "{:?} in {} touched {}", command, audit.org, o);
                        }
                    }
                }
            }
            assert_indexes(&state)?;
        }
        prop_assert!(accepted >= FOUNDING, "the founding commands are accepted");
        let mut replayed = State::new();
        for event in &log {
            replayed.apply(event).map_err(|e| TestCaseError::fail(format!("replaying {event:?}: {e}")))?;
        }
        prop_assert!(replayed == state, "replaying the events does not rebuild the state");
    }
}
