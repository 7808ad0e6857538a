//! Boards: create, list what the caller can see, read, change, trash, restore, purge, copy,
//! move, transfer, the public link and the password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use easel_core::action::Action;
use easel_core::catalog::Capability;
use easel_core::command::{BoardSetup, Command};
use easel_core::ids::BoardIx;
use easel_core::lookup::reach_after;
use easel_core::request::Target;

use crate::cursor::{ListRequest, Pager};
use easel_core::roles::Access;
use easel_core::settings::{ContentSettings, CopyAccess, SharingAccess};
use easel_core::{State as EngineState, Time};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{may, run, run_all, run_on_board, seen_board, written};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE};
use crate::table::Routes;
use crate::wire::{Json, OffsetList, Path, Query, role_name};
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

/// A user or team, as the reference shows who made, owns or holds a board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Named {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// `user` or `team`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// Who may reach the board through which channel, in the reference's spellings (`private`,
/// `view`, `comment`, `edit`; Easel's `viewer`, `commenter`, `editor` are read too).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct SharingPolicy {
    /// The public link.
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
    /// What a board link invites into the account: Easel's links invite no one, so only
    /// `no_access` is taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_to_account_and_board_link_access: Option<String>,
}

/// Who may copy, share and start collaboration tools.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct PermissionsPolicy {
    /// `anyone`, `team_members`, `team_editors` or `board_owner` (Easel's
    /// `anyone_with_access`, `editors`, `owner_only` are read too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_access: Option<String>,
    /// `team_members_with_editing_rights` or `owner_and_coowners` (Easel's `editors` too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_access: Option<String>,
    /// Every editor may start collaboration tools on an Easel board: only `all_editors`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collaboration_tools_start_access: Option<String>,
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

/// The caller's standing on the board, as a board member.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Membership {
    /// The caller's user id.
    pub id: String,
    /// The caller's name.
    pub name: String,
    /// The caller's effective role, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// Always `board_member`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The addresses of a board.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BoardLinks {
    /// The board.
    #[serde(rename = "self")]
    pub this: String,
    /// Its members.
    pub related: String,
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
    pub team: Named,
    /// The project, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<Ref>,
    /// The owner.
    pub owner: Named,
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
    /// The board's address for people (the public link's secret is shown only when reset).
    pub view_link: String,
    /// The board's API addresses.
    pub links: BoardLinks,
    /// When it was created, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Who created it, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Named>,
    /// When its name, description, sharing or content settings last changed, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<String>,
    /// Who changed them last, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<Named>,
}

/// An access level in the reference's spelling.
fn access_name(a: Access) -> String {
    match a {
        Access::None => "private",
        Access::Viewer => "view",
        Access::Commenter => "comment",
        Access::Editor => "edit",
    }
    .to_string()
}

fn copy_name(c: CopyAccess) -> String {
    match c {
        CopyAccess::AnyoneWithAccess => "anyone",
        CopyAccess::TeamMembers => "team_members",
        CopyAccess::Editors => "team_editors",
        CopyAccess::OwnerOnly => "board_owner",
    }
    .to_string()
}

fn sharing_name(s: SharingAccess) -> String {
    match s {
        SharingAccess::Editors => "team_members_with_editing_rights",
        SharingAccess::OwnerAndCoowners => "owner_and_coowners",
    }
    .to_string()
}

fn user_named(state: &EngineState, u: easel_core::ids::UserIx) -> Option<Named> {
    state.user(u).map(|x| Named {
        id: x.id.to_string(),
        name: x.name.clone(),
        kind: "user",
    })
}

