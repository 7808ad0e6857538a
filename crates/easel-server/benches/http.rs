//! The decision API over HTTP on loopback, against a trivial axum handler measured the same
//! way in the same run: concurrent keep-alive connections from a load generator in this
//! process, each sending its next request as soon as the last is answered. Run with
//! `EASEL_BENCH_SIZE=small|medium|large cargo bench -p easel-server --bench http`.
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark over generated data that cannot fail to load"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use bytes::Bytes;
use easel_core::command::{Actor, Command};
use easel_core::event::TokenHolder;
use easel_core::time::Time;
use easel_server::{AnyBackend, App, Clock, Engine, Limits};
use easel_store::jsonl::import;
use easel_store::{Durable, SqliteBackend};
use easel_testkit::bench_data::{Size, write};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

/// The server's allocator (see `crates/easel/src/main.rs`), so the numbers are the server's.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How long each measurement runs.
const RUN: Duration = Duration::from_secs(5);
/// Connections kept open by the load generator.
const CONNECTIONS: usize = 32;

/// A small deterministic generator for the questions.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// One question as the decision API takes it.
fn question(rng: &mut Rng, users: usize, boards: usize, i: usize) -> serde_json::Value {
    let action = if i.is_multiple_of(2) {
        "board.view"
    } else {
        "board.edit_content"
    };
    serde_json::json!({
        "subject": {"user": format!("u{}", rng.below(users))},
        "action": action,
        "resource": {"board": format!("b{}", rng.below(boards))},
    })
}

/// Serves `router` on a loopback port of the server runtime; returns the address.
fn start(server: &tokio::runtime::Runtime, router: Router) -> std::net::SocketAddr {
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    server.spawn(async move {
        let limits = easel_server::Limits::default();
        easel_server::serve(listener, router, &limits, std::future::pending()).await
    });
    addr
}

/// Drives `CONNECTIONS` keep-alive connections for `RUN`, each posting bodies from
/// `bodies` in turn. Returns requests per second and the latencies.
async fn load(
    addr: std::net::SocketAddr,
    path: &'static str,
    token: Arc<String>,
    bodies: Arc<Vec<Bytes>>,
) -> (f64, Vec<Duration>) {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let started = Instant::now();
    for c in 0..CONNECTIONS {
        let (stop, token, bodies) = (Arc::clone(&stop), Arc::clone(&token), Arc::clone(&bodies));
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut times = Vec::new();
            let mut i = c * 7919;
            while !stop.load(Ordering::Relaxed) {
                let body = bodies[i % bodies.len()].clone();
                i += 1;
                let req = Request::post(path)
                    .header("host", "127.0.0.1")
                    .header("authorization", token.as_str())
                    .header("content-type", "application/json")
                    .body(Full::new(body))
                    .unwrap();
                let t = Instant::now();
                let res = sender.send_request(req).await.unwrap();
                let status = res.status();
                let answer = res.into_body().collect().await.unwrap().to_bytes();
                assert!(status.is_success(), "{status}: {answer:?}");
                times.push(t.elapsed());
            }
            times
        }));
    }
    tokio::time::sleep(RUN).await;
    stop.store(true, Ordering::Relaxed);
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    times.sort_unstable();
    (times.len() as f64 / elapsed.as_secs_f64(), times)
}

fn print(what: &str, per_request: usize, (rate, times): &(f64, Vec<Duration>)) {
    println!(
        "{what}: {:.0} requests/s ({:.0} checks/s), latency p50 {:.0} µs, p99 {:.0} µs",
        rate,
        rate * per_request as f64,
        percentile(times, 0.5).as_secs_f64() * 1e6,
        percentile(times, 0.99).as_secs_f64() * 1e6
    );
}

fn main() {
    let size_name = std::env::var("EASEL_BENCH_SIZE").unwrap_or_else(|_| "small".into());
    let mut data = Vec::new();
    write(Size::named(&size_name).unwrap(), 42, &mut data).unwrap();
    let now = Time::from_millis(0);
    let (mut durable, _) =
        Durable::open(AnyBackend::new(SqliteBackend::in_memory().unwrap())).unwrap();
    let events = import(&durable.state(), data.as_slice()).unwrap();
    durable.import(&events, now).unwrap();
    drop(events);
    let (secret, digest) = easel_server::ids::new_secret().unwrap();
    let issue = Command::IssueToken {
        token: "svc_bench".into(),
        holder: TokenHolder::Service {
            name: "bench".into(),
            org: None,
        },
        digest,
        expires_at: None,
    };
    durable.run(Actor::System, &issue, now).unwrap();
    let token = Arc::new(format!("Bearer svc_bench.{secret}"));
    let (users, boards) = (durable.state().user_count(), durable.state().board_count());

    // The server and the load generator share the machine's cores, as a sidecar would.
    let server = tokio::runtime::Builder::new_multi_thread()
        .thread_name("server")
        .enable_all()
        .build()
        .unwrap();
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("load")
        .enable_all()
        .build()
        .unwrap();
    let engine = Engine::new(durable, Clock::System);
    let app = Arc::new(App {
        engine,
        limits: Limits::default(),
        metrics: easel_server::metrics::Metrics::new(),
        console: Default::default(),
    });
    let easel = start(&server, easel_server::app(app));
    let trivial = start(
        &server,
        Router::new().route(
            "/v1/check",
            post(|| async { axum::Json(serde_json::json!({"allowed": true})) }),
        ),
    );

    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let singles: Vec<Bytes> = (0..10_000)
        .map(|i| Bytes::from(question(&mut rng, users, boards, i).to_string()))
        .collect();
    let batches: Vec<Bytes> = (0..20)
        .map(|_| {
            let checks: Vec<_> = (0..1_000)
                .map(|i| question(&mut rng, users, boards, i))
                .collect();
            Bytes::from(serde_json::json!({ "checks": checks }).to_string())
        })
        .collect();
    let (singles, batches) = (Arc::new(singles), Arc::new(batches));
    println!(
        "dataset {size_name}: {boards} boards, {users} users; {CONNECTIONS} connections, {} s each",
        RUN.as_secs()
    );
    let base = client.block_on(load(
        trivial,
        "/v1/check",
        Arc::clone(&token),
        Arc::clone(&singles),
    ));
    print("trivial axum handler", 1, &base);
    let check = client.block_on(load(easel, "/v1/check", Arc::clone(&token), singles));
    print("/v1/check", 1, &check);
    println!(
        "/v1/check against the trivial handler: {:.0}%",
        100.0 * check.0 / base.0
    );
    let batch = client.block_on(load(easel, "/v1/check/batch", token, batches));
    print("/v1/check/batch of 1,000", 1_000, &batch);
}
