"""HACK (checked against Material 9.8.1, MkDocs 1.6.1, Jinja 3.1): three blocks of Material's
``base.html`` rendered once per what they depend on instead of once per page.

Most pages of a dossier (one per source, one per actor) are not in the navigation, so
Material's navigation sidebar, its header and its ``__config`` script come out the same on
all of them but for a few relative links and the page title - yet rendering them (the
``nav.html``/``nav-item.html`` macros, the header's partials and icons, the translations,
``tojson``) was ~40% of the main process's template work in a full build. The theme layer's
``main.html`` wraps each block in ``{% call dossier_memo.<block>(...) %}...{% endcall %}``;
``Memo`` renders the block as usual and keeps the HTML under a key that holds every value of
the page the block's templates read (as far as Material 9.8.1's templates go):

* ``site_nav`` (``partials/nav.html``, ``nav-item.html``, ``toc.html``, ``toc-item.html``):
  only for a page that is not in the navigation and while no navigation item is active; the
  key is what the relative form (the ``url`` filter) of every link the navigation can print
  depends on (the page's number of folders and the longest leading run of them that is also
  one of a link: ``_seen_from``), the page's ``hide`` meta data and the part of its table of
  contents toc.html shows (every attribute of every entry; a first entry of level 1 stands
  for the title and only its children are shown). The block holds both sidebars, so pages
  whose tables of contents differ render it each (the generator's source and actor pages
  share a few);
* ``header`` (``partials/header.html`` and what it includes): what the relative links to the
  home page and the logo depend on; the page title is put in where it was printed;
* ``config``: the page's ``base_url`` and the relative form of ``assets/`` (pages under
  ``assets/`` are left alone).

Everything else the blocks read (``config``, the features, the translations, the navigation's
titles and links) is fixed during one build, and a ``Memo`` lives for one build only (the
plugin makes a new one in ``on_env``; 'mkdocs serve' makes a new environment per rebuild), so
nothing is carried over from one rebuild to the next.

When in doubt, the block is rendered as usual:
* another Material version than ``CHECKED``, another MkDocs than 1.6, or MkDocs' ``url``
  filter replaced: no memo;
* a block whose templates (``TEMPLATES``) are not Material's own files - say the dossier's
  ``site_theme/`` overrides ``partials/header.html`` or ``base.html`` - is not kept (a
  ``site_theme/main.html`` replaces the generator's ``main.html`` and with it every memo);
* no page (404.html), navigation items of other types than MkDocs' own, values that cannot
  be compared (unhashable meta data): the block is rendered as usual;
* the first time a kept block would be reused, it is rendered anyway and compared: if the
  prediction differs (an assumption above no longer holds), that key is never reused.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import mkdocs
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import url_filter

try:  # HACK (MkDocs 1.6.1): how normalize_url/get_relative_url split paths; without them no memo
    from mkdocs.utils import _get_norm_url, _norm_parts
except ImportError:  # pragma: no cover - another MkDocs
    _get_norm_url = _norm_parts = None

log = logging.getLogger("mkdocs.plugins.newsdossier.blockmemo")

#: the Material versions whose templates the keys below were derived from
CHECKED = ("9.8.1",)

#: per block: every template whose output it keeps (each must be Material's own file;
#: icons may come from anywhere: which icon is printed depends on the configuration only)
TEMPLATES = {
    "site_nav": ("base.html", "partials/language.html", "partials/nav.html", "partials/nav-item.html",
                 "partials/toc.html", "partials/toc-item.html", "partials/logo.html", "partials/source.html"),
    "header": ("base.html", "partials/language.html", "partials/header.html", "partials/logo.html",
               "partials/palette.html", "partials/javascripts/palette.html", "partials/alternate.html",
               "partials/search.html", "partials/source.html"),
    "config": ("base.html", "partials/language.html"),
}

#: where header.html prints the page title (after it the title and optional white space)
HEADER_TOPIC = re.compile(r'data-md-component="header-topic">\s*<span class="md-ellipsis">\s*')


class _Entry:
    """A kept block: ``prefix + text + suffix`` (text: the page title or nothing)."""

    __slots__ = ("prefix", "suffix", "checked")

    def __init__(self, prefix: str, suffix: str) -> None:
        self.prefix, self.suffix, self.checked = prefix, suffix, False


#: a key whose block is never reused (its prediction was wrong)
_NEVER = _Entry("", "")


class Memo:
    """``dossier_memo`` in the theme's templates (one per build)."""

    def __init__(self, enabled=frozenset(), config=None) -> None:
        self.enabled = frozenset(enabled)
        self.config = config
        self.entries: dict[tuple, _Entry] = {}
        self._nav: tuple | None = None  # (nav, its facts or None)
        self._header: tuple | None = None  # (nav, _header_links)
        #: how many blocks were reused and rendered (tests, benchmarks)
        self.hits = 0
        self.renders = 0

    # -- the blocks (called from main.html) ---------------------------------------------

    def site_nav(self, page, nav, caller):
        return self._render(self._nav_key(page, nav) if "site_nav" in self.enabled else None, caller)

    def header(self, page, nav, caller):
        key = self._header_key(page, nav) if "header" in self.enabled else None
        return self._render(key, caller, _title(page) if key else "", _split_title)

    def config_script(self, page, base_url, caller):
        key = None
        if "config" in self.enabled and _plain_page(page) and not page.url.lstrip("/").startswith("assets"):
            # every link of the block is a file under assets/; seen from a page outside
            # assets/ it is ('../' * depth + the path), and normalize_url("assets/") gives the depth
            key = ("config", str(base_url), normalize_url("assets/", page))
        return self._render(key, caller)

    # -- keeping and reusing -------------------------------------------------------------

    def _render(self, key, caller, text: str = "", split=None) -> str:
        if key is None:
            return caller()
        entry = self.entries.get(key)
        if entry is not None and entry.checked:
            self.hits += 1
            return entry.prefix + text + entry.suffix
        out = caller()
        self.renders += 1
        if entry is None:
            parts = split(out, text) if split else (out, "")
            if parts is not None:  # (else the next page of this key tries)
                self.entries[key] = _Entry(*parts)
        elif entry is not _NEVER:  # the first reuse: rendered anyway and compared
            if entry.prefix + text + entry.suffix == out:
                entry.checked = True
            else:
                log.debug("blockmemo: %s renders differently than kept under %r; not reused", key[0], key)
                self.entries[key] = _NEVER
        return out

    # -- keys ----------------------------------------------------------------------------

    def _nav_facts(self, nav):
        if self._nav is None or self._nav[0] is not nav:
            self._nav = (nav, _nav_facts(nav, self.config))
        return self._nav[1]

    def _nav_key(self, page, nav):
        if not _plain_page(page):
            return None
        facts = self._nav_facts(nav)
        if facts is None:
            return None
        items, pages, prefixes = facts
        # the navigation of a page in it shows that page (active, its table of contents)
        if any(p == page for p in pages) or any(item.active for item in items):
            return None
        try:
            key = ("site_nav", _seen_from(page, prefixes), _frozen(page.meta.get("hide")), _shown_toc(page.toc))
            hash(key)
        except (TypeError, AttributeError):
            return None
        return key

    def _header_key(self, page, nav):
        if not _plain_page(page):
            return None
        if self._header is None or self._header[0] is not nav:
            self._header = (nav, _header_links(nav, self.config))
        prefixes = self._header[1]
        return None if prefixes is None else ("header", _seen_from(page, prefixes))


