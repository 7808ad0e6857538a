//! Refused writes are audited in the organization they targeted, whatever a route answered:
//! a write a route turns away before any command (a 404 for what the caller may not see, a
//! 403 from a pre-check) leaves the same kind of record a refused command does — actor,
//! target, code — while the caller learns nothing more than the refusal.

use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::{Method, StatusCode, header::AUTHORIZATION};
use axum::middleware::Next;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::command::{AuditOutcome, AuditRecord};
use easel_core::ids::OrgIx;

use crate::AppState;
use crate::auth::{Caller, bearer, resolve};
use crate::error::{Answered, Audited};

/// What a refused write is recorded against: its organization and `kind:id`.
fn target(
    state: &EngineState,
    route: &str,
    params: &[(String, String)],
) -> Option<(OrgIx, String)> {
    // A parameter by its kind: `{team}` or, as the reference names it, `{team_id}`.
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name || k.strip_suffix("_id") == Some(name))
            .map(|(_, v)| v.as_str())
    };
    // The most specific id first: it names both the organization and the thing.
    if let Some(id) = param("board")
        .or(param("board_id"))
        .or(param("id").filter(|_| route.starts_with("/v2/boards/")))
    {
        let b = state.find_board(id)?;
        return Some((state.board(b)?.org, format!("board:{id}")));
    }
    if let Some(id) = param("app") {
        let a = state.find_app(id)?;
        return Some((state.app(a)?.org, format!("app:{id}")));
    }
    if let Some(id) = param("installation") {
        let i = state.find_installation(id)?;
        return Some((state.installation(i)?.org, format!("installation:{id}")));
    }
    if let Some(id) = param("invitation") {
        let i = state.find_invitation(id)?;
        return Some((state.invitation(i)?.org, format!("invitation:{id}")));
    }
    let org = state.find_org(param("org")?)?;
    let named = |kind: &str| param(kind).map(|id| format!("{kind}:{id}"));
    let what = named("project")
        .or_else(|| named("team"))
        .or_else(|| named("group"))
        .or_else(|| named("member"))
        .or_else(|| named("request"))
        .or_else(|| named("case"))
        .or_else(|| named("domain"))
        .unwrap_or_else(|| format!("org:{}", param("org").unwrap_or_default()));
    Some((org, what))
}

/// The middleware (after routing, so the route and its parameters are known).
pub async fn audit(
    State(app): State<AppState>,
    route: Option<MatchedPath>,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !write {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .map(str::to_string);
    let response = next.run(request).await;
    let refused = matches!(
        response.status(),
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
    );
    if !refused || response.extensions().get::<Audited>().is_some() {
        return response;
    }
    let (Some(route), Some(token), Some(Answered(code))) = (
        route,
        token,
        response.extensions().get::<Answered>().copied(),
    ) else {
        return response;
    };
    let params: Vec<(String, String)> = params
        .ok()
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let record = {
        let reader = app.engine.read();
        let state = reader.state();
        // Only a caller who presented a valid credential is an actor to record.
        let actor = match resolve(state, &token) {
            Ok(Caller::User { id, .. }) => Some(id),
            Ok(Caller::Service { token_id, .. } | Caller::Provisioner { token_id, .. }) => {
                Some(token_id)
            }
            Err(_) => None,
        };
        actor.and_then(|actor| {
            let (org, target) = target(state, route.as_str(), &params)?;
            Some(AuditRecord {
                org: state.org(org)?.id.to_string(),
                at: app.engine.now(),
                actor: Some(actor),
                action: format!("{method} {}", route.as_str()),
                target,
                outcome: AuditOutcome::Refused { code },
                changes: Vec::new(),
            })
        })
    };
    if let Some(record) = record
        && let Err(error) = app.engine.record_refusal(record).await
    {
        tracing::warn!(%error, "recording a refused write failed");
    }
    response
}
