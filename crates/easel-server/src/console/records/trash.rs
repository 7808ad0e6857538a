//! The trash: the organization's trashed boards the viewer may see (their own, or every
//! one with `trash.view`), restored as `POST /v2/boards/{id}/restore` and purged as `DELETE
//! /v2/boards/{id}?permanent=true` do it, and each board's legal-hold state. Whether a
//! board may be restored or purged is the engine's answer: a held board's purge button is
//! disabled with the engine's refusal, which names the hold.

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use easel_core::EngineAction;
use easel_core::State as EngineState;
use easel_core::catalog::{Capability, Privilege};
use easel_core::codes::Code;
use easel_core::command::Command;
use easel_core::ids::BoardIx;
use easel_core::model::BoardState;
use easel_core::request::Target;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{self, Section};
use super::{
    Failure, OrgRef, Refused, Viewer, field, org_page, query_fields, refusal_of, see_other, seen,
    shown_time,
};
use crate::AppState;
use crate::console::Posted;
use crate::console::forms::csrf_field;
use crate::console::sign_out::NoFields;
use crate::cursor::Scope;
use crate::wire::iso;

/// Boards on one page.
const PAGE: usize = 50;

/// The most boards of the organization one page looks at: past that, the page shows what
/// it found and a link that looks further.
const PAGE_BUDGET: usize = 5_000;

/// What the page says after a form.
const DONE: [(&str, &str); 2] = [
    ("restored", "The board is back from the trash."),
    ("purged", "The board was deleted for good."),
];

/// The trash page and its forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/trash", get(page))
        .route("/ui/orgs/{org}/trash/{board}/restore", post(restore))
        .route("/ui/orgs/{org}/trash/{board}/purge", post(purge))
}

/// A trashed board as the page shows it.
struct Row {
    id: String,
    name: String,
    team: String,
    owner: String,
    trashed_at: Option<String>,
    /// Whether a legal hold keeps it.
    held: bool,
    /// The holds that keep it (`case: hold`), for a viewer who may read cases.
    holds: Vec<String>,
    restore: Option<Refused>,
    purge: Option<Refused>,
}

/// The trashed boards on one page, and where the next page starts.
struct Listing {
    rows: Vec<Row>,
    next: Option<usize>,
    stopped: bool,
}

fn scope(o: &OrgRef, viewer: &Viewer) -> Scope {
    Scope::new(&format!("console trash {}", o.id), &viewer.caller)
}

/// The holds over a board's owner, as `case: hold`.
fn holds_of(state: &EngineState, o: &OrgRef, owner: easel_core::ids::UserIx) -> Vec<String> {
    state
        .org_cases(o.ix)
        .iter()
        .filter_map(|c| state.case(*c))
        .filter(|c| !c.deleted)
        .flat_map(|c| {
            c.holds
                .iter()
                .filter(move |h| !h.released && h.users.binary_search(&owner).is_ok())
                .map(move |h| format!("{}: {}", c.name, h.name))
        })
        .collect()
}

fn row(
    state: &EngineState,
    viewer: &Viewer,
    o: &OrgRef,
    b: BoardIx,
    (cases, now): (bool, easel_core::Time),
) -> Option<Row> {
    let board = state.board(b)?;
    let held = state.is_held(b);
    Some(Row {
        id: board.id.to_string(),
        name: board.name.to_string(),
        team: state
            .team(board.team)
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        owner: state
            .user(board.owner)
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        trashed_at: match board.state {
            BoardState::Trashed(t) => Some(iso(t)),
            _ => None,
        },
        held,
        holds: if held && cases {
            holds_of(state, o, board.owner)
        } else {
            Vec::new()
        },
        restore: refusal_of(
            state,
            viewer,
            EngineAction::BoardRestore,
            Target::Board(b),
            now,
        ),
        purge: refusal_of(
            state,
            viewer,
            EngineAction::BoardPurge,
            Target::Board(b),
            now,
        ),
    })
}

