"""Command line: ``dossier new``, ``check``, ``build``, ``export``, ``new-source``, ``schemas``.

Exit codes (documented in the README):
  0  success (warnings may have been printed)
  1  content errors (every one printed as path:line:col: error: …); for ``new-source``: the
     article was refused; for ``schemas --check``: the committed schemas are out of date
  2  wrong usage (unknown command or option, missing folder, an option that contradicts
     mkdocs.yml)
  3  the site build itself failed for a reason other than content (MkDocs, theme, disk)
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import core, project, schemas, sitedir
from .errors import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3


def _print_problems(problems, stream=sys.stderr) -> None:
    for p in problems:
        print(p.format(), file=stream)


def cmd_check(args) -> int:
    t0 = time.perf_counter()
    root = Path(args.root)
    if not root.is_dir():
        print(f"{args.root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    result = core.check(root, args.content, args.seeds)
    _print_problems(result.problems)
    if args.coverage:
        from .coverage import coverage, report, uncovered_numbers

        print(report(coverage(result.dossier)))
        numbers = uncovered_numbers(result.dossier)
        print(f"numbers in article bodies cited by nothing: {len(numbers)}")
        for u in numbers:
            print(f"  {u.format()}")
    d = result.dossier
    n_err, n_warn = len(result.errors), len(result.warnings)
    summary = (f"{len(d.sources)} sources, {len(d.topics)} topics, {len(d.claims)} claims, {len(d.events)} events, "
               f"{len(d.actors)} actors, {len(d.figures)} figures, {len(d.contradictions)} contradictions, "
               f"{len(d.terms)} terms")
    took = time.perf_counter() - t0
    if n_err:
        print(f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''} "
              f"({summary}; {took:.2f} s)", file=sys.stderr)
        return EXIT_CONTENT
    print(f"ok: {summary}; {n_warn} warning{'s' if n_warn != 1 else ''} ({took:.2f} s)")
    return EXIT_OK


def cmd_export(args) -> int:
    """Write the generated page tree as Markdown files (for other renderers): each page's
    title and kind as front matter, its body HTML below (page.Page.as_markdown)."""
    if not Path(args.root).is_dir():
        print(f"{args.root}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    result = core.build(Path(args.root), args.content, args.seeds)
    _print_problems(result.problems)
    if not result.ok:
        return EXIT_CONTENT
    out = Path(args.out)
    if os.path.lexists(out) and not out.is_dir():
        print(f"{args.out}: exists and is not a folder\n    hint: name a new or existing folder to export into",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        for uri, page in result.pages.items():
            path = out / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page.as_markdown(), encoding="utf-8")
        for uri, data in result.assets.items():
            path = out / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        print(f"export failed: {exc.filename or args.out}: {exc.strerror}\n"
              "    hint: export into a folder you may write to, where no file has a page's name", file=sys.stderr)
        return EXIT_BUILD
    print(f"wrote {len(result.pages)} pages and {len(result.assets)} assets to {out}")
    return EXIT_OK


def source_date_epoch(root: Path) -> str | None:
    """SOURCE_DATE_EPOCH for a reproducible build: the environment's value, else the time of
    the last git commit of the project (so two builds of one commit are byte-identical)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None:
        return value if value.strip().isdigit() else None
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    return value if out.returncode == 0 and value.isdigit() else None


def replaceable_site(target: Path) -> bool:
    """Only a missing path, an empty folder or a previous site may be replaced by a build:
    '--site-dir .git' or '--site-dir mkdocs.yml' must never be swapped away."""
    if not target.exists():
        return True
    if not target.is_dir() or target.is_symlink():
        return False
    names = {p.name for p in target.iterdir()}
    return not names or {"index.html", "sitemap.xml"} <= names


