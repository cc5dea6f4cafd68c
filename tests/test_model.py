"""The content model is declared once (model.py); everything else is derived from it. These
tests fail when a derived artefact drifts: an undeclared field, a committed editor schema, an
editor-visible problem list, an export or its published schema."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, write_corpus
from newsdossier import core, export, model, schema, schemas
from newsdossier.errors import Pos, Problems
from newsdossier.exportschema import SCHEMA
from newsdossier.fields import NODE_FIELDS, Ctx, Date, Invalid, ListOf, Obj, Text, declared, derived, fld
from newsdossier.index import Index

DECLARED = [c for c in vars(model).values() if isinstance(c, type) and hasattr(c, "spec")]
PROBLEMS_BROKEN = Path(__file__).parent / "snapshots" / "problems-broken.txt"


def test_every_field_of_the_model_is_declared_or_marked_derived():
    assert {c.__name__ for c in DECLARED} >= {"Citation", "Claim", "Topic", "Source", "DossierMeta", "Event"}
    for cls in DECLARED:
        for f in dataclasses.fields(cls):
            if f.name in NODE_FIELDS:
                continue
            assert "type" in f.metadata or "derived" in f.metadata, f"{cls.__name__}.{f.name}"
            if "type" in f.metadata:
                assert f.name in cls.spec.fields and cls.spec.fields[f.name].type is f.metadata["type"]
                assert cls.spec.fields[f.name].required == (f.default is dataclasses.MISSING
                                                            and f.default_factory is dataclasses.MISSING)
        assert list(cls.spec.fields) == [f.name for f in dataclasses.fields(cls) if "type" in f.metadata]
    # every content kind reads a declared class
    assert {info["spec"].cls for info in schema.KINDS.values()} <= set(DECLARED)


def test_an_undeclared_field_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="declare extra with fld"):
        @declared("thing")
        class Thing(model.Node):
            name: str = fld(Text(10))
            extra: str = ""
    @declared("thing")
    class Ok(model.Node):
        name: str = fld(Text(10), "the name")
        seen: bool = derived("set later", default=False)
    assert list(Ok.spec.fields) == ["name"] and Ok.spec.fields["name"].required


def test_each_editor_schema_lists_exactly_the_declared_fields_of_its_class():
    """The committed files themselves are compared by `dossier schemas --check` (make check, CI)."""
    for kind, info in schema.KINDS.items():
        body = schema.json_schema(kind)
        obj = body["items"] if info["shape"] == "list" else body
        cls = info["spec"].cls
        declared_fields = [f for f in dataclasses.fields(cls) if "type" in f.metadata]
        assert list(obj["properties"]) == [f.name for f in declared_fields], kind
        assert obj.get("required", []) == [f.name for f in declared_fields
                                           if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        assert obj["additionalProperties"] is False
        for f in declared_fields:  # editors see the value an absent field takes
            shown = f.default if f.default not in (None, dataclasses.MISSING) else None
            assert obj["properties"][f.name].get("default") == shown, (kind, f.name)
        rendered = schemas.render_all()[schema.SCHEMA_FILES[kind]]
        assert json.loads(rendered) == body


def test_the_broken_fixture_reports_exactly_the_recorded_problems():
    """All problems at once, each with its position, did-you-mean and closest-passage hints:
    a change to any message shows here as a diff (regenerate the file only on purpose)."""
    got = "\n".join(p.format() for p in core.check(FIXTURES / "broken").problems) + "\n"
    assert got == PROBLEMS_BROKEN.read_text(encoding="utf-8")


def _validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("which", ["mini", "corpus"])
def test_exports_validate_against_the_generated_export_schema(tmp_path, which):
    proj = tmp_path / "p"
    if which == "corpus":
        write_corpus(proj, 12)
    else:
        shutil.copytree(FIXTURES / which, proj)
    result = core.check(proj)
    assert result.ok, [p.format() for p in result.errors]
    data = json.loads(export.export_json(result.dossier, Index(result.dossier)))
    assert [f"{e.json_path}: {e.message}" for e in _validator().iter_errors(data)] == []
    assert data["claims"] and data["sources"] and all(c["citations"] for c in data["claims"])


@pytest.mark.parametrize("batch", [1, 2, 5, 256])
def test_the_export_made_a_batch_at_a_time_is_the_dump_of_the_whole(tmp_path, batch, monkeypatch):
    """export_json dumps each collection a few objects at a time (peak memory): the same
    bytes as one json dump of export(), whatever the batch size."""
    write_corpus(tmp_path / "p", 12)
    result = core.check(tmp_path / "p")
    ix = Index(result.dossier)
    monkeypatch.setattr(export, "BATCH", batch)
    whole = (export.dumps(export.export(result.dossier, ix)) + "\n").encode("utf-8")
    assert export.export_json(result.dossier, ix) == whole
    assert len(json.loads(whole)["claims"]) > 5  # more than one batch of the small sizes


def test_the_export_schema_ids_are_the_model_slugs_and_it_rejects_drift():
    v = _validator()
    ids = SCHEMA["properties"]["claims"]["items"]["properties"]["id"]
    assert ids["pattern"] == schema.SLUG.pattern
    result = core.check(FIXTURES / "mini")
    data = json.loads(export.export_json(result.dossier, Index(result.dossier)))
    data["claims"][0]["id"] = "Kein-Slug"
    data["sources"][0]["label"] = "undeclared"
    data["events"][0]["citations"][0]["anchor"] = "q-zz"
    paths = {e.json_path for e in v.iter_errors(data)}
    assert {"$.claims[0].id", "$.sources[0]", "$.events[0].citations[0].anchor"} <= paths


def test_every_declared_field_is_exported_or_deliberately_left_out():
    for view in [v for _, v, _ in export.COLLECTIONS] + [export.CITATION]:
        declared_fields = {f.name for f in dataclasses.fields(view.cls) if f.name not in NODE_FIELDS}
        shown = {c.attr for c in view.cols if c.attr}
        assert declared_fields == shown | set(view.omit), view.cls.__name__


def _leaf_types() -> list:
    """Every distinct scalar field type the model declares (list items included)."""
    out, seen = [], set()
    for cls in DECLARED:
        for f in cls.spec.fields.values():
            t = f.type
            while isinstance(t, ListOf):
                t = t.item
            key = json.dumps(t.schema(), sort_keys=True) + type(t).__name__
            if not isinstance(t, Obj) and key not in seen:
                seen.add(key)
                out.append((t, jsonschema.Draft202012Validator(t.schema())))
    return out


LEAVES = _leaf_types()
_values = st.one_of(st.text(max_size=60), st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
                    st.from_regex(r"(19|20)\d\d(-[01]\d(-[0-3]\d)?)?[?~]?", fullmatch=True),
                    st.sampled_from(["https://example.org/a", "berichtet", "about", "de", "media", "fulltext", "lines",
                                     " padded text  ", "a\n  b"]),
                    st.integers(), st.floats(allow_nan=False), st.booleans())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_values)
def test_what_validation_accepts_the_editor_schema_accepts(value):
    """Converters and the JSON Schemas they write agree, for every field type of the model: an
    editor's YAML language server does not flag a value the build accepts."""
    assert len(LEAVES) >= 10
    for t, validator in LEAVES:
        if isinstance(value, (int, float)) and isinstance(t, (Text, Date)):
            continue  # deliberate leniency: the build takes an unquoted 2024; the schema asks for "2024"
        try:
            converted = t.convert(value, Pos("x"), Ctx(Problems()))
        except Invalid:
            continue
        # text is stored stripped (what the schema's length applies to), a date as parsed
        shown = converted if isinstance(converted, str) and isinstance(t, Text) else value
        assert validator.is_valid(shown), (type(t).__name__, t.schema(), value)


def write_problems_broken() -> None:
    """Record the broken fixture's problem list (after an intended change of a message)."""
    PROBLEMS_BROKEN.write_text("\n".join(p.format() for p in core.check(FIXTURES / "broken").problems) + "\n",
                               encoding="utf-8")


if __name__ == "__main__":  # make snapshot
    write_problems_broken()
