//! Asking for access. A person of the board's organization without access finds, instead
//! of the dialog, a form to ask for it, which says no more than the API tells them
//! (`POST /v2/boards/{id}/access-requests` answers them, so that the board exists; never
//! its name, team or owner). Anyone else (another organization, a board not there) gets
//! the 404 of an unknown board. A viewer or commenter finds "Request edit access" on the
//! dialog.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use easel_core::catalog::Capability;
use easel_core::codes::Code;
use easel_core::ids::BoardIx;
use easel_core::model::{BoardState, RequestState};
use easel_core::request::Target;
use easel_core::roles::BoardRole;
use easel_core::{State as EngineState, Time};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Asked, DONE, Extra, Sheet, back, href, render, role_label};
use crate::AppState;
use crate::console::forms::csrf_field;
use crate::console::layout::{self, Place};
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::may_with;
use crate::routes::requests::ask_access;

/// The roles one may ask for.
const ROLES: [BoardRole; 3] = [BoardRole::Viewer, BoardRole::Commenter, BoardRole::Editor];

/// The viewer's own pending request for the board, if they made one.
fn own_pending(state: &EngineState, viewer: &Viewer, b: BoardIx) -> Option<BoardRole> {
    state
        .board_access_requests(b)
        .iter()
        .filter_map(|r| state.access_request(*r))
        .filter(|r| r.board == b && r.user == viewer.user && r.state == RequestState::Pending)
        .map(|r| r.role)
        .max()
}

/// The page for a viewer who may not see board `id`: the request form when the board is
/// one of their organization's, else the 404 of an unknown board.
pub fn page(
    state: &EngineState,
    viewer: &Viewer,
    id: &str,
    now: Time,
    asked: &Asked,
    extra: &Extra,
) -> Result<Response, Failure> {
    let b = state.find_board(id).ok_or_else(Failure::not_found)?;
    let active = state
        .board(b)
        .is_some_and(|x| x.state == BoardState::Active);
    // The API's tenancy rule: a board outside the organizations the viewer acts in is not
    // there for them.
    if !active || !crate::tenancy::reaches(state, &viewer.caller, Target::Board(b), false) {
        return Err(Failure::not_found());
    }
    let ask = |role: BoardRole| {
        may_with(
            state,
            &viewer.caller,
            Capability::RequestAccess,
            Target::Board(b),
            now,
            |q| q.role = Some(role),
        )
    };
    let first = ask(BoardRole::Viewer);
    if first.denial.is_some_and(|d| {
        matches!(
            d.code,
            Code::AuthorityNotInOrganization
                | Code::CredentialCrossOrganization
                | Code::RequestNotFound
        )
    }) {
        return Err(Failure::not_found());
    }
    let roles: Vec<BoardRole> = ROLES.into_iter().filter(|r| ask(*r).allowed).collect();
    let refused = roles
        .is_empty()
        .then(|| first.denial.map(|d| d.message()))
        .flatten();
    let pending = own_pending(state, viewer, b);
    let status = match extra {
        Extra::Refused(e) => e.status,
        _ => axum::http::StatusCode::OK,
    };
    let body = html! {
        (layout::done_notice(asked.done.as_deref(), DONE))
        @if let Extra::Refused(e) = extra {
            (layout::refusal(&e.message, Some(e.code.as_str())))
        }
        p { "You do not have access to this board. Ask for it: whoever shares the board decides, and may give you another role than the one you ask for." }
        @if let Some(role) = pending {
            p class="notice" role="status" { "You asked for “" (role_label(role)) "”. Your request is waiting for a decision." }
        }
        form method="post" action=(href(id, "/request-access", asked.embed)) {
            (csrf_field(viewer))
            fieldset disabled[refused.is_some()] {
                legend { "Your request" }
                div class="field" {
                    label for="request-role" { "Access you ask for" }
                    select id="request-role" name="role" {
                        @for r in &roles {
                            option value=(r.as_str()) selected[*r == BoardRole::Viewer] { (role_label(*r)) }
                        }
                        @if roles.is_empty() {
                            option value="viewer" { (role_label(BoardRole::Viewer)) }
                        }
                    }
                }
                (layout::button("Request access", refused.as_deref()))
            }
        }
    };
    let place = if asked.embed {
        Place::Embedded
    } else {
        Place::Board
    };
    Ok((status, layout::page("Request access", viewer, place, body)).into_response())
}

/// On the dialog, for a viewer or commenter: a request for edit access, or the engine's
/// reason it cannot be asked (the plan's, for one); nothing for those who can edit.
pub fn edit_section(s: &Sheet) -> Markup {
    let decision = s.may(Capability::RequestAccess, |q| {
        q.role = Some(BoardRole::Editor)
    });
    let already = decision
        .denial
        .is_some_and(|d| d.code == Code::AuthorityAlreadyHasAccess);
    if already || s.role.is_none() {
        return html! {};
    }
    let refused = decision.denial.map(|d| d.message());
    let pending = own_pending(s.state, s.viewer, s.b).is_some_and(|r| r == BoardRole::Editor);
    html! {
        section aria-labelledby="edit-heading" {
            h2 id="edit-heading" { "Request edit access" }
            @if pending {
                p class="notice" role="status" { "You asked for edit access. Your request is waiting for a decision." }
            }
            form method="post" action=(s.href("/request-access")) {
                (csrf_field(s.viewer))
                input type="hidden" name="role" value="editor";
                (layout::button("Request edit access", refused.as_deref()))
            }
        }
    }
}

/// The role asked for.
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    /// The role.
    #[serde(default)]
    pub role: String,
}

/// Sends the request, as the API does; back to the dialog (or this page) with a notice.
pub async fn post(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Posted { viewer, form }: Posted<RequestForm>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let Some(role) = BoardRole::parse(&form.role) else {
        let e = ApiError::invalid(format!("unknown role `{}`", form.role));
        return render(&app, &viewer, &id, &asked, Extra::Refused(e));
    };
    match ask_access(&app, &viewer.caller, id.clone(), role).await {
        Ok(_) => Ok(back(&id, asked.embed, "requested")),
        Err(e) if e.code == Code::RequestNotFound => Err(Failure::not_found()),
        Err(e) => render(&app, &viewer, &id, &asked, Extra::Refused(e)),
    }
}
