"""Signing in by link, the session cookie, forms without their token, framing."""

import http.server
import re
import threading

import pytest

from conftest import DEMO_ORG, Easel, check_a11y, shot, sign_in, sign_in_link


def test_sign_in_by_link_opens_the_console_once(page, easel):
    link = sign_in_link(easel, "usr_ana")
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sign in")
    assert "Ana Admin" in page.content()
    check_a11y(page)
    shot(page, "sign-in")
    page.get_by_role("button", name=re.compile("Continue")).click()
    page.wait_for_load_state()
    assert page.url.endswith("/ui/")
    assert "Signed in as" in page.inner_text("header")
    assert "Acme" in page.inner_text("main")
    check_a11y(page)
    shot(page, "home")

    # The session the link gave is a session like any other: the API knows it.
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["easel_session"]
    status, me = easel.api("GET", "/v2/boards?limit=1", token=session["value"])
    assert status == 200, me

    # The link is spent: opening it again signs no one in.
    other = page.context.browser.new_context()
    again = other.new_page()
    again.goto(link)
    assert "Continue" not in again.content() or again.get_by_role("button", name=re.compile("Continue")).count() == 0
    assert again.context.cookies() == []
    other.close()


def test_the_session_cookie_is_not_readable_by_script(page, easel):
    sign_in(page, easel, "usr_ana")
    cookie = {c["name"]: c for c in page.context.cookies()}["easel_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert "easel_session" not in page.evaluate("() => document.cookie")


def test_a_form_without_its_token_is_refused(page, easel):
    sign_in(page, easel, "usr_ana")
    # Sign-out is a form like any other: strip its anti-forgery field and post it.
    page.evaluate("() => document.querySelector('form[action=\"/ui/sign-out\"] input[name=csrf]').remove()")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "This form has expired" in page.inner_text("main")
    # Nothing happened: the session still works.
    page.goto(easel.base + "/ui/")
    assert "Signed in as" in page.inner_text("header")


def test_sign_out_ends_the_session(page, easel):
    sign_in(page, easel, "usr_ana")
    session = {c["name"]: c for c in page.context.cookies()}["easel_session"]["value"]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "signed out" in page.inner_text("main").lower()
    status, _ = easel.api("GET", "/v2/boards?limit=1", token=session)
    assert status == 401
    page.goto(easel.base + "/ui/")
    assert "Sign in to Easel" in page.inner_text("main")


def test_the_organization_overview(page, easel):
    sign_in(page, easel, "usr_ana")
    page.goto(f"{easel.base}/ui/orgs/{DEMO_ORG}")
    assert page.get_by_role("heading", level=1).inner_text() == "Acme Inc."
    check_a11y(page)
    shot(page, "org-overview")


class Host(http.server.BaseHTTPRequestHandler):
    """A host product's page that frames the console."""

    target = ""

    def do_GET(self):
        body = f'<!doctype html><title>Host</title><iframe id="easel" title="Easel" src="{self.target}" width="800" height="600"></iframe>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def host(target):
    handler = type("H", (Host,), {"target": target})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def framed():
    allowed = host("")
    refused = host("")
    server = Easel(frame_ancestors=[f"http://127.0.0.1:{allowed.server_address[1]}"])
    yield server, allowed, refused
    server.stop()
    allowed.shutdown()
    refused.shutdown()


def test_pages_are_framed_only_by_configured_origins(page, framed):
    easel, allowed, refused = framed
    sign_in(page, easel, "usr_ana")
    for server in (allowed, refused):
        server.RequestHandlerClass.target = easel.base + "/ui/"
    page.goto(f"http://127.0.0.1:{allowed.server_address[1]}/")
    frame = page.frame_locator("#easel")
    frame.locator("header").wait_for()
    assert "Signed in as" in frame.locator("header").inner_text()

    page.goto(f"http://127.0.0.1:{refused.server_address[1]}/")
    page.wait_for_timeout(500)
    inner = page.frames[1] if len(page.frames) > 1 else None
    # Chromium refuses to render it: the frame holds no console page.
    assert inner is None or "Signed in as" not in (inner.content() or "")
