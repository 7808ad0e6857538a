//! The console's record pages: the audit log (filters, paging, both exports, CSV cells
//! that a spreadsheet would run made text), the trash (restore, purge, legal holds), apps
//! and the allowlist, and the access explorer, each checked against what the API answers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use axum::http::Method;
use common::console::Browser;
use common::{TestApp, day, demo_app};
use easel_core::codes::Code;
use easel_core::command::{AuditOutcome, AuditRecord};
use easel_server::demo::{Demo, ORG};
use serde_json::{Value, json};

/// The page's HTML.
fn html(r: &common::Reply) -> &str {
    r.body.as_str().unwrap_or("")
}

/// The `href` of the first link whose text follows `rel="next">` (attribute escapes undone).
fn next_link(page: &str) -> Option<String> {
    let at = page.find("rel=\"next\"")?;
    let start = page[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + page[start..].find('"')?;
    Some(page[start..end].replace("&amp;", "&"))
}

/// The record ids a page of the audit log shows, in order.
fn record_ids(page: &str) -> Vec<String> {
    page.split("data-record=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// Every audit record the API gives Ana, oldest first.
async fn api_records(app: &TestApp, demo: &Demo) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/v2/audit/logs?org={ORG}&limit=100{cursor}");
        let r = app.get(&path, &demo.admin_token).await;
        assert_eq!(r.status, 200, "{}", r.body);
        all.extend(r.body["data"].as_array().unwrap().iter().cloned());
        match r.body["cursor"].as_str() {
            Some(c) if !c.is_empty() => cursor = format!("&cursor={c}"),
            _ => return all,
        }
    }
}

/// The session a browser carries, as a bearer token for the API.
fn token(b: &Browser) -> &str {
    b.cookie.trim_start_matches("easel_session=")
}

async fn create_board(app: &TestApp, demo: &Demo, name: &str) -> String {
    let r = app
        .post(
            "/v2/boards",
            &demo.admin_token,
            json!({"name": name, "teamId": "team_design"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_string()
}

async fn rename(app: &TestApp, demo: &Demo, board: &str, name: &str) {
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/boards/{board}"),
            Some(&demo.admin_token),
            Some(json!({"name": name})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn the_audit_log_filters_and_pages_as_the_api_records() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    // 55 boards more than the demo's 4: two pages of `create_board`.
    for i in 0..55 {
        create_board(&app, &demo, &format!("Board {i}")).await;
    }
    // A refused attempt, by Cy, who may not change company settings.
    let cy = app.browser(&demo.service_token, "usr_cy").await;
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/orgs/{ORG}/settings"),
            Some(token(&cy)),
            Some(json!({"coowner_role": false})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // Records of a later day.
    app.at(day(101));
    let late = create_board(&app, &demo, "Late").await;
    rename(&app, &demo, &late, "Later").await;

    let all = api_records(&app, &demo).await;
    let page = app.page(&ana, &format!("/ui/orgs/{ORG}/audit")).await;
    assert_eq!(page.status, 200, "{}", html(&page));
    let shown = record_ids(html(&page));
    assert_eq!(shown.len(), 50);
    // Newest first by default: the page starts with the API's last record.
    assert_eq!(shown[0], all.last().unwrap()["id"].as_str().unwrap());

    // Action: two pages of `create_board`, every one and no other, nothing twice.
    let creates: Vec<String> = all
        .iter()
        .filter(|r| r["action"] == "create_board")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(creates.len(), 60);
    let first = app
        .page(
            &ana,
            &format!("/ui/orgs/{ORG}/audit?action=create_board&order=oldest"),
        )
        .await;
    let mut ids = record_ids(html(&first));
    assert_eq!(ids.len(), 50);
    let next = next_link(html(&first)).expect("a next page");
    assert!(
        next.contains("action=create_board") && next.contains("cursor="),
        "{next}"
    );
    let second = app.page(&ana, &next).await;
    assert_eq!(second.status, 200);
    ids.extend(record_ids(html(&second)));
    assert_eq!(ids, creates);
    assert!(next_link(html(&second)).is_none());

    // A cursor is bound to its filters and to its viewer.
    let cursor = next.split("cursor=").nth(1).unwrap().to_string();
    let r = app
        .page(
            &ana,
            &format!("/ui/orgs/{ORG}/audit?action=delete_board&cursor={cursor}"),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit?cursor=e1.forged"))
        .await;
    assert_eq!(r.status, 400);

    // Outcome and actor: Cy's refusal, by id or by email.
    for actor in ["usr_cy", "cy@acme.test"] {
        let r = app
            .page(
                &ana,
                &format!("/ui/orgs/{ORG}/audit?outcome=refused&actor={actor}"),
            )
            .await;
        let ids = record_ids(html(&r));
        assert_eq!(ids.len(), 1, "{actor}");
        let rec = all.iter().find(|x| x["id"] == ids[0].as_str()).unwrap();
        assert_eq!(rec["actor"], "usr_cy");
        assert_eq!(rec["outcome"], "refused");
        assert!(html(&r).contains("authority.missing_privilege"));
    }

    // Target, by id alone or kind:id; and the time window.
    for target in [late.clone(), format!("board:{late}")] {
        let r = app
            .page(&ana, &format!("/ui/orgs/{ORG}/audit?target={target}"))
            .await;
        let ids = record_ids(html(&r));
        assert!(!ids.is_empty());
        for id in ids {
            let rec = all.iter().find(|x| x["id"] == id.as_str()).unwrap();
            assert_eq!(rec["target"], format!("board:{late}"));
        }
    }
    let r = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit?from=1970-04-12T00:00"))
        .await;
    let in_window: Vec<&Value> = all
        .iter()
        .filter(|x| x["createdAt"].as_str().unwrap() >= "1970-04-12")
        .collect();
    assert_eq!(record_ids(html(&r)).len(), in_window.len());
    assert!(!in_window.is_empty());
    // The form's date-time field keeps its time of day.
    let r = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit?from=1970-04-11T12:00"))
        .await;
    assert_eq!(record_ids(html(&r)).len(), in_window.len());
    let r = app
        .page(
            &ana,
            &format!("/ui/orgs/{ORG}/audit?from=1970-04-11T00:00&to=1970-04-12T00:00:00Z&action=create_board"),
        )
        .await;
    assert_eq!(record_ids(html(&r)).len(), 50);

    // What cannot be read is said on the page.
    let r = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit?from=yesterday"))
        .await;
    assert_eq!(r.status, 400);
    assert!(html(&r).contains("from"), "{}", html(&r));
    let r = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit?outcome=maybe"))
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn the_audit_log_needs_the_privilege_the_api_needs() {
    let (app, demo) = demo_app();
    let cy = app.browser(&demo.service_token, "usr_cy").await;
    let r = app.page(&cy, &format!("/ui/orgs/{ORG}/audit")).await;
    assert_eq!(r.status, 403);
    assert!(html(&r).contains("audit_logs.view_export"), "{}", html(&r));
    let api = app.get("/v2/audit/logs", token(&cy)).await;
    assert_eq!(api.status, 403);
    for ext in ["json", "csv"] {
        let r = app
            .page(&cy, &format!("/ui/orgs/{ORG}/audit/export.{ext}"))
            .await;
        assert_eq!(r.status, 403, "{ext}");
    }
}

#[tokio::test]
async fn both_exports_hold_the_filtered_records_and_csv_cells_are_never_formulas() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let evil = [
        "=HYPERLINK(\"http://evil.test\",\"x\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
    ];
    // A board's name is the name of what its records act on.
    for name in evil {
        let board = create_board(&app, &demo, "Innocent").await;
        rename(&app, &demo, &board, name).await;
    }
    let all = api_records(&app, &demo).await;
    let creates: Vec<&Value> = all
        .iter()
        .filter(|r| r["action"] == "create_board")
        .collect();
    let renames: Vec<&Value> = all
        .iter()
        .filter(|r| r["action"] == "rename_board")
        .collect();
    assert_eq!(renames.len(), evil.len());

    let json_export = app
        .page(
            &ana,
            &format!("/ui/orgs/{ORG}/audit/export.json?action=create_board&order=oldest"),
        )
        .await;
    assert_eq!(json_export.status, 200);
    assert!(
        json_export.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(
        json_export.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"easel-audit-")
    );
    let body = &json_export.body;
    assert_eq!(body["cut"], false);
    assert_eq!(body["organization"]["id"], ORG);
    assert_eq!(body["filters"]["action"], "create_board");
    assert_eq!(body["count"], creates.len());
    // The API's records, unchanged.
    let data = body["data"].as_array().unwrap();
    assert_eq!(data.len(), creates.len());
    for (mine, api) in data.iter().zip(&creates) {
        assert_eq!(mine, *api);
    }

    let csv_export = app
        .page(
            &ana,
            &format!("/ui/orgs/{ORG}/audit/export.csv?action=create_board"),
        )
        .await;
    assert_eq!(csv_export.status, 200);
    assert_eq!(
        csv_export.headers["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        csv_export.headers["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".csv\"")
    );
    let text = csv_export.body.as_str().unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "created_at",
            "actor",
            "actor_email",
            "action",
            "target",
            "target_name",
            "outcome",
            "code",
            "changes"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), creates.len());
    // Newest first, as the page's default order.
    assert_eq!(&rows[0][0], creates.last().unwrap()["id"].as_str().unwrap());
    for row in &rows {
        assert_eq!(&row[4], "create_board");
        assert_eq!(&row[7], "allowed");
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?}"
            );
        }
    }
    assert!(rows.iter().any(|r| &r[6] == "Design"));
    assert!(
        rows.iter().all(|r| &r[3] == "ana@acme.test"
            || &r[3] == "ben@acme.test"
            || &r[3] == "eve@acme.test")
    );

    // What a record acted on carries the names people gave it: made text where a
    // spreadsheet would have run them.
    let csv_export = app
        .page(
            &ana,
            &format!("/ui/orgs/{ORG}/audit/export.csv?action=rename_board"),
        )
        .await;
    let mut reader = csv::Reader::from_reader(csv_export.body.as_str().unwrap().as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), evil.len());
    let names: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    for name in evil {
        assert!(
            names.contains(&format!("'{name}").as_str()),
            "{name}: {names:?}"
        );
    }
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
        // The changes cell names the old and new name as they were.
        assert!(row[9].starts_with("name: Innocent -> "), "{:?}", &row[9]);
    }
}

