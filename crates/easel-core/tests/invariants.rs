//! The invariants of DESIGN.md as properties over random organizations: one owner per board
//! and consistent indexes through any sequence of changes; nothing crosses organizations;
//! adding a grant never lowers anyone's access; a suspended channel comes back unchanged, and
//! so does every channel of a deactivated member once reactivated.

mod common;

use common::consistency::assert_indexes;
use common::world::world;
use easel_core::catalog::{Capability, Plan};
use easel_core::command::{Actor, Command, Outcome, run};
use easel_core::lookup::boards_for;
use easel_core::model::{BoardState, ContentKind, Grantee};
use easel_core::roles::{Access, BoardRole};
use easel_core::settings::PublicLinkSharing;
use easel_core::{
    Action, Code, Decision, EngineAction, Request, State, Subject, Target, Time, decide,
};
use easel_testkit::fixture::{BoardSpec, Given, MemberSpec, OrgSpec, TeamSpec, UserSpec};
use proptest::prelude::*;

const NOW: Time = Time::from_millis(100 * 86_400_000);

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2_000);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Every user's role on every board, with and without the board's link.
fn all_roles(state: &State) -> Vec<Option<BoardRole>> {
    let view = Action::Board(Capability::View);
    let mut out = Vec::new();
    for (b, board) in state.all_boards() {
        if board.state == BoardState::Purged {
            continue;
        }
        let link = format!("link-{}", board.id.trim_start_matches('b'));
        for subject in std::iter::once(Subject::Anonymous)
            .chain(state.all_users().map(|(u, _)| Subject::User(u)))
        {
            for presented in [None, Some(link.as_str())] {
                let mut req = Request::new(subject, view, Target::Board(b));
                req.link = presented;
                out.push(decide(state, &req, NOW).role);
            }
        }
    }
    out
}

/// One question of the deactivation property: who asks (a user or no one), what, on what,
/// with the board's link or not.
type Asked = (Subject, Action, Target, bool);

/// Every question of every user (and of an anonymous visitor) about every board, team and
/// the organization: each board capability with and without the board's link, the team
/// actions and a few privileges.
fn questions(state: &State) -> Vec<Asked> {
    let subjects: Vec<Subject> = std::iter::once(Subject::Anonymous)
        .chain(state.all_users().map(|(u, _)| Subject::User(u)))
        .collect();
    let mut out = Vec::new();
    for &subject in &subjects {
        for (b, board) in state.all_boards() {
            if board.state == BoardState::Purged {
                continue;
            }
            for capability in Capability::ALL {
                for link in [false, true] {
                    out.push((subject, Action::Board(capability), Target::Board(b), link));
                }
            }
        }
        for (t, _) in state.all_teams() {
            for action in [EngineAction::TeamView, EngineAction::TeamManage] {
                out.push((subject, Action::Engine(action), Target::Team(t), false));
            }
        }
        for (o, _) in state.all_orgs() {
            for privilege in [
                easel_core::catalog::Privilege::UsersView,
                easel_core::catalog::Privilege::BoardsEditAll,
            ] {
                out.push((subject, Action::Privilege(privilege), Target::Org(o), false));
            }
            out.push((
                subject,
                Action::Engine(EngineAction::OrgView),
                Target::Org(o),
                false,
            ));
        }
    }
    out
}

/// The decision on one question.
fn ask(state: &State, &(subject, action, target, link): &Asked) -> Decision {
    let presented = match target {
        Target::Board(b) if link => state
            .board(b)
            .map(|board| format!("link-{}", board.id.trim_start_matches('b'))),
        _ => None,
    };
    let mut req = Request::new(subject, action, target);
    req.link = presented.as_deref();
    decide(state, &req, NOW)
}

/// Sets a user active or not in the world's organization through the engine's commands,
/// as the SCIM route does. Returns the refusal's code, if refused.
fn set_active(state: &mut State, user: &str, active: bool) -> Option<Code> {
    let command = if active {
        Command::ReactivateUser {
            org: "org".into(),
            user: user.into(),
        }
    } else {
        Command::DeactivateUser {
            org: "org".into(),
            user: user.into(),
        }
    };
    match run(state, Actor::System, &command, NOW, easel_testkit::ENTROPY) {
        Outcome::Accepted { .. } => None,
        Outcome::Refused { refusal, .. } => Some(refusal.code),
    }
}

