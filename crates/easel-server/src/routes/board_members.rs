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

use super::{run, seen_board, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::decision::ReasonOut;
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, OffsetList, Path, Query, reason_out, role_name};
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

/// The address of a board member.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SelfLink {
    /// The member.
    #[serde(rename = "self")]
    pub this: String,
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
    /// Always `board_member`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The member's address.
    pub links: SelfLink,
}

fn member_out(state: &EngineState, b: BoardIx, u: UserIx, role: BoardRole) -> Option<MemberOut> {
    let board = state.board(b)?;
    state.user(u).map(|x| MemberOut {
        id: x.id.to_string(),
        name: x.name.clone(),
        email: x.email.to_string(),
        role: role_name(role),
        kind: "board_member",
        links: SelfLink {
            this: format!("/v2/boards/{}/members/{}", board.id, x.id),
        },
    })
}

/// Paging.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size, 1 to 100.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// Offset paging of the member list (and Easel's `cursor`, an addition).
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MembersQuery {
    /// Page size, 1 to 50 (20 when absent).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// Where the page starts (0 is the first member).
    pub offset: Option<usize>,
    /// An addition: where to go on from, as an earlier cursor page said.
    pub cursor: Option<String>,
}

/// Most members one page of the list holds.
const MAX_MEMBER_PAGE: usize = 50;

/// The board's owner and direct members, with names: an offset list, owner first and
/// then the members in order of user.
#[utoipa::path(get, path = "/v2/boards/{board_id}/members", tag = "board members", operation_id = "get-board-members", params(("board_id" = String, Path, description = "the board"), MembersQuery),
    responses((status = 200, body = OffsetList<MemberOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<axum::Json<OffsetList<MemberOut>>, ApiError> {
    let limit = crate::wire::page_limit(q.limit, MAX_MEMBER_PAGE)?;
    let pager = Pager::new(&app, &caller, &list, Some(limit), q.cursor.as_deref())?;
    let after = pager.after_index()?.and_then(UserIx::from_usize);
    let reader = app.engine.read();
    let state = reader.state();
    let b = seen_board(state, &caller, &id, app.engine.now())?;
    let board = state
        .board(b)
        .ok_or_else(|| ApiError::not_found("board", &id))?;
    // An offset list counts every member (`total`): the owner, then the grants to users.
    let members: Vec<(UserIx, BoardRole)> = std::iter::once((board.owner, BoardRole::Owner))
        .chain(
            board
                .grants
                .users_after(None)
                .filter(|(u, _)| *u != board.owner),
        )
        .filter(|(u, _)| after.is_none_or(|a| *u > a))
        .collect();
    let total = members.len();
    let offset = q.offset.unwrap_or(0);
    let data = members
        .iter()
        .skip(offset)
        .take(limit)
        .filter_map(|(u, role)| member_out(state, b, *u, *role))
        .collect();
    Ok(axum::Json(OffsetList::new(
        data,
        total,
        offset,
        limit,
        &format!("/v2/boards/{id}/members"),
    )))
}

/// Whom to invite to the board, and at what role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareIn {
    /// 1 to 20 emails.
    pub emails: Vec<String>,
    /// The role (`viewer`, `commenter`, `editor`, `coowner`; variants accepted;
    /// `commenter` when absent).
    #[serde(default = "commenter")]
    pub role: String,
    /// A note for the invitees.
    #[serde(default)]
    pub message: Option<String>,
}

fn commenter() -> String {
    String::from("commenter")
}

/// What sharing did, email by email.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareOut {
    /// The revision each successful share committed at, in the order of the emails (the
    /// reference's numeric ids of the invitations sent).
    pub successful: Vec<i64>,
    /// The emails now members (or invited), in the same order: Easel's addition.
    pub successful_emails: Vec<String>,
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
#[utoipa::path(post, path = "/v2/boards/{board_id}/members", tag = "board members", operation_id = "share-board", request_body = ShareIn,
    params(("board_id" = String, Path, description = "the board")),
    responses((status = 201, body = ShareOut)))]
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
    let (out, revision) = share_each(&app, &caller, &id, body.emails, role).await?;
    Ok(written(StatusCode::CREATED, &out, revision))
}

/// Shares board `id` (which the caller must see) with each email at `role`, one share per
/// email, so that each succeeds or fails on its own (the console's invite form shares
/// through this too); with the revision after the last change.
pub(crate) async fn share_each(
    app: &AppState,
    caller: &Caller,
    id: &str,
    emails: Vec<String>,
    role: BoardRole,
) -> Result<(ShareOut, i64), ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), caller, id, app.engine.now())?;
    }
    let mut successful = Vec::new();
    let mut successful_emails = Vec::new();
    let mut failed = Vec::new();
    let mut revision = app.engine.read().revision();
    for email in emails {
        let command = Command::ShareBoard {
            board: id.to_string(),
            emails: vec![email.clone()],
            role,
        };
        match run(app, caller, command).await {
            Ok(w) => {
                revision = w.revision;
                successful.push(w.revision);
                successful_emails.push(email);
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
    let out = ShareOut {
        successful,
        successful_emails,
        failed,
        revision: revision.to_string(),
    };
    Ok((out, revision))
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
            member_out(state, b, u, role)
        })
        .ok_or_else(|| ApiError::not_found("board member", member))
}

/// One member.
#[utoipa::path(get, path = "/v2/boards/{board_id}/members/{board_member_id}", tag = "board members", operation_id = "get-specific-board-member",
    params(("board_id" = String, Path, description = "the board"), ("board_member_id" = String, Path, description = "the user")),
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
    /// The role (`commenter` when absent).
    #[serde(default = "commenter")]
    pub role: String,
}

/// Change a member's role.
#[utoipa::path(patch, path = "/v2/boards/{board_id}/members/{board_member_id}", tag = "board members", operation_id = "update-board-member", request_body = RoleIn,
    params(("board_id" = String, Path, description = "the board"), ("board_member_id" = String, Path, description = "the user")),
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
#[utoipa::path(delete, path = "/v2/boards/{board_id}/members/{board_member_id}", tag = "board members", operation_id = "remove-board-member",
    params(("board_id" = String, Path, description = "the board"), ("board_member_id" = String, Path, description = "the user")),
    responses((status = 204, description = "removed")))]
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
    Ok(super::boards::no_content(w.revision))
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
#[utoipa::path(get, path = "/v2/boards/{board_id}/access", tag = "board members", operation_id = "easel-board-access", params(("board_id" = String, Path, description = "the board"), PageQuery),
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
    super::sorted(&access_page(state, b, &pager, now)?)
}

/// A page of everyone with access to board `b`, each with their effective role and every
/// channel that gives it (the console's share dialog lists the same page).
pub(crate) fn access_page(
    state: &EngineState,
    b: BoardIx,
    pager: &Pager<'_>,
    now: easel_core::Time,
) -> Result<CursorList<AccessOut>, ApiError> {
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
    Ok(pager.page(data, found.next.as_deref()))
}
