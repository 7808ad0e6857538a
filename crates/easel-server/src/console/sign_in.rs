//! Signing in with a one-time link: opening it shows whom it signs in and a button; the
//! button's POST spends the link for a new session, whose secret only the cookie carries.
//!
//! Two steps, not one, because a link opened from another site (a mail, a chat, a host
//! product) is a cross-site navigation, and a `SameSite=Strict` cookie set during it is not
//! sent on its redirect; the button's POST is the console's own, so the page after it is
//! signed in. It also keeps a link preview from spending the link. The POST needs no
//! anti-forgery field: it signs in nobody but the holder of an unspent link.

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use easel_core::codes::Code;
use maud::html;
use serde::Deserialize;

use super::Failure;
use super::layout;
use super::viewer::session_cookie;
use crate::AppState;

/// The sign-in page's address and form.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/ui/sign-in", get(confirm).post(redeem))
}

/// The link's text and where to go once signed in.
#[derive(Debug, Deserialize)]
pub struct LinkIn {
    /// `<id>.<secret>`.
    #[serde(default)]
    pub link: String,
    /// A console path to land on.
    #[serde(default)]
    pub next: Option<String>,
}

/// A console path to land on: only the console's own pages, so a link cannot send the
/// browser elsewhere.
pub fn landing(next: Option<&str>) -> &str {
    next.filter(|n| crate::signin::console_path(n))
        .unwrap_or("/ui/")
}

fn spent() -> Failure {
    Failure {
        status: StatusCode::UNAUTHORIZED,
        code: Code::CredentialInvalid,
        title: "This sign-in link cannot be used".into(),
        message:
            "It was used already, or it has expired, or it was never valid. Ask for a new one."
                .into(),
    }
}

async fn confirm(
    State(app): State<AppState>,
    Query(q): Query<LinkIn>,
) -> Result<Response, Failure> {
    let info = crate::signin::preview(&app, &q.link)
        .await
        .ok_or_else(spent)?;
    let next = landing(q.next.as_deref());
    let body = html! {
        p { "This link signs you in as " strong { (info.name) } " (" (info.email) ")"
            @if let Some(org) = &info.org_name { " in " strong { (org) } } "." }
        form method="post" action="/ui/sign-in" {
            input type="hidden" name="link" value=(q.link);
            input type="hidden" name="next" value=(next);
            button type="submit" { "Continue as " (info.name) }
        }
        p class="muted" { "The link works once. If you did not ask for it, close this page." }
    };
    Ok(layout::bare("Sign in to Easel", body).into_response())
}

async fn redeem(
    State(app): State<AppState>,
    Form(form): Form<LinkIn>,
) -> Result<Response, Failure> {
    let session = crate::signin::redeem(&app, &form.link)
        .await
        .map_err(|_| spent())?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (LOCATION, landing(form.next.as_deref()).to_string()),
            (SET_COOKIE, session_cookie(&app, &session)),
        ],
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::landing;

    #[test]
    fn lands_only_on_console_pages() {
        assert_eq!(
            landing(Some("/ui/boards/b1/share?embed=1")),
            "/ui/boards/b1/share?embed=1"
        );
        for bad in [
            "https://evil.example",
            "//evil.example/ui/",
            "/ui//evil",
            "/v2/boards",
            "/ui/\\x",
            "/ui/a b",
            "/ui/#x",
        ] {
            assert_eq!(landing(Some(bad)), "/ui/", "{bad}");
        }
        assert_eq!(landing(None), "/ui/");
    }
}
