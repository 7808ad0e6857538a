//! SCIM 2.0 over HTTP, in process, against the demo organization: discovery and who may
//! call, Users and Groups created, read, listed, replaced, patched and deleted, the engine's
//! effects (a deactivated user's checks, a removed user's boards), and refusals that change
//! nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp, demo_app};
use easel_core::command::Command;
use easel_core::event::TokenHolder;
use easel_server::demo::ORG;
use serde_json::{Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A SCIM token of an organization, as `easel token create --scim` issues it.
async fn scim_token(app: &TestApp, org: &str) -> String {
    let (secret, digest) = easel_server::ids::new_secret().unwrap();
    let id = easel_server::ids::new_id("scim").unwrap();
    let (outcome, _) = app
        .engine
        .run(
            easel_server::Acting::System,
            Command::IssueToken {
                token: id.clone(),
                holder: TokenHolder::Scim {
                    name: "idp".into(),
                    org: org.into(),
                },
                digest,
                expires_at: None,
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    format!("{id}.{secret}")
}

/// A request with SCIM's media type and headers.
async fn scim(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "easel.test");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/scim+json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    app.raw(req).await
}

async fn get(app: &TestApp, path: &str, token: &str) -> Reply {
    scim(app, Method::GET, path, Some(token), None, &[]).await
}

fn assert_scim_error(r: &Reply, status: u16, scim_type: Option<&str>) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(
        r.headers["content-type"], "application/scim+json",
        "{}",
        r.body
    );
    assert_eq!(
        r.body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert_eq!(r.body["status"], status.to_string());
    assert!(r.body["detail"].is_string());
    assert_eq!(
        r.body.get("scimType").and_then(Value::as_str),
        scim_type,
        "{}",
        r.body
    );
    assert!(r.body.get("code").is_none(), "no envelope: {}", r.body);
}

fn revision(app: &TestApp) -> i64 {
    app.engine.read().revision()
}

fn ada(email: &str) -> Value {
    json!({
        "schemas": [USER, ENTERPRISE],
        "userName": email,
        "externalId": format!("ext-{email}"),
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "displayName": "Ada Lovelace",
        "emails": [{"value": email, "type": "work", "primary": true}],
        ENTERPRISE: {"department": "R&D", "manager": {"value": "usr_ana"}},
    })
}

async fn create(app: &TestApp, token: &str, body: Value) -> Reply {
    scim(
        app,
        Method::POST,
        "/scim/v2/Users",
        Some(token),
        Some(body),
        &[],
    )
    .await
}

fn patch(ops: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": ops})
}

/// A second organization, with a member and a team, for the tenancy checks.
async fn other_org(app: &TestApp) {
    app.run_as(
        None,
        json!({"type": "create_user", "user": "usr_zed", "email": "zed@other.test", "name": "Zed"}),
    )
    .await;
    app.run_as(
        Some("usr_zed"),
        json!({"type": "create_org", "org": "org_other", "name": "Other", "plan": "enterprise"}),
    )
    .await;
    app.run_as(Some("usr_zed"), json!({"type": "create_team", "org": "org_other", "team": "team_other", "name": "Other team"})).await;
}

#[tokio::test]
async fn only_a_scim_token_is_answered_and_every_error_is_a_scim_error() {
    let (app, demo) = demo_app();
    let token = scim_token(&app, ORG).await;
    let r = scim(&app, Method::GET, "/scim/v2/Users", None, None, &[]).await;
    assert_scim_error(&r, 401, None);
    let r = scim(
        &app,
        Method::GET,
        "/scim/v2/Users",
        Some("nope.x"),
        None,
        &[],
    )
    .await;
    assert_scim_error(&r, 401, None);
    let r = get(&app, "/scim/v2/Users", &demo.admin_token).await;
    assert_scim_error(&r, 403, None);
    let r = get(&app, "/scim/v2/Schemas", &demo.service_token).await;
    assert_scim_error(&r, 403, None);

    let r = get(&app, "/scim/v2/ServiceProviderConfig", &token).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/scim+json");
    assert_eq!(r.body["patch"]["supported"], true);
    assert_eq!(
        r.body["meta"]["location"],
        "http://easel.test/scim/v2/ServiceProviderConfig"
    );
    let r = get(&app, "/scim/v2/ResourceTypes", &token).await;
    assert_eq!(r.body["totalResults"], 2);
    let r = get(&app, "/scim/v2/ResourceTypes/Group", &token).await;
    assert_eq!(r.body["endpoint"], "/Groups");
    let r = get(&app, "/scim/v2/Schemas", &token).await;
    assert_eq!(r.body["totalResults"], 3);
    let r = get(&app, &format!("/scim/v2/Schemas/{ENTERPRISE}"), &token).await;
    assert_eq!(r.body["id"], ENTERPRISE);
    let r = get(&app, "/scim/v2/Schemas/urn:nope", &token).await;
    assert_scim_error(&r, 404, None);

    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let r = scim(
            &app,
            method,
            "/scim/v2/ServiceProviderConfig",
            Some(&token),
            Some(json!({})),
            &[],
        )
        .await;
        assert_scim_error(&r, 405, None);
    }
    let r = get(&app, "/scim/v2/Devices", &token).await;
    assert_scim_error(&r, 404, None);
    let r = scim(
        &app,
        Method::POST,
        "/scim/v2/.search",
        Some(&token),
        Some(json!({})),
        &[],
    )
    .await;
    assert_scim_error(&r, 501, None);
    let r = scim(
        &app,
        Method::POST,
        "/scim/v2/Users/.search",
        Some(&token),
        Some(json!({})),
        &[],
    )
    .await;
    assert_scim_error(&r, 501, None);

    // Bodies: invalid JSON, another media type, over the limit.
    let raw = |body: &'static str, content_type: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/scim/v2/Users")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let r = app.raw(raw("{nope", "application/scim+json")).await;
    assert_scim_error(&r, 400, Some("invalidSyntax"));
    let r = app.raw(raw("{}", "text/plain")).await;
    assert_scim_error(&r, 415, None);
    let big = format!("{{\"userName\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let req = Request::builder()
        .method(Method::POST)
        .uri("/scim/v2/Users")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(big))
        .unwrap();
    let r = app.raw(req).await;
    assert_scim_error(&r, 413, None);
}

#[tokio::test]
async fn users_are_created_read_listed_and_replaced() {
    let (app, _demo) = demo_app();
    let token = scim_token(&app, ORG).await;
    let r = create(&app, &token, ada("ada@acme.test")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let location = format!("http://easel.test/scim/v2/Users/{id}");
    assert_eq!(r.headers["location"], location.as_str());
    assert_eq!(r.body["meta"]["location"], location);
    let etag = r.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(r.body["meta"]["version"], etag);
    assert_eq!(r.body["userName"], "ada@acme.test");
    assert_eq!(r.body["active"], true);
    assert_eq!(r.body["userType"], "Full");
    assert_eq!(r.body[ENTERPRISE]["department"], "R&D");
    assert_eq!(r.body["roles"][0]["value"], "ORGANIZATION_INTERNAL_USER");
    assert!(r.body["meta"]["created"].is_string());

    // A retried creation is a 409 and makes no second identity.
    let users = app.engine.read().state().user_count();
    let before = revision(&app);
    let r = create(&app, &token, ada("ada@acme.test")).await;
    assert_scim_error(&r, 409, Some("uniqueness"));
    let mut other = ada("ada2@acme.test");
    other["externalId"] = json!("ext-ada@acme.test");
    let r = create(&app, &token, other).await;
    assert_scim_error(&r, 409, Some("uniqueness"));
    assert_eq!(app.engine.read().state().user_count(), users);
    assert_eq!(revision(&app), before, "nothing changed");

    // Read: the same version; If-None-Match: 304.
    let r = get(&app, &format!("/scim/v2/Users/{id}"), &token).await;
    assert_eq!(r.headers["etag"].to_str().unwrap(), etag);
    let r = scim(
        &app,
        Method::GET,
        &format!("/scim/v2/Users/{id}"),
        Some(&token),
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let r = get(
        &app,
        &format!("/scim/v2/Users/{id}?attributes=userName"),
        &token,
    )
    .await;
    let mut keys: Vec<&str> = r
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["id", "schemas", "userName"]);

    // Lists: the demo's five members and Ada, never the guest.
    let r = get(&app, "/scim/v2/Users", &token).await;
    assert_eq!(r.body["totalResults"], 6, "{}", r.body);
    let names: Vec<&str> = r.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["userName"].as_str())
        .collect();
    assert!(!names.contains(&"gil@partner.test"));
    let r = get(
        &app,
        "/scim/v2/Users?filter=userName%20eq%20%22ADA%40acme.test%22",
        &token,
    )
    .await;
    assert_eq!(r.body["totalResults"], 1);
    assert_eq!(r.body["Resources"][0]["id"], id.as_str());
    let r = get(
        &app,
        "/scim/v2/Users?filter=name.familyName%20sw%20%22love%22%20and%20active%20eq%20true",
        &token,
    )
    .await;
    assert_eq!(r.body["totalResults"], 1, "{}", r.body);
    let r = get(&app, "/scim/v2/Users?startIndex=2&count=2&sortBy=userName&sortOrder=descending&attributes=userName", &token).await;
    assert_eq!(
        (
            r.body["totalResults"].clone(),
            r.body["itemsPerPage"].clone(),
            r.body["startIndex"].clone()
        ),
        (json!(6), json!(2), json!(2))
    );
    let names: Vec<&str> = r.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["userName"].as_str())
        .collect();
    assert_eq!(names, ["eve@acme.test", "cy@acme.test"]);
    assert!(r.body["Resources"][0].get("name").is_none());
    let r = get(&app, "/scim/v2/Users?count=5000", &token).await;
    assert!(r.body["itemsPerPage"].as_u64().unwrap() <= 1000);
    assert_eq!(r.body["itemsPerPage"], 6);
    for bad in [
        "nickName%20eq%20%22x%22",
        "userName%20eq",
        "active%20gt%20true",
        "(((",
    ] {
        let r = get(&app, &format!("/scim/v2/Users?filter={bad}"), &token).await;
        assert_scim_error(&r, 400, Some("invalidFilter"));
    }

    // Replace: only the body's values; a stale version is 412 and changes nothing.
    let mut body = ada("ada@acme.test");
    body["displayName"] = json!("Countess");
    body["userType"] = json!("Occasional");
    let r = scim(
        &app,
        Method::PUT,
        &format!("/scim/v2/Users/{id}"),
        Some(&token),
        Some(body.clone()),
        &[("if-match", &etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["displayName"], "Countess");
    assert_eq!(r.body["userType"], "Occasional");
    assert_ne!(r.headers["etag"].to_str().unwrap(), etag);
    let before = revision(&app);
    body["displayName"] = json!("Stale");
    let r = scim(
        &app,
        Method::PUT,
        &format!("/scim/v2/Users/{id}"),
        Some(&token),
        Some(body),
        &[("if-match", &etag)],
    )
    .await;
    assert_scim_error(&r, 412, None);
    assert_eq!(revision(&app), before);
}

#[tokio::test]
async fn patches_change_what_they_name_and_refused_ones_nothing() {
    let (app, demo) = demo_app();
    let token = scim_token(&app, ORG).await;
    let path = "/scim/v2/Users/usr_cy";
    let send = |ops: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            scim(
                app,
                Method::PATCH,
                path,
                Some(&token),
                Some(patch(ops)),
                &[],
            )
            .await
        }
    };
    let r = send(json!([
        {"op": "Add", "path": "externalId", "value": "cy-1"},
        {"op": "replace", "path": "name.givenName", "value": "Cy"},
        {"op": "replace", "path": "userType", "value": "Free"},
        {"op": "add", "path": "roles", "value": [{"value": "Content Admin", "type": "organization_admin_role"}]},
        {"op": "replace", "path": "roles[primary eq true].value", "value": "ORGANIZATION_INTERNAL_ADMIN"},
        {"op": "add", "path": ENTERPRISE, "value": {"costCenter": "C7"}},
        {"op": "replace", "path": format!("{ENTERPRISE}:department"), "value": "Eng"},
    ]))
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["externalId"], "cy-1");
    assert_eq!(r.body["name"]["givenName"], "Cy");
    assert_eq!(r.body["userType"], "Free");
    assert_eq!(
        r.body[ENTERPRISE],
        json!({"costCenter": "C7", "department": "Eng"})
    );
    let roles: Vec<&str> = r.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["value"].as_str())
        .collect();
    assert_eq!(roles, ["ORGANIZATION_INTERNAL_ADMIN", "Content Admin"]);
    let r = send(json!([
        {"op": "remove", "path": "roles[value eq \"Content Admin\"]"},
        {"op": "remove", "path": ENTERPRISE},
    ]))
    .await;
    let roles: Vec<&str> = r.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["value"].as_str())
        .collect();
    assert_eq!(roles, ["ORGANIZATION_INTERNAL_ADMIN"]);
    assert!(r.body.get(ENTERPRISE).is_none());

    // Refusals: each its scimType, none changing anything.
    let before = revision(&app);
    for (ops, scim_type) in [
        (
            json!([{"op": "replace", "path": "nickName", "value": "x"}]),
            "invalidPath",
        ),
        (
            json!([{"op": "replace", "path": "name.[x", "value": "x"}]),
            "invalidPath",
        ),
        (
            json!([{"op": "replace", "path": "id", "value": "x"}]),
            "mutability",
        ),
        (
            json!([{"op": "add", "path": "groups", "value": [{"value": "team_design"}]}]),
            "mutability",
        ),
        (
            json!([{"op": "replace", "path": "meta.lastModified", "value": "x"}]),
            "mutability",
        ),
        (
            json!([{"op": "replace", "path": "roles[value eq \"User Admin\"].value", "value": "x"}]),
            "noTarget",
        ),
        (
            json!([{"op": "replace", "path": "userType", "value": "Gold"}]),
            "invalidValue",
        ),
        (
            json!([{"op": "replace", "path": "active", "value": false}, {"op": "replace", "path": "roles", "value": [{"value": "Owner"}]}]),
            "invalidValue",
        ),
        // More operations than one PatchOp may hold.
        (
            Value::Array(vec![
                json!({"op": "replace", "path": "displayName", "value": "Cy"});
                1001
            ]),
            "invalidValue",
        ),
    ] {
        let r = send(ops.clone()).await;
        assert_scim_error(&r, 400, Some(scim_type));
    }
    assert_eq!(revision(&app), before, "nothing changed");

    // Deactivated: the decision API says so; reactivated: allowed again.
    let ask = json!({"subject": {"user": "usr_cy"}, "action": "board.view", "resource": {"board": "brd_roadmap"}});
    let r = send(json!([{"op": "replace", "value": {"active": false}}])).await;
    assert_eq!(r.body["active"], false, "{}", r.body);
    let r = app
        .post("/v1/check", &demo.service_token, ask.clone())
        .await;
    assert_eq!(
        r.body["deniedBy"]["code"], "credential.user_deactivated",
        "{}",
        r.body
    );
    let r = send(json!([{"op": "replace", "path": "active", "value": "True"}])).await;
    assert_eq!(r.body["active"], true);
    let r = app.post("/v1/check", &demo.service_token, ask).await;
    assert_eq!(r.body["allowed"], true, "{}", r.body);

    // A changed address.
    let r = send(json!([{"op": "replace", "path": "userName", "value": "cy.new@acme.test"}])).await;
    assert_eq!(r.body["userName"], "cy.new@acme.test", "{}", r.body);
}

