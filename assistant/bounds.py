"""Amounts and ranks said to be above or below a mark: a bound ("nearly $100 million" is under it, "topped $100
million" over it) stated the other way round, and numbered ranks compared ("higher at No. 5 than at No. 2"), where
a smaller number is the higher rank. Read from the words; :func:`conflict` is called by :mod:`.contrasts`.
"""

from __future__ import annotations

import re

from .claims import numbers
from .roles import Conflict

_AMOUNT = r"(\$?\s?\d[\d,.]*\s*(?:%|percent|per cent|thousand|million|billion|trillion|[mbk]n?\b)?)"
# words that put an amount as a floor (the true figure is above it) or a ceiling (the true figure is below it)
_FLOOR = r"topped|more than|over|above|exceeded|exceeds|exceeding|surpassed|surpassing|in excess of|" \
         r"upwards of|at least|north of"
_CEILING = r"nearly|almost|just under|under|less than|short of|just shy of|shy of|below|fewer than|not quite|south of"
_BOUND = re.compile(rf"\b(?:({_FLOOR})|({_CEILING}))\s+{_AMOUNT}", re.I)
_RANK = re.compile(r"\b(?:No\.?|number|#)\s?(\d{1,4})\b")
# comparatives of rank: +1 the side before "than" ranks above the side after it, -1 below
_RANKED = {"higher": 1, "better": 1, "above": 1, "ahead": 1, "lower": -1, "worse": -1, "below": -1, "behind": -1}


def bounds(text: str) -> dict[str, tuple[int, str]]:
    """canonical amount -> (+1 above it / -1 below it, as written) for each amount given as a bound."""
    out = {}
    for m in _BOUND.finditer(text):
        for value in numbers(m.group(3)):
            out.setdefault(value, (1 if m.group(1) else -1, m.group(0)))
    return out


def _rebounded(claim: str, unit: str) -> Conflict | None:
    theirs = bounds(unit)
    for value, (side, written) in bounds(claim).items():
        if value in theirs and theirs[value][0] != side:
            return Conflict("comparison", f"the passage says \"{theirs[value][1]}\"; the answer says \"{written}\"")
    return None


def _rank_order(text: str) -> tuple[int, int, str] | None:
    """"ranked higher at No. 5 than at No. 2" -> (5, 2, as written): the rank said above first."""
    words = re.findall(r"[\w.#]+", text)
    than = next((i for i, w in enumerate(words) if w.lower() == "than"), None)
    if than is None:
        return None
    cue = next((w.lower() for w in reversed(words[:than]) if w.lower() in _RANKED), None)
    before = [int(m.group(1)) for m in _RANK.finditer(" ".join(words[:than]))]
    after = [int(m.group(1)) for m in _RANK.finditer(" ".join(words[than + 1:]))]
    if cue is None or not before or not after:
        return None
    hi, lo = (before[-1], after[0]) if _RANKED[cue] > 0 else (after[0], before[-1])
    return hi, lo, f"{cue} at No. {before[-1]} than at No. {after[0]}"


def _reordered_ranks(claim: str, unit: str) -> Conflict | None:
    """A rank said above another with a larger number than it: both numbers are the passage's ranks."""
    found = _rank_order(claim)
    if found is None or found[0] <= found[1]:
        return None
    given = {int(m.group(1)) for m in _RANK.finditer(unit)}
    if {found[0], found[1]} <= given:
        return Conflict("comparison", f"the passage ranks No. {found[1]} above No. {found[0]}; the answer says "
                                      f"\"{found[2]}\"")
    return None


def conflict(claim: str, unit: str) -> Conflict | None:
    return _rebounded(claim, unit) or _reordered_ranks(claim, unit)
