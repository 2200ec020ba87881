"""Opposite words from WordNet 3.0: "win" / "lose", "legal" / "illegal", "profit" / "loss".

The hand-written cue pairs of :mod:`assistant.cues` cover change, stance and a few more dimensions; a reversal an
LLM writes with any other pair of opposites ("the jury convicted him" against "acquitted him", "the merger was
legal" against "illegal") needs a lexicon. WordNet's lexical antonym pointers give one: about 3,000 single-word
pairs of verbs, adjectives and nouns, kept in ``antonyms.tsv`` (built by :mod:`assistant.wordnet`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ANTONYMS = Path(__file__).with_name("antonyms.tsv")

POS = {"VERB": "verb", "ADJ": "adj", "NOUN": "noun"}  # spaCy's coarse tag -> WordNet's part of speech


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], tuple[tuple[str, int], ...]]:
    """(word, part of speech) -> the dimensions it is one end of, as (dimension, +1 / -1)."""
    out: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for line in ANTONYMS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        pos, a, b = line.split("\t")
        dim = f"{pos}:{a}/{b}"
        out.setdefault((a, pos), []).append((dim, 1))
        out.setdefault((b, pos), []).append((dim, -1))
    return {k: tuple(v) for k, v in out.items()}


def opposites(lemma: str, pos: str) -> tuple[tuple[str, int], ...]:
    """The antonym dimensions a word (lemma, spaCy coarse tag) is one end of; () for none."""
    wn_pos = POS.get(pos)
    return _table().get((lemma.lower(), wn_pos), ()) if wn_pos else ()
