//! Who is calling: the bearer token of a request, checked against the digest the state
//! holds (in constant time), as a user acting with a personal token, a service of the
//! platform asking the decision API, or a provisioning credential (operator, SCIM).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use easel_core::State;
use easel_core::codes::Code;
use easel_core::ids::OrgIx;
use easel_core::model::ServiceKind;
use easel_core::request::Credential;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// The caller of a route.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A user, with the token they presented (the engine's credential layer checks its
    /// expiry and revocation, and the user's standing, on every decision).
    User {
        /// The user's id.
        id: String,
        /// The token or session presented.
        credential: Credential,
        /// Its id.
        credential_id: String,
    },
    /// A service of the platform, for the decision API.
    Service {
        /// The token's id.
        token_id: String,
        /// The service's name.
        name: String,
        /// The one organization it may ask about, or every one.
        org: Option<OrgIx>,
    },
    /// A provisioning credential: the operator's token (the operator API, every
    /// organization) or an identity provider's SCIM token (SCIM, its one organization).
    Provisioner {
        /// The token's id.
        token_id: String,
        /// Who holds it.
        name: String,
        /// Which of the two.
        kind: ServiceKind,
        /// The organization a SCIM token is bound to.
        org: Option<OrgIx>,
    },
}

impl Caller {
    /// The credential to give the engine for a user caller.
    pub fn credential(&self) -> Credential {
        match self {
            Caller::User { credential, .. } => *credential,
            Caller::Service { .. } | Caller::Provisioner { .. } => Credential::None,
        }
    }

    /// The session and token ids a question carries for this caller.
    pub fn presented(&self) -> (Option<String>, Option<String>) {
        match self {
            Caller::User {
                credential: Credential::Session(_),
                credential_id,
                ..
            } => (Some(credential_id.clone()), None),
            Caller::User { credential_id, .. } => (None, Some(credential_id.clone())),
            Caller::Service { .. } | Caller::Provisioner { .. } => (None, None),
        }
    }

    /// The user id, for a user caller.
    pub fn user(&self) -> Option<&str> {
        match self {
            Caller::User { id, .. } => Some(id),
            Caller::Service { .. } | Caller::Provisioner { .. } => None,
        }
    }
}

/// How stale a session's last activity may get before a request records a new one: the
/// idle timeout is counted in minutes, and a write on every request would cost more than it
/// tells.
const SESSION_TOUCH_MS: i64 = 60_000;

/// Records, in the background, that a session was used, when its last recorded use is
/// older than a minute.
pub(crate) fn note_use(app: &AppState, state: &State, session: easel_core::ids::SessionIx) {
    let Some(s) = state.session(session) else {
        return;
    };
    if app.engine.now().since(s.last_active_at) < SESSION_TOUCH_MS {
        return;
    }
    let id = s.id.to_string();
    let engine = std::sync::Arc::clone(&app.engine);
    tokio::spawn(async move {
        let command = easel_core::command::Command::TouchSession { session: id };
        if let Err(error) = engine.run(crate::engine::Acting::System, command).await {
            tracing::warn!(%error, "recording a session's use failed");
        }
    });
}

/// The token of an `Authorization` value: the scheme is case-insensitive (RFC 7235 §2.1).
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// A token's text: `<id>.<secret>`, the secret being 64 hex digits.
pub fn split_token(text: &str) -> Option<(&str, &str)> {
    let (id, secret) = text.rsplit_once('.')?;
    (!id.is_empty() && !secret.is_empty()).then_some((id, secret))
}

/// Who a bearer token stands for in `state`.
pub fn resolve(state: &State, bearer: &str) -> Result<Caller, ApiError> {
    let invalid = || ApiError::new(Code::CredentialInvalid, "the token is not valid");
    let (id, secret) = split_token(bearer).ok_or_else(invalid)?;
    if let Some(t) = state.find_token(id) {
        let token = state.token(t).ok_or_else(invalid)?;
        // Tokens issued without a secret (none are, outside tests) cannot be presented.
        let digest = token.digest.ok_or_else(invalid)?;
        if !digest.matches(secret) {
            return Err(invalid());
        }
        let user = state.user(token.user).ok_or_else(invalid)?;
        return Ok(Caller::User {
            id: user.id.to_string(),
            credential: Credential::Token(t),
            credential_id: id.to_string(),
        });
    }
    if let Some(sx) = state.find_session(id) {
        let session = state.session(sx).ok_or_else(invalid)?;
        // Sessions started without a secret (none are, outside tests) cannot be presented.
        let digest = session.digest.ok_or_else(invalid)?;
        if !digest.matches(secret) {
            return Err(invalid());
        }
        let user = state.user(session.user).ok_or_else(invalid)?;
        return Ok(Caller::User {
            id: user.id.to_string(),
            credential: Credential::Session(sx),
            credential_id: id.to_string(),
        });
    }
    if let Some(s) = state.find_service(id).and_then(|s| state.service(s)) {
        if !s.digest.matches(secret) {
            return Err(invalid());
        }
        if s.revoked {
            return Err(ApiError::new(
                Code::CredentialRevoked,
                "the token was revoked",
            ));
        }
        return Ok(match s.kind {
            ServiceKind::Decision => Caller::Service {
                token_id: id.to_string(),
                name: s.name.clone(),
                org: s.org,
            },
            ServiceKind::Operator | ServiceKind::Scim => Caller::Provisioner {
                token_id: id.to_string(),
                name: s.name.clone(),
                kind: s.kind,
                org: s.org,
            },
        });
    }
    // Unknown ids cost the same hash as known ones, so timing does not tell them apart.
    let _ = Sha256::digest(secret.as_bytes());
    Err(invalid())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Caller, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            ApiError::new(
                Code::CredentialMissing,
                "send `Authorization: Bearer <token>`",
            )
        })?;
        let text = header.to_str().ok().and_then(bearer).ok_or_else(|| {
            ApiError::new(
                Code::CredentialInvalid,
                "the `Authorization` header must be `Bearer <token>`",
            )
        })?;
        let reader = app.engine.read();
        // Resolved once by the scope middleware for this very token, when it ran.
        let caller = match parts.extensions.get::<crate::scopes::Resolved>() {
            Some(crate::scopes::Resolved(token, caller)) if token == text => caller.clone(),
            _ => resolve(reader.state(), text)?,
        };
        if let Caller::User { id, credential, .. } = &caller {
            // The credential and the user behind it, before anything else is looked at.
            let state = reader.state();
            let user = state
                .find_user(id)
                .ok_or_else(|| ApiError::new(Code::CredentialInvalid, "the token is not valid"))?;
            let now = app.engine.now();
            // A credential bound to an organization (an app token's installation, a session a
            // limited service started, a bound personal token) is checked there.
            let org = state.credential_org(*credential);
            easel_core::check_actor(state, user, *credential, org, now)
                .map_err(|d| ApiError::new(d.code, d.message()))?;
            if let Credential::Session(sx) = credential {
                note_use(app, state, *sx);
            }
        }
        Ok(caller)
    }
}
