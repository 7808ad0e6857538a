//! Apps over HTTP: registering (the client secret shown once), the scopes an app enables,
//! installing, consent to scopes enabled later, uninstalling and deleting.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, demo_app};
use serde_json::json;

#[tokio::test]
async fn an_app_is_registered_installed_consented_uninstalled_and_deleted() {
    let (app, _) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    let eve = app.personal_token("usr_eve").await;
    let cy = app.personal_token("usr_cy").await;
    let gil = app.personal_token("usr_gil").await;
    let register = json!({"name": "Sync", "teamId": "team_design",
        "redirectUris": ["https://sync.example/callback"], "scopes": ["boards:read", "identity:read"]});
    let r = app.post("/v2/apps", &ben, register.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let secret = r.body["clientSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert_eq!(r.body["scopes"], json!(["boards:read", "identity:read"]));
    let r = app.get(&format!("/v2/apps/{id}"), &ben).await;
    assert!(
        r.body.get("clientSecret").is_none(),
        "the secret is shown once"
    );

    let r = app.post("/v2/apps", &gil, register.clone()).await;
    assert_error(&r, 403, "authority.guest");
    let mut bad = register.clone();
    bad["scopes"] = json!(["boards:fly"]);
    let r = app.post("/v2/apps", &ben, bad).await;
    assert_error(&r, 400, "request.invalid_parameter");
    assert!(
        r.body["message"].as_str().unwrap().contains("boards:write"),
        "{}",
        r.body
    );
    let mut open = register.clone();
    open["redirectUris"] = json!(["https://sync.example/cb#fragment"]);
    assert_error(
        &app.post("/v2/apps", &ben, open).await,
        400,
        "request.invalid_parameter",
    );

    let mine = app.get("/v2/apps", &ben).await;
    assert_eq!(mine.body["data"][0]["id"], id.as_str());
    let theirs = app.get("/v2/apps", &eve).await;
    assert_eq!(theirs.body["size"], 0, "eve is not in the developer team");
    assert_error(
        &app.get(&format!("/v2/apps/{id}"), &eve).await,
        404,
        "request.not_found",
    );

    let r = app
        .post(
            &format!("/v2/apps/{id}/installations"),
            &cy,
            json!({"teamId": "team_design"}),
        )
        .await;
    assert_error(&r, 403, "authority.role_too_low");
    let r = app
        .post(
            &format!("/v2/apps/{id}/installations"),
            &eve,
            json!({"teamId": "team_marketing"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let inst = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["scopes"], json!(["boards:read", "identity:read"]));

    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/apps/{id}"),
            Some(&ben),
            Some(json!({"scopes": ["boards:read", "boards:write"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = app.get(&format!("/v2/apps/{id}/installations"), &ben).await;
    let one = &list.body["data"][0];
    assert_eq!(
        one["scopes"],
        json!(["boards:read", "identity:read"]),
        "disabled scopes stay granted"
    );
    assert_eq!(
        one["pendingScopes"],
        json!(["boards:write"]),
        "enabled scopes wait for consent"
    );
    assert_eq!(one["scopesVersion"], 1, "installed at the first version");
    let r = app.get(&format!("/v2/apps/{id}"), &ben).await;
    assert_eq!(r.body["scopesVersion"], 2);
    let r = app
        .post(
            &format!("/v2/apps/{id}/installations/{inst}/consent"),
            &eve,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["scopes"],
        json!(["boards:read", "boards:write", "identity:read"])
    );
    assert_eq!(r.body["pendingScopes"], json!([]));
    assert_eq!(
        r.body["scopesVersion"], 2,
        "consent brings it to the app's version"
    );
    let r = app
        .post(
            &format!("/v2/apps/{id}/installations/{inst}/consent"),
            &eve,
            json!({}),
        )
        .await;
    assert_error(&r, 409, "request.conflict");

    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/apps/{id}/installations/{inst}"),
            Some(&eve),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/apps/{id}/installations/nope"),
            Some(&eve),
            None,
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    let r = app
        .call(Method::DELETE, &format!("/v2/apps/{id}"), Some(&ben), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_error(
        &app.get(&format!("/v2/apps/{id}"), &ben).await,
        404,
        "request.not_found",
    );
}

#[tokio::test]
async fn the_company_allowlist_blocks_unlisted_apps() {
    let (app, demo) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/apps",
            &ben,
            json!({"name": "Notes", "teamId": "team_design",
            "redirectUris": ["http://localhost:3000/cb"], "scopes": ["boards:read"]}),
        )
        .await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/v2/orgs/3141592653/app-allowlist",
            &demo.admin_token,
            json!({"apps": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            &format!("/v2/apps/{id}/installations"),
            &ben,
            json!({"teamId": "team_design"}),
        )
        .await;
    assert_error(&r, 403, "policy.app_not_allowed");
    let cy = app.personal_token("usr_cy").await;
    let req = app
        .post(
            "/v2/orgs/3141592653/app-requests",
            &cy,
            json!({"appId": id}),
        )
        .await;
    assert_eq!(req.status, StatusCode::CREATED, "{}", req.body);
    let rid = req.body["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("/v2/orgs/3141592653/app-requests/{rid}/approve"),
            &demo.admin_token,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            &format!("/v2/apps/{id}/installations"),
            &ben,
            json!({"teamId": "team_design"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "an approved request puts the app on the list: {}",
        r.body
    );
}
