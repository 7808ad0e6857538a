//! The contract test: every operation of the reference platform's OpenAPI document that
//! Easel covers (`spec/reference/platform-openapi.json`; its SCIM operations at Easel's
//! SCIM base, `/scim/v2`) is called against the demo organization, and each answer is checked against that document: the status it
//! documents and the schema of that status's body, formats included. The requests
//! themselves are checked against the document's parameters and request bodies first, so a
//! case cannot pass by asking something a reference client would never send.
//!
//! Cases live per resource in the modules below and run in order on one server, so a case
//! may use what an earlier one created (`save`). An operation listed in its module's
//! `PENDING` must still fail; one that passes must leave the list.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

#[path = "../common/mod.rs"]
mod common;

mod boards;
mod compliance;
mod groups;
mod oauth;
mod organizations;
mod projects;
mod scim;
mod teams;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::Method;
use serde_json::{Value, json};

/// One call of a reference operation.
pub struct Case {
    /// The reference document's `operationId`.
    pub op: &'static str,
    method: Method,
    /// The path and query; `{name}` is replaced by a saved value.
    path: String,
    body: Option<Value>,
    status: u16,
    saves: Vec<(&'static str, &'static str)>,
    token: Token,
    body_checked: bool,
}

/// Whose credential a case presents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// Ana: the demo organization's owner and company admin.
    Admin,
    /// A saved value holding a bearer token (an app token made by an earlier case).
    Saved(&'static str),
    /// The demo organization's SCIM token.
    Scim,
    /// No credential.
    None,
}

impl Case {
    /// A call that answers 200 with Ana's token.
    pub fn new(op: &'static str, method: Method, path: &str) -> Case {
        Case {
            op,
            method,
            path: path.to_string(),
            body: None,
            status: 200,
            saves: Vec::new(),
            token: Token::Admin,
            body_checked: true,
        }
    }

    /// `GET path`.
    pub fn get(op: &'static str, path: &str) -> Case {
        Case::new(op, Method::GET, path)
    }

    /// The JSON body sent.
    pub fn body(mut self, body: Value) -> Case {
        self.body = Some(body);
        self
    }

    /// The status the reference documents for this call.
    pub fn status(mut self, status: u16) -> Case {
        self.status = status;
        self
    }

    /// Keeps the answer's value at `pointer` (`/id`) as `{name}` for later cases.
    pub fn save(mut self, name: &'static str, pointer: &'static str) -> Case {
        self.saves.push((name, pointer));
        self
    }

    /// Sends a body the reference's own request schema refuses, where that schema is
    /// wrong (`why` says how); the reference's clients send this body.
    pub fn unchecked_body(mut self, why: &'static str) -> Case {
        assert!(!why.is_empty());
        self.body_checked = false;
        self
    }

    /// Presents another credential.
    pub fn token(mut self, token: Token) -> Case {
        self.token = token;
        self
    }
}

/// The reference platform's document as the specification gives it
/// (`spec/reference/platform-openapi.json`), copied here so that the test runs in any
/// checkout; `the_copy_is_the_specification` compares the two where the specification is
/// beside the checkout.
const REFERENCE: &str = include_str!("platform-openapi.json");

/// The reference document, with a validator per schema asked for.
struct Reference {
    doc: Value,
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

impl Reference {
    fn load() -> Reference {
        Reference {
            doc: serde_json::from_str(REFERENCE).expect("the reference document"),
        }
    }

    /// Every covered operation: `operationId → (method, path)`.
    fn operations(&self) -> BTreeMap<String, (String, String)> {
        let mut ops = BTreeMap::new();
        for (path, item) in self.doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if let Some(id) = op["operationId"].as_str() {
                    ops.insert(id.to_string(), (method.clone(), path.clone()));
                }
            }
        }
        ops
    }

    /// Errors of `value` against the schema at `pointer` of the document.
    fn check(&self, pointer: &str, value: &Value) -> Vec<String> {
        let mut schema = self.doc.clone();
        // A URI fragment: the braces of path templates are percent-encoded.
        let fragment = pointer.replace('{', "%7B").replace('}', "%7D");
        schema["$ref"] = json!(format!("#{fragment}"));
        let validator = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("the schema at {pointer}: {e}"));
        validator
            .iter_errors(value)
            .map(|e| format!("{} at `{}`", e, e.instance_path()))
            .collect()
    }

    fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            v = self.doc.pointer(r.trim_start_matches('#')).unwrap();
        }
        v
    }
}

