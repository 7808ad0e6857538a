//! People with access: each person's effective role and every channel that gives it (the
//! page `GET /v2/boards/{id}/access` answers), the public link as one more channel, and
//! for a direct grant the forms that change or remove it and the way to make its holder
//! the owner.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use easel_core::command::Command;
use easel_core::model::Grantee;
use easel_core::roles::{Access, BoardRole};
use easel_core::settings::{company_in_force, effective_public_link};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Asked, Extra, Sheet, access_label, back, render, role_label, segment};
use crate::AppState;
use crate::console::forms::csrf_field;
use crate::console::layout;
use crate::console::{Failure, Posted};
use crate::routes::board_members::AccessOut;
use crate::routes::run_on_board;
use crate::wire::CursorList;

/// The roles a direct grant may be changed to.
const ROLES: [BoardRole; 4] = [
    BoardRole::Viewer,
    BoardRole::Commenter,
    BoardRole::Editor,
    BoardRole::Coowner,
];

/// The list, with the notice that channels stand independently of one another.
pub fn section(s: &Sheet, people: &CursorList<AccessOut>) -> Markup {
    let link = link_channel(s);
    html! {
        section aria-labelledby="people-heading" {
            h2 id="people-heading" { "People with access" }
            p class="note" {
                "Everyone here has access through each channel listed beside them. "
                "Lowering or removing one channel leaves the others: someone removed from "
                "the people invited directly keeps what their group, team, project, the "
                "company or the link gives them."
            }
            @if let Some(why) = &s.share_refused {
                p class="muted" { "You may not change who has access: " (why) }
            }
            div class="table-wrap" {
                table {
                    caption class="sr-only" { "People with access and the channels that give it" }
                    thead {
                        tr {
                            th scope="col" { "Person" }
                            th scope="col" { "Access" }
                            th scope="col" { "Through" }
                            @if s.share_refused.is_none() { th scope="col" { "Change" } }
                        }
                    }
                    tbody {
                        @for p in &people.data {
                            (row(s, p))
                        }
                        @if let Some((access, note)) = link {
                            tr {
                                th scope="row" { "Anyone with the link" }
                                td { (access_label(access)) }
                                td { ul class="channels" { li { "Public link" @if let Some(n) = note { " (" (n) ")" } } } }
                                @if s.share_refused.is_none() { td { a href="#access-heading" { "Change link access" } } }
                            }
                        }
                    }
                }
            }
            @if let Some(next) = &people.cursor {
                p { a href=(s.href(&format!("?people={}", segment(next)))) { "More people" } }
            }
        }
    }
}

/// The public link as a channel, when the board gives anything by link: the access it is
/// set to, and what the settings make of it when they cap or suspend it.
fn link_channel(s: &Sheet) -> Option<(Access, Option<String>)> {
    let set = s.board.public_access;
    set.role()?;
    let org = s.state.org(s.board.org)?;
    let team = s.state.team(s.board.team)?;
    let ceiling =
        effective_public_link(company_in_force(org.plan, &org.settings), &team.settings).ceiling();
    let note = match ceiling.role() {
        None => Some("suspended: the company or team settings turn public links off".to_string()),
        Some(_) if ceiling < set => Some(format!(
            "limited to {} by the company or team settings",
            access_label(ceiling).to_lowercase()
        )),
        Some(_) => None,
    };
    Some((set, note))
}

/// One person: who, their effective role, each channel, and the controls for a direct grant.
fn row(s: &Sheet, p: &AccessOut) -> Markup {
    let user = s.state.find_user(&p.id);
    let direct = user.and_then(|u| s.board.grant(Grantee::User(u)));
    let is_owner = user == Some(s.board.owner);
    html! {
        tr {
            th scope="row" {
                (p.name)
                @if user == Some(s.viewer.user) { " (you)" }
                br;
                span class="muted" { (p.email) }
            }
            td {
                (p.role.and_then(BoardRole::parse).map_or("None", role_label))
                @if is_owner { " " span class="badge" { "Is owner" } }
            }
            td {
                ul class="channels" {
                    @for c in &p.channels { li { (channel(s, c.channel, &c.via, c.role)) } }
                }
            }
            @if s.share_refused.is_none() {
                td {
                    @if let (Some(current), false) = (direct, is_owner) {
                        (controls(s, p, current))
                    }
                }
            }
        }
    }
}

/// A channel in words: what it goes through, and the role it gives.
fn channel(s: &Sheet, kind: &str, via: &str, role: Option<&str>) -> String {
    let state = s.state;
    let role = role
        .and_then(BoardRole::parse)
        .map(|r| role_label(r).to_lowercase());
    let name = |found: Option<&str>| found.unwrap_or(via).to_string();
    let label = match kind {
        "owner" => return "Owner".to_string(),
        "coowner" => "Co-owner, invited directly".to_string(),
        "direct" => "Invited directly".to_string(),
        "group" => format!(
            "Group {}",
            name(
                state
                    .find_group(via)
                    .and_then(|g| state.group(g))
                    .map(|g| g.name.as_str())
            )
        ),
        "team" => format!(
            "Team {}",
            name(
                state
                    .find_team(via)
                    .and_then(|t| state.team(t))
                    .map(|t| t.name.as_str())
            )
        ),
        "project" => format!(
            "Project {}",
            name(
                state
                    .find_project(via)
                    .and_then(|p| state.project(p))
                    .map(|p| p.name.as_str())
            )
        ),
        "company" => format!(
            "Everyone at {}",
            name(
                state
                    .find_org(via)
                    .and_then(|o| state.org(o))
                    .map(|o| o.name.as_str())
            )
        ),
        "public_link" => "Public link".to_string(),
        "admin" => format!("Admin ({via})"),
        other => format!("{other} ({via})"),
    };
    match role {
        Some(r) => format!("{label}: {r}"),
        None => label,
    }
}

