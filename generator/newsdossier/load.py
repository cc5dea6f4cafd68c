"""Loading and validation: content/ + seeds/ -> Dossier, with every problem at once."""

from __future__ import annotations

import operator
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import schema
from .article import (Article, closest_passage, find_all, line_paragraphs_suspected, load_article, locate, normalize,
                      read_text_file)
from .errors import Pos, Problems
from .forked import can_fork, run_beside
from .safety import (MAX_MATCH_CHARS, MAX_PLACES_LISTED, MatchBudget, check_citation_budget, check_ids,
                     walk_tree)
from .model import Citation, Dossier
from .schema import KINDS, Ctx, Invalid
from .speed import Thresholds
from .suggest import did_you_mean
from .yamlio import LList, LMap, load_yaml

MAX_CONTENT_BYTES = 1024 * 1024
IGNORED_IN_CONTENT = {"README.md", ".gitkeep"}


def _read_content(path: Path, rel: str, problems: Problems) -> str | None:
    return read_text_file(path, rel, problems, limit=MAX_CONTENT_BYTES, what="content file",
                          fix_link="replace the link by the file itself", fix_size="split it into several files")


#: the kinds of things that have ids (the dossier itself has none)
ID_KINDS = ("source", "topic", "claim", "event", "actor", "series", "figure", "contradiction", "term")


@dataclass
class _FileResult:
    """What reading one content file found, to be applied in file order (see load)."""

    problems: Problems = field(default_factory=Problems)
    refs: list = field(default_factory=list)
    #: kinds whose ids this file may define but could not be read
    broken: tuple[str, ...] = ()
    #: in order: ("object", kind, obj, id, pos) to register, ("salvage", kind, id) to reserve
    actions: list = field(default_factory=list)
    #: citations of objects that could not be converted: their quotes are checked all the same
    loose: list = field(default_factory=list)


def _salvaged(kind: str, raw, stem: str | None = None) -> list[tuple[str, str, str]]:
    """The ids an invalid object would define, so one mistake does not cascade into
    'unknown id' errors everywhere it is referenced."""
    out = []
    if stem is not None:
        out.append(("salvage", kind, stem))

    def items(value) -> list:  # a broken file may hold anything where a list belongs
        return value if isinstance(value, list) else []

    if kind == "topic" and isinstance(raw, dict):
        for sec in items(raw.get("sections")):
            for cl in items(sec.get("claims")) if isinstance(sec, dict) else []:
                if isinstance(cl, dict) and isinstance(cl.get("id"), str):
                    out.append(("salvage", "claim", cl["id"]))
    if kind == "series" and isinstance(raw, dict):
        for fig in items(raw.get("figures")):
            if isinstance(fig, dict) and isinstance(fig.get("id"), str):
                out.append(("salvage", "figure", fig["id"]))
    if stem is None and kind in ID_KINDS and isinstance(raw, dict) and isinstance(raw.get("id"), str):
        out.append(("salvage", kind, raw["id"]))
    return out


#: citations taken from one broken file at most (see _loose_citations)
MAX_LOOSE_CITATIONS = 10_000


def _loose_citations(raw) -> list[Citation]:
    """The citations ('source:' + 'quote:' mappings) inside a value that failed conversion, so
    that a wrong quote is reported together with the file's other errors, not after they are
    fixed. Their own problems (a misspelt source id, …) were reported with the object."""
    out: list[Citation] = []
    stack = [raw]
    while stack and len(out) < MAX_LOOSE_CITATIONS:
        value = stack.pop()
        if isinstance(value, LMap):
            if isinstance(value.get("source"), str) and isinstance(value.get("quote"), str):
                try:
                    out.append(schema.CITATION.convert(value, value.pos, Ctx(Problems())))
                except Invalid:
                    pass
                continue
            stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return out