/// What went wrong with one case, or nothing.
fn run_checks(
    reference: &Reference,
    ops: &BTreeMap<String, (String, String)>,
    case: &Case,
    path: &str,
    status: u16,
    body: &Value,
) -> Vec<String> {
    let Some((method, template)) = ops.get(case.op) else {
        return vec![format!("`{}` is no operation of the reference", case.op)];
    };
    let mut problems = Vec::new();
    if !method.eq_ignore_ascii_case(case.method.as_str()) {
        problems.push(format!("the reference's method is {method}"));
    }
    let op_pointer = format!("/paths/{}/{method}", escape(template));
    let op = reference.doc.pointer(&op_pointer).unwrap();
    // The request must be one the reference allows: known query parameters, valid body.
    let known: BTreeSet<String> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| reference.resolve(p))
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    if let Some((_, query)) = path.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split('=').next().unwrap_or("");
            if !known.contains(name) {
                problems.push(format!(
                    "the case sends query parameter `{name}`, not in the reference"
                ));
            }
        }
    }
    if let Some(sent) = case.body.as_ref().filter(|_| case.body_checked) {
        let body_pointer = format!("{op_pointer}/requestBody/content/application~1json/schema");
        if reference.doc.pointer(&body_pointer).is_some() {
            for e in reference.check(&body_pointer, sent) {
                problems.push(format!("the case's body is not the reference's: {e}"));
            }
        }
    }
    if status != case.status {
        problems.push(format!(
            "answered {status}, the reference documents {}: {body}",
            case.status
        ));
        return problems;
    }
    let response = format!("{op_pointer}/responses/{status}");
    let Some(documented) = reference.doc.pointer(&response) else {
        problems.push(format!("the reference documents no {status}"));
        return problems;
    };
    let documented = reference.resolve(documented);
    // A 204 has no body by definition (RFC 9110 §15.3.5), whatever schema a document gives it.
    let schema = documented
        .pointer("/content/application~1json/schema")
        .filter(|_| status != 204)
        .map(|_| format!("{response}/content/application~1json/schema"));
    match schema {
        Some(pointer) => problems.extend(reference.check(&pointer, body)),
        None if body.is_null() => {}
        None => problems.push(format!(
            "the reference documents no body, Easel sent {body}"
        )),
    }
    problems
}

