//! The tenancy rule over HTTP: a credential acts only where it was issued. The attack this
//! guards against: a member of one organization shares a board with the admin of another,
//! and the first organization's service then signs that admin in and acts in the second.
mod common;

use axum::http::{Method, StatusCode};
use common::{Reply, TestApp, assert_error, demo_app};
use serde_json::{Value, json};

/// Globex beside the demo's Acme: its admin, a team and a private board.
async fn with_globex(app: &TestApp) {
    let gx = Some("usr_gx");
    app.run_as(
        None,
        json!({"type": "create_user", "user": "usr_gx", "email": "admin@globex.test", "name": "Globex Admin"}),
    )
    .await;
    app.run_as(
        gx,
        json!({"type": "create_org", "org": "globex", "name": "Globex", "plan": "enterprise"}),
    )
    .await;
    app.run_as(
        gx,
        json!({"type": "create_team", "org": "globex", "team": "team_gx", "name": "Secret projects"}),
    )
    .await;
    app.run_as(
        gx,
        json!({"type": "create_board", "team": "team_gx", "board": "brd_gx", "name": "Acquisition plan", "project": null}),
    )
    .await;
}

/// The body of an error without its request id, to compare two answers word for word.
fn without_id(reply: &Reply) -> (u16, Value) {
    let mut body = reply.body.clone();
    if let Some(o) = body.as_object_mut() {
        o.remove("requestId");
    }
    (reply.status.as_u16(), body)
}

