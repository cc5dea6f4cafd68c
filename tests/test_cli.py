"""The console script as editors and maintainers run it: check (with coverage), new-source,
build (atomic, reproducible). Runs the installed ``dossier`` through subprocess."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, make_project
from newsdossier import core
from newsdossier.coverage import coverage

DOSSIER = str(Path(sys.executable).parent / "dossier")
#: realistic web-article exports with their editor-marked furniture (a frozen sample)
WEB = FIXTURES / "web-articles"
REAL_SEEDS = sorted((WEB / "seeds").glob("*.txt"))


def run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([DOSSIER, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=full_env, timeout=120)


# --- check --------------------------------------------------------------------------------

#: The broken fixture: one folder, seventeen different mistakes, each with its exact message.
BROKEN = [
    "content/actors/akteure.yaml:6:15: error: unknown source 'rekordernet'\n    hint: did you mean 'rekordernte'?",
    "content/actors/akteure.yaml:11:7: error: id 'Neue Akteurin' is not a safe slug (it becomes part of a URL)\n"
    "    hint: use lower-case letters, digits and hyphens, starting with a letter, e.g. 'neue-akteurin'",
    "content/contradictions/streit.yaml:6:1: error: malformed YAML: while scanning for the next token: "
    "found character '\\t' that cannot start any token\n    hint: indent with spaces, not tabs",
    "content/dossier.yaml:14:20: error: link target 'javascript:alert(1)' is not allowed",
    "content/dossier.yaml:16:16: error: raw HTML is not allowed in Markdown fields",
    "content/events/chronik.yaml:2:9: error: impossible date '2024-02-30': Februar 2024 has 29 days",
    "content/events/chronik.yaml:17:14: error: quote for source 'rekordernte' not found in seeds/artikel.txt\n"
    "    closest passage (¶1, line 8, 92% similar): „sagte Bürgermeisterin Anna Beispiel am Montag.“",
    "content/events/mehr.yml: error: content files end in .yaml, not .yml\n    hint: rename it to mehr.yaml",
    "content/figures/ernte.yaml:6:12: error: expected a number, found text\n"
    "    hint: write digits without thousands separators, e.g. 12000 (not 12.000)",
    "content/glossary/glossar.yaml:3:3: error: duplicate key 'term' (first at line 2)",
    "content/glossary/lol.yaml:1:1: error: anchors and aliases expand this file to more than 200,000 values",
    "content/sources/rekordernte.yaml:14:12: error: furniture line not found as a whole line in the article\n"
    "    hint: the closest line is „Auch interessant“",
    "content/topics/Neues Thema.yaml: error: file name 'Neues Thema' is not a safe slug (it becomes part of a URL)\n"
    "    hint: use lower-case letters, digits and hyphens, starting with a letter, e.g. 'neues-thema'",
    "content/topics/ernte.yaml:2:1: error: unknown field 'ordr' in topic\n    hint: did you mean 'order'?",
    "content/topics/ernte.yaml:16:17: error: 'berichet' is not one of: bestaetigt, berichtet, umstritten, unbelegt, "
    "einschaetzung\n    hint: did you mean 'berichtet'?",
    "content/topics/ernte.yaml:22:14: error: unknown actor 'bauernverbnd'\n    hint: did you mean 'bauernverband'?",
    "seeds/kaputt.txt:1:1: error: not valid UTF-8: byte 0xdc at byte offset 0\n"
    "    hint: save the file as UTF-8 (it may be Latin-1 or Windows-1252); do not retype it",
]


def test_a_folder_with_many_mistakes_gets_one_precise_message_each_in_one_run(tmp_path):
    proj = tmp_path / "broken"
    shutil.copytree(FIXTURES / "broken", proj)
    r = run("--root", proj, "check")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    for expected in BROKEN:
        assert expected in r.stderr, f"missing:\n{expected}\n--- got:\n{r.stderr}"
    headlines = [line for line in r.stderr.splitlines() if ": error: " in line]
    assert len(headlines) == len(set(headlines)) == len(BROKEN) >= 12
    assert all(line.startswith(("content/", "seeds/")) for line in headlines)
    assert r.stderr.rstrip().splitlines()[-1].startswith(f"{len(BROKEN)} errors, 0 warnings")


def test_check_passes_on_a_complete_dossier(tmp_path):
    # Its speed (well under a second) is measured by benchmarks/, not asserted here:
    # timed assertions are flaky on a busy machine.
    r = run("--root", make_project(tmp_path, "corpus"), "check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ok: 5 sources")


def test_usage_errors_exit_with_2():
    assert run("chek").returncode == 2
    assert run("--root", "/nonexistent/folder", "check").returncode == 2
    assert run("--root", "/nonexistent/folder", "export", "/tmp/nowhere").returncode == 2
    assert run("new-source").returncode == 2


def _without_event(proj: Path) -> None:
    path = proj / "content/events/chronik.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[text.index("- id: rekordmeldung"):], encoding="utf-8")


def test_coverage_names_the_share_and_the_uncited_paragraphs(tmp_path):
    proj = make_project(tmp_path)
    _without_event(proj)  # the event was the only citation of ¶3
    r = run("--root", proj, "check", "--coverage")
    assert r.returncode == 0, r.stderr
    assert "coverage: share of article paragraphs cited at least once" in r.stdout
    assert "rekordernte    2/3    66.7 %    6 citations  uncited: ¶3" in r.stdout
    [row] = coverage(core.check(proj).dossier)
    assert (row.paragraphs, row.cited, row.uncited) == (3, 2, [3])
    # ¶3 holds "September 2024": a number that no citation covers any more
    assert "numbers in article bodies cited by nothing: 1" in r.stdout
    assert "seeds/artikel.txt:14: number 2024 in ¶3 is cited by no claim, event or figure" in r.stdout


def test_coverage_of_a_complete_dossier_lists_every_source(tmp_path):
    proj = make_project(tmp_path, "corpus")
    r = run("--root", proj, "check", "--coverage")
    assert r.returncode == 0
    for sid in core.check(proj).dossier.sources:
        assert f"  {sid} " in r.stdout


def test_preview_marks_exactly_the_uncited_paragraphs_and_shows_the_full_text(tmp_path):
    from conftest import build_project

    proj = make_project(tmp_path)
    _without_event(proj)
    html = (build_project(proj, command="serve") / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert "Die Ernte begann Anfang September 2024. Ein Foto zeigt volle Kisten." in html
    marked = [chunk.split('id="', 1)[1].split('"', 1)[0] for chunk in html.split("<div ")[1:]
              if "dossier-passage--uncited" in chunk.split(">", 1)[0]]
    assert [m for m in marked if m.startswith("p")] == ["p3"]  # (uncited subheadings are marked too)
    public = (build_project(proj) / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert "Ein Foto zeigt volle Kisten." not in public and "dossier-passage--uncited" not in public


# --- new-source ---------------------------------------------------------------------------

def _new_project(tmp_path: Path, seed: Path | None = None, data: bytes | None = None, name: str = "neu.txt") -> Path:
    proj = make_project(tmp_path)
    if seed is not None:
        shutil.copy(seed, proj / "seeds" / seed.name)
    if data is not None:
        (proj / "seeds" / name).write_bytes(data)
    return proj


def _real_furniture(seed: Path) -> dict[str, str]:
    import json

    return json.loads((WEB / "furniture.json").read_text(encoding="utf-8"))[seed.name]


@pytest.mark.parametrize("seed", REAL_SEEDS, ids=[s.stem for s in REAL_SEEDS])
def test_new_source_writes_a_draft_that_passes_the_check(tmp_path, seed):
    proj = _new_project(tmp_path, seed)
    before = core.check(proj)
    assert any("has no source file" in w.message for w in before.warnings)
    r = run("new-source", f"seeds/{seed.name}", cwd=proj)
    assert r.returncode == 0, r.stdout + r.stderr
    [written] = [p for p in (proj / "content/sources").glob("*.yaml") if p.name != "rekordernte.yaml"]
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/source.schema.json\n")
    assert "publisher: null" in text and "published: null" in text and "url: null" in text and "author: null" in text
    assert "TODO" in text
    after = core.check(proj)
    assert after.ok, "\n".join(p.format() for p in after.problems)
    assert not after.warnings
    src = after.dossier.sources[written.stem]
    assert src.publisher is None and src.published is None and src.url is None
    # every proposal is marked for the editor; the editors' own furniture is found (pull quotes aside)
    proposed = {f.line: f.kind for f in src.furniture}
    assert all("# bitte prüfen" in line for line in text.splitlines() if line.startswith("  - {line:"))
    real = _real_furniture(seed)
    patterned = {"headline", "navigation", "comments", "related", "video", "credit", "dateline"}
    for line, kind in real.items():  # lines with a known pattern are always found
        if kind in patterned:
            assert proposed.get(line) == kind, (line, kind, proposed.get(line))
    judged = {line: kind for line, kind in real.items() if kind in ("subheading", "image")}
    found = [line for line, kind in judged.items() if proposed.get(line) == kind]
    assert len(found) >= 0.8 * len(judged), sorted(set(judged) - set(found))  # short lines: a good guess


def test_new_source_title_comes_from_a_headline_or_is_left_to_the_editor(tmp_path):
    proj = _new_project(tmp_path, WEB / "seeds/002_8745123260b8ff06.txt")
    run("new-source", "seeds/002_8745123260b8ff06.txt", cwd=proj)
    src = core.check(proj).dossier.sources["nordkorea-soldaten-an-grenze-verlegt-plant"]
    assert src.title == "Nordkorea-Soldaten an Grenze verlegt: Plant Putin die nächste Eskalation im Ukraine-Krieg?"
    assert src.title_editorial is False or src.title_editorial is None
    (tmp_path / "b").mkdir()
    proj2 = _new_project(tmp_path / "b", WEB / "seeds/003_4ceafcecc5940742.txt")
    r = run("new-source", "seeds/003_4ceafcecc5940742.txt", "--id", "geruechte", cwd=proj2)
    assert r.returncode == 0, r.stderr
    text = (proj2 / "content/sources/geruechte.yaml").read_text(encoding="utf-8")
    assert "title_editorial: true" in text and "Titel selbst formulieren" in text


def test_new_source_proposes_a_dateline_as_evidence(tmp_path):
    proj = _new_project(tmp_path, WEB / "seeds/001_9bc54399cbb075c1.txt")
    run("new-source", "seeds/001_9bc54399cbb075c1.txt", "--id", "allianz", cwd=proj)
    text = (proj / "content/sources/allianz.yaml").read_text(encoding="utf-8")
    assert '{line: "Oct 18, 2024 at 11:35 AM", kind: dateline}  # bitte prüfen: Datumszeile (Zeile 3)' in text
    assert '  #   quote: "Oct 18, 2024 at 11:35 AM"' in text  # commented out: the editor decides


def test_new_source_accepts_bom_and_windows_line_endings(tmp_path):
    article = ("Rathaus meldet Rekord beim Stadtfest\r\n\r\n  1. Startseite\r\n  2. Lokales\r\n\r\nKommentare\r\n\r\n"
               "18.10.2024, 11:35 Uhr\r\n\r\nDas Stadtfest hatte in diesem Jahr 20.000 Besucher, sagte die Stadt.\r\n\r\n"
               "Mehr Besucher als je zuvor\r\n\r\nIm Vorjahr waren es 15.000.\r\n\r\nVideo | Bilder vom Fest\r\n"
               "Das Fest am Samstag. © Stadtarchiv\r\nQuelle: Stadtanzeiger\r\n\r\nAuch interessant\r\n")
    proj = _new_project(tmp_path, data=b"\xef\xbb\xbf" + article.encode("utf-8"), name="stadtfest.txt")
    r = run("new-source", "seeds/stadtfest.txt", cwd=proj)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "wrote content/sources/rathaus-meldet-rekord-beim-stadtfest.yaml" in r.stdout
    result = core.check(proj)
    assert result.ok and not result.warnings, [p.format() for p in result.problems]
    src = result.dossier.sources["rathaus-meldet-rekord-beim-stadtfest"]
    assert src.title == "Rathaus meldet Rekord beim Stadtfest"
    assert {f.line: f.kind for f in src.furniture} == {
        "Rathaus meldet Rekord beim Stadtfest": "headline", "1. Startseite": "navigation", "2. Lokales": "navigation",
        "Kommentare": "comments", "18.10.2024, 11:35 Uhr": "dateline", "Mehr Besucher als je zuvor": "subheading",
        "Video | Bilder vom Fest": "video", "Das Fest am Samstag. © Stadtarchiv": "image",
        "Quelle: Stadtanzeiger": "credit", "Auch interessant": "related"}
    assert [b.text for b in src.article.paragraphs] == [
        "Das Stadtfest hatte in diesem Jahr 20.000 Besucher, sagte die Stadt.", "Im Vorjahr waren es 15.000."]


def test_new_source_never_overwrites_and_refuses_what_is_not_a_seed(tmp_path):
    proj = _new_project(tmp_path, data="Titel\n\nText.\n".encode(), name="neu.txt")
    (proj / "content/sources/titel.yaml").write_text("# mine\n", encoding="utf-8")
    r = run("new-source", "seeds/neu.txt", "--id", "titel", cwd=proj)
    assert r.returncode == 1 and "content/sources/titel.yaml already exists; it is never overwritten" in r.stderr
    assert (proj / "content/sources/titel.yaml").read_text(encoding="utf-8") == "# mine\n"
    r = run("new-source", "seeds/artikel.txt", cwd=proj)
    assert r.returncode == 1 and "seeds/artikel.txt: already described by content/sources/rekordernte.yaml" in r.stderr
    outside = tmp_path / "outside.txt"
    outside.write_text("Titel\n\nText.\n", encoding="utf-8")
    for bad in (str(outside), "../outside.txt", "seeds/../../outside.txt", "/etc/passwd", "seeds/nichtda.txt"):
        r = run("new-source", bad, cwd=proj)
        assert r.returncode == 1 and r.stderr.startswith("error: "), (bad, r.stderr)
        assert "Traceback" not in r.stderr
    (proj / "seeds" / "link.txt").symlink_to(outside)
    r = run("new-source", "seeds/link.txt", cwd=proj)
    assert r.returncode == 1 and "symbolic links are refused" in r.stderr
    r = run("new-source", "seeds/neu.txt", "--id", "../x", cwd=proj)
    assert r.returncode == 1 and "--id '../x' is not a safe slug" in r.stderr
    assert sorted(p.name for p in (proj / "content/sources").iterdir()) == ["rekordernte.yaml", "titel.yaml"]


def test_new_source_refuses_invalid_utf8_with_its_byte_offset(tmp_path):
    proj = _new_project(tmp_path, data="Überschrift\n\nDie Äpfel.\n".encode("utf-8")[:18] + b"\xe4pfel.\n", name="alt.txt")
    r = run("new-source", "seeds/alt.txt", cwd=proj)
    assert r.returncode == 1
    assert "seeds/alt.txt:3:5: error: not valid UTF-8: byte 0xe4 at byte offset 18" in r.stderr


def test_new_source_refuses_an_oversized_article_before_reading_it(tmp_path):
    from newsdossier.article import MAX_SEED_BYTES

    proj = _new_project(tmp_path, data=b"x" * (MAX_SEED_BYTES + 1), name="gross.txt")
    r = run("new-source", "seeds/gross.txt", cwd=proj)
    assert r.returncode == 1 and not (proj / "content/sources/gross.yaml").exists()
    assert (f"seeds/gross.txt: error: article file is {MAX_SEED_BYTES + 1:,} bytes, more than the limit of "
            f"{MAX_SEED_BYTES:,}") in r.stderr


# --- build --------------------------------------------------------------------------------

def test_build_replaces_site_only_on_success(tmp_path):
    proj = make_project(tmp_path)
    r = run("build", cwd=proj)
    assert r.returncode == 0, r.stderr
    index = proj / "site/index.html"
    good = index.read_bytes()
    assert oct((proj / "site").stat().st_mode & 0o777) != "0o700"  # readable by a web server
    assert (proj / "site").stat().st_mode & 0o005 == 0o005

    topic = proj / "content/topics/ernte.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("1200 Tonnen Äpfel geerntet.\"", "1300 Tonnen.\""),
                     encoding="utf-8")
    r = run("build", cwd=proj)
    assert r.returncode == 1
    assert "content/topics/ernte.yaml:19:20: error: quote for source 'rekordernte' not found" in r.stderr
    assert "nothing was built" in r.stderr and "Traceback" not in r.stderr
    assert index.read_bytes() == good

    topic.write_text(topic.read_text(encoding="utf-8").replace("1300 Tonnen.\"", "1200 Tonnen Äpfel geerntet.\""),
                     encoding="utf-8")
    (proj / "site_theme/main.html").write_text('{% extends "base.html" %}{% block content %}{{ oops(',
                                               encoding="utf-8")
    r = run("build", cwd=proj)
    assert r.returncode == 3, r.stderr
    assert "build failed" in r.stderr and "was left as it was" in r.stderr
    assert index.read_bytes() == good
    assert sorted(p.name for p in proj.iterdir() if p.name.startswith(".site")) == []  # no leftovers


def test_build_loads_the_content_once(tmp_path, monkeypatch):
    """'dossier build' checks the content before it starts MkDocs and hands the result to the
    plugin, which renders it instead of loading everything again; with other content folders
    than mkdocs.yml's default, the plugin builds the folder that was checked."""
    from newsdossier import cli

    proj = make_project(tmp_path)
    calls = []
    real = core.load
    monkeypatch.setattr(core, "load", lambda *a, **k: calls.append(a[1:3]) or real(*a, **k))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    assert cli.main(["--root", str(proj), "build"]) == 0
    assert calls == [("content", "seeds")]
    assert (proj / "site/themen/ernte/index.html").is_file()
    shutil.copytree(proj / "content", proj / "inhalt")
    calls.clear()
    assert cli.main(["--root", str(proj), "--content", "inhalt", "build"]) == 0
    assert calls == [("inhalt", "seeds")]


