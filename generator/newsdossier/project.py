"""A dossier project on disk: where its content and articles are, and who it says it is.

One setting per fact. The content and article folders are named once, in mkdocs.yml's plugin
entry (``plugins: [{dossier: {content_dir: …, seeds_dir: …}}]``, default ``content`` and
``seeds``); the command line reads the same entry, and an option that says something else is
refused (:class:`Conflict`) instead of checking one folder and building another.

The site's identity (title, description, language) is read from ``content/dossier.yaml``;
mkdocs.yml's ``site_name``, ``site_description`` and ``theme.language`` may be left out, and
when they are set they must agree with it (:func:`identity_conflicts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from .errors import Problems
from .yamlio import load_yaml

DEFAULT_CONTENT = "content"
DEFAULT_SEEDS = "seeds"
DEFAULT_LANGUAGE = "de"


class Conflict(Exception):
    """Two settings name two different things for one fact."""


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may carry tags (!ENV, !relative, !!python/name:…) only MkDocs resolves;
    for the few plain keys read here they are read as nothing, never executed."""


def _ignore_tag(loader, suffix, node):
    return None


_AnyTagLoader.add_multi_constructor("!", _ignore_tag)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def read_mkdocs_yml(path: Path) -> dict:
    """The top level of an mkdocs.yml as written (no INHERIT, no validation); {} when the file
    is missing or is not a mapping (MkDocs reports that itself)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # noqa: S506 - safe loader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def plugin_settings(mkdocs: dict) -> dict:
    """The dossier plugin's options as written in mkdocs.yml ({} if none are given)."""
    plugins = mkdocs.get("plugins")
    items = plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)) for p in plugins or ())
    for name, options in items:
        if name == "dossier":
            return options if isinstance(options, dict) else {}
    return {}


def _same(a: str, b: str) -> bool:
    return PurePosixPath(a.replace("\\", "/").strip("/") or ".") == PurePosixPath(b.replace("\\", "/").strip("/") or ".")


@dataclass(frozen=True)
class Locations:
    content: str
    seeds: str


def locations(root: Path, config: str = "mkdocs.yml", content: str | None = None,
              seeds: str | None = None) -> Locations:
    """The content and article folders of the project in root: the command line's options and
    mkdocs.yml's plugin entry agree, or :class:`Conflict` says which two disagree."""
    written = plugin_settings(read_mkdocs_yml(root / config))
    out = {}
    for option, key, given, default in (("--content", "content_dir", content, DEFAULT_CONTENT),
                                        ("--seeds", "seeds_dir", seeds, DEFAULT_SEEDS)):
        configured = written.get(key)
        if given is not None and isinstance(configured, str) and not _same(given, configured):
            raise Conflict(f"{option} {given} disagrees with {config} (plugins: dossier: {key}: {configured}); "
                           f"name the folder in one place: drop {option}, or change {key} in {config}")
        out[key] = given if given is not None else configured if isinstance(configured, str) else default
    return Locations(out["content_dir"], out["seeds_dir"])


@dataclass(frozen=True)
class Identity:
    title: str | None
    description: str | None
    language: str


def identity(content: Path) -> Identity:
    """Title, description and language from dossier.yaml, read leniently: what is missing or
    malformed is None here (``dossier check`` reports it with file, line and column)."""
    path = content / "dossier.yaml"
    data = None
    if path.is_file() and not path.is_symlink():
        try:
            data = load_yaml(path.read_text(encoding="utf-8"), str(path), Problems())
        except (OSError, UnicodeDecodeError):
            data = None
    data = data if isinstance(data, dict) else {}

    def text(key: str) -> str | None:
        value = data.get(key)
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else None

    return Identity(text("title"), text("description") or text("subtitle"), text("language") or DEFAULT_LANGUAGE)


def identity_conflicts(written: dict, ident: Identity, content_dir: str, config: str = "mkdocs.yml") -> list[str]:
    """Messages for each identity setting mkdocs.yml gives that contradicts dossier.yaml."""
    out = []
    theme = written.get("theme") if isinstance(written.get("theme"), dict) else {}
    pairs = (("site_name", written.get("site_name"), ident.title, "title"),
             ("site_description", written.get("site_description"), ident.description, "description"),
             ("theme: language", theme.get("language"), ident.language, "language"))
    for key, value, own, field in pairs:
        if isinstance(value, str) and value.strip() and own is not None and " ".join(value.split()) != own:
            fix = ("write site_name: \"\" (MkDocs needs the key; the dossier plugin fills it in)" if key == "site_name"
                   else f"remove {key} from {config}")
            out.append(f"{config}: {key} '{value}' disagrees with {content_dir}/dossier.yaml ({field}: '{own}'); "
                       f"the dossier names itself in dossier.yaml: {fix}")
    return out
