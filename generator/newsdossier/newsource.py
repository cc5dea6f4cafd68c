"""``dossier new-source seeds/<file>.txt``: a starting source YAML for a new article.

The draft is deliberately conservative. It takes the title from the first line when that
line looks like a headline, proposes page-furniture lines found by known patterns (each
marked ``# bitte prüfen`` for the editor to confirm or delete), and leaves publisher, date,
author and URL empty with a TODO: nothing is guessed that the text does not show. The file
it writes passes ``dossier check``; the command checks that itself before it returns.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .article import MAX_SEED_BYTES, line_paragraphs_suspected, normalize, read_text_file
from .errors import Problems
from .schema import MAX_ID, SLUG, slugify
from .schemas import modeline

#: why a line is proposed as furniture, shown to the editor in the YAML comment
_FIXED = {
    "kommentare": ("comments", "Kommentar-Bereich der Webseite"),
    "kommentar": ("comments", "Kommentar-Bereich der Webseite"),
    "auch interessant": ("related", "Hinweis auf andere Artikel"),
    "mehr zum thema": ("related", "Hinweis auf andere Artikel"),
    "lesen sie auch": ("related", "Hinweis auf andere Artikel"),
    "das könnte sie auch interessieren": ("related", "Hinweis auf andere Artikel"),
    "teilen": ("other", "Schaltfläche der Webseite"),
    "zur startseite": ("navigation", "Navigation der Webseite"),
    "werbung": ("other", "Werbehinweis"),
    "anzeige": ("other", "Werbehinweis"),
}
_NAV = re.compile(r"^\d{1,2}\.\s+\S.{0,40}$")
_VIDEO = re.compile(r"^(Video|Audio|Podcast)\s*[|:]", re.I)
_CREDIT = re.compile(r"^(Quelle|Mit Material von|Mitarbeit|Foto|Bild|Fotos|Grafik)\s*:", re.I)
_MONTHS_EN = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_MONTHS_DE = r"(Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
_DATELINE = re.compile(
    r"^((Stand|Aktualisiert|Veröffentlicht|Erstellt)\s*:?\s*)?("
    rf"{_MONTHS_EN}\s+\d{{1,2}},\s+\d{{4}}(\s+(at\s+)?\d{{1,2}}:\d{{2}}(\s*[AP]M)?)?"
    rf"|\d{{1,2}}\.\s*{_MONTHS_DE}\s+\d{{4}}(,?\s+(um\s+)?\d{{1,2}}[:.]\d{{2}}(\s*Uhr)?)?"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}(,?\s+(um\s+)?\d{1,2}[:.]\d{2}(\s*Uhr)?)?"
    r"|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?"
    r")\s*$", re.I)
_END_PUNCT = tuple(".!:;,")
_MAX_HEADLINE = 160
_MAX_SUBHEADING = 120


@dataclass
class Candidate:
    line: str  # normalised text of the whole line
    number: int  # line number in the file
    kind: str
    why: str


def _is_heading_like(text: str, max_len: int) -> bool:
    if not text or len(text) > max_len or text.endswith(_END_PUNCT):
        return False
    # one sentence at most: no sentence end followed by more text
    return not re.search(r"[.!?]\s+\S", text) and len(text.split()) <= 20


def find_title(lines: list[str]) -> tuple[str | None, int]:
    """(headline, line number) when the first non-empty line looks like one, else (None, 0)."""
    for number, line in enumerate(lines, start=1):
        text = normalize(line)
        if text:
            return (text, number) if _is_heading_like(text, _MAX_HEADLINE) else (None, 0)
    return None, 0


def furniture_candidates(lines: list[str], title_line: int = 0) -> list[Candidate]:
    """Lines that are probably not article body, by known patterns; each a proposal only."""
    texts = [normalize(x) for x in lines]
    nonempty = [i for i, t in enumerate(texts) if t]
    if not nonempty:
        return []
    last = nonempty[-1]
    out: list[Candidate] = []
    seen: set[str] = set()

    def add(i: int, kind: str, why: str) -> None:
        if texts[i] not in seen:
            seen.add(texts[i])
            out.append(Candidate(texts[i], i + 1, kind, why))

    for pos, i in enumerate(nonempty):
        t = texts[i]
        low = t.lower().rstrip(":")
        nxt = texts[nonempty[pos + 1]] if pos + 1 < len(nonempty) else ""
        if i + 1 == title_line:
            add(i, "headline", "Überschrift")
        elif low in _FIXED:
            add(i, *_FIXED[low])
        elif _NAV.match(t) and len(t) <= 45 and not t.endswith(_END_PUNCT):
            add(i, "navigation", "nummerierte Navigationszeile (Brotkrumen)")
        elif "©" in t or re.search(r"\(c\)\s|\bcopyright\b", t, re.I):
            add(i, "image", "Bildunterschrift oder Bildnachweis (©)")
        elif _VIDEO.match(t):
            add(i, "video", "Video-Hinweis")
        elif _CREDIT.match(t) and len(t) <= 120:
            add(i, "credit", "Quellen- oder Bildnachweis")
        elif _DATELINE.match(t):
            add(i, "dateline", "Datumszeile")
        elif _is_heading_like(t, _MAX_SUBHEADING):
            if nxt and "©" in nxt:
                add(i, "image", "kurze Zeile vor einem Bildnachweis: vermutlich Bildbeschreibung")
            elif i != last:
                add(i, "subheading", "kurze Zeile ohne Schlusspunkt: vermutlich Zwischentitel")
    return out


def guess_language(text: str) -> str:
    words = re.findall(r"[a-zäöüß]+", text.lower())
    de = sum(w in {"der", "die", "das", "und", "nicht", "ist", "mit", "sich"} for w in words)
    en = sum(w in {"the", "and", "is", "of", "with", "not", "that", "to"} for w in words)
    return "en" if en > de else "de"


def propose_id(title: str | None, filename: str, taken: set[str]) -> str:
    base = slugify(title) if title else slugify(Path(filename).stem)
    if not SLUG.match(base):
        base = "quelle-" + base
    parts = base.split("-")
    base = "-".join(parts[:6])[:50].strip("-")
    ident, n = base, 2
    while ident in taken:
        ident = f"{base}-{n}"
        n += 1
    return ident[:MAX_ID]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def draft(filename: str, raw: str, ident: str) -> str:
    """The YAML text of a starting source file."""
    lines = raw.split("\n")
    title, title_line = find_title(lines)
    cands = furniture_candidates(lines, title_line)
    out = [modeline("source"),
           f"# Entwurf von 'dossier new-source' für seeds/{filename}.",
           "# Zeilen mit „bitte prüfen“ sind Vorschläge: bestätigen (Kommentar löschen), ändern oder löschen.",
           "# Format: content/README.md. Danach: dossier check",
           f"file: {_q(filename)}"]
    if title:
        out += [f"title: {_q(title)}  # bitte prüfen: erste Zeile des Textes (Zeile {title_line})",
                "title_editorial: false"]
    else:
        first = next((normalize(x) for x in lines if normalize(x)), filename)
        sentence = re.split(r"(?<=[.!?:])\s", first)[0].rstrip(".:")
        words = sentence.split()
        proposal = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        proposal = proposal.replace("<", "‹").replace(">", "›")[:300]
        out += [f"title: {_q(proposal)}  # bitte prüfen: der Text hat keine erkennbare Überschrift; Titel selbst formulieren",
                "title_editorial: true"]
    out += ["publisher: null  # TODO: nur eintragen, was der Text belegt (evidence: about: publisher); nie raten",
            "author: null     # TODO: nur mit Beleg im Text (z. B. Kürzel am Ende); sonst null lassen",
            "published: null  # TODO: EDTF-Datum mit ehrlicher Genauigkeit, belegt unter evidence (about: published)",
            "url: null        # TODO: nie erfinden; null, solange die Adresse nicht belegt ist",
            f"language: {guess_language(raw)}",
            "reproduce: quotes  # öffentlich nur die zitierten Passagen; fulltext nur bei geklärten Rechten",
            _paragraphs_line(raw, cands)]
    evidence = []
    if title:
        evidence += ["  - about: title", f"    quote: {_q(title)}",
                     "    note: Erste Zeile der Datei, als Überschrift übernommen."]
    datelines = [c for c in cands if c.kind == "dateline"]
    if evidence or datelines:
        out.append("evidence:")
        out += evidence
        for c in datelines:
            out += [f"  # bitte prüfen: Datumszeile (Zeile {c.number}) als Beleg für published?",
                    "  # - about: published", f"  #   quote: {_q(c.line)}",
                    "  #   note: Datumszeile unter der Überschrift; Zeitzone angeben, falls bekannt."]
    else:
        out.append("evidence: []  # TODO: Belege für Herausgeber, Datum, Autor")
    if cands:
        out.append("furniture:  # keine Artikeltexte: Navigation, Bildunterschriften, Zwischentitel …")
        for c in cands:
            out.append(f"  - {{line: {_q(c.line)}, kind: {c.kind}}}  # bitte prüfen: {c.why} (Zeile {c.number})")
    else:
        out.append("furniture: []  # keine Seitenelemente erkannt: bitte den Text durchsehen")
    out.append("notes: []  # Anmerkungen zu Fehlern im Text (quote, kind, text); der Text bleibt unverändert")
    return "\n".join(out) + "\n"


def _paragraphs_line(raw: str, cands: list[Candidate]) -> str:
    """How the article separates its paragraphs, as the text shows it."""
    suspect = line_paragraphs_suspected(raw, {c.line: c.kind for c in cands})
    if suspect:
        return (f"paragraphs: lines  # bitte prüfen: ab Zeile {suspect[0]} endet jede Zeile mit einem Satz, "
                "ohne Leerzeilen dazwischen: jede Zeile ein Absatz")
    return "paragraphs: blank-lines  # Absätze sind durch Leerzeilen getrennt"


class NewSourceError(Exception):
    """The command refuses; the message says why (and the position when there is one)."""


def create(root: Path, seed_arg: str, content_dir: str = "content", seeds_dir: str = "seeds",
           ident: str | None = None) -> tuple[Path, str]:
    """Write content/sources/<id>.yaml for a seed; returns (path, id). Never overwrites."""
    from .yamlio import load_yaml

    root = Path(root).resolve()
    seeds = (root / seeds_dir).resolve()
    given = Path(seed_arg)
    candidates = [given] if given.is_absolute() else [Path.cwd() / given, root / given, seeds / given]
    seed = next((c for c in candidates if c.exists() or c.is_symlink()), candidates[0])
    if seed.parent.resolve() != seeds:
        raise NewSourceError(f"{seed_arg}: the article must be a file directly in {seeds_dir}/ "
                             "(copy it there unchanged first)")
    name = seed.name
    if name.startswith(".") or not name.endswith(".txt"):
        raise NewSourceError(f"{seed_arg}: expected a .txt article file in {seeds_dir}/")
    if seed.is_symlink() or not seed.is_file():
        raise NewSourceError(f"{seeds_dir}/{name}: no such article file (symbolic links are refused)")
    rel = f"{seeds_dir}/{name}"
    problems = Problems()
    raw = read_text_file(seed, rel, problems, limit=MAX_SEED_BYTES, what="article file",
                         fix_link="copy the article itself into the seeds folder",
                         fix_size="a news article is a few kilobytes: check that this is the right file")
    if raw is None:
        raise NewSourceError("\n".join(p.format() for p in problems.all()))
    if not raw.strip():
        raise NewSourceError(f"{rel}: the article file is empty")

    sources = root / content_dir / "sources"
    taken = {p.stem for p in sources.glob("*.yaml")} if sources.is_dir() else set()
    for p in sorted(sources.glob("*.yaml")) if sources.is_dir() else []:
        doc = load_yaml(p.read_text(encoding="utf-8", errors="replace"), p.name, Problems())
        if isinstance(doc, dict) and doc.get("file") == name:
            raise NewSourceError(f"{rel}: already described by {content_dir}/sources/{p.name}")
    if ident is None:
        title, _ = find_title(raw.split("\n"))
        ident = propose_id(title, name, taken)
    elif not SLUG.match(ident) or len(ident) > MAX_ID:
        raise NewSourceError(f"--id '{ident}' is not a safe slug: use lower-case letters, digits and hyphens, "
                             f"starting with a letter, e.g. '{slugify(ident)}'")
    sources.mkdir(parents=True, exist_ok=True)
    target = sources / f"{ident}.yaml"
    text = draft(name, raw, ident)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise NewSourceError(f"{content_dir}/sources/{ident}.yaml already exists; it is never overwritten "
                             "(choose another --id)") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return target, ident


__all__ = ["create", "draft", "find_title", "furniture_candidates", "NewSourceError"]
