//! Boards: create, list what the caller can see, read, change, trash, restore, purge, copy,
//! move, transfer, the public link and the password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::action::Action;
use easel_core::catalog::Capability;
use easel_core::command::Command;
use easel_core::ids::BoardIx;
use easel_core::lookup::{cursor_after, reach_after};
use easel_core::request::Target;

use crate::cursor::{ListRequest, Pager};
use easel_core::roles::Access;
use easel_core::settings::ContentSettings;
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::answers::StateOut;
use super::{may, run, run_all, run_on_board, seen_board, written};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query, role_name};
use utoipa_axum::routes;

/// The board routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(create), BOARDS_WRITE)
        .add(routes!(list), BOARDS_READ)
        .add(routes!(copy), BOARDS_WRITE)
        .add(routes!(read), BOARDS_READ)
        .add(routes!(update), BOARDS_WRITE)
        .add(routes!(delete), BOARDS_WRITE)
        .add(routes!(restore), BOARDS_WRITE)
        .add(routes!(transfer), BOARDS_WRITE)
        .add(routes!(move_board), BOARDS_WRITE)
        .add(routes!(reset_link), BOARDS_WRITE)
        .add(routes!(password), BOARDS_WRITE)
}

/// An id, as the API shows what a board points at.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Ref {
    /// The id.
    pub id: String,
}

/// Who may reach the board through which channel.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct SharingPolicy {
    /// The public link: `private`, `viewer`, `commenter` or `editor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    /// The board's team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_access: Option<String>,
    /// The whole company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_access: Option<String>,
    /// Whether a password guards the public link (read only; set with `PUT .../password`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_password_required: Option<bool>,
}

/// Who may copy and share.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct PermissionsPolicy {
    /// `anyone_with_access`, `team_members`, `editors` or `owner_only`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_access: Option<String>,
    /// `editors` or `owner_and_coowners`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_access: Option<String>,
}

/// A board's policy.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Sharing.
    #[serde(default)]
    pub sharing_policy: Option<SharingPolicy>,
    /// Copying and sharing rights.
    #[serde(default)]
    pub permissions_policy: Option<PermissionsPolicy>,
}

/// The caller's standing on the board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Membership {
    /// The caller's effective role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
}

/// A board.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BoardView {
    /// The id.
    pub id: String,
    /// Always `board`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The name.
    pub name: String,
    /// The description.
    pub description: String,
    /// The organization.
    pub organization: Ref,
    /// The team.
    pub team: Ref,
    /// The project, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<Ref>,
    /// The owner.
    pub owner: Ref,
    /// `active` or `trashed`.
    pub state: &'static str,
    /// The classification label, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Whether the board is a template.
    pub is_template: bool,
    /// Sharing and permissions.
    pub policy: Policy,
    /// The caller's role.
    pub current_user_membership: Membership,
}

fn access_name(a: Access) -> String {
    a.as_str().to_string()
}

fn setting_name<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// The board as the caller sees it.
pub fn view(state: &EngineState, caller: &Caller, b: BoardIx, now: Time) -> Option<BoardView> {
    let board = state.board(b)?;
    let role = may(state, caller, Capability::View, Target::Board(b), now).role;
    Some(BoardView {
        kind: "board",
        name: board.name.to_string(),
        description: board.description.to_string(),
        organization: Ref {
            id: state.org(board.org)?.id.to_string(),
        },
        team: Ref {
            id: state.team(board.team)?.id.to_string(),
        },
        project: board.project.and_then(|p| state.project(p)).map(|p| Ref {
            id: p.id.to_string(),
        }),
        owner: Ref {
            id: state.user(board.owner)?.id.to_string(),
        },
        state: if board.is_trashed() {
            "trashed"
        } else {
            "active"
        },
        classification: board.classification().map(str::to_string),
        is_template: board.template,
        policy: Policy {
            sharing_policy: Some(SharingPolicy {
                access: Some(access_name(board.public_access)),
                team_access: Some(access_name(board.team_access)),
                organization_access: Some(access_name(board.company_access)),
                access_password_required: Some(board.password().is_some()),
            }),
            permissions_policy: Some(PermissionsPolicy {
                copy_access: setting_name(&board.content.copy_access),
                sharing_access: setting_name(&board.content.sharing_access),
            }),
        },
        current_user_membership: Membership {
            role: role.map(role_name),
        },
        id: board.id.to_string(),
    })
}

