"""The pure core: (content/, seeds/) -> pages and assets. Knows nothing about MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .export import export_json
from .exportschema import SCHEMA_PATH, schema_json
from .index import Index
from .load import load
from .model import Dossier
from .render import EXPORT_PATH, Options, nav, render


@dataclass
class Result:
    dossier: Dossier
    problems: list[Problem]
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    nav: list = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(root: Path, content_dir: str = "content", seeds_dir: str = "seeds") -> Result:
    """Load and validate only."""
    d, problems = load(Path(root), content_dir, seeds_dir)
    return Result(d, problems.all())


def build(root: Path, content_dir: str = "content", seeds_dir: str = "seeds",
          options: Options | None = None) -> Result:
    """Load, validate, index and render. Renders nothing when there are errors."""
    result = check(root, content_dir, seeds_dir)
    if not result.ok or result.dossier.meta is None:
        return result
    d = result.dossier
    ix = Index.build(d)
    result.pages = render(d, ix, options or Options())
    result.assets = {EXPORT_PATH: export_json(d, ix), SCHEMA_PATH: schema_json()}
    result.nav = nav(d)
    return result
