"""Benchmark: core, full MkDocs build, plain-MkDocs baseline and preview rebuild.

    make bench                                   # the full table: 10, 100, 1,000, 3,000 articles
    .venv/bin/python benchmarks/run.py --sizes 10,100 --runs 3      # a quick look

For each size a synthetic dossier (benchmarks/corpus.py) is written into a temporary project
(our mkdocs.yml and site_theme/), checked with 'dossier check', then timed:

* core   - load, validate, index, render to the page mapping (core.build), in a fresh process,
           imports excluded;
* build  - the whole 'mkdocs build' of the project as a user runs it (process start to end);
* plain  - 'mkdocs build' of the same page tree exported as Markdown files (each page's body
           HTML under a front matter with its title: page.Page.as_markdown; dossier plugin off,
           same theme, navigation and search), i.e. what MkDocs itself costs for these pages;
           its runs alternate with the build's (ours, plain, ours, plain, ...) so that both
           see the same minutes of the host;
* peak   - the peak resident memory of the build process (ru_maxrss of that child);
* preview - on the real dossier: the rebuild 'mkdocs serve' does after one YAML edit;
* serve  - for the --serve-sizes: end to end against a running 'mkdocs serve' of the synthetic
           dossier (benchmarks/serve.py): save a topic file, poll its page until the change
           shows (edit -> visible), and the same for a break and its fix.
* history - reading the content's git history (benchmarks/history_corpus.py scripts it: 500
           commits on a synthetic dossier, 200 on the real one): first read (no cache), read
           from the cache, incremental read after one more commit, and the full build with and
           without the history (plugin option history: off).

Every figure is the median of several runs, each in its own process. Results are printed and
written to benchmarks/out/ (results.json, results.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")


# --- measuring child processes -------------------------------------------------------------

def run_measured(cmd: list[str], timeout: float | None = None, cwd: Path | None = None) -> dict:
    """Run cmd; wall seconds, exit code, output and the peak RSS (MiB) of exactly this child
    (os.wait4). With a timeout the child is killed and "timeout" is set."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as fout, tempfile.TemporaryFile("w+") as ferr:
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=fout, stderr=ferr, text=True)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"seconds": None, "timeout": True, "rc": None, "peak_mib": None, "cpu": None, "out": "", "err": ""}
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        fout.seek(0), ferr.seek(0)
        return {"seconds": wall, "timeout": False, "rc": proc.returncode, "peak_mib": usage.ru_maxrss / 1024,
                "cpu": usage.ru_utime + usage.ru_stime,
                "out": fout.read(), "err": ferr.read()}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def mkdocs_build(config: Path, site: Path, what: str = "mkdocs build", timeout: float | None = None) -> dict:
    """'mkdocs build' of ``config`` into ``site`` in a fresh process, measured (run_measured);
    a failed build ends the benchmark with MkDocs' error output. The caller removes ``site``."""
    r = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], timeout=timeout)
    if not r["timeout"] and r["rc"] != 0:
        raise SystemExit(f"{what} failed:\n{r['err'][-3000:]}")
    return r


# --- projects ------------------------------------------------------------------------------

def make_project(dest: Path, content: Path, seeds: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "site_theme", dest / "site_theme")
    shutil.copytree(content, dest / "content")
    shutil.copytree(seeds, dest / "seeds")
    return dest


def make_plain_project(proj: Path, dest: Path) -> Path:
    """The same pages as plain Markdown files, built by MkDocs without the dossier plugin."""
    import yaml

    r = run_measured([sys.executable, __file__, "--worker", "export", str(proj), str(dest / "docs")])
    if r["rc"] != 0:
        raise SystemExit(f"export failed:\n{r['err']}")
    nav = json.loads((dest / "docs" / ".nav.json").read_text())
    (dest / "docs" / ".nav.json").unlink()
    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    cfg["docs_dir"] = "docs"
    cfg.pop("exclude_docs", None)
    cfg["plugins"] = [p for p in cfg.get("plugins", []) if p != "dossier" and not (isinstance(p, dict) and "dossier" in p)]
    cfg["nav"] = nav
    cfg["strict"] = False
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False))
    shutil.copytree(ROOT / "site_theme", dest / "site_theme")
    return dest


