//! Which accepted jobs may share a group commit's round. The jobs of a round are all decided
//! on the same state, so they may share it only if each would have been decided the same
//! after the others: then committing them in order is the same as running them one after
//! another.
//!
//! The rule is narrow on purpose: jobs that change only boards' own rows and direct grants
//! (sharing, unsharing, a board's settings and text: the bulk of a busy product's writes)
//! share a round when they change different boards; any other job (memberships, teams,
//! settings, identities, sessions, apps) has a round to itself. A board job's decision
//! reads the board, the organization's and the team's standing, none of which another
//! board job changes, and what it changes no other board job reads; whereas two jobs that
//! each check an aggregate the other changes (the last admin of an organization, say)
//! could both pass on the same state and not one after the other.

use std::collections::BTreeSet;

use easel_core::State;
use easel_core::event::Event;

use crate::tables::{Key, Keys};

/// What an accepted job changes, as far as sharing a round is concerned.
#[derive(Debug)]
pub(crate) struct Footprint {
    /// The boards it changes, when it changes nothing but boards' own rows and grants.
    boards: Option<BTreeSet<String>>,
}

impl Footprint {
    /// The footprint of a job's events, decided on `state`: the keys they touch, as the
    /// state tables know them.
    pub(crate) fn of(state: &State, events: &[Event]) -> Footprint {
        let mut keys = Keys::default();
        for event in events {
            keys.add(state, event);
        }
        let boards = keys
            .iter()
            .map(|key| match key {
                Key::Board(board) | Key::Grant { board, .. } => Some(board.clone()),
                _ => None,
            })
            .collect();
        Footprint { boards }
    }

    /// Whether two jobs may not share a round.
    pub(crate) fn meets(&self, other: &Footprint) -> bool {
        match (&self.boards, &other.boards) {
            (Some(mine), Some(theirs)) => !mine.is_disjoint(theirs),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Footprint;
    use easel_core::State;
    use easel_core::event::{Event, Who};
    use easel_core::roles::BoardRole;

    fn grant(board: &str, user: &str) -> Event {
        Event::GrantSet {
            board: board.into(),
            to: Who::User(user.into()),
            role: BoardRole::Viewer,
        }
    }

    #[test]
    fn board_jobs_share_a_round_unless_they_change_the_same_board() {
        let state = State::new();
        let a = Footprint::of(&state, &[grant("b1", "ana")]);
        let b = Footprint::of(&state, &[grant("b2", "ana")]);
        let c = Footprint::of(&state, &[grant("b1", "ben")]);
        assert!(!a.meets(&b) && !b.meets(&a));
        assert!(a.meets(&c) && c.meets(&a));
    }

    #[test]
    fn any_other_job_has_a_round_to_itself() {
        let state = State::new();
        let board = Footprint::of(&state, &[grant("b1", "ana")]);
        let member = Footprint::of(
            &state,
            &[Event::MembershipRemoved {
                org: "acme".into(),
                user: "ben".into(),
            }],
        );
        assert!(board.meets(&member) && member.meets(&board));
        let again = Footprint::of(
            &state,
            &[Event::MembershipRemoved {
                org: "globex".into(),
                user: "cy".into(),
            }],
        );
        assert!(member.meets(&again));
    }
}
