//! The rows a whole in-memory state makes: the rows of every entity (`rows`). Used to fill
//! the tables of a database whose tables lag its changelog, and by the tests that check the
//! tables against the state.

use easel_core::State;

use super::{TABLES, Tables, rows};

/// Every row of every state table for `state`.
pub fn snapshot(state: &State) -> Tables {
    let mut tables: Tables = TABLES
        .iter()
        .map(|t| (t.name, Default::default()))
        .collect();
    structure(state, &mut tables);
    records(state, &mut tables);
    credentials(state, &mut tables);
    tables
}

/// Organizations, users and their memberships, groups, teams, projects, boards and grants.
fn structure(state: &State, out: &mut Tables) {
    for (_, o) in state.all_orgs() {
        rows::org(state, o, out);
        for (user, at) in &o.session_resets {
            rows::session_reset(state, o, *user, *at, out);
        }
    }
    for (_, u) in state.all_users() {
        rows::user(u, out);
        for m in &u.orgs {
            rows::membership(state, u, m, out);
        }
    }
    for (_, g) in state.all_groups() {
        rows::group(state, g, out);
        for u in &g.members {
            rows::group_member(state, g, *u, out);
        }
    }
    for (_, t) in state.all_teams() {
        rows::team(state, t, out);
        for (u, role) in &t.members {
            rows::team_member(state, t, *u, *role, out);
        }
        for (g, role) in &t.group_members {
            rows::team_group(state, t, *g, *role, out);
        }
        for u in &t.content_admins {
            rows::team_content_admin(state, t, *u, out);
        }
    }
    for (_, p) in state.all_projects() {
        rows::project(state, p, out);
        for (u, role) in &p.members {
            rows::project_member(state, p, *u, *role, out);
        }
        for (g, role) in &p.groups {
            rows::project_group(state, p, *g, *role, out);
        }
    }
    for (_, b) in state.all_boards() {
        rows::board(state, b, out);
        for (who, role) in &b.grants {
            rows::grant(state, b, who, role, out);
        }
    }
}

/// The organizations' other records: content, invitations, requests, billing groups,
/// legal cases.
fn records(state: &State, out: &mut Tables) {
    for (_, c) in state.all_contents() {
        rows::content(state, c, out);
    }
    for (_, i) in state.all_invitations() {
        rows::invitation(state, i, out);
    }
    for (_, r) in state.all_access_requests() {
        rows::access_request(state, r, out);
    }
    for (_, r) in state.all_join_requests() {
        rows::join_request(state, r, out);
    }
    for (_, r) in state.all_licence_requests() {
        rows::licence_request(state, r, out);
    }
    for (_, r) in state.all_app_requests() {
        rows::app_request(state, r, out);
    }
    for (_, g) in state.all_billing_groups() {
        rows::billing_group(state, g, out);
        for u in &g.members {
            rows::billing_member(state, g, *u, out);
        }
    }
    for (_, c) in state.all_cases() {
        rows::case(state, c, out);
        for h in &c.holds {
            rows::hold(state, c, h, out);
        }
    }
}

/// Tokens, apps, installations, sessions and the OAuth flow's records.
fn credentials(state: &State, out: &mut Tables) {
    for (_, t) in state.all_tokens() {
        rows::token(state, t, out);
    }
    for (_, t) in state.all_services() {
        rows::service(state, t, out);
    }
    for (_, a) in state.all_apps() {
        rows::app(state, a, out);
    }
    for (_, i) in state.all_installations() {
        rows::installation(state, i, out);
    }
    for (_, s) in state.all_sessions() {
        rows::session(state, s, out);
    }
    for (_, c) in state.all_codes() {
        rows::code(state, c, out);
    }
    for (_, r) in state.all_refreshes() {
        rows::refresh(state, r, out);
    }
}