fn board_json(app: &AppState, caller: &Caller, id: &str) -> Result<Value, ApiError> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let b = state
        .find_board(id)
        .ok_or_else(|| ApiError::not_found("board", id))?;
    let v = view(state, caller, b, now).ok_or_else(|| ApiError::not_found("board", id))?;
    crate::wire::to_body(&v)
}

/// A new board.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateIn {
    /// Its name.
    pub name: String,
    /// The team it goes in.
    pub team_id: String,
    /// The project of that team, if any.
    pub project_id: Option<String>,
}

/// Create a board in a team (and a project of it).
#[utoipa::path(post, path = "/v2/boards", tag = "boards", request_body = CreateIn,
    responses((status = 201, body = BoardView), (status = 403, description = "refused")))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateIn>,
) -> Result<Response, ApiError> {
    let board = crate::ids::new_id("brd")?;
    let w = run(
        &app,
        &caller,
        Command::CreateBoard {
            team: body.team_id,
            board: board.clone(),
            name: body.name,
            project: body.project_id,
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &board_json(&app, &caller, &board)?,
        w.revision,
    ))
}

/// Filters and paging of the board list.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only boards of this team.
    pub team: Option<String>,
    /// Only boards of this project.
    pub project: Option<String>,
    /// Only boards this user owns.
    pub owner: Option<String>,
    /// Only boards whose name contains this (any letter case).
    pub query: Option<String>,
    /// Page size, 1 to 100.
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The boards the caller can see, filtered, a page at a time.
#[utoipa::path(get, path = "/v2/boards", tag = "boards", params(ListQuery),
    responses((status = 200, body = CursorList<BoardView>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<CursorList<BoardView>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let limit = pager.limit;
    let user = super::acting(&caller).and_then(|_| {
        caller
            .user()
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid("no user"))
    })?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let u = state
        .find_user(&user)
        .ok_or_else(|| ApiError::not_found("user", &user))?;
    let action = Action::Board(Capability::View);
    let needle = q.query.as_deref().map(str::to_lowercase);
    // The organizations the credential may list from: where it acts (a bound one acts in
    // one) and where it passes the credential layer now (each organization's own idle
    // timeout, the user's standing there).
    let credential = caller.credential();
    let bound = state.credential_org(credential);
    let mut orgs: Vec<(easel_core::ids::OrgIx, bool)> = Vec::new();
    let mut listed = |org: easel_core::ids::OrgIx| -> bool {
        if let Some(&(_, ok)) = orgs.iter().find(|(o, _)| *o == org) {
            return ok;
        }
        let ok = bound.is_none_or(|b| b == org)
            && easel_core::check_actor(state, u, credential, Some(org), now).is_ok();
        orgs.push((org, ok));
        ok
    };
    let walk = reach_after(state, u, action, pager.after(), now)?;
    let mut data = Vec::with_capacity(limit);
    let mut next = None;
    // The walk goes in board order from the cursor and stops once the page is full and one
    // more item shows another page follows: a page costs the boards up to it.
    for item in walk {
        let Some(b) = state.board(item.board) else {
            continue;
        };
        let keep = listed(b.org)
            && q.team
                .as_deref()
                .is_none_or(|t| state.team(b.team).is_some_and(|x| &*x.id == t))
            && q.project.as_deref().is_none_or(|p| {
                b.project
                    .and_then(|x| state.project(x))
                    .is_some_and(|x| &*x.id == p)
            })
            && q.owner
                .as_deref()
                .is_none_or(|o| state.user(b.owner).is_some_and(|x| &*x.id == o))
            && needle
                .as_deref()
                .is_none_or(|n| b.name.to_lowercase().contains(n));
        if !keep {
            continue;
        }
        if data.len() == limit {
            next = data
                .last()
                .map(|(ix, _): &(easel_core::ids::BoardIx, BoardView)| cursor_after(*ix));
            break;
        }
        if let Some(v) = view(state, &caller, item.board, now) {
            data.push((item.board, v));
        }
    }
    Ok(axum::Json(pager.page(
        data.into_iter().map(|(_, v)| v).collect(),
        next.as_deref(),
    )))
}