# --- workers (run in child processes) ------------------------------------------------------

def worker(args: list[str]) -> int:
    kind = args[0]
    if kind == "core":
        from newsdossier import core

        proj = Path(args[1])
        t0 = time.perf_counter()
        result = core.build(proj)
        took = time.perf_counter() - t0
        assert result.ok, [p.format() for p in result.errors]
        print(json.dumps({"seconds": took, "pages": len(result.pages)}))
        return 0
    if kind == "export":
        from newsdossier import core

        proj, out = Path(args[1]), Path(args[2])
        result = core.build(proj)
        assert result.ok, [p.format() for p in result.errors]
        for uri, page in result.pages.items():
            (out / uri).parent.mkdir(parents=True, exist_ok=True)
            (out / uri).write_text(page.as_markdown(), encoding="utf-8")
        for uri, data in result.assets.items():
            (out / uri).parent.mkdir(parents=True, exist_ok=True)
            (out / uri).write_bytes(data)
        (out / ".nav.json").write_text(json.dumps(result.nav, ensure_ascii=False))
        return 0
    if kind == "preview":
        return preview_worker(Path(args[1]), int(args[2]))
    if kind == "history":
        from newsdossier import history

        proj, use_cache = Path(args[1]), args[2] == "cache"
        t0, c0 = time.perf_counter(), time.process_time()
        h = history.read(proj, "content", cache=use_cache)
        print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "commits": len(h.commits),
                          "entries": len(h.entries()), "changes": sum(len(c.changes) for c in h.commits)}))
        return 0
    raise SystemExit(f"unknown worker {kind}")


def preview_worker(proj: Path, runs: int) -> int:
    """What 'mkdocs serve' does on a change (mkdocs/commands/serve.py, MkDocs 1.6): load the
    config again, keep the plugin instances (ours defines on_startup), build(dirty=False)."""
    import logging

    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    config_file = str(proj / "mkdocs.yml")

    def get_config():
        return load_config(config_file=config_file, site_dir=site_dir)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    serve_url = _serve_url(host, port, "/")
    config.site_url = serve_url

    def builder(cfg=None):
        if cfg is None:
            cfg = get_config()
            cfg.site_url = serve_url
        build(cfg, serve_url=serve_url, dirty=False)

    t0 = time.perf_counter()
    builder(config)
    initial = time.perf_counter() - t0
    topic = sorted((proj / "content" / "topics").glob("*.yaml"))[0]
    text = topic.read_text(encoding="utf-8")
    title = yaml.safe_load(text)["title"]
    times = []
    for i in range(runs):
        lines = text.split("\n")
        lines = [f"title: {json.dumps(title + f' (Bearbeitung {i + 1})', ensure_ascii=False)}" if ln.startswith("title:") else ln
                 for ln in lines]
        topic.write_text("\n".join(lines), encoding="utf-8")
        t0 = time.perf_counter()
        builder()
        times.append(time.perf_counter() - t0)
    html = (Path(site_dir) / "themen" / topic.stem / "index.html").read_text(encoding="utf-8")
    assert f"(Bearbeitung {runs})" in html, "the edit did not reach the rebuilt page"
    config.plugins.on_shutdown()
    shutil.rmtree(site_dir, ignore_errors=True)
    print(json.dumps({"initial": initial, "rebuilds": times, "edited": str(topic.relative_to(proj))}))
    return 0


# --- the benchmark -------------------------------------------------------------------------

