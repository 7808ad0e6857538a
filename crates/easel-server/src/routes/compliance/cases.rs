//! Legal cases and their holds, in the reference's shapes: numeric ids, who made and last
//! changed each and when, a hold's users by email, and the boards a hold keeps.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use easel_core::EngineAction;
use easel_core::State as EngineState;
use easel_core::command::Command;
use easel_core::ids::{CaseIx, OrgIx};
use easel_core::model::{BoardState, Case, LegalHold, Stamp};
use easel_core::request::Target;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::routes::orgs::seen_org;
use crate::routes::{REVISION, may, run, written};
use crate::wire::{CursorList, Json, Path, Query, iso};

/// A user, as a case or a hold names who made or changed it.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRef {
    /// The user's id.
    pub id: String,
    /// The user's email.
    pub email: String,
    /// The first word of the user's name.
    pub first_name: String,
    /// The rest of the user's name (empty for a one-word name).
    pub last_name: String,
}

fn user_ref(state: &EngineState, user: easel_core::ids::UserIx) -> Option<UserRef> {
    let u = state.user(user)?;
    let (first, last) = u.name.trim().split_once(' ').unwrap_or((u.name.trim(), ""));
    Some(UserRef {
        id: u.id.to_string(),
        email: u.email.to_string(),
        first_name: first.to_string(),
        last_name: last.trim().to_string(),
    })
}

fn stamp_user(state: &EngineState, stamp: Stamp) -> Option<UserRef> {
    stamp.by.and_then(|u| user_ref(state, u))
}

/// A legal case.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CaseOut {
    /// The id.
    pub id: String,
    /// The organization.
    pub organization_id: String,
    /// The name.
    pub name: String,
    /// What the case is about.
    pub description: String,
    /// Who opened it (absent for a case opened by Easel itself, or before Easel kept it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<UserRef>,
    /// Who changed it last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<UserRef>,
    /// When it was opened (ISO 8601).
    pub created_at: String,
    /// When it was changed last (ISO 8601).
    pub last_modified_at: String,
    /// How many of its holds are active (Easel's addition).
    pub active_holds: usize,
}

fn case_out(state: &EngineState, c: &Case) -> CaseOut {
    CaseOut {
        id: c.id.to_string(),
        organization_id: state
            .org(c.org)
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
        name: c.name.clone(),
        description: c.description.clone(),
        created_by: stamp_user(state, c.created),
        last_modified_by: stamp_user(state, c.modified),
        created_at: iso(c.created.at),
        last_modified_at: iso(c.modified.at),
        active_holds: c.holds.iter().filter(|h| !h.released).count(),
    }
}

/// The users a hold covers.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HoldScopeOut {
    /// The users whose boards are held.
    pub users: Vec<UserRef>,
}

/// A legal hold.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HoldOut {
    /// The id.
    pub id: String,
    /// The organization.
    pub organization_id: String,
    /// The case.
    pub case_id: String,
    /// The name.
    pub name: String,
    /// What the hold is for.
    pub description: String,
    /// Always `ACTIVE`: a hold holds from the moment it is made (a released hold is gone).
    pub state: &'static str,
    /// The users whose boards are held.
    pub scope: HoldScopeOut,
    /// What the scope names: always `users`.
    pub scope_value: &'static str,
    /// Who made it (absent before Easel kept it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<UserRef>,
    /// Who changed it last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<UserRef>,
    /// When it was made (ISO 8601).
    pub created_at: String,
    /// When it was changed last (ISO 8601).
    pub last_modified_at: String,
}

fn hold_out(state: &EngineState, c: &Case, h: &LegalHold) -> HoldOut {
    HoldOut {
        id: h.id.to_string(),
        organization_id: state
            .org(c.org)
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
        case_id: c.id.to_string(),
        name: h.name.clone(),
        description: h.description.clone(),
        state: "ACTIVE",
        scope: HoldScopeOut {
            users: h.users.iter().filter_map(|u| user_ref(state, *u)).collect(),
        },
        scope_value: "users",
        created_by: stamp_user(state, h.created),
        last_modified_by: stamp_user(state, h.modified),
        created_at: iso(h.created.at),
        last_modified_at: iso(h.modified.at),
    }
}

/// A page of a case list.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CasePage {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from.
    pub cursor: Option<String>,
}

/// The largest page of cases, holds or held boards, and the page when none is asked.
const CASE_PAGE: usize = 100;

