//! Who made or last changed something, and when: boards, cases and legal holds carry these.

use crate::ids::UserIx;
use crate::time::Time;

/// When, and by whom, something was made or changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    /// The instant (the epoch for a record older than stamps).
    pub at: Time,
    /// The user (none for Easel itself, or for a record older than stamps).
    pub by: Option<UserIx>,
}