/// Read a board the caller can see.
#[utoipa::path(get, path = "/v2/boards/{id}", tag = "boards",
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView), (status = 404, description = "unknown or invisible")))]
pub async fn read(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), &caller, &id, app.engine.now())?;
    }
    Ok(axum::Json(board_json(&app, &caller, &id)?))
}

/// What a PATCH may change; each part is decided by its own rules, and all are applied
/// together or none.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateIn {
    /// A new name.
    pub name: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// Sharing and permissions.
    pub policy: Option<Policy>,
}

fn parse_access(field: &str, text: &str) -> Result<Access, ApiError> {
    Access::parse(text).ok_or_else(|| {
        ApiError::invalid(format!(
            "`{field}` must be private, viewer, commenter or editor"
        ))
    })
}

fn parse_setting<T: for<'de> Deserialize<'de>>(field: &str, text: &str) -> Result<T, ApiError> {
    serde_json::from_value(Value::String(text.to_string()))
        .map_err(|_| ApiError::invalid(format!("`{field}` does not take `{text}`")))
}

/// Change a board's name, description or policy.
#[utoipa::path(patch, path = "/v2/boards/{id}", tag = "boards", request_body = UpdateIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<UpdateIn>,
) -> Result<Response, ApiError> {
    let mut commands = Vec::new();
    {
        let reader = app.engine.read();
        let state = reader.state();
        let b = seen_board(state, &caller, &id, app.engine.now())?;
        let board = state
            .board(b)
            .ok_or_else(|| ApiError::not_found("board", &id))?;
        if body.name.is_some() || body.description.is_some() {
            commands.push(Command::RenameBoard {
                board: id.clone(),
                name: body.name.clone().unwrap_or_else(|| board.name.to_string()),
                description: body
                    .description
                    .clone()
                    .unwrap_or_else(|| board.description.to_string()),
            });
        }
        let policy = body.policy.clone().unwrap_or_default();
        if let Some(s) = policy.sharing_policy {
            if s.access_password_required.is_some() {
                return Err(ApiError::invalid(
                    "`accessPasswordRequired` is set with `PUT /v2/boards/{id}/password`",
                ));
            }
            let or = |v: Option<String>, field: &str, current: Access| {
                v.map_or(Ok(current), |t| parse_access(field, &t))
            };
            commands.push(Command::SetBoardSharing {
                board: id.clone(),
                team: or(s.team_access, "teamAccess", board.team_access)?,
                company: or(
                    s.organization_access,
                    "organizationAccess",
                    board.company_access,
                )?,
                public: or(s.access, "access", board.public_access)?,
            });
        }
        if let Some(p) = policy.permissions_policy {
            let mut content: ContentSettings = board.content;
            if let Some(c) = p.copy_access {
                content.copy_access = parse_setting("copyAccess", &c)?;
            }
            if let Some(s) = p.sharing_access {
                content.sharing_access = parse_setting("sharingAccess", &s)?;
            }
            commands.push(Command::SetContentSettings {
                board: id.clone(),
                content,
            });
        }
    }
    // A patch that names nothing to change is well formed: it changes nothing and answers
    // the board as it is, at the current revision, as a read would.
    let revision = if commands.is_empty() {
        app.engine.read().revision()
    } else {
        run_all(&app, &caller, commands).await?.revision
    };
    Ok(written(
        StatusCode::OK,
        &board_json(&app, &caller, &id)?,
        revision,
    ))
}

/// Whether a delete is for good.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// Purge a trashed board for good instead of trashing it.
    #[serde(default)]
    pub permanent: bool,
}

/// Move a board to the trash, or purge a trashed one (`?permanent=true`).
#[utoipa::path(delete, path = "/v2/boards/{id}", tag = "boards", params(("id" = String, Path, description = "the board"), DeleteQuery),
    responses((status = 200, description = "trashed or purged")))]
