//! The first page of the big lists, through the real router in process (every layer:
//! request ids, limits, metrics, authentication by personal token): the boards a content
//! admin sees (every board of the dataset), a board's members and its items (15,000 each),
//! and an audit log of 100,000 records in both orders. Run with
//! `EASEL_BENCH_SIZE=small|medium|large cargo bench -p easel-server --bench lists`.
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark over generated data that cannot fail to load"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use easel_core::catalog::AdminRole;
use easel_core::command::{Actor, AuditOutcome, AuditRecord, Command};
use easel_core::event::{Event, TokenHolder, Who};
use easel_core::model::ContentKind;
use easel_core::model::Licence;
use easel_core::roles::{BoardRole, MemberKind};
use easel_core::time::Time;
use easel_server::{AnyBackend, App, Clock, Engine, Limits};
use easel_store::jsonl::import;
use easel_store::{Backend, Durable, SqliteBackend};
use easel_testkit::bench_data::{Size, write};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The server's allocator (see `crates/easel/src/main.rs`), so the numbers are the server's.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Members and items put on the one big board (at most the dataset's users, for members).
const BIG_BOARD_ROWS: usize = 15_000;
/// Audit records in the organization's log.
const AUDIT_RECORDS: usize = 100_000;
/// Requests timed per list (after as many to warm up).
const ROUNDS: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Times `ROUNDS` GETs of `path` (each the whole request, through every layer, and its
/// body read) and prints the median and the 99th percentile.
async fn measure(router: &Router, what: &str, path: &str, token: &str) {
    let call = || async {
        let req = axum::http::Request::get(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let res = router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert!(status.is_success(), "{path}: {status} {body:?}");
        body.len()
    };
    let mut size = 0;
    for _ in 0..ROUNDS {
        size = call().await;
    }
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        std::hint::black_box(call().await);
        times.push(started.elapsed());
    }
    times.sort_unstable();
    println!(
        "{what:<58} p50 {:>7.1} µs  p99 {:>7.1} µs  ({size} bytes)",
        us(percentile(&times, 0.5)),
        us(percentile(&times, 0.99)),
    );
}

fn main() {
    let size_name = std::env::var("EASEL_BENCH_SIZE").unwrap_or_else(|_| "small".into());
    let started = Instant::now();
    let mut data = Vec::new();
    write(Size::named(&size_name).unwrap(), 42, &mut data).unwrap();
    let now = Time::from_millis(0);
    let (mut durable, _) =
        Durable::open(AnyBackend::new(SqliteBackend::in_memory().unwrap())).unwrap();
    let mut events = import(&durable.state(), data.as_slice()).unwrap();
    drop(data);
    let users = events
        .iter()
        .filter(|e| matches!(e, Event::UserCreated { .. }))
        .count();

    // One big board: members and items by the thousand (grants to every user but its
    // owner, up to the count).
    let owner = events
        .iter()
        .find_map(|e| match e {
            Event::BoardCreated { board, owner, .. } if board == "b0" => Some(owner.clone()),
            _ => None,
        })
        .unwrap();
    let granted: Vec<String> = (0..users)
        .map(|u| format!("u{u}"))
        .filter(|u| *u != owner)
        .take(BIG_BOARD_ROWS)
        .collect();
    let members = granted.len();
    events.extend(granted.into_iter().map(|u| Event::GrantSet {
        board: "b0".into(),
        to: Who::User(u),
        role: BoardRole::Viewer,
    }));
    events.extend((0..BIG_BOARD_ROWS).map(|i| Event::ContentAdded {
        content: format!("itm_{i}"),
        board: "b0".into(),
        kind: ContentKind::StickyNote,
        text: format!("note {i}"),
        author: "u1".into(),
    }));
    // `u1` is a content admin (and so sees every board), `u2` a company admin (who reads
    // the audit log).
    for (user, role) in [
        ("u1", AdminRole::ContentAdmin),
        ("u2", AdminRole::CompanyAdmin),
    ] {
        events.push(Event::MembershipSet {
            org: "org".into(),
            user: user.into(),
            kind: MemberKind::Member,
            admin_roles: vec![role],
            licence: Licence::Full,
        });
    }
    durable.import(&events, now).unwrap();
    drop(events);
    let mut tokens = Vec::new();
    for user in ["u1", "u2"] {
        let (secret, digest) = easel_server::ids::new_secret().unwrap();
        let issue = Command::IssueToken {
            token: format!("pat_{user}"),
            holder: TokenHolder::User {
                user: user.into(),
                org: None,
            },
            digest,
            expires_at: None,
        };
        let (outcome, _) = durable.run(Actor::System, &issue, now).unwrap();
        assert!(outcome.refusal().is_none(), "{outcome:?}");
        tokens.push(format!("pat_{user}.{secret}"));
    }
    // The audit log: refusals are stored without changing the state, so a hundred
    // thousand of them are quick to write.
    for i in 0..AUDIT_RECORDS {
        let record = AuditRecord {
            org: "org".into(),
            at: Time::from_millis(1_000 + i as i64),
            actor: Some("u3".into()),
            action: "share_board".into(),
            target: format!("board:b{}", i % 1_000),
            outcome: AuditOutcome::Refused {
                code: easel_core::codes::Code::RequestInvalidParameter,
            },
            changes: Vec::new(),
        };
        durable.backend().record_refusal(&record).unwrap();
    }
    let boards = durable.state().board_count();
    println!(
        "dataset {size_name}: {boards} boards, {users} users; board b0 with {members} members \
         and {BIG_BOARD_ROWS} items; {AUDIT_RECORDS} audit records; built in {:.1} s; \
         {ROUNDS} requests per list",
        started.elapsed().as_secs_f64()
    );

    let engine = Engine::new(durable, Clock::System);
    let app = Arc::new(App {
        engine,
        limits: Limits::default(),
        metrics: easel_server::metrics::Metrics::new(),
        console: Default::default(),
    });
    let router = easel_server::app(app);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (admin, company) = (&tokens[0], &tokens[1]);
    runtime.block_on(async {
        measure(
            &router,
            "GET /v2/boards, first page of 20 (content admin)",
            "/v2/boards",
            admin,
        )
        .await;
        let second = {
            let req = axum::http::Request::get("/v2/boards")
                .header("authorization", format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap();
            let res = router.clone().oneshot(req).await.unwrap();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            v["cursor"].as_str().unwrap().to_string()
        };
        measure(
            &router,
            "GET /v2/boards, second page of 20 (from a cursor)",
            &format!("/v2/boards?cursor={second}"),
            admin,
        )
        .await;
        measure(
            &router,
            "GET /v2/boards/b0/members, first page of 20",
            "/v2/boards/b0/members",
            admin,
        )
        .await;
        measure(
            &router,
            "GET /v2/boards/b0/items, first page of 20",
            "/v2/boards/b0/items",
            admin,
        )
        .await;
        measure(
            &router,
            "GET /v2/audit/logs, first page of 20, oldest first",
            "/v2/audit/logs?org=org",
            company,
        )
        .await;
        measure(
            &router,
            "GET /v2/audit/logs, first page of 20, newest first",
            "/v2/audit/logs?org=org&sorting=desc",
            company,
        )
        .await;
    });
}
