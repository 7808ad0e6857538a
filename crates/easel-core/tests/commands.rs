//! Runs every command scenario in `tests/commands/`: ordered steps on one state, each
//! command with its outcome, events and audit record, and replay of the events at the end.

use std::path::Path;

use easel_testkit::scenario;

/// Every command has scenarios; this floor keeps them from eroding.
const MIN_STEPS: usize = 200;

#[test]
fn command_scenarios_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/commands");
    let files = scenario::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut steps = 0;
    for (name, parsed) in &files {
        steps += parsed.steps.len();
        match scenario::run_steps(parsed) {
            Ok(fails) => failures.extend(fails.into_iter().map(|f| format!("{name}: {f}"))),
            Err(e) => failures.push(format!("{name}: building the state: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        steps >= MIN_STEPS,
        "only {steps} command steps; at least {MIN_STEPS} are expected"
    );
    println!("{} command scenario files, {steps} steps", files.len());
}

/// `execute` is a function of its arguments: randomness comes in as `Entropy`, like time as
/// `now`. The same arguments give the same outcome; other random bytes salt the password's
/// hash differently, and the board accepts the password either way.
#[test]
fn execute_is_a_function_of_its_arguments() {
    use easel_core::command::{Actor, Command, Outcome, execute, run};
    use easel_core::event::Event;
    use easel_core::{Entropy, Time};

    let state = easel_testkit::fixture::parse_given(
        r#"
        [[org]]
        id = "acme"
        plan = "enterprise"
        [[user]]
        id = "ana"
        [[member]]
        org = "acme"
        users = ["ana"]
        [[team]]
        id = "design"
        org = "acme"
        members = { ana = "admin" }
        [[board]]
        id = "roadmap"
        team = "design"
        owner = "ana"
        public_access = "viewer"
        link = "link-token-0123456789"
        "#,
    )
    .and_then(|given| given.build())
    .unwrap_or_else(|e| panic!("{e}"));
    let command = Command::SetBoardPassword {
        board: "roadmap".into(),
        password: Some("hunter22".into()),
    };
    let now = Time::from_secs(0);
    let hash = |entropy: Entropy| match execute(&state, Actor::user("ana"), &command, now, entropy)
    {
        Outcome::Accepted { events, .. } => match events.as_slice() {
            [
                Event::BoardPasswordSet {
                    hash: Some(hash), ..
                },
            ] => hash.clone(),
            other => panic!("unexpected events {other:?}"),
        },
        refused => panic!("refused: {refused:?}"),
    };
    let (one, two) = (
        Entropy::new([1; Entropy::BYTES]),
        Entropy::new([2; Entropy::BYTES]),
    );
    assert_eq!(hash(one), hash(one));
    assert_ne!(hash(one), hash(two));

    let mut state = state;
    let outcome = run(&mut state, Actor::user("ana"), &command, now, two);
    assert!(outcome.refusal().is_none(), "{outcome:?}");
    // A visitor with the link needs the password, and the one set is the one that works.
    let visit = |password: &str| {
        let question = easel_core::Question {
            action: "board.view".into(),
            target: ("board".into(), "roadmap".into()),
            link: Some("link-token-0123456789".into()),
            password: Some(password.into()),
            ..easel_core::Question::default()
        };
        let request = question.resolve(&state).unwrap_or_else(|e| panic!("{e}"));
        easel_core::decide(&state, &request, now).allowed
    };
    assert!(visit("hunter22"));
    assert!(!visit("hunter23"));
}
