//! The comparison that must pass before anything is timed: Easel and Cedar asked the same
//! questions, answer by answer.

use cedar_policy::{Authorizer, Entities, PolicySet, Request as CedarRequest};
use easel_core::{Request, State, Time, decide};

use crate::cedar;
use crate::dataset::Question;

/// A question the two engines answered differently, or on which Cedar met an evaluation
/// error (an error makes Cedar skip the policy, so the answer cannot be trusted).
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// The user's id.
    pub user: String,
    /// The board's id.
    pub board: String,
    /// The action asked.
    pub action: &'static str,
    /// Easel's answer.
    pub easel: bool,
    /// Cedar's answer.
    pub cedar: bool,
    /// Cedar's evaluation errors, if any.
    pub cedar_errors: Vec<String>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = |allowed: bool| if allowed { "allow" } else { "deny" };
        write!(
            f,
            "user {} board {} {}: easel {}, cedar {}",
            self.user,
            self.board,
            self.action,
            word(self.easel),
            word(self.cedar)
        )?;
        if !self.cedar_errors.is_empty() {
            write!(f, " (cedar errors: {})", self.cedar_errors.join("; "))?;
        }
        Ok(())
    }
}

/// What the comparison found.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Questions compared.
    pub compared: usize,
    /// Questions both engines allowed.
    pub allowed: usize,
    /// Every question that did not agree.
    pub mismatches: usize,
    /// The first few of them, to print.
    pub first: Vec<Mismatch>,
}

/// The Cedar side of a comparison: what `cedar.rs` built.
pub struct CedarSide<'a> {
    /// The validated policies.
    pub policies: &'a PolicySet,
    /// The entities built from the state.
    pub entities: &'a Entities,
    /// One request per question, in order.
    pub requests: &'a [CedarRequest],
}

/// Asks both engines every question (the three slices run in step) and keeps the first
/// `keep` mismatches.
pub fn compare(
    state: &State,
    now: Time,
    questions: &[Question],
    easel: &[Request],
    cedar_side: &CedarSide,
    keep: usize,
) -> Outcome {
    let authorizer = Authorizer::new();
    let mut outcome = Outcome::default();
    for ((q, e), c) in questions.iter().zip(easel).zip(cedar_side.requests) {
        outcome.compared += 1;
        let easel_allowed = decide(state, e, now).allowed;
        let (cedar_allowed, cedar_errors) =
            cedar::answer(&authorizer, c, cedar_side.policies, cedar_side.entities);
        if easel_allowed == cedar_allowed && cedar_errors.is_empty() {
            outcome.allowed += usize::from(easel_allowed);
            continue;
        }
        outcome.mismatches += 1;
        if outcome.first.len() < keep {
            let id = |found: Option<&str>| found.unwrap_or("?").to_owned();
            outcome.first.push(Mismatch {
                user: id(state.user(q.user).map(|u| &*u.id)),
                board: id(state.board(q.board).map(|b| &*b.id)),
                action: q.action_name(),
                easel: easel_allowed,
                cedar: cedar_allowed,
                cedar_errors,
            });
        }
    }
    outcome
}
