//! Randomness as an input: the engine never draws from the operating system; callers pass
//! the random bytes a command may need, as they pass `now`, so that `execute` is a pure
//! function of its arguments and a test can fix them.

/// Random bytes drawn by the caller for one command: from the operating system in the
/// store, a fixed value in tests and fixtures. Today they salt a board password's hash.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Entropy([u8; Entropy::BYTES]);

impl Entropy {
    /// How many bytes a caller supplies.
    pub const BYTES: usize = 32;

    /// Entropy from bytes the caller drew.
    pub const fn new(bytes: [u8; Entropy::BYTES]) -> Entropy {
        Entropy(bytes)
    }

    /// The salt of a password hash: the first 16 bytes (argon2's recommended length).
    pub(crate) fn salt(&self) -> &[u8] {
        &self.0[..16]
    }
}

/// The bytes stay out of logs: they may salt a secret.
impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Entropy(..)")
    }
}
