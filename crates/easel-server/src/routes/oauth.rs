//! OAuth 2.0 for apps (MODEL.md §8): the authorization code flow with PKCE (S256), a consent
//! page in plain HTML, the token endpoint with refresh rotation and reuse detection,
//! revocation (RFC 7009), introspection (RFC 7662), and a description of the current token.
//!
//! The client and redirect URI are checked before anything is redirected, so an error about
//! them is shown, never sent to an unchecked address. Every change is a command the engine
//! decides and audits.

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use easel_core::State as EngineState;
use easel_core::catalog::{Plan, Scope, ScopePlan, ScopeSet};
use easel_core::codes::Code;
use easel_core::command::{AuditOutcome, AuditRecord, Command, Consent, Outcome, consent};
use easel_core::ids::AppIx;
use easel_core::model::TokenKind;
use easel_core::request::Credential;
use easel_core::time::{SECOND_MS, Time};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::oauth_answers::{
    CurrentToken, IdOf, Inactive, Introspected, Introspection, Named, OAuthError, RevokeIn,
    TokenOut,
};
use super::sorted;
use crate::AppState;
use crate::auth::{Caller, resolve, split_token};
use crate::engine::Acting;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::wire::Query;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

/// How long an access token of an expiring app lives.
const ACCESS_TTL_SECS: i64 = 3_600;
/// The longest `scope` parameter taken (every scope of the catalog, spelt out, fits).
const MAX_SCOPE_TEXT: usize = 1_024;

/// The OAuth routes. They authenticate the client or the user's session themselves; only
/// the token's own description asks for an app token, of any scope. The reference's
/// operations (the token's description, both revocations) are in the OpenAPI document.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(authorize_page), Rule::Open)
        .add(routes!(authorize), Rule::Open)
        .add(routes!(token), Rule::Open)
        .add(routes!(revoke), Rule::Open)
        .add(routes!(revoke_v1), Rule::Open)
        .add(routes!(introspect), Rule::Open)
        .add(routes!(current_token), Rule::AnyScope)
}

/// An OAuth error answer: `{"error": ..., "error_description": ...}`.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = OAuthError {
        error,
        error_description: description,
    };
    let mut response = (status, sorted(&body)).into_response();
    response.headers_mut().insert(
        CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    framed_never(status, title, html! { p { (body) } }, &[])
}

