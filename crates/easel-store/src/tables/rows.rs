//! The rows of each entity of the state, one function per entity: what the tables hold for
//! it. A snapshot calls them over every entity; a write, over the entities a change touched.
//! Nothing else makes a row, so the two cannot disagree.

use easel_core::State;
use easel_core::ids::{AppIx, BoardIx, GroupIx, InstallationIx, OrgIx, ProjectIx, TeamIx, UserIx};
use easel_core::model::{
    AccessRequest, App, AppRequest, AuthCode, BillingGroup, Board, BoardState, Case, Content,
    Grantee, Group, Installation, Invitation, InviteInto, JoinRequest, LegalHold, LicenceRequest,
    Membership, Org, Project, Refresh, ServiceToken, Session, Team, Token, TokenKind, User,
    UserStatus,
};
use easel_core::roles::{BoardRole, TeamRole};
use easel_core::time::Time;

use super::schema::{
    ADMIN_ROLES, APP_ALLOWLIST, APP_SCOPES, APPS, BILLING_GROUPS, BILLING_MEMBERS, BOARD_CONTENT,
    BOARDS, CASES, DOMAINS, GRANTS, GROUP_MEMBERS, INSTALLATION_SCOPES, INSTALLATIONS, INVITATIONS,
    LEGAL_HOLD_USERS, LEGAL_HOLDS, MEMBER_EMAILS, MEMBER_PROFILES, MEMBERSHIPS, OAUTH_CODES,
    ORGANIZATIONS, PROJECT_GROUPS, PROJECT_MEMBERS, PROJECTS, REFRESH_TOKENS, REQUESTS,
    SESSION_RESETS, SESSIONS, SETTINGS, TEAM_CONTENT_ADMINS, TEAM_GROUPS, TEAM_MEMBERS, TEAMS,
    TOKEN_SCOPES, TOKENS, USER_GROUPS, USERS,
};
use super::{Sink, Value, opt_int, opt_text, scope_text, setting_rows, text, wire};

// Ids of the entities a row names, by index. An index the state does not hold cannot come
// from the state's own records; it would show as an empty id rather than fail the write.

fn org_id(state: &State, ix: OrgIx) -> Value {
    text(state.org(ix).map_or("", |o| &*o.id))
}

fn user_id(state: &State, ix: UserIx) -> Value {
    text(state.user(ix).map_or("", |u| &*u.id))
}

fn team_id(state: &State, ix: TeamIx) -> Value {
    text(state.team(ix).map_or("", |t| &*t.id))
}

fn project_id(state: &State, ix: ProjectIx) -> Value {
    text(state.project(ix).map_or("", |p| &*p.id))
}

fn group_id(state: &State, ix: GroupIx) -> Value {
    text(state.group(ix).map_or("", |g| &*g.id))
}

fn board_id(state: &State, ix: BoardIx) -> Value {
    text(state.board(ix).map_or("", |b| &*b.id))
}

fn app_id(state: &State, ix: AppIx) -> Value {
    text(state.app(ix).map_or("", |a| &*a.id))
}

fn installation_id(state: &State, ix: InstallationIx) -> Value {
    text(state.installation(ix).map_or("", |i| &*i.id))
}

fn at(time: Time) -> Value {
    opt_int(Some(time.millis()))
}

fn hex(digest: easel_core::model::LinkDigest) -> String {
    easel_core::event::hex(&digest.bytes())
}

const NULL: Value = Value::Text(None);

/// An organization: its row, its company settings, domains and app allowlist.
pub(super) fn org(state: &State, o: &Org, out: &mut dyn Sink) {
    let id = || text(&*o.id);
    let owner = o.owner.map_or(NULL, |u| user_id(state, u));
    let row = vec![
        id(),
        text(o.name.as_str()),
        wire(&o.plan),
        Value::Bool(o.guard),
        owner,
        opt_int(Some(i64::from(o.trash_retention_days))),
        opt_int(o.audit_retention_days.map(i64::from)),
        Value::Bool(o.app_allowlist.is_some()),
    ];
    out.row(&ORGANIZATIONS, row);
    for (key, value) in setting_rows(&o.settings) {
        out.row(&SETTINGS, vec![id(), text(""), text(key), text(value)]);
    }
    for d in &o.domains {
        let row = vec![id(), text(d.name.as_str()), Value::Bool(d.verified)];
        out.row(&DOMAINS, row);
    }
    for app in o.app_allowlist.iter().flatten() {
        out.row(&APP_ALLOWLIST, vec![id(), app_id(state, *app)]);
    }
}

