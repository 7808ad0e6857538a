//! The decision API (API.md, fixed contract): `/v1/check`, `/v1/check/batch`,
//! `/v1/explain`, `/v1/lookup/boards`, `/v1/lookup/subjects`. Every answer comes from the
//! engine's `decide` (or `explain` and the lookups built on it) and names the revision it
//! was computed at.

use std::time::Instant;

use axum::extract::State;
use easel_core::codes::Code;
use easel_core::request::Question;
use easel_core::{Decision, State as EngineState, Time};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::Rule;
use crate::table::Routes;
use crate::tenancy::{not_there, reaches};
use crate::wire::{Json, reason_out, role_name};

/// The decision API's routes: for services and people, never for app tokens.
pub fn routes() -> Routes {
    Routes::new()
        .add(routes!(check), Rule::NotForApps)
        .add(routes!(batch), Rule::NotForApps)
        .add(routes!(explain), Rule::NotForApps)
}

/// A question about a target outside the caller's organizations answers as an unknown id
/// would; a user presenting a board's public link asks as its visitor.
fn asked_within(
    state: &EngineState,
    caller: &Caller,
    req: &easel_core::Request<'_>,
) -> Result<(), ApiError> {
    if reaches(state, caller, req.target, req.link.is_some()) {
        Ok(())
    } else {
        Err(not_there(state, req.target))
    }
}

/// Who the question is about: `{"user": "usr_1"}` or `{"anonymous": true}`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectIn {
    /// A user id.
    pub user: Option<String>,
    /// An anonymous visitor (with a public link, say).
    pub anonymous: Option<bool>,
}

/// What the question is about: exactly one of `board`, `team`, `project`, `org`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceIn {
    /// A board id.
    pub board: Option<String>,
    /// A team id.
    pub team: Option<String>,
    /// A project id.
    pub project: Option<String>,
    /// An organization id.
    pub org: Option<String>,
}

/// What else the subject presents or asks about.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContextIn {
    /// A public-link token.
    pub link_token: Option<String>,
    /// A board password.
    pub password: Option<String>,
    /// The app asking on the user's behalf.
    pub app: Option<String>,
    /// The scopes the app's token carries.
    pub scopes: Option<Vec<String>>,
    /// `rest` or `web_sdk`.
    pub surface: Option<String>,
    /// A role the action gives or asks for (sharing, requesting access).
    pub role: Option<String>,
    /// The email of someone invited.
    pub invitee: Option<String>,
    /// The team a board would move to.
    pub to_team: Option<String>,
    /// The user ownership would go to.
    pub new_owner: Option<String>,
    /// A session the subject presents (services only).
    pub session: Option<String>,
    /// A token id the subject presents (services only).
    pub token: Option<String>,
}

/// How fresh the answer must be.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsistencyIn {
    /// Answer from state at least as new as this revision.
    pub at_least: String,
}

/// A question.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckIn {
    /// Who.
    #[serde(deserialize_with = "crate::wire::object")]
    pub subject: SubjectIn,
    /// A capability (`board.edit_content`), privilege or engine action id, of the kind of
    /// resource asked about (a board capability of a board, ...); another is refused
    /// (`request.unsupported_target`).
    pub action: String,
    /// About what.
    #[serde(deserialize_with = "crate::wire::object")]
    pub resource: ResourceIn,
    /// What else is presented.
    #[serde(default, deserialize_with = "crate::wire::object")]
    pub context: ContextIn,
    /// How fresh the answer must be.
    pub consistency: Option<ConsistencyIn>,
}

/// Why a question was refused.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeniedBy {
    /// The layer that refused.
    pub layer: &'static str,
    /// The stable reason code.
    pub code: &'static str,
    /// Why, in words.
    pub message: String,
}

/// A channel that gives access.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReasonOut {
    /// `owner`, `direct`, `group`, `team`, `project`, `company`, `public_link`, `admin`, ...
    pub channel: &'static str,
    /// The user, group, team, project, organization or privilege it goes through.
    pub via: String,
    /// The role it gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
}

