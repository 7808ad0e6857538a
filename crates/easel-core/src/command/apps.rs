//! App commands (MODEL.md §8): registering, enabling scopes, deleting; installing into a
//! team, consenting to scopes enabled later, uninstalling. And session commands (§9):
//! starting, using and ending a session.

use super::exec::{Exec, Step, new_id, refusal, text};
use crate::catalog::{Plan, Scope, ScopeSet};
use crate::codes::Code;
use crate::event::{Event, unhex32};
use crate::ids::{AppIx, InstallationIx, TeamIx};
use crate::roles::{MemberKind, TeamRole};

/// The most redirect URIs an app may register.
const MAX_REDIRECT_URIS: usize = 10;
/// The longest redirect URI.
const MAX_URI_LEN: usize = 2_048;

fn names(set: ScopeSet) -> Vec<String> {
    set.iter().map(|s| s.name().to_string()).collect()
}

/// Scopes by name or alias; an unknown one is refused with the list of valid names.
fn scopes(list: &[String]) -> Step<ScopeSet> {
    // Every scope twice over, in both spellings, is more than any app needs.
    if list.len() > 2 * Scope::ALL.len() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "the scope list is too long",
        ));
    }
    ScopeSet::parse(list.iter().map(String::as_str)).map_err(|unknown| {
        let valid: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
        refusal(
            Code::RequestInvalidParameter,
            format!(
                "unknown scope `{unknown}`; valid scopes: {}",
                valid.join(", ")
            ),
        )
    })
}