#[tokio::test]
async fn a_long_log_is_exported_a_bounded_part_at_a_time() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let before = api_records(&app, &demo).await.len();
    // Ten thousand and fifty refused attempts, newer than everything else.
    app.at(day(102));
    for i in 0..10_050 {
        app.engine
            .record_refusal(AuditRecord {
                org: ORG.into(),
                at: day(102),
                actor: Some("usr_cy".into()),
                action: "update_company_settings".into(),
                target: format!("org:{ORG}"),
                outcome: AuditOutcome::Refused {
                    code: Code::AuthorityMissingPrivilege,
                },
                changes: vec![easel_core::command::AuditChange {
                    field: format!("attempt {i}"),
                    before: None,
                    after: Some("=1+1".into()),
                }],
            })
            .await
            .unwrap();
    }
    let total = before + 10_050;

    // The CSV stops at 10,000 records, says so in its last line and links to the rest.
    let first = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit/export.csv"))
        .await;
    assert_eq!(first.status, 200);
    let link = first.headers["link"].to_str().unwrap().to_string();
    assert!(link.ends_with(">; rel=\"next\""), "{link}");
    let text = first.body.as_str().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 10_001);
    let note = &rows[10_000];
    assert_eq!(note.len(), 1);
    assert!(
        note[0].starts_with("# the export holds the first 10000"),
        "{:?}",
        &note[0]
    );
    assert!(rows[..10_000].iter().all(|r| r[9].starts_with("attempt ")));
    let rest_path = link[1..link.find('>').unwrap()].to_string();
    let rest = app.page(&ana, &rest_path).await;
    assert_eq!(rest.status, 200);
    let mut reader = csv::Reader::from_reader(rest.body.as_str().unwrap().as_bytes());
    let more = reader.records().count();
    assert_eq!(10_000 + more, total);
    assert!(rest.headers.get("link").is_none());

    // JSON says the same in its own words.
    let json_export = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit/export.json"))
        .await;
    assert_eq!(json_export.body["cut"], true);
    assert_eq!(json_export.body["count"], 10_000);
    assert!(
        json_export.body["next"]
            .as_str()
            .unwrap()
            .contains("cursor=")
    );

    // A page whose filter matches nothing near looks at a bounded number of records and
    // offers to search further.
    let page = app
        .page(&ana, &format!("/ui/orgs/{ORG}/audit?outcome=allowed"))
        .await;
    assert_eq!(page.status, 200);
    assert!(record_ids(html(&page)).is_empty());
    assert!(
        html(&page).contains("looked at 10000 records"),
        "{}",
        html(&page)
    );
    let further = next_link(html(&page)).expect("search further");
    let page = app.page(&ana, &further).await;
    let allowed = api_records(&app, &demo)
        .await
        .iter()
        .filter(|r| r["outcome"] == "allowed")
        .count();
    assert_eq!(record_ids(html(&page)).len(), allowed);
}