def install(env, config) -> Memo:
    """A new ``Memo`` as the global ``dossier_memo`` of one build's Jinja environment."""
    memo = Memo(_enabled(env, config), config)
    env.globals["dossier_memo"] = memo
    return memo


def _enabled(env, config) -> frozenset[str]:
    try:
        import material
    except ImportError:  # pragma: no cover - the plugin needs Material
        return frozenset()
    if getattr(material, "__version__", None) not in CHECKED:
        log.debug("blockmemo: Material %s not checked; Material's blocks rendered on every page",
                  getattr(material, "__version__", "?"))
        return frozenset()
    if env.filters.get("url") is not url_filter or _norm_parts is None or not mkdocs.__version__.startswith("1.6."):
        return frozenset()
    own = Path(material.__file__).parent / "templates"
    resolved: dict[str, bool] = {}
    enabled = set()
    for block, names in TEMPLATES.items():
        for name in names:
            if name not in resolved:
                resolved[name] = _is_materials(env, name, own)
        if all(resolved[n] for n in names):
            enabled.add(block)
        else:
            log.debug("blockmemo: %s not kept (%s overridden)", block,
                      ", ".join(n for n in names if not resolved[n]))
    return frozenset(enabled)


def _is_materials(env, name: str, own: Path) -> bool:
    """Whether the template ``name`` is Material's own file."""
    try:
        _source, filename, _uptodate = env.loader.get_source(env, name)
    except Exception:  # not found, another kind of loader: in doubt
        return False
    try:
        return filename is not None and Path(filename).resolve() == (own / name).resolve()
    except OSError:
        return False


