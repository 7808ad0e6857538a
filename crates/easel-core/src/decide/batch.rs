//! Many questions at once. A question about a random board of a large state spends most of
//! its time waiting for memory: the board, the user and what they point to are rarely in
//! the cache. A batch first reads those records for a handful of questions in a tight loop,
//! whose loads do not depend on one another, so the processor fetches them all at the same
//! time; the decisions that follow find them in the cache. The answers are `decide`'s.

use std::hint::black_box;

use crate::decision::Decision;
use crate::request::{Request, Subject, Target};
use crate::state::State;
use crate::time::Time;

/// How many questions are fetched ahead together.
const WAVE: usize = 16;

/// The first records a question reads: the board and the user.
fn first_touch(state: &State, req: &Request) -> u64 {
    let mut seen = 0u64;
    if let Target::Board(b) = req.target
        && let Some(board) = state.board(b)
    {
        seen ^= u64::from(board.team.0) ^ board.grants.len() as u64;
    }
    if let Subject::User(u) = req.subject
        && let Some(user) = state.user(u)
    {
        seen ^= user.orgs.len() as u64 ^ user.projects.len() as u64;
    }
    seen
}

/// What those records point to: the board's grants and team.
fn second_touch(state: &State, req: &Request) -> u64 {
    let mut seen = 0u64;
    if let Target::Board(b) = req.target
        && let Some(board) = state.board(b)
    {
        if let Some((_, role)) = board.grants.first() {
            seen ^= role as u64;
        }
        if let Some(team) = state.team(board.team) {
            seen ^= team.members.len() as u64;
        }
    }
    seen
}

/// Decides every question at instant `now`, in order: the same answers as `decide` on each.
pub fn decide_batch(state: &State, requests: &[Request], now: Time) -> Vec<Decision> {
    let mut out = Vec::with_capacity(requests.len());
    for wave in requests.chunks(WAVE) {
        let mut seen = 0u64;
        for req in wave {
            seen ^= first_touch(state, req);
        }
        for req in wave {
            seen ^= second_touch(state, req);
        }
        black_box(seen);
        out.extend(wave.iter().map(|req| super::decide(state, req, now)));
    }
    out
}