/// Trashes a board through the API.
async fn trash(app: &TestApp, demo: &Demo, board: &str) {
    let r = app
        .call(
            Method::DELETE,
            &format!("/v2/boards/{board}"),
            Some(&demo.admin_token),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
}

#[tokio::test]
async fn the_trash_restores_and_purges_as_the_api_does() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let trash_page = format!("/ui/orgs/{ORG}/trash");
    let r = app.page(&ana, &trash_page).await;
    assert_eq!(r.status, 200);
    assert!(html(&r).contains("Nothing in the trash"));

    trash(&app, &demo, "brd_wireframes").await;
    let r = app.page(&ana, &trash_page).await;
    assert!(html(&r).contains("data-board=\"brd_wireframes\""));
    assert!(html(&r).contains("Wireframes"));

    // Without the form's token nothing happens.
    let restore = format!("/ui/orgs/{ORG}/trash/brd_wireframes/restore");
    let r = app.post_form(&ana, &restore, &[]).await;
    assert_eq!(r.status, 403);
    let r = app
        .get("/v2/boards/brd_wireframes", &demo.admin_token)
        .await;
    assert_eq!(r.body["state"], "trashed");

    let r = app.submit(&ana, &trash_page, &restore, &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.headers["location"], format!("{trash_page}?done=restored"));
    let r = app
        .get("/v2/boards/brd_wireframes", &demo.admin_token)
        .await;
    assert_eq!(r.body["state"], "active");
    let r = app.page(&ana, &format!("{trash_page}?done=restored")).await;
    assert!(html(&r).contains("back from the trash"));

    // Purge asks for its confirmation, then deletes for good.
    trash(&app, &demo, "brd_wireframes").await;
    let purge = format!("/ui/orgs/{ORG}/trash/brd_wireframes/purge");
    let r = app.submit(&ana, &trash_page, &purge, &[]).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        app.get("/v2/boards/brd_wireframes", &demo.admin_token)
            .await
            .body["state"],
        "trashed"
    );
    let r = app
        .submit(&ana, &trash_page, &purge, &[("confirm", "yes")])
        .await;
    assert_eq!(r.status, 303);
    let r = app
        .get("/v2/boards/brd_wireframes", &demo.admin_token)
        .await;
    assert_eq!(r.status, 404);

    // A board that is not there, in this organization or another, is one 404.
    let missing = app
        .submit(
            &ana,
            &trash_page,
            &format!("/ui/orgs/{ORG}/trash/brd_nope/restore"),
            &[],
        )
        .await;
    assert_eq!(missing.status, 404);
    let elsewhere = app
        .submit(
            &ana,
            &trash_page,
            "/ui/orgs/999/trash/brd_brand/restore",
            &[],
        )
        .await;
    assert_eq!(elsewhere.status, 404);
    assert_eq!(missing.body, elsewhere.body);
}

