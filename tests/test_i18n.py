"""The reader interface in more than one language: the message catalogs (locales/*.yaml), the
date wording they drive, and an English dossier built end to end without a German UI word."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import build_project, make_project
from newsdossier import edtf, i18n, schema, scaffold

LANGS = i18n.languages()


@pytest.fixture(autouse=True)
def _german_afterwards():
    """An English build leaves its catalog active (page paths follow it); the next test's
    code may read paths.PAGES before it builds anything."""
    yield
    i18n.activate("de")


# --- the catalogs -------------------------------------------------------------------------

def _placeholders(value) -> dict[str, set]:
    forms = value if isinstance(value, dict) else {"": value}
    return {form: i18n.placeholders(text) for form, text in forms.items()}


class _NoDuplicates(yaml.SafeLoader):
    pass


def _mapping(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    assert not dup, f"{node.start_mark}: key(s) {dup} given twice (the later one would win silently)"
    return loader.construct_mapping(node, deep)


_NoDuplicates.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_there_are_german_and_english_catalogs():
    assert {"de", "en"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_no_key_twice(lang):
    yaml.load((i18n.LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"), _NoDuplicates)


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "de"])
def test_catalogs_have_the_same_keys_and_placeholders(lang):
    de, other = i18n.catalog("de").messages, i18n.catalog(lang).messages
    assert sorted(set(de) - set(other)) == [], f"missing in {lang}.yaml"
    assert sorted(set(other) - set(de)) == [], f"in {lang}.yaml but not in de.yaml"
    for key in de:
        a, b = _placeholders(de[key]), _placeholders(other[key])
        assert isinstance(de[key], dict) == isinstance(other[key], dict), f"{key}: plural in one catalog only"
        # the 'other' form carries every placeholder; a 'one' form may spell the 1 out
        main = "other" if isinstance(de[key], dict) else ""
        assert a[main] == b[main], f"{key}: placeholders {a[main]} (de) vs {b[main]} ({lang})"


def test_german_catalog_matches_the_schema_labels():
    """The schema documents the same labels for editors; the two must not drift apart."""
    de = i18n.catalog("de")
    assert de.section("status") == schema.STATUSES
    assert de.section("status_help") == schema.STATUS_HELP
    assert de.section("qualifier") == schema.QUALIFIERS
    assert de.section("actor_kind") == schema.ACTOR_KINDS
    assert de.section("actor_kinds") == schema.ACTOR_KINDS_PLURAL
    assert de.section("note_kind") == schema.NOTE_KINDS


def test_missing_message_names_key_and_file():
    with pytest.raises(KeyError, match=r"message 'nav\.nowhere' is missing in locales/en\.yaml"):
        i18n.catalog("en").t("nav.nowhere")


def test_unknown_language_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"no message catalog for language 'xx' \(have: .*de.*en"):
        i18n.catalog("xx")


def test_plural_follows_the_count():
    en, de = i18n.catalog("en"), i18n.catalog("de")
    assert en.plural("word.claim_count", 1) == "1 claim"
    assert en.plural("word.claim_count", 0) == "0 claims"
    assert de.plural("word.claim_count", 2) == "2 Aussagen"


@pytest.mark.parametrize("lang, value, text", [
    ("de", 12000, "12.000"), ("de", 3.5, "3,5"), ("de", 1200.0, "1.200"),
    ("en", 12000, "12,000"), ("en", 3.5, "3.5"), ("en", 1234567, "1,234,567"),
])
def test_numbers_in_the_language(lang, value, text):
    assert i18n.catalog(lang).number(value) == text


# --- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, english, german", [
    ("2024-06-19", "19 June 2024", "19. Juni 2024"),
    ("2024-06", "June 2024", "Juni 2024"),
    ("2024", "2024", "2024"),
    ("196X", "the 1960s", "1960er-Jahre"),
    ("19XX", "1900–1999", "1900–1999"),
    ("2024-06~", "c. June 2024", "ca. Juni 2024"),
    ("2024-06-19?", "probably 19 June 2024", "vermutlich 19. Juni 2024"),
    ("2024-06%", "probably c. June 2024", "vermutlich ca. Juni 2024"),
    ("2024-06-01/2024-06-10", "early June 2024", "Anfang Juni 2024"),
    ("2024-06-11/2024-06-20", "mid-June 2024", "Mitte Juni 2024"),
    ("2024-06-21/2024-06-30", "late June 2024", "Ende Juni 2024"),
    ("2024-06-03/2024-06-18", "3 to 18 June 2024", "3. bis 18. Juni 2024"),
    ("2024-03/2024-05", "March to May 2024", "März bis Mai 2024"),
    ("2024-03-02/2024-05-04", "2 March to 4 May 2024", "2. März bis 4. Mai 2024"),
    ("2023-11/2024-02", "November 2023 to February 2024", "November 2023 bis Februar 2024"),
    ("2022/2024", "2022–2024", "2022–2024"),
    ("2024-10/..", "October 2024 at the earliest", "frühestens Oktober 2024"),
    ("../2024-10-18", "18 October 2024 at the latest", "spätestens 18. Oktober 2024"),
])
def test_honest_date_wording(value, english, german):
    e = edtf.parse(value)
    assert edtf.display(e, i18n.catalog("en")) == english
    assert edtf.display(e, i18n.catalog("de")) == german == e.german()


# --- an English dossier -------------------------------------------------------------------

#: words of the German catalog that are English words as well (they prove nothing)
SHARED_WORDS = {"Dossier", "Status", "Person", "Organisation", "Position", "Text", "Format", "Name", "Datum",
                "Medien", "Glossar"}


def german_ui_words() -> set[str]:
    """Every word (4+ letters) of the German catalog's texts that its English texts do not use."""
    def words(cat: i18n.Catalog) -> set[str]:
        out: set[str] = set()
        for key, value in cat.messages.items():
            if key.startswith(("path.", "js.date_locale")):
                continue
            for text in value.values() if isinstance(value, dict) else [value]:
                out |= set(re.findall(r"[A-Za-zÄÖÜäöüß]{4,}", re.sub(r"\{\w*\}|<[^>]*>", " ", text)))
        return out

    return words(i18n.catalog("de")) - words(i18n.catalog("en")) - SHARED_WORDS


