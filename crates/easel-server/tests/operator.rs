//! The operator API (`/v2/operator/...`) and the SCIM token routes of the platform API:
//! an organization made through the operator API alone and then used by its owner, every
//! other credential refused there and the operator's refused elsewhere, closing an
//! organization, and company admins' SCIM tokens.

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, assert_error, demo_app};
use easel_server::demo::ORG;
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

/// Every operator route, with a body of the right shape where it takes one.
fn operator_routes() -> Vec<(Method, String, Option<Value>)> {
    let o = format!("/v2/operator/organizations/{ORG}");
    vec![
        (
            Method::POST,
            "/v2/operator/users".into(),
            Some(json!({"email": "x@y.test", "name": "X"})),
        ),
        (
            Method::GET,
            "/v2/operator/users?email=ana@acme.test".into(),
            None,
        ),
        (
            Method::POST,
            "/v2/operator/organizations".into(),
            Some(json!({"name": "N", "plan": "business", "ownerId": "usr_ana"})),
        ),
        (Method::GET, o.clone(), None),
        (Method::PATCH, o.clone(), Some(json!({"name": "Renamed"}))),
        (Method::DELETE, o.clone(), None),
        (
            Method::PUT,
            format!("{o}/owner"),
            Some(json!({"userId": "usr_ben"})),
        ),
        (
            Method::POST,
            format!("{o}/members"),
            Some(json!({"email": "z@acme.test", "kind": "member"})),
        ),
        (Method::DELETE, format!("{o}/members/usr_cy"), None),
        (
            Method::POST,
            format!("{o}/teams"),
            Some(json!({"name": "T", "admins": ["usr_ben"]})),
        ),
        (
            Method::POST,
            format!("{o}/scim-tokens"),
            Some(json!({"name": "Okta"})),
        ),
    ]
}

