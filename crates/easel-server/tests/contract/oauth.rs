//! The OAuth token information and revocation.

use axum::http::Method;

use super::{Case, Token};

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &["revoke-token", "revoke-token-v2", "token-info"];

pub fn cases() -> Vec<Case> {
    vec![
        Case::get("token-info", "/v1/oauth-token").token(Token::Saved("app_token")),
        Case::new(
            "revoke-token",
            Method::POST,
            "/v1/oauth/revoke?access_token={app_token}",
        )
        .status(204)
        .token(Token::None),
        Case::new("revoke-token-v2", Method::POST, "/v2/oauth/revoke").status(204),
    ]
}
