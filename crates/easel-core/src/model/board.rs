//! Boards, their grants and their public link.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::ids::{GroupIx, OrgIx, ProjectIx, TeamIx, UserIx};
use crate::model::{Grants, Stamp};
use crate::roles::{Access, BoardRole};
use crate::settings::ContentSettings;
use crate::time::Time;

/// Where a board is in its life cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BoardState {
    /// In use.
    #[default]
    Active,
    /// In the trash since the given instant: restorable.
    Trashed(Time),
    /// Gone for good; the slot stays so indexes are never reused.
    Purged,
}

/// Who a direct grant is for. Users sort before groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grantee {
    /// A user invited by email.
    User(UserIx),
    /// A user group.
    Group(GroupIx),
}

/// The SHA-256 digest of a public-link token. Link tokens are random and long, so a fast
/// hash is enough; only the digest is held, and it is compared in constant time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LinkDigest([u8; 32]);

impl LinkDigest {
    /// The digest of a link token.
    pub fn of(token: &str) -> LinkDigest {
        LinkDigest(Sha256::digest(token.as_bytes()).into())
    }

    /// A digest from stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> LinkDigest {
        LinkDigest(bytes)
    }

    /// The bytes, for storage.
    pub fn bytes(&self) -> [u8; 32] {
        self.0
    }

    /// Whether `token` is the link token, compared in constant time.
    pub fn matches(&self, token: &str) -> bool {
        let other = LinkDigest::of(token);
        bool::from(self.0.ct_eq(&other.0))
    }
}

impl std::fmt::Debug for LinkDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The digest is not the secret, but it needs no showing either.
        f.write_str("LinkDigest(..)")
    }
}

/// A board.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The team it is stored in.
    pub team: TeamIx,
    /// The project it is in, if any.
    pub project: Option<ProjectIx>,
    /// The one owner.
    pub owner: UserIx,
    /// The display name.
    pub name: Box<str>,
    /// The description.
    pub description: Box<str>,
    /// Life-cycle state.
    pub state: BoardState,
    /// What the team channel gives.
    pub team_access: Access,
    /// What the company channel gives.
    pub company_access: Access,
    /// What the public link gives.
    pub public_access: Access,
    /// The rarely set fields, behind one pointer: most boards have none of them, and a
    /// million boards carry eight bytes instead of forty. Never `Some` of an empty record,
    /// so two equal boards compare equal.
    pub(crate) rare: Option<Box<BoardRare>>,
    /// Content settings.
    pub content: ContentSettings,
    /// Whether the board is a template.
    pub template: bool,
    /// Whether a retention policy keeps the board (purging needs a privilege).
    pub retained: bool,
    /// Direct grants (users and groups), sorted by grantee. Co-owners are grants of
    /// `coowner`.
    pub grants: Grants,
    /// When and by whom the board was created (unknown for boards created before Easel
    /// kept it).
    pub created: Stamp,
    /// When and by whom the board's name, description, sharing or content settings last
    /// changed.
    pub modified: Stamp,
}

/// A board's rarely set fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct BoardRare {
    /// The digest of the current link token, if a link was made.
    pub(crate) link: Option<LinkDigest>,
    /// The argon2 hash (PHC string) of the board password, if set.
    pub(crate) password: Option<Box<str>>,
    /// The classification label, if any.
    pub(crate) classification: Option<Box<str>>,
}

impl Board {
    /// The direct grant to a grantee, if any.
    pub fn grant(&self, who: Grantee) -> Option<BoardRole> {
        self.grants.get(who)
    }

    /// Whether the board is in the trash.
    pub fn is_trashed(&self) -> bool {
        matches!(self.state, BoardState::Trashed(_))
    }

    /// The groups with a grant, in order.
    pub fn group_grants(&self) -> impl Iterator<Item = (GroupIx, BoardRole)> + '_ {
        self.grants.groups()
    }

    /// The digest of the current link token, if a link was made.
    pub fn link(&self) -> Option<&LinkDigest> {
        self.rare.as_ref()?.link.as_ref()
    }

    /// The argon2 hash (PHC string) of the board password, if set.
    pub fn password(&self) -> Option<&str> {
        self.rare.as_ref()?.password.as_deref()
    }

    /// The classification label, if any.
    pub fn classification(&self) -> Option<&str> {
        self.rare.as_ref()?.classification.as_deref()
    }

    /// Changes the rarely set fields, dropping their record when it is left empty.
    pub(crate) fn edit_rare(&mut self, edit: impl FnOnce(&mut BoardRare)) {
        let mut rare = self.rare.take().unwrap_or_default();
        edit(&mut rare);
        if *rare != BoardRare::default() {
            self.rare = Some(rare);
        }
    }
}

/// The few facts about a board that decide which channels reach it, packed in a dense
/// column beside the boards: a lookup that walks hundreds of thousands of boards reads 24
/// bytes per board instead of the whole record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardCore {
    /// The organization.
    pub org: OrgIx,
    /// The team.
    pub team: TeamIx,
    /// The owner.
    pub owner: UserIx,
    /// The project, if any.
    pub project: Option<ProjectIx>,
    /// Whether the board is active (neither trashed nor purged).
    pub active: bool,
    /// What the team channel gives.
    pub team_access: Access,
    /// What the company channel gives.
    pub company_access: Access,
    /// Whether any group holds a grant.
    pub group_grants: bool,
}

impl BoardCore {
    /// The core of a board.
    pub fn of(board: &Board) -> BoardCore {
        BoardCore {
            org: board.org,
            team: board.team,
            owner: board.owner,
            project: board.project,
            active: board.state == BoardState::Active,
            team_access: board.team_access,
            company_access: board.company_access,
            group_grants: board.grants.any_group(),
        }
    }
}
