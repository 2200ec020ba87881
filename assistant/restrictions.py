"""Restrictions denied in one sentence and stated in the other: "not exclusively for the Switch" against
"exclusively for the Switch" ("not only", "not solely", "not entirely", "not always"). Read from the words: the
parse hangs the "not" of such an adverb anywhere, and the verb it restricts is stated in both.
"""

from __future__ import annotations

import re

from .lexical import tokenize
from .roles import Conflict

# adverbs that restrict or make whole what follows them, by what they say: one of a group stands for another
_GROUPS = {"only": "only exclusively solely just merely purely simply", "whole": "entirely wholly fully completely "
           "totally", "always": "always invariably"}
_KIND = {w: kind for kind, words in _GROUPS.items() for w in words.split()}
_ADVERB = re.compile(r"\b(?:(not|n't|never)\s+)?(" + "|".join(sorted(_KIND, key=len, reverse=True)) + r")\b"
                     r"([^.;,:!?]*)", re.I)
SCOPE = 4  # content words after the adverb that say what it restricts


def _restrictions(text: str) -> list[tuple[str, str, frozenset[str], str]]:
    """(kind, the negation word or "", the content words it restricts, as written) for each such adverb."""
    out = []
    for m in _ADVERB.finditer(text.replace("’", "'")):
        words = frozenset(tokenize(m.group(3))[:SCOPE])
        if words:
            out.append((_KIND[m.group(2).lower()], (m.group(1) or "").lower(), words, m.group(0).strip()))
    return out


def conflict(claim: str, unit: str) -> Conflict | None:
    theirs = _restrictions(unit)
    for kind, neg, words, said in _restrictions(claim):
        same = [(n, s) for k, n, w, s in theirs if k == kind and words & w]
        if same and all(bool(n) != bool(neg) for n, _ in same):
            return Conflict("negation", f"the passage says \"{same[0][1]}\"; the answer says the opposite "
                                        f"(\"{said}\")")
    return None
