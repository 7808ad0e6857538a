//! User groups assigned to projects over HTTP: a member of the group reaches the project's
//! boards through the project channel with the group as the reason, and loses that access
//! when the group is taken off the project; the assignment answers in the reference's shape.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, demo_app};
use serde_json::{Value, json};

const GROUPS: &str = "/v2/orgs/3141592653/projects/prj_launch/groups";

/// The reasons `/v1/check` gives for eve (a member of `grp_reviewers`) editing the board in
/// the project, as `channel:via`.
async fn eve_on_roadmap(app: &common::TestApp, service: &str) -> (bool, Vec<String>) {
    let r = app
        .post(
            "/v1/check",
            service,
            json!({"subject": {"user": "usr_eve"}, "action": "board.edit_content",
                   "resource": {"board": "brd_roadmap"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reasons = r.body["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    format!(
                        "{}:{}",
                        x["channel"].as_str().unwrap(),
                        x["via"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (r.body["allowed"] == true, reasons)
}

#[tokio::test]
async fn a_group_on_a_project_reaches_its_boards_until_taken_off() {
    let (app, demo) = demo_app();
    // Ben owns the private project (Ana, a company admin outside it, does not see it).
    let ben = app.personal_token("usr_ben").await;
    let owner = ben.as_str();
    let (_, before) = eve_on_roadmap(&app, &demo.service_token).await;
    assert!(
        !before.contains(&"project:grp_reviewers".to_string()),
        "{before:?}"
    );

    let r = app
        .call(
            Method::POST,
            GROUPS,
            Some(owner),
            Some(json!({"userGroupIds": ["grp_reviewers"], "role": "EDITOR"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "grp_reviewers");
    assert_eq!(r.body["role"], "EDITOR");
    assert_eq!(r.body["type"], "project-user-group");
    let (allowed, reasons) = eve_on_roadmap(&app, &demo.service_token).await;
    assert!(allowed, "{reasons:?}");
    assert!(
        reasons.contains(&"project:grp_reviewers".to_string()),
        "{reasons:?}"
    );

    let list = app.get(GROUPS, owner).await;
    assert_eq!(list.status, StatusCode::OK);
    let ids: Vec<&Value> = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["id"])
        .collect();
    assert_eq!(ids, [&json!("grp_reviewers")]);

    let r = app
        .call(
            Method::DELETE,
            &format!("{GROUPS}/grp_reviewers"),
            Some(owner),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.body.is_null(), "{}", r.body);
    let (_, after) = eve_on_roadmap(&app, &demo.service_token).await;
    assert!(
        !after.contains(&"project:grp_reviewers".to_string()),
        "{after:?}"
    );
}

#[tokio::test]
async fn bad_assignments_are_refused_and_nothing_is_written() {
    let (app, _) = demo_app();
    // Ben owns the private project (Ana, a company admin outside it, does not see it).
    let ben = app.personal_token("usr_ben").await;
    let owner = ben.as_str();
    let revision = app.engine.read().revision();
    // One unknown group among known ones: all or none.
    let r = app
        .call(
            Method::POST,
            GROUPS,
            Some(owner),
            Some(json!({"userGroupIds": ["grp_reviewers", "grp_nobody"], "role": "VIEWER"})),
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    // Groups are never owners or co-owners of a project.
    let r = app
        .call(
            Method::POST,
            GROUPS,
            Some(owner),
            Some(json!({"userGroupIds": ["grp_reviewers"], "role": "OWNER"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = app
        .call(
            Method::POST,
            GROUPS,
            Some(owner),
            Some(json!({"userGroupIds": [], "role": "VIEWER"})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    assert_eq!(app.engine.read().revision(), revision);
    assert_eq!(app.get(GROUPS, owner).await.body["size"], 0);
    // A project of another organization, or none, is not found.
    assert_error(
        &app.get("/v2/orgs/3141592653/projects/prj_nowhere/groups", owner)
            .await,
        404,
        "request.not_found",
    );
    // Taking off a group that is not on the project is a 404.
    let r = app
        .call(
            Method::DELETE,
            &format!("{GROUPS}/grp_reviewers"),
            Some(owner),
            None,
        )
        .await;
    assert_error(&r, 404, "request.not_found");
}
