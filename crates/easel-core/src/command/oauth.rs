//! OAuth commands (MODEL.md §8): a user authorizes an app for a team (installing it, when
//! they may, and consenting to pending scopes), and Easel exchanges the code for tokens,
//! rotates refresh tokens, and revokes a family when a dead token is reused.

use super::exec::{Exec, Step, new_id, refusal};
use crate::catalog::{Plan, ScopeSet};
use crate::codes::Code;
use crate::event::{Event, TokenHolder, unhex32};
use crate::roles::{MemberKind, TeamRole};
use crate::time::{SECOND_MS, Time};

/// How long an authorization code lives.
pub const CODE_TTL_SECS: i64 = 600;

/// What an authorization grants, and what it cannot, for an app that registers
/// `registered` scopes, in an organization on `plan` (with the Guard add-on or not). The
/// consent page shows it and the authorization grants it, so the two always agree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Consent {
    /// Asked for (or, when nothing is asked, registered), and grantable here.
    pub grantable: ScopeSet,
    /// Asked for, but the app does not register them.
    pub not_registered: ScopeSet,
    /// Asked for and registered, but the organization's plan lacks them: an enterprise
    /// scope is never granted elsewhere (MODEL.md §8).
    pub beyond_plan: ScopeSet,
}

/// The consent for `asked` scopes; asking for none asks for every scope the app registers.
pub fn consent(registered: ScopeSet, asked: ScopeSet, plan: Plan, guard: bool) -> Consent {
    let asked = if asked.is_empty() { registered } else { asked };
    let wanted = asked.intersection(registered);
    let grantable: ScopeSet = wanted.iter().filter(|s| s.available(plan, guard)).collect();
    Consent {
        grantable,
        not_registered: asked.difference(registered),
        beyond_plan: wanted.difference(grantable),
    }
}

