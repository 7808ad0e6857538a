//! Apps: the apps installed in each team of the organization (`apps.manage_settings`), the
//! app allowlist, seen and changed as `GET|POST /v2/orgs/{org}/app-allowlist` do
//! (`apps.manage_allowlist`), and the pending requests to allow apps, approved or denied as
//! `POST /v2/orgs/{org}/app-requests/{request}/approve|deny` do (`apps.manage_requests`).
//! Each part asks the engine for its own privilege: a viewer without it sees the engine's
//! refusal in its place.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use easel_core::State as EngineState;
use easel_core::catalog::{Privilege, ScopeSet};
use easel_core::command::Command;
use easel_core::model::RequestState;
use easel_core::request::Target;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{self, Section};
use super::{
    Failure, OrgRef, Refused, Viewer, field, org_page, query_fields, refusal_of, see_other, seen,
};
use crate::AppState;
use crate::console::Posted;
use crate::console::forms::csrf_field;
use crate::console::sign_out::NoFields;

/// The most installations and requests the page lists.
const MAX_LISTED: usize = 200;

/// What the page says after a form.
const DONE: [(&str, &str); 6] = [
    ("added", "The app is on the allowlist."),
    ("removed", "The app is off the allowlist."),
    (
        "on",
        "The allowlist is on: only the apps on it may be installed.",
    ),
    ("off", "The allowlist is off: every app may be installed."),
    ("approved", "The request was approved."),
    ("denied", "The request was denied."),
];

/// The apps page and its forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/apps", get(page))
        .route("/ui/orgs/{org}/apps/allowlist/add", post(add))
        .route("/ui/orgs/{org}/apps/allowlist/remove", post(remove))
        .route("/ui/orgs/{org}/apps/allowlist/off", post(off))
        .route(
            "/ui/orgs/{org}/apps/requests/{request}/{verb}",
            post(decide),
        )
}

