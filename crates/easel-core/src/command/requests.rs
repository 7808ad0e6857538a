//! Invitations and requests: made by one person, decided by another.

use super::exec::{Exec, Step, new_id, refusal};
use crate::action::Action;
use crate::catalog::Capability;
use crate::codes::Code;
use crate::event::{Event, InviteTarget, Who};
use crate::ids::{OrgIx, RequestIx};
use crate::model::{InviteInto, Licence, RequestState};
use crate::request::Target;
use crate::roles::{BoardRole, MemberKind, TeamRole};
use crate::settings::{company_in_force, email_allowed};
use crate::state::{RequestKind, valid_email};

/// How long an invitation can be accepted.
pub const INVITATION_DAYS: i64 = 14;

pub(super) fn revoke_invitation(x: &mut Exec, invitation: &str) -> Step {
    let inv = x.state.find_invitation(invitation).ok_or_else(|| {
        refusal(
            Code::RequestNotFound,
            format!("no invitation `{invitation}`"),
        )
    })?;
    let i = x
        .state
        .invitation(inv)
        .ok_or_else(|| refusal(Code::RequestNotFound, invitation.to_string()))?;
    let (org, inviter, state) = (i.org, i.inviter, i.state);
    x.org = Some(org);
    x.target = format!("invitation:{invitation}");
    if x.actor_ix()? != Some(inviter) {
        x.require("users.add", Target::Org(org))?;
    }
    pending(state)?;
    x.change("invitation", Some("pending".into()), Some("revoked".into()));
    x.emit(Event::InvitationStateSet {
        invitation: invitation.to_string(),
        state: RequestState::Denied,
    });
    Ok(())
}

pub(super) fn request_access(x: &mut Exec, request: &str, board: &str, role: BoardRole) -> Step {
    let b = x.board(board)?;
    new_id(
        "request",
        request,
        x.state.find_access_request(request).is_some(),
    )?;
    x.decide(
        Action::Board(Capability::RequestAccess),
        Target::Board(b),
        |r| r.role = Some(role),
    )?;
    let user = x.actor_id().unwrap_or_default().to_string();
    x.change(
        format!("access request of {user}"),
        None,
        Some(role.as_str().into()),
    );
    x.emit(Event::AccessRequested {
        request: request.to_string(),
        board: board.to_string(),
        user,
        role,
    });
    Ok(())
}

pub(super) fn request_to_join_team(x: &mut Exec, request: &str, team: &str) -> Step {
    let t = x.team(team)?;
    new_id(
        "request",
        request,
        x.state.find_join_request(request).is_some(),
    )?;
    x.require("team.request_join", Target::Team(t))?;
    let user = x.actor_id().unwrap_or_default().to_string();
    x.change(
        format!("join request of {user}"),
        None,
        Some("pending".into()),
    );
    x.emit(Event::JoinRequested {
        request: request.to_string(),
        team: team.to_string(),
        user,
    });
    Ok(())
}

pub(super) fn set_licence(
    x: &mut Exec,
    org: &str,
    user: &str,
    licence: crate::model::Licence,
) -> Step {
    let o = x.org(org)?;
    let u = x.member(user)?;
    x.require("license_requests.manage", Target::Org(o))?;
    let before = x
        .state
        .membership(u, o)
        .map(|m| m.licence.as_str().to_string());
    x.change(
        format!("licence of {user}"),
        before,
        Some(licence.as_str().into()),
    );
    x.emit(Event::LicenceSet {
        org: org.to_string(),
        user: user.to_string(),
        licence,
    });
    Ok(())
}

pub(super) fn request_licence(
    x: &mut Exec,
    request: &str,
    org: &str,
    licence: crate::model::Licence,
) -> Step {
    let o = x.org(org)?;
    new_id(
        "request",
        request,
        x.state.find_licence_request(request).is_some(),
    )?;
    x.require("org.view", Target::Org(o))?;
    let user = x.actor_id().unwrap_or_default().to_string();
    x.change(
        format!("licence request of {user}"),
        None,
        Some(licence.as_str().into()),
    );
    x.emit(Event::LicenceRequested {
        request: request.to_string(),
        org: org.to_string(),
        user,
        licence,
    });
    Ok(())
}

