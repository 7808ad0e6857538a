//! What is on a board: items and comments (board classification is in `compliance`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::command::Command;
use easel_core::ids::{BoardIx, ContentIx};
use easel_core::model::ContentKind;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::answers::Deleted;
use super::board_members::PageQuery;
use super::{run, seen_board, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The content routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(items), BOARDS_READ)
        .add(routes!(add_item), BOARDS_WRITE)
        .add(routes!(item), BOARDS_READ)
        .add(routes!(update_item), BOARDS_WRITE)
        .add(routes!(delete_item), BOARDS_WRITE)
        .add(routes!(comments), BOARDS_READ)
        .add(routes!(add_comment), BOARDS_WRITE)
}

/// An item or a comment.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ItemOut {
    /// The id.
    pub id: String,
    /// `sticky_note`, `text`, `shape`, `frame` or `comment`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its text.
    pub text: String,
    /// Who made it.
    pub author: String,
}

/// The item `id` and its board, unless unknown or deleted.
fn item_out(state: &EngineState, id: &str) -> Option<(BoardIx, ItemOut)> {
    let c = state.find_content(id)?;
    Some((state.content(c)?.board, out_of(state, c)?))
}

/// The item at `c` as the wire shows it, unless deleted.
fn out_of(state: &EngineState, c: ContentIx) -> Option<ItemOut> {
    let c = state.content(c).filter(|x| !x.deleted)?;
    Some(ItemOut {
        id: c.id.to_string(),
        kind: c.kind.as_str(),
        text: c.text.clone(),
        author: state.user(c.author)?.id.to_string(),
    })
}

/// A page of the board's items (or comments), in the order they were added, walked from
/// the cursor over the board's own list: a page reads its own entries only.
fn listed(
    state: &EngineState,
    b: BoardIx,
    comments: bool,
    pager: &Pager,
) -> Result<CursorList<ItemOut>, ApiError> {
    pager.walk(
        state.board_contents(b, comments),
        |c| c.get(),
        |&c| out_of(state, c),
    )
}

/// The board's items (those who may view it).
#[utoipa::path(get, path = "/v2/boards/{id}/items", tag = "content",
    params(("id" = String, Path, description = "the board"), PageQuery),
    responses((status = 200, body = CursorList<ItemOut>)))]
pub async fn items(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<ItemOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let b = seen_board(reader.state(), &caller, &id, app.engine.now())?;
    Ok(axum::Json(listed(reader.state(), b, false, &pager)?))
}

/// The board's comments.
#[utoipa::path(get, path = "/v2/boards/{id}/comments", tag = "content",
    params(("id" = String, Path, description = "the board"), PageQuery),
    responses((status = 200, body = CursorList<ItemOut>)))]
pub async fn comments(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<ItemOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let b = seen_board(reader.state(), &caller, &id, app.engine.now())?;
    Ok(axum::Json(listed(reader.state(), b, true, &pager)?))
}

/// A new item.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemIn {
    /// `sticky_note`, `text`, `shape` or `frame`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its text.
    #[serde(default)]
    pub text: String,
}

/// Text for an item or comment.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextIn {
    /// The text.
    pub text: String,
}

async fn add(
    app: &AppState,
    caller: &Caller,
    board: String,
    kind: ContentKind,
    text: String,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), caller, &board, app.engine.now())?;
    }
    let content = crate::ids::new_id(if kind == ContentKind::Comment {
        "cmt"
    } else {
        "itm"
    })?;
    let w = run(
        app,
        caller,
        Command::AddContent {
            board,
            content: content.clone(),
            kind,
            text,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        item_out(reader.state(), &content).map(|(_, o)| o)
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// Add an item (editors).
#[utoipa::path(post, path = "/v2/boards/{id}/items", tag = "content", request_body = ItemIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 201, body = ItemOut)))]
pub async fn add_item(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<ItemIn>,
) -> Result<Response, ApiError> {
    let kind = ContentKind::parse(&body.kind)
        .filter(|k| *k != ContentKind::Comment)
        .ok_or_else(|| ApiError::invalid(format!("unknown item type `{}`", body.kind)))?;
    add(&app, &caller, id, kind, body.text).await
}

/// Add a comment (commenters).
#[utoipa::path(post, path = "/v2/boards/{id}/comments", tag = "content", request_body = TextIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 201, body = ItemOut)))]
pub async fn add_comment(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<TextIn>,
) -> Result<Response, ApiError> {
    add(&app, &caller, id, ContentKind::Comment, body.text).await
}

fn seen_item(
    state: &EngineState,
    caller: &Caller,
    board: &str,
    item: &str,
    now: Time,
) -> Result<ItemOut, ApiError> {
    let b = seen_board(state, caller, board, now)?;
    match item_out(state, item) {
        Some((on, out)) if on == b => Ok(out),
        _ => Err(ApiError::not_found("item", item)),
    }
}

/// One item or comment.
#[utoipa::path(get, path = "/v2/boards/{id}/items/{item}", tag = "content",
    params(("id" = String, Path, description = "the board"), ("item" = String, Path, description = "the item")),
    responses((status = 200, body = ItemOut)))]
pub async fn item(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<axum::Json<ItemOut>, ApiError> {
    let reader = app.engine.read();
    seen_item(reader.state(), &caller, &id, &item, app.engine.now()).map(axum::Json)
}

/// Change an item's text (editors; a comment: its author).
#[utoipa::path(patch, path = "/v2/boards/{id}/items/{item}", tag = "content", request_body = TextIn,
    params(("id" = String, Path, description = "the board"), ("item" = String, Path, description = "the item")),
    responses((status = 200, body = ItemOut)))]
pub async fn update_item(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
    Json(body): Json<TextIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_item(reader.state(), &caller, &id, &item, app.engine.now())?;
    }
    let w = run(
        &app,
        &caller,
        Command::UpdateContent {
            content: item.clone(),
            text: body.text,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        item_out(reader.state(), &item).map(|(_, o)| o)
    };
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Delete an item (editors) or a comment (its author, or editors).
#[utoipa::path(delete, path = "/v2/boards/{id}/items/{item}", tag = "content",
    params(("id" = String, Path, description = "the board"), ("item" = String, Path, description = "the item")),
    responses((status = 200, description = "deleted")))]
pub async fn delete_item(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_item(reader.state(), &caller, &id, &item, app.engine.now())?;
    }
    let w = run(
        &app,
        &caller,
        Command::DeleteContent {
            content: item.clone(),
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &Deleted::new(item), w.revision))
}
