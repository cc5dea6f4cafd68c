"""A generator, not one site: 'dossier new', a short mkdocs.yml, the identity from dossier.yaml,
one setting per fact, two dossiers from one installation, paragraphs as the article has
them, MkDocs and ProperDocs, and the README's walkthrough for a new article."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, build_project, make_project
from htmlcheck import html_pages
from newsdossier import core
from newsdossier.coverage import coverage

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1729251300"}
#: words of the repository's first dossier that no generic file or new site may contain
FIRST_STORY = re.compile(r"nordkorea|pentagon|satellit|soldat|russland|ukrain|kursk|pjöngjang|selenskyj|putin", re.I)


def run(cmd, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300)


def _site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in html_pages(site))


# --- dossier new ----------------------------------------------------------------------------

def test_a_new_dossier_checks_and_builds_strict_at_once(tmp_path):
    r = run([BIN / "dossier", "new", "mein-dossier", "--title", "Hochwasser im Tal"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    proj = tmp_path / "mein-dossier"
    for rel in ("mkdocs.yml", ".gitignore", "README.md", "content/dossier.yaml", "content/sources/beispiel.yaml",
                "content/topics/beispiel.yaml", "seeds/beispiel.txt", "content/schemas/topic.schema.json"):
        assert (proj / rel).is_file(), rel
    for folder in ("events", "actors", "figures", "contradictions", "glossary"):
        assert (proj / "content" / folder).is_dir(), folder
    check = run([BIN / "dossier", "check"], cwd=proj)
    assert check.returncode == 0 and check.stdout.startswith("ok: 1 sources, 1 topics, 1 claims"), check.stderr
    assert "0 warnings" in check.stdout
    assert run([BIN / "dossier", "schemas", "--check"], cwd=proj).returncode == 0
    build = run([BIN / "mkdocs", "build", "--strict"], cwd=proj)
    assert build.returncode == 0, build.stderr
    site = proj / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Hochwasser im Tal</title>" in home and '<html lang="de"' in home
    assert 'href="assets/dossier.css"' in home and (site / "assets/dossier.css").is_file()
    assert 'id="beispiel-zitat"' in (site / "themen/beispiel/index.html").read_text(encoding="utf-8")
    # nothing published from the content folder itself
    assert not list(site.rglob("*.yaml")) and not (site / "schemas").exists() and not list(site.rglob(".gitkeep"))
    # and no trace of the repository's first dossier anywhere in the site, search index included
    published = _site_text(site) + (site / "search/search_index.json").read_text(encoding="utf-8")
    assert not FIRST_STORY.search(published)


def test_the_generator_and_the_scaffold_tell_no_story_of_ours(tmp_path):
    from newsdossier.scaffold import create

    create(tmp_path / "neu")
    package = ROOT / "generator" / "newsdossier"
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [p for p in (tmp_path / "neu").rglob("*") if p.is_file()]
    assert len(files) > 40
    found = [f"{p}: {m.group(0)}" for p in files for m in FIRST_STORY.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_new_refuses_a_folder_that_is_not_empty_and_a_title_the_check_would_refuse(tmp_path):
    (tmp_path / "voll").mkdir()
    (tmp_path / "voll" / "notiz.txt").write_text("x", encoding="utf-8")
    r = run([BIN / "dossier", "new", "voll"], cwd=tmp_path)
    assert r.returncode == 2 and "exists and is not an empty folder" in r.stderr
    assert sorted(p.name for p in (tmp_path / "voll").iterdir()) == ["notiz.txt"]
    r = run([BIN / "dossier", "new", "neu", "--title", "<b>Flut</b>"], cwd=tmp_path)
    assert r.returncode == 2 and "--title: at most 150 characters, without '<' or '>'" in r.stderr
    assert not (tmp_path / "neu").exists()


# --- the plugin brings its own theme layer --------------------------------------------------

def _outside_project(tmp_path: Path, mkdocs_yml: str, fixture: str = "mini") -> Path:
    proj = tmp_path / "anderswo"
    shutil.copytree(FIXTURES / fixture / "content", proj / "content")
    shutil.copytree(FIXTURES / fixture / "seeds", proj / "seeds")
    (proj / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return proj


def test_two_lines_of_mkdocs_yml_give_a_complete_styled_site(tmp_path):
    """theme + plugins and nothing else: 'dossier build' gives MkDocs the keys it insists on
    (site_name, docs_dir); the plugin adds its templates, CSS, JS, Markdown extensions."""
    proj = _outside_project(tmp_path, "theme: {name: material}\nplugins: [dossier, search]\n")
    r = run([BIN / "dossier", "build"], cwd=proj)
    assert r.returncode == 0, r.stderr
    site = proj / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Testdossier</title>" in home
    assert 'href="assets/dossier.css"' in home and 'src="assets/dossier.js"' in home
    assert '<script type="application/ld+json">' in home
    html = _site_text(site)
    assert "{#" not in html and 'id="abschnitt-1"' in html
    assert not list(site.rglob("*.yaml"))


def test_a_project_override_comes_before_the_generator_theme(tmp_path):
    proj = make_project(tmp_path)
    (proj / "site_theme" / "assets").mkdir()
    (proj / "site_theme" / "assets" / "dossier.css").write_text("/* eigene Farben */\n", encoding="utf-8")
    site = build_project(proj)
    assert (site / "assets/dossier.css").read_text(encoding="utf-8") == "/* eigene Farben */\n"
    assert (site / "index.html").read_text(encoding="utf-8").count('href="assets/dossier.css"') == 1


def test_the_plugin_needs_material(tmp_path):
    proj = _outside_project(tmp_path, "site_name: ''\ndocs_dir: content\ntheme: {name: mkdocs}\nplugins: [dossier]\n")
    r = run([BIN / "dossier", "build"], cwd=proj)
    assert r.returncode == 3 and "needs the Material theme" in r.stderr


# --- identity in one place ------------------------------------------------------------------

def test_title_description_and_language_come_from_dossier_yaml(tmp_path):
    proj = make_project(tmp_path)
    meta = proj / "content/dossier.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "title: Testdossier\n", "title: Testdossier\ndescription: Alles über die Ernte, jede Aussage belegt.\n"),
        encoding="utf-8")
    site = build_project(proj)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Testdossier</title>" in home
    assert '<meta name="description" content="Alles über die Ernte, jede Aussage belegt.">' in home
    assert '"isPartOf": {"@type": "WebSite", "name": "Testdossier"}' in home
    topic = (site / "themen/ernte/index.html").read_text(encoding="utf-8")
    assert "<title>Die Ernte – Testdossier</title>" in topic


@pytest.mark.parametrize("setting, message", [
    ("site_name: Ein anderer Name\n", "site_name 'Ein anderer Name' disagrees with content/dossier.yaml (title: 'Testdossier')"),
    ("site_description: Etwas anderes\n", "site_description 'Etwas anderes' disagrees with content/dossier.yaml"),
])
def test_mkdocs_yml_that_contradicts_dossier_yaml_is_refused(tmp_path, setting, message):
    proj = make_project(tmp_path)
    cfg = proj / "mkdocs.yml"
    cfg.write_text(re.sub(r'(?m)^site_name: .*\n', "", cfg.read_text(encoding="utf-8")) + setting, encoding="utf-8")
    r = run([BIN / "dossier", "build"], cwd=proj)
    assert r.returncode == 3 and message in r.stderr and "the dossier names itself in dossier.yaml" in r.stderr
    assert not (proj / "site").exists()
    assert run([BIN / "mkdocs", "build"], cwd=proj).returncode == 1  # MkDocs itself refuses as well


def test_mkdocs_yml_may_repeat_what_dossier_yaml_says(tmp_path):
    proj = make_project(tmp_path)
    cfg = proj / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('site_name: ""', "site_name: Testdossier"), encoding="utf-8")
    assert "<title>Testdossier</title>" in (build_project(proj) / "index.html").read_text(encoding="utf-8")


def test_theme_language_follows_the_dossier_and_may_not_contradict_it(tmp_path):
    proj = make_project(tmp_path)
    assert '<html lang="de"' in (build_project(proj) / "index.html").read_text(encoding="utf-8")
    cfg = proj / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  language: en\n"),
                   encoding="utf-8")
    r = run([BIN / "dossier", "build"], cwd=proj)
    assert r.returncode == 3 and "theme: language 'en' disagrees with content/dossier.yaml (language: 'de')" in r.stderr


# --- one setting per fact -------------------------------------------------------------------

def _content_dir_in_mkdocs_yml(proj: Path, folder: str) -> None:
    shutil.move(proj / "content", proj / folder)
    cfg = proj / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8").replace("  - dossier\n", f"  - dossier:\n      content_dir: {folder}\n")
    cfg.write_text(text.replace("docs_dir: content", f"docs_dir: {folder}"), encoding="utf-8")


def test_the_command_line_reads_the_folders_mkdocs_yml_names(tmp_path):
    proj = make_project(tmp_path)
    _content_dir_in_mkdocs_yml(proj, "inhalt")
    r = run([BIN / "dossier", "check"], cwd=proj)
    assert r.returncode == 0 and r.stdout.startswith("ok: 1 sources"), r.stderr
    assert run([BIN / "dossier", "--content", "inhalt/", "check"], cwd=proj).returncode == 0  # the same folder
    assert run([BIN / "dossier", "build"], cwd=proj).returncode == 0
    assert (proj / "site/themen/ernte/index.html").is_file()


def test_an_option_that_contradicts_mkdocs_yml_is_refused(tmp_path):
    proj = make_project(tmp_path)
    _content_dir_in_mkdocs_yml(proj, "inhalt")
    shutil.copytree(proj / "inhalt", proj / "content")
    for command in (["build"], ["check"]):
        r = run([BIN / "dossier", "--content", "content", *command], cwd=proj)
        assert r.returncode == 2, r.stdout
        assert ("--content content disagrees with mkdocs.yml (plugins: dossier: content_dir: inhalt); "
                "name the folder in one place") in r.stderr
    assert not (proj / "site").exists()
    r = run([BIN / "dossier", "--seeds", "artikel", "check"], cwd=proj)  # mkdocs.yml says nothing: the option counts
    assert r.returncode == 1 and "artikel" in r.stderr


def test_two_dossiers_from_one_installation(tmp_path):
    """Two projects, two stories, one installed generator: each site names only itself."""
    for name, title in (("flut", "Hochwasser im Tal"), ("wahl", "Die Bürgermeisterwahl")):
        assert run([BIN / "dossier", "new", name, "--title", title], cwd=tmp_path).returncode == 0
    (tmp_path / "wahl/seeds/beispiel.txt").write_text(
        (tmp_path / "wahl/seeds/beispiel.txt").read_text(encoding="utf-8") + "\nDie Wahl findet im Herbst statt.\n",
        encoding="utf-8")
    for name in ("flut", "wahl"):
        r = run([BIN / "dossier", "--root", tmp_path / name, "build"])
        assert r.returncode == 0, r.stderr
    flut, wahl = _site_text(tmp_path / "flut/site"), _site_text(tmp_path / "wahl/site")
    assert "Hochwasser im Tal" in flut and "Die Bürgermeisterwahl" not in flut
    assert "Die Bürgermeisterwahl" in wahl and "Hochwasser im Tal" not in wahl
    assert "Die Wahl findet im Herbst statt." not in flut


# --- paragraphs -----------------------------------------------------------------------------

LINE_ARTICLE = ("Hochwasser im Tal\n"
                "Der Fluss trat am Morgen über die Ufer.\n"
                "Die Feuerwehr meldete viele Einsätze.\n"
                "Der Bürgermeister sprach von „großen Schäden“.\n"
                "Am Abend sank der Pegel wieder.\n")


def _line_article_project(tmp_path: Path) -> Path:
    proj = make_project(tmp_path)
    (proj / "seeds/flut.txt").write_text(LINE_ARTICLE, encoding="utf-8")
    return proj


def test_new_source_proposes_one_paragraph_per_line_and_coverage_counts_them(tmp_path):
    proj = _line_article_project(tmp_path)
    r = run([BIN / "dossier", "new-source", "seeds/flut.txt", "--id", "flut"], cwd=proj)
    assert r.returncode == 0, r.stderr
    text = (proj / "content/sources/flut.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^paragraphs: lines  # bitte prüfen", text)
    src = core.check(proj).dossier.sources["flut"]
    assert [b.text for b in src.article.paragraphs] == LINE_ARTICLE.strip().split("\n")[1:]
    assert [b.anchor for b in src.article.paragraphs] == ["p1", "p2", "p3", "p4"]
    row = next(r for r in coverage(core.check(proj).dossier) if r.source == "flut")
    assert (row.paragraphs, row.cited) == (4, 0)


def test_check_warns_when_sentence_lines_form_one_paragraph(tmp_path):
    proj = _line_article_project(tmp_path)
    run([BIN / "dossier", "new-source", "seeds/flut.txt", "--id", "flut"], cwd=proj)
    path = proj / "content/sources/flut.yaml"
    path.write_text(re.sub(r"(?m)^paragraphs: .*$", "paragraphs: blank-lines", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    r = run([BIN / "dossier", "check"], cwd=proj)
    assert r.returncode == 0
    assert ("seeds/flut.txt:2:1: warning: 4 lines in a row each end a sentence but form one paragraph "
            "(no blank line between them)") in r.stderr
    assert "add 'paragraphs: lines' to the source file of 'flut'" in r.stderr
    assert len(core.check(proj).dossier.sources["flut"].article.paragraphs) == 1


def test_blank_line_articles_keep_their_paragraphs_and_raise_no_warning():
    """Paragraphs separated by blank lines are split as before (the default), and hard-wrapped
    or realistic web articles are not mistaken for one paragraph per line."""
    from newsdossier.article import line_paragraphs_suspected, split_blocks

    wrapped = ("Ein Absatz, der über mehrere Zeilen umbrochen ist, weil\nder Editor so eingestellt war, und "
               "der erst hier\nendet.\n\nZweiter Absatz.\n")
    assert [b.number for b in split_blocks(wrapped, {}) if b.kind == "paragraph"] == [1, 2]
    assert split_blocks(wrapped, {}) == split_blocks(wrapped, {}, "blank-lines")
    assert line_paragraphs_suspected(wrapped, {}) is None
    for seed in sorted((FIXTURES / "web-articles" / "seeds").glob("*.txt")):
        assert line_paragraphs_suspected(seed.read_text(encoding="utf-8"), {}) is None, seed.name
    assert not [w for w in core.check(FIXTURES / "mini").warnings if "sentence" in w.message]


# --- MkDocs and ProperDocs ------------------------------------------------------------------

_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def test_mkdocs_and_properdocs_build_the_same_site(tmp_path):
    proj = make_project(tmp_path)
    sites = {}
    for tool in ("mkdocs", "properdocs"):
        r = run([BIN / tool, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", f"site-{tool}"], cwd=proj)
        assert r.returncode == 0, (tool, r.stderr)
        site = proj / f"site-{tool}"
        sites[tool] = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    mk, pd = sites["mkdocs"], sites["properdocs"]
    assert mk.keys() == pd.keys() and "themen/ernte/index.html" in mk
    generators = set()
    for rel in mk:
        a, b = mk[rel], pd[rel]
        if rel.endswith(".html"):
            generators |= {m.group(0) for m in _GENERATOR.finditer(b.decode())}
            a, b = _GENERATOR.sub("", a.decode()), _GENERATOR.sub("", b.decode())
        assert a == b, rel
    assert any("ProperDocs" in g for g in generators)


# --- the README's walkthrough: a sixth article ----------------------------------------------

STADTFEST = """Stadtfest lockt Besucher an

