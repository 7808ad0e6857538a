//! Pending access requests, for those who may share the board (as
//! `GET /v2/boards/{id}/access-requests` lists them): approve at the role asked for or
//! another, or deny, as `POST .../access-requests/{request}/approve` and `.../deny` do.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use easel_core::command::Command;
use easel_core::model::RequestState;
use easel_core::roles::BoardRole;
use maud::{Markup, html};
use serde::Deserialize;

use super::people::finish;
use super::{Asked, Extra, Sheet, render, role_label, segment};
use crate::AppState;
use crate::console::forms::csrf_field;
use crate::console::layout;
use crate::console::sign_out::NoFields;
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;

/// How many pending requests the dialog lists.
const SHOWN: usize = 20;

/// The roles a request may be approved at.
const ROLES: [BoardRole; 3] = [BoardRole::Viewer, BoardRole::Commenter, BoardRole::Editor];

/// The pending requests, each with its approve and deny forms; nothing for a viewer who
/// may not share (the API lists requests to no one else).
pub fn section(s: &Sheet) -> Markup {
    if s.share_refused.is_some() {
        return html! {};
    }
    let mut pending = Vec::new();
    let mut more = false;
    for r in s.state.board_access_requests(s.b) {
        let Some(request) = s.state.access_request(*r) else {
            continue;
        };
        if request.board != s.b || request.state != RequestState::Pending {
            continue;
        }
        if pending.len() == SHOWN {
            more = true;
            break;
        }
        pending.push(request);
    }
    html! {
        section aria-labelledby="requests-heading" {
            h2 id="requests-heading" { "Access requests" }
            @if pending.is_empty() {
                p class="muted" { "No one is waiting for access." }
            } @else {
                div class="table-wrap" {
                    table {
                        caption class="sr-only" { "Pending access requests" }
                        thead { tr { th scope="col" { "Person" } th scope="col" { "Asks for" } th scope="col" { "Decide" } } }
                        tbody {
                            @for r in &pending { (row(s, r)) }
                        }
                    }
                }
                @if more { p class="muted" { "The first " (SHOWN) " requests are shown." } }
            }
        }
    }
}

fn row(s: &Sheet, r: &easel_core::model::AccessRequest) -> Markup {
    let who = s.state.user(r.user);
    let name = who.map(|u| u.name.as_str()).unwrap_or("");
    let id = segment(&r.id);
    let roles: Vec<BoardRole> = ROLES
        .into_iter()
        .filter(|role| {
            s.dry(&Command::ApproveAccessRequest {
                request: r.id.to_string(),
                role: Some(*role),
            })
            .is_ok()
        })
        .collect();
    let approve_refused = roles.is_empty().then(|| {
        s.dry(&Command::ApproveAccessRequest {
            request: r.id.to_string(),
            role: None,
        })
        .err()
        .map_or_else(
            || "you may not approve this request".to_string(),
            |e| e.message,
        )
    });
    let deny_refused = s
        .dry(&Command::DenyAccessRequest {
            request: r.id.to_string(),
        })
        .err()
        .map(|e| e.message);
    let selected = if roles.contains(&r.role) {
        Some(r.role)
    } else {
        roles.iter().copied().filter(|x| *x <= r.role).max()
    };
    let field = format!("approve-{}", r.id);
    html! {
        tr {
            th scope="row" {
                (name) br;
                span class="muted" { (who.map(|u| u.email.to_string()).unwrap_or_default()) }
            }
            td { (role_label(r.role)) }
            td {
                div class="row" {
                    form method="post" action=(s.href(&format!("/requests/{id}/approve"))) class="row" {
                        (csrf_field(s.viewer))
                        label class="sr-only" for=(field) { "Role to give " (name) }
                        select id=(field) name="role" disabled[roles.is_empty()] {
                            @for role in &roles {
                                option value=(role.as_str()) selected[Some(*role) == selected] { (role_label(*role)) }
                            }
                            @if roles.is_empty() {
                                option value=(r.role.as_str()) { (role_label(r.role)) }
                            }
                        }
                        (layout::button("Approve", approve_refused.as_deref()))
                    }
                    form method="post" action=(s.href(&format!("/requests/{id}/deny"))) class="inline" {
                        (csrf_field(s.viewer))
                        @match deny_refused.as_deref() {
                            None => button type="submit" class="secondary" aria-label=(format!("Deny the request of {name}")) { "Deny" },
                            Some(why) => (layout::button("Deny", Some(why))),
                        }
                    }
                }
            }
        }
    }
}

/// The role an approval gives.
#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    /// The role; empty approves at the role asked for.
    #[serde(default)]
    pub role: String,
}

/// Whether `request` is a request for access to board `id` that the viewer may see; the
/// 404 of an unknown board or request otherwise, so a form cannot reach another board's
/// request through this board.
fn of_board(app: &AppState, viewer: &Viewer, id: &str, request: &str) -> Result<(), Failure> {
    let reader = app.engine.read();
    let state = reader.state();
    let b = crate::routes::seen_board(state, &viewer.caller, id, app.engine.now())?;
    state
        .find_access_request(request)
        .and_then(|r| state.access_request(r))
        .filter(|r| r.board == b)
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("request", request).into())
}

/// Approves a request at the role chosen.
pub async fn approve(
    State(app): State<AppState>,
    Path((id, request)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    Posted { viewer, form }: Posted<ApproveForm>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    of_board(&app, &viewer, &id, &request)?;
    let role = match form.role.as_str() {
        "" => None,
        text => match BoardRole::parse(text) {
            Some(r) => Some(r),
            None => {
                let e = ApiError::invalid(format!("unknown role `{text}`"));
                return render(&app, &viewer, &id, &asked, Extra::Refused(e));
            }
        },
    };
    let command = Command::ApproveAccessRequest { request, role };
    finish(&app, &viewer, &id, &asked, command, "approved").await
}

/// Denies a request.
pub async fn deny(
    State(app): State<AppState>,
    Path((id, request)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    of_board(&app, &viewer, &id, &request)?;
    let command = Command::DenyAccessRequest { request };
    finish(&app, &viewer, &id, &asked, command, "denied").await
}
