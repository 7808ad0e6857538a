//! Benchmarks of the decision function over a generated organization: 100,000 boards,
//! 10,000 users, 200 teams. Run with `cargo bench -p easel-core --bench decide`.
#![expect(missing_docs, reason = "criterion's macros generate the entry points")]
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark over a generated state that cannot fail to build"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use easel_core::catalog::{AdminRole, AdminRoleSet, Capability, Plan};
use easel_core::ids::{BoardIx, UserIx};
use easel_core::lookup::{boards_for, subjects_for};
use easel_core::model::{Grantee, Licence};
use easel_core::roles::{Access, BoardRole, MemberKind, TeamRole};
use easel_core::settings::{ContentSettings, TeamSettings};
use easel_core::state::BoardInit;
use easel_core::{Action, Request, State, Subject, Target, Time, decide, explain};

const BOARDS: usize = 100_000;
const USERS: usize = 10_000;
const TEAMS: usize = 200;
const PROJECTS_PER_TEAM: usize = 5;

/// A small deterministic generator (splitmix64), so every run measures the same state.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct World {
    state: State,
    users: Vec<UserIx>,
    boards: Vec<BoardIx>,
    content_admin: UserIx,
}

fn build() -> World {
    let mut rng = Rng(42);
    let mut s = State::new();
    let org = s.add_org("org", "Bench", Plan::Enterprise, false).unwrap();
    let users: Vec<UserIx> = (0..USERS)
        .map(|i| {
            let u = s
                .add_user(&format!("u{i}"), &format!("u{i}@bench.test"), "")
                .unwrap();
            let roles = if i == 0 {
                AdminRole::ContentAdmin.bit()
            } else {
                AdminRoleSet::EMPTY
            };
            s.set_membership(u, org, MemberKind::Member, roles, Licence::Full)
                .unwrap();
            u
        })
        .collect();
    let mut team_members: Vec<Vec<UserIx>> = Vec::new();
    let mut teams = Vec::new();
    let mut projects = Vec::new();
    for t in 0..TEAMS {
        let team = s
            .add_team(&format!("t{t}"), org, "", TeamSettings::default())
            .unwrap();
        teams.push(team);
        team_members.push(Vec::new());
        projects.push(
            (0..PROJECTS_PER_TEAM)
                .map(|p| {
                    s.add_project(&format!("p{t}_{p}"), team, "", false)
                        .unwrap()
                })
                .collect::<Vec<_>>(),
        );
    }
    // Each user is in one to three teams.
    for &u in &users {
        for _ in 0..1 + rng.below(3) {
            let t = rng.below(TEAMS);
            let role = if rng.below(20) == 0 {
                TeamRole::Admin
            } else {
                TeamRole::Member
            };
            s.set_team_member(teams[t], u, role).unwrap();
            team_members[t].push(u);
        }
    }
    for (t, ps) in projects.iter().enumerate() {
        for &p in ps {
            for _ in 0..10 {
                let m = &team_members[t];
                if !m.is_empty() {
                    s.set_project_member(p, m[rng.below(m.len())], BoardRole::ALL[rng.below(4)])
                        .unwrap();
                }
            }
        }
    }
    let access = [
        Access::None,
        Access::Viewer,
        Access::Commenter,
        Access::Editor,
    ];
    let mut boards = Vec::with_capacity(BOARDS);
    for b in 0..BOARDS {
        let t = rng.below(TEAMS);
        let members = &team_members[t];
        let owner = if members.is_empty() {
            users[rng.below(USERS)]
        } else {
            members[rng.below(members.len())]
        };
        if members.is_empty() {
            s.set_team_member(teams[t], owner, TeamRole::Member)
                .unwrap();
        }
        let init = BoardInit {
            id: format!("b{b}"),
            team: teams[t],
            project: (rng.below(2) == 0).then(|| projects[t][rng.below(PROJECTS_PER_TEAM)]),
            owner,
            name: String::new(),
            team_access: access[rng.below(4)],
            company_access: access[rng.below(3)],
            public_access: access[rng.below(4)],
            content: ContentSettings::default(),
        };
        let board = s.add_board(init).unwrap();
        for _ in 0..rng.below(9) {
            let u = users[rng.below(USERS)];
            if u != owner {
                s.set_grant(board, Grantee::User(u), BoardRole::ALL[rng.below(3)])
                    .unwrap();
            }
        }
        if rng.below(10) == 0 {
            let u = users[rng.below(USERS)];
            if u != owner {
                s.set_grant(board, Grantee::User(u), BoardRole::Coowner)
                    .unwrap();
            }
        }
        boards.push(board);
    }
    let content_admin = users[0];
    World {
        state: s,
        users,
        boards,
        content_admin,
    }
}

fn benches(c: &mut Criterion) {
    let w = build();
    let now = Time::from_millis(0);
    let mut rng = Rng(7);
    let pairs: Vec<(UserIx, BoardIx)> = (0..4096)
        .map(|_| (w.users[rng.below(USERS)], w.boards[rng.below(BOARDS)]))
        .collect();
    let view = Action::Board(Capability::View);
    let edit = Action::Board(Capability::EditContent);

    let mut group = c.benchmark_group("decide");
    group.measurement_time(Duration::from_secs(4));
    let mut i = 0;
    group.bench_function("check: random user, random board, board.view", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            let (u, bx) = pairs[i];
            black_box(decide(
                &w.state,
                &Request::new(Subject::User(u), view, Target::Board(bx)),
                now,
            ))
        })
    });
    let owned: Vec<(UserIx, BoardIx)> = w
        .boards
        .iter()
        .take(4096)
        .map(|&b| (w.state.board(b).unwrap().owner, b))
        .collect();
    let mut j = 0;
    group.bench_function("check: owner, board.edit_content (allowed)", |b| {
        b.iter(|| {
            j = (j + 1) & 4095;
            let (u, bx) = owned[j];
            black_box(decide(
                &w.state,
                &Request::new(Subject::User(u), edit, Target::Board(bx)),
                now,
            ))
        })
    });
    group.bench_function("explain: random user, random board", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            let (u, bx) = pairs[i];
            black_box(explain(
                &w.state,
                &Request::new(Subject::User(u), view, Target::Board(bx)),
                now,
            ))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("lookup");
    group.measurement_time(Duration::from_secs(4));
    group.sample_size(30);
    group.bench_function("boards of a typical user: first page of 100", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(boards_for(&w.state, pairs[i].0, view, None, 100, now).unwrap())
        })
    });
    group.bench_function("boards of a typical user: full enumeration", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            let mut cursor = None;
            let mut n = 0;
            loop {
                let page =
                    boards_for(&w.state, pairs[i].0, view, cursor.as_deref(), 1_000, now).unwrap();
                n += page.items.len();
                match page.next {
                    Some(c) => cursor = Some(c),
                    None => break black_box(n),
                }
            }
        })
    });
    group.bench_function(
        "boards of the content admin (all 100,000): first page of 100",
        |b| {
            b.iter(|| {
                black_box(boards_for(&w.state, w.content_admin, view, None, 100, now).unwrap())
            })
        },
    );
    group.bench_function("subjects of a random board: first page of 100", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(subjects_for(&w.state, pairs[i].1, view, None, 100, now).unwrap())
        })
    });
    group.finish();
}

criterion_group!(decide_benches, benches);
criterion_main!(decide_benches);
