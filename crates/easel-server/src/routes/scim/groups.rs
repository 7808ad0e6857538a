//! `/scim/v2/Groups`: the organization's teams as SCIM Groups; their members are the
//! team's users. Easel keeps no `externalId` for a team: one sent is not kept.

use std::collections::HashSet;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use easel_core::State as EngineState;
use easel_core::command::Command;
use easel_core::ids::OrgIx;
use easel_core::roles::TeamRole;
use serde_json::Value;
use utoipa_axum::routes;

use super::users::not_modified_response;
use super::wire::{
    ScimAttributeParams, ScimGroup, ScimGroupIn, ScimList, ScimListParams, ScimPatchOp,
    ScimReadErrors, ScimWriteErrors,
};
use super::{org_id, query, run};
use crate::AppState;
use crate::scim::auth::ScimCaller;
use crate::scim::body::ScimBody;
use crate::scim::error::{Scim, ScimError, ScimType};
use crate::scim::etag::{check_if_match, not_modified};
use crate::scim::listing::{page, parsed_filter};
use crate::scim::patch::{apply, operations};
use crate::scim::project::project;
use crate::scim::resource::{self, Base, find_group, find_user, finish, version};
use crate::scim::schema::GROUP;
use crate::scopes::Rule;
use crate::table::Routes;

/// The Groups routes: SCIM tokens only, never app tokens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(list_groups), Rule::NotForApps)
        .add(routes!(create_group), Rule::NotForApps)
        .add(routes!(get_group), Rule::NotForApps)
        .add(routes!(replace_group), Rule::NotForApps)
        .add(routes!(patch_group), Rule::NotForApps)
        .add(routes!(delete_group), Rule::NotForApps)
        .add(routes!(search_groups), Rule::NotForApps)
}

fn not_found(id: &str) -> ScimError {
    ScimError::not_found(format!("no Group `{id}`"))
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError::typed(ScimType::InvalidValue, detail)
}

/// The most members one Group request adds or removes: a larger change is made in several
/// requests (the team itself may be larger).
pub const MAX_MEMBER_CHANGES: usize = 10_000;

/// What a Group body asks: a name and the members' ids.
struct GroupDraft {
    name: String,
    members: Vec<String>,
}

/// Reads a Group body; every member must be a User of the organization.
fn read(state: &EngineState, org: OrgIx, body: &Value) -> Result<GroupDraft, ScimError> {
    crate::scim::body::names_schema(body, GROUP)?;
    let object = body
        .as_object()
        .ok_or_else(|| invalid("a Group is an object"))?;
    let get = |name: &str| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    };
    let name = match get("displayName") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err(invalid("`displayName` is required: the team's name")),
    };
    let mut members: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let items = match get("members") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(_) => return Err(invalid("`members` is a list")),
    };

    for item in items {
        let value = item
            .as_object()
            .and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("value"))
                    .map(|(_, v)| v)
            })
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("each of `members` has a `value`: a User's id"))?;
        let kind = item
            .as_object()
            .and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("type"))
                    .map(|(_, v)| v)
            })
            .and_then(Value::as_str);
        if kind.is_some_and(|k| !k.eq_ignore_ascii_case("User")) {
            return Err(invalid("a team's members are Users"));
        }
        if find_user(state, org, value).is_none() {
            return Err(invalid(format!("no User `{value}` to be a member")));
        }
        if seen.insert(value) {
            members.push(value.to_string());
        }
    }
    Ok(GroupDraft { name, members })
}

