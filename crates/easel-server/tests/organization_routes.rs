//! The organization's routes over HTTP: members, admin roles, groups, billing groups,
//! domains, invitations and requests, content, classification, audit and compliance. Each
//! is called allowed, refused and with bad input.

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
async fn members_and_admin_roles() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let cy = app.personal_token("usr_cy").await;
    let uma = app.personal_token("usr_uma").await;
    let m = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/members/usr_gil",
        &uma,
        None,
    )
    .await;
    assert_eq!(m["kind"], "guest");
    assert_error(
        &app.get("/v2/orgs/3141592653/members/usr_gil", &cy).await,
        403,
        "authority.missing_privilege",
    );
    assert_error(
        &app.get("/v2/orgs/3141592653/members/usr_nobody", &uma)
            .await,
        404,
        "request.not_found",
    );

    let m = ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/members/usr_gil",
        &uma,
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(m["active"], false);
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/members/usr_gil",
            Some(&cy),
            Some(json!({"active": true})),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/members/usr_gil",
            Some(&uma),
            Some(json!({"licence": "platinum"})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/members/usr_gil",
            Some(&uma),
            Some(json!({})),
        )
        .await;
    // Nothing to change is no change: the member as a read answers it.
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "usr_gil");

    let roles = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/admin-roles",
        ana,
        None,
    )
    .await;
    assert!(
        roles["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "user_admin" && r["userId"] == "usr_uma")
    );
    ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/admin-roles",
        ana,
        Some(json!({"userId": "usr_cy", "role": "content_admin"})),
    )
    .await;
    let r = app
        .post(
            "/v2/orgs/3141592653/admin-roles",
            &cy,
            json!({"userId": "usr_cy", "role": "company_admin"}),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app
        .post(
            "/v2/orgs/3141592653/admin-roles",
            ana,
            json!({"userId": "usr_cy", "role": "emperor"}),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    ok(
        &app,
        Method::DELETE,
        "/v2/orgs/3141592653/admin-roles/content_admin/usr_cy",
        ana,
        None,
    )
    .await;
    let r = app
        .call(
            Method::DELETE,
            "/v2/orgs/3141592653/admin-roles/company_admin/usr_ana",
            Some(ana),
            None,
        )
        .await;
    assert_error(&r, 403, "authority.last_company_admin");

    // Removing a member hands their boards to a successor.
    let r = app
        .call(
            Method::DELETE,
            "/v2/orgs/3141592653/members/usr_eve?successor=usr_ben",
            Some(ana),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let b = ok(&app, Method::GET, "/v2/boards/brd_brand", ana, None).await;
    assert_eq!(b["owner"]["id"], "usr_ben");
    // Without a successor, each board goes to the oldest admin of its team (Cy owns none).
    let r = app
        .call(
            Method::DELETE,
            "/v2/orgs/3141592653/members/usr_cy",
            Some(ana),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert_eq!(r.body["removed"], true);
}

#[tokio::test]
async fn groups_billing_groups_and_domains() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let cy = app.personal_token("usr_cy").await;
    let g = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/groups",
        ana,
        Some(json!({"name": "Writers"})),
    )
    .await;
    let id = g["id"].as_str().unwrap().to_string();
    ok(
        &app,
        Method::POST,
        &format!("/v2/orgs/3141592653/groups/{id}/members"),
        ana,
        Some(json!({"userId": "usr_cy"})),
    )
    .await;
    let members = ok(
        &app,
        Method::GET,
        &format!("/v2/orgs/3141592653/groups/{id}/members"),
        ana,
        None,
    )
    .await;
    assert_eq!(members["data"][0]["id"], "usr_cy");
    let g = ok(
        &app,
        Method::PATCH,
        &format!("/v2/orgs/3141592653/groups/{id}"),
        ana,
        Some(json!({"name": "Authors"})),
    )
    .await;
    assert_eq!(g["name"], "Authors");
    assert_error(
        &app.get("/v2/orgs/3141592653/groups", &cy).await,
        403,
        "authority.missing_privilege",
    );
    let r = app
        .post("/v2/orgs/3141592653/groups", &cy, json!({"name": "Mine"}))
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    ok(
        &app,
        Method::DELETE,
        &format!("/v2/orgs/3141592653/groups/{id}/members/usr_cy"),
        ana,
        None,
    )
    .await;
    ok(
        &app,
        Method::DELETE,
        &format!("/v2/orgs/3141592653/groups/{id}"),
        ana,
        None,
    )
    .await;
    assert_error(
        &app.get(&format!("/v2/orgs/3141592653/groups/{id}"), ana)
            .await,
        404,
        "request.not_found",
    );

    let bg = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/billing-groups",
        ana,
        Some(json!({"name": "Design seats"})),
    )
    .await;
    let bid = bg["id"].as_str().unwrap().to_string();
    ok(
        &app,
        Method::POST,
        &format!("/v2/orgs/3141592653/billing-groups/{bid}/members"),
        ana,
        Some(json!({"userId": "usr_ben"})),
    )
    .await;
    let one = ok(
        &app,
        Method::GET,
        &format!("/v2/orgs/3141592653/billing-groups/{bid}"),
        ana,
        None,
    )
    .await;
    assert_eq!(one["memberCount"], 1);
    let renamed = ok(
        &app,
        Method::PATCH,
        &format!("/v2/orgs/3141592653/billing-groups/{bid}"),
        ana,
        Some(json!({"name": "All seats"})),
    )
    .await;
    assert_eq!(renamed["name"], "All seats");
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/orgs/3141592653/billing-groups/{bid}"),
            Some(&cy),
            Some(json!({"name": "Mine"})),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    ok(
        &app,
        Method::DELETE,
        &format!("/v2/orgs/3141592653/billing-groups/{bid}/members/usr_ben"),
        ana,
        None,
    )
    .await;
    ok(
        &app,
        Method::DELETE,
        &format!("/v2/orgs/3141592653/billing-groups/{bid}"),
        ana,
        None,
    )
    .await;
    let r = app
        .post(
            "/v2/orgs/3141592653/billing-groups",
            &cy,
            json!({"name": "x"}),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");

    ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/domains",
        ana,
        Some(json!({"domain": "Acme.Test"})),
    )
    .await;
    ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/domains/acme.test/verify",
        ana,
        None,
    )
    .await;
    let d = ok(&app, Method::GET, "/v2/orgs/3141592653/domains", ana, None).await;
    assert_eq!(
        d["data"][0],
        json!({"domain": "acme.test", "verified": true})
    );
    let r = app
        .post(
            "/v2/orgs/3141592653/domains",
            &cy,
            json!({"domain": "cy.test"}),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/settings",
        ana,
        Some(json!({"allowed_domains": ["acme.test"]})),
    )
    .await;
    let v = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/domain-violations",
        ana,
        None,
    )
    .await;
    let ids: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["usr_gil"]);
    ok(
        &app,
        Method::DELETE,
        "/v2/orgs/3141592653/domains/acme.test",
        ana,
        None,
    )
    .await;
}