/// An answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckOut {
    /// Whether the action is allowed.
    pub allowed: bool,
    /// The effective board role, where one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    /// For an allowed answer, the channels that carried it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<ReasonOut>,
    /// For a refusal, why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denied_by: Option<DeniedBy>,
    /// The revision the answer was computed at.
    pub revision: String,
}

/// The resource as (kind, id): exactly one of its fields, its id moved out of the body.
pub fn resource(r: ResourceIn) -> Result<(String, String), ApiError> {
    let kind = |k: &str, id: String| Ok((k.to_string(), id));
    match (r.board, r.team, r.project, r.org) {
        (Some(id), None, None, None) => kind("board", id),
        (None, Some(id), None, None) => kind("team", id),
        (None, None, Some(id), None) => kind("project", id),
        (None, None, None, Some(id)) => kind("org", id),
        _ => Err(ApiError::invalid(
            "`resource` names exactly one of `board`, `team`, `project`, `org`",
        )),
    }
}

/// The subject's user id, or `None` for an anonymous visitor.
pub fn subject(s: SubjectIn) -> Result<Option<String>, ApiError> {
    match (s.user, s.anonymous) {
        (Some(u), None | Some(false)) => Ok(Some(u)),
        (None, Some(true)) => Ok(None),
        _ => Err(ApiError::invalid(
            "`subject` is `{\"user\": id}` or `{\"anonymous\": true}`",
        )),
    }
}

/// Who may ask about whom: a user only about themselves (with their own token); a service
/// about anyone in its organizations (the resource's organization is checked once the
/// question is resolved).
fn admit(caller: &Caller, subject: Option<&str>, context: &ContextIn) -> Result<(), ApiError> {
    match caller {
        Caller::User { id, .. } => {
            if subject != Some(id.as_str()) {
                return Err(ApiError::new(
                    Code::CredentialWrongSubject,
                    "a user's token may ask only about that user",
                ));
            }
            if context.session.is_some() || context.token.is_some() {
                return Err(ApiError::invalid(
                    "`context.session` and `context.token` are for services; a user presents their own token",
                ));
            }
            Ok(())
        }
        Caller::Service { .. } => Ok(()),
        Caller::Provisioner { .. } => Err(provisioner_refused()),
    }
}

/// A provisioning token provisions; the decision API is for the platform's services.
pub fn provisioner_refused() -> ApiError {
    ApiError::new(
        Code::AuthorityMissingPrivilege,
        "an operator or SCIM token provisions; the decision API takes a service token and the platform API a user's",
    )
}

/// The engine's question for a check body asked by `caller`. The body's strings move into
/// the question: a batch of a thousand questions copies none of them.
pub fn question(caller: &Caller, body: CheckIn) -> Result<Question, ApiError> {
    let user = subject(body.subject)?;
    let c = body.context;
    admit(caller, user.as_deref(), &c)?;
    let (session, token) = match caller {
        Caller::User { .. } => caller.presented(),
        Caller::Service { .. } => (c.session, c.token),
        Caller::Provisioner { .. } => (None, None),
    };
    Ok(Question {
        user,
        session,
        token,
        action: body.action,
        target: resource(body.resource)?,
        link: c.link_token,
        password: c.password,
        app: c.app,
        scopes: c.scopes,
        surface: c.surface,
        role: c.role,
        invitee: c.invitee,
        to_team: c.to_team,
        new_owner: c.new_owner,
    })
}

/// A decision as the API answers it.
pub fn answer(state: &EngineState, decision: &Decision, revision: i64) -> CheckOut {
    CheckOut {
        allowed: decision.allowed,
        role: decision.role.map(role_name),
        reasons: decision
            .reasons
            .iter()
            .map(|r| reason_out(state, r))
            .collect(),
        denied_by: decision.denial.map(|d| DeniedBy {
            layer: d.layer().as_str(),
            code: d.code.as_str(),
            message: d.message(),
        }),
        revision: revision.to_string(),
    }
}

/// Resolves and decides one question: the answer, or the request error.
fn decide_one(
    state: &EngineState,
    caller: &Caller,
    body: CheckIn,
    now: Time,
) -> Result<(Decision, easel_core::Explanation), ApiError> {
    let q = question(caller, body)?;
    let req = q.resolve(state)?;
    asked_within(state, caller, &req)?;
    let explanation = easel_core::explain(state, &req, now);
    Ok((explanation.decision.clone(), explanation))
}

