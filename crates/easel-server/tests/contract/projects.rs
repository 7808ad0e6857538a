//! Projects, their settings and members, and the user groups assigned to them.

use axum::http::Method;
use serde_json::json;

use super::Case;

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

pub fn cases() -> Vec<Case> {
    let projects = "/v2/orgs/3141592653/teams/team_design/projects";
    let project = "/v2/orgs/3141592653/teams/team_design/projects/{project_new}";
    vec![
        Case::new("enterprise-create-project", Method::POST, projects)
            .body(json!({"name": "Q4 launch"}))
            .status(201)
            .save("project_new", "/id"),
        Case::get("enterprise-get-projects", &format!("{projects}?limit=10")),
        Case::get("enterprise-get-project", project),
        Case::new("enterprise-update-project", Method::PATCH, project)
            .body(json!({"name": "Q4 launch plan"})),
        Case::get(
            "enterprise-get-project-settings",
            &format!("{project}/settings"),
        ),
        Case::new(
            "enterprise-update-project-settings",
            Method::PATCH,
            &format!("{project}/settings"),
        )
        .body(json!({"sharingPolicySettings": {"teamAccess": "view"}})),
        Case::new(
            "enterprise-add-project-member",
            Method::POST,
            &format!("{project}/members"),
        )
        .body(json!({"email": "cy@acme.test", "role": "commentator"}))
        .status(201)
        .save("project_member", "/id"),
        Case::get(
            "enterprise-get-project-members",
            &format!("{project}/members?limit=10"),
        ),
        Case::get(
            "enterprise-get-project-member",
            &format!("{project}/members/{{project_member}}"),
        ),
        Case::new(
            "enterprise-update-project-member",
            Method::PATCH,
            &format!("{project}/members/{{project_member}}"),
        )
        .body(json!({"role": "editor"})),
        Case::new(
            "enterprise-delete-project-member",
            Method::DELETE,
            &format!("{project}/members/{{project_member}}"),
        )
        .status(204),
        Case::new(
            "enterprise-project-create-group",
            Method::POST,
            "/v2/orgs/3141592653/projects/{project_new}/groups",
        )
        .body(json!({"userGroupIds": ["grp_reviewers"], "role": "VIEWER"})),
        Case::new(
            "enterprise-project-create-group",
            Method::POST,
            "/v2/orgs/3141592653/projects/{project_new}/groups",
        )
        .body(json!({"userGroupIds": ["grp_reviewers"], "role": "COMMENTER"})),
        Case::get(
            "enterprise-projects-get-groups",
            "/v2/orgs/3141592653/projects/{project_new}/groups?limit=10",
        ),
        Case::new(
            "enterprise-project-delete-groups",
            Method::DELETE,
            "/v2/orgs/3141592653/projects/{project_new}/groups/grp_reviewers",
        )
        .status(204),
        Case::new("enterprise-delete-project", Method::DELETE, project).status(204),
    ]
}
