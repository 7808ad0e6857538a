//! The share dialog, in process: every form succeeds as its API route does (the API then
//! answers the change), is refused with the engine's reason where the API refuses, needs
//! its anti-forgery field, and a board of another organization is the 404 of a missing one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use axum::http::Method;
use common::console::Browser;
use common::{Reply, TestApp, demo_app};
use easel_server::demo::ORG;
use serde_json::{Value, json};

fn html(r: &Reply) -> &str {
    r.body
        .as_str()
        .unwrap_or_else(|| panic!("a page, not {}", r.body))
}

/// Where a `303 See Other` leads.
fn location(r: &Reply) -> &str {
    assert_eq!(r.status, 303, "{}", r.body);
    r.headers["location"].to_str().unwrap()
}

const WIRES: &str = "/ui/boards/brd_wireframes/share";

/// The person with `id` in the board's `/access` answer.
async fn access_of(app: &TestApp, token: &str, board: &str, id: &str) -> Option<Value> {
    let r = app.get(&format!("/v2/boards/{board}/access"), token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
}

fn channels(person: &Value) -> Vec<String> {
    person["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["channel"].as_str().unwrap(),
                c["role"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[tokio::test]
async fn the_dialog_lists_each_person_with_every_channel_the_api_lists() {
    let (app, demo) = demo_app();
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let r = app.page(&ben, WIRES).await;
    assert_eq!(r.status, 200);
    let page = html(&r);
    assert!(page.contains("Share “Wireframes”"), "{page}");
    assert!(page.contains("Gil Guest") && page.contains("Invited directly: can comment"));
    assert!(page.contains("Team Design: can edit"), "{page}");
    assert!(page.contains("Lowering or removing one channel leaves the others"));
    assert!(page.contains("Is owner"));

    let token = app.personal_token("usr_ben").await;
    let gil = access_of(&app, &token, "brd_wireframes", "usr_gil")
        .await
        .unwrap();
    assert_eq!(channels(&gil), ["direct:commenter"]);
    let cy = access_of(&app, &token, "brd_wireframes", "usr_cy")
        .await
        .unwrap();
    assert_eq!(channels(&cy), ["team:editor"]);

    // The roadmap: a project channel, and a company admin's own channels.
    let r = app.page(&ben, "/ui/boards/brd_roadmap/share").await;
    assert!(
        html(&r).contains("Project Launch: can edit"),
        "{}",
        html(&r)
    );

    // Embedded: no header around it, and every form goes on embedded.
    let r = app.page(&ben, &format!("{WIRES}?embed=1")).await;
    let page = html(&r);
    assert!(page.contains("class=\"embedded\""));
    assert!(!page.contains("Sign out"));
    assert!(page.contains("action=\"/ui/boards/brd_wireframes/share/invite?embed=1\""));
}

#[tokio::test]
async fn inviting_shares_with_each_address_and_lists_the_failures() {
    let (app, demo) = demo_app();
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let token = app.personal_token("usr_ben").await;

    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", "uma@acme.test"), ("role", "viewer")],
        )
        .await;
    assert_eq!(location(&r), format!("{WIRES}?done=invited"));
    let uma = access_of(&app, &token, "brd_wireframes", "usr_uma")
        .await
        .unwrap();
    assert_eq!(uma["role"], "viewer");
    assert_eq!(channels(&uma), ["direct:viewer"]);

    // One address shared, one refused: the dialog says which and why.
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite?embed=1"),
            &[
                ("emails", "eve@acme.test,\nnobody@acme.test"),
                ("role", "commenter"),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    let page = html(&r);
    assert!(page.contains("Shared with eve@acme.test."), "{page}");
    assert!(
        page.contains("nobody@acme.test") && page.contains("has no account yet"),
        "{page}"
    );
    assert!(page.contains("class=\"embedded\""));
    let eve = access_of(&app, &token, "brd_wireframes", "usr_eve")
        .await
        .unwrap();
    assert!(
        channels(&eve).contains(&"direct:commenter".to_string()),
        "{eve}"
    );

    // Nothing shared: the page at the refusal's status; no address or too many: refused.
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", "nobody@acme.test"), ("role", "viewer")],
        )
        .await;
    assert_eq!(
        r.status, 404,
        "an address without an account, as the API codes it"
    );
    assert!(html(&r).contains("Share “Wireframes”"));
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", " , "), ("role", "viewer")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(html(&r).contains("enter 1 to 20 email addresses"));
    let many = (0..21)
        .map(|i| format!("p{i}@acme.test"))
        .collect::<Vec<_>>()
        .join(" ");
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", &many), ("role", "viewer")],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", "uma@acme.test"), ("role", "boss")],
        )
        .await;
    assert_eq!(r.status, 400);

    // Co-owner is offered to the owner on the enterprise plan, and granted.
    let r = app.page(&ben, WIRES).await;
    assert!(html(&r).contains("<option value=\"coowner\">Co-owner</option>"));
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", "cy@acme.test"), ("role", "coowner")],
        )
        .await;
    assert_eq!(r.status, 303);
    let cy = access_of(&app, &token, "brd_wireframes", "usr_cy")
        .await
        .unwrap();
    assert_eq!(cy["role"], "coowner");
}