def _read_file(kind: str, path: Path, rel: str, content_dir: str) -> _FileResult:
    """Read, parse and convert one content file. Touches nothing shared, so files can be read
    in any process and order; load() applies the results in file order."""
    info = KINDS[kind]
    spec = info["spec"]
    res = _FileResult()
    problems = res.problems
    ctx = Ctx(problems, res.refs)
    text = _read_content(path, rel, problems)
    if text is None:
        return res
    doc = load_yaml(text, rel, problems)
    if doc is None:
        if not problems:
            problems.error(Pos(rel, 1, 1), "file is empty", "fill it in or delete it")
        res.broken = {"topic": ("topic", "claim"), "series": ("series", "figure")}.get(kind, (kind,))
        if info["shape"] == "file":
            res.actions += _salvaged(kind, None, path.stem)
        return res
    if info["shape"] == "list":
        if not isinstance(doc, LList):
            problems.error(Pos(rel, 1, 1), f"expected a list of {spec.name}s (each starting with '- id: …')",
                           f"see {content_dir}/README.md for the format")
            return res
        for item, pos in zip(doc, doc.ipos):
            try:
                obj = spec.convert(item, pos, ctx)
            except Invalid:
                res.actions += _salvaged(kind, item)
                res.loose += _loose_citations(item)
                continue
            res.actions.append(("object", kind, obj, obj.id, obj.at("id")))
        return res
    stem = path.stem
    extra = {}
    if info["shape"] == "file":
        try:
            schema.check_slug(stem, Pos(rel), ctx, what="file name")
        except Invalid:
            return res
        extra = {"id": stem}
    try:
        obj = spec.convert(doc, Pos(rel, 1, 1), ctx, **extra)
    except Invalid:
        res.actions += _salvaged(kind, doc, stem if info["shape"] == "file" else None)
        res.loose += _loose_citations(doc)
        return res
    res.actions.append(("object", kind, obj, stem, Pos(rel, 1, 1)))
    return res


#: The forked child's share of the work when content is read in two processes (see
#: _read_files). The child also pickles its results (about 20 % of the CPU time reading them
#: took, articles included) and this process unpickles them (about 14 %). Measured at 1,000
#: articles (CPU seconds of each side, with the articles in the child and the templates
#: compiled here): 0.42 left the child idle for a third of the phase (child 2.08 s with its
#: pickling, this process 3.04 s with the unpickling); about balanced at 0.50.
CHILD_SHARE = 0.50

#: What ``meanwhile`` (see _read_files) costs this process, in bytes of content YAML read:
#: compiling the page templates.
MEANWHILE_COST = 800_000

#: Loading an article (decoding, splitting it into blocks, sending them back pickled) costs
#: about this much per byte of the seed file, in bytes of content YAML read.
ARTICLE_COST = 0.45


def _read_files(tasks: list[tuple[str, Path, str, str]], parallel: bool | None = None,
                min_bytes: int = Thresholds.parallel_min_bytes, cache=None,
                articles: tuple[Path, str] | None = None,
                meanwhile: Callable[[], object] | None = None) -> tuple[list[_FileResult], Problems | None]:
    """_read_file for every task, in task order. From ``min_bytes`` on (and with a second
    CPU), a forked child reads part of the files while this process reads the rest: the YAML
    parse and conversion are most of the loading time, and the child's results (model objects
    and problems) come back pickled in a fraction of the time they took to make. The child's
    files are spread over every kind of content (a share of the work of each stretch of the
    task list), since the cost per byte differs between kinds. ``cache``
    (incremental.ReadCache, mkdocs serve): files unchanged since the last load are not read.

    ``articles`` (root, seeds folder): with two processes, the child reads every source file
    and then loads their articles as well (_load_articles, which needs nothing but the
    sources), instead of this process after reading; its problems are returned second
    (None: the articles were not loaded, the caller loads them). ``meanwhile``: work for this
    process while the child reads (MEANWHILE_COST), only then (with one process it is not
    run: it only prepares later work, compiling the page templates before the rendering
    processes are forked, so that they do not both compile them)."""
    if cache is not None:
        return cache.read_files(tasks, _read_file), None
    sizes = [_size(t[1]) for t in tasks]
    if parallel is None:
        parallel = sum(sizes) >= min_bytes and can_fork()
    if not parallel or len(tasks) < 2:
        return [_read_file(*t) for t in tasks], None
    if articles is not None:  # every source file to the child, with the cost of its article
        n = sum(1 for t in tasks if t[0] == "source")
        each = _seeds_bytes(articles[0] / articles[1]) * ARTICLE_COST / n if n else 0
        sizes = [size + each if t[0] == "source" else size for t, size in zip(tasks, sizes)]
    theirs_idx, mine_idx, given = [], [], 0.0
    seen = MEANWHILE_COST if meanwhile is not None else 0.0
    for i, size in enumerate(sizes):
        seen += size
        if (articles is not None and tasks[i][0] == "source") or given + size <= seen * CHILD_SHARE:
            theirs_idx.append(i)
            given += size
        else:
            mine_idx.append(i)

    def child() -> tuple[list[_FileResult], Problems | None]:
        results = [_read_file(*tasks[i]) for i in theirs_idx]
        if articles is None:
            return results, None
        return results, _articles_of(results, [tasks[i][0] for i in theirs_idx], *articles)

    def own() -> list[_FileResult]:
        if meanwhile is not None:
            meanwhile()
        return [_read_file(*tasks[i]) for i in mine_idx]

    mine, (theirs, problems) = run_beside(child, own, "reading the content")
    out: list = [None] * len(tasks)
    for i, res in zip(mine_idx, mine):
        out[i] = res
    for i, res in zip(theirs_idx, theirs):
        out[i] = res
    return out, problems


