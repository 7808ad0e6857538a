//! What waits for someone's decision (invitations, access, join, licence and app requests),
//! and the organization's other records: managed domains, billing groups, board content.

use crate::ids::{AppIx, BoardIx, ContentIx, OrgIx, ProjectIx, TeamIx, UserIx};
use crate::model::Licence;
use crate::roles::{BoardRole, MemberKind, TeamRole};
use crate::time::Time;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestState {
    /// Waiting for a decision.
    Pending,
    /// Approved (for an invitation: accepted).
    Approved,
    /// Denied (for an invitation: revoked).
    Denied,
    /// Past its expiry, never decided.
    Expired,
}

impl RequestState {
    /// The wire spelling; invitations say accepted and revoked for approved and denied.
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Denied => "denied",
            RequestState::Expired => "expired",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(text: &str) -> Option<RequestState> {
        match text {
            "pending" => Some(RequestState::Pending),
            "approved" | "accepted" => Some(RequestState::Approved),
            "denied" | "revoked" => Some(RequestState::Denied),
            "expired" => Some(RequestState::Expired),
            _ => None,
        }
    }
}

/// What an invitation invites into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InviteInto {
    /// The organization.
    Org,
    /// A team, at a team role.
    Team(TeamIx, TeamRole),
    /// A project, at a project role.
    Project(ProjectIx, BoardRole),
    /// A board, at a board role.
    Board(BoardIx, BoardRole),
}

/// An invitation by email.
#[derive(Clone, Debug, PartialEq)]
pub struct Invitation {
    /// The opaque id (also what the accept link carries, hashed in the store).
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The invitee's email, lower case.
    pub email: Box<str>,
    /// Into what.
    pub into: InviteInto,
    /// As a member or a guest of the organization.
    pub kind: MemberKind,
    /// Who invited.
    pub inviter: UserIx,
    /// Where it stands.
    pub state: RequestState,
    /// When it stops being acceptable.
    pub expires_at: Time,
}

/// A request for access to a board.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessRequest {
    /// The opaque id.
    pub id: Box<str>,
    /// The board.
    pub board: BoardIx,
    /// Who asks.
    pub user: UserIx,
    /// The role asked for.
    pub role: BoardRole,
    /// Where it stands.
    pub state: RequestState,
}

/// A request to join a team.
#[derive(Clone, Debug, PartialEq)]
pub struct JoinRequest {
    /// The opaque id.
    pub id: Box<str>,
    /// The team.
    pub team: TeamIx,
    /// Who asks.
    pub user: UserIx,
    /// Where it stands.
    pub state: RequestState,
}

/// A request for a licence type.
#[derive(Clone, Debug, PartialEq)]
pub struct LicenceRequest {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// Who asks.
    pub user: UserIx,
    /// The licence asked for.
    pub licence: Licence,
    /// Where it stands.
    pub state: RequestState,
}

/// A request to allow an app in the organization.
#[derive(Clone, Debug, PartialEq)]
pub struct AppRequest {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// Who asks.
    pub user: UserIx,
    /// The app.
    pub app: AppIx,
    /// Where it stands.
    pub state: RequestState,
}

/// A domain the organization claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// The domain, lower case.
    pub name: String,
    /// Whether ownership was verified.
    pub verified: bool,
}

/// A billing group.
#[derive(Clone, Debug, PartialEq)]
pub struct BillingGroup {
    /// The opaque id.
    pub id: Box<str>,
    /// The organization.
    pub org: OrgIx,
    /// The display name.
    pub name: String,
    /// Members, sorted.
    pub members: Vec<UserIx>,
    /// Deleted groups keep their slot.
    pub deleted: bool,
}

/// A piece of board content: an item (sticky note, text, shape, frame) or a comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Content {
    /// The opaque id.
    pub id: Box<str>,
    /// The board.
    pub board: BoardIx,
    /// `sticky_note`, `text`, `shape`, `frame` or `comment`.
    pub kind: ContentKind,
    /// The text it carries.
    pub text: String,
    /// Who made it.
    pub author: UserIx,
    /// Deleted content keeps its slot.
    pub deleted: bool,
    /// Where it sits on the board: `(x, y)` of its centre, from the canvas centre or from
    /// its parent frame's top left corner (`None`: never placed, at the canvas centre).
    pub position: Option<(f64, f64)>,
    /// The frame it sits in, if any.
    pub parent: Option<ContentIx>,
}

/// The kinds of board content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentKind {
    /// A sticky note.
    StickyNote,
    /// A text.
    Text,
    /// A shape.
    Shape,
    /// A frame.
    Frame,
    /// A comment (needs comment rights, not edit rights).
    Comment,
}

impl ContentKind {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContentKind::StickyNote => "sticky_note",
            ContentKind::Text => "text",
            ContentKind::Shape => "shape",
            ContentKind::Frame => "frame",
            ContentKind::Comment => "comment",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(text: &str) -> Option<ContentKind> {
        match text {
            "sticky_note" => Some(ContentKind::StickyNote),
            "text" => Some(ContentKind::Text),
            "shape" => Some(ContentKind::Shape),
            "frame" => Some(ContentKind::Frame),
            "comment" => Some(ContentKind::Comment),
            _ => None,
        }
    }
}