#[tokio::test]
async fn a_viewer_finds_the_invite_form_disabled_with_the_engines_reason() {
    let (app, demo) = demo_app();
    let token = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &token,
            json!({"emails": ["uma@acme.test"], "role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, 201);
    let uma = app.browser(&demo.service_token, "usr_uma").await;
    let r = app.page(&uma, WIRES).await;
    assert_eq!(r.status, 200);
    let page = html(&r);
    assert!(page.contains("<fieldset disabled>"), "{page}");
    assert!(page.contains("button type=\"submit\" disabled"), "{page}");
    assert!(page.contains("Your access: <strong>Can view"), "{page}");
    // No link, no requests, no controls on people.
    assert!(!page.contains("Reset link") && !page.contains("Access requests"));
    assert!(!page.contains("/members/usr_gil/role"));
    assert!(page.contains("Request edit access"));

    // Sent anyway, the form is refused as the API refuses it.
    let r = app
        .submit(
            &uma,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", "eve@acme.test"), ("role", "viewer")],
        )
        .await;
    assert_eq!(r.status, 403, "the page at the refusal's status");
    assert!(html(&r).contains("Not shared with:"));
    let api = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &app.personal_token("usr_uma").await,
            json!({"emails": ["eve@acme.test"], "role": "viewer"}),
        )
        .await;
    let code = api.body["failed"][0]["reason"].as_str().unwrap();
    assert!(html(&r).contains(code), "{code}");
    let eve = access_of(&app, &token, "brd_wireframes", "usr_eve")
        .await
        .unwrap();
    assert_eq!(channels(&eve), ["team:editor"], "no direct grant was made");
}

#[tokio::test]
async fn lowering_a_direct_grant_leaves_the_team_channel() {
    let (app, demo) = demo_app();
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let token = app.personal_token("usr_ben").await;
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/invite"),
            &[("emails", "cy@acme.test"), ("role", "editor")],
        )
        .await;
    assert_eq!(r.status, 303);
    let cy = access_of(&app, &token, "brd_wireframes", "usr_cy")
        .await
        .unwrap();
    assert_eq!(channels(&cy), ["direct:editor", "team:editor"]);

    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/members/usr_cy/role"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(location(&r), format!("{WIRES}?done=role"));
    let cy = access_of(&app, &token, "brd_wireframes", "usr_cy")
        .await
        .unwrap();
    assert_eq!(cy["role"], "editor", "the team channel still gives edit");
    assert_eq!(channels(&cy), ["direct:viewer", "team:editor"]);
    let r = app.page(&ben, &format!("{WIRES}?done=role")).await;
    let page = html(&r);
    assert!(page.contains("The direct access was changed."));
    assert!(page.contains("Invited directly: can view") && page.contains("Team Design: can edit"));

    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/members/usr_cy/remove?embed=1"),
            &[],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("{WIRES}?done=removed&embed=1"),
        "embedded stays embedded"
    );
    let cy = access_of(&app, &token, "brd_wireframes", "usr_cy")
        .await
        .unwrap();
    assert_eq!(channels(&cy), ["team:editor"]);
    let members = app.get("/v2/boards/brd_wireframes/members", &token).await;
    assert!(!members.body.to_string().contains("usr_cy"));

    // Someone without a direct grant: the engine's refusal, on the dialog.
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/members/usr_cy/role"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(r.status, 404);
    assert!(
        html(&r).contains("is not a member of the board"),
        "{}",
        html(&r)
    );
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/members/usr_gil/role"),
            &[("role", "owner")],
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn an_editor_may_not_change_a_co_owner() {
    let (app, demo) = demo_app();
    let token = app.personal_token("usr_ben").await;
    for (email, role) in [("uma@acme.test", "coowner"), ("cy@acme.test", "editor")] {
        let r = app
            .post(
                "/v2/boards/brd_wireframes/members",
                &token,
                json!({"emails": [email], "role": role}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let cy = app.browser(&demo.service_token, "usr_cy").await;
    let r = app.page(&cy, WIRES).await;
    let page = html(&r);
    // Cy shares (an editor of the team), but not above their role: no co-owner option,
    // and Uma's co-owner grant shown with its controls disabled and the reason.
    assert!(
        !page.contains("value=\"coowner\">Co-owner</option>"),
        "{page}"
    );
    assert!(
        page.contains("an editor may not change a coowner"),
        "{page}"
    );
    let r = app
        .submit(&cy, WIRES, &format!("{WIRES}/members/usr_uma/remove"), &[])
        .await;
    assert_eq!(r.status, 403);
    assert!(html(&r).contains("an editor may not change a coowner"));
    let uma = access_of(&app, &token, "brd_wireframes", "usr_uma")
        .await
        .unwrap();
    assert_eq!(uma["role"], "coowner");
}

#[tokio::test]
async fn team_company_and_link_access_change_as_a_patch_does() {
    let (app, demo) = demo_app();
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let token = app.personal_token("usr_ben").await;
    let r = app.page(&ben, WIRES).await;
    let page = html(&r);
    assert!(page.contains("id=\"access-team\"") && page.contains("id=\"access-company\""));
    assert!(page.contains("Anyone with the link"));

    for (channel, level, field, want) in [
        ("public", "viewer", "access", "view"),
        ("company", "commenter", "organizationAccess", "comment"),
        ("team", "private", "teamAccess", "private"),
    ] {
        let r = app
            .submit(
                &ben,
                WIRES,
                &format!("{WIRES}/access"),
                &[("channel", channel), ("access", level)],
            )
            .await;
        assert_eq!(location(&r), format!("{WIRES}?done=access"));
        let b = app.get("/v2/boards/brd_wireframes", &token).await;
        assert_eq!(b.body["policy"]["sharingPolicy"][field], want, "{channel}");
    }
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/access"),
            &[("channel", "everyone"), ("access", "viewer")],
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn turning_public_links_off_takes_the_option_out_of_the_dialog() {
    let (app, demo) = demo_app();
    let eve = app.browser(&demo.service_token, "usr_eve").await;
    let brand = "/ui/boards/brd_brand/share";
    let press = "/ui/boards/brd_press/share";
    let r = app.page(&eve, brand).await;
    assert!(html(&r).contains("id=\"access-public\""));

    let r = app
        .call(
            Method::PATCH,
            &format!("/v2/orgs/{ORG}/settings"),
            Some(&demo.admin_token),
            Some(json!({"public_link_sharing": "off"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A board without link access: the option is gone.
    let r = app.page(&eve, brand).await;
    let page = html(&r);
    assert!(!page.contains("id=\"access-public\""), "{page}");
    assert!(!page.contains("Anyone with the link"));
    assert!(page.contains("Sharing by public link is turned off"));
    // A board whose link gave view: suspended, kept, and only "Off" may be chosen.
    let r = app.page(&eve, press).await;
    let page = html(&r);
    assert!(page.contains("suspended: the company or team settings turn public links off"));
    assert!(
        page.contains("<option value=\"private\" selected>Off</option>"),
        "{page}"
    );
    let select = &page[page.find("id=\"access-public\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(select.matches("<option").count(), 1, "{select}");

    // Sent anyway, the link level is refused as the API refuses it.
    let r = app
        .submit(
            &eve,
            brand,
            "/ui/boards/brd_brand/share/access",
            &[("channel", "public"), ("access", "viewer")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.headers.get("x-easel-reason"),
        None,
        "the dialog, not an error page"
    );
    assert!(
        html(&r).contains("policy.public_link_disabled"),
        "{}",
        html(&r)
    );
    let token = app.personal_token("usr_eve").await;
    let api = app
        .call(
            Method::PATCH,
            "/v2/boards/brd_brand",
            Some(&token),
            Some(json!({"policy": {"sharingPolicy": {"access": "view"}}})),
        )
        .await;
    assert_eq!(api.status, 403);
    assert_eq!(api.body["code"], "policy.public_link_disabled");

    // Turning the suspended link off is allowed.
    let r = app
        .submit(
            &eve,
            press,
            "/ui/boards/brd_press/share/access",
            &[("channel", "public"), ("access", "private")],
        )
        .await;
    assert_eq!(r.status, 303);
    let b = app.get("/v2/boards/brd_press", &token).await;
    assert_eq!(b.body["policy"]["sharingPolicy"]["access"], "private");
}

#[tokio::test]
async fn the_link_resets_and_takes_a_password() {
    let (app, demo) = demo_app();
    let eve = app.browser(&demo.service_token, "usr_eve").await;
    let press = "/ui/boards/brd_press/share";
    let r = app.page(&eve, press).await;
    let page = html(&r);
    assert!(
        page.contains("data-copy=\"share-link\"") && page.contains("value=\"/boards/brd_press\"")
    );

    let check = |link: String| {
        json!({"subject": {"anonymous": true}, "action": "board.view",
               "resource": {"board": "brd_press"}, "context": {"linkToken": link}})
    };
    let r = app
        .post(
            "/v1/check",
            &demo.service_token,
            check(demo.link_token.clone()),
        )
        .await;
    assert_eq!(r.body["allowed"], true, "{}", r.body);

    let r = app
        .submit(&eve, press, &format!("{press}/link/reset"), &[])
        .await;
    assert_eq!(r.status, 200, "the new link is shown, not redirected to");
    let page = html(&r).to_string();
    let at = page.find("/boards/brd_press?link=").unwrap();
    let token: String = page[at + "/boards/brd_press?link=".len()..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert!(page.contains("data-copy=\"new-link\""));
    let r = app
        .post(
            "/v1/check",
            &demo.service_token,
            check(demo.link_token.clone()),
        )
        .await;
    assert_eq!(r.body["allowed"], false, "the old link stopped working");
    let r = app
        .post("/v1/check", &demo.service_token, check(token))
        .await;
    assert_eq!(r.body["allowed"], true, "{}", r.body);

    let api = app.personal_token("usr_eve").await;
    let r = app
        .submit(
            &eve,
            press,
            &format!("{press}/password"),
            &[("password", "open sesame")],
        )
        .await;
    assert_eq!(location(&r), format!("{press}?done=password"));
    let b = app.get("/v2/boards/brd_press", &api).await;
    assert_eq!(
        b.body["policy"]["sharingPolicy"]["accessPasswordRequired"],
        true
    );
    let r = app.page(&eve, press).await;
    assert!(html(&r).contains("Remove password"));

    let r = app
        .submit(
            &eve,
            press,
            &format!("{press}/password"),
            &[("password", "")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(html(&r).contains("a password is 1 to 128 characters"));

    let r = app
        .submit(&eve, press, &format!("{press}/password/remove"), &[])
        .await;
    assert_eq!(location(&r), format!("{press}?done=password-removed"));
    let b = app.get("/v2/boards/brd_press", &api).await;
    assert_eq!(
        b.body["policy"]["sharingPolicy"]["accessPasswordRequired"],
        false
    );
}

#[tokio::test]
async fn a_member_without_access_asks_for_it_and_learns_nothing_more() {
    let (app, demo) = demo_app();
    let roadmap = "/ui/boards/brd_roadmap/share";
    let uma = app.browser(&demo.service_token, "usr_uma").await;
    let r = app.page(&uma, roadmap).await;
    assert_eq!(r.status, 200);
    let page = html(&r);
    assert!(page.contains("<h1>Request access</h1>"), "{page}");
    for secret in [
        "Launch",
        "Ben",
        "Design",
        "Gil",
        "Cy Engineer",
        "Team",
        "Owner",
    ] {
        assert!(!page.contains(secret), "the page names `{secret}`: {page}");
    }

    let r = app
        .submit(
            &uma,
            roadmap,
            &format!("{roadmap}/request-access"),
            &[("role", "commenter")],
        )
        .await;
    assert_eq!(location(&r), format!("{roadmap}?done=requested"));
    let r = app.page(&uma, &format!("{roadmap}?done=requested")).await;
    let page = html(&r);
    assert!(page.contains("Your request was sent"));
    assert!(page.contains("You asked for “Can comment”"), "{page}");

    let ben_token = app.personal_token("usr_ben").await;
    let r = app
        .get("/v2/boards/brd_roadmap/access-requests", &ben_token)
        .await;
    let request = r.body["data"][0].clone();
    assert_eq!(request["user"], "usr_uma");
    assert_eq!(request["state"], "pending");
    let rid = request["id"].as_str().unwrap().to_string();

    // Ben approves at another role than asked.
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let r = app.page(&ben, roadmap).await;
    assert!(html(&r).contains("Uma User-Admin") && html(&r).contains("Access requests"));
    let r = app
        .submit(
            &ben,
            roadmap,
            &format!("{roadmap}/requests/{rid}/approve"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(location(&r), format!("{roadmap}?done=approved"));
    let uma_access = access_of(&app, &ben_token, "brd_roadmap", "usr_uma")
        .await
        .unwrap();
    assert_eq!(channels(&uma_access), ["direct:viewer"]);
    let r = app
        .get("/v2/boards/brd_roadmap/access-requests", &ben_token)
        .await;
    assert_eq!(r.body["data"][0]["state"], "approved");
    // Decided once: approving again is refused, on the dialog.
    let r = app
        .submit(
            &ben,
            roadmap,
            &format!("{roadmap}/requests/{rid}/approve"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(r.status, 403, "{}", html(&r));
    assert!(html(&r).contains("state.not_pending"));

    // Uma, now a viewer, sees the dialog and asks to edit; Ben denies.
    let r = app.page(&uma, roadmap).await;
    assert!(html(&r).contains("Share “Launch roadmap”"));
    let r = app
        .submit(
            &uma,
            roadmap,
            &format!("{roadmap}/request-access"),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = app.page(&uma, roadmap).await;
    assert!(html(&r).contains("You asked for edit access"));
    let r = app
        .get("/v2/boards/brd_roadmap/access-requests", &ben_token)
        .await;
    let rid = r.body["data"][1]["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["data"][1]["role"], "editor");
    let r = app
        .submit(
            &ben,
            roadmap,
            &format!("{roadmap}/requests/{rid}/deny"),
            &[],
        )
        .await;
    assert_eq!(location(&r), format!("{roadmap}?done=denied"));
    let r = app
        .get("/v2/boards/brd_roadmap/access-requests", &ben_token)
        .await;
    assert_eq!(r.body["data"][1]["state"], "denied");

    // A request of another board is not this board's to decide.
    let r = app
        .submit(
            &ben,
            WIRES,
            &format!("{WIRES}/requests/{rid}/approve"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn ownership_moves_after_a_confirmation() {
    let (app, demo) = demo_app();
    let token = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/boards/brd_wireframes/members",
            &token,
            json!({"emails": ["cy@acme.test"], "role": "editor"}),
        )
        .await;
    assert_eq!(r.status, 201);
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let r = app.page(&ben, WIRES).await;
    let page = html(&r);
    assert!(
        page.contains("href=\"/ui/boards/brd_wireframes/share/transfer/usr_cy\""),
        "{page}"
    );
    // Gil, a guest, may not own it: no way offered.
    assert!(!page.contains("/transfer/usr_gil"));

    let confirm = format!("{WIRES}/transfer/usr_cy");
    let r = app.page(&ben, &confirm).await;
    assert_eq!(r.status, 200);
    let page = html(&r);
    assert!(
        page.contains("Make <strong>Cy Engineer</strong>") && page.contains("Transfer ownership")
    );
    let r = app.submit(&ben, &confirm, &confirm, &[]).await;
    assert_eq!(location(&r), format!("{WIRES}?done=transferred"));
    let b = app.get("/v2/boards/brd_wireframes", &token).await;
    assert_eq!(b.body["owner"]["id"], "usr_cy");
    assert_eq!(b.body["currentUserMembership"]["role"], "editor");

    // The engine's refusal on the confirmation page: Ben no longer owns the board.
    let r = app.page(&ben, &format!("{WIRES}/transfer/usr_gil")).await;
    assert_eq!(r.status, 403);
    assert!(!html(&r).contains("type=\"submit\" class=\"danger\""));
    let r = app
        .submit(&ben, WIRES, &format!("{WIRES}/transfer/usr_gil"), &[])
        .await;
    assert_eq!(r.status, 403);
    // Someone who is no one here, or not on the board's list of direct collaborators, is
    // not named: the 404 page.
    for who in ["usr_nobody", "usr_uma"] {
        let r = app.page(&ben, &format!("{WIRES}/transfer/{who}")).await;
        assert_eq!(r.status, 404, "{who}");
        assert!(!html(&r).contains("Uma"));
    }
}

/// Globex, another organization, with its admin signed in and a board of its own.
async fn with_globex(app: &TestApp) -> Browser {
    let gx = Some("usr_gx");
    app.run_as(None, json!({"type": "create_user", "user": "usr_gx", "email": "admin@globex.test", "name": "Globex Admin"}))
        .await;
    app.run_as(
        gx,
        json!({"type": "create_org", "org": "globex", "name": "Globex", "plan": "enterprise"}),
    )
    .await;
    app.run_as(gx, json!({"type": "create_team", "org": "globex", "team": "team_gx", "name": "Secret projects"}))
        .await;
    app.run_as(
        gx,
        json!({"type": "create_board", "team": "team_gx", "board": "brd_gx", "name": "Acquisition plan", "project": null}),
    )
    .await;
    let service = app.service_token("svc_everywhere", None).await;
    let r = app
        .post(
            "/v1/sessions",
            &service,
            json!({"userId": "usr_gx", "orgId": "globex"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    Browser {
        cookie: format!("easel_session={}", r.body["session"].as_str().unwrap()),
    }
}

#[tokio::test]
async fn another_organizations_board_is_answered_as_a_missing_one() {
    let (app, demo) = demo_app();
    let gx = with_globex(&app).await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let same = |a: &Reply, b: &Reply| {
        assert_eq!(a.status, 404);
        assert_eq!(a.status, b.status);
        assert_eq!(a.body, b.body);
        assert_eq!(a.headers["x-easel-reason"], b.headers["x-easel-reason"]);
    };
    for (who, foreign) in [(&ana, "brd_gx"), (&gx, "brd_roadmap")] {
        let page = |id: &str| format!("/ui/boards/{id}/share");
        same(
            &app.page(who, &page(foreign)).await,
            &app.page(who, &page("brd_nothing")).await,
        );
        same(
            &app.page(who, &format!("{}/transfer/usr_ana", page(foreign)))
                .await,
            &app.page(who, &format!("{}/transfer/usr_ana", page("brd_nothing")))
                .await,
        );
        let home = "/ui/";
        for (action, fields) in [
            (
                "/invite",
                vec![("emails", "ana@acme.test"), ("role", "viewer")],
            ),
            ("/request-access", vec![("role", "viewer")]),
            ("/access", vec![("channel", "public"), ("access", "viewer")]),
            ("/link/reset", vec![]),
            ("/password", vec![("password", "x")]),
            ("/members/usr_ana/remove", vec![]),
            ("/transfer/usr_ana", vec![]),
            ("/requests/req_x/deny", vec![]),
        ] {
            let a = app
                .submit(who, home, &format!("{}{action}", page(foreign)), &fields)
                .await;
            let b = app
                .submit(
                    who,
                    home,
                    &format!("{}{action}", page("brd_nothing")),
                    &fields,
                )
                .await;
            same(&a, &b);
        }
    }
    // And the API answers the request for access alike.
    let token = app.personal_token("usr_ana").await;
    let r = app
        .post(
            "/v2/boards/brd_gx/access-requests",
            &token,
            json!({"role": "viewer"}),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn every_form_needs_its_anti_forgery_field() {
    let (app, demo) = demo_app();
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    for action in [
        "/invite",
        "/members/usr_gil/role",
        "/members/usr_gil/remove",
        "/transfer/usr_gil",
        "/access",
        "/link/reset",
        "/password",
        "/password/remove",
        "/requests/req_x/approve",
        "/requests/req_x/deny",
        "/request-access",
    ] {
        let path = format!("{WIRES}{action}");
        let r = app.post_form(&ben, &path, &[("role", "viewer")]).await;
        assert_eq!(r.status, 403, "{action}");
        let r = app
            .post_form(
                &ben,
                &path,
                &[("csrf", "0".repeat(64).as_str()), ("role", "viewer")],
            )
            .await;
        assert_eq!(r.status, 403, "{action}");
    }
    let token = app.personal_token("usr_ben").await;
    let gil = access_of(&app, &token, "brd_wireframes", "usr_gil")
        .await
        .unwrap();
    assert_eq!(gil["role"], "commenter", "nothing changed");
}

#[tokio::test]
async fn bad_addresses_never_fail_the_server() {
    let (app, demo) = demo_app();
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    for path in [
        "/ui/boards/%00/share",
        "/ui/boards/brd_wireframes/share?people=nonsense",
        "/ui/boards/brd_wireframes/share?done=%ZZ",
        "/ui/boards/brd_wireframes/share/transfer/%2F..%2F",
    ] {
        let r = app.page(&ben, path).await;
        assert!(
            r.status.is_client_error() || r.status.is_success(),
            "{path}: {}",
            r.status
        );
    }
    let r = app
        .page(&ben, "/ui/boards/brd_wireframes/share?done=%3Cscript%3E")
        .await;
    assert_eq!(r.status, 200);
    assert!(!html(&r).contains("<script>"));
}