def bench_size(n: int, runs: int, plain_timeout: float, plain: bool, work: Path, log, plain_runs: int | None = None,
               serve_runs: int = 0) -> dict:
    from corpus import write_corpus

    gen = work / f"gen-{n}"
    stats = write_corpus(gen, n, seed=1)
    proj = make_project(work / f"proj-{n}", gen / "content", gen / "seeds")
    chk = run_measured([str(ROOT / ".venv/bin/dossier") if (ROOT / ".venv/bin/dossier").exists() else sys.executable,
                        *([] if (ROOT / ".venv/bin/dossier").exists() else ["-m", "newsdossier.cli"]), "--root", str(proj), "check"])
    if chk["rc"] != 0:
        raise SystemExit(f"synthetic corpus of {n} articles does not pass 'dossier check':\n{chk['err'][-3000:]}")
    log(f"  n={n}: corpus ok ({stats['claims']} claims, {stats['events']} events); {chk['out'].strip()}")
    row = {"articles": n, **{k: v for k, v in stats.items() if k != "articles"}}
    core_t, pages = [], None
    for _ in range(runs):
        r = run_measured([sys.executable, __file__, "--worker", "core", str(proj)])
        if r["rc"] != 0:
            raise SystemExit(r["err"])
        res = json.loads(r["out"].strip().splitlines()[-1])
        core_t.append(res["seconds"])
        pages = res["pages"]
    row["core_s"], row["core_runs"] = median(core_t), core_t
    log(f"  n={n}: core {row['core_s']:.2f} s  {['%.2f' % t for t in core_t]}")
    # Our builds and plain MkDocs' alternate (ours, plain, ours, plain, ... then the remaining
    # runs of either), so that both see the same minutes of a host whose speed drifts.
    build_t, peaks, build_cpu = [], [], []
    row["plain_s"], row["plain_runs"], row["plain_timeout"] = None, [], False
    plain_proj = make_plain_project(proj, work / f"plain-{n}") if plain else None
    n_plain = (plain_runs or runs) if plain else 0

    def our_build(i: int) -> None:
        site = work / f"site-{n}-{i}"
        r = mkdocs_build(proj / "mkdocs.yml", site)
        build_t.append(r["seconds"])
        build_cpu.append(r["cpu"])
        peaks.append(r["peak_mib"])
        if i == 0:
            row["html_pages"] = sum(1 for _ in site.rglob("*.html"))
            idx = site / "search" / "search_index.json"
            row["search_index_mib"] = idx.stat().st_size / 2**20 if idx.exists() else 0
            row["site_mib"] = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20
        shutil.rmtree(site, ignore_errors=True)

    def plain_build(i: int) -> None:
        site = work / f"plain-site-{n}-{i}"
        r = mkdocs_build(plain_proj / "mkdocs.yml", site, "plain mkdocs build", timeout=plain_timeout)
        shutil.rmtree(site, ignore_errors=True)
        if r["timeout"]:
            row["plain_timeout"] = True
            log(f"  n={n}: plain > {plain_timeout:.0f} s (stopped)")
            return
        row["plain_runs"].append(r["seconds"])
        row.setdefault("plain_cpu_runs", []).append(r["cpu"])
        row["plain_peak_mib"] = max(row.get("plain_peak_mib", 0), r["peak_mib"])

    for i in range(max(runs, n_plain)):
        if i < runs:
            our_build(i)
        if i < n_plain and not row["plain_timeout"]:
            plain_build(i)
    row.update(build_s=median(build_t), build_runs=build_t, build_cpu_s=median(build_cpu), peak_mib=max(peaks), pages=pages)
    log(f"  n={n}: build {row['build_s']:.2f} s  {['%.2f' % t for t in build_t]}  (CPU {row['build_cpu_s']:.2f} s)"
        f"  peak {row['peak_mib']:.0f} MiB")
    if plain:
        row["plain_s"] = median(row["plain_runs"])
        if row["plain_s"] is not None:
            row["plain_cpu_s"] = median(row.get("plain_cpu_runs", []))
            row["pair_ratios"] = [ours / p for ours, p in zip(build_t, row["plain_runs"])]
            log(f"  n={n}: plain {row['plain_s']:.2f} s  {['%.2f' % t for t in row['plain_runs']]}  (CPU {row['plain_cpu_s']:.2f} s);"
                f" ours / plain by pair (our build, then plain): {['%.2f' % q for q in row['pair_ratios']]}")
        shutil.rmtree(plain_proj, ignore_errors=True)
    if serve_runs:
        from serve import measure

        res = measure(proj, serve_runs)
        row["serve"] = {"first_s": res["first"], **{k: median(v) for k, v in res["rows"].items()},
                        "runs": res["rows"]}
        target = SAVE_TO_VISIBLE.get(n)
        log(f"  n={n}: mkdocs serve: first page {res['first']:.1f} s; " + "; ".join(
            f"{k} {median(v):.2f} s {['%.2f' % t for t in v]}"
            + (f" (target ≤ {target:g} s)" if k == "edit -> visible" and target is not None else "")
            for k, v in res["rows"].items()))
    shutil.rmtree(gen, ignore_errors=True)
    shutil.rmtree(proj, ignore_errors=True)
    return row


