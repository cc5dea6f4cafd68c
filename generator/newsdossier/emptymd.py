"""HACK (MkDocs' Page.render, 1.6 and ProperDocs 1.6): our pages' empty Markdown is not
converted once per page.

Our pages reach MkDocs as data (plugin.py): their Markdown text is empty, on_page_content gives
the body. MkDocs' ``Page.render`` still builds a new ``markdown.Markdown`` instance with every
configured extension for each page, to convert "" - about 0.3 ms a page, in the main process
between the core's end and the first written page, while the second core waits: 0.4 s of a
1,000-article build, 1.2 s at 3,000.

``EmptyMarkdown.render`` stands in for ``page.render`` (set on the page object in
on_pre_page, as incremental.py does for reused pages; MkDocs' classes are not touched). The
first page with empty Markdown is rendered by MkDocs itself, and what that render set - no HTML,
no table of contents, no title, no anchors, no links - is what every further one gets, as new
empty objects of the same types. When that first render makes anything else of "" (an
extension that adds text to every page, another MkDocs), or a page's Markdown is not empty
(another plugin's on_page_markdown changed it), MkDocs renders as before.
"""

from __future__ import annotations

import copy

#: what Page.render sets (MkDocs 1.6; ProperDocs 1.6 the same, links_to_anchors always)
ATTRIBUTES = ("content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors")


class EmptyMarkdown:
    """What Page.render makes of empty Markdown, learnt from the first page and given to the
    rest (see the module's docstring). One per build."""

    def __init__(self) -> None:
        #: None: not learnt yet; {}: MkDocs renders every page; else the attributes to copy
        self.empty: dict | None = None
        #: pages rendered without a Markdown instance (tests)
        self.skipped = 0

    def render(self, page, config, files) -> None:
        """``page.render(config, files)``."""
        if page.markdown != "" or self.empty == {}:
            type(page).render(page, config, files)
            return
        if self.empty is None:
            type(page).render(page, config, files)
            self.empty = _learnt(page)
            return
        for name, value in self.empty.items():  # new empty objects: nothing shared between pages
            setattr(page, name, type(value)([]) if name == "toc" else copy.copy(value))
        self.skipped += 1


def _learnt(page) -> dict:
    """The attributes MkDocs' render of "" set on ``page``, when they are all empty; else {}."""
    if not all(hasattr(page, name) for name in ATTRIBUTES):
        return {}
    values = {name: getattr(page, name) for name in ATTRIBUTES}
    toc = values["toc"]
    if (values["content"] != "" or values["_title_from_render"] is not None
            or values["present_anchor_ids"] != set() or values["links_to_anchors"] not in ({}, None)
            or list(getattr(toc, "items", [None])) != []):
        return {}
    try:
        type(toc)([])
    except TypeError:
        return {}
    return values
