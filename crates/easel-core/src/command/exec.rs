//! The work of executing one command: resolving ids, asking the engine, collecting events
//! and audit changes. Handlers return `Err(Refusal)` at the first refusal; nothing they
//! collected is kept then.

use super::{Actor, AuditChange, AuditOutcome, AuditRecord, Command, Outcome, Refusal};
use crate::action::Action;
use crate::codes::Code;
use crate::decide::decide;
use crate::decision::Decision;
use crate::entropy::Entropy;
use crate::event::Event;
use crate::ids::{BoardIx, OrgIx, ProjectIx, TeamIx, UserIx};
use crate::model::BoardState;
use crate::request::{Credential, Request, Subject, Target};
use crate::state::{MAX_TEXT_LEN, State};
use crate::time::Time;

pub(crate) type Step<T = ()> = Result<T, Refusal>;

pub(crate) fn refusal(code: Code, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

pub(crate) struct Exec<'s, 'a> {
    pub state: &'s State,
    pub actor: Actor<'a>,
    pub command: &'s Command,
    pub now: Time,
    /// The caller's random bytes for this command.
    pub entropy: Entropy,
    pub events: Vec<Event>,
    pub changes: Vec<AuditChange>,
    /// The organization the command acts in, once known (for the audit record).
    pub org: Option<OrgIx>,
    /// What the command acts on, as `kind:id`.
    pub target: String,
    /// The organization a command creates (it is not in the state yet).
    pub created_org: Option<String>,
}

impl<'s, 'a> Exec<'s, 'a> {
    pub fn new(
        state: &'s State,
        actor: Actor<'a>,
        command: &'s Command,
        now: Time,
        entropy: Entropy,
    ) -> Exec<'s, 'a> {
        Exec {
            state,
            actor,
            command,
            now,
            entropy,
            events: Vec::new(),
            changes: Vec::new(),
            org: None,
            target: String::new(),
            created_org: None,
        }
    }

    pub fn emit(&mut self, event: Event) {
        self.events.push(event);
    }

    pub fn change(
        &mut self,
        field: impl Into<String>,
        before: Option<String>,
        after: Option<String>,
    ) {
        if before != after {
            self.changes.push(AuditChange {
                field: field.into(),
                before,
                after,
            });
        }
    }

    /// The acting user, if a user acts.
    pub fn actor_ix(&self) -> Step<Option<UserIx>> {
        match self.actor {
            Actor::System | Actor::Provisioner { .. } => Ok(None),
            Actor::User { id, .. } => {
                Ok(Some(self.state.find_user(id).ok_or_else(|| {
                    refusal(Code::RequestNotFound, format!("no user `{id}`"))
                })?))
            }
        }
    }

    pub fn actor_id(&self) -> Option<&'a str> {
        match self.actor {
            Actor::User { id, .. } => Some(id),
            Actor::System | Actor::Provisioner { .. } => None,
        }
    }

    /// Whether Easel itself acts (time-driven changes, the operator's command line).
    pub fn is_easel(&self) -> bool {
        matches!(self.actor, Actor::System)
    }

    /// The provisioning token acting, if one does.
    pub fn provisioner(&self) -> Option<&'a str> {
        match self.actor {
            Actor::Provisioner { token } => Some(token),
            _ => None,
        }
    }

    /// Who the audit record names: the user, or the provisioning token's id.
    pub fn audit_actor(&self) -> Option<&'a str> {
        match self.actor {
            Actor::User { id, .. } => Some(id),
            Actor::Provisioner { token } => Some(token),
            Actor::System => None,
        }
    }

    /// Asks the engine whether the actor may do `action` on `target`, with `context` filling
    /// in the request's parameters. Easel itself is always allowed.
    pub fn decide<'q>(
        &self,
        action: Action,
        target: Target,
        context: impl FnOnce(&mut Request<'q>),
    ) -> Step<Decision> {
        let (subject, credential) = match self.actor {
            Actor::System => return Ok(Decision::allow(None, Vec::new())),
            Actor::Provisioner { token } => {
                super::provisioner::may(self.state, token, action, target)?;
                return Ok(Decision::allow(None, Vec::new()));
            }
            Actor::User { credential, .. } => match self.actor_ix()? {
                Some(u) => (Subject::User(u), credential),
                None => (Subject::Anonymous, Credential::None),
            },
        };
        let mut req: Request<'q> = Request::new(subject, action, target);
        req.credential = credential;
        context(&mut req);
        let decision = decide(self.state, &req, self.now);
        match decision.denial {
            Some(denial) => Err(refusal(denial.code, denial.message())),
            None => Ok(decision),
        }
    }

    pub fn require(&self, action: &str, target: Target) -> Step<Decision> {
        let action = Action::parse(action)
            .ok_or_else(|| refusal(Code::RequestUnknownAction, action.to_string()))?;
        self.decide(action, target, |_| {})
    }

    pub fn org(&mut self, id: &str) -> Step<OrgIx> {
        let o = self
            .state
            .find_org(id)
            .ok_or_else(|| refusal(Code::RequestNotFound, format!("no organization `{id}`")))?;
        self.org = Some(o);
        self.set_target("org", id);
        Ok(o)
    }

    pub fn team(&mut self, id: &str) -> Step<TeamIx> {
        let t = self
            .state
            .find_team(id)
            .filter(|t| self.state.team(*t).is_some_and(|t| !t.deleted))
            .ok_or_else(|| refusal(Code::RequestNotFound, format!("no team `{id}`")))?;
        self.org = self.state.team(t).map(|x| x.org);
        self.set_target("team", id);
        Ok(t)
    }

    pub fn project(&mut self, id: &str) -> Step<ProjectIx> {
        let p = self
            .state
            .find_project(id)
            .filter(|p| self.state.project(*p).is_some_and(|p| !p.deleted))
            .ok_or_else(|| refusal(Code::RequestNotFound, format!("no project `{id}`")))?;
        self.org = self.state.project(p).map(|x| x.org);
        self.set_target("project", id);
        Ok(p)
    }

    pub fn board(&mut self, id: &str) -> Step<BoardIx> {
        let b = self
            .state
            .find_board(id)
            .filter(|b| {
                self.state
                    .board(*b)
                    .is_some_and(|x| x.state != BoardState::Purged)
            })
            .ok_or_else(|| refusal(Code::RequestNotFound, format!("no board `{id}`")))?;
        self.org = self.state.board(b).map(|x| x.org);
        self.set_target("board", id);
        Ok(b)
    }

    fn set_target(&mut self, kind: &str, id: &str) {
        if self.target.is_empty() {
            self.target = format!("{kind}:{id}");
        }
    }

    /// A user of the organization the command acts in. Someone outside it is answered as
    /// someone who does not exist: a command never tells who has an account elsewhere.
    pub fn member(&self, id: &str) -> Step<UserIx> {
        let unknown = || refusal(Code::RequestNotFound, format!("no user `{id}`"));
        let u = self.state.find_user(id).ok_or_else(unknown)?;
        match self.org {
            Some(o) if self.state.membership(u, o).is_some() => Ok(u),
            _ => Err(unknown()),
        }
    }

    pub fn finish(self, result: Step) -> Outcome {
        // Whatever path a handler took, an accepted change passes the credential layer.
        let result = result.and_then(|()| match self.actor {
            Actor::User { credential, .. } => {
                let user = self
                    .actor_ix()?
                    .ok_or_else(|| refusal(Code::RequestNotFound, "user"))?;
                crate::decide::check_actor(self.state, user, credential, self.org, self.now)
                    .map_err(|d| refusal(d.code, d.message()))
            }
            // The token is live, and a SCIM token acts in its own organization only.
            Actor::Provisioner { token } => match self.org {
                Some(o) => super::provisioner::within(self.state, token, o),
                None => super::provisioner::credential(self.state, token).map(drop),
            },
            Actor::System => Ok(()),
        });
        let org = self
            .org
            .and_then(|o| self.state.org(o))
            .map(|o| o.id.to_string())
            .or(self.created_org.clone());
        let actor = self.audit_actor().map(str::to_string);
        let record = |outcome, changes| {
            org.clone().map(|org| AuditRecord {
                org,
                at: self.now,
                actor: actor.clone(),
                action: self.command.name(),
                target: self.target.clone(),
                outcome,
                changes,
            })
        };
        match result {
            Ok(()) => match record(AuditOutcome::Allowed, self.changes.clone()) {
                Some(audit) => Outcome::Accepted {
                    events: self.events,
                    audit,
                },
                // A user identity, a personal token or an all-organization service token
                // belongs to no organization: audited under the empty organization.
                None if matches!(
                    self.command,
                    Command::CreateUser { .. }
                        | Command::IssueToken { .. }
                        | Command::RevokeToken { .. }
                        | Command::StartSession { .. }
                        | Command::IssueSignInLink { .. }
                        | Command::RedeemSignInLink { .. }
                        | Command::TouchSession { .. }
                        | Command::EndSession { .. }
                ) =>
                {
                    Outcome::Accepted {
                        events: self.events,
                        audit: AuditRecord {
                            org: String::new(),
                            at: self.now,
                            actor: actor.clone(),
                            action: self.command.name(),
                            target: self.target.clone(),
                            outcome: AuditOutcome::Allowed,
                            changes: Vec::new(),
                        },
                    }
                }
                // Every command names its organization before it succeeds; one that does
                // not is a malformed command.
                None => Outcome::Refused {
                    refusal: refusal(Code::RequestInvalidParameter, "no organization"),
                    audit: None,
                },
            },
            Err(refusal) => {
                let audit = record(AuditOutcome::Refused { code: refusal.code }, Vec::new());
                Outcome::Refused { refusal, audit }
            }
        }
    }
}

