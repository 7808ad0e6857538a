//! A board's members (its owner and direct collaborators) and everyone with access, with
//! every channel that gives it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::action::Action;
use easel_core::catalog::Capability;
use easel_core::codes::Code;
use easel_core::command::Command;
use easel_core::ids::{BoardIx, Index, UserIx};
use easel_core::lookup::subjects_for;
use easel_core::model::Grantee;
use easel_core::roles::BoardRole;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::answers::Removed;
use super::{run, seen_board, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::decision::ReasonOut;
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query, reason_out, role_name};
use utoipa_axum::routes;

/// Who is on a board, and how: each route with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(list), BOARDS_READ)
        .add(routes!(share), BOARDS_WRITE)
        .add(routes!(read), BOARDS_READ)
        .add(routes!(change), BOARDS_WRITE)
        .add(routes!(remove), BOARDS_WRITE)
        .add(routes!(access), BOARDS_READ)
}

/// A member of a board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MemberOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// Their role on the board (`owner` for the owner).
    pub role: &'static str,
}

fn member_out(state: &EngineState, u: UserIx, role: BoardRole) -> Option<MemberOut> {
    state.user(u).map(|x| MemberOut {
        id: x.id.to_string(),
        name: x.name.clone(),
        email: x.email.to_string(),
        role: role_name(role),
    })
}

/// A page of the board's owner and direct members, in order of user index, from the
/// cursor: the owner merged into the board's grants to users, which are sorted by user, so
/// a page reads its own grants and not those before it.
fn members_page(
    state: &EngineState,
    b: BoardIx,
    pager: &Pager,
) -> Result<CursorList<MemberOut>, ApiError> {
    let Some(board) = state.board(b) else {
        return Ok(pager.page(Vec::new(), None));
    };
    let after = pager.after_index()?.and_then(UserIx::from_usize);
    let owner = Some(board.owner).filter(|o| after.is_none_or(|a| *o > a));
    let mut owner = owner.map(|o| (o, BoardRole::Owner));
    let mut grants = board
        .grants
        .users_after(after)
        .filter(|(u, _)| *u != board.owner)
        .peekable();
    let mut data = Vec::with_capacity(pager.limit);
    let mut last: Option<UserIx> = None;
    loop {
        // The smaller of the owner (if still ahead) and the next grant.
        let next = match (owner, grants.peek().copied()) {
            (Some(o), Some(g)) if o.0 < g.0 => owner.take(),
            (Some(_), None) => owner.take(),
            (_, Some(_)) => grants.next(),
            (None, None) => None,
        };
        let Some((u, role)) = next else {
            return Ok(pager.page(data, None));
        };
        let Some(out) = member_out(state, u, role) else {
            continue;
        };
        if data.len() == pager.limit {
            let next = last.map(|l| format!("i{}", l.get()));
            return Ok(pager.page(data, next.as_deref()));
        }
        data.push(out);
        last = Some(u);
    }
}

/// Paging.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size, 1 to 100.
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The board's owner and direct members, with names.
#[utoipa::path(get, path = "/v2/boards/{id}/members", tag = "board members", params(("id" = String, Path, description = "the board"), PageQuery),
    responses((status = 200, body = CursorList<MemberOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<MemberOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let b = seen_board(reader.state(), &caller, &id, app.engine.now())?;
    Ok(axum::Json(members_page(reader.state(), b, &pager)?))
}

/// Whom to invite to the board, and at what role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareIn {
    /// 1 to 20 emails.
    pub emails: Vec<String>,
    /// The role (`viewer`, `commenter`, `editor`, `coowner`; variants accepted).
    pub role: String,
    /// A note for the invitees.
    #[serde(default)]
    pub message: Option<String>,
}

/// What sharing did, email by email.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ShareOut {
    /// The emails now members.
    pub successful: Vec<String>,
    /// The others, each with the reason code.
    pub failed: Vec<Failed>,
    /// The revision after the last change.
    pub revision: String,
}

/// An email that could not be added.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Failed {
    /// The email.
    pub email: String,
    /// The reason code.
    pub reason: &'static str,
    /// Why, in words.
    pub message: String,
}

/// Most emails one request shares with.
pub(crate) const MAX_EMAILS: usize = 20;

