//! What is on a board: items and comments (board classification is in `compliance`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::command::Command;
use easel_core::ids::{BoardIx, ContentIx};
use easel_core::model::ContentKind;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::board_members::PageQuery;
use super::{revision_header, run, run_all, seen_board, written};
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
    /// Where its centre sits (absent for a comment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<PositionOut>,
    /// The frame it sits in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentIo>,
}

/// Where an item's centre sits: from the canvas centre, or from its parent frame's top
/// left corner.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PositionOut {
    /// Pixels right.
    pub x: f64,
    /// Pixels down.
    pub y: f64,
    /// Always `center`.
    pub origin: &'static str,
    /// `canvas_center`, or `parent_top_left` for an item in a frame.
    pub relative_to: &'static str,
}

/// A frame an item sits in.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParentIo {
    /// The frame's id.
    pub id: String,
}

/// The item `id` and its board, unless unknown or deleted.
fn item_out(state: &EngineState, id: &str) -> Option<(BoardIx, ItemOut)> {
    let c = state.find_content(id)?;
    Some((state.content(c)?.board, out_of(state, c)?))
}

/// The item at `c` as the wire shows it, unless deleted.
fn out_of(state: &EngineState, c: ContentIx) -> Option<ItemOut> {
    let c = state.content(c).filter(|x| !x.deleted)?;
    let parent = c.parent.and_then(|p| state.content(p)).map(|p| ParentIo {
        id: p.id.to_string(),
    });
    let (x, y) = c.position.unwrap_or_default();
    Some(ItemOut {
        id: c.id.to_string(),
        kind: c.kind.as_str(),
        text: c.text.clone(),
        author: state.user(c.author)?.id.to_string(),
        position: (c.kind != ContentKind::Comment).then_some(PositionOut {
            x,
            y,
            origin: "center",
            relative_to: if parent.is_some() {
                "parent_top_left"
            } else {
                "canvas_center"
            },
        }),
        parent,
    })
}

/// A page of the board's items (or comments), in the order they were added, walked from
/// the cursor over the board's own list: a page reads its own entries, and those of other
/// kinds that `kind` passes over.
fn listed(
    state: &EngineState,
    b: BoardIx,
    comments: bool,
    kind: Option<ContentKind>,
    pager: &Pager,
) -> Result<CursorList<ItemOut>, ApiError> {
    pager.walk(
        state.board_contents(b, comments),
        |c| c.get(),
        |&c| {
            let wanted = kind.is_none_or(|k| state.content(c).is_some_and(|x| x.kind == k));
            wanted.then(|| out_of(state, c)).flatten()
        },
    )
}

/// The item types of the reference; those Easel's boards do not hold are never listed.
const ITEM_TYPES: &[&str] = &[
    "text",
    "shape",
    "sticky_note",
    "image",
    "document",
    "card",
    "app_card",
    "preview",
    "frame",
    "embed",
    "doc_format",
    "data_table_format",
];

/// The items list's paging, as the reference pages it (50 at most, 10 by default), and
/// pages smaller than its 10 as well (an addition).
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ItemsQuery {
    /// Page size, 1 to 50 (10 when absent).
    #[param(minimum = 1, maximum = 50, default = 10)]
    pub limit: Option<usize>,
    /// Only items of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The board's items (those who may view it).
#[utoipa::path(get, path = "/v2/boards/{board_id}/items", tag = "content", operation_id = "get-items",
    params(("board_id" = String, Path, description = "the board"), ItemsQuery),
    responses((status = 200, body = CursorList<ItemOut>)))]
pub async fn items(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<ItemsQuery>,
) -> Result<axum::Json<CursorList<ItemOut>>, ApiError> {
    let kind = match q.kind.as_deref() {
        None => None,
        Some(t) if ITEM_TYPES.contains(&t) => Some(ContentKind::parse(t)),
        Some(t) => {
            return Err(ApiError::invalid(format!(
                "`type` must be one of {}, not `{t}`",
                ITEM_TYPES.join(", ")
            )));
        }
    };
    let pager = Pager::sized(&app, &caller, &list, (q.limit, 10, 50), q.cursor.as_deref())?;
    let reader = app.engine.read();
    let b = seen_board(reader.state(), &caller, &id, app.engine.now())?;
    match kind {
        // A type the reference knows and Easel's boards never hold: nothing to list.
        Some(None) => Ok(axum::Json(pager.page(Vec::new(), None))),
        Some(Some(k)) => Ok(axum::Json(listed(
            reader.state(),
            b,
            false,
            Some(k),
            &pager,
        )?)),
        None => Ok(axum::Json(listed(reader.state(), b, false, None, &pager)?)),
    }
}

