//! Hostile clients on a real socket: thousands of sockets that send nothing or half a
//! request head leave the server answering everyone else, the server closes them itself
//! once their time is up, and at the connection limit a newcomer takes the place of the
//! connection idle the longest.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use common::net::{self, Served, closed_by_server, still_open};
use easel_server::Limits;

const HALF_HEAD: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: easel.test\r\n";

/// `silent` sockets that send nothing and `half` that send half a request head.
fn flood(server: &Served, silent: usize, half: usize) -> Vec<TcpStream> {
    let mut sockets = Vec::with_capacity(silent + half);
    for i in 0..silent + half {
        let mut stream = server.connect();
        if i >= silent {
            stream.write_all(HALF_HEAD).unwrap();
        }
        sockets.push(stream);
    }
    sockets
}

fn short_timeouts() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(300),
        ..Limits::default()
    }
}

#[test]
fn a_flood_of_silent_and_half_sent_sockets_leaves_the_server_answering() {
    // Timeouts long enough that the flood is still connected when it is looked at, however
    // slowly a loaded machine opens it (the default header timeout is 10 seconds).
    let server = net::serve(Limits {
        header_read_timeout: Duration::from_secs(120),
        idle_timeout: Duration::from_secs(120),
        ..Limits::default()
    });
    let silent = net::socket_budget(2_000);
    let half = net::socket_budget(300);
    let mut sockets = flood(&server, silent, half);

    let health = server.healthz();
    assert_eq!(health.status, 200, "{:?}", health.body);
    let check = server.check();
    assert_eq!(check.status, 200, "{:?}", check.body);
    assert_eq!(check.body["allowed"], true, "{:?}", check.body);

    // The flood is still connected: the server answered alongside it, not after shedding
    // it.
    assert!(still_open(&mut sockets[0], Duration::from_millis(100)));
    assert!(still_open(
        &mut sockets[silent + half - 1],
        Duration::from_millis(100)
    ));
    drop(sockets);
    server.join();
}

#[test]
fn with_short_timeouts_the_server_closes_the_flood_itself() {
    let server = net::serve(short_timeouts());
    let silent = net::socket_budget(500);
    let half = net::socket_budget(100);
    let mut sockets = flood(&server, silent, half);

    // A kept-alive connection that was answered once and then sent nothing.
    let mut kept = server.connect();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: easel.test\r\n\r\n")
        .unwrap();
    let mut answer = [0u8; 12];
    std::io::Read::read_exact(&mut kept, &mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");

    // A head sent a byte at a time, each in good time but the whole too slowly.
    let mut slow = server.connect();
    let mut dripping = slow.try_clone().unwrap();
    let drip = std::thread::spawn(move || {
        for byte in HALF_HEAD.iter().cycle().take(60) {
            if dripping.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });

    for (i, socket) in sockets.iter_mut().enumerate() {
        assert!(closed_by_server(socket), "flood socket {i} is still open");
    }
    assert!(
        closed_by_server(&mut kept),
        "the idle kept-alive connection"
    );
    assert!(closed_by_server(&mut slow), "the slow head");
    drip.join().unwrap();

    // And the server still answers.
    assert_eq!(server.healthz().status, 200);
    server.join();
}

#[test]
fn at_the_limit_a_newcomer_is_served_and_the_longest_idle_closed() {
    let server = net::serve(Limits {
        max_connections: 3,
        ..Limits::default()
    });
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(server.connect());
        // Accepted in this order, at distinct milliseconds.
        std::thread::sleep(Duration::from_millis(50));
    }
    let health = server.healthz();
    assert_eq!(health.status, 200, "{:?}", health.body);
    assert!(closed_by_server(&mut open[0]), "the longest idle made room");
    assert!(still_open(&mut open[1], Duration::from_millis(200)));
    assert!(still_open(&mut open[2], Duration::from_millis(200)));
    drop(open);
    server.join();
}

#[test]
fn when_every_connection_has_a_request_in_flight_a_newcomer_is_closed() {
    let server = net::serve(Limits {
        max_connections: 2,
        ..Limits::default()
    });
    // Two checks whose heads are in and whose bodies are not: both in flight.
    let body = r#"{"subject": {"user": "usr_gil"}, "action": "board.view", "resource": {"board": "brd_wireframes"}}"#;
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nHost: easel.test\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.demo.service_token,
        body.len()
    );
    let mut busy: Vec<TcpStream> = (0..2).map(|_| server.connect()).collect();
    for stream in &mut busy {
        stream.write_all(head.as_bytes()).unwrap();
    }
    std::thread::sleep(Duration::from_millis(200));

    let mut newcomer = server.connect();
    assert!(closed_by_server(&mut newcomer), "no room, and nobody idle");

    for stream in &mut busy {
        stream.write_all(body.as_bytes()).unwrap();
        let answer = net::read_answer(stream);
        assert_eq!(answer.status, 200, "{:?}", answer.body);
    }
    // With both answered, there is room again.
    assert_eq!(server.healthz().status, 200);
    server.join();
}
