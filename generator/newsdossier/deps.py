"""Incremental rendering (mkdocs serve): after a save, only the pages whose inputs changed are
rendered again; every other page keeps its text of the previous render.

What a page reads is *recorded* while it renders, not declared: whatever template or helper
reads it, and however the templates change.

* Model objects: the entity classes (source, topic, claim, event, actor, series, figure,
  contradiction, term, the dossier's overview) get a recording ``__getattribute__`` during a
  recorded render; reading an attribute of one makes the page depend on that attribute of
  that entity, ``(table, id, name)`` (with all its parts: sections, findings, citations...);
  calling one of its methods, on all of the entity, ``(table, id)``.
* Collections: the dossier's tables (``d.sources`` ...) and the index's tables (``ix.by_block``
  ...) are replaced by recording copies: a lookup makes the page depend on that key (so that
  an entity added later under it counts too), iterating or counting on the whole key list.
  What a page's job hands its template (lists made before the page renders) is a dependency
  of its own, ``("job", path)``.
* Memoised helpers of the Renderer are reset before each page (they are pure; every page
  computes what it uses itself, so its reads are recorded). Two memos over all sources stay
  shared, being computed before any page: the sort order of sources (a page reads the sources
  it sorts, and their order follows from those alone) and the short names (each name is a
  recorded dependency of its own, ``("short_name", id)``).

Each dependency has a *token* that changes when what a page can read of it changes:

* an attribute: a hash of the ``repr`` of its value (positions are not in it) and, since
  citations are found in other files, the hashes of the articles of the sources cited in it;
  a source's notes and article: with its article's hash;
* a key of a dossier table: whether it is there; of an index table: what is stored there
  (entities by kind and id, findings and sides by their owner and content, citations by
  where they were found); a whole table: its keys.

Checking is cheap where nothing changed: the read cache gives back the very objects of
unchanged files, so an entity that is the same object as last time, citing the same article
objects, has all its tokens unchanged, and none is computed (``versions``); so has a new
object whose ``repr`` is the old one's, citing the same articles (the claims of an edited
topic, ``_reads_the_same``); an index entry is checked only when a changed entity names its
key; what no entity holds is checked where a changed entity names its index key
(``RenderCache.loose_keyed``) or else every time (``loose_rest``: whole tables, ...). Hashes are kept per object, holding the objects so that no id is reused.

Everything every page shares - the options, the templates, the language, the dossier's date,
the history by its identity (HEAD and folder) - is one global key; when it changes (a commit),
every page renders. What the history gives each page from all of the dossier (its date, its
corrections: history.View derives them from every item's pages) is computed before the pages
and is part of the page's ``("job", path)`` token; what the history's parts of a page read of
the dossier (a claim's line, the items "Was ist neu" links) is recorded like any read.
Tested: after sequences of edits of every kind of object the site is byte for byte the site a
fresh build gives (tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import os
from contextlib import contextmanager
from pathlib import Path

from .model import (Actor, Citation, Claim, Contradiction, DossierMeta, Event, Figure, Finding, Series, Side,
                    Source, Term, Topic)

#: the entity classes and their kind names
KINDS = {Source: "source", Topic: "topic", Claim: "claim", Event: "event", Actor: "actor", Series: "series",
         Figure: "figure", Contradiction: "contradiction", Term: "term", DossierMeta: "meta"}
#: the dossier's tables
TABLES = ("sources", "topics", "claims", "events", "actors", "series", "figures", "contradictions", "terms")
TABLE_KIND = dict(zip(TABLES, ("source", "topic", "claim", "event", "actor", "series", "figure", "contradiction",
                               "term")))
#: the index's tables recorded by key (side_owner is keyed by object id: what it gives, a
#: contradiction, is recorded when read)
INDEX_TABLES = ("by_block", "claims_by_actor", "events_by_actor", "figures_by_actor", "events_by_topic",
                "contradictions_by_topic", "contradictions_by_claim", "members")

_get = object.__getattribute__
#: the dependencies of the page being rendered (None: nothing is recorded)
_current: set | None = None


def _recording_getattribute(self, name):
    rec = _current
    if rec is not None:
        rec.add((self, name))
    return _get(self, name)


def _blake(data: str) -> bytes:
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _RecDict(dict):
    """A copy of a table that records what is read of it as ("kind", key) / ("kind", ALL)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str, data) -> None:
        super().__init__(data)
        self.kind = kind

    def _key(self, key) -> None:
        if _current is not None:
            _current.add((self.kind, key))

    def _all(self) -> None:
        if _current is not None:
            _current.add((self.kind, ALL))

    def __getitem__(self, key):
        self._key(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._key(key)
        return super().get(key, default)

    def __contains__(self, key) -> bool:
        self._key(key)
        return super().__contains__(key)

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def keys(self):
        self._all()
        return super().keys()

    def values(self):
        self._all()
        return super().values()

    def items(self):
        self._all()
        return super().items()

    def copy(self):
        self._all()
        return dict(super().items())


class _RecDefault(_RecDict):
    """An index table (a defaultdict): a missing key gets an empty value, in the copy."""

    __slots__ = ("factory",)

    def __init__(self, kind: str, data, factory) -> None:
        super().__init__(kind, data)
        self.factory = factory

    def __missing__(self, key):
        value = self.factory()
        dict.__setitem__(self, key, value)
        return value


ALL = "\0all"
_MISSING = "\0missing"


class Tokens:
    """The token of every dependency, for one dossier and index (computed when asked)."""

    def __init__(self, d, ix, memo: "Memo") -> None:
        self.d, self.ix, self.memo = d, ix, memo
        self.done: dict = {}
        self._owner: dict[int, tuple] | None = None
        self.short_names: dict | None = None

    def __call__(self, dep):
        out = self.done.get(dep, self)
        if out is self:
            out = self.done[dep] = self._compute(dep)
        return out

    def _compute(self, dep):
        if len(dep) == 3:  # one attribute of an entity
            kind, key, name = dep
            obj = self.d.meta if kind == "meta" else dict.get(getattr(self.d, kind), key)
            return None if obj is None else self.field(obj, name)
        kind, key = dep
        if kind == "job":
            return None  # (set for every page of this render by Session)
        if kind == "meta":
            return self.entity(self.d.meta) if self.d.meta is not None else None
        if kind == "short_name":
            return self.short_names.get(key) if self.short_names is not None else None
        if kind.startswith("ix."):
            table = getattr(self.ix, kind[3:])
            if key == ALL:
                return tuple(table)
            return self.value(dict.get(table, key))
        table = getattr(self.d, kind)
        if key == ALL:
            return tuple(table)
        return key in table  # what the page reads of the entity is recorded by attribute

    def entity(self, obj):
        """(hash of the object, hashes of the articles it cites) ; a source: with its article's."""
        own = self.memo.repr_hash(obj)
        if isinstance(obj, Source):
            return own, self.memo.article_hash(obj.article)
        sources = self.d.sources
        arts = tuple(self.memo.article_hash(sources[s].article) if s in sources else None
                     for s in self.memo.cited(obj))
        return own, arts

    def field(self, obj, name: str):
        """(hash of one attribute's value, hashes of the articles cited in it); a source's
        notes and article: with its article's hash (notes are found in it)."""
        own, cited = self.memo.field(obj, name)
        if isinstance(obj, Source):
            return own, (self.memo.article_hash(obj.article) if name in ("article", "notes") else None)
        sources = self.d.sources
        return own, tuple(self.memo.article_hash(sources[s].article) if s in sources else None for s in cited)

    def owner(self, part) -> tuple | None:
        """The entity a finding or side belongs to, as a dependency."""
        if self._owner is None:
            owner: dict[int, tuple] = {}
            if self.d.meta is not None:
                for f in self.d.meta.known + self.d.meta.unclear:
                    owner[id(f)] = ("meta", "")
            for t in self.d.topics.values():
                for f in t.known + t.unclear:
                    owner[id(f)] = ("topics", t.id)
            for k in self.d.contradictions.values():
                for s in k.sides:
                    owner[id(s)] = ("contradictions", k.id)
            self._owner = owner
        return self._owner.get(id(part))

    def value(self, v):
        """What a page can read of an index table's value, as a token."""
        if v is None:
            return None
        t = type(v)
        if t in KINDS:  # what the page reads of it is recorded by attribute
            return (KINDS[t], v.id)
        if t is Finding or t is Side:  # a part read without its entity: all of it
            return (t.__name__, self.owner(v), self.memo.repr_hash(v))
        if t is Citation:
            src = dict.get(self.d.sources, v.source)
            return ("cit", v.source, v.quote, v.start, v.end, v.block.anchor if v.block is not None else None,
                    self.memo.article_hash(src.article) if src is not None else None)
        if isinstance(v, dict):  # (a page's job: mostly entities, as the first case above)
            return tuple([(k, (KINDS[type(x)], x.id) if type(x) in KINDS else self.value(x)) for k, x in v.items()])
        if isinstance(v, (list, tuple)):
            kind = KINDS.get(type(v[0])) if v else None
            if kind is not None and len(set(map(type, v))) == 1:  # (a page's list of entities)
                return tuple(zip(itertools.repeat(kind), map(_get, v, itertools.repeat("id"))))
            return tuple([self.value(x) for x in v])
        return repr(v)


class Memo:
    """Hashes per object, kept from one build to the next (with the objects, so that their
    ids stay theirs)."""

    def __init__(self) -> None:
        self.reprs: dict[int, tuple] = {}
        self.articles: dict[int, tuple] = {}
        self.cites: dict[int, tuple] = {}
        self.fields: dict[tuple, tuple] = {}
        self._used: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})

    def repr_hash(self, obj) -> bytes:
        k = id(obj)
        hit = self.reprs.get(k)
        if hit is None or hit[0] is not obj:
            if isinstance(obj, Source):  # the article has a token of its own
                article, obj.article = obj.article, None
                try:
                    hit = (obj, _blake(repr(obj)))
                finally:
                    obj.article = article
            else:
                hit = (obj, _blake(repr(obj)))
            self.reprs[k] = hit
        self._used[0][k] = hit
        return hit[1]

    def article_hash(self, article) -> bytes | None:
        if article is None:
            return None
        k = id(article)
        hit = self.articles.get(k)
        if hit is None or hit[0] is not article:
            hit = self.articles[k] = (article, _blake(repr(article)))
        self._used[1][k] = hit
        return hit[1]

    def field(self, obj, name: str) -> tuple:
        """(hash of the value of an attribute, the source ids cited in it)."""
        k = (id(obj), name)
        hit = self.fields.get(k)
        if hit is None or hit[0] is not obj:
            value = getattr(obj, name, _MISSING) if name != "article" else None
            found: list[str] = []
            _collect_sources(value, found)
            hit = self.fields[k] = (obj, _blake(repr(value)), tuple(dict.fromkeys(found)))
        self._used[3][k] = hit
        return hit[1], hit[2]

    def cited(self, obj) -> tuple:
        """The source ids an entity's citations (its parts' too) name, in order."""
        k = id(obj)
        hit = self.cites.get(k)
        if hit is None or hit[0] is not obj:
            found: list[str] = []
            _collect_sources(obj, found)
            hit = self.cites[k] = (obj, tuple(dict.fromkeys(found)))
        self._used[2][k] = hit
        return hit[1]

    def prune(self) -> None:
        """Keep only what the last build used (the objects of the build before are let go)."""
        self.reprs, self.articles, self.cites, self.fields = self._used
        self._used = ({}, {}, {}, {})


