//! The consistency of a state: one owner per board, and reverse indexes that agree with
//! the forward data. Shared by the property tests of random states and of random command
//! sequences.

use easel_core::State;
use easel_core::model::{BoardState, ContentKind, Grantee};
use easel_core::roles::Access;
use proptest::prelude::*;

/// Every board has exactly one owner, in its organization, and every reverse index agrees
/// with the forward data.
pub fn assert_indexes(state: &State) -> Result<(), TestCaseError> {
    for (b, board) in state.all_boards() {
        let live = board.state != BoardState::Purged;
        prop_assert_eq!(
            state.board_core(b),
            Some(&easel_core::model::BoardCore::of(board)),
            "the core of board {} is out of step",
            &*board.id
        );
        let owners: Vec<_> = state
            .all_users()
            .filter(|(_, u)| u.owned.contains(&b))
            .map(|(u, _)| u)
            .collect();
        if live {
            prop_assert_eq!(
                owners,
                vec![board.owner],
                "board {} must have exactly one owner",
                &*board.id
            );
            prop_assert!(
                state.membership(board.owner, board.org).is_some(),
                "the owner of board {} is outside its organization",
                &*board.id
            );
        } else {
            prop_assert!(owners.is_empty(), "purged board {} still owned", &*board.id);
        }
        let org = state
            .org(board.org)
            .ok_or_else(|| TestCaseError::fail("org"))?;
        prop_assert_eq!(org.boards.contains(&b), live);
        prop_assert_eq!(
            org.company_boards.contains(&b),
            live && board.company_access != Access::None
        );
        let team = state
            .team(board.team)
            .ok_or_else(|| TestCaseError::fail("team"))?;
        prop_assert_eq!(team.boards.contains(&b), live);
        prop_assert_eq!(
            team.org,
            board.org,
            "a board's team is in the board's organization"
        );
        for (grantee, _) in &board.grants {
            match grantee {
                Grantee::User(u) => {
                    let user = state.user(u).ok_or_else(|| TestCaseError::fail("user"))?;
                    prop_assert_eq!(user.direct.contains(&b), live);
                    prop_assert!(
                        !live || user.membership(board.org).is_some(),
                        "grantee outside the organization"
                    );
                }
                Grantee::Group(g) => {
                    let group = state.group(g).ok_or_else(|| TestCaseError::fail("group"))?;
                    prop_assert_eq!(group.boards.contains(&b), live);
                    prop_assert_eq!(group.org, board.org);
                }
            }
        }
    }
    for (u, user) in state.all_users() {
        for b in &user.direct {
            let board = state
                .board(*b)
                .ok_or_else(|| TestCaseError::fail("board"))?;
            prop_assert!(
                board.grant(Grantee::User(u)).is_some(),
                "stale direct index"
            );
        }
        for (t, role) in &user.teams {
            let team = state.team(*t).ok_or_else(|| TestCaseError::fail("team"))?;
            prop_assert_eq!(
                team.members.iter().find(|(m, _)| *m == u).map(|(_, r)| *r),
                Some(*role)
            );
            prop_assert!(
                user.membership(team.org).is_some(),
                "team member outside the organization"
            );
        }
    }
    // A board's items and comments: each list sorted, and exactly the contents whose board
    // and kind it is.
    for (b, _) in state.all_boards() {
        for comments in [false, true] {
            let listed = state.board_contents(b, comments);
            let expected: Vec<_> = state
                .all_contents()
                .filter(|(_, c)| c.board == b && (c.kind == ContentKind::Comment) == comments)
                .map(|(c, _)| c)
                .collect();
            prop_assert_eq!(
                listed,
                expected.as_slice(),
                "contents of a board out of step"
            );
        }
    }
    Ok(())
}
