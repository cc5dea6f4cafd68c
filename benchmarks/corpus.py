"""Synthetic dossier corpus: a complete, valid dossier of N articles, deterministic per seed.

    python benchmarks/corpus.py OUT --articles 100 [--seed 1]

Writes OUT/content/** and OUT/seeds/*.txt for our content model (content/README.md):
N articles of about 700 words with page furniture, 10 claims and 5 events per article,
N/10+5 topics, N/5+10 actors, figures (one per article, in N/50+2 series), contradictions,
glossary terms and editorial notes; every statement cites a verbatim sentence of an article.

Every sentence in the corpus carries a unique made-up name, so every sentence is unique and a
quote of a whole sentence is found exactly once (the build refuses ambiguous quotes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

WORDS_PER_ARTICLE = 700
CLAIMS_PER_ARTICLE = 10
EVENTS_PER_ARTICLE = 5
CHUNK = 250  # list items per YAML file (content files are limited to 1 MiB each)

_SYL = ["ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "we", "za", "do", "fe", "gu", "ha", "jo"]
_NOUNS = ["Regierung", "Armee", "Behörde", "Delegation", "Kommission", "Brigade", "Verwaltung", "Botschaft",
          "Einheit", "Agentur", "Zeitung", "Gruppe", "Partei", "Mission", "Stelle", "Leitung"]
_ADJ = ["neue", "frühere", "zuständige", "regionale", "militärische", "zivile", "offizielle", "geheime",
        "westliche", "örtliche", "staatliche", "zweite", "größte", "kleine", "östliche", "vorläufige"]
_VERBS = ["bestätigte", "meldete", "bestritt", "kritisierte", "untersuchte", "verlegte", "erwartete",
          "dementierte", "prüfte", "begrüßte", "forderte", "beobachtete", "kündigte", "vermutete"]
_OBJ = ["die Lieferung", "den Vertrag", "die Verlegung", "den Bericht", "die Zahlen", "das Abkommen",
        "die Angaben", "den Einsatz", "die Übung", "die Gespräche", "den Transport", "die Vorwürfe"]
_FILL = ["nach eigenen Angaben", "am Abend", "in einer Erklärung", "laut Beobachtern", "ohne Details",
         "vor Journalisten", "im Grenzgebiet", "seit Wochen", "zum ersten Mal", "überraschend",
         "mit Nachdruck", "nach langem Zögern", "in der Hauptstadt", "bei einem Treffen"]
_TAIL = ["Einzelheiten blieben zunächst offen", "eine Bestätigung stand noch aus", "Kritiker zweifeln daran",
         "die Lage bleibt unübersichtlich", "weitere Berichte werden erwartet", "Beobachter sind skeptisch"]
_UNITS = ["Soldaten", "Tonnen", "Container", "Granaten", "Quadratkilometer", "Fahrzeuge", "Barrel"]
_STATUSES = ["bestaetigt", "berichtet", "umstritten", "unbelegt", "einschaetzung"]
_KINDS = ["person", "organisation", "state", "media", "group"]


def name(n: int, length: int = 3) -> str:
    """A pronounceable unique name for a number (base-16 syllables)."""
    syl = []
    for _ in range(length):
        syl.append(_SYL[n % 16])
        n //= 16
    while n:
        syl.append(_SYL[n % 16])
        n //= 16
    return "".join(syl).capitalize()


def q(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


class Corpus:
    def __init__(self, n: int, seed: int = 1):
        self.n, self.rng = n, random.Random(seed)
        self.topics = n // 10 + 5
        self.actors = n // 5 + 10
        self.series = n // 50 + 2
        self.terms = n // 5 + 5
        self.base = dt.date(2022, 1, 1)
        self.span = 365 + n // 4  # days the story runs
        self.counter = 0

    def unique(self) -> str:
        self.counter += 1
        return name(self.counter, 4) + "ow"

    def actor_name(self, k: int) -> str:
        return f"{name(k + 4096, 3)} {name(k + 9000, 3)}"

    def sentence(self, actor: str | None = None) -> str:
        r = self.rng
        subj = f"Die {r.choice(_ADJ)} {r.choice(_NOUNS)} aus {self.unique()}"
        if actor:
            subj = f"Laut {actor} {r.choice(_VERBS)} die {r.choice(_NOUNS)} aus {self.unique()}"
            return f"{subj} {r.choice(_FILL)} {r.choice(_OBJ)}, {r.choice(_TAIL)}."
        return f"{subj} {r.choice(_VERBS)} {r.choice(_FILL)} {r.choice(_OBJ)}, {r.choice(_TAIL)}."

    # ---------------------------------------------------------------------------------------
    def write(self, out: Path) -> dict:
        out = Path(out)
        content, seeds = out / "content", out / "seeds"
        for sub in ("sources", "topics", "events", "actors", "figures", "contradictions", "glossary"):
            (content / sub).mkdir(parents=True, exist_ok=True)
        seeds.mkdir(parents=True, exist_ok=True)
        r = self.rng
        claims_by_topic: dict[int, list[str]] = {t: [] for t in range(self.topics)}
        events: list[str] = []
        figures: dict[int, list[str]] = {s: [] for s in range(self.series)}
        spare: list[tuple[str, str]] = []  # (source id, sentence) not yet cited
        claim_ids: list[tuple[int, str]] = []
        for i in range(self.n):
            sid = f"quelle-{i:05d}"
            day = self.base + dt.timedelta(days=i * self.span // max(self.n, 1))
            speaker = r.randrange(self.actors)
            sents: list[str] = []
            words = 0
            while words < WORDS_PER_ARTICLE - 25:
                s = self.sentence(self.actor_name(r.randrange(self.actors)) if r.random() < 0.3 else None)
                sents.append(s)
                words += len(s.split())
            value = r.randrange(100, 100000)
            unit = _UNITS[i % len(_UNITS)]
            fig_sent = (f"Nach Angaben von {self.actor_name(speaker)} geht es um {value:,} {unit} "
                        f"im Raum {self.unique()}.").replace(",", ".")
            sents.insert(3, fig_sent)
            title = f"Bericht aus {self.unique()}: {r.choice(_NOUNS)} {r.choice(_VERBS)} {r.choice(_OBJ)}"
            sub = f"Hintergrund zu {self.unique()}"
            paras, k = [], 0
            while k < len(sents):
                step = r.randint(4, 6)
                paras.append(" ".join(sents[k:k + step]))
                k += step
            dateline = f"{day.strftime('%b %d, %Y')} at 10:{i % 60:02d} AM"
            lines = [title, "", "1. Startseite", "2. Politik", "", dateline, "", "Kommentare", ""]
            for p_i, p in enumerate(paras):
                if p_i == len(paras) // 2:
                    lines += [sub, ""]
                lines += [p, ""]
            lines += ["Auch interessant", ""]
            (seeds / f"a{i:05d}.txt").write_text("\n".join(lines), encoding="utf-8")

            picks = r.sample([x for x in range(len(sents)) if x != 3], CLAIMS_PER_ARTICLE + EVENTS_PER_ARTICLE + 3)
            note = ""
            if i % 5 == 0:
                note = (f"notes:\n  - quote: {q(sents[picks[-1]])}\n    kind: remark\n"
                        f"    text: Synthetische Anmerkung zur Quelle {i}.\n")
            published = day.isoformat() if i % 4 else day.strftime("%Y-%m")
            (content / "sources" / f"{sid}.yaml").write_text(
                f"file: a{i:05d}.txt\ntitle: {q(title)}\npublisher: {q('Testverlag ' + name(i % 40, 2)) if i % 3 else 'null'}\n"
                f"published: {q(published)}\nurl: null\nlanguage: de\nreproduce: {'fulltext' if i % 10 == 0 else 'quotes'}\n"
                f"evidence:\n  - about: published\n    quote: {q(dateline)}\n    note: Datumszeile unter der Überschrift.\n"
                f"furniture:\n  - {{line: {q(title)}, kind: headline}}\n  - {{line: \"1. Startseite\", kind: navigation}}\n"
                f"  - {{line: \"2. Politik\", kind: navigation}}\n  - {{line: {q(dateline)}, kind: dateline}}\n"
                f"  - {{line: \"Kommentare\", kind: comments}}\n  - {{line: {q(sub)}, kind: subheading}}\n"
                f"  - {{line: \"Auch interessant\", kind: related}}\n{note}",
                encoding="utf-8")
            cite = lambda s: f"{{ind}}cite:\n{{ind}}  - source: {sid}\n{{ind}}    quote: {q(s)}\n"  # noqa: E731
            for j in range(CLAIMS_PER_ARTICLE):
                cid = f"aussage-{i:05d}-{j}"
                t = (i * CLAIMS_PER_ARTICLE + j) % self.topics
                by = f"[akteur-{r.randrange(self.actors):04d}]" if j % 4 else "[]"
                stated = f"        stated: {q(day.strftime('%Y-%m'))}\n" if j % 3 == 0 else ""
                claims_by_topic[t].append(
                    f"      - id: {cid}\n        text: {q('Synthetische Aussage ' + str(j) + ' aus Artikel ' + str(i) + ': ' + sents[picks[j]][:-1] + '.')}\n"
                    f"        by: {by}\n        status: {_STATUSES[(i + j) % 5]}\n{stated}"
                    + cite(sents[picks[j]]).format(ind="        "))
                claim_ids.append((t, cid))
            for j in range(EVENTS_PER_ARTICLE):
                e_day = day - dt.timedelta(days=r.randrange(0, 60))
                kind = (i + j) % 6
                date = {0: e_day.isoformat(), 1: e_day.strftime("%Y-%m"), 2: e_day.strftime("%Y-%m") + "~",
                        3: f"{e_day.strftime('%Y-%m')}-11/{e_day.strftime('%Y-%m')}-20", 4: e_day.isoformat(),
                        5: e_day.strftime("%Y-%m") + "?"}[kind]
                s = sents[picks[CLAIMS_PER_ARTICLE + j]]
                events.append(
                    f"- id: ereignis-{i:05d}-{j}\n  date: {q(date)}\n  title: {q('Ereignis ' + str(j) + ' zu Artikel ' + str(i))}\n"
                    f"  text: {q(s)}\n  topics: [thema-{(i + j) % self.topics:04d}]\n"
                    f"  actors: [akteur-{r.randrange(self.actors):04d}]\n  places: [{self.unique()}]\n"
                    + cite(s).format(ind="  "))
            figures[i % self.series].append(
                f"  - id: zahl-{i:05d}\n    value: {value}\n    qualifier: {['exact', 'about', 'at-least', 'more-than', 'up-to'][i % 5]}\n"
                f"    by: akteur-{speaker:04d}\n    refers_to: {q('im Raum laut Artikel ' + str(i))}\n"
                + cite(fig_sent).format(ind="    "))
            for k in picks[CLAIMS_PER_ARTICLE + EVENTS_PER_ARTICLE:CLAIMS_PER_ARTICLE + EVENTS_PER_ARTICLE + 2]:
                spare.append((sid, sents[k]))

        def spare_cite(ind: str) -> str:
            sid, s = spare.pop() if spare else (None, None)
            return f"{ind}cite:\n{ind}  - source: {sid}\n{ind}    quote: {q(s)}\n" if sid else ""

        # topics -------------------------------------------------------------------------
        for t in range(self.topics):
            cl = claims_by_topic[t]
            ids = [c.split("\n")[0].split("id: ")[1] for c in cl]
            sections = []
            for k in range(0, len(cl), 10):
                sections.append(f"  - title: {q('Abschnitt ' + str(k // 10 + 1))}\n    claims:\n" + "".join(cl[k:k + 10]))
            known = f"known:\n  - text: Bekannt ist einiges.\n    claims: [{', '.join(ids[:2])}]\n" if ids else ""
            unclear = f"unclear:\n  - text: Unklar bleibt vieles.\n    claims: [{ids[-1]}]\n" if ids else ""
            body = (f"title: {q('Thema ' + name(t + 77, 3))}\norder: {t + 1}\n"
                    f"lead: {q('Worum es bei Thema ' + str(t) + ' geht, in einem Satz.')}\n{known}{unclear}"
                    f"sections:\n" + ("".join(sections) if sections else "  - title: Leer\n    claims: []\n"))
            (content / "topics" / f"thema-{t:04d}.yaml").write_text(body, encoding="utf-8")

        # events, actors, figures, contradictions, glossary -------------------------------
        for k in range(0, len(events), CHUNK):
            (content / "events" / f"ereignisse-{k // CHUNK:04d}.yaml").write_text("\n".join(events[k:k + CHUNK]), encoding="utf-8")
        actors = []
        for a in range(self.actors):
            part = f"  part_of: akteur-{a % 5:04d}\n" if a >= 5 and a % 3 == 0 else ""
            actors.append(f"- id: akteur-{a:04d}\n  name: {q(self.actor_name(a))}\n  kind: {_KINDS[a % 5]}\n"
                          f"  role: {q('Rolle ' + str(a) + ' im Geschehen')}\n{part}" + spare_cite("  "))
        for k in range(0, len(actors), CHUNK):
            (content / "actors" / f"akteure-{k // CHUNK:04d}.yaml").write_text("\n".join(actors[k:k + CHUNK]), encoding="utf-8")
        for s in range(self.series):
            (content / "figures" / f"reihe-{s:04d}.yaml").write_text(
                f"title: {q('Zahlenreihe ' + str(s))}\nunit: {_UNITS[s % len(_UNITS)]}\norder: {s + 1}\nfigures:\n" + "".join(figures[s]),
                encoding="utf-8")
        contras = []
        for c in range(self.n // 10 + 1):
            t = c % self.topics
            ids = [cid for tt, cid in claim_ids if tt == t][:4] if c < self.topics else []
            if len(ids) < 2:
                ids = [claim_ids[(2 * c) % len(claim_ids)][1], claim_ids[(2 * c + 1) % len(claim_ids)][1]]
            contras.append(f"- id: widerspruch-{c:04d}\n  title: {q('Widerspruch ' + str(c))}\n  summary: Zwei Angaben passen nicht zusammen.\n"
                           f"  topics: [thema-{t:04d}]\n  sides:\n    - text: Die eine Seite.\n      claims: [{ids[0]}]\n"
                           f"    - text: Die andere Seite.\n      claims: [{ids[1]}]\n")
        for k in range(0, len(contras), CHUNK):
            (content / "contradictions" / f"widersprueche-{k // CHUNK:04d}.yaml").write_text("\n".join(contras[k:k + CHUNK]), encoding="utf-8")
        terms = []
        for g in range(self.terms):
            terms.append(f"- id: begriff-{g:04d}\n  term: {q('Begriff ' + name(g + 300, 3))}\n"
                         f"  definition: {q('Erklärung des Begriffs Nummer ' + str(g) + '.')}\n" + spare_cite("  "))
        for k in range(0, len(terms), CHUNK):
            (content / "glossary" / f"glossar-{k // CHUNK:04d}.yaml").write_text("\n".join(terms[k:k + CHUNK]), encoding="utf-8")
        first = [cid for _, cid in claim_ids[:3]]
        (content / "dossier.yaml").write_text(
            f"title: Synthetisches Dossier mit {self.n} Artikeln\nsubtitle: Benchmark-Korpus\n"
            f"lead: |\n  Ein erzeugtes Dossier mit *{self.n}* Artikeln.\n"
            f"known:\n  - text: Bekannt ist dies.\n    claims: [{', '.join(first)}]\n"
            f"unclear:\n  - text: Unklar ist das.\n    claims: [{first[-1]}]\n"
            f"method: |\n  Erzeugt von benchmarks/corpus.py.\ncontact: |\n  Niemand.\n", encoding="utf-8")
        return {"articles": self.n, "claims": len(claim_ids), "events": len(events), "topics": self.topics,
                "actors": self.actors, "terms": self.terms, "series": self.series, "contradictions": len(contras)}


def write_corpus(out: Path, n: int, seed: int = 1) -> dict:
    return Corpus(n, seed).write(Path(out))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--articles", "-n", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    print(write_corpus(a.out, a.articles, a.seed))


if __name__ == "__main__":
    main()
