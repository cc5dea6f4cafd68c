"""Limits against hostile or broken input, in one place.

* **Characters**: invisible controls, bidirectional overrides, non-characters and lone
  surrogates are refused in YAML (with their position); in articles - which are never
  edited - they are shown as U+FFFD instead.
* **Files**: input files are opened only when they are regular files (never a FIFO, device or
  symbolic link), and read up to their size limit; the content folder holds only what the
  generator reads (anything else is an error, and nothing from it is published as is).
* **Ids**: ids that are page names or the generator's own anchors are refused, so a content
  id can never give a page or an HTML id twice.
* **Budgets**: citations after every alias and claim reference is expanded, the size of a
  generated page, and the work spent searching for the closest passage of a wrong quote.

The numbers are stated in the README ("Limits and budgets").
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any, Callable

from .errors import Pos, Problems

# --- characters ------------------------------------------------------------------------------

#: refused anywhere in a YAML value or key: C0/C1 controls (but tab and line breaks), DEL, the
#: bidirectional marks, embeddings, overrides and isolates, line/paragraph separators, the
#: non-characters U+FDD0-U+FDEF, U+FFFE, U+FFFF, and lone surrogates (only an escape such as
#: "\ud800" can make one: a file is strict UTF-8)
BAD_IN_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
#: the subset both YAML readers let through as raw characters in a file (the others they
#: refuse with a position themselves)
BAD_RAW_IN_YAML = re.compile("[\x85\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef]")
#: neutralised in articles (shown as U+FFFD): controls that can hide or reorder text. The
#: left-to-right/right-to-left marks (U+200E, U+200F, U+061C) stay: they reorder nothing.
BAD_IN_ARTICLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                            "\ufdd0-\ufdef\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def describe_char(ch: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+D800 (a lone surrogate)', 'U+0085'."""
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (a lone surrogate, from an escape such as \\u{code:04x})"
    name = unicodedata.name(ch, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


BAD_CHAR_HINT = ("remove it: invisible control, direction-override and non-characters can hide or reorder "
                 "what readers see (retype the text around it, or paste it as plain text)")


def neutralise_article(raw: str) -> str:
    """An article's text with every character of BAD_IN_ARTICLE replaced by U+FFFD."""
    if raw.isprintable() or not BAD_IN_ARTICLE.search(raw):
        return raw
    return BAD_IN_ARTICLE.sub(REPLACEMENT, raw)


def escape_for_terminal(text: str) -> str:
    """A message as it may be printed: lone surrogates and control characters escaped
    (a message quotes what an editor wrote)."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\t" or ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


# --- files -----------------------------------------------------------------------------------

_KIND_NAMES = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFDIR: "a folder", stat.S_IFLNK: "a symbolic link"}


def file_kind(mode: int) -> str:
    return _KIND_NAMES.get(stat.S_IFMT(mode), "a special file")


def read_regular_file(path: Path, rel: str, problems: Problems, *, limit: int, what: str, fix_link: str,
                      fix_size: str) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes, or None after recording why not.

    The file is opened without following a symbolic link and without blocking, and checked
    with fstat on the open descriptor: a FIFO, socket or device is never read (reading a FIFO
    would wait for a writer forever), and a file swapped for a link between a check and the
    open is refused just the same."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            problems.error(Pos(rel), f"{what} is a symbolic link; it is not read", fix_link)
        elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
            problems.error(Pos(rel), f"{what} does not exist", "check the name")
        elif exc.errno == errno.ENXIO:  # a socket, or a FIFO without a writer on some systems
            problems.error(Pos(rel), f"expected a {what} here, found a folder or special file", "rename or remove it")
        else:
            problems.error(Pos(rel), f"{what} cannot be read: {exc.strerror}", "check the file's permissions")
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.error(Pos(rel), f"expected a {what} here, found a folder or special file ({file_kind(st.st_mode)})",
                           "rename or remove it")
            return None
        if st.st_size > limit:
            problems.error(Pos(rel), f"{what} is {st.st_size:,} bytes, more than the limit of {limit:,}", fix_size)
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        problems.error(Pos(rel), f"{what} cannot be read: {exc.strerror}", "check the file's permissions")
        return None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        problems.error(Pos(rel), f"{what} is more than the limit of {limit:,} bytes", fix_size)
        return None
    return data


def walk_tree(top: Path):
    """(path, what) for everything below ``top``, never following a symbolic link: what is
    "file", "folder", "link" or the kind of a special file. Folders come before their files."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode):
            yield path, "link"
        elif stat.S_ISDIR(mode):
            yield path, "folder"
            yield from walk_tree(path)
        elif stat.S_ISREG(mode):
            yield path, "file"
        else:
            yield path, file_kind(mode)


# --- reserved ids ----------------------------------------------------------------------------

#: Ids the generated pages use themselves: page names ('index' would replace an overview
#: page), the ids of fixed headings and elements, and the headings of the fixed pages (their
#: anchors come from the title: 'Chronologie' -> 'chronologie'). tests/test_safety.py builds a
#: site and checks that every id in its HTML that no content gave is covered here or below.
RESERVED_IDS = frozenset({
    "index",
    # fixed elements and headings (templates)
    "was-wir-wissen-h", "was-unklar-ist-h", "belege-h", "filter-thema", "filter-akteur", "tabelle-nach-quelle",
    "nach-quelle", "aussagen", "zahlen", "ereignisse", "widersprueche", "schluesselzahlen", "neueste-ereignisse",
    "themen", "status", "daten", "fehler-melden", "herkunft", "text", "auf-einen-blick", "dossier-filter", "ueberblick",
    # actor kinds (headings of the actors page)
    "person", "organisation", "state", "media", "group",
    # headings of the fixed pages
    "chronologie", "zahlen-im-vergleich", "widerspruche", "akteure", "quellen", "glossar", "methode",
    "ubersicht", "uebersicht", "alle-themen",
})


def _page_title_ids() -> frozenset:
    """The ids MkDocs gives the title headings of the fixed pages (the home page's is the
    dossier's title), in every language with a catalog (locales/*.yaml): a content id is
    refused in all of them, so that switching a dossier's language cannot make two equal ids."""
    from . import i18n

    return frozenset(heading_anchor(title) for lang in i18n.languages()
                     for key, title in i18n.catalog(lang).section("nav").items() if key != "home")


#: Generated anchors with a number or another id in them, by the kind of id that shares a
#: page with them: citation numbers (beleg-3) on every page; sections (abschnitt-2) and the
#: events of a topic or actor page (ereignis-…) beside claims; years (jahr-2024) and periods
#: (zeitraum-…) beside events on the chronology; a figure series' heading, table and chart
#: (reihe-…, tabelle-…, diagramm-…) beside figures. Sources, topics and series become page
#: names, never HTML ids: for them only 'index' is reserved.
_RESERVED_BY_KIND = {
    "claim": re.compile(r"(?:beleg|abschnitt)-\d+|ereignis-.*"),
    "event": re.compile(r"(?:beleg|jahr)-\d+|zeitraum-.*"),
    "figure": re.compile(r"beleg-\d+|(?:reihe|tabelle|diagramm)-.*"),
    "actor": re.compile(r"beleg-\d+"),
    "term": re.compile(r"beleg-\d+"),
    "contradiction": re.compile(r"beleg-\d+"),
}
_PAGE_NAME_KINDS = ("source", "topic", "series")
#: the anchors of a source page's passages (p3, zt1, zk1, line4, q-…): its title's anchor must
#: not be one of them
PASSAGE_ANCHOR = re.compile(r"(?:p|zt|zk|line)\d+|q-[0-9a-f]+")


@functools.lru_cache(maxsize=1 << 17)  # (every save checks every id again under mkdocs serve)
def reserved(kind: str, ident: str) -> bool:
    """Whether an id of this kind would give a page or an HTML id that the generator makes too."""
    if kind in _PAGE_NAME_KINDS:
        return ident == "index"
    if ident in RESERVED_IDS:
        return True
    rx = _RESERVED_BY_KIND.get(kind)
    return rx is not None and rx.fullmatch(ident) is not None


def generated_anchor(ident: str) -> bool:
    """Whether the generator may make this HTML id itself (on some page)."""
    return (ident in RESERVED_IDS or PASSAGE_ANCHOR.fullmatch(ident) is not None
            or any(rx.fullmatch(ident) for rx in _RESERVED_BY_KIND.values()))


@functools.lru_cache(maxsize=1 << 16)  # (every save checks every title again under mkdocs serve)
def heading_anchor(title: str) -> str:
    """The id MkDocs' table of contents gives a page's title heading (toc's default slugify)."""
    from markdown.extensions.toc import slugify

    return slugify(title, "-")


RESERVED_IDS = RESERVED_IDS | _page_title_ids()  # noqa: F811 (needs heading_anchor)


def check_ids(d, ids: dict[str, dict[str, Pos]], problems: Problems) -> None:
    """Refuse reserved ids, and ids equal to the anchor of the title heading of a page they are
    shown on (the anchor MkDocs derives from a topic's title or an actor's name)."""
    for kind, table in ids.items():
        for ident, pos in table.items():
            if pos.path and reserved(kind, ident):
                problems.error(pos, f"{kind} id '{ident}' is reserved: the generated pages use it themselves",
                               "choose another id; 'index', the ids of fixed headings (e.g. 'themen', 'person') and "
                               "generated ones (beleg-1, jahr-2024, abschnitt-2, reihe-…, ereignis-… for claims) are "
                               "reserved")
    # (the claims are walked only where some claim has the anchor as its id: every claim id,
    # a duplicate's too, is in ids["claim"]; this runs on every save under mkdocs serve)
    claim_ids = ids.get("claim", {})
    for topic in d.topics.values():
        anchor = heading_anchor(topic.title)
        if anchor not in claim_ids:
            continue
        for section in topic.sections:
            for claim in section.claims:
                if claim.id == anchor:
                    problems.error(claim.at("id"), f"claim id '{claim.id}' is the anchor of its topic page's title "
                                   f"„{topic.title}“", "choose another id for the claim, or retitle the topic")
    anchors = {a.id: heading_anchor(a.name) for a in d.actors.values()}
    if not any(anchor in d.claims for anchor in set(anchors.values())):
        anchors = {}  # no claim has an actor's anchor as its id
    for claim in d.claims.values() if anchors else ():
        for aid in claim.by:
            if anchors.get(aid) == claim.id:
                actor = d.actors[aid]
                problems.error(claim.at("id"), f"claim id '{claim.id}' is the anchor of the title „{actor.name}“ of "
                               f"the page of actor '{actor.id}', where the claim is shown",
                               "choose another id for the claim")
    for source in d.sources.values():
        if PASSAGE_ANCHOR.fullmatch(heading_anchor(source.title)) or heading_anchor(source.title) in RESERVED_IDS:
            problems.error(source.at("title"), f"the title's anchor '{heading_anchor(source.title)}' is one the "
                           "source page uses for a passage", "reword the title")


# --- budgets ---------------------------------------------------------------------------------

#: citations one statement may show, its own and those of the claims it rests on
MAX_CITATIONS_PER_STATEMENT = 200
#: citations the whole site may show, counted on every page that shows them (a claim on its
#: topic page and on the page of each actor making it; an event on the chronology, its topics'
#: and its actors' pages), after YAML aliases and claim references are expanded
MAX_CITATIONS_SHOWN = 1_000_000
#: the longest generated page (body HTML characters): the chronology of 3,000 articles is ~25 MB
MAX_PAGE_CHARS = 64 * 1024 * 1024
#: characters of article text the closest-passage search compares one wrong quote with: the
#: whole body up to this size, beyond it windows around exact pieces of the quote (rapidfuzz
#: takes ~0.3 us a character for a 1,200-character quote: at most ~60 ms per quote)
MAX_MATCH_CHARS = 200_000
#: the same, summed over one run: once spent, further wrong quotes get no closest passage
MAX_MATCH_CHARS_TOTAL = 20_000_000
#: places listed for a quote that occurs more than once (the count is given in full)
MAX_PLACES_LISTED = 10


# the pages showing an owner's citations (see MAX_CITATIONS_SHOWN)
def _claim_pages(c) -> int:
    return 1 + len(c.by)


def _event_pages(e) -> int:
    return 2 + len(e.topics) + len(e.actors)


def _two_pages(item) -> int:
    return 2


def check_citation_budget(d, problems: Problems) -> None:
    """Refuse a passage cited twice by one statement, a statement twice in one list, a
    statement showing more than MAX_CITATIONS_PER_STATEMENT citations, and a site showing more
    than MAX_CITATIONS_SHOWN. YAML aliases repeat whole subtrees cheaply (the file stays small,
    its expansion is bounded separately); these bounds keep the pages they become small."""
    def own_duplicates(owner) -> bool:
        """Reports a passage the owner cites twice; whether it did."""
        cites = owner.cite
        if len(cites) < 2 or len({(c.source, c.quote) for c in cites}) == len(cites):
            return False  # (most statements: checked at once)
        seen: set = set()
        repeated = []
        for c in cites:
            key = (c.source, c.quote)  # what an alias repeats is the very same text
            if key in seen:
                repeated.append(c)
            seen.add(key)
        if repeated:  # one message, however often: aliases can repeat a citation thousands of times
            more = f" ({len(repeated):,} repetitions in this list)" if len(repeated) > 1 else ""
            problems.error(repeated[0].at("quote"), f"this passage of source '{repeated[0].source}' is already cited "
                           f"by the same statement{more}", "remove the repetition (a YAML alias '*name' may repeat it)")
        return bool(repeated)

    unsure: list = []  # the claims, events and figures that may cite too many passages, in order

    def counted(owner, weight: Callable[[Any], int], capped: bool = True) -> int:
        """own_duplicates(owner); the citations its pages show. Kept on the object when it
        has no problem here (the read cache of mkdocs serve gives back unchanged objects)."""
        memo = owner.__dict__
        n = memo.get("_citations_shown")
        if n is None:
            n = len(owner.cite) * weight(owner)
            many = capped and len(owner.cite) > MAX_CITATIONS_PER_STATEMENT
            if many:
                unsure.append(owner)
            if not own_duplicates(owner) and not many:
                memo["_citations_shown"] = n
        return n

    shown = 0
    statements = []
    if d.meta is not None:
        statements += [("dossier", d.meta.known), ("dossier", d.meta.unclear)]
    for t in d.topics.values():
        statements += [("topic", t.known), ("topic", t.unclear)]
    for k in d.contradictions.values():
        statements.append(("contradiction", k.sides))
    for _where, items in statements:
        texts: dict[str, Pos] = {}
        repeated, too_many = [], []
        for f in items:
            own_duplicates(f)
            if f.text in texts:
                repeated.append(f)
            texts.setdefault(f.text, f.at("text"))
            n = len(f.cite) + sum(len(d.claims[c].cite) for c in f.claims if c in d.claims)
            if n > MAX_CITATIONS_PER_STATEMENT:
                too_many.append((f, n))
            shown += n
        if too_many:  # one message per list: aliases can repeat a statement thousands of times
            f, n = too_many[0]
            more = f" ({len(too_many) - 1:,} more such statements in this list)" if len(too_many) > 1 else ""
            problems.error(f.pos, f"this statement shows {n:,} citations (its own and its claims'), more than "
                           f"{MAX_CITATIONS_PER_STATEMENT}{more}", "rest it on fewer claims; readers cannot check hundreds")
        if repeated:
            f = repeated[0]
            more = f" ({len(repeated):,} repetitions in this list)" if len(repeated) > 1 else ""
            problems.error(f.at("text"), f"the same statement is listed twice (first at line {texts[f.text].line}){more}",
                           "remove the repetition (a YAML alias '*name' may repeat it)")
    for c in d.claims.values():
        shown += counted(c, _claim_pages)
    for e in d.events.values():
        shown += counted(e, _event_pages)
    for group, capped in ((d.figures, True), (d.actors, False), (d.terms, False)):
        for item in group.values():
            shown += counted(item, _two_pages, capped)
    for owner in unsure:
        if len(owner.cite) > MAX_CITATIONS_PER_STATEMENT:
            problems.error(owner.at("cite"), f"{len(owner.cite):,} citations, more than {MAX_CITATIONS_PER_STATEMENT}",
                           "cite the few passages that carry the statement")
    if shown > MAX_CITATIONS_SHOWN:
        problems.error(Pos("content"), f"the pages would show {shown:,} citations, more than the budget of "
                       f"{MAX_CITATIONS_SHOWN:,}", "YAML aliases (*name) or statements resting on many claims "
                       "multiply citations: write each statement once, resting on the claims it needs")


def check_page_sizes(pages: dict, problems: Problems) -> None:
    """``pages``: {path: page.Page}; the budget is on each page's body HTML."""
    for uri, page in pages.items():
        if page.chars > MAX_PAGE_CHARS:
            problems.error(Pos("content"), f"the generated page {uri} is {page.chars:,} characters long, more than "
                           f"the budget of {MAX_PAGE_CHARS:,}", "split the content it shows (for a topic: into "
                           "several topics)")


class MatchBudget:
    """The closest-passage work left in this run, in characters (see MAX_MATCH_CHARS_TOTAL)."""

    def __init__(self, total: int | None = None) -> None:
        self.left = MAX_MATCH_CHARS_TOTAL if total is None else total

    def take(self, work: int) -> bool:
        if work > self.left:
            return False
        self.left -= work
        return True


# --- Markdown fields -------------------------------------------------------------------------

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.I)
_URL_ATTRS = ("href", "src", "srcset", "action", "formaction", "poster", "data", "background", "cite")
LINK_HINT = "links must start with https://, http:// or mailto:, or be a path on this site ('/x', './x', '#x')"


