//! The access explorer: pick a person of the organization and a board, team or project
//! (a GET form: the answer is an address one can keep), and see the engine's decision for
//! every action that applies to it, with every layer and every channel, as `POST
//! /v1/explain` gives it: the same `easel_core::explain`, written out by the decision
//! API's own `explain_out`, asked as a service asks it (about the person, presenting no
//! credential).
//!
//! Who may use it. The explorer shows how anyone in the organization reaches a resource,
//! which is what an admin sees and changes who has access with: it needs `boards.edit_access`
//! ("edit which users can access boards") across the organization, held by content admins,
//! and by company admins while `extended_content_admin` is on (MODEL.md §3: the admin
//! channel). Picking from the organization's people is reading the members list, which
//! needs `users.view` as `GET /v2/orgs/{org}/members` does. And each resource must be one
//! the engine lets the viewer edit access to (`boards.edit_access` asked about that board,
//! team or project), so the explorer never shows a resource the viewer could not already
//! see and change.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use easel_core::State as EngineState;
use easel_core::action::{Action, TargetKind};
use easel_core::catalog::Privilege;
use easel_core::ids::UserIx;
use easel_core::request::{Question, Target};
use maud::{Markup, html};

use super::layout::{self, Section};
use super::{
    Failure, OrgRef, Viewer, field, org_page, query_fields, refusal_of, refused_page, seen,
};
use crate::AppState;
use crate::decision::{ExplainOut, explain_out};

/// The most people or resources a select offers; past that, the field takes an id.
const MAX_OPTIONS: usize = 500;

/// The explorer.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/ui/orgs/{org}/explorer", get(page))
}

/// A resource the explorer may ask about.
#[derive(Clone, Debug)]
struct Resource {
    target: Target,
    kind: &'static str,
    id: String,
    name: String,
}

