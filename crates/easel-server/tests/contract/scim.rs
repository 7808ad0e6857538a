//! SCIM 2.0: the identity provider's Users and Groups (teams) and the discovery documents,
//! called at Easel's SCIM base (`/scim/v2`) with the organization's SCIM token.

use axum::http::Method;
use serde_json::json;

use super::{Case, Token};

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn scim(op: &'static str, method: Method, path: &str) -> Case {
    Case::new(op, method, &format!("/scim/v2{path}")).token(Token::Scim)
}

pub fn cases() -> Vec<Case> {
    vec![
        scim("listServiceProviderConfigs", Method::GET, "/ServiceProviderConfig"),
        scim("listResourceTypes", Method::GET, "/ResourceTypes"),
        scim("getResourceType", Method::GET, "/ResourceTypes/User"),
        scim("listSchemas", Method::GET, "/Schemas"),
        scim("getSchema", Method::GET, &format!("/Schemas/{USER}")),
        scim("createUser", Method::POST, "/Users")
            .body(json!({
                "schemas": [USER],
                "userName": "kim@acme.test",
                "name": {"givenName": "Kim", "familyName": "Park"},
                "displayName": "Kim Park",
                "userType": "Full",
            }))
            .status(201)
            .save("scim_user", "/id"),
        scim(
            "listUsers",
            Method::GET,
            "/Users?filter=userName%20eq%20%22kim@acme.test%22&startIndex=1&count=10&sortBy=userName&sortOrder=ascending",
        ),
        scim("listUsers", Method::GET, "/Users?attributes=userName,active&count=2"),
        scim("getUser", Method::GET, "/Users/{scim_user}?attributes=userName"),
        scim("replaceUser", Method::PUT, "/Users/{scim_user}").body(json!({
            "schemas": [USER],
            "userName": "kim@acme.test",
            "name": {"givenName": "Kim", "familyName": "Park-Lee"},
            "displayName": "Kim Park-Lee",
            "active": true,
        })),
        scim("patchUser", Method::PATCH, "/Users/{scim_user}").body(json!({
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "path": "displayName", "value": "Kim"}],
        })),
        scim("listGroups", Method::GET, "/Groups?filter=displayName%20eq%20%22Design%22&count=5"),
        scim("getGroup", Method::GET, "/Groups/team_design"),
        scim("patchGroup", Method::PATCH, "/Groups/team_design")
            .body(json!({
                "schemas": [PATCH],
                "Operations": [{"op": "Add", "path": "members", "value": [{"value": "{scim_user}"}]}],
            }))
            .unchecked_body(
                "the reference's PatchGroupResource puts the PatchOp URN's enum on the `schemas` array itself, so no array passes; RFC 7644 §3.5.2 sends the array",
            ),
        scim("deleteUser", Method::DELETE, "/Users/{scim_user}").status(204),
    ]
}
