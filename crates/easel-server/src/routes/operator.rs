//! The operator API (`/v2/operator/...`): the product's own sign-up and support, with the
//! operator's token (`easel token create --operator`). It makes identities, organizations
//! for a named owner, members, admin roles, teams and SCIM tokens, and closes
//! organizations; every write is a command the engine decides for that token (what a
//! provisioning token may run is declared in `easel-core`'s `command/provisioner.rs`) and
//! audits under its id.
//!
//! Why its own prefix rather than more verbs on `/v2/orgs/...`: the platform API acts as a
//! user and answers what that user may see, with the reference platform's shapes; the
//! operator acts for no user, in every organization, on things no user may do (create an
//! identity, name an owner, close an organization). One prefix keeps one credential per
//! surface: a user's token is refused here and the operator's there, so neither surface's
//! answers depend on which kind of caller asked, and a gateway can fence the whole prefix
//! off the public network. Organizations are named by id under it as in the platform API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::codes::Code;
use easel_core::command::{Command, Outcome};
use easel_core::model::ServiceKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Written, written};
use crate::AppState;
use crate::auth::Caller;
use crate::engine::Acting;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::{Json, Query};
use utoipa_axum::routes;

/// The operator's routes: none admits an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(create_user), Rule::NotForApps)
        .add(routes!(find_user), Rule::NotForApps)
        .merge(super::operator_orgs::routes())
        .merge(super::operator_members::routes())
}

/// The operator's token id, or the refusal every other caller gets: a user's, a service's
/// and a SCIM token are refused alike (no token at all is the extractor's 401).
pub fn operator(caller: &Caller) -> Result<String, ApiError> {
    match caller {
        Caller::Provisioner {
            token_id,
            kind: ServiceKind::Operator,
            ..
        } => Ok(token_id.clone()),
        _ => Err(ApiError::new(
            Code::AuthorityMissingPrivilege,
            "the operator API takes the operator's token",
        )),
    }
}

/// Runs commands as the operator's token, all or nothing.
pub async fn run_as_operator(
    app: &AppState,
    token: &str,
    commands: Vec<Command>,
) -> Result<Written, ApiError> {
    let (outcome, revision) = app
        .engine
        .run_all(Acting::Provisioner(token.to_string()), commands)
        .await?;
    match outcome {
        Outcome::Accepted { events, .. } => Ok(Written {
            events,
            revision: revision.unwrap_or_else(|| app.engine.read().revision()),
        }),
        Outcome::Refused { refusal, .. } => Err(refusal.into()),
    }
}

/// A user identity.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserOut {
    /// The id.
    pub id: String,
    /// The sign-in address (lower case).
    pub email: String,
    /// The name.
    pub name: String,
}

impl UserOut {
    /// The user `id`, if there is one.
    pub fn of(state: &easel_core::State, id: &str) -> Option<UserOut> {
        let u = state.user(state.find_user(id)?)?;
        Some(UserOut {
            id: u.id.to_string(),
            email: u.email.to_string(),
            name: u.name.clone(),
        })
    }
}

/// A new identity.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserIn {
    /// The sign-in address; unique across Easel, in any letter case.
    pub email: String,
    /// The name.
    #[serde(default)]
    pub name: String,
}

/// Register a user identity (sign-up): global, in no organization yet.
#[utoipa::path(post, path = "/v2/operator/users", tag = "operator", request_body = UserIn,
    operation_id = "easel-operator-create-user",
    responses((status = 201, body = UserOut)))]
pub async fn create_user(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<UserIn>,
) -> Result<Response, ApiError> {
    let token = operator(&caller)?;
    let id = crate::ids::new_id("usr")?;
    let w = run_as_operator(
        &app,
        &token,
        vec![Command::CreateUser {
            user: id.clone(),
            email: body.email,
            name: body.name,
        }],
    )
    .await?;
    let out = UserOut::of(app.engine.read().state(), &id);
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// Which identity to find.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EmailQuery {
    /// The sign-in address, in any letter case.
    pub email: String,
}

/// Find a user identity by its sign-in address.
#[utoipa::path(get, path = "/v2/operator/users", tag = "operator",
    operation_id = "easel-operator-find-user",
    params(EmailQuery),
    responses((status = 200, body = UserOut)))]
pub async fn find_user(
    State(app): State<AppState>,
    caller: Caller,
    Query(q): Query<EmailQuery>,
) -> Result<axum::Json<UserOut>, ApiError> {
    operator(&caller)?;
    let reader = app.engine.read();
    let state = reader.state();
    state
        .find_email(q.email.trim())
        .and_then(|u| state.user(u))
        .and_then(|u| UserOut::of(state, &u.id))
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("user", q.email.trim()))
}
