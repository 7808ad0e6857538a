//! Import and export in JSON lines: the format of API.md round-trips, a bad line is named
//! and nothing is imported, importing twice changes nothing, importing changed settings
//! changes them.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

mod suite;

use easel_core::event::Event;
use easel_core::settings::TeamSettings;
use easel_core::time::Time;
use easel_store::jsonl::{ImportError, Record, export, import, write};
use easel_store::{Durable, SqliteBackend};

/// The example of API.md ("Bulk data"), plus a second user so the board has a member.
const API_EXAMPLE: &str = r#"{"type":"organization","id":"org_1","name":"Acme","plan":"enterprise"}
{"type":"user","id":"usr_1","email":"ana@acme.test","name":"Ana"}
{"type":"user","id":"usr_2","email":"ben@acme.test","name":"Ben"}
{"type":"org_member","org":"org_1","user":"usr_1","kind":"member","adminRoles":["content_admin"]}
{"type":"org_member","org":"org_1","user":"usr_2","kind":"member"}
{"type":"team","id":"team_1","org":"org_1","name":"Design"}
{"type":"team_member","team":"team_1","user":"usr_1","role":"admin"}
{"type":"project","id":"prj_1","team":"team_1","name":"Q3"}
{"type":"project_member","project":"prj_1","user":"usr_1","role":"editor"}
{"type":"board","id":"brd_1","team":"team_1","project":"prj_1","owner":"usr_1","teamAccess":"viewer","organizationAccess":"private","publicAccess":"private"}
{"type":"board_member","board":"brd_1","user":"usr_2","role":"commenter"}
"#;

