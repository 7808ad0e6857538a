"""The organization's admin pages: company settings change what the API answers; every page
passes the accessibility check, fits a narrow screen and is photographed; controls the
viewer may not use are disabled with the engine's reason."""

import re

from conftest import DEMO_ORG, check_a11y, shot, sign_in

# Each admin page built here, with the name of its screenshot and a heading it shows.
PAGES = [
    ("settings", "admin-settings", "Company settings"),
    ("teams", "admin-teams", "Teams"),
    ("teams/team_design/settings", "admin-team-settings", "Design: settings"),
    ("members", "admin-members", "Members"),
    ("members/usr_gil/remove", "admin-member-removal", "Remove Gil Guest"),
    ("admin-roles", "admin-admin-roles", "Admin roles"),
    ("groups", "admin-groups", "User groups"),
    ("groups/grp_reviewers", "admin-group", "Group: Reviewers"),
    ("invitations", "admin-invitations", "Invitations"),
]


def org_page(easel, path):
    return f"{easel.base}/ui/orgs/{DEMO_ORG}/{path}"


def test_public_links_off_in_company_settings(page, easel):
    status, before = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/settings")
    assert status == 200 and before["public_link_sharing"] == "any", before
    sign_in(page, easel, "usr_ana")
    page.goto(org_page(easel, "settings"))
    collaboration = page.locator("section", has=page.get_by_role("heading", name="Collaboration", exact=True))
    collaboration.get_by_label("Sharing via a public link").select_option("off")
    collaboration.get_by_role("button", name="Save collaboration").click()
    page.wait_for_load_state()
    assert "The settings are saved." in page.inner_text("main")
    assert page.get_by_label("Sharing via a public link").input_value() == "off"

    status, after = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/settings")
    assert status == 200
    assert after["public_link_sharing"] == "off"
    # Only that setting moved.
    assert {k: v for k, v in after.items() if k != "public_link_sharing"} == {
        k: v for k, v in before.items() if k != "public_link_sharing"
    }


def test_every_admin_page_is_accessible_and_fits_a_narrow_screen(page, easel):
    sign_in(page, easel, "usr_ana")
    for path, name, heading in PAGES:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(org_page(easel, path))
        assert page.get_by_role("heading", level=1).inner_text() == heading, path
        check_a11y(page)
        shot(page, name)
        page.set_viewport_size({"width": 360, "height": 800})
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a 360px screen"


def test_controls_the_viewer_may_not_use_are_disabled_with_the_reason(page, easel):
    # Cy, a member of Design, reads the team's settings but may not change them.
    sign_in(page, easel, "usr_cy")
    page.goto(org_page(easel, "teams/team_design/settings"))
    save = page.get_by_role("button", name="Save team settings")
    assert save.is_disabled()
    assert page.get_by_label("Team discovery").is_disabled()
    reason = save.get_attribute("title")
    assert reason and reason in page.inner_text("main")
    check_a11y(page)
    # The company's settings are refused to him, as the API refuses reading them.
    response = page.goto(org_page(easel, "settings"))
    assert response.status == 403
    assert "Not allowed" in page.inner_text("main")
    check_a11y(page)


def test_a_member_is_deactivated_from_the_members_page(page, easel):
    sign_in(page, easel, "usr_uma")
    page.goto(org_page(easel, "members"))
    page.get_by_role("button", name="Deactivate Cy Engineer").click()
    page.wait_for_load_state()
    assert "deactivated" in page.inner_text("main")
    status, cy = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/members/usr_cy")
    assert status == 200 and cy["active"] is False, cy
    # The page says so too, and offers the way back.
    page.get_by_label("Status").select_option("false")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert re.search(r"Cy Engineer", page.inner_text("main"))
    page.get_by_role("button", name="Reactivate Cy Engineer").click()
    page.wait_for_load_state()
    status, cy = easel.api("GET", f"/v2/orgs/{DEMO_ORG}/members/usr_cy")
    assert cy["active"] is True, cy
