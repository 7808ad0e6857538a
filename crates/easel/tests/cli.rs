//! The `easel` binary as a user runs it: import a file, export it back, refuse a bad file
//! by line number, and import the same file twice without change.
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
