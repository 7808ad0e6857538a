//! What waits for someone's decision: board access requests, invitations, requests to join
//! a team, and licence requests.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::EngineAction;
use easel_core::catalog::{Capability, Privilege};
use easel_core::command::Command;
use easel_core::model::{InviteInto, Licence, RequestState};
use easel_core::request::Target;
use easel_core::roles::BoardRole;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::answers::StateOut;
use super::board_members::PageQuery;
use super::orgs::seen_org;
use super::{may, run, run_in_org, run_on_board, seen_board, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE, ORG_READ, Rule, TEAMS_READ, TEAMS_WRITE};
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query, role_name};
use utoipa_axum::routes;

/// The request and invitation routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(access_requests), BOARDS_READ)
        .add(routes!(request_access), BOARDS_WRITE)
        .add(routes!(approve_access), BOARDS_WRITE)
        .add(routes!(deny_access), BOARDS_WRITE)
        .add(routes!(invitations), ORG_READ)
        .add(routes!(invite), Rule::NotForApps)
        .add(routes!(revoke), Rule::NotForApps)
        .add(routes!(accept), Rule::NotForApps)
        .add(routes!(join_requests), TEAMS_READ)
        .add(routes!(request_join), TEAMS_WRITE)
        .add(routes!(decide_join), TEAMS_WRITE)
        .add(routes!(licence_requests), ORG_READ)
        .add(routes!(request_licence), Rule::NotForApps)
        .add(routes!(decide_licence), Rule::NotForApps)
        .add(routes!(allowlist), ORG_READ)
        .add(routes!(set_allowlist), Rule::NotForApps)
        .add(routes!(app_requests), ORG_READ)
        .add(routes!(request_app), Rule::NotForApps)
        .add(routes!(decide_app), Rule::NotForApps)
}

/// A request waiting for a decision, or decided.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RequestOut {
    /// The id.
    pub id: String,
    /// Who asked.
    pub user: String,
    /// What for: a role, a licence, a team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `pending`, `approved`, `denied` or `expired`.
    pub state: &'static str,
}

/// The request the caller just made, waiting for a decision.
fn pending(id: String, caller: &Caller, role: Option<String>) -> RequestOut {
    RequestOut {
        id,
        // A write acts as a user (`acting`), so the caller who made it is one.
        user: caller.user().unwrap_or_default().to_string(),
        role,
        state: "pending",
    }
}

/// A role asked for.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequestIn {
    /// The role (any accepted spelling).
    pub role: String,
}

/// An optional role, for approving at another role than asked.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveIn {
    /// The role to grant instead of the one asked for.
    pub role: Option<String>,
}

fn role(text: &str) -> Result<BoardRole, ApiError> {
    BoardRole::parse(text).ok_or_else(|| ApiError::invalid(format!("unknown role `{text}`")))
}

/// The board's access requests (those who may share the board).
#[utoipa::path(get, path = "/v2/boards/{board_id}/access-requests", tag = "requests",
    params(("board_id" = String, Path, description = "the board"), PageQuery),
    responses((status = 200, body = CursorList<RequestOut>)))]
pub async fn access_requests(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<RequestOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let b = seen_board(state, &caller, &id, now)?;
    if let Some(d) = may(state, &caller, Capability::Share, Target::Board(b), now).denial {
        return Err(ApiError::new(d.code, d.message()));
    }
    Ok(axum::Json(pager.walk(
        state.board_access_requests(b),
        |ix| ix.get(),
        |ix| {
            let r = state.access_request(*ix)?;
            if r.board != b {
                return None;
            }
            Some(RequestOut {
                id: r.id.to_string(),
                user: state.user(r.user)?.id.to_string(),
                role: Some(role_name(r.role).to_string()),
                state: r.state.as_str(),
            })
        },
    )?))
}

/// Ask for access to a board. Anyone who can find the board by its id may ask; the board
/// is not revealed to them.
#[utoipa::path(post, path = "/v2/boards/{board_id}/access-requests", tag = "requests", request_body = RoleRequestIn,
    params(("board_id" = String, Path, description = "the board")),
    responses((status = 201, body = RequestOut)))]
pub async fn request_access(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<RoleRequestIn>,
) -> Result<Response, ApiError> {
    let role = role(&body.role)?;
    let (request, w) = ask_access(&app, &caller, id, role).await?;
    let out = pending(request, &caller, Some(role_name(role).to_string()));
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// Asks for `role` on board `id` as the caller, who need not see the board: the new
/// request's id and the write (the console's request-access form asks through this too).
pub(crate) async fn ask_access(
    app: &AppState,
    caller: &Caller,
    id: String,
    role: BoardRole,
) -> Result<(String, super::Written), ApiError> {
    let request = crate::ids::new_id("req")?;
    let w = run(
        app,
        caller,
        Command::RequestAccess {
            request: request.clone(),
            board: id,
            role,
        },
    )
    .await?;
    Ok((request, w))
}

/// Grant an access request, at the role asked for or another.
#[utoipa::path(post, path = "/v2/boards/{board_id}/access-requests/{request}/approve", tag = "requests", request_body = ApproveIn,
    params(("board_id" = String, Path, description = "the board"), ("request" = String, Path, description = "the request")),
    responses((status = 200, description = "approved")))]
