"""'Did you mean …?' hints for misspelt ids, fields and values."""

from __future__ import annotations

from rapidfuzz import fuzz, process


def did_you_mean(word: str, choices, cutoff: float = 60.0) -> str | None:
    choices = list(choices)
    if not choices or not word:
        return None
    best = process.extractOne(word, choices, scorer=fuzz.WRatio, score_cutoff=cutoff)
    if best is None:
        return None
    return f"did you mean '{best[0]}'?"
