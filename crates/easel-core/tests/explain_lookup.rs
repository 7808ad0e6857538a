//! `explain` lists every layer and channel; lookup cursors stay valid while the state
//! changes between pages; and no question, however malformed, makes the engine panic.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

use easel_core::catalog::Capability;
use easel_core::lookup::{boards_for, subjects_for};
use easel_core::model::Grantee;
use easel_core::roles::{Access, BoardRole};
use easel_core::state::BoardInit;
use easel_core::{
    Action, Channel, Code, Layer, Outcome, Question, Request, State, Subject, Target, Time, decide,
    explain,
};
use easel_testkit::fixture::parse_given;
use proptest::prelude::*;

const NOW: Time = Time::from_millis(100 * 86_400_000);

const GIVEN: &str = r#"
[[org]]
id = "acme"
plan = "enterprise"
settings = { public_link_sharing = "view_comment" }
[[user]]
id = "ana"
[[user]]
id = "ben"
status = "deactivated"
[[user]]
id = "cy"
[[member]]
org = "acme"
users = ["ana", "ben", "cy"]
[[group]]
id = "eng"
org = "acme"
members = ["cy"]
[[team]]
id = "design"
org = "acme"
members = { ana = "admin", ben = "member", cy = "member" }
[[project]]
id = "q3"
team = "design"
members = { cy = "viewer" }
[[board]]
id = "roadmap"
team = "design"
project = "q3"
owner = "ana"
team_access = "commenter"
company_access = "viewer"
public_access = "editor"
link = "secret"
members = { "group:eng" = "editor" }
"#;

fn state() -> State {
    parse_given(GIVEN).and_then(|g| g.build()).unwrap()
}

fn ask<'a>(state: &State, user: Option<&str>, action: &str, board: &str) -> Request<'a> {
    let subject = user.map_or(Subject::Anonymous, |u| {
        Subject::User(state.find_user(u).unwrap())
    });
    Request::new(
        subject,
        Action::parse(action).unwrap(),
        Target::Board(state.find_board(board).unwrap()),
    )
}

#[test]
fn explain_lists_every_layer_in_order_and_every_channel() {
    let state = state();
    let req = ask(&state, Some("cy"), "board.edit_content", "roadmap");
    let e = explain(&state, &req, NOW);
    assert_eq!(e.decision, decide(&state, &req, NOW));
    assert!(e.decision.allowed);
    let layers: Vec<Layer> = e.layers.iter().map(|s| s.layer).collect();
    assert_eq!(
        layers,
        [
            Layer::Credential,
            Layer::Scope,
            Layer::Plan,
            Layer::State,
            Layer::Authority,
            Layer::Policy
        ]
    );
    // No app: the scope layer does not apply; the rest passed.
    assert_eq!(e.layers[1].outcome, Outcome::NotApplicable);
    assert!(
        e.layers
            .iter()
            .filter(|s| s.layer != Layer::Scope)
            .all(|s| s.outcome == Outcome::Passed)
    );
    // Every channel is considered, with what it gives.
    let gives = |c: Channel| {
        e.channels
            .iter()
            .filter(|s| s.channel == c)
            .map(|s| s.gives)
            .collect::<Vec<_>>()
    };
    assert_eq!(gives(Channel::Owner), [None]);
    assert_eq!(gives(Channel::Direct), [None]);
    assert_eq!(gives(Channel::Group), [Some(BoardRole::Editor)]);
    assert_eq!(gives(Channel::Team), [Some(BoardRole::Commenter)]);
    assert_eq!(gives(Channel::Project), [Some(BoardRole::Viewer)]);
    assert_eq!(gives(Channel::Company), [Some(BoardRole::Viewer)]);
    assert_eq!(gives(Channel::Admin), [None]);
    assert_eq!(gives(Channel::PublicLink), [None]);
    assert!(
        e.channels.iter().all(|s| !s.note.is_empty()),
        "every channel says why"
    );
}

#[test]
fn explain_names_the_refusing_layer_and_what_was_not_reached() {
    let state = state();
    let mut req = ask(&state, None, "board.edit_content", "roadmap");
    req.link = Some("secret");
    let e = explain(&state, &req, NOW);
    assert_eq!(e.decision.code(), Some(Code::PolicyPublicLinkDisabled));
    let policy = e.layers.iter().find(|s| s.layer == Layer::Policy).unwrap();
    assert_eq!(policy.outcome, Outcome::Refused);
    assert!(policy.note.contains("commenter"), "{}", policy.note);
    let link = e
        .channels
        .iter()
        .find(|s| s.channel == Channel::PublicLink)
        .unwrap();
    assert_eq!(link.gives, Some(BoardRole::Commenter));
    assert!(link.note.contains("capped"), "{}", link.note);

    // A refusal at the credential layer: later layers are not reached, and the channels
    // are still shown for the person debugging.
    let req = ask(&state, Some("ben"), "board.view", "roadmap");
    let e = explain(&state, &req, NOW);
    assert_eq!(e.decision.code(), Some(Code::CredentialUserDeactivated));
    assert_eq!(e.layers[0].outcome, Outcome::Refused);
    assert!(
        e.layers[1..]
            .iter()
            .all(|s| s.outcome == Outcome::NotApplicable && s.note == "not reached")
    );
    assert!(!e.channels.is_empty());
}