def _collect_sources(obj, out: list) -> None:
    if isinstance(obj, Citation):
        out.append(obj.source)
        return
    if isinstance(obj, list):
        for x in obj:
            _collect_sources(x, out)
        return
    fields = getattr(type(obj), "__dataclass_fields__", None)
    if fields is None or isinstance(obj, Source):
        return
    for name in fields:
        if name in ("pos", "fpos"):
            continue
        value = _get(obj, name)
        if isinstance(value, (list, Citation)) or hasattr(type(value), "__dataclass_fields__"):
            _collect_sources(value, out)


def _collect_strings(obj, out: set) -> None:
    """Every string in an entity (its parts too; a source without its article)."""
    if isinstance(obj, str):
        out.add(obj)
        return
    if isinstance(obj, (list, tuple)):
        for x in obj:
            _collect_strings(x, out)
        return
    fields = getattr(type(obj), "__dataclass_fields__", None)
    if fields is None:
        return
    for name in fields:
        if name in ("pos", "fpos", "article", "block"):
            continue
        _collect_strings(_get(obj, name), out)


class RenderCache:
    """The pages of the last render, what each read, and the tokens of what they read."""

    def __init__(self) -> None:
        self.memo = Memo()
        self.key: bytes | None = None
        self.texts: dict[str, str] = {}
        self.deps: dict[str, frozenset] = {}
        self.tokens: dict = {}
        #: (table, id) -> (entity, the article objects it cites)
        self.versions: dict = {}
        #: history item key -> the pages it appears on (history.View.pages_of), last render
        self.pages_of: dict[str, frozenset] = {}
        #: the keys of ``tokens`` by their first two parts: (table, id) of an entity
        self.groups: dict[tuple, set] = {}
        #: the keys of ``groups`` that were no entity's (table, id) when they were added (their
        #: dependencies are not checked by entity): filed once into one of the two below
        self.loose: set[tuple] = set()
        #: ``loose`` split: the keys of index tables by the key (checked only when a changed
        #: entity names it), and the others (checked on every render)
        self.loose_keyed: dict[object, list[tuple]] = {}
        self.loose_rest: set[tuple] = set()
        #: the last render: pages rendered, pages reused
        self.last_rendered = 0
        self.last_reused = 0

    def forget(self) -> None:
        self.key, self.texts, self.deps, self.tokens, self.versions, self.groups = None, {}, {}, {}, {}, {}
        self.loose, self.loose_keyed, self.loose_rest = set(), {}, set()
        self.exported, self.changed_sources, self.pages_of = {}, None, {}

    #: collection key -> (its objects, their exported texts, the source ids they cite, the
    #: texts joined, the source ids each object cites), of the last render; the same for this
    #: render; source ids whose entity or article changed since the last render (set by
    #: Session; None: everything is exported afresh)
    exported: dict = {}
    _exported_now: dict | None = None
    changed_sources: frozenset | None = None

    def export_items(self, key: str, view, objs: list, ix) -> str:
        """``view(obj, ix)`` of every object of one of the data export's collections as JSON,
        joined with commas (export.export_json's ``kept``). An object's text is kept from the
        last render while it is the same object and no source it cites changed (its entity or
        its article): that is all an exported entity shows (the sources' order comes from
        their dates, a passage's number from the article). A collection of the very same
        objects in the same order, citing no changed source, is the same text as a whole."""
        from .export import dumps

        prev = self.exported.get(key)
        changed = self.changed_sources
        if changed is None:
            prev = None
        if (prev is not None and len(prev[0]) == len(objs) and all(map(operator.is_, prev[0], objs))
                and changed.isdisjoint(prev[2])):
            out = prev
        else:
            old = {id(o): i for i, o in enumerate(prev[0])} if prev is not None else {}
            texts, cites = [], []
            for o in objs:
                i = old.get(id(o))  # (prev holds its objects: an id is theirs)
                if i is None:
                    sources = self.memo.cited(o)
                    text = dumps(view(o, ix))
                else:
                    sources = prev[4][i]
                    text = prev[1][i] if changed.isdisjoint(sources) else dumps(view(o, ix))
                texts.append(text)
                cites.append(sources)
            out = (list(objs), texts, frozenset().union(*cites), ",".join(texts), cites)
        if self._exported_now is not None:
            self._exported_now[key] = out
        return out[3]

    def session(self, d, ix, options, r, jobs: list, files: list = ()) -> "Session":
        return Session(self, d, ix, options, r, jobs, files)


