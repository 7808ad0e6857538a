//! A fixture as events: the state `Given::build` makes is the events that make it, so a
//! fixture can be imported into a store and replayed.

use crate::fixture::{FixtureError, Given, access, invalid, role, time};
use easel_core::catalog::{AdminRole, Plan};
use easel_core::event::{Event, Who, hex};
use easel_core::hash_password;
use easel_core::model::{Licence, LinkDigest};
use easel_core::roles::{MemberKind, TeamRole};
use easel_core::settings::{CompanySettings, TeamSettings};
use easel_core::time::Time;

type Result<T> = std::result::Result<T, FixtureError>;

fn team_role(text: &str) -> Result<TeamRole> {
    TeamRole::parse(text).ok_or_else(|| invalid(format!("bad team role `{text}`")))
}

fn who(text: &str) -> Who {
    match text.strip_prefix("group:") {
        Some(g) => Who::Group(g.to_string()),
        None => Who::User(text.to_string()),
    }
}

impl Given {
    /// The events that build the fixture's state.
    pub fn events(&self) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        for o in &self.org {
            let plan =
                Plan::parse(&o.plan).ok_or_else(|| invalid(format!("bad plan `{}`", o.plan)))?;
            let name = o.name.clone().unwrap_or_else(|| o.id.clone());
            out.push(Event::OrgCreated {
                org: o.id.clone(),
                name,
                plan,
                guard: o.guard,
            });
            if let Some(patch) = &o.settings {
                let settings: CompanySettings =
                    crate::fixture::merge(&CompanySettings::default(), patch)?;
                out.push(Event::CompanySettingsChanged {
                    org: o.id.clone(),
                    settings,
                });
            }
        }
        for u in &self.user {
            let email = u
                .email
                .clone()
                .unwrap_or_else(|| format!("{}@example.test", u.id));
            out.push(Event::UserCreated {
                user: u.id.clone(),
                email,
                name: u.id.clone(),
            });
            match u.status.as_deref() {
                None | Some("active") => {}
                Some("deactivated") => out.push(Event::UserStatusSet {
                    user: u.id.clone(),
                    active: false,
                }),
                Some(other) => return Err(invalid(format!("bad status `{other}`"))),
            }
            if let Some(t) = &u.last_active {
                out.push(Event::UserActiveAt {
                    user: u.id.clone(),
                    at: Some(time(t)?),
                });
            }
            if let Some(t) = &u.sessions_reset {
                out.push(Event::SessionsReset {
                    user: u.id.clone(),
                    at: time(t)?,
                    org: None,
                });
            }
        }
        for m in &self.member {
            let kind = match m.kind.as_deref() {
                None => MemberKind::Member,
                Some(k) => {
                    MemberKind::parse(k).ok_or_else(|| invalid(format!("bad kind `{k}`")))?
                }
            };
            let roles = m
                .admin_roles
                .iter()
                .map(|r| {
                    AdminRole::parse(r).ok_or_else(|| invalid(format!("bad admin role `{r}`")))
                })
                .collect::<Result<Vec<_>>>()?;
            for user in &m.users {
                out.push(Event::MembershipSet {
                    org: m.org.clone(),
                    user: user.clone(),
                    kind,
                    admin_roles: roles.clone(),
                    licence: Licence::Full,
                });
                if !m.active {
                    out.push(Event::MembershipActiveSet {
                        org: m.org.clone(),
                        user: user.clone(),
                        active: false,
                    });
                }
            }
        }
        for o in &self.org {
            if let Some(owner) = &o.owner {
                out.push(Event::OrgOwnerSet {
                    org: o.id.clone(),
                    owner: Some(owner.clone()),
                });
            }
        }
        for g in &self.group {
            out.push(Event::GroupCreated {
                org: g.org.clone(),
                group: g.id.clone(),
                name: g.id.clone(),
                description: String::new(),
            });
            for m in &g.members {
                out.push(Event::GroupMemberAdded {
                    group: g.id.clone(),
                    user: m.clone(),
                });
            }
        }
        for t in &self.team {
            let settings = match &t.settings {
                Some(patch) => crate::fixture::merge(&TeamSettings::default(), patch)?,
                None => TeamSettings::default(),
            };
            out.push(Event::TeamCreated {
                org: t.org.clone(),
                team: t.id.clone(),
                name: t.id.clone(),
                settings,
            });
            for (u, r) in &t.members {
                out.push(Event::TeamMemberSet {
                    team: t.id.clone(),
                    user: u.clone(),
                    role: team_role(r)?,
                });
            }
            for (g, r) in &t.groups {
                out.push(Event::TeamGroupSet {
                    team: t.id.clone(),
                    group: g.clone(),
                    role: team_role(r)?,
                });
            }
            for u in &t.content_admins {
                out.push(Event::TeamContentAdminSet {
                    team: t.id.clone(),
                    user: u.clone(),
                    on: true,
                });
            }
        }
        for p in &self.project {
            out.push(Event::ProjectCreated {
                project: p.id.clone(),
                team: p.team.clone(),
                name: p.id.clone(),
                private: p.private,
            });
            for (u, r) in &p.members {
                out.push(Event::ProjectMemberSet {
                    project: p.id.clone(),
                    user: u.clone(),
                    role: role(r)?,
                });
            }
            for (g, r) in &p.groups {
                out.push(Event::ProjectGroupSet {
                    project: p.id.clone(),
                    group: g.clone(),
                    role: role(r)?,
                });
            }
        }
        for b in &self.board {
            out.push(Event::BoardCreated {
                board: b.id.clone(),
                team: b.team.clone(),
                project: b.project.clone(),
                owner: b.owner.clone(),
                name: b.id.clone(),
                team_access: access(b.team_access.as_deref())?,
                company_access: access(b.company_access.as_deref())?,
                public_access: access(b.public_access.as_deref())?,
                content: b.content.unwrap_or_default(),
                description: String::new(),
                stamp: None,
            });
            for (w, r) in &b.members {
                out.push(Event::GrantSet {
                    board: b.id.clone(),
                    to: who(w),
                    role: role(r)?,
                });
            }
            if let Some(link) = &b.link {
                out.push(Event::BoardLinkSet {
                    board: b.id.clone(),
                    digest: Some(hex(&LinkDigest::of(link).bytes())),
                });
            }
            if let Some(pw) = &b.password {
                out.push(Event::BoardPasswordSet {
                    board: b.id.clone(),
                    hash: Some(hash_password(pw, crate::ENTROPY).map_err(invalid)?),
                });
            }
            out.push(Event::BoardRetainedSet {
                board: b.id.clone(),
                retained: b.retained,
            });
            out.push(Event::BoardTemplateSet {
                board: b.id.clone(),
                template: b.template,
            });
            out.push(Event::BoardClassified {
                board: b.id.clone(),
                label: b.classification.clone(),
            });
            match b.state.as_deref() {
                None | Some("active") => {}
                Some("trashed") => {
                    let at = time(b.trashed_at.as_deref().unwrap_or("day 0"))?;
                    out.push(Event::BoardTrashed {
                        board: b.id.clone(),
                        at,
                    });
                }
                Some(other) => return Err(invalid(format!("bad board state `{other}`"))),
            }
        }
        for c in &self.case {
            out.push(Event::CaseCreated {
                org: c.org.clone(),
                case: c.id.clone(),
                name: c.id.clone(),
                description: String::new(),
                by: None,
                at: Time::default(),
            });
            for h in &c.holds {
                out.push(Event::HoldAdded {
                    case: c.id.clone(),
                    hold: h.id.clone(),
                    users: h.users.clone(),
                    name: h.id.clone(),
                    description: String::new(),
                    by: None,
                    at: Time::default(),
                });
                if h.released {
                    out.push(Event::HoldReleased {
                        case: c.id.clone(),
                        hold: h.id.clone(),
                    });
                }
            }
        }
        self.credential_events(&mut out)?;
        Ok(out)
    }
}