pub async fn approve_access(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, request)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    // The body is optional: empty approves at the role asked for.
    let asked: ApproveIn = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveIn::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(easel_core::codes::Code::RequestInvalidJson, e.to_string())
        })?
    };
    let role = asked.role.map(|r| role(&r)).transpose()?;
    let w = run_on_board(
        &app,
        &caller,
        &id,
        Command::ApproveAccessRequest {
            request: request.clone(),
            role,
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &StateOut::new(request, "approved"),
        w.revision,
    ))
}

/// Turn an access request down.
#[utoipa::path(post, path = "/v2/boards/{board_id}/access-requests/{request}/deny", tag = "requests",
    params(("board_id" = String, Path, description = "the board"), ("request" = String, Path, description = "the request")),
    responses((status = 200, description = "denied")))]
pub async fn deny_access(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, request)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let w = run_on_board(
        &app,
        &caller,
        &id,
        Command::DenyAccessRequest {
            request: request.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &StateOut::new(request, "denied"),
        w.revision,
    ))
}

/// An invitation.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationOut {
    /// The id (the invitee accepts with it).
    pub id: String,
    /// Whom.
    pub email: String,
    /// Into what: `org`, `team`, `project` or `board`.
    pub target_type: &'static str,
    /// Which team, project or board.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// The role there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// Whether the invitee joins as a guest.
    pub guest: bool,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub state: &'static str,
}

fn invitation_state(s: RequestState) -> &'static str {
    match s {
        RequestState::Approved => "accepted",
        RequestState::Denied => "revoked",
        other => other.as_str(),
    }
}

/// The organization's invitations (`invitations.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/invitations", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<InvitationOut>)))]
pub async fn invitations(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<InvitationOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::InvitationsView),
        app.engine.now(),
    )?;
    Ok(axum::Json(pager.walk(
        state.org_invitations(o),
        |ix| ix.get(),
        |ix| invitation_out(state, o, *ix),
    )?))
}

/// The invitation `ix` as the API shows it, if it is one of the organization `o`'s.
pub fn invitation_out(
    state: &easel_core::State,
    o: easel_core::ids::OrgIx,
    ix: easel_core::ids::InvitationIx,
) -> Option<InvitationOut> {
    let i = state.invitation(ix)?;
    if i.org != o {
        return None;
    }
    let (target_type, target_id, role) = match i.into {
        InviteInto::Org => ("org", None, None),
        InviteInto::Team(t, r) => (
            "team",
            state.team(t).map(|x| x.id.to_string()),
            Some(r.as_str()),
        ),
        InviteInto::Project(p, r) => (
            "project",
            state.project(p).map(|x| x.id.to_string()),
            Some(role_name(r)),
        ),
        InviteInto::Board(b, r) => (
            "board",
            state.board(b).map(|x| x.id.to_string()),
            Some(role_name(r)),
        ),
    };
    Some(InvitationOut {
        id: i.id.to_string(),
        email: i.email.to_string(),
        target_type,
        target_id,
        role,
        guest: i.kind == easel_core::roles::MemberKind::Guest,
        state: invitation_state(i.state),
    })
}

/// Whom to invite, and into what.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InviteIn {
    /// The invitee's email.
    pub email: String,
    /// Into this team.
    pub team_id: Option<String>,
    /// Into this project.
    pub project_id: Option<String>,
    /// Into this board.
    pub board_id: Option<String>,
    /// The role there.
    pub role: Option<String>,
    /// As a guest.
    #[serde(default)]
    pub guest: bool,
}

/// An invitation made.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Invited {
    /// The id (the invitee accepts with it).
    pub id: String,
    /// Whom.
    pub email: String,
    /// Always `pending`.
    pub state: &'static str,
}

/// Invite someone into the organization, or a team, project or board of it.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/invitations", tag = "requests", request_body = InviteIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, description = "the invitation")))]
pub async fn invite(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<InviteIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let invitation = crate::ids::new_id("inv")?;
    let w = run(
        &app,
        &caller,
        Command::Invite {
            invitation: invitation.clone(),
            org,
            email: body.email.clone(),
            team: body.team_id,
            project: body.project_id,
            board: body.board_id,
            role: body.role,
            guest: body.guest,
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &Invited {
            id: invitation,
            email: body.email,
            state: "pending",
        },
        w.revision,
    ))
}

