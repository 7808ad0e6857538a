//! The effective board role (MODEL.md §3): every channel, what it gives, and what a setting
//! or the plan suspends. Decisions, explanations and lookups all come through here.

use super::Ctx;
use super::trace::Trace;
use crate::catalog::{AdminRole, Feature};
use crate::codes::Code;
use crate::decision::{Channel, Reason, Via};
use crate::entropy::Entropy;
use crate::ids::BoardIx;
use crate::model::{Board, Grantee};
use crate::request::Request;
use crate::roles::{Access, BoardRole};
use crate::settings::{TeamSettings, effective_coowners, effective_public_link};

/// What the channels give a subject on a board.
#[derive(Default)]
pub(crate) struct Roles {
    /// The highest role any channel gives.
    pub best: Option<BoardRole>,
    /// The channels that give it.
    pub reasons: Vec<Reason>,
    /// Every channel that gives some role, when asked for (`want_all`).
    pub all: Vec<Reason>,
    /// The highest role a suspended channel would give, and the code of what suspends it.
    pub suspended: Option<(BoardRole, Code)>,
    /// Why a presented link gave nothing, if it did not.
    pub link_problem: Option<Code>,
    want_all: bool,
}

impl Roles {
    pub fn collecting_all() -> Roles {
        Roles {
            want_all: true,
            ..Roles::default()
        }
    }

    fn give(&mut self, channel: Channel, via: Via, role: BoardRole) {
        let reason = Reason {
            channel,
            via,
            role: Some(role),
        };
        if self.want_all {
            self.all.push(reason);
        }
        match self.best {
            Some(best) if best > role => {}
            Some(best) if best == role => self.reasons.push(reason),
            _ => {
                self.best = Some(role);
                self.reasons.clear();
                self.reasons.push(reason);
            }
        }
    }

    fn suspend(&mut self, would: BoardRole, code: Code) {
        if self.suspended.is_none_or(|(r, _)| would > r) {
            self.suspended = Some((would, code));
        }
    }
}

/// The team access a board gives, with the free plan's rule that every board is shared with
/// its whole team (editor when nothing else is set).
fn team_access(ctx: &Ctx, board: &Board) -> Access {
    if board.team_access == Access::None && !ctx.has(Feature::TeamSharingOptional) {
        Access::Editor
    } else {
        board.team_access
    }
}

/// A granted role as it acts now: co-owner acts as editor while co-owners are off.
fn coowner_cap(role: BoardRole, coowners_on: bool) -> BoardRole {
    if role == BoardRole::Coowner && !coowners_on {
        BoardRole::Editor
    } else {
        role
    }
}