/// The board's comments.
#[utoipa::path(get, path = "/v2/boards/{board_id}/comments", tag = "content", operation_id = "easel-get-comments",
    params(("board_id" = String, Path, description = "the board"), PageQuery),
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
    Ok(axum::Json(listed(reader.state(), b, true, None, &pager)?))
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
#[utoipa::path(post, path = "/v2/boards/{board_id}/items", tag = "content", operation_id = "easel-create-item", request_body = ItemIn,
    params(("board_id" = String, Path, description = "the board")),
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
#[utoipa::path(post, path = "/v2/boards/{board_id}/comments", tag = "content", operation_id = "easel-create-comment", request_body = TextIn,
    params(("board_id" = String, Path, description = "the board")),
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
#[utoipa::path(get, path = "/v2/boards/{board_id}/items/{item_id}", tag = "content", operation_id = "get-specific-item",
    params(("board_id" = String, Path, description = "the board"), ("item_id" = String, Path, description = "the item")),
    responses((status = 200, body = ItemOut)))]
pub async fn item(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<axum::Json<ItemOut>, ApiError> {
    let reader = app.engine.read();
    seen_item(reader.state(), &caller, &id, &item, app.engine.now()).map(axum::Json)
}

/// Where an item goes.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionIn {
    /// Pixels right (0 when absent).
    #[serde(default)]
    pub x: f64,
    /// Pixels down (0 when absent).
    #[serde(default)]
    pub y: f64,
}

/// What a PATCH of an item changes: the reference's position and parent, and Easel's text.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdateIn {
    /// Where its centre goes.
    #[serde(default)]
    pub position: Option<PositionIn>,
    /// The frame it goes in.
    #[serde(default)]
    pub parent: Option<ParentIo>,
    /// Its new text (editors; a comment: its author).
    #[serde(default)]
    pub text: Option<String>,
}

/// Move an item or put it in a frame (editors), or change its text (editors; a comment:
/// its author). All the changes are made together or none.
#[utoipa::path(patch, path = "/v2/boards/{board_id}/items/{item_id}", tag = "content", operation_id = "update-item-position-or-parent", request_body = ItemUpdateIn,
    params(("board_id" = String, Path, description = "the board"), ("item_id" = String, Path, description = "the item")),
    responses((status = 200, body = ItemOut)))]
pub async fn update_item(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, item)): Path<(String, String)>,
    Json(body): Json<ItemUpdateIn>,
) -> Result<Response, ApiError> {
    let mut commands = Vec::new();
    {
        let reader = app.engine.read();
        let state = reader.state();
        seen_item(state, &caller, &id, &item, app.engine.now())?;
        if let Some(text) = body.text {
            commands.push(Command::UpdateContent {
                content: item.clone(),
                text,
            });
        }
        if body.position.is_some() || body.parent.is_some() {
            let current = state.find_content(&item).and_then(|c| state.content(c));
            let (x, y) = match &body.position {
                Some(p) => (p.x, p.y),
                None => current.and_then(|c| c.position).unwrap_or_default(),
            };
            let parent = match body.parent {
                Some(p) => Some(p.id),
                None => current
                    .and_then(|c| c.parent)
                    .and_then(|p| state.content(p))
                    .map(|p| p.id.to_string()),
            };
            commands.push(Command::PlaceContent {
                content: item.clone(),
                x,
                y,
                parent,
            });
        }
    }
    let revision = if commands.is_empty() {
        app.engine.read().revision()
    } else {
        run_all(&app, &caller, commands).await?.revision
    };
    let out = {
        let reader = app.engine.read();
        item_out(reader.state(), &item).map(|(_, o)| o)
    };
    Ok(revision_header(StatusCode::OK, &out, revision))
}

/// Delete an item (editors) or a comment (its author, or editors).
#[utoipa::path(delete, path = "/v2/boards/{board_id}/items/{item_id}", tag = "content", operation_id = "delete-item",
    params(("board_id" = String, Path, description = "the board"), ("item_id" = String, Path, description = "the item")),
    responses((status = 204, description = "deleted")))]
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
    Ok(super::boards::no_content(w.revision))
}
