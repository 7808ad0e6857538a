//! OAuth apps, their installations, tokens, interactive sessions and the one-time links
//! that start them.

use crate::catalog::ScopeSet;
use crate::ids::{AppIx, InstallationIx, OrgIx, TeamIx, UserIx};
use crate::model::LinkDigest;
use crate::time::Time;

/// An OAuth client registered by a developer team.
#[derive(Clone, Debug, PartialEq)]
pub struct App {
    /// The opaque id (the client id).
    pub id: Box<str>,
    /// The organization of the developer team.
    pub org: OrgIx,
    /// The developer team.
    pub team: TeamIx,
    /// The display name.
    pub name: String,
    /// The scopes the app currently enables.
    pub enabled: ScopeSet,
    /// Its installations, in the order they were made.
    pub installations: Vec<InstallationIx>,
    /// The redirect URIs an authorization may return to (matched exactly).
    pub redirect_uris: Vec<String>,
    /// Whether its access tokens expire (and come with refresh tokens); chosen at creation.
    pub expiring_tokens: bool,
    /// The SHA-256 of its client secret, for apps registered with one.
    pub secret: Option<LinkDigest>,
    /// A deleted app admits nothing, and its id stays taken.
    pub deleted: bool,
    /// The version of its scope set: 1 at registration, one more at each change.
    pub scope_version: u32,
}

/// An app installed into a team.
#[derive(Clone, Debug, PartialEq)]
pub struct Installation {
    /// The opaque id.
    pub id: Box<str>,
    /// The app.
    pub app: AppIx,
    /// The team it is installed in.
    pub team: TeamIx,
    /// The team's organization.
    pub org: OrgIx,
    /// Scopes granted (at install, or by later consent).
    pub granted: ScopeSet,
    /// Uninstalled installations admit nothing.
    pub active: bool,
    /// The version of the app's scope set it was installed at, or last consented to.
    pub scope_version: u32,
}

/// What a token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A user's personal access token: acts as the user, no scope layer.
    Personal,
    /// An OAuth token of an installation: acts as the user, narrowed by scopes.
    App(InstallationIx),
}

/// An access token. The secret itself lives hashed in the store; the engine holds what a
/// decision needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// The opaque id.
    pub id: Box<str>,
    /// Personal or app.
    pub kind: TokenKind,
    /// The user it acts as.
    pub user: UserIx,
    /// The scopes it carries (app tokens).
    pub scopes: ScopeSet,
    /// When it stops working, if ever.
    pub expires_at: Option<Time>,
    /// Revoked tokens admit nothing.
    pub revoked: bool,
    /// The SHA-256 of its secret, for tokens issued with one (the secret is random and
    /// long, so a fast hash is the right one; it is compared in constant time).
    pub digest: Option<LinkDigest>,
    /// The one organization a personal token acts in (`None`: every organization of its
    /// user, for tokens the operator issued unbound). An app token acts in its
    /// installation's organization whatever this says.
    pub org: Option<OrgIx>,
}

/// A token for the decision API, held by one of the platform's services: it may ask about
/// any subject in its organization (or in every organization), and carries no scopes.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceToken {
    /// The opaque id.
    pub id: Box<str>,
    /// The service's name, for the audit log.
    pub name: String,
    /// The one organization it may ask about, or every one.
    pub org: Option<OrgIx>,
    /// The SHA-256 of its secret.
    pub digest: LinkDigest,
    /// Revoked tokens admit nothing.
    pub revoked: bool,
    /// What the token is for.
    pub kind: ServiceKind,
}

/// What a token that acts for no user is for. Each kind reaches its own routes only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    /// A service of the platform asking the decision API.
    Decision,
    /// The operator of the product: creates organizations and users, names account owners
    /// (`easel token create --operator`); acts in every organization.
    Operator,
    /// An identity provider's SCIM client, bound to one organization and made by its
    /// company admin.
    Scim,
}

impl ServiceKind {
    /// The spelling in the store's `tokens.holder_type` and in token ids.
    pub const fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Decision => "service",
            ServiceKind::Operator => "operator",
            ServiceKind::Scim => "scim",
        }
    }
}

/// An interactive sign-in session.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The opaque id.
    pub id: Box<str>,
    /// The user.
    pub user: UserIx,
    /// When it started.
    pub created_at: Time,
    /// The last request made with it.
    pub last_active_at: Time,
    /// Ended sessions (sign-out, reset, idle) admit nothing.
    pub ended: bool,
    /// The SHA-256 of its secret, for sessions started with one (presented over HTTP).
    pub digest: Option<LinkDigest>,
    /// The one organization it acts in: the organization of the service that started it.
    /// `None` only for sessions an unrestricted service started without naming one: they
    /// act in every organization of their user, each under its own idle timeout.
    pub org: Option<OrgIx>,
}

/// A one-time sign-in link for the web console: it starts one session for its user, once,
/// before it expires. The link's text is `<id>.<secret>`; the state keeps only the digest.
#[derive(Clone, Debug, PartialEq)]
pub struct SignInLink {
    /// The opaque id.
    pub id: Box<str>,
    /// The user it signs in.
    pub user: UserIx,
    /// The one organization the session it starts acts in (`None`: every organization of
    /// the user, as for a session an unrestricted service starts without naming one).
    pub org: Option<OrgIx>,
    /// The SHA-256 of its secret.
    pub digest: LinkDigest,
    /// When it was issued.
    pub issued_at: Time,
    /// When it stops working.
    pub expires_at: Time,
    /// Links redeem once.
    pub used: bool,
}

/// An OAuth authorization code: single use, short-lived, bound to its redirect URI and its
/// PKCE challenge.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthCode {
    /// The opaque id.
    pub id: Box<str>,
    /// The installation the user authorized.
    pub installation: InstallationIx,
    /// The user.
    pub user: UserIx,
    /// The redirect URI it was issued for (the token request must name the same).
    pub redirect_uri: String,
    /// The scopes authorized.
    pub scopes: ScopeSet,
    /// The PKCE S256 challenge (base64url).
    pub challenge: String,
    /// When it stops working.
    pub expires_at: Time,
    /// The SHA-256 of its secret.
    pub digest: LinkDigest,
    /// Codes are single use.
    pub used: bool,
}

/// An OAuth refresh token. Each use rotates it: the old one is dead, and using a dead one
/// again revokes its whole family (every token descended from one authorization).
#[derive(Clone, Debug, PartialEq)]
pub struct Refresh {
    /// The opaque id.
    pub id: Box<str>,
    /// The installation.
    pub installation: InstallationIx,
    /// The user.
    pub user: UserIx,
    /// The scopes it renews.
    pub scopes: ScopeSet,
    /// The family: every refresh and access token from one authorization.
    pub family: Box<str>,
    /// The access token issued with it.
    pub access: Box<str>,
    /// The SHA-256 of its secret.
    pub digest: LinkDigest,
    /// Used (rotated away).
    pub used: bool,
    /// Revoked with its family, or by the app.
    pub revoked: bool,
}
