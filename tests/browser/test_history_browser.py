"""The history in a real browser: returning readers see what changed since their last visit
(localStorage only), the new pages pass axe and fit 375 px."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from conftest import ROOT, build_project, make_project
from test_history import scripted

from .conftest import _Quiet

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def history_url(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("history-site"), "mini")
    scripted(proj)
    site = build_project(proj)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def marked(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(f"{selector}.dossier-seit-besuch", "els => els.map(e => e.id)")


def test_returning_reader_sees_what_changed_since_the_last_visit(browser, history_url):
    ctx = browser.context()
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(history_url + "themen/ernte/", wait_until="load")
    assert marked(page, "li.dossier-claim") == []  # a first visit marks nothing
    keys = [k for k in page.evaluate("Object.keys(localStorage)") if k.startswith("dossier-")]
    assert keys == ["dossier-besuche:/was-ist-neu.xml"]  # one key per site (its feed's address)
    # the last visit was on 6 March 2026 (after the status change, before the new claim)
    page.evaluate("k => localStorage.setItem(k, JSON.stringify({last: Date.parse('2026-03-06T12:00:00+01:00'), prev: null}))",
                  keys[0])
    page.goto(history_url + "themen/ernte/", wait_until="load")
    # the new claim and the corrected one; not the status change (before) nor the wording fix (not logged)
    assert marked(page, "li.dossier-claim") == ["ernte-neu", "ernte-verband"]
    assert page.locator("li#ernte-neu .dossier-seit-besuch__badge").inner_text() == "Neu seit Ihrem letzten Besuch"
    note = page.locator(".dossier-pagehistory .dossier-since-visit")
    assert "wurden 2 Aussagen auf dieser Seite geändert" in note.inner_text()
    assert "6. März 2026" in note.inner_text()
    # the same visit goes on: the next page compares with the same previous visit
    page.goto(history_url + "was-ist-neu/", wait_until="load")
    assert len(marked(page, "div.dossier-change")) == 2
    assert "2 Änderungen" in page.locator(".dossier-since-visit").inner_text()
    page.add_script_tag(path=str(AXE))  # the marks keep their text readable
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['color-contrast']})")
    assert [v["nodes"][0]["target"] for v in result["violations"]] == []
    assert errors == []


def test_without_javascript_nothing_is_hidden(browser, history_url):
    page = browser.page(history_url + "was-ist-neu/", javascript=False)
    assert page.locator("div.dossier-change").count() == 4
    assert not page.locator(".dossier-since-visit").is_visible()


@pytest.mark.parametrize("path", ["was-ist-neu/", "korrekturen/", "themen/ernte/"])
def test_history_pages_pass_axe_and_fit_375_px(browser, history_url, path):
    assert AXE.is_file(), "axe-core missing: run 'npm ci' (make test does)"
    for scheme in ("light", "dark"):
        page = browser.page(history_url + path, width=375, height=812, color_scheme=scheme)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [(v["id"], v["nodes"][0]["target"]) for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
