//! The indexed engine against the plain reference evaluator of MODEL.md §3, on random
//! organizations: every user (and an anonymous visitor) on every board, with and without
//! the board's link; and both lookups against a brute-force filter.

mod common;

use common::reference::{self, VIEWER};
use common::world::{Kind, World, world};
use easel_core::catalog::Capability;
use easel_core::lookup::{boards_for, reach, subjects_for};
use easel_core::{Action, Code, Request, State, Subject, Target, Time, decide, decide_batch};
use proptest::prelude::*;

/// At least 10,000 random organizations a run; `PROPTEST_CASES` raises it.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

const NOW: Time = Time::from_millis(100 * 86_400_000);

fn role_number(role: Option<easel_core::roles::BoardRole>) -> Option<u8> {
    role.map(|r| r as u8)
}

fn check_world(w: &World) -> Result<(), TestCaseError> {
    let state: State = w
        .given()
        .build()
        .map_err(|e| TestCaseError::fail(format!("build: {e}")))?;
    let view = Action::Board(Capability::View);
    let subjects: Vec<Option<usize>> = std::iter::once(None)
        .chain((0..w.users.len()).map(Some))
        .collect();
    for b in 0..w.boards.len() {
        let bix = state
            .find_board(&World::board_id(b))
            .ok_or_else(|| TestCaseError::fail("board missing"))?;
        let link = World::link(b);
        for &u in &subjects {
            let subject = match u {
                Some(u) => Subject::User(
                    state
                        .find_user(&World::user_id(u))
                        .ok_or_else(|| TestCaseError::fail("user"))?,
                ),
                None => Subject::Anonymous,
            };
            for presented in [None, Some(link.as_str())] {
                let mut req = Request::new(subject, view, Target::Board(bix));
                req.link = presented;
                let decision = decide(&state, &req, NOW);
                if reference::deactivated_refused(w, u, b, presented) {
                    prop_assert_eq!(
                        decision.code(),
                        Some(Code::CredentialUserDeactivated),
                        "user {:?} board {}",
                        u,
                        b
                    );
                    continue;
                }
                let want = reference::role(w, u, b, presented);
                // Voting is for registered users: anyone decided as a visitor is refused it.
                let mut vote = Request::new(
                    subject,
                    Action::Board(Capability::VoteAndTimer),
                    Target::Board(bix),
                );
                vote.link = presented;
                let voted = decide(&state, &vote, NOW);
                if reference::as_visitor(w, u, b, presented) {
                    prop_assert!(!voted.allowed, "vote by {:?} on board {}", u, b);
                } else {
                    prop_assert_eq!(
                        voted.allowed,
                        want.is_some(),
                        "vote by {:?} on board {}",
                        u,
                        b
                    );
                }
                prop_assert_eq!(
                    role_number(decision.role),
                    want,
                    "role of user {:?} on board {} (link {:?})",
                    u,
                    b,
                    presented
                );
                prop_assert_eq!(decision.allowed, want.is_some_and(|r| r >= VIEWER));
                for (cap, needed) in [(Capability::Comment, 2), (Capability::EditContent, 3)] {
                    let mut req = Request::new(subject, Action::Board(cap), Target::Board(bix));
                    req.link = presented;
                    let d = decide(&state, &req, NOW);
                    prop_assert_eq!(
                        d.allowed,
                        want.is_some_and(|r| r >= needed),
                        "{} by {:?} on board {}",
                        cap.id(),
                        u,
                        b
                    );
                }
            }
        }
    }
    // Lookups: exactly the boards (users) the reference gives a role without a link.
    for u in 0..w.users.len() {
        let uix = state
            .find_user(&World::user_id(u))
            .ok_or_else(|| TestCaseError::fail("user"))?;
        let mut got = Vec::new();
        let mut cursor = None;
        loop {
            let page = boards_for(&state, uix, view, cursor.as_deref(), 2, NOW)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            got.extend(page.items.iter().map(|a| (a.board, role_number(a.role))));
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let active = w.users[u].kind == Kind::Outsider || w.users[u].active;
        let want: Vec<_> = (0..w.boards.len())
            .filter_map(|b| {
                let r = reference::role(w, Some(u), b, None).filter(|_| active)?;
                Some((state.find_board(&World::board_id(b))?, Some(r)))
            })
            .collect();
        prop_assert_eq!(got, want, "boards of user {}", u);
    }
    for b in 0..w.boards.len() {
        let bix = state
            .find_board(&World::board_id(b))
            .ok_or_else(|| TestCaseError::fail("board"))?;
        let page = subjects_for(&state, bix, view, None, 1_000, NOW)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let got: Vec<_> = page
            .items
            .iter()
            .map(|s| (s.user, role_number(s.role)))
            .collect();
        let want: Vec<_> = (0..w.users.len())
            .filter(|u| w.users[*u].active)
            .filter_map(|u| {
                Some((
                    state.find_user(&World::user_id(u))?,
                    Some(reference::role(w, Some(u), b, None)?),
                ))
            })
            .collect();
        prop_assert_eq!(got, want, "users of board {}", b);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn engine_matches_reference(w in world()) {
        check_world(&w)?;
    }
}

/// Every board-action lookup against the decision itself: for every user and every action
/// asked about boards, the pages of `boards_for` (and the one pass of `reach`) hold exactly
/// the boards `decide` allows, with the same role. Some boards are in the trash, where the
/// lookup falls back to the full decision.
fn check_lookups(w: &World, trashed: u8) -> Result<(), TestCaseError> {
    let mut state: State = w
        .given()
        .build()
        .map_err(|e| TestCaseError::fail(format!("build: {e}")))?;
    let boards: Vec<_> = state.all_boards().map(|(b, _)| b).collect();
    for (i, b) in boards.iter().enumerate() {
        if trashed & (1 << (i % 8)) != 0 {
            state
                .set_board_state(*b, easel_core::model::BoardState::Trashed(NOW))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
    let actions: Vec<Action> = Action::all()
        .filter(|a| a.applies_to(easel_core::action::TargetKind::Board))
        .collect();
    // A batch answers exactly as the questions asked one by one.
    let questions: Vec<Request> = state
        .all_users()
        .flat_map(|(u, _)| {
            let boards = &boards;
            actions.iter().flat_map(move |a| {
                boards
                    .iter()
                    .map(move |b| Request::new(Subject::User(u), *a, Target::Board(*b)))
            })
        })
        .collect();
    let one_by_one: Vec<_> = questions.iter().map(|q| decide(&state, q, NOW)).collect();
    prop_assert_eq!(decide_batch(&state, &questions, NOW), one_by_one);
    for (uix, _) in state.all_users() {
        for &action in &actions {
            let want: Vec<_> = boards
                .iter()
                .filter_map(|b| {
                    let d = decide(
                        &state,
                        &Request::new(Subject::User(uix), action, Target::Board(*b)),
                        NOW,
                    );
                    d.allowed.then_some((*b, d.role))
                })
                .collect();
            let mut got = Vec::new();
            let mut cursor = None;
            loop {
                let page = boards_for(&state, uix, action, cursor.as_deref(), 3, NOW)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                got.extend(page.items.iter().map(|a| (a.board, a.role)));
                match page.next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            prop_assert_eq!(&got, &want, "pages of {:?} for {}", uix, action);
            let once: Vec<_> = reach(&state, uix, action, NOW)
                .map_err(|e| TestCaseError::fail(e.to_string()))?
                .map(|a| (a.board, a.role))
                .collect();
            prop_assert_eq!(&once, &want, "one pass of {:?} for {}", uix, action);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: config().cases / 10, ..config() })]

    #[test]
    fn lookups_match_decisions_for_every_action(w in world(), trashed in any::<u8>()) {
        check_lookups(&w, trashed)?;
    }
}
