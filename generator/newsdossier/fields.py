"""Field types of the content model: each converts a located YAML value (recording an error,
position and hint for every problem) and describes itself as JSON Schema.

``model.py`` declares every content field once with these types (``fld``/``derived``);
``schema.py`` reads those declarations into converters and editor schemas, ``exportschema.py``
into the export's JSON Schema.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Callable, dataclass_transform

from . import edtf
from .errors import Pos, Problems
from .suggest import did_you_mean
from .yamlio import REPORTED, LList, LMap

SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_ID = 80
#: the largest figure value (a larger one is a typo, and overflows the chart's arithmetic)
MAX_NUMBER = 1e15
#: the largest whole number of an 'order' field
MAX_INT = 1_000_000_000
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?]|<|>")
_MD_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?|<!--")
_MD_LINK = re.compile(r"\]\(\s*<?([^()\s>]*(?:\([^()\s]*\))?[^()\s>]*)")
_MD_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>]*)>", re.I)
_MD_REFDEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]*)", re.M)  # [label]: target
_SAFE_URL = re.compile(r"^(https?://|mailto:|#|/(?![/\\])|\.{1,2}/)", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


class Invalid(Exception):
    """A value is unusable; the problem has been recorded already."""


@dataclass
class Ctx:
    """What conversion needs: the problem sink and the references to check afterwards."""

    problems: Problems
    refs: list[tuple[str, str, Pos]] = field(default_factory=list)  # (kind, id, pos)

    def error(self, pos: Pos, message: str, hint: str = "") -> None:
        self.problems.error(pos, message, hint)


def _pos_in(value: str, text: str, index: int, pos: Pos) -> Pos:
    """Position of ``text[index]`` where ``text`` is ``value.strip()``: the exact line and
    column inside a block or multi-line scalar, else the position of the value itself."""
    pos_at = getattr(value, "pos_at", None)
    if pos_at is None:
        return pos
    return pos_at(len(value) - len(value.lstrip()) + index) or pos


def _type_name(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


class T:
    """A field type: converts a YAML value and describes itself as JSON Schema."""

    description = ""

    def convert(self, value: Any, pos: Pos, ctx: Ctx) -> Any:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError


class Text(T):
    """Plain text: escaped on output; '<' and '>' refused so no markup can hide in it."""

    def __init__(self, max_len: int = 2000, single_line: bool = False, example: str = ""):
        self.max_len, self.single_line, self.example = max_len, single_line, example

    def convert(self, value, pos, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            ctx.error(pos, f"expected text, found {_type_name(value)}", "write the text after the colon, in quotes if needed")
            raise Invalid
        text = value.strip()
        if not text:
            ctx.error(pos, "text is empty", "write the text, or remove the field if it is optional")
            raise Invalid
        if ("<" in text or ">" in text) and (m := _HTML.search(text)):  # the test in C first: most texts pass
            ctx.error(_pos_in(value, text, m.start(), pos), "HTML is not allowed in text fields ('<' or '>' found)",
                      "write plain text; use „…“ for quotes and 'bis' or '–' instead of '<'/'>'")
            raise Invalid
        # every character _CONTROL finds is unprintable: a printable text (most) skips the search
        if not text.isprintable() and (m := _CONTROL.search(text)):
            ctx.error(_pos_in(value, text, m.start(), pos), f"invisible control character U+{ord(m.group()):04X} in text",
                      "retype the text or paste it as plain text")
            raise Invalid
        if self.single_line and "\n" in text:
            ctx.error(pos, "this field must be a single line", "remove the line breaks")
            raise Invalid
        if len(text) > self.max_len:
            ctx.error(pos, f"text is {len(text)} characters long, at most {self.max_len} are allowed",
                      "shorten it or split it into several entries")
            raise Invalid
        return " ".join(text.split()) if self.single_line else text

    def schema(self):
        s = {"type": "string", "minLength": 1, "maxLength": self.max_len, "pattern": "^[^<>]*$"}
        if self.example:
            s["examples"] = [self.example]
        return s


class Quote(Text):
    """A verbatim passage: may contain '<'/'>' characters from the article; always escaped."""

    def convert(self, value, pos, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            ctx.error(pos, f"expected the quoted passage as text, found {_type_name(value)}",
                      "copy the passage from the article and put it in double quotes")
            raise Invalid
        if len(value) > self.max_len:
            ctx.error(pos, f"quote is {len(value)} characters long, at most {self.max_len}",
                      "quote the one or two sentences that carry the statement")
            raise Invalid
        if not value.isprintable() and (m := _CONTROL.search(value)):
            ctx.error(_pos_in(value, value.strip(), m.start() - (len(value) - len(value.lstrip())), pos),
                      f"invisible control character U+{ord(m.group()):04X} in the quote",
                      "quote the visible text; articles show such characters as U+FFFD (�)")
            raise Invalid
        return value

    def schema(self):
        return {"type": "string", "minLength": 1, "maxLength": self.max_len}


class Markdown(Text):
    """Markdown text: raw HTML and non-http(s) link targets are refused."""

    def convert(self, value, pos, ctx):
        if not isinstance(value, str) or not value.strip():
            ctx.error(pos, f"expected Markdown text, found {_type_name(value)}", "write the text as a block: 'field: |'")
            raise Invalid
        text = value.strip()
        if m := _MD_HTML.search(text):
            ctx.error(_pos_in(value, text, m.start(), pos), "raw HTML is not allowed in Markdown fields",
                      "use Markdown (*betont*, [Text](https://…)); write '<' as '&lt;' if you mean the character")
            raise Invalid
        for m in list(_MD_LINK.finditer(text)) + list(_MD_AUTOLINK.finditer(text)) + list(_MD_REFDEF.finditer(text)):
            target = m.group(1)
            if target and not _SAFE_URL.match(target):
                ctx.error(_pos_in(value, text, m.start(1), pos), f"link target '{target}' is not allowed",
                          "links must start with https://, http:// or mailto:")
                raise Invalid
        if m := _CONTROL.search(text):
            ctx.error(_pos_in(value, text, m.start(), pos), f"invisible control character U+{ord(m.group()):04X} in text",
                      "retype the text or paste it as plain text")
            raise Invalid
        if len(text) > self.max_len:
            ctx.error(pos, f"text is {len(text)} characters long, at most {self.max_len}", "shorten it")
            raise Invalid
        # What the renderer makes of it decides: a link target may follow on the next line, in
        # a quote block or a list, or hide behind character references.
        from .safety import markdown_problem

        problem = markdown_problem(text)
        if problem is not None:
            index, message, hint = problem
            ctx.error(_pos_in(value, text, index, pos) if index >= 0 else pos, message, hint)
            raise Invalid
        return text

    def schema(self):
        return {"type": "string", "minLength": 1, "maxLength": self.max_len, "contentMediaType": "text/markdown"}


class Url(T):
    def convert(self, value, pos, ctx):
        if not isinstance(value, str) or not re.match(r"^https?://[^\s<>\"']+$", value.strip()):
            ctx.error(pos, f"'{value}' is not a web address", "write a full https:// address, or null if unknown")
            raise Invalid
        return value.strip()

    def schema(self):
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


class Slug(T):
    def convert(self, value, pos, ctx):
        return check_slug(value, pos, ctx)

    def schema(self):
        return {"type": "string", "pattern": SLUG.pattern, "maxLength": MAX_ID}


def check_slug(value, pos: Pos, ctx: Ctx, what: str = "id") -> str:
    if not isinstance(value, str) or not SLUG.match(value) or len(value) > MAX_ID:
        shown = f"'{value}'" if isinstance(value, str) else f"{value!r} ({_type_name(value)})"
        suggestion = slugify(value) if isinstance(value, str) else ""
        hint = "use lower-case letters, digits and hyphens, starting with a letter"
        if suggestion and suggestion != value:
            hint += f", e.g. '{suggestion}'"
        ctx.error(pos, f"{what} {shown} is not a safe slug (it becomes part of a URL)", hint)
        raise Invalid
    return value


def slugify(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
    s = re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")
    s = re.sub(r"^[^a-z]+", "", s)
    return s[:MAX_ID].strip("-") or "x"


class Ref(T):
    def __init__(self, kind: str):
        self.kind = kind

    def convert(self, value, pos, ctx):
        value = check_slug(value, pos, ctx, what=f"{self.kind} id")
        ctx.refs.append((self.kind, value, pos))
        return value

    def schema(self):
        return {"type": "string", "pattern": SLUG.pattern, "description": f"id of a {self.kind}"}


class Date(T):
    def convert(self, value, pos, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            ctx.error(pos, f"expected an EDTF date, found {_type_name(value)}", 'write the date in quotes, e.g. "2024-10-18"')
            raise Invalid
        try:
            return edtf.parse(value)
        except edtf.EDTFError as exc:
            ctx.error(pos, str(exc), exc.hint)
            raise Invalid from None

    def schema(self):
        return {
            "type": "string",
            "pattern": r"^(\.\.|\d{3}[\dX]|\d{2}XX)(-\d{2}(-\d{2})?)?[?~%]?(/(\.\.|(\d{3}[\dX]|\d{2}XX)(-\d{2}(-\d{2})?)?[?~%]?))?$",
            "description": "EDTF date: 2024-10-18, 2024-10, 2024, 2024-10~, 2024-10?, 1965/1973, 196X, 2024-10/..",
            "examples": ["2024-10-18", "2024-10", "2024-06-11/2024-06-20", "2024-10~"],
        }


class Enum(T):
    def __init__(self, values):
        self.values = list(values)

    def convert(self, value, pos, ctx):
        if value not in self.values:
            hint = did_you_mean(str(value), self.values) or ""
            ctx.error(pos, f"'{value}' is not one of: {', '.join(self.values)}", hint or f"use one of {', '.join(self.values)}")
            raise Invalid
        return value

    def schema(self):
        return {"enum": self.values}


class Int(T):
    def convert(self, value, pos, ctx):
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.error(pos, f"expected a whole number, found {_type_name(value)}", "write digits only, e.g. 3")
            raise Invalid
        if abs(value) > MAX_INT:
            ctx.error(pos, f"a number with {len(str(abs(value))):,} digits is too large here (at most {MAX_INT:,})",
                      "write a small whole number, e.g. 3")
            raise Invalid
        return value

    def schema(self):
        return {"type": "integer"}


class Number(T):
    def convert(self, value, pos, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "write digits without thousands separators, e.g. 12000 (not 12.000)"
            ctx.error(pos, f"expected a number, found {_type_name(value)}", hint)
            raise Invalid
        if value != value or value in (float("inf"), float("-inf")):
            ctx.error(pos, "not a finite number", "write the number as digits")
            raise Invalid
        if abs(value) > MAX_NUMBER:
            ctx.error(pos, f"{value:.6g} is larger than the largest number a figure may have ({MAX_NUMBER:.0e})",
                      "check the number; write it in the series' unit (e.g. 'Millionen')")
            raise Invalid
        return value

    def schema(self):
        return {"type": "number"}


class Bool(T):
    def convert(self, value, pos, ctx):
        if not isinstance(value, bool):
            ctx.error(pos, f"expected true or false, found {_type_name(value)}", "write true or false")
            raise Invalid
        return value

    def schema(self):
        return {"type": "boolean"}


class ListOf(T):
    def __init__(self, item: T | type, min_items: int = 0, unique: bool = False, max_items: int = 10_000):
        self.item, self.min_items, self.unique, self.max_items = as_type(item), min_items, unique, max_items

    def convert(self, value, pos, ctx):
        if not isinstance(value, list):
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and isinstance(self.item, (Ref, Text, Slug)):
                ctx.error(pos, f"expected a list, found {_type_name(value)}", f"write it as a list: [{value}]")
            else:
                ctx.error(pos, f"expected a list, found {_type_name(value)}", "start each item on its own line with '- '")
            raise Invalid
        if len(value) < self.min_items:
            ctx.error(pos, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}, found {len(value)}",
                      "add the missing entries")
            raise Invalid
        if len(value) > self.max_items:
            ctx.error(pos, f"has {len(value)} items, at most {self.max_items} are allowed", "split it into several files")
            raise Invalid
        ipos = value.ipos if isinstance(value, LList) else [pos] * len(value)
        out, ok, seen = [], True, {}
        for item, p in zip(value, ipos):
            if item is REPORTED:
                ok = False
                continue
            try:
                converted = self.item.convert(item, p, ctx)
            except Invalid:
                ok = False
                continue
            if self.unique:
                key = converted if isinstance(converted, (str, int, float)) else id(converted)
                if key in seen:
                    ctx.error(p, f"'{converted}' is listed twice", "remove the repetition")
                    ok = False
                    continue
                seen[key] = p
            out.append(converted)
        if not ok:
            raise Invalid
        return out

    def schema(self):
        s = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        if self.unique:
            s["uniqueItems"] = True
        return s


class Checks(T):
    """``checks:`` in dossier.yaml: which editorial rules (rules.RULES) this dossier enforces.
    Each rule: true/'error', 'warning', false/'off'; a rule with one threshold also takes the
    number itself; or a mapping {level: …, <threshold>: …}."""

    def convert(self, value, pos, ctx):
        from .rules import LEVELS, RULES, Setting

        if not isinstance(value, dict):
            ctx.error(pos, f"expected a mapping of rule names, found {_type_name(value)}",
                      f"write one rule per line, e.g. 'paragraphs-cited: true'; rules: {', '.join(RULES)}")
            raise Invalid
        kpos = value.kpos if isinstance(value, LMap) else {}
        vpos = value.vpos if isinstance(value, LMap) else {}
        out, ok = {}, True
        for name, raw in value.items():
            p = vpos.get(name, pos)
            rule = RULES.get(name)
            if rule is None:
                ctx.error(kpos.get(name, pos), f"unknown rule '{name}' in checks",
                          did_you_mean(str(name), list(RULES)) or f"rules: {', '.join(RULES)}")
                ok = False
                continue
            params = {k: prm.default for k, prm in rule.params.items()}
            one = next(iter(rule.params.items())) if len(rule.params) == 1 else None
            if isinstance(raw, bool) or raw in LEVELS:
                level = {True: "error", False: "off"}.get(raw, raw)
            elif isinstance(raw, int) and one and one[1].kind == "int":
                level = "error"
                params[one[0]] = raw
            elif isinstance(raw, dict):
                level = raw.get("level", "error")
                if level not in LEVELS:
                    ctx.error(p, f"level '{level}' of rule '{name}' is not one of: {', '.join(LEVELS)}", "write error, warning or off")
                    ok = False
                    continue
                for key, v in raw.items():
                    if key == "level":
                        continue
                    if key not in rule.params:
                        allowed = ", ".join(["level", *rule.params])
                        ctx.error(p, f"rule '{name}' has no setting '{key}'", did_you_mean(str(key), list(rule.params)) or f"settings: {allowed}")
                        ok = False
                    else:
                        params[key] = v
            else:
                extra = f", or a number ({one[0]})" if one and one[1].kind == "int" else ""
                ctx.error(p, f"rule '{name}': expected true, false, error, warning or off{extra}, found {_type_name(raw)}",
                          f"e.g. '{name}: true'")
                ok = False
                continue
            for key, prm in rule.params.items():
                v = params[key]
                if prm.kind == "int" and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
                    ctx.error(p, f"rule '{name}': '{key}' must be a whole number of at least 1, found {v!r}", prm.doc)
                    ok = False
                elif prm.kind == "words" and not (isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v)):
                    ctx.error(p, f"rule '{name}': '{key}' must be a list of words", "e.g. words: [behauptet, angeblich]")
                    ok = False
                elif prm.kind == "names" and not (isinstance(v, dict) and all(
                        isinstance(n, str) and isinstance(sp, list) and all(isinstance(x, str) and x.strip() for x in sp)
                        for n, sp in v.items())):
                    ctx.error(p, f"rule '{name}': '{key}' must map each name to a list of its spellings",
                              "e.g. names: {Kim Jong-un: [Kim Jong-un, Kim Jong Un]}")
                    ok = False
            out[name] = Setting(level, params, kpos.get(name, pos))
        if not ok:
            raise Invalid
        return out

    def schema(self):
        from .rules import LEVELS, RULES

        props = {}
        for name, rule in RULES.items():
            simple = [{"type": "boolean"}, {"enum": list(LEVELS)}]
            fields = {"level": {"enum": list(LEVELS)}}
            for key, prm in rule.params.items():
                words = {"type": "array", "items": {"type": "string", "minLength": 1}}
                fields[key] = {"int": {"type": "integer", "minimum": 1}, "words": words,
                               "names": {"type": "object", "additionalProperties": words}}[prm.kind]
                fields[key]["description"] = prm.doc
                if prm.kind == "int" and len(rule.params) == 1:
                    simple.append({"type": "integer", "minimum": 1})
            props[name] = {"description": rule.doc, "anyOf": [*simple, {"type": "object", "properties": fields,
                                                                        "additionalProperties": False}]}
        return {"type": "object", "properties": props, "additionalProperties": False}


@dataclass
class F:
    """A field of an object."""

    name: str
    type: T
    required: bool = False
    doc: str = ""
    nullable: bool = False  # null is a meaningful value ("unknown")
    default: Any = None  # the value an absent field takes, shown to editors (None: nothing to show)


class Obj(T):
    """A mapping with known fields, converted into a model dataclass."""

    def __init__(self, name: str, cls: Callable, fields: list[F], doc: str = "",
                 check: Callable[[Any, Ctx], None] | None = None, extra: dict | None = None):
        self.name, self.cls, self.doc, self.check_fn = name, cls, doc, check
        self.fields = {f.name: f for f in fields}
        self.extra = extra or {}  # values passed to cls that do not come from YAML

    def convert(self, value, pos, ctx, **extra):
        if not isinstance(value, dict):
            ctx.error(pos, f"expected a {self.name} (a mapping of 'field: value'), found {_type_name(value)}",
                      f"fields of a {self.name}: {', '.join(self.fields)}")
            raise Invalid
        mpos = value.pos if isinstance(value, LMap) else pos
        kpos = value.kpos if isinstance(value, LMap) else {}
        vpos = value.vpos if isinstance(value, LMap) else {}
        ok = True
        for key in value:
            if key not in self.fields:
                hint = did_you_mean(key, list(self.fields)) or f"fields of a {self.name}: {', '.join(self.fields)}"
                ctx.error(kpos.get(key, mpos), f"unknown field '{key}' in {self.name}", hint)
                ok = False
        kwargs: dict[str, Any] = {}
        fpos: dict[str, Pos] = {}
        for f in self.fields.values():
            if f.name not in value:
                if f.required:
                    ctx.error(mpos, f"{self.name} is missing the required field '{f.name}'",
                              f"add '{f.name}: …'" + (f" ({f.doc})" if f.doc else ""))
                    ok = False
                continue
            raw, p = value[f.name], vpos.get(f.name, mpos)
            fpos[f.name] = p
            if raw is REPORTED:  # yamlio reported it already
                ok = False
                continue
            if raw is None:
                if f.nullable:
                    kwargs[f.name] = None
                    continue
                if f.required:
                    ctx.error(p, f"'{f.name}' is empty", f"write a value for '{f.name}'" + (f" ({f.doc})" if f.doc else ""))
                    ok = False
                continue
            try:
                kwargs[f.name] = f.type.convert(raw, p, ctx)
            except Invalid:
                ok = False
        if not ok:
            raise Invalid
        obj = self.cls(**kwargs, **extra, pos=mpos, fpos=fpos)
        if self.check_fn:
            self.check_fn(obj, ctx)
        return obj

    def schema(self):
        props = {}
        for f in self.fields.values():
            s = dict(f.type.schema())
            if f.doc:
                s["description"] = f.doc
            if f.default is not None:
                s["default"] = f.default
            if f.nullable:
                s = {"anyOf": [s, {"type": "null"}], **({"description": f.doc} if f.doc else {})}
            props[f.name] = s
        out = {"type": "object", "properties": props, "additionalProperties": False}
        req = [f.name for f in self.fields.values() if f.required]
        if req:
            out["required"] = req
        if self.doc:
            out["description"] = self.doc
        return out



# --- declaring the model (model.py) ---------------------------------------------------------

NODE_FIELDS = ("pos", "fpos")  # where an object and its fields were written: set by Obj.convert


def as_type(t: T | type) -> T:
    """A field type; a declared model class stands for the object type read from it."""
    return t if isinstance(t, T) else t.spec


def fld(type: T | type, doc: str = "", *, nullable: bool = False, default: Any = dataclasses.MISSING) -> Any:
    """A content field read from YAML. Without a default it is required; ``default=[]`` (or
    ``{}``) gives each object its own empty list (mapping); ``nullable``: null is a meaningful
    value ("unknown")."""
    kw: dict[str, Any] = {}
    if isinstance(default, (list, dict)):
        if default:
            raise ValueError("a list or mapping default must be empty")
        kw["default_factory"] = default.__class__
    elif default is not dataclasses.MISSING:
        kw["default"] = default
    return field(metadata={"type": as_type(type), "doc": doc, "nullable": nullable}, **kw)


def derived(doc: str, of: T | None = None, **kw: Any) -> Any:
    """A field of the typed model that is not written in YAML: loading or validation sets it.
    ``of``: the type of its values, for a derived field the export shows."""
    return field(metadata={"derived": doc, "of": of}, **kw)


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


@dataclass_transform(kw_only_default=True, field_specifiers=(field, fld, derived))
def declared(name: str, doc: str = "", check: Callable[[Any, Ctx], None] | None = None) -> Callable[[type], type]:
    """Make a model class (a keyword-only dataclass) from field declarations and attach its
    converter ``cls.spec`` (an Obj named ``name`` in messages, described by ``doc``, with an
    optional whole-object ``check``). Every field must be declared (``fld``) or ``derived``."""

    def wrap(cls: type) -> type:
        cls = dataclass(eq=False, kw_only=True)(cls)
        fields = dataclasses.fields(cls)
        undeclared = [f.name for f in fields if f.name not in NODE_FIELDS and not f.metadata]
        if undeclared:
            raise TypeError(f"{cls.__name__}: declare {', '.join(undeclared)} with fld() or mark it derived()")
        cls.spec = Obj(name, cls, [F(f.name, f.metadata["type"], is_required(f), f.metadata["doc"], f.metadata["nullable"],
                                     None if f.default is dataclasses.MISSING else f.default)
                                   for f in fields if "type" in f.metadata], doc=doc, check=check)
        return cls

    return wrap