/// A consent-flow page in the console's look, with the console's headers, never framed (a
/// framed consent is a clickjacking target); `form_targets` are the origins its form may
/// lead to (the app's redirect URI).
fn framed_never(
    status: StatusCode,
    title: &str,
    body: Markup,
    form_targets: &[String],
) -> Response {
    let markup = crate::console::layout::bare(title, body);
    let mut response = (status, markup).into_response();
    let policy = crate::console::headers::policy(
        &crate::console::ConsoleConfig::default(),
        crate::console::headers::Framing::Never,
        form_targets,
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// Audits an OAuth request turned down before any command decided it, in the client app's
/// organization.
async fn audit_refusal(app: &AppState, client: AppIx, action: &str, code: Code) {
    let record = {
        let reader = app.engine.read();
        let state = reader.state();
        let Some(a) = state.app(client) else {
            return;
        };
        let Some(org) = state.org(a.org) else {
            return;
        };
        AuditRecord {
            org: org.id.to_string(),
            at: app.engine.now(),
            actor: None,
            action: action.to_string(),
            target: format!("app:{}", a.id),
            outcome: AuditOutcome::Refused { code },
            changes: Vec::new(),
        }
    };
    if let Err(error) = app.engine.record_refusal(record).await {
        tracing::warn!(%error, "auditing a refused OAuth request failed");
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A redirect to the (already checked) redirect URI with query parameters.
fn back_to(uri: &str, params: &[(&str, &str)]) -> Response {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let sep = if uri.contains('?') { '&' } else { '?' };
    let location = format!("{uri}{sep}{}", query.join("&"));
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}

/// What `/oauth/authorize` takes: the query of the consent page, and the consent form.
#[derive(Clone, Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct AuthorizeQuery {
    /// `code`.
    response_type: Option<String>,
    /// The app's id.
    client_id: Option<String>,
    /// One of the app's registered redirect URIs.
    redirect_uri: Option<String>,
    /// The scopes asked for, separated by spaces.
    scope: Option<String>,
    /// Sent back to the app as it was given.
    state: Option<String>,
    /// The PKCE challenge (RFC 7636).
    code_challenge: Option<String>,
    /// `S256`.
    code_challenge_method: Option<String>,
    /// The form: the team the app is installed in.
    team_id: Option<String>,
    /// The form: the token the consent page gave.
    csrf: Option<String>,
    /// The form: `allow` or `deny`.
    decision: Option<String>,
}

/// The app and the checked redirect URI, or an error page (never a redirect).
fn client(state: &EngineState, q: &AuthorizeQuery) -> Result<(AppIx, String), Box<Response>> {
    let bad = |why: &str| {
        Box::new(page(
            StatusCode::BAD_REQUEST,
            "This request cannot be authorized",
            why,
        ))
    };
    let id = q
        .client_id
        .as_deref()
        .ok_or_else(|| bad("No client_id was given."))?;
    let a = state
        .find_app(id)
        .filter(|a| state.app(*a).is_some_and(|a| !a.deleted))
        .ok_or_else(|| bad("The app is unknown."))?;
    let uri = q
        .redirect_uri
        .as_deref()
        .ok_or_else(|| bad("No redirect_uri was given."))?;
    let registered = state
        .app(a)
        .is_some_and(|x| x.redirect_uris.iter().any(|u| u == uri));
    if !registered {
        return Err(bad("The redirect URI is not one the app registered."));
    }
    Ok((a, uri.to_string()))
}

/// The signed-in user: a session in the cookie or as the bearer token.
fn signed_in(app: &AppState, headers: &HeaderMap) -> Option<Caller> {
    let from_cookie = crate::console::viewer::cookie_session(headers);
    let from_bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::auth::bearer)
        .map(str::to_string);
    let text = from_cookie.or(from_bearer)?;
    let reader = app.engine.read();
    let state = reader.state();
    let caller = resolve(state, &text).ok()?;
    let Caller::User {
        id,
        credential: credential @ Credential::Session(_),
        ..
    } = &caller
    else {
        return None;
    };
    let user = state.find_user(id)?;
    easel_core::check_actor(state, user, *credential, None, app.engine.now()).ok()?;
    Some(caller)
}

/// The consent form's anti-forgery token, as the console's forms have theirs.
fn csrf(state: &EngineState, caller: &Caller) -> Option<String> {
    crate::console::viewer::form_token(state, caller, "easel consent form")
}

fn asked_scopes(q: &AuthorizeQuery) -> Result<ScopeSet, String> {
    let text = q.scope.as_deref().unwrap_or("");
    ScopeSet::parse(text.split([' ', ',']).filter(|s| !s.is_empty())).map_err(str::to_string)
}

/// The checks that send an error back to the app (after the client and URI were checked).
fn flow_error(q: &AuthorizeQuery) -> Option<(&'static str, String)> {
    if q.response_type.as_deref() != Some("code") {
        return Some((
            "unsupported_response_type",
            "response_type must be `code`".into(),
        ));
    }
    if q.code_challenge_method.as_deref() != Some("S256") {
        return Some((
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required; plain is refused".into(),
        ));
    }
    let challenge = q.code_challenge.as_deref().unwrap_or("");
    if challenge.len() != 43 {
        return Some((
            "invalid_request",
            "code_challenge must be the 43-character S256 of the verifier".into(),
        ));
    }
    let text = q.scope.as_deref().unwrap_or("");
    if text.len() > MAX_SCOPE_TEXT {
        return Some(("invalid_scope", "the scope list is too long".into()));
    }
    if let Err(s) = asked_scopes(q) {
        return Some(("invalid_scope", format!("unknown scope `{s}`")));
    }
    None
}

/// The consent page's scope lists.
struct ConsentLists {
    /// The scopes allowing grants, each in words.
    granted: Markup,
    /// The scopes asked for that cannot be granted, each with why.
    refused: Markup,
    /// Whether anything can be granted at all.
    any: bool,
}

/// What the consent page says about scopes, from the engine's own consent rule for the
/// organization of every team offered: the scopes granted (noting those granted in some of
/// the teams only, where the teams' organizations are on different plans), and the scopes
/// asked for that cannot be granted, with why.
fn consent_lists(
    state: &EngineState,
    registered: ScopeSet,
    asked: ScopeSet,
    offered: &[&easel_core::model::Team],
) -> ConsentLists {
    let mut plans: Vec<(Plan, bool)> = offered
        .iter()
        .filter_map(|t| state.org(t.org).map(|o| (o.plan, o.guard)))
        .collect();
    plans.sort_by_key(|(p, g)| (p.as_str(), *g));
    plans.dedup();
    // What is asked for and registered, whatever the plan.
    let wanted = consent(registered, asked, Plan::Enterprise, true);
    let each: Vec<Consent> = if plans.is_empty() {
        // No team to grant in: the lists say what the app asks for, the page offers nothing.
        vec![wanted]
    } else {
        plans
            .iter()
            .map(|(plan, guard)| consent(registered, asked, *plan, *guard))
            .collect()
    };
    let somewhere = each
        .iter()
        .fold(ScopeSet::EMPTY, |acc, c| acc.union(c.grantable));
    let everywhere = each
        .iter()
        .fold(wanted.grantable, |acc, c| acc.intersection(c.grantable));
    let needs = |s: Scope| match s.availability() {
        ScopePlan::EnterpriseGuard => "the enterprise plan with the Guard add-on",
        _ => "the enterprise plan",
    };
    let granted: Vec<(Scope, Option<&str>)> = somewhere
        .iter()
        .map(|s| (s, (!everywhere.contains(s)).then(|| needs(s))))
        .collect();
    // Registered but granted in no offered team: the plan is why.
    let beyond_plan = wanted
        .grantable
        .union(wanted.beyond_plan)
        .difference(somewhere);
    let refused: Vec<(Scope, String)> = wanted
        .not_registered
        .iter()
        .map(|s| (s, "the app does not register it".to_string()))
        .chain(beyond_plan.iter().map(|s| {
            (
                s,
                format!("needs {}, which the organization is not on", needs(s)),
            )
        }))
        .collect();
    ConsentLists {
        granted: html! {
            @if !granted.is_empty() {
                p { "Allowing grants these scopes:" }
                ul {
                    @for (s, only) in &granted {
                        li {
                            code { (s.name()) } ": " (s.grants())
                            @if let Some(plan) = only { " (only in teams of an organization on " (plan) ")" }
                        }
                    }
                }
            }
        },
        refused: html! {
            @if !refused.is_empty() {
                p { "These scopes it asks for cannot be granted:" }
                ul {
                    @for (s, why) in &refused {
                        li { code { (s.name()) } ": " (why) }
                    }
                }
            }
        },
        any: !somewhere.is_empty(),
    }
}

/// The consent page: the app, each scope in words, the team, and allow or deny.
#[utoipa::path(get, path = "/oauth/authorize", tag = "oauth", operation_id = "easel-oauth-consent-page",
    params(AuthorizeQuery), security(()),
    responses(
        (status = 200, content_type = "text/html; charset=utf-8", body = String, description = "the consent page (or the sign-in notice)"),
        (status = 400, content_type = "text/html; charset=utf-8", body = String, description = "a request that cannot be authorized: an unknown app or redirect URI"),
        (status = 401, content_type = "text/html; charset=utf-8", body = String, description = "no signed-in session: the page says how to sign in"),
        (status = 302, description = "back to the app's redirect URI with an error (RFC 6749 §4.1.2.1)")))]
