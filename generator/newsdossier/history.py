"""The dossier's history, read from git: what changed in content/, when, and why.

Every commit that touched the content folder (on the first-parent line of HEAD) is compared
with the state before it *semantically*: the changed files are parsed with the loader's YAML
reader (``yamlio.load_yaml``) and reduced to the facts readers see - claims by id with their
text, status, authors and cited sources; events, figures, sources, topics, actors,
contradictions, glossary terms and the dossier's overview. Formatting, comments and
whitespace never count as a change; a text edit that keeps every number and negation and is
at least ``WORDING_SIMILARITY`` % similar counts as *wording*: it moves a page's "Zuletzt
aktualisiert" date but stays out of "Was ist neu" and the feed. So does a change of a topic's
section titles (they group the claims; what changed in the claims is listed on its own).

Editors annotate a change with trailers in the commit message (last paragraph)::

    Dossier-Notiz: Der Wetterdienst hat die Zahl inzwischen selbst bestätigt.
    Dossier-Korrektur: Die Zahl stammte nicht vom Wetterdienst, sondern vom Landratsamt.
    Dossier-Betrifft: pegel-8m, schaeden-nord
    Dossier-Log: aus

``Dossier-Notiz`` is a short public note; ``Dossier-Korrektur`` marks the commit as a
correction and says what was wrong (the diff shows before and after, the commit date says
when); ``Dossier-Betrifft`` limits note and correction to these ids (default: everything the
commit changed); ``Dossier-Log: aus`` keeps a commit out of the log (``ein`` logs its wording
changes too). See content/README.md.

Reading is incremental: the result for HEAD is cached in ``.cache/dossier-history/`` with the
per-file facts; a later HEAD that descends from the cached one reads only the new commits.
git is called with explicit formats (``git log --raw -z``, ``git cat-file --batch``); no
library is needed. Without git, outside a repository, in a shallow clone or with no commit,
there is no history: the site is built without it (the caller says so).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import os
import re
import subprocess
import uuid
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup
from rapidfuzz import fuzz

from . import i18n, schema
from .errors import Problems
from .forked import can_fork, run_beside
from .suggest import did_you_mean
from .yamlio import load_yaml

#: bump when the facts or changes kept in the cache change shape (2: a topic's section titles)
CACHE_VERSION = 2
CACHE_DIR = ".cache/dossier-history"
#: text edits at least this similar (and with the same numbers and negations) are wording
WORDING_SIMILARITY = 90.0
#: entries in the Atom feed and on the "Was ist neu" page (newest first); older ones are on one
#: archive page per year (CHANGES_PAGE without .md, then /<year>.md), each entry on one page
FEED_ENTRIES = 50
CHANGES_MAX = FEED_ENTRIES
TRAILERS = {
    "dossier-notiz": "note",
    "dossier-korrektur": "correction",
    "dossier-betrifft": "about",
    "dossier-log": "log",
}
_TRAILER_NAMES = ("Dossier-Notiz", "Dossier-Korrektur", "Dossier-Betrifft", "Dossier-Log")
MAX_TRAILER = 600
_NEGATIONS = frozenset("nicht kein keine keinen keinem keiner keines nie niemals nichts ohne weder".split())
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


class Unavailable(Exception):
    """There is no history to read; the message says why (German, for the build log)."""


# --- the result ------------------------------------------------------------------------------

@dataclass
class Change:
    key: str            # "claim:pegel-8m", "source:x", "dossier:"
    what: str           # added | removed | status | text | value | date | cite | by | moved | meta
    old: str | None = None
    new: str | None = None
    field: str = ""     # which field changed (text, title, lead, published, …)
    #: where the item stood (topic of a claim, series of a figure) and its label at the time
    where: str = ""
    label: str = ""
    wording: bool = False

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def id(self) -> str:
        return self.key.split(":", 1)[1]


@dataclass
class Commit:
    sha: str
    time: int           # committer time, seconds since the epoch
    iso: str            # committer date with the committer's offset (RFC 3339)
    note: str = ""
    correction: str = ""
    about: list[str] = field(default_factory=list)
    log: str = ""       # "", "aus", "ein"
    changes: list[Change] = field(default_factory=list)

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.iso[:10])

    def concerns(self, ch: Change) -> bool:
        """Whether the commit's note/correction applies to this change."""
        return not self.about or ch.id in self.about

    def logged(self) -> list[Change]:
        """The changes "Was ist neu" and the feed show."""
        if self.log == "aus":
            return []
        annotated = bool(self.note or self.correction)
        return [c for c in self.changes if not c.wording or self.log == "ein" or (annotated and self.concerns(c))]


@dataclass
class History:
    head: str
    commits: list[Commit]               # oldest first; only commits with changes
    #: problems with trailers, for the build log (info lines)
    notices: list[str] = field(default_factory=list)
    #: what was read: the content folder's path in the repository (with ``head``, the
    #: history's identity: the incremental preview's render cache keeps pages while it stays)
    source: str = ""

    def entries(self) -> list[Commit]:
        """Commits with logged changes, newest first."""
        return [c for c in reversed(self.commits) if c.logged()]

    def corrections(self) -> list[Commit]:
        return [c for c in reversed(self.commits) if c.correction and c.log != "aus"]


# --- reading git -----------------------------------------------------------------------------

def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise Unavailable("git ist nicht installiert") from None
    except (OSError, subprocess.SubprocessError) as e:
        raise Unavailable(f"git konnte nicht laufen ({e})") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unavailable(f"git {args[0]}: {msg[-1] if msg else 'exit ' + str(out.returncode)}")
    return out.stdout


