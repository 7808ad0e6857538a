//! The scope rules of the route table: `docs/scopes.md` is generated from them and must be
//! current, and every route refuses an app token that lacks its scopes, naming them.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::{TestApp, demo_app};
use easel_core::command::Command;
use easel_core::event::TokenHolder;
use easel_server::Acting;
use easel_server::scopes::Rule;

/// Every declared route and its rule, by route and then method.
fn routes() -> Vec<(Method, String, Rule)> {
    easel_server::table::all()
        .declared()
        .into_iter()
        .map(|d| (d.method, d.path, d.rule))
        .collect()
}

fn describe(r: Rule) -> String {
    match r {
        Rule::Open => "no bearer token (open, or the client's own credentials)".into(),
        Rule::AnyScope => "any app token".into(),
        Rule::OneOf(s) => s
            .iter()
            .map(|x| format!("`{}`", x.name()))
            .collect::<Vec<_>>()
            .join(" or "),
        Rule::NotForApps => "not for app tokens".into(),
    }
}

#[test]
fn docs_scopes_md_is_generated_from_the_table() {
    let mut out = String::from(
        "# Scopes by route\n\n\
         Generated from the route table (each route's declaration, in its file under\n\
         `crates/easel-server/src/`) by `cargo test -p easel-server --test scopes`\n\
         (with `EASEL_BLESS=1` to rewrite it). An app token is admitted to a route when it carries\n\
         one of the route's scopes, granted to its installation, honoured on the REST surface and\n\
         available on its organization's plan; otherwise it is refused with 403 `scope.missing`,\n\
         `scope.surface` or `scope.plan`, naming the scopes in `context.scopes`. Personal tokens,\n\
         sessions and service tokens have no scope layer. Both vocabularies are accepted wherever\n\
         both name the access.\n\n\
         | method | route | admits an app token with |\n| --- | --- | --- |\n",
    );
    for (m, p, rule) in routes() {
        out.push_str(&format!("| {m} | `{p}` | {} |\n", describe(rule)));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scopes.md");
    if std::env::var_os("EASEL_BLESS").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == out,
        "docs/scopes.md is not current; run `EASEL_BLESS=1 cargo test -p easel-server --test scopes`"
    );
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "brd_roadmap")
        .replace("{board}", "brd_roadmap")
        .replace("{org}", "3141592653")
        .replace("{org_id}", "3141592653")
        .replace("{team_id}", "team_design")
        .replace("{member_id}", "usr_cy")
        .replace("{group_id}", "grp_reviewers")
        .replace("{team}", "team_design")
        .replace("{project}", "prj_launch")
        .replace("{member}", "usr_cy")
        .replace(['{', '}'], "")
}

/// An app token carrying `identity:read` only, of an app installed in the design team.
async fn id_only_token(app: &TestApp) -> String {
    let ben = Acting::User("usr_ben".into(), easel_core::request::Credential::None);
    let (_, digest) = easel_server::ids::new_secret().unwrap();
    for command in [
        Command::RegisterApp {
            app: "app_id_only".into(),
            team: "team_design".into(),
            name: "Who am I".into(),
            redirect_uris: vec!["https://who.example/cb".into()],
            expiring_tokens: true,
            scopes: vec!["identity:read".into()],
            secret_digest: digest.clone(),
        },
        Command::InstallApp {
            installation: "inst_id_only".into(),
            app: "app_id_only".into(),
            team: "team_design".into(),
        },
    ] {
        let (outcome, _) = app.engine.run(ben.clone(), command).await.unwrap();
        assert!(outcome.refusal().is_none(), "{outcome:?}");
    }
    let (secret, token_digest) = easel_server::ids::new_secret().unwrap();
    let issue = Command::IssueToken {
        token: "oat_id_only".into(),
        holder: TokenHolder::App {
            installation: "inst_id_only".into(),
            user: "usr_ben".into(),
            scopes: vec!["identity:read".into()],
        },
        digest: token_digest,
        expires_at: None,
    };
    let (outcome, _) = app.engine.run(Acting::System, issue).await.unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    format!("oat_id_only.{secret}")
}

#[tokio::test]
async fn every_route_refuses_an_app_token_without_its_scopes() {
    let (app, _) = demo_app();
    let token = id_only_token(&app).await;
    let mut checked = 0;
    for (method, path, rule) in routes() {
        let expected = match rule {
            // The demo organization is on enterprise with the Guard add-on: a route no
            // scope on that plan admits names the plan, the others the missing scope.
            Rule::OneOf(scopes) => {
                let on_plan = scopes
                    .iter()
                    .any(|s| s.available(easel_core::catalog::Plan::Enterprise, true));
                let code = if on_plan {
                    "scope.missing"
                } else {
                    "scope.plan"
                };
                (code, scopes.iter().map(|s| s.name()).collect())
            }
            Rule::NotForApps => ("scope.not_for_apps", vec![]),
            Rule::Open | Rule::AnyScope => continue,
        };
        let req = Request::builder()
            .method(method.clone())
            .uri(concrete(&path))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let r = app.raw(req).await;
        assert_eq!(r.status.as_u16(), 403, "{method} {path}: {}", r.body);
        if path.starts_with("/scim/") {
            // SCIM answers in RFC 7644's error shape, Easel's code in a header.
            assert_eq!(r.body["status"], "403", "{method} {path}: {}", r.body);
            assert_eq!(r.headers["x-easel-reason"], expected.0, "{method} {path}");
            checked += 1;
            continue;
        }
        assert_eq!(r.body["code"], expected.0, "{method} {path}: {}", r.body);
        let named: Vec<&str> = r.body["context"]["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(named, expected.1, "{method} {path}");
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} routes were checked");
    // The token's own description is open to it.
    let me = app.get("/v1/oauth-token", &token).await;
    assert_eq!(me.body["scopes"], serde_json::json!(["identity:read"]));
}

#[tokio::test]
async fn a_method_or_route_no_declaration_states_refuses_app_tokens() {
    let (app, _) = demo_app();
    let token = id_only_token(&app).await;
    // A method the path does not declare: the strictest rule, before the router's 405.
    let r = app
        .call(Method::DELETE, "/v2/boards", Some(&token), None)
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    assert_eq!(r.body["code"], "scope.not_for_apps", "{}", r.body);
    // A route added around the table, which no rule names.
    let guard = easel_server::scopes::Guard {
        app: std::sync::Arc::new(easel_server::App {
            engine: std::sync::Arc::clone(&app.engine),
            limits: easel_server::Limits::default(),
            metrics: easel_server::metrics::Metrics::new(),
            console: Default::default(),
        }),
        rules: std::sync::Arc::new(easel_server::table::Rules::default()),
    };
    let raw = TestApp {
        router: axum::Router::new()
            .route("/raw", axum::routing::get(|| async { "served" }))
            .route_layer(axum::middleware::from_fn_with_state(
                guard,
                easel_server::scopes::enforce,
            )),
        clock: app.clock.clone(),
        engine: app.engine.clone(),
        state: app.state.clone(),
    };
    let r = raw.call(Method::GET, "/raw", Some(&token), None).await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    assert_eq!(r.body["code"], "scope.not_for_apps", "{}", r.body);
}