pub(super) fn set_app_allowlist(x: &mut Exec, org: &str, apps: Option<&[String]>) -> Step {
    let o = x.org(org)?;
    x.require("apps.manage_allowlist", Target::Org(o))?;
    if let Some(apps) = apps {
        for a in apps {
            x.state
                .find_app(a)
                .ok_or_else(|| refusal(Code::RequestNotFound, format!("no app `{a}`")))?;
        }
    }
    let before = x
        .state
        .org(o)
        .and_then(|o| o.app_allowlist.as_ref())
        .map(|l| format!("{} apps", l.len()));
    x.change(
        "app allowlist",
        before,
        apps.as_ref().map(|l| format!("{} apps", l.len())),
    );
    x.emit(Event::AppAllowlistSet {
        org: org.to_string(),
        apps: apps.map(<[String]>::to_vec),
    });
    Ok(())
}

pub(super) fn request_app(x: &mut Exec, request: &str, org: &str, app: &str) -> Step {
    let o = x.org(org)?;
    new_id(
        "request",
        request,
        x.state.find_app_request(request).is_some(),
    )?;
    x.state
        .find_app(app)
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no app `{app}`")))?;
    x.require("org.view", Target::Org(o))?;
    let user = x.actor_id().unwrap_or_default().to_string();
    x.change(
        format!("app request of {user}"),
        None,
        Some(app.to_string()),
    );
    x.emit(Event::AppRequested {
        request: request.to_string(),
        org: org.to_string(),
        user,
        app: app.to_string(),
    });
    Ok(())
}

fn found(r: Option<RequestIx>, id: &str) -> Step<RequestIx> {
    r.ok_or_else(|| refusal(Code::RequestNotFound, format!("no request `{id}`")))
}

fn pending(state: RequestState) -> Step {
    match state {
        RequestState::Pending => Ok(()),
        RequestState::Expired => Err(refusal(Code::StateExpired, "it expired")),
        _ => Err(refusal(
            Code::StateNotPending,
            format!("it was already {}", state.as_str()),
        )),
    }
}

fn in_org(x: &mut Exec, org: OrgIx, kind: &str, id: &str) {
    x.org = Some(org);
    x.target = format!("{kind}:{id}");
}

fn decided(x: &mut Exec, kind: RequestKind, request: &str, approve: bool) {
    let state = if approve {
        RequestState::Approved
    } else {
        RequestState::Denied
    };
    x.change(
        format!("request {request}"),
        Some("pending".into()),
        Some(state.as_str().into()),
    );
    x.emit(Event::RequestDecided {
        kind,
        request: request.to_string(),
        state,
    });
}

fn grant_licence(x: &mut Exec, org: OrgIx, user: crate::ids::UserIx, licence: Licence) {
    let org_id = x
        .state
        .org(org)
        .map(|o| o.id.to_string())
        .unwrap_or_default();
    let user_id = x
        .state
        .user(user)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    let before = x
        .state
        .membership(user, org)
        .map(|m| m.licence.as_str().to_string());
    x.change(
        format!("licence of {user_id}"),
        before,
        Some(licence.as_str().into()),
    );
    x.emit(Event::LicenceSet {
        org: org_id,
        user: user_id,
        licence,
    });
}