fn names(set: ScopeSet) -> Vec<String> {
    set.iter().map(|s| s.name().to_string()).collect()
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

fn system_only(x: &Exec) -> Step {
    if !x.is_easel() {
        return Err(refusal(
            Code::AuthorityMissingPrivilege,
            "tokens are exchanged by Easel itself",
        ));
    }
    Ok(())
}

/// A PKCE S256 challenge: 43 base64url characters (the SHA-256 of the verifier).
fn challenge_ok(c: &str) -> bool {
    c.len() == 43
        && c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
}

fn system_checks(x: &Exec, access_digest: &str, refresh_digest: Option<&str>) -> Step {
    system_only(x)?;
    digest("access_digest", access_digest)?;
    if let Some(d) = refresh_digest {
        digest("refresh_digest", d)?;
    }
    Ok(())
}

#[expect(
    clippy::too_many_lines,
    reason = "one match over the OAuth commands, each a short sequence of checks"
)]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per field of the command"
)]
pub(super) fn authorize(
    x: &mut Exec,
    code: &str,
    installation: &str,
    app: &str,
    team: &str,
    redirect_uri: &str,
    scopes: &[String],
    challenge: &str,
    code_digest: &str,
) -> Step {
    new_id("code", code, x.state.find_code(code).is_some())?;
    digest("digest", code_digest)?;
    let a = x
        .state
        .find_app(app)
        .filter(|a| x.state.app(*a).is_some_and(|a| !a.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no app `{app}`")))?;
    let the_app = x
        .state
        .app(a)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no app"))?;
    if !the_app.redirect_uris.iter().any(|u| u == redirect_uri) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "the redirect URI is not one the app registered",
        ));
    }
    if !challenge_ok(challenge) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "the PKCE challenge must be S256: 43 base64url characters",
        ));
    }
    let asked = ScopeSet::parse(scopes.iter().map(String::as_str)).map_err(|s| {
        refusal(
            Code::RequestInvalidParameter,
            format!("unknown scope `{s}`"),
        )
    })?;
    let t = x
        .state
        .find_team(team)
        .filter(|t| x.state.team(*t).is_some_and(|t| !t.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no team `{team}`")))?;
    let (org_ix, plan, guard) = x
        .state
        .team(t)
        .and_then(|t| x.state.org(t.org).map(|o| (t.org, o.plan, o.guard)))
        .ok_or_else(|| refusal(Code::RequestNotFound, "no organization"))?;
    x.org = Some(org_ix);
    let actor = x
        .actor_ix()?
        .ok_or_else(|| refusal(Code::AuthorityAnonymous, "a user authorizes"))?;
    let member = x
        .state
        .membership(actor, org_ix)
        .ok_or_else(|| refusal(Code::AuthorityNotInOrganization, "not in the organization"))?;
    if member.kind == MemberKind::Guest {
        return Err(refusal(
            Code::AuthorityGuest,
            "guests do not authorize apps",
        ));
    }
    let role = x.state.direct_team_role(t, actor).ok_or_else(|| {
        refusal(
            Code::AuthorityNotTeamMember,
            "only members of the team authorize apps",
        )
    })?;
    // What is granted is what the consent page listed: the scopes asked for that
    // the app registers and the plan allows. Those it cannot grant are left out
    // (RFC 6749 §3.3: the token response names the scopes granted); an
    // authorization that would grant nothing is refused with why.
    let asked_consent = consent(the_app.enabled, asked, plan, guard);
    if asked_consent.grantable.is_empty() {
        if !asked_consent.beyond_plan.is_empty() {
            return Err(refusal(
                Code::ScopePlan,
                format!(
                    "the organization's plan allows none of the scopes asked for: {}",
                    names(asked_consent.beyond_plan).join(" ")
                ),
            ));
        }
        if !asked_consent.not_registered.is_empty() {
            return Err(refusal(
                Code::ScopeMissing,
                format!(
                    "the app registers none of the scopes asked for: {}",
                    names(asked_consent.not_registered).join(" ")
                ),
            ));
        }
    }
    // Installing grants every scope the app enables that the plan allows.
    let installable = consent(the_app.enabled, ScopeSet::EMPTY, plan, guard).grantable;
    let existing = the_app.installations.iter().copied().find(|i| {
        x.state
            .installation(*i)
            .is_some_and(|i| i.active && i.team == t)
    });
    let (installation_id, granted) = match existing {
        Some(i) => {
            let inst = x
                .state
                .installation(i)
                .ok_or_else(|| refusal(Code::RequestNotFound, "no installation"))?;
            (inst.id.to_string(), inst.granted)
        }
        None => {
            // Not installed yet: those who may install it do so by authorizing.
            if role != TeamRole::Admin {
                return Err(refusal(
                    Code::AuthorityRoleTooLow,
                    "the app is not installed in the team; its admins install it",
                ));
            }
            let allowed = x
                .state
                .org(org_ix)
                .and_then(|o| o.app_allowlist.as_ref())
                .is_none_or(|list| list.contains(&a));
            if !allowed {
                return Err(refusal(
                    Code::PolicyAppNotAllowed,
                    format!("the company has not allowed `{app}`"),
                ));
            }
            new_id(
                "installation",
                installation,
                x.state.find_installation(installation).is_some(),
            )?;
            x.emit(Event::AppInstalled {
                installation: installation.to_string(),
                app: app.to_string(),
                team: team.to_string(),
                scopes: names(installable),
            });
            (installation.to_string(), installable)
        }
    };
    let wanted = asked_consent.grantable;
    let pending = wanted.difference(granted);
    if !pending.is_empty() {
        x.emit(Event::AppConsented {
            installation: installation_id.clone(),
            scopes: names(pending),
        });
    }
    x.target = format!("installation:{installation_id}");
    x.change("authorized scopes", None, Some(names(wanted).join(" ")));
    x.emit(Event::CodeIssued {
        code: code.to_string(),
        installation: installation_id,
        user: x.actor_id().unwrap_or_default().to_string(),
        redirect_uri: redirect_uri.to_string(),
        scopes: names(wanted),
        challenge: challenge.to_string(),
        expires_at: Time::from_millis(x.now.millis() + CODE_TTL_SECS * SECOND_MS),
        digest: code_digest.to_ascii_lowercase(),
    });
    Ok(())
}

pub(super) fn exchange_code(
    x: &mut Exec,
    code: &str,
    access: &str,
    access_digest: &str,
    refresh: Option<&str>,
    refresh_digest: Option<&str>,
    expires_at: Option<Time>,
) -> Step {
    system_checks(x, access_digest, refresh_digest)?;
    let c = x
        .state
        .find_code(code)
        .and_then(|c| x.state.code(c))
        .ok_or_else(|| refusal(Code::RequestNotFound, "no such code"))?;
    if c.used {
        return Err(refusal(Code::RequestConflict, "the code was used already"));
    }
    if x.now >= c.expires_at {
        return Err(refusal(Code::StateExpired, "the code has expired"));
    }
    let inst = x
        .state
        .installation(c.installation)
        .filter(|i| i.active)
        .ok_or_else(|| refusal(Code::CredentialRevoked, "the app was uninstalled"))?;
    x.org = Some(inst.org);
    x.target = format!("installation:{}", inst.id);
    let scopes = names(c.scopes.intersection(inst.granted));
    let user = x
        .state
        .user(c.user)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    let installation = inst.id.to_string();
    new_id("token", access, x.state.token_id_taken(access))?;
    x.emit(Event::CodeUsed {
        code: code.to_string(),
    });
    x.emit(Event::TokenIssued {
        token: access.to_string(),
        holder: TokenHolder::App {
            installation: installation.clone(),
            user: user.clone(),
            scopes: scopes.clone(),
        },
        digest: access_digest.to_ascii_lowercase(),
        expires_at,
    });
    if let (Some(r), Some(d)) = (refresh, refresh_digest) {
        new_id("refresh", r, x.state.find_refresh(r).is_some())?;
        x.emit(Event::RefreshIssued {
            refresh: r.to_string(),
            installation,
            user,
            scopes,
            family: code.to_string(),
            access: access.to_string(),
            digest: d.to_ascii_lowercase(),
        });
    }
    Ok(())
}

pub(super) fn rotate_refresh(
    x: &mut Exec,
    refresh: &str,
    access: &str,
    access_digest: &str,
    new_refresh: &str,
    new_refresh_digest: &str,
    expires_at: Option<Time>,
) -> Step {
    system_checks(x, access_digest, Some(new_refresh_digest))?;
    let r = x
        .state
        .find_refresh(refresh)
        .and_then(|r| x.state.refresh(r))
        .ok_or_else(|| refusal(Code::RequestNotFound, "no such refresh token"))?;
    if r.used || r.revoked {
        return Err(refusal(
            Code::CredentialRevoked,
            "the refresh token was used or revoked",
        ));
    }
    let inst = x
        .state
        .installation(r.installation)
        .filter(|i| i.active)
        .ok_or_else(|| refusal(Code::CredentialRevoked, "the app was uninstalled"))?;
    x.org = Some(inst.org);
    x.target = format!("installation:{}", inst.id);
    let scopes = names(r.scopes.intersection(inst.granted));
    let user = x
        .state
        .user(r.user)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    let (installation, family) = (inst.id.to_string(), r.family.to_string());
    new_id("token", access, x.state.token_id_taken(access))?;
    new_id(
        "refresh",
        new_refresh,
        x.state.find_refresh(new_refresh).is_some(),
    )?;
    x.emit(Event::RefreshUsed {
        refresh: refresh.to_string(),
    });
    x.emit(Event::TokenIssued {
        token: access.to_string(),
        holder: TokenHolder::App {
            installation: installation.clone(),
            user: user.clone(),
            scopes: scopes.clone(),
        },
        digest: access_digest.to_ascii_lowercase(),
        expires_at,
    });
    x.emit(Event::RefreshIssued {
        refresh: new_refresh.to_string(),
        installation,
        user,
        scopes,
        family,
        access: access.to_string(),
        digest: new_refresh_digest.to_ascii_lowercase(),
    });
    Ok(())
}

pub(super) fn revoke_family(x: &mut Exec, family: &str) -> Step {
    system_only(x)?;
    let org = x
        .state
        .all_refreshes()
        .find(|(_, r)| &*r.family == family)
        .map(|(_, r)| r.installation)
        .or_else(|| {
            x.state
                .find_code(family)
                .and_then(|c| x.state.code(c))
                .map(|c| c.installation)
        })
        .and_then(|i| x.state.installation(i))
        .map(|i| i.org)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no such token family"))?;
    x.org = Some(org);
    x.target = format!("family:{family}");
    x.emit(Event::FamilyRevoked {
        family: family.to_string(),
    });
    Ok(())
}