#[tokio::test]
async fn deletion_hands_boards_over_and_keeps_an_admin() {
    let (app, _demo) = demo_app();
    let token = scim_token(&app, ORG).await;
    let r = scim(
        &app,
        Method::DELETE,
        "/scim/v2/Users/usr_ben",
        Some(&token),
        None,
        &[("if-match", "W/\"stale\"")],
    )
    .await;
    assert_scim_error(&r, 412, None);
    let r = scim(
        &app,
        Method::DELETE,
        "/scim/v2/Users/usr_ben",
        Some(&token),
        None,
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    {
        let reader = app.engine.read();
        let state = reader.state();
        let board = state
            .find_board("brd_roadmap")
            .and_then(|b| state.board(b))
            .unwrap();
        let owner = state.user(board.owner).unwrap();
        assert_eq!(
            &*owner.id, "usr_ana",
            "the oldest admin of the board's team"
        );
    }
    let r = get(&app, "/scim/v2/Users/usr_ben", &token).await;
    assert_scim_error(&r, 404, None);

    // The last company admin stays.
    let before = revision(&app);
    let r = scim(
        &app,
        Method::DELETE,
        "/scim/v2/Users/usr_ana",
        Some(&token),
        None,
        &[],
    )
    .await;
    assert_scim_error(&r, 409, None);
    let reason = r.headers["x-easel-reason"].to_str().unwrap();
    assert!(reason.starts_with("authority."), "{reason}");
    let r = scim(
        &app,
        Method::PATCH,
        "/scim/v2/Users/usr_ana",
        Some(&token),
        Some(patch(
            json!([{"op": "replace", "path": "roles", "value": []}]),
        )),
        &[],
    )
    .await;
    assert_scim_error(&r, 409, None);
    assert_eq!(r.headers["x-easel-reason"], "authority.last_company_admin");
    assert_eq!(revision(&app), before);
}

#[tokio::test]
async fn guests_and_other_organizations_are_unknown_ids() {
    let (app, _demo) = demo_app();
    other_org(&app).await;
    let token = scim_token(&app, ORG).await;
    let unknown = get(&app, "/scim/v2/Users/usr_nobody", &token).await;
    assert_scim_error(&unknown, 404, None);
    for id in ["usr_gil", "usr_zed"] {
        let r = get(&app, &format!("/scim/v2/Users/{id}"), &token).await;
        assert_scim_error(&r, 404, None);
        assert_eq!(r.body["detail"], format!("no User `{id}`"));
        let before = revision(&app);
        for method in [Method::PUT, Method::PATCH, Method::DELETE] {
            let body = match method {
                Method::PATCH => Some(patch(
                    json!([{"op": "replace", "path": "active", "value": false}]),
                )),
                Method::PUT => Some(ada("x@acme.test")),
                _ => None,
            };
            let r = scim(
                &app,
                method,
                &format!("/scim/v2/Users/{id}"),
                Some(&token),
                body,
                &[],
            )
            .await;
            assert_scim_error(&r, 404, None);
        }
        assert_eq!(revision(&app), before);
    }
    let r = get(&app, "/scim/v2/Groups/team_other", &token).await;
    assert_scim_error(&r, 404, None);
    let r = get(
        &app,
        "/scim/v2/Users?filter=userName%20eq%20%22gil%40partner.test%22",
        &token,
    )
    .await;
    assert_eq!(r.body["totalResults"], 0);
    // The other organization's SCIM token sees its own only.
    let theirs = scim_token(&app, "org_other").await;
    let r = get(&app, "/scim/v2/Users", &theirs).await;
    assert_eq!(r.body["totalResults"], 1);
    assert_eq!(r.body["Resources"][0]["id"], "usr_zed");
    let r = get(&app, "/scim/v2/Users/usr_ana", &theirs).await;
    assert_scim_error(&r, 404, None);
}

#[tokio::test]
async fn groups_are_teams() {
    let (app, _demo) = demo_app();
    let token = scim_token(&app, ORG).await;
    let r = scim(
        &app,
        Method::POST,
        "/scim/v2/Groups",
        Some(&token),
        Some(json!({
            "schemas": [GROUP], "displayName": "Research", "members": [{"value": "usr_cy"}],
        })),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["members"][0]["value"], "usr_cy");
    let path = format!("/scim/v2/Groups/{id}");
    let r = scim(
        &app,
        Method::PATCH,
        &path,
        Some(&token),
        Some(patch(json!([
            {"op": "add", "path": "members", "value": [{"value": "usr_eve"}, {"value": "usr_uma"}]},
            {"op": "remove", "path": "members[value eq \"usr_cy\"]"},
            {"op": "replace", "value": {"id": id, "displayName": "Research & Development"}},
        ]))),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["displayName"], "Research & Development");
    let members: Vec<&str> = r.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["value"].as_str())
        .collect();
    assert_eq!(members, ["usr_eve", "usr_uma"]);
    let r = get(&app, "/scim/v2/Users/usr_eve", &token).await;
    assert!(
        r.body["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["value"] == id.as_str())
    );

    // A guest or an unknown user is no member; nothing changes.
    let before = revision(&app);
    for who in ["usr_gil", "usr_nobody"] {
        let r = scim(
            &app,
            Method::PATCH,
            &path,
            Some(&token),
            Some(patch(json!([
                {"op": "add", "path": "members", "value": [{"value": who}]},
            ]))),
            &[],
        )
        .await;
        assert_scim_error(&r, 400, Some("invalidValue"));
    }
    assert_eq!(revision(&app), before);

    let r = get(
        &app,
        "/scim/v2/Groups?filter=displayName%20sw%20%22research%22",
        &token,
    )
    .await;
    assert_eq!(r.body["totalResults"], 1, "{}", r.body);
    let r = get(&app, "/scim/v2/Groups", &token).await;
    assert_eq!(r.body["totalResults"], 3);
    let r = scim(
        &app,
        Method::PUT,
        &path,
        Some(&token),
        Some(json!({
            "schemas": [GROUP], "displayName": "R", "members": [{"value": "usr_uma"}],
        })),
        &[],
    )
    .await;
    assert_eq!(
        r.body["members"],
        json!([{"value": "usr_uma", "type": "User", "$ref": "http://easel.test/scim/v2/Users/usr_uma"}])
    );
    let r = scim(&app, Method::DELETE, &path, Some(&token), None, &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = get(&app, &path, &token).await;
    assert_scim_error(&r, 404, None);
}

#[tokio::test]
async fn every_message_names_its_schema() {
    let (app, _demo) = demo_app();
    let token = scim_token(&app, ORG).await;
    let before = revision(&app);
    // A User without `schemas`, or naming another resource's.
    let mut body = ada("nameless@acme.test");
    body.as_object_mut().unwrap().remove("schemas");
    assert_scim_error(
        &create(&app, &token, body).await,
        400,
        Some("invalidSyntax"),
    );
    let mut body = ada("grouped@acme.test");
    body["schemas"] = json!(["urn:ietf:params:scim:schemas:core:2.0:Group"]);
    assert_scim_error(
        &create(&app, &token, body).await,
        400,
        Some("invalidSyntax"),
    );
    // A Group and a PatchOp without theirs.
    let r = scim(
        &app,
        Method::POST,
        "/scim/v2/Groups",
        Some(&token),
        Some(json!({"displayName": "Schemaless"})),
        &[],
    )
    .await;
    assert_scim_error(&r, 400, Some("invalidSyntax"));
    let r = scim(
        &app,
        Method::PATCH,
        "/scim/v2/Users/usr_cy",
        Some(&token),
        Some(json!({"Operations": []})),
        &[],
    )
    .await;
    assert_scim_error(&r, 400, Some("invalidSyntax"));
    assert_eq!(revision(&app), before, "nothing changed");
}
