"""``dossier new DIR``: a complete new dossier project that checks and builds at once.

The project has every content folder, a ``dossier.yaml``, one example article in ``seeds/``
with its source file and a topic with one cited claim, a short ``mkdocs.yml``, a
``.gitignore``, an editor README and the JSON Schemas for editor autocompletion. The example
text explains the format itself; it tells no news story (replace it with the first article).
"""

from __future__ import annotations

from pathlib import Path

from . import schemas
from .schemas import modeline

FOLDERS = ("sources", "topics", "events", "actors", "figures", "contradictions", "glossary")

EXAMPLE_SEED = "beispiel.txt"
EXAMPLE_ARTICLE = """\
Beispielartikel: So sieht eine Artikeldatei aus

Diese Datei steht für einen Presseartikel. Ersetzen Sie sie durch den Text des ersten Artikels, \
so wie er erschienen ist, als reine Textdatei.

Ein Dossier zitiert jede Aussage wörtlich aus einem Artikel. Vor der Veröffentlichung prüft \
das Programm, dass jedes Zitat genau so und genau einmal im Artikeltext steht.

Absätze sind durch Leerzeilen getrennt. Steht jeder Absatz auf einer eigenen Zeile ohne \
Leerzeile dazwischen, sagt die Quelldatei das mit „paragraphs: lines“.
"""

MKDOCS_YML = """\
# MkDocs settings of this dossier. Title, description and language are in content/dossier.yaml;
# the dossier plugin fills them in and brings its own theme layer, CSS and JS.
site_name: ""            # MkDocs needs the key: leave it empty (the title is in content/dossier.yaml)
docs_dir: content        # so that 'mkdocs serve' watches the content; none of its files is published
strict: true

theme:
  name: material
  font: false            # no Google Fonts: the site makes no third-party requests

plugins:
  - dossier
  - search
"""

GITIGNORE = """\
/site/
/.site-*/
.venv/
__pycache__/
.cache/
"""

README = """\
# {title}

An explainer dossier built with the `newsdossier` generator: news articles (in `seeds/`) plus
YAML annotations (in `content/`) become a static website in which every statement cites a
verbatim passage of an article.

## Commands

    dossier check                    # every problem as file:line:column, nothing built
    dossier check --coverage         # per article: the share of paragraphs cited
    dossier build                    # the public site in site/ (a failed build keeps the old one)
    mkdocs serve                     # editor preview on http://127.0.0.1:8000/ with live reload
    dossier new-source seeds/X.txt   # a starting content/sources/X.yaml for a new article
    dossier schemas                  # refresh content/schemas/ after updating the generator

## Files

| Path | What it is |
|---|---|
| `content/dossier.yaml` | title, subtitle, description, language, lead, what is known and unclear, method, contact |
| `seeds/*.txt` | the articles as published (UTF-8 text); never edited after they are added |
| `content/sources/*.yaml` | one file per article: headline, publisher, date, page furniture |
| `content/topics/*.yaml` | topic pages: claims, each citing verbatim passages |
| `content/events/`, `actors/`, `figures/`, `contradictions/`, `glossary/` | chronology, people and organisations, numbers, conflicting statements, terms |
| `content/schemas/` | JSON Schemas: editors with YAML support complete and check the files as you type |
| `mkdocs.yml` | site settings (theme colours, features); the identity stays in `content/dossier.yaml` |
| `site_theme/` (optional) | your own overrides: `main.html`, `assets/…`, `dossier/<page>.html.j2` (add `custom_dir: site_theme` under `theme:`) |

## Adding an article

1. Copy the article text into `seeds/`, e.g. `seeds/002_rathaus.txt` (UTF-8).
2. `dossier new-source seeds/002_rathaus.txt` writes `content/sources/<id>.yaml`: confirm or
   delete every line marked `bitte prüfen`, fill in what the text shows (never guess a
   publisher, author, date or URL).
3. Cite it: add a claim to a topic in `content/topics/` with `cite: [{{source: <id>, quote: "…"}}]`,
   the quote copied verbatim from the article.
4. `dossier check`, then `dossier build`.

Start by replacing `seeds/{seed}` and `content/sources/beispiel.yaml`,
`content/topics/beispiel.yaml` with your first article.
"""


def _dossier_yaml(title: str) -> str:
    return f"""\
{modeline("dossier")}
title: {_quoted(title)}
subtitle: Ein Erklär-Dossier, jede Aussage mit Beleg
language: de
lead: |
  Hier steht in wenigen Sätzen, worum es in diesem Dossier geht und worauf es beruht.
known:
  - text: Jede Aussage des Dossiers zitiert eine Stelle aus einem Artikel.
    claims: [beispiel-zitat]
method: |
  ## Wie dieses Dossier entsteht

  Grundlage sind die auf der Seite „Quellen“ genannten Artikel. Jede Aussage zeigt die Stelle im
  Artikel, auf die sie sich stützt, als wörtliches Zitat.
contact: |
  Sie haben einen Fehler gefunden? Bitte melden Sie ihn der Redaktion.
"""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SOURCE_YAML = f"""\
{modeline("source")}
file: {EXAMPLE_SEED}
title: "Beispielartikel: So sieht eine Artikeldatei aus"
publisher: null   # only what the text shows; never guessed
published: null   # EDTF date with the precision the text gives, e.g. 2024-06 or 2024-06-14
url: null
furniture:
  - {{line: "Beispielartikel: So sieht eine Artikeldatei aus", kind: headline}}
"""