fn scope_names(set: ScopeSet) -> String {
    let names: Vec<&str> = set.iter().map(|s| s.name()).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The installed apps, grouped by team.
fn installed(state: &EngineState, o: &OrgRef) -> Markup {
    // (team name, app name) → (app id, granted, awaiting consent)
    let mut rows: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    let mut more = false;
    for (_, inst) in state.all_installations() {
        if inst.org != o.ix || !inst.active {
            continue;
        }
        let (Some(team), Some(app)) = (state.team(inst.team), state.app(inst.app)) else {
            continue;
        };
        if team.deleted || app.deleted {
            continue;
        }
        if rows.len() == MAX_LISTED {
            more = true;
            break;
        }
        rows.insert(
            (team.name.clone(), app.name.clone(), inst.id.to_string()),
            (
                scope_names(inst.granted),
                scope_names(app.enabled.difference(inst.granted)),
            ),
        );
    }
    html! {
        @if rows.is_empty() {
            p class="muted" { "No team has an app installed." }
        } @else {
            div class="table-wrap" tabindex="0" role="region" aria-label="Installed apps" {
                table class="installed" {
                    thead {
                        tr {
                            th scope="col" { "Team" }
                            th scope="col" { "App" }
                            th scope="col" { "Scopes granted" }
                            th scope="col" { "Awaiting a member's consent" }
                        }
                    }
                    tbody {
                        @for ((team, app, inst), (granted, pending)) in &rows {
                            tr data-installation=(inst) {
                                td { (team) }
                                th scope="row" { (app) }
                                td { (granted) }
                                td { (pending) }
                            }
                        }
                    }
                }
            }
            @if more { p class="muted" { "The first " (MAX_LISTED) " installations are shown." } }
        }
    }
}

/// The allowlist and its forms.
fn allowlist(state: &EngineState, viewer: &Viewer, o: &OrgRef) -> Markup {
    let list = state.org(o.ix).and_then(|x| x.app_allowlist.as_ref());
    let base = format!("/ui/orgs/{}/apps/allowlist", o.id);
    html! {
        @match list {
            None => {
                p { strong { "Off." } " Every app may be installed in the organization's teams." }
            }
            Some(apps) => {
                p { strong { "On." } " Only the apps listed here may be installed." }
                @if apps.is_empty() {
                    p class="muted" { "No app is on the allowlist: none may be installed." }
                } @else {
                    div class="table-wrap" tabindex="0" role="region" aria-label="Apps on the allowlist" {
                        table class="allowlist" {
                            thead { tr { th scope="col" { "App" } th scope="col" { "Id" } th scope="col" { "Remove" } } }
                            tbody {
                                @for a in apps {
                                    @if let Some(app) = state.app(*a) {
                                        tr data-app=(app.id) {
                                            th scope="row" { (app.name) }
                                            td { code { (app.id) } }
                                            td {
                                                form method="post" action=(format!("{base}/remove")) class="inline-form" {
                                                    (csrf_field(viewer))
                                                    input type="hidden" name="app" value=(app.id);
                                                    button type="submit" class="secondary" aria-label=(format!("Remove {} from the allowlist", app.name)) { "Remove" }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                form method="post" action=(format!("{base}/off")) {
                    (csrf_field(viewer))
                    button type="submit" class="secondary" { "Turn the allowlist off" }
                }
            }
        }
        form method="post" action=(format!("{base}/add")) {
            (csrf_field(viewer))
            div class="field" {
                label for="allowlist-app" { "App id" }
                input type="text" id="allowlist-app" name="app" required autocomplete="off" aria-describedby="allowlist-app-hint";
                span class="hint" id="allowlist-app-hint" {
                    @if list.is_none() { "Adding an app turns the allowlist on: from then on only listed apps may be installed." }
                    @else { "The app's client id, as its developers give it." }
                }
            }
            button type="submit" { "Add to the allowlist" }
        }
    }
}

/// The pending requests to allow apps.
fn requests(state: &EngineState, viewer: &Viewer, o: &OrgRef) -> Markup {
    let pending: Vec<_> = state
        .org_app_requests(o.ix)
        .iter()
        .filter_map(|r| state.app_request(*r))
        .filter(|r| r.org == o.ix && r.state == RequestState::Pending)
        .take(MAX_LISTED)
        .collect();
    html! {
        @if pending.is_empty() {
            p class="muted" { "No request is waiting." }
        } @else {
            div class="table-wrap" tabindex="0" role="region" aria-label="Requests to allow apps" {
                table class="app-requests" {
                    thead { tr { th scope="col" { "Who asks" } th scope="col" { "App" } th scope="col" { "Decide" } } }
                    tbody {
                        @for r in &pending {
                            @let who = state.user(r.user).map(|u| u.name.clone()).unwrap_or_default();
                            @let app = state.app(r.app).map(|a| a.name.clone()).unwrap_or_default();
                            tr data-request=(r.id) {
                                td { (who) }
                                th scope="row" { (app) }
                                td {
                                    @for (verb, label, class) in [("approve", "Approve", ""), ("deny", "Deny", "secondary")] {
                                        form method="post" action=(format!("/ui/orgs/{}/apps/requests/{}/{verb}", o.id, r.id)) class="inline-form" {
                                            (csrf_field(viewer))
                                            button type="submit" class=(class) aria-label=(format!("{label} {who}'s request for {app}")) { (label) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A part of the page: its content, or the engine's refusal of its privilege.
fn part(refused: Option<Refused>, content: impl FnOnce() -> Markup) -> Markup {
    match refused {
        Some(r) => layout::refusal(&r.message, Some(r.code.as_str())),
        None => content(),
    }
}

/// The page, with `top` (a refusal) above its parts.
fn render(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    done: &str,
    top: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen(state, viewer, org, now)?;
    let may = |p: Privilege| refusal_of(state, viewer, p, Target::Org(o.ix), now);
    let body = html! {
        (layout::done_notice(Some(done), &DONE))
        (top)
        h2 { "Installed apps" }
        (part(may(Privilege::AppsManageSettings), || installed(state, &o)))
        h2 { "App allowlist" }
        (part(may(Privilege::AppsManageAllowlist), || allowlist(state, viewer, &o)))
        h2 { "Requests to allow apps" }
        (part(may(Privilege::AppsManageRequests), || requests(state, viewer, &o)))
    };
    Ok(org_page(viewer, &o, Section::Apps, body))
}

async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, Failure> {
    let fields = query_fields(raw.as_deref())?;
    render(&app, &viewer, &org, field(&fields, "done"), html! {})
}

/// Runs a command of the page; a refusal re-renders the page with the engine's words.
async fn act(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    command: Command,
    done: &str,
) -> Result<Response, Failure> {
    match crate::routes::run(app, &viewer.caller, command).await {
        Ok(_) => Ok(see_other(format!("/ui/orgs/{org}/apps?done={done}"))),
        Err(e) => {
            let top = layout::refusal(&e.message, Some(e.code.as_str()));
            Ok((e.status, render(app, viewer, org, "", top)?).into_response())
        }
    }
}

/// The allowlist as it stands (`None`: off), in an organization the viewer may see.
fn current(app: &AppState, viewer: &Viewer, org: &str) -> Result<Option<Vec<String>>, Failure> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen(state, viewer, org, app.engine.now())?;
    Ok(state
        .org(o.ix)
        .and_then(|x| x.app_allowlist.as_ref())
        .map(|l| {
            l.iter()
                .filter_map(|a| state.app(*a).map(|x| x.id.to_string()))
                .collect()
        }))
}

/// An app named by a form.
#[derive(Debug, Deserialize)]
struct AppForm {
    app: String,
}

async fn add(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<AppForm>,
) -> Result<Response, Failure> {
    let id = form.app.trim().to_string();
    let mut list = current(&app, &viewer, &org)?.unwrap_or_default();
    if !list.contains(&id) {
        list.push(id);
    }
    let command = Command::SetAppAllowlist {
        org: org.clone(),
        apps: Some(list),
    };
    act(&app, &viewer, &org, command, "added").await
}

async fn remove(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<AppForm>,
) -> Result<Response, Failure> {
    let id = form.app.trim();
    // Removing from an allowlist that is off changes nothing but is asked all the same, so
    // the engine decides (and audits) it as it would any change.
    let list = current(&app, &viewer, &org)?.map(|l| l.into_iter().filter(|a| a != id).collect());
    let command = Command::SetAppAllowlist {
        org: org.clone(),
        apps: list,
    };
    act(&app, &viewer, &org, command, "removed").await
}

async fn off(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    current(&app, &viewer, &org)?;
    let command = Command::SetAppAllowlist {
        org: org.clone(),
        apps: None,
    };
    act(&app, &viewer, &org, command, "off").await
}

async fn decide(
    State(app): State<AppState>,
    Path((org, request, verb)): Path<(String, String, String)>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen(state, &viewer, &org, app.engine.now())?;
        // A request of another organization is answered as a missing one.
        let ours = state
            .find_app_request(&request)
            .and_then(|r| state.app_request(r))
            .is_some_and(|r| r.org == o.ix);
        if !ours {
            return Err(Failure::not_found());
        }
    }
    let (command, done) = match verb.as_str() {
        "approve" => (Command::ApproveAppRequest { request }, "approved"),
        "deny" => (Command::DenyAppRequest { request }, "denied"),
        _ => return Err(Failure::not_found()),
    };
    act(&app, &viewer, &org, command, done).await
}
