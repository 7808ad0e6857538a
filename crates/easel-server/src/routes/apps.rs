//! OAuth apps and their installations: a developer team registers an app (its client
//! secret shown once), enables scopes, deletes it; a team's admins install it, its members
//! consent to scopes enabled later, its admins uninstall it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::catalog::ScopeSet;
use easel_core::command::Command;
use easel_core::ids::{AppIx, InstallationIx};
use easel_core::request::Target;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::answers::Deleted;
use super::board_members::PageQuery;
use super::{run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::{CursorList, Json, Path, Query};
use utoipa_axum::routes;

/// The app routes: for people managing apps, never for app tokens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(list), Rule::NotForApps)
        .add(routes!(register), Rule::NotForApps)
        .add(routes!(read), Rule::NotForApps)
        .add(routes!(set_scopes), Rule::NotForApps)
        .add(routes!(remove), Rule::NotForApps)
        .add(routes!(installations), Rule::NotForApps)
        .add(routes!(install), Rule::NotForApps)
        .add(routes!(uninstall), Rule::NotForApps)
        .add(routes!(consent), Rule::NotForApps)
}

fn names(set: ScopeSet) -> Vec<String> {
    set.iter().map(|s| s.name().to_string()).collect()
}

/// An app.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppOut {
    /// The id: the OAuth client id.
    pub id: String,
    /// The name.
    pub name: String,
    /// The developer team.
    pub team_id: String,
    /// Where an authorization may return to, matched exactly.
    pub redirect_uris: Vec<String>,
    /// Whether its access tokens expire (and come with refresh tokens).
    pub expiring_tokens: bool,
    /// The scopes it enables.
    pub scopes: Vec<String>,
    /// The version of its scope set: one more at each change.
    pub scopes_version: u32,
}

fn app_out(state: &EngineState, a: AppIx) -> Option<AppOut> {
    let app = state.app(a).filter(|a| !a.deleted)?;
    Some(AppOut {
        id: app.id.to_string(),
        name: app.name.clone(),
        team_id: state.team(app.team)?.id.to_string(),
        redirect_uris: app.redirect_uris.clone(),
        expiring_tokens: app.expiring_tokens,
        scopes: names(app.enabled),
        scopes_version: app.scope_version,
    })
}

/// Whether an app (not deleted) belongs to a team the caller is a direct member of.
fn is_own(state: &EngineState, caller: &Caller, a: AppIx) -> bool {
    let user = caller.user().and_then(|u| state.find_user(u));
    match (state.app(a).filter(|a| !a.deleted), user) {
        (Some(app), Some(user)) => {
            state.direct_team_role(app.team, user).is_some()
                && crate::tenancy::reaches(state, caller, Target::Team(app.team), false)
        }
        _ => false,
    }
}

/// An app of a team the caller is a direct member of, or a 404.
fn own_app(state: &EngineState, caller: &Caller, id: &str) -> Result<AppIx, ApiError> {
    state
        .find_app(id)
        .filter(|a| is_own(state, caller, *a))
        .ok_or_else(|| ApiError::not_found("app", id))
}

/// A new app.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterIn {
    /// The name.
    pub name: String,
    /// The developer team (the caller must be a member).
    pub team_id: String,
    /// 1 to 10 redirect URIs: https, or http on localhost; no fragment.
    pub redirect_uris: Vec<String>,
    /// Whether access tokens expire (default true); fixed at creation.
    pub expiring_tokens: Option<bool>,
    /// The scopes it enables, in either vocabulary.
    pub scopes: Vec<String>,
}

/// The new app, with its client secret: shown this once, kept only as a digest.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredOut {
    /// The app.
    #[serde(flatten)]
    pub app: AppOut,
    /// The client secret.
    pub client_secret: String,
}

/// Register an app for a team.
#[utoipa::path(post, path = "/v2/apps", tag = "apps", request_body = RegisterIn,
    responses((status = 201, body = RegisteredOut)))]
