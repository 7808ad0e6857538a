//! The organization's records: the audit log and its exports, the trash with its legal
//! holds, apps and the app allowlist, and the access explorer. Each page asks the engine
//! what the viewer may see and do, with the privilege the matching API route needs; what
//! is refused is shown as the engine's refusal, never decided here.

mod apps;
mod audit;
mod audit_export;
mod audit_read;
mod explorer;
mod trash;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use easel_core::action::Action;
use easel_core::codes::Code;
use easel_core::ids::OrgIx;
use easel_core::request::Target;
use easel_core::{State as EngineState, Time};
use maud::Markup;

use super::layout::{self, Place, Section};
use super::{Failure, Viewer};
use crate::AppState;
use crate::routes::orgs::seen_org;

/// The pages of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .merge(audit::routes())
        .merge(audit_export::routes())
        .merge(trash::routes())
        .merge(apps::routes())
        .merge(explorer::routes())
}

/// The organization a page is about, as the viewer may see it.
#[derive(Clone, Debug)]
struct OrgRef {
    /// Its index.
    ix: OrgIx,
    /// Its id.
    id: String,
    /// Its name.
    name: String,
}

/// The organization `org` if the viewer may see it; otherwise the same 404 a missing one
/// gets, so that another organization's id tells nothing.
fn seen(state: &EngineState, viewer: &Viewer, org: &str, now: Time) -> Result<OrgRef, Failure> {
    let ix = seen_org(state, &viewer.caller, org, None, now)?;
    let o = state.org(ix).ok_or_else(Failure::not_found)?;
    Ok(OrgRef {
        ix,
        id: o.id.to_string(),
        name: o.name.clone(),
    })
}

/// What the engine refused: its words and its reason code.
#[derive(Clone, Debug)]
struct Refused {
    /// Why, for a person.
    message: String,
    /// The stable reason code.
    code: Code,
}

/// The engine's refusal of `action` on `target` to the viewer, or `None` when it is allowed.
fn refusal_of(
    state: &EngineState,
    viewer: &Viewer,
    action: impl Into<Action>,
    target: Target,
    now: Time,
) -> Option<Refused> {
    crate::routes::may(state, &viewer.caller, action, target, now)
        .denial
        .map(|d| Refused {
            message: d.message(),
            code: d.code,
        })
}

impl From<crate::error::ApiError> for Refused {
    fn from(e: crate::error::ApiError) -> Refused {
        Refused {
            message: e.message,
            code: e.code,
        }
    }
}

/// A page of the organization's admin frame.
fn org_page(viewer: &Viewer, org: &OrgRef, section: Section, body: Markup) -> Markup {
    layout::page(
        section.title(),
        viewer,
        Place::Org {
            id: &org.id,
            name: &org.name,
            section,
        },
        body,
    )
}

/// A section the viewer may not open: the engine's refusal in the organization's frame.
fn refused_page(viewer: &Viewer, org: &OrgRef, section: Section, refused: &Refused) -> Response {
    let body = layout::refusal(&refused.message, Some(refused.code.as_str()));
    let status = crate::error::status_of(refused.code);
    (status, org_page(viewer, org, section, body)).into_response()
}

/// The answer to a form that worked: back to its page, which says what was done.
fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

/// A query string's fields; one the browser could not have sent is refused as malformed.
fn query_fields(raw: Option<&str>) -> Result<Vec<(String, String)>, Failure> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| Failure::malformed("the address's query is not URL-encoded"))
}

/// The value of a query field (the last one given, as a form sends one), trimmed.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// An ISO 8601 instant as a page shows it: `2026-12-07 10:15:00` (UTC, to the second).
fn shown_time(iso: &str) -> String {
    iso.get(..19).unwrap_or(iso).replacen('T', " ", 1)
}
