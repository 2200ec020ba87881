"""Opposite words from WordNet 3.0: "win" / "lose", "legal" / "illegal", "profit" / "loss".

The hand-written cue pairs of :mod:`assistant.cues` cover change, stance and a few more dimensions; a reversal an
LLM writes with any other pair of opposites ("the ruling was upheld" against "overturned", "the merger was legal"
against "illegal") needs a lexicon. WordNet's lexical antonym pointers give one: 3,000-odd single-word pairs of
verbs, adjectives and nouns, read once from the database files and kept in ``antonyms.tsv`` beside this module, so
nothing is read from outside the package at run time.

    python -m assistant.antonyms /usr/share/wordnet   # rebuild antonyms.tsv (Debian's wordnet-base)
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("antonyms.tsv")
POS = {"VERB": "verb", "ADJ": "adj", "NOUN": "noun"}  # spaCy's coarse tag -> WordNet's part of speech
NOTICE = """\
# Single-word antonym pairs (part of speech, word, word) read from WordNet 3.0's lexical antonym pointers by
# `python -m assistant.antonyms`. WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# Permission to use, copy, modify and distribute this software and database and its documentation for any purpose
# and without fee or royalty is hereby granted, provided that you agree to comply with the following copyright
# notice and statements, including the disclaimer, and that the same appear on ALL copies of the software, database
# and documentation, including modifications that you make for internal use or for distribution.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES,
# EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
# WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE,
# DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
# The name of Princeton University or Princeton may not be used in advertising or publicity pertaining to
# distribution of the software and/or database.
"""


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], tuple[tuple[str, int], ...]]:
    """(word, part of speech) -> the dimensions it is one end of, as (dimension, +1 / -1)."""
    out: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
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


def _synsets(path: Path) -> dict[str, tuple[list[str], list[tuple[str, str, str, str]]]]:
    """offset -> (its words, its pointers as (symbol, offset, pos, source/target)) of one WNDB data file."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):  # the licence at the top of each file
            continue
        f = line.split(" | ")[0].split()
        count = int(f[3], 16)
        words = [f[4 + 2 * i].lower().split("(")[0] for i in range(count)]
        i = 4 + 2 * count
        pointers = [tuple(f[i + 1 + 4 * k:i + 5 + 4 * k]) for k in range(int(f[i]))]
        out[f[0]] = (words, pointers)
    return out


def build(wordnet: Path) -> list[tuple[str, str, str]]:
    """Every lexical antonym pair of single words (no phrases, no word opposed to itself), sorted."""
    pairs = set()
    for pos in ("verb", "adj", "noun"):
        synsets = _synsets(wordnet / f"data.{pos}")
        for words, pointers in synsets.values():
            for symbol, offset, _, ends in pointers:
                source, target = int(ends[:2], 16), int(ends[2:], 16)
                if symbol != "!" or not (source and target) or offset not in synsets:
                    continue
                a, b = words[source - 1], synsets[offset][0][target - 1]
                if a != b and "_" not in a + b and "-" not in a + b:
                    pairs.add((pos, *sorted((a, b))))
    return sorted(pairs)


def main(argv: list[str]) -> int:
    wordnet = Path(argv[0] if argv else "/usr/share/wordnet")
    if not (wordnet / "data.verb").exists():
        print(f"no WordNet database in {wordnet} (Debian: apt-get install wordnet-base)", file=sys.stderr)
        return 2
    pairs = build(wordnet)
    TABLE.write_text(NOTICE + "".join("\t".join(p) + "\n" for p in pairs), encoding="utf-8")
    print(f"{len(pairs)} pairs -> {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