def _target_problem(value: str) -> str | None:
    """Why a link target (as the browser reads it) is refused, or None."""
    import html

    # what a browser does first: character references decoded, tabs and line breaks dropped,
    # leading controls and spaces stripped, backslashes read as slashes (in http URLs)
    url = re.sub(r"[\t\n\r]", "", html.unescape(value)).lstrip("\x00- ")
    m = _SCHEME.match(url)
    if m:
        return None if m.group(1).lower() in ("http", "https", "mailto") else "scheme"
    if url.replace("\\", "/").startswith("//"):
        return "protocol-relative"
    return None


def markdown_problem(text: str) -> tuple[int, str, str] | None:
    """(index in text or -1, message, hint) for the first thing in a Markdown field's rendered
    HTML that could run code or make a reader's browser contact another site: a link target
    with a scheme other than http(s)/mailto, a protocol-relative target ('//x', '/\\\\x'), an
    image. Judged on the HTML the renderer makes, so every Markdown spelling of a link counts."""
    if "[" not in text and "<" not in text:  # no link, reference or image without them
        return None
    from html.parser import HTMLParser

    from .render import render_markdown

    found: list[tuple[str, str, str]] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append((tag, "src", dict(attrs).get("src") or ""))
            for name, value in attrs:
                if name in _URL_ATTRS and value and _target_problem(value):
                    found.append((tag, name, value))

    scan = Scan(convert_charrefs=True)
    scan.feed(str(render_markdown(text)))
    scan.close()
    if not found:
        return None
    tag, _attr, value = found[0]
    index = _find_target(text, value)
    if tag == "img":
        return (index, f"image '{value}' is not allowed in Markdown fields",
                "a reader's browser would load it (from another site, if it is a web address); link to it instead")
    return (index, f"link target '{value}' is not allowed", LINK_HINT)


def _find_target(text: str, value: str) -> int:
    import html

    for needle in (value, html.escape(value, quote=False), value.strip()):
        if needle and (i := text.find(needle)) >= 0:
            return i
    return -1


# --- what MkDocs publishes -------------------------------------------------------------------------

def only_generated(files, config):
    """The files of a build without any from the docs folder (content/): only the pages the
    generator made and the theme's assets are published. A stray .md, .html or .js file, or a
    link to a file elsewhere, would otherwise be published as it is ('dossier check' reports
    them); a FIFO would block the build when MkDocs reads it."""
    docs = os.path.abspath(config.docs_dir) + os.sep
    for f in list(files):
        # by the path MkDocs found it at: a linked file or folder counts where the link stands
        if f.generated_by is None and f.src_dir is not None and (
                os.path.abspath(f.src_dir) + os.sep == docs or os.path.abspath(f.abs_src_path or "").startswith(docs)):
            files.remove(f)
    return files