pub async fn authorize_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<AuthorizeQuery>,
) -> Response {
    let (a, uri) = {
        let reader = app.engine.read();
        match client(reader.state(), &q) {
            Ok(found) => found,
            Err(page) => return *page,
        }
    };
    let state_param = q.state.clone().unwrap_or_default();
    if let Some((error, description)) = flow_error(&q) {
        audit_refusal(&app, a, "oauth_authorize", Code::RequestInvalidParameter).await;
        return back_to(
            &uri,
            &[
                ("error", error),
                ("error_description", &description),
                ("state", &state_param),
            ],
        );
    }
    let Some(caller) = signed_in(&app, &headers) else {
        return page(
            StatusCode::UNAUTHORIZED,
            "Sign in first",
            "Sign in through the product, then open this page again.",
        );
    };
    let reader = app.engine.read();
    let state = reader.state();
    let Some(the_app) = state.app(a) else {
        return page(
            StatusCode::BAD_REQUEST,
            "This request cannot be authorized",
            "The app is unknown.",
        );
    };
    let asked = asked_scopes(&q).unwrap_or_default();
    let user = caller
        .user()
        .and_then(|u| state.find_user(u))
        .and_then(|u| state.user(u));
    let offered: Vec<&easel_core::model::Team> = user
        .map(|u| {
            // Only teams of organizations the session acts in: a session bound to one
            // organization shows nothing of the user's others.
            u.teams
                .iter()
                .filter(|(t, _)| {
                    crate::tenancy::reaches(
                        state,
                        &caller,
                        easel_core::request::Target::Team(*t),
                        false,
                    )
                })
                .filter_map(|(t, _)| state.team(*t).filter(|t| !t.deleted))
                .collect()
        })
        .unwrap_or_default();
    let scopes = consent_lists(state, the_app.enabled, asked, &offered);
    let csrf = csrf(state, &caller).unwrap_or_default();
    let hidden = [
        ("response_type", "code"),
        ("client_id", &*the_app.id),
        ("redirect_uri", &uri),
        ("scope", q.scope.as_deref().unwrap_or("")),
        ("state", &state_param),
        ("code_challenge", q.code_challenge.as_deref().unwrap_or("")),
        ("code_challenge_method", "S256"),
        ("csrf", &csrf),
    ];
    // Allowing is offered only when something can be granted; otherwise the one way on is
    // back to the app, which is told the user denied the request.
    let body = html! {
        p { strong { (the_app.name) } " asks to act as you, within your own rights." }
        (scopes.granted)
        (scopes.refused)
        form method="post" action="/oauth/authorize" {
            @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
            @if offered.is_empty() {
                p { "You are in no team this app could act in." }
                button name="decision" value="deny" { "Back to the app" }
            } @else if scopes.any {
                div class="field" {
                    label for="team_id" { "Team" }
                    select id="team_id" name="team_id" {
                        @for t in &offered {
                            option value=(t.id) selected[q.team_id.as_deref() == Some(&*t.id)] { (t.name) }
                        }
                    }
                }
                div class="row" {
                    button name="decision" value="allow" { "Allow" }
                    button class="secondary" name="decision" value="deny" { "Deny" }
                }
            } @else {
                p { "Nothing this app asks for can be granted." }
                button name="decision" value="deny" { "Back to the app" }
            }
        }
    };
    let targets: Vec<String> = crate::console::config::origin_of(&uri)
        .into_iter()
        .collect();
    framed_never(StatusCode::OK, "Authorize an app", body, &targets)
}