def _articles_of(results: list[_FileResult], kinds: list[str], root: Path, seeds_dir: str) -> Problems:
    """_load_articles for the sources among ``results`` (every source file, in file order: the
    sources load() keeps, see _articles_loaded); its problems."""
    d = Dossier()
    for action in _source_objects(kinds, results):
        d.sources[action[3]] = action[2]
    problems = Problems()
    _load_articles(root, seeds_dir, d, problems)
    for src in d.sources.values():  # a memo for 'mkdocs serve' (see _normalized_lines): not sent
        if src.article is not None:
            src.article.__dict__.pop("_normalized_lines", None)
    return problems


def _seeds_bytes(folder: Path) -> int:
    """The bytes of the files in the seeds folder (0 where it cannot be read)."""
    total = 0
    try:
        with os.scandir(folder) as entries:
            for e in entries:
                try:
                    total += e.stat().st_size if e.is_file() else 0
                except OSError:
                    pass
    except OSError:
        pass
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # _read_content reports it


def load(root: Path, content_dir: str = "content", seeds_dir: str = "seeds",
         parallel: bool | None = None, min_bytes: int = Thresholds.parallel_min_bytes,
         cache=None, meanwhile: Callable[[], object] | None = None) -> tuple[Dossier, Problems]:
    """Read and check everything. Returns the dossier (possibly partial) and all problems.
    ``parallel``: None decides by size (``min_bytes``, see speed.Thresholds); True/False force it.
    ``cache``: incremental.ReadCache of the previous loads (mkdocs serve): the objects of the
    files unchanged since are taken from there; the checks across files all run again.
    ``meanwhile``: work this process does while a forked child reads (see _read_files)."""
    root = Path(root)
    problems = Problems()
    ctx = Ctx(problems)
    d = Dossier()
    content = root / content_dir
    if not content.is_dir():
        problems.error(Pos(content_dir), f"content folder '{content_dir}' does not exist", "create it, or set content_dir in mkdocs.yml")
        return d, problems

    ids: dict[str, dict[str, Pos]] = {k: {} for k in ID_KINDS}

    def register(kind: str, ident: str, pos: Pos) -> bool:
        table = ids[kind]
        if ident in table:
            problems.error(pos, f"duplicate {kind} id '{ident}' (first defined at {table[ident]})",
                           "ids must be unique: rename one of them")
            return False
        table[ident] = pos
        return True

    broken: dict[str, str] = {}  # kind -> a file too broken to know which ids it defines
    claimed: set[str] = set()
    tasks = []
    for kind, info in KINDS.items():
        # never through a linked folder (reported below as a link)
        files = sorted(p for p in content.glob(info["glob"]) if p.parent == content or not p.parent.is_symlink())
        claimed.update(map(str, files))
        if info["shape"] == "single" and not files:
            problems.error(Pos(f"{content_dir}/{info['glob']}"), f"{info['glob']} is missing",
                           "create it with at least 'title:' and 'lead:'")
        tasks += [(kind, path, f"{content_dir}/{path.relative_to(content).as_posix()}", content_dir) for path in files]
    loose: list[Citation] = []
    results, article_problems = _read_files(tasks, parallel, min_bytes, cache, (root, seeds_dir), meanwhile)
    for (kind, _path, rel, _), res in zip(tasks, results):
        problems.extend(res.problems)
        loose += res.loose
        ctx.refs.extend(res.refs)
        for k in res.broken:
            broken.setdefault(k, rel)
        for action in res.actions:
            if action[0] == "salvage":
                ids[action[1]].setdefault(action[2], Pos(""))
                continue
            _, k, obj, ident, pos = action
            if k == "dossier":
                d.meta = obj
            elif register(k, ident, pos):
                _store(d, k, obj)

    start = len(str(content)) + len(os.sep)
    for path, what in walk_tree(content):
        full = str(path)  # (string operations: this runs for every content file on every save)
        parts = full[start:].split(os.sep)
        rel = f"{content_dir}/{'/'.join(parts)}"
        if what == "link":
            problems.error(Pos(rel), "symbolic link in the content folder: it is neither read nor published",
                           "replace the link by the file itself, or remove it")
            continue
        if what not in ("file", "folder"):
            problems.error(Pos(rel), f"{what} in the content folder: it is neither read nor published", "remove it")
            continue
        if (what == "folder" or full in claimed or path.name in IGNORED_IN_CONTENT
                or any(part.startswith(".") for part in parts)  # editors' and tools' hidden files
                or (parts[0] == "schemas" and path.suffix == ".json")):
            continue
        if path.suffix == ".yml":
            problems.error(Pos(rel), "content files end in .yaml, not .yml", f"rename it to {path.stem}.yaml")
        elif path.suffix == ".yaml":
            folders = sorted({i['glob'].split('/')[0] for i in KINDS.values() if '/' in i['glob']})
            hint = did_you_mean(path.parent.name, folders) or f"content folders are: {', '.join(folders)}"
            problems.error(Pos(rel), "this file is in no content folder and would be ignored", hint)
        else:
            problems.error(Pos(rel), "stray file in the content folder: the dossier does not use it, and it is not "
                           "published", f"move it out of {content_dir}/ (only the YAML files described in "
                           f"{content_dir}/README.md belong here; pages come from the generator)")

    # claims and figures live inside topics and series
    for topic in d.topics.values():
        for section in topic.sections:
            for claim in section.claims:
                claim.topic, claim.section = topic.id, section.title
                if register("claim", claim.id, claim.at("id")):
                    d.claims[claim.id] = claim
    for series in d.series.values():
        for fig in series.figures:
            fig.series = series.id
            if register("figure", fig.id, fig.at("id")):
                d.figures[fig.id] = fig

    unchecked: dict[str, int] = {}
    for kind, ident, pos in ctx.refs:
        if ident not in ids[kind] and kind in broken:
            unchecked[kind] = unchecked.get(kind, 0) + 1
            continue
        if ident not in ids[kind]:
            hint = did_you_mean(ident, ids[kind]) or (
                f"create it in {content_dir}/{_home_of(kind)}" if kind in ("source", "topic", "actor") else f"no {kind} has this id"
            )
            problems.error(pos, f"unknown {kind} '{ident}'", hint)

    for kind, count in sorted(unchecked.items()):
        problems.warning(Pos(broken[kind]), f"{count} reference{'s' if count > 1 else ''} to {kind} ids not checked: "
                         "this file could not be read and may define them", "fix the error in this file first")

    if article_problems is not None and _articles_loaded(tasks, results, d):
        problems.extend(article_problems)
    else:
        _load_articles(root, seeds_dir, d, problems, cache)
    budget = MatchBudget()
    _resolve_citations(d, problems, budget)
    for cit in loose:
        src = d.sources.get(cit.source)
        if src is not None and src.article is not None:
            _resolve_one(cit, src.article, problems, f"quote for source '{src.id}'", budget)
    _check_relations(d, problems)
    check_ids(d, ids, problems)
    check_citation_budget(d, problems)
    return d, problems


