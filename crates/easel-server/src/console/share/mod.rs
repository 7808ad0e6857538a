//! The share dialog of a board, `/ui/boards/{id}/share`: who has access and through which
//! channels, invitations by email, team, company and public-link access, the link and its
//! password, pending access requests and the transfer of ownership; for a person of the
//! board's organization without access, a form to ask for it. A host product embeds it
//! with `?embed=1`, which every form of the dialog carries on.
//!
//! A control is offered by deciding the very command its form sends against the current
//! state, without committing it (`easel_core::command::execute`): an option the engine
//! would refuse is not offered, and a control the viewer may not use is shown disabled with
//! the engine's message. Each form then runs that command as the API route does.

pub mod invite;
pub mod people;
pub mod policy;
pub mod request_access;
pub mod requests;
pub mod transfer;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use easel_core::action::Action;
use easel_core::catalog::Capability;
use easel_core::codes::Code;
use easel_core::command::{Command, Refusal};
use easel_core::ids::BoardIx;
use easel_core::model::Board;
use easel_core::request::{Request, Target};
use easel_core::roles::{Access, BoardRole};
use easel_core::{Decision, State as EngineState, Time};
use maud::{Markup, html};

use super::layout::{self, Place};
use super::{Failure, Viewer};
use crate::AppState;
use crate::error::ApiError;
use crate::routes::board_members::{AccessOut, Failed};
use crate::routes::seen_board;
use crate::wire::CursorList;

/// The share dialog's routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/boards/{id}/share", get(show))
        .route("/ui/boards/{id}/share/invite", post(invite::post))
        .route(
            "/ui/boards/{id}/share/members/{user}/role",
            post(people::change),
        )
        .route(
            "/ui/boards/{id}/share/members/{user}/remove",
            post(people::remove),
        )
        .route(
            "/ui/boards/{id}/share/transfer/{user}",
            get(transfer::confirm).post(transfer::post),
        )
        .route("/ui/boards/{id}/share/access", post(policy::set_access))
        .route("/ui/boards/{id}/share/link/reset", post(policy::reset_link))
        .route("/ui/boards/{id}/share/password", post(policy::set_password))
        .route(
            "/ui/boards/{id}/share/password/remove",
            post(policy::remove_password),
        )
        .route(
            "/ui/boards/{id}/share/requests/{request}/approve",
            post(requests::approve),
        )
        .route(
            "/ui/boards/{id}/share/requests/{request}/deny",
            post(requests::deny),
        )
        .route(
            "/ui/boards/{id}/share/request-access",
            post(request_access::post),
        )
}

/// What a page's address asks besides the board: whether it is embedded, the notice of the
/// form just sent, and where the people list goes on from.
#[derive(Clone, Debug, Default)]
pub struct Asked {
    /// Shown inside a host product's frame (`embed=1`).
    pub embed: bool,
    /// The key of the notice to show (`done=`).
    pub done: Option<String>,
    /// The cursor of the people list's page (`people=`).
    pub people: Option<String>,
}

impl Asked {
    /// Reads a query string; a value it does not know is left alone, a malformed string
    /// is refused as a form would be.
    pub fn read(raw: Option<&str>) -> Result<Asked, Failure> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|_| Failure::malformed("the address's query is malformed"))?;
        let mut asked = Asked::default();
        for (k, v) in pairs {
            match k.as_str() {
                "embed" => asked.embed = v == "1",
                "done" => asked.done = Some(v),
                "people" => asked.people = Some(v),
                _ => {}
            }
        }
        Ok(asked)
    }
}

/// What a form left for the page it re-renders (when it does not redirect).
#[derive(Debug, Default)]
pub enum Extra {
    /// Nothing.
    #[default]
    None,
    /// The engine refused the form: its message, at its status.
    Refused(ApiError),
    /// An invitation: the addresses shared with and those that failed, each with why.
    Shared {
        /// Shared with (or invited).
        done: Vec<String>,
        /// Not shared with.
        failed: Vec<Failed>,
    },
    /// A new public link, shown this once (Easel keeps only its digest).
    NewLink(String),
}

