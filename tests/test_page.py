"""page.Toc: the headings a page template prints, as its table of contents."""

from markupsafe import Markup

from newsdossier.page import Heading, Toc


def test_headings_nest_by_level_and_the_title_is_plain_text():
    toc = Toc()
    assert toc.heading(1, None, "Ernte & Preise <2024>") == "ernte-preise-2024"
    toc.heading(2, "a", Markup("A &amp; B"))
    toc.heading(3, "a-1", "A1")
    toc.heading(2, "b", "B")
    assert toc.title == "Ernte & Preise <2024>"
    assert toc.items() == [Heading(1, "ernte-preise-2024", "Ernte &amp; Preise &lt;2024&gt;", [
        Heading(2, "a", "A &amp; B", [Heading(3, "a-1", "A1")]), Heading(2, "b", "B")])]


def test_a_title_slug_that_a_later_section_repeats_is_made_unique():
    """As MkDocs' toc extension did: the page title's id gives way to the section's own id."""
    toc = Toc()
    body = (f'<h1 id="{toc.heading(1, None, "Ereignisse")}">Ereignisse<a href="#ereignisse">¶</a></h1>\n'
            f'<h2 id="{toc.heading(2, "ereignisse", "Ereignisse")}">Ereignisse<a href="#ereignisse">¶</a></h2>\n')
    assert toc.settle(body) == ('<h1 id="ereignisse_1">Ereignisse<a href="#ereignisse_1">¶</a></h1>\n'
                                '<h2 id="ereignisse">Ereignisse<a href="#ereignisse">¶</a></h2>\n')
    assert [(h.id, [c.id for c in h.children]) for h in toc.items()] == [("ereignisse_1", ["ereignisse"])]