/// A change to apply to a random state; indexes are taken modulo what exists.
#[derive(Clone, Debug)]
enum Op {
    Grant(usize, usize, usize),
    Ungrant(usize, usize),
    Transfer(usize, usize),
    Move(usize, usize),
    Trash(usize),
    Restore(usize),
    Purge(usize),
    Access(usize, usize, usize),
    RemoveMember(usize),
    AddContent(usize, usize, bool),
    AddRecords(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..8usize, 0..8usize, 0..4usize).prop_map(|(b, u, r)| Op::Grant(b, u, r)),
        (0..8usize, 0..8usize).prop_map(|(b, u)| Op::Ungrant(b, u)),
        (0..8usize, 0..8usize).prop_map(|(b, u)| Op::Transfer(b, u)),
        (0..8usize, 0..4usize).prop_map(|(b, t)| Op::Move(b, t)),
        (0..8usize).prop_map(Op::Trash),
        (0..8usize).prop_map(Op::Restore),
        (0..8usize).prop_map(Op::Purge),
        (0..8usize, 0..4usize, 0..4usize).prop_map(|(b, t, c)| Op::Access(b, t, c)),
        (0..8usize).prop_map(Op::RemoveMember),
        (0..8usize, 0..8usize, any::<bool>()).prop_map(|(b, u, c)| Op::AddContent(b, u, c)),
        (0..8usize, 0..8usize).prop_map(|(b, u)| Op::AddRecords(b, u)),
    ]
}

const ROLES: [BoardRole; 4] = [
    BoardRole::Viewer,
    BoardRole::Commenter,
    BoardRole::Editor,
    BoardRole::Coowner,
];

fn apply(state: &mut State, op: &Op) -> Result<(), easel_core::state::StateError> {
    let boards: Vec<_> = state.all_boards().map(|(b, _)| b).collect();
    let users: Vec<_> = state.all_users().map(|(u, _)| u).collect();
    let teams: Vec<_> = state.all_teams().map(|(t, _)| t).collect();
    let org = state.all_orgs().map(|(o, _)| o).next();
    let b = |i: usize| boards[i % boards.len()];
    let u = |i: usize| users[i % users.len()];
    match *op {
        Op::Grant(bi, ui, r) => state.set_grant(b(bi), Grantee::User(u(ui)), ROLES[r]),
        Op::Ungrant(bi, ui) => state.remove_grant(b(bi), Grantee::User(u(ui))),
        Op::Transfer(bi, ui) => state.set_board_owner(b(bi), u(ui)),
        Op::Move(bi, ti) => state.set_board_team(b(bi), teams[ti % teams.len()]),
        Op::Trash(bi) => state.set_board_state(b(bi), BoardState::Trashed(NOW)),
        Op::Restore(bi) => state.set_board_state(b(bi), BoardState::Active),
        Op::Purge(bi) => state.set_board_state(b(bi), BoardState::Purged),
        Op::Access(bi, t, c) => {
            state.set_board_access(b(bi), Access::ALL[t], Access::ALL[c], Access::None)
        }
        Op::RemoveMember(ui) => match org {
            Some(o) => state.remove_membership(u(ui), o),
            None => Ok(()),
        },
        Op::AddContent(bi, ui, comment) => {
            let id = format!("itm_{}", state.all_contents().count());
            let kind = if comment {
                ContentKind::Comment
            } else {
                ContentKind::StickyNote
            };
            state
                .add_content(&id, b(bi), kind, "text", u(ui))
                .map(|_| ())
        }
        Op::AddRecords(bi, ui) => {
            // A request of each kind, a billing group and a case, for the board's team and
            // organization.
            let n = state.all_access_requests().count();
            let board = state.board(b(bi)).cloned();
            let Some(board) = board else {
                return Ok(());
            };
            state.add_access_request(&format!("arq_{n}"), b(bi), u(ui), BoardRole::Viewer)?;
            state.add_join_request(&format!("jrq_{n}"), board.team, u(ui))?;
            state.add_licence_request(
                &format!("lrq_{n}"),
                board.org,
                u(ui),
                easel_core::model::Licence::Full,
            )?;
            state.add_billing_group(&format!("bg_{n}"), board.org, "billing")?;
            state.add_case(
                &format!("case_{n}"),
                board.org,
                ("case", ""),
                easel_core::model::Stamp::default(),
            )?;
            Ok(())
        }
    }
}