class Session:
    """One render with the cache: which pages to render (``todo``), recording them, and
    keeping the result (``commit``)."""

    def __init__(self, cache: RenderCache, d, ix, options, r, jobs: list, files: list = ()) -> None:
        """``jobs``: (template, path, context) of every page; ``files``: of other files
        rendered the same way (the figures' CSV files: no page, so no history of their own)."""
        self.cache, self.d, self.ix = cache, d, ix
        self.key = global_key(d, options)
        self.tokens = Tokens(d, ix, cache.memo)
        self.deps: dict[str, frozenset] = {}
        # the memos shared by all pages, computed before any page (see the module's docstring)
        if hasattr(ix, "reported") and getattr(ix, "_source_rank", 1) is None and d.sources:
            ix.reported([])
        self.names = r.short_names() if hasattr(r, "short_names") else None
        self.tokens.short_names = self.names
        paths = [job[1] for job in jobs]
        # an entity that is the same object as last time, citing the same article objects,
        # reads the same (the read cache gives back the objects of unchanged files): none of
        # its dependencies needs a token computed
        self.full = self.key is None or self.key != cache.key
        prev = cache.versions
        # the entities that are not the same: changed or added (``versions``), and removed
        self.versions, other = versions(d, cache.memo, prev)
        if self.full:
            other = []
        if other:
            alike = _reads_the_same(cache, self.versions, other)
            other = [k for k in other if k not in alike]
        if not self.full and len(prev) != len(self.versions) - self._added(prev, other):
            other += [k for k in prev if k not in self.versions]
        cache._exported_now = {}
        cache.changed_sources = None if self.full else frozenset(k[1] for k in other if k[0] == "sources")
        # the index's tables are keyed by ids: an entry can change only where an entity that
        # changed (as it was, as it is) names its key
        named: set[str] | None = None
        if not self.full:
            named = set()
            for k in other:
                for v in (prev.get(k), self.versions.get(k)):
                    if v is not None:
                        _collect_strings(v[0], named)
        # what a page's job hands its template (made from the dossier outside the page):
        # one more dependency of the page, ("job", path)
        self.pages_of = _reusable_pages_of(cache, named, self.versions.keys() == prev.keys())
        hist = _history_tokens(r, paths, self.pages_of)
        for _template, path, ctx in [*jobs, *files]:
            self.tokens.done[("job", path)] = (_template, self.tokens.value(ctx), hist.get(path))
        paths += [job[1] for job in files]
        if self.full:
            self.todo = set(paths)
        else:
            assert named is not None
            # the dependencies of the entities that are not the same, and those of no entity
            # (an index's key no changed entity names is left out: loose_keyed by its key)
            groups, keyed = cache.groups, cache.loose_keyed
            if len(named) < len(keyed):
                named_keys = [k for name in named for k in keyed.get(name, ())]
            else:
                named_keys = [k for name, ks in keyed.items() if name in named for k in ks]
            maybe = [dep for k in {*other, *cache.loose_rest, *named_keys} if (deps := groups.get(k)) for dep in deps]
            changed = {dep for dep in maybe if self.tokens(dep) != cache.tokens[dep]}
            self.todo = {p for p in paths if p not in cache.texts or p not in cache.deps
                         or not cache.deps[p].isdisjoint(changed)}

    @staticmethod
    def _added(prev: dict, other: list) -> int:
        """How many of ``other`` (the entities not the same) were not there last time: when
        the others of now are exactly the keys of last time, none was removed."""
        return sum(1 for k in other if k not in prev)

    def reused(self, path: str) -> str:
        return self.cache.texts[path]

    # --- recording ----------------------------------------------------------------------

    @contextmanager
    def recording(self, r):
        """Around the render of the pages in ``todo``: the recording tables and classes."""
        d, ix, names = self.d, self.ix, self.names
        saved_d = {name: getattr(d, name) for name in TABLES}
        saved_ix = {name: getattr(ix, name) for name in INDEX_TABLES if hasattr(ix, name)}
        for name, table in saved_d.items():
            setattr(d, name, _RecDict(name, table))
        for name, table in saved_ix.items():
            factory = getattr(table, "default_factory", None) or list
            setattr(ix, name, _RecDefault("ix." + name, table, factory))
        fresh = {k: v for k, v in vars(r).items()}
        self._fresh = fresh
        self._names = _RecDict("short_name", names) if names is not None else None
        for cls in KINDS:
            cls.__getattribute__ = _recording_getattribute
        try:
            yield
        finally:
            for cls in KINDS:
                del cls.__getattribute__
            for name, table in saved_d.items():
                setattr(d, name, table)
            for name, table in saved_ix.items():
                setattr(ix, name, table)

    @contextmanager
    def page(self, r, path: str):
        """Record what the page at ``path`` reads; the Renderer's memos start empty."""
        global _current
        for k in [k for k in vars(r) if k not in self._fresh]:
            delattr(r, k)
        for k, v in self._fresh.items():
            if isinstance(v, dict):
                setattr(r, k, type(v)() if not v else v)
            elif v is None:
                setattr(r, k, None)
        if self._names is not None:
            names = self._names
            r.short_names = lambda: names
        rec: set = set()
        _current = rec
        try:
            yield
        finally:
            _current = None
        deps = {("job", path)}
        for x in rec:
            obj, name = x
            if type(obj) is str:  # a table's key or the whole table
                deps.add(x)
                continue
            if name == "__class__":  # (isinstance): what a table holds is of its kind
                continue
            cls = type(obj)
            entity = ("meta", "") if cls is DossierMeta else (TABLE_OF[cls], _get(obj, "id"))
            if name.startswith("_") or (name not in _FIELDS[cls] and callable(getattr(cls, name, None))):
                deps.add(entity)  # a method may read anything of it
            else:
                deps.add((*entity, name))
        self.deps[path] = frozenset(deps)

    # --- after the render -----------------------------------------------------------------

    def commit(self, texts: dict, pages=None) -> None:
        """Keep this render's pages (and other files: ``pages``, the paths of the pages among
        ``texts``) and what they read."""
        cache = self.cache
        deps = {p: self.deps.get(p, cache.deps.get(p, frozenset())) for p in texts}
        # the tokens of the dependencies of entities that stayed the same are still right;
        # the others were computed by __init__, or are computed now (new dependencies)
        tokens, groups, loose = ({}, {}, set()) if self.full else (cache.tokens, cache.groups, cache.loose)
        keyed, rest = ({}, set()) if self.full else (cache.loose_keyed, cache.loose_rest)
        new = [dep for dep in self.tokens.done if dep not in tokens]
        tokens.update(self.tokens.done)
        for p in (texts if self.full else self.deps):
            for dep in deps[p]:
                if dep not in tokens:
                    tokens[dep] = self.tokens(dep)
                    new.append(dep)
        # the dependencies by entity (table, id), the others each on their own
        versions = self.versions
        for dep in new:
            key = dep[:2]
            groups.setdefault(key, set()).add(dep)
            if key not in versions and key not in loose:  # (a table's key where there is no entity, an index's key, ...)
                loose.add(key)
                if key[0].startswith("ix.") and key[1] != ALL:
                    keyed.setdefault(key[1], []).append(key)
                else:
                    rest.add(key)
        cache.key, cache.texts, cache.deps, cache.tokens, cache.groups = self.key, dict(texts), deps, tokens, groups
        cache.loose, cache.loose_keyed, cache.loose_rest = loose, keyed, rest
        cache.versions, cache.pages_of = self.versions, self.pages_of
        if cache._exported_now:
            cache.exported = cache._exported_now
        cache._exported_now = None
        counted = texts.keys() if pages is None else pages
        cache.last_rendered, cache.last_reused = len(self.todo & counted), len(counted - self.todo)
        cache.memo.prune()