/// The organization, once the caller may manage its cases (`org.legal_holds`).
fn legal(app: &AppState, caller: &Caller, org: &str) -> Result<OrgIx, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, caller, org, None, app.engine.now())?;
    if let Some(d) = may(
        state,
        caller,
        EngineAction::OrgLegalHolds,
        Target::Org(o),
        app.engine.now(),
    )
    .denial
    {
        return Err(ApiError::new(d.code, d.message()));
    }
    Ok(o)
}

/// A live case of the organization, or a 404.
fn case_in<'s>(state: &'s EngineState, o: OrgIx, id: &str) -> Result<(CaseIx, &'s Case), ApiError> {
    state
        .find_case(id)
        .and_then(|c| state.case(c).map(|x| (c, x)))
        .filter(|(_, c)| c.org == o && !c.deleted)
        .ok_or_else(|| ApiError::not_found("case", id))
}

/// An active hold of the case, or a 404.
fn hold_in<'s>(c: &'s Case, id: &str) -> Result<&'s LegalHold, ApiError> {
    c.holds
        .iter()
        .find(|h| &*h.id == id && !h.released)
        .ok_or_else(|| ApiError::not_found("legal hold", id))
}

/// A new id in the reference's form: digits (18 or 19 of them, never a leading zero).
fn numeric_id() -> Result<String, ApiError> {
    let hex = crate::ids::random_hex(8)?;
    let n = u64::from_str_radix(&hex, 16).map_err(ApiError::internal)?;
    Ok((n % 9_000_000_000_000_000_000 + 1_000_000_000_000_000_000).to_string())
}

/// A 204 with the write's revision in the header.
fn no_content(revision: i64) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&revision.to_string()) {
        response.headers_mut().insert(REVISION, v);
    }
    response
}

/// The organization's live cases (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases", tag = "compliance", operation_id = "get-all-cases",
    params(("org_id" = String, Path, description = "the organization"), CasePage),
    responses((status = 200, body = CursorList<CaseOut>)))]
pub async fn cases(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<CasePage>,
) -> Result<axum::Json<CursorList<CaseOut>>, ApiError> {
    let pager = Pager::sized(
        &app,
        &caller,
        &list,
        (q.limit, CASE_PAGE, CASE_PAGE),
        q.cursor.as_deref(),
    )?;
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    pager
        .walk(
            state.org_cases(o),
            |ix| ix.get(),
            |ix| {
                let c = state.case(*ix)?;
                (c.org == o && !c.deleted).then(|| case_out(state, c))
            },
        )
        .map(axum::Json)
}

/// A case's name and description.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseIn {
    /// The case's name.
    pub name: String,
    /// What the case is about.
    #[serde(default)]
    pub description: Option<String>,
}

/// Open a legal case (`org.legal_holds`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/cases", tag = "compliance", operation_id = "create-case", request_body = CaseIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, description = "opened (200, as the reference answers)", body = CaseOut)))]
pub async fn create_case(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<CaseIn>,
) -> Result<Response, ApiError> {
    legal(&app, &caller, &org)?;
    let case = numeric_id()?;
    let w = run(
        &app,
        &caller,
        Command::CreateCase {
            org,
            case: case.clone(),
            name: body.name,
            description: body.description.unwrap_or_default(),
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let c = state
        .find_case(&case)
        .and_then(|c| state.case(c))
        .ok_or_else(|| ApiError::not_found("case", &case))?;
    Ok(written(StatusCode::OK, &case_out(state, c), w.revision))
}

/// A case (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases/{case_id}", tag = "compliance", operation_id = "get-case",
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case")),
    responses((status = 200, body = CaseOut)))]
pub async fn case(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case)): Path<(String, String)>,
) -> Result<axum::Json<CaseOut>, ApiError> {
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    Ok(axum::Json(case_out(state, c)))
}

/// Replace a case's name and description (`org.legal_holds`).
#[utoipa::path(put, path = "/v2/orgs/{org_id}/cases/{case_id}", tag = "compliance", operation_id = "edit-case", request_body = CaseIn,
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case")),
    responses((status = 200, body = CaseOut)))]
pub async fn edit_case(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case)): Path<(String, String)>,
    Json(body): Json<CaseIn>,
) -> Result<Response, ApiError> {
    let o = legal(&app, &caller, &org)?;
    {
        let reader = app.engine.read();
        case_in(reader.state(), o, &case)?;
    }
    let w = run(
        &app,
        &caller,
        Command::EditCase {
            case: case.clone(),
            name: body.name,
            description: body.description.unwrap_or_default(),
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    Ok(written(StatusCode::OK, &case_out(state, c), w.revision))
}

/// Delete a case; its holds are released with it (`org.legal_holds`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/cases/{case_id}", tag = "compliance", operation_id = "delete-case",
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case")),
    responses((status = 204, description = "deleted")))]
