//! Which OAuth scopes admit an app token to a route (MODEL.md §8, the scope catalog), and
//! the middleware that enforces it. Each route's rule is part of its declaration in the
//! route table (`table.rs`); this module names the rules several resources share and looks
//! up the matched route's rule in a map built once at start-up. `docs/scopes.md` is
//! generated from the same table.
//!
//! Personal tokens, sessions and service tokens have no scope layer: they pass untouched.
//! An app token must carry one of the route's scopes, granted to its installation, usable
//! on the REST surface and on its organization's plan.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use easel_core::catalog::{Plan, Scope, ScopeSet, Surface};
use easel_core::codes::Code;
use easel_core::model::TokenKind;
use easel_core::request::Credential;
use easel_core::{AppScopes, admit_scopes};
use serde_json::json;

use std::sync::Arc;

use crate::AppState;
use crate::auth::{Caller, resolve};
use crate::error::ApiError;
use crate::table::Rules;

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
    OneOf(&'static [Scope]),
    /// App tokens are refused: the route is for people or for services.
    NotForApps,
}

/// Reading boards and what is on them.
pub const BOARDS_READ: Rule = Rule::OneOf(&[Scope::BoardsRead, Scope::MuralsRead]);
/// Changing boards and what is on them.
pub const BOARDS_WRITE: Rule = Rule::OneOf(&[Scope::BoardsWrite, Scope::MuralsWrite]);
/// Reading teams.
pub const TEAMS_READ: Rule = Rule::OneOf(&[Scope::OrganizationsTeamsRead, Scope::RoomsRead]);
/// Changing teams.
pub const TEAMS_WRITE: Rule = Rule::OneOf(&[Scope::OrganizationsTeamsWrite, Scope::RoomsWrite]);
/// Reading projects.
pub const PROJECTS_READ: Rule = Rule::OneOf(&[Scope::ProjectsRead, Scope::RoomsRead]);
/// Changing projects.
pub const PROJECTS_WRITE: Rule = Rule::OneOf(&[Scope::ProjectsWrite, Scope::RoomsWrite]);
/// Reading the organization, its settings and its directory.
pub const ORG_READ: Rule = Rule::OneOf(&[Scope::OrganizationsRead, Scope::WorkspacesRead]);
/// Reading user groups.
pub const GROUPS_READ: Rule = Rule::OneOf(&[Scope::OrganizationsGroupsRead]);
/// Changing user groups.
pub const GROUPS_WRITE: Rule = Rule::OneOf(&[Scope::OrganizationsGroupsWrite]);
/// Reading the organization's members.
pub const USERS_READ: Rule = Rule::OneOf(&[Scope::UsersRead]);
/// Legal cases and their holds.
pub const CASES: Rule = Rule::OneOf(&[Scope::OrganizationsCasesManagement]);

/// The scope layer's state: the application and every route's rule.
#[derive(Clone)]
pub struct Guard {
    /// The application.
    pub app: AppState,
    /// The rules, by method and matched route.
    pub rules: Arc<Rules>,
}

/// Scopes as a list for a message: `a` or `b`.
fn listed(scopes: ScopeSet) -> String {
    scopes
        .iter()
        .map(|s| format!("`{}`", s.name()))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn refuse(code: Code, message: String, scopes: &[Scope]) -> Response {
    let scopes: Vec<&str> = scopes.iter().map(|s| s.name()).collect();
    ApiError::new(code, message)
        .with_context(json!({"layer": "scope", "scopes": scopes}))
        .into_response()
}

/// Refuses an app token the route's scopes do not admit, before the route runs.
pub async fn enforce(State(layer): State<Guard>, mut request: Request, next: Next) -> Response {
    let Some(route) = request.extensions().get::<MatchedPath>() else {
        return next.run(request).await;
    };
    // A method the path does not declare (the router answers it 405) and a route added
    // around the table have no rule anyone wrote: they get the strictest, so an app token
    // is never let through by omission. `tests/routes.rs` finds such routes.
    let rule = layer
        .rules
        .rule(request.method(), route.as_str())
        .unwrap_or(Rule::NotForApps);
    let app = &layer.app;
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::auth::bearer)
        .map(str::to_string);
    let Some(bearer) = bearer else {
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
                match rule {
                    Rule::Open | Rule::AnyScope => None,
                    Rule::NotForApps => Some(refuse(
                        Code::ScopeNotForApps,
                        "app tokens are not admitted here".into(),
                        &[],
                    )),
                    Rule::OneOf(admits) => {
                        let admitting: ScopeSet = admits.iter().copied().collect();
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
                                        admits
                                            .iter()
                                            .map(|s| s.name())
                                            .collect::<Vec<_>>()
                                            .join(" or ")
                                    ),
                                };
                                Some(refuse(refusal.code, message, admits))
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
