//! Easel's access model as a library: the catalogs, the entities, an indexed in-memory state,
//! and the one decision function every answer comes from. No I/O, no clock, no async.
//!
//! The entry points are [`decide`], [`explain`] and the lookups in [`lookup`]. Questions are
//! built as a [`Question`] of string ids and resolved against a [`State`] into a
//! [`Request`]; resolution is where bad input becomes an error value.

pub mod action;
pub mod catalog;
pub mod codes;
mod decide;
pub mod decision;
pub mod explain;
pub mod fixture;
pub mod ids;
pub mod lookup;
pub mod model;
pub mod request;
pub mod roles;
pub mod scenario;
pub mod settings;
pub mod state;
pub mod time;

pub use action::{Action, EngineAction, TargetKind};
pub use codes::{Code, Layer};
pub use decide::{Outcome, decide, hash_password};
pub use decision::{Channel, Decision, Denial, Facts, Reason, Via};
pub use explain::{Explanation, explain};
pub use request::{Credential, Question, Request, RequestError, Subject, Target};
pub use state::State;
pub use time::Time;
