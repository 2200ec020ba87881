"""Reading WordNet 3.0's database files (WNDB format) into the table of opposite words the package ships
(antonyms.tsv, read by :mod:`assistant.antonyms`). Run once, where WordNet is installed; nothing here runs when the
assistant answers.

    python -m assistant.wordnet /usr/share/wordnet     # Debian's wordnet-base
"""

from __future__ import annotations

import sys
from pathlib import Path

from .antonyms import ANTONYMS

NOTICE = """\
# Read from WordNet 3.0 by `python -m assistant.wordnet`. WordNet 3.0 Copyright 2006 by Princeton University.
# All rights reserved. Permission to use, copy, modify and distribute this software and database and its
# documentation for any purpose and without fee or royalty is hereby granted, provided that you agree to comply
# with the following copyright notice and statements, including the disclaimer, and that the same appear on ALL
# copies of the software, database and documentation, including modifications that you make for internal use or
# for distribution.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES,
# EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
# WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE,
# DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
# The name of Princeton University or Princeton may not be used in advertising or publicity pertaining to
# distribution of the software and/or database.
"""
PARTS = ("noun", "verb", "adj")


def synsets(wordnet: Path, pos: str) -> dict[str, tuple[list[str], list[tuple[str, str, str, str]]]]:
    """offset -> (its words, its pointers as (symbol, offset, pos, source/target)) of one data file."""
    out = {}
    for line in (wordnet / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):  # the licence at the top of each file
            continue
        f = line.split(" | ")[0].split()
        count = int(f[3], 16)
        words = [f[4 + 2 * i].lower().split("(")[0] for i in range(count)]
        i = 4 + 2 * count
        out[f[0]] = (words, [tuple(f[i + 1 + 4 * k:i + 5 + 4 * k]) for k in range(int(f[i]))])
    return out


def _single(word: str) -> bool:
    return "_" not in word and "-" not in word


def antonym_pairs(wordnet: Path) -> list[tuple[str, str, str]]:
    """Every lexical antonym pair of single words (no word opposed to itself), sorted."""
    pairs = set()
    for pos in PARTS:
        by_offset = synsets(wordnet, pos)
        for words, pointers in by_offset.values():
            for symbol, offset, _, ends in pointers:
                source, target = int(ends[:2], 16), int(ends[2:], 16)
                if symbol != "!" or not (source and target) or offset not in by_offset:
                    continue
                a, b = words[source - 1], by_offset[offset][0][target - 1]
                if a != b and _single(a + b):
                    pairs.add((pos, *sorted((a, b))))
    return sorted(pairs)


def main(argv: list[str]) -> int:
    wordnet = Path(argv[0] if argv else "/usr/share/wordnet")
    if not (wordnet / "data.verb").exists():
        print(f"no WordNet database in {wordnet} (Debian: apt-get install wordnet-base)", file=sys.stderr)
        return 2
    pairs = antonym_pairs(wordnet)
    ANTONYMS.write_text(NOTICE + "".join("\t".join(p) + "\n" for p in pairs), encoding="utf-8")
    print(f"{len(pairs)} antonym pairs -> {ANTONYMS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