fn records(text: &str) -> Vec<Record> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn the_api_example_imports_and_exports_the_same_records() {
    let (mut durable, _) =
        Durable::open(SqliteBackend::in_memory().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    let events = import(&durable.state(), API_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    durable
        .import(&events, Time::from_millis(0))
        .unwrap_or_else(|e| panic!("{e}"));
    let state = durable.state();
    let board = state
        .find_board("brd_1")
        .unwrap_or_else(|| panic!("board imported"));
    assert_eq!(state.board(board).map(|b| b.grants.len()), Some(1));

    let mut exported = Vec::new();
    write(&export(&state), &mut exported).unwrap_or_else(|e| panic!("{e}"));
    let exported = String::from_utf8(exported).unwrap_or_else(|e| panic!("{e}"));
    let (mut want, mut got) = (records(API_EXAMPLE), records(&exported));
    let key = |r: &Record| serde_json::to_string(r).unwrap_or_default();
    want.sort_by_key(key);
    got.sort_by_key(key);
    // Export writes every board's name; the example leaves it empty, as import does.
    assert_eq!(got, want, "export of an import gives back the same records");
}

#[test]
fn a_bad_line_is_named_and_nothing_is_imported() {
    let (durable, _) = Durable::open(SqliteBackend::in_memory().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let broken = API_EXAMPLE.replace(r#""role":"commenter""#, r#""role":"overlord""#);
    match import(&durable.state(), broken.as_bytes()) {
        Err(ImportError::BadLine { line, .. }) => assert_eq!(line, 11),
        other => panic!("expected a bad line, got {other:?}"),
    }
    // A record that names what does not exist yet is refused where it stands.
    let dangling = r#"{"type":"team","id":"t","org":"nowhere","name":"T"}"#;
    match import(&durable.state(), dangling.as_bytes()) {
        Err(ImportError::BadLine { line: 1, message }) => {
            assert!(message.contains("nowhere"), "{message}")
        }
        other => panic!("expected a bad line, got {other:?}"),
    }
    assert_eq!(durable.revision(), 0, "nothing was committed");
}

#[test]
fn importing_twice_changes_nothing() {
    let (mut durable, _) =
        Durable::open(SqliteBackend::in_memory().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    let first = import(&durable.state(), API_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    durable
        .import(&first, Time::from_millis(0))
        .unwrap_or_else(|e| panic!("{e}"));
    let again = import(&durable.state(), API_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        again.is_empty(),
        "a second import of the same records has nothing to do: {again:?}"
    );
}

/// The API example's team record with `settings`, as one line.
fn team_line(settings: Option<TeamSettings>) -> String {
    let record = Record::Team {
        id: "team_1".into(),
        org: "org_1".into(),
        name: "Design".into(),
        settings,
    };
    serde_json::to_string(&record).unwrap_or_else(|e| panic!("{e}"))
}

fn team_settings(durable: &Durable<SqliteBackend>) -> Option<TeamSettings> {
    let state = durable.state();
    state
        .find_team("team_1")
        .and_then(|t| state.team(t))
        .map(|t| t.settings.clone())
}

#[test]
fn reimporting_a_team_with_changed_settings_changes_them() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("easel.db");
    let open = || {
        Durable::open(SqliteBackend::open(&path).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"))
            .0
    };
    let mut changed = TeamSettings {
        board_moving: false,
        coowner_role: false,
        ..TeamSettings::default()
    };
    changed.team_and_company_sharing.company = false;
    {
        let mut durable = open();
        let first =
            import(&durable.state(), API_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        durable
            .import(&first, Time::from_millis(0))
            .unwrap_or_else(|e| panic!("{e}"));

        // The same file with the team's settings changed: one event, the new settings.
        let again = API_EXAMPLE.replace(&team_line(None), &team_line(Some(changed.clone())));
        assert_ne!(again, API_EXAMPLE, "the example holds the team line");
        let events = import(&durable.state(), again.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            events,
            vec![Event::TeamSettingsChanged {
                team: "team_1".into(),
                settings: changed.clone(),
            }]
        );
        durable
            .import(&events, Time::from_millis(1))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(team_settings(&durable), Some(changed.clone()));
        suite::replay::assert_tables_match(&mut durable, "after re-importing the team");

        // Importing it once more has nothing to do.
        let twice = import(&durable.state(), again.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(twice.is_empty(), "nothing changed: {twice:?}");

        // Export writes the new settings back.
        let records = export(&durable.state());
        assert!(records.contains(&Record::Team {
            id: "team_1".into(),
            org: "org_1".into(),
            name: "Design".into(),
            settings: Some(changed.clone()),
        }));
    }
    // Replaying the changelog after a restart gives the new settings.
    let mut durable = open();
    assert_eq!(team_settings(&durable), Some(changed));
    suite::replay::assert_tables_match(&mut durable, "after a restart");

    // A team record without settings stands for the defaults, as export writes it.
    let events = import(&durable.state(), API_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        events,
        vec![Event::TeamSettingsChanged {
            team: "team_1".into(),
            settings: TeamSettings::default(),
        }]
    );
}

/// A directory as an identity provider left it: a deactivated member, the profiles SCIM
/// keeps, and a team whose members joined in an order other than their ids'.
const DIRECTORY: &str = r#"{"type":"organization","id":"org_1","name":"Acme","plan":"enterprise"}
{"type":"user","id":"usr_1","email":"ana@acme.test","name":"Ana"}
{"type":"user","id":"usr_2","email":"ben@acme.test","name":"Ben"}
{"type":"org_member","org":"org_1","user":"usr_1","kind":"member","adminRoles":["company_admin"]}
{"type":"org_member","org":"org_1","user":"usr_2","kind":"member","active":false}
{"type":"member_profile","org":"org_1","user":"usr_2","profile":{"externalId":"00u2","department":"Design","emails":[{"value":"ben@acme.test","type":"work","primary":true}],"createdAt":1800000000000,"modifiedAt":1800000360000}}
{"type":"team","id":"team_1","org":"org_1","name":"Design"}
{"type":"team_member","team":"team_1","user":"usr_2","role":"admin"}
{"type":"team_member","team":"team_1","user":"usr_1","role":"admin"}
"#;

#[test]
fn a_restore_keeps_deactivations_profiles_and_who_joined_first() {
    let restored = |text: &str| {
        let (mut durable, _) =
            Durable::open(SqliteBackend::in_memory().unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|e| panic!("{e}"));
        let events = import(&durable.state(), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        durable
            .import(&events, Time::from_millis(0))
            .unwrap_or_else(|e| panic!("{e}"));
        durable.state().clone()
    };
    let state = restored(DIRECTORY);
    let mut exported = Vec::new();
    write(&export(&state), &mut exported).unwrap_or_else(|e| panic!("{e}"));
    let exported = String::from_utf8(exported).unwrap_or_else(|e| panic!("{e}"));
    let key = |r: &Record| serde_json::to_string(r).unwrap_or_default();
    let (mut want, mut got) = (records(DIRECTORY), records(&exported));
    want.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, want, "export of an import gives back the same records");

    // Restored from the export: still deactivated, the same profile, Ben still the
    // team's oldest member.
    let again = restored(&exported);
    let (org, ben, team) = (
        again.find_org("org_1").unwrap_or_else(|| panic!("org")),
        again.find_user("usr_2").unwrap_or_else(|| panic!("ben")),
        again.find_team("team_1").unwrap_or_else(|| panic!("team")),
    );
    assert_eq!(again.membership(ben, org).map(|m| m.active), Some(false));
    assert_eq!(
        again.org(org).and_then(|o| o.profiles.get(&ben)),
        state
            .find_org("org_1")
            .and_then(|o| state.org(o))
            .and_then(|o| o.profiles.get(&ben))
    );
    assert_eq!(
        again.team(team).map(|t| t.joined.first().copied()),
        Some(Some(ben))
    );
}