/// Waits for `consistency.atLeast`, if asked.
async fn consistent(app: &AppState, consistency: Option<&ConsistencyIn>) -> Result<(), ApiError> {
    let Some(c) = consistency else {
        return Ok(());
    };
    // A revision is written in decimal digits alone: no sign, no spaces, no exponent.
    let digits = !c.at_least.is_empty() && c.at_least.bytes().all(|b| b.is_ascii_digit());
    let revision: i64 = digits
        .then(|| c.at_least.parse().ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::invalid("`consistency.atLeast` must be a revision number (decimal digits)")
        })?;
    if app
        .engine
        .wait_for(revision, app.limits.consistency_wait)
        .await
    {
        Ok(())
    } else {
        Err(ApiError::new(
            Code::RequestStaleRevision,
            format!("the state has not reached revision {revision}"),
        ))
    }
}

fn check_now(app: &AppState, caller: &Caller, body: CheckIn) -> Result<CheckOut, ApiError> {
    let reader = app.engine.read();
    check_in(app, caller, body, &reader, app.engine.now())
}

/// Answers one question against a read view (a batch answers all its questions against
/// one view: one revision, one lock).
fn check_in(
    app: &AppState,
    caller: &Caller,
    body: CheckIn,
    reader: &crate::engine::Reader<'_>,
    now: easel_core::Time,
) -> Result<CheckOut, ApiError> {
    let q = question(caller, body)?;
    let req = q.resolve(reader.state())?;
    asked_within(reader.state(), caller, &req)?;
    let decision = easel_core::decide(reader.state(), &req, now);
    app.metrics.decision(&decision);
    Ok(answer(reader.state(), &decision, reader.revision()))
}

/// Ask whether a subject may do an action on a resource.
#[utoipa::path(post, path = "/v1/check", tag = "decision", request_body = CheckIn,
    responses((status = 200, body = CheckOut), (status = 400, description = "malformed question"),
        (status = 401, description = "no or invalid token"), (status = 404, description = "unknown or invisible subject or resource")))]
pub async fn check(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<CheckIn>,
) -> Result<axum::Json<CheckOut>, ApiError> {
    consistent(&app, body.consistency.as_ref()).await?;
    check_now(&app, &caller, body).map(axum::Json)
}

/// Up to the batch limit of checks in one request.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchIn {
    /// The questions.
    pub checks: Vec<CheckIn>,
}

/// One answer of a batch: a decision, or the error its question met.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum BatchItem {
    /// A decision.
    Answer(CheckOut),
    /// An error.
    Error(BatchError),
}

/// The error a question of a batch met, in the place of its answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BatchError {
    /// The error, as the single-check route would answer it.
    #[schema(value_type = crate::error::Envelope)]
    pub error: Value,
}

/// The answers, in the order of the questions.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BatchOut {
    /// One per question.
    pub results: Vec<BatchItem>,
}

/// Ask many questions at once, all answered at one revision.
#[utoipa::path(post, path = "/v1/check/batch", tag = "decision", request_body = BatchIn,
    responses((status = 200, body = BatchOut), (status = 413, description = "more checks than the batch limit")))]