Das Stadtfest hatte in diesem Jahr 20.000 Besucher, teilte die Stadt am Montag mit.

Die Veranstalter zeigten sich zufrieden.
"""


def test_adding_an_article_as_the_readme_describes_keeps_check_and_build_green(tmp_path):
    """A temporary copy of this repository's project; the walkthrough of README.md, 'Adding an
    article and its first claim': the article into seeds/, 'dossier new-source', one claim."""
    proj = tmp_path / "kopie"
    proj.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    for folder in ("content", "seeds", "site_theme"):
        shutil.copytree(ROOT / folder, proj / folder)
    before = core.check(proj).dossier
    (proj / "seeds/005_stadtfest.txt").write_text(STADTFEST, encoding="utf-8")
    r = run([BIN / "dossier", "new-source", "seeds/005_stadtfest.txt", "--id", "stadtfest"], cwd=proj)
    assert r.returncode == 0, r.stdout + r.stderr
    topic = sorted((proj / "content/topics").glob("*.yaml"))[0]
    modeline, body = topic.read_text(encoding="utf-8").split("\n", 1)
    data = yaml.safe_load(body)

    def add_claim(claim_id: str, text: str, quote: str) -> None:
        data["sections"][0]["claims"].append({"id": claim_id, "text": text, "status": "berichtet",
                                              "cite": [{"source": "stadtfest", "quote": quote}]})
        topic.write_text(modeline + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                         encoding="utf-8")

    add_claim("stadtfest-besucher", "Laut Stadt kamen 20.000 Menschen zum Stadtfest.",
              "Das Stadtfest hatte in diesem Jahr 20.000 Besucher")
    r = run([BIN / "dossier", "check"], cwd=proj)
    # step 6: this dossier's rules ('checks:' in dossier.yaml) want every paragraph cited
    if "paragraphs-cited" in (proj / "content/dossier.yaml").read_text(encoding="utf-8"):
        assert r.returncode == 1 and "¶2 of source 'stadtfest' is cited by no claim" in r.stderr, r.stderr
        add_claim("stadtfest-zufrieden", "Die Veranstalter waren laut Artikel zufrieden.",
                  "Die Veranstalter zeigten sich zufrieden.")
        r = run([BIN / "dossier", "check"], cwd=proj)
    assert r.returncode == 0, r.stderr
    after = core.check(proj).dossier
    assert len(after.sources) == len(before.sources) + 1 and len(after.claims) > len(before.claims)
    assert run([BIN / "dossier", "schemas", "--check"], cwd=proj).returncode == 0
    site = build_project(proj)
    assert "Das Stadtfest hatte in diesem Jahr 20.000 Besucher" in (site / "quellen/stadtfest/index.html").read_text(encoding="utf-8")