impl Resource {
    /// Its value in the form: `kind:id`.
    fn key(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
}

/// A resource of the organization that the viewer may edit access to.
fn resource(
    state: &EngineState,
    viewer: &Viewer,
    o: &OrgRef,
    target: Target,
    now: easel_core::Time,
) -> Option<Resource> {
    let (kind, id, name, org) = match target {
        Target::Board(b) => {
            let x = state.board(b)?;
            ("board", x.id.to_string(), x.name.to_string(), x.org)
        }
        Target::Team(t) => {
            let x = state.team(t).filter(|x| !x.deleted)?;
            ("team", x.id.to_string(), x.name.clone(), x.org)
        }
        Target::Project(p) => {
            let x = state.project(p).filter(|x| !x.deleted)?;
            ("project", x.id.to_string(), x.name.clone(), x.org)
        }
        Target::Org(_) => return None,
    };
    let ours = org == o.ix && target.is_live(state);
    let may = refusal_of(state, viewer, Privilege::BoardsEditAccess, target, now).is_none();
    (ours && may).then_some(Resource {
        target,
        kind,
        id,
        name,
    })
}

/// A resource the form names (`kind:id`), if the viewer may explore it; `None` answers a
/// missing one and one the viewer may not see alike.
fn named(
    state: &EngineState,
    viewer: &Viewer,
    o: &OrgRef,
    key: &str,
    now: easel_core::Time,
) -> Option<Resource> {
    let (kind, id) = key.split_once(':')?;
    let target = match kind {
        "board" => Target::Board(state.find_board(id)?),
        "team" => Target::Team(state.find_team(id)?),
        "project" => Target::Project(state.find_project(id)?),
        _ => return None,
    };
    resource(state, viewer, o, target, now)
}

/// The resources to offer, grouped by kind, or `None` when there are too many to list.
fn offered(
    state: &EngineState,
    viewer: &Viewer,
    o: &OrgRef,
    now: easel_core::Time,
) -> Option<Vec<(&'static str, Vec<Resource>)>> {
    let org = state.org(o.ix)?;
    let teams: Vec<_> = org.teams.iter().map(|t| Target::Team(*t)).collect();
    let projects: Vec<_> = org
        .teams
        .iter()
        .filter_map(|t| state.team(*t))
        .flat_map(|t| t.projects.iter().map(|p| Target::Project(*p)))
        .collect();
    let boards: Vec<_> = org.boards.iter().map(|b| Target::Board(*b)).collect();
    if teams.len() + projects.len() + boards.len() > MAX_OPTIONS {
        return None;
    }
    let pick = |targets: Vec<Target>| -> Vec<Resource> {
        let mut r: Vec<Resource> = targets
            .into_iter()
            .filter_map(|t| resource(state, viewer, o, t, now))
            .collect();
        r.sort_by_key(|a| a.name.to_lowercase());
        r
    };
    Some(vec![
        ("Boards", pick(boards)),
        ("Teams", pick(teams)),
        ("Projects", pick(projects)),
    ])
}

/// A person of the organization by id or email.
fn person(state: &EngineState, o: &OrgRef, text: &str) -> Option<UserIx> {
    let u = if text.contains('@') {
        state.find_email(text)?
    } else {
        state.find_user(text)?
    };
    let members = &state.org(o.ix)?.members;
    members.binary_search(&u).is_ok().then_some(u)
}

/// The actions that apply to a kind of resource: the board capabilities and the engine's
/// own actions on it. (Admin privileges apply to any resource but are about the person,
/// not the resource; the admin roles page lists them.)
fn actions(kind: TargetKind) -> Vec<Action> {
    Action::all()
        .filter(|a| !matches!(a, Action::Privilege(_)) && a.applies_to(kind))
        .collect()
}

/// The decision for every action, as `/v1/explain` answers each.
fn explained(
    state: &EngineState,
    user: &str,
    r: &Resource,
    revision: i64,
    now: easel_core::Time,
) -> Vec<(Action, ExplainOut)> {
    actions(r.target.kind())
        .into_iter()
        .filter_map(|action| {
            let q = Question {
                user: Some(user.to_string()),
                action: action.id().to_string(),
                target: (r.kind.to_string(), r.id.clone()),
                ..Question::default()
            };
            let req = q.resolve(state).ok()?;
            let explanation = easel_core::explain(state, &req, now);
            Some((action, explain_out(state, &explanation, revision)))
        })
        .collect()
}

/// What an id names, for people: `Name (id)` where Easel knows it.
fn named_id(state: &EngineState, id: &str) -> String {
    let name = state
        .find_user(id)
        .and_then(|x| state.user(x))
        .map(|x| x.name.clone())
        .or_else(|| {
            state
                .find_team(id)
                .and_then(|x| state.team(x))
                .map(|x| x.name.clone())
        })
        .or_else(|| {
            state
                .find_project(id)
                .and_then(|x| state.project(x))
                .map(|x| x.name.clone())
        })
        .or_else(|| {
            state
                .find_group(id)
                .and_then(|x| state.group(x))
                .map(|x| x.name.clone())
        })
        .or_else(|| {
            state
                .find_org(id)
                .and_then(|x| state.org(x))
                .map(|x| x.name.clone())
        });
    match name {
        Some(n) => format!("{n} ({id})"),
        None => id.to_string(),
    }
}

fn form(
    o: &OrgRef,
    people: Option<&[(String, String)]>,
    resources: Option<&[(&'static str, Vec<Resource>)]>,
    chosen: (&str, &str),
) -> Markup {
    html! {
        form method="get" action=(format!("/ui/orgs/{}/explorer", o.id)) class="explorer" {
            fieldset {
                legend { "Whose access, to what" }
                div class="row" {
                    div class="field" {
                        label for="explorer-person" { "Person" }
                        @match people {
                            Some(list) => {
                                select id="explorer-person" name="person" required {
                                    option value="" { "Choose a person" }
                                    @for (id, label) in list {
                                        option value=(id) selected[id == chosen.0] { (label) }
                                    }
                                }
                            }
                            None => {
                                input type="text" id="explorer-person" name="person" value=(chosen.0) required
                                    aria-describedby="explorer-person-hint" autocomplete="off";
                                span class="hint" id="explorer-person-hint" { "A user id or an email." }
                            }
                        }
                    }
                    div class="field" {
                        label for="explorer-resource" { "Board, team or project" }
                        @match resources {
                            Some(groups) => {
                                select id="explorer-resource" name="resource" required {
                                    option value="" { "Choose a resource" }
                                    @for (group, list) in groups {
                                        @if !list.is_empty() {
                                            optgroup label=(group) {
                                                @for r in list {
                                                    @let key = r.key();
                                                    option value=(key) selected[key == chosen.1] { (r.name) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            None => {
                                input type="text" id="explorer-resource" name="resource" value=(chosen.1) required
                                    aria-describedby="explorer-resource-hint" autocomplete="off";
                                span class="hint" id="explorer-resource-hint" { "kind:id, such as board:brd_9, team:team_4 or project:prj_2." }
                            }
                        }
                    }
                }
                button type="submit" { "Explain access" }
            }
        }
    }
}

/// The decisions: a summary line per action, then every channel and every layer.
fn decisions(state: &EngineState, who: &str, r: &Resource, all: &[(Action, ExplainOut)]) -> Markup {
    let first = all.first().map(|(_, e)| e);
    // For a board the channels are the person's, whatever the action: shown once when
    // every explanation agrees, and with each action otherwise.
    let same_channels = all.iter().all(|(_, e)| {
        first.is_some_and(|f| {
            serde_json::to_value(&f.channels).ok() == serde_json::to_value(&e.channels).ok()
        })
    });
    html! {
        h2 { "What " (who) " may do on the " (r.kind) " " (r.name) }
        @if let Some(f) = first { p class="muted" { "Decided at revision " (f.answer.revision) ", as /v1/explain answers." } }
        div class="table-wrap" tabindex="0" role="region" aria-label="Decisions by action" {
            table class="decisions" {
                thead { tr { th scope="col" { "Action" } th scope="col" { "Decision" } th scope="col" { "Role" } th scope="col" { "Why" } } }
                tbody {
                    @for (action, e) in all {
                        @let code = e.answer.denied_by.as_ref().map(|d| d.code).unwrap_or("");
                        tr data-action=(action.id()) data-allowed=(e.answer.allowed) data-code=(code) data-role=(e.answer.role.unwrap_or("")) {
                            th scope="row" { code { (action.id()) } }
                            td {
                                @if e.answer.allowed { span class="allowed" { "Allowed" } }
                                @else { span class="refused" { "Refused" } }
                            }
                            td { (e.answer.role.unwrap_or("—")) }
                            td {
                                @if let Some(d) = &e.answer.denied_by {
                                    (d.message) " " span class="muted" { "(" (d.layer) ": " code { (d.code) } ")" }
                                } @else {
                                    ul class="channels" {
                                        @for reason in &e.answer.reasons {
                                            li {
                                                (reason.channel) " via " (named_id(state, &reason.via))
                                                @if let Some(role) = reason.role { " as " (role) }
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
        @if same_channels && first.is_some_and(|f| !f.channels.is_empty()) {
            h2 { "Channels" }
            @if let Some(f) = first { (channels(state, f)) }
        }
        h2 { "Layers, action by action" }
        @for (action, e) in all {
            details class="explained" data-action=(action.id()) {
                summary {
                    code { (action.id()) } " — "
                    @if e.answer.allowed { "allowed" } @else { "refused" }
                }
                (layers(action.id(), e))
                @if !same_channels { (channels(state, e)) }
            }
        }
    }
}

fn layers(action: &str, e: &ExplainOut) -> Markup {
    html! {
        div class="table-wrap" tabindex="0" role="region" aria-label=(format!("Layers of {action}")) {
            table class="layers" {
                thead { tr { th scope="col" { "Layer" } th scope="col" { "Outcome" } th scope="col" { "Note" } } }
                tbody {
                    @for l in &e.layers {
                        tr data-layer=(l.layer) data-outcome=(l.outcome) {
                            th scope="row" { (l.layer) }
                            td class=[match l.outcome { "passed" => Some("allowed"), "refused" => Some("refused"), _ => None }] { (l.outcome.replace('_', " ")) }
                            td { (l.note) }
                        }
                    }
                }
            }
        }
    }
}

fn channels(state: &EngineState, e: &ExplainOut) -> Markup {
    html! {
        div class="table-wrap" tabindex="0" role="region" aria-label="Channels" {
            table class="channel-table" {
                thead { tr { th scope="col" { "Channel" } th scope="col" { "Through" } th scope="col" { "Gives" } th scope="col" { "Note" } } }
                tbody {
                    @for c in &e.channels {
                        tr data-channel=(c.channel) data-gives=(c.gives.unwrap_or("")) {
                            th scope="row" { (c.channel) }
                            td { @if let Some(v) = &c.via { (named_id(state, v)) } }
                            td { (c.gives.unwrap_or("nothing")) }
                            td { (c.note) }
                        }
                    }
                }
            }
        }
    }
}

async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let fields = query_fields(raw.as_deref())?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen(state, &viewer, &org, now)?;
    for privilege in [Privilege::BoardsEditAccess, Privilege::UsersView] {
        if let Some(r) = refusal_of(state, &viewer, privilege, Target::Org(o.ix), now) {
            return Ok(refused_page(&viewer, &o, Section::Explorer, &r));
        }
    }
    let members = state.org(o.ix).map_or(&[][..], |x| &x.members[..]);
    let people: Option<Vec<(String, String)>> = (members.len() <= MAX_OPTIONS).then(|| {
        let mut p: Vec<(String, String)> = members
            .iter()
            .filter_map(|u| state.user(*u))
            .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
            .collect();
        p.sort_by_key(|a| a.1.to_lowercase());
        p
    });
    let resources = offered(state, &viewer, &o, now);
    let chosen = (field(&fields, "person"), field(&fields, "resource"));
    let top = form(&o, people.as_deref(), resources.as_deref(), chosen);
    if chosen.0.is_empty() || chosen.1.is_empty() {
        let body = html! {
            p { "Choose a person and a board, team or project to see what the engine decides for each action, and why." }
            (top)
        };
        return Ok(org_page(&viewer, &o, Section::Explorer, body).into_response());
    }
    let who = person(state, &o, chosen.0);
    let what = named(state, &viewer, &o, chosen.1, now);
    let (Some(u), Some(r)) = (who, what) else {
        // A person or resource that is not there, or not the viewer's to explore, is
        // answered alike.
        let body = html! {
            (top)
            (layout::refusal("There is no such person or resource here, or it is not yours to explore.", Some("request.not_found")))
        };
        return Ok((
            StatusCode::NOT_FOUND,
            org_page(&viewer, &o, Section::Explorer, body),
        )
            .into_response());
    };
    let user = state.user(u).ok_or_else(Failure::not_found)?;
    let all = explained(state, &user.id, &r, reader.revision(), now);
    let body = html! {
        (top)
        (decisions(state, &user.name, &r, &all))
    };
    Ok(org_page(&viewer, &o, Section::Explorer, body).into_response())
}