/// The consent form's answer: a code sent back to the app, or an error.
#[utoipa::path(post, path = "/oauth/authorize", tag = "oauth", operation_id = "easel-oauth-consent",
    request_body(content = AuthorizeQuery, content_type = "application/x-www-form-urlencoded"), security(()),
    responses(
        (status = 302, description = "back to the app's redirect URI with a code, or with an error (RFC 6749 §4.1.2)"),
        (status = 400, content_type = "text/html; charset=utf-8", body = String, description = "a request that cannot be authorized: an unknown app or redirect URI"),
        (status = 401, content_type = "text/html; charset=utf-8", body = String, description = "no signed-in session"),
        (status = 403, content_type = "text/html; charset=utf-8", body = String, description = "the form's token is missing or wrong")))]
pub async fn authorize(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::extract::Form(q): axum::extract::Form<AuthorizeQuery>,
) -> Response {
    let (a, uri) = {
        let reader = app.engine.read();
        match client(reader.state(), &q) {
            Ok(found) => found,
            Err(page) => return *page,
        }
    };
    let state_param = q.state.clone().unwrap_or_default();
    if let Some((error, description)) = flow_error(&q) {
        audit_refusal(&app, a, "oauth_authorize", Code::RequestInvalidParameter).await;
        return back_to(
            &uri,
            &[
                ("error", error),
                ("error_description", &description),
                ("state", &state_param),
            ],
        );
    }
    let Some(caller) = signed_in(&app, &headers) else {
        return page(
            StatusCode::UNAUTHORIZED,
            "Sign in first",
            "Sign in through the product, then try again.",
        );
    };
    let expected = {
        let reader = app.engine.read();
        csrf(reader.state(), &caller)
    };
    let forged = match (expected, q.csrf.as_deref()) {
        (Some(e), Some(given)) => !bool::from(subtle_eq(e.as_bytes(), given.as_bytes())),
        _ => true,
    };
    if forged {
        audit_refusal(&app, a, "oauth_authorize", Code::CredentialInvalid).await;
        return page(
            StatusCode::FORBIDDEN,
            "This form has expired",
            "Open the authorization page again.",
        );
    }
    if q.decision.as_deref() != Some("allow") {
        return back_to(
            &uri,
            &[
                ("error", "access_denied"),
                ("error_description", "the user denied the request"),
                ("state", &state_param),
            ],
        );
    }
    let Some(team) = q.team_id.clone() else {
        return back_to(
            &uri,
            &[
                ("error", "invalid_request"),
                ("error_description", "no team was chosen"),
                ("state", &state_param),
            ],
        );
    };
    let app_id = {
        let reader = app.engine.read();
        reader
            .state()
            .app(a)
            .map(|x| x.id.to_string())
            .unwrap_or_default()
    };
    let made = crate::ids::new_id("code").and_then(|c| {
        let (secret, digest) = crate::ids::new_secret()?;
        let inst = crate::ids::new_id("inst")?;
        Ok((c, secret, digest, inst))
    });
    let Ok((code, secret, digest, installation)) = made else {
        return back_to(
            &uri,
            &[
                ("error", "temporarily_unavailable"),
                ("state", &state_param),
            ],
        );
    };
    let command = Command::Authorize {
        code: code.clone(),
        installation,
        app: app_id,
        team,
        redirect_uri: uri.clone(),
        scopes: q
            .scope
            .as_deref()
            .unwrap_or("")
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        challenge: q.code_challenge.clone().unwrap_or_default(),
        digest,
    };
    let Caller::User { id, credential, .. } = &caller else {
        return back_to(&uri, &[("error", "access_denied"), ("state", &state_param)]);
    };
    match app
        .engine
        .run(Acting::User(id.clone(), *credential), command)
        .await
    {
        Ok((Outcome::Accepted { .. }, _)) => back_to(
            &uri,
            &[
                ("code", &format!("{code}.{secret}")),
                ("state", &state_param),
            ],
        ),
        Ok((Outcome::Refused { refusal, .. }, _)) => {
            let error = match refusal.code {
                Code::ScopeMissing | Code::ScopePlan => "invalid_scope",
                _ => "access_denied",
            };
            back_to(
                &uri,
                &[
                    ("error", error),
                    ("error_description", refusal.code.as_str()),
                    ("state", &state_param),
                ],
            )
        }
        Err(_) => back_to(
            &uri,
            &[
                ("error", "temporarily_unavailable"),
                ("state", &state_param),
            ],
        ),
    }
}

fn subtle_eq(a: &[u8], b: &[u8]) -> subtle::Choice {
    use subtle::ConstantTimeEq;
    if a.len() == b.len() {
        a.ct_eq(b)
    } else {
        subtle::Choice::from(0)
    }
}

/// The client authenticated by `client_id` and `client_secret` (in the form or HTTP Basic).
fn authenticate_client(
    app: &AppState,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<AppIx, Option<AppIx>> {
    let basic = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(u, p)| (u.to_string(), p.to_string()))
        });
    let (id, secret) = match (basic, &form.client_id, &form.client_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
        _ => return Err(None),
    };
    let reader = app.engine.read();
    let state = reader.state();
    let a = state
        .find_app(&id)
        .filter(|a| state.app(*a).is_some_and(|a| !a.deleted))
        .ok_or(None)?;
    let ok = state
        .app(a)
        .and_then(|x| x.secret)
        .is_some_and(|d| d.matches(&secret));
    if ok { Ok(a) } else { Err(Some(a)) }
}

