"""JSON Schema (draft 2020-12) of the machine-readable export ``daten/dossier.json``.

Published beside the data as ``daten/dossier.schema.json``; tests validate the real export
against it. Keep it in step with ``generator/newsdossier/export.py`` (EXPORT_VERSION).
"""

from __future__ import annotations

import json

from .export import EXPORT_VERSION
from .schema import ACTOR_KINDS, EVIDENCE_ABOUT, INFERABLE, NOTE_KINDS, QUALIFIERS, REPRODUCE, STATUSES

SCHEMA_PATH = "daten/dossier.schema.json"

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}
_IDS = {"type": "array", "items": _ID}
_TEXT = {"type": "string", "minLength": 1}
_OPT_TEXT = {"type": ["string", "null"]}
_DAY = {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _obj(props: dict, required: list[str] | None = None, description: str | None = None) -> dict:
    out = {"type": "object", "additionalProperties": False, "properties": props,
           "required": list(props) if required is None else required}
    if description:
        out["description"] = description
    return out


SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "dossier.schema.json",
    "title": "Dossier-Export",
    "description": "Alle Daten des Dossiers: Quellen, Themen, belegte Aussagen, Ereignisse, Akteure, "
                   "Zahlen, Widersprüche und Glossar, jeweils mit wörtlichen Belegstellen.",
    "$defs": {
        "date": {
            "oneOf": [
                {"type": "null"},
                _obj({
                    "edtf": {"type": "string", "description": "Datum im Extended Date/Time Format (EDTF), z. B. 2024-10, 2024-10~, 1965/1973"},
                    "display": {"type": "string", "description": "deutsche Anzeigeform, so genau wie das Datum"},
                    "earliest": {**_DAY, "description": "frühestmöglicher Tag; null, wenn der Zeitraum nach vorn offen ist"},
                    "latest": {**_DAY, "description": "spätestmöglicher Tag; null, wenn der Zeitraum nach hinten offen ist"},
                    "approximate": {"type": "boolean", "description": "ungefähres Datum (~ oder Jahrzehnt)"},
                    "uncertain": {"type": "boolean", "description": "unsicheres Datum (?)"},
                }, description="ein Datum mit ehrlicher Genauigkeit"),
            ]
        },
        "citation": _obj({
            "source": {**_ID, "description": "id der Quelle (sources[].id)"},
            "quote": {**_TEXT, "description": "wörtliches Zitat aus dem Artikel"},
            "paragraph": {"type": ["integer", "null"], "minimum": 1, "description": "Absatznummer ¶ im Artikel; null bei Zwischentiteln"},
            "anchor": {"type": "string", "pattern": "^q-[0-9a-f]{10}$", "description": "Anker der Stelle auf der Quellenseite: quellen/<source>/#<anchor>"},
        }, description="eine Belegstelle"),
        "citations": {"type": "array", "items": {"$ref": "#/$defs/citation"}},
    },
    **_obj({
        "version": {"const": EXPORT_VERSION, "description": "Version dieses Formats"},
        "title": _OPT_TEXT,
        "sources": {"type": "array", "items": _obj({
            "id": _ID, "file": _TEXT, "title": _TEXT, "title_editorial": {"type": "boolean"},
            "publisher": _OPT_TEXT, "author": _OPT_TEXT, "published": {"$ref": "#/$defs/date"},
            "url": {"type": ["string", "null"], "pattern": "^https?://"},
            "language": {"type": "string"},
            "inferred": {"type": "array", "items": {"enum": list(INFERABLE)},
                         "description": "aus dem Text erschlossene, nicht abgelesene Angaben"},
            "reproduce": {"enum": list(REPRODUCE), "description": "quotes: öffentlich nur die zitierten Passagen; fulltext: Rechte geklärt"},
            "evidence": {"type": "array", "items": _obj({
                "about": {"enum": list(EVIDENCE_ABOUT)},
                "quote": _OPT_TEXT, "note": _TEXT})},
            "notes": {"type": "array", "items": _obj({
                "quote": _TEXT, "kind": {"enum": list(NOTE_KINDS)}, "text": _TEXT})},
        })},
        "topics": {"type": "array", "items": _obj({"id": _ID, "title": _TEXT, "lead": _TEXT, "claims": _IDS})},
        "claims": {"type": "array", "items": _obj({
            "id": _ID, "topic": _ID, "section": {"type": "string"}, "text": _TEXT,
            "status": {"enum": list(STATUSES)},
            "by": {**_IDS, "description": "Akteure, die die Aussage machen"},
            "stated": {"$ref": "#/$defs/date"}, "note": _OPT_TEXT,
            "citations": {"$ref": "#/$defs/citations", "minItems": 1},
        })},
        "events": {"type": "array", "items": _obj({
            "id": _ID, "date": {"$ref": "#/$defs/date", "description": "wann es geschah"},
            "date_label": _OPT_TEXT, "title": _TEXT, "text": _OPT_TEXT,
            "topics": _IDS, "actors": _IDS, "places": {"type": "array", "items": {"type": "string"}},
            "reported_in": {**_IDS, "description": "Quellen, die darüber berichten (früheste zuerst)"},
            "citations": {"$ref": "#/$defs/citations"},
        })},
        "actors": {"type": "array", "items": _obj({
            "id": _ID, "name": _TEXT, "aliases": {"type": "array", "items": {"type": "string"}},
            "kind": {"enum": list(ACTOR_KINDS)},
            "role": _OPT_TEXT, "part_of": {"type": ["string", "null"]},
            "citations": {"$ref": "#/$defs/citations"},
        })},
        "figures": {"type": "array", "items": _obj({
            "id": _ID, "series": {**_ID, "description": "series[].id"}, "value": {"type": "number"},
            "qualifier": {"enum": list(QUALIFIERS)},
            "by": {**_ID, "description": "wer die Zahl nennt (actors[].id)"},
            "stated": {"$ref": "#/$defs/date"}, "refers_to": _OPT_TEXT, "note": _OPT_TEXT,
            "citations": {"$ref": "#/$defs/citations", "minItems": 1},
        })},
        "series": {"type": "array", "items": _obj({"id": _ID, "title": _TEXT, "unit": _TEXT, "description": _OPT_TEXT})},
        "contradictions": {"type": "array", "items": _obj({
            "id": _ID, "title": _TEXT, "summary": _OPT_TEXT, "topics": _IDS,
            "sides": {"type": "array", "minItems": 2, "items": _obj({
                "text": _TEXT, "claims": _IDS, "citations": {"$ref": "#/$defs/citations"}})},
        })},
        "glossary": {"type": "array", "items": _obj({
            "id": _ID, "term": _TEXT, "aliases": {"type": "array", "items": {"type": "string"}},
            "definition": _TEXT, "citations": {"$ref": "#/$defs/citations"}})},
    }),
}


def schema_json() -> bytes:
    return (json.dumps(SCHEMA, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