/// Withdraw an invitation (its inviter, or `users.add`).
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/invitations/{invitation}", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), ("invitation" = String, Path, description = "the invitation")),
    responses((status = 200, description = "revoked")))]
pub async fn revoke(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, invitation)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &caller, &org, None, app.engine.now())?;
        let ours = state
            .find_invitation(&invitation)
            .and_then(|i| state.invitation(i))
            .is_some_and(|i| i.org == o);
        if !ours {
            return Err(ApiError::not_found("invitation", &invitation));
        }
    }
    let w = run(
        &app,
        &caller,
        Command::RevokeInvitation {
            invitation: invitation.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &StateOut::new(invitation, "revoked"),
        w.revision,
    ))
}

/// Accept an invitation addressed to the caller's email.
#[utoipa::path(post, path = "/v2/invitations/{invitation}/accept", tag = "requests",
    params(("invitation" = String, Path, description = "the invitation")),
    responses((status = 200, description = "accepted")))]
pub async fn accept(
    State(app): State<AppState>,
    caller: Caller,
    Path(invitation): Path<String>,
) -> Result<Response, ApiError> {
    let w = run(
        &app,
        &caller,
        Command::AcceptInvitation {
            invitation: invitation.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &StateOut::new(invitation, "accepted"),
        w.revision,
    ))
}

/// The team's requests to join (its admins).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/join-requests", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"), PageQuery),
    responses((status = 200, body = CursorList<RequestOut>)))]
pub async fn join_requests(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path((org, team)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<RequestOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, None, now)?;
    let t = state
        .find_team(&team)
        .filter(|t| state.team(*t).is_some_and(|x| x.org == o && !x.deleted))
        .ok_or_else(|| ApiError::not_found("team", &team))?;
    if let Some(d) = may(
        state,
        &caller,
        EngineAction::TeamManage,
        Target::Team(t),
        now,
    )
    .denial
    {
        return Err(ApiError::new(d.code, d.message()));
    }
    Ok(axum::Json(pager.walk(
        state.team_join_requests(t),
        |ix| ix.get(),
        |ix| {
            let r = state.join_request(*ix)?;
            if r.team != t {
                return None;
            }
            Some(RequestOut {
                id: r.id.to_string(),
                user: state.user(r.user)?.id.to_string(),
                role: None,
                state: r.state.as_str(),
            })
        },
    )?))
}

/// Ask to join a team that takes requests.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/join-requests", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 201, body = RequestOut)))]
pub async fn request_join(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let request = crate::ids::new_id("req")?;
    let w = run(
        &app,
        &caller,
        Command::RequestToJoinTeam {
            request: request.clone(),
            team,
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &pending(request, &caller, None),
        w.revision,
    ))
}

fn decision(text: &str) -> Result<bool, ApiError> {
    match text {
        "approve" => Ok(true),
        "deny" => Ok(false),
        other => Err(ApiError::not_found("action", other)),
    }
}

/// Approves or denies a request (`verb` is `approve` or `deny`) with the command for each.
async fn decide(
    app: &AppState,
    caller: &Caller,
    org: &str,
    verb: &str,
    request: String,
    approve: fn(String) -> Command,
    deny: fn(String) -> Command,
) -> Result<Response, ApiError> {
    let approving = decision(verb)?;
    {
        let reader = app.engine.read();
        seen_org(reader.state(), caller, org, None, app.engine.now())?;
    }
    let command = if approving {
        approve(request.clone())
    } else {
        deny(request.clone())
    };
    let w = run(app, caller, command).await?;
    let state = if approving { "approved" } else { "denied" };
    Ok(written(
        StatusCode::OK,
        &StateOut::new(request, state),
        w.revision,
    ))
}

/// Let a join request in, or turn it down (`.../approve` or `.../deny`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/teams/{team_id}/join-requests/{request}/{decision}", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team"),
        ("request" = String, Path, description = "the request"), ("decision" = String, Path, description = "`approve` or `deny`")),
    responses((status = 200, description = "decided")))]
pub async fn decide_join(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, _team, request, verb)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    decide(
        &app,
        &caller,
        &org,
        &verb,
        request,
        |request| Command::ApproveJoinRequest { request },
        |request| Command::DenyJoinRequest { request },
    )
    .await
}