/// The authenticated client, or the `invalid_client` answer (a wrong secret for a known
/// app is audited in its organization).
async fn client_of(
    app: &AppState,
    headers: &HeaderMap,
    form: &TokenForm,
    action: &str,
) -> Result<AppIx, Box<Response>> {
    match authenticate_client(app, headers, form) {
        Ok(a) => Ok(a),
        Err(known) => {
            if let Some(a) = known {
                audit_refusal(app, a, action, Code::CredentialInvalid).await;
            }
            Err(Box::new(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "the client id or secret is wrong",
            )))
        }
    }
}

/// The token endpoint's form (and the introspection's).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct TokenForm {
    /// `authorization_code` or `refresh_token`.
    grant_type: Option<String>,
    /// The code the consent gave.
    code: Option<String>,
    /// The redirect URI the code was asked with.
    redirect_uri: Option<String>,
    /// The PKCE verifier (RFC 7636).
    code_verifier: Option<String>,
    /// The refresh token to rotate.
    refresh_token: Option<String>,
    /// The app's id (or HTTP Basic).
    client_id: Option<String>,
    /// The app's secret (or HTTP Basic).
    client_secret: Option<String>,
    /// Introspection: the token described.
    token: Option<String>,
}

/// A new token and its stored digest.
fn minted(prefix: &str) -> Option<(String, String, String)> {
    let id = crate::ids::new_id(prefix).ok()?;
    let (secret, digest) = crate::ids::new_secret().ok()?;
    Some((id, secret, digest))
}

fn granted_response(
    app: &AppState,
    access: &str,
    access_secret: &str,
    refresh: Option<(String, String)>,
) -> Response {
    let reader = app.engine.read();
    let state = reader.state();
    let Some(t) = state.find_token(access).and_then(|t| state.token(t)) else {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "the token was not recorded",
        );
    };
    let team = match t.kind {
        TokenKind::App(i) => state
            .installation(i)
            .and_then(|i| state.team(i.team))
            .map(|t| t.id.to_string()),
        TokenKind::Personal => None,
    };
    let scope: Vec<&str> = t.scopes.iter().map(|s| s.name()).collect();
    let body = TokenOut {
        access_token: format!("{access}.{access_secret}"),
        token_type: "bearer",
        scope: scope.join(" "),
        team_id: team,
        user_id: state.user(t.user).map(|u| u.id.to_string()),
        expires_in: t
            .expires_at
            .map(|at| (at.millis() - app.engine.now().millis()) / SECOND_MS),
        refresh_token: refresh.map(|(id, secret)| format!("{id}.{secret}")),
    };
    let mut response = sorted(&body).into_response();
    response.headers_mut().insert(
        CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Exchanges a code, or rotates a refresh token (RFC 6749 §4.1.3, §6).
#[utoipa::path(post, path = "/v1/oauth/token", tag = "oauth", operation_id = "easel-oauth-token",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"), security(()),
    responses(
        (status = 200, body = TokenOut, description = "a new access token (and refresh token)"),
        (status = 400, body = OAuthError, description = "an RFC 6749 error: `invalid_grant`, `invalid_request`, `unsupported_grant_type` ..."),
        (status = 401, body = OAuthError, description = "`invalid_client`: the app's credentials are wrong")))]
pub async fn token(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<TokenForm>,
) -> Response {
    let client = match client_of(&app, &headers, &form, "oauth_token").await {
        Ok(a) => a,
        Err(e) => return *e,
    };
    match form.grant_type.as_deref() {
        Some("authorization_code") => code_grant(&app, client, &form).await,
        Some("refresh_token") => refresh_grant(&app, client, &form).await,
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type is authorization_code or refresh_token",
        ),
    }
}

/// Reuse of a dead code or refresh token: the whole family goes.
async fn revoke_family(app: &AppState, family: String) {
    if let Err(error) = app
        .engine
        .run(Acting::System, Command::RevokeFamily { family })
        .await
    {
        tracing::warn!(%error, "revoking a token family failed");
    }
}

