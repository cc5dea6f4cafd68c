"""The editor preview ('mkdocs serve') when the content has problems: a page, not a hang.

When a rebuild fails, MkDocs' live-reload server keeps every page request waiting until a
rebuild succeeds. So under 'mkdocs serve' content problems do not fail the build: every page
path of the last good build (the fixed pages at least) becomes a page listing each problem
(``problems.html.j2``; path:line:col, message, detail, hint, all escaped), the build succeeds,
the browser reloads, and the next save that fixes the files brings the pages back the same
way. 'mkdocs build' still fails with every problem (the plugin raises PluginError).
"""

from __future__ import annotations

from .errors import Problem
from . import i18n
from .page import Page, Toc
from .paths import PAGES
from .render import Options, _environment

TEMPLATE = "problems.html.j2"


def report(problems: list[Problem]) -> str:
    """The list for the terminal: the same problems as the page, in the same order."""
    n = len(problems)
    head = (f"{n} content problem{'s' if n != 1 else ''} - every preview page lists "
            f"{'them' if n != 1 else 'it'} until the files are fixed:")
    return "\n".join([head, *(p.format() for p in problems)])


class Preview:
    """Remembers the last good build's pages and navigation, for the pages of a failed one."""

    def __init__(self) -> None:
        self.paths: list[str] = list(PAGES.values())
        self.nav: list | None = None
        #: the last build showed problems (the next good one says they are fixed)
        self.failed = False

    def succeeded(self, pages, nav: list) -> None:
        self.paths = sorted({*PAGES.values(), *pages})
        self.nav = nav
        self.failed = False

    def problem_pages(self, problems: list[Problem], options: Options, rendered=()) -> dict[str, Page]:
        """The same page, listing every problem, at every page path known (those of the last
        good build and any ``rendered`` this time)."""
        self.failed = True
        c = i18n.active()  # the language of the last build (the dossier may not load now)
        toc = Toc()
        body = toc.settle(_environment(options.template_dirs).get_template(TEMPLATE).render(
            problems=problems, t=c.markup, plural=c.plural_markup, toc=toc))
        title = toc.title or ""
        # the fixed pages in the language of this build (PAGES follows i18n.activate)
        return {path: Page(path, title, {"title": title}, toc.items(), body)
                for path in sorted({*self.paths, *PAGES.values(), *rendered})}
