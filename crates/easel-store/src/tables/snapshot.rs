//! The rows a whole in-memory state makes: what the tables hold after every event so far.
//! Used to fill the tables of a database that had none, and by the tests that check the
//! statements of each event against the state.

use easel_core::State;
use easel_core::model::{Grantee, InviteInto, TokenKind};

use super::events::board_state;
use super::{TABLES, Tables, Value, opt_int, opt_text, scope_text, setting_rows, text, wire};

struct Rows<'s> {
    state: &'s State,
    tables: Tables,
}

impl Rows<'_> {
    fn push(&mut self, table: &'static str, row: Vec<Value>) {
        self.tables.entry(table).or_default().insert(row);
    }

    fn user(&self, ix: easel_core::ids::UserIx) -> Value {
        text(self.state.user(ix).map_or("", |u| &*u.id))
    }

    fn team(&self, ix: easel_core::ids::TeamIx) -> Value {
        text(self.state.team(ix).map_or("", |t| &*t.id))
    }

    fn org(&self, ix: easel_core::ids::OrgIx) -> Value {
        text(self.state.org(ix).map_or("", |o| &*o.id))
    }

    fn org_id(&self, ix: easel_core::ids::OrgIx) -> String {
        self.state
            .org(ix)
            .map_or_else(String::new, |o| o.id.to_string())
    }

    fn board(&self, ix: easel_core::ids::BoardIx) -> Value {
        text(self.state.board(ix).map_or("", |b| &*b.id))
    }

    fn project_id(&self, ix: easel_core::ids::ProjectIx) -> String {
        self.state
            .project(ix)
            .map_or_else(String::new, |p| p.id.to_string())
    }
}

/// Every row of every state table for `state`.
pub fn snapshot(state: &State) -> Tables {
    let mut rows = Rows {
        state,
        tables: TABLES
            .iter()
            .map(|t| (t.name, Default::default()))
            .collect(),
    };
    orgs(&mut rows);
    users(&mut rows);
    teams_and_groups(&mut rows);
    boards(&mut rows);
    records(&mut rows);
    rows.tables
}

fn orgs(rows: &mut Rows) {
    let state = rows.state;
    for (_, o) in state.all_orgs() {
        let id = || text(&*o.id);
        for (user, at) in &o.session_resets {
            let user = rows.user(*user);
            rows.push(
                "session_resets",
                vec![id(), user, opt_int(Some(at.millis()))],
            );
        }
        rows.push(
            "organizations",
            vec![
                id(),
                text(o.name.as_str()),
                wire(&o.plan),
                Value::Bool(o.guard),
                match o.owner {
                    Some(u) => rows.user(u),
                    None => Value::Text(None),
                },
                opt_int(Some(i64::from(o.trash_retention_days))),
                opt_int(o.audit_retention_days.map(i64::from)),
                Value::Bool(o.app_allowlist.is_some()),
            ],
        );
        for (key, value) in setting_rows(&o.settings) {
            rows.push("settings", vec![id(), text(""), text(key), text(value)]);
        }
        for d in &o.domains {
            rows.push(
                "domains",
                vec![id(), text(d.name.as_str()), Value::Bool(d.verified)],
            );
        }
        for app in o.app_allowlist.iter().flatten() {
            let app = state.app(*app).map_or("", |a| &*a.id);
            rows.push("app_allowlist", vec![id(), text(app)]);
        }
    }
}

fn users(rows: &mut Rows) {
    let state = rows.state;
    for (_, u) in state.all_users() {
        let id = || text(&*u.id);
        rows.push(
            "users",
            vec![
                id(),
                text(&*u.email),
                text(u.name.as_str()),
                Value::Bool(u.status == easel_core::model::UserStatus::Active),
                opt_int(u.last_active_at.map(|t| t.millis())),
                opt_int(u.sessions_reset_at.map(|t| t.millis())),
            ],
        );
        for m in &u.orgs {
            let org = rows.org(m.org);
            rows.push(
                "memberships",
                vec![
                    org.clone(),
                    id(),
                    wire(&m.kind),
                    text(m.licence.as_str()),
                    Value::Bool(m.active),
                ],
            );
            for role in m.admin_roles.iter() {
                rows.push("admin_roles", vec![org.clone(), id(), wire(&role)]);
            }
        }
    }
}

