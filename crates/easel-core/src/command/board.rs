//! Board commands: the life cycle of a board and everything about who may reach it.

use super::exec::{Exec, Step, new_id, refusal, text};
use crate::action::Action;
use crate::catalog::{Capability, Feature};
use crate::codes::Code;
use crate::command::BoardSetup;
use crate::decide::hash_password;
use crate::event::{BoardStamp, Event, Who, hex};
use crate::ids::{BoardIx, UserIx};
use crate::model::{Board, BoardState, Grantee, LinkDigest};
use crate::request::Target;
use crate::roles::{Access, BoardRole, MemberKind};
use crate::settings::ContentSettings;
use crate::settings::{SharingLevel, TeamSettings, company_in_force, effective_public_link};

/// How many people one share may name.
pub const MAX_SHARE_EMAILS: usize = 20;

/// The most characters of a board password.
pub const MAX_PASSWORD_CHARS: usize = 128;

fn cap(c: Capability) -> Action {
    Action::Board(c)
}

/// When and by whom a command changes a board, for the events that record it.
fn stamp(x: &Exec) -> Option<BoardStamp> {
    Some(BoardStamp {
        at: x.now,
        by: x.actor_id().map(str::to_string),
    })
}

fn board<'s>(x: &Exec<'s, '_>, b: BoardIx) -> Step<&'s Board> {
    x.state
        .board(b)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no such board"))
}

pub(super) fn rename_board(x: &mut Exec, id: &str, name: &str, description: &str) -> Step {
    let b = x.board(id)?;
    text("name", name, false)?;
    text("description", description, true)?;
    x.decide(cap(Capability::EditContent), Target::Board(b), |_| {})?;
    let current = board(x, b)?;
    let (n, d) = (current.name.to_string(), current.description.to_string());
    x.change("name", Some(n), Some(name.to_string()));
    x.change("description", Some(d), Some(description.to_string()));
    x.emit(Event::BoardTextSet {
        board: id.to_string(),
        name: name.to_string(),
        description: description.to_string(),
        stamp: stamp(x),
    });
    Ok(())
}

pub(super) fn change_board_member(x: &mut Exec, id: &str, user: &str, role: BoardRole) -> Step {
    let b = x.board(id)?;
    let u = x.member(user)?;
    let current = board(x, b)?.grant(Grantee::User(u));
    let Some(current) = current else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("`{user}` is not a member of the board"),
        ));
    };
    let decision = x.decide(cap(Capability::Share), Target::Board(b), |r| {
        r.role = Some(role)
    })?;
    ceiling(decision.role, current)?;
    x.change(
        format!("role of {user}"),
        Some(current.as_str().into()),
        Some(role.as_str().into()),
    );
    x.emit(Event::GrantSet {
        board: id.to_string(),
        to: Who::User(user.to_string()),
        role,
    });
    Ok(())
}

pub(super) fn remove_board_member(x: &mut Exec, id: &str, user: &str) -> Step {
    let b = x.board(id)?;
    let u = x.member(user)?;
    let Some(current) = board(x, b)?.grant(Grantee::User(u)) else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("`{user}` is not a member of the board"),
        ));
    };
    let decision = x.decide(cap(Capability::Share), Target::Board(b), |_| {})?;
    ceiling(decision.role, current)?;
    x.change(
        format!("role of {user}"),
        Some(current.as_str().into()),
        None,
    );
    x.emit(Event::GrantRemoved {
        board: id.to_string(),
        from: Who::User(user.to_string()),
    });
    Ok(())
}

/// A user group of the board's organization, or the refusal of an unknown one (a group of
/// another organization is answered as one that does not exist).
fn board_group(x: &Exec, b: BoardIx, group: &str) -> Step<crate::ids::GroupIx> {
    let org = board(x, b)?.org;
    x.state
        .find_group(group)
        .filter(|g| x.state.group(*g).is_some_and(|g| g.org == org))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no group `{group}`")))
}

