//! The one decision function (MODEL.md §2): credential, scope, plan, then the target's own
//! rules for state, authority and policy. The first layer that refuses decides.

mod batch;
mod board;
mod channels;
mod context;
mod credential;
mod org;
mod privileges;
mod project;
mod scope;
mod team;
pub(crate) mod trace;

pub use batch::decide_batch;
pub use channels::hash_password;
pub(crate) use channels::{Roles, evaluate as board_channels};
pub(crate) use context::{Ctx, is_company_admin};
pub use scope::{AppScopes, ScopeRefusal, admit as admit_scopes};
pub use trace::Outcome;

use crate::codes::{Code, Layer};
use crate::decision::{Decision, Denial, Facts, Reason};
use crate::ids::OrgIx;
use crate::request::{Request, Subject, Target};
use crate::roles::BoardRole;
use crate::state::State;
use crate::time::Time;
use trace::{Silent, Trace};

/// What a target's rules concluded.
pub(crate) struct Verdict {
    pub role: Option<BoardRole>,
    pub reasons: Vec<Reason>,
    pub denial: Option<Denial>,
}

impl Verdict {
    pub fn allowed(role: Option<BoardRole>, reasons: Vec<Reason>) -> Verdict {
        Verdict {
            role,
            reasons,
            denial: None,
        }
    }

    pub fn refused(denial: Denial, role: Option<BoardRole>) -> Verdict {
        Verdict {
            role,
            reasons: Vec::new(),
            denial: Some(denial),
        }
    }
}

/// The layers before the target's own rules: credential, scope and the plan's features.
/// They depend on the subject, the action and the organization, never on which target in
/// the organization is asked about, so a lookup runs them once per organization.
///
/// `Ok(true)` says the subject may not act as themselves but presents the board's public
/// link, and is to be decided as an anonymous visitor from here on.
pub(crate) fn subject_layers<T: Trace>(
    ctx: &Ctx,
    now: Time,
    trace: &mut T,
) -> Result<bool, Denial> {
    let passed = credential::check(ctx, now, trace)?;
    let scopes = scope::app_scopes(ctx, passed.app)?;
    scope::check(ctx, scopes, trace)?;
    if let Some(feature) = ctx.req.action.feature()
        && !ctx.has(feature)
    {
        return Err(Denial::new(
            Code::PlanFeatureUnavailable,
            Facts {
                action: Some(ctx.req.action),
                feature: Some(feature),
                ..Facts::default()
            },
        ));
    }
    Ok(passed.as_visitor)
}

/// Decides a question at instant `now`.
pub fn decide(state: &State, req: &Request, now: Time) -> Decision {
    evaluate(state, req, now, &mut Silent)
}

/// The organization a target lives in.
pub(crate) fn target_org(state: &State, target: Target) -> Option<OrgIx> {
    match target {
        Target::Board(b) => state.board(b).map(|x| x.org),
        Target::Team(t) => state.team(t).map(|x| x.org),
        Target::Project(p) => state.project(p).map(|x| x.org),
        Target::Org(o) => state.org(o).map(|_| o),
    }
}

