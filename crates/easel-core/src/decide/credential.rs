//! Layer 1: the credential, and the user behind it.

use super::Ctx;
use super::trace::{Outcome, Trace};
use crate::catalog::ScopeSet;
use crate::codes::{Code, Layer};
use crate::decision::{Denial, Facts};
use crate::model::{TokenKind, User, UserStatus};
use crate::request::{Credential, Subject, Target};
use crate::roles::MemberKind;
use crate::time::{DAY_MS, SECOND_MS, Time};

/// How long a guest may be idle before `auto_deactivate_guests` deactivates them.
pub(crate) const GUEST_IDLE_DAYS: i64 = 30;

/// What the credential brings to the scope layer: the scopes of an app token, already
/// narrowed to what its installation was granted.
pub(crate) struct AppGrant {
    pub scopes: ScopeSet,
    /// The scopes the token's app registers, for naming the plan as the cause of a refusal.
    pub registered: ScopeSet,
}

/// What the credential layer concluded about the subject.
pub(crate) struct Passed {
    /// The scopes of an app token, if one was presented.
    pub app: Option<AppGrant>,
    /// The user may not act as themselves (deactivated, deactivated in this organization,
    /// or a guest deactivated for idleness) but presents the board's public link: MODEL.md
    /// §3 treats them as an anonymous visitor, so the later layers decide for no user.
    pub as_visitor: bool,
}

fn refuse(code: Code) -> Denial {
    Denial::new(code, Facts::default())
}

pub(crate) fn check<T: Trace>(ctx: &Ctx, now: Time, trace: &mut T) -> Result<Passed, Denial> {
    let state = ctx.state;
    let subject = match ctx.req.subject {
        Subject::User(u) => Some(u),
        Subject::Anonymous => None,
    };
    let mut app = None;
    match ctx.req.credential {
        Credential::None => {}
        Credential::Unknown => return Err(refuse(Code::CredentialInvalid)),
        Credential::Session(s) => {
            let session = state.session(s).ok_or(refuse(Code::CredentialInvalid))?;
            if subject != Some(session.user) {
                return Err(refuse(Code::CredentialWrongSubject));
            }
            if session.ended {
                return Err(refuse(Code::CredentialSessionEnded));
            }
            // A session acts only in the organization it was started for.
            if session.org.is_some_and(|o| o != ctx.org_ix) {
                return Err(refuse(Code::CredentialCrossOrganization));
            }
            let everywhere = state.user(session.user).and_then(|u| u.sessions_reset_at);
            let here = ctx.org.sessions_reset_at(session.user);
            if everywhere
                .max(here)
                .is_some_and(|at| at >= session.created_at)
            {
                return Err(refuse(Code::CredentialSessionReset));
            }
            if let Some(limit) = ctx.company.idle_session_timeout_secs {
                let limit_ms = i64::try_from(limit)
                    .unwrap_or(i64::MAX)
                    .saturating_mul(SECOND_MS);
                if now.since(session.last_active_at) > limit_ms {
                    return Err(refuse(Code::CredentialSessionIdle));
                }
            }
        }
        Credential::Token(t) => {
            let token = state.token(t).ok_or(refuse(Code::CredentialInvalid))?;
            if subject != Some(token.user) {
                return Err(refuse(Code::CredentialWrongSubject));
            }
            if token.revoked {
                return Err(refuse(Code::CredentialRevoked));
            }
            if token.expires_at.is_some_and(|at| now >= at) {
                return Err(refuse(Code::CredentialExpired));
            }
            // A bound personal token acts only in its organization.
            if token.kind == TokenKind::Personal && token.org.is_some_and(|o| o != ctx.org_ix) {
                return Err(refuse(Code::CredentialCrossOrganization));
            }
            if let TokenKind::App(inst) = token.kind {
                let installation = state
                    .installation(inst)
                    .ok_or(refuse(Code::CredentialRevoked))?;
                if !installation.active {
                    return Err(refuse(Code::CredentialRevoked));
                }
                if installation.org != ctx.org_ix {
                    return Err(refuse(Code::CredentialCrossOrganization));
                }
                app = Some(AppGrant {
                    scopes: token.scopes.intersection(installation.granted),
                    registered: state
                        .app(installation.app)
                        .map(|a| a.enabled)
                        .unwrap_or_default(),
                });
            }
        }
    }
    if let Some(code) = ctx.user.and_then(|(_, user)| standing(ctx, user, now)) {
        // A user who may not act as themselves still reaches a board through its public
        // link, as anyone presenting it does; without the link they reach nothing.
        if !link_applies(ctx) {
            return Err(refuse(code));
        }
        trace.layer(Layer::Credential, Outcome::Passed, || {
            format!(
                "{}; the board's link is presented, so they are treated as an anonymous visitor",
                code.meaning()
            )
        });
        return Ok(Passed {
            app,
            as_visitor: true,
        });
    }
    trace.layer(Layer::Credential, Outcome::Passed, || {
        match ctx.req.credential {
            Credential::None => "no credential presented: the subject is taken as asked".into(),
            Credential::Session(_) => "the session is open, not reset and not idle".into(),
            Credential::Token(_) => "the token is valid, unexpired and not revoked".into(),
            Credential::Unknown => String::new(),
        }
    });
    Ok(Passed {
        app,
        as_visitor: false,
    })
}

/// Why the user may not act as themselves in the organization, if they may not:
/// deactivated, deactivated in the organization, or a guest idle past the limit while
/// `auto_deactivate_guests` is on.
fn standing(ctx: &Ctx, user: &User, now: Time) -> Option<Code> {
    if user.status == UserStatus::Deactivated {
        return Some(Code::CredentialUserDeactivated);
    }
    let m = user.membership(ctx.org_ix)?;
    if !m.active {
        return Some(Code::CredentialUserDeactivated);
    }
    let idle_guest = m.kind == MemberKind::Guest
        && ctx.company.auto_deactivate_guests
        && user
            .last_active_at
            .is_some_and(|at| now.since(at) > GUEST_IDLE_DAYS * DAY_MS);
    idle_guest.then_some(Code::CredentialGuestInactive)
}

/// Whether the question is about a board and presents that board's current link, with its
/// password when one is set: when the public-link channel applies (MODEL.md §3).
fn link_applies(ctx: &Ctx) -> bool {
    let Target::Board(b) = ctx.req.target else {
        return false;
    };
    ctx.state
        .board(b)
        .is_some_and(|board| super::channels::link_presented(ctx.req, board))
}
