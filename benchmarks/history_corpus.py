"""A scripted git history for a dossier project: N commits of editorial work, deterministic.

    python benchmarks/history_corpus.py PROJECT --commits 200 [--seed 1]

PROJECT is a project folder (content/, seeds/); it becomes a git repository whose first commit
holds the content as it is, followed by N-1 commits, one an hour from 2026-01-01, each doing
one of: change a claim's status (never to 'bestaetigt'), rewrite a claim's text (sometimes only its wording), add a
claim (citing a passage an existing claim cites, so the content stays valid), remove an added
claim, change a figure's value, add an event. Every 10th commit carries a 'Dossier-Notiz',
every 25th is a 'Dossier-Korrektur'. The content stays valid ('dossier check' passes).
Used by benchmarks/run.py and for the cost figures in README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
from pathlib import Path

import yaml

try:
    from yaml import CSafeDumper as Dumper, CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper, SafeLoader as Loader

class _NoAliases(Dumper):
    """Editors write no anchors; copies of a claim must not become YAML aliases."""

    def ignore_aliases(self, data):
        return True


#: statuses a scripted change sets; never 'bestaetigt', which a dossier's editorial rules
#: (confirmed-needs-sources, confirmed-not-one-party, …) may refuse for the claim it lands on
STATUSES = ["berichtet", "umstritten", "unbelegt", "einschaetzung"]
ENV = {"GIT_AUTHOR_NAME": "Redaktion", "GIT_AUTHOR_EMAIL": "redaktion@example.org", "GIT_COMMITTER_NAME": "Redaktion",
       "GIT_COMMITTER_EMAIL": "redaktion@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
START = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone.utc)


def _git(proj: Path, *args: str, when: dt.datetime | None = None) -> None:
    env = {**os.environ, **ENV}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    subprocess.run(["git", *args], cwd=proj, env=env, check=True, capture_output=True)


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def _dump(path: Path, data) -> None:
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _claims(doc) -> list[tuple[list, int]]:
    return [(sec["claims"], i) for sec in doc.get("sections", []) for i in range(len(sec.get("claims", [])))]


def scripted_history(proj: Path, commits: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    proj = Path(proj)
    _git(proj, "init", "-q", "-b", "main")
    _git(proj, "add", "-A", "content", "seeds")
    _git(proj, "commit", "-q", "-m", "Dossier angelegt", when=START)
    content = proj / "content"
    topics = sorted((content / "topics").glob("*.yaml"))
    series = sorted((content / "figures").glob("*.yaml"))
    events = sorted((content / "events").glob("*.yaml"))
    added: list[tuple[Path, str]] = []
    for i in range(1, commits):
        action = rng.choice(["status", "status", "text", "wording", "add", "add", "remove", "figure", "event"])
        if action == "remove" and not added:
            action = "add"
        if action == "figure" and not series:
            action = "status"
        if action == "event" and not events:
            action = "add"
        subject = action
        if action in ("status", "text", "wording", "add"):
            path = rng.choice(topics)
            doc = _load(path)
            claims = _claims(doc)
            if not claims:
                continue
            lst, k = rng.choice(claims)
            claim = lst[k]
            if action == "status":
                claim["status"] = rng.choice([s for s in STATUSES if s != claim.get("status")])
            elif action == "text":
                claim["text"] = f"{claim['text']} Nach Stand {i} gilt das weiter."
            elif action == "wording":
                text = claim["text"]
                claim["text"] = text[:-1] + " ." if text.endswith(".") else text + "."
            else:
                new = {**claim, "id": f"{claim['id']}-n{i}", "text": f"Ergänzt ({i}): {claim['text']}"}
                lst.insert(k + 1, new)
                added.append((path, new["id"]))
            _dump(path, doc)
        elif action == "remove":
            path, cid = added.pop(rng.randrange(len(added)))
            doc = _load(path)
            for sec in doc.get("sections", []):
                sec["claims"] = [c for c in sec.get("claims", []) if c.get("id") != cid]
            _dump(path, doc)
        elif action == "figure":
            path = rng.choice(series)
            doc = _load(path)
            fig = rng.choice(doc["figures"])
            fig["value"] = int(fig["value"]) + rng.randint(1, 500)
            _dump(path, doc)
        else:
            path = rng.choice(events)
            items = _load(path)
            ev = rng.choice(items)
            items.append({**ev, "id": f"{ev['id']}-n{i}", "title": f"{ev['title']} (Nachtrag {i})"})
            _dump(path, items)
        message = f"{subject} {i}"
        if i % 25 == 0:
            message += f"\n\nDossier-Korrektur: Korrektur Nummer {i}: die vorige Fassung war falsch."
        elif i % 10 == 0:
            message += f"\n\nDossier-Notiz: Anmerkung zu Änderung {i}."
        _git(proj, "add", "-A", "content")
        _git(proj, "commit", "-q", "--allow-empty", "-m", message, when=START + dt.timedelta(hours=i))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("project", type=Path)
    p.add_argument("--commits", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    scripted_history(a.project, a.commits, a.seed)


if __name__ == "__main__":
    main()
