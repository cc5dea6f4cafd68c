"""Browser tests: the real dossier, built once, served on 127.0.0.1, driven in Debian chromium.

* chromium is Debian's (/usr/bin/chromium, installed by 'make test'); Playwright's own browser
  download is never used. A missing chromium FAILS the tests, it does not skip them.
* every page load gets a fresh profile (launch_persistent_context with a new user-data-dir) and
  records every request; a test fails when anything leaves 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import build_project, make_project

CHROMIUM = os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = {"data", "blob", "about"}

#: the main pages, by role (paths relative to the site root)
MAIN_PAGES = {
    "home": "",
    "topic": "themen/truppenstaerke/",
    "chronology": "chronologie/",
    "figures": "zahlen/",
    "source": "quellen/belgorod-verlegung/",
    "contradictions": "widersprueche/",
    "actor": "akteure/budanow/",
    "glossary": "glossar/",
}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real dossier (content/ + seeds/ of this checkout), built once per session."""
    proj = make_project(tmp_path_factory.mktemp("browser-site"), fixture=None)
    return build_project(proj)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(real_site):
    handler = functools.partial(_Quiet, directory=str(real_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def playwright_session():
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: run 'make test' (it installs it through apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


class Browser:
    """Opens pages in fresh chromium profiles and records every request they make."""

    def __init__(self, pw, tmp_path: Path):
        self.pw, self.tmp = pw, tmp_path
        self.requests: list[str] = []
        self.contexts = []

    def context(self, *, width: int = 1280, height: int = 900, javascript: bool = True, **kw):
        profile = self.tmp / f"profile-{len(self.contexts)}"
        ctx = self.pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": width, "height": height}, java_script_enabled=javascript,
            locale="de-DE", **kw)
        ctx.on("request", lambda req: self.requests.append(req.url))
        self.contexts.append(ctx)
        return ctx

    def page(self, url: str, **kw):
        ctx = self.context(**kw)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        page.goto(url, wait_until="load")
        return page

    def foreign_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.hostname != "127.0.0.1":
                out.append(url)
        return out

    def close(self):
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def browser(playwright_session, tmp_path):
    b = Browser(playwright_session, tmp_path)
    yield b
    b.close()
    assert b.requests, "the browser made no request at all"
    assert b.foreign_requests() == [], "requests outside 127.0.0.1"
