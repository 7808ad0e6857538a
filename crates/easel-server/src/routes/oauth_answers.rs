//! The JSON answers of the OAuth endpoints, in the field names of RFC 6749 and RFC 7662
//! (snake case), and the description of the current token (the platform's camel case).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An OAuth error (RFC 6749 §5.2).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OAuthError<'a> {
    /// The error code, e.g. `invalid_grant`.
    pub error: &'a str,
    /// What was wrong, for a person.
    pub error_description: &'a str,
}

/// A token issued (RFC 6749 §5.1).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TokenOut {
    /// The access token: its id and secret.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: &'static str,
    /// The scopes granted, space-separated.
    pub scope: String,
    /// The team the app is installed in, for an app token.
    pub team_id: Option<String>,
    /// The user the token acts as.
    pub user_id: Option<String>,
    /// Seconds until the access token expires, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// The refresh token, when one was issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// A token that is not (or no longer) live, as introspection tells it: nothing more.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Inactive {
    /// Always `false`.
    pub active: bool,
}

/// What introspection answers: a live token, or only `{"active": false}`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Introspected {
    /// A live token.
    Live(Introspection),
    /// A token that is unknown, expired or revoked.
    Inactive(Inactive),
}

/// A live token, as introspection tells it (RFC 7662 §2.2).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Introspection {
    /// Always `true`.
    pub active: bool,
    /// The scopes it carries that its installation was granted, space-separated.
    pub scope: String,
    /// The app's id.
    pub client_id: Option<String>,
    /// The user it acts as.
    pub user_id: Option<String>,
    /// The team the app is installed in.
    pub team_id: Option<String>,
    /// Always `bearer`.
    pub token_type: &'static str,
    /// When it expires, in seconds since the epoch, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
}

/// What an id names, `null` when it is gone.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct IdOf {
    /// The id.
    pub id: Option<String>,
}

/// An organization, a team or a user, as the token's description names it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Named {
    /// `organization`, `team` or `user`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The name.
    pub name: String,
    /// The id.
    pub id: String,
}

/// The credential presented: what it is, whom it acts as, where, with which scopes (the
/// reference's token information, with Easel's `app`, `service` and `expiresAt`).
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrentToken {
    /// `oauthToken`, `personalAccessToken`, `session`, `serviceToken`, `operatorToken` or
    /// `scimToken`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The organization it acts in (for an app token, its installation's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Named>,
    /// The team the app is installed in, for an app token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Named>,
    /// Who made it: the user who authorized the app, or the token's user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Named>,
    /// The user it acts as (not for a service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Named>,
    /// The service's name, for a service token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The app, for an app token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<IdOf>,
    /// The scopes it may use, for an app token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<&'static str>>,
    /// When it expires (ISO 8601), for a token that does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// A token to revoke, with the credentials of the app it was issued to.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeIn {
    /// The access token.
    pub access_token: String,
    /// The app's id.
    pub client_id: String,
    /// The app's secret.
    pub client_secret: String,
}
