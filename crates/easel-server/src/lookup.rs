//! The decision API's lookups: the boards a subject reaches for an action, and the users who
//! reach a board. Exact on every page; cursors stay valid while the state changes.

use axum::extract::State;
use easel_core::action::Action;
use easel_core::codes::Code;
use easel_core::lookup::{boards_for, subjects_for};
use easel_core::request::Target;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{Pager, Scope};
use crate::decision::{ReasonOut, ResourceIn, SubjectIn, resource, subject};
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::tenancy::visible_org;
use crate::wire::{Json, reason_out, role_name};

/// The lookups: part of the decision API, never for app tokens.
pub fn routes() -> Routes {
    Routes::new()
        .add(routes!(boards), Rule::NotForApps)
        .add(routes!(subjects), Rule::NotForApps)
}

/// Which boards a subject reaches.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BoardsIn {
    /// The user.
    pub subject: SubjectIn,
    /// A board capability, `board.view` say.
    pub action: String,
    /// Page size, 1 to 100 (20 by default).
    #[serde(default, deserialize_with = "crate::wire::whole_number")]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// A board reached.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BoardOut {
    /// The board.
    pub board: String,
    /// The subject's role on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
}

/// A page of boards.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BoardsOut {
    /// The boards.
    pub data: Vec<BoardOut>,
    /// Where the next page starts; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The revision the page was computed at.
    pub revision: String,
}

fn action(text: &str) -> Result<Action, ApiError> {
    Action::parse(text).ok_or_else(|| {
        ApiError::new(
            Code::RequestUnknownAction,
            format!("unknown action `{text}`"),
        )
    })
}

/// The boards a subject can reach for an action, a page at a time.
#[utoipa::path(post, path = "/v1/lookup/boards", tag = "decision", request_body = BoardsIn,
    responses((status = 200, body = BoardsOut)))]
pub async fn boards(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<BoardsIn>,
) -> Result<axum::Json<BoardsOut>, ApiError> {
    let user = subject(body.subject)?
        .ok_or_else(|| ApiError::invalid("a lookup of boards is about a user"))?;
    if let Caller::User { id, .. } = &caller
        && *id != user
    {
        return Err(ApiError::new(
            Code::CredentialWrongSubject,
            "a user's token may ask only about that user",
        ));
    }
    let action = action(&body.action)?;
    // A cursor continues this caller's lookup of this user and action, and no other.
    let pager = Pager::scoped(
        &app,
        Scope::new("/v1/lookup/boards", &caller)
            .with(&user)
            .with(&action.to_string()),
        body.limit,
        body.cursor.as_deref(),
    )?;
    let limit = pager.limit;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let u = state
        .find_user(&user)
        .ok_or_else(|| ApiError::not_found("user", &user))?;
    // A service limited to one organization sees only that organization's boards; it walks
    // pages until it has a full one or the lookup ends, so no page is short for that reason.
    let mut data = Vec::new();
    let mut cursor = pager.after().map(str::to_string);
    let next = loop {
        let wanted = limit.saturating_sub(data.len()).max(1);
        let page = boards_for(state, u, action, cursor.as_deref(), wanted, now)?;
        for item in page.items {
            if visible_org(state, &caller, Target::Board(item.board)).is_ok()
                && let Some(b) = state.board(item.board)
            {
                data.push(BoardOut {
                    board: b.id.to_string(),
                    role: item.role.map(role_name),
                });
            }
        }
        match page.next {
            Some(next) if data.len() < limit => cursor = Some(next),
            next => break next,
        }
    };
    Ok(axum::Json(BoardsOut {
        data,
        cursor: next.map(|p| pager.seal(&p)),
        revision: reader.revision().to_string(),
    }))
}

/// Which users reach a board.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectsIn {
    /// The board.
    pub resource: ResourceIn,
    /// A board capability.
    pub action: String,
    /// Page size, 1 to 100 (20 by default).
    #[serde(default, deserialize_with = "crate::wire::whole_number")]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// A user who reaches the board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SubjectOut {
    /// The user.
    pub user: String,
    /// Their effective role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// Every channel that gives it.
    pub channels: Vec<ReasonOut>,
}

/// A page of users.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SubjectsOut {
    /// The users.
    pub data: Vec<SubjectOut>,
    /// Where the next page starts; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The revision the page was computed at.
    pub revision: String,
}

/// The users who can reach a board for an action, with every channel, a page at a time.
#[utoipa::path(post, path = "/v1/lookup/subjects", tag = "decision", request_body = SubjectsIn,
    responses((status = 200, body = SubjectsOut)))]
pub async fn subjects(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<SubjectsIn>,
) -> Result<axum::Json<SubjectsOut>, ApiError> {
    if matches!(caller, Caller::User { .. }) {
        return Err(ApiError::new(
            Code::CredentialWrongSubject,
            "who reaches a board is asked by services; users see `/v2/boards/{id}/access`",
        ));
    }
    let (kind, id) = resource(body.resource)?;
    if kind != "board" {
        return Err(ApiError::new(
            Code::RequestUnsupportedTarget,
            "a lookup of subjects is about a board",
        ));
    }
    let action = action(&body.action)?;
    let pager = Pager::scoped(
        &app,
        Scope::new("/v1/lookup/subjects", &caller)
            .with(&id)
            .with(&action.to_string()),
        body.limit,
        body.cursor.as_deref(),
    )?;
    let limit = pager.limit;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let board = state
        .find_board(&id)
        .ok_or_else(|| ApiError::not_found("board", &id))?;
    visible_org(state, &caller, Target::Board(board))?;
    let page = subjects_for(state, board, action, pager.after(), limit, now)?;
    let data = page
        .items
        .iter()
        .filter_map(|s| {
            Some(SubjectOut {
                user: state.user(s.user)?.id.to_string(),
                role: s.role.map(role_name),
                channels: s.channels.iter().map(|r| reason_out(state, r)).collect(),
            })
        })
        .collect();
    Ok(axum::Json(SubjectsOut {
        data,
        cursor: page.next.map(|p| pager.seal(&p)),
        revision: reader.revision().to_string(),
    }))
}
