//! User groups and their members.

use axum::http::Method;
use serde_json::json;

use super::Case;

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

pub fn cases() -> Vec<Case> {
    let group = "/v2/orgs/3141592653/groups/{group_new}";
    vec![
        Case::get("enterprise-get-groups", "/v2/orgs/3141592653/groups?limit=10"),
        Case::new("enterprise-create-group", Method::POST, "/v2/orgs/3141592653/groups")
            .body(json!({"name": "Auditors", "description": "read-only reviewers"}))
            .status(201)
            .save("group_new", "/id"),
        Case::get("enterprise-get-group", group),
        Case::new("enterprise-update-group", Method::PATCH, group)
            .body(json!({"name": "External auditors", "description": "reviewers"})),
        Case::new("enterprise-create-group-member", Method::POST, &format!("{group}/members"))
            .body(json!({"email": "ben@acme.test"}))
            .status(201)
            .save("group_member", "/id"),
        Case::get("enterprise-get-group-members", &format!("{group}/members?limit=10")),
        Case::get("enterprise-get-group-member", &format!("{group}/members/{{group_member}}")),
        Case::new("enterprise-update-group-members", Method::PATCH, &format!("{group}/members"))
            .body(json!({"membersToAdd": ["cy@acme.test", "usr_eve"], "membersToRemove": ["ben@acme.test"]}))
            .status(207),
        // Partial success: one user added, one unknown email refused, in separate parts.
        Case::new("enterprise-update-group-members", Method::PATCH, &format!("{group}/members"))
            .body(json!({"membersToAdd": ["ben@acme.test", "nobody@acme.test"]}))
            .status(207),
        Case::new(
            "enterprise-delete-group-member",
            Method::DELETE,
            &format!("{group}/members/usr_eve"),
        )
        .status(204),
        Case::new("enterprise-delete-group", Method::DELETE, group).status(204),
    ]
}
