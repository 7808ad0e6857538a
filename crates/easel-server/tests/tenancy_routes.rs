//! The tenancy rule against every route: with each kind of credential issued in Acme —
//! a session Acme's service started, a personal token bound to Acme, an app token of an
//! Acme installation, Acme's service token — held by a user who is company admin of Globex
//! too, every route of the OpenAPI document is called with Globex's ids in its path and in
//! its body. Each answer must be the answer to ids that name nothing (status, code and
//! words, but for the id), and Globex's log must show no change at all.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use axum::http::{Method, StatusCode};
use common::{Reply, TestApp, demo_app};
use easel_core::command::Command;
use easel_core::event::TokenHolder;
use easel_server::Acting;
use easel_server::demo::Demo;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Each path parameter's id in Globex, and an id that names nothing of the same kind. A
/// parameter is looked up by its name without the `_id` the reference's names end in
/// (`{org_id}` is an `org`).
const IDS: &[(&str, &str, &str)] = &[
    ("org", "globex", "nothing_org"),
    ("id", "brd_gx", "nothing_brd"),
    ("board", "brd_gx", "nothing_brd"),
    ("team", "team_gx", "nothing_team"),
    ("project", "prj_gx", "nothing_prj"),
    ("group", "grp_gx", "nothing_grp"),
    ("member", "usr_gx_only", "nothing_usr"),
    ("board_member", "usr_gx_only", "nothing_usr"),
    ("app", "app_gx", "nothing_app"),
    ("installation", "inst_gx", "nothing_inst"),
    ("invitation", "inv_gx", "nothing_inv"),
    ("request", "req_gx", "nothing_req"),
    ("case", "case_gx", "nothing_case"),
    ("legal_hold", "hold_gx", "nothing_hold"),
    ("domain", "globex.test", "nothing.test"),
    ("item", "item_gx", "nothing_item"),
    ("role", "company_admin", "company_admin"),
    ("decision", "approve", "approve"),
    ("token", "scim_gx", "nothing_scim"),
    // SCIM's discovery names no organization's ids.
    ("resource", "User", "User"),
    (
        "uri",
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:core:2.0:User",
    ),
];

/// The ids a SCIM path's `{id}` takes, by resource type.
const SCIM_IDS: &[(&str, &str, &str)] = &[
    ("/scim/v2/Users/", "usr_gx_only", "nothing_usr"),
    ("/scim/v2/Groups/", "team_gx", "nothing_team"),
];

fn run(app: &TestApp, actor: Option<&str>, command: Value) {
    futures_block(app.run_as(actor, command));
}

fn futures_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

/// Where the attacker stands: a guest or a member of Acme, company admin of Globex or not.
#[derive(Clone, Copy, Debug)]
struct Standing {
    guest_in_acme: bool,
    admin_in_globex: bool,
}

/// The strongest attacker: an Acme team admin who is Globex's company admin.
const STRONGEST: Standing = Standing {
    guest_in_acme: false,
    admin_in_globex: true,
};