/// The most characters of a name, description or text.
pub const MAX_TEXT_CHARS: usize = MAX_TEXT_LEN * 4;

/// Checks a name or description: not blank (names), not too long, no control characters.
/// Length is counted in characters, as JSON Schema's `maxLength` counts it, so that the
/// API's document states the rule exactly.
pub(crate) fn text(field: &str, value: &str, allow_empty: bool) -> Step {
    let limit = MAX_TEXT_CHARS;
    // Line breaks and tabs are text; other control characters are not.
    let bad = value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    if (!allow_empty && value.trim().is_empty()) || value.chars().count() > limit || bad {
        let least = if allow_empty { 0 } else { 1 };
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{field}` must be {least} to {limit} characters of text"),
        ));
    }
    Ok(())
}

/// Checks a new id: not taken, of the allowed shape.
pub(crate) fn new_id(field: &str, id: &str, taken: bool) -> Step {
    if id.is_empty()
        || id.len() > MAX_TEXT_LEN
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(refusal(
            Code::RequestInvalidParameter,
            format!("`{field}` must be 1 to {MAX_TEXT_LEN} letters, digits, `_`, `-` or `.`"),
        ));
    }
    if taken {
        return Err(refusal(
            Code::RequestConflict,
            format!("`{id}` is already taken"),
        ));
    }
    Ok(())
}
