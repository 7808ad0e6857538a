//! The person looking at a page: the session their browser's cookie carries, checked like
//! any credential (its expiry, the organization's idle timeout, a session reset, the user's
//! standing), and the anti-forgery token their forms must return.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use easel_core::State as EngineState;
use easel_core::ids::{OrgIx, UserIx};
use easel_core::request::Credential;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::Failure;
use crate::AppState;
use crate::auth::{Caller, resolve};

/// The cookie a signed-in browser carries its session in.
pub const SESSION_COOKIE: &str = "easel_session";

/// A signed-in person.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// As the API sees them: a user with a session.
    pub caller: Caller,
    /// The user.
    pub user: UserIx,
    /// The user's id.
    pub user_id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// The one organization the session acts in, when it is bound to one.
    pub bound: Option<OrgIx>,
    /// The value every form of theirs carries in its `csrf` field.
    pub csrf: String,
}

/// The session text in a request's cookies, if any.
pub fn cookie_session(headers: &HeaderMap) -> Option<String> {
    headers.get_all(COOKIE).iter().find_map(|v| {
        v.to_str().ok()?.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_string())
        })
    })
}

/// The anti-forgery token of a session and a purpose: a MAC keyed with the session's
/// digest, which only the server holds, so another site can neither read nor make one.
pub fn form_token(state: &EngineState, caller: &Caller, purpose: &str) -> Option<String> {
    let Caller::User {
        credential: Credential::Session(s),
        credential_id,
        ..
    } = caller
    else {
        return None;
    };
    let digest = state.session(*s)?.digest?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&digest.bytes()).ok()?;
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(credential_id.as_bytes());
    Some(easel_core::event::hex(&mac.finalize().into_bytes()))
}

/// The purpose console forms are signed for.
const CONSOLE_FORMS: &str = "easel console form";

impl Viewer {
    /// The viewer a session text stands for, checked now.
    pub fn from_session(app: &AppState, text: &str) -> Result<Viewer, Failure> {
        let reader = app.engine.read();
        let state = reader.state();
        let caller = resolve(state, text).map_err(|_| Failure::signed_out(None))?;
        let Caller::User {
            id,
            credential: credential @ Credential::Session(sx),
            ..
        } = &caller
        else {
            return Err(Failure::signed_out(None));
        };
        let user = state
            .find_user(id)
            .ok_or_else(|| Failure::signed_out(None))?;
        let bound = state.credential_org(*credential);
        let now = app.engine.now();
        easel_core::check_actor(state, user, *credential, bound, now)
            .map_err(|d| Failure::signed_out(Some(d.message())))?;
        crate::auth::note_use(app, state, *sx);
        let u = state.user(user).ok_or_else(|| Failure::signed_out(None))?;
        let csrf =
            form_token(state, &caller, CONSOLE_FORMS).ok_or_else(|| Failure::signed_out(None))?;
        Ok(Viewer {
            user,
            user_id: u.id.to_string(),
            name: u.name.clone(),
            email: u.email.to_string(),
            bound,
            csrf,
            caller,
        })
    }

    /// Decides `command` as this viewer would run it at `now`, against `state`, committing
    /// nothing: the engine's answer to a form before it is sent, which is how a page
    /// decides whether to offer a control. No randomness is needed (nothing is kept).
    pub fn would(
        &self,
        state: &EngineState,
        command: &easel_core::command::Command,
        now: easel_core::Time,
    ) -> Result<(), easel_core::command::Refusal> {
        use easel_core::command::{Actor, Outcome, execute};
        let actor = Actor::User {
            id: &self.user_id,
            credential: self.caller.credential(),
        };
        let entropy = easel_core::entropy::Entropy::new([0; easel_core::entropy::Entropy::BYTES]);
        match execute(state, actor, command, now, entropy) {
            Outcome::Accepted { .. } => Ok(()),
            Outcome::Refused { refusal, .. } => Err(refusal),
        }
    }

    /// Whether a form's `csrf` value is this viewer's, compared in constant time.
    pub fn genuine(&self, given: &str) -> bool {
        use subtle::ConstantTimeEq;
        self.csrf.len() == given.len() && bool::from(self.csrf.as_bytes().ct_eq(given.as_bytes()))
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Viewer, Failure> {
        let text = cookie_session(&parts.headers).ok_or_else(|| Failure::signed_out(None))?;
        Viewer::from_session(app, &text)
    }
}

/// The `Set-Cookie` value that keeps a session in the browser: unreadable by script, sent
/// only with requests from Easel's own pages, over TLS only when the console is reached
/// over TLS.
pub fn session_cookie(app: &AppState, session: &str) -> String {
    let secure = if app.console.secure() { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that forgets the session.
pub fn cleared_cookie(app: &AppState) -> String {
    let secure = if app.console.secure() { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}")
}
