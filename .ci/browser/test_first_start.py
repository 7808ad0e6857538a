"""What the README promises: the first start prints a link that opens the console on the
demo organization; and the OAuth consent page, in the console's look."""

import base64
import hashlib
import re
import urllib.parse

from conftest import DEMO_ORG, check_a11y, shot, sign_in


def test_the_banner_link_opens_the_console_on_the_demo(page, easel):
    page.goto(easel.banner_link)
    assert "Ana Admin" in page.inner_text("main")
    page.get_by_role("button", name=re.compile("Continue")).click()
    page.wait_for_load_state()
    assert page.url.endswith("/ui/")
    assert "Signed in as Ana Admin" in page.inner_text("header")
    page.get_by_role("link", name="Acme Inc.").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/ui/orgs/{DEMO_ORG}")
    assert page.get_by_role("heading", level=1).inner_text() == "Acme Inc."


def test_the_consent_page(page, easel):
    redirect = "http://127.0.0.1:9/callback"
    status, app = easel.api(
        "POST",
        "/v2/apps",
        {"name": "Sketch sync", "teamId": "team_design", "redirectUris": [redirect], "scopes": ["boards:read", "boards:write"]},
    )
    assert status == 201, app
    sign_in(page, easel, "usr_ana")
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    asked = {
        "response_type": "code",
        "client_id": app["id"],
        "redirect_uri": redirect,
        "scope": "boards:read boards:write",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = page.goto(f"{easel.base}/oauth/authorize?{urllib.parse.urlencode(asked)}")
    assert response.status == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "Sketch sync" in page.inner_text("main")
    assert page.get_by_label("Team").count() == 1
    check_a11y(page)
    shot(page, "oauth-consent")