/// Approving grants the requester a role through `board.share` (so the approver's own
/// ceilings and the board's policies apply); denying needs the right to share.
pub(super) fn decide_access(
    x: &mut Exec,
    request: &str,
    approve: Option<Option<BoardRole>>,
) -> Step {
    let r = found(x.state.find_access_request(request), request)?;
    let ar = x
        .state
        .access_request(r)
        .ok_or_else(|| refusal(Code::RequestNotFound, request.to_string()))?;
    let (board, user, asked, state) = (ar.board, ar.user, ar.role, ar.state);
    let board_id = x
        .state
        .board(board)
        .map(|b| b.id.to_string())
        .unwrap_or_default();
    x.board(&board_id)?;
    x.target = format!("access_request:{request}");
    let email = x
        .state
        .user(user)
        .map(|u| u.email.to_string())
        .unwrap_or_default();
    let role = approve.flatten().unwrap_or(asked);
    let decision = x.decide(
        Action::Board(Capability::Share),
        Target::Board(board),
        |r| {
            if approve.is_some() {
                r.role = Some(role);
                r.invitee = Some(email.as_str());
            }
        },
    )?;
    pending(state)?;
    let current = x
        .state
        .board(board)
        .and_then(|b| b.grant(crate::model::Grantee::User(user)));
    if approve.is_some() {
        // Approving goes through the same rules as changing a member: the approver's
        // ceiling, and only the owner touches a co-owner.
        if let Some(current) = current {
            super::board::ceiling(decision.role, current)?;
        }
    }
    decided(x, RequestKind::Access, request, approve.is_some());
    // Approving never lowers a role the requester has gained since asking.
    let owner = x.state.board(board).is_some_and(|b| b.owner == user);
    if approve.is_some() && !owner && current.is_none_or(|c| c < role) {
        let user_id = x
            .state
            .user(user)
            .map(|u| u.id.to_string())
            .unwrap_or_default();
        x.change(
            format!("role of {user_id}"),
            current.map(|r| r.as_str().into()),
            Some(role.as_str().into()),
        );
        x.emit(Event::GrantSet {
            board: board_id,
            to: Who::User(user_id),
            role,
        });
    }
    Ok(())
}