pub(super) fn share_board_with_group(x: &mut Exec, id: &str, group: &str, role: BoardRole) -> Step {
    let b = x.board(id)?;
    let g = board_group(x, b, group)?;
    if role > BoardRole::Editor {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a group is given viewer, commenter or editor",
        ));
    }
    let decision = x.decide(cap(Capability::Share), Target::Board(b), |r| {
        r.role = Some(role)
    })?;
    let current = board(x, b)?.grant(Grantee::Group(g));
    if let Some(current) = current {
        ceiling(decision.role, current)?;
    }
    x.change(
        format!("role of group {group}"),
        current.map(|r| r.as_str().into()),
        Some(role.as_str().into()),
    );
    x.emit(Event::GrantSet {
        board: id.to_string(),
        to: Who::Group(group.to_string()),
        role,
    });
    Ok(())
}

pub(super) fn remove_board_group(x: &mut Exec, id: &str, group: &str) -> Step {
    let b = x.board(id)?;
    let g = board_group(x, b, group)?;
    let Some(current) = board(x, b)?.grant(Grantee::Group(g)) else {
        return Err(refusal(
            Code::RequestNotFound,
            format!("group `{group}` has no grant on the board"),
        ));
    };
    let decision = x.decide(cap(Capability::Share), Target::Board(b), |_| {})?;
    ceiling(decision.role, current)?;
    x.change(
        format!("role of group {group}"),
        Some(current.as_str().into()),
        None,
    );
    x.emit(Event::GrantRemoved {
        board: id.to_string(),
        from: Who::Group(group.to_string()),
    });
    Ok(())
}

pub(super) fn reset_board_link(x: &mut Exec, id: &str, token: &str) -> Step {
    let b = x.board(id)?;
    if token.len() < 16 || token.len() > 256 || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "a link token is 16 to 256 printable characters",
        ));
    }
    x.decide(cap(Capability::Share), Target::Board(b), |_| {})?;
    let had = board(x, b)?.link().is_some();
    x.change(
        "public link",
        had.then(|| "old link".into()),
        Some("new link".into()),
    );
    x.emit(Event::BoardLinkSet {
        board: id.to_string(),
        digest: Some(hex(&LinkDigest::of(token).bytes())),
    });
    Ok(())
}

