//! What the server's tests share: an app over an in-memory store with the demo organization
//! (or any events), a fixed clock, and a call helper that sends one request in process.
#![allow(dead_code, reason = "each test binary uses part of this module")]
// `allow`, not `expect`: the module is included by several test binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

pub mod console;
pub mod net;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use easel_core::command::{Actor, Command};
use easel_core::event::{Event, TokenHolder};
use easel_core::time::Time;
use easel_server::demo::{self, Demo};
use easel_server::{AnyBackend, App, Clock, Engine, Limits};
use easel_store::{Durable, SqliteBackend};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A running app, in process.
pub struct TestApp {
    pub router: Router,
    pub clock: Arc<Mutex<Time>>,
    pub engine: Arc<Engine>,
    /// What the routes share, for calling the server's functions directly.
    pub state: easel_server::AppState,
}

/// The default time of the tests: day 100.
pub fn day(n: i64) -> Time {
    Time::from_millis(n * 86_400_000)
}

fn open() -> Durable<AnyBackend> {
    let backend = AnyBackend::new(SqliteBackend::in_memory().unwrap());
    Durable::open(backend).unwrap().0
}

fn build(durable: Durable<AnyBackend>, limits: Limits) -> TestApp {
    let clock = Arc::new(Mutex::new(day(100)));
    let engine = Engine::new(durable, Clock::Fixed(Arc::clone(&clock)));
    let app = Arc::new(App {
        engine: Arc::clone(&engine),
        limits,
        metrics: easel_server::metrics::Metrics::new(),
        console: Default::default(),
    });
    TestApp {
        router: easel_server::app(Arc::clone(&app)),
        clock,
        engine,
        state: app,
    }
}

/// A store in a SQLite file, waiting while a dropped engine still closes it.
fn open_file(path: &std::path::Path) -> Durable<AnyBackend> {
    for _ in 0..500 {
        match SqliteBackend::open(path) {
            Ok(b) => return Durable::open(AnyBackend::new(b)).unwrap().0,
            Err(easel_store::StoreError::Locked(_)) => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("{e}"),
        }
    }
    panic!("the database stayed locked after the engine was dropped");
}

/// An app over a store opened elsewhere (PostgreSQL, say).
pub fn durable_app(durable: Durable<AnyBackend>) -> TestApp {
    build(durable, Limits::default())
}

/// An app over an existing SQLite file: the same server started again.
pub fn file_app(path: &std::path::Path) -> TestApp {
    build(open_file(path), Limits::default())
}

/// The demo organization in a new SQLite file, with its tokens.
pub fn demo_app_in(path: &std::path::Path) -> (TestApp, Demo) {
    let mut durable = open_file(path);
    let made = demo::seed(&mut durable, day(100)).unwrap();
    (build(durable, Limits::default()), made)
}

/// The demo organization, with its tokens.
pub fn demo_app() -> (TestApp, Demo) {
    demo_app_with(Limits::default())
}

/// The demo organization with other limits.
pub fn demo_app_with(limits: Limits) -> (TestApp, Demo) {
    let mut durable = open();
    let made = demo::seed(&mut durable, day(100)).unwrap();
    (build(durable, limits), made)
}

/// A state built from events, with a service token for every organization.
pub fn events_app(events: &[Event]) -> (TestApp, String) {
    let mut durable = open();
    if !events.is_empty() {
        durable.import(events, day(0)).unwrap();
    }
    let (secret, digest) = easel_server::ids::new_secret().unwrap();
    let issue = Command::IssueToken {
        token: "svc_all".into(),
        holder: TokenHolder::Service {
            name: "tests".into(),
            org: None,
        },
        digest,
        expires_at: None,
    };
    let (outcome, _) = durable.run(Actor::System, &issue, day(0)).unwrap();
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    (
        build(durable, Limits::default()),
        format!("svc_all.{secret}"),
    )
}

/// An answer.
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: HeaderMap,
}

impl TestApp {
    /// Sets the clock.
    pub fn at(&self, t: Time) {
        *self.clock.lock().unwrap() = t;
    }

    /// Sends one request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.raw(req).await
    }

    /// Sends a request as built.
    pub async fn raw(&self, req: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }
}

/// Asserts an error reply: its status and code, in the envelope, with a request id.
pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(reply.body["code"], code, "{}", reply.body);
    assert_eq!(reply.body["status"], status, "{}", reply.body);
    assert_eq!(reply.body["type"], "error", "{}", reply.body);
    let id = reply.body["requestId"].as_str().unwrap_or("");
    assert!(
        id.starts_with("req_"),
        "a request id in the body: {}",
        reply.body
    );
    assert_eq!(
        reply
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some(id),
        "the same id in the header"
    );
}

impl TestApp {
    /// Issues a personal access token for a user, as `easel token create` does.
    pub async fn personal_token(&self, user: &str) -> String {
        self.token_for(user, None).await
    }

    /// Issues a personal access token that acts in one organization only.
    #[allow(dead_code, reason = "not every test binary uses it")]
    pub async fn personal_token_in(&self, user: &str, org: &str) -> String {
        self.token_for(user, Some(org)).await
    }

    async fn token_for(&self, user: &str, org: Option<&str>) -> String {
        let (secret, digest) = easel_server::ids::new_secret().unwrap();
        let id = easel_server::ids::new_id(&format!("pat_{user}")).unwrap();
        let (outcome, _) = self
            .engine
            .run(
                easel_server::Acting::System,
                Command::IssueToken {
                    token: id.clone(),
                    holder: TokenHolder::User {
                        user: user.into(),
                        org: org.map(str::to_string),
                    },
                    digest,
                    expires_at: None,
                },
            )
            .await
            .unwrap();
        assert!(outcome.refusal().is_none(), "{outcome:?}");
        format!("{id}.{secret}")
    }
}

impl TestApp {
    /// Issues a service token, for one organization or every one, as `easel token create
    /// --service` does.
    pub async fn service_token(&self, id: &str, org: Option<&str>) -> String {
        let (secret, digest) = easel_server::ids::new_secret().unwrap();
        self.run_as(
            None,
            serde_json::json!({"type": "issue_token", "token": id, "digest": digest,
                "holder": {"service": {"name": id, "org": org}}}),
        )
        .await;
        format!("{id}.{secret}")
    }

    /// Runs a command written as JSON, as `user` (or as Easel itself), and asserts it is
    /// accepted.
    pub async fn run_as(&self, user: Option<&str>, command: Value) {
        let parsed: Command =
            serde_json::from_value(command.clone()).unwrap_or_else(|e| panic!("{command}: {e}"));
        let acting = match user {
            Some(u) => easel_server::Acting::User(u.into(), easel_core::request::Credential::None),
            None => easel_server::Acting::System,
        };
        let (outcome, _) = self.engine.run(acting, parsed).await.unwrap();
        assert!(outcome.refusal().is_none(), "{command}: {outcome:?}");
    }

    /// Sends a form (`application/x-www-form-urlencoded`), with extra headers.
    pub async fn form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", form_encode(v)))
            .collect();
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.raw(req.body(Body::from(body.join("&"))).unwrap())
            .await
    }
}

/// Percent-encodes a form value.
pub fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
