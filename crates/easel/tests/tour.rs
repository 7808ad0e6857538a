//! The README's tour, on the real binary: `easel serve` on port 0 with an empty data folder
//! creates the demo organization and prints tokens and three `curl` commands; each works as
//! printed; SIGTERM stops the server cleanly; a restart keeps the data and makes no second
//! demo.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    lines: Vec<String>,
}

/// Starts `easel serve` and reads its banner: up to the third `curl` line (a fresh demo) or
/// the listening line (a restart).
fn start(data: &std::path::Path, expect_demo: bool) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_easel"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .env_remove("EASEL_POSTGRES_URL")
        .env_remove("EASEL_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting easel: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("reading the banner: {e}"));
        assert!(n > 0, "the server stopped early: {lines:?}");
        lines.push(line.trim_end().to_string());
        let curls = lines
            .iter()
            .filter(|l| l.trim_start().starts_with("curl "))
            .count();
        if (expect_demo && curls == 3) || (!expect_demo && line.contains("listening on")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no banner within a minute: {lines:?}"
        );
    }
    Server { child, lines }
}

fn sh(line: &str) -> String {
    let out = Command::new("sh")
        .args(["-c", line])
        .output()
        .unwrap_or_else(|e| panic!("running `{line}`: {e}"));
    assert!(out.status.success(), "`{line}` failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn stop(mut server: Server) {
    let pid = server.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = server.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            assert!(status.success(), "a clean exit on SIGTERM: {status}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_readme_tour_works_as_printed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let server = start(&data, true);
    let curls: Vec<String> = server
        .lines
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| l.starts_with("curl "))
        .collect();
    let admin = server
        .lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("admin token (Ana, company admin): "))
        .unwrap_or_else(|| panic!("no admin token in {:?}", server.lines))
        .to_string();

    // 1. The boards Ana can see.
    let boards = json(&sh(&curls[0]));
    let ids: Vec<&str> = boards["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{boards}"))
        .iter()
        .filter_map(|b| b["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"brd_brand") && ids.contains(&"brd_roadmap"),
        "{boards}"
    );
    // 2. May Gil, a guest and commenter, edit the wireframes? No, and why.
    let answer = json(&sh(&curls[1]));
    assert_eq!(answer["allowed"], false, "{answer}");
    assert_eq!(
        answer["deniedBy"]["code"], "authority.role_too_low",
        "{answer}"
    );
    // 3. Everyone with access to the roadmap, and through which channel.
    let access = json(&sh(&curls[2]));
    let cy = access["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{access}"))
        .iter()
        .find(|a| a["id"] == "usr_cy")
        .unwrap_or_else(|| panic!("{access}"));
    assert!(
        cy["channels"]
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x["channel"] == "project")),
        "{access}"
    );
    stop(server);

    // A restart: the same data, no second demo, and the token from the first start works.
    let again = start(&data, false);
    assert!(
        !again.lines.iter().any(|l| l.contains("demo organization")),
        "{:?}",
        again.lines
    );
    let base2 = again
        .lines
        .iter()
        .find_map(|l| l.strip_prefix("Easel is listening on "))
        .unwrap_or_else(|| panic!("no address"))
        .to_string();
    let boards = json(&sh(&format!(
        "curl -s {base2}/v2/boards -H 'Authorization: Bearer {admin}'"
    )));
    assert!(
        boards["data"].as_array().is_some_and(|d| !d.is_empty()),
        "{boards}"
    );
    stop(again);
}
