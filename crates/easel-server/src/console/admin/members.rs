//! Members (`/ui/orgs/{org}/members`): the organization's members and guests, read as
//! `GET /v2/orgs/{org}/members` reads them (`users.view`, the same filters and the same
//! walk, so a page costs the page), deactivated and reactivated as its PATCH does, and
//! removed with a successor for their boards as its DELETE does.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use easel_core::catalog::{AdminRole, Privilege};
use easel_core::command::Command;
use easel_core::roles::MemberKind;
use maud::{Markup, html};
use serde::Deserialize;

use super::fields::words;
use super::{
    form_encode, given, org_page, pager, paging, privilege_refused, refusal_of, refused_again,
    row_action, see_other,
};
use crate::AppState;
use crate::console::layout::{self, Section};
use crate::console::sign_out::NoFields;
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::group_kinds::user_ref;
use crate::routes::orgs::{MemberFilter, OrgMemberOut, member_page, members_by_emails, seen_org};

const DONE: [(&str, &str); 3] = [
    (
        "deactivated",
        "The member is deactivated: they can no longer sign in here.",
    ),
    ("reactivated", "The member is active again."),
    (
        "removed",
        "The member is removed; their boards went to their successor.",
    ),
];

/// The members pages and forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/members", get(list))
        .route("/ui/orgs/{org}/members/{user}/deactivate", post(deactivate))
        .route("/ui/orgs/{org}/members/{user}/reactivate", post(reactivate))
        .route(
            "/ui/orgs/{org}/members/{user}/remove",
            get(confirm_removal).post(remove),
        )
}

/// The list's filters, paging and notice.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Only the member with this email.
    pub email: Option<String>,
    /// Only this role: `member`, `guest` or an admin role.
    pub role: Option<String>,
    /// `true` for active members, `false` for deactivated ones.
    pub active: Option<String>,
    /// Where the list goes on from.
    pub cursor: Option<String>,
    /// What a form just did.
    pub done: Option<String>,
}

/// The roles the list filters by: a kind of membership, or an organization-level admin role.
fn role_filters() -> Vec<&'static str> {
    [MemberKind::Member.as_str(), MemberKind::Guest.as_str()]
        .into_iter()
        .chain(
            AdminRole::ALL
                .iter()
                .filter(|r| **r != AdminRole::TeamContentAdmin)
                .map(|r| r.as_str()),
        )
        .collect()
}

async fn list(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Markup, Failure> {
    let notice = layout::done_notice(q.done.as_deref(), &DONE);
    render_list(&app, &viewer, &org, &q, notice)
}

fn render_list(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    q: &ListQuery,
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let email = given(q.email.as_deref());
    let role = given(q.role.as_deref()).filter(|r| role_filters().contains(r));
    let active = match given(q.active.as_deref()) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let filters = format!(
        "role={}&active={}",
        form_encode(role.unwrap_or("")),
        active.map_or("", |a| if a { "true" } else { "false" })
    );
    let pager = pager(
        app,
        viewer,
        &format!("members {org} {filters}"),
        q.cursor.as_deref(),
    )?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, org, Some(Privilege::UsersView), now)?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let (rows, next) = match email {
        Some(e) => (members_by_emails(state, o, e), None),
        None => {
            let filter = MemberFilter {
                role,
                licence: None,
                active,
            };
            let page = member_page(state, o, &filter, &pager)?;
            (page.data, page.cursor)
        }
    };
    let base = format!("/ui/orgs/{}/members", the_org.id);
    let action = |user: &str, verb: &str| format!("{base}/{}/{verb}", form_encode(user));
    let row_refusal = |command: Command| refusal_of(state, viewer, &command, now);
    let remove_refused = privilege_refused(state, viewer, Privilege::UsersRemove, o, now);
    let body = html! {
        (notice)
        form method="get" action=(base) class="filters" {
            div class="row" {
                div class="field" {
                    label for="m-email" { "Email" }
                    input type="email" id="m-email" name="email" value=[email] autocomplete="off";
                }
                div class="field" {
                    label for="m-role" { "Role" }
                    select id="m-role" name="role" {
                        option value="" selected[role.is_none()] { "Any" }
                        @for r in role_filters() {
                            option value=(r) selected[role == Some(r)] { (words(r)) }
                        }
                    }
                }
                div class="field" {
                    label for="m-active" { "Status" }
                    select id="m-active" name="active" {
                        option value="" selected[active.is_none()] { "Any" }
                        option value="true" selected[active == Some(true)] { "Active" }
                        option value="false" selected[active == Some(false)] { "Deactivated" }
                    }
                }
                button type="submit" class="secondary" { "Filter" }
            }
        }
        @if rows.is_empty() {
            p class="muted" { "No member matches." }
        } @else {
            div class="table-wrap" {
                table {
                    thead { tr {
                        th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Kind" }
                        th scope="col" { "Admin roles" } th scope="col" { "Licence" } th scope="col" { "Status" }
                        th scope="col" { "Actions" }
                    } }
                    tbody {
                        @for m in &rows {
                            (row(viewer, m, &action, &row_refusal, (&the_org.id, remove_refused.as_deref())))
                        }
                    }
                }
            }
        }
        (paging(&base, &filters_query(role, active), q.cursor.is_none(), next.as_deref()))
    };
    Ok(org_page(
        Section::Members.title(),
        viewer,
        the_org,
        Section::Members,
        body,
    ))
}

