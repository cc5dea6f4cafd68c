"""Seed articles: decoding, page furniture, paragraphs, and verbatim quote matching.

An article file is plain UTF-8 text (a BOM and Windows line endings are accepted). Lines the
editor marks as page furniture (navigation, "Kommentare", image credits, …) are kept out of
the body. What remains is split into numbered paragraphs at blank lines and at furniture, or,
for an article whose source file says ``paragraphs: lines`` (text exports often put each
paragraph on one line with no blank line between), at every line break.

Quotes are matched on *normalised* text only: Unicode NFC and runs of whitespace folded into
one space. Nothing fuzzier — a quote either stands in the article or it does not.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Pos, Problems

MAX_SEED_BYTES = 2 * 1024 * 1024


#: Furniture kinds that are still part of the citable text (shown, but not as paragraphs).
CITABLE_FURNITURE = {"subheading", "pullquote"}
FURNITURE_KINDS = (
    "headline", "dateline", "navigation", "comments", "related", "image", "video",
    "credit", "pullquote", "subheading", "other",
)


def normalize(text: str) -> str:
    """NFC plus whitespace folding: the only normalisation quotes get."""
    # str.split() splits at exactly the characters \s matches (str.isspace), ~3x faster than
    # re.sub(r"\s+", " ", ...).strip() with the same result
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Block:
    """A unit of the article as shown on the source page."""

    kind: str  # "paragraph", a citable furniture kind, or an excluded furniture kind
    text: str  # normalised
    line: int  # first line in the seed file (1-based)
    anchor: str = ""  # "p3", "zt1", "zk1" for citable blocks
    number: int = 0  # paragraph number (¶) for paragraphs

    @property
    def citable(self) -> bool:
        return self.kind == "paragraph" or self.kind in CITABLE_FURNITURE


@dataclass
class Article:
    path: str  # e.g. "seeds/000_x.txt"
    raw: str  # decoded text, newlines normalised
    blocks: list[Block] = field(default_factory=list)
    raw_norm: str = ""

    #: (citable block texts joined by NUL, where each starts, the blocks) - see locate
    _body_index: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> list[Block]:
        return [b for b in self.blocks if b.citable]

    def body_index(self) -> tuple[str, list[int], list[Block]]:
        if self._body_index is None:
            blocks = self.body
            starts, pos = [], 0
            for b in blocks:
                starts.append(pos)
                pos += len(b.text) + 1
            self._body_index = ("\x00".join(b.text for b in blocks), starts, blocks)
        return self._body_index

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    @property
    def furniture(self) -> list[Block]:
        return [b for b in self.blocks if not b.citable]


def decode_utf8(data: bytes, path: str, problems: Problems, *, limit: int, what: str) -> str | None:
    """Strict UTF-8 (a BOM is dropped, Windows line endings become \\n); a broken byte is
    reported with its byte offset, line and column. Used for articles and content files."""
    if len(data) > limit:
        problems.error(Pos(path), f"{what} is {len(data):,} bytes, more than the limit of {limit:,}",
                       "check that this is the right file, or split it")
        return None
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start + offset
        line = data.count(b"\n", 0, bad) + 1
        col = bad - (data.rfind(b"\n", 0, bad) + 1) + 1
        problems.error(
            Pos(path, line, col),
            f"not valid UTF-8: byte 0x{data[bad]:02x} at byte offset {bad}",
            hint="save the file as UTF-8 (it may be Latin-1 or Windows-1252); do not retype it",
        )
        return None
    if "\x00" in text:
        nul = text.index("\x00")
        line = text.count("\n", 0, nul) + 1
        problems.error(Pos(path, line, nul - (text.rfind("\n", 0, nul) + 1) + 1),
                       f"{what} contains NUL characters (the first at character offset {nul:,})",
                       hint="this looks like a binary file")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_seed(data: bytes, path: str, problems: Problems) -> str | None:
    return decode_utf8(data, path, problems, limit=MAX_SEED_BYTES, what="article file")


#: how an article's paragraphs are separated (the source file's ``paragraphs:``)
PARAGRAPH_MODES = ("blank-lines", "lines")
#: what ends a sentence at the end of a line (closing quotes and brackets after it allowed)
_SENTENCE_END = tuple(".!?…")
_CLOSERS = "\"'“”„«»‘’‹›)]"


def ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def line_paragraphs_suspected(raw: str, furniture: dict[str, str]) -> tuple[int, int] | None:
    """(first line, number of lines) of the first blank-line paragraph that looks like several
    paragraphs, one per line: at least three lines, each ending a sentence. Hard-wrapped text
    breaks lines inside sentences; a line per paragraph ends every line with one."""
    run: list[tuple[int, str]] = []
    for number, line in enumerate(raw.split("\n") + [""], start=1):
        text = normalize(line)
        if text and not furniture.get(text):
            run.append((number, text))
            continue
        if len(run) >= 3 and all(ends_sentence(t) for _, t in run):
            return run[0][0], len(run)
        run = []
    return None


def split_blocks(raw: str, furniture: dict[str, str], mode: str = "blank-lines") -> list[Block]:
    """Split the article at blank lines (mode "blank-lines") or at every line break ("lines");
    lines whose normalised text is furniture stand alone.

    ``furniture`` maps normalised line text to its kind.
    """
    per_line = mode == "lines"
    blocks: list[Block] = []
    current: list[str] = []
    start = 0

    def flush() -> None:
        if current:
            blocks.append(Block("paragraph", normalize(" ".join(current)), start))
            current.clear()

    for number, line in enumerate(raw.split("\n"), start=1):
        text = normalize(line)
        if not text:
            flush()
            continue
        kind = furniture.get(text)
        if kind:
            flush()
            blocks.append(Block(kind, text, number))
            continue
        if not current:
            start = number
        current.append(text)
        if per_line:
            flush()
    flush()
    counters: dict[str, int] = {}
    prefix = {"paragraph": "p", "subheading": "zt", "pullquote": "zk"}
    for block in blocks:
        if block.citable:
            counters[block.kind] = counters.get(block.kind, 0) + 1
            block.anchor = f"{prefix[block.kind]}{counters[block.kind]}"
            if block.kind == "paragraph":
                block.number = counters[block.kind]
    return blocks


def read_text_file(path: Path, rel: str, problems: Problems, *, limit: int, what: str, fix_link: str,
                   fix_size: str) -> str | None:
    """Read an input file safely: never through a symbolic link (it could point anywhere on
    the build machine), refused before reading when too large, then strict UTF-8."""
    from .safety import read_regular_file

    data = read_regular_file(path, rel, problems, limit=limit, what=what, fix_link=fix_link, fix_size=fix_size)
    if data is None:
        return None
    return decode_utf8(data, rel, problems, limit=limit, what=what)


def load_article(root: Path, seeds_dir: str, filename: str, furniture: dict[str, str], problems: Problems,
                 mode: str = "blank-lines") -> Article | None:
    rel = f"{seeds_dir}/{filename}"
    path = root / seeds_dir / filename
    if not path.is_symlink() and path.resolve().parent != (root / seeds_dir).resolve():
        problems.error(Pos(rel), "article file is not in the seeds folder; it is not read",
                       "copy the article itself into the seeds folder")
        return None
    raw = read_text_file(path, rel, problems, limit=MAX_SEED_BYTES, what="article file",
                         fix_link="copy the article itself into the seeds folder",
                         fix_size="a news article is a few kilobytes: check that this is the right file")
    if raw is None:
        return None
    from .safety import neutralise_article

    raw = neutralise_article(raw)  # direction overrides and controls are shown as U+FFFD
    article = Article(rel, raw, split_blocks(raw, furniture, mode))
    article.raw_norm = normalize(raw)
    return article


@dataclass
class Match:
    block: Block
    start: int
    end: int


def find_all(haystack: str, needle: str, limit: int | None = None) -> list[int]:
    """Where needle starts in haystack (overlaps counted), at most ``limit`` places."""
    out, i = [], haystack.find(needle)
    while i >= 0 and (limit is None or len(out) < limit):
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


def locate(article: Article, quote: str, limit: int | None = None) -> list[Match]:
    """Every occurrence of the normalised quote in the citable blocks (overlaps counted), or
    the first ``limit``."""
    q = normalize(quote)
    if not q:
        return []
    if "\x00" in q:  # could span two blocks of the joined text below
        return [Match(b, i, i + len(q)) for b in article.body for i in find_all(b.text, q)][:limit]
    # one search through all citable blocks at once (joined by NUL, which no match can cross)
    text, starts, blocks = article.body_index()
    out = []
    for i in find_all(text, q, limit):
        k = bisect_right(starts, i) - 1
        out.append(Match(blocks[k], i - starts[k], i - starts[k] + len(q)))
    return out


def closest_passage(article: Article, quote: str, blocks: list[Block] | None = None) -> tuple[Block | None, str, float]:
    """The passage most similar to a quote that is not in the text: (block, passage, score 0-100)."""
    from rapidfuzz import fuzz

    q = normalize(quote)
    best: tuple[Block | None, str, float] = (None, "", 0.0)
    for block in blocks if blocks is not None else article.body:
        if len(block.text) <= len(q):
            score = fuzz.ratio(q, block.text)
            if score > best[2]:
                best = (block, block.text, score)
            continue
        al = fuzz.partial_ratio_alignment(q, block.text)
        if al is not None and al.score > best[2]:
            passage = block.text[al.dest_start:al.dest_end]
            best = (block, _widen_to_words(block.text, al.dest_start, al.dest_end, passage), al.score)
    return best


def _widen_to_words(text: str, start: int, end: int, passage: str) -> str:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]
