//! One-time sign-in links (MODEL.md §9): Easel issues a link for a user, on a service's
//! request or its operator's, and exchanges it once, before it expires, for a session bound
//! as the link was. A refused redemption says the same whatever was wrong with the link, so
//! that someone holding a guessed or stolen one learns nothing from the answer.

use super::exec::{Exec, Step, new_id, refusal};
use crate::codes::Code;
use crate::event::{Event, unhex32};
use crate::ids::{OrgIx, UserIx};
use crate::model::{SignInLink, UserStatus};
use crate::state::State;
use crate::time::{SECOND_MS, Time};

/// How long a sign-in link works after it is issued: 15 minutes, long enough to open it
/// from a terminal or an email, short enough that a link left in a log is soon worthless.
pub const SIGN_IN_LINK_TTL_SECS: i64 = 15 * 60;

/// The one refusal of every redemption that fails: an unknown link, a used one, an expired
/// one, or one whose user is no longer active where it signs in. The server answers a
/// forged secret with it too.
pub fn not_valid() -> super::Refusal {
    refusal(
        Code::CredentialInvalid,
        "the sign-in link is not valid: links work once, within 15 minutes; ask for a new one",
    )
}

fn system_only(x: &Exec, what: &str) -> Step {
    if x.is_easel() {
        Ok(())
    } else {
        Err(refusal(
            Code::AuthorityMissingPrivilege,
            format!("sign-in links are {what} by Easel itself"),
        ))
    }
}

fn digest(field: &str, hex: &str) -> Step {
    if unhex32(hex).is_some() {
        Ok(())
    } else {
        Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{field}` must be a SHA-256 in 64 hex digits"),
        ))
    }
}

/// Whether a user may be signed in now: active, and where the session is bound, an active
/// member or guest of that organization.
fn may_sign_in(state: &State, user: UserIx, org: Option<OrgIx>) -> bool {
    let active = state
        .user(user)
        .is_some_and(|u| u.status == UserStatus::Active);
    let member = org.is_none_or(|o| {
        state.org(o).is_some_and(|o| !o.closed)
            && state.membership(user, o).is_some_and(|m| m.active)
    });
    active && member
}

/// Whether a link would sign its user in at `now`: not used, not expired, and its user
/// still active where it signs in. What `redeem_sign_in_link` accepts, for a page that
/// shows a link before it is used (its secret is checked by whoever presents it).
pub fn redeemable(state: &State, link: &SignInLink, now: Time) -> bool {
    !link.used && now < link.expires_at && may_sign_in(state, link.user, link.org)
}

pub(super) fn issue(
    x: &mut Exec,
    link: &str,
    user: &str,
    org: Option<&str>,
    link_digest: &str,
) -> Step {
    system_only(x, "issued")?;
    new_id("link", link, x.state.find_sign_in_link(link).is_some())?;
    let unknown = || refusal(Code::RequestNotFound, format!("no user `{user}`"));
    let u = x.state.find_user(user).ok_or_else(unknown)?;
    let o = match org {
        Some(org) => {
            let o = x.state.find_org(org).ok_or_else(|| {
                refusal(Code::RequestNotFound, format!("no organization `{org}`"))
            })?;
            x.org = Some(o);
            Some(o)
        }
        None => None,
    };
    // Only someone who could use the session: an inactive user, or one the organization
    // does not hold, is answered as no one, as `start_session` answers them.
    if !may_sign_in(x.state, u, o) {
        return Err(unknown());
    }
    digest("digest", link_digest)?;
    x.target = format!("sign_in_link:{link}");
    let expires_at = Time::from_millis(x.now.millis() + SIGN_IN_LINK_TTL_SECS * SECOND_MS);
    x.change("user", None, Some(user.to_string()));
    x.emit(Event::SignInLinkIssued {
        link: link.to_string(),
        user: user.to_string(),
        org: org.map(str::to_string),
        digest: link_digest.to_ascii_lowercase(),
        at: x.now,
        expires_at,
    });
    Ok(())
}

pub(super) fn redeem(x: &mut Exec, link: &str, session: &str, session_digest: &str) -> Step {
    system_only(x, "redeemed")?;
    digest("digest", session_digest)?;
    let l = x
        .state
        .find_sign_in_link(link)
        .and_then(|l| x.state.sign_in_link(l))
        .ok_or_else(not_valid)?;
    if !redeemable(x.state, l, x.now) {
        return Err(not_valid());
    }
    new_id("session", session, x.state.find_session(session).is_some())?;
    let (user, org) = (l.user, l.org);
    x.org = org;
    let user = x
        .state
        .user(user)
        .map(|u| u.id.to_string())
        .ok_or_else(not_valid)?;
    let org = org.and_then(|o| x.state.org(o)).map(|o| o.id.to_string());
    x.target = format!("session:{session}");
    x.emit(Event::SignInLinkRedeemed {
        link: link.to_string(),
        session: session.to_string(),
        at: x.now,
    });
    x.emit(Event::SessionStarted {
        session: session.to_string(),
        user,
        at: x.now,
        digest: Some(session_digest.to_ascii_lowercase()),
        org,
    });
    Ok(())
}