#[tokio::test]
async fn invitations_and_requests() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let inv = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/invitations",
        ana,
        Some(json!({"email": "ben@acme.test", "teamId": "team_marketing", "role": "member"})),
    )
    .await;
    let id = inv["id"].as_str().unwrap().to_string();
    let list = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/invitations",
        ana,
        None,
    )
    .await;
    assert_eq!(list["data"][0]["targetType"], "team");
    let cy = app.personal_token("usr_cy").await;
    let r = app
        .post(&format!("/v2/invitations/{id}/accept"), &cy, json!({}))
        .await;
    // Someone else's invitation is one that does not exist.
    assert_error(&r, 404, "request.not_found");
    let ben = app.personal_token("usr_ben").await;
    ok(
        &app,
        Method::POST,
        &format!("/v2/invitations/{id}/accept"),
        &ben,
        Some(json!({})),
    )
    .await;
    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/orgs/3141592653/invitations/{id}"),
            Some(ana),
            None,
        )
        .await;
    assert_error(&r, 403, "state.not_pending");
    let r = app
        .post(
            "/v2/orgs/3141592653/invitations",
            ana,
            json!({"email": "not an email"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);

    // Gil, a commenter, asks to edit; Ben, the owner, approves at viewer instead.
    let gil = app.personal_token("usr_gil").await;
    let req = ok(
        &app,
        Method::POST,
        "/v2/boards/brd_wireframes/access-requests",
        &gil,
        Some(json!({"role": "editor"})),
    )
    .await;
    let rid = req["id"].as_str().unwrap().to_string();
    assert_error(
        &app.get("/v2/boards/brd_wireframes/access-requests", &gil)
            .await,
        403,
        "authority.role_too_low",
    );
    let list = ok(
        &app,
        Method::GET,
        "/v2/boards/brd_wireframes/access-requests",
        &ben,
        None,
    )
    .await;
    assert_eq!(list["data"][0]["role"], "editor");
    ok(
        &app,
        Method::POST,
        &format!("/v2/boards/brd_wireframes/access-requests/{rid}/approve"),
        &ben,
        Some(json!({"role": "editor"})),
    )
    .await;
    let r = app
        .post(
            &format!("/v2/boards/brd_wireframes/access-requests/{rid}/deny"),
            &ben,
            json!({}),
        )
        .await;
    assert_error(&r, 403, "state.not_pending");

    // Licence requests.
    let lr = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/licence-requests",
        &gil,
        Some(json!({"licence": "full"})),
    )
    .await;
    let lid = lr["id"].as_str().unwrap().to_string();
    let list = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/licence-requests",
        ana,
        None,
    )
    .await;
    assert_eq!(list["data"][0]["id"], lid);
    ok(
        &app,
        Method::POST,
        &format!("/v2/orgs/3141592653/licence-requests/{lid}/deny"),
        ana,
        None,
    )
    .await;
    let r = app
        .post(
            &format!("/v2/orgs/3141592653/licence-requests/{lid}/maybe"),
            ana,
            json!({}),
        )
        .await;
    assert_error(&r, 404, "request.not_found");

    // Join requests: a hidden team takes none; once it takes requests, its admin decides.
    let r = app
        .post(
            "/v2/orgs/3141592653/teams/team_marketing/join-requests",
            &cy,
            json!({}),
        )
        .await;
    assert_error(&r, 403, "policy.team_not_discoverable");
    let eve = app.personal_token("usr_eve").await;
    ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/teams/team_marketing/settings",
        &eve,
        Some(json!({"team_discovery": "request_to_join"})),
    )
    .await;
    let jr = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/teams/team_marketing/join-requests",
        &cy,
        Some(json!({})),
    )
    .await;
    let jid = jr["id"].as_str().unwrap().to_string();
    let list = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/teams/team_marketing/join-requests",
        &eve,
        None,
    )
    .await;
    assert_eq!(list["data"][0]["user"], "usr_cy");
    assert_error(
        &app.get(
            "/v2/orgs/3141592653/teams/team_marketing/join-requests",
            &cy,
        )
        .await,
        403,
        "authority.missing_privilege",
    );
    ok(
        &app,
        Method::POST,
        &format!("/v2/orgs/3141592653/teams/team_marketing/join-requests/{jid}/approve"),
        &eve,
        None,
    )
    .await;
    let m = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/teams/team_marketing/members/usr_cy",
        &eve,
        None,
    )
    .await;
    assert_eq!(m["role"], "member");

    // Apps: none is registered, so an app request names nothing.
    let r = app
        .post(
            "/v2/orgs/3141592653/app-requests",
            &cy,
            json!({"appId": "app_nothing"}),
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    let a = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/app-allowlist",
        ana,
        None,
    )
    .await;
    assert_eq!(a["apps"], Value::Null);
    ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/app-requests",
        ana,
        None,
    )
    .await;
}

