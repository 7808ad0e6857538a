//! What each event does to the state tables: the same changes `State::apply` makes in
//! memory, cascades included, as SQL. A test replays the scenario files through both
//! backends and compares the tables with the rows of the in-memory state.

use easel_core::event::{Event, Who};
use easel_core::model::BoardState;

use super::{Stmt, Value, opt_int, opt_text, setting_rows, text, wire};

pub(crate) fn st(sql: &'static str, args: Vec<Value>) -> Stmt {
    Stmt { sql, args }
}

pub(crate) fn principal(who: &Who) -> (Value, Value) {
    match who {
        Who::User(u) => (text("user"), text(u.as_str())),
        Who::Group(g) => (text("group"), text(g.as_str())),
    }
}

/// A board's state column.
pub(crate) fn board_state(state: BoardState) -> (&'static str, Option<i64>) {
    match state {
        BoardState::Active => ("active", None),
        BoardState::Trashed(at) => ("trashed", Some(at.millis())),
        BoardState::Purged => ("purged", None),
    }
}

const UPSERT_SETTING: &str =
    "INSERT INTO settings (org_id, team_id, key, value) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (org_id, team_id, key) DO UPDATE SET value = excluded.value";

fn company_settings(org: &str, settings: &easel_core::settings::CompanySettings) -> Vec<Stmt> {
    let mut out = vec![st(
        "DELETE FROM settings WHERE org_id = ?1 AND team_id = ''",
        vec![text(org)],
    )];
    for (key, value) in setting_rows(settings) {
        out.push(st(
            UPSERT_SETTING,
            vec![text(org), text(""), text(key), text(value)],
        ));
    }
    out
}

fn team_settings(team: &str, settings: &easel_core::settings::TeamSettings) -> Vec<Stmt> {
    let mut out = vec![st(
        "DELETE FROM settings WHERE team_id = ?1",
        vec![text(team)],
    )];
    for (key, value) in setting_rows(settings) {
        out.push(st(
            "INSERT INTO settings (org_id, team_id, key, value)
             SELECT org_id, id, ?2, ?3 FROM teams WHERE id = ?1",
            vec![text(team), text(key), text(value)],
        ));
    }
    out
}

/// A project's deletion: its boards stay in the team (purged ones keep the column as it
/// was, as in memory), its members leave.
fn delete_project(project: &str) -> Vec<Stmt> {
    let p = || vec![text(project)];
    vec![
        st(
            "UPDATE boards SET project_id = NULL WHERE project_id = ?1 AND state <> 'purged'",
            p(),
        ),
        st("DELETE FROM project_members WHERE project_id = ?1", p()),
        st("UPDATE projects SET deleted = TRUE WHERE id = ?1", p()),
    ]
}