def versions(d, memo: Memo, prev: dict) -> tuple[dict, list]:
    """(table, id) -> (the entity, the article objects its citations are found in); a
    source: its own article. And the keys whose version is not the one in ``prev`` (the
    last render's): a new object, or one citing other article objects (changed or added).
    An entity that is the same object as in ``prev`` cites the same source ids (memo.cited
    is kept per object); only when one of those sources' article objects changed is its
    tuple made again. (This runs for every entity on every save.)"""
    out = {}
    other = []
    sources = d.sources
    articles = {key: src.article for key, src in sources.items()}
    article = articles.get
    get = prev.get
    # the source ids whose article object is not last time's (added or removed too)
    moved = set()
    for key, art in articles.items():
        p = get(("sources", key))
        if p is None or p[1][0] is not art:
            moved.add(key)
    # and the removed ones (``prev`` holds the overview and the sources first, as made here)
    for k in itertools.takewhile(lambda k: k[0] in ("meta", "sources"), prev):
        if k[0] == "sources" and k[1] not in articles:
            moved.add(k[1])
    cited = memo.cited

    def put(k, v) -> None:
        out[k] = v
        p = get(k)
        if p is None or p[0] is not v[0] or p[1] != v[1]:
            other.append(k)

    if d.meta is not None:
        put(("meta", ""), (d.meta, tuple(map(article, cited(d.meta)))))
    for key, obj in sources.items():
        put(("sources", key), (obj, (obj.article,)))
    known, used = memo.cites.get, memo._used[2]
    for table in TABLES[1:]:
        for key, obj in getattr(d, table).items():
            hit = known(id(obj))  # (memo.cited, inlined)
            if hit is not None and hit[0] is obj:
                used[id(obj)] = hit
                ids = hit[1]
            else:
                ids = cited(obj)
            k = (table, key)
            p = get(k)
            if p is not None and p[0] is obj and (not moved or moved.isdisjoint(ids)):
                out[k] = p  # the same object citing the same article objects
                continue
            v = out[k] = (obj, tuple(map(article, ids)) if ids else ())
            if p is None or p[0] is not obj or p[1] != v[1]:
                other.append(k)
    return out, other


