//! Admin roles (`/ui/orgs/{org}/admin-roles`): who holds which predefined role, read as
//! `GET /v2/orgs/{org}/admin-roles` reads them (`admin_roles.view`, the same walk), assigned
//! and removed with the commands its POST and DELETE run, and the privilege table, which is
//! the catalog's (`admin-privileges.toml`) as easel-core compiled it.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use easel_core::catalog::{AdminRole, Privilege};
use easel_core::command::Command;
use maud::{Markup, html};
use serde::Deserialize;

use super::PageQuery;
use super::fields::words;
use super::{
    given, org_page, pager, paging, privilege_refused, refusal_of, refused_again, row_action,
    see_other,
};
use crate::AppState;
use crate::console::layout::{self, Section};
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::admin_roles::holders_page;
use crate::routes::group_kinds::user_ref;
use crate::routes::orgs::seen_org;

const DONE: [(&str, &str); 2] = [
    ("assigned", "The role is assigned."),
    ("removed", "The role is removed."),
];

/// The admin roles page and its forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/admin-roles", get(page))
        .route("/ui/orgs/{org}/admin-roles/assign", post(assign))
        .route("/ui/orgs/{org}/admin-roles/remove", post(remove))
}

/// A role to assign or remove.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    /// The member: an email or a user id.
    pub user: String,
    /// The role, as the catalog names it.
    pub role: String,
    /// The team, for a team content admin.
    #[serde(default)]
    pub team: String,
}

async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, Failure> {
    let notice = layout::done_notice(q.done.as_deref(), &DONE);
    render(&app, &viewer, &org, q.cursor.as_deref(), notice)
}

fn render(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    cursor: Option<&str>,
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let pager = pager(app, viewer, &format!("admin roles {org}"), cursor)?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &viewer.caller,
        org,
        Some(Privilege::AdminRolesView),
        now,
    )?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let holders = holders_page(state, o, &pager)?;
    let base = format!("/ui/orgs/{}/admin-roles", the_org.id);
    let assign_refused = privilege_refused(state, viewer, Privilege::AdminRolesAssign, o, now);
    let teams: Vec<(&str, &str)> = the_org
        .teams
        .iter()
        .filter_map(|t| state.team(*t))
        .filter(|t| !t.deleted)
        .map(|t| (&*t.id, t.name.as_str()))
        .collect();
    let body = html! {
        (notice)
        h2 { "Who holds a role" }
        @if holders.data.is_empty() {
            p class="muted" { "No one holds an admin role." }
        } @else {
            div class="table-wrap" {
                table {
                    thead { tr { th scope="col" { "Member" } th scope="col" { "Role" } th scope="col" { "Team" } th scope="col" { "Remove" } } }
                    tbody {
                        @for h in &holders.data {
                            @let user = state.find_user(&h.user_id).and_then(|u| state.user(u));
                            @let name = user.map_or(h.user_id.as_str(), |u| u.name.as_str());
                            @let team = h.team_id.as_deref().and_then(|t| state.find_team(t)).and_then(|t| state.team(t));
                            @let refused = AdminRole::parse(h.role).map_or_else(
                                || Some(format!("unknown admin role `{}`", h.role)),
                                |role| {
                                    let command = Command::RemoveAdminRole {
                                        org: the_org.id.to_string(),
                                        user: h.user_id.clone(),
                                        role,
                                        team: h.team_id.clone(),
                                    };
                                    refusal_of(state, viewer, &command, now)
                                },
                            );
                            tr {
                                td { (name) @if let Some(u) = user { br; span class="muted" { (u.email) } } }
                                td { (words(h.role)) }
                                td { @if let Some(t) = team { (t.name) } @else { span class="muted" { "—" } } }
                                td {
                                    (row_action(
                                        viewer,
                                        &format!("{base}/remove"),
                                        &[("user", &h.user_id), ("role", h.role), ("team", h.team_id.as_deref().unwrap_or(""))],
                                        ("Remove", &format!("{} from {}", words(h.role), name)),
                                        true,
                                        refused.as_deref(),
                                    ))
                                }
                            }
                        }
                    }
                }
            }
        }
        (paging(&base, "", cursor.is_none(), holders.cursor.as_deref()))
        h2 { "Assign a role" }
        form method="post" action=(format!("{base}/assign")) {
            (crate::console::forms::csrf_field(viewer))
            fieldset class="plain" disabled[assign_refused.is_some()] {
                div class="row" {
                    div class="field" {
                        label for="r-user" { "Member (email or user id)" }
                        input type="text" id="r-user" name="user" required autocomplete="off";
                    }
                    div class="field" {
                        label for="r-role" { "Role" }
                        select id="r-role" name="role" {
                            @for r in AdminRole::ALL { option value=(r.as_str()) { (words(r.as_str())) } }
                        }
                    }
                    div class="field" {
                        label for="r-team" { "Team (for a team content admin)" }
                        select id="r-team" name="team" {
                            option value="" { "No team" }
                            @for (id, name) in &teams { option value=(id) { (name) } }
                        }
                    }
                }
            }
            (layout::button("Assign the role", assign_refused.as_deref()))
        }
        h2 { "What each role may do" }
        p { "The privileges of the predefined roles. A member holding several roles has every privilege of each; a team content admin holds theirs only in their teams." }
        (privilege_table())
    };
    Ok(org_page(
        Section::AdminRoles.title(),
        viewer,
        the_org,
        Section::AdminRoles,
        body,
    ))
}

