"""Linked data for each page (schema.org JSON-LD): the articles a page cites and the date the
page was last modified (with a history: the page's own "Zuletzt aktualisiert" date,
history.View.modified; without one: the dossier's newest source). Each page's meta carries it;
theme/main.html prints it. Everything is derived from the content and its git history, so two
builds are byte-identical."""

from __future__ import annotations

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


def linked_data(d: Dossier, source_ids: list[str], mod: str | None = None, works: dict[str, dict] | None = None) -> dict:
    """A page's linked data for its meta (theme/main.html prints it): the cited articles
    (``dossier_cited``) and the dossier's date (``dossier_modified``). ``mod`` is
    ``modified(d)`` when the caller has it already (it scans every source: render computes it
    once, not once per page); ``works`` keeps each source's item across the pages of a render
    (shared, never changed)."""
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
            item = works[sid] = _work(s)
        items.append(item)
    out: dict = {"dossier_cited": items}
    if mod is None:
        mod = modified(d)
    if mod:
        out["dossier_modified"] = mod
    return out
