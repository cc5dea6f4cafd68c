"""Editorial rules a dossier switches on for itself, under ``checks:`` in ``dossier.yaml``.

What one newsroom wants enforced about its own content (every paragraph cited, no forecast in
the chronology as if it had happened, …) is not a property of every dossier, so each rule is
off unless ``dossier.yaml`` names it::

    checks:
      paragraphs-cited: true            # true = error, or: warning, off (= false)
      confirmed-needs-sources: 2        # a rule with one threshold takes the number itself
      avoid-words: {level: warning, words: [behauptet]}

``dossier check`` and every build apply the switched-on rules once the content has loaded
without errors (a quote that does not resolve would otherwise leave its paragraph "uncited").
Their findings are ordinary content problems: ``path:line:col: error: … (rule 'name')`` with a
hint. RULES is the one table of rules: the settings' schema and the README are made from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .coverage import NUMBER, uncovered_numbers
from .errors import Pos, Problems
from .model import Dossier

LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class Param:
    default: object
    doc: str
    kind: str = "int"  # "int" (at least 1), "words" (a list of words), "names" (name: [spellings])


@dataclass(frozen=True)
class Rule:
    name: str
    doc: str
    check: Callable[[Dossier, "Setting", "_Report"], None]
    params: dict[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class Setting:
    """A rule as dossier.yaml switches it on: its level, its thresholds, where it was set."""

    level: str
    params: dict = field(default_factory=dict)
    pos: Pos = Pos("")


class _Report:
    def __init__(self, problems: Problems, rule: str, level: str):
        self.problems, self.rule, self.level = problems, rule, level

    def __call__(self, pos: Pos, message: str, hint: str, detail=()) -> None:
        add = self.problems.error if self.level == "error" else self.problems.warning
        add(pos, f"{message} (rule '{self.rule}')", hint, detail)


def apply(d: Dossier, problems: Problems) -> None:
    """Run every rule dossier.yaml switches on; add what they find to problems."""
    settings = d.meta.checks if d.meta else {}
    for name, setting in settings.items():
        if setting.level == "off":
            continue
        RULES[name].check(d, setting, _Report(problems, name, setting.level))


# --- the rules ------------------------------------------------------------------------------

def _paragraphs_cited(d: Dossier, s: Setting, report: _Report) -> None:
    cited = {(c.source, c.block.number) for _o, c in d.all_citations() if c.block is not None and c.block.kind == "paragraph"}
    for sid, src in sorted(d.sources.items()):
        if src.article is None:
            continue
        for b in src.article.paragraphs:
            if (sid, b.number) not in cited:
                words = b.text if len(b.text) <= 80 else b.text[:79].rsplit(" ", 1)[0] + " …"
                report(Pos(src.article.path, b.line, 1), f"¶{b.number} of source '{sid}' is cited by no claim, event or figure",
                       "cite a passage of it; a line that is not article text (caption, credit, navigation) belongs in "
                       "'furniture:' of the source's file", [f"„{words}“"])


def _number_position(raw_lines: list[str], first_line: int, index: int) -> tuple[int, int]:
    """Line and column of the index-th number of the paragraph that starts at first_line:
    normalising (NFC, whitespace) changes no digit, so the numbers come in the same order."""
    seen = 0
    for n in range(first_line - 1, len(raw_lines)):
        if n > first_line - 1 and not raw_lines[n].strip():
            break
        for m in NUMBER.finditer(raw_lines[n]):
            if seen == index:
                return n + 1, m.start() + 1
            seen += 1
    return first_line, 1


def _numbers_cited(d: Dossier, s: Setting, report: _Report) -> None:
    lines: dict[str, list[str]] = {}
    for u in uncovered_numbers(d):
        src = d.sources[u.source]
        raw = lines.setdefault(u.source, src.article.raw.split("\n"))
        line, col = _number_position(raw, u.line, u.index)
        where = f"¶{u.paragraph[1:]}" if u.paragraph.startswith("p") else "a heading or quote box"
        report(Pos(u.path, line, col), f"number {u.number} in {where} of source '{u.source}' is cited by no claim, event or figure",
               "cite the passage that contains this very occurrence (a number repeated elsewhere needs its own citation)",
               [f"„…{u.context}…“"])


def _newest_report(d: Dossier, cites) -> tuple | None:
    """(latest possible day, source) of the newest article among cites; None when one of them
    has no date or no latest day, so that nothing can be said to come after it."""
    newest = None
    for sid in {c.source for c in cites}:
        src = d.sources.get(sid)
        if src is None or src.published is None or src.published.end is None:
            return None
        if newest is None or src.published.upper > newest[0]:
            newest = (src.published.upper, src)
    return newest


def _event_after_report(d: Dossier, s: Setting, report: _Report) -> None:
    def later(date, cites) -> tuple | None:
        if date is None or date.start is None:  # "../x" has no earliest day
            return None
        newest = _newest_report(d, cites)
        return newest if newest is not None and date.lower > newest[0] else None

    for e in d.events.values():
        if newest := later(e.date, e.cite):
            src = newest[1]
            report(e.at("date"), f"event '{e.id}' is dated {e.date.german()}, after the newest article that reports it "
                   f"('{src.id}', {src.published.german()}): the chronology shows it as having happened",
                   "a forecast or plan belongs in the chronology only as the statement: date it when it was made "
                   "(e.g. \"../2024-10-18\") and say in the title that it is a forecast")
    for what, items in (("claim", d.claims.values()), ("figure", d.figures.values())):
        for x in items:
            if newest := later(x.stated, x.cite):
                src = newest[1]
                report(x.at("stated"), f"{what} '{x.id}' is said to be stated {x.stated.german()}, after the newest article "
                       f"that reports it ('{src.id}', {src.published.german()})",
                       "'stated' is when the statement was made; it cannot come after the article that reports it")


def _confirmed_needs_sources(d: Dossier, s: Setting, report: _Report) -> None:
    need = s.params["min_sources"]
    for c in d.claims.values():
        if c.status != "bestaetigt":
            continue
        sources = sorted({x.source for x in c.cite})
        if len(sources) < need:
            report(c.at("status"), f"claim '{c.id}' is 'bestaetigt' but rests on {len(sources)} article"
                   f"{'s' if len(sources) != 1 else ''} ({', '.join(sources)}); this dossier asks for at least {need}",
                   "one outlet's word is 'berichtet': cite the same fact in another article, or change the status")


def _confirmed_not_one_party(d: Dossier, s: Setting, report: _Report) -> None:
    for c in d.claims.values():
        if c.status == "bestaetigt" and len(c.by) == 1:
            report(c.at("status"), f"claim '{c.id}' is 'bestaetigt' but is the word of one party ('{c.by[0]}')",
                   "what one party says is 'berichtet' (or 'umstritten' when another source disagrees), however many "
                   "articles repeat it")


def _confirmed_not_contradicted(d: Dossier, s: Setting, report: _Report) -> None:
    for k in d.contradictions.values():
        for side in k.sides:
            for cid in side.claims:
                c = d.claims.get(cid)
                if c is not None and c.status == "bestaetigt":
                    report(side.at("claims"), f"claim '{cid}' is 'bestaetigt' but stands on a side of contradiction '{k.id}'",
                           "a claim that another source contradicts is not confirmed: set its status to 'umstritten' "
                           "or 'berichtet', or take it off this side")


#: quoted passages („…“, "…", “…”) are the source's words, not the dossier's
_QUOTED = re.compile(r"„[^“”]*[“”]|\"[^\"]*\"|“[^”]*”|»[^«]*«")


def _texts(d: Dossier):
    """(position, what, text) of every sentence the dossier writes itself."""
    if d.meta:
        yield d.meta.at("lead"), "the dossier's lead", d.meta.lead
        for f in d.meta.known + d.meta.unclear:
            yield f.at("text"), "a statement on the home page", f.text
    for t in d.topics.values():
        yield t.at("lead"), f"the lead of topic '{t.id}'", t.lead
        for f in t.known + t.unclear:
            yield f.at("text"), f"a statement of topic '{t.id}'", f.text
    for c in d.claims.values():
        yield c.at("text"), f"claim '{c.id}'", c.text
        if c.note:
            yield c.at("note"), f"the note of claim '{c.id}'", c.note
    for e in d.events.values():
        yield e.at("title"), f"the title of event '{e.id}'", e.title
        if e.text:
            yield e.at("text"), f"event '{e.id}'", e.text
    for k in d.contradictions.values():
        yield k.at("title"), f"the title of contradiction '{k.id}'", k.title
        if k.summary:
            yield k.at("summary"), f"contradiction '{k.id}'", k.summary
        for side in k.sides:
            yield side.at("text"), f"a side of contradiction '{k.id}'", side.text


def _avoid_words(d: Dossier, s: Setting, report: _Report) -> None:
    words = s.params["words"]
    if not words:
        return
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    for pos, what, text in _texts(d):
        for m in pattern.finditer(_QUOTED.sub(lambda q: " " * len(q.group()), text)):
            report(pos, f"'{m.group(1)}' in {what}: this dossier avoids the word in its own sentences",
                   "rephrase the sentence (a neutral verb; an attribution that stands on its own), or quote the "
                   "source's own word in „…“")


def _names_have_actors(d: Dossier, s: Setting, report: _Report) -> None:
    texts = [src.article.raw for src in d.sources.values() if src.article is not None]
    actors: dict[str, str] = {}
    for a in d.actors.values():
        for n in [a.name, *a.aliases]:
            actors.setdefault(_plain(n), a.id)
    for name, spellings in s.params["names"].items():
        for sp in spellings:
            if not any(sp in t for t in texts):
                report(s.pos, f"'{sp}' (listed for {name}) stands in no article",
                       "the list holds names as the articles spell them: copy the spelling from the article, or remove it")
        found = {_plain(n): actors[_plain(n)] for n in [name, *spellings] if _plain(n) in actors}
        if not found:
            report(s.pos, f"the articles name {name}, who has no actor entry",
                   f"add an actor with name: {name} (other spellings as aliases) to content/actors/")
        elif len(set(found.values())) > 1:
            shown = ", ".join(f"'{n}' → {a}" for n, a in found.items())
            report(s.pos, f"the spellings of {name} belong to different actors ({shown})",
                   "make one actor and list the other spellings as its aliases")


def _plain(name: str) -> str:
    return name.strip(" „“\"”»«").lower()


RULES: dict[str, Rule] = {r.name: r for r in [
    Rule("paragraphs-cited", "every body paragraph of every article is cited by a claim, event or figure",
         _paragraphs_cited),
    Rule("numbers-cited", "every number in an article body stands in a citation (each occurrence on its own)",
         _numbers_cited),
    Rule("event-after-report", "no event (and no claim's or figure's 'stated') is dated after the newest article "
         "citing it, so that no forecast appears in the chronology as having happened", _event_after_report),
    Rule("confirmed-needs-sources", "a 'bestaetigt' claim cites at least min_sources different articles",
         _confirmed_needs_sources, {"min_sources": Param(2, "how many different articles a confirmed claim cites")}),
    Rule("confirmed-not-one-party", "a 'bestaetigt' claim is not the word of a single party (one actor in 'by')",
         _confirmed_not_one_party),
    Rule("confirmed-not-contradicted", "no 'bestaetigt' claim stands on a side of a contradiction",
         _confirmed_not_contradicted),
    Rule("avoid-words", "the dossier's own sentences (not quotes in „…“) avoid the listed words, e.g. loaded verbs",
         _avoid_words, {"words": Param([], "the words to avoid, as written (matched whole, any case)", "words")}),
    Rule("names-have-actors", "every listed name stands in an article and has one actor entry (its name or an alias)",
         _names_have_actors, {"names": Param({}, "name as the dossier writes it: [spellings as they stand in the articles]",
                                             "names")}),
]}
