//! Easel's access model as a library: the catalogs, the entities, an indexed in-memory state,
//! and the one decision function every answer comes from. No I/O, no clock, no async.
//!
//! The entry points are [`decide`], [`explain`] and the lookups in [`lookup`]. Questions are
//! built as a [`Question`] of string ids and resolved against a [`State`] into a
//! [`Request`]; resolution is where bad input becomes an error value.
//!
//! ```
//! use easel_core::{decide, Question, Time};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let state = easel_testkit::fixture::parse_given(r#"
//!     [[org]]
//!     id = "acme"
//!     plan = "enterprise"
//!     [[user]]
//!     id = "ana"
//!     [[user]]
//!     id = "ben"
//!     [[member]]
//!     org = "acme"
//!     users = ["ana", "ben"]
//!     [[team]]
//!     id = "design"
//!     org = "acme"
//!     members = { ana = "admin", ben = "member" }
//!     [[board]]
//!     id = "roadmap"
//!     team = "design"
//!     owner = "ana"
//!     team_access = "commenter"
//! "#)?.build()?;
//!
//! let question = Question {
//!     user: Some("ben".into()),
//!     action: "board.edit_content".into(),
//!     target: ("board".into(), "roadmap".into()),
//!     ..Question::default()
//! };
//! let decision = decide(&state, &question.resolve(&state)?, Time::from_secs(0));
//! assert!(!decision.allowed);
//! let denial = decision.denial.ok_or("a refusal says why")?;
//! assert_eq!(denial.code.as_str(), "authority.role_too_low");
//! assert_eq!(denial.message(), "commenter may not edit; editor or higher is needed");
//! # Ok(())
//! # }
//! ```

pub mod action;
pub mod catalog;
pub mod codes;
pub mod command;
mod decide;
pub mod decision;
pub mod entropy;
pub mod event;
pub mod explain;
pub mod ids;
pub mod lookup;
pub mod model;
pub mod request;
pub mod roles;
pub mod settings;
pub mod state;
pub mod time;
mod wire;

pub use action::{Action, EngineAction, TargetKind};
pub use codes::{Code, Layer};
pub use decide::{
    AppScopes, Outcome, ScopeRefusal, admit_scopes, check_actor, decide, decide_batch,
    hash_password,
};
pub use decision::{Channel, Decision, Denial, Facts, Reason, Via};
pub use entropy::Entropy;
pub use explain::{Explanation, explain};
pub use request::{Credential, Question, Request, RequestError, Subject, Target};
pub use state::State;
pub use time::Time;
