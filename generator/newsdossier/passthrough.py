"""Generated pages past MkDocs' parsers, byte for byte the same site (fast_html option).

Generated pages carry front matter and raw HTML blocks that MkDocs would parse only to pass
them on unchanged. The plugin takes the plain cases past the parsers: ``split_front_matter``
in on_files, ``protect_html`` in on_page_markdown, ``restore_html`` in on_page_content and
``anchor_ids`` in on_env. Whatever is not plainly safe is left to MkDocs. (Issue 10 replaces
this round trip by structured pages.)
"""

from __future__ import annotations

import html
import json
import re

from markdown.util import BLOCK_LEVEL_ELEMENTS
from mkdocs.utils import meta as mkdocs_meta


# --- front matter past MkDocs' YAML parser ---------------------------------------------------
#
# Every generated page starts with front matter: its title, its kind and the JSON-LD data of
# the articles it cites (one JSON line, long on topic pages and the chronology). MkDocs reads
# it with PyYAML, whose object construction is Python code: 1.2 s of a 1,000-article build.
# Our lines are 'key: <JSON>' or 'key: word'; JSON is YAML, so json.loads gives the same values
# - as long as nothing in the block is read differently by YAML 1.1 (checked below; anything
# else is left to MkDocs). The plugin takes such a front matter off the page text and sets
# page.meta itself in on_page_markdown, right after MkDocs read the (now bare) page.

_FRONT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (.*)")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9_]*")
#: lower-case words YAML 1.1 does not read as text (booleans and null)
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null"})
#: characters YAML refuses or reads as line breaks inside quotes (JSON leaves them raw)
_YAML_SPECIAL = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def split_front_matter(text: str) -> tuple[str, dict] | None:
    """(the page without its front matter, the front matter as MkDocs would read it), or None
    when the front matter is not of the plain kind this fast path is sure about."""
    m = mkdocs_meta.YAML_RE.match(text)
    if not m or _YAML_SPECIAL.search(m.group(1)):
        return None
    data: dict = {}
    for line in m.group(1)[:-1].split("\n"):
        fm = _FRONT_LINE.fullmatch(line)
        if fm is None:
            return None
        key, raw = fm.groups()
        if _PLAIN_WORD.fullmatch(raw) and raw not in _YAML_WORDS:
            data[key] = raw
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        if not _json_text(value):
            return None
        data[key] = value
    rest = text[m.end():].lstrip("\n")
    if mkdocs_meta.get_data(rest) != (rest, {}):  # MkDocs would find more meta data in the rest
        return None
    return rest, data


def _json_text(value) -> bool:
    """Only text, lists and mappings (YAML 1.1 reads JSON numbers and null differently), and no
    mapping key near YAML's 1,024-character limit for keys."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_json_text(v) for v in value)
    if isinstance(value, dict):
        return all(len(k) < 1000 and _json_text(v) for k, v in value.items())
    return False


# --- raw HTML past Python-Markdown ------------------------------------------------------------
#
# Generated pages are mostly raw HTML blocks. For each of them MkDocs runs html.parser twice
# (Python-Markdown's raw-HTML stash and MkDocs' anchor scan) only to pass the block through
# unchanged - about 40% of a build's MkDocs time. protect_html() swaps every block that Python-
# Markdown would certainly stash verbatim for an HTML comment (which it also passes through),
# and on_page_content puts the blocks back; on_env registers their ids for anchor validation
# (for the pages that Markdown links point to with an anchor: the only ones MkDocs checks).
# Anything unusual (no blank line before, tabs, comments, unbalanced tags, code fences) is
# left to Python-Markdown, so the HTML is byte for byte what it would have been.

_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s>/])")
_PLACEHOLDER = re.compile(r"<!--dossier-raw-(\d+)-->")
_ANCHOR_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"|<a\s[^<>]*?\bname="([^"]*)"')
_UNSAFE = ("\t", "\r", "\x02", "\x03", "<!--", "\n\n")


def restore_html(html_text: str, blocks: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Put the blocks back in place of their placeholders; also return where each block now
    stands in the text, as (start, end)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = length = 0
    for m in _PLACEHOLDER.finditer(html_text):
        block = blocks[int(m.group(1))]
        parts += (html_text[pos:m.start()], block)
        length += m.start() - pos
        spans.append((length, length + len(block)))
        length += len(block)
        pos = m.end()
    parts.append(html_text[pos:])
    return "".join(parts), spans


def anchor_ids(html_text: str, spans: list[tuple[int, int]]) -> set[str]:
    """The ids (and <a name>s) inside the given stretches of html_text."""
    return {html.unescape(a or b) for start, end in spans for a, b in _ANCHOR_ID.findall(html_text, start, end)}


def protect_html(markdown: str) -> tuple[str, list[str]]:
    """Replace raw HTML blocks by placeholders; return the new text and the blocks."""
    if "```" in markdown or "~~~" in markdown:
        return markdown, []
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        m = _START_TAG.match(line)
        end = _block_end(lines, i, m.group(1).lower()) if m and m.group(1).lower() in _BLOCK_TAGS and (i == 0 or not lines[i - 1]) else None
        if end is None:
            out.append(line)
            i += 1
            continue
        out.append(f"<!--dossier-raw-{len(blocks)}-->")
        blocks.append("\n".join(lines[i:end + 1]))
        i = end + 1
    return "\n".join(out), blocks


def _block_end(lines: list[str], start: int, tag: str) -> int | None:
    """Index of the last line of the block opened by ``<tag`` at ``lines[start]``, if the block
    is plain: it ends with ``</tag>`` at the end of a line and the opening tag is closed nowhere
    earlier. (Python-Markdown treats a comment and a block alike before the next line, blank or
    not: html.parser hands both to the same 'block ended, tail follows' logic.)"""
    events = re.compile(rf"<(/?){tag}(?=[\s>/])", re.IGNORECASE)
    depth = 0
    for j in range(start, len(lines)):
        line = lines[j]
        if not line:
            return None
        for ev in events.finditer(line):
            if depth == 0 and (j, ev.start()) != (start, 0):
                return None  # closed before the end of the line: leave it to Markdown
            depth += -1 if ev.group(1) else 1
        if depth == 0:
            if not line.endswith(f"</{tag}>"):
                return None
            text = "\n".join(lines[start:j + 1])
            return None if any(u in text for u in _UNSAFE) else j
        if depth < 0:
            return None
    return None
