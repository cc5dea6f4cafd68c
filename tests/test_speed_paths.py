"""The fast paths added for speed (issue 6) give exactly what the slow paths gave."""

from __future__ import annotations

import gc
import itertools
import posixpath
from pathlib import Path

import pytest

from generator import core, yamlio
from generator.errors import Problems
from generator.render import _relpath, relative

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted([*ROOT.glob("content/**/*.yaml"), *Path(__file__).parent.glob("fixtures/**/*.yaml")])


def _located(value):
    """Data plus every position LMap/LList remember, for comparison."""
    if isinstance(value, yamlio.LMap):
        return ("map", value.pos, {k: (value.kpos[k], value.vpos[k], _located(v)) for k, v in value.items()})
    if isinstance(value, yamlio.LList):
        return ("list", value.pos, [(p, _located(v)) for p, v in zip(value.ipos, value)])
    return (type(value).__name__, value)


def _load(text: str, fast: bool, monkeypatch):
    if not fast:
        monkeypatch.setattr(yamlio, "_FastLoader", None)
    problems = Problems()
    data = yamlio.load_yaml(text, "content/x.yaml", problems)
    monkeypatch.undo()
    return _located(data), [p.format() for p in problems.all()]


@pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_and_python_parser_agree_on_content(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    assert _load(text, True, monkeypatch) == _load(text, False, monkeypatch)


@pytest.mark.skipif(yamlio._FastLoader is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", [
    "a: 1\nb: [x, y]\nc: {d: no, e: true, f: 2024-10-18, g: ~, h: 1.5}\n",
    "- &a {x: 1}\n- *a\n- <<: *a\n  y: 2\n",
    "a: 1\na: 2\n",                      # duplicate key
    "a: b: c\n",                         # malformed
    "a:\n\t- x\n",                       # tab
    "a: !!python/object x\n",            # tag
    "a: 'unclosed\n",
    "x: &a [*a]\n",                      # recursive alias
    "text: \"Ä ö ü – „Zitat“\"\nn: 0x1F\n",
])
def test_libyaml_and_python_parser_agree_on_edge_cases(text, monkeypatch):
    assert _load(text, True, monkeypatch) == _load(text, False, monkeypatch)


def test_relpath_matches_posixpath():
    urls = ["", ".", "index.html", "a", "a/", "a/b", "a/b/", "a/b/c.html", "themen/", "themen/x/", "quellen/q-1/",
            "chronologie/", "akteure/index.html", "../x"]
    for to, base in itertools.product(urls, repeat=2):
        start = base.rstrip("/") or "."
        assert _relpath(to or ".", start) == posixpath.relpath(to or ".", start), (to, base)
    assert relative("themen/a/", "quellen/b/") == "../../quellen/b/"


def test_core_restores_the_garbage_collector():
    assert gc.isenabled()
    core.build(ROOT / "tests" / "fixtures" / "mini")
    assert gc.isenabled()
    gc.disable()
    try:
        core.build(ROOT / "tests" / "fixtures" / "mini")
        assert not gc.isenabled()
    finally:
        gc.enable()
