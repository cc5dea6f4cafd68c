"""Command line: ``dossier check``, ``dossier build``, ``dossier export``.

Exit codes (documented in the README):
  0  success (warnings may have been printed)
  1  content errors (every one printed as path:line:col: error: …)
  2  wrong usage (unknown command or option, missing folder)
  3  the site build itself failed for a reason other than content (MkDocs, theme, disk)
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import core
from .errors import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3


def _print_problems(problems, stream=sys.stderr) -> None:
    for p in problems:
        print(p.format(), file=stream)


def cmd_check(args) -> int:
    t0 = time.perf_counter()
    result = core.check(Path(args.root), args.content, args.seeds)
    _print_problems(result.problems)
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
    """Write the generated page tree as plain Markdown files (for other renderers)."""
    result = core.build(Path(args.root), args.content, args.seeds)
    _print_problems(result.problems)
    if not result.ok:
        return EXIT_CONTENT
    out = Path(args.out)
    for uri, text in result.pages.items():
        path = out / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for uri, data in result.assets.items():
        path = out / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(result.pages)} pages and {len(result.assets)} assets to {out}")
    return EXIT_OK


def cmd_build(args) -> int:
    """Build into a temporary folder beside the target and swap it in only on success."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    root = Path(args.root).resolve()
    config_file = root / args.config
    if not config_file.is_file():
        print(f"{config_file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    target = (root / args.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
    t0 = time.perf_counter()
    try:
        cfg = load_config(str(config_file), site_dir=str(tmp), strict=args.strict)
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
    except (Abort, ConfigurationError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"build failed: {exc}", file=sys.stderr)
        print(f"{target} was left as it was", file=sys.stderr)
        return EXIT_BUILD
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.replace(target, old / "site")
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    print(f"built {target} in {time.perf_counter() - t0:.1f} s")
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dossier", description="Build and check an explainer dossier.")
    p.add_argument("--root", default=".", help="project folder (with content/, seeds/, mkdocs.yml)")
    p.add_argument("--content", default="content", help="content folder, relative to --root")
    p.add_argument("--seeds", default="seeds", help="article folder, relative to --root")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("check", help="validate all content without building; print every problem")
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("build", help="build the public site atomically (a failed build keeps the old site)")
    s.add_argument("--site-dir", default="site")
    s.add_argument("--config", default="mkdocs.yml")
    s.add_argument("--no-strict", dest="strict", action="store_false", help="do not fail on warnings")
    s.set_defaults(func=cmd_build, strict=True)
    s = sub.add_parser("export", help="write the generated pages as Markdown files into a folder")
    s.add_argument("out")
    s.set_defaults(func=cmd_export)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return args.func(args)
    except ContentError as exc:
        _print_problems(exc.problems)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
