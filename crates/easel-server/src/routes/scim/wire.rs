//! The SCIM messages as the OpenAPI document describes them. The routes answer JSON
//! values built from the schema declarations (`scim::resource`); these types only state
//! their shape for the document, as RFC 7643 and the reference describe it.
#![allow(dead_code, reason = "the document's types: described, never built")]

use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::{ContentBuilder, ObjectBuilder, ResponseBuilder, ResponsesBuilder};
use utoipa::{IntoParams, IntoResponses, ToSchema};

/// The SCIM media type.
pub const SCIM_JSON: &str = "application/scim+json";

/// A SCIM error (RFC 7644 §3.12). Easel's reason code is in the `x-easel-reason` header.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimErrorOut {
    /// `["urn:ietf:params:scim:api:messages:2.0:Error"]`.
    pub schemas: Vec<String>,
    /// The HTTP status, as a string.
    pub status: String,
    /// The RFC's error keyword (`invalidFilter`, `uniqueness`, `mutability`,
    /// `invalidSyntax`, `invalidPath`, `noTarget`, `invalidValue`), where one applies.
    pub scim_type: Option<String>,
    /// What was wrong.
    pub detail: String,
}

/// A resource's metadata.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimMeta {
    /// `User` or `Group`.
    pub resource_type: String,
    /// When the member was provisioned (Users with a profile only).
    pub created: Option<String>,
    /// When the member last changed through the directory (Users with a profile only).
    pub last_modified: Option<String>,
    /// The resource's URL.
    pub location: String,
    /// The weak entity tag, the same as the `ETag` header.
    pub version: String,
}

/// A user's name.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimName {
    /// The full name.
    pub formatted: Option<String>,
    /// The family name.
    pub family_name: Option<String>,
    /// The given name.
    pub given_name: Option<String>,
}

/// An email address.
#[derive(Serialize, ToSchema)]
pub struct ScimEmail {
    /// The address.
    pub value: String,
    /// `work`, `home` or `other`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Whether it is the primary address.
    pub primary: Option<bool>,
}

/// A role: the primary `organization_user_role` (`ORGANIZATION_INTERNAL_ADMIN`,
/// `ORGANIZATION_INTERNAL_USER`) or an `organization_admin_role` (`Content Admin`,
/// `User Admin`, `Security Admin`).
#[derive(Serialize, ToSchema)]
pub struct ScimRole {
    /// The role.
    pub value: String,
    /// `organization_user_role` or `organization_admin_role`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// True for the organization_user_role.
    pub primary: Option<bool>,
}

/// A reference to another resource: a User's team, a Group's member.
#[derive(Serialize, ToSchema)]
pub struct ScimReference {
    /// The id.
    pub value: String,
    /// Its URL.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Its name (a member's on request only).
    pub display: Option<String>,
    /// `User`, for a Group's member.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// The enterprise extension's attributes.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimEnterpriseUser {
    /// Employee number.
    pub employee_number: Option<String>,
    /// Cost center.
    pub cost_center: Option<String>,
    /// Organization.
    pub organization: Option<String>,
    /// Division.
    pub division: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// The manager: `{value, displayName}`.
    #[schema(value_type = Object)]
    pub manager: Option<Value>,
}

/// A SCIM User (RFC 7643 §4.1): a member of the token's organization.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimUser {
    /// The schemas the resource has.
    pub schemas: Vec<String>,
    /// The user's id.
    pub id: String,
    /// The directory's own id.
    pub external_id: Option<String>,
    /// The email address they sign in with.
    pub user_name: String,
    /// Their name.
    pub name: Option<ScimName>,
    /// The name shown.
    pub display_name: Option<String>,
    /// The licence: `Full`, `Occasional`, `Free`, `Free Restricted`.
    pub user_type: Option<String>,
    /// Whether active in the organization.
    pub active: Option<bool>,
    /// Their addresses.
    pub emails: Option<Vec<ScimEmail>>,
    /// Their organization roles.
    pub roles: Option<Vec<ScimRole>>,
    /// Their teams (read-only).
    pub groups: Option<Vec<ScimReference>>,
    /// The enterprise extension.
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    pub enterprise: Option<ScimEnterpriseUser>,
    /// Metadata.
    pub meta: Option<ScimMeta>,
}

/// A SCIM Group (RFC 7643 §4.2): a team of the token's organization.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimGroup {
    /// `["urn:ietf:params:scim:schemas:core:2.0:Group"]`.
    pub schemas: Vec<String>,
    /// The team's id.
    pub id: String,
    /// The team's name.
    pub display_name: String,
    /// The team's members (users; guests never are).
    pub members: Option<Vec<ScimReference>>,
    /// Metadata.
    pub meta: Option<ScimMeta>,
}