/// A second organization with every channel wide open, to try to leak across.
fn other_org(given: &mut Given) {
    given.org.push(OrgSpec {
        id: "xorg".into(),
        name: None,
        plan: "enterprise".into(),
        guard: false,
        owner: None,
        settings: None,
    });
    for u in ["xa", "xb"] {
        given.user.push(UserSpec {
            id: u.into(),
            email: None,
            status: None,
            last_active: None,
            sessions_reset: None,
        });
    }
    given.member.push(MemberSpec {
        org: "xorg".into(),
        users: vec!["xa".into(), "xb".into()],
        kind: None,
        admin_roles: vec!["content_admin".into(), "company_admin".into()],
        active: true,
    });
    given.team.push(TeamSpec {
        id: "xt".into(),
        org: "xorg".into(),
        members: [
            ("xa".to_string(), "admin".to_string()),
            ("xb".to_string(), "member".to_string()),
        ]
        .into(),
        groups: Default::default(),
        content_admins: vec!["xb".into()],
        settings: None,
    });
    given.board.push(BoardSpec {
        id: "xboard".into(),
        team: "xt".into(),
        project: None,
        owner: "xa".into(),
        team_access: Some("editor".into()),
        company_access: Some("editor".into()),
        public_access: Some("editor".into()),
        link: Some("xlink".into()),
        password: None,
        members: [("xb".to_string(), "coowner".to_string())].into(),
        state: None,
        trashed_at: None,
        retained: false,
        template: false,
        content: None,
        classification: None,
    });
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn indexes_and_single_owner_hold_through_any_changes(w in world(), ops in proptest::collection::vec(op(), 0..25)) {
        let mut state = w.given().build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        assert_indexes(&state)?;
        for op in &ops {
            let before = format!("{state:?}");
            if apply(&mut state, op).is_err() {
                prop_assert_eq!(format!("{state:?}"), before, "a refused change must change nothing: {:?}", op);
            }
            assert_indexes(&state)?;
        }
    }

    #[test]
    fn nothing_crosses_organizations(w in world()) {
        let mut given = w.given();
        other_org(&mut given);
        let mut state = given.build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let xorg = state.find_org("xorg").ok_or_else(|| TestCaseError::fail("xorg"))?;
        let xboard = state.find_board("xboard").ok_or_else(|| TestCaseError::fail("xboard"))?;
        let view = Action::Board(Capability::View);
        let outsiders: Vec<_> = state.all_users().filter(|(_, user)| user.membership(xorg).is_none()).map(|(u, user)| (u, user.id.to_string())).collect();
        for (u, name) in outsiders {
            // No channel of the other organization reaches them without its link.
            let d = decide(&state, &Request::new(Subject::User(u), view, Target::Board(xboard)), NOW);
            prop_assert!(!d.allowed && d.role.is_none(), "{} reached the other organization's board", name);
            let d = decide(&state, &Request::new(Subject::User(u), Action::Privilege(easel_core::catalog::Privilege::UsersView), Target::Org(xorg)), NOW);
            prop_assert!(!d.allowed);
            let page = boards_for(&state, u, view, None, 1_000, NOW).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(page.items.iter().all(|a| a.board != xboard));
            // The state refuses to link them to the other organization.
            prop_assert!(state.set_grant(xboard, Grantee::User(u), BoardRole::Viewer).is_err());
            let xt = state.find_team("xt").ok_or_else(|| TestCaseError::fail("xt"))?;
            prop_assert!(state.set_team_member(xt, u, easel_core::roles::TeamRole::Member).is_err());
        }
        // And the other organization's users reach none of this one's boards.
        for name in ["xa", "xb"] {
            let u = state.find_user(name).ok_or_else(|| TestCaseError::fail("x user"))?;
            let page = boards_for(&state, u, view, None, 1_000, NOW).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(page.items.iter().map(|a| a.board).collect::<Vec<_>>(), vec![xboard]);
        }
    }

    #[test]
    fn adding_a_grant_never_lowers_access(w in world(), board in 0..8usize, who in 0..8usize, role in 0..4usize, group in any::<bool>()) {
        let mut state = w.given().build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let before = all_roles(&state);
        let b = state.all_boards().map(|(b, _)| b).nth(board % w.boards.len()).ok_or_else(|| TestCaseError::fail("board"))?;
        let grantee = if group && !w.groups.is_empty() {
            Grantee::Group(state.all_groups().map(|(g, _)| g).nth(who % w.groups.len()).ok_or_else(|| TestCaseError::fail("group"))?)
        } else {
            Grantee::User(state.all_users().map(|(u, _)| u).nth(who % w.users.len()).ok_or_else(|| TestCaseError::fail("user"))?)
        };
        // Adding a channel, not changing one: the grantee holds no grant on the board yet.
        let fresh = state.board(b).is_some_and(|x| x.grant(grantee).is_none());
        if fresh && state.set_grant(b, grantee, ROLES[role]).is_ok() {
            let after = all_roles(&state);
            for (x, y) in before.iter().zip(&after) {
                prop_assert!(y >= x, "a grant lowered a role from {:?} to {:?}", x, y);
            }
        }
    }

    #[test]
    fn a_suspended_channel_comes_back_unchanged(w in world(), which in 0..6usize) {
        let mut state = w.given().build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let before = all_roles(&state);
        let boards_before: Vec<_> = state.all_boards().map(|(_, b)| (b.team_access, b.company_access, b.public_access, b.grants.clone())).collect();
        let org = state.find_org("org").ok_or_else(|| TestCaseError::fail("org"))?;
        let team = state.find_team("t0").ok_or_else(|| TestCaseError::fail("team"))?;
        let company = state.org(org).map(|o| o.settings.clone()).ok_or_else(|| TestCaseError::fail("org"))?;
        let team_settings = state.team(team).map(|t| t.settings.clone()).ok_or_else(|| TestCaseError::fail("team"))?;
        let plan = state.org(org).map(|o| o.plan).ok_or_else(|| TestCaseError::fail("org"))?;
        let r = |e: easel_core::state::StateError| TestCaseError::fail(e.to_string());
        match which {
            0 => { let mut s = team_settings.clone(); s.team_and_company_sharing.team = false; state.set_team_settings(team, s).map_err(r)?; }
            1 => { let mut s = team_settings.clone(); s.team_and_company_sharing.company = false; state.set_team_settings(team, s).map_err(r)?; }
            2 => { let mut s = team_settings.clone(); s.coowner_role = false; state.set_team_settings(team, s).map_err(r)?; }
            3 => { let mut s = company.clone(); s.coowner_role = false; state.set_company_settings(org, s).map_err(r)?; }
            4 => { let mut s = company.clone(); s.public_link_sharing = PublicLinkSharing::Off; state.set_company_settings(org, s).map_err(r)?; }
            _ => state.set_plan(org, Plan::Free, false).map_err(r)?,
        }
        // While suspended, nothing stored about the boards changed.
        let boards_during: Vec<_> = state.all_boards().map(|(_, b)| (b.team_access, b.company_access, b.public_access, b.grants.clone())).collect();
        prop_assert_eq!(&boards_during, &boards_before);
        state.set_team_settings(team, team_settings).map_err(r)?;
        state.set_company_settings(org, company).map_err(r)?;
        state.set_plan(org, plan, false).map_err(r)?;
        prop_assert_eq!(all_roles(&state), before);
    }

    #[test]
    fn deactivation_suspends_all_but_the_link_and_reactivation_restores_it(
        w in world(),
        flips in proptest::collection::vec((0..8usize, any::<bool>()), 1..10),
    ) {
        let mut state = w.given().build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let asked = questions(&state);
        let before: Vec<Decision> = asked.iter().map(|q| ask(&state, q)).collect();
        let org = state.find_org("org").ok_or_else(|| TestCaseError::fail("org"))?;
        for &(u, active) in &flips {
            let u = u % w.users.len();
            let refused = set_active(&mut state, &common::world::World::user_id(u), active);
            // An outsider is no one here; the last active company admin stays.
            let expected = match refused {
                None => true,
                Some(Code::RequestNotFound) => !w.in_org(u),
                Some(Code::AuthorityLastCompanyAdmin) => !active,
                Some(_) => false,
            };
            prop_assert!(expected, "u{} active={}: refused {:?}", u, active, refused);
            // While deactivated, every question but a board's through its link is refused at
            // the credential layer; through the link, the user is the anonymous visitor.
            for q in &asked {
                let Subject::User(x) = q.0 else { continue };
                let off = state.membership(x, org).is_some_and(|m| !m.active);
                if !off {
                    continue;
                }
                let got = ask(&state, q);
                if q.3 {
                    let anonymous = ask(&state, &(Subject::Anonymous, q.1, q.2, q.3));
                    prop_assert_eq!(got.allowed, anonymous.allowed, "{:?}", q);
                    prop_assert_eq!(got.role, anonymous.role, "{:?}", q);
                    prop_assert_eq!(&got.reasons, &anonymous.reasons, "{:?}", q);
                } else {
                    prop_assert!(!got.allowed && got.role.is_none(), "{:?}: {:?}", q, got);
                    prop_assert_eq!(got.denial.map(|d| d.code), Some(Code::CredentialUserDeactivated), "{:?}", q);
                }
            }
        }
        // Everyone back as they were: every decision is the one before, role and reasons.
        // Those active at the start are reactivated by the command; those the world began
        // with deactivated are put back by the state itself, since the world may start where
        // no command leads (its only company admin deactivated).
        for (u, user) in w.users.iter().enumerate() {
            if !w.in_org(u) {
                continue;
            }
            let id = common::world::World::user_id(u);
            if user.active {
                let refused = set_active(&mut state, &id, true);
                prop_assert!(refused.is_none(), "reactivating u{}: {:?}", u, refused);
            } else {
                let x = state.find_user(&id).ok_or_else(|| TestCaseError::fail("user"))?;
                state.set_membership_active(x, org, false).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
        }
        let after: Vec<Decision> = asked.iter().map(|q| ask(&state, q)).collect();
        for ((q, was), now) in asked.iter().zip(&before).zip(&after) {
            prop_assert_eq!(was, now, "{:?}", q);
        }
    }
}
