//! Cursors: only those Easel issued, for this list and this caller, are accepted; forged,
//! tampered, malformed and borrowed ones are `request.invalid_cursor`; real ones outlive a
//! restart; and paging any list from its cursors gives every item once.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{TestApp, assert_error, demo_app, demo_app_in, file_app};
use serde_json::{Value, json};

/// Every page of `path` (which ends in `?...` or has no query), following cursors.
async fn all_pages(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = app
            .get(&format!("{path}{sep}limit=2&cursor={cursor}"), token)
            .await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        let data = r.body["data"].as_array().unwrap();
        assert!(data.len() <= 2);
        out.extend(data.iter().cloned());
        match r.body["cursor"].as_str() {
            Some(c) => {
                assert!(!data.is_empty(), "{path}: a cursor after an empty page");
                cursor = c.to_string();
            }
            None => break,
        }
    }
    out
}

fn first_cursor(body: &Value) -> String {
    body["cursor"]
        .as_str()
        .expect("a first page that is not the last")
        .to_string()
}

#[tokio::test]
async fn a_cursor_easel_did_not_issue_for_this_list_and_caller_is_refused() {
    let (app, demo) = demo_app();
    let ana = &demo.admin_token;
    let first = app.get("/v2/boards?limit=1", ana).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let real = first_cursor(&first.body);
    assert_eq!(
        app.get(&format!("/v2/boards?limit=1&cursor={real}"), ana)
            .await
            .status,
        200
    );

    // Forged: well formed, the right length, but not sealed by Easel.
    let forged = format!("e1.{}", URL_SAFE_NO_PAD.encode(b"c1.3aaaaaaaaaaaaaaaa"));
    // Tampered: one character of a real cursor changed.
    let mut tampered: Vec<char> = real.chars().collect();
    tampered[5] = if tampered[5] == 'A' { 'B' } else { 'A' };
    let tampered: String = tampered.into_iter().collect();
    // Malformed: another prefix, bad base64, too short, the old unsealed spellings.
    for bad in [
        forged.as_str(),
        tampered.as_str(),
        "k1.brd_roadmap",
        "c1.3",
        "e1.!!!!",
        "e1.AAAA",
        "e1.",
        "garbage",
    ] {
        let r = app
            .get(&format!("/v2/boards?limit=1&cursor={bad}"), ana)
            .await;
        assert_error(&r, 400, "request.invalid_cursor");
    }

    // Another list: the same route with other filters, and another route.
    let other_filter = app
        .get(
            &format!("/v2/boards?limit=1&team=team_design&cursor={real}"),
            ana,
        )
        .await;
    assert_error(&other_filter, 400, "request.invalid_cursor");
    let other_route = app
        .get(
            &format!("/v2/orgs/3141592653/members?limit=1&cursor={real}"),
            ana,
        )
        .await;
    assert_error(&other_route, 400, "request.invalid_cursor");
    let members = app.get("/v2/orgs/3141592653/members?limit=1", ana).await;
    let member_cursor = first_cursor(&members.body);
    let crossed = app
        .get(
            &format!("/v2/orgs/3141592653/teams?limit=1&cursor={member_cursor}"),
            ana,
        )
        .await;
    assert_error(&crossed, 400, "request.invalid_cursor");

    // Another caller: Ben may list boards too, but not from Ana's cursor.
    let ben = app.personal_token("usr_ben").await;
    let borrowed = app
        .get(&format!("/v2/boards?limit=1&cursor={real}"), &ben)
        .await;
    assert_error(&borrowed, 400, "request.invalid_cursor");

    // The decision API's lookups: bound to the subject and the action asked about.
    let svc = &demo.service_token;
    let page = app
        .post(
            "/v1/lookup/boards",
            svc,
            json!({"subject": {"user": "usr_ana"}, "action": "board.view", "limit": 1}),
        )
        .await;
    let lookup_cursor = first_cursor(&page.body);
    let again = app
        .post(
            "/v1/lookup/boards",
            svc,
            json!({"subject": {"user": "usr_ana"}, "action": "board.view", "limit": 1, "cursor": lookup_cursor}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    for body in [
        json!({"subject": {"user": "usr_cy"}, "action": "board.view", "limit": 1, "cursor": lookup_cursor}),
        json!({"subject": {"user": "usr_ana"}, "action": "board.edit_content", "limit": 1, "cursor": lookup_cursor}),
        json!({"subject": {"user": "usr_ana"}, "action": "board.view", "limit": 1, "cursor": forged}),
    ] {
        assert_error(
            &app.post("/v1/lookup/boards", svc, body).await,
            400,
            "request.invalid_cursor",
        );
    }
    let subjects = app
        .post(
            "/v1/lookup/subjects",
            svc,
            json!({"resource": {"board": "brd_roadmap"}, "action": "board.view", "limit": 1, "cursor": lookup_cursor}),
        )
        .await;
    assert_error(&subjects, 400, "request.invalid_cursor");
}

#[tokio::test]
async fn a_real_cursor_works_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("easel.db");
    let (app, demo) = demo_app_in(&path);
    let ana = demo.admin_token.clone();
    let first = app.get("/v2/boards?limit=1", &ana).await;
    let cursor = first_cursor(&first.body);
    let before = app
        .get(&format!("/v2/boards?limit=1&cursor={cursor}"), &ana)
        .await;
    assert_eq!(before.status, 200, "{}", before.body);
    drop(app);

    let again = file_app(&path);
    let after = again
        .get(&format!("/v2/boards?limit=1&cursor={cursor}"), &ana)
        .await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(after.body["data"], before.body["data"]);
    assert_eq!(after.body["cursor"], before.body["cursor"]);
}

#[tokio::test]
async fn every_list_pages_through_each_item_once() {
    let (app, demo) = demo_app();
    let ana = &demo.admin_token;
    // Enough records that the lists below span pages.
    for i in 0..5 {
        let item = app
            .post(
                "/v2/boards/brd_roadmap/items",
                ana,
                json!({"type": "sticky_note", "text": format!("note {i}")}),
            )
            .await;
        assert!(item.status.is_success(), "{}", item.body);
        let comment = app
            .post(
                "/v2/boards/brd_roadmap/comments",
                ana,
                json!({"text": format!("comment {i}")}),
            )
            .await;
        assert!(comment.status.is_success(), "{}", comment.body);
        let group = app
            .post(
                "/v2/orgs/3141592653/billing-groups",
                ana,
                json!({"name": format!("billing {i}")}),
            )
            .await;
        assert!(group.status.is_success(), "{}", group.body);
    }
    for path in [
        "/v2/boards",
        "/v2/orgs/3141592653/members",
        "/v2/orgs/3141592653/teams",
        "/v2/orgs/3141592653/teams/team_design/members",
        "/v2/boards/brd_roadmap/members",
        "/v2/audit/logs?org=3141592653",
        "/v2/audit/logs?org=3141592653&sorting=desc",
    ] {
        let paged = all_pages(&app, path, ana).await;
        let sep = if path.contains('?') { '&' } else { '?' };
        // 50: the largest page the reference allows on its board lists.
        let whole = app.get(&format!("{path}{sep}limit=50"), ana).await;
        assert_eq!(whole.status, 200, "{path}: {}", whole.body);
        assert!(whole.body.get("cursor").is_none(), "{path}: more than 50");
        assert_eq!(
            &paged,
            whole.body["data"].as_array().unwrap(),
            "{path}: pages of two against one page"
        );
        assert!(!paged.is_empty(), "{path}: nothing to page");
    }
    // Every other list of the demo (some of them empty): pages of two give what one page
    // gives, whatever the list walks.
    let mut compared = Vec::new();
    for path in [
        "/v2/apps",
        "/v2/boards/brd_roadmap/access",
        "/v2/boards/brd_roadmap/items",
        "/v2/boards/brd_roadmap/comments",
        "/v2/boards/brd_roadmap/access-requests",
        "/v2/orgs/3141592653/admin-roles",
        "/v2/orgs/3141592653/groups",
        "/v2/orgs/3141592653/billing-groups",
        "/v2/orgs/3141592653/domains",
        "/v2/orgs/3141592653/domain-violations",
        "/v2/orgs/3141592653/invitations",
        "/v2/orgs/3141592653/licence-requests",
        "/v2/orgs/3141592653/app-requests",
        "/v2/orgs/3141592653/cases",
        "/v2/orgs/3141592653/content-logs/items",
        "/v2/orgs/3141592653/teams/team_design/join-requests",
        "/v2/orgs/3141592653/teams/team_design/projects",
    ] {
        // 50: the largest page every list takes (the items list's largest).
        let whole = app.get(&format!("{path}?limit=50"), ana).await;
        if whole.status != 200 {
            // Not every list is Ana's to read; those she may read are compared.
            assert!(
                [403, 404].contains(&whole.status.as_u16()),
                "{path}: {}",
                whole.body
            );
            continue;
        }
        let paged = all_pages(&app, path, ana).await;
        assert_eq!(
            &paged,
            whole.body["data"].as_array().unwrap(),
            "{path}: pages of two against one page"
        );
        if !paged.is_empty() {
            compared.push(path);
        }
    }
    assert!(
        compared.len() >= 6,
        "too few lists with items: {compared:?}"
    );
    // Both orders of the audit log hold the same records, one the other's reverse.
    let asc = all_pages(&app, "/v2/audit/logs?org=3141592653", ana).await;
    let mut desc = all_pages(&app, "/v2/audit/logs?org=3141592653&sorting=desc", ana).await;
    desc.reverse();
    assert_eq!(asc, desc);
}
