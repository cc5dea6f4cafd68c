"""End to end against a running 'mkdocs serve': save a file, poll a page until the result shows.

    .venv/bin/python benchmarks/serve.py                  # the real dossier, 3 runs
    .venv/bin/python benchmarks/serve.py --root DIR --runs 5
    .venv/bin/python benchmarks/serve.py --root DIR --history-commits 50   # as a git checkout

On a copy of the project (mkdocs.yml, site_theme/, content/, seeds/ of --root, default this
repository) a real 'mkdocs serve' runs on 127.0.0.1 (a free port). With --history-commits the
copy becomes a git repository with that many scripted commits (benchmarks/history_corpus.py),
as every real dossier is: the pages then carry the history, and saves are not committed. Each run:

* break -> panel: the first topic file gets an unknown field ('titel:'); seconds from the save
  until that topic's page lists the problem (the preview's problem page, issue 10);
* fix -> page: the file saved as it was; seconds until the page is back;
* edit -> visible (issue 10, deliverable 4: save-to-visible): the topic's lead gets a new
  word; seconds from the save until that topic's page shows it.

Medians of the runs are printed. Every wait is bounded (a page that never comes is an error).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PANEL = "Vorschau angehalten"
POLL = 0.05  # seconds between two requests
WAIT = 300  # seconds at most for any one result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def until(url: str, ok) -> float:
    """Seconds until GET url answers with a body for which ok(body) is true."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < WAIT:
        body = get(url)
        if body is not None and ok(body):
            return time.perf_counter() - t0
        time.sleep(POLL)
    raise SystemExit(f"{url}: no answer as expected within {WAIT} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="project with content/ and seeds/ (default: this repository)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--history-commits", type=int, default=0,
                    help="make the copy a git repository with this many scripted commits (default 0: no git)")
    args = ap.parse_args(argv)
    res = measure(args.root, args.runs, args.history_commits)
    print(f"mkdocs serve of {args.root}: first page after {res['first']:.2f} s (start and first build)")
    for name, values in res["rows"].items():
        print(f"{name:15} median {statistics.median(values):.2f} s  ({', '.join(f'{v:.2f}' for v in values)})")
    return 0


def measure(root: Path, runs: int, history_commits: int = 0) -> dict:
    """{"first": seconds until the first page, "rows": {scenario: [seconds per run]}}."""
    with tempfile.TemporaryDirectory(prefix="dossier-serve-bench-") as tmp:
        proj = Path(tmp) / "proj"
        proj.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
        shutil.copytree(ROOT / "site_theme", proj / "site_theme")
        for folder in ("content", "seeds"):
            shutil.copytree(root / folder, proj / folder)
        if history_commits:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from history_corpus import scripted_history

            scripted_history(proj, history_commits)
        topic = sorted((proj / "content" / "topics").glob("*.yaml"))[0]
        good = topic.read_text(encoding="utf-8")
        broken = "titel: x\n" + good.split("\n", 1)[1]
        port = free_port()
        page = f"http://127.0.0.1:{port}/themen/{topic.stem}/"
        log = (Path(tmp) / "serve.log").open("w")
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=proj, stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        try:
            first = until(page, lambda b: PANEL not in b)
            rows: dict[str, list[float]] = {"edit -> visible": [], "break -> panel": [], "fix -> page": []}
            lead = next(line for line in good.split("\n") if line.startswith("lead:"))
            for i in range(runs):
                time.sleep(1)  # the watcher settles
                word = f"Bearbeitung{i + 1}x"
                edited = good.replace(lead, f"lead: {word}", 1)
                topic.write_text(edited, encoding="utf-8")
                rows["edit -> visible"].append(until(page, lambda b, w=word: w in b))
                time.sleep(1)
                topic.write_text(good, encoding="utf-8")
                until(page, lambda b, w=word: w not in b)
                time.sleep(1)  # the watcher settles
                topic.write_text(broken, encoding="utf-8")
                rows["break -> panel"].append(until(page, lambda b: PANEL in b))
                time.sleep(1)
                topic.write_text(good, encoding="utf-8")
                rows["fix -> page"].append(until(page, lambda b: PANEL not in b))
        finally:
            proc.terminate()
            proc.wait(timeout=60)
            log.close()
        return {"first": first, "rows": rows}


if __name__ == "__main__":
    sys.exit(main())