class _Visible(HTMLParser):
    """The text a reader sees or hears: text outside script/style, and the attributes that
    carry words (title, aria-label, alt, placeholder, data-label, meta content)."""

    ATTRS = {"title", "aria-label", "alt", "placeholder", "data-label", "content"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self._skip += 1 if tag != "svg" else 0
        for name, value in attrs:
            if name in self.ATTRS and value and not (tag == "meta" and dict(attrs).get("name") == "generator"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html_text: str) -> str:
    p = _Visible()
    p.feed(html_text)
    return "\n".join(p.parts)


def reader_texts(site: Path) -> dict[str, str]:
    """{file: its reader-facing text} of a built dossier: pages, the search index (titles and
    texts), the theme's scripts (string literals only), the feed, the CSV files and the dates
    in the data export."""
    out = {}
    for page in site.rglob("*.html"):
        out[page.relative_to(site).as_posix()] = visible_text(page.read_text(encoding="utf-8"))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    out["search_index.json"] = "\n".join(visible_text(d["title"]) + "\n" + visible_text(d["text"]) for d in index["docs"])
    for script in ("assets/dossier.js", "assets/history.js"):
        js = (site / script).read_text(encoding="utf-8")
        literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"', js)
        # class names and selectors ("dossier-seit-besuch", "li.dossier-claim") are not words
        out[script] = "\n".join(x for x in literals if not re.fullmatch(r"[\w.#\[\]=-]*-[\w.#\[\]=-]*", x))
    for feed in site.glob("*.xml"):
        if feed.name != "sitemap.xml":
            out[feed.name] = visible_text(re.sub(r"<(/?)(title|content|name)>", "", feed.read_text(encoding="utf-8")))
    for csv in site.rglob("*.csv"):
        out[csv.relative_to(site).as_posix()] = csv.read_text(encoding="utf-8")
    for export in site.rglob("dossier.json"):  # none on a preview's problem pages
        data = json.loads(export.read_text(encoding="utf-8"))
        out["dossier.json dates"] = "\n".join(re.findall(r'"display": "([^"]*)"', json.dumps(data, ensure_ascii=False)))
    return out


def german_words_in(site: Path) -> dict[str, list[str]]:
    words = german_ui_words()
    found: dict[str, list[str]] = {}
    pattern = re.compile(r"(?<![\wÄÖÜäöüß])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")(?![\wÄÖÜäöüß])")
    for name, text in reader_texts(site).items():
        for w in sorted(set(pattern.findall(text))):
            found.setdefault(w, []).append(name)
    return found


def git(proj: Path, *args: str, date: str = "2026-03-01T10:00:00+01:00") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org", "HOME": str(proj), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", *args], cwd=proj, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    """The English fixture as a new newsroom would have it: the scaffold's mkdocs.yml and a
    git history with a change and a correction (so that 'What's new', the corrections page,
    the page heads and the feed are built too)."""
    proj = make_project(tmp_path_factory.mktemp("en"), "mini-en")
    (proj / "mkdocs.yml").write_text(scaffold.MKDOCS_YML, encoding="utf-8")
    git(proj, "init", "-q", "-b", "main")
    git(proj, "add", "-A", "content", "seeds")
    git(proj, "commit", "-q", "-m", "Start")
    topic = proj / "content" / "topics" / "harvest.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("status: berichtet", "status: bestaetigt"), encoding="utf-8")
    git(proj, "commit", "-q", "-am", "Council figure confirmed\n\nDossier-Korrektur: The council's figure was confirmed.",
        date="2026-03-05T10:00:00+01:00")
    return build_project(proj)