/// A User as a directory sends it (create, replace): `schemas` naming the User schema and
/// `userName` are required; the other attributes are as `ScimUser` shows them, and
/// read-only ones (`id`, `groups`, `meta`) are ignored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimUserIn {
    /// The schemas: `urn:ietf:params:scim:schemas:core:2.0:User`, and the enterprise
    /// extension's URN when its attributes are sent.
    pub schemas: Vec<String>,
    /// The email address they sign in with.
    pub user_name: String,
    /// The directory's own id.
    pub external_id: Option<Value>,
    /// `{givenName, familyName, formatted}`.
    pub name: Option<Value>,
    /// The name shown.
    pub display_name: Option<Value>,
    /// The licence: `Full`, `Occasional`, `Free`, `Free Restricted`.
    pub user_type: Option<Value>,
    /// Whether active in the organization (`true`, `false`; the strings `"True"` and
    /// `"False"` some directories send are read too).
    pub active: Option<Value>,
    /// `[{value, type, primary}]`.
    pub emails: Option<Value>,
    /// `[{value, type, primary}]`: `organization_user_role` and `organization_admin_role`.
    pub roles: Option<Value>,
    /// The enterprise extension.
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    pub enterprise: Option<Value>,
}

/// A Group as a directory sends it (create, replace): `schemas` naming the Group schema and
/// `displayName` are required; `members` lists the Users by `value`; read-only attributes
/// are ignored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimGroupIn {
    /// `["urn:ietf:params:scim:schemas:core:2.0:Group"]`.
    pub schemas: Vec<String>,
    /// The team's name.
    pub display_name: String,
    /// The team's members: `[{"value": "<user id>"}]`.
    #[schema(value_type = Option<Vec<Object>>)]
    pub members: Option<Vec<Value>>,
}

/// A `ListResponse` (RFC 7644 §3.4.2).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScimList {
    /// `["urn:ietf:params:scim:api:messages:2.0:ListResponse"]`.
    pub schemas: Vec<String>,
    /// How many resources match.
    pub total_results: usize,
    /// The 1-based index of the first resource of the page.
    pub start_index: usize,
    /// How many resources the page holds.
    pub items_per_page: usize,
    /// The page's resources.
    #[serde(rename = "Resources")]
    #[schema(value_type = Vec<Object>)]
    pub resources: Vec<Value>,
}

/// A PatchOp message (RFC 7644 §3.5.2).
#[derive(Serialize, ToSchema)]
pub struct ScimPatchOp {
    /// `["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`.
    pub schemas: Vec<String>,
    /// The operations, in order: `{op: add|replace|remove, path?, value?}`.
    #[serde(rename = "Operations")]
    #[schema(value_type = Vec<Object>)]
    pub operations: Vec<Value>,
}

/// A discovery document (ServiceProviderConfig, ResourceType, Schema: RFC 7643 §5-7).
#[derive(Serialize, ToSchema)]
pub struct ScimDocument {
    /// The document's schema.
    pub schemas: Vec<String>,
    /// The document's other members.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub rest: Value,
}

/// The query parameters of a list (RFC 7644 §3.4.2).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(non_snake_case, reason = "the RFC's parameter names")]
pub struct ScimListParams {
    /// A filter (RFC 7644 §3.4.2.2), e.g. `userName eq "ada@example.com"`.
    pub filter: Option<String>,
    /// The 1-based index of the first result (default 1).
    pub startIndex: Option<i64>,
    /// The page size (default 100, at most 1000; more is answered with 1000).
    pub count: Option<i64>,
    /// The attribute to sort by.
    pub sortBy: Option<String>,
    /// `ascending` (default) or `descending`.
    pub sortOrder: Option<String>,
    /// The attributes to return, comma-separated.
    pub attributes: Option<String>,
    /// The attributes not to return, comma-separated.
    pub excludedAttributes: Option<String>,
}

/// The query parameters of a single resource's answer (RFC 7644 §3.9).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(non_snake_case, reason = "the RFC's parameter names")]
pub struct ScimAttributeParams {
    /// The attributes to return, comma-separated.
    pub attributes: Option<String>,
    /// The attributes not to return, comma-separated.
    pub excludedAttributes: Option<String>,
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    let schema = ObjectBuilder::new()
        .description(Some("A SCIM error (RFC 7644 §3.12)"))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content(
            SCIM_JSON,
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .build()
}

fn errors(
    statuses: &[(u16, &str)],
) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
    let mut builder = ResponsesBuilder::new();
    for (status, description) in statuses {
        builder = builder.response(status.to_string(), error_response(description));
    }
    builder.build().responses.into_iter().collect()
}

const READ_ERRORS: &[(u16, &str)] = &[
    (400, "malformed parameters: `invalidFilter`, `invalidValue`"),
    (401, "no SCIM token, or one that is not valid"),
    (403, "a token other than a SCIM token"),
    (404, "no such resource in the token's organization"),
];

const WRITE_ERRORS: &[(u16, &str)] = &[
    (
        400,
        "malformed: `invalidSyntax`, `invalidValue`, `invalidPath`, `noTarget`, `mutability`",
    ),
    (401, "no SCIM token, or one that is not valid"),
    (
        403,
        "a token other than a SCIM token, or a change the organization refuses",
    ),
    (404, "no such resource in the token's organization"),
    (
        409,
        "`uniqueness`: the userName or externalId is taken; or the change would leave a team or the organization without an admin",
    ),
    (412, "the resource changed since the version in `If-Match`"),
    (413, "the body is larger than the server accepts"),
    (
        415,
        "the body is not `application/scim+json` or `application/json`",
    ),
];

/// The SCIM errors of a read.
pub struct ScimReadErrors;

impl IntoResponses for ScimReadErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        errors(READ_ERRORS)
    }
}

/// The SCIM errors of a write.
pub struct ScimWriteErrors;

impl IntoResponses for ScimWriteErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        errors(WRITE_ERRORS)
    }
}
