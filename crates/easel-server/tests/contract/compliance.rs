//! Audit logs, content logs, data classification, cases and legal holds.

use axum::http::Method;
use serde_json::json;

use super::Case;

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

/// The reference's `LegalHoldRequestScopeUsers` requires a property `user` while it
/// defines `users`, the one its clients send.
const SCOPE_TYPO: &str = "the users scope requires `user` but defines `users`";

pub fn cases() -> Vec<Case> {
    let case = "/v2/orgs/3141592653/cases/{case_new}";
    let hold = "/v2/orgs/3141592653/cases/{case_new}/legal-holds/{hold_new}";
    vec![
        Case::get(
            "enterprise-get-audit-logs",
            "/v2/audit/logs?createdAfter=2020-01-01T00:00:00.000Z&createdBefore=2030-01-01T00:00:00.000Z&limit=5&sorting=DESC",
        ),
        Case::get(
            "enterprise-board-content-item-logs-fetch",
            "/v2/orgs/3141592653/content-logs/items?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&limit=5&sorting=asc",
        ),
        Case::get(
            "enterprise-dataclassification-organization-settings-get",
            "/v2/orgs/3141592653/data-classification-settings",
        )
        .save("label", "/labels/1/id"),
        Case::get(
            "enterprise-dataclassification-team-settings-get",
            "/v2/orgs/3141592653/teams/team_design/data-classification-settings",
        ),
        Case::new(
            "enterprise-dataclassification-team-settings-set",
            Method::PATCH,
            "/v2/orgs/3141592653/teams/team_design/data-classification-settings",
        )
        .body(json!({"enabled": true})),
        Case::new(
            "enterprise-dataclassification-board-set",
            Method::POST,
            "/v2/orgs/3141592653/teams/team_design/boards/brd_roadmap/data-classification",
        )
        .body(json!({"labelId": "{label}"})),
        Case::get(
            "enterprise-dataclassification-board-get",
            "/v2/orgs/3141592653/teams/team_design/boards/brd_roadmap/data-classification",
        ),
        Case::new(
            "enterprise-dataclassification-team-boards-bulk",
            Method::PATCH,
            "/v2/orgs/3141592653/teams/team_design/data-classification",
        )
        .body(json!({"labelId": 1, "notClassifiedOnly": true})),
        Case::new("create-case", Method::POST, "/v2/orgs/3141592653/cases")
            .body(json!({"name": "Acme v. Example", "description": "discovery"}))
            .save("case_new", "/id"),
        Case::get("get-all-cases", "/v2/orgs/3141592653/cases?limit=10"),
        Case::get("get-case", case),
        Case::new("edit-case", Method::PUT, case)
            .body(json!({"name": "Acme v. Example Corp", "description": "discovery, phase 2"})),
        Case::new(
            "create-legal-hold",
            Method::POST,
            &format!("{case}/legal-holds"),
        )
        .body(json!({"name": "Design team", "scope": {"users": [{"email": "ben@acme.test"}]}}))
        .unchecked_body(SCOPE_TYPO)
        .save("hold_new", "/id"),
        Case::get(
            "get-all-legal-holds",
            &format!("{case}/legal-holds?limit=10"),
        ),
        Case::get("get-legal-hold", hold),
        Case::new("edit-legal-hold", Method::PUT, hold)
            .body(json!({
                "name": "Design team",
                "description": "Ben and Cy",
                "scope": {"users": [{"email": "ben@acme.test"}, {"email": "cy@acme.test"}]}
            }))
            .unchecked_body(SCOPE_TYPO),
        Case::get(
            "get-legal-hold-content-items",
            &format!("{hold}/content-items?limit=10"),
        ),
        Case::new("delete-legal-hold", Method::DELETE, hold).status(204),
        Case::new("delete-case", Method::DELETE, case).status(204),
    ]
}