/// Share the board with people by email; each email succeeds or fails on its own.
#[utoipa::path(post, path = "/v2/boards/{id}/members", tag = "board members", request_body = ShareIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = ShareOut)))]
pub async fn share(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<ShareIn>,
) -> Result<Response, ApiError> {
    if body.emails.is_empty() || body.emails.len() > MAX_EMAILS {
        return Err(ApiError::invalid(format!(
            "`emails` holds 1 to {MAX_EMAILS} addresses"
        )));
    }
    let role = BoardRole::parse(&body.role)
        .ok_or_else(|| ApiError::invalid(format!("unknown role `{}`", body.role)))?;
    {
        let reader = app.engine.read();
        seen_board(reader.state(), &caller, &id, app.engine.now())?;
    }
    let mut successful = Vec::new();
    let mut failed = Vec::new();
    let mut revision = app.engine.read().revision();
    for email in body.emails {
        let command = Command::ShareBoard {
            board: id.clone(),
            emails: vec![email.clone()],
            role,
        };
        match run(&app, &caller, command).await {
            Ok(w) => {
                revision = w.revision;
                successful.push(email);
            }
            // The store failing is not one email's fault: the request fails.
            Err(e) if e.code == Code::RequestUnavailable => return Err(e),
            Err(e) => failed.push(Failed {
                email,
                reason: e.code.as_str(),
                message: e.message,
            }),
        }
    }
    let body = ShareOut {
        successful,
        failed,
        revision: revision.to_string(),
    };
    Ok(written(StatusCode::OK, &body, revision))
}

fn member_of(
    app: &AppState,
    caller: &Caller,
    id: &str,
    member: &str,
) -> Result<MemberOut, ApiError> {
    let reader = app.engine.read();
    let b = seen_board(reader.state(), caller, id, app.engine.now())?;
    let state = reader.state();
    state
        .find_user(member)
        .and_then(|u| {
            let board = state.board(b)?;
            let role = if board.owner == u {
                BoardRole::Owner
            } else {
                board.grants.get(Grantee::User(u))?
            };
            member_out(state, u, role)
        })
        .ok_or_else(|| ApiError::not_found("board member", member))
}

/// One member.
#[utoipa::path(get, path = "/v2/boards/{id}/members/{member}", tag = "board members",
    params(("id" = String, Path, description = "the board"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = MemberOut)))]
pub async fn read(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, member)): Path<(String, String)>,
) -> Result<axum::Json<MemberOut>, ApiError> {
    member_of(&app, &caller, &id, &member).map(axum::Json)
}

/// A member's new role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    /// The role.
    pub role: String,
}

/// Change a member's role.
#[utoipa::path(patch, path = "/v2/boards/{id}/members/{member}", tag = "board members", request_body = RoleIn,
    params(("id" = String, Path, description = "the board"), ("member" = String, Path, description = "the user")),
    responses((status = 200, body = MemberOut)))]
pub async fn change(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, member)): Path<(String, String)>,
    Json(body): Json<RoleIn>,
) -> Result<Response, ApiError> {
    let role = BoardRole::parse(&body.role)
        .ok_or_else(|| ApiError::invalid(format!("unknown role `{}`", body.role)))?;
    member_of(&app, &caller, &id, &member)?;
    let w = run(
        &app,
        &caller,
        Command::ChangeBoardMember {
            board: id.clone(),
            user: member.clone(),
            role,
        },
    )
    .await?;
    let out = member_of(&app, &caller, &id, &member)?;
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Remove a member.
#[utoipa::path(delete, path = "/v2/boards/{id}/members/{member}", tag = "board members",
    params(("id" = String, Path, description = "the board"), ("member" = String, Path, description = "the user")),
    responses((status = 200, description = "removed")))]
pub async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, member)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    member_of(&app, &caller, &id, &member)?;
    let w = run(
        &app,
        &caller,
        Command::RemoveBoardMember {
            board: id.clone(),
            user: member.clone(),
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &Removed::new(member), w.revision))
}

/// Someone with access to the board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AccessOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// Their effective role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// Every channel that gives it: direct, group, team, project, company, admin.
    pub channels: Vec<ReasonOut>,
}

/// Everyone with access to the board, their effective role, and each channel that gives it.
#[utoipa::path(get, path = "/v2/boards/{id}/access", tag = "board members", params(("id" = String, Path, description = "the board"), PageQuery),
    responses((status = 200, body = CursorList<AccessOut>)))]
pub async fn access(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let b = seen_board(state, &caller, &id, now)?;
    let view = Action::Board(Capability::View);
    let found = subjects_for(state, b, view, pager.after(), pager.limit, now)?;
    let data: Vec<AccessOut> = found
        .items
        .iter()
        .filter_map(|s| {
            let u = state.user(s.user)?;
            Some(AccessOut {
                id: u.id.to_string(),
                name: u.name.clone(),
                email: u.email.to_string(),
                role: s.role.map(role_name),
                channels: s.channels.iter().map(|r| reason_out(state, r)).collect(),
            })
        })
        .collect();
    let list = pager.page(data, found.next.as_deref());
    super::sorted(&list)
}