/// The instant an organization reset a user's sessions there.
pub(super) fn session_reset(state: &State, o: &Org, user: UserIx, when: Time, out: &mut dyn Sink) {
    let row = vec![text(&*o.id), user_id(state, user), at(when)];
    out.row(&SESSION_RESETS, row);
}

/// A user identity.
pub(super) fn user(u: &User, out: &mut dyn Sink) {
    let row = vec![
        text(&*u.id),
        text(&*u.email),
        text(u.name.as_str()),
        Value::Bool(u.status == UserStatus::Active),
        opt_int(u.last_active_at.map(Time::millis)),
        opt_int(u.sessions_reset_at.map(Time::millis)),
    ];
    out.row(&USERS, row);
}

/// A user's membership of an organization, with the admin roles it holds.
pub(super) fn membership(state: &State, u: &User, m: &Membership, out: &mut dyn Sink) {
    let (org, user) = (org_id(state, m.org), text(&*u.id));
    let row = vec![
        org.clone(),
        user.clone(),
        wire(&m.kind),
        text(m.licence.as_str()),
        Value::Bool(m.active),
    ];
    out.row(&MEMBERSHIPS, row);
    for role in m.admin_roles.iter() {
        out.row(&ADMIN_ROLES, vec![org.clone(), user.clone(), wire(&role)]);
    }
    let profile = state
        .find_user(&u.id)
        .and_then(|ux| state.org(m.org).and_then(|o| o.profiles.get(&ux)));
    if let Some(p) = profile {
        let f = &p.fields;
        let mut row = vec![org.clone(), user.clone()];
        row.extend(f.texts().into_iter().map(|(_, v)| v.map_or(NULL, text)));
        row.push(at(p.created_at));
        row.push(at(p.modified_at));
        out.row(&MEMBER_PROFILES, row);
        for (position, email) in (0_i64..).zip(&f.emails) {
            out.row(
                &MEMBER_EMAILS,
                vec![
                    org.clone(),
                    user.clone(),
                    opt_int(Some(position)),
                    text(email.value.as_str()),
                    email.kind.as_deref().map_or(NULL, text),
                    Value::Bool(email.primary),
                ],
            );
        }
    }
}

/// A user group.
pub(super) fn group(state: &State, g: &Group, out: &mut dyn Sink) {
    let row = vec![
        text(&*g.id),
        org_id(state, g.org),
        text(g.name.as_str()),
        Value::Bool(g.deleted),
        text(g.description.as_str()),
    ];
    out.row(&USER_GROUPS, row);
}

/// A user's place in a group.
pub(super) fn group_member(state: &State, g: &Group, user: UserIx, out: &mut dyn Sink) {
    out.row(&GROUP_MEMBERS, vec![text(&*g.id), user_id(state, user)]);
}

/// A team and its settings.
pub(super) fn team(state: &State, t: &Team, out: &mut dyn Sink) {
    let (id, org) = (|| text(&*t.id), org_id(state, t.org));
    let row = vec![
        id(),
        org.clone(),
        text(t.name.as_str()),
        Value::Bool(t.deleted),
    ];
    out.row(&TEAMS, row);
    for (key, value) in setting_rows(&t.settings) {
        out.row(&SETTINGS, vec![org.clone(), id(), text(key), text(value)]);
    }
}

/// A user's place in a team.
pub(super) fn team_member(
    state: &State,
    t: &Team,
    user: UserIx,
    role: TeamRole,
    out: &mut dyn Sink,
) {
    let row = vec![text(&*t.id), user_id(state, user), wire(&role)];
    out.row(&TEAM_MEMBERS, row);
}

