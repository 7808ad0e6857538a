//! One-time sign-in links, for the console's sign-in page: the URL a link is given as,
//! what a link shows before it is used (whom it signs in, and where), and exchanging it,
//! once, for a session. Every link that will not sign anyone in (unknown, forged, used,
//! expired, or its user deactivated since) is answered alike, so trying links teaches
//! nothing; its secret is compared with the digest in constant time (`LinkDigest::matches`).

use easel_core::command::{Command, Outcome, sign_in_link_redeemable, sign_in_link_refusal};
use easel_core::{State, Time};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::split_token;
use crate::engine::Acting;
use crate::error::ApiError;

/// The console's sign-in page, which a link opens.
pub const PAGE: &str = "/ui/sign-in";

/// The URL of a sign-in link: the console's sign-in page under `base` (the server's
/// public address, no trailing slash), with the link's text (`<id>.<secret>`) and, when
/// given, the console page to open once signed in.
pub fn url(base: &str, text: &str, next: Option<&str>) -> String {
    let mut pairs = vec![("link", text)];
    if let Some(next) = next {
        pairs.push(("next", next));
    }
    // Form-encoding text pairs cannot fail; were it to, the link would carry no query.
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    format!("{base}{PAGE}?{query}")
}

/// The longest console path a sign-in link carries to open after signing in.
pub const MAX_NEXT_LEN: usize = 2_048;

/// Whether `path` is a console page a link may open once signed in: a path under `/ui/`,
/// so that a link never sends anyone to another site, with nothing that could end the
/// query or make a browser read it as another host.
pub fn console_path(path: &str) -> bool {
    path.starts_with("/ui/")
        && path.len() <= MAX_NEXT_LEN
        && !path.contains("//")
        && !path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '#'))
}

/// Whom a link signs in, and where: what the sign-in page shows before it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkInfo {
    /// The link's id.
    pub link_id: String,
    /// The user's id.
    pub user_id: String,
    /// The user's name.
    pub name: String,
    /// The user's email.
    pub email: String,
    /// The organization the session will act in, if the link is bound to one.
    pub org_id: Option<String>,
    /// That organization's name.
    pub org_name: Option<String>,
    /// When the link stops working.
    pub expires_at: Time,
}

/// What a link's text (`<id>.<secret>`) would sign in at `now`; `None` for a link that
/// will not (unknown, a wrong secret, used, expired, or its user no longer active there).
pub fn peek(state: &State, text: &str, now: Time) -> Option<LinkInfo> {
    let (id, secret) = split_token(text)?;
    let Some(link) = state
        .find_sign_in_link(id)
        .and_then(|l| state.sign_in_link(l))
    else {
        // An unknown id costs the same hash as a known one.
        let _ = Sha256::digest(secret.as_bytes());
        return None;
    };
    if !link.digest.matches(secret) || !sign_in_link_redeemable(state, link, now) {
        return None;
    }
    let user = state.user(link.user)?;
    let org = link.org.and_then(|o| state.org(o));
    Some(LinkInfo {
        link_id: link.id.to_string(),
        user_id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
        org_id: org.map(|o| o.id.to_string()),
        org_name: org.map(|o| o.name.clone()),
        expires_at: link.expires_at,
    })
}

/// `peek` on the server's newest state: a link this node has not seen yet (made by
/// `easel login-link` or another node on the same PostgreSQL database) is looked for again
/// once the engine has caught up with the store.
pub async fn preview(app: &AppState, text: &str) -> Option<LinkInfo> {
    if unseen(app, text) {
        catch_up(app).await;
    }
    peek(app.engine.read().state(), text, app.engine.now())
}

/// Exchanges a link's text (`<id>.<secret>`) for a new session, once: the session's
/// credential (`<session id>.<secret>`, for a cookie) is returned, and the link never
/// works again. A link that will not sign anyone in is refused with `credential.invalid`,
/// whatever is wrong with it.
pub async fn redeem(app: &AppState, text: &str) -> Result<String, ApiError> {
    let refused = || ApiError::from(sign_in_link_refusal());
    let (id, secret) = split_token(text).ok_or_else(refused)?;
    if unseen(app, text) {
        catch_up(app).await;
    }
    let genuine = {
        let reader = app.engine.read();
        let state = reader.state();
        match state
            .find_sign_in_link(id)
            .and_then(|l| state.sign_in_link(l))
        {
            Some(link) => link.digest.matches(secret),
            None => {
                let _ = Sha256::digest(secret.as_bytes());
                false
            }
        }
    };
    if !genuine {
        return Err(refused());
    }
    let session = crate::ids::new_id("ses")?;
    let (session_secret, digest) = crate::ids::new_secret()?;
    let command = Command::RedeemSignInLink {
        link: id.to_string(),
        session: session.clone(),
        digest,
    };
    // The engine decides the rest (used, expired, the user still active), on the newest
    // state, and a second redemption racing this one finds the link used.
    match app.engine.run(Acting::System, command).await?.0 {
        Outcome::Accepted { .. } => Ok(format!("{session}.{session_secret}")),
        Outcome::Refused { refusal, .. } => Err(refusal.into()),
    }
}

/// Whether a text names a link this node's state does not hold (yet).
fn unseen(app: &AppState, text: &str) -> bool {
    split_token(text)
        .is_some_and(|(id, _)| app.engine.read().state().find_sign_in_link(id).is_none())
}

/// Applies what other writers committed; a store that cannot answer leaves the state as
/// it is (the link is then unknown, and refused as any unknown link is).
async fn catch_up(app: &AppState) {
    if let Err(error) = app.engine.catch_up().await {
        tracing::warn!(%error, "catching up with the store for a sign-in link failed");
    }
}