#[tokio::test]
async fn the_reference_operations_answer_in_the_reference_shapes() {
    let reference = Reference::load();
    let ops = reference.operations();
    let (app, demo) = common::demo_app();
    // The app tokens the OAuth cases present come from Easel's own OAuth flow.
    let mut saved: BTreeMap<&'static str, String> = oauth::setup(&app, &demo.service_token)
        .await
        .into_iter()
        .collect();
    let modules: [(&str, Vec<Case>, &[&str]); 8] = [
        (
            "organizations",
            organizations::cases(),
            organizations::PENDING,
        ),
        ("teams", teams::cases(), teams::PENDING),
        ("projects", projects::cases(), projects::PENDING),
        ("groups", groups::cases(), groups::PENDING),
        ("boards", boards::cases(), boards::PENDING),
        ("compliance", compliance::cases(), compliance::PENDING),
        ("oauth", oauth::cases(), oauth::PENDING),
        ("scim", scim::cases(), scim::PENDING),
    ];
    let mut covered = BTreeSet::new();
    let mut failures: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut pending = BTreeSet::new();
    for (module, cases, module_pending) in modules {
        pending.extend(module_pending.iter().copied());
        for case in cases {
            covered.insert(case.op);
            let mut path = case.path.clone();
            for (name, value) in &saved {
                path = path.replace(&format!("{{{name}}}"), value);
            }
            let token = match case.token {
                Token::Admin => Some(demo.admin_token.clone()),
                Token::Saved(name) => saved.get(name).cloned(),
                Token::Scim => Some(demo.scim_token.clone()),
                Token::None => None,
            };
            // Saved values are replaced in the body's strings too.
            let body = case.body.as_ref().map(|b| {
                let mut text = b.to_string();
                for (name, value) in &saved {
                    text = text.replace(&format!("{{{name}}}"), value);
                }
                serde_json::from_str::<Value>(&text).unwrap()
            });
            let reply = app
                .call(case.method.clone(), &path, token.as_deref(), body)
                .await;
            let problems = run_checks(
                &reference,
                &ops,
                &case,
                &path,
                reply.status.as_u16(),
                &reply.body,
            );
            if problems.is_empty() {
                for (name, pointer) in &case.saves {
                    let value = reply.body.pointer(pointer).unwrap_or(&Value::Null);
                    let value = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string);
                    saved.insert(name, value);
                }
            } else {
                failures.entry(case.op).or_default().extend(
                    problems
                        .into_iter()
                        .map(|p| format!("[{module}] {} {} {path}: {p}", case.op, case.method)),
                );
            }
        }
    }
    let uncovered: Vec<_> = ops
        .keys()
        .filter(|op| !covered.contains(op.as_str()))
        .collect();
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|(op, _)| !pending.contains(*op))
        .flat_map(|(_, p)| p.iter().cloned())
        .collect();
    let passing: Vec<_> = pending
        .iter()
        .filter(|op| !failures.contains_key(*op))
        .collect();
    eprintln!(
        "{} operations, {} covered, {} failing ({} pending)",
        ops.len(),
        covered.len(),
        failures.len(),
        pending.len()
    );
    for (op, problems) in &failures {
        if pending.contains(op) {
            for p in problems {
                eprintln!("pending {op}: {p}");
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "operations without a case: {uncovered:?}"
    );
    assert!(unexpected.is_empty(), "failing:\n{}", unexpected.join("\n"));
    assert!(
        passing.is_empty(),
        "these pass now; take them out of PENDING: {passing:?}"
    );
}

/// Every operation of the reference that answers in its shape is in Easel's document under
/// the same method, path and `operationId`, so that a client generated from either names
/// it alike.
#[test]
fn the_document_names_the_reference_operations_as_the_reference_does() {
    let reference = Reference::load();
    let easel = easel_server::openapi::document();
    let pending: BTreeSet<&str> = [
        organizations::PENDING,
        teams::PENDING,
        projects::PENDING,
        groups::PENDING,
        boards::PENDING,
        compliance::PENDING,
        oauth::PENDING,
        scim::PENDING,
    ]
    .concat()
    .into_iter()
    .collect();
    let mut wrong = Vec::new();
    for (op, (method, path)) in reference.operations() {
        if pending.contains(op.as_str()) {
            continue;
        }
        let ours = easel
            .pointer(&format!(
                "/paths/{}/{method}/operationId",
                escape(&easel_path(&path))
            ))
            .and_then(Value::as_str);
        if ours != Some(op.as_str()) {
            wrong.push(format!(
                "{method} {path}: `{op}` in the reference, {ours:?} in Easel's"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Where Easel serves a reference path: SCIM's under Easel's SCIM base.
fn easel_path(reference: &str) -> String {
    if reference.starts_with("/v") {
        reference.to_string()
    } else {
        format!("/scim/v2{reference}")
    }
}

/// The properties an answer's schema names at its top level and, for a list, in its items:
/// `$ref`s and `allOf`s followed, in the document `doc`.
fn answer_properties(doc: &Value, schema: &Value) -> BTreeSet<String> {
    fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
        while let Some(r) = v.get("$ref").and_then(Value::as_str) {
            match doc.pointer(r.trim_start_matches('#')) {
                Some(next) => v = next,
                None => break,
            }
        }
        v
    }
    fn collect(doc: &Value, schema: &Value, prefix: &str, out: &mut BTreeSet<String>, depth: u8) {
        let schema = resolve(doc, schema);
        for part in ["allOf", "oneOf", "anyOf"] {
            for s in schema[part].as_array().into_iter().flatten() {
                collect(doc, s, prefix, out, depth);
            }
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            out.insert(format!("{prefix}{name}"));
            let property = resolve(doc, property);
            if name == "data" && depth == 0 {
                collect(doc, &property["items"], "data[].", out, depth + 1);
            }
        }
    }
    let mut out = BTreeSet::new();
    collect(doc, schema, "", &mut out, 0);
    out
}

/// The table of `docs/api.md`: each reference operation, where Easel answers it, and what
/// Easel's answer adds to the reference's.
fn operations_table(reference: &Reference, easel: &Value) -> String {
    let mut rows = vec![
        "| operation | reference | Easel | notes (what Easel adds) |".to_string(),
        "| --- | --- | --- | --- |".to_string(),
    ];
    for (op, (method, path)) in reference.operations() {
        let pointer = format!("/paths/{}/{method}", escape(&path));
        let served = easel_path(&path);
        let upper = method.to_uppercase();
        let Some(ours) = easel.pointer(&format!("/paths/{}/{method}", escape(&served))) else {
            rows.push(format!("| `{op}` | `{upper} {path}` | not yet | |"));
            continue;
        };
        let theirs = reference.doc.pointer(&pointer).unwrap_or(&Value::Null);
        let mut notes = Vec::new();
        let params = |doc: &Value, op: &Value| -> BTreeSet<String> {
            op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    let p = p
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| doc.pointer(r.trim_start_matches('#')))
                        .unwrap_or(p);
                    (p["in"] == "query").then(|| p["name"].as_str().unwrap_or("").to_string())
                })
                .collect()
        };
        let added: Vec<_> = params(easel, ours)
            .difference(&params(&reference.doc, theirs))
            .map(|p| format!("`{p}`"))
            .collect();
        if !added.is_empty() {
            notes.push(format!("parameters {}", added.join(", ")));
        }
        let success = |doc: &Value, op: &Value| -> BTreeSet<String> {
            op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .filter_map(|(_, r)| {
                    let r = r
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(|x| doc.pointer(x.trim_start_matches('#')))
                        .unwrap_or(r);
                    r.pointer("/content/application~1json/schema").cloned()
                })
                .flat_map(|s| answer_properties(doc, &s))
                .collect()
        };
        let fields: Vec<_> = success(easel, ours)
            .difference(&success(&reference.doc, theirs))
            .map(|p| format!("`{p}`"))
            .collect();
        if !fields.is_empty() {
            notes.push(format!("fields {}", fields.join(", ")));
        }
        rows.push(format!(
            "| `{op}` | `{upper} {path}` | `{upper} {served}` | {} |",
            notes.join("; ")
        ));
    }
    rows.join("\n") + "\n"
}

/// `docs/api.md` holds the table of the reference operations as Easel answers them;
/// `EASEL_BLESS=1` rewrites it.
#[test]
fn the_api_page_lists_every_reference_operation() {
    const BEGIN: &str = "<!-- reference operations: generated by tests/contract, do not edit -->\n";
    const END: &str = "<!-- end of reference operations -->";
    let table = operations_table(&Reference::load(), &easel_server::openapi::document());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md");
    let page = std::fs::read_to_string(path).unwrap();
    let (Some(start), Some(end)) = (page.find(BEGIN), page.find(END)) else {
        panic!("docs/api.md lacks the markers of the reference operations' table");
    };
    let current = &page[start + BEGIN.len()..end];
    if current != table && std::env::var_os("EASEL_BLESS").is_some() {
        let updated = format!("{}{BEGIN}{table}{}", &page[..start], &page[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert!(
        current == table,
        "docs/api.md's table of reference operations is out of date; run `EASEL_BLESS=1 cargo test -p easel-server --test contract` and review it"
    );
}

/// The copy of the reference document is the specification's, where that is beside the
/// checkout.
#[test]
fn the_copy_is_the_specification() {
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/spec/reference/platform-openapi.json"
    );
    let Ok(text) = std::fs::read_to_string(spec) else {
        eprintln!("the specification is not beside the checkout; comparing skipped");
        return;
    };
    assert!(
        text == REFERENCE,
        "crates/easel-server/tests/contract/platform-openapi.json differs from spec/reference/platform-openapi.json: copy it over"
    );
}