#[test]
fn a_board_cursor_stays_valid_while_the_state_changes() {
    let mut state = state();
    let ana = state.find_user("ana").unwrap();
    let team = state.find_team("design").unwrap();
    for i in 0..10 {
        let init = BoardInit {
            id: format!("b{i}"),
            team,
            project: None,
            owner: ana,
            name: String::new(),
            team_access: Access::Viewer,
            company_access: Access::None,
            public_access: Access::None,
            content: Default::default(),
        };
        state.add_board(init).unwrap();
    }
    let cy = state.find_user("cy").unwrap();
    let view = Action::Board(Capability::View);
    let first = boards_for(&state, cy, view, None, 4, NOW).unwrap();
    assert_eq!(first.items.len(), 4);
    let cursor = first.next.clone().unwrap();
    // Between pages: a board already listed loses access, one not yet listed is removed
    // from the team channel's reach, and a new board appears.
    let listed = first.items[0].board;
    state
        .set_board_access(listed, Access::None, Access::None, Access::None)
        .unwrap();
    state
        .remove_grant(listed, Grantee::Group(state.find_group("eng").unwrap()))
        .unwrap();
    let b7 = state.find_board("b7").unwrap();
    state
        .set_board_access(b7, Access::None, Access::None, Access::None)
        .unwrap();
    let init = BoardInit {
        id: "late".into(),
        team,
        project: None,
        owner: ana,
        name: String::new(),
        team_access: Access::Editor,
        company_access: Access::None,
        public_access: Access::None,
        content: Default::default(),
    };
    let late = state.add_board(init).unwrap();
    let mut rest = Vec::new();
    let mut cursor = Some(cursor);
    while let Some(c) = cursor {
        let page = boards_for(&state, cy, view, Some(&c), 4, NOW).unwrap();
        rest.extend(page.items.iter().map(|a| a.board));
        cursor = page.next;
    }
    let seen: Vec<_> = first.items.iter().map(|a| a.board).collect();
    assert!(rest.iter().all(|b| !seen.contains(b)), "no board twice");
    assert!(
        !rest.contains(&b7),
        "a board that lost access is not listed"
    );
    assert!(
        rest.contains(&late),
        "a board added later appears after the cursor"
    );
    let mut all = seen.clone();
    all.extend(&rest);
    assert!(
        all.windows(2).all(|w| w[0] < w[1]),
        "pages are in one stable order"
    );
}

#[test]
fn malformed_cursors_and_limits_are_errors() {
    let state = state();
    let ana = state.find_user("ana").unwrap();
    let board = state.find_board("roadmap").unwrap();
    let view = Action::Board(Capability::View);
    for bad in ["x", "c1.", "c1.-1", "c2.5", "c1.99999999999"] {
        let e = boards_for(&state, ana, view, Some(bad), 10, NOW).unwrap_err();
        assert_eq!(e.code, Code::RequestInvalidParameter, "{bad}");
    }
    assert_eq!(
        boards_for(&state, ana, view, None, 0, NOW)
            .unwrap_err()
            .code,
        Code::RequestInvalidParameter
    );
    assert_eq!(
        subjects_for(&state, board, view, None, 1_001, NOW)
            .unwrap_err()
            .code,
        Code::RequestInvalidParameter
    );
    let team_action = Action::parse("team.view").unwrap();
    assert_eq!(
        boards_for(&state, ana, team_action, None, 10, NOW)
            .unwrap_err()
            .code,
        Code::RequestUnsupportedTarget
    );
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("ana".to_string()),
        Just("roadmap".to_string()),
        Just("design".to_string()),
        Just("board.view".to_string()),
        Just("team.join".to_string()),
        Just("users.view".to_string()),
        Just("secret".to_string()),
        Just("x@acme.test".to_string()),
        Just("Editor".to_string()),
        Just("coowner".to_string()),
        Just("web_sdk".to_string()),
        ".{0,40}",
        "\\PC{600}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Any question at all: resolution may refuse it, decide, explain and the lookups
    /// answer it; nothing panics.
    #[test]
    fn no_question_panics(
        user in proptest::option::of(text()),
        session in proptest::option::of(text()),
        token in proptest::option::of(text()),
        action in text(),
        kind in prop_oneof![Just("board"), Just("team"), Just("project"), Just("org"), Just("moon")],
        id in text(),
        link in proptest::option::of(text()),
        password in proptest::option::of(text()),
        scopes in proptest::option::of(proptest::collection::vec(text(), 0..3)),
        surface in proptest::option::of(text()),
        role in proptest::option::of(text()),
        invitee in proptest::option::of(text()),
        to_team in proptest::option::of(text()),
        cursor in proptest::option::of(text()),
        limit in 0usize..2_000,
    ) {
        let state = state();
        let q = Question {
            user, session, token, action, target: (kind.to_string(), id), link, password,
            app: None, scopes, surface, role, invitee, to_team, new_owner: None,
        };
        if let Ok(req) = q.resolve(&state) {
            let d = decide(&state, &req, NOW);
            prop_assert_eq!(&explain(&state, &req, NOW).decision, &d);
            if let Some(denial) = d.denial {
                prop_assert!(!denial.message().is_empty());
            }
            if let (Subject::User(u), Target::Board(b)) = (req.subject, req.target) {
                let _ = boards_for(&state, u, req.action, cursor.as_deref(), limit, NOW);
                let _ = subjects_for(&state, b, req.action, cursor.as_deref(), limit, NOW);
            }
        }
    }
}
