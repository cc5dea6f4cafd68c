"""Reader experience, second round (issue 12), in a real browser (Debian chromium): the answer
on the first screen, tables that fit a phone, citation tap targets and the preview sheet, the
chronology filter that finds nothing, search by another spelling, and axe in both colour
schemes on every kind of page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from .conftest import MAIN_PAGES

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: one page of every kind the generator makes
PAGE_KINDS = {**MAIN_PAGES, "topics": "themen/", "actors": "akteure/", "sources": "quellen/", "method": "methode/"}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _top_and_bottom(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"], box["y"] + box["height"]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_home_answers_first_within_one_screen(browser, base_url, size):
    page = browser.page(base_url, **size)
    limit = size["height"]
    # what the dossier is about, what is known, what is unclear, the key figure
    for selector in ("h1", ".dossier-lead p", ".dossier-glance__item--known dd",
                     ".dossier-glance__item--unclear dd", ".dossier-glance__value"):
        top, bottom = _top_and_bottom(page, selector)
        assert bottom <= limit, f"{selector} ends at {bottom:.0f}px, below the first screen ({limit}px)"
    assert "Soldaten" in page.locator(".dossier-glance__value").inner_text()
    # the dating notes and the list of cited passages are folded away
    assert not page.locator("details.dossier-about").get_attribute("open")
    assert not page.locator(".dossier-references__list").is_visible()
    assert not page.locator(".dossier-about p").first.is_visible()


@pytest.mark.parametrize("name", ["figures", "sources"])
def test_tables_fit_a_375_px_screen_without_sideways_scrolling(browser, base_url, name):
    page = browser.page(base_url + PAGE_KINDS[name], **PHONE)
    tables = page.locator("table.dossier-table")
    assert tables.count() >= 1
    for i in range(tables.count()):
        t = tables.nth(i)
        t.scroll_into_view_if_needed()
        box = t.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (i, box)
        # nothing inside scrolls sideways either
        assert t.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), i
        wrap_scrolls = t.evaluate("el => { const w = el.closest('.dossier-table-wrap'); return w ? w.scrollWidth > w.clientWidth + 1 : false; }")
        assert not wrap_scrolls, i
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if name == "figures":  # stacked rows name their column
        cell = page.locator("table.dossier-table--stack td[data-label='Wer']").first
        before = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert "Wer" in before


def test_tables_have_lines_and_shaded_rows(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["figures"], **DESKTOP)
    cell = page.locator("table.dossier-figures td").first
    assert cell.evaluate("el => getComputedStyle(el).borderBottomStyle") == "solid"
    even = page.locator("table.dossier-figures tbody tr:nth-child(2)").first
    odd = page.locator("table.dossier-figures tbody tr:nth-child(1)").first
    assert even.evaluate("el => getComputedStyle(el).backgroundColor") != odd.evaluate("el => getComputedStyle(el).backgroundColor")
    # the "Wer" column is wide enough for a name: no word broken inside
    for who in page.locator("table.dossier-figures td.dossier-who").all():
        assert who.bounding_box()["width"] >= 130
        assert who.evaluate("el => getComputedStyle(el).hyphens") == "manual"
        assert who.evaluate("el => el.scrollWidth <= el.clientWidth")


@pytest.mark.parametrize("name", ["topic", "home", "contradictions"])
def test_citation_markers_are_at_least_24_px_tap_targets(browser, base_url, name):
    page = browser.page(base_url + MAIN_PAGES[name], **PHONE)
    sizes = page.eval_on_selector_all(
        "a.dossier-cite", "els => els.filter(e => e.offsetParent).map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    assert len(sizes) > 3
    small = [s for s in sizes if s[0] < 24 or s[1] < 24]
    assert small == []


def test_a_tap_on_a_citation_opens_the_preview_sheet_and_a_second_action_the_source(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"], has_touch=True, is_mobile=True, **PHONE)
    url = page.url
    cite = page.locator("a.dossier-cite").nth(2)
    cite.scroll_into_view_if_needed()
    quote = cite.get_attribute("data-quote")
    cite.tap()
    sheet = page.locator("#dossier-tip.dossier-tip--sheet")
    sheet.wait_for(state="visible")
    assert page.url == url, "the first tap must not leave the page"
    assert " ".join(quote.split())[:40] in " ".join(sheet.inner_text().split())
    box = sheet.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and abs(box["y"] + box["height"] - 812) <= 1
    go = sheet.locator("a.dossier-tip__go")
    gb = go.bounding_box()
    assert gb["height"] >= 24 and gb["width"] >= 24
    close = sheet.locator("button.dossier-tip__close")
    cb = close.bounding_box()
    assert cb["height"] >= 24 and cb["width"] >= 24
    close.tap()
    sheet.wait_for(state="hidden")
    # tap again, then the second action: the link in the sheet opens the passage
    cite.tap()
    sheet.wait_for(state="visible")
    anchor = cite.get_attribute("href").split("#", 1)[1]
    go.tap()
    page.wait_for_url(f"**/quellen/**#{anchor}")
    assert page.locator(f"mark.{anchor}.is-target").count() >= 1


def test_a_second_tap_on_the_same_citation_follows_it(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"], has_touch=True, is_mobile=True, **PHONE)
    cite = page.locator("a.dossier-cite").first
    cite.scroll_into_view_if_needed()
    cite.tap()
    page.locator("#dossier-tip.dossier-tip--sheet").wait_for(state="visible")
    cite.tap()
    page.wait_for_url("**/quellen/**")


def test_a_mouse_click_still_goes_straight_to_the_source(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"], **DESKTOP)
    page.locator("a.dossier-cite").first.click()
    page.wait_for_url("**/quellen/**")


def test_chronology_filter_without_a_match_says_so_and_hides_empty_years_in_the_toc(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["chronology"], **DESKTOP)
    page.locator("form.dossier-filter").wait_for(state="visible")
    # a topic and an actor that share no event
    pair = page.evaluate("""() => {
      const evs = [...document.querySelectorAll('li.dossier-event[data-topics]')];
      const ts = [...document.querySelectorAll('#filter-thema option')].map(o => o.value).filter(Boolean);
      const as = [...document.querySelectorAll('#filter-akteur option')].map(o => o.value).filter(Boolean);
      for (const t of ts) for (const a of as) {
        if (!evs.some(e => e.dataset.topics.split(' ').includes(t) && e.dataset.actors.split(' ').includes(a))) return [t, a];
      }
      return null; }""")
    assert pair, "every topic shares an event with every actor: pick another page"
    page.select_option("#filter-thema", pair[0])
    page.select_option("#filter-akteur", pair[1])
    status = page.locator(".dossier-filter__status")
    expect(status).to_contain_text("Keine Ereignisse")
    empty = page.locator(".dossier-filter__empty")
    expect(empty).to_be_visible()
    assert page.locator("li.dossier-event:not([hidden])").count() == 0
    toc_years = page.locator(".md-sidebar--secondary a[href^='#jahr-'], .md-sidebar--secondary a[href^='#zeitraum-']")
    assert toc_years.count() >= 1
    for i in range(toc_years.count()):
        assert not toc_years.nth(i).is_visible(), toc_years.nth(i).get_attribute("href")
    empty.locator("button").click()  # the reset next to the note brings everything back
    expect(status).to_contain_text("Alle")
    assert toc_years.first.is_visible()
    assert not empty.is_visible()


def _aliases_only_in_the_actor_list() -> list[tuple[str, str]]:
    """(alias, actor name) for aliases that appear in no article: found only through the alias."""
    from newsdossier import core

    d = core.check(ROOT).dossier
    seeds = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")).lower()
    return [(al, a.name) for a in d.actors.values() for al in a.aliases if al.lower() not in seeds]


def test_search_finds_an_actor_by_another_spelling(browser, base_url):
    pairs = _aliases_only_in_the_actor_list()
    assert pairs, "no actor has an alias that the articles do not use"
    page = browser.page(base_url, **DESKTOP)
    page.keyboard.press("/")
    field = page.locator("input.md-search__input")
    field.wait_for(state="visible")
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Suche wird initialisiert", timeout=15000)
    for alias, name in pairs:
        field.fill("")
        field.press_sequentially(alias.split()[0] if len(alias) > 30 else alias)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=10000)
        expect(page.locator(".md-search-result")).to_contain_text(name.split()[-1], timeout=10000)


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): " + "; ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical") or v["id"] == "landmark-unique"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGE_KINDS))
def test_axe_in_both_schemes_on_every_kind_of_page(browser, base_url, name, scheme):
    assert AXE.is_file(), "axe-core missing: run 'make node-deps'"
    page = browser.page(base_url + PAGE_KINDS[name], color_scheme=scheme)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    if name == "chronology":  # the filter (and its reset button) are shown by the script
        page.locator("form.dossier-filter").wait_for(state="visible")
    assert _axe(page) == []


def test_axe_on_the_open_preview_sheet(browser, base_url):
    page = browser.page(base_url + MAIN_PAGES["topic"], has_touch=True, is_mobile=True, color_scheme="dark", **PHONE)
    page.locator("a.dossier-cite").first.tap()
    page.locator("#dossier-tip.dossier-tip--sheet").wait_for(state="visible")
    assert _axe(page) == []
