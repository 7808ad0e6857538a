//! The organization's admin pages, one file per section: company settings, teams and their
//! settings, members, admin roles, user groups and invitations. Each page is gated as the
//! API route that reads the same thing (`seen_org` with that route's privilege), each form
//! runs the command the API route runs, and a control the engine would refuse is shown
//! disabled with the engine's own message, found by deciding the command without running
//! it.

pub mod admin_roles;
pub mod fields;
pub mod groups;
pub mod invitations;
pub mod members;
pub mod settings;
pub mod teams;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use easel_core::command::Command;
use easel_core::model::Org;
use easel_core::{State as EngineState, Time};
use maud::Markup;

use super::layout::{self, Place, Section};
use super::{Failure, Viewer};
use crate::AppState;
use crate::error::ApiError;

/// How many rows a page of a console list shows.
pub(crate) const PAGE_ROWS: usize = 50;

/// The admin pages' routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .merge(settings::routes())
        .merge(teams::routes())
        .merge(members::routes())
        .merge(admin_roles::routes())
        .merge(groups::routes())
        .merge(invitations::routes())
}

/// A page of an organization's admin section.
pub(crate) fn org_page(
    title: &str,
    viewer: &Viewer,
    org: &Org,
    section: Section,
    body: Markup,
) -> Markup {
    layout::page(
        title,
        viewer,
        Place::Org {
            id: &org.id,
            name: &org.name,
            section,
        },
        body,
    )
}

/// The query of a listing page: where its list goes on from, and what a form just did.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    /// Where the list goes on from.
    pub cursor: Option<String>,
    /// What a form just did.
    pub done: Option<String>,
}

/// The engine's message if it would refuse `command` from the viewer now: the command is
/// decided on the current state, as a write would decide it, and nothing is run. A page
/// asks this before offering a control, so what it offers is what the engine allows.
pub(crate) fn refusal_of(
    state: &EngineState,
    viewer: &Viewer,
    command: &Command,
    now: Time,
) -> Option<String> {
    viewer.would(state, command, now).err().map(|r| r.message)
}

/// The engine's message if it refuses `privilege` to the viewer in organization `o`.
pub(crate) fn privilege_refused(
    state: &EngineState,
    viewer: &Viewer,
    privilege: easel_core::catalog::Privilege,
    o: easel_core::ids::OrgIx,
    now: Time,
) -> Option<String> {
    crate::routes::may(
        state,
        &viewer.caller,
        privilege,
        easel_core::request::Target::Org(o),
        now,
    )
    .denial
    .map(|d| d.message())
}

/// The answer to a form that worked: back to the page, which names what was done.
pub(crate) fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location.to_string())]).into_response()
}

/// The answer to a form the engine refused: the page again, at the refusal's status, with
/// its message above it; a refusal of the session itself is the sign-in page.
pub(crate) fn refused_again(
    e: ApiError,
    again: impl FnOnce(Markup) -> Result<Markup, Failure>,
) -> Result<Response, Failure> {
    if e.status == StatusCode::UNAUTHORIZED {
        return Err(e.into());
    }
    let status = e.status;
    let page = again(layout::refusal(&e.message, Some(e.code.as_str())))?;
    Ok((status, page).into_response())
}

/// A query value that is present and not blank.
pub(crate) fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The page of a console list the viewer asked for: its cursor is sealed for this list
/// (`list`, with its filters) and this viewer, as an API list's is.
pub(crate) fn pager<'a>(
    app: &'a AppState,
    viewer: &Viewer,
    list: &str,
    cursor: Option<&str>,
) -> Result<crate::cursor::Pager<'a>, ApiError> {
    let scope = crate::cursor::Scope::new(&format!("console {list}"), &viewer.caller);
    crate::cursor::Pager::scoped(app, scope, Some(PAGE_ROWS), given(cursor))
}

/// The links between the pages of a list: to its first page when this is not it, and to
/// the next one when there is one (`query`: the list's filters, already encoded).
pub(crate) fn paging(base: &str, query: &str, first: bool, next: Option<&str>) -> Markup {
    let join = |extra: Option<String>| {
        let parts: Vec<String> = [Some(query.to_string()), extra]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    };
    maud::html! {
        @if !first || next.is_some() {
            nav class="paging" aria-label="Pages" {
                @if !first { a href=(join(None)) { "First page" } }
                @if let Some(c) = next {
                    a href=(join(Some(format!("cursor={}", form_encode(c))))) { "Next page" }
                }
            }
        }
    }
}

/// A value encoded for a query string.
pub(crate) fn form_encode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s.trim_start_matches("v=").to_string())
        .unwrap_or_default()
}

/// A form of one button that acts on one row (`what` names the row for a screen reader;
/// `hidden` are the fields that say which row), or the button disabled with the engine's
/// reason when it would refuse.
pub(crate) fn row_action(
    viewer: &Viewer,
    action: &str,
    hidden: &[(&str, &str)],
    (label, what): (&str, &str),
    danger: bool,
    refused: Option<&str>,
) -> Markup {
    let aria = format!("{label} {what}");
    maud::html! {
        form method="post" action=(action) class="inline" {
            (super::forms::csrf_field(viewer))
            @for (name, value) in hidden {
                input type="hidden" name=(name) value=(value);
            }
            @match refused {
                None => button type="submit" class=[danger.then_some("danger")] aria-label=(aria) { (label) },
                Some(why) => {
                    button type="submit" disabled title=(why) aria-label=(aria) { (label) }
                    span class="why" { (why) }
                }
            }
        }
    }
}