#[tokio::test]
async fn an_organization_made_by_the_operator_api_alone_is_used_by_its_owner() {
    let (app, demo) = demo_app();
    let op = demo.operator_token.as_str();
    let olga = ok(
        &app,
        Method::POST,
        "/v2/operator/users",
        op,
        Some(json!({"email": "Olga@Globex.test", "name": "Olga"})),
    )
    .await;
    let olga_id = olga["id"].as_str().unwrap().to_string();
    assert_eq!(olga["email"], "olga@globex.test");
    assert_eq!(olga["name"], "Olga");
    // The address is unique in any letter case.
    let r = app
        .post(
            "/v2/operator/users",
            op,
            json!({"email": "OLGA@globex.test"}),
        )
        .await;
    assert_error(&r, 409, "request.conflict");
    let found = ok(
        &app,
        Method::GET,
        "/v2/operator/users?email=OLGA@GLOBEX.TEST",
        op,
        None,
    )
    .await;
    assert_eq!(found["id"], olga_id.as_str());
    let r = app
        .get("/v2/operator/users?email=nobody@globex.test", op)
        .await;
    assert_error(&r, 404, "request.not_found");
    let pat = ok(
        &app,
        Method::POST,
        "/v2/operator/users",
        op,
        Some(json!({"email": "pat@globex.test", "name": "Pat"})),
    )
    .await;
    let pat_id = pat["id"].as_str().unwrap().to_string();

    let org = ok(
        &app,
        Method::POST,
        "/v2/operator/organizations",
        op,
        Some(json!({"name": "Globex", "plan": "enterprise", "ownerId": olga_id, "id": "globex"})),
    )
    .await;
    assert_eq!(org["id"], "globex");
    assert_eq!(org["ownerId"], olga_id.as_str());
    assert_eq!(org["members"], 1);
    // An id of its own when none is given: digits.
    let other = ok(
        &app,
        Method::POST,
        "/v2/operator/organizations",
        op,
        Some(json!({"name": "Initech", "plan": "business", "ownerId": pat_id})),
    )
    .await;
    assert!(
        other["id"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_digit()),
        "{other}"
    );
    let r = app
        .post(
            "/v2/operator/organizations",
            op,
            json!({"name": "X", "plan": "business", "ownerId": "usr_nobody"}),
        )
        .await;
    assert_error(&r, 404, "request.not_found");

    let o = "/v2/operator/organizations/globex";
    let patched = ok(
        &app,
        Method::PATCH,
        o,
        op,
        Some(json!({"name": "Globex Corp", "guard": true})),
    )
    .await;
    assert_eq!(patched["name"], "Globex Corp");
    assert_eq!(patched["guard"], true);
    assert_eq!(patched["plan"], "enterprise");
    let read = ok(&app, Method::GET, o, op, None).await;
    assert_eq!(read["name"], "Globex Corp");

    let added = ok(
        &app,
        Method::POST,
        &format!("{o}/members"),
        op,
        Some(json!({"userId": pat_id, "kind": "member", "adminRoles": ["user_admin"]})),
    )
    .await;
    assert_eq!(added["user"]["id"], pat_id.as_str());
    assert_eq!(added["adminRoles"], json!(["user_admin"]));
    let guest = ok(
        &app,
        Method::POST,
        &format!("{o}/members"),
        op,
        Some(json!({"email": "gus@partner.test", "name": "Gus", "kind": "guest"})),
    )
    .await;
    let gus = guest["user"]["id"].as_str().unwrap().to_string();
    assert_eq!(guest["kind"], "guest");
    // All or nothing: an unknown role adds no one.
    let r = app
        .post(
            &format!("{o}/members"),
            op,
            json!({"email": "dee@globex.test", "adminRoles": ["emperor"]}),
        )
        .await;
    assert_error(&r, 400, "request.invalid_parameter");
    let r = app
        .post(
            &format!("{o}/members"),
            op,
            json!({"email": "dee@globex.test", "adminRoles": ["team_content_admin"]}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    let r = app
        .get("/v2/operator/users?email=dee@globex.test", op)
        .await;
    assert_error(&r, 404, "request.not_found");

    let team = ok(
        &app,
        Method::POST,
        &format!("{o}/teams"),
        op,
        Some(json!({"name": "Ops", "admins": [olga_id], "members": [pat_id]})),
    )
    .await;
    let team_id = team["id"].as_str().unwrap().to_string();
    let owner = ok(
        &app,
        Method::PUT,
        &format!("{o}/owner"),
        op,
        Some(json!({"userId": pat_id})),
    )
    .await;
    assert_eq!(owner["ownerId"], pat_id.as_str());
    let r = app
        .call(
            Method::PUT,
            &format!("{o}/owner"),
            Some(op),
            Some(json!({"userId": gus})),
        )
        .await;
    assert!(
        r.status.is_client_error(),
        "a guest owns nothing: {}",
        r.body
    );
    let scim = ok(
        &app,
        Method::POST,
        &format!("{o}/scim-tokens"),
        op,
        Some(json!({"name": "Okta"})),
    )
    .await;
    assert_eq!(scim["scimBaseUrl"], "/scim/v2");
    assert!(scim["token"].as_str().unwrap().contains('.'));

    // The owner works in it with a personal token, on the platform API.
    let olga_token = app.personal_token(&olga_id).await;
    let members = ok(
        &app,
        Method::GET,
        "/v2/orgs/globex/members",
        &olga_token,
        None,
    )
    .await;
    assert!(members.to_string().contains(&pat_id), "{members}");
    let roles = ok(
        &app,
        Method::GET,
        "/v2/orgs/globex/admin-roles",
        &olga_token,
        None,
    )
    .await;
    assert!(roles.to_string().contains("user_admin"), "{roles}");
    let board = ok(
        &app,
        Method::POST,
        "/v2/boards",
        &olga_token,
        Some(json!({"name": "Plan", "teamId": team_id})),
    )
    .await;
    assert_eq!(board["name"], "Plan");
    let tokens = ok(
        &app,
        Method::GET,
        "/v2/orgs/globex/scim-tokens",
        &olga_token,
        None,
    )
    .await;
    assert_eq!(tokens["data"][0]["name"], "Okta");

    // Removing a member: 204, and they are gone.
    let r = app
        .call(
            Method::DELETE,
            &format!("{o}/members/{gus}"),
            Some(op),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(r.headers.get("easel-revision").is_some());
    let r = app
        .get(&format!("/v2/orgs/globex/members/{gus}"), &olga_token)
        .await;
    assert_error(&r, 404, "request.not_found");

    // Every write is audited under the operator's token.
    let records = app.engine.audit("globex".into(), 0, 1000).await.unwrap();
    assert!(
        records
            .iter()
            .any(|(_, r)| r.action == "create_org" && r.actor.as_deref() == Some("op_easel")),
        "{records:?}"
    );
}

#[tokio::test]
async fn every_other_credential_is_refused_on_the_operator_api() {
    let (app, demo) = demo_app();
    let ben = app.personal_token("usr_ben").await;
    for (method, path, body) in operator_routes() {
        for token in [
            &demo.admin_token,
            &ben,
            &demo.service_token,
            &demo.scim_token,
        ] {
            let r = app
                .call(method.clone(), &path, Some(token), body.clone())
                .await;
            assert_error(&r, 403, "authority.missing_privilege");
        }
        let r = app.call(method.clone(), &path, None, body.clone()).await;
        assert_error(&r, 401, "credential.missing");
        let r = app
            .call(method.clone(), &path, Some("op_easel.00"), body.clone())
            .await;
        assert_error(&r, 401, "credential.invalid");
    }
    // Nothing changed.
    let r = app
        .get(
            &format!("/v2/operator/organizations/{ORG}"),
            &demo.operator_token,
        )
        .await;
    assert_eq!(r.body["name"], "Acme Inc.");
}

#[tokio::test]
async fn the_operator_token_is_refused_on_the_platform_and_decision_apis() {
    let (app, demo) = demo_app();
    let op = demo.operator_token.as_str();
    let r = app.get("/v2/boards", op).await;
    assert_error(&r, 403, "authority.missing_privilege");
    // An organization's routes answer it as they answer any credential that does not act
    // within the organization on this API: as an unknown id.
    for path in [
        format!("/v2/orgs/{ORG}"),
        format!("/v2/orgs/{ORG}/scim-tokens"),
    ] {
        let r = app.get(&path, op).await;
        assert_error(&r, 404, "request.not_found");
    }
    let r = app
        .post(
            &format!("/v2/orgs/{ORG}/scim-tokens"),
            op,
            json!({"name": "x"}),
        )
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app.post("/v1/check", op, json!({"subject": {"user": "usr_ana"}, "action": "board.view", "resource": {"board": "brd_roadmap"}})).await;
    assert_error(&r, 403, "authority.missing_privilege");
}

#[tokio::test]
async fn closing_an_organization_leaves_nothing_reachable() {
    let (app, demo) = demo_app();
    let op = demo.operator_token.as_str();
    let o = format!("/v2/operator/organizations/{ORG}");
    // Not its own company admin's to close, and not under a legal hold.
    let r = app
        .call(Method::DELETE, &o, Some(&demo.admin_token), None)
        .await;
    assert_error(&r, 403, "authority.missing_privilege");
    app.run_as(
        Some("usr_ana"),
        json!({"type": "create_case", "org": ORG, "case": "case_1", "name": "C"}),
    )
    .await;
    app.run_as(Some("usr_ana"), json!({"type": "add_legal_hold", "case": "case_1", "hold": "hold_1", "users": ["usr_ben"], "name": "H"})).await;
    let r = app.call(Method::DELETE, &o, Some(op), None).await;
    assert_eq!(r.body["code"], "state.legal_hold", "{}", r.body);
    app.run_as(
        Some("usr_ana"),
        json!({"type": "release_legal_hold", "case": "case_1", "hold": "hold_1"}),
    )
    .await;

    let ana = app.personal_token("usr_ana").await;
    let ben = app.personal_token("usr_ben").await;
    let r = app.call(Method::DELETE, &o, Some(op), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);

    for path in [
        "/v2/boards/brd_roadmap".to_string(),
        "/v2/boards/brd_brand".to_string(),
        format!("/v2/orgs/{ORG}"),
        format!("/v2/orgs/{ORG}/teams/team_design"),
        format!("/v2/orgs/{ORG}/members/usr_ben"),
        format!("/v2/orgs/{ORG}/scim-tokens"),
    ] {
        for token in [&ana, &ben] {
            let r = app.get(&path, token).await;
            assert_error(&r, 404, "request.not_found");
        }
    }
    let r = app.get("/v2/boards", &ana).await;
    assert_eq!(r.body["data"], json!([]), "{}", r.body);
    let r = app.get(&o, op).await;
    assert_error(&r, 404, "request.not_found");
    let r = app.call(Method::DELETE, &o, Some(op), None).await;
    assert_error(&r, 404, "request.not_found");
    // Its tokens are refused: the admin's bound token, the service token, the SCIM token.
    for token in [&demo.admin_token, &demo.service_token, &demo.scim_token] {
        let r = app.get("/v2/boards", token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    }
    // The people keep their identities; the id stays taken.
    let r = app.get("/v2/operator/users?email=ana@acme.test", op).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .post(
            "/v2/operator/organizations",
            op,
            json!({"name": "Again", "plan": "business", "ownerId": "usr_ana", "id": ORG}),
        )
        .await;
    assert_error(&r, 409, "request.conflict");
}

#[tokio::test]
async fn company_admins_make_list_and_revoke_scim_tokens() {
    let (app, demo) = demo_app();
    let ana = demo.admin_token.as_str();
    let base = format!("/v2/orgs/{ORG}/scim-tokens");
    let made = ok(
        &app,
        Method::POST,
        &base,
        ana,
        Some(json!({"name": "Okta"})),
    )
    .await;
    let id = made["id"].as_str().unwrap().to_string();
    let secret = made["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with(&format!("{id}.")));
    assert_eq!(made["scimBaseUrl"], "/scim/v2");
    let list = ok(&app, Method::GET, &base, ana, None).await;
    let items = list["data"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert!(
        items
            .iter()
            .any(|t| t["id"] == id.as_str() && t["revoked"] == false)
    );
    assert!(
        !list
            .to_string()
            .contains(secret.rsplit('.').next().unwrap()),
        "a secret listed: {list}"
    );
    assert!(items.iter().all(|t| t.get("token").is_none()));
    // Pages.
    let page = ok(&app, Method::GET, &format!("{base}?limit=1"), ana, None).await;
    let cursor = page["cursor"].as_str().unwrap().to_string();
    let next = ok(
        &app,
        Method::GET,
        &format!("{base}?limit=1&cursor={cursor}"),
        ana,
        None,
    )
    .await;
    assert_ne!(page["data"][0]["id"], next["data"][0]["id"]);

    // A member who is no admin is refused.
    let ben = app.personal_token("usr_ben").await;
    let r = app.post(&base, &ben, json!({"name": "mine"})).await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app.get(&base, &ben).await;
    assert_error(&r, 403, "authority.missing_privilege");
    let r = app
        .call(Method::DELETE, &format!("{base}/{id}"), Some(&ben), None)
        .await;
    assert_error(&r, 403, "authority.missing_privilege");

    // Another organization's token is answered as an unknown one.
    let op = demo.operator_token.as_str();
    ok(
        &app,
        Method::POST,
        "/v2/operator/organizations",
        op,
        Some(json!({"name": "Globex", "plan": "enterprise", "ownerId": "usr_gil", "id": "globex"})),
    )
    .await;
    let foreign = ok(
        &app,
        Method::POST,
        "/v2/operator/organizations/globex/scim-tokens",
        op,
        Some(json!({"name": "Entra"})),
    )
    .await;
    let foreign_id = foreign["id"].as_str().unwrap();
    let f = app
        .call(
            Method::DELETE,
            &format!("{base}/{foreign_id}"),
            Some(ana),
            None,
        )
        .await;
    let n = app
        .call(
            Method::DELETE,
            &format!("{base}/scim_nothing"),
            Some(ana),
            None,
        )
        .await;
    assert_error(&f, 404, "request.not_found");
    assert_error(&n, 404, "request.not_found");
    assert_eq!(
        f.body["message"]
            .as_str()
            .unwrap()
            .replace(foreign_id, "<id>"),
        n.body["message"]
            .as_str()
            .unwrap()
            .replace("scim_nothing", "<id>")
    );

    // Revoked: the identity provider's token stops, and the list says so.
    let r = app
        .call(Method::DELETE, &format!("{base}/{id}"), Some(ana), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let list = ok(&app, Method::GET, &base, ana, None).await;
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id.as_str() && t["revoked"] == true)
    );
    let r = app
        .get("/v2/operator/users?email=ana@acme.test", &secret)
        .await;
    assert_error(&r, 401, "credential.revoked");
}
