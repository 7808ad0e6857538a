//! The start page (the viewer's organizations and the first boards they can open) and each
//! organization's overview, from which its admin sections are reached.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use easel_core::action::Action;
use easel_core::catalog::Capability;
use easel_core::lookup::reach_after;
use maud::{Markup, html};

use super::layout::{self, Place, Section};
use super::{Failure, Viewer};
use crate::AppState;
use crate::routes::orgs::seen_org;

/// How many boards the start page lists: it reads no more than that many.
const HOME_BOARDS: usize = 50;

/// The start page and the organization overview.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/ui",
            get(|| async { axum::response::Redirect::permanent("/ui/") }),
        )
        .route("/ui/", get(home))
        .route("/ui/orgs/{org}", get(overview))
}

async fn home(State(app): State<AppState>, viewer: Viewer) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let user = state.user(viewer.user).ok_or_else(Failure::not_found)?;
    let credential = viewer.caller.credential();
    // The organizations the session acts in and passes the credential layer of now.
    let orgs: Vec<&easel_core::model::Org> = user
        .orgs
        .iter()
        .filter(|m| viewer.bound.is_none_or(|b| b == m.org))
        .filter(|m| {
            easel_core::check_actor(state, viewer.user, credential, Some(m.org), now).is_ok()
        })
        .filter_map(|m| state.org(m.org))
        .collect();
    let mut boards = Vec::new();
    let mut more = false;
    if let Ok(walk) = reach_after(
        state,
        viewer.user,
        Action::Board(Capability::View),
        None,
        now,
    ) {
        for item in walk {
            let Some(b) = state.board(item.board) else {
                continue;
            };
            if !orgs.iter().any(|o| state.find_org(&o.id) == Some(b.org)) {
                continue;
            }
            if boards.len() == HOME_BOARDS {
                more = true;
                break;
            }
            boards.push((item.board, b));
        }
    }
    let body = html! {
        h2 { "Your organizations" }
        @if orgs.is_empty() {
            p class="muted" { "This session acts in no organization." }
        } @else {
            ul {
                @for o in &orgs {
                    li { a href=(Section::Overview.href(&o.id)) { (o.name) } }
                }
            }
        }
        h2 { "Boards you can open" }
        @if boards.is_empty() {
            p class="muted" { "No board is shared with you yet." }
        } @else {
            div class="table-wrap" {
                table {
                    thead { tr { th scope="col" { "Board" } th scope="col" { "Team" } th scope="col" { "Owner" } th scope="col" { span class="muted" { "Sharing" } } } }
                    tbody {
                        @for (_, b) in &boards {
                            tr {
                                td { (b.name) }
                                td { (state.team(b.team).map(|t| t.name.as_str()).unwrap_or("")) }
                                td { (state.user(b.owner).map(|u| u.name.as_str()).unwrap_or("")) }
                                td { a href=(format!("/ui/boards/{}/share", b.id)) aria-label=(format!("Share {}", b.name)) { "Share" } }
                            }
                        }
                    }
                }
            }
            @if more {
                p class="muted" { "The first " (HOME_BOARDS) " boards are shown." }
            }
        }
    };
    Ok(layout::page("Easel console", &viewer, Place::Home, body))
}

async fn overview(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, &org, None, now)?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let body = html! {
        p { "Plan: " strong { (format!("{:?}", the_org.plan).to_lowercase()) } }
        p { (the_org.members.len()) " members, " (the_org.teams.len()) " teams." }
        h2 { "Administration" }
        ul {
            @for s in Section::ALL.iter().skip(1) {
                li { a href=(s.href(&the_org.id)) { (s.title()) } }
            }
        }
    };
    Ok(layout::page(
        &the_org.name,
        &viewer,
        Place::Org {
            id: &the_org.id,
            name: &the_org.name,
            section: Section::Overview,
        },
        body,
    ))
}
