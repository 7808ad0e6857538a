//! Invitations (`/ui/orgs/{org}/invitations`): the organization's invitations, read as
//! `GET /v2/orgs/{org}/invitations` reads them (`invitations.view`, the same walk and the
//! same rows), new ones made and pending ones withdrawn with the commands its POST and
//! DELETE run.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use easel_core::EngineAction;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::request::Target;
use easel_core::roles::TeamRole;
use maud::{Markup, html};
use serde::Deserialize;

use super::PageQuery;
use super::fields::words;
use super::{given, org_page, pager, paging, refusal_of, refused_again, row_action, see_other};
use crate::AppState;
use crate::console::layout::{self, Section};
use crate::console::{Failure, Posted, Viewer};
use crate::routes::may;
use crate::routes::orgs::seen_org;
use crate::routes::requests::{InvitationOut, invitation_out};

const DONE: [(&str, &str); 2] = [
    ("invited", "The invitation is sent."),
    ("revoked", "The invitation is withdrawn."),
];

/// The team roles an invitation into a team may carry.
const TEAM_ROLES: [TeamRole; 2] = [TeamRole::Member, TeamRole::Admin];

/// The invitations page and its forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui/orgs/{org}/invitations", get(page))
        .route("/ui/orgs/{org}/invitations/invite", post(invite))
        .route("/ui/orgs/{org}/invitations/revoke", post(revoke))
}

/// Whom to invite, and into what.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    /// The invitee's email.
    pub email: String,
    /// Into this team (empty: the organization).
    #[serde(default)]
    pub team: String,
    /// The role in the team.
    #[serde(default)]
    pub role: String,
    /// As a guest (a checkbox: present when ticked).
    pub guest: Option<String>,
}

/// An invitation to withdraw.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    /// Its id.
    pub invitation: String,
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

/// Where an invitation leads, in words.
fn into_words(state: &easel_core::State, i: &InvitationOut) -> String {
    let id = i.target_id.as_deref().unwrap_or("");
    let name = match i.target_type {
        "team" => state
            .find_team(id)
            .and_then(|t| state.team(t))
            .map(|t| t.name.clone()),
        "project" => state
            .find_project(id)
            .and_then(|p| state.project(p))
            .map(|p| p.name.clone()),
        "board" => state
            .find_board(id)
            .and_then(|b| state.board(b))
            .map(|b| b.name.to_string()),
        _ => None,
    };
    match (i.target_type, name) {
        ("org", _) => "The organization".into(),
        (kind, Some(n)) => format!("{} {n}", words(kind)),
        (kind, None) => words(kind),
    }
}