def bench_preview(runs: int, work: Path, log) -> dict:
    proj = make_project(work / "real", ROOT / "content", ROOT / "seeds")
    core_t = []
    for _ in range(max(runs, 3)):
        r = run_measured([sys.executable, __file__, "--worker", "core", str(proj)])
        if r["rc"] != 0:
            raise SystemExit(r["err"])
        core_t.append(json.loads(r["out"].strip().splitlines()[-1])["seconds"])
    r = run_measured([sys.executable, __file__, "--worker", "preview", str(proj), str(max(runs, 3))])
    if r["rc"] != 0:
        raise SystemExit(f"preview benchmark failed:\n{r['err'][-3000:]}")
    res = json.loads(r["out"].strip().splitlines()[-1])
    out = {"core_s": median(core_t), "core_runs": core_t, "initial_s": res["initial"],
           "rebuild_s": median(res["rebuilds"]), "rebuild_runs": res["rebuilds"], "edited": res["edited"]}
    log(f"  real dossier: core {out['core_s']:.3f} s; serve initial build {out['initial_s']:.2f} s, "
        f"rebuild after editing {out['edited']} {out['rebuild_s']:.2f} s {['%.2f' % t for t in res['rebuilds']]}")
    shutil.rmtree(proj, ignore_errors=True)
    return out


#: save-to-visible targets of the preview (issue 10), seconds by article count
SAVE_TO_VISIBLE = {1000: 1.0, 3000: 2.0}


