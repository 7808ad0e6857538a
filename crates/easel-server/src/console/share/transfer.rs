//! Making someone the owner ("Is owner"): a confirmation page first, which works without
//! script (a GET shows it, its form POSTs), then `TransferOwnership`, the command of
//! `POST /v2/boards/{id}/transfer-ownership`.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use easel_core::command::Command;
use easel_core::model::Grantee;
use maud::html;

use super::{Asked, Sheet, back};
use crate::AppState;
use crate::console::forms::csrf_field;
use crate::console::layout::{self, Place};
use crate::console::sign_out::NoFields;
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::run_on_board;

fn command(id: &str, user: &str) -> Command {
    Command::TransferOwnership {
        board: id.to_string(),
        new_owner: user.to_string(),
    }
}

/// The confirmation: who becomes the owner, what the current owner becomes, and the form
/// that does it; or, when the engine would refuse, its reason and no form.
pub async fn confirm(
    State(app): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    viewer: Viewer,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    page(&app, &viewer, &id, &user, &asked, None)
}

fn page(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    user: &str,
    asked: &Asked,
    refused: Option<ApiError>,
) -> Result<Response, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let b = crate::routes::seen_board(state, &viewer.caller, id, now)?;
    let s = Sheet::new(state, viewer, b, now, asked.embed).ok_or_else(Failure::not_found)?;
    let refused = match refused {
        Some(e) => Some(e),
        None => s.dry(&command(id, user)).err().map(ApiError::from),
    };
    // Ownership goes to someone invited to the board directly, whom the people list names
    // already; anyone else is answered as no one, so the page tells nothing of people the
    // viewer could not otherwise see.
    let target = state
        .find_user(user)
        .filter(|u| s.board.grant(Grantee::User(*u)).is_some())
        .and_then(|u| state.user(u));
    let Some(target) = target else {
        return Err(Failure::not_found());
    };
    let owner = state
        .user(s.board.owner)
        .map(|u| u.name.as_str())
        .unwrap_or("");
    let status = refused.as_ref().map_or(StatusCode::OK, |e| e.status);
    let back = s.href("");
    let body = html! {
        @if let Some(e) = &refused {
            (layout::refusal(&e.message, Some(e.code.as_str())))
            p { a href=(back) { "Back to sharing" } }
        } @else {
            p {
                "Make " strong { (target.name) } " (" (target.email.to_string()) ") the owner of "
                strong { (s.board.name) } "?"
            }
            p {
                (owner) ", the owner now, becomes an editor. The new owner decides who owns the board next."
            }
            form method="post" action=(s.href(&format!("/transfer/{}", super::segment(user)))) {
                (csrf_field(viewer))
                div class="row" {
                    button type="submit" class="danger" { "Transfer ownership" }
                    a href=(back) { "Cancel" }
                }
            }
        }
    };
    let place = if asked.embed {
        Place::Embedded
    } else {
        Place::Board
    };
    Ok((
        status,
        layout::page("Transfer ownership", viewer, place, body),
    )
        .into_response())
}

/// Transfers ownership; a refusal shows the confirmation page again with its reason.
pub async fn post(
    State(app): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    match run_on_board(&app, &viewer.caller, &id, command(&id, &user)).await {
        Ok(_) => Ok(back(&id, asked.embed, "transferred")),
        // The board unknown or unseen: the 404 page (the confirmation's own check says
        // which, and answers an unknown person alike).
        Err(e) => page(&app, &viewer, &id, &user, &asked, Some(e)),
    }
}
