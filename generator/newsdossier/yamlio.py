"""Safe YAML loading that keeps the file, line and column of every value.

Only PyYAML's ``SafeLoader`` machinery is used. On top of it:

* mappings become :class:`LMap` and sequences :class:`LList`, which remember where each
  key, value and item stands, so later checks can point at the exact spot;
* duplicate keys are errors (PyYAML silently keeps the last one);
* dates stay strings (EDTF is parsed by us) and only ``true``/``false`` are booleans
  (no "Norway problem": ``no``/``on``/``off`` stay text);
* anchors and aliases are allowed but their expansion is bounded, and recursive aliases are
  refused, so a "billion laughs" file cannot exhaust memory or time.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Pos, Problems
from .safety import BAD_CHAR_HINT, BAD_IN_YAML, BAD_RAW_IN_YAML, describe_char

#: Upper bound for the number of nodes a document may expand to through aliases.
MAX_EXPANDED_NODES = 200_000
MAX_DEPTH = 64

_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps and with YAML 1.2-style booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

#: plain scalars up to this length have their tag remembered (keys, ids, numbers, true/false)
_MEMO_MAX_LEN = 40


def _resolve_fast(resolve):
    """Wrap a resolver's ``resolve`` for speed, same results: a quoted or block scalar is text
    (PyYAML runs no implicit resolver on it either, and we use no path resolvers), and the tag of
    a short plain scalar is remembered - keys and ids repeat thousands of times."""
    memo: dict[str, str] = {}

    def fast(self, kind, value, implicit):
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tag = memo.get(value)
            if tag is None:
                tag = resolve(self, kind, value, implicit)
                if len(value) <= _MEMO_MAX_LEN and len(memo) < 65536:
                    memo[value] = tag
            return tag
        return resolve(self, kind, value, implicit)

    return fast


assert not _Loader.yaml_path_resolvers
_Loader.resolve = _resolve_fast(yaml.SafeLoader.resolve)

if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):
        """The same resolvers and constructors on libyaml's C parser (about 10x faster).

        Only used for documents that parse cleanly: on any YAML error the file is parsed
        again with :class:`_Loader`, so editors see the same messages either way."""

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader.resolve = _Loader.resolve  # same resolvers, so the remembered tags hold for both
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None


_COMPACT = re.compile(r"(?:[-?]\s+){%d}" % (MAX_DEPTH // 2))
_COMPACT_PAIR = re.compile(r"[-?]\s+[-?]")
_DEEP_INDENT = re.compile(r"^ {%d,}" % MAX_DEPTH, re.M)
#: Up to this many opening brackets, a document goes to libyaml without counting its flow
#: nesting exactly (see _may_nest_deeply). libyaml's composer survives 6,000 levels (measured
#: in the main thread and in a thread) and crashes at a few ten thousand.
_FLOW_SAFE = 1000


def _may_nest_deeply(text: str) -> bool:
    """Could libyaml be asked to nest this document so deeply that it crashes?

    libyaml builds the node tree with C recursion and crashes the whole process (a
    segmentation fault, no exception) on a few ten thousand levels of nesting, long before
    any check of ours could run. Such a document is parsed by the pure-Python parser, which
    reports it with a position; anything shallower is composed by libyaml and deeper than
    MAX_DEPTH is then reported by our own depth check, as for the pure-Python parser.

    Block nesting needs indentation or compact '- '/'? ' indicators: with indentation under
    MAX_DEPTH and fewer than MAX_DEPTH/2 compact indicators in a row it stays at a few
    thousand levels. Flow nesting needs opening brackets: with at most _FLOW_SAFE of them it
    cannot go deeper; with more, the depth is measured on libyaml's event stream, which is
    not recursive. (Counting brackets in the text is not enough: a closing bracket in a
    comment or a quoted text would hide a real opening one.)
    """
    if _DEEP_INDENT.search(text) or (_COMPACT_PAIR.search(text) and _COMPACT.search(text)):
        return True  # the pair search is 4x faster than the full one, and necessary for it
    if text.count("[") + text.count("{") <= _FLOW_SAFE:
        return False
    return _event_depth(text) > MAX_DEPTH


def _event_depth(text: str) -> int:
    """The deepest nesting of collections, from libyaml's events (more than MAX_DEPTH when
    the document is malformed: the pure-Python parser reports it then)."""
    depth = peak = 0
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > peak:
                    peak = depth
                    if peak > MAX_DEPTH:
                        break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return MAX_DEPTH + 1
    return peak


class LMap(dict):
    """A mapping that remembers positions: ``pos`` (the mapping), ``kpos``/``vpos`` per key."""

    pos: Pos
    kpos: dict
    vpos: dict


class LStr(str):
    """Text from a block scalar (``field: |`` or ``field: >-``) or a plain scalar over several
    lines, that can say where any of its characters stands in the file: a problem inside a
    long text then points at its own line and column, not at the start of the block."""

    path: str
    region: str  # the scalar's source text, from ``start`` on
    start: tuple  # (line, col) of region[0], 1-based

    def pos_at(self, index: int) -> Pos | None:
        """Position of ``self[index]``. Folding and indentation only change whitespace, so the
        n-th visible character of the value is the n-th visible character of the source."""
        if not 0 <= index < len(self) or self[index].isspace():
            return None
        nth = sum(1 for ch in self[:index] if not ch.isspace())
        line, col = self.start
        for ch in self.region:
            if ch == "\n":
                line, col = line + 1, 1
                continue
            if not ch.isspace():
                if nth == 0:
                    return Pos(self.path, line, col) if ch == self[index] else None
                nth -= 1
            col += 1
        return None


class LList(list):
    """A sequence that remembers positions: ``pos`` (the sequence), ``ipos`` per item."""

    pos: Pos
    ipos: list


def node_pos(path: str, node: Node) -> Pos:
    mark = node.start_mark
    return Pos(path, mark.line + 1, mark.column + 1)


def _mark_pos(path: str, mark) -> Pos:
    if mark is None:
        return Pos(path)
    return Pos(path, mark.line + 1, mark.column + 1)


def _expanded_size(root: Node) -> tuple[int, bool]:
    """Count nodes as if every alias were expanded; raise on recursion or excessive depth.
    Returns (the count, whether any node was reached twice - that is, through an alias)."""
    memo: dict[int, int] = {}
    active: set[int] = set()
    repeated = False

    def size(node: Node, depth: int) -> int:
        nonlocal repeated
        key = id(node)
        if key in memo:
            repeated = True
            return memo[key]
        if key in active:
            raise _Recursive(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
                if total > MAX_EXPANDED_NODES:
                    break
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
                if total > MAX_EXPANDED_NODES:
                    break
        active.discard(key)
        memo[key] = total
        return total

    total = size(root, 0)
    return total, repeated


_NOT_PARSED = object()


class _Reported:
    """What a value yamlio has already reported as unusable converts to: schema skips it
    without a follow-up error (such as "'value' is empty")."""

    def __repr__(self) -> str:
        return "REPORTED"


REPORTED = _Reported()


class _Recursive(Exception):
    def __init__(self, node):
        self.node = node


class _Refused(Exception):
    """The document uses something we never construct (a tag); the problem is recorded."""


class _TooDeep(Exception):
    def __init__(self, node):
        self.node = node


def load_yaml(text: str, path: str, problems: Problems) -> Any:
    """Parse one YAML document. Returns located data, or ``None`` after recording problems.

    An empty document yields ``None`` without a problem; callers decide whether that is
    acceptable.
    """
    if m := BAD_RAW_IN_YAML.search(text):
        # characters both YAML readers accept but no content needs; reported where they stand,
        # then replaced by spaces (the positions of everything else stay; no follow-up errors)
        found = list(itertools.islice(BAD_RAW_IN_YAML.finditer(text), 6))
        for m in found[:5]:
            problems.error(_text_pos(path, text, m.start()), f"invisible control character {describe_char(m.group())}",
                           BAD_CHAR_HINT)
        if len(found) > 5:
            more = len(BAD_RAW_IN_YAML.findall(text)) - 5
            problems.error(_text_pos(path, text, found[5].start()), f"and {more:,} more such characters in this file",
                           BAD_CHAR_HINT)
        text = BAD_RAW_IN_YAML.sub(" ", text)
    loader = None
    if _FastLoader is not None and not _may_nest_deeply(text):
        try:
            loader = _FastLoader(text)
            loader.source_text = text
            node = loader.get_single_node()
        except (yaml.YAMLError, RecursionError):
            if loader is not None:
                loader.dispose()
            loader = None  # report it exactly as the pure-Python parser does
    if loader is None:
        try:
            loader = _Loader(text)
        except yaml.reader.ReaderError as exc:
            problems.error(_text_pos(path, text, exc.position),
                           f"character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int)
                           else f"unacceptable character in YAML: {exc.reason}",
                           hint="remove the invisible control character (retype the text around it)")
            return None
        loader.source_text = text
        node = _NOT_PARSED
    try:
        try:
            if node is _NOT_PARSED:
                node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = (exc.problem or exc.context or "malformed YAML").strip()
            if exc.context and exc.problem:
                message = f"{exc.context.strip()}: {exc.problem.strip()}"
            problems.error(
                _mark_pos(path, mark),
                f"malformed YAML: {message}",
                hint=_yaml_hint(message),
            )
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks nearly everything
            problems.error(Pos(path), f"malformed YAML: {exc}")
            return None
        except RecursionError:
            problems.error(_deep_event_pos(path, text), f"YAML is nested more than {MAX_DEPTH} levels deep",
                           hint="flatten the structure; content files need only a few levels")
            return None
        if node is None:
            return None
        # An anchor, so maybe aliases: count the nodes as if they were expanded, before anything
        # is built from them. A merge key ('<<') moves nodes up a level when it is resolved: the
        # depth is checked before that, too.
        counted = "&" in text or "<<" in text
        if counted:
            problem = _count_problem(node, path)
            if problem is not None:
                problems.error(*problem)
                return None
        # Without aliases every node occurs once: the work is bounded by the file size limit,
        # and _convert checks the depth as it goes. Only a file that has a problem is counted
        # afterwards, so that a too-deep file gets that error (and only that one), as when
        # counting first.
        found = Problems()
        refused = False
        try:
            value = _convert(loader, node, path, found)
        except _TooDeep as deep:
            problems.error(*_too_deep(path, deep))
            return None
        except _Refused:
            value, refused = None, True
        if not counted and (refused or found):
            problem = _count_problem(node, path)
            if problem is not None:
                problems.error(*problem)
                return None
        problems.extend(found)
        return None if value is REPORTED else value
    finally:
        loader.dispose()


def _deep_event_pos(path: str, text: str) -> Pos:
    """Where a document first nests more than MAX_DEPTH levels, from the parser's event stream
    (not recursive, unlike the composer that gave up)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return _mark_pos(path, event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except (yaml.YAMLError, RecursionError) as exc:
        return _mark_pos(path, getattr(exc, "problem_mark", None))
    return Pos(path)


def _too_deep(path: str, deep: "_TooDeep") -> tuple:
    return (node_pos(path, deep.node), f"YAML is nested more than {MAX_DEPTH} levels deep",
            "flatten the structure; content files need only a few levels")


def _count_problem(node: Node, path: str) -> tuple | None:
    """(position, message, hint) when the expanded document is recursive, too deep, or - through
    aliases - too large; else None."""
    try:
        size, aliased = _expanded_size(node)
    except _Recursive as rec:
        return (node_pos(path, rec.node), "recursive YAML alias: an anchor refers to itself",
                "remove the alias (*name) inside its own anchor (&name)")
    except _TooDeep as deep:
        return _too_deep(path, deep)
    if size > MAX_EXPANDED_NODES and aliased:
        return (node_pos(path, node), f"anchors and aliases expand this file to more than {MAX_EXPANDED_NODES:,} values",
                "write the values out instead of nesting aliases (a 'billion laughs' file is refused)")
    return None


def _located_text(loader: _Loader, node: ScalarNode, path: str, value: str) -> str:
    """Make a multi-line block or plain scalar an :class:`LStr` (see there)."""
    # Both parsers' marks count characters of the text we passed in (libyaml's too), so the
    # region is cut from that text rather than from a parser's internal buffer.
    buffer = getattr(loader, "source_text", None)
    start, end = node.start_mark, node.end_mark
    if not isinstance(buffer, str):
        return value
    i, line, col = start.index, start.line + 1, start.column + 1
    if node.style in ("|", ">"):  # skip the header line ('|', '>-', '|2', a comment)
        nl = buffer.find("\n", i, end.index)
        if nl < 0:
            return value
        i, line, col = nl + 1, line + 1, 1
    out = LStr(value)
    out.path, out.region, out.start = path, buffer[i:end.index], (line, col)
    return out


def _text_pos(path: str, text: str, index: int) -> Pos:
    line = text.count("\n", 0, index) + 1
    return Pos(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _yaml_hint(message: str) -> str:
    if "found character '\\t'" in message or "\\t" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "put text that contains ': ' in quotes, or use a block scalar (>-)"
    if "could not find expected ':'" in message:
        return "check the indentation of this and the previous line, and close every quote"
    if "found undefined alias" in message:
        return "define the anchor (&name) before using the alias (*name)"
    if "could not determine a constructor" in message:
        return "remove the '!tag': only plain YAML values are allowed"
    if "expected a single document" in message:
        return "remove the '---' separator: one document per file"
    return "check quotes, colons and indentation around this position"


_FLOAT = "tag:yaml.org,2002:float"
_GERMAN_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})+$")
_ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def _verbatim(node: Node) -> bool:
    """A text scalar that _convert returns as it is: quoted, or plain on one line (a block or
    multi-line plain scalar becomes an LStr)."""
    return node.tag == _STR and type(node) is ScalarNode and (
        node.style == "'" or (not node.style and node.start_mark.line == node.end_mark.line)
        # escapes ("\\x85", "\\ud800") make any character: _convert checks those
        or (node.style == '"' and (node.value.isprintable() or not BAD_IN_YAML.search(node.value))))


