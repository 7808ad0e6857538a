//! An organization's SCIM tokens, for its identity provider (Okta, Entra ID ...): company
//! admins make them (the secret shown once), list them (never a secret) and revoke them.
//! The engine decides each (`auth_settings.edit` to make or revoke, `auth_settings.view`
//! to list); a token of another organization is answered as an unknown one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::catalog::Privilege;
use easel_core::command::{Command, Outcome};
use easel_core::model::ServiceKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::board_members::PageQuery;
use super::bodiless::no_body;
use super::orgs::seen_org;
use super::{acting, answer_refusal, run_in_org, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::engine::Acting;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// Where an identity provider finds SCIM, on this server.
pub const SCIM_BASE_URL: &str = "/scim/v2";

/// The SCIM token routes: app tokens never manage credentials.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(create), Rule::NotForApps)
        .add(routes!(list), Rule::NotForApps)
        .add(routes!(revoke), Rule::NotForApps)
}

/// A token to make.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScimTokenIn {
    /// What it is for (`Okta`, say).
    pub name: String,
}

/// A token made: its secret is in `token`, shown this once.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimTokenMade {
    /// The token's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The bearer token to give the identity provider; Easel keeps only its digest.
    pub token: String,
    /// SCIM's base URL on this server.
    pub scim_base_url: &'static str,
}

/// A token as listed: never its secret.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimTokenOut {
    /// The token's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// Makes a SCIM token for `org` as `acting` (a company admin, or the operator): the secret
/// is drawn here and only its digest reaches the engine.
pub async fn issue(
    app: &AppState,
    acting: Acting,
    org: &str,
    name: String,
) -> Result<(ScimTokenMade, i64), ApiError> {
    let id = crate::ids::new_id("scim")?;
    let (secret, digest) = crate::ids::new_secret()?;
    let command = Command::CreateScimToken {
        org: org.to_string(),
        token: id.clone(),
        name: name.clone(),
        digest,
    };
    let (outcome, revision) = app.engine.run_all(acting, vec![command]).await?;
    match outcome {
        Outcome::Accepted { .. } => Ok((
            ScimTokenMade {
                token: format!("{id}.{secret}"),
                id,
                name,
                scim_base_url: SCIM_BASE_URL,
            },
            revision.unwrap_or_else(|| app.engine.read().revision()),
        )),
        Outcome::Refused { refusal, audit } => Err(answer_refusal(refusal, audit.as_ref())),
    }
}

/// Make a SCIM token (`auth_settings.edit`); the secret is shown once.
#[utoipa::path(post, path = "/v2/orgs/{org_id}/scim-tokens", tag = "directory", request_body = ScimTokenIn,
    operation_id = "easel-create-scim-token",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 201, body = ScimTokenMade)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    Json(body): Json<ScimTokenIn>,
) -> Result<Response, ApiError> {
    let acting = acting(&caller)?;
    {
        let reader = app.engine.read();
        seen_org(reader.state(), &caller, &org, None, app.engine.now())?;
    }
    let (out, revision) = issue(&app, acting, &org, body.name).await?;
    Ok(written(StatusCode::CREATED, &out, revision))
}

/// The organization's SCIM tokens, revoked ones included (`auth_settings.view`).
#[utoipa::path(get, path = "/v2/orgs/{org_id}/scim-tokens", tag = "directory",
    operation_id = "easel-list-scim-tokens",
    params(("org_id" = String, Path, description = "the organization"), PageQuery),
    responses((status = 200, body = CursorList<ScimTokenOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<ScimTokenOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &caller,
        &org,
        Some(Privilege::AuthSettingsView),
        app.engine.now(),
    )?;
    // The service tokens of all kinds are few (a handful per organization); they are
    // walked in index order from the cursor.
    pager
        .walk_from(
            state.all_services(),
            |(s, _)| s.get(),
            |(_, t)| {
                (t.kind == ServiceKind::Scim && t.org == Some(o)).then(|| ScimTokenOut {
                    id: t.id.to_string(),
                    name: t.name.clone(),
                    revoked: t.revoked,
                })
            },
        )
        .map(axum::Json)
}

/// Revoke a SCIM token (`auth_settings.edit`); the identity provider's next request is
/// refused.
#[utoipa::path(delete, path = "/v2/orgs/{org_id}/scim-tokens/{token_id}", tag = "directory",
    operation_id = "easel-revoke-scim-token",
    params(("org_id" = String, Path, description = "the organization"), ("token_id" = String, Path, description = "the token")),
    responses((status = 204, description = "revoked")))]
pub async fn revoke(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, token)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let w = run_in_org(
        &app,
        &caller,
        &org,
        Command::RevokeScimToken {
            org: org.clone(),
            token,
        },
    )
    .await?;
    Ok(no_body(StatusCode::NO_CONTENT, w.revision))
}