pub async fn delete_case(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let o = legal(&app, &caller, &org)?;
    {
        let reader = app.engine.read();
        case_in(reader.state(), o, &case)?;
    }
    let w = run(&app, &caller, Command::DeleteCase { case }).await?;
    Ok(no_content(w.revision))
}

/// A case's active holds (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases/{case_id}/legal-holds", tag = "compliance", operation_id = "get-all-legal-holds",
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case"), CasePage),
    responses((status = 200, body = CursorList<HoldOut>)))]
pub async fn holds(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, case)): Path<(String, String)>,
    Query(q): Query<CasePage>,
) -> Result<axum::Json<CursorList<HoldOut>>, ApiError> {
    let pager = Pager::sized(
        &app,
        &caller,
        &list,
        (q.limit, CASE_PAGE, CASE_PAGE),
        q.cursor.as_deref(),
    )?;
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    // A case's holds are in the order they were made: their position is the cursor's.
    let positions: Vec<usize> = (0..c.holds.len()).collect();
    pager
        .walk(
            &positions,
            |i| *i,
            |i| {
                c.holds
                    .get(*i)
                    .filter(|h| !h.released)
                    .map(|h| hold_out(state, c, h))
            },
        )
        .map(axum::Json)
}

/// One user a hold covers.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct EmailIn {
    /// The user's email.
    pub email: String,
}

/// The users a hold covers (other kinds of scope are not known to Easel, and ignored).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct HoldScopeIn {
    /// The users, by email.
    #[serde(default)]
    pub users: Vec<EmailIn>,
}

/// A hold's name, description and users.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HoldIn {
    /// The hold's name.
    #[serde(default)]
    pub name: Option<String>,
    /// What the hold is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The users whose boards are held, by email.
    #[serde(default)]
    pub scope: Option<HoldScopeIn>,
    /// The users whose boards are held, by id (Easel's first spelling).
    #[serde(default)]
    pub user_ids: Option<Vec<String>>,
}

/// The ids of the users a hold names, by id or by email; an email nobody has is a 404.
fn hold_users(app: &AppState, body: &HoldIn) -> Result<Vec<String>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let mut users = body.user_ids.clone().unwrap_or_default();
    for e in body.scope.iter().flat_map(|s| &s.users) {
        let u = state
            .find_email(e.email.trim())
            .and_then(|u| state.user(u))
            .ok_or_else(|| ApiError::not_found("user", &e.email))?;
        users.push(u.id.to_string());
    }
    Ok(users)
}

/// Hold some users' boards under a case (`org.legal_holds`): they cannot be purged while
/// the hold lasts.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/cases/{case_id}/legal-holds", tag = "compliance", operation_id = "create-legal-hold", request_body = HoldIn,
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case")),
    responses((status = 200, description = "made (200, as the reference answers)", body = HoldOut)))]
pub async fn add_hold(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case)): Path<(String, String)>,
    Json(body): Json<HoldIn>,
) -> Result<Response, ApiError> {
    let o = legal(&app, &caller, &org)?;
    {
        let reader = app.engine.read();
        case_in(reader.state(), o, &case)?;
    }
    let users = hold_users(&app, &body)?;
    let hold = numeric_id()?;
    let w = run(
        &app,
        &caller,
        Command::AddLegalHold {
            case: case.clone(),
            hold: hold.clone(),
            users,
            name: body.name.unwrap_or_default(),
            description: body.description.unwrap_or_default(),
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    let h = hold_in(c, &hold)?;
    Ok(written(StatusCode::OK, &hold_out(state, c, h), w.revision))
}

/// An active hold (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases/{case_id}/legal-holds/{legal_hold_id}", tag = "compliance", operation_id = "get-legal-hold",
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case"), ("legal_hold_id" = String, Path, description = "the hold")),
    responses((status = 200, body = HoldOut)))]
pub async fn hold(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case, hold)): Path<(String, String, String)>,
) -> Result<axum::Json<HoldOut>, ApiError> {
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    let h = hold_in(c, &hold)?;
    Ok(axum::Json(hold_out(state, c, h)))
}

