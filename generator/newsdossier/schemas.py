"""JSON Schemas for editor autocompletion, written from the content model (schema.py).

``dossier schemas`` writes ``content/schemas/<kind>.schema.json``; the files are committed so
that editors' YAML language servers find them through the first line of each content file::

    # yaml-language-server: $schema=../schemas/topic.schema.json

``dossier schemas --check`` (and a test) fails when the committed files are out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from .schema import KINDS, SCHEMA_FILES, json_schema

SCHEMA_DIR = "schemas"


def render_all() -> dict[str, str]:
    """{file name: exact file text} for every kind; deterministic (sorted keys, LF, final newline)."""
    return {SCHEMA_FILES[kind]: json.dumps(json_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for kind in KINDS}


def modeline(kind: str) -> str:
    """The first line a content file of this kind must carry."""
    prefix = "" if KINDS[kind]["shape"] == "single" else "../"
    return f"# yaml-language-server: $schema={prefix}{SCHEMA_DIR}/{SCHEMA_FILES[kind]}"


def stale(content: Path) -> list[str]:
    """Schema files that are missing, different or unexpected in content/schemas/."""
    folder = Path(content) / SCHEMA_DIR
    want = render_all()
    out = [name for name, text in want.items()
           if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
    if folder.is_dir():
        out += sorted(p.name for p in folder.glob("*.json") if p.name not in want)
    return sorted(out)


def write(content: Path) -> list[str]:
    """Write every schema file whose text changed; remove stale ones. Returns the changed names."""
    folder = Path(content) / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    want = render_all()
    for name, text in want.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            changed.append(name)
    for path in sorted(folder.glob("*.json")):
        if path.name not in want:
            path.unlink()
            changed.append(path.name)
    return changed


def missing_modelines(content: Path) -> list[tuple[str, str]]:
    """(relative path, expected first line) for content files that do not name their schema."""
    content = Path(content)
    out = []
    for kind, info in KINDS.items():
        for path in sorted(content.glob(info["glob"])):
            first = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
            if first.strip() != modeline(kind):
                out.append((path.relative_to(content).as_posix(), modeline(kind)))
    return out
