//! Running the real `easel` binary in tests: start `easel serve` on port 0 and read its
//! banner, run shell lines, stop it with SIGTERM.
#![allow(dead_code, reason = "each test binary uses part of this module")]
// `allow`, not `expect`: the module is included by several test binaries.
#![allow(clippy::panic, reason = "test code: a failed expectation is a panic")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server and the banner it printed.
pub struct Server {
    pub child: Child,
    pub lines: Vec<String>,
}

/// Starts `easel serve` and reads its banner: up to the third `curl` line (a fresh demo) or
/// the listening line (a restart).
pub fn start(data: &std::path::Path, expect_demo: bool) -> Server {
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

pub fn sh(line: &str) -> String {
    let out = Command::new("sh")
        .args(["-c", line])
        .output()
        .unwrap_or_else(|e| panic!("running `{line}`: {e}"));
    assert!(out.status.success(), "`{line}` failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn stop(mut server: Server) {
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

impl Server {
    /// The base URL it listens on.
    pub fn base(&self) -> String {
        self.lines
            .iter()
            .find_map(|l| l.strip_prefix("Easel is listening on "))
            .unwrap_or_else(|| panic!("no address in {:?}", self.lines))
            .to_string()
    }

    /// A token printed after `label`.
    pub fn printed(&self, label: &str) -> String {
        self.lines
            .iter()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|| panic!("no `{label}` in {:?}", self.lines))
    }
}