fn render(
    app: &AppState,
    viewer: &Viewer,
    org: &str,
    cursor: Option<&str>,
    notice: Markup,
) -> Result<Markup, Failure> {
    let now = app.engine.now();
    let pager = pager(app, viewer, &format!("invitations {org}"), cursor)?;
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(
        state,
        &viewer.caller,
        org,
        Some(Privilege::InvitationsView),
        now,
    )?;
    let the_org = state.org(o).ok_or_else(Failure::not_found)?;
    let page = pager.walk(
        state.org_invitations(o),
        |ix| ix.get(),
        |ix| invitation_out(state, o, *ix),
    )?;
    let invite_refused = may(
        state,
        &viewer.caller,
        EngineAction::OrgInvite,
        Target::Org(o),
        now,
    )
    .denial
    .map(|d| d.message());
    let teams: Vec<(&str, &str)> = the_org
        .teams
        .iter()
        .filter_map(|t| state.team(*t))
        .filter(|t| !t.deleted)
        .map(|t| (&*t.id, t.name.as_str()))
        .collect();
    let base = format!("/ui/orgs/{}/invitations", the_org.id);
    let body = html! {
        (notice)
        h2 { "Invite someone" }
        form method="post" action=(format!("{base}/invite")) {
            (crate::console::forms::csrf_field(viewer))
            fieldset class="plain" disabled[invite_refused.is_some()] {
                div class="row" {
                    div class="field" {
                        label for="i-email" { "Email" }
                        input type="email" id="i-email" name="email" required autocomplete="off";
                    }
                    div class="field" {
                        label for="i-team" { "Into" }
                        select id="i-team" name="team" {
                            option value="" { "The organization" }
                            @for (id, name) in &teams { option value=(id) { "Team " (name) } }
                        }
                    }
                    div class="field" {
                        label for="i-role" { "Role in the team" }
                        select id="i-role" name="role" {
                            @for r in TEAM_ROLES { option value=(r.as_str()) { (words(r.as_str())) } }
                        }
                    }
                }
                div class="field check" {
                    input type="checkbox" id="i-guest" name="guest" value="on";
                    label for="i-guest" { "As a guest (reaches only what they are invited to)" }
                }
            }
            (layout::button("Send the invitation", invite_refused.as_deref()))
        }
        h2 { "Invitations" }
        @if page.data.is_empty() {
            p class="muted" { "No invitation yet." }
        } @else {
            div class="table-wrap" {
                table {
                    thead { tr {
                        th scope="col" { "Email" } th scope="col" { "Into" } th scope="col" { "Role" }
                        th scope="col" { "As" } th scope="col" { "State" } th scope="col" { "Withdraw" }
                    } }
                    tbody {
                        @for i in &page.data {
                            tr {
                                td { (i.email) }
                                td { (into_words(state, i)) }
                                td { (i.role.map(words).unwrap_or_default()) }
                                td { @if i.guest { "Guest" } @else { "Member" } }
                                td { (words(i.state)) }
                                td {
                                    @if i.state == "pending" {
                                        @let refused = refusal_of(state, viewer, &Command::RevokeInvitation { invitation: i.id.clone() }, now);
                                        (row_action(viewer, &format!("{base}/revoke"), &[("invitation", &i.id)], ("Withdraw", &format!("the invitation of {}", i.email)), true, refused.as_deref()))
                                    } @else {
                                        span class="muted" { "—" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        (paging(&base, "", cursor.is_none(), page.cursor.as_deref()))
    };
    Ok(org_page(
        Section::Invitations.title(),
        viewer,
        the_org,
        Section::Invitations,
        body,
    ))
}

/// The organization's id, seen before a change.
fn org_id(app: &AppState, viewer: &Viewer, org: &str) -> Result<String, Failure> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &viewer.caller, org, None, app.engine.now())?;
    Ok(state.org(o).ok_or_else(Failure::not_found)?.id.to_string())
}

async fn invite(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<InviteForm>,
) -> Result<Response, Failure> {
    let id = org_id(&app, &viewer, &org)?;
    let team = given(Some(&form.team)).map(str::to_string);
    let role = team
        .as_ref()
        .and_then(|_| given(Some(&form.role)))
        .map(str::to_string);
    let command = Command::Invite {
        invitation: crate::ids::new_id("inv")?,
        org: id,
        email: form.email.trim().to_string(),
        team,
        project: None,
        board: None,
        role,
        guest: form.guest.is_some(),
    };
    match crate::routes::run(&app, &viewer.caller, command).await {
        Ok(_) => Ok(see_other(&format!(
            "/ui/orgs/{org}/invitations?done=invited"
        ))),
        Err(e) => refused_again(e, |notice| render(&app, &viewer, &org, None, notice)),
    }
}

async fn revoke(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Posted { viewer, form }: Posted<RevokeForm>,
) -> Result<Response, Failure> {
    // Only an invitation of this organization: another's is answered as one not there.
    {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, &viewer.caller, &org, None, app.engine.now())?;
        let ours = state
            .find_invitation(&form.invitation)
            .and_then(|i| state.invitation(i))
            .is_some_and(|i| i.org == o);
        if !ours {
            return Err(Failure::not_found());
        }
    }
    let command = Command::RevokeInvitation {
        invitation: form.invitation.clone(),
    };
    match crate::routes::run(&app, &viewer.caller, command).await {
        Ok(_) => Ok(see_other(&format!(
            "/ui/orgs/{org}/invitations?done=revoked"
        ))),
        Err(e) => refused_again(e, |notice| render(&app, &viewer, &org, None, notice)),
    }
}