pub async fn batch(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<BatchIn>,
) -> Result<axum::Json<BatchOut>, ApiError> {
    let limit = app.limits.batch_checks;
    if body.checks.len() > limit {
        return Err(ApiError::new(
            Code::RequestTooLarge,
            format!("a batch holds at most {limit} checks"),
        )
        .with_context(json!({"limit": limit})));
    }
    let newest = body
        .checks
        .iter()
        .filter_map(|c| c.consistency.as_ref())
        .max_by_key(|c| c.at_least.parse::<i64>().unwrap_or(i64::MAX));
    consistent(&app, newest).await?;
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    // Every question resolved first, then the valid ones decided together (a batch reads
    // ahead in memory), then the answers put back in the order asked.
    let questions: Vec<Result<Question, ApiError>> = body
        .checks
        .into_iter()
        .map(|c| question(&caller, c))
        .collect();
    // A question that fails keeps only its error's body, as the batch answers it.
    let resolved: Vec<Result<easel_core::Request<'_>, Value>> = questions
        .iter()
        .map(|q| {
            let q = q.as_ref().map_err(ApiError::body)?;
            let req = q.resolve(state).map_err(|e| ApiError::from(e).body())?;
            asked_within(state, &caller, &req).map_err(|e| e.body())?;
            Ok(req)
        })
        .collect();
    let valid: Vec<easel_core::Request<'_>> = resolved
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    let decisions = easel_core::decide_batch(state, &valid, now);
    app.metrics.decisions(&decisions);
    let revision = reader.revision();
    let mut decisions = decisions.into_iter();
    let results = resolved
        .iter()
        .map(|r| match r {
            Ok(_) => match decisions.next() {
                Some(decision) => BatchItem::Answer(answer(state, &decision, revision)),
                // `decide_batch` answers every question it is given, so this is never
                // reached; were it, the fault would be the server's, not the question's.
                None => BatchItem::Error(BatchError {
                    error: ApiError::new(
                        Code::RequestUnavailable,
                        "the engine gave no answer to this question; nothing was changed",
                    )
                    .body(),
                }),
            },
            Err(error) => BatchItem::Error(BatchError {
                error: error.clone(),
            }),
        })
        .collect();
    drop(resolved);
    drop(reader);
    Ok(axum::Json(BatchOut { results }))
}

/// One layer of an explanation.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LayerOut {
    /// The layer.
    pub layer: &'static str,
    /// `passed`, `refused` or `not_applicable` (`not_reached` after a refusal).
    pub outcome: &'static str,
    /// Why, in words.
    pub note: String,
}

/// One channel of an explanation.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChannelOut {
    /// The channel.
    pub channel: &'static str,
    /// What it goes through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The role it gives now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gives: Option<&'static str>,
    /// Why, in words.
    pub note: String,
}

/// An answer with everything considered.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExplainOut {
    /// The answer, as `/v1/check` gives it.
    #[serde(flatten)]
    pub answer: CheckOut,
    /// Every layer, in order.
    pub layers: Vec<LayerOut>,
    /// For a board, every channel and what it gave.
    pub channels: Vec<ChannelOut>,
}

/// Explain a decision: every layer and every channel considered.
#[utoipa::path(post, path = "/v1/explain", tag = "decision", request_body = CheckIn,
    responses((status = 200, body = ExplainOut)))]
pub async fn explain(
    State(app): State<AppState>,
    caller: Caller,
    Json(body): Json<CheckIn>,
) -> Result<axum::Json<ExplainOut>, ApiError> {
    consistent(&app, body.consistency.as_ref()).await?;
    let started = Instant::now();
    let now = app.engine.now();
    let reader = app.engine.read();
    let state = reader.state();
    let (decision, explanation) = decide_one(state, &caller, body, now)?;
    app.metrics.decision(&decision);
    tracing::debug!(elapsed_us = started.elapsed().as_micros(), "explained");
    Ok(axum::Json(explain_out(
        state,
        &explanation,
        reader.revision(),
    )))
}

/// An explanation as the API answers it.
pub fn explain_out(
    state: &EngineState,
    explanation: &easel_core::Explanation,
    revision: i64,
) -> ExplainOut {
    let layers = explanation
        .layers
        .iter()
        .map(|l| LayerOut {
            layer: l.layer.as_str(),
            outcome: match l.outcome {
                easel_core::Outcome::Passed => "passed",
                easel_core::Outcome::Refused => "refused",
                easel_core::Outcome::NotApplicable => "not_applicable",
            },
            note: l.note.clone(),
        })
        .collect();
    let channels = explanation
        .channels
        .iter()
        .map(|c| ChannelOut {
            channel: c.channel.as_str(),
            via: c.via.map(|v| v.id(state).to_string()),
            gives: c.gives.map(role_name),
            note: c.note.clone(),
        })
        .collect();
    ExplainOut {
        answer: answer(state, &explanation.decision, revision),
        layers,
        channels,
    }
}
