//! The discovery endpoints (RFC 7644 §4): what Easel's SCIM service supports, its resource
//! types and their schemas, to SCIM tokens only (as the reference asks a token too); and
//! `POST /.search`, which Easel does not do.

use axum::extract::Path;
use axum::http::StatusCode;
use serde_json::Value;
use utoipa_axum::routes;

use super::wire::{ScimDocument, ScimErrorOut, ScimList, ScimReadErrors};
use crate::scim::auth::ScimCaller;
use crate::scim::discovery;
use crate::scim::error::{Scim, ScimError};
use crate::scim::list::list_response;
use crate::scim::resource::Base;
use crate::scopes::Rule;
use crate::table::Routes;

/// The discovery routes: SCIM tokens only.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(service_provider_config), Rule::NotForApps)
        .add(routes!(resource_types), Rule::NotForApps)
        .add(routes!(resource_type), Rule::NotForApps)
        .add(routes!(schemas), Rule::NotForApps)
        .add(routes!(schema), Rule::NotForApps)
        .add(routes!(search), Rule::NotForApps)
}

/// What the service supports: PATCH, filters, sorting, ETags; no bulk, no passwords.
#[utoipa::path(get, path = "/scim/v2/ServiceProviderConfig", tag = "scim", operation_id = "listServiceProviderConfigs",
    responses((status = 200, body = ScimDocument, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn service_provider_config(_caller: ScimCaller, base: Base) -> Scim {
    Scim(
        StatusCode::OK,
        None,
        discovery::service_provider_config(&base.0),
    )
}

/// The resource types: User (with the enterprise extension) and Group.
#[utoipa::path(get, path = "/scim/v2/ResourceTypes", tag = "scim", operation_id = "listResourceTypes",
    responses((status = 200, body = ScimList, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn resource_types(_caller: ScimCaller, base: Base) -> Scim {
    let all = discovery::resource_types(&base.0);
    let n = all.len();
    Scim(StatusCode::OK, None, list_response(all, n, 1))
}

/// One resource type: `User` or `Group`.
#[utoipa::path(get, path = "/scim/v2/ResourceTypes/{resource}", tag = "scim", operation_id = "getResourceType",
    params(("resource" = String, Path, description = "`User` or `Group`")),
    responses((status = 200, body = ScimDocument, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn resource_type(
    _caller: ScimCaller,
    base: Base,
    Path(resource): Path<String>,
) -> Result<Scim, ScimError> {
    discovery::resource_type(&base.0, &resource)
        .map(|r| Scim(StatusCode::OK, None, r))
        .ok_or_else(|| ScimError::not_found(format!("no resource type `{resource}`")))
}

/// The schemas: User, Group and the enterprise User extension.
#[utoipa::path(get, path = "/scim/v2/Schemas", tag = "scim", operation_id = "listSchemas",
    responses((status = 200, body = ScimList, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn schemas(_caller: ScimCaller, base: Base) -> Scim {
    let all: Vec<Value> = discovery::schemas(&base.0);
    let n = all.len();
    Scim(StatusCode::OK, None, list_response(all, n, 1))
}

/// One schema, by its URI.
#[utoipa::path(get, path = "/scim/v2/Schemas/{uri}", tag = "scim", operation_id = "getSchema",
    params(("uri" = String, Path, description = "the schema's URI")),
    responses((status = 200, body = ScimDocument, content_type = "application/scim+json"), ScimReadErrors))]
pub async fn schema(
    _caller: ScimCaller,
    base: Base,
    Path(uri): Path<String>,
) -> Result<Scim, ScimError> {
    discovery::schema(&base.0, &uri)
        .map(|s| Scim(StatusCode::OK, None, s))
        .ok_or_else(|| ScimError::not_found(format!("no schema `{uri}`")))
}

/// Searching by POST across resource types (RFC 7644 §3.4.3) is not supported.
#[utoipa::path(post, path = "/scim/v2/.search", tag = "scim", operation_id = "easel-scim-search",
    responses((status = 501, description = "not supported", content_type = "application/scim+json", body = ScimErrorOut), ScimReadErrors))]
pub async fn search(_caller: ScimCaller) -> ScimError {
    ScimError::not_implemented(
        "searching with POST is not supported: list each resource type with GET and `filter`",
    )
}
