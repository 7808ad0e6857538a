//! Bulk data in JSON lines (API.md, "Bulk data"): one record a line, `type` first, in
//! dependency order. Importing turns records into events; exporting writes the state back
//! as records, so an export of an import gives back the same records.

use std::io::BufRead;

use easel_core::State;
use easel_core::catalog::{AdminRole, Plan};
use easel_core::event::{Event, Who};
use easel_core::model::{BoardState, Grantee, Licence};
use easel_core::roles::{Access, BoardRole, MemberKind, TeamRole};
use easel_core::settings::{CompanySettings, ContentSettings, TeamSettings};
use serde::{Deserialize, Serialize};

/// One record of the format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Record {
    /// An organization.
    Organization {
        /// Id.
        id: String,
        /// Name.
        name: String,
        /// Plan.
        plan: Plan,
        /// The Guard add-on.
        #[serde(default, skip_serializing_if = "is_false")]
        guard: bool,
    },
    /// A user identity.
    User {
        /// Id.
        id: String,
        /// Email.
        email: String,
        /// Name.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
    },
    /// A membership.
    OrgMember {
        /// Organization.
        org: String,
        /// User.
        user: String,
        /// `member` or `guest`.
        kind: MemberKind,
        /// Admin roles.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        admin_roles: Vec<AdminRole>,
        /// False for a member deactivated in the organization (a restore keeps them
        /// suspended).
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        active: bool,
    },
    /// What the organization's directory (SCIM) says of a member: external id, names,
    /// addresses, enterprise attributes, and when it was made and last changed.
    MemberProfile {
        /// Organization.
        org: String,
        /// User.
        user: String,
        /// The profile.
        profile: Box<easel_core::model::Profile>,
    },
    /// An organization's account owner.
    OrgOwner {
        /// Organization.
        org: String,
        /// User.
        user: String,
    },
    /// An organization's company settings (the whole value).
    CompanySettings {
        /// Organization.
        org: String,
        /// Settings.
        settings: CompanySettings,
    },
    /// A user group.
    Group {
        /// Id.
        id: String,
        /// Organization.
        org: String,
        /// Name.
        name: String,
    },
    /// A group's member.
    GroupMember {
        /// Group.
        group: String,
        /// User.
        user: String,
    },
    /// A team.
    Team {
        /// Id.
        id: String,
        /// Organization.
        org: String,
        /// Name.
        name: String,
        /// Settings (defaults when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        settings: Option<TeamSettings>,
    },
    /// A team's member.
    TeamMember {
        /// Team.
        team: String,
        /// User.
        user: String,
        /// `admin` or `member`.
        role: TeamRole,
    },
    /// A group's membership of a team.
    TeamGroup {
        /// Team.
        team: String,
        /// Group.
        group: String,
        /// `admin` or `member`.
        role: TeamRole,
    },
    /// A team content admin.
    TeamContentAdmin {
        /// Team.
        team: String,
        /// User.
        user: String,
    },
    /// A project.
    Project {
        /// Id.
        id: String,
        /// Team.
        team: String,
        /// Name.
        name: String,
        /// Private.
        #[serde(default, skip_serializing_if = "is_false")]
        private: bool,
    },
    /// A project's member.
    ProjectMember {
        /// Project.
        project: String,
        /// User.
        user: String,
        /// Role.
        role: BoardRole,
    },
    /// A board.
    Board {
        /// Id.
        id: String,
        /// Team.
        team: String,
        /// Project.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        project: Option<String>,
        /// Owner.
        owner: String,
        /// Name.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        /// Team access (`private` for none).
        team_access: Access,
        /// Company access.
        organization_access: Access,
        /// Public-link access.
        public_access: Access,
        /// Content settings (defaults when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<ContentSettings>,
    },
    /// A board's direct member (co-owners are members with role `coowner`).
    BoardMember {
        /// Board.
        board: String,
        /// User (or `group` instead).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<String>,
        /// Group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        /// Role.
        role: BoardRole,
    },
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why an import was refused. Nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A line is not a record of the format.
    #[error("line {line}: {message}")]
    BadLine {
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("reading: {0}")]
    Read(String),
}