pub(super) fn invite(
    x: &mut Exec,
    invitation: &str,
    org: &str,
    email: &str,
    [team, project, board]: [Option<&str>; 3],
    role: Option<&str>,
    guest: bool,
) -> Step {
    let o = x.org(org)?;
    new_id(
        "invitation",
        invitation,
        x.state.find_invitation(invitation).is_some(),
    )?;
    let email = email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{email}` is not an email address"),
        ));
    }
    let existing = x
        .state
        .find_email(&email)
        .and_then(|u| x.state.membership(u, o))
        .map(|m| m.kind);
    if existing == Some(MemberKind::Member)
        && team.is_none()
        && project.is_none()
        && board.is_none()
    {
        return Err(refusal(
            Code::RequestConflict,
            format!("`{email}` is already in the organization"),
        ));
    }
    let parse_role = |default: BoardRole| match role {
        Some(r) => BoardRole::parse(r)
            .ok_or_else(|| refusal(Code::RequestInvalidParameter, format!("unknown role `{r}`"))),
        None => Ok(default),
    };
    // Someone new joins as a member, unless invited as a guest or only to a board.
    // An invitation into the organization itself can make a guest a member.
    let mut kind = match existing {
        Some(MemberKind::Guest)
            if !guest && team.is_none() && project.is_none() && board.is_none() =>
        {
            MemberKind::Member
        }
        Some(k) => k,
        None if guest => MemberKind::Guest,
        None => MemberKind::Member,
    };
    let into = match (team, project, board) {
        (None, None, None) => {
            x.decide(
                Action::parse("org.invite")
                    .ok_or_else(|| refusal(Code::RequestUnknownAction, "org.invite"))?,
                Target::Org(o),
                |r| r.invitee = Some(email.as_str()),
            )?;
            InviteTarget::Org
        }
        (Some(t), None, None) => {
            let tx = x.state.find_team(t).filter(|tx| {
                x.state
                    .team(*tx)
                    .is_some_and(|tm| tm.org == o && !tm.deleted)
            });
            let tx = tx.ok_or_else(|| {
                refusal(
                    Code::RequestNotFound,
                    format!("no team `{t}` in the organization"),
                )
            })?;
            if kind == MemberKind::Guest {
                return Err(refusal(
                    Code::AuthorityGuest,
                    "guests cannot be team members",
                ));
            }
            let team_role = match role {
                Some(r) => TeamRole::parse(r).ok_or_else(|| {
                    refusal(
                        Code::RequestInvalidParameter,
                        format!("unknown team role `{r}`"),
                    )
                })?,
                None => TeamRole::Member,
            };
            x.decide(
                Action::parse("team.invite")
                    .ok_or_else(|| refusal(Code::RequestUnknownAction, "team.invite"))?,
                Target::Team(tx),
                |r| r.invitee = Some(email.as_str()),
            )?;
            InviteTarget::Team {
                team: t.to_string(),
                role: team_role,
            }
        }
        (None, Some(p), None) => {
            let px = x.state.find_project(p).filter(|px| {
                x.state
                    .project(*px)
                    .is_some_and(|pr| pr.org == o && !pr.deleted)
            });
            let px = px.ok_or_else(|| {
                refusal(
                    Code::RequestNotFound,
                    format!("no project `{p}` in the organization"),
                )
            })?;
            let role = parse_role(BoardRole::Viewer)?;
            let own = super::project::manager_role(x, px)?;
            if role > own {
                return Err(refusal(
                    Code::AuthorityRoleCeiling,
                    format!("no one grants above their own role (`{role}`)"),
                ));
            }
            // A project has the owner it was created with: `owner` is never granted.
            if role == BoardRole::Owner {
                return Err(refusal(
                    Code::RequestInvalidParameter,
                    "a project has the owner it was created with",
                ));
            }
            if existing.is_none() {
                // Someone new to the company: who_can_invite and the allowlist bound it.
                x.decide(
                    Action::parse("org.invite")
                        .ok_or_else(|| refusal(Code::RequestUnknownAction, "org.invite"))?,
                    Target::Org(o),
                    |r| r.invitee = Some(email.as_str()),
                )?;
            }
            InviteTarget::Project {
                project: p.to_string(),
                role,
            }
        }
        (None, None, Some(b)) => {
            let bx = x
                .state
                .find_board(b)
                .filter(|bx| x.state.board(*bx).is_some_and(|bd| bd.org == o));
            let bx = bx.ok_or_else(|| {
                refusal(
                    Code::RequestNotFound,
                    format!("no board `{b}` in the organization"),
                )
            })?;
            let role = parse_role(BoardRole::Viewer)?;
            // Board invitations never make members: someone new joins as a guest.
            if existing.is_none() {
                kind = MemberKind::Guest;
            }
            x.decide(Action::Board(Capability::Share), Target::Board(bx), |r| {
                r.role = Some(role);
                r.invitee = Some(email.as_str());
            })?;
            InviteTarget::Board {
                board: b.to_string(),
                role,
            }
        }
        _ => {
            return Err(refusal(
                Code::RequestInvalidParameter,
                "invite into one of: the organization, a team, a project or a board",
            ));
        }
    };
    let inviter = x
        .actor_id()
        .ok_or_else(|| refusal(Code::AuthorityAnonymous, "a user invites"))?
        .to_string();
    x.change(
        format!("invitation of {email}"),
        None,
        Some(kind.as_str().into()),
    );
    x.emit(Event::InvitationCreated {
        invitation: invitation.to_string(),
        org: org.to_string(),
        email,
        into,
        kind,
        inviter,
        expires_at: x.now.plus_days(INVITATION_DAYS),
    });
    Ok(())
}

pub(super) fn accept_invitation(x: &mut Exec, invitation: &str) -> Step {
    let inv = x.state.find_invitation(invitation).ok_or_else(|| {
        refusal(
            Code::RequestNotFound,
            format!("no invitation `{invitation}`"),
        )
    })?;
    let i = x
        .state
        .invitation(inv)
        .ok_or_else(|| refusal(Code::RequestNotFound, invitation.to_string()))?
        .clone();
    x.org = Some(i.org);
    x.target = format!("invitation:{invitation}");
    let actor = x
        .actor_ix()?
        .ok_or_else(|| refusal(Code::AuthorityAnonymous, "a user accepts invitations"))?;
    let user = x
        .state
        .user(actor)
        .ok_or_else(|| refusal(Code::RequestNotFound, "user"))?;
    // Someone else's invitation is answered as one that does not exist: it tells no one
    // who was invited where.
    if *user.email != *i.email {
        return Err(refusal(
            Code::RequestNotFound,
            format!("no invitation `{invitation}`"),
        ));
    }
    pending(i.state)?;
    if x.now >= i.expires_at {
        return Err(refusal(Code::StateExpired, "the invitation expired"));
    }
    // The allowlist may have changed since the invitation was sent.
    let org = x
        .state
        .org(i.org)
        .ok_or_else(|| refusal(Code::RequestNotFound, "organization"))?;
    let settings = company_in_force(org.plan, &org.settings);
    let bypass = i.kind == MemberKind::Guest && settings.allowed_domains_guest_bypass;
    let team = match i.into {
        InviteInto::Org => None,
        InviteInto::Team(t, _) => Some(t),
        InviteInto::Project(p, _) => x.state.project(p).map(|p| p.team),
        InviteInto::Board(b, _) => x.state.board(b).map(|b| b.team),
    };
    let team_settings = team.and_then(|t| x.state.team(t)).map(|t| &t.settings);
    if !email_allowed(settings, team_settings, &i.email) && !bypass {
        return Err(refusal(
            Code::PolicyDomainNotAllowed,
            "the email is outside the allowed domains now",
        ));
    }
    let (org_id, user_id) = (org.id.to_string(), user.id.to_string());
    let current_kind = user.membership(i.org).map(|m| m.kind);
    let licence = if i.kind == MemberKind::Guest {
        Licence::Free
    } else {
        Licence::Full
    };
    if current_kind.is_none()
        || (current_kind == Some(MemberKind::Guest) && i.kind == MemberKind::Member)
    {
        x.change(
            format!("member {user_id}"),
            current_kind.map(|k| k.as_str().into()),
            Some(i.kind.as_str().into()),
        );
        x.emit(Event::MembershipSet {
            org: org_id,
            user: user_id.clone(),
            kind: i.kind,
            admin_roles: vec![],
            licence,
        });
    }
    match i.into {
        InviteInto::Org => {}
        InviteInto::Team(t, role) => {
            let team = x
                .state
                .team(t)
                .filter(|t| !t.deleted)
                .ok_or_else(|| refusal(Code::RequestNotFound, "the team is gone"))?;
            x.change(
                format!("team role of {user_id}"),
                None,
                Some(role.as_str().into()),
            );
            x.emit(Event::TeamMemberSet {
                team: team.id.to_string(),
                user: user_id.clone(),
                role,
            });
        }
        InviteInto::Project(p, role) => {
            let project = x
                .state
                .project(p)
                .filter(|p| !p.deleted)
                .ok_or_else(|| refusal(Code::RequestNotFound, "the project is gone"))?;
            x.change(
                format!("project role of {user_id}"),
                None,
                Some(role.as_str().into()),
            );
            x.emit(Event::ProjectMemberSet {
                project: project.id.to_string(),
                user: user_id.clone(),
                role,
            });
        }
        InviteInto::Board(b, role) => {
            let board = x
                .state
                .board(b)
                .filter(|b| b.state == crate::model::BoardState::Active)
                .ok_or_else(|| refusal(Code::RequestNotFound, "the board is gone"))?;
            if board.owner != actor {
                x.change(
                    format!("role of {user_id}"),
                    None,
                    Some(role.as_str().into()),
                );
                x.emit(Event::GrantSet {
                    board: board.id.to_string(),
                    to: Who::User(user_id.clone()),
                    role,
                });
            }
        }
    }
    x.change(
        "invitation",
        Some("pending".into()),
        Some("accepted".into()),
    );
    x.emit(Event::InvitationStateSet {
        invitation: invitation.to_string(),
        state: RequestState::Approved,
    });
    Ok(())
}

/// Approves or denies a join request.
pub(super) fn decide_join(x: &mut Exec, request: &str, approve: bool) -> Step {
    let r = found(x.state.find_join_request(request), request)?;
    let jr = x
        .state
        .join_request(r)
        .ok_or_else(|| refusal(Code::RequestNotFound, request.to_string()))?;
    let (team, user, state) = (jr.team, jr.user, jr.state);
    let team_id = x
        .state
        .team(team)
        .map(|t| t.id.to_string())
        .unwrap_or_default();
    x.team(&team_id)?;
    x.target = format!("join_request:{request}");
    x.require("team.manage", Target::Team(team))?;
    pending(state)?;
    let user_id = x
        .state
        .user(user)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    decided(x, RequestKind::Join, request, approve);
    // Approving a stale request never demotes someone already in the team.
    if approve && x.state.direct_team_role(team, user).is_none() {
        x.change(
            format!("team role of {user_id}"),
            None,
            Some("member".into()),
        );
        x.emit(Event::TeamMemberSet {
            team: team_id,
            user: user_id,
            role: TeamRole::Member,
        });
    }
    Ok(())
}

/// Approves or denies a licence request.
pub(super) fn decide_licence(x: &mut Exec, request: &str, approve: bool) -> Step {
    let r = found(x.state.find_licence_request(request), request)?;
    let lr = x
        .state
        .licence_request(r)
        .ok_or_else(|| refusal(Code::RequestNotFound, request.to_string()))?;
    let (org, user, licence, state) = (lr.org, lr.user, lr.licence, lr.state);
    in_org(x, org, "licence_request", request);
    x.require("license_requests.manage", Target::Org(org))?;
    pending(state)?;
    decided(x, RequestKind::Licence, request, approve);
    if approve {
        grant_licence(x, org, user, licence);
    }
    Ok(())
}

/// Approves or denies an app request.
pub(super) fn decide_app(x: &mut Exec, request: &str, approve: bool) -> Step {
    let r = found(x.state.find_app_request(request), request)?;
    let ar = x
        .state
        .app_request(r)
        .ok_or_else(|| refusal(Code::RequestNotFound, request.to_string()))?;
    let (org, app, state) = (ar.org, ar.app, ar.state);
    in_org(x, org, "app_request", request);
    x.require("apps.manage_requests", Target::Org(org))?;
    pending(state)?;
    decided(x, RequestKind::App, request, approve);
    // While the allowlist is off every app may be installed already: approving
    // decides the request and leaves the allowlist off.
    let allowlist_on = x.state.org(org).is_some_and(|o| o.app_allowlist.is_some());
    if approve && allowlist_on {
        let o = x
            .state
            .org(org)
            .ok_or_else(|| refusal(Code::RequestNotFound, "organization"))?;
        let mut list: Vec<String> = o
            .app_allowlist
            .iter()
            .flatten()
            .filter_map(|a| x.state.app(*a).map(|a| a.id.to_string()))
            .collect();
        let app_id = x
            .state
            .app(app)
            .map(|a| a.id.to_string())
            .unwrap_or_default();
        if !list.contains(&app_id) {
            list.push(app_id.clone());
        }
        let org_id = o.id.to_string();
        x.change("app allowlist", None, Some(format!("+{app_id}")));
        x.emit(Event::AppAllowlistSet {
            org: org_id,
            apps: Some(list),
        });
    }
    Ok(())
}