def bench_history(label: str, proj: Path, commits: int, runs: int, work: Path, log) -> dict:
    """History costs on proj, which gets a scripted history of `commits` commits."""
    from history_corpus import scripted_history

    t0 = time.perf_counter()
    scripted_history(proj, commits)
    log(f"  history ({label}): {commits} commits scripted in {time.perf_counter() - t0:.1f} s")

    def read(mode: str) -> dict:
        r = run_measured([sys.executable, __file__, "--worker", "history", str(proj), mode])
        if r["rc"] != 0:
            raise SystemExit(r["err"])
        return json.loads(r["out"].strip().splitlines()[-1])

    cache = proj / ".cache" / "dossier-history"
    cold_runs = [read("nocache") for _ in range(runs)]
    cold, cold_cpu = [r["seconds"] for r in cold_runs], [r["cpu"] for r in cold_runs]
    shutil.rmtree(cache, ignore_errors=True)
    first = read("cache")
    warm = [read("cache")["seconds"] for _ in range(runs)]
    incremental = []
    for i in range(runs):  # one more commit each time, read on top of the cache of the one before
        topic = sorted((proj / "content" / "topics").glob("*.yaml"))[0]
        # never to 'bestaetigt': a dossier's editorial rules may refuse that (see history_corpus)
        topic.write_text(topic.read_text(encoding="utf-8").replace("status: berichtet", "status: einschaetzung", 1)
                         .replace("status: umstritten", "status: berichtet", 1), encoding="utf-8")
        subprocess.run(["git", "-C", str(proj), "commit", "-q", "--allow-empty", "-am", f"bench {i}"], check=True, capture_output=True,
                       env={**ENV, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b",
                            "GIT_COMMITTER_EMAIL": "b@b"})
        incremental.append(read("cache")["seconds"])
    cfg = proj / "mkdocs.yml"
    on_text = cfg.read_text(encoding="utf-8")
    off_text = on_text.replace("  - dossier\n", "  - dossier:\n      history: off\n")
    builds: dict[str, list[float]] = {"on": [], "off": [], "on_cpu": [], "off_cpu": []}
    for i in range(runs):
        for mode, text in (("off", off_text), ("on", on_text)):
            cfg.write_text(text, encoding="utf-8")
            site = work / f"hist-site-{label}-{mode}-{i}"
            r = mkdocs_build(cfg, site)
            builds[mode].append(r["seconds"])
            builds[f"{mode}_cpu"].append(r["cpu"])
            shutil.rmtree(site, ignore_errors=True)
    cfg.write_text(on_text, encoding="utf-8")
    out = {"label": label, "commits": commits, "logged": first["entries"], "changes": first["changes"],
           "cold_s": median(cold), "cold_cpu": median(cold_cpu), "warm_s": median(warm), "incremental_s": median(incremental),
           "build_on_s": median(builds["on"]), "build_off_s": median(builds["off"]),
           "build_on_cpu": median(builds["on_cpu"]), "build_off_cpu": median(builds["off_cpu"]),
           "runs": {"cold": cold, "warm": warm, "incremental": incremental, **builds}}
    log(f"  history ({label}): first read {out['cold_s']:.3f} s (CPU {out['cold_cpu']:.3f} s here), from cache {out['warm_s']:.3f} s, after one more "
        f"commit {out['incremental_s']:.3f} s; build {out['build_on_s']:.2f} s with, {out['build_off_s']:.2f} s without "
        f"(CPU {out['build_on_cpu']:.2f} s / {out['build_off_cpu']:.2f} s)")
    return out


