//! Sessions over HTTP: a service signs a user in, the session acts as the user, a request
//! keeps it alive, the idle timeout and a reset end it, and the user signs out.

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, day, demo_app};
use easel_core::time::Time;
use serde_json::json;

const MINUTE_MS: i64 = 60_000;

fn at(minutes: i64) -> Time {
    Time::from_millis(day(100).millis() + minutes * MINUTE_MS)
}

#[tokio::test]
async fn sessions_act_as_their_user_until_idle_reset_or_signed_out() {
    let (app, demo) = demo_app();
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_cy"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let session = r.body["session"].as_str().unwrap().to_string();
    let r = app.get("/v2/boards", &session).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Who may start sessions, and for whom.
    let r = app
        .post(
            "/v1/sessions",
            &demo.admin_token,
            json!({"userId": "usr_cy"}),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_nobody"}),
        )
        .await;
    assert_error(&r, 404, "request.not_found");

    // A 30-minute idle timeout: a request 20 minutes in keeps the session alive.
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/settings",
            Some(&demo.admin_token),
            Some(json!({"idle_session_timeout_secs": 1800})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    app.at(at(20));
    assert_eq!(
        app.get("/v2/orgs/3141592653", &session).await.status,
        StatusCode::OK
    );
    // The use is recorded in the background; wait for it to land.
    let id = session.split('.').next().unwrap().to_string();
    for _ in 0..200 {
        let seen = {
            let reader = app.engine.read();
            let state = reader.state();
            state
                .find_session(&id)
                .and_then(|s| state.session(s))
                .is_some_and(|s| s.last_active_at == at(20))
        };
        if seen {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    app.at(at(45));
    let r = app.get("/v2/orgs/3141592653", &session).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "25 minutes idle is within 30: {}",
        r.body
    );
    app.at(at(90));
    let r = app.get("/v2/orgs/3141592653", &session).await;
    assert_error(&r, 401, "credential.session_idle");

    // A reset ends every session of the user.
    app.at(at(0));
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_cy"}),
        )
        .await;
    let second = r.body["session"].as_str().unwrap().to_string();
    app.at(at(1));
    let r = app
        .call(
            Method::POST,
            "/v2/sessions/reset_all?email=cy@acme.test",
            Some(&demo.admin_token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.get("/v2/orgs/3141592653", &second).await;
    assert_error(&r, 401, "credential.session_reset");

    // Signing out.
    app.at(at(2));
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_ben"}),
        )
        .await;
    let third = r.body["session"].as_str().unwrap().to_string();
    let r = app
        .call(Method::DELETE, "/v1/sessions/current", Some(&third), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.get("/v2/orgs/3141592653", &third).await;
    assert_error(&r, 401, "credential.session_ended");
    let r = app
        .call(
            Method::DELETE,
            "/v1/sessions/current",
            Some(&demo.admin_token),
            None,
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    let (head, last) = second.split_at(second.len() - 1);
    let forged = format!("{head}{}", if last == "0" { "1" } else { "0" });
    assert_error(
        &app.get("/v2/orgs/3141592653", &forged).await,
        401,
        "credential.invalid",
    );
}

#[tokio::test]
async fn an_unbound_session_idle_in_an_organization_lists_nothing_of_it() {
    let (app, demo) = demo_app();
    // An unrestricted service (the operator's) signs Ben in for every organization of his.
    let service = app.service_token("svc_every", None).await;
    let r = app
        .post("/v1/sessions", &service, json!({"userId": "usr_ben"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body.get("orgId").is_none(), "unbound: {}", r.body);
    let session = r.body["session"].as_str().unwrap().to_string();
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/settings",
            Some(&demo.admin_token),
            Some(json!({"idle_session_timeout_secs": 1800})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let listed = |r: &common::Reply| r.body["data"].as_array().map_or(0, Vec::len);
    let r = app.get("/v2/boards", &session).await;
    assert!(listed(&r) > 0, "Ben's boards while active: {}", r.body);
    // Forty minutes idle: Acme's 30-minute rule refuses the board and the list alike.
    app.at(at(40));
    let r = app.get("/v2/boards/brd_wireframes", &session).await;
    assert_error(&r, 401, "credential.session_idle");
    let r = app.get("/v2/boards", &session).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(listed(&r), 0, "nothing of Acme: {}", r.body);
}