/// The board as the caller sees it.
pub fn view(state: &EngineState, caller: &Caller, b: BoardIx, now: Time) -> Option<BoardView> {
    let board = state.board(b)?;
    let role = may(state, caller, Capability::View, Target::Board(b), now).role;
    let me = caller
        .user()
        .and_then(|u| state.find_user(u))
        .and_then(|u| state.user(u));
    let team = state.team(board.team)?;
    let id = board.id.to_string();
    let stamp = |s: easel_core::model::Stamp| {
        s.by.and_then(|u| user_named(state, u))
            .map(|by| (crate::wire::iso(s.at), by))
    };
    let (created_at, created_by) = stamp(board.created).unzip();
    let (modified_at, modified_by) = stamp(board.modified).unzip();
    Some(BoardView {
        kind: "board",
        name: board.name.to_string(),
        description: board.description.to_string(),
        organization: Ref {
            id: state.org(board.org)?.id.to_string(),
        },
        team: Named {
            id: team.id.to_string(),
            name: team.name.to_string(),
            kind: "team",
        },
        project: board.project.and_then(|p| state.project(p)).map(|p| Ref {
            id: p.id.to_string(),
        }),
        owner: user_named(state, board.owner)?,
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
                invite_to_account_and_board_link_access: Some("no_access".into()),
            }),
            permissions_policy: Some(PermissionsPolicy {
                copy_access: Some(copy_name(board.content.copy_access)),
                sharing_access: Some(sharing_name(board.content.sharing_access)),
                collaboration_tools_start_access: Some("all_editors".into()),
            }),
        },
        current_user_membership: Membership {
            id: me.map(|u| u.id.to_string()).unwrap_or_default(),
            name: me.map(|u| u.name.clone()).unwrap_or_default(),
            role: role.map(role_name),
            kind: "board_member",
        },
        view_link: format!("/boards/{id}"),
        links: BoardLinks {
            this: format!("/v2/boards/{id}"),
            related: format!("/v2/boards/{id}/members?limit=20&offset=0"),
        },
        created_at,
        created_by,
        modified_at,
        modified_by,
        id,
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

fn untitled() -> String {
    String::from("Untitled")
}

/// A new board (the reference's `BoardChanges`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateIn {
    /// Its name (`Untitled` when absent).
    #[serde(default = "untitled")]
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// The team it goes in.
    #[serde(alias = "team")]
    pub team_id: String,
    /// The project of that team, if any.
    #[serde(default, alias = "project")]
    pub project_id: Option<String>,
    /// Sharing and permissions instead of the team's defaults.
    #[serde(default)]
    pub policy: Option<Policy>,
}

/// The parts of a policy Easel keeps, checked: the three access levels and the two
/// content settings; what Easel cannot do is refused.
struct PolicyIn {
    team: Option<Access>,
    company: Option<Access>,
    public: Option<Access>,
    copy: Option<CopyAccess>,
    sharing: Option<SharingAccess>,
}

fn policy_in(policy: Option<Policy>) -> Result<PolicyIn, ApiError> {
    let policy = policy.unwrap_or_default();
    let s = policy.sharing_policy.unwrap_or_default();
    let p = policy.permissions_policy.unwrap_or_default();
    if s.access_password_required.is_some() {
        return Err(ApiError::invalid(
            "`accessPasswordRequired` is set with `PUT /v2/boards/{board_id}/password`",
        ));
    }
    if s.invite_to_account_and_board_link_access
        .as_deref()
        .is_some_and(|v| v != "no_access")
    {
        return Err(ApiError::invalid(
            "`inviteToAccountAndBoardLinkAccess` is not supported: Easel's board links invite no one into the account; only `no_access` is taken",
        ));
    }
    if p.collaboration_tools_start_access
        .as_deref()
        .is_some_and(|v| v != "all_editors")
    {
        return Err(ApiError::invalid(
            "`collaborationToolsStartAccess` is not supported: every editor may start collaboration tools on an Easel board; only `all_editors` is taken",
        ));
    }
    let access = |v: Option<String>, field: &str| v.map(|t| parse_access(field, &t)).transpose();
    let copy = p
        .copy_access
        .map(|c| match c.as_str() {
            "anyone" | "anyone_with_access" => Ok(CopyAccess::AnyoneWithAccess),
            "team_members" => Ok(CopyAccess::TeamMembers),
            "team_editors" | "editors" => Ok(CopyAccess::Editors),
            "board_owner" | "owner_only" => Ok(CopyAccess::OwnerOnly),
            other => Err(ApiError::invalid(format!(
                "`copyAccess` does not take `{other}`"
            ))),
        })
        .transpose()?;
    let sharing = p
        .sharing_access
        .map(|c| match c.as_str() {
            "team_members_with_editing_rights" | "editors" => Ok(SharingAccess::Editors),
            "owner_and_coowners" => Ok(SharingAccess::OwnerAndCoowners),
            other => Err(ApiError::invalid(format!(
                "`sharingAccess` does not take `{other}`"
            ))),
        })
        .transpose()?;
    Ok(PolicyIn {
        team: access(s.team_access, "teamAccess")?,
        company: access(s.organization_access, "organizationAccess")?,
        public: access(s.access, "access")?,
        copy,
        sharing,
    })
}

