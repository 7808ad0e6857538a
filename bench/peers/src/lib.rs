//! Easel next to the `cedar-policy` crate: the same board checks on the same generated
//! dataset, answers compared one by one before either engine is timed.
//!
//! `dataset` builds the Easel state and the questions, `cedar` turns the same state into
//! Cedar entities and requests for `policies/boards.cedar`, `agreement` compares the
//! answers, and `measure` times the two engines on one thread. `src/main.rs` runs them.

pub mod agreement;
pub mod cedar;
pub mod dataset;
pub mod measure;