def test_english_dossier_has_no_broken_link_or_anchor(english_site):
    from htmlcheck import broken_links

    assert broken_links(english_site) == []


def test_english_dossier_has_english_urls(english_site):
    pages = {p.relative_to(english_site).parent.as_posix() for p in english_site.rglob("index.html")}
    assert {"topics/harvest", "sources/record-harvest", "actors/sample", "chronology", "figures",
            "contradictions", "glossary", "method", "whats-new", "corrections"} <= pages
    german = {"themen", "quellen", "akteure", "chronologie", "zahlen", "widersprueche", "glossar", "methode",
              "was-ist-neu", "korrekturen"}
    assert not {p.split("/")[0] for p in pages} & german
    assert (english_site / "whats-new.xml").is_file()


def test_english_dossier_has_no_german_ui_word(english_site):
    words = german_ui_words()
    assert len(words) > 300, "the German word list is derived from the German catalog"
    assert german_words_in(english_site) == {}


def test_the_german_word_check_finds_the_german_interface(build_site):
    """Control: the same check on the German fixture finds the interface words everywhere it
    looks (so the English test cannot pass because the check sees nothing)."""
    found = german_words_in(build_site("mini"))
    for word in ("Chronologie", "Belege", "Quellen", "Zahlen", "Stelle", "Ereignisse", "Widersprüche"):
        assert word in found, word
    seen_in = {name for names in found.values() for name in names}
    assert {"index.html", "search_index.json", "assets/dossier.js", "assets/history.js", "dossier.json dates"} <= seen_in
    assert any(n.endswith(".csv") for n in seen_in)


def test_english_pages_read_english(english_site):
    home = (english_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home
    for page in english_site.rglob("index.html"):  # the pages' linked data say so too
        assert '"inLanguage": "de"' not in page.read_text(encoding="utf-8"), page
    assert '"inLanguage": "en"' in home
    assert "At a glance" in home and "What we know" in home and "Key figures" in home
    chron = (english_site / "chronology" / "index.html").read_text(encoding="utf-8")
    assert "early September 2024" in chron and "October 2024 at the earliest" in chron
    figures = (english_site / "figures" / "index.html").read_text(encoding="utf-8")
    assert "up to 5,000" in figures and "about 900" in figures
    csv = next(english_site.rglob("*.csv")).read_text(encoding="utf-8")
    assert csv.startswith("figure,value,qualifier,unit,who,what_is_counted,when,sources,id\n")
    topic = (english_site / "topics" / "harvest" / "index.html").read_text(encoding="utf-8")
    assert 'title="Status: Disputed"' in topic and "Last updated:" in topic
    js = (english_site / "assets" / "dossier.js").read_text(encoding="utf-8")
    assert '"All " + events.length + " events shown"' in js and "__(" not in js
    feed = (english_site / "whats-new.xml").read_text(encoding="utf-8")
    assert 'xml:lang="en"' in feed and "What's new" in feed


def test_new_english_project_checks_and_builds_in_english(tmp_path, capsys):
    from newsdossier import cli

    assert cli.main(["new", str(tmp_path / "my-dossier"), "--language", "en"]) == 0
    assert "wrote a new dossier" in capsys.readouterr().out
    proj = tmp_path / "my-dossier"
    assert "language: en" in (proj / "content" / "dossier.yaml").read_text(encoding="utf-8")
    site = build_project(proj)
    assert (site / "topics" / "example" / "index.html").is_file()
    assert german_words_in(site) == {}


def test_new_project_refuses_an_unknown_language(tmp_path):
    from newsdossier.scaffold import ScaffoldError, create

    with pytest.raises(ScaffoldError, match="'de' or 'en', not 'fr'"):
        create(tmp_path / "x", language="fr")


def test_english_preview_problem_page(tmp_path, caplog):
    """'mkdocs serve' with a content error: the problem page speaks English, at the English
    page paths."""
    proj = make_project(tmp_path, "mini-en")
    (proj / "mkdocs.yml").write_text(scaffold.MKDOCS_YML, encoding="utf-8")
    topic = proj / "content" / "topics" / "harvest.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("title: The harvest", "titel: The harvest"), encoding="utf-8")
    with caplog.at_level("INFO", logger="mkdocs"):
        site = build_project(proj, command="serve")
    page = (site / "chronology" / "index.html").read_text(encoding="utf-8")
    assert "Preview paused: " in page and "in the content" in page
    assert not (site / "chronologie").exists()
    assert german_words_in(site) == {}
