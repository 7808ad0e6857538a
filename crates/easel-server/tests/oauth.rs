//! The OAuth flow over HTTP, in process: consent (with its anti-forgery token), the code
//! exchange with PKCE, tokens that act within their scopes, refresh rotation and reuse
//! detection, revocation, introspection, and every bad input refused with its OAuth error.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed expectation is a panic"
)]

mod common;

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{TestApp, assert_error, demo_app, form_encode};
use serde_json::json;
use sha2::{Digest, Sha256};

const REDIRECT: &str = "https://cb.example/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-a-long-verifier";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

struct Client {
    id: String,
    secret: String,
    session: String,
}

async fn setup(app: &TestApp, service: &str) -> Client {
    setup_with(app, service, &["boards:read", "boards:write"]).await
}

/// An app of Ben's team registering `scopes`, and a session for Ben.
async fn setup_with(app: &TestApp, service: &str, scopes: &[&str]) -> Client {
    let ben = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/apps",
            &ben,
            json!({"name": "Sync", "teamId": "team_design",
            "redirectUris": [REDIRECT], "scopes": scopes}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let s = app
        .post("/v1/sessions", service, json!({"userId": "usr_ben"}))
        .await;
    Client {
        id: r.body["id"].as_str().unwrap().to_string(),
        secret: r.body["clientSecret"].as_str().unwrap().to_string(),
        session: s.body["session"].as_str().unwrap().to_string(),
    }
}

fn authorize_query(c: &Client, scope: &str, method: &str) -> String {
    format!(
        "/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&state=xyz&code_challenge={}&code_challenge_method={method}",
        c.id,
        form_encode(REDIRECT),
        form_encode(scope),
        challenge(VERIFIER)
    )
}

/// Opens the consent page, submits it, and returns the code from the redirect.
async fn authorized(app: &TestApp, c: &Client, scope: &str) -> String {
    let cookie = format!("easel_session={}", c.session);
    let page = app
        .raw(
            axum::http::Request::builder()
                .uri(authorize_query(c, scope, "S256"))
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = page.body.as_str().unwrap().to_string();
    assert!(html.contains("read boards"), "the scopes in words: {html}");
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let chal = challenge(VERIFIER);
    let r = app
        .form(
            "/oauth/authorize",
            &[
                ("response_type", "code"),
                ("client_id", &c.id),
                ("redirect_uri", REDIRECT),
                ("scope", scope),
                ("state", "xyz"),
                ("code_challenge", &chal),
                ("code_challenge_method", "S256"),
                ("team_id", "team_design"),
                ("csrf", &csrf),
                ("decision", "allow"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let location = r
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    assert!(location.contains("state=xyz"), "{location}");
    location
        .split("code=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap()
        .replace("%2E", ".")
}

/// The consent page's HTML for `scope`, as Ben.
async fn consent_page(app: &TestApp, c: &Client, scope: &str) -> String {
    let page = app
        .raw(
            axum::http::Request::builder()
                .uri(authorize_query(c, scope, "S256"))
                .header("cookie", format!("easel_session={}", c.session))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body.as_str().unwrap().to_string()
}

/// The part of a consent page that lists the scopes it grants.
fn granted_list(html: &str) -> &str {
    html.split("Allowing grants these scopes:")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or("")
}

/// Moves the demo organization to the business plan, where enterprise scopes do not exist.
async fn to_business_plan(app: &TestApp) {
    let (outcome, _) = app
        .engine
        .run(
            easel_server::Acting::System,
            easel_core::command::Command::ChangePlan {
                org: "3141592653".into(),
                plan: easel_core::catalog::Plan::Business,
                guard: false,
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
}

async fn exchange(app: &TestApp, c: &Client, code: &str, verifier: &str) -> common::Reply {
    app.form(
        "/v1/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("client_id", &c.id),
            ("client_secret", &c.secret),
        ],
        &[],
    )
    .await
}

#[tokio::test]
async fn the_code_flow_gives_a_token_that_acts_within_its_scopes() {
    let (app, demo) = demo_app();
    let c = setup(&app, &demo.service_token).await;
    let code = authorized(&app, &c, "boards:read").await;
    let r = exchange(&app, &c, &code, VERIFIER).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["token_type"], "bearer");
    assert_eq!(r.body["scope"], "boards:read");
    assert_eq!(r.body["team_id"], "team_design");
    assert_eq!(r.body["user_id"], "usr_ben");
    assert_eq!(r.body["expires_in"], 3600);
    let access = r.body["access_token"].as_str().unwrap().to_string();
    assert!(r.body["refresh_token"].is_string());

    // The token reads as Ben, but may not write: it carries boards:read only.
    let r = app.get("/v2/boards/brd_wireframes", &access).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post(
            "/v2/boards",
            &access,
            json!({"name": "x", "teamId": "team_design"}),
        )
        .await;
    assert_error(&r, 403, "scope.missing");
    let me = app.get("/v1/oauth-token", &access).await;
    assert_eq!(me.body["type"], "oauthToken", "{}", me.body);
    assert_eq!(me.body["scopes"], json!(["boards:read"]));

    // Introspection by the client, then revocation.
    let i = app
        .form(
            "/v1/oauth/introspect",
            &[
                ("token", &access),
                ("client_id", &c.id),
                ("client_secret", &c.secret),
            ],
            &[],
        )
        .await;
    assert_eq!(i.body["active"], true, "{}", i.body);
    assert_eq!(i.body["scope"], "boards:read");
    let r = app
        .form(
            "/v2/oauth/revoke",
            &[
                ("token", &access),
                ("client_id", &c.id),
                ("client_secret", &c.secret),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let i = app
        .form(
            "/v1/oauth/introspect",
            &[("token", &access)],
            &[("authorization", &format!("Bearer {}", demo.service_token))],
        )
        .await;
    assert_eq!(i.body["active"], false, "{}", i.body);
    assert_error(
        &app.get("/v2/boards", &access).await,
        401,
        "credential.revoked",
    );
}

#[tokio::test]
async fn the_consent_page_lists_only_what_can_be_granted_and_says_why_not_the_rest() {
    let (app, demo) = demo_app();
    let c = setup_with(
        &app,
        &demo.service_token,
        &["boards:read", "auditlogs:read", "organizations:read"],
    )
    .await;
    to_business_plan(&app).await;
    let asked = "boards:read auditlogs:read organizations:read identity:read";
    let html = consent_page(&app, &c, asked).await;
    let granted = granted_list(&html);
    assert!(granted.contains("<code>boards:read</code>"), "{html}");
    for withheld in ["auditlogs:read", "organizations:read", "identity:read"] {
        assert!(
            !granted.contains(withheld),
            "{withheld} is not granted: {html}"
        );
    }
    assert!(
        html.contains("<code>auditlogs:read</code>: needs the enterprise plan"),
        "{html}"
    );
    assert!(
        html.contains("<code>organizations:read</code>: needs the enterprise plan"),
        "{html}"
    );
    assert!(
        html.contains("<code>identity:read</code>: the app does not register it"),
        "{html}"
    );
    assert!(html.contains("value=\"allow\""), "{html}");

    // Allowing grants what the page listed, and the token response says so.
    let code = authorized(&app, &c, asked).await;
    let r = exchange(&app, &c, &code, VERIFIER).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["scope"], "boards:read");
    let access = r.body["access_token"].as_str().unwrap().to_string();
    let r = app.get("/v2/boards/brd_wireframes", &access).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // What needs a scope the plan withholds answers scope.plan, not scope.missing: the
    // app registers it, the plan keeps it from the installation.
    assert_error(&app.get("/v2/audit/logs", &access).await, 403, "scope.plan");
    // Even where a scope on the plan (workspaces:read) would also admit it.
    assert_error(
        &app.get("/v2/orgs/3141592653", &access).await,
        403,
        "scope.plan",
    );
    // The check API answers the same for the same token.
    let asked_check = app
        .post(
            "/v1/check",
            &demo.service_token,
            json!({"subject": {"user": "usr_ben"}, "action": "org.view",
                   "resource": {"org": "3141592653"}, "context": {"app": c.id}}),
        )
        .await;
    assert_eq!(asked_check.status, StatusCode::OK, "{}", asked_check.body);
    assert_eq!(asked_check.body["allowed"], false, "{}", asked_check.body);
    assert_eq!(
        asked_check.body["deniedBy"]["code"], "scope.plan",
        "{}",
        asked_check.body
    );
}

#[tokio::test]
async fn a_consent_that_can_grant_nothing_offers_no_allow() {
    let (app, demo) = demo_app();
    let c = setup_with(
        &app,
        &demo.service_token,
        &["boards:read", "auditlogs:read"],
    )
    .await;
    to_business_plan(&app).await;
    let html = consent_page(&app, &c, "auditlogs:read boards:write").await;
    assert!(granted_list(&html).is_empty(), "{html}");
    assert!(
        html.contains("<code>auditlogs:read</code>: needs the enterprise plan"),
        "{html}"
    );
    assert!(
        html.contains("<code>boards:write</code>: the app does not register it"),
        "{html}"
    );
    assert!(!html.contains("value=\"allow\""), "{html}");
    assert!(
        html.contains("Nothing this app asks for can be granted"),
        "{html}"
    );
}

#[tokio::test]
async fn codes_are_single_use_and_refresh_tokens_rotate_with_reuse_detection() {
    let (app, demo) = demo_app();
    let c = setup(&app, &demo.service_token).await;
    let code = authorized(&app, &c, "boards:read boards:write").await;
    let first = exchange(&app, &c, &code, VERIFIER).await;
    let access = first.body["access_token"].as_str().unwrap().to_string();
    let refresh = first.body["refresh_token"].as_str().unwrap().to_string();
    // Replaying the code fails and revokes what it gave.
    let again = exchange(&app, &c, &code, VERIFIER).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.body["error"], "invalid_grant");
    assert_error(
        &app.get("/v2/boards", &access).await,
        401,
        "credential.revoked",
    );
    let rotate = |refresh: String| {
        let (id, secret) = (c.id.clone(), c.secret.clone());
        let app = &app;
        async move {
            app.form(
                "/v1/oauth/token",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &refresh),
                    ("client_id", &id),
                    ("client_secret", &secret),
                ],
                &[],
            )
            .await
        }
    };
    let r = rotate(refresh.clone()).await;
    assert_eq!(
        r.body["error"], "invalid_grant",
        "the family was revoked with the code: {}",
        r.body
    );

    // A fresh authorization: rotation gives a new pair; the old refresh token is dead, and
    // presenting it again revokes the new pair too.
    let code = authorized(&app, &c, "boards:read").await;
    let fresh = exchange(&app, &c, &code, VERIFIER).await;
    let refresh = fresh.body["refresh_token"].as_str().unwrap().to_string();
    let rotated = rotate(refresh.clone()).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let new_access = rotated.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/v2/boards", &new_access).await.status,
        StatusCode::OK
    );
    let reused = rotate(refresh).await;
    assert_eq!(reused.body["error"], "invalid_grant");
    assert_error(
        &app.get("/v2/boards", &new_access).await,
        401,
        "credential.revoked",
    );
}

#[tokio::test]
async fn bad_clients_verifiers_redirects_and_forms_are_refused() {
    let (app, demo) = demo_app();
    let c = setup(&app, &demo.service_token).await;
    let cookie = format!("easel_session={}", c.session);
    let get = |path: String| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.raw(
                axum::http::Request::builder()
                    .uri(path)
                    .header("cookie", cookie)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    // An unregistered redirect URI is shown an error page, never redirected to.
    let r = get(authorize_query(&c, "boards:read", "S256").replace(
        &form_encode(REDIRECT),
        &form_encode("https://evil.example/cb"),
    ))
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.headers.get("location").is_none());
    // Plain PKCE goes back to the app as invalid_request.
    let r = get(authorize_query(&c, "boards:read", "plain")).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let location = r.headers.get("location").unwrap().to_str().unwrap();
    assert!(
        location.contains("error=invalid_request") && location.contains("state=xyz"),
        "{location}"
    );
    let r = get(authorize_query(&c, "boards:fly", "S256")).await;
    assert!(
        r.headers
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("error=invalid_scope")
    );
    // Without a session, no consent page.
    let r = app
        .call(
            Method::GET,
            &authorize_query(&c, "boards:read", "S256"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A forged consent form.
    let chal = challenge(VERIFIER);
    let r = app
        .form(
            "/oauth/authorize",
            &[
                ("response_type", "code"),
                ("client_id", &c.id),
                ("redirect_uri", REDIRECT),
                ("scope", "boards:read"),
                ("state", "xyz"),
                ("code_challenge", &chal),
                ("code_challenge_method", "S256"),
                ("team_id", "team_design"),
                ("csrf", "forged"),
                ("decision", "allow"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let code = authorized(&app, &c, "boards:read").await;
    let r = exchange(
        &app,
        &c,
        &code,
        "a-different-verifier-that-is-long-enough-to-count-xx",
    )
    .await;
    assert_eq!(r.body["error"], "invalid_grant", "{}", r.body);
    let wrong_secret = Client {
        id: c.id.clone(),
        secret: "0".repeat(64),
        session: String::new(),
    };
    let r = exchange(&app, &wrong_secret, &code, VERIFIER).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"], "invalid_client");
    let r = app
        .form(
            "/v1/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "https://cb.example/other"),
                ("code_verifier", VERIFIER),
                ("client_id", &c.id),
                ("client_secret", &c.secret),
            ],
            &[],
        )
        .await;
    assert_eq!(r.body["error"], "invalid_grant", "{}", r.body);
    let r = app
        .form(
            "/v1/oauth/token",
            &[
                ("grant_type", "password"),
                ("client_id", &c.id),
                ("client_secret", &c.secret),
            ],
            &[],
        )
        .await;
    assert_eq!(r.body["error"], "unsupported_grant_type");
    // Another app cannot exchange this app's code.
    let other = setup(&app, &demo.service_token).await;
    let r = exchange(&app, &other, &code, VERIFIER).await;
    assert_eq!(r.body["error"], "invalid_grant", "{}", r.body);
    // An oversized scope list is refused.
    let long = "boards:read ".repeat(200);
    let r = get(authorize_query(&c, &long, "S256")).await;
    assert!(
        r.headers
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("error=invalid_scope")
    );
    // The refused exchanges are in the organization's audit log.
    let log = app
        .get(
            "/v2/audit/logs?org=3141592653&sorting=desc&limit=100",
            &demo.admin_token,
        )
        .await;
    let refused = log.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "oauth_token" && e["outcome"] == "refused")
        .count();
    assert!(refused >= 3, "{}", log.body);
    // The code still works with the right verifier: the failed attempts did not use it.
    let r = exchange(&app, &c, &code, VERIFIER).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
