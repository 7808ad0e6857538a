"""The organization's record pages in a real browser: exporting the audit log through the
page's links, the access explorer's decisions against /v1/explain, the trash and the apps
page; each page checked for accessibility and photographed."""

import csv
import io
import json
import re

from conftest import DEMO_ORG, check_a11y, shot, sign_in

CSV_COLUMNS = [
    "id",
    "created_at",
    "actor",
    "actor_email",
    "action",
    "target",
    "target_name",
    "outcome",
    "code",
    "changes",
]


def api_records(easel):
    """Every audit record the API gives Ana, oldest first."""
    records, cursor = [], ""
    while True:
        status, page = easel.api("GET", f"/v2/audit/logs?org={DEMO_ORG}&limit=100{cursor}")
        assert status == 200, page
        records += page["data"]
        if not page.get("cursor"):
            return records
        cursor = "&cursor=" + page["cursor"]


def fits_a_narrow_screen(page):
    """The page at 360px: nothing wider than the screen, and still accessible."""
    page.set_viewport_size({"width": 360, "height": 800})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than a 360px screen"
    check_a11y(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def download(page, link_name):
    """Clicks a download link of the page; answers the file's text."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    with open(path, encoding="utf-8") as f:
        return info.value.suggested_filename, f.read()


def test_export_the_audit_log(page, easel):
    # A board renamed to what a spreadsheet would run, so the CSV must make it text.
    status, board = easel.api("POST", "/v2/boards", {"name": "Budget", "teamId": "team_design"})
    assert status == 201, board
    status, renamed = easel.api("PATCH", f"/v2/boards/{board['id']}", {"name": "=1+2"})
    assert status == 200, renamed

    sign_in(page, easel, "usr_ana")
    page.goto(f"{easel.base}/ui/orgs/{DEMO_ORG}/audit")
    assert page.get_by_role("heading", level=1).inner_text() == "Audit log"
    assert page.locator("tr[data-record]").count() > 0
    check_a11y(page)
    shot(page, "admin-audit")
    fits_a_narrow_screen(page)

    # Filter to one kind of record, then export what the filter selects.
    page.get_by_label("Action").fill("rename_board")
    page.get_by_role("button", name="Show records").click()
    page.wait_for_load_state()
    assert "action=rename_board" in page.url
    assert page.locator("tr[data-record]").count() == 1

    expected = [r for r in api_records(easel) if r["action"] == "rename_board"]
    assert len(expected) == 1

    name, text = download(page, "Export as CSV")
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 2
    row = dict(zip(CSV_COLUMNS, rows[1]))
    assert row["id"] == expected[0]["id"]
    assert row["action"] == "rename_board"
    assert row["actor"] == "usr_ana"
    assert row["target"] == f"board:{board['id']}"
    # A formula is made text.
    assert row["target_name"] == "'=1+2"

    name, text = download(page, "Export as JSON")
    assert name.endswith(".json")
    body = json.loads(text)
    assert body["cut"] is False
    assert body["filters"] == {"action": "rename_board"}
    assert body["data"] == expected

    # Everything, unfiltered: the export holds what the API holds.
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_load_state()
    _, text = download(page, "Export as JSON")
    assert json.loads(text)["count"] == len(api_records(easel))


def test_open_the_access_explorer(page, easel):
    # Company admins manage who has access to every board while extended content admin is on.
    status, answer = easel.api("PATCH", f"/v2/orgs/{DEMO_ORG}/settings", {"extended_content_admin": True})
    assert status == 200, answer

    sign_in(page, easel, "usr_ana")
    page.goto(f"{easel.base}/ui/orgs/{DEMO_ORG}/explorer")
    check_a11y(page)
    page.get_by_label("Person").select_option("usr_cy")
    page.get_by_label("Board, team or project").select_option("board:brd_roadmap")
    page.get_by_role("button", name="Explain access").click()
    page.wait_for_load_state()
    assert "person=usr_cy" in page.url

    heading = page.get_by_role("heading", level=2, name=re.compile("What Cy Engineer may do"))
    assert heading.count() == 1
    for action in ["board.view", "board.edit_content", "board.share", "board.delete"]:
        status, explained = easel.api(
            "POST",
            "/v1/explain",
            {"subject": {"user": "usr_cy"}, "action": action, "resource": {"board": "brd_roadmap"}},
            token=easel.service_token,
        )
        assert status == 200, explained
        row = page.locator(f'tr[data-action="{action}"]')
        assert row.get_attribute("data-allowed") == ("true" if explained["allowed"] else "false")
        shown = row.locator("td").first.inner_text()
        assert shown == ("Allowed" if explained["allowed"] else "Refused")
        if not explained["allowed"]:
            assert explained["deniedBy"]["message"] in row.inner_text()
        # Its layers, opened as a person would.
        details = page.locator(f'details[data-action="{action}"]')
        details.locator("summary").click()
        for layer in explained["layers"]:
            cell = details.locator(f'tr[data-layer="{layer["layer"]}"]')
            assert cell.get_attribute("data-outcome") == layer["outcome"]
    # Cy reaches the roadmap through the project: the channel is listed.
    assert page.locator('tr[data-channel="project"]').count() == 1
    check_a11y(page)
    shot(page, "admin-explorer")
    fits_a_narrow_screen(page)


def test_trash_and_apps_pages(page, easel):
    # Ben's boards are under a legal hold; two boards go to the trash.
    status, case = easel.api("POST", f"/v2/orgs/{DEMO_ORG}/cases", {"name": "Launch dispute"})
    assert status == 200, case
    status, hold = easel.api(
        "POST",
        f"/v2/orgs/{DEMO_ORG}/cases/{case['id']}/legal-holds",
        {"name": "Ben's boards", "scope": {"users": [{"email": "ben@acme.test"}]}},
    )
    assert status < 300, hold
    for board in ["brd_wireframes", "brd_brand"]:
        status, _ = easel.api("DELETE", f"/v2/boards/{board}")
        assert status == 204

    sign_in(page, easel, "usr_ana")
    page.goto(f"{easel.base}/ui/orgs/{DEMO_ORG}/trash")
    held = page.locator('tr[data-board="brd_wireframes"]')
    assert "Held" in held.inner_text()
    assert "Launch dispute" in held.inner_text()
    assert held.get_by_role("button", name="Delete for good Wireframes").is_disabled()
    assert "state.legal_hold" in held.inner_text()
    check_a11y(page)
    shot(page, "admin-trash")
    fits_a_narrow_screen(page)
    page.get_by_role("button", name="Restore Wireframes").click()
    page.wait_for_load_state()
    assert "back from the trash" in page.inner_text("main")
    status, board = easel.api("GET", "/v2/boards/brd_wireframes")
    assert status == 200 and board["state"] == "active", board
    # A board no hold keeps is deleted for good once confirmed.
    page.get_by_label("Delete Brand guidelines for good, with its content").check()
    page.get_by_role("button", name="Delete for good Brand guidelines").click()
    page.wait_for_load_state()
    assert "deleted for good" in page.inner_text("main")
    status, _ = easel.api("GET", "/v2/boards/brd_brand")
    assert status == 404

    # An app of the design team, installed in marketing, and a request to allow it.
    status, app = easel.api(
        "POST",
        "/v2/apps",
        {"name": "Sticky Sync", "teamId": "team_design", "redirectUris": ["https://sync.example/cb"], "scopes": ["boards:read"]},
    )
    assert status == 201, app
    status, installed = easel.api("POST", f"/v2/apps/{app['id']}/installations", {"teamId": "team_marketing"})
    assert status == 201, installed
    status, request = easel.api("POST", f"/v2/orgs/{DEMO_ORG}/app-requests", {"appId": app["id"]})
    assert status == 201, request

    page.goto(f"{easel.base}/ui/orgs/{DEMO_ORG}/apps")
    assert "Sticky Sync" in page.locator("table.installed").inner_text()
    page.get_by_label("App id").fill(app["id"])
    page.get_by_role("button", name="Add to the allowlist").click()
    page.wait_for_load_state()
    assert "The app is on the allowlist" in page.inner_text("main")
    status, allowlist = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/app-allowlist")
    assert allowlist == {"apps": [app["id"]]}
    check_a11y(page)
    shot(page, "admin-apps")
    fits_a_narrow_screen(page)
    page.get_by_role("button", name="Approve Ana Admin's request for Sticky Sync").click()
    page.wait_for_load_state()
    status, requests = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/app-requests")
    assert [r["state"] for r in requests["data"] if r["id"] == request["id"]] == ["approved"]
