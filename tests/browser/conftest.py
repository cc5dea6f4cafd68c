"""Browser tests: a synthetic dossier (benchmarks/corpus.py via make_project(..., "corpus"),
plus an alias no article uses), built once, served on 127.0.0.1, driven in Debian chromium. The
tests never read this repository's own content/ or seeds/ (the screenshot scripts do, on purpose).

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

#: the main pages of the synthetic dossier, by role (paths relative to the site root)
MAIN_PAGES = {
    "home": "",
    "topic": "themen/thema-0000/",
    "chronology": "chronologie/",
    "figures": "zahlen/",
    "source": "quellen/quelle-00000/",
    "contradictions": "widersprueche/",
    "actor": "akteure/akteur-0000/",
    "glossary": "glossar/",
}
#: an actor of the synthetic dossier gets this other spelling, which no article uses
ALIAS = ("akteur-0001", "Zuluwaxi Quorrimbek")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_project(tmp_path_factory) -> Path:
    """The synthetic dossier's project folder (content/, seeds/), with ALIAS and a second
    paragraph of the lead added."""
    proj = make_project(tmp_path_factory.mktemp("browser-site"), "corpus")
    actors = proj / "content/actors/akteure-0000.yaml"
    text = actors.read_text(encoding="utf-8")
    head = f"- id: {ALIAS[0]}\n"
    assert head in text, "the corpus changed its actor ids: adapt ALIAS"
    actors.write_text(text.replace(head, f"{head}  aliases: [{ALIAS[1]}]\n", 1), encoding="utf-8")
    # a lead of two paragraphs: the home page folds the second one away
    meta = proj / "content/dossier.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "lead: |\n" in text and "\nknown:" in text, "the corpus changed its dossier.yaml: adapt this"
    meta.write_text(text.replace("\nknown:", "\n\n  Wie das Dossier entstand, steht in der Methode.\nknown:", 1), encoding="utf-8")
    return proj


@pytest.fixture(scope="session")
def browser_site(browser_project) -> Path:
    """The synthetic dossier, built once per session."""
    return build_project(browser_project)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(browser_site):
    handler = functools.partial(_Quiet, directory=str(browser_site))
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