/// The statements that bring the tables from the state before `event` to the state after.
pub fn statements(event: &Event) -> Vec<Stmt> {
    match event {
        Event::OrgCreated {
            org,
            name,
            plan,
            guard,
        } => {
            let mut out =
                vec![st(
                "INSERT INTO organizations (id, name, plan, guard, owner_id, trash_retention_days,
                 audit_retention_days, app_allowlist_on)
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, NULL, FALSE)",
                vec![
                    text(org.as_str()),
                    text(name.as_str()),
                    wire(plan),
                    Value::Bool(*guard),
                    opt_int(Some(i64::from(easel_core::model::DEFAULT_TRASH_RETENTION_DAYS))),
                ],
            )];
            out.extend(company_settings(org, &Default::default()));
            out
        }
        Event::OrgRenamed { org, name } => vec![st(
            "UPDATE organizations SET name = ?2 WHERE id = ?1",
            vec![text(org.as_str()), text(name.as_str())],
        )],
        Event::PlanChanged { org, plan, guard } => vec![st(
            "UPDATE organizations SET plan = ?2, guard = ?3 WHERE id = ?1",
            vec![text(org.as_str()), wire(plan), Value::Bool(*guard)],
        )],
        Event::OrgOwnerSet { org, owner } => vec![st(
            "UPDATE organizations SET owner_id = ?2 WHERE id = ?1",
            vec![text(org.as_str()), opt_text(owner.as_deref())],
        )],
        Event::CompanySettingsChanged { org, settings } => company_settings(org, settings),
        Event::TrashRetentionSet { org, days } => vec![st(
            "UPDATE organizations SET trash_retention_days = ?2 WHERE id = ?1",
            vec![text(org.as_str()), opt_int(Some(i64::from(*days)))],
        )],
        Event::AuditRetentionSet { org, days } => vec![st(
            "UPDATE organizations SET audit_retention_days = ?2 WHERE id = ?1",
            vec![text(org.as_str()), opt_int(days.map(i64::from))],
        )],
        Event::UserCreated { user, email, name } => vec![st(
            "INSERT INTO users (id, email, name, active, last_active_ms, sessions_reset_ms)
             VALUES (?1, ?2, ?3, TRUE, NULL, NULL)",
            vec![
                text(user.as_str()),
                // As the state keeps it: trimmed, ASCII lower case.
                text(email.trim().to_ascii_lowercase()),
                text(name.as_str()),
            ],
        )],
        Event::UserStatusSet { user, active } => vec![st(
            "UPDATE users SET active = ?2 WHERE id = ?1",
            vec![text(user.as_str()), Value::Bool(*active)],
        )],
        Event::SessionsReset { user, at, org } => match org {
            Some(org) => vec![st(
                "INSERT INTO session_resets (org_id, user_id, at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (org_id, user_id) DO UPDATE SET at_ms = excluded.at_ms",
                vec![
                    text(org.as_str()),
                    text(user.as_str()),
                    opt_int(Some(at.millis())),
                ],
            )],
            None => vec![st(
                "UPDATE users SET sessions_reset_ms = ?2 WHERE id = ?1",
                vec![text(user.as_str()), opt_int(Some(at.millis()))],
            )],
        },
        Event::UserActiveAt { user, at } => vec![st(
            "UPDATE users SET last_active_ms = ?2 WHERE id = ?1",
            vec![text(user.as_str()), opt_int(at.map(|t| t.millis()))],
        )],
        Event::MembershipSet {
            org,
            user,
            kind,
            admin_roles,
            licence,
        } => {
            let key = || vec![text(org.as_str()), text(user.as_str())];
            let mut out = vec![
                st(
                    "INSERT INTO memberships (org_id, user_id, kind, licence, active)
                     VALUES (?1, ?2, ?3, ?4, TRUE)
                     ON CONFLICT (org_id, user_id) DO UPDATE
                     SET kind = excluded.kind, licence = excluded.licence",
                    vec![
                        text(org.as_str()),
                        text(user.as_str()),
                        wire(kind),
                        text(licence.as_str()),
                    ],
                ),
                st(
                    "DELETE FROM admin_roles WHERE org_id = ?1 AND user_id = ?2",
                    key(),
                ),
            ];
            for role in admin_roles {
                let mut args = key();
                args.push(wire(role));
                out.push(st(
                    "INSERT INTO admin_roles (org_id, user_id, role) VALUES (?1, ?2, ?3)
                     ON CONFLICT (org_id, user_id, role) DO NOTHING",
                    args,
                ));
            }
            out
        }
        Event::MembershipActiveSet { org, user, active } => vec![st(
            "UPDATE memberships SET active = ?3 WHERE org_id = ?1 AND user_id = ?2",
            vec![
                text(org.as_str()),
                text(user.as_str()),
                Value::Bool(*active),
            ],
        )],
        Event::MembershipRemoved { org, user } => {
            let key = || vec![text(org.as_str()), text(user.as_str())];
            [
                "DELETE FROM team_members WHERE user_id = ?2
                 AND team_id IN (SELECT id FROM teams WHERE org_id = ?1)",
                "DELETE FROM team_content_admins WHERE user_id = ?2
                 AND team_id IN (SELECT id FROM teams WHERE org_id = ?1)",
                "DELETE FROM project_members WHERE user_id = ?2
                 AND project_id IN (SELECT id FROM projects WHERE org_id = ?1)",
                "DELETE FROM group_members WHERE user_id = ?2
                 AND group_id IN (SELECT id FROM user_groups WHERE org_id = ?1)",
                "DELETE FROM grants WHERE principal_type = 'user' AND principal_id = ?2
                 AND board_id IN (SELECT id FROM boards WHERE org_id = ?1)",
                "DELETE FROM admin_roles WHERE org_id = ?1 AND user_id = ?2",
                "DELETE FROM memberships WHERE org_id = ?1 AND user_id = ?2",
                "UPDATE organizations SET owner_id = NULL WHERE id = ?1 AND owner_id = ?2",
            ]
            .into_iter()
            .map(|sql| st(sql, key()))
            .collect()
        }
        Event::LicenceSet { org, user, licence } => vec![st(
            "UPDATE memberships SET licence = ?3 WHERE org_id = ?1 AND user_id = ?2",
            vec![
                text(org.as_str()),
                text(user.as_str()),
                text(licence.as_str()),
            ],
        )],
        Event::GroupCreated { org, group, name } => vec![st(
            "INSERT INTO user_groups (id, org_id, name, deleted) VALUES (?1, ?2, ?3, FALSE)",
            vec![
                text(group.as_str()),
                text(org.as_str()),
                text(name.as_str()),
            ],
        )],
        Event::GroupRenamed { group, name } => vec![st(
            "UPDATE user_groups SET name = ?2 WHERE id = ?1",
            vec![text(group.as_str()), text(name.as_str())],
        )],
        Event::GroupMemberAdded { group, user } => vec![st(
            "INSERT INTO group_members (group_id, user_id) VALUES (?1, ?2)
             ON CONFLICT (group_id, user_id) DO NOTHING",
            vec![text(group.as_str()), text(user.as_str())],
        )],
        Event::GroupMemberRemoved { group, user } => vec![st(
            "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2",
            vec![text(group.as_str()), text(user.as_str())],
        )],
        Event::GroupDeleted { group } => [
            "DELETE FROM grants WHERE principal_type = 'group' AND principal_id = ?1",
            "DELETE FROM team_groups WHERE group_id = ?1",
            "DELETE FROM group_members WHERE group_id = ?1",
            "UPDATE user_groups SET deleted = TRUE WHERE id = ?1",
        ]
        .into_iter()
        .map(|sql| st(sql, vec![text(group.as_str())]))
        .collect(),
        Event::TeamCreated {
            org,
            team,
            name,
            settings,
        } => {
            let mut out = vec![st(
                "INSERT INTO teams (id, org_id, name, deleted) VALUES (?1, ?2, ?3, FALSE)",
                vec![text(team.as_str()), text(org.as_str()), text(name.as_str())],
            )];
            out.extend(team_settings(team, settings));
            out
        }
        Event::TeamRenamed { team, name } => vec![st(
            "UPDATE teams SET name = ?2 WHERE id = ?1",
            vec![text(team.as_str()), text(name.as_str())],
        )],
        Event::TeamSettingsChanged { team, settings } => team_settings(team, settings),
        Event::TeamMemberSet { team, user, role } => vec![st(
            "INSERT INTO team_members (team_id, user_id, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
            vec![text(team.as_str()), text(user.as_str()), wire(role)],
        )],
        Event::TeamMemberRemoved { team, user } => vec![st(
            "DELETE FROM team_members WHERE team_id = ?1 AND user_id = ?2",
            vec![text(team.as_str()), text(user.as_str())],
        )],
        Event::TeamGroupSet { team, group, role } => vec![st(
            "INSERT INTO team_groups (team_id, group_id, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (team_id, group_id) DO UPDATE SET role = excluded.role",
            vec![text(team.as_str()), text(group.as_str()), wire(role)],
        )],
        Event::TeamGroupRemoved { team, group } => vec![st(
            "DELETE FROM team_groups WHERE team_id = ?1 AND group_id = ?2",
            vec![text(team.as_str()), text(group.as_str())],
        )],
        Event::TeamContentAdminSet { team, user, on } => {
            let sql = if *on {
                "INSERT INTO team_content_admins (team_id, user_id) VALUES (?1, ?2)
                 ON CONFLICT (team_id, user_id) DO NOTHING"
            } else {
                "DELETE FROM team_content_admins WHERE team_id = ?1 AND user_id = ?2"
            };
            vec![st(sql, vec![text(team.as_str()), text(user.as_str())])]
        }
        Event::TeamDeleted { team } => {
            let t = || vec![text(team.as_str())];
            let mut out = vec![
                st(
                    "UPDATE boards SET project_id = NULL WHERE state <> 'purged' AND project_id IN
                     (SELECT id FROM projects WHERE team_id = ?1 AND deleted = FALSE)",
                    t(),
                ),
                st(
                    "DELETE FROM project_members WHERE project_id IN
                     (SELECT id FROM projects WHERE team_id = ?1)",
                    t(),
                ),
                st("UPDATE projects SET deleted = TRUE WHERE team_id = ?1", t()),
            ];
            for sql in [
                "DELETE FROM team_members WHERE team_id = ?1",
                "DELETE FROM team_groups WHERE team_id = ?1",
                "DELETE FROM team_content_admins WHERE team_id = ?1",
                "UPDATE teams SET deleted = TRUE WHERE id = ?1",
            ] {
                out.push(st(sql, t()));
            }
            out
        }
        Event::ProjectCreated {
            project,
            team,
            name,
            private,
        } => vec![st(
            "INSERT INTO projects (id, org_id, team_id, name, private, deleted)
             SELECT ?1, org_id, id, ?3, ?4, FALSE FROM teams WHERE id = ?2",
            vec![
                text(project.as_str()),
                text(team.as_str()),
                text(name.as_str()),
                Value::Bool(*private),
            ],
        )],
        Event::ProjectDetailsSet {
            project,
            name,
            private,
        } => vec![st(
            "UPDATE projects SET name = ?2, private = ?3 WHERE id = ?1",
            vec![
                text(project.as_str()),
                text(name.as_str()),
                Value::Bool(*private),
            ],
        )],
        Event::ProjectMemberSet {
            project,
            user,
            role,
        } => vec![st(
            "INSERT INTO project_members (project_id, user_id, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
            vec![text(project.as_str()), text(user.as_str()), wire(role)],
        )],
        Event::ProjectMemberRemoved { project, user } => vec![st(
            "DELETE FROM project_members WHERE project_id = ?1 AND user_id = ?2",
            vec![text(project.as_str()), text(user.as_str())],
        )],
        Event::ProjectDeleted { project } => delete_project(project),
        other => super::events_board::statements(other),
    }
}
