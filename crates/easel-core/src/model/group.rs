//! User groups.

use crate::ids::{BoardIx, OrgIx, ProjectIx, TeamIx, UserIx};

/// A named set of users that may be granted board access and team membership.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The display name.
    pub name: String,
    /// What the group is for (empty when not said).
    pub description: String,
    /// Members, sorted.
    pub members: Vec<UserIx>,
    /// Boards with a grant to the group, sorted.
    pub boards: Vec<BoardIx>,
    /// Teams the group is a member of, sorted.
    pub teams: Vec<TeamIx>,
    /// Projects the group is assigned to, sorted (the roles are on the project).
    pub projects: Vec<ProjectIx>,
    /// Deleted entities keep their slot and id; nothing reaches them.
    pub deleted: bool,
}
