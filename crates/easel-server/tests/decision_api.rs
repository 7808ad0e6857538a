//! The decision API over HTTP, in process: allowed and refused answers with their layer and
//! code, who may ask about whom, consistency, batches, explanations, lookups, and every kind
//! of bad input answered in the envelope.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{assert_error, demo_app, demo_app_with};
use easel_core::command::Command;
use easel_core::event::TokenHolder;
use easel_server::{Acting, Limits};
use serde_json::{Value, json};

fn check(user: &str, action: &str, board: &str) -> Value {
    json!({"subject": {"user": user}, "action": action, "resource": {"board": board}})
}

#[tokio::test]
async fn answers_carry_the_role_the_channels_and_the_revision() {
    let (app, demo) = demo_app();
    let r = app
        .post(
            "/v1/check",
            &demo.service_token,
            check("usr_cy", "board.edit_content", "brd_roadmap"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["allowed"], true);
    assert_eq!(r.body["role"], "editor");
    let channels: Vec<&str> = r.body["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["channel"].as_str().unwrap())
        .collect();
    assert!(channels.contains(&"project"), "{}", r.body);
    let revision: i64 = r.body["revision"].as_str().unwrap().parse().unwrap();
    assert_eq!(revision, app.engine.read().revision());
}

#[tokio::test]
async fn refusals_name_the_layer_the_code_and_why() {
    let (app, demo) = demo_app();
    let r = app
        .post(
            "/v1/check",
            &demo.service_token,
            check("usr_gil", "board.edit_content", "brd_wireframes"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["allowed"], false);
    assert_eq!(r.body["deniedBy"]["layer"], "authority");
    assert_eq!(r.body["deniedBy"]["code"], "authority.role_too_low");
    assert!(
        r.body["deniedBy"]["message"]
            .as_str()
            .unwrap()
            .contains("commenter")
    );

    // The state layer: a trashed board is seen by no one but those who may restore it.
    let (outcome, _) = app
        .engine
        .run(
            Acting::User("usr_ben".into(), easel_core::request::Credential::None),
            Command::TrashBoard {
                board: "brd_wireframes".into(),
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none());
    let r = app
        .post(
            "/v1/check",
            &demo.service_token,
            check("usr_cy", "board.view", "brd_wireframes"),
        )
        .await;
    assert_eq!(r.body["deniedBy"]["layer"], "state", "{}", r.body);
    assert_eq!(r.body["deniedBy"]["code"], "state.trashed");

    // The credential layer: a service asking about a token that was never issued.
    let mut q = check("usr_cy", "board.view", "brd_roadmap");
    q["context"] = json!({"token": "pat_nobody"});
    let r = app.post("/v1/check", &demo.service_token, q).await;
    assert_eq!(r.body["deniedBy"]["layer"], "credential", "{}", r.body);
    assert_eq!(r.body["deniedBy"]["code"], "credential.invalid");
}

#[tokio::test]
async fn a_user_asks_only_about_themselves_and_a_service_only_in_its_organization() {
    let (app, demo) = demo_app();
    let own = app
        .post(
            "/v1/check",
            &demo.admin_token,
            check("usr_ana", "board.view", "brd_brand"),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.body["allowed"], true);
    let other = app
        .post(
            "/v1/check",
            &demo.admin_token,
            check("usr_ben", "board.view", "brd_brand"),
        )
        .await;
    assert_error(&other, 403, "credential.wrong_subject");

    // Another organization, and a service token for every organization.
    let gil = Acting::User("usr_gil".into(), easel_core::request::Credential::None);
    for command in [
        Command::CreateOrg {
            org: "globex".into(),
            name: "Globex".into(),
            plan: easel_core::catalog::Plan::Business,
            owner: None,
        },
        Command::CreateTeam {
            org: "globex".into(),
            team: "team_g".into(),
            name: "G".into(),
        },
        Command::CreateBoard {
            team: "team_g".into(),
            board: "brd_g".into(),
            name: "G".into(),
            project: None,
            setup: Default::default(),
        },
    ] {
        let (outcome, _) = app.engine.run(gil.clone(), command).await.unwrap();
        assert!(outcome.refusal().is_none(), "{outcome:?}");
    }
    let hidden = app
        .post(
            "/v1/check",
            &demo.service_token,
            check("usr_gil", "board.view", "brd_g"),
        )
        .await;
    assert_error(&hidden, 404, "request.not_found");

    let (secret, digest) = easel_server::ids::new_secret().unwrap();
    let (outcome, _) = app
        .engine
        .run(
            Acting::System,
            Command::IssueToken {
                token: "svc_everywhere".into(),
                holder: TokenHolder::Service {
                    name: "gateway".into(),
                    org: None,
                },
                digest,
                expires_at: None,
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none());
    let everywhere = format!("svc_everywhere.{secret}");
    let seen = app
        .post(
            "/v1/check",
            &everywhere,
            check("usr_gil", "board.view", "brd_g"),
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.body["allowed"], true);
}

#[tokio::test]
async fn tokens_are_checked_and_revoked_tokens_refused() {
    let (app, demo) = demo_app();
    let body = check("usr_ana", "board.view", "brd_brand");
    let missing = app
        .call(Method::POST, "/v1/check", None, Some(body.clone()))
        .await;
    assert_error(&missing, 401, "credential.missing");
    // The real token with its last digit changed.
    let (head, last) = demo.admin_token.split_at(demo.admin_token.len() - 1);
    let forged = format!("{head}{}", if last == "0" { "1" } else { "0" });
    let r = app.post("/v1/check", &forged, body.clone()).await;
    assert_error(&r, 401, "credential.invalid");
    let r = app.post("/v1/check", "nonsense", body.clone()).await;
    assert_error(&r, 401, "credential.invalid");
    let (outcome, _) = app
        .engine
        .run(
            Acting::System,
            Command::RevokeToken {
                token: "pat_ana_demo".into(),
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none());
    let r = app.post("/v1/check", &demo.admin_token, body).await;
    assert_error(&r, 401, "credential.revoked");
}

#[tokio::test]
async fn bad_input_is_a_4xx_with_its_code_and_changes_nothing() {
    let (app, demo) = demo_app();
    let token = demo.service_token.as_str();
    let before = app.engine.read().revision();
    let raw = |body: &str, content_type: &str| {
        Request::builder()
            .method(Method::POST)
            .uri("/v1/check")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    assert_error(
        &app.raw(raw("{not json", "application/json")).await,
        400,
        "request.invalid_json",
    );
    assert_error(
        &app.raw(raw(r#"{"subject": 7}"#, "application/json")).await,
        400,
        "request.invalid_json",
    );
    assert_error(
        &app.raw(raw(r#"{"subject": {"user": "usr_cy"}, "action": "board.view", "resource": {"board": "brd_roadmap"}, "extra": 1}"#, "application/json")).await,
        400,
        "request.invalid_json",
    );
    assert_error(
        &app.raw(raw("{}", "text/plain")).await,
        415,
        "request.unsupported_media_type",
    );
    let r = app
        .post(
            "/v1/check",
            token,
            check("usr_cy", "board.fly", "brd_roadmap"),
        )
        .await;
    assert_error(&r, 400, "request.unknown_action");
    let r = app
        .post(
            "/v1/check",
            token,
            check("usr_cy", "board.view", "brd_missing"),
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    let r = app
        .post(
            "/v1/check",
            token,
            check("usr_nobody", "board.view", "brd_roadmap"),
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    let two = json!({"subject": {"user": "usr_cy"}, "action": "board.view", "resource": {"board": "brd_roadmap", "team": "team_design"}});
    assert_error(
        &app.post("/v1/check", token, two).await,
        400,
        "request.invalid_parameter",
    );
    let nobody =
        json!({"subject": {}, "action": "board.view", "resource": {"board": "brd_roadmap"}});
    assert_error(
        &app.post("/v1/check", token, nobody).await,
        400,
        "request.invalid_parameter",
    );
    let mut role = check("usr_cy", "board.share", "brd_roadmap");
    role["context"] = json!({"role": "superuser"});
    assert_error(
        &app.post("/v1/check", token, role).await,
        400,
        "request.invalid_parameter",
    );
    let r = app
        .call(Method::PUT, "/v1/check", Some(token), Some(json!({})))
        .await;
    assert_error(&r, 405, "request.method_not_allowed");
    let r = app.get("/v1/nothing-here", token).await;
    assert_error(&r, 404, "request.not_found");
    assert_eq!(app.engine.read().revision(), before, "nothing changed");
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let (app, demo) = demo_app_with(Limits {
        body_bytes: 1_024,
        ..Limits::default()
    });
    let mut body = check("usr_cy", "board.view", "brd_roadmap");
    body["context"] = json!({"password": "x".repeat(4_096)});
    let r = app.post("/v1/check", &demo.service_token, body).await;
    assert_error(&r, 413, "request.too_large");
}

#[tokio::test]
async fn a_batch_answers_each_question_and_has_a_limit() {
    let (app, demo) = demo_app();
    let body = json!({"checks": [
        check("usr_cy", "board.edit_content", "brd_roadmap"),
        check("usr_gil", "board.edit_content", "brd_wireframes"),
        check("usr_cy", "board.view", "brd_missing"),
    ]});
    let r = app.post("/v1/check/batch", &demo.service_token, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let results = r.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["allowed"], true);
    assert_eq!(results[1]["allowed"], false);
    assert_eq!(results[2]["error"]["code"], "request.not_found");
    let many: Vec<Value> = (0..1_001)
        .map(|_| check("usr_cy", "board.view", "brd_roadmap"))
        .collect();
    let r = app
        .post(
            "/v1/check/batch",
            &demo.service_token,
            json!({"checks": many}),
        )
        .await;
    assert_error(&r, 413, "request.too_large");
    let exactly: Vec<Value> = (0..1_000)
        .map(|_| check("usr_cy", "board.view", "brd_roadmap"))
        .collect();
    let r = app
        .post(
            "/v1/check/batch",
            &demo.service_token,
            json!({"checks": exactly}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn consistency_waits_for_a_revision_or_says_it_is_stale() {
    let (app, demo) = demo_app_with(Limits {
        consistency_wait: Duration::from_millis(50),
        ..Limits::default()
    });
    let current = app.engine.read().revision();
    let mut body = check("usr_cy", "board.view", "brd_roadmap");
    body["consistency"] = json!({"atLeast": current.to_string()});
    let r = app
        .post("/v1/check", &demo.service_token, body.clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    body["consistency"] = json!({"atLeast": (current + 1_000).to_string()});
    let r = app
        .post("/v1/check", &demo.service_token, body.clone())
        .await;
    assert_error(&r, 409, "request.stale_revision");
    body["consistency"] = json!({"atLeast": "soon"});
    let r = app.post("/v1/check", &demo.service_token, body).await;
    assert_error(&r, 400, "request.invalid_parameter");
}

#[tokio::test]
async fn explain_agrees_with_check_and_lists_layers_and_channels() {
    let (app, demo) = demo_app();
    let body = check("usr_eve", "board.edit_content", "brd_roadmap");
    let checked = app
        .post("/v1/check", &demo.service_token, body.clone())
        .await;
    let explained = app.post("/v1/explain", &demo.service_token, body).await;
    assert_eq!(explained.status, StatusCode::OK, "{}", explained.body);
    assert_eq!(explained.body["allowed"], checked.body["allowed"]);
    assert_eq!(explained.body["role"], checked.body["role"]);
    let layers: Vec<&str> = explained.body["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["layer"].as_str().unwrap())
        .collect();
    assert!(
        layers.contains(&"credential") && layers.contains(&"authority"),
        "{layers:?}"
    );
    assert!(!explained.body["channels"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn lookups_are_exact_and_paged() {
    let (app, demo) = demo_app();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut body = json!({"subject": {"user": "usr_cy"}, "action": "board.view", "limit": 1});
        if let Some(c) = &cursor {
            body["cursor"] = json!(c);
        }
        let r = app
            .post("/v1/lookup/boards", &demo.service_token, body)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let data = r.body["data"].as_array().unwrap();
        assert!(data.len() <= 1);
        seen.extend(
            data.iter()
                .map(|d| d["board"].as_str().unwrap().to_string()),
        );
        match r.body["cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    for board in &seen {
        let r = app
            .post(
                "/v1/check",
                &demo.service_token,
                check("usr_cy", "board.view", board),
            )
            .await;
        assert_eq!(r.body["allowed"], true, "{board}");
    }
    assert!(seen.contains(&"brd_roadmap".to_string()), "{seen:?}");
    assert!(!seen.contains(&"brd_press".to_string()), "{seen:?}");

    let r = app
        .post(
            "/v1/lookup/subjects",
            &demo.service_token,
            json!({"resource": {"board": "brd_wireframes"}, "action": "board.comment"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let gil = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user"] == "usr_gil")
        .cloned()
        .unwrap();
    assert_eq!(gil["role"], "commenter");
    assert_eq!(gil["channels"][0]["channel"], "direct");
    let by_user = app
        .post(
            "/v1/lookup/subjects",
            &demo.admin_token,
            json!({"resource": {"board": "brd_wireframes"}, "action": "board.view"}),
        )
        .await;
    assert_error(&by_user, 403, "credential.wrong_subject");
    let bad = app
        .post(
            "/v1/lookup/boards",
            &demo.service_token,
            json!({"subject": {"user": "usr_cy"}, "action": "board.view", "cursor": "garbage"}),
        )
        .await;
    assert_error(&bad, 400, "request.invalid_cursor");
    let big = app
        .post(
            "/v1/lookup/boards",
            &demo.service_token,
            json!({"subject": {"user": "usr_cy"}, "action": "board.view", "limit": 101}),
        )
        .await;
    assert_error(&big, 400, "request.invalid_parameter");
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let (app, demo) = demo_app();
    let r = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.body["status"], "ready");
    app.post(
        "/v1/check",
        &demo.service_token,
        check("usr_gil", "board.edit_content", "brd_wireframes"),
    )
    .await;
    let r = app.call(Method::GET, "/metrics", None, None).await;
    let text = r.body.as_str().unwrap_or_default().to_string();
    assert!(
        text.contains(
            "easel_decisions_total{outcome=\"refused\",code=\"authority.role_too_low\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("route=\"/v1/check\""), "{text}");
    assert!(
        text.contains("easel_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[tokio::test]
async fn over_the_concurrency_limit_a_request_is_refused_with_429_and_a_slow_one_times_out() {
    let (app, demo) = demo_app_with(Limits {
        concurrent_requests: 1,
        consistency_wait: Duration::from_millis(400),
        ..Limits::default()
    });
    let current = app.engine.read().revision();
    let mut waiting = check("usr_cy", "board.view", "brd_roadmap");
    waiting["consistency"] = json!({"atLeast": (current + 1_000).to_string()});
    let token = demo.service_token.clone();
    let router = app.router.clone();
    let slow = tokio::spawn(async move {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/v1/check")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(waiting.to_string()))
            .unwrap();
        tower::ServiceExt::oneshot(router, req)
            .await
            .unwrap()
            .status()
    });
    // Let the slow request take the only slot.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r = app
        .post(
            "/v1/check",
            &demo.service_token,
            check("usr_cy", "board.view", "brd_roadmap"),
        )
        .await;
    assert_error(&r, 429, "request.rate_limited");
    assert_eq!(
        slow.await.unwrap(),
        StatusCode::CONFLICT,
        "the slow one ends stale"
    );

    let (app, demo) = demo_app_with(Limits {
        request_timeout: Duration::from_millis(50),
        consistency_wait: Duration::from_secs(5),
        ..Limits::default()
    });
    let mut waiting = check("usr_cy", "board.view", "brd_roadmap");
    waiting["consistency"] = json!({"atLeast": "1000000"});
    let r = app.post("/v1/check", &demo.service_token, waiting).await;
    assert_error(&r, 408, "request.timeout");
}

#[tokio::test]
async fn bodies_in_another_charset_and_malformed_revisions_are_refused() {
    let (app, demo) = demo_app();
    let question = json!({"subject": {"user": "usr_gil"}, "action": "board.view",
        "resource": {"board": "brd_wireframes"}});
    for (content_type, status) in [
        ("application/json; charset=utf-16", 415),
        ("application/json; charset=\"ISO-8859-1\"", 415),
        ("application/json; charset=UTF-8", 200),
        ("application/json", 200),
    ] {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/v1/check")
            .header("authorization", format!("Bearer {}", demo.service_token))
            .header("content-type", content_type)
            .body(Body::from(question.to_string()))
            .unwrap();
        let r = app.raw(req).await;
        assert_eq!(r.status.as_u16(), status, "{content_type}: {}", r.body);
        if status == 415 {
            assert_error(&r, 415, "request.unsupported_media_type");
        }
    }
    for at_least in ["-1", "+3", " 3", "1e3", "", "99999999999999999999"] {
        let mut body = question.clone();
        body["consistency"] = json!({"atLeast": at_least});
        let r = app.post("/v1/check", &demo.service_token, body).await;
        assert_error(&r, 400, "request.invalid_parameter");
    }
    let mut body = question.clone();
    body["consistency"] = json!({"atLeast": "1"});
    let r = app.post("/v1/check", &demo.service_token, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