def _plain_page(page) -> bool:
    return isinstance(page, Page) and isinstance(page.meta, dict) and isinstance(page.url, str)


def _nav_facts(nav, config):
    """(every item, the pages, every link nav.html may print) of a navigation of MkDocs' own
    items (None: another kind of item; Material's blog, say, puts pages under a section)."""
    items = []
    todo = list(getattr(nav, "items", None) or [])
    while todo:
        item = todo.pop()
        if type(item) not in (Section, Page, Link) or hasattr(item, "pages"):
            return None
        items.append(item)
        if type(item) is Section:
            todo.extend(item.children or [])
    pages = [i for i in items if type(i) is Page]
    return items, pages, _prefixes([str(i.url) for i in items if type(i) is not Section] + _home_links(nav, config))


def _prefixes(targets) -> frozenset[tuple]:
    """Every leading run of folders of these links (as get_relative_url splits them; links
    with a scheme or a leading '/' are printed as they are)."""
    out = set()
    for target in targets:
        path, level = _get_norm_url(target)
        if level != -1:
            parts = _norm_parts(path)
            out.update(tuple(parts[:n]) for n in range(1, len(parts) + 1))
    return frozenset(out)


def _seen_from(page, prefixes: frozenset[tuple]) -> tuple:
    """What the relative form of links with these ``_prefixes`` depends on in a page.

    get_relative_url (MkDocs 1.6.1) gives '../' * (len(folders) - common) + the link's parts
    after the ``common`` leading parts it shares with the page's folders. The longest leading
    run of the page's folders that is also one of a link shares exactly as many parts with
    every link as the page's folders do; with their number it fixes every relative link."""
    url = page.url
    dirname, _, basename = url.rpartition("/")
    folders = _norm_parts(dirname if "." in basename else url)
    shared = 0
    while shared < len(folders) and tuple(folders[:shared + 1]) in prefixes:
        shared += 1
    return len(folders), tuple(folders[:shared])


def _shown_toc(toc) -> tuple:
    """The part of a page's table of contents toc.html shows: a first entry of level 1 stands
    for the page title and only its children are shown (Material 9.8.1)."""
    first = next(iter(toc), None)
    if first is not None and first.level == 1:
        return ("children", _toc_key(first.children))
    return ("all", _toc_key(toc))


def _header_links(nav, config) -> frozenset[tuple] | None:
    """The ``_prefixes`` of header.html's links (None: it shows more of the page than its
    title)."""
    features = config.theme.get("features") or []
    if "navigation.tabs.sticky" in features or config.extra.get("alternate"):
        return None  # tabs.html shows the active page; alternate.html: links per language
    return _prefixes(_home_links(nav, config))


def _home_links(nav, config) -> list[str]:
    """The links base.html's partials print to the home page (config.extra.homepage or
    nav.homepage.url, and the site root) and to the logo."""
    home = getattr(getattr(nav, "homepage", None), "url", None)
    return [str(t) for t in (config.extra.get("homepage"), home, "", config.theme.get("logo")) if t is not None]


def _toc_key(toc) -> tuple:
    """Every attribute of every entry of a table of contents (TypeError: cannot be compared)."""
    return tuple((type(item), tuple((k, _frozen(v)) for k, v in sorted(vars(item).items()) if k != "children"),
                  _toc_key(item.children)) for item in toc)


def _frozen(value):
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    hash(value)
    return value


def _title(page) -> str:
    """What header.html prints as the page's title (Material 9.8.1)."""
    meta = page.meta
    return str(meta["title"] if meta and meta.get("title") else page.title)


def _split_title(out: str, title: str):
    """The header around the one place it printed the title (None: not found)."""
    found = list(HEADER_TOPIC.finditer(out))
    if len(found) != 1 or not out.startswith(title, found[0].end()):
        return None
    at = found[0].end()
    return out[:at], out[at + len(title):]