/// Create a board in a team (and a project of it).
#[utoipa::path(post, path = "/v2/boards", tag = "boards", operation_id = "create-board", request_body = CreateIn,
    responses((status = 201, body = BoardView), (status = 403, description = "refused")))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateIn>,
) -> Result<Response, ApiError> {
    let board = crate::ids::new_id("brd")?;
    let p = policy_in(body.policy)?;
    let w = run(
        &app,
        &caller,
        Command::CreateBoard {
            team: body.team_id,
            board: board.clone(),
            name: body.name,
            project: body.project_id,
            setup: BoardSetup {
                description: body.description,
                team_access: p.team,
                company_access: p.company,
                public_access: p.public,
                copy_access: p.copy,
                sharing_access: p.sharing,
            },
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &board_json(&app, &caller, &board)?,
        w.revision,
    ))
}

/// How the board list is ordered.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest first within a team or project; otherwise as `last_modified`.
    #[default]
    Default,
    /// Most recently changed first.
    LastModified,
    /// Most recently opened first: Easel does not record opening, so most recently
    /// changed first.
    LastOpened,
    /// Newest first.
    LastCreated,
    /// By name.
    Alphabetically,
}

/// Filters and paging of the board list.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only boards of this team (Easel's `team` is read too).
    #[serde(alias = "team")]
    pub team_id: Option<String>,
    /// Only boards of this project (Easel's `project` is read too).
    #[serde(alias = "project")]
    pub project_id: Option<String>,
    /// Only boards this user owns.
    pub owner: Option<String>,
    /// Only boards whose name or description contains this (any letter case).
    #[param(max_length = 500)]
    pub query: Option<String>,
    /// Page size, 1 to 50 (20 when absent).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// Where the page starts (0 is the first board).
    pub offset: Option<usize>,
    /// The order.
    #[param(inline)]
    pub sort: Option<Sort>,
    /// An addition: where to go on from, as a page's `cursor` said (stable under change).
    pub cursor: Option<String>,
}

/// A page of boards: the reference's offset list, with Easel's `cursor` where more follow.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BoardPage {
    /// The page.
    #[serde(flatten)]
    pub page: OffsetList<BoardView>,
    /// Where the page after this one starts, for stable paging (absent on the last page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// Most boards one page of the list holds.
const MAX_BOARD_PAGE: usize = 50;
/// The longest `query` of the board list, as the reference bounds it.
const MAX_QUERY_CHARS: usize = 500;

/// The boards the caller can see, filtered and ordered, a page at a time.
#[utoipa::path(get, path = "/v2/boards", tag = "boards", operation_id = "get-boards", params(ListQuery),
    responses((status = 200, body = BoardPage)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<BoardPage>, ApiError> {
    let limit = crate::wire::page_limit(q.limit, MAX_BOARD_PAGE)?;
    if q.query
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_QUERY_CHARS)
    {
        return Err(ApiError::invalid(format!(
            "`query` is at most {MAX_QUERY_CHARS} characters"
        )));
    }
    let pager = Pager::new(&app, &caller, &list, Some(limit), q.cursor.as_deref())?;
    let after = pager.after_index()?;
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
    // The reference ignores `query` and `owner` when a team or project is named.
    let scoped = q.team_id.is_some() || q.project_id.is_some();
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
    // An offset list counts every board it matches (`total`), so the whole walk is read;
    // the boards are ordered, then the page is cut.
    let mut found: Vec<BoardIx> = Vec::new();
    for item in reach_after(state, u, action, None, now)? {
        let Some(b) = state.board(item.board) else {
            continue;
        };
        let keep = listed(b.org)
            && q.team_id
                .as_deref()
                .is_none_or(|t| state.team(b.team).is_some_and(|x| &*x.id == t))
            && q.project_id.as_deref().is_none_or(|p| {
                b.project
                    .and_then(|x| state.project(x))
                    .is_some_and(|x| &*x.id == p)
            })
            && (scoped
                || q.owner
                    .as_deref()
                    .is_none_or(|o| state.user(b.owner).is_some_and(|x| &*x.id == o)))
            && (scoped
                || needle.as_deref().is_none_or(|n| {
                    b.name.to_lowercase().contains(n) || b.description.to_lowercase().contains(n)
                }));
        if keep {
            found.push(item.board);
        }
    }
    let sort = match q.sort.unwrap_or_default() {
        Sort::Default if scoped => Sort::LastCreated,
        Sort::Default => Sort::LastModified,
        other => other,
    };
    let key = |b: &BoardIx| state.board(*b);
    match sort {
        Sort::Alphabetically => {
            found.sort_by_cached_key(|b| key(b).map(|x| (x.name.to_lowercase(), x.id.to_string())))
        }
        Sort::LastCreated => found.sort_by_key(|b| std::cmp::Reverse(b.get())),
        _ => found.sort_by_key(|b| std::cmp::Reverse(key(b).map(|x| (x.modified.at, b.get())))),
    }
    // A cursor names the last board of the page before: the page goes on after it.
    let start = match after {
        Some(a) => found
            .iter()
            .position(|b| b.get() == a)
            .map_or(found.len(), |i| i + 1),
        None => 0,
    };
    let total = found.len();
    let offset = start + q.offset.unwrap_or(0);
    let page: Vec<BoardIx> = found.iter().skip(offset).take(limit).copied().collect();
    let cursor = (offset + page.len() < total)
        .then(|| page.last().map(|b| pager.seal(&format!("i{}", b.get()))))
        .flatten();
    let data = page
        .iter()
        .filter_map(|b| view(state, &caller, *b, now))
        .collect();
    let mut base = String::from("/v2/boards");
    let mut glue = '?';
    for (name, value) in [
        ("team_id", q.team_id.as_deref()),
        ("project_id", q.project_id.as_deref()),
        ("owner", q.owner.as_deref()),
        ("query", q.query.as_deref()),
    ] {
        if let Some(v) = value {
            base.push_str(&format!("{glue}{name}={}", urlencode(v)));
            glue = '&';
        }
    }
    Ok(axum::Json(BoardPage {
        page: OffsetList::new(data, total, offset, limit, &base),
        cursor,
    }))
}

