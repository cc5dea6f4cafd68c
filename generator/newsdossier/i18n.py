"""The reader interface's words: one message catalog per language.

Catalogs live in ``locales/<lang>.yaml`` (a translator edits one YAML file; nested keys are
addressed with dots, ``nav.chronology``). A value is a string with ``{placeholders}`` for
``str.format``, or, for words that depend on a count, a mapping of Babel plural categories
(``one``, ``other``, …) to strings, used through :func:`Catalog.plural`.

The language of a build is ``language:`` in ``content/dossier.yaml``. :func:`activate` makes
its catalog the active one for the run: page paths and URL folders (``paths.PAGES``,
``paths.FOLDERS``) and the date wording (``edtf``) follow it. Month names, digit grouping and
the decimal sign come from Babel's locale data.
"""

from __future__ import annotations

import datetime as dt
import string
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "de"


def _flatten(tree: dict, prefix: str = "") -> dict:
    out: dict = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


_PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}


def _is_plural(value: dict) -> bool:
    return bool(value) and set(value) <= _PLURAL_FORMS and "other" in value


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalog:
    """The messages of one language."""

    def __init__(self, lang: str, messages: dict):
        self.lang = lang
        self.messages = messages
        self.locale = Locale.parse(lang)
        self.months = [format_date(dt.date(2000, m, 1), "MMMM", locale=lang) for m in range(1, 13)]
        self.group = get_group_symbol(lang)
        self.decimal = get_decimal_symbol(lang)
        self._sections: dict[str, dict] = {}
        #: markup() of the messages asked for without placeholder values, by (key, html)
        self._fixed: dict[tuple[str, bool], object] = {}

    def t(self, key: str, **kw) -> str:
        """The message ``key`` with its placeholders filled in."""
        try:
            text = self.messages[key]
        except KeyError:
            raise KeyError(f"message '{key}' is missing in locales/{self.lang}.yaml") from None
        if isinstance(text, dict):
            raise TypeError(f"message '{key}' depends on a count: use plural('{key}', n)")
        return text.format(**kw) if kw else text

    __call__ = t

    def plural(self, key: str, n, **kw) -> str:
        """The form of ``key`` for the count ``n`` (Babel's plural rules), ``{n}`` filled in."""
        forms = self.messages[key]
        if not isinstance(forms, dict):
            return forms.format(n=n, **kw)
        form = self.locale.plural_form(n)
        return forms.get(form, forms["other"]).format(n=n, **kw)

    def markup(self, key: str, html: bool = False, **kw):
        """For templates: the message as Markup, escaped (``html``: the catalog's own markup
        kept); placeholder values are escaped unless they are Markup themselves.

        Without placeholder values the result depends on the key alone and is made once: the
        page templates ask for such fixed words (a claim's "Belegt durch", an event's
        "Quellen") 220,000 times at 1,000 articles, and escaping and formatting each again was
        about 2 s CPU of the render."""
        if not kw:
            fixed = self._fixed.get((key, html))
            if fixed is None:
                fixed = self._fixed[(key, html)] = self._markup(key, html)
            return fixed
        return self._markup(key, html, **kw)

    def _markup(self, key: str, html: bool, **kw):
        from markupsafe import Markup, escape

        text = self.messages.get(key)
        if not isinstance(text, str):
            self.t(key)  # raises the helpful error
        return (Markup(text) if html else escape(text)).format(**kw)

    def plural_markup(self, key: str, n, **kw):
        from markupsafe import escape

        forms = self.messages[key]
        text = forms.get(self.locale.plural_form(n), forms["other"]) if isinstance(forms, dict) else forms
        return escape(text).format(n=n, **kw)

    def section(self, prefix: str) -> dict:
        """``{'bestaetigt': 'Bestätigt', …}`` for the keys under ``prefix``."""
        found = self._sections.get(prefix)
        if found is None:
            p = prefix + "."
            found = self._sections[prefix] = {k[len(p):]: v for k, v in self.messages.items() if k.startswith(p)}
        return dict(found)  # the caller's own copy

    def number(self, value) -> str:
        """A number as the language writes it: 12.000 / 12,000; 3,5 / 3.5 (all digits kept)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return f"{value:,}".replace(",", self.group)
        return str(value).replace(".", self.decimal)


def languages() -> list[str]:
    return sorted(p.stem for p in LOCALES.glob("*.yaml"))


@lru_cache(maxsize=None)
def catalog(lang: str) -> Catalog:
    path = LOCALES / f"{lang}.yaml"
    if not path.is_file():
        raise ValueError(f"no message catalog for language '{lang}' (have: {', '.join(languages())})")
    with open(path, encoding="utf-8") as f:
        return Catalog(lang, _flatten(yaml.safe_load(f) or {}))


_active: list[Catalog] = []


def active() -> Catalog:
    """The catalog of the current build (German until a build activates another)."""
    return _active[0] if _active else catalog(DEFAULT)


def activate(lang: str | None) -> Catalog:
    """Make ``lang``'s catalog the active one; page paths and URL folders follow it."""
    from . import paths

    cat = catalog(lang or DEFAULT)
    _active[:] = [cat]
    paths.PAGES.update(cat.section("path.page"))
    paths.FOLDERS.update(cat.section("path.folder"))
    from . import history

    history.CHANGES_PAGE = cat.t("path.history.changes")
    history.CORRECTIONS_PAGE = cat.t("path.history.corrections")
    history.FEED_PATH = cat.t("path.history.feed")
    return cat