impl Extra {
    /// The status of the page that shows it.
    fn status(&self) -> StatusCode {
        match self {
            Extra::Refused(e) => e.status,
            Extra::Shared { done, failed } if done.is_empty() => failed
                .first()
                .and_then(|f| Code::parse(f.reason))
                .map_or(StatusCode::BAD_REQUEST, crate::error::status_of),
            _ => StatusCode::OK,
        }
    }
}

/// The notices the dialog's forms leave, by their `done` key.
pub const DONE: &[(&str, &str)] = &[
    (
        "invited",
        "Shared. Each person now has access through the channels listed.",
    ),
    ("role", "The direct access was changed."),
    (
        "removed",
        "The direct access was removed. Any other channel listed still gives access.",
    ),
    (
        "transferred",
        "Ownership was transferred; the previous owner is now an editor.",
    ),
    ("access", "Access was changed."),
    ("password", "The password was set."),
    ("password-removed", "The password was removed."),
    ("approved", "The request was approved."),
    ("denied", "The request was denied."),
    (
        "requested",
        "Your request was sent. Whoever shares the board decides.",
    ),
];

/// The board being shared, as one viewer sees it now: what every part of the dialog
/// renders from.
pub struct Sheet<'s> {
    /// The state read.
    pub state: &'s EngineState,
    /// Who looks.
    pub viewer: &'s Viewer,
    /// The board's index.
    pub b: BoardIx,
    /// The board.
    pub board: &'s Board,
    /// Now, by the engine's clock.
    pub now: Time,
    /// Whether the dialog is embedded.
    pub embed: bool,
    /// The viewer's effective role on the board.
    pub role: Option<BoardRole>,
    /// Why the viewer may not share the board, when they may not.
    pub share_refused: Option<String>,
}

impl<'s> Sheet<'s> {
    /// The dialog of board `b` for `viewer`.
    pub fn new(
        state: &'s EngineState,
        viewer: &'s Viewer,
        b: BoardIx,
        now: Time,
        embed: bool,
    ) -> Option<Sheet<'s>> {
        let board = state.board(b)?;
        let caller = &viewer.caller;
        let role = crate::routes::may(state, caller, Capability::View, Target::Board(b), now).role;
        let share = crate::routes::may(state, caller, Capability::Share, Target::Board(b), now);
        Some(Sheet {
            state,
            viewer,
            b,
            board,
            now,
            embed,
            role,
            share_refused: share.denial.map(|d| d.message()),
        })
    }

    /// The address of a part of the dialog (`rest` after `/share`), embedded if it is.
    pub fn href(&self, rest: &str) -> String {
        href(&self.board.id, rest, self.embed)
    }

    /// Whether the viewer may do `action` on the board, with the question's particulars.
    pub fn may(
        &self,
        action: impl Into<Action>,
        detail: impl FnOnce(&mut Request<'_>),
    ) -> Decision {
        crate::routes::may_with(
            self.state,
            &self.viewer.caller,
            action,
            Target::Board(self.b),
            self.now,
            detail,
        )
    }

    /// Decides `command` as the viewer would run it now, without running it.
    pub fn dry(&self, command: &Command) -> Result<(), Refusal> {
        would(self.state, self.viewer, command, self.now)
    }

    /// The board's id.
    pub fn id(&self) -> &str {
        &self.board.id
    }
}

/// Decides `command` as `viewer` would run it at `now`, against `state`, committing
/// nothing: the engine's answer to the form before it is sent. No randomness is needed
/// (nothing is kept), so none is drawn.
pub fn would(
    state: &EngineState,
    viewer: &Viewer,
    command: &Command,
    now: Time,
) -> Result<(), Refusal> {
    viewer.would(state, command, now)
}