/// A redirect URI an authorization may return to: https, or http on the loopback host for
/// development; no fragment.
fn redirect_uri(uri: &str) -> bool {
    let secure = uri.starts_with("https://");
    let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|p| {
            uri.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    (secure || local)
        && uri.len() <= MAX_URI_LEN
        && !uri.contains('#')
        && !uri.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The actor's direct role in a team of their organization; guests are refused.
fn team_role(x: &mut Exec, team: TeamIx) -> Step<TeamRole> {
    let actor = x
        .actor_ix()?
        .ok_or_else(|| refusal(Code::AuthorityAnonymous, "a user acts here"))?;
    let org = x
        .state
        .team(team)
        .map(|t| t.org)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no such team"))?;
    x.org = Some(org);
    let m = x.state.membership(actor, org).ok_or_else(|| {
        refusal(
            Code::AuthorityNotInOrganization,
            "the user is not in the organization",
        )
    })?;
    if m.kind == MemberKind::Guest {
        return Err(refusal(Code::AuthorityGuest, "guests do not manage apps"));
    }
    x.state.direct_team_role(team, actor).ok_or_else(|| {
        refusal(
            Code::AuthorityNotTeamMember,
            "only members of the team do this",
        )
    })
}

fn team_of(x: &Exec, id: &str) -> Step<TeamIx> {
    x.state
        .find_team(id)
        .filter(|t| x.state.team(*t).is_some_and(|t| !t.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no team `{id}`")))
}

fn app_of(x: &mut Exec, id: &str) -> Step<AppIx> {
    let a = x
        .state
        .find_app(id)
        .filter(|a| x.state.app(*a).is_some_and(|a| !a.deleted))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no app `{id}`")))?;
    x.target = format!("app:{id}");
    Ok(a)
}

fn installation_of(x: &mut Exec, id: &str) -> Step<InstallationIx> {
    let i = x
        .state
        .find_installation(id)
        .filter(|i| x.state.installation(*i).is_some_and(|i| i.active))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no installation `{id}`")))?;
    x.target = format!("installation:{id}");
    Ok(i)
}

/// The scopes an organization's installations may hold: enterprise scopes only on the
/// enterprise plan (MODEL.md §8).
fn grantable(x: &Exec, team: TeamIx, enabled: ScopeSet) -> ScopeSet {
    let org = x.state.team(team).and_then(|t| x.state.org(t.org));
    let (plan, guard) = org.map_or((Plan::Free, false), |o| (o.plan, o.guard));
    enabled
        .iter()
        .filter(|s| s.available(plan, guard))
        .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per field of the command"
)]
pub(super) fn register_app(
    x: &mut Exec,
    app: &str,
    team: &str,
    name: &str,
    redirect_uris: &[String],
    expiring_tokens: bool,
    asked: &[String],
    secret_digest: &str,
) -> Step {
    new_id("app", app, x.state.find_app(app).is_some())?;
    text("name", name, false)?;
    let t = team_of(x, team)?;
    team_role(x, t)?;
    if redirect_uris.is_empty() || redirect_uris.len() > MAX_REDIRECT_URIS {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("an app has 1 to {MAX_REDIRECT_URIS} redirect URIs"),
        ));
    }
    if let Some(bad) = redirect_uris.iter().find(|u| !redirect_uri(u)) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{bad}` is not a redirect URI: https (or http on localhost), no fragment"),
        ));
    }
    let set = scopes(asked)?;
    if unhex32(secret_digest).is_none() {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "`secret_digest` must be a SHA-256 in 64 hex digits",
        ));
    }
    x.target = format!("app:{app}");
    x.change("scopes", None, Some(names(set).join(" ")));
    x.emit(Event::AppRegistered {
        app: app.to_string(),
        team: team.to_string(),
        name: name.to_string(),
        redirect_uris: redirect_uris.to_vec(),
        expiring_tokens,
        scopes: names(set),
        secret_digest: secret_digest.to_ascii_lowercase(),
    });
    Ok(())
}

pub(super) fn set_app_scopes(x: &mut Exec, app: &str, asked: &[String]) -> Step {
    let a = app_of(x, app)?;
    let (team, before) = x
        .state
        .app(a)
        .map(|a| (a.team, a.enabled))
        .ok_or_else(|| refusal(Code::RequestNotFound, "no app"))?;
    team_role(x, team)?;
    let set = scopes(asked)?;
    x.change(
        "scopes",
        Some(names(before).join(" ")),
        Some(names(set).join(" ")),
    );
    x.emit(Event::AppScopesSet {
        app: app.to_string(),
        scopes: names(set),
    });
    Ok(())
}

pub(super) fn delete_app(x: &mut Exec, app: &str) -> Step {
    let a = app_of(x, app)?;
    let team = x
        .state
        .app(a)
        .map(|a| a.team)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no app"))?;
    team_role(x, team)?;
    x.change(
        format!("app {app}"),
        Some("active".into()),
        Some("deleted".into()),
    );
    x.emit(Event::AppDeleted {
        app: app.to_string(),
    });
    Ok(())
}

pub(super) fn install_app(x: &mut Exec, installation: &str, app: &str, team: &str) -> Step {
    new_id(
        "installation",
        installation,
        x.state.find_installation(installation).is_some(),
    )?;
    let a = app_of(x, app)?;
    let t = team_of(x, team)?;
    if team_role(x, t)? != TeamRole::Admin {
        return Err(refusal(
            Code::AuthorityRoleTooLow,
            "the team's admins install apps",
        ));
    }
    let org = x.state.team(t).and_then(|t| x.state.org(t.org));
    if let Some(list) = org.and_then(|o| o.app_allowlist.as_ref())
        && !list.contains(&a)
    {
        return Err(refusal(
            Code::PolicyAppNotAllowed,
            format!("the company has not allowed `{app}`"),
        ));
    }
    let enabled = x.state.app(a).map(|a| a.enabled).unwrap_or_default();
    let granted = grantable(x, t, enabled);
    x.target = format!("installation:{installation}");
    x.change(
        format!("app {app} in team {team}"),
        None,
        Some(names(granted).join(" ")),
    );
    x.emit(Event::AppInstalled {
        installation: installation.to_string(),
        app: app.to_string(),
        team: team.to_string(),
        scopes: names(granted),
    });
    Ok(())
}

pub(super) fn consent_app(x: &mut Exec, installation: &str) -> Step {
    let i = installation_of(x, installation)?;
    let (app, team, granted) = x
        .state
        .installation(i)
        .map(|i| (i.app, i.team, i.granted))
        .ok_or_else(|| refusal(Code::RequestNotFound, "no installation"))?;
    team_role(x, team)?;
    let enabled = x.state.app(app).map(|a| a.enabled).unwrap_or_default();
    let pending = grantable(x, team, enabled).difference(granted);
    if pending.is_empty() {
        return Err(refusal(
            Code::RequestConflict,
            "no scope is waiting for consent",
        ));
    }
    x.change(
        "scopes",
        Some(names(granted).join(" ")),
        Some(names(granted.union(pending)).join(" ")),
    );
    x.emit(Event::AppConsented {
        installation: installation.to_string(),
        scopes: names(pending),
    });
    Ok(())
}

pub(super) fn uninstall_app(x: &mut Exec, installation: &str) -> Step {
    let i = installation_of(x, installation)?;
    let team = x
        .state
        .installation(i)
        .map(|i| i.team)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no installation"))?;
    if team_role(x, team)? != TeamRole::Admin {
        return Err(refusal(
            Code::AuthorityRoleTooLow,
            "the team's admins uninstall apps",
        ));
    }
    x.change(
        format!("installation {installation}"),
        Some("active".into()),
        Some("uninstalled".into()),
    );
    x.emit(Event::AppUninstalled {
        installation: installation.to_string(),
    });
    Ok(())
}

pub(super) fn start_session(
    x: &mut Exec,
    session: &str,
    user: &str,
    digest: Option<&str>,
    org: Option<&str>,
) -> Step {
    if !x.is_easel() {
        return Err(refusal(
            Code::AuthorityMissingPrivilege,
            "sessions are started by Easel itself, for the host's sign-in",
        ));
    }
    new_id("session", session, x.state.find_session(session).is_some())?;
    let u = x
        .state
        .find_user(user)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no user `{user}`")))?;
    if let Some(org) = org {
        // Only someone the organization holds, and who is active there: a session
        // acts in its organization alone, so this is all it can ever reach.
        let o = x
            .state
            .find_org(org)
            .ok_or_else(|| refusal(Code::RequestNotFound, format!("no organization `{org}`")))?;
        x.org = Some(o);
        let active = x.state.membership(u, o).is_some_and(|m| m.active)
            && x.state
                .user(u)
                .is_some_and(|u| u.status == crate::model::UserStatus::Active);
        if !active {
            return Err(refusal(Code::RequestNotFound, format!("no user `{user}`")));
        }
    }
    if digest.is_some_and(|d| unhex32(d).is_none()) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "`digest` must be a SHA-256 in 64 hex digits",
        ));
    }
    x.target = format!("session:{session}");
    x.emit(Event::SessionStarted {
        session: session.to_string(),
        user: user.to_string(),
        at: x.now,
        digest: digest.map(str::to_ascii_lowercase),
        org: org.map(str::to_string),
    });
    Ok(())
}

pub(super) fn touch_session(x: &mut Exec, session: &str) -> Step {
    if !x.is_easel() {
        return Err(refusal(
            Code::AuthorityMissingPrivilege,
            "session use is recorded by Easel itself",
        ));
    }
    let live = x
        .state
        .find_session(session)
        .and_then(|s| x.state.session(s))
        .is_some_and(|s| !s.ended);
    if !live {
        return Err(refusal(
            Code::RequestNotFound,
            format!("no session `{session}`"),
        ));
    }
    x.target = format!("session:{session}");
    x.emit(Event::SessionSeen {
        session: session.to_string(),
        at: x.now,
    });
    Ok(())
}

pub(super) fn end_session(x: &mut Exec, session: &str) -> Step {
    let s = x
        .state
        .find_session(session)
        .and_then(|s| x.state.session(s))
        .filter(|s| !s.ended)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no session `{session}`")))?;
    // A user ends only their own session.
    if let Some(actor) = x.actor_ix()?
        && actor != s.user
    {
        return Err(refusal(
            Code::RequestNotFound,
            format!("no session `{session}`"),
        ));
    }
    x.target = format!("session:{session}");
    x.emit(Event::SessionEnded {
        session: session.to_string(),
    });
    Ok(())
}