/// The commands that take a team from `before` to `after`, at most `MAX_MEMBER_CHANGES`
/// of members.
fn changes(team: &str, before: &GroupDraft, after: &GroupDraft) -> Result<Vec<Command>, ScimError> {
    let was: HashSet<&String> = before.members.iter().collect();
    let is: HashSet<&String> = after.members.iter().collect();
    let changed = is.symmetric_difference(&was).count();
    if changed > MAX_MEMBER_CHANGES {
        return Err(invalid(format!(
            "at most {MAX_MEMBER_CHANGES} members added or removed in one request"
        )));
    }
    let mut out = Vec::new();
    if before.name != after.name {
        out.push(Command::RenameTeam {
            team: team.to_string(),
            name: after.name.clone(),
        });
    }
    for m in after.members.iter().filter(|m| !was.contains(m)) {
        out.push(Command::SetTeamMember {
            team: team.to_string(),
            user: m.clone(),
            role: TeamRole::Member,
        });
    }
    for m in before.members.iter().filter(|m| !is.contains(m)) {
        out.push(Command::RemoveTeamMember {
            team: team.to_string(),
            user: m.clone(),
        });
    }
    Ok(out)
}

fn answer(
    app: &AppState,
    caller: &ScimCaller,
    base: &Base,
    id: &str,
) -> Result<(Value, String), ScimError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = find_group(state, caller.org, id).ok_or_else(|| not_found(id))?;
    let group = resource::group(state, caller.org, t).ok_or_else(|| not_found(id))?;
    Ok(finish(group, base, "Groups"))
}

/// The Group's resource (for its version) and draft.
fn current(
    app: &AppState,
    caller: &ScimCaller,
    id: &str,
) -> Result<(Value, GroupDraft), ScimError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = find_group(state, caller.org, id).ok_or_else(|| not_found(id))?;
    let group = resource::group(state, caller.org, t).ok_or_else(|| not_found(id))?;
    let draft = read(state, caller.org, &group)?;
    Ok((group, draft))
}

/// List the organization's Groups (teams).
#[utoipa::path(get, path = "/scim/v2/Groups", tag = "scim", operation_id = "listGroups",
    params(ScimListParams),
    responses((status = 200, body = ScimList, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn list_groups(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    RawQuery(raw): RawQuery,
) -> Result<Scim, ScimError> {
    let q = query(raw.as_deref())?;
    let filter = parsed_filter(GROUP, q.filter.as_deref())?;
    let reader = app.engine.read();
    let state = reader.state();
    let org = caller.org;
    let teams: Vec<_> = state.org(org).map_or_else(Vec::new, |o| {
        o.teams
            .iter()
            .copied()
            .filter(|t| state.team(*t).is_some_and(|x| !x.deleted))
            .collect()
    });
    let build = |i: usize| {
        let t = *teams.get(i)?;
        resource::group(state, org, t).map(|r| finish(r, &base, "Groups").0)
    };
    let body = page(GROUP, &q, filter.as_ref(), teams.len(), &build)?;
    Ok(Scim(StatusCode::OK, None, body))
}

/// Create a Group: a team of the organization, with its members.
#[utoipa::path(post, path = "/scim/v2/Groups", tag = "scim", operation_id = "easel-scim-create-group",
    request_body(content = ScimGroupIn, content_type = "application/scim+json"),
    responses((status = 201, body = ScimGroup, content_type = "application/scim+json"), ScimWriteErrors))]
pub async fn create_group(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    ScimBody(body): ScimBody,
) -> Result<Scim, ScimError> {
    let draft = {
        let reader = app.engine.read();
        read(reader.state(), caller.org, &body)?
    };
    let org = org_id(&app, &caller)?;
    let id = crate::ids::new_id("team").map_err(ScimError::from)?;
    let mut cmds = vec![Command::CreateTeam {
        org,
        team: id.clone(),
        name: draft.name.clone(),
    }];
    let empty = GroupDraft {
        name: draft.name.clone(),
        members: Vec::new(),
    };
    cmds.extend(changes(&id, &empty, &draft)?);
    run(&app, &caller, cmds).await?;
    let (group, tag) = answer(&app, &caller, &base, &id)?;
    Ok(Scim(
        StatusCode::CREATED,
        Some(tag),
        project(&group, GROUP, &[], &[]),
    ))
}

/// A Group (`If-None-Match` with its version: 304).
#[utoipa::path(get, path = "/scim/v2/Groups/{id}", tag = "scim", operation_id = "getGroup",
    params(("id" = String, Path, description = "the team's id"), ScimAttributeParams),
    responses((status = 200, body = ScimGroup, content_type = "application/scim+json"),
        (status = 304, description = "the version in `If-None-Match` is current"), ScimReadErrors))]
