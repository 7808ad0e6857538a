"""The share dialog in a real browser: each test does what a board owner (or a viewer) does
on the page, asserts what the page then shows and what the API then answers."""

import re

from conftest import DEMO_ORG, check_a11y, shot, sign_in

WIRES = "/ui/boards/brd_wireframes/share"
ROADMAP = "/ui/boards/brd_roadmap/share"


def access(easel, board, user, token=None):
    """The person `user` in the board's `/access` answer, or None."""
    status, body = easel.api("GET", f"/v2/boards/{board}/access?limit=100", token=token)
    assert status == 200, body
    return next((p for p in body["data"] if p["id"] == user), None)


def channels(person):
    return [f"{c['channel']}:{c.get('role', '')}" for c in person["channels"]]


def row(page, name):
    """The text of the people list's row of `name`."""
    return page.locator("section[aria-labelledby=people-heading] tr", has_text=name).inner_text()


def session_of(page):
    """The signed-in browser's session, which the API takes as a bearer token."""
    return {c["name"]: c for c in page.context.cookies()}["easel_session"]["value"]


def test_share_a_board_by_email_and_see_the_new_person_with_their_channel(page, easel):
    sign_in(page, easel, "usr_ben", WIRES)
    assert page.get_by_role("heading", level=1).inner_text() == "Share “Wireframes”"
    check_a11y(page)
    shot(page, "share-dialog")
    # On a narrow screen nothing runs off the side of the page.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "share-dialog-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Email addresses").fill("uma@acme.test, nobody@acme.test")
    page.get_by_label("Access", exact=True).select_option("viewer")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Shared with uma@acme.test." in main
    assert "nobody@acme.test" in main and "has no account yet" in main
    assert "Invited directly: can view" in row(page, "Uma User-Admin")
    check_a11y(page)
    shot(page, "share-invited")

    uma = access(easel, "brd_wireframes", "usr_uma")
    assert uma["role"] == "viewer"
    assert channels(uma) == ["direct:viewer"]


def test_lower_a_direct_grant_and_see_the_team_channel_still_listed(page, easel):
    status, body = easel.api(
        "POST", "/v2/boards/brd_wireframes/members", {"emails": ["cy@acme.test"], "role": "editor"}
    )
    assert status == 201 and not body["failed"], body
    sign_in(page, easel, "usr_ben", WIRES)
    assert "Invited directly: can edit" in row(page, "Cy Engineer")

    select = page.get_by_label("Direct access of Cy Engineer", exact=True)
    select.select_option("viewer")
    page.locator("form", has=select).get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert "The direct access was changed." in page.inner_text("main")
    cy = row(page, "Cy Engineer")
    assert "Invited directly: can view" in cy
    assert "Team Design: can edit" in cy
    assert "Lowering or removing one channel leaves the others" in page.inner_text("main")
    check_a11y(page)
    shot(page, "share-lowered")

    person = access(easel, "brd_wireframes", "usr_cy")
    assert person["role"] == "editor", "the team channel still gives edit"
    assert channels(person) == ["direct:viewer", "team:editor"]


def test_turn_off_public_links_and_see_the_option_disappear(page, easel):
    brand = "/ui/boards/brd_brand/share"
    sign_in(page, easel, "usr_eve", brand)
    assert page.get_by_label("Anyone with the link").count() == 1

    status, body = easel.api("PATCH", f"/v2/orgs/{DEMO_ORG}/settings", {"public_link_sharing": "off"})
    assert status == 200, body
    page.reload()
    assert page.get_by_label("Anyone with the link").count() == 0
    assert "Anyone with the link" not in page.inner_text("main")
    assert "Sharing by public link is turned off" in page.inner_text("main")
    # The channels the settings still allow are there.
    assert page.get_by_label(re.compile("Members of the team Marketing")).count() == 1
    check_a11y(page)
    shot(page, "share-no-public-link")

    status, body = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/settings")
    assert body["public_link_sharing"] == "off"
    status, body = easel.api(
        "PATCH",
        "/v2/boards/brd_brand",
        {"policy": {"sharingPolicy": {"access": "view"}}},
        token=session_of(page),
    )
    assert status == 403 and body["code"] == "policy.public_link_disabled", body