pub(crate) fn evaluate<T: Trace>(
    ctx: &Ctx,
    bix: BoardIx,
    board: &Board,
    mut roles: Roles,
    trace: &mut T,
) -> Roles {
    let state = ctx.state;
    let team_settings: &TeamSettings = match state.team(board.team) {
        Some(t) => &t.settings,
        None => return roles,
    };
    let coowners_on = ctx.has(Feature::Coowners) && effective_coowners(ctx.company, team_settings);
    let coowner_code = if ctx.has(Feature::Coowners) {
        Code::PolicyCoownersDisabled
    } else {
        Code::PlanFeatureUnavailable
    };

    if let (Some((uix, user)), Some(_)) = (ctx.user, ctx.membership) {
        // Owner.
        if board.owner == uix {
            roles.give(Channel::Owner, Via::User(uix), BoardRole::Owner);
            trace.channel(
                Channel::Owner,
                Some(Via::User(uix)),
                Some(BoardRole::Owner),
                || "owns the board".into(),
            );
        } else {
            trace.channel(Channel::Owner, None, None, || "is not the owner".into());
        }

        // Direct grant (co-owners are direct grants of coowner).
        match board.grant(Grantee::User(uix)) {
            Some(granted) => {
                let channel = if granted == BoardRole::Coowner {
                    Channel::Coowner
                } else {
                    Channel::Direct
                };
                let acts = coowner_cap(granted, coowners_on);
                if acts < granted {
                    roles.suspend(granted, coowner_code);
                }
                roles.give(channel, Via::User(uix), acts);
                trace.channel(channel, Some(Via::User(uix)), Some(acts), || {
                    if acts < granted {
                        format!("invited as {granted}; acts as {acts} while co-owners are off")
                    } else {
                        format!("invited as {granted}")
                    }
                });
            }
            None => trace.channel(Channel::Direct, None, None, || {
                "not invited directly".into()
            }),
        }

        // Groups containing the user.
        let mut any_group = false;
        for (g, granted) in board.group_grants() {
            if user.groups.binary_search(&g).is_err() {
                continue;
            }
            any_group = true;
            let acts = coowner_cap(granted, coowners_on);
            if acts < granted {
                roles.suspend(granted, coowner_code);
            }
            roles.give(Channel::Group, Via::Group(g), acts);
            trace.channel(Channel::Group, Some(Via::Group(g)), Some(acts), || {
                format!("a group of the user is invited as {granted}")
            });
        }
        if !any_group {
            trace.channel(Channel::Group, None, None, || {
                "no group of the user is invited".into()
            });
        }

        // Team.
        let access = team_access(ctx, board);
        if ctx.is_guest() {
            trace.channel(Channel::Team, None, None, || {
                "guests never reach boards through the team".into()
            });
        } else if ctx.team_role(board.team).is_none() {
            trace.channel(Channel::Team, None, None, || {
                "not a member of the board's team".into()
            });
        } else if let Some(role) = access.role() {
            if team_settings.team_and_company_sharing.team {
                roles.give(Channel::Team, Via::Team(board.team), role);
                trace.channel(
                    Channel::Team,
                    Some(Via::Team(board.team)),
                    Some(role),
                    || format!("the board gives its team {role}"),
                );
            } else {
                roles.suspend(role, Code::PolicyTeamSharingDisabled);
                trace.channel(Channel::Team, Some(Via::Team(board.team)), None, || {
                    format!("team access ({role}) is suspended: the team turned team sharing off")
                });
            }
        } else {
            trace.channel(Channel::Team, Some(Via::Team(board.team)), None, || {
                "the board is not shared with its team".into()
            });
        }

        // Project: the user's own project role, and the role of each of their groups
        // assigned to the project; each is a reason of its own.
        match board.project {
            Some(p) => {
                let direct = crate::ids::lookup(&user.projects, &p).map(|r| (Via::Project(p), r));
                let groups = state
                    .project(p)
                    .into_iter()
                    .flat_map(|x| x.groups.iter())
                    .filter(|(g, _)| user.groups.binary_search(g).is_ok())
                    .map(|(g, r)| (Via::Group(*g), *r));
                let mut any = false;
                for (via, project_role) in direct.into_iter().chain(groups) {
                    any = true;
                    let granted = project_role.min(BoardRole::Coowner);
                    if !ctx.has(Feature::Projects) {
                        roles.suspend(granted, Code::PlanFeatureUnavailable);
                        trace.channel(Channel::Project, Some(via), None, || {
                            "projects are not on the plan".into()
                        });
                        continue;
                    }
                    let acts = coowner_cap(granted, coowners_on);
                    if acts < granted {
                        roles.suspend(granted, coowner_code);
                    }
                    roles.give(Channel::Project, via, acts);
                    trace.channel(Channel::Project, Some(via), Some(acts), || match via {
                        Via::Group(_) => {
                            format!("a group of the user has project role {project_role}")
                        }
                        _ => format!("project role {project_role}"),
                    });
                }
                if !any {
                    trace.channel(Channel::Project, None, None, || {
                        "not a member of the board's project, nor in a group assigned to it".into()
                    });
                }
            }
            None => trace.channel(Channel::Project, None, None, || {
                "the board is in no project".into()
            }),
        }

        // Company.
        if ctx.is_guest() {
            trace.channel(Channel::Company, None, None, || {
                "guests never reach boards through the company".into()
            });
        } else if let Some(role) = board.company_access.role() {
            let via = Via::Org(board.org);
            if !ctx.has(Feature::CompanySharing) {
                roles.suspend(role, Code::PlanFeatureUnavailable);
                trace.channel(Channel::Company, Some(via), None, || {
                    "company sharing is not on the plan".into()
                });
            } else if !team_settings.team_and_company_sharing.company {
                roles.suspend(role, Code::PolicyCompanySharingDisabled);
                trace.channel(Channel::Company, Some(via), None, || {
                    format!(
                        "company access ({role}) is suspended: the team turned company sharing off"
                    )
                });
            } else {
                roles.give(Channel::Company, via, role);
                trace.channel(Channel::Company, Some(via), Some(role), || {
                    format!("the board gives the company {role}")
                });
            }
        } else {
            trace.channel(Channel::Company, None, None, || {
                "the board is not shared with the company".into()
            });
        }

        // Admin: content access for content admins, team content admins of the board's
        // team, and company admins while extended content admin is on. Never ownership.
        let admin_via = if !ctx.is_full_member() || !ctx.has(Feature::AdminRoles) {
            None
        } else if ctx.org_roles.contains(AdminRole::ContentAdmin) {
            Some(Via::Privilege(crate::catalog::Privilege::BoardsEditAll))
        } else if ctx.is_team_content_admin(board.team) {
            Some(Via::Team(board.team))
        } else if ctx.is_company_admin() && ctx.company.extended_content_admin {
            Some(Via::Org(board.org))
        } else {
            None
        };
        match admin_via {
            Some(via) => {
                roles.give(Channel::Admin, via, BoardRole::Editor);
                trace.channel(Channel::Admin, Some(via), Some(BoardRole::Editor), || {
                    "content admin access: editor-level, never ownership".into()
                });
            }
            None => trace.channel(Channel::Admin, None, None, || {
                "holds no content admin access here".into()
            }),
        }
    } else {
        trace.channel(Channel::Owner, None, None, || {
            "not an active member of the organization: only a public link can reach the board"
                .into()
        });
    }

    public_link(ctx, bix, board, team_settings, &mut roles, trace);
    roles
}