def _reads_the_same(cache: RenderCache, now: dict, keys: list) -> set:
    """The entities that are new objects but read as the old ones did: a claim of an edited
    topic file whose own text did not change, say (every object of a changed file is made
    anew). All their tokens are hashes of ``repr``s of their values (of parts of the value,
    with the hashes of the articles cited) - the same where the entity's ``repr`` is the
    same and it cites the same article objects - but for a page's read of their positions
    (``pos``, ``fpos``: not in the ``repr``): an entity read so is left out. Sources and the
    overview are left out (their tokens add their articles; the export tracks sources)."""
    out = set()
    prev, groups, memo = cache.versions, cache.groups, cache.memo
    for k in keys:
        if k[0] in ("sources", "meta"):
            continue
        v, p = now[k], prev.get(k)
        if p is None or p[1] != v[1] or type(p[0]) is not type(v[0]):
            continue
        if any(len(dep) == 3 and dep[2] in ("pos", "fpos") for dep in groups.get(k, ())):
            continue
        if memo.repr_hash(p[0]) == memo.repr_hash(v[0]):
            out.add(k)
    return out


#: entity class -> its table in the dossier; its declared fields
TABLE_OF = {cls: {v: k for k, v in TABLE_KIND.items()}.get(kind) for cls, kind in KINDS.items()}
_FIELDS = {cls: frozenset(cls.__dataclass_fields__) for cls in KINDS}