/// Replace a hold's name, description and users (`org.legal_holds`).
#[utoipa::path(put, path = "/v2/orgs/{org_id}/cases/{case_id}/legal-holds/{legal_hold_id}", tag = "compliance", operation_id = "edit-legal-hold", request_body = HoldIn,
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case"), ("legal_hold_id" = String, Path, description = "the hold")),
    responses((status = 200, body = HoldOut)))]
pub async fn edit_hold(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case, hold)): Path<(String, String, String)>,
    Json(body): Json<HoldIn>,
) -> Result<Response, ApiError> {
    let o = legal(&app, &caller, &org)?;
    {
        let reader = app.engine.read();
        let (_, c) = case_in(reader.state(), o, &case)?;
        hold_in(c, &hold)?;
    }
    let users = hold_users(&app, &body)?;
    let w = run(
        &app,
        &caller,
        Command::EditLegalHold {
            case: case.clone(),
            hold: hold.clone(),
            name: body.name.unwrap_or_default(),
            description: body.description.unwrap_or_default(),
            users,
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    let h = hold_in(c, &hold)?;
    Ok(written(StatusCode::OK, &hold_out(state, c, h), w.revision))
}

/// Release a hold: its users' boards are no longer kept by it (`org.legal_holds`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/cases/{case_id}/legal-holds/{legal_hold_id}", tag = "compliance", operation_id = "delete-legal-hold",
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case"), ("legal_hold_id" = String, Path, description = "the hold")),
    responses((status = 204, description = "released")))]
pub async fn delete_hold(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, case, hold)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let o = legal(&app, &caller, &org)?;
    {
        let reader = app.engine.read();
        let (_, c) = case_in(reader.state(), o, &case)?;
        hold_in(c, &hold)?;
    }
    let w = run(&app, &caller, Command::ReleaseLegalHold { case, hold }).await?;
    Ok(no_content(w.revision))
}

/// A board a hold keeps.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HeldItemOut {
    /// The board as the reference numbers content: digits (its clients accept no other),
    /// derived from the board's id and the same on every read. Easel's own id is `boardId`.
    pub content_id: String,
    /// Always `board`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The content number again: the reference's clients read an `id` of digits too.
    pub id: String,
    /// The board's id.
    pub board_id: String,
    /// The board's name.
    pub name: String,
}

/// A board's content number: the first eight bytes of the SHA-256 of its id, in decimal.
/// The reference's content ids are digits; Easel's board ids are not, so the number stands
/// for the id where the reference's clients read one, and `id` carries the id itself.
fn content_number(board: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(board.as_bytes());
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first).to_string()
}

/// The boards an active hold keeps: those its users own in the organization (`org.legal_holds`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/cases/{case_id}/legal-holds/{legal_hold_id}/content-items", tag = "compliance", operation_id = "get-legal-hold-content-items",
    params(("org_id" = String, Path, description = "the organization"), ("case_id" = String, Path, description = "the case"), ("legal_hold_id" = String, Path, description = "the hold"), CasePage),
    responses((status = 200, body = CursorList<HeldItemOut>)))]
pub async fn held_items(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, case, hold)): Path<(String, String, String)>,
    Query(q): Query<CasePage>,
) -> Result<axum::Json<CursorList<HeldItemOut>>, ApiError> {
    let pager = Pager::sized(
        &app,
        &caller,
        &list,
        (q.limit, CASE_PAGE, CASE_PAGE),
        q.cursor.as_deref(),
    )?;
    let o = legal(&app, &caller, &org)?;
    let reader = app.engine.read();
    let state = reader.state();
    let (_, c) = case_in(state, o, &case)?;
    let h = hold_in(c, &hold)?;
    pager
        .walk_from(
            state.all_boards(),
            |(b, _)| b.get(),
            |(_, b)| {
                let held = b.org == o
                    && b.state != BoardState::Purged
                    && h.users.binary_search(&b.owner).is_ok();
                held.then(|| HeldItemOut {
                    content_id: content_number(&b.id),
                    kind: "board",
                    id: content_number(&b.id),
                    board_id: b.id.to_string(),
                    name: b.name.to_string(),
                })
            },
        )
        .map(axum::Json)
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_numbers_are_digits_and_stable() {
        let n = super::content_number("brd_roadmap");
        assert!(
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
            "{n}"
        );
        assert_eq!(n, super::content_number("brd_roadmap"));
        assert_ne!(n, super::content_number("brd_press"));
    }
}
