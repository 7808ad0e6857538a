//! Random ids and secrets, from the operating system's generator.

use easel_core::codes::Code;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// `n` random bytes as lower-case hex; an error if the system's generator fails (nothing
/// random is ever made up).
pub fn random_hex(n: usize) -> Result<String, ApiError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "the system's random generator failed");
        ApiError::new(
            Code::RequestUnavailable,
            "no randomness available; try again",
        )
    })?;
    Ok(easel_core::event::hex(&bytes))
}

/// A new id with a prefix: `brd_` and 12 random hex digits, say.
pub fn new_id(prefix: &str) -> Result<String, ApiError> {
    Ok(format!("{prefix}_{}", random_hex(6)?))
}

/// A new secret (32 random bytes, hex) and its SHA-256 (hex), which is all Easel keeps.
pub fn new_secret() -> Result<(String, String), ApiError> {
    let secret = random_hex(32)?;
    let digest = easel_core::event::hex(&Sha256::digest(secret.as_bytes()));
    Ok((secret, digest))
}
