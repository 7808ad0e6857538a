//! Test support for Easel, kept out of the production crates: the TOML language of fixtures
//! and scenario files with its runner (`fixture`, `scenario`), which the engine's tests, the
//! store's suite and the server's HTTP replay share, and the benchmarks' data generator
//! (`bench_data`, behind `easel bench-data`). Nothing here is on a request's path.

pub mod bench_data;
pub mod fixture;
mod fixture_credentials;
mod fixture_events;
pub mod scenario;

/// The entropy fixtures and scenario steps pass where a server draws random bytes: fixed,
/// so a fixture's events and a scenario's outcome are the same on every run.
pub const ENTROPY: easel_core::Entropy =
    easel_core::Entropy::new([0x5e; easel_core::Entropy::BYTES]);
