//! User groups (`/ui/orgs/{org}/groups`): the organization's groups and each group's
//! members, read as `GET /v2/orgs/{org}/groups` and its members route read them
//! (`groups.view`, the same walks), and created, renamed, deleted and given or relieved of
//! members with the commands those routes run (`groups.edit`, `groups.assign`,
//! `groups.remove`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use easel_core::State as EngineState;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::ids::{GroupIx, OrgIx};
use maud::{Markup, html};
use serde::Deserialize;

use super::PageQuery;
use super::{
    form_encode, org_page, pager, paging, privilege_refused, refused_again, row_action, see_other,
};
use crate::AppState;
use crate::console::layout::{self, Section};
use crate::console::sign_out::NoFields;
use crate::console::{Failure, Posted, Viewer};
use crate::error::ApiError;
use crate::routes::group_kinds::{GroupKind, Seen, user_ref};
use crate::routes::orgs::seen_org;

const KIND: GroupKind = GroupKind::User;

const DONE: [(&str, &str); 6] = [
    ("created", "The group is created."),
    ("renamed", "The group is saved."),
    (
        "deleted",
        "The group is deleted, with the access and memberships it gave.",
    ),
    ("added", "The member is added to the group."),
    ("removed", "The member is removed from the group."),
    ("unchanged", "Nothing changed."),
];

/// The user group pages and their forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/groups", get(list))
        .route("/ui/orgs/{org}/groups/create", post(create))
        .route("/ui/orgs/{org}/groups/{group}", get(group))
        .route("/ui/orgs/{org}/groups/{group}/rename", post(rename))
        .route("/ui/orgs/{org}/groups/{group}/delete", post(delete))
        .route(
            "/ui/orgs/{org}/groups/{group}/members/add",
            post(add_member),
        )
        .route(
            "/ui/orgs/{org}/groups/{group}/members/remove",
            post(remove_member),
        )
}

/// A group's name and what it is for.
#[derive(Debug, Deserialize)]
pub struct GroupForm {
    /// The name.
    pub name: String,
    /// What the group is for.
    #[serde(default)]
    pub description: String,
}

/// A member to add or remove: an email or a user id.
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    /// The user.
    pub user: String,
}