def _articles_loaded(tasks: list, results: list[_FileResult], d: Dossier) -> bool:
    """Whether the articles the reading child loaded (_articles_of: for every source object
    read, in file order) are those of exactly the sources the dossier kept (always, as a
    source's id is its file name; checked all the same, else they are loaded again here)."""
    read = [action[2] for action in _source_objects([t[0] for t in tasks], results)]
    kept = list(d.sources.values())
    return len(read) == len(kept) and all(map(operator.is_, read, kept))


def _source_objects(kinds: list[str], results: list[_FileResult]):
    """The ("object", ...) actions of the source files among ``results``, in file order."""
    for kind, res in zip(kinds, results):
        if kind == "source":
            yield from (action for action in res.actions if action[0] == "object")


def _home_of(kind: str) -> str:
    return {"source": "sources/", "topic": "topics/", "actor": "actors/"}.get(kind, "")


def _store(d: Dossier, kind: str, obj) -> None:
    table = {"source": d.sources, "topic": d.topics, "series": d.series, "event": d.events,
             "actor": d.actors, "contradiction": d.contradictions, "term": d.terms}[kind]
    table[obj.id] = obj


def _load_articles(root: Path, seeds_dir: str, d: Dossier, problems: Problems, cache=None) -> None:
    for src in d.sources.values():  # objects of a cache keep what the last load gave them
        src.article = None
    read = load_article if cache is None else cache.article_reader(load_article)
    seeds = root / seeds_dir
    files = _files_in(seeds)
    available = sorted(name for name in files if name.endswith(".txt"))
    used: dict[str, str] = {}
    for src in d.sources.values():
        name = src.file
        pos = src.at("file")
        if "/" in name or "\\" in name or name.startswith(".") or name in ("", ".."):
            problems.error(pos, f"'{name}' is not a plain file name in {seeds_dir}/",
                           "write only the file name, e.g. 000_article.txt (no folders, no '..')")
            continue
        if name not in files and not (seeds / name).is_file():  # (a file system that ignores case)
            problems.error(pos, f"article file {seeds_dir}/{name} does not exist",
                           did_you_mean(name, available) or f"copy the article into {seeds_dir}/ first")
            continue
        if name in used:
            problems.error(pos, f"{seeds_dir}/{name} is already described by source '{used[name]}'",
                           "one source file per article")
            continue
        used[name] = src.id
        memo = src.__dict__  # (the read cache gives back the same source object while its file is unchanged)
        furniture = memo.get("_furniture")
        if furniture is None:
            furniture = memo["_furniture"] = {normalize(f.line): f.kind for f in src.furniture}
        src.article = read(root, seeds_dir, name, furniture, problems, src.paragraphs)
        if src.article is None:
            continue
        if src.paragraphs == "blank-lines":
            _warn_line_paragraphs(src, seeds_dir, furniture, problems)
        if memo.get("_furniture_found") is src.article:
            continue  # this source's furniture lines all stand in this very article
        lines = _normalized_lines(src.article)
        found = True
        for f in src.furniture:
            if normalize(f.line) not in lines:
                best = _closest_line(normalize(f.line), [x for x in lines if x])
                hint = f"the closest line is „{best}“" if best else "copy the whole line exactly"
                problems.error(f.at("line"), "furniture line not found as a whole line in the article", hint)
                found = False
        if found:
            memo["_furniture_found"] = src.article
    for name in available:
        if name not in used:
            problems.warning(Pos(f"{seeds_dir}/{name}"), "article has no source file in content/sources/ and is not published",
                             f"run 'dossier new-source {seeds_dir}/{name}' to start one")


