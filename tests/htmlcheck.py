"""Small HTML helpers for tests: ids and links of built pages (stdlib parser only)."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, dict]] = []
        #: ids this page refers to by attribute (aria-labelledby, aria-describedby, for, form)
        self.refs: list[tuple[str, str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append((a["href"], a))
        for name in ("aria-labelledby", "aria-describedby", "for", "form"):
            for ref in (a.get(name) or "").split():
                self.refs.append((name, ref))
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def resolve(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    """Where an internal href of a page points: (file, fragment); (None, '') for external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("mailto:"):
        return None, ""
    if not parts.path:
        return page, unquote(parts.fragment)
    base = page.parent
    target = Path(posixpath.normpath(str(base / unquote(parts.path))))
    if href.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page that goes nowhere: a missing file (a Markdown '.md'
    link would be one), a missing #anchor, an id named by aria-labelledby/-describedby, for or
    form that the page lacks. (MkDocs checks none of this for the generated pages: they reach
    it as HTML.)"""
    cache: dict[Path, _Page] = {}
    out = []
    for page in html_pages(site):
        if page.name == "404.html" and page.parent == site:
            continue  # MkDocs' 404 page uses root-absolute links by design
        parsed = cache.setdefault(page, parse(page))
        for name, ref in parsed.refs:
            if ref not in parsed.ids:
                out.append(f"{page.relative_to(site)}: {name}={ref} -> missing id")
        for href, _attrs in parsed.links:
            target, frag = resolve(site, page, href)
            if target is None:
                continue
            if not target.exists():
                out.append(f"{page.relative_to(site)}: {href} -> missing file")
                continue
            if frag and target.suffix == ".html":
                tp = cache.setdefault(target, parse(target))
                if frag not in tp.ids:
                    out.append(f"{page.relative_to(site)}: {href} -> missing anchor")
    return out
