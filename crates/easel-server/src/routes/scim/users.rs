//! `/scim/v2/Users`: the organization's members (never its guests) as SCIM Users. Another
//! organization's user, a guest and an unknown id are the same 404.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use easel_core::codes::Code;
use easel_core::command::Command;
use easel_core::roles::MemberKind;
use serde_json::Value;
use utoipa_axum::routes;

use super::wire::{
    ScimAttributeParams, ScimList, ScimListParams, ScimPatchOp, ScimReadErrors, ScimUser,
    ScimUserIn, ScimWriteErrors,
};
use super::{org_id, query, run};
use crate::AppState;
use crate::scim::auth::ScimCaller;
use crate::scim::body::ScimBody;
use crate::scim::error::{Scim, ScimError, ScimType};
use crate::scim::etag::{check_if_match, not_modified};
use crate::scim::listing::{page, parsed_filter, user_name_eq};
use crate::scim::patch::{apply, operations};
use crate::scim::project::project;
use crate::scim::resource::{self, Base, find_user, finish, is_listed, version};
use crate::scim::schema::USER;
use crate::scim::user_write::{self, UserDraft, commands, identity_name, new_member};
use crate::scopes::Rule;
use crate::table::Routes;

/// The Users routes: SCIM tokens only, never app tokens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(list_users), Rule::NotForApps)
        .add(routes!(create_user), Rule::NotForApps)
        .add(routes!(get_user), Rule::NotForApps)
        .add(routes!(replace_user), Rule::NotForApps)
        .add(routes!(patch_user), Rule::NotForApps)
        .add(routes!(delete_user), Rule::NotForApps)
        .add(routes!(search_users), Rule::NotForApps)
}

fn not_found(id: &str) -> ScimError {
    ScimError::not_found(format!("no User `{id}`"))
}

/// A User as answered, and its ETag.
fn answer(
    app: &AppState,
    caller: &ScimCaller,
    base: &Base,
    id: &str,
) -> Result<(Value, String), ScimError> {
    let reader = app.engine.read();
    let state = reader.state();
    let u = find_user(state, caller.org, id).ok_or_else(|| not_found(id))?;
    let user = resource::user(state, caller.org, u).ok_or_else(|| not_found(id))?;
    Ok(finish(user, base, "Users"))
}

/// The User's current resource (its version) and draft.
fn current(app: &AppState, caller: &ScimCaller, id: &str) -> Result<(Value, UserDraft), ScimError> {
    let reader = app.engine.read();
    let state = reader.state();
    let u = find_user(state, caller.org, id).ok_or_else(|| not_found(id))?;
    let user = resource::user(state, caller.org, u).ok_or_else(|| not_found(id))?;
    let draft = user_write::current(state, caller.org, u).ok_or_else(|| not_found(id))?;
    Ok((user, draft))
}

/// List the organization's Users (`filter`, `startIndex`/`count`, `sortBy`/`sortOrder`,
/// `attributes`/`excludedAttributes`).
#[utoipa::path(get, path = "/scim/v2/Users", tag = "scim", operation_id = "listUsers",
    params(ScimListParams),
    responses((status = 200, body = ScimList, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn list_users(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Scim, ScimError> {
    let q = query(raw.as_deref())?;
    let filter = parsed_filter(USER, q.filter.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let org = caller.org;
    let candidates: Vec<_> = match filter.as_ref().and_then(user_name_eq) {
        Some(email) => state
            .find_email(&email)
            .filter(|u| is_listed(state, org, *u))
            .into_iter()
            .collect(),
        None => state.org(org).map_or_else(Vec::new, |o| {
            o.members
                .iter()
                .copied()
                .filter(|u| {
                    state
                        .membership(*u, org)
                        .is_some_and(|m| m.kind == MemberKind::Member)
                })
                .collect()
        }),
    };
    let build = |i: usize| {
        let u = *candidates.get(i)?;
        resource::user(state, org, u).map(|r| finish(r, &base, "Users").0)
    };
    let body = page(USER, &q, filter.as_ref(), candidates.len(), &build)?;
    Ok(Scim(StatusCode::OK, None, body))
}

/// Provision a User: the address becomes a member of the organization (the identity is
/// made if the address is new to Easel, and joined if not). A taken `userName` or
/// `externalId` is a 409 `uniqueness`, and so is a retried creation.
#[utoipa::path(post, path = "/scim/v2/Users", tag = "scim", operation_id = "createUser",
    request_body(content = ScimUserIn, content_type = "application/scim+json"),
    responses((status = 201, body = ScimUser, content_type = "application/scim+json"), ScimWriteErrors))]
pub async fn create_user(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    ScimBody(body): ScimBody,
) -> Result<Scim, ScimError> {
    let draft = user_write::read(&body, None)?;
    let org = org_id(&app, &caller)?;
    let id = {
        let reader = app.engine.read();
        let state = reader.state();
        match state.find_email(&draft.user_name) {
            Some(u) if state.membership(u, caller.org).is_some() => {
                return Err(ScimError::typed(
                    ScimType::Uniqueness,
                    format!(
                        "`{}` is already a User of the organization",
                        draft.user_name
                    ),
                )
                .with_reason(Code::RequestConflict));
            }
            Some(u) => state.user(u).map(|x| x.id.to_string()).unwrap_or_default(),
            None => crate::ids::new_id("usr").map_err(ScimError::from)?,
        }
    };
    let mut cmds = vec![Command::AddMember {
        org: org.clone(),
        user: id.clone(),
        email: draft.user_name.clone(),
        name: identity_name(&draft),
        kind: MemberKind::Member,
    }];
    cmds.extend(commands(&org, &id, &new_member(&draft.user_name), &draft));
    run(&app, &caller, cmds).await?;
    let (user, tag) = answer(&app, &caller, &base, &id)?;
    Ok(Scim(
        StatusCode::CREATED,
        Some(tag),
        project(&user, USER, &[], &[]),
    ))
}

/// A User (`If-None-Match` with its version: 304).
#[utoipa::path(get, path = "/scim/v2/Users/{id}", tag = "scim", operation_id = "getUser",
    params(("id" = String, Path, description = "the user's id"), ScimAttributeParams),
    responses((status = 200, body = ScimUser, content_type = "application/scim+json"),
        (status = 304, description = "the version in `If-None-Match` is current"), ScimReadErrors))]
