"""JSON Schema (draft 2020-12) of the machine-readable export ``daten/dossier.json``.

Published beside the data as ``daten/dossier.schema.json``; generated from the export's views
(export.py) and the field declarations (model.py), so it cannot drift from the data; tests
validate exports against it.
"""

from __future__ import annotations

import json

from . import model
from .export import CITATION, COLLECTIONS, EXPORT_VERSION, field

SCHEMA_PATH = "daten/dossier.schema.json"

_DAY = {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

#: how export._date writes an EDTF date
DATE = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "edtf": {"type": "string", "description": "Datum im Extended Date/Time Format (EDTF), z. B. 2024-10, 2024-10~, 1965/1973"},
        "display": {"type": "string", "description": "deutsche Anzeigeform, so genau wie das Datum"},
        "earliest": {**_DAY, "description": "frühestmöglicher Tag; null, wenn der Zeitraum nach vorn offen ist"},
        "latest": {**_DAY, "description": "spätestmöglicher Tag; null, wenn der Zeitraum nach hinten offen ist"},
        "approximate": {"type": "boolean", "description": "ungefähres Datum (~ oder Jahrzehnt)"},
        "uncertain": {"type": "boolean", "description": "unsicheres Datum (?)"},
    },
    "required": ["edtf", "display", "earliest", "latest", "approximate", "uncertain"],
    "description": "ein Datum mit ehrlicher Genauigkeit",
}

_TOP = {
    "version": {"const": EXPORT_VERSION, "description": "Version dieses Formats"},
    "title": {"anyOf": [field(model.DossierMeta, "title").schema, {"type": "null"}]},
    **{key: {"type": "array", "items": view.use()} for key, view, _ in COLLECTIONS},
}

SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "dossier.schema.json",
    "title": "Dossier-Export",
    "description": "Alle Daten des Dossiers: Quellen, Themen, belegte Aussagen, Ereignisse, Akteure, "
                   "Zahlen, Widersprüche und Glossar, jeweils mit wörtlichen Belegstellen.",
    "$defs": {"date": DATE, "citation": CITATION.schema()},
    "type": "object", "additionalProperties": False, "properties": _TOP, "required": list(_TOP),
}


def schema_json() -> bytes:
    return (json.dumps(SCHEMA, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
