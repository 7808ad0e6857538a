//! The answer to a question: a value, never an error. Allowed with the role and the grants
//! that carried it, or refused with the layer, a stable code and the facts behind it.

use std::fmt;

use crate::action::Action;
use crate::catalog::{Capability, Feature, Privilege, ScopeSet, SettingKey};
use crate::codes::{Code, Layer};
use crate::ids::{BoardIx, GroupIx, OrgIx, ProjectIx, TeamIx, UserIx};
use crate::roles::BoardRole;
use crate::state::State;

/// A way a user reaches a board (MODEL.md §3), or an admin privilege that carried a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// The user owns the board.
    Owner,
    /// The user is a co-owner (a direct grant of `coowner`).
    Coowner,
    /// The user was invited to the board.
    Direct,
    /// A user group containing the user was invited.
    Group,
    /// The board's team access.
    Team,
    /// The board's project, at the user's project role.
    Project,
    /// The board's company access.
    Company,
    /// The board's public link.
    PublicLink,
    /// Content-admin access to every board in scope.
    Admin,
    /// An admin privilege (for actions decided by privileges).
    Privilege,
    /// A team role (team admin or member).
    TeamRole,
    /// Membership of the organization.
    Membership,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 12] = [
        Channel::Owner,
        Channel::Coowner,
        Channel::Direct,
        Channel::Group,
        Channel::Team,
        Channel::Project,
        Channel::Company,
        Channel::PublicLink,
        Channel::Admin,
        Channel::Privilege,
        Channel::TeamRole,
        Channel::Membership,
    ];

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Owner => "owner",
            Channel::Coowner => "coowner",
            Channel::Direct => "direct",
            Channel::Group => "group",
            Channel::Team => "team",
            Channel::Project => "project",
            Channel::Company => "company",
            Channel::PublicLink => "public_link",
            Channel::Admin => "admin",
            Channel::Privilege => "privilege",
            Channel::TeamRole => "team_role",
            Channel::Membership => "membership",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The entity a reason goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// A user (owner, direct grant).
    User(UserIx),
    /// A user group.
    Group(GroupIx),
    /// A team.
    Team(TeamIx),
    /// A project.
    Project(ProjectIx),
    /// An organization.
    Org(OrgIx),
    /// A board (its public link).
    Board(BoardIx),
    /// An admin privilege.
    Privilege(Privilege),
}

impl Via {
    /// The id the reason names: the entity's opaque id, or the privilege id.
    pub fn id<'s>(&self, state: &'s State) -> &'s str {
        let id = match *self {
            Via::User(x) => state.user(x).map(|e| &*e.id),
            Via::Group(x) => state.group(x).map(|e| &*e.id),
            Via::Team(x) => state.team(x).map(|e| &*e.id),
            Via::Project(x) => state.project(x).map(|e| &*e.id),
            Via::Org(x) => state.org(x).map(|e| &*e.id),
            Via::Board(x) => state.board(x).map(|e| &*e.id),
            Via::Privilege(p) => Some(p.id()),
        };
        id.unwrap_or("")
    }
}

/// One grant or privilege that carried a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reason {
    /// The channel.
    pub channel: Channel,
    /// What it goes through.
    pub via: Via,
    /// The role it gives, where a role applies.
    pub role: Option<BoardRole>,
}

/// The facts behind a refusal, from which its message is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The action asked for.
    pub action: Option<Action>,
    /// The role the action needs.
    pub needed: Option<BoardRole>,
    /// The role the user has.
    pub had: Option<BoardRole>,
    /// The privilege the action needs.
    pub privilege: Option<Privilege>,
    /// The scopes that would admit the action.
    pub scopes: ScopeSet,
    /// The plan feature that is missing.
    pub feature: Option<Feature>,
    /// The setting that refused.
    pub setting: Option<SettingKey>,
}

/// Why a question was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Denial {
    /// The stable code.
    pub code: Code,
    /// The facts behind it.
    pub facts: Facts,
}

impl Denial {
    /// A refusal with a code and facts.
    pub const fn new(code: Code, facts: Facts) -> Denial {
        Denial { code, facts }
    }

    /// The layer that refused.
    pub const fn layer(&self) -> Layer {
        self.code.layer()
    }

