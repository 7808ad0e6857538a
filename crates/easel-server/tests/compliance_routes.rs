//! Cases and legal holds over HTTP in the reference's shapes: opened, read, edited and
//! deleted; holds by email, the boards they keep, released with their case; refused for
//! members and unknown across organizations. And a team's boards labelled at once.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, assert_error, demo_app};
use serde_json::{Value, json};

async fn ok(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
    let r = app.call(method.clone(), path, Some(token), body).await;
    assert!(
        r.status.is_success(),
        "{method} {path}: {} {}",
        r.status,
        r.body
    );
    r.body
}

#[tokio::test]
async fn cases_and_holds_are_made_edited_and_deleted() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let cy = app.personal_token("usr_cy").await;

    let case = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/cases",
        ana,
        Some(json!({"name": "Acme v. Example", "description": "discovery"})),
    )
    .await;
    let cid = case["id"].as_str().unwrap().to_string();
    assert!(cid.chars().all(|c| c.is_ascii_digit()), "{case}");
    assert_eq!(case["createdBy"]["id"], "usr_ana");
    assert_eq!(case["createdBy"]["email"], "ana@acme.test");
    assert_eq!(case["description"], "discovery");
    let path = format!("/v2/orgs/3141592653/cases/{cid}");
    let edited = ok(
        &app,
        Method::PUT,
        &path,
        ana,
        Some(json!({"name": "Acme v. Example Corp"})),
    )
    .await;
    assert_eq!(edited["name"], "Acme v. Example Corp");
    assert_eq!(edited["description"], "");
    assert_eq!(edited["lastModifiedBy"]["id"], "usr_ana");
    assert_error(
        &app.get(&path, &cy).await,
        403,
        "authority.missing_privilege",
    );

    // A hold by email keeps Ben's boards.
    let hold = ok(
        &app,
        Method::POST,
        &format!("{path}/legal-holds"),
        ana,
        Some(json!({"name": "Design", "scope": {"users": [{"email": "ben@acme.test"}]}})),
    )
    .await;
    assert_eq!(hold["state"], "ACTIVE");
    assert_eq!(hold["caseId"], cid.as_str());
    assert_eq!(hold["scope"]["users"][0]["id"], "usr_ben");
    let hid = hold["id"].as_str().unwrap().to_string();
    let hold_path = format!("{path}/legal-holds/{hid}");
    let items = ok(
        &app,
        Method::GET,
        &format!("{hold_path}/content-items"),
        ana,
        None,
    )
    .await;
    let held: Vec<&str> = items["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["boardId"].as_str().unwrap())
        .collect();
    assert!(
        held.contains(&"brd_roadmap") && held.contains(&"brd_wireframes"),
        "{items}"
    );
    assert!(
        items["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["type"] == "board")
    );
    // The users are replaced.
    let edited = ok(
        &app,
        Method::PUT,
        &hold_path,
        ana,
        Some(json!({"name": "Design", "scope": {"users": [{"email": "cy@acme.test"}]}})),
    )
    .await;
    assert_eq!(edited["scope"]["users"].as_array().unwrap().len(), 1);
    assert_eq!(edited["scope"]["users"][0]["id"], "usr_cy");
    let r = app
        .call(
            Method::PUT,
            &hold_path,
            Some(ana),
            Some(json!({"name": "x", "scope": {"users": [{"email": "nobody@acme.test"}]}})),
        )
        .await;
    assert_error(&r, 404, "request.not_found");

    // Releasing the hold: 204, no body, and the hold is gone.
    let r = app.call(Method::DELETE, &hold_path, Some(ana), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.body.is_null(), "{}", r.body);
    assert_error(&app.get(&hold_path, ana).await, 404, "request.not_found");

    // A second hold, then the case deleted: the hold goes with it.
    let hold = ok(
        &app,
        Method::POST,
        &format!("{path}/legal-holds"),
        ana,
        Some(json!({"name": "Eve", "userIds": ["usr_eve"]})),
    )
    .await;
    let eve_held = || {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_board("brd_brand")
            .is_some_and(|b| state.is_held(b))
    };
    assert!(eve_held(), "Eve's board is held");
    let r = app.call(Method::DELETE, &path, Some(ana), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(!eve_held(), "deleting the case released its hold");
    assert_error(&app.get(&path, ana).await, 404, "request.not_found");
    let list = ok(&app, Method::GET, "/v2/orgs/3141592653/cases", ana, None).await;
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != cid.as_str()),
        "{list}"
    );
    {
        let reader = app.engine.read();
        let state = reader.state();
        let c = state.find_case(&cid).and_then(|c| state.case(c)).unwrap();
        assert!(c.deleted);
        assert!(c.holds.iter().all(|h| h.released), "{:?}", hold["id"]);
    }
    // Nothing of another organization: an unknown organization is a 404.
    assert_error(
        &app.get("/v2/orgs/globex/cases", ana).await,
        404,
        "request.not_found",
    );
}

#[tokio::test]
async fn a_team_s_boards_are_labelled_at_once() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let settings = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/data-classification-settings",
        ana,
        None,
    )
    .await;
    assert_eq!(settings["enabled"], true);
    assert_eq!(settings["labels"][2]["id"], "3");
    assert_eq!(settings["labels"][2]["name"], "confidential");
    let r = ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/teams/team_design/data-classification",
        ana,
        Some(json!({"labelId": 3, "notClassifiedOnly": true})),
    )
    .await;
    let first = r["numberUpdatedBoards"].as_u64().unwrap();
    assert!(first >= 2, "{r}");
    let label = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/teams/team_design/boards/brd_roadmap/data-classification",
        ana,
        None,
    )
    .await;
    assert_eq!(label["id"], "3");
    assert_eq!(label["name"], "confidential");
    // Only unclassified boards: none are left.
    let r = ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/teams/team_design/data-classification",
        ana,
        Some(json!({"labelId": 1, "notClassifiedOnly": true})),
    )
    .await;
    assert_eq!(r["numberUpdatedBoards"], 0);
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/teams/team_design/data-classification",
            Some(ana),
            Some(json!({"labelId": 9, "notClassifiedOnly": false})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    // The team's default label.
    let t = ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/teams/team_design/data-classification-settings",
        ana,
        Some(json!({"defaultLabelId": 2})),
    )
    .await;
    assert_eq!(t["defaultLabelId"], "2");
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/teams/team_design/data-classification-settings",
            Some(ana),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
}