/// The most bytes one line may hold.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads records, turning each into events against a scratch copy of `state` so that every
/// line is checked where it stands; records for ids that already exist with the same
/// content are skipped (importing twice changes nothing). Returns the events to commit.
pub fn import(state: &State, input: impl BufRead) -> Result<Vec<Event>, ImportError> {
    let mut scratch = state.clone();
    let mut events = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let number = i + 1;
        let line = line.map_err(|e| ImportError::Read(e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| ImportError::BadLine {
            line: number,
            message,
        };
        if line.len() > MAX_LINE_BYTES {
            return Err(bad(format!("longer than {MAX_LINE_BYTES} bytes")));
        }
        let record: Record = serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
        for event in events_of(&scratch, &record) {
            scratch.apply(&event).map_err(|e| bad(e.to_string()))?;
            events.push(event);
        }
    }
    Ok(events)
}

/// The events a record stands for, or none when the state already holds it.
fn events_of(state: &State, record: &Record) -> Vec<Event> {
    match record.clone() {
        Record::Organization {
            id,
            name,
            plan,
            guard,
        } => {
            if state.find_org(&id).is_some() {
                return vec![];
            }
            vec![Event::OrgCreated {
                org: id,
                name,
                plan,
                guard,
            }]
        }
        Record::User { id, email, name } => {
            if state.find_user(&id).is_some() {
                return vec![];
            }
            vec![Event::UserCreated {
                user: id,
                email,
                name,
            }]
        }
        Record::OrgMember {
            org,
            user,
            kind,
            admin_roles,
            active,
        } => {
            let licence = if kind == MemberKind::Guest {
                Licence::Free
            } else {
                Licence::Full
            };
            let held = state
                .find_user(&user)
                .zip(state.find_org(&org))
                .and_then(|(u, o)| state.membership(u, o));
            let same = held.is_some_and(|m| {
                m.kind == kind && m.admin_roles == admin_roles.iter().copied().collect()
            });
            let mut events = Vec::new();
            if !same {
                events.push(Event::MembershipSet {
                    org: org.clone(),
                    user: user.clone(),
                    kind,
                    admin_roles,
                    licence,
                });
            }
            if held.is_none_or(|m| m.active) != active {
                events.push(Event::MembershipActiveSet { org, user, active });
            }
            events
        }
        Record::MemberProfile { org, user, profile } => {
            let same = state
                .find_org(&org)
                .and_then(|o| state.org(o))
                .zip(state.find_user(&user))
                .and_then(|(o, u)| o.profiles.get(&u))
                == Some(&*profile);
            if same {
                return vec![];
            }
            vec![Event::MemberProfileSet { org, user, profile }]
        }
        Record::OrgOwner { org, user } => {
            let same = state
                .find_org(&org)
                .and_then(|o| state.org(o))
                .and_then(|o| o.owner)
                == state.find_user(&user);
            if same && state.find_user(&user).is_some() {
                return vec![];
            }
            vec![Event::OrgOwnerSet {
                org,
                owner: Some(user),
            }]
        }
        Record::CompanySettings { org, settings } => {
            if state
                .find_org(&org)
                .and_then(|o| state.org(o))
                .is_some_and(|o| o.settings == settings)
            {
                return vec![];
            }
            vec![Event::CompanySettingsChanged { org, settings }]
        }
        Record::Group { id, org, name } => {
            if state.find_group(&id).is_some() {
                return vec![];
            }
            vec![Event::GroupCreated {
                org,
                group: id,
                name,
                description: String::new(),
            }]
        }
        Record::GroupMember { group, user } => {
            let member = state
                .find_group(&group)
                .and_then(|g| state.group(g))
                .zip(state.find_user(&user));
            if member.is_some_and(|(g, u)| g.members.contains(&u)) {
                return vec![];
            }
            vec![Event::GroupMemberAdded { group, user }]
        }
        Record::Team {
            id,
            org,
            name,
            settings,
        } => {
            // The record carries the whole settings value, defaults when absent (as export
            // writes it), so a team already there takes the record's settings.
            let settings = settings.unwrap_or_default();
            let Some(found) = state.find_team(&id) else {
                return vec![Event::TeamCreated {
                    org,
                    team: id,
                    name,
                    settings,
                }];
            };
            // A deleted team is left as it is: re-importing does not bring it back.
            let unchanged = state
                .team(found)
                .is_none_or(|t| t.deleted || t.settings == settings);
            if unchanged {
                return vec![];
            }
            vec![Event::TeamSettingsChanged { team: id, settings }]
        }
        Record::TeamMember { team, user, role } => {
            let held = state
                .find_team(&team)
                .zip(state.find_user(&user))
                .and_then(|(t, u)| state.direct_team_role(t, u));
            if held == Some(role) {
                return vec![];
            }
            vec![Event::TeamMemberSet { team, user, role }]
        }
        Record::TeamGroup { team, group, role } => {
            let held = state
                .find_team(&team)
                .and_then(|t| state.team(t))
                .zip(state.find_group(&group))
                .and_then(|(t, g)| {
                    t.group_members
                        .iter()
                        .find(|(x, _)| *x == g)
                        .map(|(_, r)| *r)
                });
            if held == Some(role) {
                return vec![];
            }
            vec![Event::TeamGroupSet { team, group, role }]
        }
        Record::TeamContentAdmin { team, user } => {
            let held = state
                .find_team(&team)
                .and_then(|t| state.team(t))
                .zip(state.find_user(&user));
            if held.is_some_and(|(t, u)| t.content_admins.contains(&u)) {
                return vec![];
            }
            vec![Event::TeamContentAdminSet {
                team,
                user,
                on: true,
            }]
        }
        Record::Project {
            id,
            team,
            name,
            private,
        } => {
            if state.find_project(&id).is_some() {
                return vec![];
            }
            vec![Event::ProjectCreated {
                project: id,
                team,
                name,
                private,
            }]
        }
        Record::ProjectMember {
            project,
            user,
            role,
        } => {
            let held = state
                .find_project(&project)
                .and_then(|p| state.project(p))
                .zip(state.find_user(&user))
                .and_then(|(p, u)| p.members.iter().find(|(x, _)| *x == u).map(|(_, r)| *r));
            if held == Some(role) {
                return vec![];
            }
            vec![Event::ProjectMemberSet {
                project,
                user,
                role,
            }]
        }
        Record::Board {
            id,
            team,
            project,
            owner,
            name,
            team_access,
            organization_access,
            public_access,
            content,
        } => {
            if state.find_board(&id).is_some() {
                return vec![];
            }
            vec![Event::BoardCreated {
                board: id,
                team,
                project,
                owner,
                name,
                team_access,
                company_access: organization_access,
                public_access,
                content: content.unwrap_or_default(),
                description: String::new(),
                stamp: None,
            }]
        }
        Record::BoardMember {
            board,
            user,
            group,
            role,
        } => {
            let to = match (user, group) {
                (Some(u), None) => Who::User(u),
                (None, Some(g)) => Who::Group(g),
                // Malformed: let the state refuse it with a clear message.
                (u, g) => Who::User(format!(
                    "{}{}",
                    u.unwrap_or_default(),
                    g.unwrap_or_default()
                )),
            };
            let held = state
                .find_board(&board)
                .and_then(|b| state.board(b))
                .and_then(|b| match &to {
                    Who::User(u) => state.find_user(u).and_then(|u| b.grant(Grantee::User(u))),
                    Who::Group(g) => state.find_group(g).and_then(|g| b.grant(Grantee::Group(g))),
                });
            if held == Some(role) {
                return vec![];
            }
            vec![Event::GrantSet { board, to, role }]
        }
    }
}

/// The state as records, in dependency order. Trashed and purged boards are left out (the
/// format describes what is in use), as are apps, tokens, sessions, cases and content.
pub fn export(state: &State) -> Vec<Record> {
    let mut out = Vec::new();
    for (_, o) in state.all_orgs() {
        out.push(Record::Organization {
            id: o.id.to_string(),
            name: o.name.clone(),
            plan: o.plan,
            guard: o.guard,
        });
    }
    for (_, u) in state.all_users() {
        out.push(Record::User {
            id: u.id.to_string(),
            email: u.email.to_string(),
            name: u.name.clone(),
        });
    }
    let org_id = |o| state.org(o).map(|o| o.id.to_string()).unwrap_or_default();
    let user_id = |u| state.user(u).map(|u| u.id.to_string()).unwrap_or_default();
    for (_, u) in state.all_users() {
        for m in &u.orgs {
            out.push(Record::OrgMember {
                org: org_id(m.org),
                user: u.id.to_string(),
                kind: m.kind,
                admin_roles: m.admin_roles.iter().collect(),
                active: m.active,
            });
        }
    }
    for (_, o) in state.all_orgs() {
        for (u, profile) in &o.profiles {
            out.push(Record::MemberProfile {
                org: o.id.to_string(),
                user: user_id(*u),
                profile: Box::new(profile.clone()),
            });
        }
    }
    for (ox, o) in state.all_orgs() {
        if let Some(owner) = o.owner {
            out.push(Record::OrgOwner {
                org: org_id(ox),
                user: user_id(owner),
            });
        }
        if o.settings != CompanySettings::default() {
            out.push(Record::CompanySettings {
                org: org_id(ox),
                settings: o.settings.clone(),
            });
        }
    }
    for (_, g) in state.all_groups().filter(|(_, g)| !g.deleted) {
        out.push(Record::Group {
            id: g.id.to_string(),
            org: org_id(g.org),
            name: g.name.clone(),
        });
        for m in &g.members {
            out.push(Record::GroupMember {
                group: g.id.to_string(),
                user: user_id(*m),
            });
        }
    }
    for (_, t) in state.all_teams().filter(|(_, t)| !t.deleted) {
        let settings = (t.settings != TeamSettings::default()).then(|| t.settings.clone());
        out.push(Record::Team {
            id: t.id.to_string(),
            org: org_id(t.org),
            name: t.name.clone(),
            settings,
        });
        // In the order they joined: the oldest admin inherits a removed member's boards.
        for u in &t.joined {
            let Some(role) = t
                .members
                .binary_search_by_key(u, |(m, _)| *m)
                .ok()
                .map(|i| t.members[i].1)
            else {
                continue;
            };
            out.push(Record::TeamMember {
                team: t.id.to_string(),
                user: user_id(*u),
                role,
            });
        }
        for (g, role) in &t.group_members {
            let group = state
                .group(*g)
                .map(|g| g.id.to_string())
                .unwrap_or_default();
            out.push(Record::TeamGroup {
                team: t.id.to_string(),
                group,
                role: *role,
            });
        }
        for u in &t.content_admins {
            out.push(Record::TeamContentAdmin {
                team: t.id.to_string(),
                user: user_id(*u),
            });
        }
    }
    for (_, p) in state.all_projects().filter(|(_, p)| !p.deleted) {
        let team = state
            .team(p.team)
            .map(|t| t.id.to_string())
            .unwrap_or_default();
        out.push(Record::Project {
            id: p.id.to_string(),
            team,
            name: p.name.clone(),
            private: p.private,
        });
        for (u, role) in &p.members {
            out.push(Record::ProjectMember {
                project: p.id.to_string(),
                user: user_id(*u),
                role: *role,
            });
        }
    }
    for (_, b) in state
        .all_boards()
        .filter(|(_, b)| b.state == BoardState::Active)
    {
        out.push(Record::Board {
            id: b.id.to_string(),
            team: state
                .team(b.team)
                .map(|t| t.id.to_string())
                .unwrap_or_default(),
            project: b
                .project
                .and_then(|p| state.project(p))
                .map(|p| p.id.to_string()),
            owner: user_id(b.owner),
            name: b.name.to_string(),
            team_access: b.team_access,
            organization_access: b.company_access,
            public_access: b.public_access,
            content: (b.content != ContentSettings::default()).then_some(b.content),
        });
        for (grantee, role) in &b.grants {
            let (user, group) = match grantee {
                Grantee::User(u) => (Some(user_id(u)), None),
                Grantee::Group(g) => (None, state.group(g).map(|g| g.id.to_string())),
            };
            out.push(Record::BoardMember {
                board: b.id.to_string(),
                user,
                group,
                role,
            });
        }
    }
    out
}

/// Writes records as JSON lines.
pub fn write(records: &[Record], mut out: impl std::io::Write) -> std::io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
