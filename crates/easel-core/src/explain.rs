//! `explain`: the same evaluation as `decide`, recorded layer by layer and channel by
//! channel, for a person debugging access.

use crate::codes::Layer;
use crate::decide::trace::Trace;
use crate::decide::{Ctx, Outcome, Roles, board_channels, evaluate, target_org};
use crate::decision::{Channel, Decision, Via};
use crate::request::{Request, Target};
use crate::roles::BoardRole;
use crate::state::State;
use crate::time::Time;

/// One layer's part in a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerStep {
    /// The layer.
    pub layer: Layer,
    /// How it went.
    pub outcome: Outcome,
    /// Why, in words.
    pub note: String,
}

/// One channel considered for a board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelStep {
    /// The channel.
    pub channel: Channel,
    /// What it goes through, where it names something.
    pub via: Option<Via>,
    /// The role it gives now, if any.
    pub gives: Option<BoardRole>,
    /// Why it gives that (or nothing), in words.
    pub note: String,
}

/// A decision with everything considered on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The decision, identical to what `decide` answers.
    pub decision: Decision,
    /// Every layer, in order, with its outcome; layers after a refusal are "not reached".
    pub layers: Vec<LayerStep>,
    /// For a board, every channel and what it contributed, whether or not the decision
    /// reached the authority layer.
    pub channels: Vec<ChannelStep>,
}

#[derive(Default)]
struct Recorder {
    layers: Vec<LayerStep>,
    channels: Vec<ChannelStep>,
}

impl Trace for Recorder {
    fn layer(&mut self, layer: Layer, outcome: Outcome, note: impl FnOnce() -> String) {
        // A layer reports once; a later report of the same layer replaces the earlier one.
        let step = LayerStep {
            layer,
            outcome,
            note: note(),
        };
        match self.layers.iter_mut().find(|s| s.layer == layer) {
            Some(existing) => *existing = step,
            None => self.layers.push(step),
        }
    }

    fn channel(
        &mut self,
        channel: Channel,
        via: Option<Via>,
        gives: Option<BoardRole>,
        note: impl FnOnce() -> String,
    ) {
        self.channels.push(ChannelStep {
            channel,
            via,
            gives,
            note: note(),
        });
    }
}

/// The order layers are listed in.
const LAYERS: [Layer; 6] = [
    Layer::Credential,
    Layer::Scope,
    Layer::Plan,
    Layer::State,
    Layer::Authority,
    Layer::Policy,
];

/// Explains a question at instant `now`.
pub fn explain(state: &State, req: &Request, now: Time) -> Explanation {
    let mut rec = Recorder::default();
    let decision = evaluate(state, req, now, &mut rec);
    // A refusal before the channels were looked at still shows what they would give.
    if let Target::Board(b) = req.target
        && rec.channels.is_empty()
        && let (Some(board), Some(org_ix)) = (state.board(b), target_org(state, req.target))
        && let Some(org) = state.org(org_ix)
    {
        let ctx = Ctx::new(state, req, org_ix, org);
        let _ = board_channels(&ctx, b, board, Roles::default(), &mut rec);
    }
    let refused_at = decision.denial.map(|d| d.layer());
    let mut layers = Vec::with_capacity(LAYERS.len() + 1);
    if refused_at == Some(Layer::Request) {
        layers.extend(
            rec.layers
                .iter()
                .filter(|s| s.layer == Layer::Request)
                .cloned(),
        );
    }
    let mut reached = refused_at != Some(Layer::Request);
    for layer in LAYERS {
        match rec.layers.iter().find(|s| s.layer == layer) {
            Some(step) if reached => {
                layers.push(step.clone());
                if step.outcome == Outcome::Refused {
                    reached = false;
                }
            }
            _ => {
                let note = if reached {
                    "nothing to check for this question"
                } else {
                    "not reached"
                };
                layers.push(LayerStep {
                    layer,
                    outcome: Outcome::NotApplicable,
                    note: note.into(),
                });
            }
        }
    }
    Explanation {
        decision,
        layers,
        channels: rec.channels,
    }
}
