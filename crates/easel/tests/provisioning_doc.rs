//! `docs/provisioning.md` works as printed: its shell commands (```` ```sh ```` and the
//! SCIM walk-through's ```` ```sh scim ````), in order, against the real binary on port 0
//! with a fresh demo.

mod common;

use std::process::Command;

use common::{start, stop};

/// The runnable blocks of the guide but the first (which starts the server): `sh` and
/// `sh scim`; other blocks are shown, not run.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some((true, String::new())),
            (None, "```sh scim") => current = Some((true, String::new())),
            (Some((keep, block)), "```") => {
                if *keep {
                    out.push(std::mem::take(block));
                }
                current = None;
            }
            (Some((_, block)), l) => {
                block.push_str(l);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    out.into_iter().skip(1).collect()
}

#[test]
fn runnable_blocks_are_told_from_shown_ones() {
    let text = "```sh\nstart\n```\n```sh\none\n```\n```sh scim\ntwo\n```\n```\nshown\n```\n";
    assert_eq!(blocks(text), ["one\n", "two\n"]);
}

#[test]
fn the_provisioning_guide_works_as_printed() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/provisioning.md"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let steps = blocks(&guide);
    assert!(steps.len() >= 8, "the guide's steps: {}", steps.len());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = start(&dir.path().join("data"), true);
    let script = format!(
        "set -euo pipefail\nexport EASEL={}\nexport ADMIN={}\nexport OPERATOR={}\nexport SCIM={}\n{}",
        server.base(),
        server.printed("admin token (Ana, company admin):"),
        server.printed("operator token:"),
        server.printed("scim token (3141592653):"),
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
    let lines: Vec<&str> = stdout.lines().collect();
    // What the guide prints, in order: the conflict, the found name, the owner, the guest,
    // the team, the new name, the new owner, the member count, the SCIM base URL, the
    // tokens listed, the operator's token's name, then the SCIM walk-through's answers.
    let expected = [
        "request.conflict",
        "Olga Owner",
        "guest",
        "Design",
        "Globex Corporation",
        "4",
        "/scim/v2",
        "demo identity provider",
        "Okta",
        "Entra ID",
        // SCIM: the user found by filter, the group's one member left, deactivated and
        // reactivated, deleted and then unknown.
        "1",
        "1",
        "false",
        "true",
        "204",
        "404",
    ];
    let mut at = 0;
    for want in expected {
        let found = lines[at..].iter().position(|l| *l == want);
        assert!(found.is_some(), "`{want}` after line {at} in:\n{stdout}");
        at += found.unwrap_or(0) + 1;
    }
}
