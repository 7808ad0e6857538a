//! Teams, their members, their settings, and the user groups in them.

use axum::http::Method;
use serde_json::json;

use super::Case;

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

pub fn cases() -> Vec<Case> {
    let team = "/v2/orgs/3141592653/teams/{team_new}";
    vec![
        Case::get("enterprise-get-teams", "/v2/orgs/3141592653/teams?limit=10"),
        Case::get("enterprise-get-teams", "/v2/orgs/3141592653/teams?name=Des"),
        Case::get("enterprise-get-teams", "/v2/orgs/3141592653/teams?limit=1").save("teams_next", "/cursor"),
        Case::get(
            "enterprise-get-teams",
            "/v2/orgs/3141592653/teams?limit=1&cursor={teams_next}",
        ),
        Case::new(
            "enterprise-create-team",
            Method::POST,
            "/v2/orgs/3141592653/teams",
        )
        .body(json!({"name": "Research"}))
        .status(201)
        .save("team_new", "/id"),
        Case::get("enterprise-get-team", team),
        Case::new("enterprise-update-team", Method::PATCH, team)
            .body(json!({"name": "Research Lab"})),
        Case::new("enterprise-update-team", Method::PATCH, team).body(json!({})),
        Case::new(
            "enterprise-invite-team-member",
            Method::POST,
            &format!("{team}/members"),
        )
        .body(json!({"email": "cy@acme.test", "role": "member"}))
        .status(201)
        .save("team_member", "/id"),
        Case::get(
            "enterprise-get-team-members",
            &format!("{team}/members?limit=10"),
        ),
        Case::get(
            "enterprise-get-team-members",
            &format!("{team}/members?role=member"),
        ),
        Case::get(
            "enterprise-get-team-members",
            "/v2/orgs/3141592653/teams/team_design/members?role=admin&limit=1",
        ),
        Case::get(
            "enterprise-get-team-member",
            &format!("{team}/members/{{team_member}}"),
        ),
        Case::new(
            "enterprise-update-team-member",
            Method::PATCH,
            &format!("{team}/members/{{team_member}}"),
        )
        .body(json!({"role": "admin"})),
        Case::new(
            "enterprise-delete-team-member",
            Method::DELETE,
            &format!("{team}/members/{{team_member}}"),
        )
        .status(204),
        Case::get(
            "enterprise-get-team-settings",
            "/v2/orgs/3141592653/teams/team_design/settings",
        ),
        Case::new(
            "enterprise-update-team-settings",
            Method::PATCH,
            "/v2/orgs/3141592653/teams/team_design/settings",
        )
        .body(json!({
            "teamCollaborationSettings": {"coOwnerRole": "enabled"},
            "teamAccountDiscoverySettings": {"accountDiscovery": "request"},
            // Easel shares a new board with its team as editors or not at all: `view` and
            // `comment` are refused (tests/team_settings.rs).
            "teamSharingPolicySettings": {"defaultBoardAccess": "edit", "sharingViaPublicLink": "allowed"}
        })),
        Case::new(
            "enterprise-teams-create-group",
            Method::POST,
            &format!("{team}/groups"),
        )
        .body(json!({"userGroupId": "grp_reviewers", "role": "member"}))
        .status(201),
        Case::get(
            "enterprise-teams-get-groups",
            &format!("{team}/groups?limit=10"),
        ),
        Case::get(
            "enterprise-teams-get-group",
            &format!("{team}/groups/grp_reviewers"),
        ),
        Case::get(
            "enterprise-groups-get-teams",
            "/v2/orgs/3141592653/groups/grp_reviewers/teams",
        ),
        Case::get(
            "enterprise-groups-get-team",
            "/v2/orgs/3141592653/groups/grp_reviewers/teams/{team_new}",
        ),
        Case::new(
            "enterprise-teams-delete-group",
            Method::DELETE,
            &format!("{team}/groups/grp_reviewers"),
        )
        .status(204),
        Case::new("enterprise-delete-team", Method::DELETE, team).status(204),
    ]
}
