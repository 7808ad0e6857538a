//! Generated documentation stays current: `docs/reason-codes.md` is the code table.

use std::path::Path;

#[test]
fn reason_codes_page_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reason-codes.md");
    let want = easel_core::codes::reference_markdown();
    if std::env::var_os("EASEL_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/reason-codes.md is out of date: run `EASEL_BLESS=1 cargo test -p easel-core --test docs`"
    );
}

#[test]
fn codes_are_unique_and_layered() {
    let mut seen = std::collections::BTreeSet::new();
    for code in easel_core::Code::ALL {
        assert!(
            seen.insert(code.as_str()),
            "duplicate code {}",
            code.as_str()
        );
        assert!(
            code.as_str().starts_with(code.layer().as_str()),
            "{} is filed under {}",
            code.as_str(),
            code.layer()
        );
        assert_eq!(easel_core::Code::parse(code.as_str()), Some(*code));
    }
}

/// Every command type, from serde's own list of the variants it accepts.
fn command_names() -> Vec<String> {
    let err = match toml::from_str::<easel_core::command::Command>("type = \"no_such_command\"") {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    };
    let list = err.split("expected one of").nth(1).unwrap_or_default();
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_is_documented() {
    let names = command_names();
    assert!(
        names.len() > 50,
        "could not read the command names: {names:?}"
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/commands.md");
    let page = std::fs::read_to_string(&path).unwrap_or_default();
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !page.contains(&format!("`{n}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/commands.md does not describe: {missing:?}"
    );
}
