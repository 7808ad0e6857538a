//! The hook through which `explain` watches the same evaluation `decide` runs.
//!
//! `decide` passes `Silent`, whose methods do nothing and whose note closures are never
//! called, so the hot path pays nothing for explanations. `explain` passes a recorder.

use crate::codes::Layer;
use crate::decision::{Channel, Via};
use crate::roles::BoardRole;

/// How a layer went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The layer let the question through.
    Passed,
    /// The layer refused.
    Refused,
    /// The layer does not apply to this question (for example scopes without an app).
    NotApplicable,
}

/// Receives what the evaluation considered.
pub(crate) trait Trace {
    /// A layer's outcome, with a note for people.
    fn layer(&mut self, layer: Layer, outcome: Outcome, note: impl FnOnce() -> String);
    /// A channel considered: what it gives (none if it does not apply) and why.
    fn channel(
        &mut self,
        channel: Channel,
        via: Option<Via>,
        gives: Option<BoardRole>,
        note: impl FnOnce() -> String,
    );
}

/// The trace `decide` uses: records nothing.
pub(crate) struct Silent;

impl Trace for Silent {
    #[inline(always)]
    fn layer(&mut self, _: Layer, _: Outcome, _: impl FnOnce() -> String) {}
    #[inline(always)]
    fn channel(
        &mut self,
        _: Channel,
        _: Option<Via>,
        _: Option<BoardRole>,
        _: impl FnOnce() -> String,
    ) {
    }
}