/// A group's place in a team.
pub(super) fn team_group(
    state: &State,
    t: &Team,
    group: GroupIx,
    role: TeamRole,
    out: &mut dyn Sink,
) {
    let row = vec![text(&*t.id), group_id(state, group), wire(&role)];
    out.row(&TEAM_GROUPS, row);
}

/// A team content admin.
pub(super) fn team_content_admin(state: &State, t: &Team, user: UserIx, out: &mut dyn Sink) {
    out.row(
        &TEAM_CONTENT_ADMINS,
        vec![text(&*t.id), user_id(state, user)],
    );
}

/// A project.
pub(super) fn project(state: &State, p: &Project, out: &mut dyn Sink) {
    let row = vec![
        text(&*p.id),
        org_id(state, p.org),
        team_id(state, p.team),
        text(p.name.as_str()),
        Value::Bool(p.private),
        Value::Bool(p.deleted),
    ];
    out.row(&PROJECTS, row);
}

/// A user's place in a project.
pub(super) fn project_member(
    state: &State,
    p: &Project,
    user: UserIx,
    role: BoardRole,
    out: &mut dyn Sink,
) {
    let row = vec![text(&*p.id), user_id(state, user), wire(&role)];
    out.row(&PROJECT_MEMBERS, row);
}

/// A group assigned to a project.
pub(super) fn project_group(
    state: &State,
    p: &Project,
    group: GroupIx,
    role: BoardRole,
    out: &mut dyn Sink,
) {
    let row = vec![text(&*p.id), group_id(state, group), wire(&role)];
    out.row(&PROJECT_GROUPS, row);
}

/// A board's state column and the instant it was trashed.
fn board_state(state: BoardState) -> (&'static str, Option<i64>) {
    match state {
        BoardState::Active => ("active", None),
        BoardState::Trashed(at) => ("trashed", Some(at.millis())),
        BoardState::Purged => ("purged", None),
    }
}

/// A board (its grants are rows of their own, `grant`).
pub(super) fn board(state: &State, b: &Board, out: &mut dyn Sink) {
    let (status, trashed_at) = board_state(b.state);
    let row = vec![
        text(&*b.id),
        org_id(state, b.org),
        team_id(state, b.team),
        b.project.map_or(NULL, |p| project_id(state, p)),
        user_id(state, b.owner),
        text(&*b.name),
        text(&*b.description),
        text(status),
        opt_int(trashed_at),
        wire(&b.team_access),
        wire(&b.company_access),
        wire(&b.public_access),
        wire(&b.content.copy_access),
        wire(&b.content.sharing_access),
        opt_text(b.link().map(|l| hex(*l))),
        opt_text(b.password()),
        opt_text(b.classification()),
        Value::Bool(b.template),
        Value::Bool(b.retained),
    ];
    out.row(&BOARDS, row);
}

/// A direct grant on a board. Nobody holds a purged board: the memory keeps its grants
/// only as history, and they have no row.
pub(super) fn grant(state: &State, b: &Board, who: Grantee, role: BoardRole, out: &mut dyn Sink) {
    if b.state == BoardState::Purged {
        return;
    }
    let (kind, principal) = match who {
        Grantee::User(u) => ("user", user_id(state, u)),
        Grantee::Group(g) => ("group", group_id(state, g)),
    };
    let row = vec![text(&*b.id), text(kind), principal, wire(&role)];
    out.row(&GRANTS, row);
}

/// An item or comment on a board.
pub(super) fn content(state: &State, c: &Content, out: &mut dyn Sink) {
    let row = vec![
        text(&*c.id),
        board_id(state, c.board),
        text(c.kind.as_str()),
        text(c.text.as_str()),
        user_id(state, c.author),
        Value::Bool(c.deleted),
    ];
    out.row(&BOARD_CONTENT, row);
}

