//! The platform API over HTTP, in process: boards, their members and access, organizations,
//! teams and projects; refusals with their codes; 404 for what the caller may not see; every
//! write answered with its revision.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, demo_app};
use serde_json::json;

#[tokio::test]
async fn a_board_is_created_read_changed_trashed_restored_and_purged() {
    let (app, demo) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/boards",
            &ben,
            json!({"name": "Sketches", "teamId": "team_design"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["owner"]["id"], "usr_ben");
    assert_eq!(r.body["currentUserMembership"]["role"], "owner");
    let revision = r.body["revision"].as_str().unwrap().to_string();
    assert_eq!(
        r.headers.get("easel-revision").unwrap().to_str().unwrap(),
        revision
    );

    let patch = json!({"name": "Sketches v2", "description": "Early ideas",
        "policy": {"sharingPolicy": {"organizationAccess": "viewer"}, "permissionsPolicy": {"copyAccess": "editors"}}});
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/boards/{id}"),
            Some(&ben),
            Some(patch),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["name"], "Sketches v2");
    assert_eq!(r.body["description"], "Early ideas");
    // Easel's spellings are read; the reference's are written.
    assert_eq!(
        r.body["policy"]["sharingPolicy"]["organizationAccess"],
        "view"
    );
    assert_eq!(
        r.body["policy"]["permissionsPolicy"]["copyAccess"],
        "team_editors"
    );
    let after: i64 = r.body["revision"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        after,
        revision.parse::<i64>().unwrap() + 1,
        "one PATCH, one revision"
    );

    // A PATCH with one refused part changes nothing.
    let bad = json!({"name": "Renamed", "policy": {"sharingPolicy": {"access": "superuser"}}});
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/boards/{id}"),
            Some(&ben),
            Some(bad),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    let r = app.get(&format!("/v2/boards/{id}"), &ben).await;
    assert_eq!(r.body["name"], "Sketches v2");

    // Now the whole company can see it: gil, a guest, cannot.
    let gil = app.personal_token("usr_gil").await;
    let r = app.get(&format!("/v2/boards/{id}"), &gil).await;
    assert_error(&r, 404, "request.not_found");
    let eve = app.personal_token("usr_eve").await;
    let r = app.get(&format!("/v2/boards/{id}"), &eve).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["currentUserMembership"]["role"], "editor");

    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/boards/{id}"),
            Some(&ben),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(r.body.is_null());
    assert!(r.headers.get("easel-revision").is_some());
    let r = app.get(&format!("/v2/boards/{id}"), &eve).await;
    assert_error(&r, 404, "request.not_found");
    let r = app
        .post(&format!("/v2/boards/{id}/restore"), &ben, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["state"], "active");
    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/boards/{id}?permanent=true"),
            Some(&ben),
            None,
        )
        .await;
    assert_error(&r, 403, "state.not_trashed");
    app.call(
        Method::DELETE,
        &format!("/v2/boards/{id}"),
        Some(&ben),
        None,
    )
    .await;
    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/boards/{id}?permanent=true"),
            Some(&ben),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app.get(&format!("/v2/boards/{id}"), &ben).await;
    assert_error(&r, 404, "request.not_found");
    let _ = demo;
}

#[tokio::test]
async fn the_board_list_shows_only_what_the_caller_can_see_and_pages() {
    let (app, demo) = demo_app();
    let gil = app.personal_token("usr_gil").await;
    let r = app.get("/v2/boards", &gil).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ids: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["brd_wireframes"],
        "a guest sees the board shared with them"
    );

    let mut all = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = app
            .get(
                &format!("/v2/boards?limit=1&cursor={cursor}"),
                &demo.admin_token,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The reference's offset list, with Easel's cursor for stable paging.
        assert_eq!(r.body["type"], "list");
        all.extend(
            r.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["id"].as_str().unwrap().to_string()),
        );
        match r.body["cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    let whole = app.get("/v2/boards?limit=50", &demo.admin_token).await;
    let once: Vec<String> = whole.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(all, once, "pages add up to the whole list");
    let r = app
        .get("/v2/boards?team=team_marketing", &demo.admin_token)
        .await;
    assert!(
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["team"]["id"] == "team_marketing")
    );
    let r = app.get("/v2/boards?query=BRAND", &demo.admin_token).await;
    assert_eq!(r.body["data"][0]["id"], "brd_brand");
    assert_error(
        &app.get("/v2/boards?limit=0", &demo.admin_token).await,
        400,
        "request.invalid_parameter",
    );
    assert_error(
        &app.get("/v2/boards?limit=51", &demo.admin_token).await,
        400,
        "request.invalid_parameter",
    );
    assert_error(
        &app.get("/v2/boards?cursor=bogus", &demo.admin_token).await,
        400,
        "request.invalid_cursor",
    );
    assert_error(
        &app.get("/v2/boards?colour=red", &demo.admin_token).await,
        400,
        "request.invalid_parameter",
    );
}