pub(crate) fn evaluate<T: Trace>(
    state: &State,
    req: &Request,
    now: Time,
    trace: &mut T,
) -> Decision {
    let refuse = |trace: &mut T, denial: Denial, role| {
        trace.layer(denial.layer(), Outcome::Refused, || denial.message());
        Decision::refuse(denial, role)
    };
    let facts = Facts {
        action: Some(req.action),
        ..Facts::default()
    };
    let Some((org_ix, org)) =
        target_org(state, req.target).and_then(|o| state.org(o).map(|x| (o, x)))
    else {
        return refuse(trace, Denial::new(Code::RequestNotFound, facts), None);
    };
    if !req.action.applies_to(req.target.kind()) {
        return refuse(
            trace,
            Denial::new(Code::RequestUnsupportedTarget, facts),
            None,
        );
    }
    let ctx = Ctx::new(state, req, org_ix, org);
    let as_visitor = match subject_layers(&ctx, now, trace) {
        Ok(as_visitor) => as_visitor,
        Err(denial) => return refuse(trace, denial, None),
    };
    // A deactivated user presenting a board's link is an anonymous visitor (MODEL.md §3):
    // the rest is decided for no user, so they get exactly what a visitor gets.
    let visitor;
    let ctx = if as_visitor {
        visitor = Request {
            subject: Subject::Anonymous,
            ..*req
        };
        Ctx::new(state, &visitor, org_ix, org)
    } else {
        ctx
    };

    // Teams, projects and organizations are asked about by registered users inside the
    // organization; only boards can be reached from outside (through a public link).
    if !matches!(req.target, Target::Board(_)) {
        if ctx.user.is_none() {
            return refuse(trace, Denial::new(Code::AuthorityAnonymous, facts), None);
        }
        if ctx.membership.is_none() {
            return refuse(
                trace,
                Denial::new(Code::AuthorityNotInOrganization, facts),
                None,
            );
        }
    }
    let verdict = match req.target {
        Target::Board(b) => match state.board(b) {
            Some(board) => board::decide(&ctx, b, board, trace),
            None => Verdict::refused(Denial::new(Code::RequestNotFound, facts), None),
        },
        Target::Team(t) => match state.team(t) {
            Some(team) => {
                trace.layer(Layer::Plan, Outcome::Passed, || {
                    format!("`{}` exists on the {} plan", req.action, org.plan)
                });
                team::decide(&ctx, t, team)
            }
            None => Verdict::refused(Denial::new(Code::RequestNotFound, facts), None),
        },
        Target::Project(p) => match state.project(p) {
            Some(project) => {
                trace.layer(Layer::Plan, Outcome::Passed, || {
                    format!("`{}` exists on the {} plan", req.action, org.plan)
                });
                project::decide(&ctx, p, project)
            }
            None => Verdict::refused(Denial::new(Code::RequestNotFound, facts), None),
        },
        Target::Org(_) => {
            trace.layer(Layer::Plan, Outcome::Passed, || {
                format!("`{}` exists on the {} plan", req.action, org.plan)
            });
            org::decide(&ctx)
        }
    };
    match verdict.denial {
        Some(denial) => {
            if denial.layer() == Layer::Policy {
                trace.layer(Layer::Authority, Outcome::Passed, || {
                    "the role or privilege needed is held".into()
                });
            }
            refuse(trace, denial, verdict.role)
        }
        None => {
            trace.layer(Layer::Authority, Outcome::Passed, || {
                let role = verdict
                    .role
                    .map(|r| format!("role {r}; "))
                    .unwrap_or_default();
                format!("{role}carried by {} reason(s)", verdict.reasons.len())
            });
            trace.layer(Layer::Policy, Outcome::Passed, || {
                "no company or team setting forbids it".into()
            });
            Decision::allow(verdict.role, verdict.reasons)
        }
    }
}

/// Checks only the credential layer for `user` presenting `credential`, acting in `org` (or
/// in no organization yet, for creating one). Commands run it for every accepted change, so
/// no command can bypass the credential layer, whatever else it checks; the server runs it
/// for routes that list rather than decide one target.
pub fn check_actor(
    state: &State,
    user: crate::ids::UserIx,
    credential: crate::request::Credential,
    org: Option<OrgIx>,
    now: Time,
) -> Result<(), Denial> {
    use crate::action::{Action, EngineAction};
    // With no organization yet, a stand-in with no members and default settings: the user
    // and the session or token are checked for themselves.
    let standin;
    // A credential bound to an organization is checked there when none is named.
    let org = org.or_else(|| state.credential_org(credential));
    let (org_ix, org) = match org.and_then(|o| state.org(o).map(|x| (o, x))) {
        Some(found) => found,
        None => {
            standin = crate::model::Org::standin();
            (OrgIx(u32::MAX), &standin)
        }
    };
    let mut req = Request::new(
        Subject::User(user),
        Action::Engine(EngineAction::OrgView),
        Target::Org(org_ix),
    );
    req.credential = credential;
    let ctx = Ctx::new(state, &req, org_ix, org);
    // The stand-in question presents no link, so a user who may not act as themselves is
    // refused here whatever they could reach through a link.
    credential::check(&ctx, now, &mut Silent).map(drop)
}