    /// A sentence a person understands: lower case, no trailing period.
    pub fn message(&self) -> String {
        let f = &self.facts;
        let verb = f.action.map(verb).unwrap_or("do this");
        let role = |r: Option<BoardRole>| r.map_or("no role", BoardRole::as_str);
        let scopes = || {
            f.scopes
                .iter()
                .map(|s| format!("`{}`", s.name()))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match self.code {
            Code::AuthorityRoleTooLow => format!(
                "{} may not {verb}; {} or higher is needed",
                role(f.had),
                role(f.needed)
            ),
            Code::AuthorityNoBoardRole => match f.needed {
                Some(n) => format!(
                    "no channel gives access to the board; {n} or higher is needed to {verb}"
                ),
                None => "no channel gives access to the board".to_string(),
            },
            Code::AuthorityMissingPrivilege => match f.privilege {
                Some(p) => format!("to {verb} one needs the admin privilege `{}`", p.id()),
                None => format!("an admin privilege is needed to {verb}"),
            },
            Code::AuthorityRoleCeiling => match f.had {
                Some(had) => format!(
                    "{} may grant at most {had}; `{}` was asked",
                    had.with_article(),
                    role(f.needed)
                ),
                None => format!(
                    "one with no role may grant nothing; `{}` was asked",
                    role(f.needed)
                ),
            },
            Code::ScopeMissing | Code::ScopePlan | Code::ScopeSurface if !f.scopes.is_empty() => {
                format!(
                    "{}; scopes that would admit it: {}",
                    self.code.meaning(),
                    scopes()
                )
            }
            Code::PlanFeatureUnavailable => match f.feature {
                Some(feature) => format!(
                    "the plan does not include `{}`, needed to {verb}",
                    feature.id()
                ),
                None => format!("the organization's plan does not allow one to {verb}"),
            },
            Code::PolicyPublicLinkDisabled
            | Code::PolicyCoownersDisabled
            | Code::PolicyTeamSharingDisabled
            | Code::PolicyCompanySharingDisabled
                if f.had.is_some() || f.needed.is_some() =>
            {
                format!(
                    "{}: the role given is {}, {} is needed to {verb}",
                    self.code.meaning(),
                    role(f.had),
                    role(f.needed)
                )
            }
            _ => match f.setting {
                Some(s) if self.code.layer() == Layer::Policy => {
                    format!("{} (setting `{}`)", self.code.meaning(), s.key())
                }
                _ => self.code.meaning().to_string(),
            },
        }
    }
}

/// A short verb phrase for an action, for messages.
fn verb(action: Action) -> &'static str {
    match action {
        Action::Board(c) => match c {
            Capability::View => "view",
            Capability::VoteAndTimer => "vote",
            Capability::Comment => "comment",
            Capability::EditContent => "edit",
            Capability::Share => "share",
            Capability::AddCoowner => "add co-owners",
            Capability::DownloadBackup => "download a backup",
            Capability::SetPassword => "set a password",
            Capability::HideFramesAndProtectedLock => "hide frames",
            Capability::ConfigureContentSettings => "change content settings",
            Capability::MoveBetweenTeams => "move the board",
            Capability::TransferOwnership => "transfer ownership",
            Capability::Delete => "delete the board",
            Capability::SetClassification => "set the classification",
            Capability::CopyContent => "copy content",
            Capability::RequestAccess => "request access",
        },
        other => other.id(),
    }
}

/// The answer to a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether the action is allowed.
    pub allowed: bool,
    /// The effective board role, where the target is a board and a role applies.
    pub role: Option<BoardRole>,
    /// For an allowed decision, the grants or privileges that carried it.
    pub reasons: Vec<Reason>,
    /// For a refusal, why.
    pub denial: Option<Denial>,
}

impl Decision {
    /// An allowed decision.
    pub fn allow(role: Option<BoardRole>, reasons: Vec<Reason>) -> Decision {
        Decision {
            allowed: true,
            role,
            reasons,
            denial: None,
        }
    }

    /// A refusal.
    pub fn refuse(denial: Denial, role: Option<BoardRole>) -> Decision {
        Decision {
            allowed: false,
            role,
            reasons: Vec::new(),
            denial: Some(denial),
        }
    }

    /// The refusal code, if refused.
    pub fn code(&self) -> Option<Code> {
        self.denial.map(|d| d.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ceiling(had: Option<BoardRole>) -> String {
        Denial::new(
            Code::AuthorityRoleCeiling,
            Facts {
                had,
                needed: Some(BoardRole::Coowner),
                ..Facts::default()
            },
        )
        .message()
    }

    #[test]
    fn role_ceiling_messages_take_the_right_article() {
        assert_eq!(
            ceiling(Some(BoardRole::Editor)),
            "an editor may grant at most editor; `coowner` was asked"
        );
        assert_eq!(
            ceiling(Some(BoardRole::Viewer)),
            "a viewer may grant at most viewer; `coowner` was asked"
        );
        assert_eq!(
            ceiling(None),
            "one with no role may grant nothing; `coowner` was asked"
        );
    }
}
