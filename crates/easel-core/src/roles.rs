//! Roles on boards, teams and projects, and the access levels of a board's sharing channels.

use std::fmt;

/// A role on a board (or in a project). Ordered: `viewer < commenter < editor < coowner < owner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum BoardRole {
    /// May view.
    Viewer = 1,
    /// May view and comment.
    Commenter = 2,
    /// May edit content, and share under the board's rules.
    Editor = 3,
    /// May do almost all an owner does.
    Coowner = 4,
    /// The one owner.
    Owner = 5,
}

impl BoardRole {
    /// Every role, lowest first.
    pub const ALL: [BoardRole; 5] = [
        BoardRole::Viewer,
        BoardRole::Commenter,
        BoardRole::Editor,
        BoardRole::Coowner,
        BoardRole::Owner,
    ];

    /// The one spelling Easel writes.
    pub const fn as_str(self) -> &'static str {
        match self {
            BoardRole::Viewer => "viewer",
            BoardRole::Commenter => "commenter",
            BoardRole::Editor => "editor",
            BoardRole::Coowner => "coowner",
            BoardRole::Owner => "owner",
        }
    }

    /// Parses a role, accepting the known variant spellings (`commentator`, `co-owner`,
    /// any letter case) that clients of other whiteboard APIs send.
    pub fn parse(text: &str) -> Option<BoardRole> {
        let lower = text.trim().to_ascii_lowercase();
        match lower.as_str() {
            "viewer" | "view" => Some(BoardRole::Viewer),
            "commenter" | "commentator" | "comment" => Some(BoardRole::Commenter),
            "editor" | "edit" => Some(BoardRole::Editor),
            "coowner" | "co-owner" | "co_owner" => Some(BoardRole::Coowner),
            "owner" => Some(BoardRole::Owner),
            _ => None,
        }
    }

    /// The role with its indefinite article, for messages: "an editor", "a viewer".
    pub const fn with_article(self) -> &'static str {
        match self {
            BoardRole::Viewer => "a viewer",
            BoardRole::Commenter => "a commenter",
            BoardRole::Editor => "an editor",
            BoardRole::Coowner => "a coowner",
            BoardRole::Owner => "an owner",
        }
    }

    /// The lower of two roles.
    pub fn cap(self, ceiling: BoardRole) -> BoardRole {
        self.min(ceiling)
    }
}

impl fmt::Display for BoardRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The access a board gives through its team, company or public-link channel:
/// off (`private` on the wire) or a role up to editor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Access {
    /// The channel gives nothing.
    #[default]
    None = 0,
    /// View.
    Viewer = 1,
    /// Comment.
    Commenter = 2,
    /// Edit.
    Editor = 3,
}

impl Access {
    /// Every level, lowest first.
    pub const ALL: [Access; 4] = [
        Access::None,
        Access::Viewer,
        Access::Commenter,
        Access::Editor,
    ];

    /// The role the level gives, if any.
    pub const fn role(self) -> Option<BoardRole> {
        match self {
            Access::None => None,
            Access::Viewer => Some(BoardRole::Viewer),
            Access::Commenter => Some(BoardRole::Commenter),
            Access::Editor => Some(BoardRole::Editor),
        }
    }

    /// The spelling Easel writes (`private` for none, as the import format does).
    pub const fn as_str(self) -> &'static str {
        match self {
            Access::None => "private",
            Access::Viewer => "viewer",
            Access::Commenter => "commenter",
            Access::Editor => "editor",
        }
    }

    /// Parses a level; `private`, `none` and `off` mean no access.
    pub fn parse(text: &str) -> Option<Access> {
        match text.trim().to_ascii_lowercase().as_str() {
            "private" | "none" | "off" => Some(Access::None),
            other => match BoardRole::parse(other)? {
                BoardRole::Viewer => Some(Access::Viewer),
                BoardRole::Commenter => Some(Access::Commenter),
                BoardRole::Editor => Some(Access::Editor),
                BoardRole::Coowner | BoardRole::Owner => None,
            },
        }
    }
}

/// A role in a team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TeamRole {
    /// A member.
    Member,
    /// An admin of the team.
    Admin,
}

impl TeamRole {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            TeamRole::Member => "member",
            TeamRole::Admin => "admin",
        }
    }

    /// Parses the wire spelling, in any letter case.
    pub fn parse(text: &str) -> Option<TeamRole> {
        match text.trim().to_ascii_lowercase().as_str() {
            "member" => Some(TeamRole::Member),
            "admin" => Some(TeamRole::Admin),
            _ => None,
        }
    }
}

/// How a user belongs to an organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberKind {
    /// A full member.
    Member,
    /// A guest: reaches only what it is directly invited to.
    Guest,
}

impl MemberKind {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            MemberKind::Member => "member",
            MemberKind::Guest => "guest",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(text: &str) -> Option<MemberKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "member" => Some(MemberKind::Member),
            "guest" => Some(MemberKind::Guest),
            _ => None,
        }
    }
}