def cmd_build(args) -> int:
    """Build into a temporary folder beside the target and swap it in only on success."""
    root = Path(args.root).resolve()
    config_file = root / args.config
    if not config_file.is_file():
        print(f"{config_file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    if "SOURCE_DATE_EPOCH" in os.environ and source_date_epoch(root) is None:
        print(f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']!r} is not a number of seconds", file=sys.stderr)
        return EXIT_USAGE
    epoch = source_date_epoch(root)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch  # MkDocs reads it for page dates and sitemap.xml.gz
    target = (root / args.site_dir).resolve()
    if target == root or target in root.parents or not replaceable_site(target):
        print(f"refusing to build into {target}: it exists and is not a site built before "
              "(an empty folder, or one with index.html and sitemap.xml)", file=sys.stderr)
        return EXIT_USAGE
    # one build at a time into one folder; what killed builds left behind is cleaned first
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = sitedir.BuildLock(target)
    except sitedir.Locked as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return EXIT_BUILD
    except OSError as exc:
        print(f"build failed: cannot write in {target.parent} ({exc.strerror}); {target} was left as it was\n"
              f"    hint: build into a folder you may write to (--site-dir), or fix the permissions", file=sys.stderr)
        return EXIT_BUILD
    with lock:
        sitedir.recover_and_clean(target)
        return _build_locked(args, root, config_file, target)


def _build_locked(args, root: Path, config_file: Path, target: Path) -> int:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from .plugin import DossierPlugin

    # Content first: errors are reported compiler style (exit 1) before MkDocs is involved.
    checked = core.check(root, args.content, args.seeds)
    if checked.errors:
        _print_problems(checked.problems)
        n = len(checked.errors)
        print(f"{n} content error{'s' if n != 1 else ''} - nothing was built; {target} was left as it was",
              file=sys.stderr)
        return EXIT_CONTENT
    try:
        tmp = sitedir.new_build_dir(target)
    except OSError as exc:
        print(f"build failed: cannot write in {target.parent} ({exc.strerror}); {target} was left as it was\n"
              f"    hint: build into a folder you may write to (--site-dir), or fix the permissions", file=sys.stderr)
        return EXIT_BUILD
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
    t0 = time.perf_counter()
    try:
        cfg = load_config(str(config_file), site_dir=str(tmp), strict=args.strict, **_mkdocs_defaults(root, config_file, args))
        for plugin in cfg.plugins.values():  # the content is checked: do not load it again
            if isinstance(plugin, DossierPlugin):
                plugin.config.content_dir, plugin.config.seeds_dir = args.content, args.seeds
                plugin.checked = ((root, args.content, args.seeds), checked)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except PluginError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(str(exc), file=sys.stderr)
        print(f"build failed; {target} was left as it was", file=sys.stderr)
        return EXIT_CONTENT if "content error" in str(exc) else EXIT_BUILD
    except KeyboardInterrupt:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except Exception as exc:  # Abort, ConfigurationError, OSError, a theme bug: never a half site
        shutil.rmtree(tmp, ignore_errors=True)
        known = isinstance(exc, (Abort, ConfigurationError))
        print(f"build failed: {exc}" if known else f"build failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"{target} was left as it was", file=sys.stderr)
        return EXIT_BUILD
    try:
        sitedir.swap_in(tmp, target)  # one atomic exchange: site/ is never missing
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"build failed: could not replace {target}: {exc}; the last good site was kept", file=sys.stderr)
        return EXIT_BUILD
    print(f"built {target} in {time.perf_counter() - t0:.1f} s")
    return EXIT_OK


def _mkdocs_defaults(root: Path, config_file: Path, args) -> dict:
    """What MkDocs insists on and a dossier's mkdocs.yml may leave out when built with
    'dossier build': site_name (the plugin fills it from dossier.yaml) and docs_dir (the
    content folder, when there is no docs/ folder)."""
    written = project.read_mkdocs_yml(config_file)
    out = {}
    if "site_name" not in written:
        out["site_name"] = ""
    if "docs_dir" not in written and not (root / "docs").is_dir():
        out["docs_dir"] = str(root / args.content)
    return out


def cmd_new(args) -> int:
    """Scaffold a new dossier project, then check it like any other."""
    from .scaffold import ScaffoldError, create

    target = Path(args.dir)
    try:
        written = create(target, args.title, args.language)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    result = core.check(target, project.DEFAULT_CONTENT, project.DEFAULT_SEEDS)
    _print_problems(result.problems)
    if result.errors:
        return EXIT_CONTENT
    print(f"wrote a new dossier in {target} ({len(written)} files)")
    print(f"next: cd {target} && dossier build   (or: mkdocs serve for the live preview)")
    print("then replace the example article in seeds/ and its files in content/ (see README.md)")
    return EXIT_OK


def cmd_new_source(args) -> int:
    """Write a starting content/sources/<id>.yaml for an article in seeds/, then check it."""
    from .newsource import NewSourceError, create

    root = Path(args.root)
    try:
        path, ident = create(root, args.seed, args.content, args.seeds, args.id)
    except NewSourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    rel = f"{args.content}/sources/{path.name}"
    result = core.check(root, args.content, args.seeds)
    own = [p for p in result.problems if p.pos.path == rel]
    _print_problems(own)
    print(f"wrote {rel} (source id '{ident}')")
    print("next: confirm or delete every line marked 'bitte prüfen', fill in the TODOs with evidence, "
          f"then cite the article in a topic (source: {ident}) and run 'dossier check'.")
    return EXIT_CONTENT if any(p.severity == "error" for p in own) else EXIT_OK


def cmd_schemas(args) -> int:
    """Write (or with --check: verify) the JSON Schemas in content/schemas/."""
    content = Path(args.root) / args.content
    if args.check:
        stale = schemas.stale(content)
        for name in stale:
            print(f"{args.content}/{schemas.SCHEMA_DIR}/{name}: error: out of date with the content model",
                  file=sys.stderr)
        missing = schemas.missing_modelines(content)
        for rel, line in missing:
            print(f"{args.content}/{rel}:1:1: error: the first line must name the schema\n    hint: add '{line}'",
                  file=sys.stderr)
        if stale:
            print("hint: run 'dossier schemas' and commit the result", file=sys.stderr)
        return EXIT_CONTENT if stale or missing else EXIT_OK
    changed = schemas.write(content)
    for name in changed:
        print(f"wrote {args.content}/{schemas.SCHEMA_DIR}/{name}")
    if not changed:
        print(f"{args.content}/{schemas.SCHEMA_DIR}/ is up to date")
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dossier", description="Build and check an explainer dossier.")
    p.add_argument("--root", default=".", help="project folder (with content/, seeds/, mkdocs.yml)")
    p.add_argument("--content", help="content folder, relative to --root (default: mkdocs.yml's "
                                     "plugins: dossier: content_dir, else content)")
    p.add_argument("--seeds", help="article folder, relative to --root (default: mkdocs.yml's "
                                   "plugins: dossier: seeds_dir, else seeds)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("new", help="start a new dossier project in a new folder (checks and builds at once)")
    s.add_argument("dir", help="the new project folder, e.g. ../my-dossier")
    s.add_argument("--title", help="the dossier's title (default: 'Neues Dossier'; change it in content/dossier.yaml)")
    s.add_argument("--language", choices=["de", "en"], default="de",
                   help="language of the reader interface and of the example (default: de)")
    s.set_defaults(func=cmd_new)
    s = sub.add_parser("check", help="validate all content without building; print every problem")
    s.add_argument("--coverage", action="store_true",
                   help="also print, per source, the share of article paragraphs cited at least once")
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("build", help="build the public site atomically (a failed build keeps the old site)")
    s.add_argument("--site-dir", default="site")
    s.add_argument("--config", default="mkdocs.yml")
    s.add_argument("--no-strict", dest="strict", action="store_false", help="do not fail on warnings")
    s.set_defaults(func=cmd_build, strict=True)
    s = sub.add_parser("export", help="write the generated pages as Markdown files into a folder")
    s.add_argument("out")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("new-source", help="write a starting source YAML for a new article in seeds/")
    s.add_argument("seed", help="the article file, e.g. seeds/005_abc.txt")
    s.add_argument("--id", help="source id (default: from the headline)")
    s.set_defaults(func=cmd_new_source)
    s = sub.add_parser("schemas", help="write the JSON Schemas for editor autocompletion into content/schemas/")
    s.add_argument("--check", action="store_true", help="only verify that the committed schemas are up to date")
    s.set_defaults(func=cmd_schemas)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if args.func is not cmd_new:
        # one setting per fact: the folders mkdocs.yml names, unless an option says the same
        try:
            where = project.locations(Path(args.root), getattr(args, "config", "mkdocs.yml"), args.content, args.seeds)
        except project.Conflict as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        args.content, args.seeds = where.content, where.seeds
    try:
        return args.func(args)
    except ContentError as exc:
        _print_problems(exc.problems)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
