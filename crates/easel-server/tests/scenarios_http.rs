//! The engine's scenario files replayed through HTTP: every check and lookup case of every
//! file whose fixture can be stored is asked of `/v1/check` and `/v1/lookup/...` by a
//! service, and the answers must equal the engine's, case by case.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

mod common;

use std::path::Path;

use axum::http::StatusCode;
use easel_core::time::Time;
use easel_testkit::scenario::{self, Answer, Check};
use serde_json::{Value, json};

fn at(now: Option<&str>) -> Time {
    Time::parse(now.unwrap_or(scenario::DEFAULT_NOW)).unwrap_or_else(|| panic!("time {now:?}"))
}

/// The check as a `/v1/check` body.
fn body(check: &Check) -> Value {
    let q = check.question().unwrap_or_else(|e| panic!("{e}"));
    let subject = match &q.user {
        Some(u) => json!({"user": u}),
        None => json!({"anonymous": true}),
    };
    let mut context = serde_json::Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            context.insert(key.to_string(), v);
        }
    };
    put("linkToken", q.link.map(Value::from));
    put("password", q.password.map(Value::from));
    put("app", q.app.map(Value::from));
    put("scopes", q.scopes.map(Value::from));
    put("surface", q.surface.map(Value::from));
    put("role", q.role.map(Value::from));
    put("invitee", q.invitee.map(Value::from));
    put("toTeam", q.to_team.map(Value::from));
    put("newOwner", q.new_owner.map(Value::from));
    put("session", q.session.map(Value::from));
    put("token", q.token.map(Value::from));
    let mut resource = serde_json::Map::new();
    resource.insert(q.target.0.clone(), Value::from(q.target.1.clone()));
    json!({"subject": subject, "action": q.action, "resource": resource, "context": context})
}

/// The HTTP reply in the engine's comparable form.
fn as_answer(status: StatusCode, reply: &Value) -> Answer {
    if status != StatusCode::OK {
        return Answer {
            outcome: "error".into(),
            role: "none".into(),
            code: reply["code"].as_str().map(str::to_string),
            reasons: vec![],
        };
    }
    let allowed = reply["allowed"] == true;
    Answer {
        outcome: if allowed { "allowed" } else { "refused" }.into(),
        role: reply["role"].as_str().unwrap_or("none").into(),
        code: reply["deniedBy"]["code"].as_str().map(str::to_string),
        reasons: reply["reasons"]
            .as_array()
            .map(|r| {
                r.iter()
                    .map(|x| {
                        format!(
                            "{}:{}",
                            x["channel"].as_str().unwrap_or(""),
                            x["via"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn scenario_files_answer_the_same_over_http() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../easel-core/tests/scenarios");
    let files = scenario::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let (mut checks, mut lookups, mut failures) = (0, 0, Vec::new());
    for (name, parsed) in &files {
        let events = parsed
            .given
            .events()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let (app, service) = common::events_app(&events);
        let engine_state = app.engine.read().state().clone();
        for check in parsed.checks.iter().filter(|c| c.changes.is_empty()) {
            app.at(at(check.now.as_deref()));
            let expected =
                scenario::answer(&engine_state, check).unwrap_or_else(|e| panic!("{name}: {e}"));
            let r = app.post("/v1/check", &service, body(check)).await;
            let got = as_answer(r.status, &r.body);
            let same = got.outcome == expected.outcome
                && got.role == expected.role
                && got.code == expected.code
                && got.reasons == expected.reasons;
            if !same {
                failures.push(format!(
                    "{name}: `{}`: engine {expected:?}, HTTP {got:?}",
                    check.name
                ));
            }
            checks += 1;
        }
        for case in parsed.lookup_boards.iter().filter(|c| c.changes.is_empty()) {
            app.at(at(case.now.as_deref()));
            let expected = scenario::walk_boards(&engine_state, case)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut got = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let mut b = json!({"subject": {"user": case.user}, "action": case.action, "limit": case.page.unwrap_or(2)});
                if let Some(c) = &cursor {
                    b["cursor"] = json!(c);
                }
                let r = app.post("/v1/lookup/boards", &service, b).await;
                assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
                for d in r.body["data"].as_array().into_iter().flatten() {
                    got.push(format!(
                        "{}:{}",
                        d["board"].as_str().unwrap_or(""),
                        d["role"].as_str().unwrap_or("none")
                    ));
                }
                match r.body["cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_string()),
                    None => break,
                }
            }
            if got != expected {
                failures.push(format!(
                    "{name}: lookup `{}`: engine {expected:?}, HTTP {got:?}",
                    case.name
                ));
            }
            lookups += 1;
        }
        for case in parsed
            .lookup_subjects
            .iter()
            .filter(|c| c.changes.is_empty())
        {
            app.at(at(case.now.as_deref()));
            let expected = scenario::walk_subjects(&engine_state, case)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut got = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let mut b =
                    json!({"resource": {"board": case.board}, "action": case.action, "limit": 2});
                if let Some(c) = &cursor {
                    b["cursor"] = json!(c);
                }
                let r = app.post("/v1/lookup/subjects", &service, b).await;
                assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
                for d in r.body["data"].as_array().into_iter().flatten() {
                    let mut channels: Vec<&str> = d["channels"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c["channel"].as_str())
                        .collect();
                    channels.sort_unstable();
                    channels.dedup();
                    got.push(format!(
                        "{}:{}:{}",
                        d["user"].as_str().unwrap_or(""),
                        d["role"].as_str().unwrap_or("none"),
                        channels.join("+")
                    ));
                }
                match r.body["cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_string()),
                    None => break,
                }
            }
            if got != expected {
                failures.push(format!(
                    "{name}: lookup `{}`: engine {expected:?}, HTTP {got:?}",
                    case.name
                ));
            }
            lookups += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checks >= 200,
        "only {checks} checks were replayed over HTTP"
    );
    println!("{checks} checks and {lookups} lookups answered the same over HTTP");
}
