"""Screenshots for the README: the real dossier at 1280 px and at 375 px.

    .venv/bin/python tests/browser/take_screenshots.py [OUT_DIR]   (default: .github/screenshots)

Builds the site into a temporary folder, serves it on 127.0.0.1 and photographs the home page,
a topic, the chronology, the figures page, the contradictions and a source page with Debian
chromium, at 1280 and 375 px, in the light and the dark scheme (viewport shots: what a reader
sees first; the figures page from its first chart).
"""

from __future__ import annotations

import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from browser.conftest import ARGS, CHROMIUM, MAIN_PAGES, _Quiet  # noqa: E402
from conftest import ROOT, build_project, make_project  # noqa: E402

SHOTS = {"home": "home", "topic": "thema", "chronology": "chronologie", "figures": "zahlen",
         "contradictions": "widersprueche", "source": "quelle"}
SIZES = {"desktop": (1280, 900), "mobil": (375, 812)}
SCHEMES = {"": "light", "-dunkel": "dark"}


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = build_project(make_project(Path(tmp), fixture=None))
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as p:
                for (size, (w, h)), (suffix, scheme) in ((s, c) for s in SIZES.items() for c in SCHEMES.items()):
                    ctx = p.chromium.launch_persistent_context(
                        str(Path(tmp) / f"profile-{size}{suffix}"), executable_path=CHROMIUM, headless=True, args=ARGS,
                        viewport={"width": w, "height": h}, locale="de-DE", color_scheme=scheme)
                    page = ctx.pages[0] if ctx.pages else ctx.new_page()
                    for role, name in SHOTS.items():
                        page.goto(base + MAIN_PAGES[role], wait_until="load")
                        if role == "figures":
                            page.evaluate("window.scrollTo(0, document.querySelector('h2').getBoundingClientRect().top - 70)")
                        page.wait_for_timeout(400)
                        path = out / f"{name}-{size}{suffix}.png"
                        page.screenshot(path=str(path))
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                    ctx.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".github" / "screenshots")
