//! The user groups a board is shared with (`/v2/orgs/{org_id}/boards/{board_id}/groups`):
//! each group's grant is decided by the engine as sharing with a user is.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::command::Command;
use easel_core::ids::{BoardIx, GroupIx};
use easel_core::roles::BoardRole;
use easel_core::time::Time;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{revision_header, run_all, seen_board};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The board's user groups, each route with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(list), BOARDS_READ)
        .add(routes!(grant), BOARDS_WRITE)
        .add(routes!(remove), BOARDS_WRITE)
}

/// A user group's grant on a board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BoardGroupOut {
    /// The group's id.
    pub id: String,
    /// `VIEWER`, `COMMENTER` or `EDITOR`.
    pub role: &'static str,
    /// Always `board-user-group`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

fn role_upper(role: BoardRole) -> &'static str {
    match role {
        BoardRole::Viewer => "VIEWER",
        BoardRole::Commenter => "COMMENTER",
        BoardRole::Editor => "EDITOR",
        BoardRole::Coowner => "COOWNER",
        BoardRole::Owner => "OWNER",
    }
}

fn group_out(state: &EngineState, g: GroupIx, role: BoardRole) -> Option<BoardGroupOut> {
    state.group(g).map(|x| BoardGroupOut {
        id: x.id.to_string(),
        role: role_upper(role),
        kind: "board-user-group",
    })
}

/// The board, when the caller may see it and it is of the organization named (any other
/// is the 404 of an unknown board).
fn board_in_org(
    state: &EngineState,
    caller: &Caller,
    org: &str,
    board: &str,
    now: Time,
) -> Result<BoardIx, ApiError> {
    let b = seen_board(state, caller, board, now)?;
    let in_org = state
        .board(b)
        .and_then(|x| state.org(x.org))
        .is_some_and(|o| &*o.id == org);
    if in_org {
        Ok(b)
    } else {
        Err(ApiError::not_found("board", board))
    }
}

/// Paging of the board's groups.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GroupsQuery {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The user groups the board is shared with, and at what role.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/boards/{board_id}/groups", tag = "board members", operation_id = "enterprise-boards-get-groups",
    params(("org_id" = String, Path, description = "the organization"), ("board_id" = String, Path, description = "the board"), GroupsQuery),
    responses((status = 200, body = CursorList<BoardGroupOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, board)): Path<(String, String)>,
    Query(q): Query<GroupsQuery>,
) -> Result<axum::Json<CursorList<BoardGroupOut>>, ApiError> {
    let limit = crate::wire::page_limit(Some(q.limit.unwrap_or(100)), 100)?;
    let pager = Pager::new(&app, &caller, &list, Some(limit), q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let b = board_in_org(state, &caller, &org, &board, app.engine.now())?;
    let grants: Vec<(GroupIx, BoardRole)> = state
        .board(b)
        .map(|x| x.group_grants().collect())
        .unwrap_or_default();
    Ok(axum::Json(pager.walk(
        &grants,
        |(g, _)| g.get(),
        |(g, role)| group_out(state, *g, *role),
    )?))
}

/// The groups to share the board with, and the role.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrantIn {
    /// The user groups, of the board's organization.
    pub user_group_ids: Vec<String>,
    /// `VIEWER`, `COMMENTER` or `EDITOR` (any letter case).
    pub role: String,
}

/// Most groups one request shares with.
const MAX_GROUPS: usize = 20;

/// Share the board with user groups at a role, all or none (decided as sharing with a
/// user is); answers the first group's grant.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/boards/{board_id}/groups", tag = "board members", operation_id = "enterprise-boards-create-group", request_body = GrantIn,
    params(("org_id" = String, Path, description = "the organization"), ("board_id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardGroupOut)))]
pub async fn grant(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, board)): Path<(String, String)>,
    Json(body): Json<GrantIn>,
) -> Result<Response, ApiError> {
    if body.user_group_ids.is_empty() || body.user_group_ids.len() > MAX_GROUPS {
        return Err(ApiError::invalid(format!(
            "`userGroupIds` holds 1 to {MAX_GROUPS} groups"
        )));
    }
    let role = BoardRole::parse(&body.role)
        .filter(|r| *r <= BoardRole::Editor)
        .ok_or_else(|| ApiError::invalid("`role` is VIEWER, COMMENTER or EDITOR"))?;
    {
        let reader = app.engine.read();
        board_in_org(reader.state(), &caller, &org, &board, app.engine.now())?;
    }
    let commands = body
        .user_group_ids
        .iter()
        .map(|group| Command::ShareBoardWithGroup {
            board: board.clone(),
            group: group.clone(),
            role,
        })
        .collect();
    let w = run_all(&app, &caller, commands).await?;
    let out = BoardGroupOut {
        id: body.user_group_ids.first().cloned().unwrap_or_default(),
        role: role_upper(role),
        kind: "board-user-group",
    };
    Ok(revision_header(StatusCode::OK, &out, w.revision))
}

/// Take a user group's grant off the board.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/boards/{board_id}/groups/{group_id}", tag = "board members", operation_id = "enterprise-boards-delete-groups",
    params(("org_id" = String, Path, description = "the organization"), ("board_id" = String, Path, description = "the board"), ("group_id" = String, Path, description = "the user group")),
    responses((status = 204, description = "removed")))]
pub async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, board, group)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        board_in_org(reader.state(), &caller, &org, &board, app.engine.now())?;
    }
    let w = run_all(
        &app,
        &caller,
        vec![Command::RemoveBoardGroup { board, group }],
    )
    .await?;
    Ok(super::boards::no_content(w.revision))
}
