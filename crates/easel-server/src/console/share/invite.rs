//! Inviting people by email: up to twenty addresses at one role, each shared with on its
//! own (as `POST /v2/boards/{id}/members` does), failures listed address by address.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use easel_core::catalog::Capability;
use easel_core::roles::BoardRole;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Asked, Extra, Sheet, back, render, role_label};
use crate::AppState;
use crate::console::forms::csrf_field;
use crate::console::layout;
use crate::console::{Failure, Posted};
use crate::error::ApiError;
use crate::routes::board_members::{MAX_EMAILS, share_each};

/// The roles an invitation may give, in the order the form lists them.
const ROLES: [BoardRole; 4] = [
    BoardRole::Editor,
    BoardRole::Commenter,
    BoardRole::Viewer,
    BoardRole::Coowner,
];

/// The role the form starts at, as the API's is when none is named.
const DEFAULT_ROLE: BoardRole = BoardRole::Commenter;

/// The invite form: disabled with the engine's reason for a viewer who may not share; its
/// roles those the engine lets the viewer grant (co-owner only where the plan, the
/// settings and the viewer's own role allow).
pub fn section(s: &Sheet, extra: &Extra) -> Markup {
    let roles: Vec<BoardRole> = ROLES
        .into_iter()
        .filter(|r| s.may(Capability::Share, |q| q.role = Some(*r)).allowed)
        .collect();
    // The engine's reason: for sharing at all, else for sharing at the lowest role.
    let lowest = roles.is_empty().then(|| {
        s.may(Capability::Share, |q| q.role = Some(BoardRole::Viewer))
            .denial
            .map(|d| d.message())
    });
    let refused = s.share_refused.clone().or(lowest.flatten());
    let refused = refused.as_deref();
    let (shared, failed, again) = match extra {
        Extra::Shared { done, failed } => (
            done.as_slice(),
            failed.as_slice(),
            failed
                .iter()
                .map(|f| f.email.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => (&[][..], &[][..], String::new()),
    };
    let selected = if roles.contains(&DEFAULT_ROLE) {
        DEFAULT_ROLE
    } else {
        roles.first().copied().unwrap_or(DEFAULT_ROLE)
    };
    html! {
        section aria-labelledby="invite-heading" {
            h2 id="invite-heading" { "Invite people" }
            @if !shared.is_empty() {
                (layout::notice(&format!("Shared with {}.", shared.join(", "))))
            }
            @if !failed.is_empty() {
                div class="refusal" role="alert" {
                    p { "Not shared with:" }
                    ul {
                        @for f in failed {
                            li { strong { (f.email) } ": " (f.message) " " code { (f.reason) } }
                        }
                    }
                }
            }
            form method="post" action=(s.href("/invite")) {
                (csrf_field(s.viewer))
                fieldset disabled[refused.is_some()] {
                    legend { "Share by email" }
                    div class="field" {
                        label for="invite-emails" { "Email addresses" }
                        textarea id="invite-emails" name="emails" rows="3" aria-describedby="invite-emails-hint" { (again) }
                        span class="hint" id="invite-emails-hint" {
                            "Up to " (MAX_EMAILS) ", separated by commas, spaces or new lines. "
                            "Someone outside the organization is sent an invitation to accept."
                        }
                    }
                    div class="field" {
                        label for="invite-role" { "Access" }
                        select id="invite-role" name="role" {
                            @for r in &roles {
                                option value=(r.as_str()) selected[*r == selected] { (role_label(*r)) }
                            }
                            @if roles.is_empty() {
                                option value=(DEFAULT_ROLE.as_str()) { (role_label(DEFAULT_ROLE)) }
                            }
                        }
                    }
                    (layout::button("Invite", refused))
                }
            }
        }
    }
}

/// The invite form's fields.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    /// The addresses, separated by commas, spaces or new lines.
    #[serde(default)]
    pub emails: String,
    /// The role.
    #[serde(default)]
    pub role: String,
}

/// The addresses of the field, in order, empty pieces left out.
pub fn addresses(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

/// Shares with each address; all shared: back to the dialog; otherwise the dialog again,
/// listing what was shared and why each other address was not.
pub async fn post(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Posted { viewer, form }: Posted<InviteForm>,
) -> Result<Response, Failure> {
    let asked = Asked::read(raw.as_deref())?;
    let emails = addresses(&form.emails);
    let refuse = |e: ApiError| render(&app, &viewer, &id, &asked, Extra::Refused(e));
    if emails.is_empty() || emails.len() > MAX_EMAILS {
        return refuse(ApiError::invalid(format!(
            "enter 1 to {MAX_EMAILS} email addresses"
        )));
    }
    let Some(role) = BoardRole::parse(&form.role) else {
        return refuse(ApiError::invalid(format!("unknown role `{}`", form.role)));
    };
    match share_each(&app, &viewer.caller, &id, emails, role).await {
        Ok((out, _)) if out.failed.is_empty() => Ok(back(&id, asked.embed, "invited")),
        Ok((out, _)) => render(
            &app,
            &viewer,
            &id,
            &asked,
            Extra::Shared {
                done: out.successful_emails,
                failed: out.failed,
            },
        ),
        Err(e) if e.code == easel_core::codes::Code::RequestNotFound => Err(Failure::not_found()),
        Err(e) => refuse(e),
    }
}

#[cfg(test)]
mod tests {
    use super::addresses;

    #[test]
    fn addresses_are_split_on_commas_spaces_and_lines() {
        assert_eq!(
            addresses(" a@x.test,b@x.test\n c@x.test ;; d@x.test\r\n"),
            ["a@x.test", "b@x.test", "c@x.test", "d@x.test"]
        );
        assert!(addresses(" ,\n ").is_empty());
    }
}
