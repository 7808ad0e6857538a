//! Shared helpers for the property tests.
// `allow`, not `expect`: each test binary that includes this module uses a different part
// of it, so the lint fires in some binaries and not in others.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

pub mod consistency;
pub mod reference;
pub mod world;
