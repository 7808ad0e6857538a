//! Lookups: the boards a user can reach for an action, and the users who can reach a board.
//!
//! Both are exact: every candidate that the reverse indexes produce is decided, by `decide`
//! itself or (for the boards of a user and an action that needs only a role) by the same
//! channels worked out from the board's core, so a lookup never disagrees with a check. Pages are ordered by the board's
//! (or user's) dense index, which never changes and is never reused, so a cursor stays valid
//! while the state changes around it. Boards reached only through a public link are never
//! listed (a link is a secret the lookup does not hold).

mod reach;

pub use reach::Reach;

use crate::action::{Action, TargetKind};
use crate::codes::Code;
use crate::decide::{Ctx, Roles, board_channels, decide};
use crate::decision::Reason;
use crate::ids::{BoardIx, UserIx};
use crate::model::Grantee;
use crate::request::{Request, RequestError, Subject, Target};
use crate::roles::{Access, BoardRole};
use crate::state::State;
use crate::time::Time;

/// The most items one page may hold.
pub const MAX_PAGE: usize = 1_000;

/// A page of results and the cursor of the next page, if there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, in stable order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` when this page is the last.
    pub next: Option<String>,
}

/// A board a user reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardAccess {
    /// The board.
    pub board: BoardIx,
    /// The user's effective role on it, if a role applies.
    pub role: Option<BoardRole>,
}

/// A user who reaches a board, with every channel that gives them access.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectAccess {
    /// The user.
    pub user: UserIx,
    /// Their effective role.
    pub role: Option<BoardRole>,
    /// Every channel that gives them a role (or the privileges that carried the decision).
    pub channels: Vec<Reason>,
}

fn encode(position: u32) -> String {
    format!("c1.{position}")
}

fn decode(cursor: Option<&str>) -> Result<Option<u32>, RequestError> {
    let Some(text) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    text.strip_prefix("c1.")
        .and_then(|n| n.parse::<u32>().ok())
        .map(Some)
        .ok_or_else(|| RequestError {
            code: Code::RequestInvalidParameter,
            message: format!("invalid cursor `{text}`"),
        })
}

fn check_limit(limit: usize) -> Result<(), RequestError> {
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(())
    } else {
        Err(RequestError {
            code: Code::RequestInvalidParameter,
            message: format!("limit must be between 1 and {MAX_PAGE}"),
        })
    }
}

fn board_action(action: Action) -> Result<(), RequestError> {
    if action.applies_to(TargetKind::Board) {
        Ok(())
    } else {
        Err(RequestError {
            code: Code::RequestUnsupportedTarget,
            message: format!("`{action}` is not asked about boards"),
        })
    }
}

/// The boards `user` can reach for `action`, a page at a time.
pub fn boards_for(
    state: &State,
    user: UserIx,
    action: Action,
    cursor: Option<&str>,
    limit: usize,
    now: Time,
) -> Result<Page<BoardAccess>, RequestError> {
    check_limit(limit)?;
    board_action(action)?;
    let after = decode(cursor)?;
    let u = state.user(user).ok_or_else(|| RequestError {
        code: Code::RequestNotFound,
        message: "no such user".into(),
    })?;

    let mut items = Vec::new();
    for found in Reach::new(state, user, u, action, after, now) {
        if items.len() == limit {
            // One more exists: this page is full and another follows.
            let next = items.last().map(|a: &BoardAccess| encode(a.board.0));
            return Ok(Page { items, next });
        }
        items.push(found);
    }
    Ok(Page { items, next: None })
}

/// Every board `user` can reach for `action`, in board order, as an iterator: the whole
/// enumeration in one pass, where a page would stop at its limit.
pub fn reach(
    state: &State,
    user: UserIx,
    action: Action,
    now: Time,
) -> Result<Reach<'_>, RequestError> {
    board_action(action)?;
    let u = state.user(user).ok_or_else(|| RequestError {
        code: Code::RequestNotFound,
        message: "no such user".into(),
    })?;
    Ok(Reach::new(state, user, u, action, None, now))
}