def _bad_value(tag: str, value: str, exc: Exception) -> str:
    kind = tag.rsplit(":", 1)[-1]
    shown = value if len(value) <= 40 else f"{value[:20]}…{value[-10:]} ({len(value):,} characters)"
    if isinstance(exc, ValueError) and "digits" in str(exc):
        return f"number with {len(value):,} digits: more than this tool reads (4,300)"
    return f"'{shown}' is not a valid !!{kind} value"


def _convert(loader: _Loader, node: Node, path: str, problems: Problems, depth: int = 0) -> Any:
    """Located Python values for a node tree (LMap, LList, LStr, scalars).

    ``depth`` is checked here as well: a document without anchors skips the separate count of
    :func:`_expanded_size` (see load_yaml), and this walk visits the nodes in the same order,
    so the same node is reported as too deep."""
    if depth > MAX_DEPTH:
        raise _TooDeep(node)
    tag = node.tag
    if tag not in _ALLOWED_TAGS:
        problems.error(
            node_pos(path, node),
            f"unsupported YAML tag '{tag}'",
            hint="remove the '!tag': only plain text, numbers, true/false, lists and mappings are allowed",
        )
        raise _Refused  # the file is not read any further: no follow-up errors about the missing value
    cls = type(node)
    if cls is ScalarNode:
        try:
            style = node.style
            if tag == _STR:  # the common case skips construct_object: it is what construct_yaml_str returns
                value = node.value
            elif tag == _FLOAT and not style and _GERMAN_THOUSANDS.match(node.value):
                # "10.000" is ten thousand to a German editor and 10.0 to YAML: keep the text,
                # so that the field's type check refuses it with a hint instead of a silent 10
                return node.value
            else:
                try:
                    value = loader.construct_object(node, deep=True)
                except (ValueError, KeyError, IndexError, OverflowError, TypeError) as exc:
                    # an explicit tag on a value it does not fit ('!!int "abc"', '!!bool maybe')
                    # or an integer too long to convert (more than 4,300 digits)
                    problems.error(node_pos(path, node), _bad_value(tag, node.value, exc),
                                   "write the value without a '!!tag', as a plain number, true/false or text")
                    return REPORTED
            if isinstance(value, str) and not value.isprintable() and (m := BAD_IN_YAML.search(value)):
                problems.error(node_pos(path, node), f"invisible control character {describe_char(m.group())}",
                               BAD_CHAR_HINT)
                value = BAD_IN_YAML.sub("", value)  # reported: no follow-up errors from it
            # a plain scalar's style is None in PyYAML and '' in libyaml
            if isinstance(value, str) and (style in ("|", ">") or (
                    not style and node.start_mark.line != node.end_mark.line)):
                value = _located_text(loader, node, path, value)
            return value
        except yaml.MarkedYAMLError as exc:
            problems.error(
                _mark_pos(path, exc.problem_mark or node.start_mark),
                f"unsupported YAML value: {(exc.problem or '').strip()}",
                hint=_yaml_hint(exc.problem or ""),
            )
            return REPORTED
    depth += 1
    # Children that are _verbatim (most values, nearly all keys) are taken without a call of
    # _convert - only where _convert would not find them too deep.
    inline = depth <= MAX_DEPTH
    if cls is SequenceNode:
        out = LList()
        mark = node.start_mark
        out.pos = Pos(path, mark.line + 1, mark.column + 1)
        out.ipos = ipos = []
        for child in node.value:
            if inline and _verbatim(child):
                out.append(child.value)
            else:
                out.append(_convert(loader, child, path, problems, depth))
            mark = child.start_mark
            ipos.append(Pos(path, mark.line + 1, mark.column + 1))
        return out
    if cls is MappingNode:
        try:
            loader.flatten_mapping(node)  # resolves '<<' merge keys
        except yaml.MarkedYAMLError as exc:
            problems.error(_mark_pos(path, exc.problem_mark), f"malformed YAML merge: {exc.problem}")
            return None
        out = LMap()
        mark = node.start_mark
        out.pos = Pos(path, mark.line + 1, mark.column + 1)
        out.kpos, out.vpos = kpos_of, vpos_of = {}, {}
        for knode, vnode in node.value:
            mark = knode.start_mark
            kpos = Pos(path, mark.line + 1, mark.column + 1)
            if type(knode) is not ScalarNode:
                problems.error(kpos, "a key must be a plain word", hint="write 'key: value'")
                continue
            if inline and _verbatim(knode):
                key = knode.value
            else:
                key = _convert(loader, knode, path, problems, depth)
                if key is REPORTED:
                    continue
                if not isinstance(key, str):
                    key = str(key)
            if key in out:
                first = kpos_of[key]
                problems.error(
                    kpos,
                    f"duplicate key '{key}' (first at line {first.line})",
                    hint="remove one of the two; YAML would silently keep only the last",
                )
                continue
            if inline and _verbatim(vnode):
                out[key] = vnode.value
            else:
                out[key] = _convert(loader, vnode, path, problems, depth)
            kpos_of[key] = kpos
            mark = vnode.start_mark
            vpos_of[key] = Pos(path, mark.line + 1, mark.column + 1)
        return out
    return None  # pragma: no cover
