//! The generic writer: for each key, delete its rows from every table that holds them, then
//! insert the rows the state gives it now (none when it is gone). What a key's rows are is
//! `rows`; what a key deletes is said here, once per kind of key.

use easel_core::State;
use easel_core::model::Grantee;
use easel_core::state::RequestKind;

use super::{Key, Stmt, Value, rows, text};

/// The statements that bring the rows of `keys` (a `Keys`, or part of one) to what `after`,
/// the state after the events that touched them, gives.
pub fn rows_for<'k>(after: &State, keys: impl IntoIterator<Item = &'k Key>) -> Vec<Stmt> {
    let mut out = Vec::new();
    for key in keys {
        write(after, key, &mut out);
    }
    out
}

fn delete(out: &mut Vec<Stmt>, sql: &'static str, args: &[impl AsRef<str>]) {
    out.push(Stmt {
        sql,
        args: args
            .iter()
            .map(|a| text(a.as_ref()))
            .collect::<Vec<Value>>(),
    });
}

/// One key: its deletes, then its rows.
fn write(state: &State, key: &Key, out: &mut Vec<Stmt>) {
    match key {
        Key::Org(id) => {
            delete(out, "DELETE FROM organizations WHERE id = ?1", &[id]);
            delete(
                out,
                "DELETE FROM settings WHERE org_id = ?1 AND team_id = ''",
                &[id],
            );
            delete(out, "DELETE FROM domains WHERE org_id = ?1", &[id]);
            delete(out, "DELETE FROM app_allowlist WHERE org_id = ?1", &[id]);
            if let Some(o) = state.find_org(id).and_then(|o| state.org(o)) {
                rows::org(state, o, out);
            }
        }
        Key::SessionReset { org, user } => {
            let sql = "DELETE FROM session_resets WHERE org_id = ?1 AND user_id = ?2";
            delete(out, sql, &[org, user]);
            let o = state.find_org(org).and_then(|o| state.org(o));
            if let (Some(o), Some(u)) = (o, state.find_user(user)) {
                let at = o.session_resets.iter().find(|(x, _)| *x == u);
                if let Some((u, at)) = at {
                    rows::session_reset(state, o, *u, *at, out);
                }
            }
        }
        Key::User(id) => {
            delete(out, "DELETE FROM users WHERE id = ?1", &[id]);
            if let Some(u) = state.find_user(id).and_then(|u| state.user(u)) {
                rows::user(u, out);
            }
        }
        Key::Membership { org, user } => {
            let args = [org.as_str(), user.as_str()];
            delete(
                out,
                "DELETE FROM memberships WHERE org_id = ?1 AND user_id = ?2",
                &args,
            );
            delete(
                out,
                "DELETE FROM admin_roles WHERE org_id = ?1 AND user_id = ?2",
                &args,
            );
            delete(
                out,
                "DELETE FROM member_profiles WHERE org_id = ?1 AND user_id = ?2",
                &args,
            );
            delete(
                out,
                "DELETE FROM member_emails WHERE org_id = ?1 AND user_id = ?2",
                &args,
            );
            let u = state.find_user(user).and_then(|u| state.user(u));
            if let (Some(u), Some(o)) = (u, state.find_org(org))
                && let Some(m) = u.membership(o)
            {
                rows::membership(state, u, m, out);
            }
        }
        Key::Group(id) => {
            delete(out, "DELETE FROM user_groups WHERE id = ?1", &[id]);
            if let Some(g) = state.find_group(id).and_then(|g| state.group(g)) {
                rows::group(state, g, out);
            }
        }
        Key::GroupMember { group, user } => {
            let sql = "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2";
            delete(out, sql, &[group, user]);
            let g = state.find_group(group).and_then(|g| state.group(g));
            if let (Some(g), Some(u)) = (g, state.find_user(user))
                && g.members.binary_search(&u).is_ok()
            {
                rows::group_member(state, g, u, out);
            }
        }
        Key::Team(id) => {
            delete(out, "DELETE FROM teams WHERE id = ?1", &[id]);
            if let Some(t) = state.find_team(id).and_then(|t| state.team(t)) {
                // Teams are never removed from the state: a team the tables hold is here.
                let org = state.org(t.org).map_or("", |o| &*o.id);
                let sql = "DELETE FROM settings WHERE org_id = ?1 AND team_id = ?2";
                delete(out, sql, &[org, id.as_str()]);
                rows::team(state, t, out);
            }
        }
        Key::TeamMember { team, user } => {
            let sql = "DELETE FROM team_members WHERE team_id = ?1 AND user_id = ?2";
            delete(out, sql, &[team, user]);
            let t = state.find_team(team).and_then(|t| state.team(t));
            if let (Some(t), Some(u)) = (t, state.find_user(user))
                && let Some((u, role)) = t.members.iter().find(|(x, _)| *x == u)
            {
                rows::team_member(state, t, *u, *role, out);
            }
        }
        Key::TeamGroup { team, group } => {
            let sql = "DELETE FROM team_groups WHERE team_id = ?1 AND group_id = ?2";
            delete(out, sql, &[team, group]);
            let t = state.find_team(team).and_then(|t| state.team(t));
            if let (Some(t), Some(g)) = (t, state.find_group(group))
                && let Some((g, role)) = t.group_members.iter().find(|(x, _)| *x == g)
            {
                rows::team_group(state, t, *g, *role, out);
            }
        }
        Key::TeamContentAdmin { team, user } => {
            let sql = "DELETE FROM team_content_admins WHERE team_id = ?1 AND user_id = ?2";
            delete(out, sql, &[team, user]);
            let t = state.find_team(team).and_then(|t| state.team(t));
            if let (Some(t), Some(u)) = (t, state.find_user(user))
                && t.content_admins.binary_search(&u).is_ok()
            {
                rows::team_content_admin(state, t, u, out);
            }
        }
        Key::Project(id) => {
            delete(out, "DELETE FROM projects WHERE id = ?1", &[id]);
            if let Some(p) = state.find_project(id).and_then(|p| state.project(p)) {
                rows::project(state, p, out);
            }
        }
        Key::ProjectMember { project, user } => {
            let sql = "DELETE FROM project_members WHERE project_id = ?1 AND user_id = ?2";
            delete(out, sql, &[project, user]);
            let p = state.find_project(project).and_then(|p| state.project(p));
            if let (Some(p), Some(u)) = (p, state.find_user(user))
                && let Some((u, role)) = p.members.iter().find(|(x, _)| *x == u)
            {
                rows::project_member(state, p, *u, *role, out);
            }
        }
        Key::ProjectGroup { project, group } => {
            let sql = "DELETE FROM project_groups WHERE project_id = ?1 AND group_id = ?2";
            delete(out, sql, &[project, group]);
            let p = state.find_project(project).and_then(|p| state.project(p));
            if let (Some(p), Some(g)) = (p, state.find_group(group))
                && let Some((g, role)) = p.groups.iter().find(|(x, _)| *x == g)
            {
                rows::project_group(state, p, *g, *role, out);
            }
        }
        Key::Board(id) => {
            delete(out, "DELETE FROM boards WHERE id = ?1", &[id]);
            if let Some(b) = state.find_board(id).and_then(|b| state.board(b)) {
                rows::board(state, b, out);
            }
        }
        Key::Grant { board, group, to } => {
            let kind = if *group { "group" } else { "user" };
            let sql = "DELETE FROM grants
                       WHERE board_id = ?1 AND principal_type = ?2 AND principal_id = ?3";
            delete(out, sql, &[board.as_str(), kind, to]);
            let who = if *group {
                state.find_group(to).map(Grantee::Group)
            } else {
                state.find_user(to).map(Grantee::User)
            };
            let b = state.find_board(board).and_then(|b| state.board(b));
            if let (Some(b), Some(who)) = (b, who)
                && let Some(role) = b.grant(who)
            {
                rows::grant(state, b, who, role, out);
            }
        }
        Key::Content(id) => {
            delete(out, "DELETE FROM board_content WHERE id = ?1", &[id]);
            if let Some(c) = state.find_content(id).and_then(|c| state.content(c)) {
                rows::content(state, c, out);
            }
        }
        Key::Invitation(id) => {
            delete(out, "DELETE FROM invitations WHERE id = ?1", &[id]);
            if let Some(i) = state.find_invitation(id).and_then(|i| state.invitation(i)) {
                rows::invitation(state, i, out);
            }
        }
        Key::Request { kind, id } => {
            delete(
                out,
                "DELETE FROM requests WHERE kind = ?1 AND id = ?2",
                &[kind, id.as_str()],
            );
            request(state, kind, id, out);
        }
        Key::BillingGroup(id) => {
            delete(out, "DELETE FROM billing_groups WHERE id = ?1", &[id]);
            let g = state
                .find_billing_group(id)
                .and_then(|g| state.billing_group(g));
            if let Some(g) = g {
                rows::billing_group(state, g, out);
            }
        }
        Key::BillingMember { group, user } => {
            let sql = "DELETE FROM billing_members WHERE group_id = ?1 AND user_id = ?2";
            delete(out, sql, &[group, user]);
            let g = state
                .find_billing_group(group)
                .and_then(|g| state.billing_group(g));
            if let (Some(g), Some(u)) = (g, state.find_user(user))
                && g.members.binary_search(&u).is_ok()
            {
                rows::billing_member(state, g, u, out);
            }
        }
        Key::Case(id) => {
            delete(out, "DELETE FROM cases WHERE id = ?1", &[id]);
            if let Some(c) = state.find_case(id).and_then(|c| state.case(c)) {
                rows::case(state, c, out);
            }
        }
        Key::Hold { case, hold } => {
            let args = [case.as_str(), hold.as_str()];
            delete(
                out,
                "DELETE FROM legal_holds WHERE case_id = ?1 AND id = ?2",
                &args,
            );
            let sql = "DELETE FROM legal_hold_users WHERE case_id = ?1 AND hold_id = ?2";
            delete(out, sql, &args);
            if let Some(c) = state.find_case(case).and_then(|c| state.case(c))
                && let Some(h) = c.holds.iter().find(|h| &*h.id == hold)
            {
                rows::hold(state, c, h, out);
            }
        }
        Key::Token(id) => {
            delete(out, "DELETE FROM tokens WHERE id = ?1", &[id]);
            delete(out, "DELETE FROM token_scopes WHERE token_id = ?1", &[id]);
            if let Some(t) = state.find_token(id).and_then(|t| state.token(t)) {
                rows::token(state, t, out);
            } else if let Some(t) = state.find_service(id).and_then(|t| state.service(t)) {
                rows::service(state, t, out);
            }
        }
        Key::App(id) => {
            delete(out, "DELETE FROM apps WHERE id = ?1", &[id]);
            delete(out, "DELETE FROM app_scopes WHERE app_id = ?1", &[id]);
            if let Some(a) = state.find_app(id).and_then(|a| state.app(a)) {
                rows::app(state, a, out);
            }
        }
        Key::Installation(id) => {
            delete(out, "DELETE FROM installations WHERE id = ?1", &[id]);
            let sql = "DELETE FROM installation_scopes WHERE installation_id = ?1";
            delete(out, sql, &[id]);
            let i = state
                .find_installation(id)
                .and_then(|i| state.installation(i));
            if let Some(i) = i {
                rows::installation(state, i, out);
            }
        }
        Key::Session(id) => {
            delete(out, "DELETE FROM sessions WHERE id = ?1", &[id]);
            if let Some(s) = state.find_session(id).and_then(|s| state.session(s)) {
                rows::session(state, s, out);
            }
        }
        // Sign-in links live in memory only (rebuilt from the changelog at start): they
        // are single use and last minutes, and nothing reads them from SQL.
        Key::SignInLink(_) => {}
        Key::Code(id) => {
            delete(out, "DELETE FROM oauth_codes WHERE id = ?1", &[id]);
            if let Some(c) = state.find_code(id).and_then(|c| state.code(c)) {
                rows::code(state, c, out);
            }
        }
        Key::Refresh(id) => {
            delete(out, "DELETE FROM refresh_tokens WHERE id = ?1", &[id]);
            if let Some(r) = state.find_refresh(id).and_then(|r| state.refresh(r)) {
                rows::refresh(state, r, out);
            }
        }
    }
}

/// A request's row, by its kind.
fn request(state: &State, kind: &str, id: &str, out: &mut Vec<Stmt>) {
    // Keys name the kind as the `requests.kind` column spells it.
    let Some(kind) = RequestKind::parse(kind) else {
        return;
    };
    match kind {
        RequestKind::Access => {
            if let Some(r) = state
                .find_access_request(id)
                .and_then(|r| state.access_request(r))
            {
                rows::access_request(state, r, out);
            }
        }
        RequestKind::Join => {
            if let Some(r) = state
                .find_join_request(id)
                .and_then(|r| state.join_request(r))
            {
                rows::join_request(state, r, out);
            }
        }
        RequestKind::Licence => {
            let r = state
                .find_licence_request(id)
                .and_then(|r| state.licence_request(r));
            if let Some(r) = r {
                rows::licence_request(state, r, out);
            }
        }
        RequestKind::App => {
            if let Some(r) = state
                .find_app_request(id)
                .and_then(|r| state.app_request(r))
            {
                rows::app_request(state, r, out);
            }
        }
    }
}
