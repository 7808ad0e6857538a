//! Team, company and public-link access, and the link itself: each channel's level among
//! those the plan and settings allow (an option they forbid is absent; a channel they
//! forbid altogether disappears), changed as `PATCH /v2/boards/{id}` changes it; the
//! board's link with a Copy button, its reset (`POST .../link/reset`) and its password
//! (`PUT .../password`).

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use easel_core::command::Command;
use easel_core::roles::Access;
use maud::{Markup, html};
use serde::Deserialize;

use super::people::finish;
use super::{Asked, Extra, Sheet, access_label, render};
use crate::AppState;
use crate::console::forms::csrf_field;
use crate::console::layout;
use crate::console::sign_out::NoFields;
use crate::console::{Failure, Posted};
use crate::error::ApiError;
use crate::routes::boards::{new_link, sharing_change};

/// A channel whose level a board sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The board's team.
    Team,
    /// The whole company.
    Company,
    /// Anyone with the link.
    Public,
}

impl Channel {
    /// Every channel, in the order the dialog shows them.
    pub const ALL: [Channel; 3] = [Channel::Team, Channel::Company, Channel::Public];

    /// The form's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Team => "team",
            Channel::Company => "company",
            Channel::Public => "public",
        }
    }

    fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The board's level for this channel.
    fn of(self, board: &easel_core::model::Board) -> Access {
        match self {
            Channel::Team => board.team_access,
            Channel::Company => board.company_access,
            Channel::Public => board.public_access,
        }
    }

    /// The change that sets this channel to `level` and keeps the others.
    fn levels(self, level: Access) -> (Option<Access>, Option<Access>, Option<Access>) {
        match self {
            Channel::Team => (Some(level), None, None),
            Channel::Company => (None, Some(level), None),
            Channel::Public => (None, None, Some(level)),
        }
    }
}

/// The three channels' forms, the link and the password.
pub fn section(s: &Sheet, extra: &Extra) -> Markup {
    let project = s.board.project.and_then(|p| s.state.project(p));
    let links_off = s.share_refused.is_none() && forbidden(s, Channel::Public);
    html! {
        section aria-labelledby="access-heading" {
            h2 id="access-heading" { "Team, company and link access" }
            @if let Some(why) = &s.share_refused {
                p class="muted" { "You may not change these: " (why) }
            }
            @for c in Channel::ALL {
                (channel_row(s, c))
            }
            @if let Some(p) = project {
                p class="muted" {
                    "Members of the project " strong { (p.name) } " reach this board at their project role."
                }
            }
        }
        @if s.share_refused.is_none() {
            (link(s, extra, links_off))
        }
    }
}

/// What each channel is called on the form.
fn name(s: &Sheet, c: Channel) -> String {
    match c {
        Channel::Team => format!(
            "Members of the team {}",
            s.state
                .team(s.board.team)
                .map(|t| t.name.as_str())
                .unwrap_or("")
        ),
        Channel::Company => format!(
            "Everyone at {}",
            s.state
                .org(s.board.org)
                .map(|o| o.name.as_str())
                .unwrap_or("")
        ),
        Channel::Public => "Anyone with the link".to_string(),
    }
}

/// The levels of channel `c` the engine would set now, each decided as the form's command.
fn offered(s: &Sheet, c: Channel) -> Vec<Access> {
    Access::ALL
        .into_iter()
        .filter(|a| s.dry(&sharing_change(s.board, c.levels(*a))).is_ok())
        .collect()
}

/// Whether channel `c` is at no access and can be set to nothing else: the plan or the
/// settings forbid it.
fn forbidden(s: &Sheet, c: Channel) -> bool {
    forbids(c.of(s.board), &offered(s, c))
}

/// Whether a channel at `current` that may be set to `offered` is forbidden.
fn forbids(current: Access, offered: &[Access]) -> bool {
    current == Access::None && offered.iter().all(|a| *a == Access::None)
}