/// The answer for `path` with the foreign id, and with an id that names nothing.
async fn same_as_unknown(
    app: &TestApp,
    method: Method,
    token: &str,
    (path, unknown): (&str, &str),
    body: Option<Value>,
) {
    let foreign = app
        .call(method.clone(), path, Some(token), body.clone())
        .await;
    let none = app.call(method, unknown, Some(token), body).await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "{path}: {}",
        foreign.body
    );
    assert_eq!(
        without_id(&foreign).1.get("code"),
        without_id(&none).1.get("code"),
        "{path}"
    );
    let message = |r: &Reply| r.body["message"].as_str().unwrap_or("").to_string();
    // The same words but for the id itself.
    let strip = |m: String, id: &str| m.replace(id, "<id>");
    let foreign_id = path.split('/').find(|p| p.contains("gx") || *p == "globex");
    let unknown_id = unknown.split('/').find(|p| p.starts_with("nothing"));
    if let (Some(f), Some(u)) = (foreign_id, unknown_id) {
        assert_eq!(
            strip(message(&foreign), f),
            strip(message(&none), u),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_service_cannot_sign_in_someone_of_another_organization_to_act_there() {
    let (app, demo) = demo_app();
    with_globex(&app).await;
    let gx_own = app.personal_token("usr_gx").await;

    // Ben shares a board of Acme with Globex's admin: an invitation, nothing more.
    let ben = app.personal_token_in("usr_ben", "3141592653").await;
    let r = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &ben,
            json!({"emails": ["admin@globex.test"], "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    {
        let reader = app.engine.read();
        let state = reader.state();
        let gx = state.find_user("usr_gx").unwrap();
        let acme = state.find_org("3141592653").unwrap();
        assert!(state.membership(gx, acme).is_none(), "no one joins unasked");
    }
    // So Acme's service cannot sign them in.
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_gx"}),
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    let unknown = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_nothing"}),
        )
        .await;
    assert_eq!(
        r.body["message"].as_str().map(|m| m.replace("usr_gx", "")),
        unknown.body["message"]
            .as_str()
            .map(|m| m.replace("usr_nothing", ""))
    );

    // Globex's admin accepts: now a guest of Acme.
    let r = app
        .post(
            "/v2/invitations/inv_brd_wireframes_usr_gx_0/accept",
            &gx_own,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Acme's service may sign its guest in, for Acme alone; naming Globex is as naming nothing.
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_gx", "orgId": "globex"}),
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_gx"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["orgId"], "3141592653");
    let session = r.body["session"].as_str().unwrap().to_string();

    // The session acts in Acme: the shared board opens.
    let r = app.get("/v2/boards/brd_wireframes", &session).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // And reaches nothing of Globex, answered exactly as ids that name nothing.
    let s = session.as_str();
    same_as_unknown(
        &app,
        Method::GET,
        s,
        ("/v2/orgs/globex/members", "/v2/orgs/nothing/members"),
        None,
    )
    .await;
    same_as_unknown(
        &app,
        Method::GET,
        s,
        ("/v2/orgs/globex", "/v2/orgs/nothing"),
        None,
    )
    .await;
    same_as_unknown(
        &app,
        Method::GET,
        s,
        ("/v2/boards/brd_gx", "/v2/boards/nothing_b"),
        None,
    )
    .await;
    same_as_unknown(
        &app,
        Method::PATCH,
        s,
        ("/v2/boards/brd_gx", "/v2/boards/nothing_b"),
        Some(json!({"name": "Taken over"})),
    )
    .await;
    same_as_unknown(
        &app,
        Method::POST,
        s,
        (
            "/v2/orgs/globex/admin-roles",
            "/v2/orgs/nothing/admin-roles",
        ),
        Some(json!({"userId": "usr_gx", "role": "company_admin"})),
    )
    .await;
    let r = app.get("/v2/audit/logs?org=globex", s).await;
    assert_error(&r, 404, "request.not_found");
    // The board list holds Acme's boards only.
    let r = app.get("/v2/boards", s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ids: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert!(ids.contains(&"brd_wireframes"), "{ids:?}");
    assert!(!ids.contains(&"brd_gx"), "{ids:?}");

    // The consent page, opened with the session, offers Acme's teams only.
    app.run_as(
        Some("usr_ben"),
        json!({"type": "register_app", "app": "app_acme", "team": "team_design",
            "name": "Acme app", "redirect_uris": ["https://a.example/cb"],
            "scopes": ["boards:read"], "secret_digest": "00".repeat(32)}),
    )
    .await;
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let req = axum::http::Request::builder()
        .uri(format!(
            "/oauth/authorize?response_type=code&client_id=app_acme&redirect_uri=https%3A%2F%2Fa.example%2Fcb&scope=boards%3Aread&state=s&code_challenge={challenge}&code_challenge_method=S256"
        ))
        .header("cookie", format!("easel_session={session}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let page = app.raw(req).await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(!html.contains("Secret projects"), "{html}");
    assert!(!html.contains("team_gx"), "{html}");

    // Nothing of Globex changed, and its log records the refused attempts.
    {
        let reader = app.engine.read();
        let state = reader.state();
        let b = state.find_board("brd_gx").unwrap();
        assert_eq!(state.board(b).unwrap().name.as_ref(), "Acquisition plan");
    }
    let r = app
        .get("/v2/audit/logs?org=globex&sorting=desc&limit=100", &gx_own)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let refused: Vec<&Value> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["outcome"] != "allowed" && e["actor"] == "usr_gx")
        .collect();
    assert!(
        refused.iter().any(|e| e["target"] == "board:brd_gx"),
        "the refused rename is in Globex's log: {}",
        r.body
    );
    assert!(
        refused.iter().any(|e| e["target"] == "org:globex"),
        "the refused role assignment is in Globex's log: {}",
        r.body
    );

    // Acme resets the person's sessions: its own end, Globex's do not.
    let globex_service = app.service_token("svc_globex", Some("globex")).await;
    let r = app
        .post("/v1/sessions", &globex_service, json!({"userId": "usr_gx"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["orgId"], "globex");
    let at_globex = r.body["session"].as_str().unwrap().to_string();
    let r = app
        .call(
            Method::POST,
            "/v2/sessions/reset_all?email=admin@globex.test",
            Some(&demo.admin_token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.get("/v2/boards/brd_wireframes", &session).await;
    assert_error(&r, 401, "credential.session_reset");
    let r = app.get("/v2/orgs/globex", &at_globex).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "Globex's session lives on: {}",
        r.body
    );
}

#[tokio::test]
async fn a_bound_personal_token_is_refused_elsewhere_as_if_nothing_were_there() {
    let (app, _demo) = demo_app();
    with_globex(&app).await;
    // Globex's admin also belongs to Acme, as a member this time.
    app.run_as(
        Some("usr_ana"),
        json!({"type": "add_member", "org": "3141592653", "user": "usr_gx",
            "email": "admin@globex.test", "name": "Globex Admin", "kind": "member"}),
    )
    .await;
    let in_acme = app.personal_token_in("usr_gx", "3141592653").await;
    let anywhere = app.personal_token("usr_gx").await;
    let r = app.get("/v2/boards/brd_gx", &anywhere).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    same_as_unknown(
        &app,
        Method::GET,
        &in_acme,
        ("/v2/boards/brd_gx", "/v2/boards/nothing_b"),
        None,
    )
    .await;
    same_as_unknown(
        &app,
        Method::DELETE,
        &in_acme,
        ("/v2/boards/brd_gx", "/v2/boards/nothing_b"),
        None,
    )
    .await;
    // The decision API answers the same way for the token's own questions.
    let ask = |board: &str| json!({"subject": {"user": "usr_gx"}, "action": "board.view", "resource": {"board": board}});
    let foreign = app.post("/v1/check", &in_acme, ask("brd_gx")).await;
    let none = app.post("/v1/check", &in_acme, ask("nothing_b")).await;
    assert_error(&foreign, 404, "request.not_found");
    assert_eq!(foreign.body["code"], none.body["code"]);
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let (app, demo) = demo_app();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let req = axum::http::Request::builder()
            .uri("/v2/boards")
            .header("authorization", format!("{scheme} {}", demo.admin_token))
            .body(axum::body::Body::empty())
            .unwrap();
        let r = app.raw(req).await;
        assert_eq!(r.status, StatusCode::OK, "{scheme}: {}", r.body);
    }
}

#[tokio::test]
async fn ids_of_another_organization_in_a_body_are_answered_as_unknown_ids() {
    let (app, demo) = demo_app();
    with_globex(&app).await;
    let ana = demo.admin_token.as_str();
    let cases = [
        (
            "/v2/boards/brd_wireframes/transfer-ownership",
            json!({"newOwnerId": "usr_gx"}),
            json!({"newOwnerId": "usr_nothing"}),
        ),
        (
            "/v2/boards/brd_wireframes/move",
            json!({"teamId": "team_gx"}),
            json!({"teamId": "team_nothing"}),
        ),
        (
            "/v2/orgs/3141592653/admin-roles",
            json!({"userId": "usr_gx", "role": "content_admin"}),
            json!({"userId": "usr_nothing", "role": "content_admin"}),
        ),
    ];
    for (path, foreign, unknown) in cases {
        let f = app.post(path, ana, foreign).await;
        let u = app.post(path, ana, unknown).await;
        assert_eq!(f.status, u.status, "{path}: {} / {}", f.body, u.body);
        assert_eq!(f.status, StatusCode::NOT_FOUND, "{path}: {}", f.body);
        assert_eq!(f.body["code"], u.body["code"], "{path}");
        let words =
            |r: &Reply, id: &str| r.body["message"].as_str().unwrap_or("").replace(id, "<id>");
        let (fid, uid) = if path.ends_with("move") {
            ("team_gx", "team_nothing")
        } else {
            ("usr_gx", "usr_nothing")
        };
        assert_eq!(words(&f, fid), words(&u, uid), "{path}");
    }
}
