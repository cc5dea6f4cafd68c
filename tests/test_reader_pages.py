"""Reader-facing pages, asserted on the built HTML (no browser): JSON-LD, the chart, the
chronology, source pages, the data export and its published schema."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from conftest import build_project, make_project
from htmlcheck import html_pages


@pytest.fixture(scope="module")
def real_site(full_project):
    return full_project / "site"


@pytest.fixture(scope="module")
def dossier(full_project):
    from newsdossier import core

    result = core.check(full_project)
    assert result.ok
    return result.dossier


def jsonld(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


# --- JSON-LD ------------------------------------------------------------------------------

def test_every_generated_page_carries_json_ld_with_the_cited_articles(real_site, dossier):
    topic_id, actor_id, source_id = min(dossier.topics), min(dossier.actors), min(dossier.sources)
    kinds = {"index.html": "WebPage", f"themen/{topic_id}/index.html": "Article",
             "chronologie/index.html": "WebPage", f"akteure/{actor_id}/index.html": "ProfilePage",
             "glossar/index.html": "DefinedTermSet", "methode/index.html": "AboutPage"}
    for page in html_pages(real_site):
        rel = page.relative_to(real_site).as_posix()
        if rel == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        ld = jsonld(html)
        assert ld["@context"] == "https://schema.org" and ld["inLanguage"] == "de", rel
        assert ld["headline"] and ld["isPartOf"]["name"] == dossier.meta.title, rel
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", ld["dateModified"]), rel
        if rel in kinds:
            assert ld["@type"] == kinds[rel], rel
    topic = jsonld((real_site / f"themen/{topic_id}/index.html").read_text(encoding="utf-8"))
    cited = {c.source for t in [dossier.topics[topic_id]] for cl in t.claims for c in cl.cite}
    assert {w["headline"] for w in topic["citation"]} >= {dossier.sources[s].title for s in cited}
    assert all(w["@type"] == "NewsArticle" for w in topic["citation"])
    source = jsonld((real_site / f"quellen/{source_id}/index.html").read_text(encoding="utf-8"))
    assert source["citation"][0]["headline"] == dossier.sources[source_id].title


def test_json_ld_cannot_be_closed_by_content_and_the_title_is_escaped(tmp_path):
    proj = make_project(tmp_path)
    path = proj / "content/topics/ernte.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Die Ernte", "title: 'Ernte &amp; &lt;/script&gt; Äpfel'"), encoding="utf-8")
    site = build_project(proj)
    html = (site / "themen/ernte/index.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script
    assert jsonld(html)["headline"] == "Ernte &amp; &lt;/script&gt; Äpfel"
    assert "<title>Ernte &amp;amp; &amp;lt;/script&amp;gt; Äpfel – " in html


def test_builds_are_byte_identical(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = build_project(make_project(tmp_path / "a"))
    b = build_project(make_project(tmp_path / "b"))
    for page in html_pages(a):
        rel = page.relative_to(a)
        assert page.read_bytes() == (b / rel).read_bytes(), rel
    assert (a / "daten/dossier.json").read_bytes() == (b / "daten/dossier.json").read_bytes()


# --- export and its schema ----------------------------------------------------------------

def _validator(site):
    schema = json.loads((site / "daten/dossier.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_real_export_matches_its_published_schema(real_site, dossier):
    v = _validator(real_site)
    data = json.loads((real_site / "daten/dossier.json").read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message}" for e in v.iter_errors(data)]
    assert errors == []
    assert len(data["claims"]) == len(dossier.claims) and len(data["events"]) == len(dossier.events)
    assert sum(len(c["citations"]) for c in data["claims"]) >= len(dossier.claims)


def test_the_schema_rejects_a_broken_export(build_site):
    site = build_site()
    v = _validator(site)
    data = json.loads((site / "daten/dossier.json").read_text(encoding="utf-8"))
    assert not list(v.iter_errors(data))
    data["claims"][0]["citations"] = []
    data["figures"][0]["qualifier"] = "circa"
    data["events"][0]["surprise"] = 1
    paths = {e.json_path for e in v.iter_errors(data)}
    assert {"$.claims[0].citations", "$.figures[0].qualifier", "$.events[0]"} <= paths


def test_method_page_links_the_data_and_its_schema(build_site):
    site = build_site()
    html = (site / "methode/index.html").read_text(encoding="utf-8")
    assert 'href="../daten/dossier.json"' in html and 'href="../daten/dossier.schema.json"' in html


# --- figures: build-time SVG --------------------------------------------------------------

def test_figure_series_become_accessible_inline_svg_with_a_data_table(real_site, dossier):
    html = (real_site / "zahlen/index.html").read_text(encoding="utf-8")
    series = [s for s in dossier.series.values() if len(s.figures) > 1]
    charts = re.findall(r'<svg class="dossier-chart" id="([^"]+)" role="img" viewBox="[^"]+" aria-labelledby="([^"]+)"', html)
    assert len(charts) == len(series)
    for cid, labelled in charts:
        assert labelled == f"{cid}-title {cid}-desc"
        assert f'<title id="{cid}-title">' in html and f'<desc id="{cid}-desc">' in html
    # the series with an open-ended figure ('at least') and an upper bound ('up to')
    [sid] = [k for k, s in dossier.series.items() if {f.qualifier for f in s.figures} >= {"at-least", "up-to"}]
    troops = html[html.index(f'id="diagramm-{sid}"'):]
    troops = troops[: troops.index("</svg>")]
    # one bar per statement: a claimant's number reported by several articles is one bar
    figs = dossier.series[sid].figures
    statements = {(f.by, f.value, f.qualifier in ("exact", "about") or f.qualifier) for f in figs}
    assert troops.count('class="dossier-chart__label"') == len(statements)
    assert "bis zu " in troops and "mindestens " in troops
    # largest first
    values = [int(v.replace(".", "")) for v in re.findall(r'class="dossier-chart__value">(?:[a-z ]+ )?([\d.]+)<', troops)]
    assert values and values == sorted(values, reverse=True)
    assert "dossier-chart__arrow" in troops and "dossier-chart__bar--open" in troops
    assert not re.search(r'(fill|stroke|style)="', troops.split("</desc>")[1]), "colours come from CSS (dark mode)"
    for f in dossier.series[sid].figures:  # every bar also in the table
        assert f'<tr id="{f.id}">' in html
    assert "<script" not in html.split('<article')[1].split("</article>")[0]
    assert "Alle Zahlenangaben nach Urheber und Datum" in html


# --- chronology ---------------------------------------------------------------------------

def test_chronology_lists_every_event_grouped_by_year_with_honest_dates(real_site, dossier):
    html = (real_site / "chronologie/index.html").read_text(encoding="utf-8")
    for e in dossier.events.values():
        assert f'id="{e.id}"' in html
        assert f'href="#{e.id}"' in html  # permalink
    # every event stands under a heading: its year, or for a multi-year span its own wording
    for e in dossier.events.values():
        d = e.date
        if d.start and d.end and d.lower.year != d.upper.year:
            assert f">{e.date_label or d.german()}<a class=\"headerlink\"" in html
        else:
            assert f'id="jahr-{(d.lower if d.start else d.upper).year}"' in html
    # every event says when it happened, or that it is expected (a forecast, see test_reader_round2)
    assert html.count('class="dossier-event__label">Geschehen:') + html.count(
        'dossier-event__label--forecast">Erwartet (Prognose):') == len(dossier.events)
    assert html.count('class="dossier-event__label">Berichtet:') == len(dossier.events)
    approx = [e for e in dossier.events.values() if e.date.approximate or e.date.is_interval or e.date.start.precision != "day"]
    assert approx and html.count('class="dossier-approx') == len(approx)
    assert '<form class="dossier-filter" hidden' in html  # progressive enhancement: shown by JS only
    assert 'datetime=""' not in html


def test_mini_chronology_shows_precision_and_machine_dates(build_site):
    html = (build_site() / "chronologie/index.html").read_text(encoding="utf-8")
    assert "Anfang September 2024" in html and "vermutlich September 2024" in html
    assert '<time datetime="2024-09-01">Anfang September 2024</time>' in html
    assert ">Zeitraum</span>" in html and ">unsicher</span>" in html


# --- source pages -------------------------------------------------------------------------

def test_source_page_shows_editorial_notes_beside_the_passage(build_site):
    html = (build_site() / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert '<div class="dossier-note" role="note"><strong>Anmerkung:</strong> <q>nur 900 Tonnen</q> – Der Verband nennt keine Methode.</div>' in html


def test_fulltext_sources_show_every_paragraph(tmp_path):
    proj = make_project(tmp_path)
    path = proj / "content/sources/rekordernte.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^reproduce:.*$", "reproduce: fulltext", text) if "reproduce:" in text else text + "\nreproduce: fulltext\n"
    path.write_text(text, encoding="utf-8")
    html = (build_project(proj) / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert "Ein Foto zeigt volle Kisten." in html and "vollständiger Text (Rechte geklärt)" in html


def test_citation_links_carry_what_the_preview_shows(build_site):
    html = (build_site() / "themen/ernte/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="dossier-cite"[^>]*>', html).group(0)
    for attr in ("data-quote=", "data-source=", "data-title=", "data-paragraph=", 'aria-describedby="beleg-1"'):
        assert attr in link


def test_pages_load_our_script_and_no_chart_library(real_site):
    for rel in ("index.html", "zahlen/index.html", "chronologie/index.html"):
        html = (real_site / rel).read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert any(s.endswith("assets/dossier.js") for s in scripts), rel
        assert all(not s.startswith(("http:", "https:", "//")) for s in scripts), rel
