"""The pure core: (content/, seeds/) -> pages (page.Page: title, meta, table of contents, body
HTML) and assets. Knows nothing about MkDocs."""

from __future__ import annotations

import gc
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .errors import Pos, Problem, Problems
from .export import export_json
from .exportschema import SCHEMA_PATH, schema_json
from . import history, i18n
from .index import Index
from .load import load
from .model import Dossier
from .page import Page
from .render import EXPORT_PATH, Options, compile_templates, csv_tasks, nav, render_with
from .safety import check_page_sizes
from .speed import Thresholds
from .rules import apply as apply_rules


@dataclass
class Result:
    dossier: Dossier
    problems: list[Problem]
    pages: dict[str, Page] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


@contextmanager
def _gc_paused():
    """Pause CPython's cyclic garbage collector while the core runs.

    Loading allocates hundreds of thousands of long-lived objects (located YAML, model,
    paragraphs); every generation-2 collection rescans all of them, which made loading 1,000
    articles 2.5x slower (5.3 s instead of 2.0 s CPU) and grows faster than the content.
    The core creates few reference cycles (Jinja's render contexts), so little piles up.

    Before the collector is switched back on (if it was on), what the core made moves to the
    oldest generation (gc.freeze + gc.unfreeze, both O(1)): else the first allocation after
    the core would scan every one of those objects, all still in the youngest generation
    (0.2 s at 1,000 articles). Garbage among them is collected by the next full collection.
    (Objects a caller had frozen itself end up in the oldest generation as well.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def check(root: Path, content_dir: str = "content", seeds_dir: str = "seeds") -> Result:
    """Load and validate only."""
    with _gc_paused():
        return _check(root, content_dir, seeds_dir)


def _check(root: Path, content_dir: str, seeds_dir: str, min_bytes: int = Thresholds.parallel_min_bytes,
           cache=None, meanwhile=None) -> Result:
    d, problems = load(Path(root), content_dir, seeds_dir, min_bytes=min_bytes, cache=cache, meanwhile=meanwhile)
    if not problems.errors:  # rules read resolved quotes: an unresolved one would count as uncited
        apply_rules(d, problems)
    return Result(d, problems.all())


def build(root: Path, content_dir: str = "content", seeds_dir: str = "seeds",
          options: Options | None = None, checked: Result | None = None, cache=None,
          render_cache=None, sink=None) -> Result:
    """Load, validate, index and render. Renders nothing when there are errors.

    ``checked``: what check() returned for the same input a moment ago ('dossier build' checks
    before it starts MkDocs); it is rendered instead of loading everything a second time.
    ``cache``: incremental.ReadCache (mkdocs serve), files unchanged since the last build are
    not read again; ``render_cache``: deps.RenderCache (mkdocs serve), only the pages whose
    inputs changed since the last render are rendered. ``sink``: the pages go there as they
    are rendered (detached.py), not into the result; the caller checks their sizes."""
    # one pause for all of it: the collector switched on in between would at once scan every
    # object loading made (they are all still in its youngest generation)
    options = options or Options()
    with _gc_paused():
        # while a forked child reads content, this process compiles the page templates (load)
        result = checked if checked is not None else _check(root, content_dir, seeds_dir,
                                                            options.thresholds.parallel_min_bytes, cache,
                                                            lambda: compile_templates(options))
        if not result.ok or result.dossier.meta is None:
            return result
        d = result.dossier
        ix = Index.build(d)
        # the export is independent of the pages: it runs alongside them (see render_with)
        options = options or Options()
        kept = render_cache.export_items if render_cache is not None else None
        tasks = {EXPORT_PATH: lambda: export_json(d, ix, kept), **csv_tasks(d, ix, options)}
        try:
            result.pages, extra = render_with(d, ix, options, tasks, cache=render_cache, sink=sink)
        except jinja2.TemplateError as exc:  # a page template (a theme override, say) is broken
            result.problems.append(template_problem(exc, Path(root)))
            return result
        result.assets = {**extra, SCHEMA_PATH: schema_json()}
        result.nav = nav(d)
        check_sizes(result)
        if options is not None and options.history is not None and options.history.history is not None:
            result.nav.append({i18n.active().t("nav.changes"): history.CHANGES_PAGE})  # in the build's language
    return result


def check_sizes(result: Result) -> None:
    """A budget on output, whatever multiplied it: a page too large is an error, and no page
    is kept."""
    too_big = Problems()
    check_page_sizes(result.pages, too_big)
    if too_big:
        result.problems = result.problems + too_big.all()
        result.pages = {}


def template_problem(exc: jinja2.TemplateError, root: Path) -> Problem:
    """A broken page template as a problem at its line: a syntax error knows where it is; for
    an error while rendering, the innermost template line of the traceback (Jinja puts the
    templates' lines there)."""
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                name, line = frame.filename, frame.lineno
                break
    path = Path(name or getattr(exc, "name", None) or "template")
    try:
        path = path.resolve().relative_to(root.resolve())
    except ValueError:
        pass
    return Problem(Pos(path.as_posix(), line or 0), f"template error: {exc.message or type(exc).__name__}",
                   "fix the page template (site_theme/dossier/ overrides the built-in ones); "
                   "nothing was rendered")
