"""The editor preview keeps serving when a save breaks the content (issue 10, deliverable 5).

A real 'mkdocs serve' of the mini fixture on 127.0.0.1 (a free port): break a topic file, and
every page answers with the list of problems (escaped); fix it, and the pages come back by
themselves (the live-reload endpoint announces the new build). Every wait is bounded; nothing
here measures time.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import make_project

#: an unknown field whose name is HTML: the page must show it as text
BREAK = 'titel: x\n"<img src=x onerror=alert(1)>": 1\n'
WAIT = 90  # seconds, for the server to start or to rebuild (a slow, shared machine)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = WAIT) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _until(url: str, ok, what: str) -> tuple[int, str]:
    """GET url until ok(status, body); each request and the whole wait are bounded."""
    deadline = time.monotonic() + WAIT
    last = None
    while time.monotonic() < deadline:
        try:
            last = _get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:  # not up yet / hung
            last = (None, repr(e))
        if last[0] is not None and ok(*last):
            return last
        time.sleep(0.2)
    pytest.fail(f"{what}: gave up after {WAIT} s; last answer {last[0]}: {last[1][:2000]}")


@contextlib.contextmanager
def serving(proj: Path, prelude: str = ""):
    """A real 'mkdocs serve' of proj on 127.0.0.1 (a free port): (base URL, its log file); the
    prelude is Python run in that process before MkDocs (e.g. to simulate a failure)."""
    port = _free_port()
    log = (proj.parent / "serve.log").open("w+", encoding="utf-8")
    run = [sys.executable, "-c", prelude + "\nimport runpy, sys\nsys.argv[0] = 'mkdocs'\n"
           "runpy.run_module('mkdocs', run_name='__main__', alter_sys=True)"] if prelude else [sys.executable, "-m", "mkdocs"]
    proc = subprocess.Popen(run + ["serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=proj, stdout=log, stderr=subprocess.STDOUT,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}/", log
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def serve(tmp_path):
    proj = make_project(tmp_path)
    with serving(proj) as (base, log):
        yield proj, base, log


def _panel(status, body) -> bool:
    return status == 200 and "Vorschau angehalten" in body


def test_a_broken_save_shows_the_problems_on_every_page_and_a_fix_brings_the_pages_back(serve):
    proj, base, log = serve
    topic = proj / "content" / "topics" / "ernte.yaml"
    good = topic.read_text(encoding="utf-8")
    _, page = _until(base + "themen/ernte/", lambda s, b: s == 200 and "Die Ernte" in b, "first build")

    topic.write_text(BREAK + good.split("\n", 1)[1], encoding="utf-8")
    status, page = _until(base + "themen/ernte/", _panel, "problem page after the broken save")
    panel = page[page.index('<div class="admonition failure dossier-problems"'):]
    panel = panel[:panel.index("</div>")]
    assert "<code class=\"dossier-problem__pos\">content/topics/ernte.yaml:1:1</code>" in panel
    assert "unknown field &#39;titel&#39; in topic" in panel and "hint: did you mean &#39;title&#39;?" in panel
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel and "<img" not in panel
    for other in ("", "quellen/rekordernte/", "chronologie/"):  # every page, not only the broken one
        assert _panel(*_get(base + other))
    epoch = int(re.search(r"livereload\((\d+),", page).group(1))  # what the open browser waits on

    topic.write_text(good, encoding="utf-8")
    deadline = time.monotonic() + WAIT
    while True:  # the open browser is told of each new build; one of them has the page back
        _, seen = _until(base + f"livereload/{epoch}/1", lambda s, b: s == 200 and int(b) > epoch, "live reload after the fix")
        epoch = int(seen)
        status, page = _get(base + "themen/ernte/")
        if not _panel(status, page) or time.monotonic() > deadline:
            break
    assert status == 200 and "Vorschau angehalten" not in page and "Laut Gemeinde wurden 1200 Tonnen" in page

    log.flush()
    out = Path(log.name).read_text(encoding="utf-8")
    reports = out.count("every preview page lists them until the files are fixed")
    assert reports >= 1
    # each failed rebuild prints the list once, and nothing else repeats it
    assert out.count("content/topics/ernte.yaml:1:1: error: unknown field 'titel' in topic") == reports
    assert "content problems fixed: the preview shows the pages again" in out
    assert "Traceback" not in out and "will appear stuck" not in out


# --- the same, in-process: the pages of a failed preview build and what 'mkdocs build' says ---

def _panel_items(html: str) -> list[str]:
    return re.findall(r'<li class="dossier-problem dossier-problem--\w+">(.*?)</li>', html, re.S)


def test_the_preview_of_the_broken_fixture_lists_every_problem_on_every_page(tmp_path, caplog):
    from conftest import build_project
    from markupsafe import escape

    from newsdossier import core
    from newsdossier.paths import PAGES, page_url

    proj = make_project(tmp_path, "broken")
    problems = core.check(proj).problems
    assert len(problems) > 10
    with caplog.at_level("INFO", logger="mkdocs"):
        site = build_project(proj, command="serve")
    for path in PAGES.values():  # no good build before: the fixed pages
        items = _panel_items((site / page_url(path, True) / "index.html").read_text(encoding="utf-8"))
        assert len(items) == len(problems), path
        for item, p in zip(items, problems):
            assert f'<code class="dossier-problem__pos">{escape(str(p.pos))}</code>' in item
            assert escape(p.message) in item and (not p.hint or escape(p.hint) in item)
            assert all(escape(d) in item for d in p.detail)
    reports = [r.getMessage() for r in caplog.records if "every preview page lists them" in r.getMessage()]
    assert len(reports) == 1 and all(p.format() in reports[0] for p in problems)


@pytest.mark.expect_warnings
def test_mkdocs_build_of_the_broken_fixture_fails_with_every_problem(tmp_path, no_unexpected_warnings):
    from conftest import build_project
    from mkdocs.exceptions import Abort

    from newsdossier import core

    proj = make_project(tmp_path, "broken")
    with pytest.raises(Abort):
        build_project(proj)
    assert not (proj / "site").exists()
    [message] = [r.getMessage() for r in no_unexpected_warnings.records if "nothing was built" in r.getMessage()]
    assert all(p.format() in message for p in core.check(proj).errors)


def _unannotated_seed(proj: Path) -> Path:
    (proj / "seeds" / "neu.txt").write_text("Neuer Artikel\n\nText.\n", encoding="utf-8")  # a warning only
    return proj


def test_with_strict_a_warning_is_shown_like_an_error_in_the_preview(tmp_path):
    """'strict: true' would abort the rebuild on the warning (and the server would wait)."""
    from conftest import build_project

    site = build_project(_unannotated_seed(make_project(tmp_path)), command="serve")
    [item] = _panel_items((site / "themen" / "ernte" / "index.html").read_text(encoding="utf-8"))
    assert "seeds/neu.txt</code>: <strong>warning</strong>: " in item


@pytest.mark.expect_warnings
def test_without_strict_a_warning_leaves_the_preview_pages_as_they_are(tmp_path, no_unexpected_warnings):
    from conftest import build_project

    from newsdossier import core

    site = build_project(_unannotated_seed(make_project(tmp_path)), command="serve", strict=False)
    page = (site / "themen" / "ernte" / "index.html").read_text(encoding="utf-8")
    assert "Vorschau angehalten" not in page and "Laut Gemeinde wurden 1200 Tonnen" in page
    [warning] = core.check(site.parent).warnings
    assert [r.getMessage() for r in no_unexpected_warnings.records] == [f"newsdossier: {warning.format()}"]


def _broken_override(proj: Path, text: str) -> Path:
    (proj / "site_theme" / "dossier").mkdir(parents=True, exist_ok=True)
    (proj / "site_theme" / "dossier" / "method.html.j2").write_text(text, encoding="utf-8")
    return proj


def test_a_broken_page_template_is_a_problem_in_the_preview(tmp_path):
    from conftest import build_project

    site = build_project(_broken_override(make_project(tmp_path), "# Methode\n\n{{ no_such }}\n"), command="serve")
    [item] = _panel_items((site / "themen" / "ernte" / "index.html").read_text(encoding="utf-8"))
    assert '<code class="dossier-problem__pos">site_theme/dossier/method.html.j2:3:1</code>' in item
    assert "template error: &#39;no_such&#39; is undefined" in item


@pytest.mark.expect_warnings
@pytest.mark.parametrize("text, expected", [
    ("# Methode\n\n{{ no_such }}\n", "site_theme/dossier/method.html.j2:3:1: error: template error: 'no_such' is undefined"),
    ("# Methode\n{% if %}\n", "site_theme/dossier/method.html.j2:2:1: error: template error: Expected an expression"),
], ids=["undefined", "syntax"])
def test_mkdocs_build_names_the_line_of_a_broken_page_template(tmp_path, no_unexpected_warnings, text, expected):
    from conftest import build_project
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        build_project(_broken_override(make_project(tmp_path), text))
    messages = [r.getMessage() for r in no_unexpected_warnings.records]
    assert any(expected in m for m in messages) and not any("Traceback" in m for m in messages), messages
