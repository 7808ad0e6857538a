//! A page that could not be shown: signed out, not found, refused or malformed, rendered as
//! a page (never the API's JSON) with the status and the refusal's message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use easel_core::codes::Code;
use maud::html;

use super::layout;
use crate::error::ApiError;

/// Why a page was not shown.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The status.
    pub status: StatusCode,
    /// The stable reason code (sent as `x-easel-reason`).
    pub code: Code,
    /// The page's heading.
    pub title: String,
    /// What happened, for a person.
    pub message: String,
}

impl Failure {
    /// No usable session: the page says how to sign in, and why the last one ended when
    /// the engine said.
    pub fn signed_out(reason: Option<String>) -> Failure {
        Failure {
            status: StatusCode::UNAUTHORIZED,
            code: Code::CredentialMissing,
            title: "Sign in to Easel".into(),
            message: reason.map_or_else(
                || {
                    "Open a sign-in link from your product, or ask your administrator for one \
                     (easel login-link)."
                        .to_string()
                },
                |r| format!("Your session ended: {r} Open a new sign-in link to go on."),
            ),
        }
    }

    /// A form whose anti-forgery field is missing or wrong.
    pub fn forged() -> Failure {
        Failure {
            status: StatusCode::FORBIDDEN,
            code: Code::CredentialInvalid,
            title: "This form has expired".into(),
            message: "Reload the page and try again.".into(),
        }
    }

    /// A form whose fields could not be read.
    pub fn malformed(message: impl Into<String>) -> Failure {
        Failure {
            status: StatusCode::BAD_REQUEST,
            code: Code::RequestInvalidParameter,
            title: "This form could not be read".into(),
            message: message.into(),
        }
    }

    /// Something the viewer may not see, or that is not there: one answer for both.
    pub fn not_found() -> Failure {
        Failure {
            status: StatusCode::NOT_FOUND,
            code: Code::RequestNotFound,
            title: "Not found".into(),
            message: "There is nothing here, or it is not yours to see.".into(),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        if e.code == Code::RequestNotFound {
            return Failure::not_found();
        }
        let title = match e.status {
            StatusCode::UNAUTHORIZED => "Sign in to Easel",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::CONFLICT => "That changed meanwhile",
            s if s.is_server_error() => "Easel could not answer",
            _ => "That did not work",
        };
        Failure {
            status: e.status,
            code: e.code,
            title: title.into(),
            message: e.message,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = html! {
            p role="alert" { (self.message) }
            p { a href="/ui/" { "Back to the console" } }
        };
        let mut response = (self.status, layout::bare(&self.title, body)).into_response();
        if let Ok(v) = axum::http::HeaderValue::from_str(self.code.as_str()) {
            response.headers_mut().insert("x-easel-reason", v);
        }
        response
    }
}
