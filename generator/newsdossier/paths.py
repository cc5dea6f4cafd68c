"""Where each page lives: the one place that knows page paths and the URLs MkDocs gives them.

A page path is the ``src_uri`` of a generated MkDocs page (``themen/ernte.md``); its URL is
what MkDocs makes of it (``themen/ernte/`` with ``use_directory_urls``, else
``themen/ernte.html``). The renderer, the navigation, the plugin's search policy and the
preview's error pages all take their paths from here.
"""

from __future__ import annotations

#: page path of each fixed page, in navigation order
PAGES = {
    "home": "index.md",
    "topics": "themen/index.md",
    "chronology": "chronologie.md",
    "figures": "zahlen.md",
    "contradictions": "widersprueche.md",
    "actors": "akteure/index.md",
    "sources": "quellen/index.md",
    "glossary": "glossar.md",
    "method": "methode.md",
}
#: the data export (an asset, not a page)
EXPORT_PATH = "daten/dossier.json"

#: folder of each kind of page that exists once per item of the dossier
FOLDERS = {"topic": "themen", "source": "quellen", "actor": "akteure"}


def topic_path(tid: str) -> str:
    return f"{FOLDERS['topic']}/{tid}.md"


def source_path(sid: str) -> str:
    return f"{FOLDERS['source']}/{sid}.md"


def actor_path(aid: str) -> str:
    return f"{FOLDERS['actor']}/{aid}.md"


def item_kind(path: str) -> str | None:
    """'topic', 'source' or 'actor' for the page of one such item; None for any other page
    (the fixed pages, the folders' index pages among them)."""
    folder, _, name = path.partition("/")
    if not name or "/" in name or name == "index.md":
        return None
    return next((kind for kind, f in FOLDERS.items() if f == folder), None)


def page_url(path: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a Markdown page (relative to the site root)."""
    if not use_directory_urls:
        return path[:-3] + ".html"
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[:-3] + "/"