/// The trashed boards the viewer may see, from the cursor's board on.
fn listing(
    state: &EngineState,
    viewer: &Viewer,
    o: &OrgRef,
    after: Option<usize>,
    now: easel_core::Time,
) -> Listing {
    let boards = state.org(o.ix).map_or(&[][..], |x| &x.boards[..]);
    let start = after.map_or(0, |a| boards.partition_point(|b| b.get() <= a));
    // Case names are shown to those who may read cases; others see that a hold applies.
    let cases = refusal_of(
        state,
        viewer,
        EngineAction::OrgLegalHolds,
        Target::Org(o.ix),
        now,
    )
    .is_none();
    let mut rows = Vec::new();
    // The board of the page's last row, and the last board looked at.
    let mut last_row = None;
    let mut last = None;
    for (looked, b) in boards.iter().skip(start).enumerate() {
        if looked == PAGE_BUDGET {
            return Listing {
                rows,
                next: last,
                stopped: true,
            };
        }
        last = Some(b.get());
        let trashed = state.board(*b).is_some_and(|x| x.is_trashed());
        // The trash shows what the engine lets the viewer see of a trashed board: its
        // owner and holders of `trash.view`.
        if !trashed || refusal_of(state, viewer, Capability::View, Target::Board(*b), now).is_some()
        {
            continue;
        }
        if rows.len() == PAGE {
            // One more than the page: the next page starts after the page's last row.
            return Listing {
                rows,
                next: last_row,
                stopped: false,
            };
        }
        if let Some(r) = row(state, viewer, o, *b, (cases, now)) {
            rows.push(r);
            last_row = Some(b.get());
        }
    }
    Listing {
        rows,
        next: None,
        stopped: false,
    }
}

/// The page, with `top` (a refusal or a notice) above the list.
fn render(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    fields: &[(String, String)],
    top: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen(state, viewer, org, now)?;
    let cursor = Some(field(fields, "cursor")).filter(|c| !c.is_empty());
    let after = app
        .engine
        .cursors()
        .open(&scope(&o, viewer), cursor)?
        .map(|p| {
            p.strip_prefix('b')
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| Failure::malformed("the cursor is not one of this list"))
        })
        .transpose()?;
    let list = listing(state, viewer, &o, after, now);
    let everyone = refusal_of(state, viewer, Privilege::TrashView, Target::Org(o.ix), now);
    let retention = state.org(o.ix).map_or(0, |x| x.trash_retention_days);
    let base = format!("/ui/orgs/{}/trash", o.id);
    let next = list.next.map(|n| {
        format!(
            "{base}?cursor={}",
            app.engine
                .cursors()
                .seal(&scope(&o, viewer), &format!("b{n}"))
        )
    });
    let body = html! {
        (layout::done_notice(Some(field(fields, "done")), &DONE))
        (top)
        p {
            "Trashed boards are kept " (retention) " days, then deleted. "
            "A board under a legal hold cannot be deleted for good until the hold is released."
        }
        @if let Some(r) = &everyone {
            p class="muted" { "You see the boards you own; the whole trash needs more: " (r.message) "." }
        }
        @if list.rows.is_empty() {
            p class="muted" { "Nothing in the trash that you may see." }
        } @else {
            div class="table-wrap" tabindex="0" role="region" aria-label="Trashed boards" {
                table class="trash" {
                    thead {
                        tr {
                            th scope="col" { "Board" }
                            th scope="col" { "Team" }
                            th scope="col" { "Owner" }
                            th scope="col" { "Trashed (UTC)" }
                            th scope="col" { "Legal hold" }
                            th scope="col" { "Actions" }
                        }
                    }
                    tbody {
                        @for r in &list.rows { (board_row(viewer, &o, r)) }
                    }
                }
            }
        }
        @if list.stopped {
            p class="notice" role="status" { "This page looked at " (PAGE_BUDGET) " boards and stopped; more may be in the trash." }
        }
        nav class="row paging" aria-label="Pages of the trash" {
            @if cursor.is_some() { a href=(base) { "First page" } }
            @if let Some(n) = next { a href=(n) rel="next" { "Next page" } }
        }
    };
    Ok(org_page(viewer, &o, Section::Trash, body))
}