pub async fn get_user(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ScimError> {
    let q = query(raw.as_deref())?;
    let (user, tag) = answer(&app, &caller, &base, &id)?;
    if not_modified(&headers, &tag)? {
        return Ok(not_modified_response(&tag));
    }
    let shown = project(&user, USER, &q.attributes, &q.excluded_attributes);
    Ok(Scim(StatusCode::OK, Some(tag), shown).into_response())
}

/// A 304 with the version.
pub fn not_modified_response(tag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(tag) {
        response.headers_mut().insert(axum::http::header::ETAG, v);
    }
    response
}

/// Replace a User: what the body says, with commands for what changed only. `active`,
/// `userType` and `roles` left out are left as they are.
#[utoipa::path(put, path = "/scim/v2/Users/{id}", tag = "scim", operation_id = "replaceUser",
    params(("id" = String, Path, description = "the user's id")),
    request_body(content = ScimUserIn, content_type = "application/scim+json"),
    responses((status = 200, body = ScimUser, content_type = "application/scim+json"), ScimWriteErrors))]
pub async fn replace_user(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    Path(id): Path<String>,
    headers: HeaderMap,
    ScimBody(body): ScimBody,
) -> Result<Scim, ScimError> {
    let (before, draft) = current(&app, &caller, &id)?;
    check_if_match(&headers, &version(&before))?;
    if let Some(other) = body.get("id").and_then(Value::as_str).filter(|b| *b != id) {
        return Err(ScimError::typed(
            ScimType::Mutability,
            format!("`id` is read-only: `{other}` is not `{id}`"),
        ));
    }
    let after = user_write::read(&body, Some(&draft))?;
    let org = org_id(&app, &caller)?;
    run(&app, &caller, commands(&org, &id, &draft, &after)).await?;
    let (user, tag) = answer(&app, &caller, &base, &id)?;
    Ok(Scim(
        StatusCode::OK,
        Some(tag),
        project(&user, USER, &[], &[]),
    ))
}

/// Change a User with a PatchOp (add, replace, remove; paths with value filters; the
/// enterprise extension by its URN).
#[utoipa::path(patch, path = "/scim/v2/Users/{id}", tag = "scim", operation_id = "patchUser",
    params(("id" = String, Path, description = "the user's id")),
    request_body(content = ScimPatchOp, content_type = "application/scim+json"),
    responses((status = 200, body = ScimUser, content_type = "application/scim+json"), ScimWriteErrors))]
pub async fn patch_user(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    Path(id): Path<String>,
    headers: HeaderMap,
    ScimBody(body): ScimBody,
) -> Result<Scim, ScimError> {
    let ops = operations(&body)?;
    let (mut resource, draft) = current(&app, &caller, &id)?;
    check_if_match(&headers, &version(&resource))?;
    apply(&mut resource, USER, &ops)?;
    let after = user_write::read(&resource, None)?;
    let org = org_id(&app, &caller)?;
    run(&app, &caller, commands(&org, &id, &draft, &after)).await?;
    let (user, tag) = answer(&app, &caller, &base, &id)?;
    Ok(Scim(
        StatusCode::OK,
        Some(tag),
        project(&user, USER, &[], &[]),
    ))
}

/// Remove a User from the organization: their boards go to the oldest admin of each
/// board's team, else to the account owner. A removal that would leave the organization
/// or a team without an admin, or boards without an heir, is a 409 saying why.
#[utoipa::path(delete, path = "/scim/v2/Users/{id}", tag = "scim", operation_id = "deleteUser",
    params(("id" = String, Path, description = "the user's id")),
    responses((status = 204, description = "removed"), ScimWriteErrors))]
pub async fn delete_user(
    State(app): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Scim, ScimError> {
    let (before, _) = current(&app, &caller, &id)?;
    check_if_match(&headers, &version(&before))?;
    let org = org_id(&app, &caller)?;
    run(
        &app,
        &caller,
        vec![Command::RemoveUser {
            org,
            user: id,
            successor: None,
        }],
    )
    .await?;
    Ok(Scim(StatusCode::NO_CONTENT, None, Value::Null))
}

/// Searching by POST (RFC 7644 §3.4.3) is not supported: list with `GET` and `filter`.
#[utoipa::path(post, path = "/scim/v2/Users/.search", tag = "scim", operation_id = "easel-scim-search-users",
    responses((status = 501, description = "not supported", content_type = "application/scim+json", body = super::wire::ScimErrorOut), ScimReadErrors))]
pub async fn search_users(_caller: ScimCaller) -> ScimError {
    ScimError::not_implemented("searching with POST is not supported: use GET /Users?filter=")
}
