//! The real server killed with SIGKILL while clients write over HTTP, several times: after
//! each restart every write that was answered 2xx is there, and no write is half there.
//! Each write changes two things at once (a board's name and description with its team
//! access, as two commands of one request; or a new board with its name), so a write cut
//! in half would show as a board whose fields disagree.

#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Server, start};
use serde_json::{Value, json};

/// How many times the server is killed.
const ROUNDS: u64 = 10;
/// Clients writing at once.
const WRITERS: usize = 4;
/// The team access a board is given by its `i`-th update, in the reference's spellings,
/// which Easel writes (and reads).
const ACCESS: [&str; 3] = ["view", "comment", "edit"];

/// One HTTP/1.1 exchange on a new connection; `None` when the server is gone (refused,
/// reset, or closed before a whole answer).
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: easel.test\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split(' ').nth(1)?.parse().ok()?;
    // A body cut short by the kill is no answer.
    let value = serde_json::from_str(body).ok()?;
    Some((status, value))
}

fn addr(server: &Server) -> SocketAddr {
    let base = server.base();
    base.trim_start_matches("http://")
        .parse()
        .unwrap_or_else(|e| panic!("{base}: {e}"))
}

/// What one writer has done, over every round.
#[derive(Default)]
struct Writer {
    board: String,
    /// The last update answered 2xx, and the last one sent.
    acked_update: Option<u64>,
    sent_update: Option<u64>,
    /// The boards it created and was answered for: id and name.
    created: Vec<(String, String)>,
    /// Creations sent, answered or not.
    create_attempts: usize,
}

/// Writes until the server is gone: updates of the writer's board, and every third write
/// a new board.
fn write_until_killed(addr: SocketAddr, token: &str, k: usize, writer: &Mutex<Writer>) {
    loop {
        let (board, next, create) = {
            let w = writer.lock().unwrap_or_else(|e| panic!("{e}"));
            let next = w.sent_update.map_or(0, |i| i + 1);
            (w.board.clone(), next, next % 3 == 2)
        };
        if create {
            let name = format!("c-{k}-{next}");
            writer
                .lock()
                .unwrap_or_else(|e| panic!("{e}"))
                .create_attempts += 1;
            let body = json!({"name": name, "teamId": "team_design"});
            let Some((status, answer)) = request(addr, "POST", "/v2/boards", token, Some(&body))
            else {
                return;
            };
            assert_eq!(status, 201, "creating {name}: {answer}");
            let id = answer["id"].as_str().unwrap_or_default().to_string();
            let mut w = writer.lock().unwrap_or_else(|e| panic!("{e}"));
            w.created.push((id, name));
        }
        writer.lock().unwrap_or_else(|e| panic!("{e}")).sent_update = Some(next);
        let body = json!({
            "name": format!("n-{next}"),
            "description": format!("d-{next}"),
            "policy": {"sharingPolicy": {"teamAccess": ACCESS[(next % 3) as usize]}},
        });
        let path = format!("/v2/boards/{board}");
        let Some((status, answer)) = request(addr, "PATCH", &path, token, Some(&body)) else {
            return;
        };
        assert_eq!(status, 200, "updating {board}: {answer}");
        writer.lock().unwrap_or_else(|e| panic!("{e}")).acked_update = Some(next);
    }
}

