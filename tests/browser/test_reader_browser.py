"""The reader experience in a real browser (Debian chromium through Playwright).

Every test records all requests of its pages (see conftest.Browser) and fails if one goes
anywhere but 127.0.0.1.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from .conftest import ALIAS, MAIN_PAGES

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: axe rules we accept although they report "serious" or "critical" findings. Only rules caused
#: by Material for MkDocs itself may be listed, each with its reason. (Empty: the three findings
#: of Material's default page are fixed by our overrides – search dialog name in main.html,
#: link underlines and colours in dossier.css.)
AXE_ALLOWED: dict[str, str] = {}


def test_every_main_page_loads_without_script_errors(browser, base_url):
    ctx = browser.context()
    page = ctx.pages[0]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for name, path in MAIN_PAGES.items():
        page.goto(base_url + path, wait_until="load")
        assert page.locator("h1").count() == 1, name
    assert errors == []


def _search_term(d, kind: str) -> str:
    """A word a reader would search for: an actor's name, its alias (in no article), a place."""
    if kind == "actor":
        return d.actors["akteur-0000"].name.split()[-1]
    if kind == "alias":
        return ALIAS[1].split()[-1]
    return sorted(p for e in d.events.values() for p in e.places)[0]


@pytest.mark.parametrize("kind", ["actor", "alias", "place"])
def test_german_search_finds(browser, base_url, browser_project, kind):
    term = _search_term(_dossier(browser_project), kind)
    page = browser.page(base_url)
    page.keyboard.press("/")  # Material's search shortcut; the worker is served by the site itself
    field = page.locator("input.md-search__input")
    field.wait_for(state="visible")
    # Type as a reader does, once the index is ready: Material reads the query on keyup (and
    # once when the worker reports ready), so a bare `fill` races the worker and may never search.
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text("Suche wird initialisiert", timeout=15000)
    field.press_sequentially(term)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10000)
    assert results.count() >= 1
    # the results of the first letters typed may show first (Material searches on every
    # keyup): wait for those of the whole word, then the word must be among them
    expect(page.locator(".md-search-result")).to_contain_text(term, ignore_case=True, timeout=10000)
    assert term.lower() in page.locator(".md-search-result").inner_text().lower()