/// One channel: the levels the engine would set now, the current one selected. A channel
/// the plan or settings forbid is left out.
fn channel_row(s: &Sheet, c: Channel) -> Markup {
    let current = c.of(s.board);
    let change = |level: Access| sharing_change(s.board, c.levels(level));
    let offered = offered(s, c);
    let forbidden = forbids(current, &offered);
    let field = format!("access-{}", c.as_str());
    let label = name(s, c);
    if s.share_refused.is_some() {
        return html! {
            p { (label) ": " strong { (access_label(current)) } }
        };
    }
    if forbidden {
        return match c {
            Channel::Public => html! {
                p class="muted" { "Sharing by public link is turned off by the company or team settings." }
            },
            Channel::Team | Channel::Company => html! {},
        };
    }
    // A level the settings no longer allow stays stored, suspended; the form offers what
    // may be set now, starting at the highest that is not above it. (Nothing offered at
    // all is a refusal of the change itself, shown on the button.)
    let suspended = !offered.is_empty() && !offered.contains(&current);
    let selected = if suspended {
        offered.iter().copied().filter(|a| *a <= current).max()
    } else {
        Some(current)
    };
    let refused = offered
        .is_empty()
        .then(|| s.dry(&change(current)).err().map(|r| r.message))
        .flatten();
    html! {
        form method="post" action=(s.href("/access")) class="row access" {
            (csrf_field(s.viewer))
            input type="hidden" name="channel" value=(c.as_str());
            label for=(field) { (label) }
            select id=(field) name="access" disabled[offered.is_empty()] {
                @for a in &offered {
                    option value=(a.as_str()) selected[Some(*a) == selected] { (level_label(c, *a)) }
                }
                @if offered.is_empty() {
                    option value=(current.as_str()) selected { (level_label(c, current)) }
                }
            }
            (layout::button("Save", refused.as_deref()))
        }
        @if suspended && current != Access::None {
            p class="muted" {
                "Set to " (access_label(current).to_lowercase())
                ", which the plan or the company or team settings no longer allow: it is kept, "
                "suspended, and comes back if they allow it again. Saving sets it to what is chosen here."
            }
        }
    }
}

/// A level as the channel's form words it.
fn level_label(c: Channel, a: Access) -> &'static str {
    match (c, a) {
        (Channel::Public, Access::None) => "Off",
        (_, a) => access_label(a),
    }
}

/// The board's link with a Copy button, the reset form, and the password (whose words
/// say so when the settings turn public links off).
fn link(s: &Sheet, extra: &Extra, links_off: bool) -> Markup {
    // The board's address as the API gives it (`viewLink`): without the link's secret.
    let address = crate::routes::boards::view(s.state, &s.viewer.caller, s.b, s.now)
        .map(|v| v.view_link)
        .unwrap_or_default();
    let reset_refused = s
        .dry(&Command::ResetBoardLink {
            board: s.id().to_string(),
            // A stand-in of a valid token's shape: only the decision is asked for.
            token: "0".repeat(32),
        })
        .err()
        .map(|r| r.message);
    let password_refused = s
        .dry(&Command::SetBoardPassword {
            board: s.id().to_string(),
            password: None,
        })
        .err()
        .map(|r| r.message);
    let has_password = s.board.password().is_some();
    html! {
        section aria-labelledby="link-heading" {
            h2 id="link-heading" { "Board link" }
            div class="field" {
                label for="share-link" { "Link to this board" }
                div class="row" {
                    input type="text" id="share-link" readonly value=(address) aria-describedby="share-link-hint";
                    button type="button" class="secondary" data-copy="share-link" { "Copy" }
                    span id="share-link-status" role="status" {}
                }
                span class="hint" id="share-link-hint" {
                    "Whoever opens it gets the access listed above. "
                    @if links_off {
                        "Public links are turned off, so no one else gets in."
                    } @else {
                        "Visitors without access get in only with the secret public link, made by Reset link."
                    }
                }
            }
            @if let Extra::NewLink(new) = extra {
                div class="notice" role="status" {
                    p { "The new public link is shown this once: Easel keeps only its digest. The old link no longer works." }
                    div class="field" {
                        label for="new-link" { "New public link" }
                        div class="row" {
                            input type="text" id="new-link" readonly value=(new);
                            button type="button" class="secondary" data-copy="new-link" { "Copy" }
                            span id="new-link-status" role="status" {}
                        }
                    }
                }
            }
            form method="post" action=(s.href("/link/reset")) data-confirm="The current public link stops working. Make a new one?" {
                (csrf_field(s.viewer))
                (layout::button("Reset link", reset_refused.as_deref()))
                span class="hint" { " Makes a new secret public link, shown once; the old one stops working." }
            }
            h3 { "Password" }
            p {
                @if has_password { "A password is set: people arriving by the public link must give it." }
                @else if links_off { "No password. It would guard the public link, which is turned off." }
                @else { "No password: the public link alone lets people in." }
            }
            form method="post" action=(s.href("/password")) {
                (csrf_field(s.viewer))
                fieldset disabled[password_refused.is_some()] {
                    legend { @if has_password { "Change the password" } @else { "Set a password" } }
                    div class="field" {
                        label for="board-password" { "New password" }
                        input type="password" id="board-password" name="password" autocomplete="new-password" maxlength="128";
                    }
                    (layout::button("Set password", password_refused.as_deref()))
                }
            }
            @if has_password {
                form method="post" action=(s.href("/password/remove")) {
                    (csrf_field(s.viewer))
                    @match password_refused.as_deref() {
                        None => button type="submit" class="secondary" { "Remove password" },
                        Some(why) => (layout::button("Remove password", Some(why))),
                    }
                }
            }
        }
    }
}