/// Every acknowledged write is there, and each board's fields agree with one update.
fn verify(addr: SocketAddr, token: &str, writers: &[Arc<Mutex<Writer>>], round: u64) {
    let mut created_names = 0;
    let mut attempts = 0;
    for writer in writers {
        let mut w = writer.lock().unwrap_or_else(|e| panic!("{e}"));
        let path = format!("/v2/boards/{}", w.board);
        let (status, board) = request(addr, "GET", &path, token, None)
            .unwrap_or_else(|| panic!("no answer after kill {round}"));
        assert_eq!(status, 200, "{board}");
        let name = board["name"].as_str().unwrap_or_default();
        if let Some(sent) = w.sent_update {
            let j: u64 = name
                .strip_prefix("n-")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("after kill {round}, no update in {board}"));
            assert!(
                Some(j) == w.acked_update || j == sent,
                "after kill {round}, {} shows update {j}; acknowledged {:?}, sent {sent}",
                w.board,
                w.acked_update
            );
            assert_eq!(
                board["description"],
                format!("d-{j}"),
                "half written: {board}"
            );
            assert_eq!(
                board["policy"]["sharingPolicy"]["teamAccess"],
                ACCESS[(j % 3) as usize],
                "half written: {board}"
            );
            // What the restart shows is durable: an update in flight at the kill may have
            // committed unanswered, and the next round starts from it.
            w.acked_update = Some(j);
        }
        for (id, name) in &w.created {
            let (status, board) = request(addr, "GET", &format!("/v2/boards/{id}"), token, None)
                .unwrap_or_else(|| panic!("no answer after kill {round}"));
            assert_eq!(
                status, 200,
                "acknowledged board {name} lost after kill {round}"
            );
            assert_eq!(board["name"], name.as_str());
        }
        created_names += w.created.len();
        attempts += w.create_attempts;
    }
    // No creation appears twice or out of nowhere: between those answered and those sent.
    let listed = count_created(addr, token);
    assert!(
        created_names <= listed && listed <= attempts,
        "after kill {round}: {listed} created boards listed, {created_names} acknowledged, {attempts} sent"
    );
}

/// The boards named `c-…` that the admin sees.
fn count_created(addr: SocketAddr, token: &str) -> usize {
    let mut count = 0;
    let mut cursor: Option<String> = None;
    for _ in 0..1_000 {
        let mut path = "/v2/boards?query=c-&limit=50".to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, page) =
            request(addr, "GET", &path, token, None).unwrap_or_else(|| panic!("no answer"));
        assert_eq!(status, 200, "{page}");
        count += page["data"].as_array().map_or(0, |d| {
            d.iter()
                .filter(|b| b["name"].as_str().is_some_and(|n| n.starts_with("c-")))
                .count()
        });
        match page["cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return count,
        }
    }
    panic!("the board list did not end");
}

#[test]
fn answered_writes_survive_sigkill_of_the_server_and_none_is_half_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let mut server = start(&data, true);
    let token = server.printed("admin token (Ana, company admin):");

    let writers: Vec<Arc<Mutex<Writer>>> = (0..WRITERS)
        .map(|k| {
            let body = json!({"name": format!("w-{k}"), "teamId": "team_design"});
            let (status, board) = request(addr(&server), "POST", "/v2/boards", &token, Some(&body))
                .unwrap_or_else(|| panic!("no answer"));
            assert_eq!(status, 201, "{board}");
            let id = board["id"].as_str().unwrap_or_default().to_string();
            Arc::new(Mutex::new(Writer {
                board: id,
                ..Writer::default()
            }))
        })
        .collect();

    for round in 0..ROUNDS {
        let at = addr(&server);
        let threads: Vec<_> = writers
            .iter()
            .enumerate()
            .map(|(k, writer)| {
                let writer = Arc::clone(writer);
                let token = token.clone();
                std::thread::spawn(move || write_until_killed(at, &token, k, &writer))
            })
            .collect();
        // A different moment in each round, so kills land all along the write path.
        std::thread::sleep(Duration::from_millis(150 + (round * 233) % 600));
        server.child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = server.child.wait();
        for t in threads {
            t.join().unwrap_or_else(|_| panic!("a writer failed"));
        }

        server = start(&data, false);
        verify(addr(&server), &token, &writers, round);
    }
    let total: u64 = writers
        .iter()
        .map(|w| {
            w.lock()
                .unwrap_or_else(|e| panic!("{e}"))
                .acked_update
                .map_or(0, |i| i + 1)
        })
        .sum();
    assert!(total > 0, "no write was answered before any kill");
    common::stop(server);
}
