"""The fast paths added for speed (issue 6) give exactly what the slow paths gave."""

from __future__ import annotations

import gc
import itertools
import posixpath
from pathlib import Path

import pytest
from markupsafe import Markup

from newsdossier import core, yamlio
from newsdossier.errors import Problems
from newsdossier.render import _relpath, relative
from newsdossier.speed import Thresholds

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(Path(__file__).parent.glob("fixtures/**/*.yaml"))


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory):
    """A complete synthetic dossier (every kind of content) standing in for a real one."""
    from conftest import write_corpus

    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    return root


def test_the_yaml_of_a_complete_dossier_reads_alike_with_both_parsers(corpus_root, monkeypatch):
    if yamlio._FastLoader is None:
        pytest.skip("PyYAML without libyaml")
    for path in sorted(corpus_root.glob("content/**/*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _load(text, True, monkeypatch) == _load(text, False, monkeypatch), path


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


def test_the_core_leaves_its_objects_in_the_oldest_generation(corpus_root):
    """What the core made is in the oldest generation (else the first allocation after the core
    scans all of it); nothing stays frozen, nothing leaks."""
    import weakref

    gc.collect()
    result = core.build(corpus_root)
    assert result.ok and result.pages
    assert gc.get_freeze_count() == 0
    assert any(o is result.dossier for o in gc.get_objects(generation=2))
    model = weakref.ref(result.dossier)
    del result
    gc.collect()
    assert model() is None


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.expect_warnings
def test_the_removed_fast_html_option_says_so_and_still_builds(tmp_path, no_unexpected_warnings):
    """fast_html took the Markdown pages past MkDocs' parsers; the pages are HTML now. A
    mkdocs.yml that still sets it builds (without --strict) and is told to drop the line."""
    from conftest import build_project, make_project, set_plugin_options  # noqa: E402

    proj = set_plugin_options(make_project(tmp_path, "mini"), fast_html=True)
    site = build_project(proj, strict=False)
    assert (site / "index.html").is_file()
    messages = [r.getMessage() for r in no_unexpected_warnings.records]
    assert any("'fast_html' was removed" in m and "delete it from mkdocs.yml" in m for m in messages), messages


@pytest.mark.parametrize("directory_urls", [True, False])
def test_link_lists_made_once_per_place_are_the_lists_made_each_time(corpus_root, monkeypatch, directory_urls):
    """Renderer.links renders a link list once per list and place (the depth of the page's URL,
    inside the linked pages' folder or not, the page itself for a link to itself): every page
    is the same as with each list rendered where it is used."""
    from markupsafe import Markup

    from newsdossier import index, load, render

    d, _ = load.load(corpus_root, "content", "seeds")
    ix = index.Index.build(d)
    opts = render.Options(use_directory_urls=directory_urls)
    memo = render.render(d, ix, opts, parallel=False)
    monkeypatch.setattr(render.Renderer, "links", lambda self, here, kind, macro, ids: Markup(macro(here, ids)))
    each = render.render(d, ix, opts, parallel=False)
    assert memo.keys() == each.keys()
    assert [k for k in memo if memo[k].body_html != each[k].body_html] == []
    assert any('href="./"' in p.body_html or 'href="../' in p.body_html for p in memo.values())


@pytest.mark.parametrize("fixture", ["mini", "corpus", "attributes"])
def test_pages_kept_out_of_search_are_written_the_same(tmp_path, fixture, monkeypatch):
    """Pages that stay out of the search index get their HTML only when MkDocs writes them
    (plugin.on_page_context): every page is the same as when MkDocs holds all of them. With
    "attributes", every page carries a data-search-* attribute, which Material's search plugin
    removes from every page's HTML (also from the unsearched ones: they are not deferred then)."""
    from conftest import build_project, make_project, set_plugin_options  # noqa: E402

    from newsdossier.page import Page

    if fixture == "attributes":
        fixture, init = "mini", Page.__init__
        monkeypatch.setattr(Page, "__init__", lambda self, path, title, meta, toc, body: init(
            self, path, title, meta, toc, body + '<p data-search-exclude="ja">x</p>'))
    sites = {}
    for limit in (0, 10_000):  # 0: the source and actor pages and the chronology are unsearched
        (tmp_path / str(limit)).mkdir()
        proj = set_plugin_options(make_project(tmp_path / str(limit), fixture), search_all_max_sources=limit)
        sites[limit] = {k: v for k, v in _site_files(build_project(proj)).items() if k.endswith(".html")}
    assert sites[0].keys() == sites[10_000].keys() and "chronologie/index.html" in sites[0]
    assert [k for k in sites[0] if sites[0][k] != sites[10_000][k]] == []
    assert all(b"data-search-exclude" not in v for v in sites[0].values())


def test_large_dossiers_keep_topics_out_of_the_navigation():
    from types import SimpleNamespace

    from newsdossier.render import NAV_TOPICS_MAX, nav

    def topics(n):
        return {f"t{i}": SimpleNamespace(id=f"t{i}", order=i, title=f"Thema {i}") for i in range(n)}

    small = nav(SimpleNamespace(topics=topics(NAV_TOPICS_MAX)))
    assert len(small[1]["Themen"]) == NAV_TOPICS_MAX + 1
    large = nav(SimpleNamespace(topics=topics(NAV_TOPICS_MAX + 1)))
    assert large[1]["Themen"] == ["themen/index.md"]


def test_large_dossiers_leave_repeated_leaf_pages_out_of_search():
    from newsdossier.speed import Thresholds, search_excluded

    pages = {"index.md": "", "chronologie.md": "", "quellen/index.md": "", "quellen/a.md": "", "akteure/index.md": "",
             "akteure/b.md": "", "themen/c.md": ""}
    limit = Thresholds().search_all_max_sources
    assert search_excluded(pages, limit, Thresholds()) == set()
    assert search_excluded(pages, limit + 1, Thresholds()) == {"chronologie.md", "quellen/a.md", "akteure/b.md"}
    assert search_excluded(pages, 3, Thresholds(search_all_max_sources=2)) == search_excluded(pages, limit + 1, Thresholds())


@pytest.mark.parametrize("fixture", ["mini", "corpus"])
def test_parallel_render_gives_the_serial_pages(fixture, corpus_root):
    from newsdossier import index, load, render

    d, problems = load.load(corpus_root if fixture == "corpus" else ROOT / "tests/fixtures/mini", "content", "seeds")
    assert not [p for p in problems.all() if p.severity == "error"]
    ix = index.Index.build(d)
    serial = render.render(d, ix, render.Options(), parallel=False)
    parallel = render.render(d, ix, render.Options(), parallel=True)
    assert list(parallel.items()) == list(serial.items())  # same texts, same order


def test_parallel_render_reports_a_failure_in_the_second_process():
    from newsdossier.render import _render_parallel

    def emit(job):
        if job == "bad":
            raise ValueError("kaputt")
        return job.upper()

    assert _render_parallel(["a", "b", "c"], emit) == ["A", "B", "C"]
    with pytest.raises((RuntimeError, ValueError), match="kaputt"):
        _render_parallel(["bad"] * 4, emit)


def _dump(value):
    """Every field of the model, positions (pos, fpos) included, which repr leaves out."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, (list, tuple)) and not isinstance(value, str):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return (type(value).__name__, value)


def _loaded(root: Path, parallel: bool):
    from newsdossier.load import load

    d, problems = load(root, parallel=parallel)
    return _dump(d), [p.format() for p in problems.all()]


@pytest.mark.parametrize("fixture", ["tests/fixtures/broken", "tests/fixtures/mini", "corpus"],
                         ids=["broken", "mini", "corpus"])
def test_reading_content_in_two_processes_gives_the_same_dossier_and_problems(fixture, corpus_root):
    """Half the files read in a forked child: same objects, same problems (duplicates, salvaged
    ids and 'first defined at' resolved in file order), whichever process read a file."""
    root = corpus_root if fixture == "corpus" else ROOT / fixture
    serial = _loaded(root, parallel=False)
    assert _loaded(root, parallel=True) == serial
    if fixture == "tests/fixtures/broken":
        assert len(serial[1]) > 10


def test_a_second_process_that_dies_is_an_error_not_a_hang():
    import os

    from newsdossier.forked import run_beside

    with pytest.raises(RuntimeError, match="reading the content in the second process failed: .*exit code 3"):
        run_beside(lambda: os._exit(3), lambda: "mine", "reading the content")
    assert run_beside(lambda: [1, 2], lambda: "mine", "x") == ("mine", [1, 2])


def test_only_large_content_is_read_in_two_processes(monkeypatch, corpus_root):
    from newsdossier import load as load_mod

    calls = []
    real = load_mod.run_beside
    monkeypatch.setattr(load_mod, "run_beside", lambda *a: calls.append(1) or real(*a))
    load_mod.load(corpus_root)  # a small dossier: under Thresholds.parallel_min_bytes
    assert calls == []
    monkeypatch.setattr(load_mod, "can_fork", lambda: True)
    load_mod.load(corpus_root, min_bytes=1000)
    assert calls == [1]


@pytest.mark.expect_warnings
def test_mkdocs_build_hands_the_heap_back_to_the_collector(tmp_path, no_unexpected_warnings):
    """The plugin exempts the build's long-lived objects from collection while it runs
    (gc.freeze) and returns them when it ends, after success and after a content error."""
    from conftest import build_project, make_project

    (tmp_path / "ok").mkdir()
    (tmp_path / "bad").mkdir()
    build_project(make_project(tmp_path / "ok"))
    assert gc.get_freeze_count() == 0 and not no_unexpected_warnings.records
    bad = make_project(tmp_path / "bad")  # fails while the pages are written: after both freezes
    (bad / "site_theme" / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ no_such.thing }}{% endblock %}',
                                                   encoding="utf-8")
    with pytest.raises(Exception, match="no_such"):
        build_project(bad)
    assert gc.get_freeze_count() == 0
    assert all("no_such" in r.getMessage() for r in no_unexpected_warnings.records)


def test_only_large_dossiers_render_in_two_processes(monkeypatch, corpus_root):
    from newsdossier import render

    calls = []
    monkeypatch.setattr(render, "_render_parallel",
                        lambda jobs, emit, sink=None: calls.append(len(jobs)) or [emit(j) for j in jobs])
    core.build(corpus_root)  # a small dossier: under Thresholds.parallel_min_pages pages
    assert calls == []
    monkeypatch.setattr(render, "can_fork", lambda: True)
    core.build(corpus_root, options=render.Options(thresholds=Thresholds(parallel_min_pages=10)))
    assert len(calls) == 1 and calls[0] >= 10


def test_extra_tasks_run_alongside_the_pages(corpus_root):
    from newsdossier import index, load, render

    d, _ = load.load(corpus_root, "content", "seeds")
    ix = index.Index.build(d)
    for parallel in (False, True):
        pages, extra = render.render_with(d, ix, render.Options(), {"a": lambda: b"A", "b": lambda: 2}, parallel)
        assert pages == render.render(d, ix, render.Options(), parallel=False)
        assert extra == {"a": b"A", "b": 2}


@pytest.mark.parametrize("fixture", ["mini", "corpus"])
def test_search_indexing_in_a_second_process_gives_the_same_site(tmp_path, fixture, monkeypatch):
    """From the parallel_min_pages option on, Material's search parser runs in a forked child
    (searchjobs); the site, search index included, is the same as a serial build."""
    from conftest import build_project, make_project, set_plugin_options  # noqa: E402

    from newsdossier import searchjobs, speed

    used = []
    close = searchjobs.ParallelSearch.close
    monkeypatch.setattr(searchjobs.ParallelSearch, "close", lambda self: used.append(self.used) or close(self))
    sites = {}
    for parallel in (False, True):
        (tmp_path / str(parallel)).mkdir()
        proj = make_project(tmp_path / str(parallel), fixture)
        if parallel:
            set_plugin_options(proj, parallel_min_pages=1)
            monkeypatch.setattr(speed, "can_fork", lambda: True)
        sites[parallel] = _site_files(build_project(proj))
    assert len(used) == 1 and used[0] > 5  # the child's sections were used, for every searched page
    assert sites[True].keys() == sites[False].keys()
    assert [k for k in sites[True] if sites[True][k] != sites[False][k]] == []


@pytest.mark.parametrize("fixture", ["mini", "corpus"])
def test_our_pages_are_rendered_without_a_markdown_instance_and_the_site_is_the_same(tmp_path, fixture, monkeypatch):
    """MkDocs converts our pages' empty Markdown once (the first page); the others get what
    that gave (emptymd): the site is the one MkDocs' own render of every page makes."""
    from conftest import build_project, make_project  # noqa: E402

    from newsdossier import emptymd

    skipped, render = [], emptymd.EmptyMarkdown.render
    sites = {}
    for shortcut in (True, False):
        if not shortcut:
            monkeypatch.setattr(emptymd.EmptyMarkdown, "render", lambda self, page, config, files: type(page).render(
                page, config, files))
        else:
            monkeypatch.setattr(emptymd.EmptyMarkdown, "render", lambda self, page, config, files: (
                render(self, page, config, files), skipped.append(self.skipped)))
        (tmp_path / str(shortcut)).mkdir()
        sites[shortcut] = _site_files(build_project(make_project(tmp_path / str(shortcut), fixture)))
    assert max(skipped) > 5
    assert sites[True].keys() == sites[False].keys()
    assert [k for k in sites[True] if sites[True][k] != sites[False][k]] == []


class _FakePage:
    """What EmptyMarkdown needs of a MkDocs page; its render makes ``html`` of any Markdown."""

    html = ""
    renders = 0

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown

    def render(self, config, files) -> None:
        from mkdocs.structure.toc import get_toc

        type(self).renders += 1
        self.content, self.toc, self._title_from_render = self.html + self.markdown, get_toc([]), None
        self.present_anchor_ids, self.links_to_anchors = set(), {}


def test_empty_markdown_learns_from_the_first_page_and_stands_back_when_it_must():
    from newsdossier.emptymd import EmptyMarkdown

    class Plain(_FakePage):
        pass

    empty = EmptyMarkdown()
    pages = [Plain("") for _ in range(4)] + [Plain("*changed by a plugin*")]
    for page in pages:
        empty.render(page, None, None)
    assert Plain.renders == 2 and empty.skipped == 3  # the first page and the changed one
    assert [p.content for p in pages] == ["", "", "", "", "*changed by a plugin*"]
    assert len({id(p.toc) for p in pages}) == 5 and len({id(p.present_anchor_ids) for p in pages}) == 5
    assert all(not p.toc.items and p._title_from_render is None for p in pages[:4])

    class Footer(_FakePage):  # an extension that adds text to every page, even an empty one
        html = "<p>footer</p>"

    empty = EmptyMarkdown()
    pages = [Footer("") for _ in range(3)]
    for page in pages:
        empty.render(page, None, None)
    assert Footer.renders == 3 and empty.skipped == 0
    assert [p.content for p in pages] == ["<p>footer</p>"] * 3


def test_a_small_dossier_indexes_search_in_one_process(tmp_path, monkeypatch):
    from conftest import build_project, make_project  # noqa: E402

    from newsdossier import searchjobs

    started = []
    monkeypatch.setattr(searchjobs.ParallelSearch, "__init__", lambda self, *a: started.append(1))
    build_project(make_project(tmp_path, "corpus"))
    assert started == []


def test_search_jobs_fall_back_when_a_page_changed_after_the_fork():
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    from newsdossier.searchjobs import ParallelSearch

    def page(uri, html):
        return SimpleNamespace(file=SimpleNamespace(src_uri=uri), content=html, meta={}, toc=[], url=uri, title=uri)

    pages = [page("a/", '<h1 id="a">A</h1><p>eins <b>zwei</b></p><h2 id="g" data-search-exclude>G</h2><p>x</p>'),
             page("c/", '<p>ohne Titel</p><h2 id="h">H</h2>'), page("b/", "<p>alt</p>")]
    html = [p.content for p in pages]
    index = SearchIndex()
    jobs = ParallelSearch(index, pages)
    # the pages without data-search-* attributes wait for Material's search without their HTML
    assert [p.content for p in pages] == [html[0], "", ""]
    pages[2].content = "<p>neu</p>"
    for p in pages:
        index.add_entry_from_context(p)
        jobs.unpark(p)  # the plugin's on_page_context, after Material's
    jobs.close()
    assert jobs.used == 2
    assert [p.content for p in pages] == [*html[:2], "<p>neu</p>"]
    assert "add_entry_from_context" not in vars(index)
    serial = SearchIndex()
    for p in pages:
        serial.add_entry_from_context(p)
    assert index.entries == serial.entries and serial.entries[-1]["text"] == "<p>neu</p>"


#: texts with another problem before the too-deep part: the depth error alone is reported
TOO_DEEP_AFTER_ANOTHER_PROBLEM = [
    "a: x\na: " + "[" * 70 + "]" * 70 + "\n",  # duplicate key, then too deep
    "? " + "[" * 70 + "]" * 70 + "\n: x\n",  # a key that is not a word, and too deep
    "? [k]\n: " + "[" * 70 + "]" * 70 + "\n",
    "a: !foo x\nb: " + "[" * 70 + "]" * 70 + "\n",  # a tag, then too deep
    "a: {<<: 1, b: " + "[" * 70 + "]" * 70 + "}\n",  # a bad merge, then too deep
    "<<: {a: " + "[" * 64 + "]" * 64 + "}\n",  # too deep only before the merge lifts it
]


@pytest.mark.parametrize("text", [
    "a: [1, 2, {b: c}]\n",
    "a: " + "[" * 70 + "]" * 70 + "\n",  # too deep
    "x: {b: c, b: d}\na: " + "[" * 70 + "]" * 70 + "\n",  # too deep after a duplicate key
    "a:\n" + "".join(" " * (i % 60) + "- x\n" for i in range(10)),
    *TOO_DEEP_AFTER_ANOTHER_PROBLEM,
])
def test_documents_without_anchors_skip_the_count_with_the_same_outcome(text):
    """Without an anchor there is no alias, so load_yaml does not count the nodes first and
    _convert checks the depth. A '&' in a trailing comment forces the counted path: the value
    and the problems must be the same either way."""
    outcomes = []
    for doc in (text, text + "# & forces the count\n"):
        problems = Problems()
        value = yamlio.load_yaml(doc, "x.yaml", problems)
        outcomes.append((value, [p.format() for p in problems.all()]))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] or outcomes[0][0] is not None
    if text in TOO_DEEP_AFTER_ANOTHER_PROBLEM:  # the depth decides, as when counting first
        assert outcomes[0][0] is None and len(outcomes[0][1]) == 1, outcomes[0][1]
        assert "YAML is nested more than 64 levels deep" in outcomes[0][1][0]


@pytest.mark.parametrize("extra", ["", "# Müller & Söhne\n"])
def test_a_long_list_without_aliases_is_not_an_alias_bomb(extra):
    """The expansion limit is about aliases; without them a file is bounded by its size limit,
    whether or not an '&' appears in its text."""
    problems = Problems()
    value = yamlio.load_yaml(extra + "a: [" + ", ".join(["x"] * 200_010) + "]\n", "x.yaml", problems)
    assert not problems and len(value["a"]) == 200_010


def test_brackets_in_comments_and_quotes_cannot_hide_deep_nesting():
    """libyaml crashes the process on a few ten thousand levels; closing brackets in comments
    or quoted texts once hid real opening ones from the pre-check (exit code 139)."""
    import subprocess
    import sys

    code = (
        "from newsdossier import yamlio\nfrom newsdossier.errors import Problems\n"
        "for doc in ['a: ' + '[ # ]\\n' * 50000 + '1' + ']' * 50000, 'a: [' + \"['x]', \" * 50000 + ']']:\n"
        "    p = Problems()\n    assert yamlio.load_yaml(doc, 'x.yaml', p) is None\n"
        "    print(p.all()[0].message)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.splitlines() == ["YAML is nested more than 64 levels deep"] * 2


def test_search_jobs_give_up_on_a_child_that_hangs(monkeypatch):
    """A child that sends nothing must not hang the build: the parent indexes the pages."""
    import time
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    from newsdossier import searchjobs

    monkeypatch.setattr(searchjobs, "_parse", lambda html: time.sleep(30) or [])
    monkeypatch.setattr(searchjobs.ParallelSearch, "WAIT_SECONDS", 0.5)
    pages = [SimpleNamespace(file=SimpleNamespace(src_uri="a/"), content='<h1 id="a">A</h1><p>eins</p>', meta={},
                             toc=[], url="a/", title="A")]
    index = SearchIndex()
    jobs = searchjobs.ParallelSearch(index, pages)
    index.add_entry_from_context(pages[0])
    jobs.close()
    assert jobs.used == 0 and not jobs.proc.is_alive()
    serial = SearchIndex()
    serial.add_entry_from_context(pages[0])
    assert index.entries == serial.entries and index.entries


def test_text_fields_skip_the_control_character_search_only_when_that_is_safe():
    """Text.convert searches for control characters only in unprintable texts: every
    character the search finds must therefore be unprintable."""
    from newsdossier.schema import _CONTROL

    assert not [hex(c) for c in range(0x110000) if _CONTROL.match(chr(c)) and chr(c).isprintable()]


def test_locate_in_the_joined_body_finds_what_a_search_per_block_finds(corpus_root):
    """locate() searches all citable blocks at once; the result must be the search per block:
    same blocks, offsets and overlapping repeats, nothing across a block boundary."""
    import random

    from newsdossier.article import Article, Block, find_all, locate, normalize
    from newsdossier.load import load

    def per_block(article, quote):
        q = normalize(quote)
        return [(b.anchor, i, i + len(q)) for b in article.body for i in find_all(b.text, q)] if q else []

    rng = random.Random(6)
    d, _ = load(corpus_root)
    articles = [s.article for s in d.sources.values()]
    articles.append(Article("x.txt", "", [Block("paragraph", "ana ana", 1, "p1", 1), Block("dateline", "ana", 3),
                                          Block("paragraph", "nana", 5, "p2", 2), Block("pullquote", "an", 7, "zt1")]))
    for art in articles:
        texts = [b.text for b in art.blocks]
        quotes = ["ana", "an", "a", "na an", "ana\x00nana", " ", "", "nicht im Text"]
        for _ in range(200):
            t = rng.choice(texts)
            i = rng.randrange(len(t))
            quotes.append(t[i:i + rng.randrange(1, 40)])
        quotes.append(texts[-1][-5:] + " " + texts[0][:5])  # across the end of one block and the next
        for q in quotes:
            assert [(m.block.anchor, m.start, m.end) for m in locate(art, q)] == per_block(art, q), q


@pytest.mark.parametrize("fixture", ["mini", "corpus"])
def test_the_core_in_a_second_process_gives_the_same_site(tmp_path, fixture, monkeypatch):
    """From parallel_min_bytes of content on, 'mkdocs build' loads and renders in a forked child
    (detached.py) that sends the pages back from both rendering processes: same site."""
    from conftest import build_project, make_project, set_plugin_options  # noqa: E402

    from newsdossier import detached, load, plugin, render, speed

    used = []
    real = detached.run_detached
    monkeypatch.setattr(plugin, "run_detached", lambda work: used.append(1) or real(work))
    sites = {}
    for parallel in (False, True):
        (tmp_path / str(parallel)).mkdir()
        proj = make_project(tmp_path / str(parallel), fixture)
        if parallel:
            set_plugin_options(proj, parallel_min_bytes=1, parallel_min_pages=1)
            for module in (speed, render, load):
                monkeypatch.setattr(module, "can_fork", lambda: True)
        sites[parallel] = _site_files(build_project(proj))
    assert used == [1]
    assert sites[True].keys() == sites[False].keys()
    assert [k for k in sites[True] if sites[True][k] != sites[False][k]] == []


def test_a_detached_core_that_fails_or_dies_is_an_error(monkeypatch):
    import os

    from newsdossier import safety
    from newsdossier.detached import run_detached
    from newsdossier.page import Page

    with pytest.raises(RuntimeError, match="core in a second process failed:(.|\n)*ZeroDivisionError"):
        run_detached(lambda sink: 1 / 0)
    with pytest.raises(RuntimeError, match="core in a second process ended with exit code 3"):
        run_detached(lambda sink: os._exit(3))

    def work(sink):  # pages from both processes, out of order; the size budget still applies
        sink.second.send((2, Page("b.md", "B", {}, [], "b" * 20)))
        sink.first.send((1, Page("a.md", "A", {}, [], "a")))
        return core.Result(dossier="model", problems=[]), 7

    result, more = run_detached(work)
    assert (list(result.pages), result.dossier, more, result.ok) == (["a.md", "b.md"], None, 7, True)
    monkeypatch.setattr(safety, "MAX_PAGE_CHARS", 10)
    result, _ = run_detached(work)
    assert result.pages == {} and "b.md" in result.errors[0].message


def test_a_detached_core_sends_large_assets_raw_and_collects_its_garbage(monkeypatch):
    """Large assets come back after the result as raw bytes, in their place; a rendering
    process collects the cyclic garbage of its pages every GC_PAGES pages, though the core
    pauses the collector (core._gc_paused)."""
    import weakref

    from newsdossier import detached
    from newsdossier.detached import run_detached
    from newsdossier.page import Page

    monkeypatch.setattr(detached, "GC_PAGES", 2)
    big = bytes(range(256)) * (detached.RAW_ASSET_BYTES // 256 + 1)

    def work(sink):
        gc.disable()
        try:
            class Node:
                pass

            alive = []
            for i in range(4):
                sink.first.send((i, Page(f"p{i}.md", "P", {}, [], "ü" * (i + 1))))
                if i < 3:  # made after the first page (what lived before it is kept, frozen)
                    node = Node()
                    node.me = node  # a cycle: only the collector frees it
                    alive.append(weakref.ref(node))
                    del node
            assets = {"a.json": b"small", "b.json": big, "c.csv": "text"}
            return core.Result(dossier="model", problems=[], assets=assets), [r() is None for r in alive]
        finally:
            gc.enable()

    result, freed = run_detached(work)
    assert list(result.assets) == ["a.json", "b.json", "c.csv"]
    assert result.assets == {"a.json": b"small", "b.json": big, "c.csv": "text"}
    assert [p.body_html for p in result.pages.values()] == ["ü", "üü", "üüü", "üüüü"]
    assert freed == [True, True, True]


def _material_sections(html: str) -> list:
    """What Material's Parser makes of a page through html.parser, comparable."""
    return _section_tuples(_material_sections_of(html))


def _material_sections_of(html: str) -> list:
    """Material's Parser's sections of a page, through html.parser."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return parser.data


def _section_tuples(sections) -> list:
    return [(s.el.tag, s.el.attrs, s.depth, s.id, s.title, s.text) for s in sections]


def test_the_search_parser_makes_materials_sections_of_every_page(corpus_root):
    """searchjobs reads our pages with one regular expression and Material's handlers done on
    tag names instead of html.parser and Material's Parser: every page of a complete dossier
    gets the same sections, without falling back."""
    from newsdossier import searchjobs

    assert searchjobs._FUSED
    pages = core.build(corpus_root).pages
    assert len(pages) > 20
    for path, page in pages.items():
        assert _section_tuples(searchjobs._sections_fast(page.body_html)) == _material_sections(page.body_html), path


def test_the_fused_search_parser_is_checked_against_this_materials_parser():
    """searchjobs._sections_fast re-implements Material's Parser handlers: it is used only for
    the source it was checked against. After a Material upgrade this fails until the new
    handlers are compared with it and their digest is added to searchjobs.CHECKED (meanwhile
    the build uses Material's own handlers)."""
    from newsdossier import searchjobs

    assert searchjobs._material_parser_digest() in searchjobs.CHECKED
    assert searchjobs._FUSED


def _random_html(rng, depth=0) -> str:
    """Random HTML from the tags, attributes and texts Material's handlers treat specially:
    nested and unclosed elements, stray and self-closing end tags, headings with and without
    ids inside other elements, excluded blocks, permalinks, pre, kept tags, entities."""
    tags = ["p", "div", "span", "a", "h1", "h2", "h3", "pre", "code", "li", "ul", "sub", "object",
            "br", "img", "hx", "section", "td"] * 4 + ["title", "textarea"]
    spaces = [" "] * 12 + ["\n", "\t", "\xa0", "\u2028", "\x0b"]  # HTML's and only Python's whitespace
    attributes = ['id="x"', 'id="y"', 'class="headerlink"', 'class="linenodiv"', "data-search-exclude",
                  "class='c'", 'href="#a&amp;b"', 'data-search-exclude=""', 'CLASS="headerlink"']
    texts = ["a", " ", "\n", "  \n ", "x y\nz", "&amp;", "&lt;b&gt;", "ü", "\t"]
    out = []
    for _ in range(rng.randint(0, 4)):
        r = rng.random()
        if r < 0.35:
            out.append(rng.choice(texts))
        elif r < 0.45:
            out.append(f"</{rng.choice(tags)}>")
        elif r < 0.5:
            out.append(f"<{rng.choice(tags)}/>")
        else:
            tag = rng.choice(tags)
            attrs = "".join(rng.choice(spaces) + rng.choice(attributes) for _ in range(rng.choice([0, 0, 1, 2])))
            inner = _random_html(rng, depth + 1) if depth < 5 else ""
            out.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if rng.random() < 0.9 else ""))
    return "".join(out)


def test_the_fused_search_parser_makes_materials_sections_of_any_html():
    """Material's handlers have quirks (elements compare by tag name; closing any element of an
    excluded block's tag ends the exclusion; a heading section stays open while any element of
    its tag is): on 5,000 random documents the search's sections are the ones of Material's
    Parser through html.parser - or the same exception -, most of them from the fused parser
    (the rest has what only html.parser reads: other whitespace in a tag, title, textarea)."""
    import random

    from newsdossier import searchjobs

    def outcome(parse, html):
        try:
            return _section_tuples(parse(html))
        except Exception as error:  # noqa: BLE001 - the same error is the same outcome
            return type(error)

    rng = random.Random(20261202)
    fused = 0
    for _ in range(5000):
        html = _random_html(rng)
        fused += outcome(searchjobs._sections_fast, html) is not TypeError  # (None: TypeError here)
        assert outcome(searchjobs.parse_sections, html) == outcome(_material_sections_of, html), html
    assert fused > 3000


#: pages the tokenizer reads itself (the first two) and pages it leaves to html.parser
TOKENIZER_CASES = [
    '<h1 id="a">A &amp; B</h1><P CLASS=\'x\' data-search-exclude>eins<br/>zwei<br />drei</P>',
    '<h2 id="t" title="&lt;q&gt; &quot;x&quot;">T <a class="headerlink" href="#t">¶</a></h2><ul>\n<li>  </li></ul>'
    '<pre>  a\n  b </pre><img src="x.png" alt="">Ende &auml;&#228;&#xE4; &amp',
    '<p>x <!-- a comment --> y</p>',  # the rest: only html.parser reads them
    '<p>a < b</p>', '<p>a <b class=bare>b</b></p>', '<h1 id="s">S</h1><script>if (a<b) {}</script><p>t</p>',
    '<style>p>a{}</style><p>t</p>', '<!DOCTYPE html><p>t</p>', '<p>t</ p>',
]


@pytest.mark.parametrize("html", TOKENIZER_CASES)
def test_the_search_parser_reads_what_it_can_and_leaves_the_rest_to_html_parser(html):
    from newsdossier import searchjobs

    assert (searchjobs._sections_fast(html) is None) is (TOKENIZER_CASES.index(html) >= 2)
    assert _section_tuples(searchjobs.parse_sections(html)) == _material_sections(html)


def test_the_pipes_that_carry_pages_get_a_larger_buffer():
    """detached.py sends ~100 MB of pages at 1,000 articles: with Linux' default 64 KiB pipe
    the renderers waited for the main process after every 64 KiB (halved by 1 MiB)."""
    import fcntl
    import multiprocessing

    from newsdossier import forked

    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    try:
        before = fcntl.fcntl(send.fileno(), fcntl.F_GETPIPE_SZ)
        forked.widen(send)
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        assert fcntl.fcntl(receive.fileno(), fcntl.F_GETPIPE_SZ) >= min(forked.PIPE_BYTES, limit) > before
    finally:
        receive.close(), send.close()


class _Html:
    def __html__(self):
        return "<b>own</b>"


class _OddMarkup(Markup):
    def __html__(self):
        return "<i>odd</i>"


@pytest.mark.parametrize("value", ["a<b>&\"'", "plain", 12, -3, True, 2.5, None, _Html(), _OddMarkup("x"),
                                   Markup("<em>safe</em>")])
def test_template_escape_is_markupsafes(value):
    """The page templates' escape gives what markupsafe.escape gives, of the same type."""
    from markupsafe import escape

    from newsdossier.render import _escape

    ours, theirs = _escape(value), escape(value)
    assert (type(ours), str(ours)) == (type(theirs), str(theirs))


def test_template_calls_keep_jinjas_pass_arguments(tmp_path):
    """The render context's fast calls leave functions that ask for the context, the
    environment or the eval context theirs, and Undefined/StopIteration as Jinja has them."""
    import jinja2

    from newsdossier.render import _environment

    (tmp_path / "t.html.j2").write_text(
        "{{ ctx() }}|{{ envf() }}|{{ evalf() }}|{{ o.m('<x>') }}|{{ o.stop() is undefined }}|{{ o() }}")

    class O:
        def m(self, v):
            return v

        def stop(self):
            raise StopIteration

        @jinja2.pass_context
        def __call__(self, context):
            return context["marker"]

    env = _environment([tmp_path])
    out = env.get_template("t.html.j2").render(
        marker="M", o=O(), ctx=jinja2.pass_context(lambda c: c["marker"] + "c"),
        envf=jinja2.pass_environment(lambda e: type(e).__name__),
        evalf=jinja2.pass_eval_context(lambda e: str(e.autoescape)))
    assert out == "Mc|Environment|True|&lt;x&gt;|True|M"


def test_the_reading_child_loads_the_articles_when_content_is_read_in_two_processes(monkeypatch, corpus_root):
    """With two processes the child that reads the source files loads their articles too;
    this process loads none (the dossier and problems are those of one process, see above)."""
    import os

    from newsdossier import load as load_mod

    here, calls = os.getpid(), []
    real = load_mod._load_articles

    def spy(*args, **kwargs):
        if os.getpid() == here:
            calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(load_mod, "_load_articles", spy)
    d, _ = load_mod.load(corpus_root, parallel=True)
    assert calls == [] and d.sources and all(s.article is not None for s in d.sources.values())
    load_mod.load(corpus_root, parallel=False)
    assert len(calls) == 1


@pytest.mark.parametrize("text, expected", [
    ("# Methode\n{% if %}\n", "method.html.j2:2:1: error: template error: Expected an expression"),
    ("# Methode\n\n{{ no_such }}\n", "method.html.j2:3:1: error: template error: 'no_such' is undefined"),
], ids=["syntax", "undefined"])
def test_templates_compiled_while_content_is_read_a_broken_one_is_still_reported(tmp_path, monkeypatch, corpus_root,
                                                                                  text, expected):
    """core.build compiles the page templates while a forked child reads the content; a
    template that does not compile is reported when its page is rendered, as before."""
    from newsdossier import load as load_mod, render

    monkeypatch.setattr(load_mod, "can_fork", lambda: True)
    compiled = []
    monkeypatch.setattr(core, "compile_templates", lambda o: compiled.append(o) or render.compile_templates(o))
    over = tmp_path / "dossier"
    over.mkdir()
    (over / "method.html.j2").write_text(text, encoding="utf-8")
    opts = render.Options(template_dirs=[over], thresholds=Thresholds(parallel_min_bytes=1000))
    result = core.build(corpus_root, options=opts)
    assert compiled == [opts]
    [error] = [p.format() for p in result.errors]
    assert f"{over}/{expected}" in error and not result.pages
    good = core.build(corpus_root, options=render.Options(thresholds=Thresholds(parallel_min_bytes=1000)))
    assert len(compiled) == 2 and good.ok and good.pages
