//! Users: global identities with their reverse indexes.

use smallvec::SmallVec;

use crate::ids::{BoardIx, GroupIx, ProjectIx, TeamIx};
use crate::model::Membership;
use crate::roles::{BoardRole, TeamRole};
use crate::time::Time;

/// Whether a user account is usable at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum UserStatus {
    /// Usable.
    #[default]
    Active,
    /// Deactivated everywhere.
    Deactivated,
}

/// A user: one identity, any number of organizations.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// The opaque id.
    pub id: Box<str>,
    /// The email, lower case; unique.
    pub email: Box<str>,
    /// The display name.
    pub name: String,
    /// Global status.
    pub status: UserStatus,
    /// The last time the user did anything, if known.
    pub last_active_at: Option<Time>,
    /// Sessions started before this instant are ended (a session reset).
    pub sessions_reset_at: Option<Time>,
    /// Memberships, sorted by organization (held inline up to two: a check reads them
    /// without following another pointer).
    pub orgs: SmallVec<[Membership; 2]>,
    /// Direct team memberships, sorted by team (inline up to three).
    pub teams: SmallVec<[(TeamIx, TeamRole); 3]>,
    /// Teams where the user is a team content admin, sorted.
    pub content_admin_teams: Vec<TeamIx>,
    /// Project memberships, sorted by project (inline up to two).
    pub projects: SmallVec<[(ProjectIx, BoardRole); 2]>,
    /// Groups the user belongs to, sorted.
    pub groups: Vec<GroupIx>,
    /// Boards the user owns, sorted.
    pub owned: Vec<BoardIx>,
    /// Boards with a direct grant to the user, sorted.
    pub direct: Vec<BoardIx>,
}

impl User {
    /// The membership in an organization, if any.
    pub fn membership(&self, org: crate::ids::OrgIx) -> Option<&Membership> {
        self.orgs
            .binary_search_by(|m| m.org.cmp(&org))
            .ok()
            .map(|i| &self.orgs[i])
    }
}