/// A query value as a URL writes it.
fn urlencode(v: &str) -> String {
    serde_urlencoded::to_string([("", v)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// Read a board the caller can see.
#[utoipa::path(get, path = "/v2/boards/{board_id}", tag = "boards", operation_id = "get-specific-board",
    params(("board_id" = String, Path, description = "the board")),
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

/// What a PATCH may change (the reference's `BoardChanges`, and Easel's `description`);
/// each part is decided by its own rules, and all are applied together or none.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateIn {
    /// A new name.
    pub name: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// Sharing and permissions.
    pub policy: Option<Policy>,
    /// Another team of the organization to move the board to.
    pub team_id: Option<String>,
    /// The board's project: only its current one is taken (a board enters a project
    /// when created in it).
    pub project_id: Option<String>,
}

fn parse_access(field: &str, text: &str) -> Result<Access, ApiError> {
    Access::parse(text).ok_or_else(|| {
        ApiError::invalid(format!("`{field}` must be private, view, comment or edit"))
    })
}

/// Change a board's name, description, policy or team.
#[utoipa::path(patch, path = "/v2/boards/{board_id}", tag = "boards", operation_id = "update-board", request_body = UpdateIn,
    params(("board_id" = String, Path, description = "the board")),
    responses((status = 200, body = BoardView)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<UpdateIn>,
) -> Result<Response, ApiError> {
    let mut commands = Vec::new();
    let p = policy_in(body.policy.clone())?;
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
        if p.team.is_some() || p.company.is_some() || p.public.is_some() {
            commands.push(sharing_change(board, (p.team, p.company, p.public)));
        }
        if p.copy.is_some() || p.sharing.is_some() {
            let mut content: ContentSettings = board.content;
            content.copy_access = p.copy.unwrap_or(content.copy_access);
            content.sharing_access = p.sharing.unwrap_or(content.sharing_access);
            commands.push(Command::SetContentSettings {
                board: id.clone(),
                content,
            });
        }
        if let Some(project) = &body.project_id {
            let current = board.project.and_then(|x| state.project(x));
            if current.is_none_or(|x| &*x.id != project) {
                return Err(ApiError::invalid(
                    "`projectId` is not supported here: a board enters a project when it is created in it",
                ));
            }
        }
        if let Some(team) = &body.team_id
            && state.team(board.team).is_none_or(|t| &*t.id != team)
        {
            commands.push(Command::MoveBoard {
                board: id.clone(),
                team: team.clone(),
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

/// The command that sets a board's team, company and public-link access to those given,
/// keeping each one not given as it is (the console's access forms change them through
/// this too).
pub(crate) fn sharing_change(
    board: &easel_core::model::Board,
    (team, company, public): (Option<Access>, Option<Access>, Option<Access>),
) -> Command {
    Command::SetBoardSharing {
        board: board.id.to_string(),
        team: team.unwrap_or(board.team_access),
        company: company.unwrap_or(board.company_access),
        public: public.unwrap_or(board.public_access),
    }
}

/// Whether a delete is for good.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// Purge a trashed board for good instead of trashing it.
    #[serde(default)]
    pub permanent: bool,
}

/// An empty `204 No Content`, with the write's revision in the `Easel-Revision` header.
pub(crate) fn no_content(revision: i64) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&revision.to_string()) {
        response.headers_mut().insert(super::REVISION, v);
    }
    response
}

/// Move a board to the trash, or purge a trashed one (`?permanent=true`).
#[utoipa::path(delete, path = "/v2/boards/{board_id}", tag = "boards", operation_id = "delete-board", params(("board_id" = String, Path, description = "the board"), DeleteQuery),
    responses((status = 204, description = "trashed or purged")))]
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
    Ok(no_content(w.revision))
}