/// An invitation.
pub(super) fn invitation(state: &State, i: &Invitation, out: &mut dyn Sink) {
    let (target_type, target_id, role) = match i.into {
        InviteInto::Org => ("org", NULL, NULL),
        InviteInto::Team(t, r) => ("team", team_id(state, t), wire(&r)),
        InviteInto::Project(p, r) => ("project", project_id(state, p), wire(&r)),
        InviteInto::Board(b, r) => ("board", board_id(state, b), wire(&r)),
    };
    let row = vec![
        text(&*i.id),
        org_id(state, i.org),
        text(&*i.email),
        text(target_type),
        target_id,
        role,
        wire(&i.kind),
        user_id(state, i.inviter),
        at(i.expires_at),
        text(i.state.as_str()),
    ];
    out.row(&INVITATIONS, row);
}

/// A request for access to a board.
pub(super) fn access_request(state: &State, r: &AccessRequest, out: &mut dyn Sink) {
    let org = state
        .board(r.board)
        .map_or_else(|| text(""), |b| org_id(state, b.org));
    let row = vec![
        text("access"),
        text(&*r.id),
        org,
        user_id(state, r.user),
        board_id(state, r.board),
        wire(&r.role),
        text(r.state.as_str()),
    ];
    out.row(&REQUESTS, row);
}

/// A request to join a team.
pub(super) fn join_request(state: &State, r: &JoinRequest, out: &mut dyn Sink) {
    let org = state
        .team(r.team)
        .map_or_else(|| text(""), |t| org_id(state, t.org));
    let row = vec![
        text("join"),
        text(&*r.id),
        org,
        user_id(state, r.user),
        team_id(state, r.team),
        NULL,
        text(r.state.as_str()),
    ];
    out.row(&REQUESTS, row);
}

/// A request for a licence.
pub(super) fn licence_request(state: &State, r: &LicenceRequest, out: &mut dyn Sink) {
    let row = vec![
        text("licence"),
        text(&*r.id),
        org_id(state, r.org),
        user_id(state, r.user),
        NULL,
        text(r.licence.as_str()),
        text(r.state.as_str()),
    ];
    out.row(&REQUESTS, row);
}

/// A request to allow an app.
pub(super) fn app_request(state: &State, r: &AppRequest, out: &mut dyn Sink) {
    let row = vec![
        text("app"),
        text(&*r.id),
        org_id(state, r.org),
        user_id(state, r.user),
        app_id(state, r.app),
        NULL,
        text(r.state.as_str()),
    ];
    out.row(&REQUESTS, row);
}

/// A billing group.
pub(super) fn billing_group(state: &State, g: &BillingGroup, out: &mut dyn Sink) {
    let row = vec![
        text(&*g.id),
        org_id(state, g.org),
        text(g.name.as_str()),
        Value::Bool(g.deleted),
    ];
    out.row(&BILLING_GROUPS, row);
}

/// A user's place in a billing group.
pub(super) fn billing_member(state: &State, g: &BillingGroup, user: UserIx, out: &mut dyn Sink) {
    out.row(&BILLING_MEMBERS, vec![text(&*g.id), user_id(state, user)]);
}

/// A legal case (its holds are rows of their own, `hold`).
/// A deleted case has no rows, nor have its holds.
pub(super) fn case(state: &State, c: &Case, out: &mut dyn Sink) {
    if c.deleted {
        return;
    }
    let row = vec![
        text(&*c.id),
        org_id(state, c.org),
        text(c.name.as_str()),
        text(c.description.as_str()),
    ];
    out.row(&CASES, row);
}

/// A legal hold of a case, with the users it holds.
pub(super) fn hold(state: &State, c: &Case, h: &LegalHold, out: &mut dyn Sink) {
    if c.deleted {
        return;
    }
    let (case, id) = (|| text(&*c.id), || text(&*h.id));
    let row = vec![
        case(),
        id(),
        Value::Bool(h.released),
        text(h.name.as_str()),
        text(h.description.as_str()),
    ];
    out.row(&LEGAL_HOLDS, row);
    for u in &h.users {
        out.row(&LEGAL_HOLD_USERS, vec![case(), id(), user_id(state, *u)]);
    }
}