async fn list(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(org): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, Failure> {
    let notice = layout::done_notice(q.done.as_deref(), &DONE);
    render_list(&app, &viewer, &org, q.cursor.as_deref(), notice)
}

fn render_list(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    cursor: Option<&str>,
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let pager = pager(app, viewer, &format!("groups {org}"), cursor)?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = KIND.readable(app, state, &viewer.caller, org)?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let page = pager.walk(
        &the_org.groups,
        |g| g.get(),
        |&g| Seen::from(state.group(g)?).out_in(o),
    )?;
    let base = format!("/ui/orgs/{}/groups", the_org.id);
    let create_refused = privilege_refused(state, viewer, Privilege::GroupsEdit, o, now);
    let body = html! {
        (notice)
        p { "A user group is granted board access and team membership as one person is; its members have what it has." }
        @if page.data.is_empty() {
            p class="muted" { "No user group yet." }
        } @else {
            div class="table-wrap" {
                table {
                    thead { tr { th scope="col" { "Group" } th scope="col" { "What it is for" } th scope="col" { "Members" } } }
                    tbody {
                        @for g in &page.data {
                            tr {
                                td { a href=(format!("{base}/{}", form_encode(&g.id))) { (g.name) } }
                                td { (g.description.as_deref().unwrap_or("")) }
                                td { (g.member_count) }
                            }
                        }
                    }
                }
            }
        }
        (paging(&base, "", cursor.is_none(), page.cursor.as_deref()))
        h2 { "Create a group" }
        form method="post" action=(format!("{base}/create")) {
            (crate::console::forms::csrf_field(viewer))
            fieldset class="plain" disabled[create_refused.is_some()] {
                (name_fields("", ""))
            }
            (layout::button("Create the group", create_refused.as_deref()))
        }
    };
    Ok(org_page(
        Section::Groups.title(),
        viewer,
        the_org,
        Section::Groups,
        body,
    ))
}

fn name_fields(name: &str, description: &str) -> Markup {
    html! {
        div class="field" {
            label for="g-name" { "Name" }
            input type="text" id="g-name" name="name" value=(name) required autocomplete="off";
        }
        div class="field" {
            label for="g-description" { "What it is for" }
            input type="text" id="g-description" name="description" value=(description) autocomplete="off";
        }
    }
}

/// The organization (seen with `groups.view`) and its live group `id`, or a 404.
fn seen_group(
    app: &AppState,
    state: &EngineState,
    viewer: &Viewer,
    org: &str,
    id: &str,
) -> Result<(OrgIx, GroupIx), Failure> {
    let o = KIND.readable(app, state, &viewer.caller, org)?;
    let g = state
        .find_group(id)
        .filter(|g| {
            state
                .group(*g)
                .is_some_and(|x| Seen::from(x).out_in(o).is_some())
        })
        .ok_or_else(Failure::not_found)?;
    Ok((o, g))
}

async fn group(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((org, group)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, Failure> {
    let notice = layout::done_notice(q.done.as_deref(), &DONE);
    render_group(&app, &viewer, (&org, &group), q.cursor.as_deref(), notice)
}

fn render_group(
    app: &AppState,
    viewer: &Viewer,
    (org, group): (&str, &str),
    cursor: Option<&str>,
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let pager = pager(app, viewer, &format!("group {org} {group}"), cursor)?;
    let reader = app.engine.read();
    let state = reader.state();
    let (o, g) = seen_group(app, state, viewer, org, group)?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let the_group = state.group(g).ok_or_else(Failure::not_found)?;
    let members = pager.walk(&the_group.members, |u| u.get(), |u| KIND.person(state, *u))?;
    let refused = |p: Privilege| privilege_refused(state, viewer, p, o, now);
    let (edit, assign, remove) = (
        refused(Privilege::GroupsEdit),
        refused(Privilege::GroupsAssign),
        refused(Privilege::GroupsRemove),
    );
    let base = format!(
        "/ui/orgs/{}/groups/{}",
        the_org.id,
        form_encode(&the_group.id)
    );
    let body = html! {
        (notice)
        p { a href=(format!("/ui/orgs/{}/groups", the_org.id)) { "All groups" } }
        h2 { "Members" }
        @if members.data.is_empty() {
            p class="muted" { "No one is in this group yet." }
        } @else {
            div class="table-wrap" {
                table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Remove" } } }
                    tbody {
                        @for m in &members.data {
                            tr {
                                td { (m.name) }
                                td { (m.email) }
                                td {
                                    (row_action(viewer, &format!("{base}/members/remove"), &[("user", &m.id)], ("Remove", &m.name), true, remove.as_deref()))
                                }
                            }
                        }
                    }
                }
            }
        }
        (paging(&base, "", cursor.is_none(), members.cursor.as_deref()))
        h3 { "Add a member" }
        form method="post" action=(format!("{base}/members/add")) {
            (crate::console::forms::csrf_field(viewer))
            fieldset class="plain" disabled[assign.is_some()] {
                div class="field" {
                    label for="g-user" { "Email or user id" }
                    input type="text" id="g-user" name="user" required autocomplete="off";
                }
            }
            (layout::button("Add to the group", assign.as_deref()))
        }
        h2 { "Name and purpose" }
        form method="post" action=(format!("{base}/rename")) {
            (crate::console::forms::csrf_field(viewer))
            fieldset class="plain" disabled[edit.is_some()] {
                (name_fields(&the_group.name, &the_group.description))
            }
            (layout::button("Save the group", edit.as_deref()))
        }
        h2 { "Delete the group" }
        p { "Its members keep their own access; what they had only through the group goes with it." }
        form method="post" action=(format!("{base}/delete")) data-confirm=(format!("Delete the group {}?", the_group.name)) {
            (crate::console::forms::csrf_field(viewer))
            @match &edit {
                None => button type="submit" class="danger" { "Delete the group" },
                Some(why) => (layout::button("Delete the group", Some(why))),
            }
        }
    };
    Ok(org_page(
        &format!("Group: {}", the_group.name),
        viewer,
        the_org,
        Section::Groups,
        body,
    ))
}

/// The organization's id, seen before a change (any member may be refused by the engine;
/// one who cannot see the organization gets its 404).
fn org_id(app: &AppState, viewer: &Viewer, org: &str) -> Result<String, Failure> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, org, None, app.engine.now())?;
    Ok(state.org(o).ok_or_else(Failure::not_found)?.id.to_string())
}

