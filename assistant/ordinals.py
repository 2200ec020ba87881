"""Which one in a series: "its second World Cup title", "the 75th anniversary", "for the third time". The number
check leaves "first" to "ninth" alone (they are ranks as often as numbers, see :func:`assistant.claims.claim_facts`),
so "France won its third World Cup title" passed against "France captured its second World Cup title". Here an
ordinal is read with the words it counts, and a claim's ordinal is wrong when the unit counts the same thing
with another one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import _ORDINAL_TENS, _ORDINAL_UNITS, _TEENTHS, _TENS, content_words

_VALUE = _ORDINAL_UNITS | _TEENTHS | _ORDINAL_TENS  # the number check's own spellings: "first" .. "ninetieth"
_ORDINAL = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})[-\s](?P<unit>{'|'.join(_ORDINAL_UNITS)})|(?P<word>{'|'.join(_VALUE)})|"
    r"(?P<digits>\d{1,3})(?:st|nd|rd|th))\b(?!-century)", re.I)
_NEXT_WORD = re.compile(r"[\s-]+([^\W\d_][\w'’]*)")
COUNTED_WORDS = 3  # "second World Cup title": what an ordinal counts is the few words right after it


@dataclass(frozen=True)
class Ordinal:
    value: int
    written: str
    counts: frozenset[str]  # stems of the words it counts: "world", "cup", "titl"
    phrase: str  # the ordinal with those words, for the reason


def _value(m: re.Match) -> int:
    if m.group("digits"):
        return int(m.group("digits"))
    if m.group("word"):
        return _VALUE[m.group("word").lower()]
    return _TENS[m.group("tens").lower()] + _VALUE[m.group("unit").lower()]


def ordinals(text: str) -> list[Ordinal]:
    """Each ordinal of a text with the content words after it, up to the first word that is not one
    ("third World Cup title by beating ..." counts "World Cup title"). An ordinal counting nothing (a date's
    "July 2nd", "came second") is left out: there is nothing to hold it to."""
    out = []
    for m in _ORDINAL.finditer(text):
        words, at = [], m.end()
        while len(words) < COUNTED_WORDS and (w := _NEXT_WORD.match(text, at)) and content_words(w.group(1)):
            words.append(w.group(1))
            at = w.end()
        stems = frozenset(s for w in words for s in content_words(w))
        if stems:
            out.append(Ordinal(_value(m), m.group(0), stems, text[m.start():at]))
    return out


@dataclass(frozen=True)
class Mismatch:
    claimed: Ordinal
    stated: Ordinal

    @property
    def reason(self) -> str:
        return f"the passage says {self.stated.phrase}; the answer says {self.claimed.phrase}"


def mismatch(claim: str, unit: str) -> Mismatch | None:
    """A claim's ordinal that the unit gives another value for the same thing. The unit may number several
    things that share a word ("her second album ... her third album"): any of them with the claim's value
    holds it."""
    stated = ordinals(unit)
    if not stated:
        return None
    for mine in ordinals(claim):
        same_thing = [o for o in stated if o.counts & mine.counts]
        if same_thing and all(o.value != mine.value for o in same_thing):
            return Mismatch(mine, max(same_thing, key=lambda o: len(o.counts & mine.counts)))
    return None