/// The forms of a direct grant: its role, its removal, and making its holder the owner,
/// each offered as the engine decides the command it sends.
fn controls(s: &Sheet, p: &AccessOut, current: BoardRole) -> Markup {
    let who = segment(&p.id);
    let roles: Vec<BoardRole> = ROLES
        .into_iter()
        .filter(|r| {
            s.dry(&Command::ChangeBoardMember {
                board: s.id().to_string(),
                user: p.id.clone(),
                role: *r,
            })
            .is_ok()
        })
        .collect();
    // A role the settings no longer allow (a co-owner while co-owners are off) is not
    // offered again; the form starts at the highest offered below it.
    let selected = roles.iter().copied().filter(|r| *r <= current).max();
    let change_refused = roles
        .is_empty()
        .then(|| {
            s.dry(&Command::ChangeBoardMember {
                board: s.id().to_string(),
                user: p.id.clone(),
                role: current,
            })
            .err()
            .map(|r| r.message)
        })
        .flatten();
    let remove_refused = s
        .dry(&Command::RemoveBoardMember {
            board: s.id().to_string(),
            user: p.id.clone(),
        })
        .err()
        .map(|r| r.message);
    let may_own = s
        .dry(&Command::TransferOwnership {
            board: s.id().to_string(),
            new_owner: p.id.clone(),
        })
        .is_ok();
    let field = format!("role-{}", p.id);
    html! {
        div class="row" {
            form method="post" action=(s.href(&format!("/members/{who}/role"))) class="row" {
                (csrf_field(s.viewer))
                label class="sr-only" for=(field) { "Direct access of " (p.name) }
                select id=(field) name="role" disabled[roles.is_empty()] {
                    @for r in &roles {
                        option value=(r.as_str()) selected[Some(*r) == selected] { (role_label(*r)) }
                    }
                    @if roles.is_empty() {
                        option value=(current.as_str()) selected { (role_label(current)) }
                    }
                }
                (layout::button("Change", change_refused.as_deref()))
            }
            form method="post" action=(s.href(&format!("/members/{who}/remove"))) class="inline" {
                (csrf_field(s.viewer))
                @match remove_refused.as_deref() {
                    None => button type="submit" class="secondary" aria-label=(format!("Remove direct access of {}", p.name)) { "Remove" },
                    Some(why) => (layout::button("Remove", Some(why))),
                }
            }
            @if may_own {
                a href=(s.href(&format!("/transfer/{who}"))) aria-label=(format!("Make owner: {}", p.name)) { "Make owner" }
            }
        }
    }
}

/// A new role for a direct grant.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    /// The role.
    #[serde(default)]
    pub role: String,
}

/// Changes a direct grant's role (`PATCH /v2/boards/{id}/members/{member}`).
pub async fn change(
    State(app): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    Posted { viewer, form }: Posted<RoleForm>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let Some(role) = BoardRole::parse(&form.role) else {
        let e = crate::error::ApiError::invalid(format!("unknown role `{}`", form.role));
        return render(&app, &viewer, &id, &asked, Extra::Refused(e));
    };
    let command = Command::ChangeBoardMember {
        board: id.clone(),
        user,
        role,
    };
    finish(&app, &viewer, &id, &asked, command, "role").await
}

/// Removes a direct grant (`DELETE /v2/boards/{id}/members/{member}`).
pub async fn remove(
    State(app): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    Posted { viewer, .. }: Posted<crate::console::sign_out::NoFields>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let command = Command::RemoveBoardMember {
        board: id.clone(),
        user,
    };
    finish(&app, &viewer, &id, &asked, command, "removed").await
}

/// Runs a form's command on the board: back to the dialog with `done`, or the dialog again
/// with the refusal (a board the viewer may not see is the 404 of an unknown one).
pub async fn finish(
    app: &AppState,
    viewer: &crate::console::Viewer,
    id: &str,
    asked: &Asked,
    command: Command,
    done: &str,
) -> Result<Response, Failure> {
    match run_on_board(app, &viewer.caller, id, command).await {
        Ok(_) => Ok(back(id, asked.embed, done)),
        Err(e) if e.code == easel_core::codes::Code::RequestNotFound => {
            // A member or request that is not there is told on the dialog; a board that is
            // not there (or not the viewer's to see) is the 404 page.
            let seen = {
                let reader = app.engine.read();
                crate::routes::seen_board(reader.state(), &viewer.caller, id, app.engine.now())
                    .is_ok()
            };
            if seen {
                render(app, viewer, id, asked, Extra::Refused(e))
            } else {
                Err(Failure::not_found())
            }
        }
        Err(e) => render(app, viewer, id, asked, Extra::Refused(e)),
    }
}