#[tokio::test]
async fn sharing_reports_each_email_and_members_and_access_are_listed() {
    let (app, _) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &ben,
            json!({"emails": ["uma@acme.test", "stranger@elsewhere.test"], "role": "COMMENTATOR"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["successfulEmails"], json!(["uma@acme.test"]));
    assert_eq!(r.body["successful"].as_array().map(Vec::len), Some(1));
    assert_eq!(r.body["failed"][0]["email"], "stranger@elsewhere.test");
    assert!(
        r.body["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains('.')
    );

    let r = app.get("/v2/boards/brd_wireframes/members", &ben).await;
    let members: Vec<(String, String)> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        members.contains(&("usr_ben".into(), "owner".into())),
        "{members:?}"
    );
    assert!(
        members.contains(&("usr_uma".into(), "commenter".into())),
        "{members:?}"
    );

    let r = app
        .call(
            Method::PATCH,
            "/v2/boards/brd_wireframes/members/usr_uma",
            Some(&ben),
            Some(json!({"role": "editor"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["role"], "editor");
    let r = app.get("/v2/boards/brd_wireframes/access", &ben).await;
    let uma = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "usr_uma")
        .cloned()
        .unwrap();
    assert_eq!(uma["role"], "editor");
    assert!(
        uma["channels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["channel"] == "direct")
    );
    let r = app
        .call(
            Method::DELETE,
            "/v2/boards/brd_wireframes/members/usr_uma",
            Some(&ben),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app
        .get("/v2/boards/brd_wireframes/members/usr_uma", &ben)
        .await;
    assert_error(&r, 404, "request.not_found");

    // A commenter may not share, and says so; someone who cannot see the board gets a 404.
    let gil = app.personal_token("usr_gil").await;
    let r = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &gil,
            json!({"emails": ["cy@acme.test"], "role": "viewer"}),
        )
        .await;
    assert_eq!(
        r.body["failed"][0]["reason"], "authority.role_too_low",
        "{}",
        r.body
    );
    let r = app.get("/v2/boards/brd_roadmap/members", &gil).await;
    assert_error(&r, 404, "request.not_found");
    let r = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &ben,
            json!({"emails": [], "role": "viewer"}),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
}

#[tokio::test]
async fn ownership_moves_and_links_reset() {
    let (app, _) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    // Ownership goes to a direct collaborator who is in the team: cy, once invited directly.
    let r = app
        .post(
            "/v2/boards/brd_roadmap/transfer-ownership",
            &ben,
            json!({"newOwnerId": "usr_cy"}),
        )
        .await;
    assert_error(&r, 403, "authority.transfer_target_ineligible");
    app.post(
        "/v2/boards/brd_roadmap/members",
        &ben,
        json!({"emails": ["cy@acme.test"], "role": "editor"}),
    )
    .await;
    let r = app
        .post(
            "/v2/boards/brd_roadmap/transfer-ownership",
            &ben,
            json!({"newOwnerId": "usr_cy"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["owner"]["id"], "usr_cy");
    // Ben is no longer the owner: only a co-owner through the project.
    let r = app
        .post(
            "/v2/boards/brd_roadmap/transfer-ownership",
            &ben,
            json!({"newOwnerId": "usr_gil"}),
        )
        .await;
    assert_error(&r, 403, "authority.role_too_low");

    let eve = app.personal_token("usr_eve").await;
    let r = app
        .post("/v2/boards/brd_press/link/reset", &eve, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r.body["linkToken"].as_str().unwrap().to_string();
    // The new link admits an anonymous visitor; the engine answers through the check route.
    let r = app
        .post(
            "/v1/check",
            &eve,
            json!({"subject": {"user": "usr_eve"}, "action": "board.view", "resource": {"board": "brd_press"}, "context": {"linkToken": token}}),
        )
        .await;
    assert_eq!(r.body["allowed"], true, "{}", r.body);

    let r = app
        .call(
            Method::PUT,
            "/v2/boards/brd_press/password",
            Some(&eve),
            Some(json!({"password": "open sesame 42"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["policy"]["sharingPolicy"]["accessPasswordRequired"],
        true
    );

    let r = app
        .post(
            "/v2/boards/brd_press/move",
            &eve,
            json!({"teamId": "team_nowhere"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    let r = app
        .call(
            Method::PUT,
            "/v2/boards?copy_from=brd_brand",
            Some(&eve),
            Some(json!({"name": "Brand copy", "teamId": "team_marketing"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["owner"]["id"], "usr_eve");
}

#[tokio::test]
async fn organizations_teams_and_projects() {
    let (app, demo) = demo_app();
    let admin = demo.admin_token.as_str();
    let r = app.get("/v2/orgs/3141592653", admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["plan"], "company");
    assert_eq!(r.body["easelPlan"], "enterprise");
    let r = app
        .get("/v2/orgs/3141592653/members?role=guest", admin)
        .await;
    assert_eq!(r.body["data"][0]["id"], "usr_gil", "{}", r.body);
    let cy = app.personal_token("usr_cy").await;
    let r = app.get("/v2/orgs/3141592653/members", &cy).await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app.get("/v2/orgs/globex", admin).await;
    assert_error(&r, 404, "request.not_found");

    let r = app.get("/v2/orgs/3141592653/settings", admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/settings",
            Some(admin),
            Some(json!({"no_such_setting": true})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_json");

    let r = app
        .post(
            "/v2/orgs/3141592653/teams",
            admin,
            json!({"name": "Research"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let team = r.body["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("/v2/orgs/3141592653/teams/{team}/members"),
            admin,
            json!({"userId": "usr_cy", "role": "member"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .get(&format!("/v2/orgs/3141592653/teams/{team}/members"), admin)
        .await;
    assert_eq!(r.body["size"], 2, "{}", r.body);
    let r = app
        .post(
            &format!("/v2/orgs/3141592653/teams/{team}/projects"),
            &cy,
            json!({"name": "Study"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let project = r.body["id"].as_str().unwrap().to_string();
    let r = app
        .get(
            &format!("/v2/orgs/3141592653/teams/{team}/projects/{project}"),
            &cy,
        )
        .await;
    assert_eq!(r.body["name"], "Study");
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/orgs/3141592653/teams/{team}"),
            Some(admin),
            Some(json!({"name": "R&D"})),
        )
        .await;
    assert_eq!(r.body["name"], "R&D", "{}", r.body);
    let gil = app.personal_token("usr_gil").await;
    let r = app
        .get(&format!("/v2/orgs/3141592653/teams/{team}"), &gil)
        .await;
    assert_error(&r, 404, "request.not_found");
    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/orgs/3141592653/teams/{team}"),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
}

#[tokio::test]
async fn service_tokens_are_for_the_decision_api() {
    let (app, demo) = demo_app();
    let r = app.get("/v2/boards", &demo.service_token).await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app.call(Method::GET, "/v2/boards", None, None).await;
    assert_error(&r, 401, "credential.missing");
}

#[tokio::test]
async fn the_openapi_document_is_served_and_committed() {
    let (app, _) = demo_app();
    let r = app.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["openapi"], "3.1.0");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let served = serde_json::to_string_pretty(&r.body).unwrap() + "\n";
    if std::env::var_os("EASEL_BLESS").is_some() {
        std::fs::write(&path, &served).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == served,
        "docs/openapi.json differs from the served document; run `EASEL_BLESS=1 cargo test -p easel-server --test platform_api` and review the change"
    );
    for route in [
        "/v1/check",
        "/v1/check/batch",
        "/v1/explain",
        "/v1/lookup/boards",
        "/v2/boards/{board_id}/access",
    ] {
        assert!(
            r.body["paths"].get(route).is_some(),
            "{route} is documented"
        );
    }
}