#[tokio::test]
async fn a_held_board_cannot_be_purged_and_the_page_says_why() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let case = app
        .post(
            &format!("/v2/orgs/{ORG}/cases"),
            &demo.admin_token,
            json!({"name": "Launch dispute"}),
        )
        .await;
    assert_eq!(case.status, 200, "{}", case.body);
    let case_id = case.body["id"].as_str().unwrap();
    let hold = app
        .post(
            &format!("/v2/orgs/{ORG}/cases/{case_id}/legal-holds"),
            &demo.admin_token,
            json!({"name": "Ben's boards", "scope": {"users": [{"email": "ben@acme.test"}]}}),
        )
        .await;
    assert!(hold.status.is_success(), "{}", hold.body);
    trash(&app, &demo, "brd_roadmap").await;

    let trash_page = format!("/ui/orgs/{ORG}/trash");
    let r = app.page(&ana, &trash_page).await;
    let page = html(&r);
    assert!(page.contains("data-board=\"brd_roadmap\""));
    assert!(page.contains("Held"));
    assert!(
        page.contains("Launch dispute: Ben&#39;s boards")
            || page.contains("Launch dispute: Ben's boards"),
        "{page}"
    );
    assert!(page.contains("state.legal_hold"), "{page}");
    // The purge button is disabled, with the engine's refusal.
    let row = &page[page.find("data-board=\"brd_roadmap\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("disabled"), "{row}");

    let r = app
        .submit(
            &ana,
            &trash_page,
            &format!("/ui/orgs/{ORG}/trash/brd_roadmap/purge"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(html(&r).contains("state.legal_hold"));
    let api = app
        .call(
            Method::DELETE,
            "/v2/boards/brd_roadmap?permanent=true",
            Some(&demo.admin_token),
            None,
        )
        .await;
    assert_eq!(api.status, 403);
    assert_eq!(api.body["code"], "state.legal_hold");
    assert_eq!(
        app.get("/v2/boards/brd_roadmap", &demo.admin_token)
            .await
            .body["state"],
        "trashed"
    );

    // Ben, the owner, sees his board and may restore it; Cy sees nothing.
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let r = app.page(&ben, &trash_page).await;
    assert!(html(&r).contains("data-board=\"brd_roadmap\""));
    assert!(html(&r).contains("You see the boards you own"));
    let cy = app.browser(&demo.service_token, "usr_cy").await;
    let r = app.page(&cy, &trash_page).await;
    assert_eq!(r.status, 200);
    assert!(!html(&r).contains("data-board="));
    let r = app
        .submit(
            &ben,
            &trash_page,
            &format!("/ui/orgs/{ORG}/trash/brd_roadmap/restore"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
}

/// The allowlist as the API answers it.
async fn allowlist(app: &TestApp, demo: &Demo) -> Value {
    app.get(&format!("/v2/orgs/{ORG}/app-allowlist"), &demo.admin_token)
        .await
        .body["apps"]
        .clone()
}

#[tokio::test]
async fn the_allowlist_and_app_requests_change_as_the_api_says() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let cy = app.browser(&demo.service_token, "usr_cy").await;
    let registered = app
        .post(
            "/v2/apps",
            token(&ben),
            json!({"name": "Sticky Sync", "teamId": "team_design",
                   "redirectUris": ["https://sync.example/cb"], "scopes": ["boards:read"]}),
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    let app_id = registered.body["id"].as_str().unwrap().to_string();
    let installed = app
        .post(
            &format!("/v2/apps/{app_id}/installations"),
            token(&ben),
            json!({"teamId": "team_design"}),
        )
        .await;
    assert_eq!(installed.status, 201, "{}", installed.body);

    let apps_page = format!("/ui/orgs/{ORG}/apps");
    let r = app.page(&ana, &apps_page).await;
    assert_eq!(r.status, 200);
    let page = html(&r);
    assert!(page.contains("Sticky Sync"));
    assert!(page.contains("boards:read"));
    assert!(page.contains("<strong>Off.</strong>"), "{page}");

    let base = format!("/ui/orgs/{ORG}/apps/allowlist");
    let r = app
        .submit(
            &ana,
            &apps_page,
            &format!("{base}/add"),
            &[("app", &app_id)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.headers["location"], format!("{apps_page}?done=added"));
    assert_eq!(allowlist(&app, &demo).await, json!([app_id]));
    let r = app.page(&ana, &format!("{apps_page}?done=added")).await;
    assert!(html(&r).contains("<strong>On.</strong>"));
    assert!(html(&r).contains(&format!("data-app=\"{app_id}\"")));

    // An app Easel does not know is refused with the engine's words.
    let r = app
        .submit(
            &ana,
            &apps_page,
            &format!("{base}/add"),
            &[("app", "app_nope")],
        )
        .await;
    assert_eq!(r.status, 404);
    assert!(html(&r).contains("app_nope"));
    assert_eq!(allowlist(&app, &demo).await, json!([app_id]));

    // Someone without the privilege sees the refusal instead, and a post changes nothing.
    let r = app.page(&cy, &apps_page).await;
    assert_eq!(r.status, 200);
    assert!(html(&r).contains("apps.manage_allowlist"));
    assert!(!html(&r).contains("Add to the allowlist"));
    let r = app
        .submit(&cy, &apps_page, &format!("{base}/off"), &[])
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(allowlist(&app, &demo).await, json!([app_id]));
    let r = app.post_form(&ana, &format!("{base}/off"), &[]).await;
    assert_eq!(r.status, 403, "no form token");

    let r = app
        .submit(
            &ana,
            &apps_page,
            &format!("{base}/remove"),
            &[("app", &app_id)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(allowlist(&app, &demo).await, json!([]));
    let r = app
        .submit(&ana, &apps_page, &format!("{base}/off"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(allowlist(&app, &demo).await, Value::Null);

    // Cy asks for the app; Ana approves it from the page.
    let asked = app
        .post(
            &format!("/v2/orgs/{ORG}/app-requests"),
            token(&cy),
            json!({"appId": app_id}),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.body);
    let request = asked.body["id"].as_str().unwrap().to_string();
    let r = app.page(&ana, &apps_page).await;
    assert!(html(&r).contains(&format!("data-request=\"{request}\"")));
    let r = app
        .submit(
            &ana,
            &apps_page,
            &format!("/ui/orgs/{ORG}/apps/requests/{request}/approve"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let listed = app
        .get(&format!("/v2/orgs/{ORG}/app-requests"), &demo.admin_token)
        .await;
    let state = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == request.as_str())
        .unwrap()["state"]
        .clone();
    assert_eq!(state, "approved");
    let r = app
        .submit(
            &ana,
            &apps_page,
            &format!("/ui/orgs/{ORG}/apps/requests/req_nope/deny"),
            &[],
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn the_explorer_shows_what_v1_explain_answers() {
    let (app, demo) = demo_app();
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let explorer = format!("/ui/orgs/{ORG}/explorer");
    // A company admin manages access to every board only with extended content admin.
    let r = app.page(&ana, &explorer).await;
    assert_eq!(r.status, 403);
    assert!(html(&r).contains("boards.edit_access"), "{}", html(&r));
    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/orgs/{ORG}/settings"),
            Some(&demo.admin_token),
            Some(json!({"extended_content_admin": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let r = app.page(&ana, &explorer).await;
    assert_eq!(r.status, 200, "{}", html(&r));
    let page = html(&r);
    assert!(page.contains("<option value=\"usr_cy\""));
    assert!(page.contains("<option value=\"board:brd_roadmap\""));
    assert!(page.contains("<option value=\"team:team_design\""));
    assert!(page.contains("<option value=\"project:prj_launch\""));

    for (user, kind, id) in [
        ("usr_cy", "board", "brd_roadmap"),
        ("usr_gil", "board", "brd_wireframes"),
        ("usr_eve", "board", "brd_brand"),
        ("usr_cy", "team", "team_marketing"),
        ("usr_cy", "project", "prj_launch"),
    ] {
        let r = app
            .page(
                &ana,
                &format!("{explorer}?person={user}&resource={kind}:{id}"),
            )
            .await;
        assert_eq!(r.status, 200, "{}", html(&r));
        let page = html(&r);
        let rows = page.matches("<tr data-action=").count();
        assert!(rows > 0, "{page}");
        let actions: Vec<String> = page
            .split("<tr data-action=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect();
        for action in actions {
            let answer = app
                .post(
                    "/v1/explain",
                    &demo.service_token,
                    json!({"subject": {"user": user}, "action": action, "resource": {kind: id}}),
                )
                .await;
            assert_eq!(answer.status, 200, "{}", answer.body);
            let b = &answer.body;
            let row = format!(
                "<tr data-action=\"{action}\" data-allowed=\"{}\" data-code=\"{}\" data-role=\"{}\">",
                b["allowed"].as_bool().unwrap(),
                b["deniedBy"]["code"].as_str().unwrap_or(""),
                b["role"].as_str().unwrap_or("")
            );
            assert!(page.contains(&row), "{user} {action} {id}: {row}\n{b}");
            // Every layer, with the outcome the API gives it.
            let details = &page[page
                .find(&format!(
                    "<details class=\"explained\" data-action=\"{action}\""
                ))
                .unwrap()..];
            let details = &details[..details.find("</details>").unwrap()];
            for layer in b["layers"].as_array().unwrap() {
                let cell = format!(
                    "<tr data-layer=\"{}\" data-outcome=\"{}\">",
                    layer["layer"].as_str().unwrap(),
                    layer["outcome"].as_str().unwrap()
                );
                assert!(details.contains(&cell), "{action}: {cell}");
            }
            // Every channel too.
            for channel in b["channels"].as_array().unwrap() {
                let cell = format!(
                    "<tr data-channel=\"{}\" data-gives=\"{}\">",
                    channel["channel"].as_str().unwrap(),
                    channel["gives"].as_str().unwrap_or("")
                );
                assert!(page.contains(&cell), "{action}: {cell}");
            }
        }
    }

    // Someone or something not there, or not of this organization, is answered alike.
    let missing = app
        .page(
            &ana,
            &format!("{explorer}?person=usr_nobody&resource=board:brd_roadmap"),
        )
        .await;
    assert_eq!(missing.status, 404);
    let unknown = app
        .page(
            &ana,
            &format!("{explorer}?person=usr_cy&resource=board:brd_nope"),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let r = app.page(&ana, "/ui/orgs/999/explorer").await;
    assert_eq!(r.status, 404);

    // A user admin may not explore access.
    let uma = app.browser(&demo.service_token, "usr_uma").await;
    let r = app.page(&uma, &explorer).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn another_organization_is_answered_as_a_missing_one() {
    let (app, demo) = demo_app();
    let made = app
        .post(
            "/v2/operator/organizations",
            &demo.operator_token,
            json!({"name": "Elsewhere", "plan": "enterprise", "ownerId": "usr_eve", "id": "2718281828"}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    for section in [
        "audit",
        "audit/export.csv",
        "audit/export.json",
        "trash",
        "apps",
        "explorer",
    ] {
        let other = app
            .page(&ana, &format!("/ui/orgs/2718281828/{section}"))
            .await;
        let missing = app.page(&ana, &format!("/ui/orgs/999/{section}")).await;
        assert_eq!(other.status, 404, "{section}");
        assert_eq!(missing.status, 404, "{section}");
        assert_eq!(other.body, missing.body, "{section}");
        assert_eq!(other.headers["x-easel-reason"], "request.not_found");
    }
    for form in ["trash/brd_brand/restore", "apps/allowlist/off"] {
        let other = app
            .submit(
                &ana,
                &format!("/ui/orgs/{ORG}/trash"),
                &format!("/ui/orgs/2718281828/{form}"),
                &[],
            )
            .await;
        assert_eq!(other.status, 404, "{form}");
    }
}
