//! A question to the engine, in two forms: `Question` with the opaque string ids callers
//! hold, and `Request` with resolved indexes that `decide` takes. Resolution is where bad
//! input becomes an error value with its own code.

use crate::action::{Action, TargetKind};
use crate::catalog::{ScopeSet, Surface};
use crate::codes::Code;
use crate::ids::{AppIx, BoardIx, OrgIx, ProjectIx, SessionIx, TeamIx, TokenIx, UserIx};
use crate::model::BoardState;
use crate::roles::BoardRole;
use crate::state::State;

/// Who is asking to act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A registered user.
    User(UserIx),
    /// An anonymous visitor (reaches boards only through public links).
    Anonymous,
}

/// What the subject presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// Nothing: a trusted service asks about the subject directly.
    None,
    /// An interactive session.
    Session(SessionIx),
    /// A personal or app token.
    Token(TokenIx),
    /// A session or token id that names nothing: refused at the credential layer.
    Unknown,
}

/// What the action is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A board.
    Board(BoardIx),
    /// A team.
    Team(TeamIx),
    /// A project.
    Project(ProjectIx),
    /// An organization.
    Org(OrgIx),
}

impl Target {
    /// The kind of target.
    pub const fn kind(self) -> TargetKind {
        match self {
            Target::Board(_) => TargetKind::Board,
            Target::Team(_) => TargetKind::Team,
            Target::Project(_) => TargetKind::Project,
            Target::Org(_) => TargetKind::Org,
        }
    }

    /// Whether the target may be asked about at all: a board not purged, a team or project
    /// not deleted, an organization that exists. Anything else is unknown to a question.
    pub fn is_live(self, state: &State) -> bool {
        match self {
            Target::Board(b) => state
                .board(b)
                .is_some_and(|x| x.state != BoardState::Purged),
            Target::Team(t) => state.team(t).is_some_and(|x| !x.deleted),
            Target::Project(p) => state.project(p).is_some_and(|x| !x.deleted),
            Target::Org(o) => state.org(o).is_some(),
        }
    }
}

/// Whether `action` may be asked about `target`'s kind.
fn admits(action: Action, target: Target) -> Result<(), RequestError> {
    if action.applies_to(target.kind()) {
        Ok(())
    } else {
        Err(RequestError {
            code: Code::RequestUnsupportedTarget,
            message: format!("`{action}` does not apply to a {}", target.kind().as_str()),
        })
    }
}

/// A resolved question.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// Who acts.
    pub subject: Subject,
    /// What they presented.
    pub credential: Credential,
    /// What they want to do.
    pub action: Action,
    /// On what.
    pub target: Target,
    /// A board's public-link token, if presented.
    pub link: Option<&'a str>,
    /// The board password given with the link.
    pub password: Option<&'a str>,
    /// An app acting for the user (from the check API's context), when no token says so.
    pub app: Option<AppIx>,
    /// Scopes stated in the check API's context, when no token says so.
    pub scopes: Option<ScopeSet>,
    /// The surface the request came through.
    pub surface: Surface,
    /// The role being granted (share) or requested (access request).
    pub role: Option<BoardRole>,
    /// The email of the person being invited.
    pub invitee: Option<&'a str>,
    /// The destination team of a move.
    pub to_team: Option<TeamIx>,
    /// The new owner of a transfer.
    pub new_owner: Option<UserIx>,
}

impl<'a> Request<'a> {
    /// A question with no credential, link or context.
    pub fn new(subject: Subject, action: Action, target: Target) -> Request<'a> {
        Request {
            subject,
            credential: Credential::None,
            action,
            target,
            link: None,
            password: None,
            app: None,
            scopes: None,
            surface: Surface::Rest,
            role: None,
            invitee: None,
            to_team: None,
            new_owner: None,
        }
    }

    /// A request about a target its caller has already resolved to an index (the typed
    /// entry point, for callers that hold the engine's values rather than strings). It is
    /// refused as the question would be: a target that is gone is unknown, and the action
    /// must apply to the target's kind.
    pub fn about(
        state: &State,
        subject: Subject,
        credential: Credential,
        action: Action,
        target: Target,
    ) -> Result<Request<'a>, RequestError> {
        if !target.is_live(state) {
            return Err(RequestError {
                code: Code::RequestNotFound,
                message: format!("no such {}", target.kind().as_str()),
            });
        }
        admits(action, target)?;
        Ok(Request {
            credential,
            ..Request::new(subject, action, target)
        })
    }
}

/// A question with string ids, as callers hold them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Question {
    /// The user id; `None` for an anonymous visitor.
    pub user: Option<String>,
    /// A session id presented.
    pub session: Option<String>,
    /// A token id presented.
    pub token: Option<String>,
    /// The action id.
    pub action: String,
    /// The target's kind and id.
    pub target: (String, String),
    /// A public-link token.
    pub link: Option<String>,
    /// A board password.
    pub password: Option<String>,
    /// An app id.
    pub app: Option<String>,
    /// Scope names or aliases.
    pub scopes: Option<Vec<String>>,
    /// `rest` or `web_sdk`.
    pub surface: Option<String>,
    /// A role (any accepted spelling).
    pub role: Option<String>,
    /// An invitee's email.
    pub invitee: Option<String>,
    /// A destination team id.
    pub to_team: Option<String>,
    /// A new owner's user id.
    pub new_owner: Option<String>,
}