fn teams_and_groups(rows: &mut Rows) {
    let state = rows.state;
    for (_, t) in state.all_teams() {
        let id = || text(&*t.id);
        let org = rows.org(t.org);
        rows.push(
            "teams",
            vec![id(), org, text(t.name.as_str()), Value::Bool(t.deleted)],
        );
        for (key, value) in setting_rows(&t.settings) {
            let org = rows.org_id(t.org);
            rows.push("settings", vec![text(org), id(), text(key), text(value)]);
        }
        for (u, role) in &t.members {
            let user = rows.user(*u);
            rows.push("team_members", vec![id(), user, wire(role)]);
        }
        for (g, role) in &t.group_members {
            let group = text(state.group(*g).map_or("", |g| &*g.id));
            rows.push("team_groups", vec![id(), group, wire(role)]);
        }
        for u in &t.content_admins {
            let user = rows.user(*u);
            rows.push("team_content_admins", vec![id(), user]);
        }
    }
    for (_, p) in state.all_projects() {
        let (org, team) = (rows.org(p.org), rows.team(p.team));
        rows.push(
            "projects",
            vec![
                text(&*p.id),
                org,
                team,
                text(p.name.as_str()),
                Value::Bool(p.private),
                Value::Bool(p.deleted),
            ],
        );
        for (u, role) in &p.members {
            let user = rows.user(*u);
            rows.push("project_members", vec![text(&*p.id), user, wire(role)]);
        }
    }
    for (_, g) in state.all_groups() {
        let org = rows.org(g.org);
        rows.push(
            "user_groups",
            vec![
                text(&*g.id),
                org,
                text(g.name.as_str()),
                Value::Bool(g.deleted),
            ],
        );
        for u in &g.members {
            let user = rows.user(*u);
            rows.push("group_members", vec![text(&*g.id), user]);
        }
    }
}

fn boards(rows: &mut Rows) {
    let state = rows.state;
    for (_, b) in state.all_boards() {
        let id = || text(&*b.id);
        let (status, trashed_at) = board_state(b.state);
        let row = vec![
            id(),
            rows.org(b.org),
            rows.team(b.team),
            opt_text(b.project.map(|p| rows.project_id(p))),
            rows.user(b.owner),
            text(&*b.name),
            text(&*b.description),
            text(status),
            opt_int(trashed_at),
            wire(&b.team_access),
            wire(&b.company_access),
            wire(&b.public_access),
            wire(&b.content.copy_access),
            wire(&b.content.sharing_access),
            opt_text(b.link().map(|l| easel_core::event::hex(&l.bytes()))),
            opt_text(b.password()),
            opt_text(b.classification()),
            Value::Bool(b.template),
            Value::Bool(b.retained),
        ];
        rows.push("boards", row);
        // Nobody holds a purged board; the memory keeps its grants only as history.
        if status == "purged" {
            continue;
        }
        for (who, role) in &b.grants {
            let (kind, principal) = match who {
                Grantee::User(u) => (text("user"), rows.user(u)),
                Grantee::Group(g) => (text("group"), text(state.group(g).map_or("", |g| &*g.id))),
            };
            rows.push("grants", vec![id(), kind, principal, wire(&role)]);
        }
    }
    for (_, c) in state.all_contents() {
        let (board, author) = (rows.board(c.board), rows.user(c.author));
        rows.push(
            "board_content",
            vec![
                text(&*c.id),
                board,
                text(c.kind.as_str()),
                text(c.text.as_str()),
                author,
                Value::Bool(c.deleted),
            ],
        );
    }
}

