//! Random runs of changes over a small organization, the cascades among them (members
//! leaving, groups, projects and teams deleted, boards purged and handed over), committed a
//! few events at a time, with the state tables compared with the state after each commit.
//! Of the changes drawn, those the state would refuse are dropped before committing; the
//! seed is fixed, so a failure repeats.

use easel_core::catalog::{AdminRole, Plan};
use easel_core::event::{Event, Who};
use easel_core::model::{ContentKind, Licence};
use easel_core::roles::{Access, BoardRole, MemberKind, TeamRole};
use easel_core::settings::{ContentSettings, TeamSettings};
use easel_core::time::Time;
use easel_store::{Backend, Durable};

use super::replay::assert_tables_match;

/// How many commits a run makes (refused ones included).
const STEPS: usize = 400;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn id(&mut self, prefix: &str, n: usize) -> String {
        format!("{prefix}{}", self.below(n))
    }

    fn pick<T: Copy>(&mut self, of: &[T]) -> T {
        of[self.below(of.len())]
    }

    fn yes(&mut self) -> bool {
        self.below(2) == 0
    }
}

fn who(rng: &mut Rng) -> Who {
    if rng.below(4) == 0 {
        Who::Group(rng.id("g", 3))
    } else {
        Who::User(rng.id("u", 6))
    }
}

/// One random change, over ids drawn from small pools so that they meet often.
fn change(rng: &mut Rng, at: Time) -> Event {
    let roles = [BoardRole::Viewer, BoardRole::Commenter, BoardRole::Editor];
    let access = [Access::None, Access::Viewer, Access::Editor];
    let acme = || "acme".to_string();
    match rng.below(28) {
        0 => Event::MembershipSet {
            org: acme(),
            user: rng.id("u", 6),
            kind: rng.pick(&[MemberKind::Member, MemberKind::Member, MemberKind::Guest]),
            admin_roles: if rng.yes() {
                vec![]
            } else {
                vec![rng.pick(&[AdminRole::ContentAdmin, AdminRole::UserAdmin])]
            },
            licence: rng.pick(&[Licence::Full, Licence::Free]),
        },
        1 => Event::MembershipRemoved {
            org: acme(),
            user: rng.id("u", 6),
        },
        2 => Event::MembershipActiveSet {
            org: acme(),
            user: rng.id("u", 6),
            active: rng.yes(),
        },
        3 => Event::TeamCreated {
            org: acme(),
            team: rng.id("t", 4),
            name: String::from("Team"),
            settings: TeamSettings::default(),
        },
        4 => Event::TeamMemberSet {
            team: rng.id("t", 4),
            user: rng.id("u", 6),
            role: rng.pick(&[TeamRole::Member, TeamRole::Admin]),
        },
        5 => Event::TeamMemberRemoved {
            team: rng.id("t", 4),
            user: rng.id("u", 6),
        },
        6 => Event::TeamGroupSet {
            team: rng.id("t", 4),
            group: rng.id("g", 3),
            role: TeamRole::Member,
        },
        7 => Event::TeamContentAdminSet {
            team: rng.id("t", 4),
            user: rng.id("u", 6),
            on: rng.yes(),
        },
        8 => Event::TeamDeleted {
            team: rng.id("t", 4),
        },
        9 => Event::GroupCreated {
            org: acme(),
            group: rng.id("g", 3),
            name: String::from("Group"),
            description: String::from("what it is for"),
        },
        10 => Event::GroupMemberAdded {
            group: rng.id("g", 3),
            user: rng.id("u", 6),
        },
        11 => Event::GroupDeleted {
            group: rng.id("g", 3),
        },
        12 => Event::ProjectCreated {
            project: rng.id("p", 4),
            team: rng.id("t", 4),
            name: String::from("Project"),
            private: rng.yes(),
        },
        13 => Event::ProjectMemberSet {
            project: rng.id("p", 4),
            user: rng.id("u", 6),
            role: rng.pick(&roles),
        },
        14 => Event::ProjectDeleted {
            project: rng.id("p", 4),
        },
        15 => Event::BoardCreated {
            board: rng.id("b", 8),
            team: rng.id("t", 4),
            project: rng.yes().then(|| rng.id("p", 4)),
            owner: rng.id("u", 6),
            name: String::from("Board"),
            team_access: rng.pick(&access),
            company_access: rng.pick(&access),
            public_access: Access::None,
            content: ContentSettings::default(),
            description: String::new(),
            stamp: None,
        },
        16 | 17 => Event::GrantSet {
            board: rng.id("b", 8),
            to: who(rng),
            role: rng.pick(&roles),
        },
        18 => Event::GrantRemoved {
            board: rng.id("b", 8),
            from: who(rng),
        },
        19 => Event::BoardOwnerSet {
            board: rng.id("b", 8),
            owner: rng.id("u", 6),
        },
        20 => Event::BoardMoved {
            board: rng.id("b", 8),
            team: rng.id("t", 4),
        },
        21 => Event::BoardProjectSet {
            board: rng.id("b", 8),
            project: rng.yes().then(|| rng.id("p", 4)),
        },
        22 => match rng.below(3) {
            0 => Event::BoardTrashed {
                board: rng.id("b", 8),
                at,
            },
            1 => Event::BoardRestored {
                board: rng.id("b", 8),
            },
            _ => Event::BoardPurged {
                board: rng.id("b", 8),
            },
        },
        23 => Event::OrgOwnerSet {
            org: acme(),
            owner: Some(rng.id("u", 6)),
        },
        25 => Event::ProjectGroupSet {
            project: rng.id("p", 4),
            group: rng.id("g", 3),
            role: rng.pick(&roles),
        },
        26 => Event::ProjectGroupRemoved {
            project: rng.id("p", 4),
            group: rng.id("g", 3),
        },
        24 => Event::SessionsReset {
            user: rng.id("u", 6),
            at,
            org: Some(acme()),
        },
        _ => Event::ContentAdded {
            content: rng.id("c", 1_000_000),
            board: rng.id("b", 8),
            kind: ContentKind::StickyNote,
            text: String::from("note"),
            author: rng.id("u", 6),
        },
    }
}