def history_table(rows: list[dict]) -> str:
    lines = ["| history | commits | changes | log entries | first read (CPU of this process) | from cache | one more commit | build with history | without | added | added CPU |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for h in rows:
        lines.append(f"| {h['label']} | {h['commits']:,} | {h['changes']:,} | {h['logged']:,} | {fmt(h['cold_s'], digits=3)} ({fmt(h['cold_cpu'], digits=3)}) | "
                     f"{fmt(h['warm_s'], digits=3)} | {fmt(h['incremental_s'], digits=3)} | {fmt(h['build_on_s'])} | "
                     f"{fmt(h['build_off_s'])} | {fmt(h['build_on_s'] - h['build_off_s'])} | "
                     f"{fmt(h['build_on_cpu'] - h['build_off_cpu'])} |")
    return "\n".join(lines)


#: issue 10's targets for full builds (wall times of the same run)
MAX_RATIO, MAX_GROWTH, MAX_PEAK_MIB = 0.25, 3.3, 600


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def fmt(v, unit="s", digits=2):
    return "–" if v is None else f"{v:.{digits}f} {unit}"


def table(rows: list[dict], preview: dict | None, plain_timeout: float) -> str:
    lines = ["| articles | claims | events | pages | core | full build | its CPU | plain MkDocs | its CPU | ours / plain "
             "| peak memory | build per page |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        targeted = r["articles"] in (1000, 3000)  # issue 10's targets, next to the values
        if r["plain_timeout"]:
            plain, ratio = f"> {plain_timeout:.0f} s", f"< {r['build_s'] / plain_timeout:.2f}"
        elif r["plain_s"] is None:
            plain, ratio = "–", "–"
        else:
            value = r["build_s"] / r["plain_s"]
            plain = fmt(r["plain_s"])
            ratio = f"{value:.2f}" + (f" (≤ {MAX_RATIO:g}: {_verdict(value <= MAX_RATIO)})" if targeted else "")
        peak = f"{r['peak_mib']:.0f} MiB"
        if r["articles"] == 3000:
            peak += f" (≤ {MAX_PEAK_MIB}: {_verdict(r['peak_mib'] <= MAX_PEAK_MIB)})"
        lines.append(f"| {r['articles']:,} | {r['claims']:,} | {r['events']:,} | {r['html_pages']:,} | {fmt(r['core_s'])} | "
                     f"{fmt(r['build_s'])} | {fmt(r.get('build_cpu_s'))} | {plain} | {fmt(r.get('plain_cpu_s'))} | {ratio} | "
                     f"{peak} | {1000 * r['build_s'] / r['html_pages']:.1f} ms |")
    by_n = {r["articles"]: r for r in rows}
    if 1000 in by_n and 3000 in by_n:
        g = by_n[3000]["build_s"] / by_n[1000]["build_s"]
        lines.append(f"| 1,000→3,000 | | | | | ×{g:.2f} (≤ {MAX_GROWTH:g}: {_verdict(g <= MAX_GROWTH)}) | "
                     f"×{by_n[3000]['build_cpu_s'] / by_n[1000]['build_cpu_s']:.2f} | | | | | |")
    out = "\n".join(lines)
    served = [r for r in rows if r.get("serve")]
    if served:
        out += ("\n\nPreview, end to end against a running `mkdocs serve` (save a topic file, poll its page):\n\n"
                "| articles | edit → visible | target | break → problem page | fix → page | first page after start |\n"
                "| ---: | ---: | --- | ---: | ---: | ---: |")
        for r in served:
            sv = r["serve"]
            target = SAVE_TO_VISIBLE.get(r["articles"])
            verdict = "–" if target is None else f"≤ {target:g} s: {'met' if sv['edit -> visible'] <= target else 'not met'}"
            out += (f"\n| {r['articles']:,} | {fmt(sv['edit -> visible'])} | {verdict} | {fmt(sv['break -> panel'])} | "
                    f"{fmt(sv['fix -> page'])} | {fmt(sv['first_s'], digits=1)} |")
    out += ("\n\nTargets (issue 10, wall times of this run): full build ≤ 0.25 × plain MkDocs at 1,000 and 3,000 "
            "articles, growth 1,000→3,000 ≤ ×3.3, peak memory at 3,000 ≤ 600 MiB (the verdicts are in the table).")
    if len(rows) > 1:
        growth = []
        for a, b in zip(rows, rows[1:]):
            f = b["articles"] / a["articles"]
            growth.append(f"{a['articles']:,}→{b['articles']:,} articles (×{f:g}): core ×{b['core_s'] / a['core_s']:.1f}, "
                          f"build ×{b['build_s'] / a['build_s']:.1f}")
        out += "\n\nGrowth: " + "; ".join(growth) + "."
    if preview:
        out += (f"\n\nReal dossier ({ROOT.name}/content): core {preview['core_s']:.3f} s; `mkdocs serve` rebuild after one "
                f"YAML edit ({preview['edited']}): {preview['rebuild_s']:.2f} s (initial serve build {preview['initial_s']:.2f} s).")
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        return worker(argv[1:])
    p = argparse.ArgumentParser(description="Benchmark the dossier generator against plain MkDocs.")
    p.add_argument("--sizes", default="10,100,1000,3000", help="article counts, comma-separated (default: %(default)s)")
    p.add_argument("--runs", type=int, default=5, help="runs per figure for sizes below 1,000 (median; default 5)")
    p.add_argument("--runs-large", type=int, default=3, help="runs per figure from 1,000 articles (default 3)")
    p.add_argument("--plain-runs-large", type=int, default=1,
                   help="runs of the plain MkDocs baseline from 1,000 articles (default 1: it takes minutes)")
    p.add_argument("--plain-timeout", type=float, default=300, help="stop the plain MkDocs baseline after this many seconds (default 300)")
    p.add_argument("--no-plain", action="store_true", help="skip the plain MkDocs baseline")
    p.add_argument("--no-preview", action="store_true", help="skip the preview rebuild on the real dossier")
    p.add_argument("--serve-sizes", default="1000,3000",
                   help="article counts measured end to end against 'mkdocs serve' (default: %(default)s; '' for none)")
    p.add_argument("--serve-runs", type=int, default=3, help="edits per scenario against 'mkdocs serve' (median; default 3)")
    p.add_argument("--history-commits", type=int, default=500, help="commits of the synthetic history (default 500)")
    p.add_argument("--history-articles", type=int, default=100, help="articles of the synthetic dossier with a history (default 100)")
    p.add_argument("--history-real-commits", type=int, default=200, help="commits scripted on the real dossier (default 200)")
    p.add_argument("--no-history", action="store_true", help="skip the history benchmark")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where results.json/results.md go")
    a = p.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    serve_sizes = {int(s) for s in a.serve_sizes.split(",") if s.strip()}
    a.out.mkdir(parents=True, exist_ok=True)
    logf = (a.out / "log.txt").open("w", encoding="utf-8")

    def log(msg: str) -> None:
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    started = dt.datetime.now()
    log(f"benchmark {started:%Y-%m-%d %H:%M}; {platform.python_implementation()} {platform.python_version()}; "
        f"{os.cpu_count()} CPUs; {platform.machine()}")
    rows, preview, hist = [], None, []
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        work = Path(tmp)
        if not a.no_preview:
            preview = bench_preview(a.runs, work, log)
        for n in sizes:
            rows.append(bench_size(n, a.runs if n < 1000 else a.runs_large, a.plain_timeout, not a.no_plain, work, log,
                                   a.runs if n < 1000 else a.plain_runs_large, a.serve_runs if n in serve_sizes else 0))
            (a.out / "results.json").write_text(json.dumps({"date": started.isoformat(timespec="minutes"), "cpus": os.cpu_count(),
                                                            "rows": rows, "preview": preview}, indent=2))
        if not a.no_history:
            from corpus import write_corpus

            gen = work / "hist-gen"
            write_corpus(gen, a.history_articles, seed=1)
            hist.append(bench_history(f"synthetic, {a.history_articles} articles",
                                      make_project(work / "hist-synthetic", gen / "content", gen / "seeds"),
                                      a.history_commits, a.runs, work, log))
            hist.append(bench_history("real dossier", make_project(work / "hist-real", ROOT / "content", ROOT / "seeds"),
                                      a.history_real_commits, a.runs, work, log))
            (a.out / "results.json").write_text(json.dumps({"date": started.isoformat(timespec="minutes"), "cpus": os.cpu_count(),
                                                            "rows": rows, "preview": preview, "history": hist}, indent=2))
    text = table(rows, preview, a.plain_timeout) if rows else ""
    if hist:
        text += "\n\n" + history_table(hist)
    text += (f"\n\nMeasured {started:%Y-%m-%d} on {os.cpu_count()} CPUs, Python {platform.python_version()}; medians of "
             f"{a.runs} runs (from 1,000 articles: {a.runs_large}; plain MkDocs from 1,000 articles: {a.plain_runs_large}), "
             "each in a fresh process; plain MkDocs run right after each of our first builds.")
    (a.out / "results.md").write_text(text + "\n", encoding="utf-8")
    log("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
