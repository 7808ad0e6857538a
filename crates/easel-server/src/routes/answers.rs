//! The small answers writes give about what they touched, shared by the resources whose
//! writes answer alike: the id, and what became of it.

use serde::Serialize;
use utoipa::ToSchema;

/// Something removed from where it was (a member from a team, a user from a group).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Removed {
    /// Its id.
    pub id: String,
    /// Always `true`.
    pub removed: bool,
}

impl Removed {
    /// `id` was removed.
    pub fn new(id: String) -> Removed {
        Removed { id, removed: true }
    }
}

/// Something deleted.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Deleted {
    /// Its id.
    pub id: String,
    /// Always `true`.
    pub deleted: bool,
}

impl Deleted {
    /// `id` was deleted.
    pub fn new(id: String) -> Deleted {
        Deleted { id, deleted: true }
    }
}

/// A user added to a group.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Added {
    /// The user's id.
    pub id: String,
    /// Always `true`.
    pub added: bool,
}

impl Added {
    /// `id` was added.
    pub fn new(id: String) -> Added {
        Added { id, added: true }
    }
}

/// Something and the state a write left it in (a request decided, a board trashed).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StateOut {
    /// Its id.
    pub id: String,
    /// Its state now.
    pub state: &'static str,
}

impl StateOut {
    /// `id` is now `state`.
    pub fn new(id: String, state: &'static str) -> StateOut {
        StateOut { id, state }
    }
}

/// A member and the role a write gave them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RoleOut {
    /// The user's id.
    pub id: String,
    /// The role.
    pub role: &'static str,
}
