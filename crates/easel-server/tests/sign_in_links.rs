//! One-time sign-in links over HTTP and through the console's helpers: a service asks for
//! one (`POST /v1/sessions/links`) under the organization rules of `POST /v1/sessions`; the
//! console shows it (`signin::preview`) and exchanges it once for a session
//! (`signin::redeem`); a used, expired, forged or unknown link, or one whose user was
//! deactivated since, is refused with one code and one message.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Reply, TestApp, assert_error, day, demo_app};
use easel_core::time::Time;
use easel_server::signin;
use serde_json::json;

const ORG: &str = "3141592653";
const MINUTE_MS: i64 = 60_000;

fn at(minutes: i64) -> Time {
    Time::from_millis(day(100).millis() + minutes * MINUTE_MS)
}

/// The link's text (`<id>.<secret>`) from its URL.
fn text_of(url: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("link="))
        .unwrap()
        .to_string()
}

async fn link_for(app: &TestApp, token: &str, body: serde_json::Value) -> Reply {
    app.post("/v1/sessions/links", token, body).await
}

/// A link for a user, by the demo's service, as its text.
async fn issued(app: &TestApp, service: &str, user: &str) -> String {
    let r = link_for(app, service, json!({"userId": user})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    text_of(r.body["link"].as_str().unwrap())
}

/// A refused redemption: its status, code and message.
async fn refused(app: &TestApp, text: &str) -> (u16, String, String) {
    let e = signin::redeem(&app.state, text).await.unwrap_err();
    (e.status.as_u16(), e.code.as_str().to_string(), e.message)
}

#[tokio::test]
async fn a_service_makes_a_link_that_signs_its_user_in_once() {
    let (app, demo) = demo_app();
    let r = link_for(
        &app,
        &demo.service_token,
        json!({"userId": "usr_cy", "redirect": "/ui/boards/brd_roadmap/share"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let url = r.body["link"].as_str().unwrap();
    // No `Host` in the request: the loopback address.
    assert!(
        url.starts_with("http://127.0.0.1/ui/sign-in?link=lnk_"),
        "{url}"
    );
    assert!(
        url.ends_with("&next=%2Fui%2Fboards%2Fbrd_roadmap%2Fshare"),
        "{url}"
    );
    let text = text_of(url);
    let link_id = r.body["linkId"].as_str().unwrap();
    assert!(text.starts_with(&format!("{link_id}.")), "{}", r.body);
    assert_eq!(r.body["userId"], "usr_cy");
    // The demo's service is limited to Acme: the session will act there alone.
    assert_eq!(r.body["orgId"], ORG);
    assert_eq!(r.body["expiresAt"], "1970-04-11T00:15:00Z");
    assert!(r.body["revision"].as_str().is_some(), "{}", r.body);
    // Only the digest is kept.
    {
        let reader = app.engine.read();
        let state = reader.state();
        let link = state
            .sign_in_link(state.find_sign_in_link(link_id).unwrap())
            .unwrap();
        assert!(!link.used && link.expires_at == at(15));
        let secret = text.rsplit_once('.').unwrap().1;
        assert!(link.digest.matches(secret) && !link.digest.matches(link_id));
    }

    // The sign-in page shows whom it signs in, and where.
    app.at(at(3));
    let info = signin::preview(&app.state, &text).await.unwrap();
    assert_eq!(
        (
            info.user_id.as_str(),
            info.name.as_str(),
            info.email.as_str()
        ),
        ("usr_cy", "Cy Engineer", "cy@acme.test")
    );
    assert_eq!(info.org_id.as_deref(), Some(ORG));
    assert_eq!(info.org_name.as_deref(), Some("Acme Inc."));
    assert_eq!(info.expires_at, at(15));

    // Redeemed once: a session of Cy, acting in Acme.
    let session = signin::redeem(&app.state, &text).await.unwrap();
    assert!(session.starts_with("ses_"), "{session}");
    let r = app.get(&format!("/v2/orgs/{ORG}"), &session).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    {
        let reader = app.engine.read();
        let state = reader.state();
        let id = session.split('.').next().unwrap();
        let s = state.session(state.find_session(id).unwrap()).unwrap();
        assert_eq!(
            s.org.and_then(|o| state.org(o)).map(|o| o.id.to_string()),
            Some(ORG.to_string())
        );
    }

    // Never twice; and a used link, a forged secret and an unknown link read alike.
    let used = refused(&app, &text).await;
    assert_eq!((used.0, used.1.as_str()), (401, "credential.invalid"));
    assert!(signin::preview(&app.state, &text).await.is_none());
    let fresh = issued(&app, &demo.service_token, "usr_ben").await;
    let (head, last) = fresh.split_at(fresh.len() - 1);
    let forged = format!("{head}{}", if last == "0" { "1" } else { "0" });
    assert_eq!(refused(&app, &forged).await, used);
    assert!(signin::preview(&app.state, &forged).await.is_none());
    let secret = fresh.rsplit_once('.').unwrap().1;
    assert_eq!(
        refused(&app, &format!("lnk_000000000000.{secret}")).await,
        used
    );
    assert_eq!(refused(&app, "no dot at all").await, used);
    assert_eq!(refused(&app, "").await, used);
    // The forged attempt used nothing up: the genuine text still works.
    assert!(signin::redeem(&app.state, &fresh).await.is_ok());
}

#[tokio::test]
async fn the_link_is_on_the_host_the_request_reached() {
    let (app, demo) = demo_app();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/v1/sessions/links")
        .header("host", "console.example:8080")
        .header("authorization", format!("Bearer {}", demo.service_token))
        .header("content-type", "application/json")
        .body(Body::from(json!({"userId": "usr_ben"}).to_string()))
        .unwrap();
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let url = r.body["link"].as_str().unwrap();
    assert!(
        url.starts_with("http://console.example:8080/ui/sign-in?link=lnk_"),
        "{url}"
    );
    assert!(!url.contains("next="), "{url}");
}

#[tokio::test]
async fn the_link_is_on_the_public_url_when_one_is_configured() {
    let (app, _) = demo_app();
    let configured = std::sync::Arc::new(easel_server::App {
        engine: std::sync::Arc::clone(&app.engine),
        limits: easel_server::Limits::default(),
        metrics: easel_server::metrics::Metrics::new(),
        console: easel_server::console::ConsoleConfig {
            public_url: Some("https://easel.example.com".into()),
            frame_ancestors: Vec::new(),
        },
    });
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("host", "internal:8080".parse().unwrap());
    let base = easel_server::routes::sessions::link_base(&configured, &headers);
    assert_eq!(base, "https://easel.example.com");
    // Without one, the request's host; a host that is not one, the loopback address.
    assert_eq!(
        easel_server::routes::sessions::link_base(&app.state, &headers),
        "http://internal:8080"
    );
    headers.insert("host", "evil.example/ui?x=".parse().unwrap());
    assert_eq!(
        easel_server::routes::sessions::link_base(&app.state, &headers),
        "http://127.0.0.1"
    );
}

#[tokio::test]
async fn only_services_make_links_for_people_of_their_organization() {
    let (app, demo) = demo_app();
    // A person's token, even the company admin's, is refused.
    let r = link_for(&app, &demo.admin_token, json!({"userId": "usr_cy"})).await;
    assert_error(&r, 403, "authority.missing_privilege");
    // So is a session.
    let r = app
        .post(
            "/v1/sessions",
            &demo.service_token,
            json!({"userId": "usr_ana"}),
        )
        .await;
    let session = r.body["session"].as_str().unwrap().to_string();
    let r = link_for(&app, &session, json!({"userId": "usr_ana"})).await;
    assert_error(&r, 403, "authority.missing_privilege");

    // A service limited to another organization makes no link for Acme's people: as for
    // someone who does not exist.
    app.run_as(
        Some("usr_gil"),
        json!({"type": "create_org", "org": "globex", "name": "Globex", "plan": "business"}),
    )
    .await;
    let globex = app.service_token("svc_globex", Some("globex")).await;
    let acme_user = link_for(&app, &globex, json!({"userId": "usr_cy"})).await;
    assert_error(&acme_user, 404, "request.not_found");
    let nobody = link_for(&app, &globex, json!({"userId": "usr_nobody"})).await;
    assert_eq!(
        acme_user.body["message"]
            .as_str()
            .unwrap()
            .replace("usr_cy", "<id>"),
        nobody.body["message"]
            .as_str()
            .unwrap()
            .replace("usr_nobody", "<id>")
    );
    // Naming Acme does not help.
    let r = link_for(&app, &globex, json!({"userId": "usr_cy", "orgId": ORG})).await;
    assert_error(&r, 404, "request.not_found");
    // Acme's own service may not name Globex either.
    let r = link_for(
        &app,
        &demo.service_token,
        json!({"userId": "usr_cy", "orgId": "globex"}),
    )
    .await;
    assert_error(&r, 404, "request.not_found");
    // An unknown user is not found.
    let r = link_for(&app, &demo.service_token, json!({"userId": "usr_nobody"})).await;
    assert_error(&r, 404, "request.not_found");
}

#[tokio::test]
async fn the_page_to_open_is_a_console_path() {
    let (app, demo) = demo_app();
    let links = || app.engine.read().state().all_sign_in_links().count();
    let before = links();
    for bad in [
        "https://evil.example/ui/",
        "//evil.example/ui/",
        "/ui//evil.example",
        "/v2/boards",
        "/ui",
        "ui/boards",
        "/ui/a b",
        "/ui/a\\b",
        "/ui/a#b",
        "/ui/a\nb",
    ] {
        let r = link_for(
            &app,
            &demo.service_token,
            json!({"userId": "usr_cy", "redirect": bad}),
        )
        .await;
        assert_error(&r, 400, "request.invalid_parameter");
    }
    let long = format!("/ui/{}", "a".repeat(3_000));
    let r = link_for(
        &app,
        &demo.service_token,
        json!({"userId": "usr_cy", "redirect": long}),
    )
    .await;
    assert_error(&r, 400, "request.invalid_parameter");
    let r = link_for(&app, &demo.service_token, json!({"user": "usr_cy"})).await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.body);
    // Nothing was issued by the refusals.
    assert_eq!(links(), before);
}

#[tokio::test]
async fn an_expired_link_is_refused_as_a_used_one_is() {
    let (app, demo) = demo_app();
    let late = issued(&app, &demo.service_token, "usr_cy").await;
    let on_time = issued(&app, &demo.service_token, "usr_cy").await;
    let used = issued(&app, &demo.service_token, "usr_cy").await;
    signin::redeem(&app.state, &used).await.unwrap();
    app.at(Time::from_millis(at(15).millis() - 1));
    assert!(signin::preview(&app.state, &on_time).await.is_some());
    assert!(signin::redeem(&app.state, &on_time).await.is_ok());
    app.at(at(15));
    assert!(signin::preview(&app.state, &late).await.is_none());
    let expired = refused(&app, &late).await;
    assert_eq!(expired.1, "credential.invalid");
    assert_eq!(expired, refused(&app, &used).await);
}

#[tokio::test]
async fn a_link_of_a_user_deactivated_since_is_refused() {
    let (app, demo) = demo_app();
    let text = issued(&app, &demo.service_token, "usr_cy").await;
    let used = issued(&app, &demo.service_token, "usr_ben").await;
    signin::redeem(&app.state, &used).await.unwrap();
    app.run_as(
        Some("usr_ana"),
        json!({"type": "deactivate_user", "org": ORG, "user": "usr_cy"}),
    )
    .await;
    assert!(signin::preview(&app.state, &text).await.is_none());
    assert_eq!(
        refused(&app, &text).await,
        refused(&app, &used).await,
        "refused as any link that does not work"
    );
    // Nor is a new one made for him.
    let r = link_for(&app, &demo.service_token, json!({"userId": "usr_cy"})).await;
    assert_error(&r, 404, "request.not_found");
}

#[tokio::test]
async fn a_link_outlives_a_restart_of_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    let (app, demo) = common::demo_app_in(&path);
    let text = issued(&app, &demo.service_token, "usr_cy").await;
    // The server started again on the same file: the link comes back from the changelog.
    drop(app);
    let again = common::file_app(&path);
    let info = signin::preview(&again.state, &text).await.unwrap();
    assert_eq!(info.user_id, "usr_cy");
    assert!(signin::redeem(&again.state, &text).await.is_ok());
}

/// On PostgreSQL another writer (`easel login-link`, another node) may issue a link this
/// node has not applied yet: the console catches up and finds it. Skipped without
/// `EASEL_TEST_POSTGRES_URL`.
#[test]
fn a_link_another_writer_made_is_found_after_catching_up() {
    use easel_core::command::{Actor, Command};
    use easel_server::AnyBackend;
    use easel_store::{Durable, PostgresBackend};

    let Some(url) = std::env::var("EASEL_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("EASEL_TEST_POSTGRES_URL is not set: the PostgreSQL case is skipped");
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!("easel_test_links_{}_{nanos}", std::process::id());
    let open = || {
        let backend = PostgresBackend::connect(&url, &schema, |_, _| {}).unwrap();
        Durable::open(AnyBackend::new(backend)).unwrap().0
    };
    let mut first = open();
    easel_server::demo::seed(&mut first, day(100)).unwrap();
    let app = common::durable_app(first);
    // The other writer.
    let mut other = open();
    let (secret, digest) = easel_server::ids::new_secret().unwrap();
    let command = Command::IssueSignInLink {
        link: "lnk_elsewhere".into(),
        user: "usr_cy".into(),
        org: Some(ORG.into()),
        digest,
    };
    let (outcome, _) = other.run(Actor::System, &command, day(100)).unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    let text = format!("lnk_elsewhere.{secret}");
    assert!(
        app.engine
            .read()
            .state()
            .find_sign_in_link("lnk_elsewhere")
            .is_none(),
        "this node has not applied it yet"
    );
    // The PostgreSQL client blocks: the store is opened outside the runtime, the console's
    // helpers run inside one.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let info = signin::preview(&app.state, &text).await.unwrap();
        assert_eq!(info.user_id, "usr_cy");
        assert!(signin::redeem(&app.state, &text).await.is_ok());
    });
    drop(app);
    drop(other);
    if let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) {
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}