/// Random changes, up to four events a commit, the tables checked after each commit.
pub fn random_changes_reach_the_tables<B: Backend>(backend: B) {
    let (mut durable, _) = Durable::open(backend).unwrap();
    let mut setup = vec![Event::OrgCreated {
        org: "acme".into(),
        name: "Acme".into(),
        plan: Plan::Enterprise,
        guard: true,
    }];
    for u in 0..6 {
        setup.push(Event::UserCreated {
            user: format!("u{u}"),
            email: format!("u{u}@acme.test"),
            name: String::new(),
        });
    }
    durable.import(&setup, Time::from_millis(0)).unwrap();
    let mut rng = Rng(0x05ee_d0fe_a5e1);
    let mut events_committed = 0;
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for step in 0..STEPS {
        let at = Time::from_millis(1_800_000_000_000 + step as i64 * 1000);
        // Drawn in turn against a scratch state, each after the ones kept before it.
        let mut scratch = durable.state().clone();
        let events: Vec<Event> = (0..1 + rng.below(4))
            .map(|_| change(&mut rng, at))
            .filter(|event| scratch.apply(event).is_ok())
            .collect();
        if events.is_empty() {
            continue;
        }
        durable
            .import(&events, at)
            .unwrap_or_else(|e| panic!("step {step}: {events:?}: {e}"));
        events_committed += events.len();
        for event in &events {
            *kinds.entry(event.kind()).or_default() += 1;
        }
        assert_tables_match(&mut durable, &format!("step {step}: {events:?}"));
    }
    assert!(
        events_committed >= STEPS / 2,
        "only {events_committed} random events were committed in {STEPS} steps"
    );
    // The cascades each came up.
    let cascades = [
        "membership_removed",
        "group_deleted",
        "team_deleted",
        "project_deleted",
        "board_purged",
        "board_owner_set",
    ];
    for kind in cascades {
        assert!(kinds.contains_key(kind), "no `{kind}` committed: {kinds:?}");
    }
}
