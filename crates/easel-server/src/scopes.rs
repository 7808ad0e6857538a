//! Which OAuth scopes admit an app token to each route (MODEL.md §8, the scope catalog).
//! The table is a function of the method and the matched route, so a route added without
//! a rule falls to the strictest one; `docs/scopes.md` is generated from it.
//!
//! Personal tokens, sessions and service tokens have no scope layer: they pass untouched.
//! An app token must carry one of the route's scopes, granted to its installation, usable
//! on the REST surface and on its organization's plan.

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use easel_core::catalog::{Plan, Scope, ScopeSet, Surface};
use easel_core::codes::Code;
use easel_core::model::TokenKind;
use easel_core::request::Credential;
use easel_core::{AppScopes, admit_scopes};
use serde_json::json;

use crate::AppState;
use crate::auth::{Caller, resolve};
use crate::error::ApiError;

/// A bearer token already resolved by this middleware, for the `Caller` extractor.
#[derive(Clone, Debug)]
pub struct Resolved(pub String, pub Caller);

/// What admits an app token to a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// No bearer token is asked for: open (health, metrics), or the OAuth endpoints, which
    /// authenticate the client or the user's session themselves.
    Open,
    /// Any app token (it describes itself).
    AnyScope,
    /// One of these scopes.
    OneOf(&'static [&'static str]),
    /// App tokens are refused: the route is for people or for services.
    NotForApps,
}

const BOARDS_READ: Rule = Rule::OneOf(&["boards:read", "murals:read"]);
const BOARDS_WRITE: Rule = Rule::OneOf(&["boards:write", "murals:write"]);
const TEAMS_READ: Rule = Rule::OneOf(&["organizations:teams:read", "rooms:read"]);
const TEAMS_WRITE: Rule = Rule::OneOf(&["organizations:teams:write", "rooms:write"]);
const PROJECTS_READ: Rule = Rule::OneOf(&["projects:read", "rooms:read"]);
const PROJECTS_WRITE: Rule = Rule::OneOf(&["projects:write", "rooms:write"]);
const ORG_READ: Rule = Rule::OneOf(&["organizations:read", "workspaces:read"]);

/// The rule of a route.
pub fn rule(method: &Method, route: &str) -> Rule {
    let read = *method == Method::GET;
    let either = |r: Rule, w: Rule| if read { r } else { w };
    match route {
        "/healthz" | "/readyz" | "/metrics" | "/openapi.json" => Rule::Open,
        "/oauth/authorize" | "/v1/oauth/token" | "/v2/oauth/revoke" | "/v1/oauth/introspect" => {
            Rule::Open
        }
        "/v1/oauth-token" => Rule::AnyScope,
        "/v2/audit/logs" => Rule::OneOf(&["auditlogs:read"]),
        "/v2/sessions/reset_all" => Rule::OneOf(&["sessions:delete"]),
        r if r.starts_with("/v1/") => Rule::NotForApps,
        r if r.starts_with("/v2/apps") => Rule::NotForApps,
        r if r.starts_with("/v2/invitations/") => Rule::NotForApps,
        r if r.starts_with("/v2/boards") => either(BOARDS_READ, BOARDS_WRITE),
        r if r.contains("/boards/{board}/data-classification") => either(BOARDS_READ, BOARDS_WRITE),
        r if r.contains("/projects") => either(PROJECTS_READ, PROJECTS_WRITE),
        r if r.starts_with("/v2/orgs/{org}/teams") => either(TEAMS_READ, TEAMS_WRITE),
        r if r.starts_with("/v2/orgs/{org}/groups") => either(
            Rule::OneOf(&["organizations:groups:read"]),
            Rule::OneOf(&["organizations:groups:write"]),
        ),
        r if r.starts_with("/v2/orgs/{org}/members") => {
            either(Rule::OneOf(&["users:read"]), Rule::NotForApps)
        }
        "/v2/orgs/{org}/content-logs/items" => Rule::OneOf(&["contentlogs:export"]),
        r if r.starts_with("/v2/orgs/{org}/cases") => {
            Rule::OneOf(&["organizations:cases:management"])
        }
        r if r.starts_with("/v2/orgs/{org}") => either(ORG_READ, Rule::NotForApps),
        _ => Rule::NotForApps,
    }
}

/// Scopes as a list for a message: `a` or `b`.
fn listed(scopes: ScopeSet) -> String {
    scopes
        .iter()
        .map(|s| format!("`{}`", s.name()))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn refuse(code: Code, message: String, scopes: &[&str]) -> Response {
    ApiError::new(code, message)
        .with_context(json!({"layer": "scope", "scopes": scopes}))
        .into_response()
}

/// Refuses an app token the route's scopes do not admit, before the route runs.
pub async fn enforce(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::auth::bearer)
        .map(str::to_string);
    let (Some(route), Some(bearer)) = (route, bearer) else {
        return next.run(request).await;
    };
    let verdict = {
        let reader = app.engine.read();
        let state = reader.state();
        let resolved = resolve(state, &bearer);
        let app_token = match &resolved {
            Ok(Caller::User {
                credential: Credential::Token(t),
                ..
            }) => state.token(*t).and_then(|t| match t.kind {
                TokenKind::App(i) => Some((t.scopes, i)),
                TokenKind::Personal => None,
            }),
            _ => None,
        };
        // The route's `Caller` reuses this: the secret is hashed once a request.
        if let Ok(caller) = resolved {
            request
                .extensions_mut()
                .insert(Resolved(bearer.clone(), caller));
        }
        match app_token {
            None => None,
            Some((scopes, inst)) => {
                let installation = state.installation(inst);
                let granted = installation.map(|i| i.granted).unwrap_or_default();
                let org = installation.and_then(|i| state.org(i.org));
                let registered = installation
                    .and_then(|i| state.app(i.app))
                    .map(|a| a.enabled)
                    .unwrap_or_default();
                match rule(request.method(), &route) {
                    Rule::Open | Rule::AnyScope => None,
                    Rule::NotForApps => Some(refuse(
                        Code::ScopeNotForApps,
                        "app tokens are not admitted here".into(),
                        &[],
                    )),
                    Rule::OneOf(names) => {
                        let admitting: ScopeSet =
                            names.iter().filter_map(|n| Scope::from_name(n)).collect();
                        let app_scopes = AppScopes {
                            held: scopes.intersection(granted),
                            registered,
                        };
                        // The engine's scope rule, so a route and a check agree.
                        let (plan, guard) = org.map_or((Plan::Free, false), |o| (o.plan, o.guard));
                        match admit_scopes(admitting, app_scopes, Surface::Rest, plan, guard) {
                            Ok(_) => None,
                            Err(refusal) => {
                                let message = match refusal.code {
                                    Code::ScopePlan => format!(
                                        "the scope that admits this route needs another plan: {}",
                                        listed(refusal.scopes)
                                    ),
                                    Code::ScopeSurface => {
                                        "the token's scope is honoured only in the Web SDK".into()
                                    }
                                    _ => format!(
                                        "the token lacks a scope that admits this route: {}",
                                        names.join(" or ")
                                    ),
                                };
                                Some(refuse(refusal.code, message, names))
                            }
                        }
                    }
                }
            }
        }
    };
    match verdict {
        Some(refused) => refused,
        None => next.run(request).await,
    }
}
