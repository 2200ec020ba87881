"""What a number counts: "40,000 NVIDIA chips" counts chips, "40,000 employees" counts employees. The exact
fact check finds 40,000 in both; this module tells the verifier that they are not the same fact.

A number's counted words are the content words right after it, up to the first stopword or punctuation
("more than 40,000 NVIDIA chips in the past decade" -> "nvidia chips"). Dates, years, amounts, shares and
multipliers are left out: what follows them is not what they count ("May 28, SenseTime", "ten times the
power"), and spans of time ("ten years" for "a decade") are often said in other words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import numbers
from .lexical import stopwords, tokenize

MAX_WORDS = 3
_MONTH_BEFORE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I)
_MONTH = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*$", re.I)
_CURRENCY_BEFORE = re.compile(r"[$€£¥]\s*$")
_WORD_AFTER = re.compile(r"[ \t]*([^\W\d_][\w'’-]*)")
_YEAR = re.compile(r"(1[5-9]|20)\d\d")
# Words after a number that say how much rather than what: scale, share, multiplier, span of time, money.
_NOT_COUNTED = frozenset(tokenize(
    "thousand million billion trillion mn bn percent per cent percentage times fold x "
    "second seconds minute minutes hour hours day days week weeks month months year years decade decades "
    "century centuries dollars dollar euros euro pounds pound yen yuan rupees francs points"))
# A question asking for a count names what is counted: "how many NVIDIA chips did ..." -> "NVIDIA chips".
_HOW_MANY = re.compile(r"\bhow\s+many\s+((?:[^\W\d_][\w'’-]*\s+){1,3}?)(?=(?:do|does|did|has|have|had|is|are|was|"
                       r"were|will|would|can|could|in|of|on|at|for|from|by|to|with|that|which)\b|\?|$)", re.I)


@dataclass(frozen=True)
class Mismatch:
    value: str  # as the claim writes it
    claimed: str  # what the claim says it counts
    stated: str  # what the unit says it counts


def counted(text: str) -> dict[str, tuple[str, ...]]:
    """Canonical number -> the words it counts (lower-cased), for the numbers of ``text`` that count something."""
    out: dict[str, tuple[str, ...]] = {}
    for canon, written in numbers(text).items():
        at = text.find(written)
        if at < 0 or _YEAR.fullmatch(written.strip()):
            continue
        before = text[max(0, at - 12) : at]
        if _CURRENCY_BEFORE.search(before) or _MONTH_BEFORE.search(before):
            continue
        words = _words_after(text, at + len(written))
        if words:
            out[canon] = words
    return out


def _words_after(text: str, pos: int) -> tuple[str, ...]:
    words: list[str] = []
    while len(words) < MAX_WORDS:
        m = _WORD_AFTER.match(text, pos)
        if not m:
            break
        word = m.group(1).lower().strip("'’-")
        if word in stopwords():
            break
        stems = tokenize(word)
        if not words and (not stems or stems[0] in _NOT_COUNTED or _MONTH.fullmatch(word)):
            return ()
        words.append(word)
        pos = m.end()
    return tuple(words)


def asked(question: str) -> tuple[str, ...]:
    """What a "how many" question counts (lower-cased words); () for other questions."""
    m = _HOW_MANY.search(question)
    return tuple(w for w in m.group(1).lower().split() if w not in stopwords()) if m else ()


def _stems(words: tuple[str, ...]) -> set[str]:
    return {t for w in words for t in tokenize(w)}


def mismatch(claim: str, unit: str, question: str = "") -> Mismatch | None:
    """A number the claim and the unit both state, counting different things in each. A bare number answering
    a "how many" question counts what the question asks about."""
    stated = counted(unit)
    if not stated:
        return None
    mine = counted(claim)
    if question and (what := asked(question)):
        for canon in numbers(claim):
            mine.setdefault(canon, what)
    written = numbers(claim)
    for canon, words in mine.items():
        theirs = stated.get(canon)
        if theirs and not _stems(words) & _stems(theirs):
            return Mismatch(written.get(canon, canon), " ".join(words), " ".join(theirs))
    return None