/// The address of a part of board `id`'s dialog, with `embed=1` when embedded.
pub fn href(id: &str, rest: &str, embed: bool) -> String {
    let mut to = format!("/ui/boards/{}/share{rest}", segment(id));
    if embed {
        to.push(if rest.contains('?') { '&' } else { '?' });
        to.push_str("embed=1");
    }
    to
}

/// A path segment with every byte but the unreserved ones percent-encoded, so an id can
/// never change the address it is put in.
pub fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The `303 See Other` back to the dialog after a form, with its notice.
pub fn back(id: &str, embed: bool, done: &str) -> Response {
    let to = href(id, &format!("?done={done}"), embed);
    (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
}

/// A role as the dialog words it.
pub const fn role_label(role: BoardRole) -> &'static str {
    match role {
        BoardRole::Viewer => "Can view",
        BoardRole::Commenter => "Can comment",
        BoardRole::Editor => "Can edit",
        BoardRole::Coowner => "Co-owner",
        BoardRole::Owner => "Owner",
    }
}

/// A channel's access level as the dialog words it.
pub const fn access_label(access: Access) -> &'static str {
    match access.role() {
        None => "No access",
        Some(r) => role_label(r),
    }
}

/// How many people one page of the list shows.
const PEOPLE_PAGE: usize = 50;

async fn show(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    render(&app, &viewer, &id, &asked, Extra::None)
}

/// The dialog for `viewer`, or the request-access page when they have no access to a
/// board of their organization, or the 404 of an unknown board when they may not know it.
pub fn render(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    asked: &Asked,
    extra: Extra,
) -> Result<Response, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let b = match seen_board(state, &viewer.caller, id, now) {
        Ok(b) => b,
        Err(e) if e.code == Code::RequestNotFound => {
            return request_access::page(state, viewer, id, now, asked, &extra);
        }
        Err(e) => return Err(e.into()),
    };
    let sheet = Sheet::new(state, viewer, b, now, asked.embed).ok_or_else(Failure::not_found)?;
    let people = {
        let scope = crate::cursor::Scope::new(&format!("console share {id}"), &viewer.caller);
        let pager =
            crate::cursor::Pager::scoped(app, scope, Some(PEOPLE_PAGE), asked.people.as_deref())?;
        crate::routes::board_members::access_page(state, b, &pager, now)?
    };
    let status = extra.status();
    let body = dialog(&sheet, asked, &extra, &people);
    let title = format!("Share “{}”", sheet.board.name);
    let place = if asked.embed {
        Place::Embedded
    } else {
        Place::Board
    };
    Ok((status, layout::page(&title, viewer, place, body)).into_response())
}

/// The dialog's parts, in the order a sharer reads them.
fn dialog(s: &Sheet, asked: &Asked, extra: &Extra, people: &CursorList<AccessOut>) -> Markup {
    let team = s
        .state
        .team(s.board.team)
        .map(|t| t.name.as_str())
        .unwrap_or("");
    let owner = s
        .state
        .user(s.board.owner)
        .map(|u| u.name.as_str())
        .unwrap_or("");
    html! {
        (layout::done_notice(asked.done.as_deref(), DONE))
        @if let Extra::Refused(e) = extra {
            (layout::refusal(&e.message, Some(e.code.as_str())))
        }
        p class="muted" {
            "Team " strong { (team) }
            @if let Some(p) = s.board.project.and_then(|p| s.state.project(p)) {
                ", project " strong { (p.name) }
            }
            ". Owner: " strong { (owner) } ". "
            "Your access: " strong { (s.role.map_or("None", role_label)) } "."
        }
        @if s.board.is_trashed() {
            p class="refusal" { "This board is in the trash." }
        }
        (invite::section(s, extra))
        (people::section(s, people))
        (policy::section(s, extra))
        (requests::section(s))
        (request_access::edit_section(s))
    }
}
