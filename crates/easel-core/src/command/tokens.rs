//! Token commands: Easel issues and revokes tokens for its operator (`easel token create`).
//! Only the digest of a secret ever reaches a command, an event or the store.

use super::exec::{Exec, Step, new_id, refusal, text};
use crate::catalog::ScopeSet;
use crate::codes::Code;
use crate::event::{Event, TokenHolder, unhex32};
use crate::model::ServiceKind;
use crate::request::Target;
use crate::time::Time;

pub(super) fn issue_token(
    x: &mut Exec,
    token: &str,
    holder: &TokenHolder,
    digest: &str,
    expires_at: Option<Time>,
) -> Step {
    easel_itself(x)?;
    new_id("token", token, x.state.token_id_taken(token))?;
    if unhex32(digest).is_none() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "`digest` must be a SHA-256 in 64 hex digits",
        ));
    }
    match holder {
        TokenHolder::User { user, org } => {
            let u = x
                .state
                .find_user(user)
                .ok_or_else(|| refusal(Code::RequestNotFound, format!("no user `{user}`")))?;
            if let Some(org) = org {
                let o = x.state.find_org(org).ok_or_else(|| {
                    refusal(Code::RequestNotFound, format!("no organization `{org}`"))
                })?;
                x.org = Some(o);
                if x.state.membership(u, o).is_none() {
                    return Err(refusal(
                        Code::AuthorityNotInOrganization,
                        format!("user `{user}` is not in organization `{org}`"),
                    ));
                }
            }
        }
        TokenHolder::App {
            installation,
            user,
            scopes,
        } => {
            let inst = x
                .state
                .find_installation(installation)
                .and_then(|i| x.state.installation(i))
                .filter(|i| i.active)
                .ok_or_else(|| {
                    refusal(
                        Code::RequestNotFound,
                        format!("no installation `{installation}`"),
                    )
                })?;
            x.org = Some(inst.org);
            let u = x
                .state
                .find_user(user)
                .ok_or_else(|| refusal(Code::RequestNotFound, format!("no user `{user}`")))?;
            if x.state.membership(u, inst.org).is_none() {
                return Err(refusal(
                    Code::AuthorityNotInOrganization,
                    format!("user `{user}` is not in the installation's organization"),
                ));
            }
            let set = ScopeSet::parse(scopes.iter().map(String::as_str)).map_err(|s| {
                refusal(
                    Code::RequestInvalidParameter,
                    format!("unknown scope `{s}`"),
                )
            })?;
            if !set.difference(inst.granted).is_empty() {
                return Err(refusal(
                    Code::ScopeMissing,
                    "a token carries only scopes its installation was granted",
                ));
            }
        }
        TokenHolder::Operator { name } => text("name", name, false)?,
        TokenHolder::Scim { name, org } => {
            text("name", name, false)?;
            let o = x.state.find_org(org).ok_or_else(|| {
                refusal(Code::RequestNotFound, format!("no organization `{org}`"))
            })?;
            x.org = Some(o);
        }
        TokenHolder::Service { name, org } => {
            text("name", name, false)?;
            if let Some(org) = org {
                let o = x.state.find_org(org).ok_or_else(|| {
                    refusal(Code::RequestNotFound, format!("no organization `{org}`"))
                })?;
                x.org = Some(o);
            }
        }
    }
    if expires_at.is_some_and(|at| at <= x.now) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "`expires_at` is in the past",
        ));
    }
    x.target = format!("token:{token}");
    x.emit(Event::TokenIssued {
        token: token.to_string(),
        holder: holder.clone(),
        digest: digest.to_ascii_lowercase(),
        expires_at,
    });
    Ok(())
}

pub(super) fn revoke_token(x: &mut Exec, token: &str) -> Step {
    easel_itself(x)?;
    if let Some(s) = x.state.find_service(token).and_then(|s| x.state.service(s)) {
        x.org = s.org;
    } else if x.state.find_token(token).is_none() {
        return Err(refusal(
            Code::RequestNotFound,
            format!("no token `{token}`"),
        ));
    }
    x.target = format!("token:{token}");
    x.emit(Event::TokenRevoked {
        token: token.to_string(),
    });
    Ok(())
}

/// Tokens are issued and revoked by Easel itself, for its operator.
fn easel_itself(x: &Exec) -> Step {
    if !x.is_easel() {
        return Err(refusal(
            Code::AuthorityMissingPrivilege,
            "tokens are issued and revoked by Easel itself",
        ));
    }
    Ok(())
}

/// A company admin makes a SCIM token for the organization's identity provider
/// (`auth_settings.edit`). The command carries the secret's digest only.
pub(super) fn create_scim_token(
    x: &mut Exec,
    org: &str,
    token: &str,
    name: &str,
    digest: &str,
) -> Step {
    let o = x.org(org)?;
    x.require("auth_settings.edit", Target::Org(o))?;
    text("name", name, false)?;
    new_id("token", token, x.state.token_id_taken(token))?;
    if unhex32(digest).is_none() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "`digest` must be a SHA-256 in 64 hex digits",
        ));
    }
    x.target = format!("token:{token}");
    x.change("scim token", None, Some(name.to_string()));
    x.emit(Event::TokenIssued {
        token: token.to_string(),
        holder: TokenHolder::Scim {
            name: name.to_string(),
            org: org.to_string(),
        },
        digest: digest.to_ascii_lowercase(),
        expires_at: None,
    });
    Ok(())
}

/// A company admin revokes one of the organization's SCIM tokens (`auth_settings.edit`).
/// Another organization's token is answered as one that does not exist.
pub(super) fn revoke_scim_token(x: &mut Exec, org: &str, token: &str) -> Step {
    let o = x.org(org)?;
    x.require("auth_settings.edit", Target::Org(o))?;
    let found = x
        .state
        .find_service(token)
        .and_then(|s| x.state.service(s))
        .filter(|s| s.kind == ServiceKind::Scim && s.org == Some(o));
    let Some(found) = found else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("no SCIM token `{token}`"),
        ));
    };
    x.target = format!("token:{token}");
    if !found.revoked {
        x.change("scim token", Some(found.name.clone()), None);
        x.emit(Event::TokenRevoked {
            token: token.to_string(),
        });
    }
    Ok(())
}
