//! `docs/oauth.md` works as printed: its shell commands, in order, against the real binary
//! on port 0 with a fresh demo (curl is the real HTTP client of the whole OAuth flow).

mod common;

use std::process::Command;

use common::{start, stop};

/// The `sh` blocks of the guide, but the first (which starts the server).
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                out.push(std::mem::take(block));
                current = None;
            }
            (Some(block), l) => {
                block.push_str(l);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    out.into_iter().skip(1).collect()
}

#[test]
fn the_oauth_guide_works_as_printed() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/oauth.md"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let steps = blocks(&guide);
    assert!(steps.len() >= 7, "the guide's steps: {}", steps.len());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = start(&dir.path().join("data"), true);
    let script = format!(
        "set -euo pipefail\nexport EASEL={}\nexport ADMIN={}\nexport SERVICE={}\n{}",
        server.base(),
        server.printed("admin token (Ana, company admin):"),
        server.printed("service token (decision API):"),
        steps.join("\n")
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("bash: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    stop(server);
    assert!(
        out.status.success(),
        "the guide failed:\n{stdout}\n{stderr}"
    );
    // What the guide shows: the token's facts, Ana's boards, the refused write, and the
    // refreshed token active, then revoked.
    assert!(stdout.contains("\"scope\": \"boards:read\""), "{stdout}");
    assert!(stdout.contains("\"team_id\": \"team_design\""), "{stdout}");
    assert!(stdout.contains("\"Launch roadmap\""), "{stdout}");
    assert!(stdout.contains("scope.missing"), "{stdout}");
    let actives: Vec<&str> = stdout
        .lines()
        .filter(|l| *l == "true" || *l == "false")
        .collect();
    assert_eq!(actives, ["true", "false"], "{stdout}");
    // Reusing the first refresh token is refused, and kills the newer one too.
    let refused = stdout.lines().filter(|l| *l == "invalid_grant").count();
    assert_eq!(refused, 2, "{stdout}");
}