def repo_state(root: Path) -> tuple[str, str]:
    """(HEAD commit, path of root inside the repository with a trailing slash or ''), from one
    'git rev-parse' (it prints what it knows before it fails on a missing HEAD)."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-inside-work-tree", "--is-shallow-repository",
                              "--show-prefix", "--verify", "-q", "HEAD"], capture_output=True, timeout=30, check=False)
    except FileNotFoundError:
        raise Unavailable("git ist nicht installiert") from None
    except (OSError, subprocess.SubprocessError) as e:
        raise Unavailable(f"git konnte nicht laufen ({e})") from None
    lines = out.stdout.decode().split("\n")
    if len(lines) < 3 or lines[0] != "true":
        raise Unavailable("das Projekt ist kein git-Checkout")
    if lines[1] == "true":
        raise Unavailable("flacher Klon (shallow clone): die Geschichte ist unvollständig")
    if out.returncode != 0 or len(lines) < 4 or not lines[3].strip():
        raise Unavailable("das Repository hat noch keinen Commit")
    return lines[3].strip(), lines[2]


def _log(root: Path, pathspec: str, since: str | None) -> list[tuple[str, int, str, str, list[tuple[str, str]]]]:
    """(sha, time, iso date, trailers, [(path, new blob or '')]) of each commit touching
    pathspec, oldest first, on the first-parent line (a merge counts as one change)."""
    fmt = "%x1e%H%x1f%ct%x1f%cI%x1f%(trailers:only=true,unfold=true)%x1f"
    rng = [f"{since}..HEAD"] if since else ["HEAD"]
    out = _git(root, "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "--no-renames", "--raw",
               "--no-abbrev", "-z", f"--format={fmt}", *rng, "--", pathspec)
    commits = []
    for chunk in out.decode("utf-8", "surrogateescape").split("\x1e")[1:]:
        sha, ct, iso, trailers, rest = chunk.split("\x1f", 4)
        tokens = rest.split("\0")
        files = []
        i = 0
        while i < len(tokens):
            meta = tokens[i].lstrip("\n")
            if meta.startswith(":") and i + 1 < len(tokens):
                parts = meta[1:].split(" ")
                status = parts[4][:1] if len(parts) > 4 else "M"
                files.append((tokens[i + 1], "" if status == "D" else parts[3]))
                i += 2
            else:
                i += 1
        commits.append((sha, int(ct), iso, trailers, files))
    return commits


def _blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """Contents of the given blobs, through one 'git cat-file --batch'."""
    if not shas:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(s + "\n" for s in shas).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in shas:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split(b" ")
        if len(header) < 3:  # "<sha> missing"
            pos = nl + 1
            continue
        size = int(header[2])
        blobs[sha] = out[nl + 1:nl + 1 + size]
        pos = nl + 1 + size + 1
    return blobs


def parse_trailers(text: str, sha: str, notices: list[str]) -> dict[str, str]:
    """The Dossier-* trailers of a commit message; unknown Dossier-* keys become notices."""
    found: dict[str, str] = {}
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if not sep:
            continue
        name = key.strip().lower()
        value = _s(value)
        if name in TRAILERS:
            what = TRAILERS[name]
            found[what] = f"{found[what]} {value}".strip() if what in found else value
        elif name.startswith("dossier-"):
            hint = did_you_mean(key.strip(), _TRAILER_NAMES) or f"known: {', '.join(_TRAILER_NAMES)}"
            notices.append(f"commit {sha[:12]}: unknown trailer '{key.strip()}' ignored ({hint})")
    for what in ("note", "correction"):
        if len(found.get(what, "")) > MAX_TRAILER:
            notices.append(f"commit {sha[:12]}: {what} trailer cut to {MAX_TRAILER} characters")
            found[what] = found[what][:MAX_TRAILER].rstrip() + " …"
    log = found.get("log", "").lower()
    if log and log not in ("aus", "ein"):
        notices.append(f"commit {sha[:12]}: 'Dossier-Log: {found['log']}' ignored (write 'aus' or 'ein')")
        found.pop("log")
    return found


# --- facts: what a content file says, reduced to what readers see ----------------------------

_GLOBS = [(info["glob"], kind) for kind, info in schema.KINDS.items()]


def kind_of(rel: str) -> str | None:
    """The content kind of a path inside the content folder ('topics/x.yaml' -> 'topic')."""
    for glob, kind in _GLOBS:
        if fnmatch.fnmatchcase(rel, glob) and rel.count("/") == glob.count("/"):
            return kind
    return None


#: characters XML 1.0 (the feed) cannot carry; an old file version or a commit message may
#: hold them (today's content is checked, its history is not)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _s(v) -> str:
    """A scalar as normalised text (whitespace folded); anything else as ''."""
    if v is None or isinstance(v, (dict, list)):
        return ""
    return " ".join(_NOT_XML.sub("", str(v)).split())


def _list(v) -> list:
    return v if isinstance(v, list) else []


def _strs(v) -> list[str]:
    return sorted({_s(x) for x in _list(v) if _s(x)})


def _cites(v) -> list[str]:
    return sorted({_s(c.get("source")) for c in _list(v) if isinstance(c, dict) and _s(c.get("source"))})


def _texts(v) -> list[str]:
    return [_s(f.get("text")) for f in _list(v) if isinstance(f, dict)]


def _date(v) -> str:
    if isinstance(v, dict):  # {value, label} form, if any
        return _s(v.get("value"))
    return _s(v)


def facts_of(kind: str, stem: str, doc) -> dict[str, dict]:
    """key -> facts of one content file's document (robust against any shape)."""
    out: dict[str, dict] = {}
    if kind == "dossier":
        if isinstance(doc, dict):
            out["dossier:"] = {"title": _s(doc.get("title")), "lead": _s(doc.get("lead")),
                               "known": _texts(doc.get("known")), "unclear": _texts(doc.get("unclear")),
                               "method": _s(doc.get("method")), "contact": _s(doc.get("contact"))}
        return out
    if kind in ("source", "topic", "series"):
        if not isinstance(doc, dict):
            return out
        if kind == "source":
            out[f"source:{stem}"] = {"title": _s(doc.get("title")), "published": _date(doc.get("published")),
                                     "publisher": _s(doc.get("publisher")), "author": _s(doc.get("author")),
                                     "url": _s(doc.get("url"))}
        elif kind == "topic":
            out[f"topic:{stem}"] = {"title": _s(doc.get("title")), "lead": _s(doc.get("lead")),
                                    "known": _texts(doc.get("known")), "unclear": _texts(doc.get("unclear")),
                                    "sections": [_s(sec.get("title")) for sec in _list(doc.get("sections"))
                                                 if isinstance(sec, dict)]}
            for sec in _list(doc.get("sections")):
                for c in _list(sec.get("claims")) if isinstance(sec, dict) else []:
                    _add_item(out, kind, c, stem, "")
        else:
            out[f"series:{stem}"] = {"title": _s(doc.get("title")), "unit": _s(doc.get("unit"))}
            for f in _list(doc.get("figures")):
                _add_item(out, kind, f, stem, _s(doc.get("unit")))
        return out
    for item in _list(doc):
        _add_item(out, kind, item, stem, "")
    return out


