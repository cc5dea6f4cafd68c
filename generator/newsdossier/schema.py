"""The content schema, read from the model's declarations (model.py).

Each content kind's converter (``Cls.spec``, an ``Obj``) turns located YAML into model objects,
with an error, position and hint for every problem, and produces the JSON Schema editors get
autocompletion from. A field added to a class in model.py is therefore checked, documented and
completed in the editor at once; the field types live in fields.py.
"""

from __future__ import annotations

from . import model
from .fields import (  # noqa: F401  (the field types, imported from here by others)
    _CONTROL, MAX_ID, SLUG, Bool, Ctx, Date, Enum, Int, Invalid, ListOf, Markdown, Number, Obj, Quote, Ref, Slug, T, Text,
    Url, check_slug, slugify,
)
from .model import (  # noqa: F401  (the vocabulary, used by render.py and exportschema.py)
    ACTOR_KINDS, ACTOR_KINDS_PLURAL, EVIDENCE_ABOUT, INFERABLE, NOTE_KINDS, QUALIFIERS, REPRODUCE, STATUS_HELP, STATUSES,
)

#: a citation on its own (load.py checks the citations of a broken object)
CITATION = model.Citation.spec

#: How each content location is read: (folder or file, shape, the converter of its model class)
KINDS = {
    "dossier": {"glob": "dossier.yaml", "shape": "single", "spec": model.DossierMeta.spec},
    "source": {"glob": "sources/*.yaml", "shape": "file", "spec": model.Source.spec},
    "topic": {"glob": "topics/*.yaml", "shape": "file", "spec": model.Topic.spec},
    "series": {"glob": "figures/*.yaml", "shape": "file", "spec": model.Series.spec},
    "event": {"glob": "events/*.yaml", "shape": "list", "spec": model.Event.spec},
    "actor": {"glob": "actors/*.yaml", "shape": "list", "spec": model.Actor.spec},
    "contradiction": {"glob": "contradictions/*.yaml", "shape": "list", "spec": model.Contradiction.spec},
    "term": {"glob": "glossary/*.yaml", "shape": "list", "spec": model.Term.spec},
}

#: JSON Schema file name for each kind (what the '# yaml-language-server' line names).
SCHEMA_FILES = {
    "dossier": "dossier.schema.json",
    "source": "source.schema.json",
    "topic": "topic.schema.json",
    "series": "figures.schema.json",
    "event": "events.schema.json",
    "actor": "actors.schema.json",
    "contradiction": "contradictions.schema.json",
    "term": "glossary.schema.json",
}


def json_schema(kind: str) -> dict:
    info = KINDS[kind]
    body = info["spec"].schema()
    if info["shape"] == "list":
        body = {"type": "array", "items": body}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_FILES[kind],
        "title": f"Dossier content: {kind}",
        **body,
    }
