//! Boards, board members, items, board copies and the user groups a board is shared with.

use axum::http::Method;
use serde_json::json;

use super::Case;

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

pub fn cases() -> Vec<Case> {
    let board = "/v2/boards/{board_new}";
    vec![
        Case::new("create-board", Method::POST, "/v2/boards")
            .body(json!({
                "name": "Sprint review",
                "description": "what we shipped",
                "teamId": "team_design",
                "policy": {
                    "sharingPolicy": {"access": "private", "teamAccess": "comment", "organizationAccess": "view"},
                    "permissionsPolicy": {"copyAccess": "team_members", "sharingAccess": "team_members_with_editing_rights", "collaborationToolsStartAccess": "all_editors"}
                }
            }))
            .status(201)
            .save("board_new", "/id"),
        Case::get("get-boards", "/v2/boards?limit=2&offset=0"),
        Case::get("get-boards", "/v2/boards?team_id=team_design&sort=alphabetically"),
        Case::get("get-specific-board", board),
        Case::new("update-board", Method::PATCH, board)
            .body(json!({"name": "Sprint 12 review", "policy": {"sharingPolicy": {"teamAccess": "edit"}}})),
        Case::new("copy-board", Method::PUT, "/v2/boards?copy_from={board_new}")
            .body(json!({"name": "Sprint 13 review", "teamId": "team_design"}))
            .status(201)
            .save("board_copy", "/id"),
        Case::new("share-board", Method::POST, &format!("{board}/members"))
            .body(json!({"emails": ["cy@acme.test"], "role": "commenter", "message": "have a look"}))
            .status(201),
        Case::get("get-board-members", &format!("{board}/members?limit=10&offset=0")),
        Case::get("get-specific-board-member", &format!("{board}/members/usr_cy")),
        Case::new("update-board-member", Method::PATCH, &format!("{board}/members/usr_cy"))
            .body(json!({"role": "editor"})),
        Case::new("remove-board-member", Method::DELETE, &format!("{board}/members/usr_cy"))
            .status(204),
        Case::get("get-items", "/v2/boards/brd_roadmap/items?limit=10")
            .save("item", "/data/1/id"),
        Case::get("get-specific-item", "/v2/boards/brd_roadmap/items/{item}"),
        Case::new(
            "update-item-position-or-parent",
            Method::PATCH,
            "/v2/boards/brd_roadmap/items/{item}",
        )
        .body(json!({"position": {"x": 100.0, "y": 50.0}})),
        Case::new(
            "update-item-position-or-parent",
            Method::PATCH,
            "/v2/boards/brd_roadmap/items/{item}",
        )
        .body(json!({"parent": {"id": "itm_roadmap_frame"}})),
        Case::new("delete-item", Method::DELETE, "/v2/boards/brd_roadmap/items/{item}").status(204),
        Case::new(
            "enterprise-boards-create-group",
            Method::POST,
            "/v2/orgs/3141592653/boards/{board_new}/groups",
        )
        .body(json!({"userGroupIds": ["grp_reviewers"], "role": "VIEWER"})),
        Case::get(
            "enterprise-boards-get-groups",
            "/v2/orgs/3141592653/boards/{board_new}/groups?limit=10",
        ),
        Case::new(
            "enterprise-boards-delete-groups",
            Method::DELETE,
            "/v2/orgs/3141592653/boards/{board_new}/groups/grp_reviewers",
        )
        .status(204),
        Case::new("delete-board", Method::DELETE, "/v2/boards/{board_copy}").status(204),
    ]
}
