//! Which accepted jobs may share a group commit's round: those that could have run one
//! after another in any order with the same outcomes, decided on the same state.

use easel_core::State;
use easel_core::event::Event;

/// What an accepted job changes, as far as sharing a round is concerned.
#[derive(Debug)]
pub(crate) struct Footprint {}

impl Footprint {
    /// The footprint of a job's events, decided on `state`.
    pub(crate) fn of(_state: &State, _events: &[Event]) -> Footprint {
        Footprint {}
    }

    /// Whether two jobs may not share a round.
    pub(crate) fn meets(&self, _other: &Footprint) -> bool {
        true
    }
}