# --- the theme's scripts ------------------------------------------------------------------
# theme/assets/*.js write their words as markers that the build replaces by JavaScript from
# the catalog (so the served script holds plain string literals, as if written by hand):
#   __("js.key")                          -> "text"
#   __("js.key", "n", expr, "when", w)    -> "Alle " + expr + " Ereignisse" (placeholders {n}, {when})
#   __plural("js.key", expr)              -> (expr === 1 ? "one form" : "other form")
# Expressions are plain JavaScript without commas (parentheses up to two deep); a __plural may stand as
# an argument of __. The plural test is the one of German and English (one = exactly 1).

import json as _json
import re as _re

_JS_EXPR = r'(?:[^(),]|\((?:[^()]|\([^()]*\))*\))+?'  # no commas; parentheses two deep
_JS_PLURAL = _re.compile(r'__plural\("([\w.-]+)",\s*(' + _JS_EXPR + r')\)')
_JS_MSG = _re.compile(r'__\("([\w.-]+)"((?:,\s*"\w+",\s*' + _JS_EXPR + r')*)\)')
_JS_ARG = _re.compile(r',\s*"(\w+)",\s*(' + _JS_EXPR + r')(?=,\s*"\w+",|$)')


def _js_concat(text: str, exprs: dict) -> str:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(_json.dumps(literal, ensure_ascii=False))
        if name:
            parts.append(exprs[name])
    return " + ".join(parts) or '""'


def render_script(text: str, cat: Catalog) -> str:
    """A theme script with its word markers replaced from ``cat`` (see above)."""
    held: list[str] = []

    def hold(js: str) -> str:
        held.append(js)
        return f"\x00{len(held) - 1}\x00"

    def plural(m):
        forms, expr = cat.messages[m.group(1)], m.group(2).strip()
        one, other = (forms.get("one", forms["other"]), forms["other"]) if isinstance(forms, dict) else (forms, forms)
        return hold(f"({expr} === 1 ? {_js_concat(one, {'n': expr})} : {_js_concat(other, {'n': expr})})")

    def message(m):
        exprs = {name: expr.strip() for name, expr in _JS_ARG.findall(m.group(2))}
        return hold(_js_concat(cat.t(m.group(1)), exprs))

    text = _JS_PLURAL.sub(plural, text)
    text = _JS_MSG.sub(message, text)
    for _ in range(len(held) + 1):  # held pieces may hold others
        if "\x00" not in text:
            break
        text = _re.sub(r"\x00(\d+)\x00", lambda m: held[int(m.group(1))], text)
    return text