/// A user's token (a personal access token or an app's), with its scopes.
pub(super) fn token(state: &State, t: &Token, out: &mut dyn Sink) {
    // Tokens issued with a secret; the others are built by test fixtures only.
    let Some(digest) = t.digest else { return };
    let (holder, org, installation) = match t.kind {
        TokenKind::Personal => ("user", t.org.map_or(NULL, |o| org_id(state, o)), NULL),
        TokenKind::App(i) => ("app", NULL, installation_id(state, i)),
    };
    let row = vec![
        text(&*t.id),
        text(holder),
        user_id(state, t.user),
        NULL,
        org,
        text(hex(digest)),
        opt_int(t.expires_at.map(Time::millis)),
        Value::Bool(t.revoked),
        installation,
    ];
    out.row(&TOKENS, row);
    for scope in t.scopes.iter() {
        out.row(&TOKEN_SCOPES, vec![text(&*t.id), text(scope.name())]);
    }
}

/// A token acting for no user (the decision API's, the operator's or a SCIM client's), in
/// the same table as the users'; `holder_type` says which.
pub(super) fn service(state: &State, t: &ServiceToken, out: &mut dyn Sink) {
    let row = vec![
        text(&*t.id),
        text(t.kind.as_str()),
        NULL,
        text(t.name.as_str()),
        t.org.map_or(NULL, |o| org_id(state, o)),
        text(hex(t.digest)),
        opt_int(None),
        Value::Bool(t.revoked),
        NULL,
    ];
    out.row(&TOKENS, row);
}

/// An OAuth app, with the scopes it enables.
pub(super) fn app(state: &State, a: &App, out: &mut dyn Sink) {
    let id = || text(&*a.id);
    let row = vec![
        id(),
        org_id(state, a.org),
        team_id(state, a.team),
        text(a.name.as_str()),
        text(serde_json::to_string(&a.redirect_uris).unwrap_or_default()),
        Value::Bool(a.expiring_tokens),
        opt_text(a.secret.map(hex)),
        Value::Bool(a.deleted),
        opt_int(Some(i64::from(a.scope_version))),
    ];
    out.row(&APPS, row);
    for scope in a.enabled.iter() {
        out.row(&APP_SCOPES, vec![id(), text(scope.name())]);
    }
}

/// An app's installation in a team, with the scopes it was granted.
pub(super) fn installation(state: &State, i: &Installation, out: &mut dyn Sink) {
    let id = || text(&*i.id);
    let row = vec![
        id(),
        app_id(state, i.app),
        org_id(state, i.org),
        team_id(state, i.team),
        Value::Bool(i.active),
        opt_int(Some(i64::from(i.scope_version))),
    ];
    out.row(&INSTALLATIONS, row);
    for scope in i.granted.iter() {
        out.row(&INSTALLATION_SCOPES, vec![id(), text(scope.name())]);
    }
}

/// A user's session.
pub(super) fn session(state: &State, s: &Session, out: &mut dyn Sink) {
    let row = vec![
        text(&*s.id),
        user_id(state, s.user),
        at(s.created_at),
        at(s.last_active_at),
        Value::Bool(s.ended),
        opt_text(s.digest.map(hex)),
        s.org.map_or(NULL, |o| org_id(state, o)),
    ];
    out.row(&SESSIONS, row);
}

/// An OAuth authorization code.
pub(super) fn code(state: &State, c: &AuthCode, out: &mut dyn Sink) {
    let row = vec![
        text(&*c.id),
        installation_id(state, c.installation),
        user_id(state, c.user),
        text(c.redirect_uri.as_str()),
        text(scope_text(c.scopes)),
        text(c.challenge.as_str()),
        at(c.expires_at),
        text(hex(c.digest)),
        Value::Bool(c.used),
    ];
    out.row(&OAUTH_CODES, row);
}

/// An OAuth refresh token.
pub(super) fn refresh(state: &State, r: &Refresh, out: &mut dyn Sink) {
    let row = vec![
        text(&*r.id),
        installation_id(state, r.installation),
        user_id(state, r.user),
        text(scope_text(r.scopes)),
        text(&*r.family),
        text(&*r.access),
        text(hex(r.digest)),
        Value::Bool(r.used),
        Value::Bool(r.revoked),
    ];
    out.row(&REFRESH_TOKENS, row);
}