def _files_in(folder: Path) -> set[str]:
    """The names of the files in a folder (links to files too, as Path.is_file); one listing
    instead of a stat per article."""
    try:
        with os.scandir(folder) as entries:
            return {e.name for e in entries if _is_file(e)}
    except OSError:
        return set()


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _normalized_lines(article: Article) -> set[str]:
    """The article's lines, normalised; kept on the article (the read cache of 'mkdocs serve'
    gives back the same article object while its file is unchanged)."""
    lines = article.__dict__.get("_normalized_lines")
    if lines is None:
        lines = article.__dict__["_normalized_lines"] = {normalize(line) for line in article.raw.split("\n")}
    return lines


def _warn_line_paragraphs(src, seeds_dir: str, furniture: dict[str, str], problems: Problems) -> None:
    """One paragraph made of several lines that each end a sentence: probably an article with
    one paragraph per line, which blank-line splitting would show (and count) as one."""
    memo = src.article.__dict__  # (the read cache's article objects were made with this furniture)
    key = ("_line_paragraphs", tuple(sorted(furniture.items())))
    suspect = memo[key] if key in memo else memo.setdefault(key, line_paragraphs_suspected(src.article.raw, furniture))
    if suspect is None:
        return
    line, count = suspect
    problems.warning(Pos(f"{seeds_dir}/{src.file}", line, 1),
                     f"{count} lines in a row each end a sentence but form one paragraph (no blank line between them)",
                     f"if each line is a paragraph, add 'paragraphs: lines' to the source file of '{src.id}'; "
                     "if not, separate the paragraphs with blank lines")