#[tokio::test]
async fn items_comments_and_classification() {
    let (app, _) = demo_app();
    let cy = app.personal_token("usr_cy").await;
    let gil = app.personal_token("usr_gil").await;
    let item = ok(
        &app,
        Method::POST,
        "/v2/boards/brd_wireframes/items",
        &cy,
        Some(json!({"type": "sticky_note", "text": "Hello"})),
    )
    .await;
    let iid = item["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/v2/boards/brd_wireframes/items",
            &gil,
            json!({"type": "sticky_note", "text": "Hi"}),
        )
        .await;
    assert_error(&r, 403, "authority.role_too_low");
    let r = app
        .post(
            "/v2/boards/brd_wireframes/items",
            &cy,
            json!({"type": "hologram"}),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    let c = ok(
        &app,
        Method::POST,
        "/v2/boards/brd_wireframes/comments",
        &gil,
        Some(json!({"text": "Nice"})),
    )
    .await;
    assert_eq!(c["type"], "comment");
    let items = ok(
        &app,
        Method::GET,
        "/v2/boards/brd_wireframes/items",
        &gil,
        None,
    )
    .await;
    assert_eq!(items["size"], 1);
    let comments = ok(
        &app,
        Method::GET,
        "/v2/boards/brd_wireframes/comments",
        &cy,
        None,
    )
    .await;
    assert_eq!(comments["size"], 1);
    let i = ok(
        &app,
        Method::PATCH,
        &format!("/v2/boards/brd_wireframes/items/{iid}"),
        &cy,
        Some(json!({"text": "Hello there"})),
    )
    .await;
    assert_eq!(i["text"], "Hello there");
    ok(
        &app,
        Method::DELETE,
        &format!("/v2/boards/brd_wireframes/items/{iid}"),
        &cy,
        None,
    )
    .await;
    assert_error(
        &app.get(&format!("/v2/boards/brd_wireframes/items/{iid}"), &cy)
            .await,
        404,
        "request.not_found",
    );
    assert_error(
        &app.get("/v2/boards/brd_roadmap/items", &gil).await,
        404,
        "request.not_found",
    );

    let ana = app.personal_token("usr_ana").await;
    let settings =
        json!({"board_classification": {"labels": [{"name": "internal"}, {"name": "secret"}]}});
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/data-classification-settings",
            Some(&ana),
            Some(settings),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["board_classification"]["labels"][1]["name"],
        "secret"
    );
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/data-classification-settings",
            Some(&ana),
            Some(json!({"allowed_domains": null})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_json");
    let ben = app.personal_token("usr_ben").await;
    let path = "/v2/orgs/3141592653/teams/team_design/boards/brd_wireframes/data-classification";
    ok(
        &app,
        Method::POST,
        path,
        &ben,
        Some(json!({"label": "secret"})),
    )
    .await;
    let l = ok(&app, Method::GET, path, &cy, None).await;
    assert_eq!(l["label"], "secret");
    let r = app.post(path, &ben, json!({"label": "top-secret"})).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    let r = app.post(path, &gil, json!({"label": "internal"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/data-classification-settings",
        &cy,
        None,
    )
    .await;
    ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/teams/team_design/boards/brd_wireframes/data-classification",
        &cy,
        None,
    )
    .await;
    let r = app
        .get(
            "/v2/orgs/3141592653/teams/team_marketing/boards/brd_wireframes/data-classification",
            &cy,
        )
        .await;
    assert_error(&r, 404, "request.not_found");
}

#[tokio::test]
async fn audit_compliance_and_sessions() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let cy = app.personal_token("usr_cy").await;
    let page1 = ok(&app, Method::GET, "/v2/audit/logs?limit=5", ana, None).await;
    assert_eq!(page1["size"], 5);
    let cursor = page1["cursor"].as_str().unwrap().to_string();
    let page2 = ok(
        &app,
        Method::GET,
        &format!("/v2/audit/logs?limit=5&cursor={cursor}"),
        ana,
        None,
    )
    .await;
    assert!(
        page2["data"][0]["id"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > page1["data"][4]["id"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .unwrap()
    );
    let desc = ok(
        &app,
        Method::GET,
        "/v2/audit/logs?limit=1&sorting=desc",
        ana,
        None,
    )
    .await;
    assert!(
        desc["data"][0]["id"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > page2["data"][0]["id"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .unwrap()
    );
    let csv = app.get("/v2/audit/logs?format=csv", ana).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    assert!(
        text.starts_with("id,created_at,actor,action,target,outcome,code\n"),
        "{text}"
    );
    assert!(text.contains("\"create_board\""), "{text}");
    assert_error(
        &app.get("/v2/audit/logs", &cy).await,
        403,
        "authority.missing_privilege",
    );
    assert_error(
        &app.get("/v2/audit/logs?sorting=sideways", ana).await,
        400,
        "request.invalid_parameter",
    );
    ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/audit-settings",
        ana,
        Some(json!({"retentionDays": 365})),
    )
    .await;
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/audit-settings",
            Some(&cy),
            Some(json!({"retentionDays": 1})),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");

    ok(
        &app,
        Method::POST,
        "/v2/boards/brd_wireframes/items",
        &cy,
        Some(json!({"type": "text", "text": "x"})),
    )
    .await;
    // The content log needs the Guard add-on (the demo has it).
    for guard in [false, true] {
        let (outcome, _) = app
            .engine
            .run(
                easel_server::Acting::User("usr_ana".into(), easel_core::request::Credential::None),
                easel_core::command::Command::ChangePlan {
                    org: "3141592653".into(),
                    plan: easel_core::catalog::Plan::Enterprise,
                    guard,
                },
            )
            .await
            .unwrap();
        assert!(outcome.refusal().is_none(), "{outcome:?}");
        if !guard {
            let r = app.get("/v2/orgs/3141592653/content-logs/items", ana).await;
            assert_error(&r, 403, "plan.feature_unavailable");
        }
    }
    let logs = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/content-logs/items?board_ids=brd_wireframes",
        ana,
        None,
    )
    .await;
    assert_eq!(logs["data"][0]["actionType"], "create", "{logs}");
    assert_error(
        &app.get("/v2/orgs/3141592653/content-logs/items", &cy).await,
        403,
        "authority.missing_privilege",
    );

    let case = ok(
        &app,
        Method::POST,
        "/v2/orgs/3141592653/cases",
        ana,
        Some(json!({"name": "Audit 2026"})),
    )
    .await;
    let cid = case["id"].as_str().unwrap().to_string();
    ok(
        &app,
        Method::POST,
        &format!("/v2/orgs/3141592653/cases/{cid}/legal-holds"),
        ana,
        Some(json!({"userIds": ["usr_ben"]})),
    )
    .await;
    let holds = ok(
        &app,
        Method::GET,
        &format!("/v2/orgs/3141592653/cases/{cid}/legal-holds"),
        ana,
        None,
    )
    .await;
    assert_eq!(holds["data"][0]["scope"]["users"][0]["id"], "usr_ben");
    assert_error(
        &app.get("/v2/orgs/3141592653/cases", &cy).await,
        403,
        "authority.missing_privilege",
    );
    // A held owner's board cannot be purged.
    let ben = app.personal_token("usr_ben").await;
    ok(
        &app,
        Method::DELETE,
        "/v2/boards/brd_wireframes",
        &ben,
        None,
    )
    .await;
    let r = app
        .call(
            Method::DELETE,
            "/v2/boards/brd_wireframes?permanent=true",
            Some(&ben),
            None,
        )
        .await;
    assert_error(&r, 403, "state.legal_hold");

    ok(
        &app,
        Method::POST,
        "/v2/sessions/reset_all?email=gil@partner.test",
        ana,
        None,
    )
    .await;
    let r = app
        .call(
            Method::POST,
            "/v2/sessions/reset_all?email=gil@partner.test",
            Some(&cy),
            None,
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app
        .call(
            Method::POST,
            "/v2/sessions/reset_all?email=nobody@acme.test",
            Some(ana),
            None,
        )
        .await;
    assert_error(&r, 404, "request.not_found");
    ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/default_teams_settings",
        &cy,
        None,
    )
    .await;
}

#[tokio::test]
async fn team_and_project_members_and_settings() {
    let (app, _) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    let cy = app.personal_token("usr_cy").await;
    let m = ok(
        &app,
        Method::GET,
        "/v2/orgs/3141592653/teams/team_design/members/usr_cy",
        &ben,
        None,
    )
    .await;
    assert_eq!(m["role"], "member");
    ok(
        &app,
        Method::PATCH,
        "/v2/orgs/3141592653/teams/team_design/members/usr_cy",
        &ben,
        Some(json!({"role": "admin"})),
    )
    .await;
    let r = app
        .call(
            Method::PATCH,
            "/v2/orgs/3141592653/teams/team_design/members/usr_cy",
            Some(&ben),
            Some(json!({"role": "boss"})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    let p = "/v2/orgs/3141592653/teams/team_design/projects/prj_launch";
    let s = ok(&app, Method::GET, &format!("{p}/settings"), &cy, None).await;
    assert_eq!(s["private"], true);
    ok(
        &app,
        Method::PATCH,
        &format!("{p}/settings"),
        &ben,
        Some(json!({"private": false})),
    )
    .await;
    let m = ok(
        &app,
        Method::GET,
        &format!("{p}/members/usr_cy"),
        &ben,
        None,
    )
    .await;
    assert_eq!(m["role"], "editor");
    ok(
        &app,
        Method::PATCH,
        &format!("{p}/members/usr_cy"),
        &ben,
        Some(json!({"role": "viewer"})),
    )
    .await;
    ok(
        &app,
        Method::DELETE,
        &format!("{p}/members/usr_cy"),
        &ben,
        None,
    )
    .await;
    assert_error(
        &app.get(&format!("{p}/members/usr_cy"), &ben).await,
        404,
        "request.not_found",
    );
    let gil = app.personal_token("usr_gil").await;
    assert_error(
        &app.get(&format!("{p}/settings"), &gil).await,
        404,
        "request.not_found",
    );
}