/// A submit button named for its board, or the same button disabled with the engine's
/// refusal beside it.
fn action_button(label: &str, board: &str, class: &str, refused: Option<&Refused>) -> Markup {
    let name = format!("{label} {board}");
    match refused {
        None => html! { button type="submit" class=(class) aria-label=(name) { (label) } },
        Some(r) => html! {
            button type="submit" class=(class) aria-label=(name) disabled title=(r.message) { (label) }
            span class="why" { (r.message) " " code { (r.code.as_str()) } }
        },
    }
}

fn board_row(viewer: &Viewer, o: &OrgRef, r: &Row) -> Markup {
    let action = |verb: &str| format!("/ui/orgs/{}/trash/{}/{verb}", o.id, r.id);
    let confirm_id = format!("purge-confirm-{}", r.id);
    html! {
        tr data-board=(r.id) {
            th scope="row" { (r.name) br; span class="muted" { (r.id) } }
            td { (r.team) }
            td { (r.owner) }
            td { @if let Some(t) = &r.trashed_at { time datetime=(t) { (shown_time(t)) } } }
            td {
                @if r.held {
                    span class="badge held" { "Held" }
                    @if !r.holds.is_empty() {
                        ul class="holds" { @for h in &r.holds { li { (h) } } }
                    }
                } @else {
                    span class="muted" { "None" }
                }
            }
            td {
                form method="post" action=(action("restore")) class="inline-form" {
                    (csrf_field(viewer))
                    (action_button("Restore", &r.name, "secondary", r.restore.as_ref()))
                }
                form method="post" action=(action("purge")) class="inline-form purge" {
                    (csrf_field(viewer))
                    @if r.purge.is_none() {
                        label for=(confirm_id) class="confirm" {
                            input type="checkbox" id=(confirm_id) name="confirm" value="yes" required;
                            " Delete " (r.name) " for good, with its content"
                        }
                    }
                    (action_button("Delete for good", &r.name, "danger", r.purge.as_ref()))
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
) -> Result<Markup, Failure> {
    let fields = query_fields(raw.as_deref())?;
    render(&app, &viewer, &org, &fields, html! {})
}

/// The board a form names, if it is in the organization and the viewer may see it; the
/// same 404 as a missing one otherwise.
fn board_in(app: &AppState, viewer: &Viewer, org: &str, board: &str) -> Result<(), Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen(state, viewer, org, now)?;
    let b = crate::routes::seen_board(state, &viewer.caller, board, now)?;
    if state.board(b).is_some_and(|x| x.org == o.ix) {
        Ok(())
    } else {
        Err(Failure::not_found())
    }
}

/// Runs a trash command; a refusal re-renders the page with the engine's words.
async fn act(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    command: Command,
    done: &str,
) -> Result<Response, Failure> {
    match crate::routes::run(app, &viewer.caller, command).await {
        Ok(_) => Ok(see_other(format!("/ui/orgs/{org}/trash?done={done}"))),
        Err(e) if e.code == Code::RequestNotFound => Err(Failure::not_found()),
        Err(e) => {
            let status = e.status;
            let top = layout::refusal(&e.message, Some(e.code.as_str()));
            Ok((status, render(app, viewer, org, &[], top)?).into_response())
        }
    }
}

async fn restore(
    State(app): State<AppState>,
    Path((org, board)): Path<(String, String)>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    board_in(&app, &viewer, &org, &board)?;
    act(
        &app,
        &viewer,
        &org,
        Command::RestoreBoard { board },
        "restored",
    )
    .await
}

/// The purge form: its confirmation box.
#[derive(Debug, Deserialize)]
struct PurgeForm {
    #[serde(default)]
    confirm: String,
}

async fn purge(
    State(app): State<AppState>,
    Path((org, board)): Path<(String, String)>,
    Posted { viewer, form }: Posted<PurgeForm>,
) -> Result<Response, Failure> {
    board_in(&app, &viewer, &org, &board)?;
    if form.confirm != "yes" {
        let top = layout::refusal(
            "Tick the box to confirm: a board deleted for good cannot be brought back.",
            None,
        );
        return Ok((
            StatusCode::BAD_REQUEST,
            render(&app, &viewer, &org, &[], top)?,
        )
            .into_response());
    }
    act(&app, &viewer, &org, Command::PurgeBoard { board }, "purged").await
}
