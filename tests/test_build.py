"""Integration: real MkDocs builds into tmp_path, assertions on the HTML."""

from __future__ import annotations

import json
import re

import pytest
from mkdocs.exceptions import Abort

from conftest import build_project, make_project
from htmlcheck import broken_links, html_pages, parse


def test_mini_site_has_every_page_and_no_broken_link(build_site):
    site = build_site()
    for page in ["index.html", "themen/index.html", "themen/ernte/index.html", "chronologie/index.html",
                 "zahlen/index.html", "widersprueche/index.html", "akteure/index.html", "akteure/beispiel/index.html",
                 "quellen/index.html", "quellen/rekordernte/index.html", "glossar/index.html", "methode/index.html",
                 "daten/dossier.json"]:
        assert (site / page).is_file(), page
    assert broken_links(site) == []


def test_citation_links_point_at_the_highlighted_passage(build_site):
    site = build_site()
    topic = parse(site / "themen/ernte/index.html")
    cites = [(h, a) for h, a in topic.links if "dossier-cite" in a.get("class", "")]
    assert cites, "claims carry citation links"
    href, attrs = cites[0]
    assert href.startswith("../../quellen/rekordernte/#q-")
    src_html = (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    anchor = href.split("#")[1]
    assert f'id="{anchor}"' in src_html
    assert f'<mark class="dossier-quote {anchor}">Die Gemeinde Testdorf hat nach eigenen Angaben </mark>' in src_html
    assert attrs["data-quote"] == "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet."


def test_public_source_page_shows_only_cited_passages_and_keeps_furniture_out(build_site):
    site = build_site()
    html = (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    article = html[html.index('class="dossier-article'):]
    assert "Ein Foto zeigt volle Kisten." not in article  # uncited sentence of a cited paragraph
    assert "© Testagentur" not in article and "Startseite" not in article and "Auch interessant" not in article
    assert "¶1" in article and "¶3" in article
    # backlinks from the passage to the claims citing it
    assert '<a href="../../themen/ernte/#ernte-gemeinde"' in article


def test_editor_preview_shows_full_text_and_marks_uncited_paragraphs(tmp_path):
    proj = make_project(tmp_path)
    site = build_project(proj, command="serve")
    html = (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert "Ein Foto zeigt volle Kisten." in html
    assert "dossier-passage--uncited" in html
    assert "Redaktionsvorschau" in html


def test_german_ui_and_no_third_party_requests_in_markup(build_site):
    """Nothing a browser loads by itself (scripts, styles, images, fonts) comes from elsewhere.
    The browser test checks the same on the wire."""
    import re

    site = build_site()
    loaded = re.compile(r'<(?:script|img|iframe|source|audio|video)[^>]*\ssrc="(?:https?:)?//|<link[^>]*\shref="(?:https?:)?//', re.I)
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="de"' in html, page
        assert not loaded.search(html), (page, loaded.search(html).group(0))
        for anchor in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', html):
            if "md-source" in anchor or "md-footer" in anchor:
                continue
            assert 'rel="noopener noreferrer"' in anchor, anchor


def test_dates_are_shown_with_honest_precision(build_site):
    site = build_site()
    html = (site / "chronologie/index.html").read_text(encoding="utf-8")
    assert "Anfang September 2024" in html and "vermutlich September 2024" in html
    assert "2024-09-01" in html  # machine-readable earliest day


def test_export_has_claims_with_citations(build_site):
    site = build_site()
    data = json.loads((site / "daten/dossier.json").read_text(encoding="utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "ernte-gemeinde")
    assert claim["citations"][0]["paragraph"] == 1 and claim["citations"][0]["source"] == "rekordernte"
    assert {e["id"] for e in data["events"]} == {"erntebeginn", "rekordmeldung"}


def test_a_title_cannot_inject_markup_into_the_head(tmp_path):
    """Design trap: Material prints page.title|striptags unescaped in <title>."""
    proj = make_project(tmp_path)
    path = proj / "content/topics/ernte.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Die Ernte", "title: 'Ernte &lt;/title&gt;&lt;script&gt;x&lt;/script&gt;'"), encoding="utf-8")
    site = build_project(proj)
    html = (site / "themen/ernte/index.html").read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    assert "<script>x" not in head
    assert "<script>x" not in html


@pytest.mark.expect_warnings
def test_a_content_error_fails_the_build_and_leaves_the_old_site(tmp_path, no_unexpected_warnings):
    proj = make_project(tmp_path)
    site = build_project(proj)
    marker = site / "index.html"
    before = marker.read_text(encoding="utf-8")
    path = proj / "content/topics/ernte.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1200 Tonnen Äpfel geerntet.\"", "1300 Tonnen Äpfel geerntet.\""), encoding="utf-8")
    with pytest.raises(Abort):
        build_project(proj)
    logged = "\n".join(r.getMessage() for r in no_unexpected_warnings.records)
    assert "content/topics/ernte.yaml:19:20: error: quote for source 'rekordernte' not found" in logged
    assert marker.read_text(encoding="utf-8") == before


def test_templates_can_be_overridden_by_the_theme(tmp_path):
    proj = make_project(tmp_path)
    override = proj / "site_theme" / "dossier"
    override.mkdir()
    (override / "glossary.html.j2").write_text('{% extends "_page.html.j2" %}\n{% set title = "Begriffe" %}\n'
                                                '{% block content %}<p>eigene Vorlage</p>{% endblock %}\n', encoding="utf-8")
    # one block of a built-in page replaced, the rest (and super()) kept
    (override / "topic.html.j2").write_text('{% extends "builtin/topic.html.j2" %}\n{% block title %}'
                                             '<p class="kicker">Thema</p>{{ super() }}{% endblock %}\n', encoding="utf-8")
    site = build_project(proj)
    glossary = (site / "glossar/index.html").read_text(encoding="utf-8")
    assert "eigene Vorlage" in glossary and "<title>Begriffe – " in glossary
    topic = next((site / "themen").glob("*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'<p class="kicker">Thema</p>\s*<h1 id="[^"]+">', topic)
    assert 'class="dossier-claims"' in topic  # the built-in content block


# --- a complete dossier (synthetic: every kind of content, several articles) ---------------

@pytest.fixture(scope="module")
def full_site(full_project):
    return full_project / "site"


def test_full_dossier_builds_strict_with_every_source_page(full_project, full_site):
    from newsdossier import core

    result = core.check(full_project)
    assert result.ok, "\n".join(p.format() for p in result.errors)
    for sid in result.dossier.sources:
        assert (full_site / "quellen" / sid / "index.html").is_file()
    assert len(result.dossier.topics) >= 3 and len(result.dossier.claims) >= 15 and len(result.dossier.events) >= 10


def test_full_dossier_has_no_broken_link_or_anchor(full_site):
    assert broken_links(full_site) == []


def test_every_citation_link_reaches_an_existing_highlighted_passage(full_site):
    checked = 0
    for page in html_pages(full_site):
        parsed = parse(page)
        for href, attrs in parsed.links:
            if "dossier-cite" not in attrs.get("class", ""):
                continue
            target = (page.parent / href.split("#")[0]).resolve() / "index.html"
            html = target.read_text(encoding="utf-8")
            anchor = href.split("#")[1]
            assert f'id="{anchor}"' in html, (page, href)
            assert re.search(rf'<mark class="dossier-quote[^"]*\b{anchor}\b', html), (page, href)
            checked += 1
    assert checked > 100


def _infer_publisher(proj):
    """The mini source's publisher concluded from the text ('Testagentur' in an image credit)."""
    src = proj / "content/sources/rekordernte.yaml"
    text = src.read_text(encoding="utf-8").replace("publisher: null", "publisher: Testagentur\ninferred: [publisher]")
    text = text.replace("evidence:\n", "evidence:\n  - about: publisher\n    quote: \"© Testagentur\"\n"
                                       "    note: Nur im Bildnachweis genannt.\n", 1)
    src.write_text(text, encoding="utf-8")


def test_inferred_metadata_is_marked_for_readers(build_site):
    """A publisher concluded from the text, not printed as publisher: say so; a date the text
    states is not marked."""
    site = build_site(edit=_infer_publisher)
    page = (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert "<dt>Herausgeber</dt><dd>Testagentur (erschlossen)</dd>" in page
    assert "Testagentur (erschlossen)" in (site / "quellen/index.html").read_text(encoding="utf-8")
    assert "September 2024 (erschlossen)" not in page and "September 2024" in page


def _add_span_event(proj):
    events = proj / "content/events/chronik.yaml"
    events.write_text(events.read_text(encoding="utf-8") + (
        "- id: alte-ernten\n  date: \"196X/197X\"\n  date_label: späte 1960er- und 1970er-Jahre\n"
        "  title: Frühere Ernten\n  cite:\n    - source: rekordernte\n      quote: \"Ein Foto zeigt volle Kisten.\"\n"),
        encoding="utf-8")


def test_chronology_gives_a_multi_year_span_its_own_honest_heading(build_site):
    """'späte 1960er und 1970er' must not be filed under a year the source never names."""
    site = build_site(edit=_add_span_event)
    html = (site / "chronologie/index.html").read_text(encoding="utf-8")
    link = '<a class="headerlink" href="#{0}" title="Link zu diesem Abschnitt">¶</a>'  # every heading anchored
    span = "zeitraum-spaete-1960er-und-1970er-jahre"
    assert f'<h2 id="{span}">späte 1960er- und 1970er-Jahre{link.format(span)}</h2>' in html
    assert 'id="jahr-196' not in html and 'id="jahr-197' not in html
    assert f'<h2 id="jahr-2024">2024{link.format("jahr-2024")}</h2>' in html
    assert f'<h3 id="2024-9">September 2024{link.format("2024-9")}</h3>' in html


def test_group_events_orders_spans_by_their_earliest_day():
    from newsdossier.edtf import parse
    from newsdossier.model import Event
    from newsdossier.render import group_events

    def ev(i, date, label=None):
        return Event(id=f"e{i}", date=parse(date), title="t", cite=[], date_label=label)

    events = sorted([ev(1, "2024-10"), ev(2, "1965/1973"), ev(3, "196X"), ev(4, "2024-06-11/2024-06-20"), ev(5, "2024")],
                    key=lambda e: e.date.sort_key())
    groups = group_events(events)
    assert [(h, a) for h, a, _ in groups] == [("1960er-Jahre", "zeitraum-1960er-jahre"), ("1965–1973", "zeitraum-1965-1973"),
                                              ("2024", "jahr-2024")]
    assert [(m, [e.id for e in evs]) for m, evs in groups[2][2]] == [("", ["e5"]), ("Juni", ["e4"]), ("Oktober", ["e1"])]
    # kept while the events are the very same objects (mkdocs serve), made anew for others
    assert group_events(list(events)) is groups
    moved = [*events[:-1], ev(1, "2023-10")]
    regrouped = group_events(moved)
    assert regrouped is not groups and [h for h, _a, _m in regrouped] == ["1960er-Jahre", "1965–1973", "2023", "2024"]


def test_a_template_added_between_two_rebuilds_is_used(tmp_path):
    """mkdocs serve keeps one process: a new override in site_theme/dossier/ must count."""
    from newsdossier import core
    from newsdossier.render import Options

    proj = make_project(tmp_path)
    override = proj / "site_theme" / "dossier"
    override.mkdir()
    (override / "unused.html.j2").write_text("x", encoding="utf-8")
    opts = Options(template_dirs=[override])
    first = core.build(proj, options=opts).pages["glossar.md"]
    (override / "glossary.html.j2").write_text("<p>eigene Vorlage</p>\n", encoding="utf-8")
    second = core.build(proj, options=opts).pages["glossar.md"]
    assert "eigene Vorlage" not in first.body_html and second.body_html == "<p>eigene Vorlage</p>\n"


def test_rendering_keeps_no_dossier_alive(tmp_path):
    """The cached Jinja environment must not hold the last run's dossier (serve rebuilds)."""
    import gc
    import weakref

    from newsdossier import core

    proj = make_project(tmp_path)
    result = core.build(proj)
    ref = weakref.ref(result.dossier)
    del result
    gc.collect()
    assert ref() is None


def test_the_preview_server_watches_content_seeds_theme_and_templates(tmp_path):
    """'make preview' must rebuild when an editor or designer changes any of these."""
    from mkdocs.config import load_config

    proj = make_project(tmp_path)
    cfg = load_config(str(proj / "mkdocs.yml"))
    plugin = cfg.plugins["dossier"]
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(cfg)

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=cfg, builder=None)
    names = {p.replace(str(proj), "").strip("/") or p for p in server.watched}
    assert {"content", "seeds", "site_theme"} <= names
    assert any(p.endswith("newsdossier/templates") for p in server.watched)
    assert any(p.endswith("newsdossier/theme") for p in server.watched)


def test_newest_source_is_one_rule_for_the_home_page_and_json_ld():
    """A source dated 'spätestens …' sorts by its latest day (as in the chronology), not
    after every dated source; the 'Stand' line and JSON-LD's dateModified agree."""
    from newsdossier.edtf import parse
    from newsdossier.index import newest_source
    from newsdossier.jsonld import modified
    from newsdossier.model import Dossier, Source

    d = Dossier()
    for sid, date in [("a", "2024-10-18"), ("b", "../2024-09-30"), ("c", None)]:
        d.sources[sid] = Source(id=sid, file=f"{sid}.txt", title=sid, published=parse(date) if date else None)
    assert newest_source(d).id == "a" and modified(d) == "2024-10-18"
    d.sources["a"].published = parse("2024-08")
    assert newest_source(d).id == "b" and modified(d) == "2024-09-30"