pub(super) fn set_board_password(x: &mut Exec, id: &str, password: Option<&str>) -> Step {
    let b = x.board(id)?;
    // Counted in characters, as the API's document states it (JSON Schema's
    // `maxLength`).
    if password
        .as_ref()
        .is_some_and(|p| p.is_empty() || p.chars().count() > MAX_PASSWORD_CHARS)
    {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("a password is 1 to {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    x.decide(cap(Capability::SetPassword), Target::Board(b), |_| {})?;
    let hash = match password {
        Some(p) => Some(
            hash_password(p, x.entropy).map_err(|e| refusal(Code::RequestInvalidParameter, e))?,
        ),
        None => None,
    };
    let had = board(x, b)?.password().is_some();
    // The audit log says that the password changed, never what it is.
    let after = match (had, password.is_some()) {
        (_, false) => None,
        (false, true) => Some("set".to_string()),
        (true, true) => Some("changed".to_string()),
    };
    x.change("password", had.then(|| "set".into()), after);
    x.emit(Event::BoardPasswordSet {
        board: id.to_string(),
        hash,
    });
    Ok(())
}

pub(super) fn set_content_settings(x: &mut Exec, id: &str, content: ContentSettings) -> Step {
    let b = x.board(id)?;
    x.decide(
        cap(Capability::ConfigureContentSettings),
        Target::Board(b),
        |_| {},
    )?;
    let before = board(x, b)?.content;
    x.change(
        "copy_access",
        Some(before.copy_access.as_str().into()),
        Some(content.copy_access.as_str().into()),
    );
    x.change(
        "sharing_access",
        Some(before.sharing_access.as_str().into()),
        Some(content.sharing_access.as_str().into()),
    );
    x.emit(Event::BoardContentSet {
        board: id.to_string(),
        content,
        stamp: stamp(x),
    });
    Ok(())
}

pub(super) fn transfer_ownership(x: &mut Exec, id: &str, new_owner: &str) -> Step {
    let b = x.board(id)?;
    let n = x.member(new_owner)?;
    x.decide(cap(Capability::TransferOwnership), Target::Board(b), |r| {
        r.new_owner = Some(n)
    })?;
    let old = board(x, b)?.owner;
    let old_id = x
        .state
        .user(old)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    x.change("owner", Some(old_id.clone()), Some(new_owner.to_string()));
    x.emit(Event::BoardOwnerSet {
        board: id.to_string(),
        owner: new_owner.to_string(),
    });
    // The previous owner stays on as an editor.
    x.change(
        format!("role of {old_id}"),
        Some("owner".into()),
        Some("editor".into()),
    );
    x.emit(Event::GrantSet {
        board: id.to_string(),
        to: Who::User(old_id),
        role: BoardRole::Editor,
    });
    Ok(())
}

pub(super) fn move_board(x: &mut Exec, id: &str, team: &str) -> Step {
    let b = x.board(id)?;
    // A team of another organization is answered as one that does not exist.
    let org = board(x, b)?.org;
    let t = x
        .state
        .find_team(team)
        .filter(|t| x.state.team(*t).is_some_and(|t| t.org == org))
        .ok_or_else(|| refusal(Code::RequestNotFound, format!("no team `{team}`")))?;
    let from = board(x, b)?.team;
    if from == t {
        return Err(refusal(
            Code::RequestInvalidParameter,
            "the board is already in that team",
        ));
    }
    x.decide(cap(Capability::MoveBetweenTeams), Target::Board(b), |r| {
        r.to_team = Some(t)
    })?;
    let from_id = x.state.team(from).map(|t| t.id.to_string());
    x.change("team", from_id, Some(team.to_string()));
    x.emit(Event::BoardMoved {
        board: id.to_string(),
        team: team.to_string(),
    });
    Ok(())
}

pub(super) fn copy_board(x: &mut Exec, id: &str, new_board: &str, team: &str, name: &str) -> Step {
    let b = x.board(id)?;
    x.decide(cap(Capability::CopyContent), Target::Board(b), |_| {})?;
    let (content, org) = (board(x, b)?.content, board(x, b)?.org);
    let into = x
        .state
        .find_team(team)
        .and_then(|t| x.state.team(t))
        .map(|t| t.org);
    // A board is copied within its organization: a team of another one is answered
    // as a team that does not exist.
    if into.is_some_and(|o| o != org) {
        return Err(refusal(Code::RequestNotFound, format!("no team `{team}`")));
    }
    let author = x.actor_id().unwrap_or_default().to_string();
    create_board(x, team, new_board, name, None, &BoardSetup::default())?;
    // The copy keeps the source's content settings and its items (not its comments,
    // which are conversations about the original), authored by the copier.
    x.emit(Event::BoardContentSet {
        board: new_board.to_string(),
        content,
        stamp: stamp(x),
    });
    let items: Vec<(String, crate::model::ContentKind, String)> = x
        .state
        .all_contents()
        .filter(|(_, c)| c.board == b && !c.deleted && c.kind != crate::model::ContentKind::Comment)
        .map(|(_, c)| (format!("{new_board}/{}", c.id), c.kind, c.text.clone()))
        .collect();
    for (content, kind, text) in items {
        x.emit(Event::ContentAdded {
            content,
            board: new_board.to_string(),
            kind,
            text,
            author: author.clone(),
        });
    }
    x.change("copied from", None, Some(id.to_string()));
    Ok(())
}

pub(super) fn set_classification(x: &mut Exec, id: &str, label: Option<&str>) -> Step {
    let b = x.board(id)?;
    x.decide(cap(Capability::SetClassification), Target::Board(b), |_| {})?;
    let org = board(x, b)?.org;
    if let Some(label) = label {
        let known = x
            .state
            .org(org)
            .and_then(|o| o.settings.board_classification.as_ref())
            .is_some_and(|c| c.labels.iter().any(|l| l.name == label));
        if !known {
            return Err(refusal(
                Code::RequestInvalidParameter,
                format!("`{label}` is not a classification label"),
            ));
        }
    }
    let before = board(x, b)?.classification().map(str::to_string);
    x.change("classification", before, label.map(str::to_string));
    x.emit(Event::BoardClassified {
        board: id.to_string(),
        label: label.map(str::to_string),
    });
    Ok(())
}

/// Labels the boards of a team, each decided like `set_classification`: the boards the
/// actor may not classify are left as they are, and so are labelled ones when only
/// unclassified boards are asked for. Refused when the actor may classify none of them.
pub(super) fn classify_team_boards(
    x: &mut Exec,
    team: &str,
    label: &str,
    unclassified_only: bool,
) -> Step {
    let t = x.team(team)?;
    let org = x.state.team(t).map(|t| t.org);
    let known = org
        .and_then(|o| x.state.org(o))
        .and_then(|o| o.settings.board_classification.as_ref())
        .is_some_and(|c| c.labels.iter().any(|l| l.name == label));
    if !known {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{label}` is not a classification label"),
        ));
    }
    let boards = x
        .state
        .team(t)
        .map(|t| t.boards.clone())
        .unwrap_or_default();
    let mut first_refusal = None;
    let mut allowed_any = false;
    for b in boards {
        let Some(current) = x.state.board(b).filter(|bd| bd.state == BoardState::Active) else {
            continue;
        };
        let (id, before) = (
            current.id.to_string(),
            current.classification().map(str::to_string),
        );
        match x.decide(cap(Capability::SetClassification), Target::Board(b), |_| {}) {
            Err(refused) => {
                first_refusal.get_or_insert(refused);
                continue;
            }
            Ok(_) => allowed_any = true,
        }
        if (unclassified_only && before.is_some()) || before.as_deref() == Some(label) {
            continue;
        }
        x.change(
            format!("classification of {id}"),
            before,
            Some(label.to_string()),
        );
        x.emit(Event::BoardClassified {
            board: id,
            label: Some(label.to_string()),
        });
    }
    match first_refusal {
        Some(refused) if !allowed_any => Err(refused),
        _ => Ok(()),
    }
}

pub(super) fn trash_board(x: &mut Exec, id: &str) -> Step {
    let b = x.board(id)?;
    x.decide(cap(Capability::Delete), Target::Board(b), |_| {})?;
    x.change("state", Some("active".into()), Some("trashed".into()));
    x.emit(Event::BoardTrashed {
        board: id.to_string(),
        at: x.now,
    });
    Ok(())
}

pub(super) fn restore_board(x: &mut Exec, id: &str) -> Step {
    let b = x.board(id)?;
    x.require("board.restore", Target::Board(b))?;
    let current = board(x, b)?;
    let days = x
        .state
        .org(current.org)
        .map_or(30, |o| o.trash_retention_days);
    if let BoardState::Trashed(at) = current.state
        && x.now > at.plus_days(i64::from(days))
    {
        return Err(refusal(
            Code::StateRestoreWindowPassed,
            format!("boards can be restored for {days} days"),
        ));
    }
    if x.state.team(current.team).is_none_or(|t| t.deleted) {
        return Err(refusal(
            Code::RequestConflict,
            "the board's team was deleted; the board stays in the trash",
        ));
    }
    x.change("state", Some("trashed".into()), Some("active".into()));
    x.emit(Event::BoardRestored {
        board: id.to_string(),
    });
    Ok(())
}

pub(super) fn purge_board(x: &mut Exec, id: &str) -> Step {
    let b = x.board(id)?;
    x.require("board.purge", Target::Board(b))?;
    x.change("state", Some("trashed".into()), Some("purged".into()));
    x.emit(Event::BoardPurged {
        board: id.to_string(),
    });
    Ok(())
}

/// No one changes or removes a grant above their own role.
pub(super) fn ceiling(own: Option<BoardRole>, theirs: BoardRole) -> Step {
    let own = own.unwrap_or(BoardRole::Editor);
    if theirs > own {
        return Err(refusal(
            Code::AuthorityRoleCeiling,
            format!(
                "{} may not change {}",
                own.with_article(),
                theirs.with_article()
            ),
        ));
    }
    // Only the owner grants co-owner, and so only the owner changes or removes one.
    if theirs == BoardRole::Coowner && own != BoardRole::Owner {
        return Err(refusal(
            Code::AuthorityOwnerOnly,
            "only the owner changes or removes a co-owner",
        ));
    }
    Ok(())
}

/// The access a new board gets from its team's default sharing, within what the team and
/// plan allow.
fn default_access(x: &Exec, team: &TeamSettings, org: crate::ids::OrgIx) -> (Access, Access) {
    let plan = x.state.org(org).map(|o| o.plan);
    let company_ok = plan.is_some_and(|p| Feature::CompanySharing.available(p, false))
        && team.team_and_company_sharing.company;
    let team_ok = team.team_and_company_sharing.team;
    let free = plan.is_some_and(|p| !Feature::TeamSharingOptional.available(p, false));
    let team_level = |on: bool| {
        if on || free {
            Access::Editor
        } else {
            Access::None
        }
    };
    match team.default_sharing.boards {
        SharingLevel::Private => (team_level(free), Access::None),
        SharingLevel::Team => (team_level(team_ok), Access::None),
        SharingLevel::Company => (
            team_level(team_ok),
            if company_ok {
                Access::Viewer
            } else {
                Access::None
            },
        ),
    }
}

pub(super) fn create_board(
    x: &mut Exec,
    team: &str,
    id: &str,
    name: &str,
    project: Option<&str>,
    setup: &BoardSetup,
) -> Step {
    let t = x.team(team)?;
    new_id("board", id, x.state.find_board(id).is_some())?;
    text("name", name, false)?;
    text("description", &setup.description, true)?;
    let actor = x
        .actor_ix()?
        .ok_or_else(|| refusal(Code::AuthorityAnonymous, "a user creates boards"))?;
    match project {
        Some(p) => {
            let px = x
                .state
                .find_project(p)
                .filter(|px| x.state.project(*px).is_some_and(|p| !p.deleted))
                .ok_or_else(|| refusal(Code::RequestNotFound, format!("no project `{p}`")))?;
            if x.state.project(px).is_none_or(|p| p.team != t) {
                return Err(refusal(
                    Code::RequestInvalidParameter,
                    "the project belongs to another team",
                ));
            }
            x.require("project.create_board", Target::Project(px))?;
        }
        None => {
            x.require("team.create_board", Target::Team(t))?;
        }
    }
    let (org, settings) = match x.state.team(t) {
        Some(t) => (t.org, t.settings.clone()),
        None => return Err(refusal(Code::RequestNotFound, team.to_string())),
    };
    let (team_access, company_access) = default_access(x, &settings, org);
    // What the setup asks instead of the defaults is bounded as changing it on the board
    // would be: its creator owns it, and so may share it and set its content settings
    // wherever the plan and settings allow.
    let access = (
        setup.team_access.unwrap_or(team_access),
        setup.company_access.unwrap_or(company_access),
        setup.public_access.unwrap_or(Access::None),
    );
    if setup.team_access.is_some()
        || setup.company_access.is_some()
        || setup.public_access.is_some()
    {
        sharing_within(x, org, t, access)?;
    }
    let mut content = settings.default_board_content;
    if setup.copy_access.is_some() || setup.sharing_access.is_some() {
        let plan = x.state.org(org).map(|o| o.plan);
        if plan.is_none_or(|p| !Capability::ConfigureContentSettings.plans().contains(p)) {
            return Err(refusal(
                Code::PlanFeatureUnavailable,
                "content settings are configurable on paid plans",
            ));
        }
        content.copy_access = setup.copy_access.unwrap_or(content.copy_access);
        content.sharing_access = setup.sharing_access.unwrap_or(content.sharing_access);
    }
    let (team_access, company_access, public_access) = access;
    let owner = x
        .state
        .user(actor)
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    x.change(format!("board {id}"), None, Some(name.to_string()));
    if !setup.description.is_empty() {
        x.change("description", None, Some(setup.description.clone()));
    }
    if !setup.is_empty() {
        x.change("team access", None, Some(team_access.as_str().into()));
        x.change("company access", None, Some(company_access.as_str().into()));
        x.change("public access", None, Some(public_access.as_str().into()));
        x.change(
            "copy_access",
            None,
            Some(content.copy_access.as_str().into()),
        );
        x.change(
            "sharing_access",
            None,
            Some(content.sharing_access.as_str().into()),
        );
    }
    x.emit(Event::BoardCreated {
        board: id.to_string(),
        team: team.to_string(),
        project: project.map(str::to_string),
        owner,
        name: name.to_string(),
        team_access,
        company_access,
        public_access,
        content,
        description: setup.description.clone(),
        stamp: stamp(x),
    });
    // The team's default label, else the company's, while classification is on.
    let classification = x.state.org(org).and_then(|o| {
        company_in_force(o.plan, &o.settings)
            .board_classification
            .clone()
    });
    if let Some(c) = classification {
        let label = settings
            .board_classification_default
            .clone()
            .or(c.default_label);
        if let Some(label) = label {
            x.change("classification", None, Some(label.clone()));
            x.emit(Event::BoardClassified {
                board: id.to_string(),
                label: Some(label),
            });
        }
    }
    Ok(())
}

/// Shares with each email at `role`, all or nothing. Someone already in the organization is
/// granted directly. Someone from outside is sent a board invitation, which makes them a
/// guest with the grant only when they accept it: no one is put into an organization
/// without their consent.
pub(super) fn share_board(x: &mut Exec, id: &str, emails: &[String], role: BoardRole) -> Step {
    let b = x.board(id)?;
    if emails.is_empty() || emails.len() > MAX_SHARE_EMAILS {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("share with 1 to {MAX_SHARE_EMAILS} emails"),
        ));
    }
    let (org, owner) = {
        let current = board(x, b)?;
        (current.org, current.owner)
    };
    let org_id = x
        .state
        .org(org)
        .map(|o| o.id.to_string())
        .unwrap_or_default();
    let mut seen: Vec<UserIx> = Vec::new();
    for email in emails {
        let email = email.trim().to_ascii_lowercase();
        if !crate::state::valid_email(&email) {
            return Err(refusal(
                Code::RequestInvalidParameter,
                format!("`{email}` is not an email address"),
            ));
        }
        let user = x.state.find_email(&email).ok_or_else(|| {
            refusal(
                Code::RequestNotFound,
                format!("`{email}` has no account yet: invite them to the organization first"),
            )
        })?;
        if seen.contains(&user) {
            continue;
        }
        seen.push(user);
        if user == owner {
            return Err(refusal(
                Code::RequestConflict,
                format!("`{email}` owns the board"),
            ));
        }
        let decision = x.decide(cap(Capability::Share), Target::Board(b), |r| {
            r.role = Some(role);
            r.invitee = Some(email.as_str());
        })?;
        let current = board(x, b)?.grant(Grantee::User(user));
        if let Some(current) = current {
            ceiling(decision.role, current)?;
        }
        let user_id = x
            .state
            .user(user)
            .map(|u| u.id.to_string())
            .unwrap_or_default();
        if x.state.membership(user, org).is_none() {
            invite_outsider(x, id, &org_id, &user_id, email, role)?;
            continue;
        }
        x.change(
            format!("role of {user_id}"),
            current.map(|r| r.as_str().into()),
            Some(role.as_str().into()),
        );
        x.emit(Event::GrantSet {
            board: id.to_string(),
            to: Who::User(user_id),
            role,
        });
    }
    Ok(())
}

/// A pending board invitation for someone outside the organization, with an id derived from
/// the board, the user and how many such invitations came before (commands stay
/// deterministic; accepting needs the invitee's own sign-in, so the id is no secret).
fn invite_outsider(
    x: &mut Exec,
    board: &str,
    org: &str,
    user: &str,
    email: String,
    role: BoardRole,
) -> Step {
    let inviter = x
        .actor_id()
        .ok_or_else(|| refusal(Code::AuthorityAnonymous, "a user shares boards"))?
        .to_string();
    let invitation = (0..)
        .map(|n| format!("inv_{board}_{user}_{n}"))
        .find(|id| x.state.find_invitation(id).is_none())
        .unwrap_or_default();
    x.change(
        format!("invitation of {email}"),
        None,
        Some(MemberKind::Guest.as_str().into()),
    );
    x.emit(Event::InvitationCreated {
        invitation,
        org: org.to_string(),
        email,
        into: crate::event::InviteTarget::Board {
            board: board.to_string(),
            role,
        },
        kind: MemberKind::Guest,
        inviter,
        expires_at: x.now.plus_days(super::requests::INVITATION_DAYS),
    });
    Ok(())
}

/// Whether a board of team `t` may be shared with its team, the company and by public link
/// as `(team, company, public)` say: the plan and the company's and team's settings bound it.
fn sharing_within(
    x: &Exec,
    org: crate::ids::OrgIx,
    t: crate::ids::TeamIx,
    (team, company, public): (Access, Access, Access),
) -> Step {
    let (o, ts) = match (x.state.org(org), x.state.team(t)) {
        (Some(o), Some(t)) => (o, &t.settings),
        _ => return Err(refusal(Code::RequestNotFound, "no such team")),
    };
    let cs = company_in_force(o.plan, &o.settings);
    if team == Access::None && !Feature::TeamSharingOptional.available(o.plan, false) {
        return Err(refusal(
            Code::PlanFeatureUnavailable,
            "on the free plan every board is shared with its team",
        ));
    }
    if team != Access::None && !ts.team_and_company_sharing.team {
        return Err(refusal(
            Code::PolicyTeamSharingDisabled,
            "the team does not allow sharing boards with the whole team",
        ));
    }
    if company != Access::None && !Feature::CompanySharing.available(o.plan, false) {
        return Err(refusal(
            Code::PlanFeatureUnavailable,
            "company sharing is an enterprise feature",
        ));
    }
    if company != Access::None && !ts.team_and_company_sharing.company {
        return Err(refusal(
            Code::PolicyCompanySharingDisabled,
            "the team does not allow sharing boards with the company",
        ));
    }
    if public > effective_public_link(cs, ts).ceiling() {
        return Err(refusal(
            Code::PolicyPublicLinkDisabled,
            "public links are limited by the company or team",
        ));
    }
    Ok(())
}

/// Team, company and public-link access, within what the plan and settings allow now.
pub(super) fn set_board_sharing(
    x: &mut Exec,
    id: &str,
    team: Access,
    company: Access,
    public: Access,
) -> Step {
    let b = x.board(id)?;
    x.decide(cap(Capability::Share), Target::Board(b), |_| {})?;
    let current = board(x, b)?;
    sharing_within(x, current.org, current.team, (team, company, public))?;
    let before = (
        current.team_access,
        current.company_access,
        current.public_access,
    );
    x.change(
        "team access",
        Some(before.0.as_str().into()),
        Some(team.as_str().into()),
    );
    x.change(
        "company access",
        Some(before.1.as_str().into()),
        Some(company.as_str().into()),
    );
    x.change(
        "public access",
        Some(before.2.as_str().into()),
        Some(public.as_str().into()),
    );
    x.emit(Event::BoardAccessSet {
        board: id.to_string(),
        team,
        company,
        public,
        stamp: stamp(x),
    });
    Ok(())
}
