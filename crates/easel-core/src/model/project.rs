//! Projects (the admin table's "spaces").

use crate::ids::{BoardIx, GroupIx, OrgIx, TeamIx, UserIx};
use crate::roles::BoardRole;

/// A project: a container of boards inside a team.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The team.
    pub team: TeamIx,
    /// The display name.
    pub name: String,
    /// A private project is not listed to non-members.
    pub private: bool,
    /// Members and their project roles, sorted by user.
    pub members: Vec<(UserIx, BoardRole)>,
    /// User groups assigned to the project and the role they give their members, sorted by
    /// group.
    pub groups: Vec<(GroupIx, BoardRole)>,
    /// Boards in the project (not purged), sorted.
    pub boards: Vec<BoardIx>,
    /// Deleted entities keep their slot and id; nothing reaches them.
    pub deleted: bool,
}