/// Why a grant is refused: the description the client reads, and the code audited.
type Refused = (&'static str, Code);

/// The checks of a code exchange: whether the code was used already, and whether the app's
/// tokens expire.
fn check_code(
    state: &EngineState,
    client: AppIx,
    form: &TokenForm,
    id: &str,
    secret: &str,
) -> Result<(bool, bool), Refused> {
    let unknown = ("unknown code", Code::CredentialInvalid);
    let c = state
        .find_code(id)
        .and_then(|c| state.code(c))
        .ok_or(unknown)?;
    if !c.digest.matches(secret) {
        return Err(unknown);
    }
    if state
        .installation(c.installation)
        .is_none_or(|i| i.app != client)
    {
        return Err((
            "the code was issued to another app",
            Code::CredentialInvalid,
        ));
    }
    if form.redirect_uri.as_deref() != Some(c.redirect_uri.as_str()) {
        return Err((
            "the redirect URI differs from the authorization's",
            Code::RequestInvalidParameter,
        ));
    }
    let verifier = form.code_verifier.as_deref().unwrap_or("");
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let verifier_ok = (43..=128).contains(&verifier.len())
        && bool::from(subtle_eq(computed.as_bytes(), c.challenge.as_bytes()));
    if !verifier_ok {
        return Err(("the PKCE verifier does not match", Code::CredentialInvalid));
    }
    Ok((c.used, state.app(client).is_some_and(|a| a.expiring_tokens)))
}

async fn code_grant(app: &AppState, client: AppIx, form: &TokenForm) -> Response {
    let grant = |d: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", d);
    let Some((id, secret)) = form.code.as_deref().and_then(split_token) else {
        return grant("no valid code");
    };
    let checked = {
        let reader = app.engine.read();
        check_code(reader.state(), client, form, id, secret)
    };
    let (used, expiring) = match checked {
        Ok(found) => found,
        Err((why, code)) => {
            audit_refusal(app, client, "oauth_token", code).await;
            return grant(why);
        }
    };
    if used {
        revoke_family(app, id.to_string()).await;
        audit_refusal(app, client, "oauth_token", Code::CredentialRevoked).await;
        return grant("the code was used already; the tokens issued with it are revoked");
    }
    let Some((access, access_secret, access_digest)) = minted("oat") else {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "no randomness",
        );
    };
    let refresh = if expiring { minted("ort") } else { None };
    let now = app.engine.now();
    let command = Command::ExchangeCode {
        code: id.to_string(),
        access: access.clone(),
        access_digest,
        refresh: refresh.as_ref().map(|(r, _, _)| r.clone()),
        refresh_digest: refresh.as_ref().map(|(_, _, d)| d.clone()),
        expires_at: expiring.then(|| Time::from_millis(now.millis() + ACCESS_TTL_SECS * SECOND_MS)),
    };
    match app.engine.run(Acting::System, command).await {
        Ok((Outcome::Accepted { .. }, _)) => granted_response(
            app,
            &access,
            &access_secret,
            refresh.map(|(r, s, _)| (r, s)),
        ),
        Ok((Outcome::Refused { refusal, .. }, _)) => grant(refusal.code.as_str()),
        Err(_) => oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "try again",
        ),
    }
}

/// The checks of a refresh: whether the token is dead, and its family.
fn check_refresh(
    state: &EngineState,
    client: AppIx,
    id: &str,
    secret: &str,
) -> Result<(bool, String), Refused> {
    let unknown = ("unknown refresh token", Code::CredentialInvalid);
    let r = state
        .find_refresh(id)
        .and_then(|r| state.refresh(r))
        .ok_or(unknown)?;
    if !r.digest.matches(secret) {
        return Err(unknown);
    }
    if state
        .installation(r.installation)
        .is_none_or(|i| i.app != client)
    {
        return Err((
            "the refresh token was issued to another app",
            Code::CredentialInvalid,
        ));
    }
    Ok((r.used || r.revoked, r.family.to_string()))
}

async fn refresh_grant(app: &AppState, client: AppIx, form: &TokenForm) -> Response {
    let grant = |d: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", d);
    let Some((id, secret)) = form.refresh_token.as_deref().and_then(split_token) else {
        return grant("no valid refresh token");
    };
    let checked = {
        let reader = app.engine.read();
        check_refresh(reader.state(), client, id, secret)
    };
    let (dead, family) = match checked {
        Ok(found) => found,
        Err((why, code)) => {
            audit_refusal(app, client, "oauth_token", code).await;
            return grant(why);
        }
    };
    if dead {
        revoke_family(app, family).await;
        audit_refusal(app, client, "oauth_token", Code::CredentialRevoked).await;
        return grant("the refresh token was used already; its family is revoked");
    }
    let (
        Some((access, access_secret, access_digest)),
        Some((new_refresh, refresh_secret, refresh_digest)),
    ) = (minted("oat"), minted("ort"))
    else {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "no randomness",
        );
    };
    let now = app.engine.now();
    let command = Command::RotateRefresh {
        refresh: id.to_string(),
        access: access.clone(),
        access_digest,
        new_refresh: new_refresh.clone(),
        new_refresh_digest: refresh_digest,
        expires_at: Some(Time::from_millis(
            now.millis() + ACCESS_TTL_SECS * SECOND_MS,
        )),
    };
    match app.engine.run(Acting::System, command).await {
        Ok((Outcome::Accepted { .. }, _)) => granted_response(
            app,
            &access,
            &access_secret,
            Some((new_refresh, refresh_secret)),
        ),
        Ok((Outcome::Refused { refusal, .. }, _)) => grant(refusal.code.as_str()),
        Err(_) => oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "try again",
        ),
    }
}