def _closest_line(q: str, lines: list[str]) -> str | None:
    """The most similar line, among those short enough to compare cheaply (MAX_MATCH_CHARS / 10)."""
    from rapidfuzz import process

    fits = [x for x in lines if len(x) <= MAX_MATCH_CHARS // 10]
    best = process.extractOne(q, fits) if fits else None
    return best[0] if best else None


def _search_blocks(article: Article, q: str) -> tuple[list, list[str]]:
    """The blocks the closest-passage search compares a quote with: the whole body while it
    has at most MAX_MATCH_CHARS characters; of a longer one, windows around the first places
    where pieces of the quote (its start, middle, end, longest words) stand exactly, at most
    MAX_MATCH_CHARS characters in all. Also notes on what was left out."""
    from .article import Block

    body = article.body
    total = sum(len(b.text) for b in body)
    if total <= MAX_MATCH_CHARS:
        return body, []
    n = max(len(q), 1)
    half = max(4 * n, 10_000)  # rapidfuzz is slowest on texts under twice the quote's length
    pieces = [p for p in dict.fromkeys([q[:24], q[n // 2 - 12:n // 2 + 12], q[-24:]]) if p.strip()]
    if not any(p in b.text for p in pieces for b in body):  # then the longest words
        pieces = sorted({w for w in q.split() if len(w) >= 5}, key=len, reverse=True)[:3]
    out, used = [], 0
    for b in body:
        spans: list[list[int]] = []
        for start in sorted({i for piece in pieces for i in find_all(b.text, piece, 2)}):
            lo, hi = max(start - half, 0), min(start + half, len(b.text))
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = hi
            else:
                spans.append([lo, hi])
        for lo, hi in spans:
            if used + (hi - lo) > MAX_MATCH_CHARS:
                break
            out.append(Block(b.kind, b.text[lo:hi], b.line, b.anchor, b.number))
            used += hi - lo
    notes = [] if out else [f"no closest passage: the article's body has {total:,} characters, more than are compared "
                            f"in full ({MAX_MATCH_CHARS:,}), and no piece of the quote stands in it exactly"]
    return out, notes


def _quote_problem(problems: Problems, cit_pos: Pos, article: Article, quote: str, what: str,
                   budget: MatchBudget | None = None) -> None:
    q = normalize(quote)
    in_furniture = [b for b in article.furniture if q and q in b.text]
    if in_furniture:
        b = in_furniture[0]
        problems.error(cit_pos, f"{what} stands in page furniture ({b.kind}, line {b.line}), not in the article body",
                       "cite the article body; furniture (captions, navigation, credits) is not citable")
        return
    blocks, detail = _search_blocks(article, q)
    work = sum(len(b.text) for b in blocks)
    if budget is None or budget.take(work):
        block, passage, score = closest_passage(article, quote, blocks)
    else:
        block, passage, score = None, "", 0.0
        detail = ["closest passage not searched: this run has spent its budget for that (many wrong quotes "
                  "against long articles)"]
    if block is not None and passage:
        where = f"¶{block.number}" if block.number else block.kind
        detail.append(f"closest passage ({where}, line {block.line}, {score:.0f}% similar): „{passage}“")
    problems.error(cit_pos, f"{what} not found in {article.path}", "copy the passage exactly from the article; "
                   "only whitespace is folded, quotation marks and hyphens must match", detail)


def _resolve_citations(d: Dossier, problems: Problems, budget: MatchBudget | None = None) -> None:
    sources = d.sources
    blocks_of: dict[str, set[int]] = {}  # source id -> ids of its article's blocks
    d.loaded_citations = d.all_citations()
    for _owner, cit in d.loaded_citations:
        if cit.block is not None:  # an object of the read cache (mkdocs serve), found before:
            ids = blocks_of.get(cit.source)  # in this very article, the same place again
            if ids is None:
                src = sources.get(cit.source)
                ids = blocks_of[cit.source] = _block_ids(src.article) if src is not None and src.article else set()
            if id(cit.block) in ids:
                continue
        src = sources.get(cit.source)
        if src is None or src.article is None:
            continue
        _resolve_one(cit, src.article, problems, f"quote for source '{src.id}'", budget)
    for src in sources.values():
        art = src.article
        if art is None:
            continue
        for ev in src.evidence:
            if ev.quote and not _in_article(art, ev.quote):
                q = normalize(ev.quote)
                lines = [normalize(x) for x in art.raw.split("\n") if x.strip()]
                best = _closest_line(q, lines)
                problems.error(ev.at("quote"), f"evidence quote not found in {art.path}",
                               "copy it exactly from the article file",
                               [f"closest line: „{best}“"] if best else [])
        for note in src.notes:
            q = normalize(note.quote)
            hits = [(b, i) for b in art.blocks for i in find_all(b.text, q, 2)][:2] if q else []
            if len(hits) == 1:
                note.block, note.start, note.end, note.source = hits[0][0], hits[0][1], hits[0][1] + len(q), src.id
            elif not hits:
                _quote_problem(problems, note.at("quote"), art, note.quote, "note passage", budget)
            else:
                problems.error(note.at("quote"), f"note passage occurs more than once in {art.path}",
                               "quote more words so that it is unique")


def _block_ids(article: Article) -> set[int]:
    """The ids of the article's blocks; kept on the article (see _normalized_lines)."""
    ids = article.__dict__.get("_block_ids")
    if ids is None:
        ids = article.__dict__["_block_ids"] = {id(b) for b in article.blocks}
    return ids


def _in_article(article: Article, quote: str) -> bool:
    """Whether a quote stands in the article's text (whitespace folded); the answers are kept
    on the article (see _normalized_lines)."""
    found = article.__dict__.setdefault("_quotes_in", {})
    hit = found.get(quote)
    if hit is None:
        hit = found[quote] = normalize(quote) in article.raw_norm
    return hit


def _resolve_one(cit: Citation, article: Article, problems: Problems, what: str,
                 budget: MatchBudget | None = None) -> None:
    matches = locate(article, cit.quote, MAX_PLACES_LISTED + 1)
    if len(matches) == 1:
        m = matches[0]
        cit.block, cit.start, cit.end = m.block, m.start, m.end
        return
    if not matches:
        _quote_problem(problems, cit.at("quote"), article, cit.quote, what, budget)
        return
    where = ", ".join(f"¶{m.block.number}" if m.block.number else m.block.anchor for m in matches[:MAX_PLACES_LISTED])
    count = f"more than {MAX_PLACES_LISTED}" if len(matches) > MAX_PLACES_LISTED else str(len(matches))
    problems.error(cit.at("quote"), f"{what} occurs {count} times ({where}{', …' if len(matches) > MAX_PLACES_LISTED else ''})",
                   "quote more words so that the passage is unique")


def _check_relations(d: Dossier, problems: Problems) -> None:
    for s in d.sources.values():
        explained = {e.about for e in s.evidence}
        for field_name in s.inferred:
            if getattr(s, field_name) is None:
                problems.error(s.at("inferred"), f"'{field_name}' is listed as inferred but is unknown (null)",
                               f"remove '{field_name}' from inferred, or fill in the inferred value")
            elif field_name not in explained:
                problems.error(s.at("inferred"), f"inferred '{field_name}' has no evidence saying how it was inferred",
                               f"add an evidence entry with 'about: {field_name}', quoting what in the text supports it")
    for a in d.actors.values():
        if a.part_of == a.id:
            problems.error(a.at("part_of"), f"actor '{a.id}' cannot be part of itself", "remove part_of or name another actor")
