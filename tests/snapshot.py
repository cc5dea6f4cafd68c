"""Golden snapshot of the mini fixture's built site (tests/snapshots/mini/), normalised and small.

    make snapshot                  # rebuild the mini fixture and rewrite tests/snapshots/mini/
    .venv/bin/python tests/snapshot.py [--check]

tests/test_snapshot.py builds the same site and fails with a unified diff when anything in the
snapshot changed, so that every structural change of the output shows up in review. After an
intended change: run `make snapshot`, read `git diff tests/snapshots/`, commit it with the change.

What is kept, one file each (so that a review diff names the page):

* ``files.txt``    - every file of the site (content hashes in Material's asset names as ``*``);
* ``layout.html``  - the home page as a whole, without the article and Material's icons: head,
                     header, navigation, footer (our theme overrides and the navigation);
* ``pages/<url>.html`` - per page: its <title>, its JSON-LD and the article;
* ``search.txt``   - the search index reduced to location and title of each entry;
* ``daten/*.json`` - the data export and its schema, indented.

Normalised: HTML is printed one tag or text per line, indented by depth, with runs of whitespace
in text folded to one space (a template's line breaks and indentation do not show, the markup
does); JSON is indented with sorted keys; Material's asset hashes and the generator meta tag
(MkDocs and Material versions) are masked; the sitemap's dates (SOURCE_DATE_EPOCH, fixed here)
are not kept at all.
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import os
import re
import shutil
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "mini"
SNAPSHOT = ROOT / "tests" / "snapshots" / "mini"
SOURCE_DATE_EPOCH = "1729251300"

_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_HASHED = re.compile(r"\.[0-9a-f]{8}(\.min\.(?:js|css)(?:\.map)?)\b")
_SPACE = re.compile(r"\s+")


def build_mini(dest: Path) -> Path:
    """Build the mini fixture with the repository's mkdocs.yml and theme into dest/site, as
    'mkdocs build --strict' does, with a fixed SOURCE_DATE_EPOCH."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    proj = dest / "proj"
    proj.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    shutil.copytree(ROOT / "site_theme", proj / "site_theme")
    for folder in ("content", "seeds"):
        shutil.copytree(FIXTURE / folder, proj / folder)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        cfg = load_config(str(proj / "mkdocs.yml"), site_dir=str(proj / "site"), strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return proj / "site"


class _Printer(HTMLParser):
    """HTML as one start tag, end tag or text per line, indented by depth.

    ``inside``: only the content of the first element for which it returns True (the element
    itself included). ``drop``: elements printed without their content (start and end tag only).
    """

    def __init__(self, inside=None, drop=None, replace=None) -> None:
        super().__init__(convert_charrefs=True)
        self.inside, self.drop, self.replace = inside, drop, replace
        self.lines: list[str] = []
        self.depth = 0
        self.active = inside is None
        self.found = False
        self.stack: list[str] = []  # open elements, while active
        self.skip = 0  # depth inside a dropped element
        self.script: str | None = None  # type of the script whose text comes next

    def _line(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def handle_starttag(self, tag, attrs):
        if not self.active:
            if self.found or not self.inside(tag, dict(attrs)):
                return
            self.active = self.found = True
        if self.skip:
            if tag not in _VOID:
                self.skip += 1
            return
        attr = "".join(f" {k}" if v is None else f' {k}="{html.escape(_mask(v))}"' for k, v in attrs)
        self._line(f"<{tag}{attr}>")
        if tag in _VOID:
            return
        if self.replace and self.replace(tag, dict(attrs)):
            self.depth += 1
            self._line("[see pages/]")
            self.depth -= 1
            self.skip = 1
            self._line(f"</{tag}>")
            return
        if self.drop and self.drop(tag, dict(attrs)):
            self.skip = 1
            self._line(f"</{tag}>")
            return
        self.stack.append(tag)
        self.depth += 1
        if tag == "script":
            self.script = dict(attrs).get("type") or "text/javascript"

    def handle_startendtag(self, tag, attrs):  # <x/>: an element without content
        if self.skip:
            return
        before = len(self.stack)
        self.handle_starttag(tag, attrs)
        if self.skip:  # a dropped or replaced element: its end tag is printed already
            self.skip = 0
        elif len(self.stack) > before:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not self.active:
            return
        if self.skip:
            self.skip -= 1
            return
        if tag not in self.stack:  # a stray end tag: print it where it stands
            self._line(f"</{tag}>")
            return
        while self.stack:
            open_tag = self.stack.pop()
            self.depth -= 1
            self._line(f"</{open_tag}>")
            if open_tag == tag:
                break
        self.script = None
        if self.inside is not None and not self.stack:
            self.active = False

    def handle_data(self, data):
        if not self.active or self.skip:
            return
        if self.script and self.script.endswith("json"):
            try:
                value = json.loads(data)
            except ValueError:
                pass
            else:
                for line in json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).split("\n"):
                    self._line(_mask(line))
                return
        text = _SPACE.sub(" ", data)
        if text.strip():
            self._line(html.escape(_mask(text), quote=False) if not self.script else _mask(text))

    def handle_comment(self, data):
        if self.active and not self.skip:
            self._line(f"<!--{data}-->")


def _mask(text: str) -> str:
    return _HASHED.sub(r".*\1", text)


def pretty(html_text: str, **kw) -> str:
    printer = _Printer(**kw)
    printer.feed(html_text)
    printer.close()
    return "\n".join(printer.lines) + "\n"


def _article(tag, attrs) -> bool:
    return tag == "article" and "md-content__inner" in (attrs.get("class") or "")


def _page(text: str) -> str:
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    head = ["<title>" + (title.group(1).strip() if title else "") + "</title>\n"]
    for ld in re.findall(r'<script type="application/ld\+json">.*?</script>', text, re.S):
        head.append(pretty(ld))
    return "".join(head) + pretty(text, inside=_article)


def _layout(text: str) -> str:
    text = re.sub(r'<meta name="generator" content="[^"]*">', '<meta name="generator" content="*">', text)
    return pretty(text, drop=lambda tag, attrs: tag == "svg", replace=lambda tag, attrs: _article(tag, attrs))


def snapshot(site: Path) -> dict[str, str]:
    """{snapshot file: text} of a built site."""
    out: dict[str, str] = {}
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    out["files.txt"] = "".join(_mask(f) + "\n" for f in files)
    out["layout.html"] = _layout((site / "index.html").read_text(encoding="utf-8"))
    for f in files:
        if f.endswith("index.html"):
            name = f[: -len("index.html")].rstrip("/") or "index"
            out[f"pages/{name}.html"] = _page((site / f).read_text(encoding="utf-8"))
        elif f.startswith("daten/") and f.endswith(".json"):
            value = json.loads((site / f).read_text(encoding="utf-8"))
            out[f] = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    out["search.txt"] = "".join(f"{d['location']}\t{d['title']}\n" for d in index["docs"])
    return out


def stored(folder: Path = SNAPSHOT) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(snap: dict[str, str], folder: Path = SNAPSHOT) -> None:
    """Replace the folder's contents by snap (files no longer in it are removed)."""
    if folder.exists():
        shutil.rmtree(folder)
    for name, text in snap.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def diff(old: dict[str, str], new: dict[str, str], max_lines: int = 400) -> str:
    """A unified diff of every snapshot file that changed, was added or removed."""
    lines: list[str] = []
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        lines += difflib.unified_diff((a or "").splitlines(), (b or "").splitlines(),
                                      f"a/{name}" if a is not None else "/dev/null",
                                      f"b/{name}" if b is not None else "/dev/null", lineterm="")
    if len(lines) > max_lines:
        lines = lines[:max_lines] + [f"... {len(lines) - max_lines} more diff lines (make snapshot; git diff tests/snapshots/)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Rewrite (or --check) the golden snapshot of the mini fixture's site.")
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 and print the diff when it changed")
    args = ap.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    with tempfile.TemporaryDirectory(prefix="dossier-snapshot-") as tmp:
        new = snapshot(build_mini(Path(tmp)))
    old = stored()
    changes = diff(old, new, max_lines=10**9)
    if args.check:
        print(changes or "snapshot up to date")
        return 1 if changes else 0
    write(new)
    n = sum(1 for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    print(f"{SNAPSHOT.relative_to(ROOT)}: {len(new)} files, {n} changed. Review: git diff {SNAPSHOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
