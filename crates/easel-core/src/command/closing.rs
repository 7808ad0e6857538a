//! Closing an organization (the operator's, for the product's own support): everything in
//! it goes, each by the event that removes it elsewhere, and a last event marks it closed
//! so that its id is no longer found. Nothing is closed under a legal hold.

use super::exec::{Exec, Step, refusal};
use crate::codes::Code;
use crate::event::Event;

/// `DeleteOrg`: purges every board (trashing the live ones first), deletes the teams
/// (their projects with them) and groups, uninstalls the apps installed there and deletes
/// those its teams registered, revokes the tokens and ends the sessions bound to it,
/// removes every membership, then closes it.
pub(super) fn delete_org(x: &mut Exec, org: &str) -> Step {
    let o = x.org(org)?;
    super::org::operator_only(x)?;
    let Some(record) = x.state.org(o) else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("no organization `{org}`"),
        ));
    };
    // A hold keeps its custodians' boards from being purged; closing would purge them.
    if !record.held_users.is_empty() {
        return Err(refusal(
            Code::StateLegalHold,
            "a legal hold is active in the organization: release it before closing",
        ));
    }
    let state = x.state;
    let at = x.now;
    let mut events = Vec::new();
    let mut purged = 0usize;
    for b in &record.boards {
        let Some(board) = state.board(*b) else {
            continue;
        };
        let id = board.id.to_string();
        if !board.is_trashed() {
            events.push(Event::BoardTrashed {
                board: id.clone(),
                at,
            });
        }
        events.push(Event::BoardPurged { board: id });
        purged += 1;
    }
    // Apps its teams registered are the organization's own: deleting one uninstalls it
    // everywhere. Then what other apps were installed here.
    let mut apps = 0usize;
    for (_, app) in state.all_apps() {
        if app.org == o && !app.deleted {
            events.push(Event::AppDeleted {
                app: app.id.to_string(),
            });
            apps += 1;
        }
    }
    for (_, inst) in state.all_installations() {
        let owned_app = state.app(inst.app).is_some_and(|a| a.org == o);
        if inst.org == o && inst.active && !owned_app {
            events.push(Event::AppUninstalled {
                installation: inst.id.to_string(),
            });
        }
    }
    for t in &record.teams {
        if let Some(team) = state.team(*t).filter(|t| !t.deleted) {
            events.push(Event::TeamDeleted {
                team: team.id.to_string(),
            });
        }
    }
    for g in &record.groups {
        if let Some(group) = state.group(*g).filter(|g| !g.deleted) {
            events.push(Event::GroupDeleted {
                group: group.id.to_string(),
            });
        }
    }
    // Credentials bound to it: service and SCIM tokens, personal tokens bound here (app
    // tokens went with their installations), and the sessions acting here.
    let mut tokens = 0usize;
    for (_, service) in state.all_services() {
        if service.org == Some(o) && !service.revoked {
            events.push(Event::TokenRevoked {
                token: service.id.to_string(),
            });
            tokens += 1;
        }
    }
    for (_, token) in state.all_tokens() {
        let installed = matches!(token.kind, crate::model::TokenKind::App(_));
        if token.org == Some(o) && !token.revoked && !installed {
            events.push(Event::TokenRevoked {
                token: token.id.to_string(),
            });
            tokens += 1;
        }
    }
    for (_, session) in state.all_sessions() {
        if session.org == Some(o) && !session.ended {
            events.push(Event::SessionEnded {
                session: session.id.to_string(),
            });
        }
    }
    let members = record.members.len();
    for u in &record.members {
        if let Some(user) = state.user(*u) {
            events.push(Event::MembershipRemoved {
                org: org.to_string(),
                user: user.id.to_string(),
            });
        }
    }
    events.push(Event::OrgClosed {
        org: org.to_string(),
    });
    x.change("boards purged", None, Some(purged.to_string()));
    x.change("apps deleted", None, Some(apps.to_string()));
    x.change("tokens revoked", None, Some(tokens.to_string()));
    x.change("members removed", None, Some(members.to_string()));
    x.change("organization", Some("active".into()), Some("closed".into()));
    for event in events {
        x.emit(event);
    }
    Ok(())
}