pub async fn get_group(
    State(app): State<AppState>,
    caller: ScimCaller,
    base: Base,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ScimError> {
    let q = query(raw.as_deref())?;
    let (group, tag) = answer(&app, &caller, &base, &id)?;
    if not_modified(&headers, &tag)? {
        return Ok(not_modified_response(&tag));
    }
    let shown = project(&group, GROUP, &q.attributes, &q.excluded_attributes);
    Ok(Scim(StatusCode::OK, Some(tag), shown).into_response())
}

/// Replace a Group: its name and its whole member list.
#[utoipa::path(put, path = "/scim/v2/Groups/{id}", tag = "scim", operation_id = "easel-scim-replace-group",
    params(("id" = String, Path, description = "the team's id")),
    request_body(content = ScimGroupIn, content_type = "application/scim+json"),
    responses((status = 200, body = ScimGroup, content_type = "application/scim+json"), ScimWriteErrors))]
pub async fn replace_group(
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
    write(&app, &caller, &base, &id, &draft, &body).await
}

/// Takes team `id` from `draft` to what the Group `wanted` says (a PUT's body, or the
/// resource as a PatchOp left it), with only the commands that change something, and
/// answers the Group as it then is.
async fn write(
    app: &AppState,
    caller: &ScimCaller,
    base: &Base,
    id: &str,
    draft: &GroupDraft,
    wanted: &Value,
) -> Result<Scim, ScimError> {
    let after = {
        let reader = app.engine.read();
        read(reader.state(), caller.org, wanted)?
    };
    let cmds = changes(id, draft, &after)?;
    if !cmds.is_empty() {
        run(app, caller, cmds).await?;
    }
    let (group, tag) = answer(app, caller, base, id)?;
    Ok(Scim(
        StatusCode::OK,
        Some(tag),
        project(&group, GROUP, &[], &[]),
    ))
}

/// Change a Group with a PatchOp: members added, removed (`members[value eq "..."]`) or
/// replaced, `displayName` replaced (also as the reference sends it: a `replace` without
/// a path whose value is `{id, displayName}`).
#[utoipa::path(patch, path = "/scim/v2/Groups/{id}", tag = "scim", operation_id = "patchGroup",
    params(("id" = String, Path, description = "the team's id")),
    request_body(content = ScimPatchOp, content_type = "application/scim+json"),
    responses((status = 200, body = ScimGroup, content_type = "application/scim+json"), ScimWriteErrors))]
pub async fn patch_group(
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
    apply(&mut resource, GROUP, &ops)?;
    write(&app, &caller, &base, &id, &draft, &resource).await
}

/// Delete a Group: the team is deleted, its boards go to the trash (restorable).
#[utoipa::path(delete, path = "/scim/v2/Groups/{id}", tag = "scim", operation_id = "easel-scim-delete-group",
    params(("id" = String, Path, description = "the team's id")),
    responses((status = 204, description = "deleted"), ScimWriteErrors))]
pub async fn delete_group(
    State(app): State<AppState>,
    caller: ScimCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Scim, ScimError> {
    let (before, _) = current(&app, &caller, &id)?;
    check_if_match(&headers, &version(&before))?;
    run(&app, &caller, vec![Command::DeleteTeam { team: id }]).await?;
    Ok(Scim(StatusCode::NO_CONTENT, None, Value::Null))
}

/// Searching by POST (RFC 7644 §3.4.3) is not supported: list with `GET` and `filter`.
#[utoipa::path(post, path = "/scim/v2/Groups/.search", tag = "scim", operation_id = "easel-scim-search-groups",
    responses((status = 501, description = "not supported", content_type = "application/scim+json", body = super::wire::ScimErrorOut), ScimReadErrors))]
pub async fn search_groups(_caller: ScimCaller) -> ScimError {
    ScimError::not_implemented("searching with POST is not supported: use GET /Groups?filter=")
}