/// Every board `user` can reach for `action` after `cursor` (a cursor a page of
/// [`boards_for`] or [`cursor_after`] gave), in board order: a list that filters as it walks
/// stops once its page is full, whatever the total.
pub fn reach_after<'s>(
    state: &'s State,
    user: UserIx,
    action: Action,
    cursor: Option<&str>,
    now: Time,
) -> Result<Reach<'s>, RequestError> {
    board_action(action)?;
    let after = decode(cursor)?;
    let u = state.user(user).ok_or_else(|| RequestError {
        code: Code::RequestNotFound,
        message: "no such user".into(),
    })?;
    Ok(Reach::new(state, user, u, action, after, now))
}

/// The cursor that continues a walk after `board`.
pub fn cursor_after(board: BoardIx) -> String {
    encode(board.0)
}

/// The users who can reach `board` for `action`, a page at a time, each with every channel
/// that gives them access.
pub fn subjects_for(
    state: &State,
    board: BoardIx,
    action: Action,
    cursor: Option<&str>,
    limit: usize,
    now: Time,
) -> Result<Page<SubjectAccess>, RequestError> {
    check_limit(limit)?;
    board_action(action)?;
    let after = decode(cursor)?;
    let not_found = || RequestError {
        code: Code::RequestNotFound,
        message: "no such board".into(),
    };
    let b = state.board(board).ok_or_else(not_found)?;
    let org = state.org(b.org).ok_or_else(not_found)?;
    let team = state.team(b.team).ok_or_else(not_found)?;

    // Everyone a channel can reach is a member of the organization (the state refuses
    // grants, team, project and group memberships to anyone else). A board open to the
    // company is reached, if at all, by members: their sorted list is the candidates, with
    // nothing to gather or sort. Otherwise the candidates are the few the channels name.
    let gathered: Vec<UserIx>;
    let candidates: &[UserIx] = if b.company_access != Access::None {
        &org.members
    } else {
        let mut found: Vec<UserIx> = vec![b.owner];
        for (grantee, _) in &b.grants {
            match grantee {
                Grantee::User(u) => found.push(u),
                Grantee::Group(g) => found.extend(
                    state
                        .group(g)
                        .into_iter()
                        .flat_map(|g| g.members.iter().copied()),
                ),
            }
        }
        found.extend(team.members.iter().map(|(u, _)| *u));
        for (g, _) in &team.group_members {
            found.extend(
                state
                    .group(*g)
                    .into_iter()
                    .flat_map(|g| g.members.iter().copied()),
            );
        }
        found.extend(team.content_admins.iter().copied());
        if let Some(p) = b.project.and_then(|p| state.project(p)) {
            found.extend(p.members.iter().map(|(u, _)| *u));
            for (g, _) in &p.groups {
                found.extend(
                    state
                        .group(*g)
                        .into_iter()
                        .flat_map(|g| g.members.iter().copied()),
                );
            }
        }
        found.extend(org.admins.iter().copied());
        found.extend(org.owner);
        found.sort_unstable();
        found.dedup();
        gathered = found;
        &gathered
    };
    let start = after.map_or(0, |a| candidates.partition_point(|u| u.0 <= a));

    let mut items: Vec<SubjectAccess> = Vec::new();
    for &user in candidates.get(start..).unwrap_or_default() {
        let req = Request::new(Subject::User(user), action, Target::Board(board));
        let decision = decide(state, &req, now);
        if !decision.allowed {
            continue;
        }
        if items.len() == limit {
            let next = items.last().map(|s| encode(s.user.0));
            return Ok(Page { items, next });
        }
        let ctx = Ctx::new(state, &req, b.org, org);
        let roles = board_channels(
            &ctx,
            board,
            b,
            Roles::collecting_all(),
            &mut crate::decide::trace::Silent,
        );
        let channels = if roles.all.is_empty() {
            decision.reasons
        } else {
            roles.all
        };
        items.push(SubjectAccess {
            user,
            role: decision.role,
            channels,
        });
    }
    Ok(Page { items, next: None })
}