def test_approve_an_access_request(page, easel):
    sign_in(page, easel, "usr_uma", ROADMAP)
    assert page.get_by_role("heading", level=1).inner_text() == "Request access"
    assert "Launch" not in page.inner_text("main"), "the board's name is not told"
    check_a11y(page)
    shot(page, "share-request-access")
    page.get_by_label("Access you ask for").select_option("commenter")
    page.get_by_role("button", name="Request access").click()
    page.wait_for_load_state()
    assert "Your request was sent" in page.inner_text("main")
    assert "You asked for “Can comment”" in page.inner_text("main")

    sign_in(page, easel, "usr_ben", ROADMAP)
    requests = page.locator("section[aria-labelledby=requests-heading]")
    assert "Uma User-Admin" in requests.inner_text()
    check_a11y(page)
    shot(page, "share-requests")
    requests.get_by_label("Role to give Uma User-Admin").select_option("commenter")
    requests.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "The request was approved." in page.inner_text("main")
    assert "Invited directly: can comment" in row(page, "Uma User-Admin")
    assert "No one is waiting for access." in page.inner_text("main")

    status, body = easel.api("GET", "/v2/boards/brd_roadmap/access-requests")
    assert status == 200, body
    assert [(r["user"], r["state"]) for r in body["data"]] == [("usr_uma", "approved")]
    assert channels(access(easel, "brd_roadmap", "usr_uma")) == ["direct:commenter"]


def test_transfer_ownership(page, easel):
    status, body = easel.api(
        "POST", "/v2/boards/brd_wireframes/members", {"emails": ["cy@acme.test"], "role": "editor"}
    )
    assert status == 201 and not body["failed"], body
    sign_in(page, easel, "usr_ben", WIRES)
    assert "Is owner" in row(page, "Ben Designer")
    page.get_by_role("link", name="Make owner: Cy Engineer").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Transfer ownership"
    assert "Ben Designer, the owner now, becomes an editor" in page.inner_text("main")
    check_a11y(page)
    shot(page, "share-transfer")
    page.get_by_role("button", name="Transfer ownership").click()
    page.wait_for_load_state()
    assert "Ownership was transferred" in page.inner_text("main")
    assert "Is owner" in row(page, "Cy Engineer")
    assert "Invited directly: can edit" in row(page, "Ben Designer")

    status, board = easel.api("GET", "/v2/boards/brd_wireframes")
    assert board["owner"]["id"] == "usr_cy"
    ben = access(easel, "brd_wireframes", "usr_ben")
    assert "direct:editor" in channels(ben) and "owner:" not in channels(ben)


def test_deny_a_viewer_the_invite_form(page, easel):
    status, body = easel.api(
        "POST", "/v2/boards/brd_wireframes/members", {"emails": ["uma@acme.test"], "role": "viewer"}
    )
    assert status == 201 and not body["failed"], body
    sign_in(page, easel, "usr_uma", WIRES)
    invite = page.get_by_role("button", name="Invite")
    assert invite.is_disabled()
    assert page.get_by_label("Email addresses").is_disabled()
    reason = page.locator("section[aria-labelledby=invite-heading] .why").inner_text()
    assert reason, "the engine's reason is shown beside the disabled button"
    assert page.get_by_role("button", name="Reset link").count() == 0
    assert page.get_by_role("button", name="Request edit access").is_enabled()
    check_a11y(page)
    shot(page, "share-viewer")

    # The API refuses her the same share.
    status, body = easel.api(
        "POST",
        "/v2/boards/brd_wireframes/members",
        {"emails": ["eve@acme.test"], "role": "viewer"},
        token=session_of(page),
    )
    assert status == 201 and body["successful"] == [] and body["failed"], body
    eve = access(easel, "brd_wireframes", "usr_eve")
    assert "direct:viewer" not in channels(eve)