pub async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), &caller, &id, app.engine.now())?;
    }
    let command = if q.permanent {
        Command::PurgeBoard { board: id.clone() }
    } else {
        Command::TrashBoard { board: id.clone() }
    };
    let w = run(&app, &caller, command).await?;
    let state = if q.permanent { "purged" } else { "trashed" };
    Ok(written(
        StatusCode::OK,
        &StateOut::new(id, state),
        w.revision,
    ))
}

/// Bring a board back from the trash.
#[utoipa::path(post, path = "/v2/boards/{id}/restore", tag = "boards",
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView)))]
pub async fn restore(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let w = run_on_board(
        &app,
        &caller,
        &id,
        Command::RestoreBoard { board: id.clone() },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &board_json(&app, &caller, &id)?,
        w.revision,
    ))
}

/// The new owner.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransferIn {
    /// A team member who already collaborates on the board.
    pub new_owner_id: String,
}

/// Give the board to another user.
#[utoipa::path(post, path = "/v2/boards/{id}/transfer-ownership", tag = "boards", request_body = TransferIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView)))]
pub async fn transfer(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<TransferIn>,
) -> Result<Response, ApiError> {
    let w = run_on_board(
        &app,
        &caller,
        &id,
        Command::TransferOwnership {
            board: id.clone(),
            new_owner: body.new_owner_id,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &board_json(&app, &caller, &id)?,
        w.revision,
    ))
}

/// The destination team.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoveIn {
    /// A team of the same organization.
    pub team_id: String,
}

/// Move a board to another team (it leaves its project).
#[utoipa::path(post, path = "/v2/boards/{id}/move", tag = "boards", request_body = MoveIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView)))]
pub async fn move_board(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<MoveIn>,
) -> Result<Response, ApiError> {
    let w = run_on_board(
        &app,
        &caller,
        &id,
        Command::MoveBoard {
            board: id.clone(),
            team: body.team_id,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &board_json(&app, &caller, &id)?,
        w.revision,
    ))
}

/// The new public link.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkOut {
    /// The link, with its secret token. Shown this once: Easel keeps only a digest.
    pub view_link: String,
    /// The token alone.
    pub link_token: String,
    /// The revision.
    pub revision: String,
}

/// Replace the public link's token: the old link stops working.
#[utoipa::path(post, path = "/v2/boards/{id}/link/reset", tag = "boards",
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = LinkOut)))]
pub async fn reset_link(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), &caller, &id, app.engine.now())?;
    }
    let (token, _) = crate::ids::new_secret()?;
    let w = run(
        &app,
        &caller,
        Command::ResetBoardLink {
            board: id.clone(),
            token: token.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &LinkOut {
            view_link: format!("/boards/{id}?link={token}"),
            link_token: token,
            revision: w.revision.to_string(),
        },
        w.revision,
    ))
}

/// The board password.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    /// The new password, or `null` to remove it.
    pub password: Option<String>,
}

/// Set or remove the password that guards the public link.
#[utoipa::path(put, path = "/v2/boards/{id}/password", tag = "boards", request_body = PasswordIn,
    params(("id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView)))]
pub async fn password(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<PasswordIn>,
) -> Result<Response, ApiError> {
    let w = run_on_board(
        &app,
        &caller,
        &id,
        Command::SetBoardPassword {
            board: id.clone(),
            password: body.password,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &board_json(&app, &caller, &id)?,
        w.revision,
    ))
}

/// Which board to copy.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CopyQuery {
    /// The board copied.
    pub copy_from: String,
}

/// Where the copy goes.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopyIn {
    /// The copy's name.
    pub name: String,
    /// The team it goes in.
    pub team_id: String,
}

/// Copy a board into a team, as a new board the caller owns.
#[utoipa::path(put, path = "/v2/boards", tag = "boards", request_body = CopyIn, params(CopyQuery),
    responses((status = 201, body = BoardView)))]
pub async fn copy(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<CopyQuery>,
    Json(body): Json<CopyIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), &caller, &q.copy_from, app.engine.now())?;
    }
    let new_board = crate::ids::new_id("brd")?;
    let w = run(
        &app,
        &caller,
        Command::CopyBoard {
            board: q.copy_from,
            new_board: new_board.clone(),
            team: body.team_id,
            name: body.name,
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &board_json(&app, &caller, &new_board)?,
        w.revision,
    ))
}