/// The catalog's privilege table: a row per privilege, grouped as the catalog groups them,
/// a column per role.
pub fn privilege_table() -> Markup {
    html! {
        div class="table-wrap" {
            table class="privileges" {
                caption class="muted" { "Privileges of each admin role" }
                thead {
                    tr {
                        th scope="col" { "Privilege" }
                        @for r in AdminRole::ALL { th scope="col" { (words(r.as_str())) } }
                    }
                }
                tbody {
                    @for (i, p) in Privilege::ALL.iter().enumerate() {
                        @if i == 0 || Privilege::ALL.get(i - 1).is_some_and(|q| q.group() != p.group()) {
                            tr class="group" { th scope="colgroup" colspan=(AdminRole::ALL.len() + 1) { (words(p.group())) } }
                        }
                        tr {
                            th scope="row" {
                                code { (p.id()) }
                                br;
                                span class="muted" { (p.functions().join("; ")) }
                            }
                            @for r in AdminRole::ALL {
                                td {
                                    @if p.holders().contains(*r) {
                                        span class="allowed" { "Yes" }
                                    } @else {
                                        span class="muted" { "No" }
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

/// The command a role form asks for, with the member named by email or id.
fn command(
    app: &AppState,
    org: String,
    form: &RoleForm,
    assign: bool,
) -> Result<Command, ApiError> {
    let role = AdminRole::parse(form.role.trim())
        .ok_or_else(|| ApiError::invalid(format!("unknown admin role `{}`", form.role)))?;
    let user = user_ref(app.engine.read().state(), form.user.trim())?;
    let team = given(Some(&form.team)).map(str::to_string);
    Ok(if assign {
        Command::AssignAdminRole {
            org,
            user,
            role,
            team,
        }
    } else {
        Command::RemoveAdminRole {
            org,
            user,
            role,
            team,
        }
    })
}

async fn assign(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<RoleForm>,
) -> Result<Response, Failure> {
    write(app, org, viewer, form, true).await
}

async fn remove(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<RoleForm>,
) -> Result<Response, Failure> {
    write(app, org, viewer, form, false).await
}

async fn write(
    app: AppState,
    org: String,
    viewer: Viewer,
    form: RoleForm,
    assign: bool,
) -> Result<Response, Failure> {
    let id = {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &viewer.caller, &org, None, app.engine.now())?;
        state.org(o).ok_or_else(Failure::not_found)?.id.to_string()
    };
    let result = match command(&app, id, &form, assign) {
        Ok(c) => crate::routes::run(&app, &viewer.caller, c).await,
        Err(e) => Err(e),
    };
    let done = if assign { "assigned" } else { "removed" };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/ui/orgs/{org}/admin-roles?done={done}"
        ))),
        Err(e) => refused_again(e, |notice| render(&app, &viewer, &org, None, notice)),
    }
}
