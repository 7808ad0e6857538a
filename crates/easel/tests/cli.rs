//! The `easel` binary as a user runs it: import a file, export it back, refuse a bad file
//! by line number, import the same file twice without change, and import changed team
//! settings.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

use std::process::Command;

const RECORDS: &str = r#"{"type":"organization","id":"org_1","name":"Acme","plan":"enterprise"}
{"type":"user","id":"usr_1","email":"ana@acme.test","name":"Ana"}
{"type":"org_member","org":"org_1","user":"usr_1","kind":"member"}
{"type":"team","id":"team_1","org":"org_1","name":"Design"}
{"type":"board","id":"brd_1","team":"team_1","owner":"usr_1","teamAccess":"viewer","organizationAccess":"private","publicAccess":"private"}
"#;

fn easel(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_easel"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env_remove("EASEL_POSTGRES_URL")
        .env_remove("EASEL_PUBLIC_URL")
        .output()
        .unwrap_or_else(|e| panic!("running easel: {e}"))
}

#[test]
fn import_then_export_gives_the_records_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("records.jsonl");
    std::fs::write(&file, RECORDS).unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let path = file.to_string_lossy().into_owned();

    let first = easel(&data, &["import", &path]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = easel(&data, &["import", &path]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to import"));

    let out = easel(&data, &["export"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    let mut want: Vec<String> = RECORDS.lines().map(str::to_string).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn reimporting_changed_team_settings_changes_them() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("records.jsonl");
    let data = dir.path().join("data");
    let path = file.to_string_lossy().into_owned();
    std::fs::write(&file, RECORDS).unwrap_or_else(|e| panic!("{e}"));
    assert!(easel(&data, &["import", &path]).status.success());

    let team = r#"{"type":"team","id":"team_1","org":"org_1","name":"Design"}"#;
    let changed = r#"{"type":"team","id":"team_1","org":"org_1","name":"Design","settings":{"board_moving":false}}"#;
    std::fs::write(&file, RECORDS.replace(team, changed)).unwrap_or_else(|e| panic!("{e}"));
    let again = easel(&data, &["import", &path]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("imported 1 events"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let out = easel(&data, &["export"]);
    let exported = String::from_utf8_lossy(&out.stdout);
    let line = exported
        .lines()
        .find(|l| l.contains(r#""type":"team""#))
        .unwrap_or_else(|| panic!("no team exported: {exported}"));
    let record: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        record["settings"]["board_moving"],
        serde_json::Value::Bool(false),
        "{line}"
    );
}

#[test]
fn a_bad_file_is_refused_with_its_line_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("bad.jsonl");
    std::fs::write(
        &file,
        RECORDS.replace("\"kind\":\"member\"", "\"kind\":\"boss\""),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let out = easel(&data, &["import", &file.to_string_lossy()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
    let export = easel(&data, &["export"]);
    assert!(export.status.success());
    assert!(export.stdout.is_empty(), "nothing was imported");
}

#[test]
fn check_explain_tokens_and_migrate_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let migrated = easel(&data, &["migrate"]);
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert!(String::from_utf8_lossy(&migrated.stderr).contains("schema up to date"));
    let file = dir.path().join("records.jsonl");
    std::fs::write(&file, RECORDS).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        easel(&data, &["import", &file.to_string_lossy()])
            .status
            .success()
    );

    let check = easel(
        &data,
        &[
            "check",
            "--user",
            "usr_1",
            "--action",
            "board.delete",
            "--board",
            "brd_1",
        ],
    );
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let answer: serde_json::Value =
        serde_json::from_slice(&check.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer["allowed"], true);
    assert_eq!(answer["role"], "owner");

    let explain = easel(
        &data,
        &["explain", "--action", "board.view", "--board", "brd_1"],
    );
    assert!(explain.status.success());
    let explained: serde_json::Value =
        serde_json::from_slice(&explain.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        explained["allowed"], false,
        "an anonymous visitor without a link"
    );
    assert!(
        explained["layers"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
    );

    let unknown = easel(
        &data,
        &[
            "check",
            "--user",
            "usr_1",
            "--action",
            "board.fly",
            "--board",
            "brd_1",
        ],
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("request.unknown_action"));

    let token = easel(
        &data,
        &[
            "token",
            "create",
            "--user",
            "usr_1",
            "--expires-in-days",
            "30",
        ],
    );
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let printed = String::from_utf8_lossy(&token.stdout).trim().to_string();
    let (id, secret) = printed
        .rsplit_once('.')
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(id.starts_with("pat_") && secret.len() == 64, "{printed}");
    let service = easel(
        &data,
        &["token", "create", "--service", "search", "--org", "org_1"],
    );
    assert!(
        service.status.success(),
        "{}",
        String::from_utf8_lossy(&service.stderr)
    );
    let nobody = easel(&data, &["token", "create", "--user", "usr_nobody"]);
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("request.not_found"));
    let revoked = easel(&data, &["token", "revoke", id]);
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );

    // The secret is stored nowhere: only its digest is in the database.
    let needle = secret.as_bytes();
    for entry in std::fs::read_dir(&data)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the secret is not in {}",
            entry.path().display()
        );
    }
}

#[test]
fn login_link_prints_a_one_time_link_for_a_member() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let file = dir.path().join("records.jsonl");
    std::fs::write(&file, RECORDS).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        easel(&data, &["import", &file.to_string_lossy()])
            .status
            .success()
    );
    let made = easel(
        &data,
        &[
            "login-link",
            "--user",
            "usr_1",
            "--org",
            "org_1",
            "--base",
            "https://easel.example/",
            "--next",
            "/ui/boards",
        ],
    );
    let stderr = String::from_utf8_lossy(&made.stderr);
    assert!(made.status.success(), "{stderr}");
    assert!(stderr.contains("works once, within 15 minutes"), "{stderr}");
    let url = String::from_utf8_lossy(&made.stdout).trim().to_string();
    let text = url
        .strip_prefix("https://easel.example/ui/sign-in?link=")
        .and_then(|rest| rest.strip_suffix("&next=%2Fui%2Fboards"))
        .unwrap_or_else(|| panic!("{url}"));
    let (id, secret) = text.rsplit_once('.').unwrap_or_else(|| panic!("{url}"));
    assert!(id.starts_with("lnk_") && secret.len() == 64, "{url}");

    // By default, the address the server listens on.
    let plain = easel(&data, &["login-link", "--user", "usr_1"]);
    assert!(plain.status.success());
    assert!(
        String::from_utf8_lossy(&plain.stdout)
            .starts_with("http://127.0.0.1:8080/ui/sign-in?link=lnk_"),
        "{}",
        String::from_utf8_lossy(&plain.stdout)
    );
    // No one outside the organization, and only console pages to open.
    let nobody = easel(&data, &["login-link", "--user", "usr_nobody"]);
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("request.not_found"));
    let elsewhere = easel(
        &data,
        &[
            "login-link",
            "--user",
            "usr_1",
            "--next",
            "https://evil.example/",
        ],
    );
    assert!(!elsewhere.status.success());
    assert!(String::from_utf8_lossy(&elsewhere.stderr).contains("/ui/"));

    // The store holds the link, bound to the organization, with only the secret's digest.
    let backend =
        easel_store::SqliteBackend::open(&data.join("easel.db")).unwrap_or_else(|e| panic!("{e}"));
    let (durable, _) = easel_store::Durable::open(backend).unwrap_or_else(|e| panic!("{e}"));
    let state = durable.state();
    let link = state
        .find_sign_in_link(id)
        .and_then(|l| state.sign_in_link(l))
        .unwrap_or_else(|| panic!("no link `{id}`"));
    assert!(link.digest.matches(secret) && !link.used);
    assert_eq!(
        link.org
            .and_then(|o| state.org(o))
            .map(|o| o.id.to_string()),
        Some("org_1".to_string())
    );
    drop(state);
    drop(durable);
    let needle = secret.as_bytes();
    for entry in std::fs::read_dir(&data)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the secret is not in {}",
            entry.path().display()
        );
    }
}

#[test]
fn bench_data_is_deterministic_and_imports() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = |seed: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_easel"))
            .args(["bench-data", "--size", "tiny", "--seed", seed])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run("7");
    assert_eq!(first, run("7"), "the same seed gives the same data");
    assert_ne!(first, run("8"), "another seed, other data");
    let text = String::from_utf8_lossy(&first);
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(r#""type":"board""#))
            .count(),
        200
    );
    let file = dir.path().join("tiny.jsonl");
    std::fs::write(&file, &first).unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let imported = easel(&data, &["import", &file.to_string_lossy()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_easel"))
        .args(["bench-data", "--size", "huge"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!bad.status.success());
}