/// The filters as the list's links carry them.
fn filters_query(role: Option<&str>, active: Option<bool>) -> String {
    let mut parts = Vec::new();
    if let Some(r) = role {
        parts.push(format!("role={}", form_encode(r)));
    }
    if let Some(a) = active {
        parts.push(format!("active={a}"));
    }
    parts.join("&")
}

/// A member's row. Deactivating is decided per member by the command itself (it refuses,
/// for one, the last company admin); removing, whose command walks every board of the
/// member, is offered to holders of `users.remove`, and its own page decides the command.
fn row(
    viewer: &Viewer,
    m: &OrgMemberOut,
    action: &impl Fn(&str, &str) -> String,
    refusal: &impl Fn(Command) -> Option<String>,
    (org, remove_refused): (&str, Option<&str>),
) -> Markup {
    let roles: Vec<String> = m.admin_roles.iter().map(|r| words(r.name)).collect();
    let (verb, label, command) = if m.active {
        (
            "deactivate",
            "Deactivate",
            Command::DeactivateUser {
                org: org.to_string(),
                user: m.id.clone(),
            },
        )
    } else {
        (
            "reactivate",
            "Reactivate",
            Command::ReactivateUser {
                org: org.to_string(),
                user: m.id.clone(),
            },
        )
    };
    let toggle_refused = refusal(command);

    html! {
        tr {
            td { (m.name) }
            td { (m.email) }
            td { (words(m.kind)) }
            td { @if roles.is_empty() { span class="muted" { "none" } } @else { (roles.join(", ")) } }
            td { (words(m.licence)) }
            td { @if m.active { "Active" } @else { span class="refused" { "Deactivated" } } }
            td {
                div class="row" {
                    (row_action(viewer, &action(&m.id, verb), &[], (label, &m.name), false, toggle_refused.as_deref()))
                    @match remove_refused {
                        None => a href=(action(&m.id, "remove")) aria-label=(format!("Remove {}", m.name)) { "Remove…" },
                        Some(why) => {
                            button type="button" disabled title=(why) aria-label=(format!("Remove {}", m.name)) { "Remove…" }
                            span class="why" { (why) }
                        }
                    }
                }
            }
        }
    }
}

/// Checks the page's organization and member before a change: a 404 for either.
fn member_of(app: &AppState, viewer: &Viewer, org: &str, user: &str) -> Result<String, Failure> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, org, None, app.engine.now())?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    state
        .find_user(user)
        .and_then(|u| state.membership(u, o))
        .ok_or_else(Failure::not_found)?;
    Ok(the_org.id.to_string())
}

