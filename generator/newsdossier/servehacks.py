"""HACK - the one place where 'mkdocs serve' rebuilds reach into MkDocs' internals (1.6).

Every rebuild, MkDocs makes a new Jinja environment for the theme (``Theme.get_env``) and
``Files.add_files_from_theme`` lists every file of every theme folder through it
(``env.list_templates``), fnmatch-filtering each name against a dozen patterns: Material's
templates folder holds ~14,500 files (its icons), so that is ~0.1 s CPU of every rebuild at
any dossier size, for a list that does not change while the server runs. Material's search
plugin also makes two environments of its own per build (``_translate``) and compiles its
language templates in them again.

Why not a public event: no plugin event runs between ``get_env`` and ``add_files_from_theme``.
So ``install`` replaces ``get_env`` on the one ``Theme`` object of one build's configuration
(MkDocs loads the configuration anew for every rebuild, so nothing outlives the build, and
MkDocs' classes are not touched); the plugin calls it only under 'mkdocs serve'. The
environments it makes:

* keep compiled template code across rebuilds (incremental.TemplateCodeCache: Jinja checks
  each template's source against the kept code's checksum);
* answer ``list_templates`` from ``ThemeListing``, which walks the theme folders again only
  when one of their directories changed (its mtime: adding, removing or renaming an entry
  changes it), and keeps the filtered list of ``add_files_from_theme``'s filter, which
  depends only on the name and the theme's static templates (MkDocs 1.6).

Anything unexpected - another MkDocs version, another loader - leaves MkDocs as it is.
"""

from __future__ import annotations

import os
import time

import jinja2
import mkdocs

#: add_files_from_theme's filter (MkDocs 1.6): a function of the name and of
#: config.theme.static_templates (and of utils.markdown_extensions, a constant)
THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"
#: a directory changed this recently is walked again next time (mtime granularity)
SETTLE_SECONDS = 2.0


class ThemeListing:
    """FileSystemLoader.list_templates of theme folders, kept while no directory changes."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.stamps: dict[str, int] = {}  # every directory walked -> its mtime (ns)
        self.names: list[str] = []
        self.filtered: dict[tuple, list[str]] = {}
        #: how many times the folders were walked (tests)
        self.walks = 0

    def _fresh(self, key: tuple) -> bool:
        if key != self.key or not self.stamps:
            return False
        try:
            return all(os.stat(d).st_mtime_ns == m for d, m in self.stamps.items())
        except OSError:
            return False

    def list(self, searchpath: list[str], followlinks: bool) -> list[str]:
        key = (tuple(searchpath), followlinks)
        if self._fresh(key):
            return list(self.names)
        found: set[str] = set()
        stamps: dict[str, int] = {}
        settled = time.time_ns() - int(SETTLE_SECONDS * 1e9)
        for root in searchpath:  # as jinja2.FileSystemLoader.list_templates (3.x)
            for dirpath, _dirs, filenames in os.walk(root, followlinks=followlinks):
                try:
                    stamps[dirpath] = os.stat(dirpath).st_mtime_ns
                except OSError:
                    stamps[dirpath] = -1
                for filename in filenames:
                    template = os.path.join(dirpath, filename)[len(root):].strip(os.path.sep).replace(os.path.sep, "/")
                    if template[:2] == "./":
                        template = template[2:]
                    found.add(template)
        self.walks += 1
        self.names = sorted(found)
        self.filtered = {}
        unsettled = any(m > settled for m in stamps.values())
        self.key, self.stamps = (None, {}) if unsettled else (key, stamps)
        return list(self.names)

    def list_templates(self, env, theme, extensions=None, filter_func=None) -> list[str]:
        """jinja2.Environment.list_templates for ``env`` (a FileSystemLoader's); kept only for
        add_files_from_theme's call."""
        if extensions is not None or getattr(filter_func, "__qualname__", "") != THEME_FILTER:
            return jinja2.Environment.list_templates(env, extensions, filter_func)
        names = self.list(list(env.loader.searchpath), env.loader.followlinks)
        key = (filter_func.__code__, tuple(sorted(theme.static_templates)))
        if key not in self.filtered or self.key is None:
            self.filtered[key] = [n for n in names if filter_func(n)]
        return list(self.filtered[key])


def install(theme, listing: ThemeListing, code_cache) -> bool:
    """The theme's environments of this build use ``listing`` and ``code_cache`` (see the
    module's docstring). False (nothing changed) when MkDocs is not 1.6."""
    if not mkdocs.__version__.startswith("1.6.") or "get_env" in vars(theme):
        return False
    original = theme.get_env

    def get_env() -> jinja2.Environment:
        env = original()
        env.bytecode_cache = code_cache
        if type(env.loader) is jinja2.FileSystemLoader:
            env.list_templates = lambda extensions=None, filter_func=None: listing.list_templates(
                env, theme, extensions, filter_func)
        return env

    theme.get_env = get_env
    return True
