"""Linked data for each page (schema.org JSON-LD): the articles a page cites and the date the
page was last modified (with a history: the page's own "Zuletzt aktualisiert" date, see
with_modified; without one: the dossier's newest source). The page templates' front matter
carries it; theme/main.html prints it. Everything is derived from the content and its git
history, so two builds are byte-identical."""

from __future__ import annotations

import json

from .index import newest_source
from .model import Dossier


def modified(d: Dossier) -> str | None:
    """The dossier is as new as its newest source (the day that source is sorted by)."""
    newest = newest_source(d)
    return newest.published.sort_key()[0].isoformat() if newest else None


def _work(s) -> dict:
    """The schema.org NewsArticle for a cited source."""
    work: dict = {"@type": "NewsArticle", "headline": s.title, "inLanguage": s.language}
    if s.publisher:
        work["publisher"] = {"@type": "Organization", "name": s.publisher}
    if s.author:
        work["author"] = s.author
    if s.published is not None and s.published.start and not s.published.approximate and s.published.start.precision == "day" and not s.published.is_interval:
        work["datePublished"] = s.published.iso_lower()
    if s.url:
        work["url"] = s.url
    return work


def front_matter(d: Dossier, source_ids: list[str], mod: str | None = None, works: dict[str, str] | None = None) -> str:
    """Extra front-matter lines (JSON is valid YAML) for a rendered page. ``mod`` is
    ``modified(d)`` when the caller has it already (it scans every source: render computes it
    once, not once per page); ``works`` keeps each source's JSON across the pages of a render
    (the same text json.dumps writes for the whole list)."""
    if works is None:
        works = {}
    items, seen = [], set()
    for sid in source_ids:
        s = d.sources.get(sid)
        if s is None or sid in seen:
            continue
        seen.add(sid)
        item = works.get(sid)
        if item is None:
            item = works[sid] = json.dumps(_work(s), ensure_ascii=False)
        items.append(item)
    lines = [f"dossier_cited: [{', '.join(items)}]"]
    if mod is None:
        mod = modified(d)
    if mod:
        lines.append(f"dossier_modified: {json.dumps(mod)}")
    return "\n".join(lines) + "\n"


_MODIFIED = "\ndossier_modified: "


def with_modified(text: str, day: str) -> str:
    """A rendered page with ``day`` as its dossier_modified (the front matter front_matter()
    wrote); a page without front matter stays as it is."""
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 3)
    if end < 0:
        return text
    line = f"{_MODIFIED}{json.dumps(day)}"
    at = text.find(_MODIFIED, 3, end)
    if at < 0:
        return text[:end] + line + text[end:]
    stop = text.find("\n", at + 1)
    return text[:at] + line + text[stop:]
