//! A connection's life on a real socket: oversized heads answered in the envelope, a
//! request in flight never cut by the connection timeouts, and a graceful shutdown that
//! closes idle connections and lets the request in flight finish.

mod common;

use std::io::Write;
use std::time::Duration;

use common::net::{self, closed_by_server};
use easel_server::Limits;

const CHECK: &str = r#"{"subject": {"user": "usr_gil"}, "action": "board.view", "resource": {"board": "brd_wireframes"}}"#;

fn check_head(token: &str) -> String {
    format!(
        "POST /v1/check HTTP/1.1\r\nHost: easel.test\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        CHECK.len()
    )
}

#[test]
fn an_oversized_target_or_header_is_answered_in_the_envelope() {
    let server = net::serve(Limits::default());
    let limits = Limits::default();

    let long = format!(
        "GET /healthz?pad={} HTTP/1.1\r\n",
        "a".repeat(limits.uri_bytes)
    );
    let r = server.exchange(&long, "");
    assert_eq!(r.status, 414, "{:?}", r.body);
    assert_eq!(r.body["code"], "request.uri_too_long");
    assert_eq!(r.body["status"], 414);
    assert_eq!(r.body["context"]["limit"], limits.uri_bytes);
    assert!(r.body["requestId"].as_str().unwrap().starts_with("req_"));

    let big = format!(
        "GET /healthz HTTP/1.1\r\nCookie: {}\r\n",
        "c".repeat(limits.header_bytes)
    );
    let r = server.exchange(&big, "");
    assert_eq!(r.status, 431, "{:?}", r.body);
    assert_eq!(r.body["code"], "request.headers_too_large");
    assert_eq!(r.body["context"]["limit"], limits.header_bytes);

    // Just under both limits is answered as usual.
    let fits = format!(
        "GET /healthz?p={} HTTP/1.1\r\nX-Pad: {}\r\n",
        "a".repeat(limits.uri_bytes - 200),
        "b".repeat(limits.header_bytes - 400)
    );
    assert_eq!(server.exchange(&fits, "").status, 200);

    // Far beyond, the HTTP parser refuses the head itself, with its own bare 431.
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nCookie: {}\r\n",
        "c".repeat(4 * (limits.uri_bytes + limits.header_bytes))
    );
    assert_eq!(server.exchange(&huge, "").status, 431);
    let many: String = (0..120).map(|i| format!("X-H{i}: v\r\n")).collect();
    let many = format!("GET /healthz HTTP/1.1\r\n{many}");
    assert_eq!(server.exchange(&many, "").status, 431);
    let mut nonsense = server.connect();
    nonsense.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    assert_eq!(net::read_answer(&mut nonsense).status, 400);
    server.join();
}

#[test]
fn a_request_in_flight_outlives_the_connection_timeouts() {
    let server = net::serve(Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let mut stream = server.connect();
    stream
        .write_all(check_head(&server.demo.service_token).as_bytes())
        .unwrap();
    // The head is in: the request is in flight while its body takes its time.
    std::thread::sleep(Duration::from_millis(1_000));
    stream.write_all(CHECK.as_bytes()).unwrap();
    let answer = net::read_answer(&mut stream);
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["allowed"], true);
    server.join();
}

#[test]
fn shutdown_closes_idle_connections_and_finishes_the_request_in_flight() {
    let mut server = net::serve(Limits::default());
    let mut idle = server.connect();
    let mut half = server.connect();
    half.write_all(b"GET /healthz HTTP/1.1\r\n").unwrap();
    let mut busy = server.connect();
    busy.write_all(check_head(&server.demo.service_token).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));

    server.begin_shutdown();
    assert!(closed_by_server(&mut idle), "a silent connection");
    assert!(closed_by_server(&mut half), "a half-sent head");
    // No new connection is taken.
    std::thread::sleep(Duration::from_millis(100));
    let refused = std::net::TcpStream::connect(server.addr);
    assert!(refused.is_err(), "the listener is closed");

    busy.write_all(CHECK.as_bytes()).unwrap();
    let answer = net::read_answer(&mut busy);
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    server.join();
}