def test_build_refuses_to_replace_anything_but_a_previous_site(tmp_path):
    proj = make_project(tmp_path)
    (proj / ".git").mkdir()
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (proj / "site_theme" / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    for target in ("content", ".", "seeds", ".git", "mkdocs.yml", "site_theme", ".."):
        r = run("build", "--site-dir", target, cwd=proj)
        assert r.returncode == 2 and "refusing to build into" in r.stderr, (target, r.stderr)
    assert (proj / "content/dossier.yaml").is_file() and (proj / ".git/HEAD").is_file()
    assert (proj / "mkdocs.yml").is_file()
    # a new folder, an empty one and a previous site are fine
    (proj / "leer").mkdir()
    for target in ("neu", "leer", "neu"):
        r = run("build", "--site-dir", target, cwd=proj)
        assert r.returncode == 0, (target, r.stderr)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = make_project(tmp_path / "a", "corpus")
    b = make_project(tmp_path / "b", "corpus")  # another folder: no absolute path may leak in
    env = {"SOURCE_DATE_EPOCH": "1729251300"}
    assert run("build", cwd=a, env=env).returncode == 0
    time.sleep(1.1)  # a clock second later
    assert run("build", cwd=b, env=env).returncode == 0
    ta, tb = _tree(a / "site"), _tree(b / "site")
    assert ta.keys() == tb.keys() and len(ta) > 30
    assert [k for k in ta if ta[k] != tb[k]] == []
    with gzip.open(a / "site/sitemap.xml.gz") as gz:
        gz.read()
        assert gz.mtime == 1729251300 - 1729251300 % 86400  # MkDocs keeps the day of SOURCE_DATE_EPOCH
    assert str(tmp_path) not in "".join(v.decode("utf-8", "replace") for v in ta.values())


def test_build_takes_the_date_from_the_last_commit_when_source_date_epoch_is_unset(tmp_path, monkeypatch):
    from newsdossier.cli import source_date_epoch

    proj = make_project(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(proj) is None  # not a git checkout, no variable: MkDocs' own default
    git_env = {**os.environ, "GIT_AUTHOR_DATE": "@1729251300 +0000", "GIT_COMMITTER_DATE": "@1729251300 +0000",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org"}
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", "-C", str(proj), *cmd], check=True, env=git_env, capture_output=True)
    assert source_date_epoch(proj) == "1729251300"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch(proj) == "1700000000"  # the variable wins
    assert run("build", cwd=proj, env={"SOURCE_DATE_EPOCH": "yesterday"}).returncode == 2


def test_make_build_and_preview_use_the_atomic_build():
    dry = subprocess.run(["make", "-n", "-W", "pyproject.toml", "build", "preview"], cwd=ROOT, capture_output=True,
                         text=True)
    lines = [x for x in dry.stdout.splitlines() if "dossier" in x or "mkdocs" in x]
    assert any(x.strip().endswith("dossier build --site-dir site") for x in lines), lines
    assert not any("mkdocs build" in x for x in lines), lines


# --- maintainer conveniences --------------------------------------------------------------

def test_pre_commit_hooks_run_the_check_and_pass_on_the_real_dossier():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"dossier-check", "dossier-schemas"}
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        r = subprocess.run(hook["entry"].split(), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, (hook["id"], r.stdout, r.stderr)
    assert "content/" in hooks["dossier-check"]["files"] and "seeds/" in hooks["dossier-check"]["files"]


def test_publish_workflow_builds_with_the_readme_commands_and_deploys_to_pages():
    import yaml

    wf = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key 'on' as true
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = [s.get("run") for s in build["steps"] if "run" in s]
    make = [r for r in runs if r.startswith("make ")]
    assert make == ["make check", "make test", "make build"]  # the full suite gates publishing
    assert build["container"].endswith("bookworm")  # Debian's chromium, as the tests expect
    uses = [s.get("uses", "") for s in build["steps"]] + [s.get("uses", "") for s in deploy["steps"]]
    assert "actions/upload-pages-artifact@v3" in uses and "actions/deploy-pages@v4" in uses
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert wf["permissions"] == {"contents": "read"}