/// Globex beside Acme, with a user who belongs to both (as `standing` says), and an id of
/// every kind in Globex.
fn globex(app: &TestApp, standing: Standing) {
    let sys = None;
    let gx = Some("usr_gx");
    for (user, email) in [
        ("usr_gx", "admin@globex.test"),
        ("usr_gx_only", "only@globex.test"),
        ("usr_both", "both@globex.test"),
    ] {
        run(
            app,
            sys,
            json!({"type": "create_user", "user": user, "email": email, "name": user}),
        );
    }
    run(
        app,
        gx,
        json!({"type": "create_org", "org": "globex", "name": "Globex", "plan": "enterprise"}),
    );
    for user in ["usr_gx_only", "usr_both"] {
        run(
            app,
            gx,
            json!({"type": "add_member", "org": "globex", "user": user,
            "email": format!("{}@globex.test", if user == "usr_both" { "both" } else { "only" }),
            "name": user, "kind": "member"}),
        );
    }
    if standing.admin_in_globex {
        run(
            app,
            gx,
            json!({"type": "assign_admin_role", "org": "globex", "user": "usr_both", "role": "company_admin"}),
        );
    }
    run(
        app,
        gx,
        json!({"type": "create_team", "org": "globex", "team": "team_gx", "name": "Secret"}),
    );
    run(
        app,
        gx,
        json!({"type": "set_team_member", "team": "team_gx", "user": "usr_both", "role": "admin"}),
    );
    run(
        app,
        gx,
        json!({"type": "create_project", "team": "team_gx", "project": "prj_gx", "name": "P", "private": true}),
    );
    run(
        app,
        gx,
        json!({"type": "create_board", "team": "team_gx", "board": "brd_gx", "name": "Acquisition", "project": null}),
    );
    run(
        app,
        gx,
        json!({"type": "add_content", "board": "brd_gx", "content": "item_gx", "kind": "sticky_note", "text": "secret"}),
    );
    run(
        app,
        gx,
        json!({"type": "create_group", "org": "globex", "group": "grp_gx", "name": "G"}),
    );
    run(
        app,
        gx,
        json!({"type": "change_plan", "org": "globex", "plan": "enterprise", "guard": true}),
    );
    run(
        app,
        gx,
        json!({"type": "create_case", "org": "globex", "case": "case_gx", "name": "C"}),
    );
    run(
        app,
        gx,
        json!({"type": "add_legal_hold", "case": "case_gx", "hold": "hold_gx", "users": ["usr_gx_only"], "name": "H"}),
    );
    run(
        app,
        gx,
        json!({"type": "add_domain", "org": "globex", "domain": "globex.test"}),
    );
    run(
        app,
        gx,
        json!({"type": "invite", "invitation": "inv_gx", "org": "globex", "email": "new@globex.test"}),
    );
    run(
        app,
        Some("usr_gx_only"),
        json!({"type": "request_access", "request": "req_gx", "board": "brd_gx", "role": "editor"}),
    );
    run(
        app,
        gx,
        json!({"type": "register_app", "app": "app_gx", "team": "team_gx", "name": "Gx app",
        "redirect_uris": ["https://gx.example/cb"], "scopes": ["boards:read"], "secret_digest": "00".repeat(32)}),
    );
    run(
        app,
        gx,
        json!({"type": "install_app", "installation": "inst_gx", "app": "app_gx", "team": "team_gx"}),
    );
    run(
        app,
        gx,
        json!({"type": "create_scim_token", "org": "globex", "token": "scim_gx", "name": "Gx IdP", "digest": "00".repeat(32)}),
    );
    // The attacker: of Globex, and of Acme too.
    let ana = Some("usr_ana");
    let kind = if standing.guest_in_acme {
        "guest"
    } else {
        "member"
    };
    run(
        app,
        ana,
        json!({"type": "add_member", "org": "3141592653", "user": "usr_both",
        "email": "both@globex.test", "name": "usr_both", "kind": kind}),
    );
    if !standing.guest_in_acme {
        run(
            app,
            ana,
            json!({"type": "set_team_member", "team": "team_design", "user": "usr_both", "role": "admin"}),
        );
    }
}

/// Every credential of Acme that `usr_both` can hold.
async fn credentials(app: &TestApp, demo: &Demo) -> Vec<(&'static str, String)> {
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_both"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let session = r.body["session"].as_str().unwrap().to_string();
    let personal = app.personal_token_in("usr_both", "3141592653").await;
    // An app of Acme's design team, installed there, with every scope it could hold.
    let scopes = [
        "boards:read",
        "boards:write",
        "team:read",
        "team:write",
        "auditlogs:read",
        "organizations:read",
        "organizations:teams:read",
        "organizations:teams:write",
        "organizations:groups:read",
        "organizations:groups:write",
        "projects:read",
        "projects:write",
        "contentlogs:export",
        "boards:export",
        "sessions:delete",
        "users:read",
    ];
    // Registered and installed by Acme's design team admin; the token acts as the attacker.
    let ben = Some("usr_ben");
    run(
        app,
        ben,
        json!({"type": "register_app", "app": "app_acme", "team": "team_design", "name": "A",
        "redirect_uris": ["https://a.example/cb"], "scopes": scopes, "secret_digest": "00".repeat(32)}),
    );
    run(
        app,
        ben,
        json!({"type": "install_app", "installation": "inst_acme", "app": "app_acme", "team": "team_design"}),
    );
    // The token holds everything the installation was granted (the plan decides which).
    let granted: Vec<String> = {
        let reader = app.engine.read();
        let state = reader.state();
        let i = state.find_installation("inst_acme").unwrap();
        state
            .installation(i)
            .unwrap()
            .granted
            .iter()
            .map(|s| s.name().to_string())
            .collect()
    };
    let (secret, digest) = easel_server::ids::new_secret().unwrap();
    let (outcome, _) = app
        .engine
        .run(
            Acting::System,
            Command::IssueToken {
                token: "tok_app_acme".into(),
                holder: TokenHolder::App {
                    installation: "inst_acme".into(),
                    user: "usr_both".into(),
                    scopes: granted,
                },
                digest,
                expires_at: None,
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    // Acme's identity provider, provisioning Acme.
    let (scim_secret, scim_digest) = easel_server::ids::new_secret().unwrap();
    let (outcome, _) = app
        .engine
        .run(
            Acting::System,
            Command::IssueToken {
                token: "scim_acme".into(),
                holder: TokenHolder::Scim {
                    name: "idp".into(),
                    org: "3141592653".into(),
                },
                digest: scim_digest,
                expires_at: None,
            },
        )
        .await
        .unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    vec![
        ("session", session),
        ("personal token", personal),
        ("app token", format!("tok_app_acme.{secret}")),
        ("service token", demo.service_token.clone()),
        ("scim token", format!("scim_acme.{scim_secret}")),
    ]
}

/// Every operation of the document: method and path template.
async fn operations(app: &TestApp) -> Vec<(Method, String)> {
    let doc = app
        .call(Method::GET, "/openapi.json", None, None)
        .await
        .body;
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            out.push((m, path.clone()));
        }
    }
    out
}

