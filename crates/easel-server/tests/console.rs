//! The console's frame: pages need a session cookie, leave with the page headers, and every
//! form is refused without its anti-forgery field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::console::csrf_of;
use common::demo_app;
use easel_server::demo::ORG;

#[tokio::test]
async fn pages_need_a_session_and_carry_the_page_headers() {
    let (app, demo) = demo_app();
    let anonymous = common::console::Browser {
        cookie: "easel_session=ses_nope.00".into(),
    };
    let r = app.page(&anonymous, "/ui/").await;
    assert_eq!(r.status, 401);
    assert!(r.body.as_str().unwrap().contains("Sign in to Easel"));

    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let r = app.page(&ana, "/ui/").await;
    assert_eq!(r.status, 200);
    let html = r.body.as_str().unwrap();
    assert!(html.contains("Ana Admin"), "{html}");
    assert!(html.contains("Acme"));
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    assert_eq!(r.headers["cache-control"], "no-store");
    assert_eq!(r.headers["x-frame-options"], "DENY");

    let r = app.page(&ana, &format!("/ui/orgs/{ORG}")).await;
    assert_eq!(r.status, 200);
    let r = app.page(&ana, "/ui/orgs/999").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.headers["x-easel-reason"], "request.not_found");
}

#[tokio::test]
async fn sign_out_needs_the_form_token_and_ends_the_session() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let r = app.post_form(&ana, "/ui/sign-out", &[]).await;
    assert_eq!(r.status, 403);
    let r = app
        .post_form(&ana, "/ui/sign-out", &[("csrf", "0".repeat(64).as_str())])
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(app.page(&ana, "/ui/").await.status, 200);

    let html = app.page(&ana, "/ui/").await;
    let token = csrf_of(html.body.as_str().unwrap()).unwrap();
    let r = app
        .post_form(&ana, "/ui/sign-out", &[("csrf", &token)])
        .await;
    assert_eq!(r.status, 303);
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("Max-Age=0") && cookie.contains("HttpOnly"));
    assert_eq!(app.page(&ana, "/ui/").await.status, 401);
}

#[tokio::test]
async fn a_sign_in_link_gives_a_cookie_once() {
    use axum::body::Body;
    use axum::http::Request;
    let (app, demo) = demo_app();
    let r = app
        .post(
            "/v1/sessions/links",
            &demo.service_token,
            serde_json::json!({"userId": "usr_ben", "orgId": ORG, "redirect": "/ui/orgs/3141592653"}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let link = r.body["link"].as_str().unwrap();
    let path = &link[link.find("/ui/").unwrap()..];
    let text: String = path
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("link="))
        .unwrap()
        .to_string();

    let page = app.call(axum::http::Method::GET, path, None, None).await;
    assert_eq!(page.status, 200);
    let html = page.body.as_str().unwrap();
    assert!(
        html.contains("Ben Designer") && html.contains("Continue"),
        "{html}"
    );
    assert!(
        page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("form-action 'self'")
    );

    let post = |text: String| {
        let body =
            serde_urlencoded::to_string([("link", text.as_str()), ("next", "/ui/orgs/3141592653")])
                .unwrap();
        Request::builder()
            .method("POST")
            .uri("/ui/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let r = app.raw(post(text.clone())).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.headers["location"], "/ui/orgs/3141592653");
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on loopback: {cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_string();
    let ben = common::console::Browser { cookie: session };
    assert_eq!(app.page(&ben, "/ui/").await.status, 200);

    // Spent: neither the page nor the form signs anyone in again.
    let again = app.raw(post(text.clone())).await;
    assert_eq!(again.status, 401);
    assert!(again.headers.get("set-cookie").is_none());
    let page = app.call(axum::http::Method::GET, path, None, None).await;
    assert_eq!(page.status, 401);
}