pub async fn register(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<RegisterIn>,
) -> Result<Response, ApiError> {
    let id = crate::ids::new_id("app")?;
    let (secret, digest) = crate::ids::new_secret()?;
    let w = run(
        &app,
        &caller,
        Command::RegisterApp {
            app: id.clone(),
            team: body.team_id,
            name: body.name,
            redirect_uris: body.redirect_uris,
            expiring_tokens: body.expiring_tokens.unwrap_or(true),
            scopes: body.scopes,
            secret_digest: digest,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_app(&id)
            .and_then(|a| app_out(state, a))
            .ok_or_else(|| ApiError::not_found("app", &id))?
    };
    let body = RegisteredOut {
        app: out,
        client_secret: secret,
    };
    Ok(written(StatusCode::CREATED, &body, w.revision))
}

/// The apps of the teams the caller is a member of.
#[utoipa::path(get, path = "/v2/apps", tag = "apps", params(PageQuery),
    responses((status = 200, body = CursorList<AppOut>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<AppOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    Ok(axum::Json(pager.walk_from(
        state.all_apps(),
        |(a, _)| a.get(),
        |(a, _)| {
            is_own(state, &caller, *a)
                .then(|| app_out(state, *a))
                .flatten()
        },
    )?))
}

/// An app of one of the caller's teams.
#[utoipa::path(get, path = "/v2/apps/{app}", tag = "apps",
    params(("app" = String, Path, description = "the app")),
    responses((status = 200, body = AppOut)))]
pub async fn read(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<AppOut>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let a = own_app(state, &caller, &id)?;
    app_out(state, a)
        .map(axum::Json)
        .ok_or_else(|| ApiError::not_found("app", &id))
}

/// The scopes an app enables.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopesIn {
    /// The whole new set.
    pub scopes: Vec<String>,
}

/// Change the scopes an app enables: newly enabled scopes wait for consent in existing
/// installations; disabled ones stay granted there.
#[utoipa::path(patch, path = "/v2/apps/{app}", tag = "apps", request_body = ScopesIn,
    params(("app" = String, Path, description = "the app")),
    responses((status = 200, body = AppOut)))]
pub async fn set_scopes(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<ScopesIn>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        own_app(reader.state(), &caller, &id)?;
    }
    let w = run(
        &app,
        &caller,
        Command::SetAppScopes {
            app: id.clone(),
            scopes: body.scopes,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state.find_app(&id).and_then(|a| app_out(state, a))
    };
    Ok(written(StatusCode::OK, &out, w.revision))
}

/// Delete an app: every installation and token is revoked.
#[utoipa::path(delete, path = "/v2/apps/{app}", tag = "apps",
    params(("app" = String, Path, description = "the app")),
    responses((status = 200, description = "deleted")))]
pub async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    {
        let reader = app.engine.read();
        own_app(reader.state(), &caller, &id)?;
    }
    let w = run(&app, &caller, Command::DeleteApp { app: id.clone() }).await?;
    Ok(written(StatusCode::OK, &Deleted::new(id), w.revision))
}

/// An installation of an app in a team.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstallationOut {
    /// The id.
    pub id: String,
    /// The app.
    pub app_id: String,
    /// The team it is installed in.
    pub team_id: String,
    /// Whether it is still installed.
    pub active: bool,
    /// The scopes it was granted.
    pub scopes: Vec<String>,
    /// Scopes the app enabled later, waiting for a member's consent.
    pub pending_scopes: Vec<String>,
    /// The version of the app's scopes it was installed at, or last consented to.
    pub scopes_version: u32,
}

fn installation_out(state: &EngineState, i: InstallationIx) -> Option<InstallationOut> {
    let inst = state.installation(i)?;
    let app = state.app(inst.app)?;
    Some(InstallationOut {
        id: inst.id.to_string(),
        app_id: app.id.to_string(),
        team_id: state.team(inst.team)?.id.to_string(),
        active: inst.active,
        scopes: names(inst.granted),
        pending_scopes: names(app.enabled.difference(inst.granted)),
        scopes_version: inst.scope_version,
    })
}