async fn deactivate(
    State(app): State<AppState>,
    Path((org, user)): Path<(String, String)>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let id = member_of(&app, &viewer, &org, &user)?;
    let command = Command::DeactivateUser { org: id, user };
    change(&app, &viewer, &org, command, "deactivated").await
}

async fn reactivate(
    State(app): State<AppState>,
    Path((org, user)): Path<(String, String)>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let id = member_of(&app, &viewer, &org, &user)?;
    let command = Command::ReactivateUser { org: id, user };
    change(&app, &viewer, &org, command, "reactivated").await
}

/// Runs a change of a member and goes back to the list, or shows the list with the refusal.
async fn change(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    command: Command,
    done: &str,
) -> Result<Response, Failure> {
    match crate::routes::run(app, &viewer.caller, command).await {
        Ok(_) => Ok(see_other(&format!("/ui/orgs/{org}/members?done={done}"))),
        Err(e) => refused_again(e, |notice| {
            render_list(app, viewer, org, &ListQuery::default(), notice)
        }),
    }
}

/// The removal form's fields.
#[derive(Debug, Deserialize)]
pub struct RemovalForm {
    /// Who receives the member's boards: an email or a user id; empty leaves each board to
    /// the oldest admin of its team, else the account owner.
    #[serde(default)]
    pub successor: String,
}

async fn confirm_removal(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((org, user)): Path<(String, String)>,
) -> Result<Markup, Failure> {
    removal_page(&app, &viewer, (&org, &user), html! {})
}

fn removal_page(
    app: &AppState,
    viewer: &Viewer,
    (org, user): (&str, &str),
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, org, Some(Privilege::UsersView), now)?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let m = state
        .find_user(user)
        .and_then(|u| OrgMemberOut::of(state, o, u))
        .ok_or_else(Failure::not_found)?;
    let refused = refusal_of(
        state,
        viewer,
        &Command::RemoveUser {
            org: the_org.id.to_string(),
            user: m.id.clone(),
            successor: None,
        },
        now,
    );
    let base = format!("/ui/orgs/{}/members", the_org.id);
    let body = html! {
        (notice)
        p { (m.name) " (" (m.email) ") leaves the organization: their boards, projects and access go, and no channel gives them anything here any more." }
        form method="post" action=(format!("{base}/{}/remove", form_encode(&m.id))) {
            (crate::console::forms::csrf_field(viewer))
            div class="field" {
                label for="successor" { "Successor for their boards" }
                input type="text" id="successor" name="successor" autocomplete="off" aria-describedby="successor-hint";
                span class="hint" id="successor-hint" { "An email or user id of a member. Left empty, each board goes to the oldest admin of its team, else to the account owner." }
            }
            div class="row" {
                @match &refused {
                    None => button type="submit" class="danger" { "Remove " (m.name) },
                    Some(why) => (layout::button(&format!("Remove {}", m.name), Some(why))),
                }
                a href=(base) { "Cancel" }
            }
        }
    };
    Ok(org_page(
        &format!("Remove {}", m.name),
        viewer,
        the_org,
        Section::Members,
        body,
    ))
}

async fn remove(
    State(app): State<AppState>,
    Path((org, user)): Path<(String, String)>,
    Posted { viewer, form }: Posted<RemovalForm>,
) -> Result<Response, Failure> {
    let id = member_of(&app, &viewer, &org, &user)?;
    let successor: Result<Option<String>, ApiError> = match given(Some(&form.successor)) {
        None => Ok(None),
        Some(s) => user_ref(app.engine.read().state(), s).map(Some),
    };
    let result = match successor {
        Ok(successor) => {
            let command = Command::RemoveUser {
                org: id,
                user: user.clone(),
                successor,
            };
            crate::routes::run(&app, &viewer.caller, command).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/ui/orgs/{org}/members?done=removed"))),
        Err(e) => refused_again(e, |notice| {
            removal_page(&app, &viewer, (&org, &user), notice)
        }),
    }
}
