//! Shared helpers for the property tests.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

pub mod reference;
pub mod world;
