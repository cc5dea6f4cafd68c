"""Reader experience, second round (issue 12), checked in the built HTML: sources told apart by
a short label, CSV downloads, the footer's contact and error report, calm topic and
contradiction pages, anchored headings, and the small slips (plurals, doubled quotation marks,
forecasts). Generator behaviour is tested on the fixture; the slips also on the real dossier."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import build_project, make_project


def edit(proj: Path, rel: str, old: str, new: str) -> None:
    path = proj / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    return build_project(make_project(tmp_path_factory.mktemp("round2-real"), fixture=None))


def _pages(site: Path):
    return sorted(p for p in site.rglob("index.html") if "search" not in p.parts)


def _article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


# --- sources a reader can tell apart -------------------------------------------------------

def test_the_editorial_label_names_the_source_in_every_reported_line_and_reference(tmp_path):
    proj = make_project(tmp_path)
    edit(proj, "content/sources/rekordernte.yaml", "publisher: null\n", 'publisher: null\nlabel: "Rekordbericht"\n')
    site = build_project(proj)
    topic = (site / "themen/ernte/index.html").read_text(encoding="utf-8")
    assert ">Rekordbericht, September 2024</a>" in topic  # "Artikel:" line of a claim
    refs = topic.split('id="belege-h"')[1]
    assert re.search(r'<li id="beleg-1"><q>[^<]+</q> – <a href="[^"]+" title="Testdorf meldet Rekordernte">Rekordbericht, September 2024</a>', refs)
    assert 'data-source="Rekordbericht, September 2024"' in topic  # the preview
    assert "Herausgeber unbekannt" not in topic and "(erschlossen)" not in topic


def test_without_a_label_sources_get_distinct_short_names():
    from newsdossier.render import Renderer, short_title

    assert short_title("Kurz") == "Kurz"
    long = "Nordkorea-Soldaten an Grenze verlegt: Plant Putin die nächste Eskalation im Ukraine-Krieg?"
    cut = short_title(long)
    assert cut.endswith("…") and len(cut) <= 41 and long.startswith(cut[:-1])
    src = lambda title, label=None: SimpleNamespace(title=title, label=label)  # noqa: E731
    r = Renderer.__new__(Renderer)
    r._short_names = None
    r.d = SimpleNamespace(sources={"a": src(long), "b": src(long + " Teil 2"), "c": src("Anderes", "Eigenes Etikett")})
    names = r.short_names()
    assert names["c"] == "Eigenes Etikett"
    assert names["a"] != names["b"] and {names["a"], names["b"]} == {f"{cut} (a)", f"{cut} (b)"}


def test_the_real_sources_have_five_distinct_labels_and_erschlossen_only_where_it_explains(real_site):
    from newsdossier import core
    from conftest import ROOT

    d = core.check(ROOT).dossier
    labels = [s.label for s in d.sources.values()]
    assert all(labels) and len(set(labels)) == len(labels) == len(d.sources)
    home = _article((real_site / "index.html").read_text(encoding="utf-8"))
    assert "(erschlossen)" not in home and "Herausgeber unbekannt" not in home
    # said once, where it is explained: on the source page next to the evidence
    page = (real_site / "quellen/geruechte-entsendung/index.html").read_text(encoding="utf-8")
    assert "Tagesspiegel (erschlossen)" in page and 'id="herkunft"' in page


# --- figures: CSV per series ---------------------------------------------------------------

def test_each_figure_series_has_a_csv_download_generated_at_build_time(build_site):
    site = build_site()
    html = (site / "zahlen/index.html").read_text(encoding="utf-8")
    assert '<a href="../daten/zahlen-ernte.csv" download>' in html
    rows = list(csv.reader(io.StringIO((site / "daten/zahlen-ernte.csv").read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["angabe", "wert", "einschraenkung", "einheit", "wer"]
    assert [r[1] for r in rows[1:]] == ["1200", "900"]  # one row per report, largest first
    assert rows[1][4] == "Anna Beispiel" and rows[1][5] == "Äpfel, laut Gemeinde"
    assert rows[1][8] == "ernte-1200"


def test_csv_fields_with_commas_and_quotes_are_quoted():
    from newsdossier.render import csv_row

    line = str(csv_row(["a,b", 'sagt "nein"', 12000.0, "x"]))
    assert next(csv.reader([line])) == ["a,b", 'sagt "nein"', "12000", "x"]


# --- trust: footer contact, error report, anchored headings --------------------------------

def test_footer_shows_the_contact_and_a_mailto_report_for_the_page(tmp_path):
    proj = make_project(tmp_path)
    edit(proj, "content/dossier.yaml", "  Fehler bitte an die Redaktion melden.",
         "  Fehler bitte an [redaktion@example.org](mailto:redaktion@example.org) melden.")
    site = build_project(proj)
    for page in ("index.html", "zahlen/index.html", "themen/ernte/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        footer = html.split('<footer class="md-footer">', 1)[1]
        assert "Kontakt und Korrekturen" in footer and "redaktion@example.org" in footer
        m = re.search(r'href="mailto:redaktion@example.org\?subject=([^"&]+)&amp;body=([^"]+)"', footer)
        assert m, page
        assert "Fehler%20im%20Dossier" in m.group(1)
    zahlen = (site / "zahlen/index.html").read_text(encoding="utf-8")
    assert "Zahlen%20im%20Vergleich" in zahlen.split('<footer class="md-footer">', 1)[1]


def test_without_an_address_the_footer_links_the_method_section(build_site):
    site = build_site()
    html = (site / "themen/ernte/index.html").read_text(encoding="utf-8")
    footer = html.split('<footer class="md-footer">', 1)[1]
    assert "Fehler bitte an die Redaktion melden." in footer and "mailto:" not in footer
    assert 'href="../../methode/#fehler-melden"' in footer
    assert 'id="fehler-melden"' in (site / "methode/index.html").read_text(encoding="utf-8")


def test_every_heading_has_an_anchor(real_site):
    missing = []
    for page in _pages(real_site):
        body = _article(page.read_text(encoding="utf-8"))
        for m in re.finditer(r"<h([1-6])([^>]*)>(.*?)</h\1>", body, re.S):
            attrs, inner = m.group(2), m.group(3)
            anchored = ('id="' in attrs and 'class="headerlink"' in inner) or "dossier-permalink" in inner
            if not anchored:
                missing.append((page.relative_to(real_site).as_posix(), re.sub(r"<[^>]+>", "", inner)[:50]))
    assert missing == []


# --- calm topic and contradiction pages ----------------------------------------------------

def test_each_contradiction_is_linked_once_per_topic_page(real_site):
    for page in sorted((real_site / "themen").glob("*/index.html")):
        body = _article(page.read_text(encoding="utf-8"))
        links = re.findall(r'href="\.\./\.\./widersprueche/#([^"]+)"', body)
        assert len(links) == len(set(links)), (page, links)
    body = _article((real_site / "themen/truppenstaerke/index.html").read_text(encoding="utf-8"))
    assert "Widersprüche in diesem Thema" in body and "Widerspruch: " not in body


def test_common_statuses_are_quiet_so_that_rare_ones_stand_out(real_site):
    body = _article((real_site / "themen/truppenstaerke/index.html").read_text(encoding="utf-8"))
    badges = re.findall(r'class="dossier-status dossier-status--(\w+)( dossier-status--quiet)?"', body)
    quiet = {s for s, q in badges if q}
    loud = {s for s, q in badges if not q}
    assert quiet and not (quiet & loud)
    for s in loud:
        assert sum(1 for b, _ in badges if b == s) * 4 < len(badges) or sum(1 for b, _ in badges if b == s) < 3


def test_contradictions_page_has_an_overview_and_labels_each_side(real_site):
    from newsdossier import core
    from conftest import ROOT

    d = core.check(ROOT).dossier
    body = _article((real_site / "widersprueche/index.html").read_text(encoding="utf-8"))
    overview = body.split('id="ueberblick"', 1)[1].split("</nav>", 1)[0]
    for k in d.contradictions.values():
        assert f'href="#{k.id}"' in overview
    assert body.index('id="ueberblick"') < min(body.index(f'id="{k.id}"') for k in d.contradictions.values())
    sides = re.findall(r'<div class="dossier-side">(.*?)</div>', body, re.S)
    assert len(sides) == sum(len(k.sides) for k in d.contradictions.values())
    for s in sides:
        assert "Berichtet in: <a" in s and "Position " in s
    # no claim text repeated as a link under its side
    for k in d.contradictions.values():
        for side in k.sides:
            for cid in side.claims:
                assert f">{d.claims[cid].text}</a>" not in body


# --- slips -------------------------------------------------------------------------------

def test_no_wrong_plurals_or_doubled_quotation_marks(real_site):
    for page in _pages(real_site):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\d.])1 (Aussagen|Ereignisse|Angaben|Stellen|Positionen)\b", html), page
        assert " 0 Aussagen" not in html, page
        for q in re.findall(r"<q>([^<]*)</q>", html):  # the browser adds „…“ to <q>
            assert not (q.startswith("„") and q.endswith("“")), (page, q)


def test_quote_with_its_own_quotation_marks_gets_none_from_q():
    from newsdossier.render import Renderer

    assert Renderer.quote_html("„Einige Opfer.“") == '<q class="dossier-q--own">„Einige Opfer.“</q>'
    assert Renderer.quote_html("Kein <b>") == "<q>Kein &lt;b&gt;</q>"


def test_a_forecast_is_not_labelled_as_having_happened(build_site):
    """An event dated after every article reporting it was published is an expectation."""
    def add_forecast(proj):
        events = proj / "content/events/chronik.yaml"
        events.write_text(events.read_text(encoding="utf-8") + (
            "- id: erntefest\n  date: \"2024-11-01\"\n  title: Das Erntefest soll stattfinden\n"
            "  cite:\n    - source: rekordernte\n      quote: \"Ein Foto zeigt volle Kisten.\"\n"), encoding="utf-8")

    site = build_site(edit=add_forecast)
    chrono = (site / "chronologie/index.html").read_text(encoding="utf-8")
    item = chrono.split('id="erntefest"', 1)[1].split("</li>", 1)[0]
    assert "Erwartet (Prognose):" in item and "Geschehen:" not in item
    done = chrono.split('id="erntebeginn"', 1)[1].split("</li>", 1)[0]
    assert "Geschehen:" in done and "Erwartet" not in done
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Das Erntefest soll stattfinden" not in home.split("Neueste Ereignisse", 1)[-1].split("</ol>", 1)[0]