def _add_item(out: dict[str, dict], kind: str, item, stem: str, unit: str) -> None:
    """The facts of one list item of a file of this kind (a claim of a topic, a figure of a
    series, an event, …); the first of an id wins, as in the loader."""
    if not isinstance(item, dict) or not _s(item.get("id")):
        return
    ident = _s(item.get("id"))
    if kind == "topic":
        key, f = f"claim:{ident}", {
            "text": _s(item.get("text")), "status": _s(item.get("status")), "by": _strs(item.get("by")),
            "cite": _cites(item.get("cite")), "stated": _date(item.get("stated")), "note": _s(item.get("note")),
            "topic": stem}
    elif kind == "series":
        key, f = f"figure:{ident}", {
            "value": _s(item.get("value")), "qualifier": _s(item.get("qualifier")) or "exact", "by": _s(item.get("by")),
            "stated": _date(item.get("stated")), "cite": _cites(item.get("cite")), "note": _s(item.get("note")),
            "series": stem, "unit": unit}
    elif kind == "event":
        key, f = f"event:{ident}", {"date": _date(item.get("date")), "title": _s(item.get("title")),
                                    "text": _s(item.get("text")), "cite": _cites(item.get("cite"))}
    elif kind == "actor":
        key, f = f"actor:{ident}", {"name": _s(item.get("name")), "role": _s(item.get("role"))}
    elif kind == "contradiction":
        key, f = f"contradiction:{ident}", {"title": _s(item.get("title")), "summary": _s(item.get("summary")),
                                            "sides": _texts(item.get("sides"))}
    elif kind == "term":
        key, f = f"term:{ident}", {"term": _s(item.get("term")), "definition": _s(item.get("definition"))}
    else:
        return
    out.setdefault(key, f)


