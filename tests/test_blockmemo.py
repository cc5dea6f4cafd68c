"""blockmemo: Material's navigation, header and __config script rendered once per what they
read of the page give every page byte for byte what rendering them on every page gives - at
every depth, with and without directory URLs, under 'mkdocs serve' rebuilds, and with a theme
that overrides what they include."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_project, make_project

from newsdossier import blockmemo


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def memos(monkeypatch):
    """Every Memo the builds make."""
    made = []
    install = blockmemo.install
    monkeypatch.setattr(blockmemo, "install", lambda env, config: made.append(install(env, config)) or made[-1])
    return made


def _build(proj: Path, site: str) -> Path:
    out = build_project(proj)
    return out.rename(proj / site)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_kept_blocks_change_no_page(tmp_path, monkeypatch, memos, directory_urls):
    proj = make_project(tmp_path, "corpus")
    if not directory_urls:
        yml = proj / "mkdocs.yml"
        yml.write_text(yml.read_text(encoding="utf-8").replace("use_directory_urls: true", "use_directory_urls: false"),
                       encoding="utf-8")
    kept = _tree(_build(proj, "kept"))
    memo = memos[-1]
    assert memo.enabled == {"site_nav", "header", "config"}
    reused = {key[0] for key, entry in memo.entries.items() if entry.checked}
    assert reused == {"site_nav", "header", "config"} and memo.hits > 30, (reused, memo.hits)

    monkeypatch.setattr(blockmemo, "CHECKED", ())  # another Material: every block rendered
    plain = _tree(_build(proj, "plain"))
    assert not memos[-1].enabled and memos[-1].hits == 0
    assert sorted(kept) == sorted(plain)
    assert [name for name in plain if kept[name] != plain[name]] == []

    # what the comparison covers: pages at three depths, in and out of the navigation
    source = "quellen/" + ("quelle-00000/index.html" if directory_urls else "quelle-00000.html")
    topics = "themen/index.html"
    home = kept["index.html"].decode()
    assert 'class="md-nav__link md-nav__link--active"' in home
    page = kept[source].decode()
    assert "md-nav__link--active" not in page.split('data-md-type="toc"')[0]  # not in the navigation
    if directory_urls:
        assert 'href="../../themen/"' in page and 'href="../.."' in page and 'href="../"' in page
    else:  # the list of sources is in the page's own folder
        assert 'href="../themen/index.html"' in page and 'href="../index.html"' in page and 'href="index.html"' in page
    assert 'md-nav__item--active' in kept[topics].decode()


def test_theme_overrides_are_rendered_on_every_page(tmp_path, memos):
    """A site_theme/ partial the kept blocks include turns off exactly those blocks' memo."""
    proj = make_project(tmp_path, "corpus")
    partials = proj / "site_theme" / "partials"
    partials.mkdir(parents=True)
    (partials / "header.html").write_text('<header data-test-url="{{ page.url }}"></header>\n', encoding="utf-8")
    (partials / "toc-item.html").write_text('<li data-test-toc="{{ page.url }}">{{ toc_item.title }}</li>\n',
                                            encoding="utf-8")
    site = build_project(proj)
    memo = memos[-1]
    assert memo.enabled == {"config"}
    assert memo.hits > 0
    checked = 0
    for path in site.rglob("index.html"):
        url = path.parent.relative_to(site).as_posix() + "/" if path.parent != site else ""
        html = path.read_text(encoding="utf-8")
        if "md-nav--secondary" not in html:
            continue  # 404 and the like
        assert f'<header data-test-url="{url}">' in html, path
        if 'data-test-toc="' in html:
            assert f'data-test-toc="{url}"' in html and html.count('data-test-toc="') == html.count(f'data-test-toc="{url}"')
            checked += 1
    assert checked > 10


def test_a_prediction_that_fails_is_never_reused():
    memo = blockmemo.Memo({"config"})
    calls = []

    def caller(text):
        return lambda: calls.append(text) or text

    assert memo._render(("k",), caller("a")) == "a"
    assert memo._render(("k",), caller("b")) == "b"  # the first reuse is rendered and compared
    assert memo._render(("k",), caller("a")) == "a"
    assert calls == ["a", "b", "a"]  # never reused after the wrong prediction

    assert memo._render(("j",), caller("x")) == "x"
    assert memo._render(("j",), caller("x")) == "x"  # checked
    assert memo._render(("j",), caller("y")) == "x"  # reused without rendering
    assert calls[-2:] == ["x", "x"] and memo.hits == 1


def test_header_title_put_in_where_material_prints_it():
    out = ('<header><div class="md-header__topic" data-md-component="header-topic">\n'
           '  <span class="md-ellipsis">\n    Alte &amp; Neue\n  </span></div></header>')
    prefix, suffix = blockmemo._split_title(out, "Alte &amp; Neue")
    assert prefix + "X <b>" + suffix == out.replace("Alte &amp; Neue", "X <b>")
    assert blockmemo._split_title(out, "Neue") is None  # not where the title belongs
    assert blockmemo._split_title(out + out, "Alte &amp; Neue") is None  # two places: in doubt


def test_serve_rebuild_shows_a_renamed_navigation_title_on_every_page(tmp_path, memos):
    """A Memo lives for one build: a title of the navigation renamed between two rebuilds of
    'mkdocs serve' reaches every page, the ones whose navigation was kept included."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    proj = make_project(tmp_path)
    site = tmp_path / "served"

    def rebuild(cfg=None):
        cfg = cfg or load_config(str(proj / "mkdocs.yml"), site_dir=str(site))
        build(cfg, serve_url="http://127.0.0.1:8000/", dirty=False)

    cfg = load_config(str(proj / "mkdocs.yml"), site_dir=str(site))
    cfg.plugins.on_startup(command="serve", dirty=False)
    try:
        rebuild(cfg)
        topic = proj / "content" / "topics" / "ernte.yaml"
        topic.write_text(topic.read_text(encoding="utf-8").replace("title: Die Ernte", "title: Die Apfelernte", 1),
                         encoding="utf-8")
        rebuild()
    finally:
        cfg.plugins.on_shutdown()
    assert len(memos) == 2 and memos[0] is not memos[1]
    assert memos[1].hits > 0
    pages = [p for p in site.rglob("index.html") if "md-sidebar--primary" in p.read_text(encoding="utf-8")]
    assert len(pages) > 5
    for path in pages:
        nav = path.read_text(encoding="utf-8").split('data-md-type="toc"')[0]
        assert "Die Apfelernte" in nav and "Die Ernte\n" not in nav, path
