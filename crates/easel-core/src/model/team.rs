//! Teams.

use crate::ids::{BoardIx, GroupIx, OrgIx, ProjectIx, UserIx};
use crate::roles::TeamRole;
use crate::settings::TeamSettings;

/// A team of an organization.
#[derive(Clone, Debug, PartialEq)]
pub struct Team {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The display name.
    pub name: String,
    /// The team settings.
    pub settings: TeamSettings,
    /// Users who are members, sorted by user.
    pub members: Vec<(UserIx, TeamRole)>,
    /// Groups that are members, sorted by group.
    pub group_members: Vec<(GroupIx, TeamRole)>,
    /// Team content admins, sorted.
    pub content_admins: Vec<UserIx>,
    /// Boards stored in the team (not purged), sorted.
    pub boards: Vec<BoardIx>,
    /// Projects of the team, sorted.
    pub projects: Vec<ProjectIx>,
    /// Deleted entities keep their slot and id; nothing reaches them.
    pub deleted: bool,
    /// The users who are members, in the order they joined (the oldest first): the heir of
    /// a removed member's boards is the oldest admin.
    pub joined: Vec<UserIx>,
}