def test_citation_preview_on_hover_and_focus_and_link_to_highlighted_passage(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"])
    cite = page.locator("a.dossier-cite").first
    quote = cite.get_attribute("data-quote")
    tip = page.locator("#dossier-tip")

    cite.hover()
    tip.wait_for(state="visible")
    assert quote in tip.inner_text()
    assert cite.get_attribute("data-title") in tip.inner_text()

    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")

    cite.focus()  # keyboard focus shows the same preview; Escape closes it
    tip.wait_for(state="visible")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")

    href = cite.get_attribute("href")
    anchor = href.split("#", 1)[1]
    page.keyboard.press("Enter")  # the link still navigates
    page.wait_for_url(f"**/quellen/**#{anchor}")
    marks = page.locator(f"mark.{anchor}")
    assert marks.count() >= 1
    text = " ".join(marks.all_inner_texts())
    assert " ".join(text.split()) in " ".join(quote.split())
    assert all("is-target" in (m.get_attribute("class") or "") for m in marks.all())
    highlighted = marks.first.evaluate("el => getComputedStyle(el).outlineStyle")
    assert highlighted == "solid"
    assert marks.first.is_visible()


def test_source_page_links_each_passage_back_to_the_statements(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["source"])
    backlinks = page.locator(".dossier-backlinks a")
    assert backlinks.count() >= 3
    href = backlinks.first.get_attribute("href")
    backlinks.first.click()
    target = href.split("#", 1)[1]
    page.wait_for_url(f"**#{target}")
    assert page.locator(f"[id='{target}']").is_visible()


def _dossier(proj):
    from newsdossier import core

    result = core.check(proj)
    assert result.ok
    return result.dossier


def test_chronology_is_complete_without_javascript(browser, base_url, browser_project):
    d = _dossier(browser_project)
    page = browser.page(base_url + MAIN_PAGES["chronology"], javascript=False)
    events = page.locator("li.dossier-event")
    assert events.count() == len(d.events)
    assert page.locator("li.dossier-event:visible").count() == len(d.events)
    assert not page.locator("form.dossier-filter").is_visible(), "the filter needs JavaScript, so it stays hidden"
    ids = set(events.evaluate_all("els => els.map(e => e.id)"))
    assert ids == set(d.events)


def test_chronology_filter_by_topic_and_actor_with_the_keyboard(browser, base_url, browser_project):
    d = _dossier(browser_project)
    page = browser.page(base_url + MAIN_PAGES["chronology"])
    form = page.locator("form.dossier-filter")
    form.wait_for(state="visible")
    total = len(d.events)
    status = page.locator(".dossier-filter__status")
    assert str(total) in status.inner_text()

    topic = page.locator("#filter-thema")
    topic.focus()
    page.keyboard.press("ArrowDown")  # first topic, chosen with the keyboard only
    chosen = topic.input_value()
    assert chosen
    expected = {e.id for e in d.events.values() if chosen in e.topics}
    visible = set(page.locator("li.dossier-event:visible").evaluate_all("els => els.map(e => e.id)"))
    assert visible == expected and 0 < len(visible) < total
    assert f"{len(expected)} von {total}" in status.inner_text()
    assert f"thema={chosen}" in page.url
    for h in page.locator("h2[id^='jahr-']").all():  # years without a matching event disappear
        year = int(h.get_attribute("id").split("-")[1])
        has = any(d.events[i].date.lower.year == year or (d.events[i].date.start is None and d.events[i].date.upper.year == year) for i in expected)
        assert h.is_visible() == has, year

    for h in page.locator("h2[id^='zeitraum-']").all():  # so do spans across years without one
        label = h.inner_text()
        has = any((d.events[i].date_label or d.events[i].date.german()) == label for i in expected)
        assert h.is_visible() == has, label

    actor = page.locator("#filter-akteur")
    actor.select_option(index=0)
    topic.select_option("")
    busiest = max(d.actors, key=lambda a: sum(a in e.actors for e in d.events.values()))
    actor.select_option(busiest)
    expected = {e.id for e in d.events.values() if busiest in e.actors}
    visible = set(page.locator("li.dossier-event:visible").evaluate_all("els => els.map(e => e.id)"))
    assert visible == expected

    page.locator("form.dossier-filter button[type=reset]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('li.dossier-event:not([hidden])').length === {total}")


def test_event_permalink_opens_the_event(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["chronology"])
    link = page.locator("li.dossier-event a.dossier-permalink").nth(3)
    href = link.get_attribute("href")
    link.click()
    eid = href.split("#", 1)[1]
    page.wait_for_url(f"**#{eid}")
    assert page.locator(f"li.dossier-event[id='{eid}']").evaluate("el => el.matches(':target')")


@pytest.mark.parametrize("name", ["home", "topic", "chronology", "source", "figures"])
def test_axe_finds_no_serious_or_critical_violation(browser, base_url, name):
    assert AXE.is_file(), "axe-core missing: run 'npm ci' (make test does)"
    page = browser.page(base_url + MAIN_PAGES[name])
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in AXE_ALLOWED
    ]
    assert bad == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_colour_contrast_in_both_schemes_on_the_figures_page(browser, base_url, scheme):
    page = browser.page(base_url + MAIN_PAGES["figures"], color_scheme=scheme)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['color-contrast']})")
    assert [v["nodes"][0]["target"] for v in result["violations"]] == []
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_no_horizontal_scrolling_at_375_px(browser, base_url, name):
    page = browser.page(base_url + MAIN_PAGES[name], width=375, height=812)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: page is {width}px wide"


def test_printing_keeps_the_citations_as_text(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"])
    page.emulate_media(media="print")
    refs = page.locator(".dossier-references")
    assert refs.is_visible()
    first = page.locator("a.dossier-cite").first
    assert first.is_visible() and first.inner_text().startswith("[")
    assert first.get_attribute("data-quote") in refs.inner_text()
    assert not page.locator(".md-sidebar--primary").is_visible()


def test_chart_is_inline_svg_readable_in_dark_mode(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["figures"], color_scheme="dark")
    svg = page.locator("svg.dossier-chart").first
    assert svg.get_attribute("role") == "img"
    label = page.locator("svg.dossier-chart text.dossier-chart__label").first
    fill = label.evaluate("el => getComputedStyle(el).fill")
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert fill != bg
    # light text on the dark background
    rgb = [int(x) for x in fill[fill.index("(") + 1: fill.index(")")].split(",")[:3]]
    assert sum(rgb) / 3 > 150, fill


def test_citation_preview_fits_a_375_px_screen(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"], width=375, height=812)
    cite = page.locator("a.dossier-cite").nth(5)
    cite.scroll_into_view_if_needed()
    cite.focus()
    tip = page.locator("#dossier-tip")
    tip.wait_for(state="visible")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_malformed_address_does_not_break_the_page_script(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["chronology"] + "#%E0")
    page.locator("form.dossier-filter").wait_for(state="visible")
    assert page.js_errors == []