/// `path` with every parameter filled, from Globex or from nothing.
fn fill(path: &str, foreign: bool) -> Option<String> {
    let mut out = path.to_string();
    while let Some(start) = out.find('{') {
        let end = out[start..].find('}')? + start;
        // The reference's names (`{org_id}`, `{team_id}` ...) name the same kinds.
        let name = &out[start + 1..end];
        let name = name.strip_suffix("_id").unwrap_or(name);
        let scim = SCIM_IDS
            .iter()
            .find(|(prefix, _, _)| name == "id" && path.starts_with(prefix));
        let (_, gx, none) = scim.or_else(|| IDS.iter().find(|(n, _, _)| *n == name))?;
        out.replace_range(start..=end, if foreign { gx } else { none });
    }
    Some(out)
}

/// A body naming Globex's ids (or nothing's) in every id field a body may hold.
fn body(foreign: bool) -> Value {
    let pick = |gx: &str, none: &str| {
        if foreign {
            gx.to_string()
        } else {
            none.to_string()
        }
    };
    json!({
        "userId": pick("usr_gx_only", "nothing_usr"),
        "newOwnerId": pick("usr_gx_only", "nothing_usr"),
        "teamId": pick("team_gx", "nothing_team"),
        "boardId": pick("brd_gx", "nothing_brd"),
        "projectId": pick("prj_gx", "nothing_prj"),
        "groupId": pick("grp_gx", "nothing_grp"),
        "org": pick("globex", "nothing_org"),
    })
}

/// The words of an answer with the ids of both worlds blotted out.
fn words(reply: &Reply) -> (u16, Value, String) {
    // SCIM's errors say it in `detail`, Easel's code in a header.
    let mut message = reply.body["message"]
        .as_str()
        .or_else(|| reply.body["detail"].as_str())
        .unwrap_or("")
        .to_string();
    // A parser's message gives a position, which moves with the ids' lengths.
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    for (_, gx, none) in IDS {
        message = message.replace(gx, "<id>").replace(none, "<id>");
    }
    let code = match reply.headers.get("x-easel-reason") {
        Some(reason) => Value::from(reason.to_str().unwrap_or("")),
        None => reply.body["code"].clone(),
    };
    (reply.status.as_u16(), code, message)
}