/// The app's installations (for its developer team).
#[utoipa::path(get, path = "/v2/apps/{app}/installations", tag = "apps",
    params(("app" = String, Path, description = "the app"), PageQuery),
    responses((status = 200, body = CursorList<InstallationOut>)))]
pub async fn installations(
    State(app): State<AppState>,
    caller: Caller,
    list: ListRequest,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<CursorList<InstallationOut>>, ApiError> {
    let pager = Pager::new(&app, &caller, &list, q.limit, q.cursor.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let a = own_app(state, &caller, &id)?;
    let list = state.app(a).map_or(&[][..], |x| &x.installations[..]);
    Ok(axum::Json(pager.walk(
        list,
        |i| i.get(),
        |i| installation_out(state, *i),
    )?))
}

/// Where to install.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstallIn {
    /// The team (the caller must be one of its admins).
    pub team_id: String,
}

/// Install an app into a team, with the scopes it enables now.
#[utoipa::path(post, path = "/v2/apps/{app}/installations", tag = "apps", request_body = InstallIn,
    params(("app" = String, Path, description = "the app")),
    responses((status = 201, body = InstallationOut)))]
pub async fn install(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<InstallIn>,
) -> Result<Response, ApiError> {
    let installation = crate::ids::new_id("inst")?;
    let w = run(
        &app,
        &caller,
        Command::InstallApp {
            installation: installation.clone(),
            app: id,
            team: body.team_id,
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_installation(&installation)
            .and_then(|i| installation_out(state, i))
    };
    Ok(written(StatusCode::CREATED, &out, w.revision))
}

/// An installation of the app, in an organization the caller acts within, or a 404.
fn installation_of(
    app: &AppState,
    caller: &Caller,
    id: &str,
    installation: &str,
) -> Result<(), ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let ours = state
        .find_installation(installation)
        .and_then(|i| state.installation(i))
        .filter(|i| crate::tenancy::reaches(state, caller, Target::Team(i.team), false))
        .and_then(|i| state.app(i.app))
        .is_some_and(|a| &*a.id == id);
    if ours {
        Ok(())
    } else {
        Err(ApiError::not_found("installation", installation))
    }
}

/// Uninstall: the installation's tokens are revoked (the team's admins).
#[utoipa::path(delete, path = "/v2/apps/{app}/installations/{installation}", tag = "apps",
    params(("app" = String, Path, description = "the app"), ("installation" = String, Path, description = "the installation")),
    responses((status = 200, description = "uninstalled")))]
pub async fn uninstall(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, installation)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    installation_of(&app, &caller, &id, &installation)?;
    let w = run(
        &app,
        &caller,
        Command::UninstallApp {
            installation: installation.clone(),
        },
    )
    .await?;
    Ok(written(
        StatusCode::OK,
        &Uninstalled {
            id: installation,
            active: false,
        },
        w.revision,
    ))
}

/// An installation removed: no longer active.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Uninstalled {
    /// The installation's id.
    pub id: String,
    /// Always `false`.
    pub active: bool,
}

/// Consent to the scopes the app enabled after it was installed (a member of the team).
#[utoipa::path(post, path = "/v2/apps/{app}/installations/{installation}/consent", tag = "apps",
    params(("app" = String, Path, description = "the app"), ("installation" = String, Path, description = "the installation")),
    responses((status = 200, body = InstallationOut)))]
pub async fn consent(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, installation)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    installation_of(&app, &caller, &id, &installation)?;
    let w = run(
        &app,
        &caller,
        Command::ConsentApp {
            installation: installation.clone(),
        },
    )
    .await?;
    let out = {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_installation(&installation)
            .and_then(|i| installation_out(state, i))
    };
    Ok(written(StatusCode::OK, &out, w.revision))
}