TOPIC_YAML = f"""\
{modeline("topic")}
title: Beispielthema
order: 1
lead: Ein Thema fasst zusammen, was die Artikel zu einer Frage berichten.
sections:
  - title: Belege
    claims:
      - id: beispiel-zitat
        text: Laut dem Beispielartikel zitiert ein Dossier jede Aussage wörtlich aus einem Artikel.
        status: berichtet
        cite:
          - source: beispiel
            quote: "Ein Dossier zitiert jede Aussage wörtlich aus einem Artikel."
"""


EXAMPLE_ARTICLE_EN = """\
Example article: what an article file looks like

This file stands for a news article. Replace it with the text of the first article, exactly \
as it was published, as a plain text file.

A dossier quotes every claim verbatim from an article. Before publishing, the program checks \
that every quote appears in the article text exactly so and exactly once.

Paragraphs are separated by blank lines. If each paragraph is on a line of its own with no \
blank line between them, the source file says so with "paragraphs: lines".
"""


def _dossier_yaml_en(title: str) -> str:
    return f"""\
{modeline("dossier")}
title: {_quoted(title)}
subtitle: An explainer dossier, every claim with its source
language: en
lead: |
  In a few sentences: what this dossier is about and what it rests on.
known:
  - text: Every claim of the dossier quotes a passage from an article.
    claims: [example-quote]
method: |
  ## How this dossier is made

  It rests on the articles listed on the "Sources" page. Every claim shows the passage of the
  article it rests on, as a verbatim quote.
contact: |
  Found an error? Please report it to the editors.
"""


SOURCE_YAML_EN = f"""\
{modeline("source")}
file: example.txt
title: "Example article: what an article file looks like"
language: en
publisher: null   # only what the text shows; never guessed
published: null   # EDTF date with the precision the text gives, e.g. 2024-06 or 2024-06-14
url: null
furniture:
  - {{line: "Example article: what an article file looks like", kind: headline}}
"""

TOPIC_YAML_EN = f"""\
{modeline("topic")}
title: Example topic
order: 1
lead: A topic sums up what the articles report on one question.
sections:
  - title: Sources
    claims:
      - id: example-quote
        text: According to the example article, a dossier quotes every claim verbatim from an article.
        status: berichtet
        cite:
          - source: example
            quote: "A dossier quotes every claim verbatim from an article."
"""


class ScaffoldError(Exception):
    pass


def create(target: Path, title: str | None = None, language: str = "de") -> list[Path]:
    """Write the new project into target (missing or empty); return the files written.
    ``language``: the reader interface's language (de or en), and that of the example."""
    if language not in ("de", "en"):
        raise ScaffoldError(f"--language: 'de' or 'en', not '{language}'")
    if title is not None and ("<" in title or ">" in title or len(" ".join(title.split())) > 150):
        raise ScaffoldError("--title: at most 150 characters, without '<' or '>'")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} exists and is not an empty folder; choose a new folder name")
    title = " ".join((title or ("Neues Dossier" if language == "de" else "New dossier")).split())
    files = {
        "mkdocs.yml": MKDOCS_YML,
        ".gitignore": GITIGNORE,
        "README.md": README.format(title=title, seed=EXAMPLE_SEED),
        f"seeds/{EXAMPLE_SEED}": EXAMPLE_ARTICLE,
        "content/dossier.yaml": _dossier_yaml(title),
        "content/sources/beispiel.yaml": SOURCE_YAML,
        "content/topics/beispiel.yaml": TOPIC_YAML,
    }
    if language == "en":
        files = {"mkdocs.yml": MKDOCS_YML, ".gitignore": GITIGNORE,
                 "README.md": README.format(title=title, seed="example.txt").replace("sources/beispiel.yaml", "sources/example.yaml").replace("topics/beispiel.yaml", "topics/example.yaml"),
                 "seeds/example.txt": EXAMPLE_ARTICLE_EN, "content/dossier.yaml": _dossier_yaml_en(title),
                 "content/sources/example.yaml": SOURCE_YAML_EN, "content/topics/example.yaml": TOPIC_YAML_EN}
    written = []
    target.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (target / "content" / folder).mkdir(parents=True, exist_ok=True)
        if folder not in ("sources", "topics"):
            (target / "content" / folder / ".gitkeep").write_text("", encoding="utf-8")
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    schemas.write(target / "content")
    written += sorted((target / "content" / schemas.SCHEMA_DIR).glob("*.json"))
    return written
