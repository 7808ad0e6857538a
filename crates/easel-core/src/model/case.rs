//! Legal cases and holds (enterprise_guard).

use crate::ids::{OrgIx, UserIx};

/// A legal case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The display name.
    pub name: String,
    /// The holds of the case.
    pub holds: Vec<LegalHold>,
}

/// A hold over some users' boards: while active, their boards cannot be purged.
#[derive(Clone, Debug, PartialEq)]
pub struct LegalHold {
    /// The opaque id.
    pub id: Box<str>,
    /// The users whose boards are held, sorted.
    pub users: Vec<UserIx>,
    /// Released holds no longer hold anything.
    pub released: bool,
}
