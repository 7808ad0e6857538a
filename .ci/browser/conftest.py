"""Fixtures of the console's browser tests: a fresh release server per test, a Chromium page,
signing in by link, the accessibility check and screenshots."""

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

BIN = os.environ.get("EASEL_BIN", "target/release/easel")
AXE = os.environ.get("EASEL_AXE", "")
SHOTS = os.environ.get("EASEL_SHOTS", "target/browser-shots")
CHROMIUM = os.environ.get("EASEL_CHROMIUM", "/usr/bin/chromium")
DEMO_ORG = "3141592653"
# Chromium on a closed network: no background traffic, no sandbox (the tests run as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Easel:
    """A release server with a fresh demo organization, and the tokens its banner printed."""

    def __init__(self, frame_ancestors=()):
        self.dir = tempfile.mkdtemp(prefix="easel-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--data", f"{self.dir}/data"]
        for origin in frame_ancestors:
            args += ["--frame-ancestor", origin]
        env = {k: v for k, v in os.environ.items() if k not in ("EASEL_POSTGRES_URL", "EASEL_CONFIG")}
        self.banner_path = f"{self.dir}/banner"
        self.log_path = f"{self.dir}/server.log"
        self.proc = subprocess.Popen(
            args,
            stdout=open(self.banner_path, "w"),
            stderr=open(self.log_path, "w"),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        self.banner = ""
        for _ in range(600):
            self.banner = open(self.banner_path).read()
            if self.banner.count("curl ") >= 3 or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.admin_token = self._line(r"admin token \([^)]*\): *(\S+)")
        self.service_token = self._line(r"service token \([^)]*\): *(\S+)")
        self.banner_link = self._line(r"sign in to the console as Ana: *(\S+)")
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{self.base}/readyz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)

    def _line(self, pattern):
        m = re.search(pattern, self.banner)
        if not m:
            raise AssertionError(f"the banner has no {pattern!r}:\n{self.banner}\n{open(self.log_path).read()}")
        return m.group(1)

    def api(self, method, path, body=None, token=None):
        """Calls the API; answers (status, parsed JSON or text or None)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {token or self.admin_token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        if not raw:
            return status, None
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        log = open(self.log_path).read()
        shutil.rmtree(self.dir, ignore_errors=True)
        assert "panicked" not in log, log


@pytest.fixture
def easel():
    server = Easel()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def sign_in_link(easel, user_id, next_path=None):
    """A one-time sign-in link for a demo user, made by the host product's service."""
    body = {"userId": user_id, "orgId": DEMO_ORG}
    if next_path:
        body["redirect"] = next_path
    status, answer = easel.api("POST", "/v1/sessions/links", body, token=easel.service_token)
    assert status == 201, answer
    return answer["link"]


def sign_in(page, easel, user_id, next=None):
    """Opens a sign-in link for `user_id` and continues: the page lands on the console."""
    page.goto(sign_in_link(easel, user_id, next))
    page.get_by_role("button", name=re.compile("Continue")).click()
    page.wait_for_load_state()
    assert "/ui/" in page.url and "/ui/sign-in" not in page.url, page.url


def check_a11y(page):
    """Runs axe-core in the page; fails on any serious or critical violation."""
    assert AXE, "EASEL_AXE names axe.min.js (bash .ci/browser/run sets it)"
    source = open(AXE).read()
    # Evaluated through the DevTools protocol, which the page's script policy does not govern.
    page.evaluate(source)
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
    )
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: " + json.dumps(bad, indent=1)


def shot(page, name):
    """A screenshot of the whole page, for docs/ui/<name>.png."""
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture(name="sign_in")
def sign_in_fixture():
    return sign_in


@pytest.fixture(name="check_a11y")
def check_a11y_fixture():
    return check_a11y


@pytest.fixture(name="shot")
def shot_fixture():
    return shot
