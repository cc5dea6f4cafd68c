"""The golden snapshot of the mini fixture's site (tests/snapshot.py, tests/snapshots/mini/).

A change to any generated page, the layout, the search entries or the export shows here as a
unified diff. If the change is intended: `make snapshot`, review `git diff tests/snapshots/`,
and commit the snapshot with the change.
"""

from __future__ import annotations

import pytest
import snapshot


def test_the_mini_site_matches_the_golden_snapshot(tmp_path):
    new = snapshot.snapshot(snapshot.build_mini(tmp_path))
    old = snapshot.stored()
    assert old, "no snapshot stored: run 'make snapshot' and commit tests/snapshots/"
    changes = snapshot.diff(old, new)
    if changes:
        pytest.fail("the built mini site differs from tests/snapshots/mini/ "
                    "(intended? run 'make snapshot' and commit the new snapshot):\n" + changes, pytrace=False)


def test_the_snapshot_diff_names_the_page_and_the_line():
    old = {"pages/a.html": "<p>\n  eins\n</p>\n", "files.txt": "a\n"}
    new = {"pages/a.html": "<p>\n  zwei\n</p>\n", "search.txt": "a/\tA\n", "files.txt": "a\n"}
    assert snapshot.diff(old, new).split("\n") == [
        "--- a/pages/a.html", "+++ b/pages/a.html", "@@ -1,3 +1,3 @@", " <p>", "-  eins", "+  zwei", " </p>",
        "--- /dev/null", "+++ b/search.txt", "@@ -0,0 +1 @@", "+a/\tA"]
    assert snapshot.diff(old, old) == ""


def test_html_is_printed_one_node_a_line_whatever_the_source_layout():
    a = '<article class="md-content__inner"><p class="x">Ein  <b>Satz</b>\n mit &lt;Zeichen&gt;</p><br/><svg><path d="M0"/></svg></article><p>danach</p>'
    b = '<article class="md-content__inner">\n  <p class="x">Ein <b>Satz</b> mit &lt;Zeichen&gt;</p>\n<br>\n<svg><path d="M0"></path></svg>\n</article>'
    printed = snapshot.pretty(a, inside=snapshot._article)
    assert printed == snapshot.pretty(b, inside=snapshot._article)
    assert printed.split("\n") == [
        '<article class="md-content__inner">', '  <p class="x">', "    Ein ", "    <b>", "      Satz", "    </b>",
        "     mit &lt;Zeichen&gt;", "  </p>", "  <br>", "  <svg>", '    <path d="M0">', "    </path>", "  </svg>",
        "</article>", ""]