/// A channel's new level.
#[derive(Debug, Deserialize)]
pub struct AccessForm {
    /// `team`, `company` or `public`.
    #[serde(default)]
    pub channel: String,
    /// The level (`private`, `viewer`, `commenter`, `editor`; the API's spellings too).
    #[serde(default)]
    pub access: String,
}

/// Sets one channel's level, the others kept, as a PATCH naming that channel does.
pub async fn set_access(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Posted { viewer, form }: Posted<AccessForm>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let (Some(channel), Some(level)) = (Channel::parse(&form.channel), Access::parse(&form.access))
    else {
        let e = ApiError::invalid("choose a channel and a level: no access, view, comment or edit");
        return render(&app, &viewer, &id, &asked, Extra::Refused(e));
    };
    let command = {
        let reader = app.engine.read();
        let state = reader.state();
        let b = crate::routes::seen_board(state, &viewer.caller, &id, app.engine.now())?;
        let board = state.board(b).ok_or_else(Failure::not_found)?;
        sharing_change(board, channel.levels(level))
    };
    finish(&app, &viewer, &id, &asked, command, "access").await
}

/// Makes a new public link and shows it this once, on the dialog itself: a redirect would
/// carry the secret in an address, which browsers keep in their history.
pub async fn reset_link(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    match new_link(&app, &viewer.caller, &id).await {
        Ok((out, _)) => render(&app, &viewer, &id, &asked, Extra::NewLink(out.view_link)),
        Err(e) if e.code == easel_core::codes::Code::RequestNotFound => Err(Failure::not_found()),
        Err(e) => render(&app, &viewer, &id, &asked, Extra::Refused(e)),
    }
}

/// A new board password.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    /// The password.
    #[serde(default)]
    pub password: String,
}

/// Sets the password of the public link (`PUT .../password`).
pub async fn set_password(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Posted { viewer, form }: Posted<PasswordForm>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let command = Command::SetBoardPassword {
        board: id.clone(),
        password: Some(form.password),
    };
    finish(&app, &viewer, &id, &asked, command, "password").await
}

/// Removes the password (`PUT .../password` with `null`).
pub async fn remove_password(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Posted { viewer, .. }: Posted<NoFields>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let command = Command::SetBoardPassword {
        board: id.clone(),
        password: None,
    };
    finish(&app, &viewer, &id, &asked, command, "password-removed").await
}
