"""JSON Schemas for editor autocompletion: generated from the model, written into every new
project and kept up to date, named by every content file, and in agreement with the checker."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from conftest import FIXTURES, write_corpus
from newsdossier import schemas
from newsdossier.errors import Problems
from newsdossier.schema import KINDS, SCHEMA_FILES
from newsdossier.yamlio import load_yaml

@pytest.fixture(scope="module")
def new_project(tmp_path_factory):
    """A project as 'dossier new' writes it (its content names its schemas)."""
    from newsdossier.scaffold import create

    proj = tmp_path_factory.mktemp("schemas") / "neu"
    create(proj)
    return proj


def test_a_new_project_has_up_to_date_schemas_and_an_old_one_is_found(new_project):
    content = new_project / "content"
    assert schemas.stale(content) == []
    (content / "schemas" / "topic.schema.json").write_text("{}", encoding="utf-8")
    assert schemas.stale(content) == ["topic.schema.json"]
    assert schemas.write(content) == ["topic.schema.json"] and schemas.stale(content) == []


def test_there_is_one_valid_draft_2020_12_schema_per_kind(new_project):
    content = new_project / "content"
    files = sorted(p.name for p in (content / "schemas").glob("*.json"))
    assert files == sorted(SCHEMA_FILES.values())
    for name in files:
        jsonschema.Draft202012Validator.check_schema(json.loads((content / "schemas" / name).read_text(encoding="utf-8")))


def test_every_content_file_names_its_schema_on_the_first_line(new_project):
    content = new_project / "content"
    assert schemas.missing_modelines(content) == []
    checked = 0
    for kind, info in KINDS.items():
        for path in content.glob(info["glob"]):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            target = first.split("$schema=", 1)[1]
            assert (path.parent / target).resolve() == (content / "schemas" / SCHEMA_FILES[kind]).resolve()
            checked += 1
    assert checked >= 3
    (content / "topics" / "ohne.yaml").write_text("title: x\n", encoding="utf-8")
    assert [rel for rel, _ in schemas.missing_modelines(content)] == ["topics/ohne.yaml"]


@pytest.fixture(scope="module")
def corpus_content(tmp_path_factory):
    dest = tmp_path_factory.mktemp("corpus")
    write_corpus(dest)
    return dest / "content"


@pytest.mark.parametrize("which", ["corpus", "mini"])
def test_valid_content_passes_its_schema(which, corpus_content):
    """The editor must not underline what the checker accepts."""
    root = corpus_content if which == "corpus" else FIXTURES / "mini" / "content"
    checked = 0
    for kind, info in KINDS.items():
        validator = jsonschema.Draft202012Validator(json.loads(schemas.render_all()[SCHEMA_FILES[kind]]))
        for path in sorted(root.glob(info["glob"])):
            data = load_yaml(path.read_text(encoding="utf-8"), path.name, Problems())
            errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
            assert not errors, (path, errors[:5])
            checked += 1
    assert checked >= 8


def test_schema_flags_what_editors_get_wrong():
    topic = jsonschema.Draft202012Validator(schemas.json_schema("topic"))
    bad = {"title": "<b>x</b>", "lead": "x", "ordr": 1, "sections": [{"title": "s", "claims": [
        {"id": "Bad Id", "text": "t", "status": "bestätigt", "cite": [{"source": "x", "quote": "q"}]}]}]}
    messages = " | ".join(e.message for e in topic.iter_errors(bad))
    assert "'ordr' was unexpected" in messages
    assert "does not match" in messages  # title with '<', id not a slug
    assert "is not one of" in messages  # status


def test_schemas_command_writes_and_checks(tmp_path):
    content = tmp_path / "content"
    (content / "schemas").mkdir(parents=True)
    (content / "schemas" / "old.schema.json").write_text("{}", encoding="utf-8")
    cmd = [sys.executable, "-m", "newsdossier.cli", "--root", str(tmp_path)]
    r = subprocess.run(cmd + ["schemas", "--check"], capture_output=True, text=True)
    assert r.returncode == 1 and "content/schemas/topic.schema.json: error: out of date" in r.stderr
    r = subprocess.run(cmd + ["schemas"], capture_output=True, text=True)
    assert r.returncode == 0 and "wrote content/schemas/topic.schema.json" in r.stdout
    assert not (content / "schemas" / "old.schema.json").exists()
    r = subprocess.run(cmd + ["schemas", "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert schemas.write(content) == []  # idempotent: nothing rewritten


def test_missing_modeline_is_reported_with_the_line_to_add(tmp_path):
    content = tmp_path / "content"
    (content / "topics").mkdir(parents=True)
    (content / "topics" / "x.yaml").write_text("title: x\n", encoding="utf-8")
    schemas.write(content)
    r = subprocess.run([sys.executable, "-m", "newsdossier.cli", "--root", str(tmp_path), "schemas", "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "content/topics/x.yaml:1:1: error: the first line must name the schema" in r.stderr
    assert "# yaml-language-server: $schema=../schemas/topic.schema.json" in r.stderr
