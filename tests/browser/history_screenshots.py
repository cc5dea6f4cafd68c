"""The history on the real dossier: a copy with a few scripted commits, checked and photographed.

    .venv/bin/python tests/browser/history_screenshots.py [OUT_DIR]   (default: .github/screenshots)

Copies the real dossier into a temporary git repository and commits on top of it, with fixed
dates: a status change with a note, a new claim, a correction (every one marked as a
demonstration in its note, since the edits are not editorial findings). Builds the site twice
and checks that both builds are byte-identical, that the feed is valid Atom (feedparser), and
that the pages show the update dates, "Was ist neu", the claim history and the correction.
Then photographs "Was ist neu" and a claim history at 1280 and 375 px, light and dark, as a
returning reader whose last visit was before the new claim (so its mark shows).
"""

from __future__ import annotations

import filecmp
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from browser.conftest import ARGS, CHROMIUM, _Quiet  # noqa: E402
from conftest import ROOT, build_project, make_project  # noqa: E402

TOPIC = "content/topics/truppenstaerke.yaml"
ENV = {"GIT_AUTHOR_NAME": "Redaktion", "GIT_AUTHOR_EMAIL": "red@example.org", "GIT_COMMITTER_NAME": "Redaktion",
       "GIT_COMMITTER_EMAIL": "red@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
NEW_CLAIM = """      - id: pentagon-boden
        text: Das Pentagon spricht von nordkoreanischen Soldaten „auf russischem Boden“.
        by: [pentagon]
        status: berichtet
        cite:
          - source: us-experte-aufgaben
            quote: "mittlerweile geht das Pentagon von 10.000 nordkoreanischen Soldaten auf russischem Boden aus"
"""


def git(proj: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=proj, env=env, check=True, capture_output=True)


def edit(proj: Path, old: str, new: str) -> None:
    p = proj / TOPIC
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(proj: Path, message: str, date: str) -> None:
    git(proj, "add", "-A", "content", "seeds")
    git(proj, "commit", "-q", "-m", message, date=date)


def scripted(proj: Path) -> None:
    git(proj, "init", "-q", "-b", "main")
    commit(proj, "Dossier", "2026-11-20T10:00:00+01:00")
    edit(proj, "        by: [pentagon]\n        status: umstritten\n", "        by: [pentagon]\n        status: berichtet\n")
    commit(proj, "Status\n\nDossier-Notiz: Vorführung: eine Statusänderung, keine redaktionelle Feststellung.",
           "2026-11-25T09:00:00+01:00")
    edit(proj, "      - id: usa-10000-kursk\n", NEW_CLAIM + "      - id: usa-10000-kursk\n")
    commit(proj, "Neue Aussage\n\nDossier-Notiz: Vorführung: eine neue Aussage.", "2026-11-28T14:30:00+01:00")
    edit(proj, "text: Ein Artikel hält fest, dass die genaue Zahl", "text: Ein Artikel hält ausdrücklich fest, dass die genaue Zahl")
    commit(proj, "Korrektur\n\nDossier-Korrektur: Vorführung einer Korrektur: Die Aussage gab den Artikel zu schwach wieder.\n"
           "Dossier-Betrifft: anzahl-unklar", "2026-12-01T08:15:00+01:00")


def check(site: Path) -> None:
    import feedparser

    topic = (site / "themen" / "truppenstaerke" / "index.html").read_text(encoding="utf-8")
    news = (site / "was-ist-neu" / "index.html").read_text(encoding="utf-8")
    assert 'Zuletzt aktualisiert: <time datetime="2026-12-01">1. Dezember 2026</time>' in topic
    assert "Berichtet (" not in topic or "Umstritten (<time" in topic
    assert "Umstritten (<time datetime=\"2026-11-20\">20. November 2026</time>) → Berichtet (<time datetime=\"2026-11-25\">" in topic
    assert "Im Dossier seit <time datetime=\"2026-11-28\">" in topic
    assert "dossier-corrections" in topic and "zu schwach wieder" in topic
    assert "Einstufung geändert: Umstritten → Berichtet" in news and "Neue Aussage" in news
    feed = feedparser.parse((site / "was-ist-neu.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10" and len(feed.entries) == 4, feed.bozo_exception
    print(f"checked: update dates, 'Was ist neu', claim history, correction, feed ({len(feed.entries)} entries, valid Atom)")


def same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(f) for f in files_a], shallow=False)
    assert not mismatch and not errors, mismatch[:5]
    print(f"two builds byte-identical: {len(files_a)} files")


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proj = make_project(Path(tmp), fixture=None)
        scripted(proj)
        first = build_project(proj)
        copy = Path(tmp) / "first-site"
        first.rename(copy)
        site = build_project(proj)
        same_tree(copy, site)
        check(site)
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        # the last visit: between the status change and the new claim
        visit = "Date.parse('2026-11-26T12:00:00+01:00')"
        try:
            with sync_playwright() as p:
                for scheme, scheme_name in (("light", "hell"), ("dark", "dunkel")):
                    for size, (w, h) in {"desktop": (1280, 900), "mobil": (375, 812)}.items():
                        ctx = p.chromium.launch_persistent_context(
                            str(Path(tmp) / f"profile-{scheme}-{size}"), executable_path=CHROMIUM, headless=True,
                            args=ARGS, viewport={"width": w, "height": h}, locale="de-DE", color_scheme=scheme)
                        page = ctx.pages[0] if ctx.pages else ctx.new_page()
                        page.goto(base, wait_until="load")
                        page.evaluate(f"""() => {{ for (const k of Object.keys(localStorage)) if (k.startsWith('dossier-besuche:'))
                            localStorage.setItem(k, JSON.stringify({{last: {visit}, prev: null}})); }}""")
                        page.goto(base + "was-ist-neu/", wait_until="load")
                        page.wait_for_timeout(300)
                        path = out / f"was-ist-neu-{size}-{scheme_name}.png"
                        page.screenshot(path=str(path))
                        print(path)
                        page.goto(base + "themen/truppenstaerke/", wait_until="load")
                        if scheme == "light":  # the correction under the page title
                            page.evaluate("document.querySelector('.dossier-pagehistory').scrollIntoView({block: 'start'}); window.scrollBy(0, -90)")
                            page.wait_for_timeout(300)
                            path = out / f"korrektur-{size}-{scheme_name}.png"
                            page.screenshot(path=str(path))
                            print(path)
                        page.evaluate("document.getElementById('pentagon-10000').scrollIntoView({block: 'start'}); window.scrollBy(0, -70)")
                        page.wait_for_timeout(300)
                        path = out / f"aussage-verlauf-{size}-{scheme_name}.png"
                        page.screenshot(path=str(path))
                        print(path)
                        ctx.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".github" / "screenshots")