/// Why a question could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    /// The stable code (a `request.*` code).
    pub code: Code,
    /// What was wrong, for a person.
    pub message: String,
}

impl RequestError {
    fn not_found(kind: &str, id: &str) -> RequestError {
        RequestError {
            code: Code::RequestNotFound,
            message: format!("no {kind} `{id}`"),
        }
    }

    fn invalid(message: String) -> RequestError {
        RequestError {
            code: Code::RequestInvalidParameter,
            message,
        }
    }
}

/// The longest id, email or secret a question may carry.
const MAX_FIELD_LEN: usize = 512;

impl Question {
    /// Resolves the ids against a state. Unknown ids, unknown actions, actions that do not
    /// apply to the target, and malformed fields are errors with their own codes.
    pub fn resolve<'q>(&'q self, state: &State) -> Result<Request<'q>, RequestError> {
        let too_long = [
            self.user.as_deref(),
            self.session.as_deref(),
            self.token.as_deref(),
            Some(self.action.as_str()),
            Some(self.target.1.as_str()),
            self.link.as_deref(),
            self.password.as_deref(),
            self.app.as_deref(),
            self.invitee.as_deref(),
            self.to_team.as_deref(),
            self.new_owner.as_deref(),
        ]
        .into_iter()
        .flatten()
        .any(|s| s.len() > MAX_FIELD_LEN);
        if too_long {
            return Err(RequestError::invalid(format!(
                "a field is longer than {MAX_FIELD_LEN} bytes"
            )));
        }
        let subject = match &self.user {
            Some(id) => Subject::User(
                state
                    .find_user(id)
                    .ok_or_else(|| RequestError::not_found("user", id))?,
            ),
            None => Subject::Anonymous,
        };
        let credential = match (&self.session, &self.token) {
            (Some(_), Some(_)) => {
                return Err(RequestError::invalid(
                    "give a session or a token, not both".into(),
                ));
            }
            // An unknown credential is a credential-layer refusal, not a request error: the
            // engine decides it (so it is audited like any refusal).
            (Some(id), None) => state
                .find_session(id)
                .map_or(Credential::Unknown, Credential::Session),
            (None, Some(id)) => state
                .find_token(id)
                .map_or(Credential::Unknown, Credential::Token),
            (None, None) => Credential::None,
        };
        let action = Action::parse(&self.action).ok_or_else(|| RequestError {
            code: Code::RequestUnknownAction,
            message: format!("unknown action `{}`", self.action),
        })?;
        let (kind, id) = (&self.target.0, &self.target.1);
        let (found, noun) = match kind.as_str() {
            "board" => (state.find_board(id).map(Target::Board), "board"),
            "team" => (state.find_team(id).map(Target::Team), "team"),
            "project" => (state.find_project(id).map(Target::Project), "project"),
            "org" => (state.find_org(id).map(Target::Org), "organization"),
            other => {
                return Err(RequestError::invalid(format!(
                    "unknown target kind `{other}`"
                )));
            }
        };
        let target = found
            .filter(|t| t.is_live(state))
            .ok_or_else(|| RequestError::not_found(noun, id))?;
        admits(action, target)?;
        let app = match &self.app {
            Some(id) => Some(
                state
                    .find_app(id)
                    .ok_or_else(|| RequestError::not_found("app", id))?,
            ),
            None => None,
        };
        let scopes = match &self.scopes {
            Some(names) => Some(
                ScopeSet::parse(names.iter().map(String::as_str))
                    .map_err(|bad| RequestError::invalid(format!("unknown scope `{bad}`")))?,
            ),
            None => None,
        };
        let surface = match self.surface.as_deref() {
            None => Surface::Rest,
            Some(s) => Surface::parse(s)
                .ok_or_else(|| RequestError::invalid(format!("unknown surface `{s}`")))?,
        };
        let role = match &self.role {
            Some(r) => Some(
                BoardRole::parse(r)
                    .ok_or_else(|| RequestError::invalid(format!("unknown role `{r}`")))?,
            ),
            None => None,
        };
        let to_team = match &self.to_team {
            Some(id) => Some(
                state
                    .find_team(id)
                    .filter(|t| state.team(*t).is_some_and(|t| !t.deleted))
                    .ok_or_else(|| RequestError::not_found("team", id))?,
            ),
            None => None,
        };
        let new_owner = match &self.new_owner {
            Some(id) => Some(
                state
                    .find_user(id)
                    .ok_or_else(|| RequestError::not_found("user", id))?,
            ),
            None => None,
        };
        if let Some(email) = &self.invitee
            && !crate::state::valid_email(&email.to_ascii_lowercase())
        {
            return Err(RequestError::invalid(format!(
                "`{email}` is not an email address"
            )));
        }
        Ok(Request {
            subject,
            credential,
            action,
            target,
            link: self.link.as_deref(),
            password: self.password.as_deref(),
            app,
            scopes,
            surface,
            role,
            invitee: self.invitee.as_deref(),
            to_team,
            new_owner,
        })
    }
}
