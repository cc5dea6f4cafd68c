"""Shared test helpers: build real sites into tmp_path and fail on unexpected warnings."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: a complete synthetic dossier of this many articles (benchmarks/corpus.py) stands in for a
#: real one: the generator's tests never read this repository's own content/ or seeds/
CORPUS_ARTICLES = 5

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def write_corpus(dest: Path, articles: int = CORPUS_ARTICLES) -> dict:
    """A complete, valid synthetic dossier (every kind of content) in dest/content, dest/seeds."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import write_corpus as write
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return write(dest, articles)


def make_project(tmp_path: Path, fixture: str | None = "mini", content: Path | None = None, seeds: Path | None = None) -> Path:
    """A project folder in tmp_path: the repository's mkdocs.yml, an empty site_theme/ (the
    generator's theme is in the package), and a fixture's inputs: a folder of tests/fixtures/,
    or "corpus" for a complete synthetic dossier (see write_corpus). None gives this
    repository's own dossier with its site_theme/: for its screenshots and reader-UI browser
    tests only; the generator's tests never use it."""
    proj = tmp_path / "proj"
    proj.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    if fixture is None:
        for folder in ("content", "seeds", "site_theme"):
            shutil.copytree(ROOT / folder, proj / folder)
        return proj
    (proj / "site_theme").mkdir()
    if fixture == "corpus":
        write_corpus(proj)
    else:
        shutil.copytree(content or FIXTURES / fixture / "content", proj / "content")
        shutil.copytree(seeds or FIXTURES / fixture / "seeds", proj / "seeds")
    return proj


def build_project(proj: Path, *, strict: bool = True, command: str = "build") -> Path:
    """Run a real MkDocs build of proj into proj/site (in-process) and return the site path."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(proj / "mkdocs.yml"), site_dir=str(proj / "site"), strict=strict)
    cfg.plugins.on_startup(command=command, dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return proj / "site"


def set_plugin_options(proj: Path, **options) -> Path:
    """Give the dossier plugin options in proj's mkdocs.yml (booleans as true/false)."""
    cfg = proj / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    assert "  - dossier\n" in text, "mkdocs.yml lists the plugin differently: adapt set_plugin_options"
    lines = "".join(f"      {k}: {str(v).lower() if isinstance(v, bool) else v}\n" for k, v in options.items())
    cfg.write_text(text.replace("  - dossier\n", f"  - dossier:\n{lines}", 1), encoding="utf-8")
    return proj


@pytest.fixture(scope="session")
def full_project(tmp_path_factory):
    """A complete synthetic dossier (every kind of content, several articles), built once."""
    proj = make_project(tmp_path_factory.mktemp("full"), "corpus")
    build_project(proj)
    return proj


@pytest.fixture
def build_site(tmp_path):
    def _build(fixture: str | None = "mini", edit=None, **kw) -> Path:
        proj = make_project(tmp_path, fixture)
        if edit:
            edit(proj)
        return build_project(proj, **kw)

    return _build


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_warnings(request):
    """Every test fails on a MkDocs/plugin warning unless it declares it expects warnings."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    if request.node.get_closest_marker("expect_warnings"):
        return
    messages = [r.getMessage() for r in handler.records]
    assert not messages, f"unexpected warnings: {messages}"


def pytest_configure(config):
    config.addinivalue_line("markers", "expect_warnings: the test provokes MkDocs warnings on purpose")
