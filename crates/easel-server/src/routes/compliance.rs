//! Audit and compliance: the audit log (and its export), audit retention, the content log
//! (`audit`); legal cases and holds (`cases`); board classification (`classification`);
//! resetting a user's sessions, and the defaults of new teams (here).

mod audit;
mod cases;
mod classification;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::command::Command;
use easel_core::settings::TeamSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::orgs::seen_org;
use super::{run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::{BOARDS_READ, BOARDS_WRITE, CASES, ORG_READ, Rule, TEAMS_READ, TEAMS_WRITE};
use crate::table::Routes;
use crate::wire::{Path, Query};
use easel_core::catalog::Scope;
use utoipa_axum::routes;

pub use audit::{AuditChangeOut, AuditOut, ContentLogOut};
pub use cases::{CaseOut, HoldOut};

/// The compliance routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(
            routes!(audit::audit_logs),
            Rule::OneOf(&[Scope::AuditlogsRead]),
        )
        .add(routes!(audit::audit_settings), Rule::NotForApps)
        .add(
            routes!(audit::content_logs),
            Rule::OneOf(&[Scope::ContentlogsExport]),
        )
        .add(routes!(cases::cases), CASES)
        .add(routes!(cases::create_case), CASES)
        .add(routes!(cases::case), CASES)
        .add(routes!(cases::edit_case), CASES)
        .add(routes!(cases::delete_case), CASES)
        .add(routes!(cases::holds), CASES)
        .add(routes!(cases::add_hold), CASES)
        .add(routes!(cases::hold), CASES)
        .add(routes!(cases::edit_hold), CASES)
        .add(routes!(cases::delete_hold), CASES)
        .add(routes!(cases::held_items), CASES)
        .add(routes!(classification::classification), BOARDS_READ)
        .add(routes!(classification::classify), BOARDS_WRITE)
        .add(routes!(classification::classification_settings), ORG_READ)
        .add(
            routes!(classification::update_classification_settings),
            Rule::NotForApps,
        )
        .add(routes!(classification::team_settings), TEAMS_READ)
        .add(routes!(classification::update_team_settings), TEAMS_WRITE)
        .add(routes!(classification::classify_team_boards), BOARDS_WRITE)
        .add(
            routes!(reset_sessions),
            Rule::OneOf(&[Scope::SessionsDelete]),
        )
        .add(routes!(default_team_settings), ORG_READ)
}

/// Whose sessions to end.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResetQuery {
    /// The user's email.
    pub email: String,
    /// The organization acted in (the only one shared with the user when absent).
    pub org: Option<String>,
}

/// End every session of a user (`users.edit`).
#[utoipa::path(post, path = "/v2/sessions/reset_all", tag = "compliance", params(ResetQuery),
    responses((status = 200, description = "reset")))]
pub async fn reset_sessions(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<ResetQuery>,
) -> Result<Response, ApiError> {
    let (org, user) = {
        let reader = app.engine.read();
        let state = reader.state();
        let u = state
            .find_email(&q.email)
            .ok_or_else(|| ApiError::not_found("user", &q.email))?;
        let user = state
            .user(u)
            .ok_or_else(|| ApiError::not_found("user", &q.email))?;
        let shared: Vec<String> = user
            .orgs
            .iter()
            .filter_map(|m| state.org(m.org))
            .filter(|o| q.org.as_deref().is_none_or(|x| x == &*o.id))
            .filter(|o| seen_org(state, &caller, &o.id, None, app.engine.now()).is_ok())
            .map(|o| o.id.to_string())
            .collect();
        match shared.as_slice() {
            [one] => (one.clone(), user.id.to_string()),
            [] => return Err(ApiError::not_found("user", &q.email)),
            _ => {
                return Err(ApiError::invalid(
                    "the user is in several of your organizations: name one with `org`",
                ));
            }
        }
    };
    let w = run(
        &app,
        &caller,
        Command::ResetSessions {
            org,
            user: user.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &SessionsReset { user, reset: true },
        w.revision,
    ))
}

/// A user's sessions ended.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SessionsReset {
    /// The user's id.
    pub user: String,
    /// Always `true`.
    pub reset: bool,
}

/// The settings a new team starts with.
#[utoipa::path(get, path = "/v2/orgs/{org}/default_teams_settings", tag = "compliance",
    params(("org" = String, Path, description = "the organization")),
    responses((status = 200, description = "the team settings a new team starts with")))]
pub async fn default_team_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    super::sorted(&TeamSettings::default())
}
