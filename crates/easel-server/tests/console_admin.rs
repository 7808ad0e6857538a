//! The organization's admin pages, in process: each form works as a browser sends it (the
//! fields the page shows, changed as a person would) and the API then answers the change;
//! a viewer without the privilege is refused, or sees the controls disabled with the
//! engine's reason; another organization's pages answer as missing ones; a form without
//! its anti-forgery field is refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::console::{Browser, csrf_of};
use common::{Reply, TestApp, demo_app};
use easel_core::catalog::Privilege;
use easel_server::demo::{Demo, ORG};
use serde_json::json;

/// Another organization, of someone else, with a team.
const OTHER: &str = "2718281828";

fn html(r: &Reply) -> &str {
    r.body.as_str().unwrap_or("")
}

/// The value of attribute `name` in a tag's text, unescaped; `Some("")` for a bare one.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().last();
        let after = &rest[at + name.len()..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        if let Some(v) = after.strip_prefix("=\"") {
            return Some(unescape(&v[..v.find('"')?]));
        }
        if after.starts_with([' ', '>', '/']) {
            return Some(String::new());
        }
    }
    None
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// What a browser sends for the form that posts to `action`, as the page shows it: text and
/// hidden fields, ticked boxes, each select's chosen option, textareas.
fn form_fields(page: &str, action: &str) -> Vec<(String, String)> {
    let marker = format!("action=\"{action}\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no form posts to {action}"));
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if tag.starts_with("<input") {
            let name = attr(tag, "name");
            let kind = attr(tag, "type").unwrap_or_default();
            if let Some(name) = name
                && (kind != "checkbox" || attr(tag, "checked").is_some())
            {
                out.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<select") {
            let name = attr(tag, "name").unwrap();
            let body = &rest[..rest.find("</select>").unwrap()];
            let options: Vec<&str> = body.split("<option").skip(1).collect();
            let chosen = options
                .iter()
                .find(|o| attr(&o[..=o.find('>').unwrap()], "selected").is_some())
                .or(options.first())
                .unwrap();
            out.push((
                name,
                attr(&chosen[..=chosen.find('>').unwrap()], "value").unwrap(),
            ));
        } else if tag.starts_with("<textarea") {
            let name = attr(tag, "name").unwrap();
            let body = &rest[end + 1..];
            out.push((name, unescape(&body[..body.find("</textarea>").unwrap()])));
        }
        rest = &rest[end + 1..];
    }
    out
}

/// `fields` with `name` set to `value` (or taken out, as an unticked box is).
fn with(
    mut fields: Vec<(String, String)>,
    name: &str,
    value: Option<&str>,
) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != name);
    if let Some(v) = value {
        fields.push((name.to_string(), v.to_string()));
    }
    fields
}

impl TestApp {
    /// Sends the form of the page at `page` that posts to `action`, as the page shows it
    /// with `change` applied, and returns the answer.
    async fn send(
        &self,
        browser: &Browser,
        page: &str,
        action: &str,
        change: impl FnOnce(Vec<(String, String)>) -> Vec<(String, String)>,
    ) -> Reply {
        let shown = self.page(browser, page).await;
        assert_eq!(shown.status, 200, "{page}: {}", html(&shown));
        let fields = change(form_fields(html(&shown), action));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post_form(browser, action, &pairs).await
    }
}

fn redirected(r: &Reply, to: &str) {
    assert_eq!(r.status, 303, "{}", html(r));
    let location = r.headers["location"].to_str().unwrap();
    assert!(location.starts_with(to), "{location} is not {to}");
}

async fn setup() -> (TestApp, Demo) {
    let (app, demo) = demo_app();
    app.run_as(
        None,
        json!({"type": "create_user", "user": "usr_zed", "email": "zed@other.test", "name": "Zed Other"}),
    )
    .await;
    app.run_as(
        None,
        json!({"type": "create_org", "org": OTHER, "name": "Other Co", "plan": "enterprise", "owner": "usr_zed"}),
    )
    .await;
    app.run_as(
        None,
        json!({"type": "create_team", "org": OTHER, "team": "team_other", "name": "Others"}),
    )
    .await;
    (app, demo)
}