def _reusable_pages_of(cache: RenderCache, named: set | None, same_keys: bool) -> dict:
    """The pages each history item appears on (history.View.pages_of: item key -> pages) that
    the last render found and that still hold: pages_of(key) reads the item's entity, which
    of the ids it names exist, and index entries under its id (the claims and contradictions
    citing a source, a claim's contradictions); with no entity added or removed, those change
    only where a changed entity (as it was, as it is) names the item's id (``named``)."""
    if named is None or not same_keys:
        return {}
    return {key: pages for key, pages in cache.pages_of.items() if key.split(":", 1)[1] not in named}


def _history_tokens(r, paths: list[str], pages_of: dict) -> dict:
    """path -> what the history gives the page from outside it: its date and its corrections
    (history.View.page_date, page_corrections). View derives them from every item's pages
    (pages_of reads much of the dossier), so they are computed here, before any page renders,
    and compared as the page's own data; what a page reads otherwise (a claim's history line,
    the items "Was ist neu" links) is recorded like every other read. Empty without a history.
    ``pages_of``: the items' pages still known (_reusable_pages_of); on return, all of them."""
    view = getattr(r, "h", None)
    if view is None or not view.active:
        pages_of.clear()
        return {}
    view.known_pages = pages_of
    out = {}
    for path in paths:
        corrections = tuple((c.sha, tuple(repr(ch) for ch in chs)) for c, chs in view.page_corrections(path))
        out[path] = (view.page_date(path), corrections)
    return out


def global_key(d, options) -> bytes | None:
    """One hash of what every page shares, the history by its identity (its HEAD commit and
    folder: the history of one HEAD is always the same)."""
    from . import i18n, jsonld

    inp = options.history
    hist = inp.history if inp is not None else None
    h = hashlib.blake2b(digest_size=16)
    parts = [options.use_directory_urls, options.preview, [str(p) for p in options.template_dirs],
             repr(options.thresholds), getattr(getattr(d, "meta", None), "language", None), i18n.active().lang,
             jsonld.modified(d),
             None if inp is None else (repr(inp.fallback), inp.site_name, inp.site_url),
             None if hist is None else (hist.head, hist.source, len(hist.commits))]
    h.update(repr(parts).encode("utf-8", "surrogatepass"))
    from .render import TEMPLATES

    for folder in [*options.template_dirs, TEMPLATES, Path(__file__).parent / "locales"]:
        for dirpath, _dirs, names in os.walk(folder):
            for name in sorted(names):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}:{st.st_mtime_ns}:{st.st_size}\n".encode("utf-8", "surrogatepass"))
    return h.digest()