/// The command revoking `token` (`id.secret`), an access or a refresh token of `client`;
/// `None` when it is unknown, not the client's, or already revoked.
fn revocation(state: &EngineState, client: Option<AppIx>, token: &str) -> Option<Command> {
    let (id, secret) = split_token(token)?;
    let ours = |i: easel_core::ids::InstallationIx| {
        state
            .installation(i)
            .is_some_and(|i| client.is_none_or(|c| i.app == c))
    };
    let access = state
        .find_token(id)
        .and_then(|t| state.token(t))
        .filter(|t| {
            t.digest.is_some_and(|d| d.matches(secret))
                && matches!(t.kind, TokenKind::App(i) if ours(i))
        });
    let refresh = state
        .find_refresh(id)
        .and_then(|r| state.refresh(r))
        .filter(|r| r.digest.matches(secret) && ours(r.installation));
    match (access, refresh) {
        (Some(t), _) if !t.revoked => Some(Command::RevokeToken {
            token: id.to_string(),
        }),
        (_, Some(r)) if client.is_some() => Some(Command::RevokeFamily {
            family: r.family.to_string(),
        }),
        _ => None,
    }
}

/// Runs a revocation as Easel: whoever holds the token (with its app's credentials where
/// asked) may end it.
async fn run_revocation(app: &AppState, command: Command) -> Result<(), ApiError> {
    app.engine
        .run(Acting::System, command)
        .await
        .map(drop)
        .map_err(|error| {
            tracing::warn!(%error, "revoking a token failed");
            ApiError::new(Code::RequestUnavailable, "try again")
        })
}

/// Revokes an access or refresh token of the client. The reference's JSON body
/// (`accessToken`, `clientId`, `clientSecret`) answers 204, or 404 when the client or the
/// token is unknown; RFC 7009's form body (`token`, with the client's credentials in the
/// form or in `Authorization: Basic`) answers 200 whatever the token was.
#[utoipa::path(post, path = "/v2/oauth/revoke", tag = "oauth", operation_id = "revoke-token-v2",
    request_body(content((RevokeIn = "application/json"), (Object = "application/x-www-form-urlencoded")),
        description = "the reference's JSON body, or RFC 7009's form (`token`, `client_id`, `client_secret`)"),
    security(()),
    responses((status = 204, description = "revoked (JSON body)"),
        (status = 401, body = OAuthError, description = "`invalid_client`: the form's client credentials are wrong (RFC 7009)"),
        (status = 200, description = "revoked, or nothing to revoke (form body, RFC 7009)"),
        (status = 404, description = "unknown client or token (JSON body)", body = crate::error::Envelope)))]
pub async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if json {
        return match revoke_json(&app, &body).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(e) => e.into_response(),
        };
    }
    let Ok(form) = serde_urlencoded::from_bytes::<TokenForm>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body is not a form",
        );
    };
    let client = match client_of(&app, &headers, &form, "oauth_revoke").await {
        Ok(a) => a,
        Err(e) => return *e,
    };
    let command = form.token.as_deref().and_then(|token| {
        let reader = app.engine.read();
        revocation(reader.state(), Some(client), token)
    });
    if let Some(command) = command
        && let Err(error) = run_revocation(&app, command).await
    {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            &error.message,
        );
    }
    StatusCode::OK.into_response()
}

/// The reference's revocation: the token and its app's credentials in a JSON body.
async fn revoke_json(app: &AppState, body: &[u8]) -> Result<(), ApiError> {
    let ask: RevokeIn = serde_json::from_slice(body)
        .map_err(|e| ApiError::new(Code::RequestInvalidJson, format!("the body: {e}")))?;
    let form = TokenForm {
        client_id: Some(ask.client_id),
        client_secret: Some(ask.client_secret),
        ..TokenForm::default()
    };
    let unknown = || ApiError::new(Code::RequestNotFound, "no such token for this client");
    let client = match authenticate_client(app, &HeaderMap::new(), &form) {
        Ok(a) => a,
        Err(known) => {
            if let Some(a) = known {
                audit_refusal(app, a, "oauth_revoke", Code::CredentialInvalid).await;
            }
            return Err(unknown());
        }
    };
    let command = {
        let reader = app.engine.read();
        revocation(reader.state(), Some(client), &ask.access_token)
    };
    run_revocation(app, command.ok_or_else(unknown)?).await
}

/// The token to revoke.
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RevokeQuery {
    /// The access token.
    pub access_token: String,
}

/// Revokes an app's access token, presented by whoever holds it: 204, or 400 when it is
/// unknown or already revoked.
#[utoipa::path(post, path = "/v1/oauth/revoke", tag = "oauth", operation_id = "revoke-token", params(RevokeQuery),
    security(()),
    responses((status = 204, description = "revoked"),
        (status = 400, description = "unknown or already revoked", body = crate::error::Envelope)))]
pub async fn revoke_v1(
    State(app): State<AppState>,
    Query(q): Query<RevokeQuery>,
) -> Result<Response, ApiError> {
    let command = {
        let reader = app.engine.read();
        revocation(reader.state(), None, &q.access_token)
    };
    let command = command.ok_or_else(|| {
        ApiError::new(
            Code::RequestInvalidParameter,
            "the token is unknown or already revoked",
        )
    })?;
    run_revocation(&app, command).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Describes a token (RFC 7662), for the app that owns it or a service of the platform.
#[utoipa::path(post, path = "/v1/oauth/introspect", tag = "oauth", operation_id = "easel-oauth-introspect",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"), security(()),
    responses(
        (status = 200, body = Introspected, description = "the token, or `{\"active\": false}` for one that is unknown, expired or revoked"),
        (status = 400, body = OAuthError, description = "an RFC 6749 error: no token given"),
        (status = 401, body = OAuthError, description = "`invalid_client`: neither the app's credentials nor a service token")))]
