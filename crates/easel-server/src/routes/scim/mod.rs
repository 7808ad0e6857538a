//! SCIM 2.0 (RFC 7643, RFC 7644) under `/scim/v2`: an organization's identity provider
//! provisions its Users (members) and Groups (teams) with the organization's SCIM token.
//! Every change is a command the engine decides for that token, all of one request or
//! none; every answer, error or not, is `application/scim+json`.

pub mod groups;
pub mod meta;
pub mod users;
pub mod wire;

use axum::http::StatusCode;
use easel_core::codes::Code;
use easel_core::command::{Command, Outcome};

use crate::AppState;
use crate::engine::Acting;
use crate::error::ApiError;
use crate::scim::auth::ScimCaller;
use crate::scim::error::ScimError;
use crate::scim::list::ListQuery;
use crate::scim::path::parse_attribute_list;
use crate::table::Routes;

/// Every SCIM route.
pub fn routes() -> Routes {
    Routes::new()
        .merge(users::routes())
        .merge(groups::routes())
        .merge(meta::routes())
}

/// Runs a request's commands as its SCIM token, all or nothing. The engine's refusals
/// are said the SCIM way: a removal that would leave the organization or a team without
/// an admin, or a user without an heir for their boards, is a 409 saying why (Easel's code
/// in `x-easel-reason`); an unknown target a 404.
pub async fn run(
    app: &AppState,
    caller: &ScimCaller,
    commands: Vec<Command>,
) -> Result<(), ScimError> {
    let (outcome, _) = app
        .engine
        .run_all(Acting::Provisioner(caller.token_id.clone()), commands)
        .await
        .map_err(|e| ScimError::from(ApiError::from(e)))?;
    match outcome {
        Outcome::Accepted { .. } => Ok(()),
        Outcome::Refused { refusal, .. } => {
            let code = refusal.code;
            let mut error = ScimError::from(ApiError::from(refusal));
            if matches!(
                code,
                Code::AuthorityLastCompanyAdmin
                    | Code::AuthorityLastTeamAdmin
                    | Code::AuthorityNoSuccessor
            ) {
                error.status = StatusCode::CONFLICT;
            }
            if code == Code::RequestNotFound {
                error.status = StatusCode::NOT_FOUND;
            }
            Err(error)
        }
    }
}

/// The query of a list or a read, with its attribute lists checked for syntax.
pub fn query(raw: Option<&str>) -> Result<ListQuery, ScimError> {
    let q = ListQuery::parse(raw)?;
    for list in [&q.attributes, &q.excluded_attributes] {
        parse_attribute_list(&list.join(",")).map_err(|e| {
            ScimError::typed(crate::scim::error::ScimType::InvalidValue, e.to_string())
        })?;
    }
    Ok(q)
}

/// The organization's id, for commands.
pub fn org_id(app: &AppState, caller: &ScimCaller) -> Result<String, ScimError> {
    let reader = app.engine.read();
    reader
        .state()
        .org(caller.org)
        .map(|o| o.id.to_string())
        .ok_or_else(|| ScimError::not_found("the token's organization is gone"))
}