fn public_link<T: Trace>(
    ctx: &Ctx,
    bix: BoardIx,
    board: &Board,
    team: &TeamSettings,
    roles: &mut Roles,
    trace: &mut T,
) {
    let Some(presented) = ctx.req.link else {
        trace.channel(Channel::PublicLink, None, None, || {
            "no link presented".into()
        });
        return;
    };
    let via = Via::Board(bix);
    if !link_matches(board, presented) {
        roles.link_problem = Some(Code::AuthorityLinkInvalid);
        trace.channel(Channel::PublicLink, Some(via), None, || {
            "the link presented is not the board's current link".into()
        });
        return;
    }
    let Some(granted) = board.public_access.role() else {
        trace.channel(Channel::PublicLink, Some(via), None, || {
            "the board's public link is off".into()
        });
        return;
    };
    if let Some(code) = password_problem(ctx.req, board) {
        roles.link_problem = Some(code);
        trace.channel(Channel::PublicLink, Some(via), None, || {
            "the board password was not given correctly".into()
        });
        return;
    }
    let ceiling = effective_public_link(ctx.company, team).ceiling();
    match ceiling.role().map(|c| granted.min(c)) {
        Some(acts) => {
            if acts < granted {
                roles.suspend(granted, Code::PolicyPublicLinkDisabled);
            }
            roles.give(Channel::PublicLink, via, acts);
            trace.channel(Channel::PublicLink, Some(via), Some(acts), || {
                if acts < granted {
                    format!("link gives {granted}, capped at {acts} by public_link_sharing")
                } else {
                    format!("link gives {granted}")
                }
            });
        }
        None => {
            roles.suspend(granted, Code::PolicyPublicLinkDisabled);
            trace.channel(Channel::PublicLink, Some(via), None, || {
                format!("link ({granted}) is suspended: public links are off")
            });
        }
    }
}

/// Whether `presented` is the board's current link.
fn link_matches(board: &Board, presented: &str) -> bool {
    board.link().is_some_and(|digest| digest.matches(presented))
}

/// What is wrong with the password given for a board, if the board has one.
fn password_problem(req: &Request, board: &Board) -> Option<Code> {
    let hash = board.password()?;
    match req.password {
        None => Some(Code::AuthorityPasswordRequired),
        Some(given) if !password_matches(hash, given) => Some(Code::AuthorityPasswordIncorrect),
        Some(_) => None,
    }
}

/// Whether the request presents the board's current link, and its password when one is
/// set: when the public-link channel applies (MODEL.md §3), whatever role it gives.
pub(crate) fn link_presented(req: &Request, board: &Board) -> bool {
    req.link.is_some_and(|link| link_matches(board, link)) && password_problem(req, board).is_none()
}

/// Checks a board password against its argon2 hash.
fn password_matches(hash: &str, given: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(given.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Hashes a board password for storage (argon2id), salted from the caller's entropy.
pub fn hash_password(password: &str, entropy: Entropy) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(entropy.salt()).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}