fn settings_page() -> String {
    format!("/ui/orgs/{ORG}/settings")
}

#[tokio::test]
async fn company_settings_are_grouped_and_saved_with_the_apis_command() {
    let (app, demo) = setup().await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let page = app.page(&ana, &settings_page()).await;
    assert_eq!(page.status, 200);
    let text = html(&page);
    let mut last = 0;
    for heading in [
        "Security &amp; Compliance",
        "Authentication",
        "Idle session timeout",
        "Collaboration",
        "Restrict allowed domains",
        "Sharing via a public link",
        "Who can invite new members",
        "Team privacy",
        "Allow the co-owner role",
        "Sharing via embed",
        "Data classification",
        "Classification labels",
        "Board classification",
        "Content",
        "Extended content admin",
        "Guest deactivation",
    ] {
        let at = text[last..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} after the previous one"));
        last += at;
    }
    assert!(!text.contains("disabled"), "Ana may change every group");

    // Public links off through the page; the API's settings say so, and nothing else moved.
    let before = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    let action = format!("/ui/orgs/{ORG}/settings/collaboration");
    let r = app
        .send(&ana, &settings_page(), &action, |f| {
            with(f, "public_link_sharing", Some("off"))
        })
        .await;
    redirected(&r, &format!("{}?done=saved", settings_page()));
    let after = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    assert_eq!(after.body["public_link_sharing"], "off");
    let mut expected = before.body.clone();
    expected["public_link_sharing"] = json!("off");
    assert_eq!(after.body, expected);
    let shown = app
        .page(&ana, &format!("{}?done=saved", settings_page()))
        .await;
    assert!(html(&shown).contains("The settings are saved."));
    assert!(html(&shown).contains(r#"<option value="off" selected>"#));

    // The same form sent back unchanged changes nothing.
    let r = app.send(&ana, &settings_page(), &action, |f| f).await;
    redirected(&r, &format!("{}?done=unchanged", settings_page()));

    // Allowed domains, a list behind a switch.
    let r = app
        .send(&ana, &settings_page(), &action, |f| {
            let f = with(f, "allowed_domains.on", Some("on"));
            with(f, "allowed_domains", Some("acme.test\npartner.test"))
        })
        .await;
    redirected(&r, &settings_page());
    let s = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    assert_eq!(
        s.body["allowed_domains"],
        json!(["acme.test", "partner.test"])
    );

    // The idle timeout, in minutes.
    let auth = format!("/ui/orgs/{ORG}/settings/authentication");
    let r = app
        .send(&ana, &settings_page(), &auth, |f| {
            with(f, "idle_session_timeout_secs", Some("45"))
        })
        .await;
    redirected(&r, &settings_page());
    let s = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    assert_eq!(s.body["idle_session_timeout_secs"], 2700);

    // Classification labels keep their colours through the page.
    let classification = format!("/ui/orgs/{ORG}/settings/classification");
    let r = app
        .send(&ana, &settings_page(), &classification, |f| {
            with(f, "board_classification.default", Some("internal"))
        })
        .await;
    redirected(&r, &settings_page());
    let s = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    let c = &s.body["board_classification"];
    assert_eq!(c["default_label"], "internal");
    assert_eq!(
        c["labels"][2],
        json!({"name": "confidential", "color": "#F24726"})
    );

    // A value the settings cannot hold is refused on the page, and nothing changes.
    let r = app
        .send(&ana, &settings_page(), &action, |f| {
            with(f, "public_link_sharing", Some("sometimes"))
        })
        .await;
    assert_eq!(r.status, 400);
    assert!(html(&r).contains("class=\"refusal\""), "{}", html(&r));
    let r = app
        .send(&ana, &settings_page(), &classification, |f| {
            with(f, "board_classification.default", Some("nonesuch"))
        })
        .await;
    assert_eq!(r.status, 400, "{}", html(&r));
    assert!(html(&r).contains("nonesuch"));
    let s = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    assert_eq!(s.body["public_link_sharing"], "off");
}

#[tokio::test]
async fn settings_are_refused_as_the_api_refuses_reading_them() {
    let (app, demo) = setup().await;
    for user in ["usr_ben", "usr_uma", "usr_cy"] {
        let b = app.browser(&demo.service_token, user).await;
        let r = app.page(&b, &settings_page()).await;
        assert_eq!(r.status, 403, "{user}");
        assert_eq!(r.headers["x-easel-reason"], "authority.missing_privilege");
        let token = app.personal_token(user).await;
        let api = app.get(&format!("/v2/orgs/{ORG}/settings"), &token).await;
        assert_eq!(api.status, 403, "the API refuses {user} alike");
    }
    // A form posted anyway is refused by the command, and changes nothing.
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let token = csrf_of(html(&app.page(&ben, "/ui/").await)).unwrap();
    let r = app
        .post_form(
            &ben,
            &format!("/ui/orgs/{ORG}/settings/collaboration"),
            &[
                ("csrf", &token),
                ("public_link_sharing", "off"),
                ("who_can_invite", "all_members"),
                ("team_privacy", "visible"),
                ("coowner_role", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "{}", html(&r));
    let s = app
        .get(&format!("/v2/orgs/{ORG}/settings"), &demo.admin_token)
        .await;
    assert_eq!(s.body["public_link_sharing"], "any");
}

#[tokio::test]
async fn another_organizations_pages_answer_as_missing_ones() {
    let (app, demo) = setup().await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    for section in [
        "settings",
        "teams",
        "members",
        "admin-roles",
        "groups",
        "invitations",
        "teams/team_other/settings",
        "groups/grp_reviewers",
        "members/usr_zed/remove",
    ] {
        let theirs = app.page(&ana, &format!("/ui/orgs/{OTHER}/{section}")).await;
        let missing = app.page(&ana, &format!("/ui/orgs/404404/{section}")).await;
        assert_eq!(theirs.status, 404, "{section}");
        assert_eq!(missing.status, 404, "{section}");
        assert_eq!(theirs.body, missing.body, "{section}");
        assert_eq!(theirs.headers["x-easel-reason"], "request.not_found");
    }
    // Their team, or their member, under our organization's address: not there either.
    for path in [
        format!("/ui/orgs/{ORG}/teams/team_other/settings"),
        format!("/ui/orgs/{ORG}/members/usr_zed/remove"),
        format!("/ui/orgs/{ORG}/groups/grp_nope"),
        format!("/ui/orgs/{ORG}/teams/team_nope/settings"),
    ] {
        assert_eq!(app.page(&ana, &path).await.status, 404, "{path}");
    }
    // Forms aimed at them are refused the same way, with a genuine token.
    let token = csrf_of(html(&app.page(&ana, "/ui/").await)).unwrap();
    for (path, fields) in [
        (
            format!("/ui/orgs/{OTHER}/settings/collaboration"),
            vec![("public_link_sharing", "off")],
        ),
        (
            format!("/ui/orgs/{ORG}/teams/team_other/settings/team"),
            vec![],
        ),
        (
            format!("/ui/orgs/{OTHER}/members/usr_zed/deactivate"),
            vec![],
        ),
        (format!("/ui/orgs/{ORG}/members/usr_zed/deactivate"), vec![]),
        (
            format!("/ui/orgs/{OTHER}/groups/create"),
            vec![("name", "Spies")],
        ),
        (
            format!("/ui/orgs/{OTHER}/invitations/invite"),
            vec![("email", "x@other.test")],
        ),
    ] {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields);
        let r = app.post_form(&ana, &path, &all).await;
        assert_eq!(r.status, 404, "{path}: {}", html(&r));
    }
}

#[tokio::test]
async fn every_form_needs_its_anti_forgery_field() {
    let (app, demo) = setup().await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    for path in [
        "settings/collaboration",
        "settings/authentication",
        "teams/team_design/settings/team",
        "teams/team_design/settings/company",
        "members/usr_cy/deactivate",
        "members/usr_cy/reactivate",
        "members/usr_gil/remove",
        "admin-roles/assign",
        "admin-roles/remove",
        "groups/create",
        "groups/grp_reviewers/rename",
        "groups/grp_reviewers/delete",
        "groups/grp_reviewers/members/add",
        "groups/grp_reviewers/members/remove",
        "invitations/invite",
        "invitations/revoke",
    ] {
        let path = format!("/ui/orgs/{ORG}/{path}");
        let r = app.post_form(&ana, &path, &[("name", "x")]).await;
        assert_eq!(r.status, 403, "{path}");
        let wrong = "0".repeat(64);
        let r = app
            .post_form(&ana, &path, &[("csrf", wrong.as_str()), ("name", "x")])
            .await;
        assert_eq!(r.status, 403, "{path}");
    }
    // Nothing changed.
    let members = app
        .get(&format!("/v2/orgs/{ORG}/members/usr_cy"), &demo.admin_token)
        .await;
    assert_eq!(members.body["active"], true);
    let group = app
        .get(
            &format!("/v2/orgs/{ORG}/groups/grp_reviewers"),
            &demo.admin_token,
        )
        .await;
    assert_eq!(group.status, 200);
}

#[tokio::test]
async fn team_settings_are_saved_by_team_admins_and_read_only_to_members() {
    let (app, demo) = setup().await;
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    let list = app.page(&ben, &format!("/ui/orgs/{ORG}/teams")).await;
    assert_eq!(list.status, 200);
    assert!(html(&list).contains("Design"));
    let page = format!("/ui/orgs/{ORG}/teams/team_design/settings");
    let shown = app.page(&ben, &page).await;
    assert_eq!(shown.status, 200);
    let text = html(&shown);
    assert!(text.contains("Who can create") && text.contains("Team discovery"));
    // Guest invitations are the company admins': disabled for Ben, with the engine's words.
    let company = &text[text.find("Set by company admins").unwrap()..];
    assert!(
        company.contains("fieldset class=\"plain\" disabled"),
        "{company}"
    );
    assert!(company.contains("only company admins"), "{company}");

    let action = format!("{page}/team");
    let r = app
        .send(&ben, &page, &action, |f| {
            let f = with(f, "board_moving", None);
            with(f, "team_discovery", Some("open"))
        })
        .await;
    redirected(&r, &format!("{page}?done=saved"));
    let token = app.personal_token("usr_ben").await;
    let api = app
        .get(
            &format!("/v2/orgs/{ORG}/teams/team_design/settings"),
            &token,
        )
        .await;
    assert_eq!(api.body["board_moving"], false);
    assert_eq!(api.body["team_discovery"], "open");
    assert_eq!(api.body["guest_invites"], true);

    // Ben posts the company admins' part anyway: the engine refuses it.
    let r = app
        .send(&ben, &page, &format!("{page}/company"), |f| {
            with(f, "guest_invites", None)
        })
        .await;
    assert_eq!(r.status, 403, "{}", html(&r));

    // Ana, a company admin, turns guest invitations off.
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let r = app
        .send(&ana, &page, &format!("{page}/company"), |f| {
            with(f, "guest_invites", None)
        })
        .await;
    redirected(&r, &page);
    let api = app
        .get(
            &format!("/v2/orgs/{ORG}/teams/team_design/settings"),
            &token,
        )
        .await;
    assert_eq!(api.body["guest_invites"], false);

    // Cy, a member, sees the settings read-only and may not change them.
    let cy = app.browser(&demo.service_token, "usr_cy").await;
    let shown = app.page(&cy, &page).await;
    assert_eq!(shown.status, 200);
    let text = html(&shown);
    let team = &text[text.find("p-team").unwrap()..text.find("p-company").unwrap()];
    assert!(team.contains("fieldset class=\"plain\" disabled"), "{team}");
    assert!(team.contains("class=\"why\""), "{team}");
    let r = app
        .send(&cy, &page, &action, |f| with(f, "board_moving", Some("on")))
        .await;
    assert_eq!(r.status, 403);
    let api = app
        .get(
            &format!("/v2/orgs/{ORG}/teams/team_design/settings"),
            &token,
        )
        .await;
    assert_eq!(api.body["board_moving"], false);
}

#[tokio::test]
async fn members_are_filtered_paged_deactivated_and_removed() {
    let (app, demo) = setup().await;
    // Enough members for two pages.
    for i in 0..55 {
        let (user, email) = (format!("usr_p{i:02}"), format!("p{i:02}@acme.test"));
        app.run_as(
            None,
            json!({"type": "create_user", "user": user, "email": email, "name": format!("Person {i:02}")}),
        )
        .await;
        app.run_as(
            None,
            json!({"type": "add_member", "org": ORG, "user": user, "email": email, "name": format!("Person {i:02}")}),
        )
        .await;
    }
    let uma = app.browser(&demo.service_token, "usr_uma").await;
    let base = format!("/ui/orgs/{ORG}/members");
    let first = app.page(&uma, &base).await;
    assert_eq!(first.status, 200);
    let text = html(&first);
    assert_eq!(text.matches("<tr>").count(), 51, "a header and 50 rows");
    let next = text
        .split("href=\"")
        .find_map(|s| {
            let href = &s[..s.find('"')?];
            href.contains("cursor=").then(|| unescape(href))
        })
        .expect("a next page");
    let second = app.page(&uma, &next).await;
    assert_eq!(second.status, 200);
    assert_eq!(html(&second).matches("<tr>").count(), 1 + 61 - 50);
    assert!(html(&second).contains("First page"));
    // A cursor of another list is refused.
    let forged = next.replace("members?", "members?role=guest&");
    assert_eq!(app.page(&uma, &forged).await.status, 400);

    // Filters: by role, by email, by status.
    let guests = app.page(&uma, &format!("{base}?role=guest")).await;
    assert!(html(&guests).contains("Gil Guest"));
    assert!(!html(&guests).contains("Ben Designer"));
    let one = app
        .page(&uma, &format!("{base}?email=ben%40acme.test"))
        .await;
    assert!(html(&one).contains("Ben Designer"));
    assert_eq!(html(&one).matches("<tr>").count(), 2);

    // Deactivate and reactivate Cy.
    let r = app
        .send(&uma, &base, &format!("{base}/usr_cy/deactivate"), |f| f)
        .await;
    redirected(&r, &format!("{base}?done=deactivated"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/members/usr_cy"), &demo.admin_token)
        .await;
    assert_eq!(api.body["active"], false);
    let off = app.page(&uma, &format!("{base}?active=false")).await;
    assert!(html(&off).contains("Cy Engineer"));
    assert!(!html(&off).contains("Ben Designer"));
    let r = app
        .send(
            &uma,
            &format!("{base}?active=false"),
            &format!("{base}/usr_cy/reactivate"),
            |f| f,
        )
        .await;
    redirected(&r, &format!("{base}?done=reactivated"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/members/usr_cy"), &demo.admin_token)
        .await;
    assert_eq!(api.body["active"], true);

    // The last company admin's removal is offered disabled, with the engine's reason.
    let ana = app.page(&uma, &format!("{base}/usr_ana/remove")).await;
    assert_eq!(ana.status, 200);
    assert!(
        html(&ana).contains("<button type=\"submit\" disabled"),
        "{}",
        html(&ana)
    );
    assert!(html(&ana).contains("at least one active company admin"));

    // Remove Gil, with Ben as the successor of his boards.
    let confirm = format!("{base}/usr_gil/remove");
    let r = app
        .send(&uma, &confirm, &confirm, |f| {
            with(f, "successor", Some("ben@acme.test"))
        })
        .await;
    redirected(&r, &format!("{base}?done=removed"));
    let api = app
        .get(
            &format!("/v2/orgs/{ORG}/members/usr_gil"),
            &demo.admin_token,
        )
        .await;
    assert_eq!(api.status, 404);
    // A successor who is no one is refused on the page.
    let confirm = format!("{base}/usr_p00/remove");
    let r = app
        .send(&uma, &confirm, &confirm, |f| {
            with(f, "successor", Some("nobody@nowhere.test"))
        })
        .await;
    assert_eq!(r.status, 404, "{}", html(&r));
    assert!(html(&r).contains("class=\"refusal\""));

    // Ben, without users.view, is refused the page as the API refuses him.
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    assert_eq!(app.page(&ben, &base).await.status, 403);
    let token = csrf_of(html(&app.page(&ben, "/ui/").await)).unwrap();
    let r = app
        .post_form(
            &ben,
            &format!("{base}/usr_cy/deactivate"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn admin_roles_show_holders_the_catalog_and_what_may_not_be_removed() {
    let (app, demo) = setup().await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let base = format!("/ui/orgs/{ORG}/admin-roles");
    let page = app.page(&ana, &base).await;
    assert_eq!(page.status, 200);
    let text = html(&page);
    assert!(text.contains("Uma User-Admin"));
    for p in Privilege::ALL {
        assert!(
            text.contains(&format!("<code>{}</code>", p.id())),
            "{}",
            p.id()
        );
    }
    // Ana is the only company admin: removing her role is offered disabled, with why.
    let at = text.find("Remove Company admin from Ana Admin").unwrap();
    let button = &text[text[..at].rfind("<button").unwrap()..at];
    assert!(button.contains("disabled"), "{button}");

    let r = app
        .send(&ana, &base, &format!("{base}/assign"), |f| {
            let f = with(f, "user", Some("cy@acme.test"));
            with(f, "role", Some("content_admin"))
        })
        .await;
    redirected(&r, &format!("{base}?done=assigned"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/admin-roles"), &demo.admin_token)
        .await;
    let held = |body: &serde_json::Value| {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["userId"] == "usr_cy" && h["role"] == "content_admin")
    };
    assert!(held(&api.body), "{}", api.body);

    // Removed through the row's own form.
    let shown = app.page(&ana, &base).await;
    let marker = "Remove Content admin from Cy Engineer";
    let text = html(&shown);
    let form_start = text[..text.find(marker).unwrap()].rfind("<form").unwrap();
    let form = &text[form_start..];
    let token = csrf_of(form).unwrap();
    let r = app
        .post_form(
            &ana,
            &format!("{base}/remove"),
            &[
                ("csrf", token.as_str()),
                ("user", "usr_cy"),
                ("role", "content_admin"),
                ("team", ""),
            ],
        )
        .await;
    redirected(&r, &format!("{base}?done=removed"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/admin-roles"), &demo.admin_token)
        .await;
    assert!(!held(&api.body));

    // The last company admin's role, posted anyway, is refused by the engine.
    let r = app
        .send(&ana, &base, &format!("{base}/remove"), |f| {
            let f = with(f, "user", Some("usr_ana"));
            let f = with(f, "role", Some("company_admin"));
            with(f, "team", Some(""))
        })
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(html(&r).contains("class=\"refusal\""));

    // Uma, a user admin, holds no admin_roles.view.
    let uma = app.browser(&demo.service_token, "usr_uma").await;
    assert_eq!(app.page(&uma, &base).await.status, 403);
}

#[tokio::test]
async fn groups_are_created_filled_renamed_and_deleted() {
    let (app, demo) = setup().await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let base = format!("/ui/orgs/{ORG}/groups");
    let page = app.page(&ana, &base).await;
    assert_eq!(page.status, 200);
    assert!(html(&page).contains("Reviewers"));

    let r = app
        .send(&ana, &base, &format!("{base}/create"), |f| {
            let f = with(f, "name", Some("Auditors"));
            with(f, "description", Some("Read the books"))
        })
        .await;
    assert_eq!(r.status, 303);
    let group_page = r.headers["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let id = group_page.rsplit('/').next().unwrap().to_string();
    let api = app
        .get(&format!("/v2/orgs/{ORG}/groups/{id}"), &demo.admin_token)
        .await;
    assert_eq!(api.body["name"], "Auditors");

    let r = app
        .send(
            &ana,
            &group_page,
            &format!("{group_page}/members/add"),
            |f| with(f, "user", Some("cy@acme.test")),
        )
        .await;
    redirected(&r, &format!("{group_page}?done=added"));
    let members = app
        .get(
            &format!("/v2/orgs/{ORG}/groups/{id}/members"),
            &demo.admin_token,
        )
        .await;
    assert_eq!(members.body["data"][0]["id"], "usr_cy");
    // Someone who is no one is refused on the page.
    let r = app
        .send(
            &ana,
            &group_page,
            &format!("{group_page}/members/add"),
            |f| with(f, "user", Some("nobody@nowhere.test")),
        )
        .await;
    assert_eq!(r.status, 404);
    assert!(html(&r).contains("class=\"refusal\""));

    let r = app
        .send(
            &ana,
            &group_page,
            &format!("{group_page}/members/remove"),
            |f| f,
        )
        .await;
    redirected(&r, &format!("{group_page}?done=removed"));
    let members = app
        .get(
            &format!("/v2/orgs/{ORG}/groups/{id}/members"),
            &demo.admin_token,
        )
        .await;
    assert_eq!(members.body["size"], 0);

    let r = app
        .send(&ana, &group_page, &format!("{group_page}/rename"), |f| {
            with(f, "name", Some("Auditors and counsel"))
        })
        .await;
    redirected(&r, &format!("{group_page}?done=renamed"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/groups/{id}"), &demo.admin_token)
        .await;
    assert_eq!(api.body["name"], "Auditors and counsel");
    assert_eq!(api.body["description"], "Read the books");

    let r = app
        .send(&ana, &group_page, &format!("{group_page}/delete"), |f| f)
        .await;
    redirected(&r, &format!("{base}?done=deleted"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/groups/{id}"), &demo.admin_token)
        .await;
    assert_eq!(api.status, 404);

    // Uma holds no groups.view: refused as the API refuses her.
    let uma = app.browser(&demo.service_token, "usr_uma").await;
    assert_eq!(app.page(&uma, &base).await.status, 403);
    assert_eq!(
        app.page(&uma, &format!("{base}/grp_reviewers"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn invitations_are_listed_made_and_withdrawn() {
    let (app, demo) = setup().await;
    let ana = app.browser(&demo.service_token, "usr_ana").await;
    let base = format!("/ui/orgs/{ORG}/invitations");
    assert_eq!(app.page(&ana, &base).await.status, 200);
    let r = app
        .send(&ana, &base, &format!("{base}/invite"), |f| {
            let f = with(f, "email", Some("newcomer@acme.test"));
            with(f, "team", Some("team_design"))
        })
        .await;
    redirected(&r, &format!("{base}?done=invited"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/invitations"), &demo.admin_token)
        .await;
    let invitation = api.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["email"] == "newcomer@acme.test")
        .unwrap()
        .clone();
    assert_eq!(invitation["state"], "pending");
    assert_eq!(invitation["targetId"], "team_design");
    assert_eq!(invitation["role"], "member");
    let shown = app.page(&ana, &base).await;
    assert!(html(&shown).contains("<td>newcomer@acme.test</td>"));

    let r = app
        .send(&ana, &base, &format!("{base}/revoke"), |f| f)
        .await;
    redirected(&r, &format!("{base}?done=revoked"));
    let api = app
        .get(&format!("/v2/orgs/{ORG}/invitations"), &demo.admin_token)
        .await;
    assert_eq!(api.body["data"][0]["state"], "revoked");

    // A bad address is the engine's refusal, on the page.
    let r = app
        .send(&ana, &base, &format!("{base}/invite"), |f| {
            with(f, "email", Some("not an address"))
        })
        .await;
    assert_eq!(r.status, 400);
    assert!(html(&r).contains("is not an email address"));

    // Ben holds no invitations.view.
    let ben = app.browser(&demo.service_token, "usr_ben").await;
    assert_eq!(app.page(&ben, &base).await.status, 403);
}