pub async fn introspect(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::extract::Form(form): axum::extract::Form<TokenForm>,
) -> Response {
    // A service token in `Authorization: Bearer`, or the client's own credentials.
    let service = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::auth::bearer)
        .and_then(|t| {
            let reader = app.engine.read();
            resolve(reader.state(), t).ok()
        })
        .filter(|c| matches!(c, Caller::Service { .. }));
    let client = if service.is_some() {
        None
    } else {
        match client_of(&app, &headers, &form, "oauth_introspect").await {
            Ok(a) => Some(a),
            Err(e) => return *e,
        }
    };
    let inactive = || sorted(&Introspected::Inactive(Inactive { active: false })).into_response();
    let Some((id, secret)) = form.token.as_deref().and_then(split_token) else {
        return inactive();
    };
    let reader = app.engine.read();
    let state = reader.state();
    let Some(t) = state.find_token(id).and_then(|t| state.token(t)) else {
        return inactive();
    };
    let TokenKind::App(i) = t.kind else {
        return inactive();
    };
    let Some(inst) = state.installation(i) else {
        return inactive();
    };
    let now = app.engine.now();
    let live = t.digest.is_some_and(|d| d.matches(secret))
        && !t.revoked
        && inst.active
        && t.expires_at.is_none_or(|at| now < at)
        && client.is_none_or(|c| c == inst.app);
    if !live {
        return inactive();
    }
    let scope: Vec<&str> = t
        .scopes
        .intersection(inst.granted)
        .iter()
        .map(|s| s.name())
        .collect();
    let body = Introspection {
        active: true,
        scope: scope.join(" "),
        client_id: state.app(inst.app).map(|a| a.id.to_string()),
        user_id: state.user(t.user).map(|u| u.id.to_string()),
        team_id: state.team(inst.team).map(|t| t.id.to_string()),
        token_type: "bearer",
        exp: t.expires_at.map(|at| at.millis() / SECOND_MS),
    };
    sorted(&Introspected::Live(body)).into_response()
}

/// A user as the token's description names it.
fn named_user(state: &EngineState, id: &str) -> Option<Named> {
    let u = state.find_user(id).and_then(|u| state.user(u))?;
    Some(Named {
        kind: "user",
        name: u.name.clone(),
        id: u.id.to_string(),
    })
}

/// An organization as the token's description names it.
fn named_org(state: &EngineState, org: easel_core::ids::OrgIx) -> Option<Named> {
    let o = state.org(org)?;
    Some(Named {
        kind: "organization",
        name: o.name.clone(),
        id: o.id.to_string(),
    })
}

/// The token presented: what it is, whom it acts as, where, with which scopes.
#[utoipa::path(get, path = "/v1/oauth-token", tag = "oauth", operation_id = "token-info",
    responses((status = 200, body = CurrentToken)))]
pub async fn current_token(
    State(app): State<AppState>,
    caller: Caller,
) -> Result<axum::Json<Value>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let body = match &caller {
        Caller::User {
            id,
            credential: Credential::Token(t),
            ..
        } => {
            let token = state
                .token(*t)
                .ok_or_else(|| ApiError::invalid("no token"))?;
            let user = named_user(state, id);
            let expires_at = token.expires_at.map(crate::wire::iso);
            match token.kind {
                TokenKind::App(i) => {
                    let inst = state.installation(i);
                    let scopes = token
                        .scopes
                        .intersection(inst.map(|x| x.granted).unwrap_or_default())
                        .iter()
                        .map(|s| s.name())
                        .collect();
                    let team = inst.and_then(|x| state.team(x.team));
                    CurrentToken {
                        kind: "oauthToken",
                        organization: team.and_then(|t| named_org(state, t.org)),
                        team: team.map(|t| Named {
                            kind: "team",
                            name: t.name.to_string(),
                            id: t.id.to_string(),
                        }),
                        // The user who authorized the app made the token.
                        created_by: user.clone(),
                        user,
                        app: Some(IdOf {
                            id: inst
                                .and_then(|x| state.app(x.app))
                                .map(|a| a.id.to_string()),
                        }),
                        scopes: Some(scopes),
                        expires_at,
                        ..CurrentToken::default()
                    }
                }
                TokenKind::Personal => CurrentToken {
                    kind: "personalAccessToken",
                    organization: token.org.and_then(|o| named_org(state, o)),
                    user,
                    expires_at,
                    ..CurrentToken::default()
                },
            }
        }
        Caller::User { id, .. } => CurrentToken {
            kind: "session",
            user: named_user(state, id),
            ..CurrentToken::default()
        },
        Caller::Service { name, .. } => CurrentToken {
            kind: "serviceToken",
            service: Some(name.clone()),
            ..CurrentToken::default()
        },
        Caller::Provisioner { name, kind, .. } => CurrentToken {
            kind: match kind {
                easel_core::model::ServiceKind::Scim => "scimToken",
                _ => "operatorToken",
            },
            service: Some(name.clone()),
            ..CurrentToken::default()
        },
    };
    sorted(&body)
}