/// Bring a board back from the trash.
#[utoipa::path(post, path = "/v2/boards/{board_id}/restore", tag = "boards", operation_id = "easel-restore-board",
    params(("board_id" = String, Path, description = "the board")),
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
#[utoipa::path(post, path = "/v2/boards/{board_id}/transfer-ownership", tag = "boards", operation_id = "easel-transfer-board-ownership", request_body = TransferIn,
    params(("board_id" = String, Path, description = "the board")),
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
#[utoipa::path(post, path = "/v2/boards/{board_id}/move", tag = "boards", operation_id = "easel-move-board", request_body = MoveIn,
    params(("board_id" = String, Path, description = "the board")),
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
#[utoipa::path(post, path = "/v2/boards/{board_id}/link/reset", tag = "boards", operation_id = "easel-reset-board-link",
    params(("board_id" = String, Path, description = "the board")),
    responses((status = 200, body = LinkOut)))]
pub async fn reset_link(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (out, revision) = new_link(&app, &caller, &id).await?;
    Ok(written(StatusCode::OK, &out, revision))
}

/// Gives board `id` (which the caller must see) a new public-link token: the link with it,
/// to be shown this once, and the revision (the console's reset form resets through this
/// too).
pub(crate) async fn new_link(
    app: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(LinkOut, i64), ApiError> {
    {
        let reader = app.engine.read();
        seen_board(reader.state(), caller, id, app.engine.now())?;
    }
    let (token, _) = crate::ids::new_secret()?;
    let w = run(
        app,
        caller,
        Command::ResetBoardLink {
            board: id.to_string(),
            token: token.clone(),
        },
    )
    .await?;
    let out = LinkOut {
        view_link: format!("/boards/{id}?link={token}"),
        link_token: token,
        revision: w.revision.to_string(),
    };
    Ok((out, w.revision))
}

/// The board password.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    /// The new password, or `null` to remove it.
    pub password: Option<String>,
}

/// Set or remove the password that guards the public link.
#[utoipa::path(put, path = "/v2/boards/{board_id}/password", tag = "boards", operation_id = "easel-set-board-password", request_body = PasswordIn,
    params(("board_id" = String, Path, description = "the board")),
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

/// Where the copy goes (the reference's `CopyBoardChanges`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopyIn {
    /// The copy's name (`Untitled` when absent).
    #[serde(default = "untitled")]
    pub name: String,
    /// The team it goes in (the source's team when absent).
    #[serde(default, alias = "team")]
    pub team_id: Option<String>,
    /// The copy keeps the source's content settings and takes its new team's sharing
    /// defaults: a policy is not taken here (change it on the copy).
    #[serde(default)]
    pub policy: Option<Policy>,
    /// Easel's addition: a description for the copy is not taken either.
    #[serde(default)]
    pub description: Option<String>,
}

/// Copy a board into a team, as a new board the caller owns.
#[utoipa::path(put, path = "/v2/boards", tag = "boards", operation_id = "copy-board", request_body = CopyIn, params(CopyQuery),
    responses((status = 201, body = BoardView)))]
pub async fn copy(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<CopyQuery>,
    Json(body): Json<CopyIn>,
) -> Result<Response, ApiError> {
    if body.policy.is_some() || body.description.is_some() {
        return Err(ApiError::invalid(
            "a copy takes `name` and `teamId`: change its policy with `PATCH /v2/boards/{board_id}` once made",
        ));
    }
    let team = {
        let reader = app.engine.read();
        let state = reader.state();
        let b = seen_board(state, &caller, &q.copy_from, app.engine.now())?;
        match body.team_id {
            Some(t) => t,
            None => state
                .board(b)
                .and_then(|x| state.team(x.team))
                .map(|t| t.id.to_string())
                .ok_or_else(|| ApiError::not_found("board", &q.copy_from))?,
        }
    };
    let new_board = crate::ids::new_id("brd")?;
    let w = run(
        &app,
        &caller,
        Command::CopyBoard {
            board: q.copy_from,
            new_board: new_board.clone(),
            team,
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
