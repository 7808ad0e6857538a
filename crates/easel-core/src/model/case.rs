//! Legal cases and holds (enterprise_guard).

use crate::ids::{OrgIx, UserIx};
use crate::model::Stamp;

/// A legal case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The display name.
    pub name: String,
    /// What the case is about.
    pub description: String,
    /// Its creation.
    pub created: Stamp,
    /// Its last change (its creation until changed).
    pub modified: Stamp,
    /// A deleted case is gone for everyone; its holds were released with it.
    pub deleted: bool,
    /// The holds of the case.
    pub holds: Vec<LegalHold>,
}

/// A hold over some users' boards: while active, their boards cannot be purged.
#[derive(Clone, Debug, PartialEq)]
pub struct LegalHold {
    /// The opaque id.
    pub id: Box<str>,
    /// The display name.
    pub name: String,
    /// What the hold is for.
    pub description: String,
    /// The users whose boards are held, sorted.
    pub users: Vec<UserIx>,
    /// Released holds no longer hold anything.
    pub released: bool,
    /// Its creation.
    pub created: Stamp,
    /// Its last change (its creation until changed).
    pub modified: Stamp,
}
