"""MkDocs adapter. Thin on purpose: it runs the core and hands its pages to MkDocs.

* ``on_pre_build`` runs the core *before* MkDocs cleans ``site/``, so a content error
  leaves the previous site intact; every error is reported at once in one ``PluginError``.
* ``on_files`` adds the pages as ``File.generated`` (nothing is written into a docs folder).
* ``mkdocs serve`` is the editor preview: full article texts and coverage marks.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .core import Result, build
from .errors import ContentError
from .render import Options

log = get_plugin_logger(__name__)


class DossierConfig(base.Config):
    content_dir = c.Type(str, default="content")
    seeds_dir = c.Type(str, default="seeds")
    #: "auto": editor preview under ``mkdocs serve``, public pages under ``mkdocs build``
    preview = c.Choice(("auto", "on", "off"), default="auto")
    #: generate the navigation (ignored when mkdocs.yml defines ``nav``)
    nav = c.Type(bool, default=True)


class DossierPlugin(BasePlugin[DossierConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.result: Result | None = None
        self.root = Path.cwd()

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance alive across 'mkdocs serve' rebuilds.
        self.command = command

    def on_config(self, config):
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.user_nav = config.nav is not None
        return config

    def _options(self, config) -> Options:
        preview = self.config.preview == "on" or (self.config.preview == "auto" and self.command == "serve")
        dirs = []
        custom = getattr(config.theme, "custom_dir", None)
        if custom and (Path(custom) / "dossier").is_dir():
            dirs.append(Path(custom) / "dossier")
        return Options(use_directory_urls=config.use_directory_urls, preview=preview, template_dirs=dirs)

    def on_pre_build(self, *, config) -> None:
        result = build(self.root, self.config.content_dir, self.config.seeds_dir, self._options(config))
        for w in result.warnings:
            log.warning(w.format())
        if result.errors:
            raise PluginError(str(ContentError(result.errors)))
        self.result = result
        if self.config.nav and not self.user_nav:
            config.nav = result.nav

    def on_files(self, files: Files, *, config) -> Files:
        assert self.result is not None
        for uri, text in sorted(self.result.pages.items()):
            _replace(files, File.generated(config, uri, content=text, inclusion=InclusionLevel.INCLUDED))
        for uri, data in sorted(self.result.assets.items()):
            _replace(files, File.generated(config, uri, content=data, inclusion=InclusionLevel.INCLUDED))
        # The files hold the page texts now; the dossier model (located YAML, articles, index)
        # is not needed for the rest of the build. Dropping it keeps peak memory down: MkDocs
        # holds every page's Markdown and HTML until the build ends.
        self.result = None
        return files

    def on_serve(self, server, *, config, builder):
        for folder in (self.config.content_dir, self.config.seeds_dir):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        server.watch(str(Path(__file__).parent))
        return server


def _replace(files: Files, new: File) -> None:
    old = files.get_file_from_path(new.src_uri)
    if old is not None:
        files.remove(old)
    files.append(new)