fn records(rows: &mut Rows) {
    let state = rows.state;
    for (_, i) in state.all_invitations() {
        let (target_type, target_id, role) = match i.into {
            InviteInto::Org => ("org", Value::Text(None), Value::Text(None)),
            InviteInto::Team(t, r) => ("team", rows.team(t), wire(&r)),
            InviteInto::Project(p, r) => ("project", text(rows.project_id(p)), wire(&r)),
            InviteInto::Board(b, r) => ("board", rows.board(b), wire(&r)),
        };
        let row = vec![
            text(&*i.id),
            rows.org(i.org),
            text(&*i.email),
            text(target_type),
            target_id,
            role,
            wire(&i.kind),
            rows.user(i.inviter),
            opt_int(Some(i.expires_at.millis())),
            text(i.state.as_str()),
        ];
        rows.push("invitations", row);
    }
    let none = || Value::Text(None);
    for (_, r) in state.all_access_requests() {
        let org = state
            .board(r.board)
            .map_or_else(|| text(""), |b| rows.org(b.org));
        let row = vec![
            text("access"),
            text(&*r.id),
            org,
            rows.user(r.user),
            rows.board(r.board),
            wire(&r.role),
            text(r.state.as_str()),
        ];
        rows.push("requests", row);
    }
    for (_, r) in state.all_join_requests() {
        let org = state
            .team(r.team)
            .map_or_else(|| text(""), |t| rows.org(t.org));
        let row = vec![
            text("join"),
            text(&*r.id),
            org,
            rows.user(r.user),
            rows.team(r.team),
            none(),
            text(r.state.as_str()),
        ];
        rows.push("requests", row);
    }
    for (_, r) in state.all_licence_requests() {
        let row = vec![
            text("licence"),
            text(&*r.id),
            rows.org(r.org),
            rows.user(r.user),
            none(),
            text(r.licence.as_str()),
            text(r.state.as_str()),
        ];
        rows.push("requests", row);
    }
    for (_, r) in state.all_app_requests() {
        let row = vec![
            text("app"),
            text(&*r.id),
            rows.org(r.org),
            rows.user(r.user),
            text(state.app(r.app).map_or("", |a| &*a.id)),
            none(),
            text(r.state.as_str()),
        ];
        rows.push("requests", row);
    }
    for (_, g) in state.all_billing_groups() {
        let org = rows.org(g.org);
        rows.push(
            "billing_groups",
            vec![
                text(&*g.id),
                org,
                text(g.name.as_str()),
                Value::Bool(g.deleted),
            ],
        );
        for u in &g.members {
            let user = rows.user(*u);
            rows.push("billing_members", vec![text(&*g.id), user]);
        }
    }
    for (_, t) in state.all_tokens() {
        // Tokens issued with a secret; the others are built by test fixtures only.
        let Some(digest) = t.digest else { continue };
        let (holder, installation) = match t.kind {
            TokenKind::Personal => ("user", none()),
            TokenKind::App(i) => ("app", text(state.installation(i).map_or("", |x| &*x.id))),
        };
        let org = match t.kind {
            TokenKind::Personal => t.org.map_or(none(), |o| rows.org(o)),
            TokenKind::App(_) => none(),
        };
        let row = vec![
            text(&*t.id),
            text(holder),
            rows.user(t.user),
            none(),
            org,
            text(easel_core::event::hex(&digest.bytes())),
            opt_int(t.expires_at.map(|at| at.millis())),
            Value::Bool(t.revoked),
            installation,
        ];
        rows.push("tokens", row);
        for scope in t.scopes.iter() {
            rows.push("token_scopes", vec![text(&*t.id), text(scope.name())]);
        }
    }
    for (_, t) in state.all_services() {
        let org = t.org.map_or(none(), |o| rows.org(o));
        let row = vec![
            text(&*t.id),
            text("service"),
            none(),
            text(t.name.as_str()),
            org,
            text(easel_core::event::hex(&t.digest.bytes())),
            opt_int(None),
            Value::Bool(t.revoked),
            none(),
        ];
        rows.push("tokens", row);
    }
    apps(rows);
    for (_, c) in state.all_cases() {
        let org = rows.org(c.org);
        rows.push("cases", vec![text(&*c.id), org, text(c.name.as_str())]);
        for h in &c.holds {
            rows.push(
                "legal_holds",
                vec![text(&*c.id), text(&*h.id), Value::Bool(h.released)],
            );
            for u in &h.users {
                let user = rows.user(*u);
                rows.push("legal_hold_users", vec![text(&*c.id), text(&*h.id), user]);
            }
        }
    }
}

fn apps(rows: &mut Rows) {
    let state = rows.state;
    for (_, a) in state.all_apps() {
        let id = || text(&*a.id);
        let row = vec![
            id(),
            rows.org(a.org),
            rows.team(a.team),
            text(a.name.as_str()),
            text(serde_json::to_string(&a.redirect_uris).unwrap_or_default()),
            Value::Bool(a.expiring_tokens),
            opt_text(a.secret.map(|d| easel_core::event::hex(&d.bytes()))),
            Value::Bool(a.deleted),
            opt_int(Some(i64::from(a.scope_version))),
        ];
        rows.push("apps", row);
        for scope in a.enabled.iter() {
            rows.push("app_scopes", vec![id(), text(scope.name())]);
        }
    }
    for (_, i) in state.all_installations() {
        let id = || text(&*i.id);
        let app = text(state.app(i.app).map_or("", |x| &*x.id));
        let row = vec![
            id(),
            app,
            rows.org(i.org),
            rows.team(i.team),
            Value::Bool(i.active),
            opt_int(Some(i64::from(i.scope_version))),
        ];
        rows.push("installations", row);
        for scope in i.granted.iter() {
            rows.push("installation_scopes", vec![id(), text(scope.name())]);
        }
    }
    for (_, s) in state.all_sessions() {
        let row = vec![
            text(&*s.id),
            rows.user(s.user),
            opt_int(Some(s.created_at.millis())),
            opt_int(Some(s.last_active_at.millis())),
            Value::Bool(s.ended),
            opt_text(s.digest.map(|d| easel_core::event::hex(&d.bytes()))),
            s.org.map_or(Value::Text(None), |o| rows.org(o)),
        ];
        rows.push("sessions", row);
    }
    for (_, c) in state.all_codes() {
        let row = vec![
            text(&*c.id),
            text(state.installation(c.installation).map_or("", |x| &*x.id)),
            rows.user(c.user),
            text(c.redirect_uri.as_str()),
            text(scope_text(c.scopes)),
            text(c.challenge.as_str()),
            opt_int(Some(c.expires_at.millis())),
            text(easel_core::event::hex(&c.digest.bytes())),
            Value::Bool(c.used),
        ];
        rows.push("oauth_codes", row);
    }
    for (_, r) in state.all_refreshes() {
        let row = vec![
            text(&*r.id),
            text(state.installation(r.installation).map_or("", |x| &*x.id)),
            rows.user(r.user),
            text(scope_text(r.scopes)),
            text(&*r.family),
            text(&*r.access),
            text(easel_core::event::hex(&r.digest.bytes())),
            Value::Bool(r.used),
            Value::Bool(r.revoked),
        ];
        rows.push("refresh_tokens", row);
    }
}