def _parse_blob(kind: str, rel: str, data: bytes, memo: dict | None = None) -> dict[str, dict] | None:
    """Facts of a file's text, or None when it cannot be read (a broken commit: the item
    states before it are kept, so one bad commit does not look like a removal)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if memo is not None:
        facts = _chunked_facts(kind, Path(rel).stem, text, rel, memo)
        if facts is not None:
            return facts
    problems = Problems()
    doc = load_yaml(text, rel, problems)
    if problems.all() and doc is None:
        return None
    return facts_of(kind, Path(rel).stem, doc)


#: one item of a list: its "- id: …" line and every line after it that is blank or indented
#: deeper (group 1: the item's indentation)
_ITEM = re.compile(r"^( *)- id:[ \t][^\n]*(?:\n(?:\1 [^\n]*|[^\S\n]*(?=\n|\Z)))*", re.M)
#: the key whose list holds a file's items, for the kinds whose items are nested
_ITEMS_KEY = {"topic": re.compile(r" *(?:- +)?claims:[ \t]*(?:#.*)?"), "series": re.compile(r" *(?:- +)?figures:[ \t]*(?:#.*)?")}
_LIST_KINDS = ("event", "actor", "contradiction", "term")
#: memo value of an item text that is not one mapping (the whole file is parsed then)
_NOT_AN_ITEM = object()


def _last_content_line(segment: str) -> str | None:
    """The last line of a piece of text that is neither blank nor a comment."""
    for line in reversed(segment.split("\n")):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line
    return None


def _chunked_facts(kind: str, stem: str, text: str, rel: str, memo: dict) -> dict[str, dict] | None:
    """facts_of() of the text, with each item ("- id: …" and the lines indented under it)
    parsed on its own, and every distinct item text and remaining file text parsed and reduced
    to its facts only once per read (memo). Consecutive versions of a file differ in an item or
    two, so a history of N versions of a 70-claim topic costs about one full parse plus N small
    ones instead of N full parses. None when the file is not of the plain shape this relies on
    (anchors, tabs, items not directly under 'claims:'/'figures:' or at the top of a list file,
    an item that does not parse as one mapping): the caller parses the whole file then."""
    if kind not in _ITEMS_KEY and kind not in _LIST_KINDS or "&" in text or "<<" in text or "\t" in text:
        return None
    nested = _ITEMS_KEY.get(kind)
    skeleton: list[str] = []
    items: list[tuple[int, str]] = []
    last = None  # the last line of the skeleton with content
    pos = 0
    for m in _ITEM.finditer(text):
        segment = text[pos:m.start()]
        skeleton.append(segment)
        last = _last_content_line(segment) or last
        k = len(m.group(1))
        if nested is not None:
            if last is None or not nested.fullmatch(last) or len(last) - len(last.lstrip(" -")) > k:
                return None
        elif k != 0 or last is not None:
            return None
        # without the blank lines at its end: appending an item does not make the last one new
        # (every fact is whitespace-folded, see _s, so they never matter)
        items.append((k, m.group().rstrip()))
        pos = m.end() + 1  # the skeleton goes on after the item's last line break
    skeleton.append(text[pos:])
    rest = "".join(skeleton)
    doc = memo.get((kind, rest))
    if doc is None:
        problems = Problems()
        doc = load_yaml(rest, rel, problems)
        doc = False if problems.all() else doc
        memo[(kind, rest)] = doc
    if doc is False or (kind in _LIST_KINDS and doc is not None) or (nested is not None and not isinstance(doc, dict)):
        return None
    out = facts_of(kind, stem, doc) if nested is not None else {}
    unit = _s(doc.get("unit")) if kind == "series" else ""
    for k, raw in items:
        mkey = (kind, stem, unit, k, raw)
        found = memo.get(mkey)
        if found is None:
            chunk = "\n".join(line[k:] for line in raw.split("\n")) if k else raw
            parsed = load_yaml(chunk, rel, Problems())
            if isinstance(parsed, list) and len(parsed) == 1 and isinstance(parsed[0], dict):
                one: dict[str, dict] = {}
                _add_item(one, kind, parsed[0], stem, unit)
                found = next(iter(one.items()), ())  # () for an item without an id
            else:
                found = _NOT_AN_ITEM
            memo[mkey] = found
        if found is _NOT_AN_ITEM:
            return None
        if found:
            out.setdefault(found[0], found[1])
    return out


# --- comparing --------------------------------------------------------------------------------

def is_wording(old: str, new: str) -> bool:
    """A text edit that changes no number and no negation and keeps most of the text."""
    ow, nw = _WORD.findall(old.lower()), _WORD.findall(new.lower())
    if ow == nw:
        return True  # punctuation or case only
    if _DIGITS.findall(old) != _DIGITS.findall(new):
        return False
    if _NEGATIONS.intersection(ow) != _NEGATIONS.intersection(nw):
        return False
    return fuzz.ratio(old, new) >= WORDING_SIMILARITY


_TEXT_FIELDS = ("text", "title", "lead", "name", "role", "summary", "term", "definition", "note", "unit", "method",
                "contact")


def _label(key: str, f: dict) -> str:
    if key.startswith("figure:"):
        return f"{_figure_text(f)} {f.get('unit', '')}".strip()
    return f.get("text") or f.get("title") or f.get("name") or f.get("term") or key.split(":", 1)[1]


def diff_item(key: str, old: dict | None, new: dict | None) -> list[Change]:
    kind = key.split(":", 1)[0]
    cur = new if new is not None else old
    assert cur is not None
    where = cur.get("topic") or cur.get("series") or ""
    label = _label(key, cur)

    def ch(what, o=None, n=None, fld="", wording=False):
        return Change(key, what, o, n, fld, where, label, wording)

    if old is None:
        return [ch("added", None, _detail(kind, new))]
    if new is None:
        return [ch("removed", _detail(kind, old), None)]
    out: list[Change] = []
    for name in sorted(set(old) | set(new)):
        o, n = old.get(name), new.get(name)
        if o == n or name in ("series", "unit") and kind == "figure":
            continue
        if name == "status":
            out.append(ch("status", o, n, name))
        elif name == "topic":
            out.append(ch("moved", o, n, name))
        elif name in ("value", "qualifier"):
            if not any(c.what == "value" for c in out):
                out.append(ch("value", _figure_text(old), _figure_text(new), "value"))
        elif name in ("date", "published", "stated"):
            out.append(ch("date", o, n, name))
        elif name == "cite":
            added, removed = sorted(set(n) - set(o)), sorted(set(o) - set(n))
            if added:
                out.append(ch("cite", None, ", ".join(added), name))
            if removed:
                out.append(ch("cite", ", ".join(removed), None, name))
        elif name == "by":
            out.append(ch("by", ", ".join(o) if isinstance(o, list) else o, ", ".join(n) if isinstance(n, list) else n, name))
        elif name in _TEXT_FIELDS:
            out.append(ch("text", o, n, name, wording=is_wording(o or "", n or "")))
        elif name == "sections":
            # the titles that group a topic's claims: the page's date moves, "Was ist neu" lists
            # what changed in the claims (a new section comes with new claims)
            out.append(ch("text", None, None, name, wording=True))
        elif name in ("known", "unclear", "sides"):
            wording = len(o) == len(n) and all(is_wording(a, b) for a, b in zip(o, n))
            out.append(ch("text", None, None, name, wording=wording))
        else:  # publisher, author, url
            out.append(ch("meta", o, n, name))
    return out


def _detail(kind: str, f: dict) -> str | None:
    """What an added or removed item is shown with beside its label."""
    if kind == "claim":
        return f.get("status")
    if kind == "figure":
        return _figure_text(f)
    if kind == "event":
        return f.get("date")
    if kind == "source":
        return f.get("publisher") or None
    return None


def _figure_text(f: dict) -> str:
    c = i18n.active()
    q = c.section("qualifier").get(f.get("qualifier", "exact"), "")
    value = f.get("value", "")
    try:
        number = float(value)
    except ValueError:
        pass
    else:  # as render.fmt_number writes it
        value = c.number(number)
    return f"{q} {value}".strip()


# --- the incremental reader ------------------------------------------------------------------

@dataclass
class _State:
    files: dict[str, dict[str, dict]] = field(default_factory=dict)   # content-relative path -> facts

    def view(self) -> dict[str, dict]:
        """key -> facts (first file in path order wins, as the loader's duplicate rule)."""
        out: dict[str, dict] = {}
        for path in sorted(self.files):
            for key, f in self.files[path].items():
                out.setdefault(key, f)
        return out


class _View:
    """state.view(), kept up to date file by file: a commit changes a file or two, so only the
    keys of those are looked at again."""

    def __init__(self, state: _State):
        self.state = state
        self.facts = state.view()
        self.owners: dict[str, list[str]] = {}  # key -> the files that have it, in path order
        for path in sorted(state.files):
            for key in state.files[path]:
                self.owners.setdefault(key, []).append(path)

    def set_file(self, rel: str, facts: dict[str, dict] | None) -> dict[str, dict | None]:
        """Put a file's new facts (None: the file is gone) into the state. Returns the keys
        whose facts in that file differ from before (the only ones whose view may change), each
        with its view before."""
        old = self.state.files.get(rel, {})
        new = facts if facts is not None else {}
        changed = [k for k in old if k not in new or new[k] is not old[k] and new[k] != old[k]]
        changed += [k for k in new if k not in old]
        was = {k: self.facts.get(k) for k in changed}
        if facts is None:
            self.state.files.pop(rel, None)
        else:
            self.state.files[rel] = facts
        for key in old.keys() - new.keys():
            self.owners[key].remove(rel)
        for key in new.keys() - old.keys():
            paths = self.owners.setdefault(key, [])
            paths.append(rel)
            paths.sort()
        for key in changed:
            paths = self.owners.get(key)
            if paths:
                self.facts[key] = self.state.files[paths[0]][key]
            else:
                self.facts.pop(key, None)
                self.owners.pop(key, None)
        return was


def _apply(root: Path, content_dir: str, prefix: str, state: _State, log, notices: list[str]) -> list[Commit]:
    """Run through the commits in order, updating state; return those with changes."""
    base = f"{prefix}{content_dir.strip('/')}/"
    wanted = [(blob, path[len(base):]) for *_, files in log for path, blob in files
              if blob and path.startswith(base) and kind_of(path[len(base):])]
    blobs = _blobs(root, sorted({blob for blob, _ in wanted}))
    parsed = _parse_all(content_dir, wanted, blobs)
    view = _View(state)
    commits: list[Commit] = []
    for sha, ct, iso, trailer_text, files in log:
        before: dict[str, dict | None] = {}
        for path, blob in files:
            if not path.startswith(base):
                continue
            rel = path[len(base):]
            if kind_of(rel) is None:
                continue
            facts = parsed[(blob, rel)] if blob else None
            if blob and facts is None:
                continue  # unreadable at this commit: keep what it said before
            for key, was in view.set_file(rel, facts).items():
                before.setdefault(key, was)
        if not before:
            continue
        changes = []
        for key in sorted(before):
            o, n = before[key], view.facts.get(key)
            if o != n:
                changes += diff_item(key, o, n)
        if not changes:
            continue
        t = parse_trailers(trailer_text, sha, notices)
        commits.append(Commit(sha, ct, iso, t.get("note", ""), t.get("correction", ""),
                              [x for x in re.split(r"[,\s]+", t.get("about", "")) if x], t.get("log", "").lower(), changes))
    return commits


#: From this many file versions on, a forked child parses part of them (see _parse_all).
PARALLEL_MIN_BLOBS = 400


def _parse_all(content_dir: str, wanted: list[tuple[str, str]], blobs: dict[str, bytes]) -> dict[tuple[str, str], dict | None]:
    """Facts of every (blob, path) once. Parsing is most of a first read (about 10 ms per
    version of a topic file); from PARALLEL_MIN_BLOBS on a forked child takes every second
    one (by size), as load() does with the content."""
    tasks = sorted(set(wanted), key=lambda t: (t[1], t))

    def parse(items):
        memo: dict = {}  # item texts seen in earlier versions (see _chunked_facts)
        return [_parse_blob(kind_of(rel) or "", f"{content_dir}/{rel}", blobs.get(blob, b""), memo) for blob, rel in items]

    if len(tasks) >= PARALLEL_MIN_BLOBS and can_fork():
        # every version of a file in the same process (they share item texts); files dealt
        # out by size, largest first, to the process with less so far
        sizes: dict[str, int] = {}
        for blob, rel in tasks:
            sizes[rel] = sizes.get(rel, 0) + len(blobs.get(blob, b""))
        load = [0, 0]
        side: dict[str, int] = {}
        for rel in sorted(sizes, key=lambda r: (-sizes[r], r)):
            side[rel] = 0 if load[0] <= load[1] else 1
            load[side[rel]] += sizes[rel]
        mine_t = [t for t in tasks if side[t[1]] == 0]
        theirs_t = [t for t in tasks if side[t[1]] == 1]
        mine, theirs = run_beside(lambda: parse(theirs_t), lambda: parse(mine_t), "reading the history")
        return {**dict(zip(mine_t, mine)), **dict(zip(theirs_t, theirs))}
    return dict(zip(tasks, parse(tasks)))


def read(root: Path, content_dir: str = "content", cache: bool = True) -> History:
    """The history of content_dir up to HEAD; raises Unavailable when there is none.

    Cached in CACHE_DIR: ``<key>.json`` holds the result for one HEAD (all a build needs),
    ``<key>.state.json`` the facts of every content file at that HEAD, from which a later
    HEAD continues when the cached one lies on its first-parent line."""
    root = Path(root)
    head, prefix = repo_state(root)
    base = root / CACHE_DIR / hashlib.sha1(f"{prefix}{content_dir}".encode()).hexdigest()[:16]
    cache_file, state_file = base.with_suffix(".json"), base.with_suffix(".state.json")
    cached = _read_cache(cache_file) if cache else None
    source = f"{prefix}{content_dir}"
    if cached is not None and cached["head"] == head:
        return _history_of(cached, source)
    state, commits, notices, since = _State(), [], [], None
    if cached is not None and _continues(root, cached["head"], head):
        saved = _read_cache(state_file)
        if saved is not None and saved["head"] == cached["head"]:
            state = _State(saved["files"])
            commits = [_commit_of(c) for c in cached["commits"]]
            notices = list(cached["notices"])
            since = cached["head"]
    pathspec = f":(top){prefix}{content_dir.strip('/')}"
    commits += _apply(root, content_dir, prefix, state, _log(root, pathspec, since), notices)
    if cache:
        _write_cache(state_file, {"version": CACHE_VERSION, "head": head, "files": state.files})
        _write_cache(cache_file, {"version": CACHE_VERSION, "head": head, "commits": [asdict(c) for c in commits],
                                  "notices": notices})
    return History(head, commits, notices, source)


def _continues(root: Path, old: str, new: str) -> bool:
    """Whether old lies on new's first-parent line (then old..new, first parents only, is
    exactly what happened since)."""
    try:
        line = _git(root, "rev-list", "--first-parent", "--reverse", f"{old}..{new}").decode().split()
        return bool(line) and _git(root, "rev-parse", f"{line[0]}^1").decode().strip() == old
    except Unavailable:
        return False


def _read_cache(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    return data


def _write_cache(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # a read-only checkout (or a path git stores in another encoding): no cache, same result


def _commit_of(c: dict) -> Commit:
    return Commit(**{**c, "changes": [Change(**x) for x in c["changes"]]})


def _history_of(data: dict, source: str = "") -> History:
    return History(data["head"], [_commit_of(c) for c in data["commits"]], list(data["notices"]), source)


def fallback_date(root: Path, content_dir: str) -> dt.date | None:
    """The date every page shows without a history: SOURCE_DATE_EPOCH, else the newest
    modification time of a content file."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if sde.isdigit():
        return dt.datetime.fromtimestamp(int(sde), dt.timezone.utc).date()
    newest = 0.0
    # every *.yaml below content/ as Path.rglob finds them (links to folders not followed), by
    # os.walk: a fifth of rglob's time, and this runs on every 'mkdocs serve' rebuild
    for dirpath, dirs, names in os.walk(Path(root) / content_dir):
        for name in names + dirs:
            if name.endswith(".yaml"):
                try:
                    newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime)
                except OSError:
                    pass
    return dt.datetime.fromtimestamp(newest, dt.timezone.utc).date() if newest else None


# --- the feed --------------------------------------------------------------------------------

def feed_uuid(text: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, text)}"


def atom(entries: list[tuple[Commit, str, str, str]], *, title: str, feed_id: str, updated: str,
         alternate: str, self_href: str | None, author: str) -> bytes:
    """An Atom 1.0 document (RFC 4287). entries: (commit, title, link, content HTML)."""
    e = xml_escape
    words = i18n.active()
    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{e(words.lang)}">\n',
           f"<id>{e(feed_id)}</id>\n<title>{e(title)}</title>\n<updated>{e(updated)}</updated>\n",
           f'<link rel="alternate" type="text/html" href="{e(alternate)}"/>\n']
    if self_href:
        out.append(f'<link rel="self" type="application/atom+xml" href="{e(self_href)}"/>\n')
    out.append(f"<author><name>{e(author)}</name></author>\n<generator>newsdossier</generator>\n")
    for c, etitle, link, content in entries:
        out.append(f"<entry>\n<id>{feed_uuid('newsdossier:change:' + c.sha)}</id>\n<title>{e(etitle)}</title>\n"
                   f"<updated>{e(c.iso)}</updated>\n<published>{e(c.iso)}</published>\n"
                   f'<link rel="alternate" type="text/html" href="{e(link)}"/>\n')
        if c.correction:
            out.append(f'<category term="korrektur" label="{e(words.t("feed.correction"))}"/>\n')
        out.append(f'<content type="html">{e(content)}</content>\n</entry>\n')
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


# --- what the pages show ---------------------------------------------------------------------

#: the pages and the feed this module adds (beside render.PAGES)
CHANGES_PAGE = "was-ist-neu.md"
CORRECTIONS_PAGE = "korrekturen.md"
FEED_PATH = "was-ist-neu.xml"


def archive_path(year: int) -> str:
    """The page of the entries of one year that "Was ist neu" no longer shows."""
    return f"{CHANGES_PAGE.removesuffix('.md')}/{year}.md"


def is_changes_page(path: str) -> bool:
    """"Was ist neu" or one of its archive pages."""
    return path == CHANGES_PAGE or path.startswith(CHANGES_PAGE.removesuffix(".md") + "/")


@dataclass
class Input:
    """What the renderer needs: the history (None without one), the date pages show without
    a history, and the site's name and URL (for the feed)."""

    history: History | None
    fallback: dt.date | None = None
    site_name: str = ""
    site_url: str | None = None


def german_date(d: dt.date) -> str:
    """A day in the words of the build's language (i18n.active(); German by default)."""
    from . import i18n

    return _day_text(d, i18n.active().lang)


@lru_cache(maxsize=4096)
def _day_text(d: dt.date, lang: str) -> str:
    from . import i18n

    c = i18n.catalog(lang)
    return c.t("date.day", day=d.day, month=c.months[d.month - 1], year=d.year)


class View:
    """Per render: dates per page and claim, claim histories, corrections, the log entries.
    Built from the history and the current dossier; the templates call its methods as
    ``r.h.…``."""

    def __init__(self, inp: Input | None, d, ix, r):
        self.inp, self.d, self.ix, self.r = inp, d, ix, r
        self.h = inp.history if inp else None
        # (made from the history when first read: __getattr__ walks it; a Renderer that makes
        # no page - the figures' CSV files - never does)
        self.changed: dict[str, Commit]             # key -> last commit changing it (wording too)
        self.where: dict[str, str]                  # key -> its topic or series at that change
        self.logged: dict[str, Commit]              # key -> last commit with a logged change
        self.since: dict[str, Commit]               # key -> commit that (last) added it
        self.statuses: dict[str, list[tuple[str, Commit]]]
        self.corrections: dict[str, list[tuple[Commit, list[Change]]]]
        self._pages: dict[str, dt.date] | None = None
        self._page_corr: dict[str, list[tuple[Commit, list[Change]]]] | None = None
        self._macros = None
        self._claim_lines: dict[tuple[str, int], Markup] = {}
        self._archive: dict[int, list[Commit]] | None = None
        self._entry_page: dict[str, str] | None = None
        self._heads: dict[tuple, str] = {}
        #: item key -> its pages, known from the last render where they still hold (deps.py,
        #: mkdocs serve); what pages_of finds is added
        self.known_pages: dict[str, frozenset] | None = None

    _WALKED = frozenset(("changed", "where", "logged", "since", "statuses", "corrections"))

    def __getattr__(self, name: str):
        if name not in View._WALKED:
            raise AttributeError(name)
        self.changed, self.where, self.logged, self.since, self.statuses, self.corrections = {}, {}, {}, {}, {}, {}
        if self.h is not None:
            self._walk(self.h)
        return getattr(self, name)

    @property
    def active(self) -> bool:
        return self.h is not None

    def _walk(self, h: History) -> None:
        for c in h.commits:
            logged = {id(x) for x in c.logged()}
            for ch in c.changes:
                self.changed[ch.key] = c
                self.where[ch.key] = ch.where
                if id(ch) in logged:
                    self.logged[ch.key] = c
                if ch.what == "added":
                    self.since[ch.key] = c
                    if ch.kind == "claim":
                        self.statuses[ch.id] = [(ch.new or "", c)]
                elif ch.what == "removed":
                    self.since.pop(ch.key, None)
                    self.statuses.pop(ch.id, None)
                elif ch.what == "status" and ch.id in self.statuses:
                    self.statuses[ch.id].append((ch.new or "", c))
            if c.correction and c.log != "aus":
                by_key: dict[str, list[Change]] = {}
                for ch in c.changes:
                    if c.concerns(ch):
                        by_key.setdefault(ch.key, []).append(ch)
                for key, chs in by_key.items():
                    self.corrections.setdefault(key, []).append((c, chs))

    # --- which pages an item appears on --------------------------------------------------
    def pages_of(self, key: str, where: str = "") -> set[str] | frozenset[str]:
        """The pages an item appears on (``where``: its topic or series at its last change)."""
        known = self.known_pages
        if known is None:
            return self._pages_of(key, where)
        out = known.get(key)
        if out is None:
            out = known[key] = frozenset(self._pages_of(key, where))
        return out

    def _pages_of(self, key: str, where: str = "") -> set[str]:
        from .render import PAGES

        r, d, ix = self.r, self.d, self.ix
        kind, ident = key.split(":", 1)
        out: set[str] = set()
        if kind == "claim":
            c = d.claims.get(ident)
            out |= {PAGES["home"], PAGES["topics"]}
            if c is None:
                return out | ({r.topic_path(where)} if where in d.topics else set())
            out.add(r.topic_path(c.topic))
            out |= {r.actor_path(a) for a in c.by if a in d.actors}
            out |= {r.source_path(x.source) for x in c.cite if x.source in d.sources}
            if ix.contradictions_by_claim.get(c.id):
                out.add(PAGES["contradictions"])
        elif kind == "event":
            out |= {PAGES["chronology"], PAGES["home"]}
            e = d.events.get(ident)
            if e is not None:
                out |= {r.topic_path(t) for t in e.topics if t in d.topics}
                out |= {r.actor_path(a) for a in e.actors if a in d.actors}
                out |= {r.source_path(x.source) for x in e.cite if x.source in d.sources}
        elif kind in ("figure", "series"):
            out |= {PAGES["figures"], PAGES["home"]}
            f = d.figures.get(ident) if kind == "figure" else None
            if f is not None:
                out |= {r.source_path(x.source) for x in f.cite if x.source in d.sources}
                if f.by in d.actors:
                    out.add(r.actor_path(f.by))
        elif kind == "source":
            out |= {PAGES["sources"], PAGES["home"]}
            if ident in d.sources:
                out.add(r.source_path(ident))
                for block in ix.by_block.get(ident, {}).values():
                    for owner, _ in block:
                        page = self._owner_page(owner)
                        if page:
                            out.add(page)
        elif kind == "topic":
            out |= {PAGES["topics"], PAGES["home"]}
            if ident in d.topics:
                out.add(r.topic_path(ident))
        elif kind == "actor":
            out.add(PAGES["actors"])
            if ident in d.actors:
                out.add(r.actor_path(ident))
        elif kind == "contradiction":
            out.add(PAGES["contradictions"])
            k = d.contradictions.get(ident)
            if k is not None:
                out |= {r.topic_path(t) for t in k.topics if t in d.topics}
        elif kind == "term":
            out.add(PAGES["glossary"])
        elif kind == "dossier":
            out |= {PAGES["home"], PAGES["method"]}
        return out

    def _owner_page(self, owner) -> str | None:
        from .model import Actor, Claim, Event, Figure, Side, Term
        from .render import PAGES

        if isinstance(owner, Claim):
            return self.r.topic_path(owner.topic)
        if isinstance(owner, Event):
            return PAGES["chronology"]
        if isinstance(owner, Figure):
            return PAGES["figures"]
        if isinstance(owner, Actor):
            return self.r.actor_path(owner.id)
        if isinstance(owner, Term):
            return PAGES["glossary"]
        if isinstance(owner, Side):
            return PAGES["contradictions"]
        return PAGES["home"]

    def _where(self, key: str) -> str:
        return self.where.get(key, "")

    # --- dates -----------------------------------------------------------------------------
    def page_dates(self) -> dict[str, dt.date]:
        if self._pages is None:
            pages: dict[str, dt.date] = {}
            for key, c in self.changed.items():
                day = c.day
                for p in self.pages_of(key, self._where(key)):
                    if p not in pages or pages[p] < day:
                        pages[p] = day
            entries = self.h.entries() if self.h else []
            if entries:
                pages[CHANGES_PAGE] = entries[0].day
            for year, commits in self.archive().items():
                pages[archive_path(year)] = commits[0].day
            corr = self.h.corrections() if self.h else []
            if corr:
                pages[CORRECTIONS_PAGE] = corr[0].day
            self._pages = pages
        return self._pages

    def page_date(self, path: str) -> dt.date | None:
        if self.h is None:
            return self.inp.fallback if self.inp else None
        day = self.page_dates().get(path)
        if day is None and self.h.commits:
            day = self.h.commits[0].day  # unchanged since the dossier began
        return day

    def page_corrections(self, path: str) -> list[tuple[Commit, list[Change]]]:
        if self._page_corr is None:
            out: dict[str, list] = {}
            for key, items in self.corrections.items():
                for page in self.pages_of(key, self._where(key)):
                    out.setdefault(page, []).extend(items)
            for page, items in out.items():
                items.sort(key=lambda x: (x[0].time, x[0].sha), reverse=True)
            self._page_corr = out
        return self._page_corr.get(path, [])

    def modified(self, path: str) -> str | None:
        """The page's "Zuletzt aktualisiert" date for its linked data (dateModified), so that
        both say the same; None without a history (the dossier's date stays)."""
        day = self.page_date(path) if self.h is not None else None
        return day.isoformat() if day is not None else None

    def page_head(self, path: str) -> Markup:
        """The "Zuletzt aktualisiert" line and the page's corrections, under its title
        (_page.html.j2); empty without a history."""
        if self.inp is None:
            return Markup("")
        from .render import page_url

        day, corrections = self.page_date(path), self.page_corrections(path)
        # the same line for every page of one date and depth (links go to root pages)
        key = None if corrections or path == CHANGES_PAGE else (day, page_url(path, self.r.o.use_directory_urls).count("/"))
        block = self._heads.get(key) if key else None
        if block is None:
            block = Markup(str(self.macros().page_head(path, day, corrections)).strip())
            if key:
                self._heads[key] = block
        return block

    def macros(self):
        """The macros of _history.html.j2 (overridable like every template), with the renderer."""
        if self._macros is None:
            self._macros = self.r.env.get_template("_history.html.j2").make_module({"r": self.r, **self.r._words()})
        return self._macros

    # --- claims ---------------------------------------------------------------------------
    def claim(self, cid: str) -> dict | None:
        """A claim's history for its line: since, statuses, corrections, last logged change."""
        if self.h is None:
            return None
        key = f"claim:{cid}"
        since = self.since.get(key)
        if since is None:
            return None
        statuses = self.statuses.get(cid, [])
        last = self.logged.get(key)
        return {"since": since, "statuses": statuses if len(statuses) > 1 else [],
                "corrections": self.corrections.get(key, []), "changed": last,
                "changed_later": last is not None and last.sha != since.sha}

    def claim_line(self, here: str, c) -> Markup:
        """The claim's history line (macro claim_history), made once per claim and page depth
        (its links go to pages at the site's root)."""
        if self.h is None or f"claim:{c.id}" not in self.since:
            return Markup("")
        from .render import page_url

        depth = page_url(here, self.r.o.use_directory_urls).count("/")
        key = (c.id, depth)
        out = self._claim_lines.get(key)
        if out is None:
            out = self._claim_lines[key] = Markup(self.macros().claim_history(here, c))
        return out

    # --- links and labels -----------------------------------------------------------------
    def href_of(self, here: str, ch: Change) -> str:
        from .render import PAGES

        r, d = self.r, self.d
        kind, ident = ch.kind, ch.id
        exists = {"claim": d.claims, "event": d.events, "figure": d.figures, "source": d.sources,
                  "topic": d.topics, "actor": d.actors, "contradiction": d.contradictions, "term": d.terms,
                  "series": d.series}.get(kind)
        alive = exists is not None and ident in exists
        if kind == "claim":
            c = d.claims.get(ident)
            if c is not None:
                return r.href(here, r.topic_path(c.topic), ident)
            return r.href(here, r.topic_path(ch.where)) if ch.where in d.topics else ""
        if kind == "event":
            return r.href(here, PAGES["chronology"], ident if alive else None)
        if kind == "figure":
            return r.href(here, PAGES["figures"], ident if alive else None)
        if kind == "series":
            return r.href(here, PAGES["figures"], f"reihe-{ident}" if alive else None)
        if kind == "source":
            return r.href(here, r.source_path(ident)) if alive else r.href(here, PAGES["sources"])
        if kind == "topic":
            return r.href(here, r.topic_path(ident)) if alive else r.href(here, PAGES["topics"])
        if kind == "actor":
            return r.href(here, r.actor_path(ident)) if alive else r.href(here, PAGES["actors"])
        if kind == "contradiction":
            return r.href(here, PAGES["contradictions"], ident if alive else None)
        if kind == "term":
            return r.href(here, PAGES["glossary"], ident if alive else None)
        return r.href(here, PAGES["home"])

    def source_names(self, ids: str | None) -> str:
        if not ids:
            return ""
        return ", ".join(self.d.sources[s].title if s in self.d.sources else s for s in ids.split(", "))

    def actor_names(self, ids: str | None) -> str:
        if not ids:
            return "—"
        return ", ".join(self.d.actors[a].name if a in self.d.actors else a for a in ids.split(", "))

    def topic_title(self, tid: str | None) -> str:
        return self.d.topics[tid].title if tid and tid in self.d.topics else (tid or "")

    @staticmethod
    def date_text(value: str | None) -> str:
        """An EDTF value in German ('' stays ''; an unreadable one as written)."""
        if not value:
            return i18n.active().t("history.no_date")
        from .edtf import EDTFError, parse

        try:
            return parse(value).display()
        except (EDTFError, ValueError):
            return value

    @staticmethod
    def shows_texts(ch: Change) -> bool:
        """Whether the old and the new text are shown (short plain-text fields, not the
        Markdown lead or method)."""
        return (ch.what == "text" and ch.field in ("text", "title", "name", "term", "definition", "role", "note", "summary")
                and ch.old is not None and ch.new is not None)

    # the history's pages in the build's language (i18n.activate sets the module's paths)
    changes_page = property(lambda self: CHANGES_PAGE)
    corrections_page = property(lambda self: CORRECTIONS_PAGE)
    feed_path = property(lambda self: FEED_PATH)

    @staticmethod
    def status_label(key: str | None) -> str:
        return i18n.active().section("status").get(key or "", key or "—")

    @staticmethod
    def german(day: dt.date) -> str:
        return german_date(day)

    @staticmethod
    def anchor(c: Commit) -> str:
        return f"aenderung-{c.sha[:12]}"

    #: a commit with more logged changes than this (the dossier's first commit, an import) is
    #: shown as counts per kind of change, not item by item
    LIST_MAX = 60

    @staticmethod
    def summary(items: list[Change]) -> list[tuple[Change, int]]:
        """One change of each kind (what, item kind, field) with how many there are."""
        seen: dict[tuple[str, str, str], list] = {}
        for ch in items:
            k = (ch.what, ch.kind, ch.field)
            if k in seen:
                seen[k][1] += 1
            else:
                seen[k] = [ch, 1]
        return [(ch, n) for ch, n in seen.values()]

    def entries(self) -> list[Commit]:
        return self.h.entries() if self.h else []

    def correction_list(self) -> list[Commit]:
        return self.h.corrections() if self.h else []

    def archive(self) -> dict[int, list[Commit]]:
        """The entries older than the newest CHANGES_MAX, by year (newest year first)."""
        if self._archive is None:
            self._archive = {}
            for c in self.entries()[CHANGES_MAX:]:
                self._archive.setdefault(c.day.year, []).append(c)
        return self._archive

    def changes_page_of(self, c: Commit) -> str:
        """The page that lists this commit's entry: "Was ist neu" or its year's archive."""
        if self._entry_page is None:
            self._entry_page = {x.sha: archive_path(year) for year, commits in self.archive().items() for x in commits}
        return self._entry_page.get(c.sha, CHANGES_PAGE)

    @staticmethod
    def archive_page(year: int) -> str:
        return archive_path(year)

    def days(self, year: int | None = None) -> list[tuple[dt.date, list[Commit]]]:
        """The entries of "Was ist neu" (year None) or of a year's archive, by day."""
        out: list[tuple[dt.date, list[Commit]]] = []
        for c in self.entries()[:CHANGES_MAX] if year is None else self.archive().get(year, []):
            if out and out[-1][0] == c.day:
                out[-1][1].append(c)
            else:
                out.append((c.day, [c]))
        return out

    # --- pages and the feed ---------------------------------------------------------------
    def jobs(self) -> list[tuple[str, str, dict]]:
        if self.h is None:
            return []
        return [("changes.html.j2", CHANGES_PAGE, {"year": None}), ("corrections.html.j2", CORRECTIONS_PAGE, {}),
                *(("changes.html.j2", archive_path(year), {"year": year}) for year in self.archive())]

    def feed(self) -> bytes | None:
        if self.h is None:
            return None
        from .render import page_url

        inp = self.inp
        assert inp is not None
        base = (inp.site_url.rstrip("/") + "/") if inp.site_url else ""
        changes_url = base + page_url(CHANGES_PAGE, self.r.o.use_directory_urls)
        module = self.macros()
        items = []
        # links inside entries are written relative to the site root, where the feed is
        for c in self.entries()[:FEED_ENTRIES]:
            logged = c.logged()
            title = str(module.change_title(c, logged[0])).strip()
            if len(logged) > 1:
                title += i18n.active().plural("feed.more", len(logged) - 1)
            content = str(module.change_block("index.md", c)).strip()
            if base:
                content = _absolute_links(content, base)
            link = base + page_url(self.changes_page_of(c), self.r.o.use_directory_urls)
            items.append((c, title, f"{link}#{self.anchor(c)}", content))
        entries = self.entries()
        updated = entries[0].iso if entries else (self.h.commits[-1].iso if self.h.commits else "1970-01-01T00:00:00Z")
        name = inp.site_name or (self.d.meta.title if self.d.meta else "Dossier")
        return atom(items, title=i18n.active().t("feed.title", name=name), feed_id=feed_uuid(f"newsdossier:feed:{base or name}"),
                    updated=updated, alternate=changes_url, self_href=(base + FEED_PATH) if base else None, author=name)


_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|#|/)([^"]*)"')


def _absolute_links(html_text: str, base: str) -> str:
    return _HREF.sub(lambda m: f'href="{base}{m.group(1)}"', html_text)


def for_build(root: Path, content_dir: str, mode: str, site_name: str, site_url: str | None, log) -> Input | None:
    """The history input of a build. mode "off": none; "auto": the history if there is one,
    else an info line and pages dated by fallback_date(); "required": the same, but a
    missing history is a warning (so 'mkdocs build --strict' fails on a shallow clone)."""
    mode = {True: "auto", False: "off"}.get(mode, mode)  # type: ignore[call-overload]
    if mode == "off":
        return None
    import time

    t0 = time.perf_counter()
    try:
        h = read(root, content_dir)
    except Unavailable as e:
        say = log.warning if mode == "required" else log.info
        say(f"Keine Versionsgeschichte ({e}): die Seiten erscheinen ohne Änderungsverlauf, ohne „Was ist neu“ "
            "und ohne Feed. Abhilfe: im vollständigen git-Klon bauen (git fetch --unshallow; GitHub Actions: "
            "fetch-depth: 0)." + ("" if mode == "required" else " Mit der Plugin-Option 'history: required' "
                                  "wird daraus eine Warnung (mkdocs build --strict bricht dann ab)."))
        return Input(None, fallback_date(root, content_dir), site_name, site_url)
    for n in h.notices:
        log.info(n)
    log.debug(f"history: {len(h.commits)} commits with changes, read in {time.perf_counter() - t0:.3f} s")
    return Input(h, None, site_name, site_url)


def link_feed(html_text: str, page_url_: str) -> str:
    """The page's HTML with the feed linked in its head (every page of a site with a history)."""
    from .render import relative

    href = relative(page_url_, FEED_PATH)
    tag = f'<link rel="alternate" type="application/atom+xml" title="{Markup.escape(i18n.active().t("feed.link_title"))}" href="{href}">'
    at = html_text.find("</head>")
    return html_text if at < 0 else html_text[:at] + tag + "\n" + html_text[at:]