/// The group's id, if it is one of the organization's, before a change.
fn group_id(app: &AppState, viewer: &Viewer, org: &str, group: &str) -> Result<String, Failure> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, org, None, app.engine.now())?;
    state
        .find_group(group)
        .and_then(|g| state.group(g))
        .and_then(|x| Seen::from(x).out_in(o))
        .map(|g| g.id)
        .ok_or_else(Failure::not_found)
}

async fn create(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<GroupForm>,
) -> Result<Response, Failure> {
    let id = org_id(&app, &viewer, &org)?;
    let group = crate::ids::new_id("grp")?;
    let command = Command::CreateGroup {
        org: id,
        group: group.clone(),
        name: form.name.trim().to_string(),
        description: form.description.trim().to_string(),
    };
    match crate::routes::run(&app, &viewer.caller, command).await {
        Ok(_) => Ok(see_other(&format!(
            "/ui/orgs/{org}/groups/{}?done=created",
            form_encode(&group)
        ))),
        Err(e) => refused_again(e, |notice| render_list(&app, &viewer, &org, None, notice)),
    }
}

/// Runs a change of a group and goes back to its page with `done`, or shows the page with
/// the refusal.
async fn change(
    app: &AppState,
    viewer: &Viewer,
    (org, group): (&str, &str),
    command: Result<Command, ApiError>,
    done: &str,
) -> Result<Response, Failure> {
    let result = match command {
        Ok(c) => crate::routes::run(app, &viewer.caller, c).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/ui/orgs/{org}/groups/{}?done={done}",
            form_encode(group)
        ))),
        Err(e) => refused_again(e, |notice| {
            render_group(app, viewer, (org, group), None, notice)
        }),
    }
}

async fn rename(
    State(app): State<AppState>,
    Path((org, group)): Path<(String, String)>,
    Posted { viewer, form }: Posted<GroupForm>,
) -> Result<Response, Failure> {
    let id = group_id(&app, &viewer, &org, &group)?;
    let command = Command::RenameGroup {
        group: id,
        name: form.name.trim().to_string(),
        description: Some(form.description.trim().to_string()),
    };
    change(&app, &viewer, (&org, &group), Ok(command), "renamed").await
}

async fn delete(
    State(app): State<AppState>,
    Path((org, group)): Path<(String, String)>,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let id = group_id(&app, &viewer, &org, &group)?;
    match crate::routes::run(&app, &viewer.caller, Command::DeleteGroup { group: id }).await {
        Ok(_) => Ok(see_other(&format!("/ui/orgs/{org}/groups?done=deleted"))),
        Err(e) => refused_again(e, |notice| {
            render_group(&app, &viewer, (&org, &group), None, notice)
        }),
    }
}

async fn add_member(
    State(app): State<AppState>,
    Path((org, group)): Path<(String, String)>,
    Posted { viewer, form }: Posted<MemberForm>,
) -> Result<Response, Failure> {
    let id = group_id(&app, &viewer, &org, &group)?;
    let command = user_ref(app.engine.read().state(), form.user.trim())
        .map(|user| Command::AddGroupMember { group: id, user });
    change(&app, &viewer, (&org, &group), command, "added").await
}

async fn remove_member(
    State(app): State<AppState>,
    Path((org, group)): Path<(String, String)>,
    Posted { viewer, form }: Posted<MemberForm>,
) -> Result<Response, Failure> {
    let id = group_id(&app, &viewer, &org, &group)?;
    let command = Command::RemoveGroupMember {
        group: id,
        user: form.user.trim().to_string(),
    };
    change(&app, &viewer, (&org, &group), Ok(command), "removed").await
}