/// How many records Globex's log holds that are not refusals.
fn globex_changes(app: &TestApp) -> usize {
    let records = futures_block(app.engine.audit("globex".into(), 0, 100_000)).unwrap();
    records
        .iter()
        .filter(|(_, r)| r.outcome == easel_core::command::AuditOutcome::Allowed)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credential_of_one_organization_reaches_another_through_any_route() {
    every_route_against(STRONGEST).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nor_does_a_guest_credential() {
    every_route_against(Standing {
        guest_in_acme: true,
        admin_in_globex: true,
    })
    .await;
}

/// Every operation, with every credential of an attacker standing as given.
async fn every_route_against(standing: Standing) {
    let (app, demo) = demo_app();
    globex(&app, standing);
    let creds = credentials(&app, &demo).await;
    let ops = operations(&app).await;
    assert!(ops.len() > 60, "the document's operations: {}", ops.len());
    let before = globex_changes(&app);
    let mut failures = Vec::new();
    let mut asked = 0;
    for (kind, token) in &creds {
        for (method, template) in &ops {
            // Signing out ends the credential itself: nothing of an organization to ask.
            if template == "/v1/sessions/current" {
                continue;
            }
            // Routes with no id of an organization in their path still take ids in bodies.
            let (Some(foreign), Some(none)) = (fill(template, true), fill(template, false)) else {
                failures.push(format!("{template}: a parameter the test does not know"));
                continue;
            };
            let with_body = !matches!(*method, Method::GET | Method::DELETE);
            let f = app
                .call(
                    method.clone(),
                    &foreign,
                    Some(token),
                    with_body.then(|| body(true)),
                )
                .await;
            let n = app
                .call(
                    method.clone(),
                    &none,
                    Some(token),
                    with_body.then(|| body(false)),
                )
                .await;
            asked += 1;
            if f.status.is_success() && foreign.contains("gx") {
                failures.push(format!(
                    "{kind} {method} {foreign}: {} {}",
                    f.status, f.body
                ));
            } else if words(&f) != words(&n) {
                failures.push(format!(
                    "{kind} {method} {template}: Globex {:?} / nothing {:?}",
                    words(&f),
                    words(&n)
                ));
            }
        }
    }
    assert!(asked > 200, "{asked} requests");
    assert!(
        failures.is_empty(),
        "{} answers differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(globex_changes(&app), before, "Globex changed");
}

/// Sign-in links (`POST /v1/sessions/links`) with service tokens of either organization:
/// a service limited to one organization makes no link for a person of the other (404, in
/// the words it gives for no one), even one who belongs to both when it names the other
/// organization; and no link is made at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_makes_sign_in_links_for_its_own_organization_alone() {
    let (app, demo) = demo_app();
    globex(&app, STRONGEST);
    let globex_service = app.service_token("svc_gx_links", Some("globex")).await;
    let links = || app.engine.read().state().all_sign_in_links().count();
    let before = (links(), globex_changes(&app));
    let cases = [
        // Globex's service, for Acme's people.
        (&globex_service, json!({"userId": "usr_cy"})),
        (
            &globex_service,
            json!({"userId": "usr_cy", "orgId": "3141592653"}),
        ),
        (
            &globex_service,
            json!({"userId": "usr_both", "orgId": "3141592653"}),
        ),
        // Acme's service, for Globex's people.
        (&demo.service_token, json!({"userId": "usr_gx_only"})),
        (
            &demo.service_token,
            json!({"userId": "usr_gx_only", "orgId": "globex"}),
        ),
        (
            &demo.service_token,
            json!({"userId": "usr_both", "orgId": "globex"}),
        ),
    ];
    let nothing = |body: &Value| {
        let mut body = body.clone();
        body["userId"] = json!("nothing_usr");
        if body.get("orgId").is_some() {
            body["orgId"] = json!("nothing_org");
        }
        body
    };
    for (token, body) in &cases {
        let f = app.post("/v1/sessions/links", token, body.clone()).await;
        let n = app.post("/v1/sessions/links", token, nothing(body)).await;
        assert_eq!(f.status, StatusCode::NOT_FOUND, "{body}: {}", f.body);
        let blot = |r: &Reply| {
            let (status, code, message) = words(r);
            let message = ["usr_cy", "usr_both", "3141592653"]
                .iter()
                .fold(message, |m, id| m.replace(id, "<id>"));
            (status, code, message)
        };
        assert_eq!(blot(&f), blot(&n), "{body}");
    }
    assert_eq!((links(), globex_changes(&app)), before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Random sequences of writes with Acme's credentials and Globex's ids, by an attacker
    /// standing anywhere in the two, leave Globex exactly as it was.
    #[test]
    fn random_writes_with_acme_credentials_never_change_globex(
        guest_in_acme in any::<bool>(),
        admin_in_globex in any::<bool>(),
        picks in proptest::collection::vec((0usize..5, 0usize..1_000), 1..12)
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (app, demo) = demo_app();
            globex(&app, Standing { guest_in_acme, admin_in_globex });
            let creds = credentials(&app, &demo).await;
            let writes: Vec<(Method, String)> = operations(&app)
                .await
                .into_iter()
                .filter(|(m, _)| *m != Method::GET)
                .collect();
            let before = globex_changes(&app);
            for (c, op) in picks {
                let (_, token) = &creds[c];
                let (method, template) = &writes[op % writes.len()];
                let Some(path) = fill(template, true) else { continue };
                let with_body = *method != Method::DELETE;
                let r = app.call(method.clone(), &path, Some(token), with_body.then(|| body(true))).await;
                // 501 is an answer, not a failure: SCIM's `POST /.search`, which Easel does not do.
                let answered = r.status.as_u16() < 500 || r.status == StatusCode::NOT_IMPLEMENTED;
                assert!(answered, "{method} {path}: {}", r.body);
            }
            assert_eq!(globex_changes(&app), before, "Globex changed");
        });
    }
}