/// The organization's licence requests (`license_requests.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/licence-requests", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<RequestOut>)))]
pub async fn licence_requests(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<RequestOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::LicenseRequestsView),
        app.engine.now(),
    )?;
    Ok(axum::Json(pager.walk(
        state.org_licence_requests(o),
        |ix| ix.get(),
        |ix| {
            let r = state.licence_request(*ix)?;
            if r.org != o {
                return None;
            }
            Some(RequestOut {
                id: r.id.to_string(),
                user: state.user(r.user)?.id.to_string(),
                role: Some(r.licence.as_str().to_string()),
                state: r.state.as_str(),
            })
        },
    )?))
}

/// A licence asked for.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceIn {
    /// `full`, `occasional`, `free` or `free_restricted`.
    pub licence: String,
}

/// Ask for a licence type.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/licence-requests", tag = "requests", request_body = LicenceIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = RequestOut)))]
pub async fn request_licence(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<LicenceIn>,
) -> Result<Response, ApiError> {
    let licence = Licence::parse(&body.licence)
        .ok_or_else(|| ApiError::invalid(format!("unknown licence `{}`", body.licence)))?;
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let request = crate::ids::new_id("req")?;
    let w = run(
        &app,
        &caller,
        Command::RequestLicence {
            request: request.clone(),
            org,
            licence,
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &pending(request, &caller, Some(licence.as_str().to_string())),
        w.revision,
    ))
}

/// Grant or turn down a licence request (`.../approve` or `.../deny`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/licence-requests/{request}/{decision}", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), ("request" = String, Path, description = "the request"),
        ("decision" = String, Path, description = "`approve` or `deny`")),
    responses((status = 200, description = "decided")))]
pub async fn decide_licence(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, request, verb)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    decide(
        &app,
        &caller,
        &org,
        &verb,
        request,
        |request| Command::ApproveLicenceRequest { request },
        |request| Command::DenyLicenceRequest { request },
    )
    .await
}

/// The application allowlist: off, or the apps allowed.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowlistIo {
    /// The allowed apps (`null`: the allowlist is off, every app may be installed).
    pub apps: Option<Vec<String>>,
}

/// The application allowlist (`apps.manage_allowlist`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/app-allowlist", tag = "requests",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = AllowlistIo)))]
pub async fn allowlist(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<AllowlistIo>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::AppsManageAllowlist),
        app.engine.now(),
    )?;
    let apps = state
        .org(o)
        .and_then(|x| x.app_allowlist.clone())
        .map(|list| {
            list.iter()
                .filter_map(|a| state.app(*a).map(|x| x.id.to_string()))
                .collect()
        });
    Ok(axum::Json(AllowlistIo { apps }))
}

/// Turn the allowlist on with these apps, or off (`apps.manage_allowlist`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/app-allowlist", tag = "requests", request_body = AllowlistIo,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = AllowlistIo)))]
pub async fn set_allowlist(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<AllowlistIo>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::SetAppAllowlist {
            org: org.clone(),
            apps: body.apps.clone(),
        },
    )
    .await?;
    Ok(written(StatusCode::OK, &body, w.revision))
}

/// The organization's requests to allow apps (`apps.manage_requests`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/app-requests", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<RequestOut>)))]
pub async fn app_requests(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<RequestOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::AppsManageRequests),
        app.engine.now(),
    )?;
    Ok(axum::Json(pager.walk(
        state.org_app_requests(o),
        |ix| ix.get(),
        |ix| {
            let r = state.app_request(*ix)?;
            if r.org != o {
                return None;
            }
            Some(RequestOut {
                id: r.id.to_string(),
                user: state.user(r.user)?.id.to_string(),
                role: state.app(r.app).map(|a| a.id.to_string()),
                state: r.state.as_str(),
            })
        },
    )?))
}

/// An app to ask for.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppRequestIn {
    /// The app's id.
    pub app_id: String,
}

/// Ask for an app to be allowed.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/app-requests", tag = "requests", request_body = AppRequestIn,
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = RequestOut)))]
pub async fn request_app(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<AppRequestIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let request = crate::ids::new_id("req")?;
    let w = run(
        &app,
        &caller,
        Command::RequestApp {
            request: request.clone(),
            org,
            app: body.app_id.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::CREATED,
        &pending(request, &caller, Some(body.app_id)),
        w.revision,
    ))
}

/// Allow a requested app, or turn the request down (`.../approve` or `.../deny`).
#[utoipa::path(post, path = "/v2/orgs/{org_id}/app-requests/{request}/{decision}", tag = "requests",
    params(("org_id" = String, Path, description = "the organization"), ("request" = String, Path, description = "the request"),
        ("decision" = String, Path, description = "`approve` or `deny`")),
    responses((status = 200, description = "decided")))]
pub async fn decide_app(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, request, verb)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    decide(
        &app,
        &caller,
        &org,
        &verb,
        request,
        |request| Command::ApproveAppRequest { request },
        |request| Command::DenyAppRequest { request },
    )
    .await
}
