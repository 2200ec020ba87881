"""Spans and counts a text states by arithmetic over its own dates and numbers: "four years later" between
"August 2014" and "November 2018", "the same year" beside one year, "all but two of 22" for "20 of 22", "for the
first time in 75 years" beside "since 1943" and a 2018 dateline. Read by regex; the fact check (claims.py) and the
addition check (coverage.py) count a span held here as stated. Hedges are checked against the real gap.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|through|and)\s*"
# "5 October 2021", "2–15 July", "from 2 to 15 July 2018"
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:{_DASH}(\d{{1,2}}))?(?:st|nd|rd|th)?\s+({_MONTH})(?:,?\s+({_YEAR}))?\b")
# "October 5, 2021", "July 2-15", "Nov. 17"
_MONTH_FIRST = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:{_DASH}(\d{{1,2}}))?(?!\d)"
                          rf"(?:,?\s+({_YEAR}))?\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(?:of\s+)?({_YEAR})\b")
_BARE_YEAR = re.compile(rf"(?<![\d$€£.,])\b({_YEAR})\b(?![\d,.]\d)")
_SINCE = re.compile(r"\b(?:since|last\s+(?:\w+\s+){0,3}in)\s+$", re.I)

_COUNTS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {"a": 1, "an": 1}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_COUNT = r"(\d+|an?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ][a-z]+)?|[a-z]+)"
_UNITS = {"day": ("day", 1), "week": ("week", 1), "month": ("month", 1), "year": ("year", 1), "decade": ("year", 10),
          "century": ("year", 100)}
_DAYS_IN = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
_HEDGES = r"nearly|almost|just under|close to|about|around|roughly|approximately|some|more than|over|just over|" \
          r"upwards of|at least|less than|under"
_SPAN = re.compile(rf"\b(?:({_HEDGES})\s+)?(?:just\s+)?{_COUNT}[- ](day|week|month|year|decade|century)(?:s|ies)?\b",
                   re.I)
_SAME = re.compile(r"\b(?:the\s+)?same\s+(day|month|year)\b", re.I)
_ALL_BUT = re.compile(rf"\ball\s+but\s+{_COUNT}\s+of\s+(?:the\s+|its\s+|their\s+)?(?:last\s+|past\s+|first\s+)?"
                      r"(\d+|[a-z]+)\b", re.I)
_AFTER = re.compile(r"\s+(?:later|earlier|after|before|afterwards|apart|on)\b(?!\s+than)", re.I)
_THAN = re.compile(r"\s+(?:later|earlier|sooner|longer|shorter)\s+than\b", re.I)
_FIRST_IN = re.compile(r"\bfirst\s+(?:\w+\s+){0,3}in\s+$", re.I)


@dataclass(frozen=True)
class When:
    """A date as precise as it is written: a year, a month of a year, or a day."""

    year: int
    month: int | None = None
    day: int | None = None
    since: bool = False  # written after "since": where a "first time in N years" counts from

    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True)
class Said:
    """A span a claim states: ``count`` units of ``base`` ("nearly four years"), hedged or not; or a shared date
    ("the same year": count 0); ``at`` and ``end`` where it is written, hedge and "later" included."""

    count: float
    base: str  # day / week / month / year
    hedge: str
    value: str  # the span's number as the fact check keys it ("4", "10" for a decade)
    at: int
    end: int
    first_in: bool = False  # "for the first time in N years"


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in _COUNTS:
        return _COUNTS[word]
    parts = re.split(r"[- ]", word)
    if parts[0] in _TENS:
        rest = _COUNTS.get(parts[1], None) if len(parts) > 1 else 0
        return _TENS[parts[0]] + rest if rest is not None and rest < 10 else None
    return None


@lru_cache(maxsize=8192)
def dates(text: str) -> tuple[When, ...]:
    """Every date ``text`` writes, in order; a day without a year takes the nearest year written beside it ("on 5
    October 2021 ... on 19 October"), and a range ("2–15 July") gives both its ends."""
    found: list[tuple[int, int, int | None, int | None, int | None]] = []  # (start, end, year, month, day)
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    for pattern, day_first in ((_DAY_FIRST, True), (_MONTH_FIRST, False)):
        for m in pattern.finditer(text):
            if not free(m):
                continue
            day, other, month, year = (m.group(1), m.group(2), m.group(3), m.group(4)) if day_first else \
                (m.group(2), m.group(3), m.group(1), m.group(4))
            month_n = _MONTHS[month.lower().rstrip(".")]
            for d in (day, other):
                if d and 1 <= int(d) <= 31:
                    found.append((m.start(), m.end(), int(year) if year else None, month_n, int(d)))
            taken.append((m.start(), m.end()))
    for m in _MONTH_YEAR.finditer(text):
        if free(m):
            found.append((m.start(), m.end(), int(m.group(2)), _MONTHS[m.group(1).lower().rstrip(".")], None))
            taken.append((m.start(), m.end()))
    for m in _BARE_YEAR.finditer(text):
        if free(m):
            found.append((m.start(), m.end(), int(m.group(1)), None, None))
    found.sort()
    out = []
    for start, _end, year, month, day in found:
        if year is None:  # the nearest written year, before it first
            near = sorted((abs(s - start) + (0 if s < start else 0.5), y) for s, _, y, _, _ in found if y)
            if not near:
                continue
            year = near[0][1]
        try:
            when = When(year, month, day, bool(_SINCE.search(text[max(0, start - 40): start])))
            when.last()
        except ValueError:
            continue
        out.append(when)
    return tuple(dict.fromkeys(out))


def said_spans(claim: str) -> tuple[Said, ...]:
    """The spans and shared dates a claim states."""
    out = []
    for m in _SPAN.finditer(claim):
        count = _count(m.group(2))
        if count is None or _THAN.match(claim, m.end()):  # "a month later than usual": no gap between two dates
            continue
        base, factor = _UNITS[m.group(3).lower()]
        n = count * factor
        after = _AFTER.match(claim, m.end())
        out.append(Said(float(n), base, (m.group(1) or "").lower(), str(n), m.start(), after.end() if after else
                        m.end(), bool(_FIRST_IN.search(claim[: m.start()]))))
    for m in _SAME.finditer(claim):
        out.append(Said(0.0, m.group(1).lower(), "same", "", m.start(), m.end()))
    return tuple(out)


def all_but(text: str) -> tuple[tuple[int, int], ...]:
    """(N, M) for each "all but N of M" the text writes: it states M - N of M."""
    out = []
    for m in _ALL_BUT.finditer(text):
        n, total = _count(m.group(1)), _count(m.group(2))
        if n is not None and total is not None and 0 < n < total:
            out.append((n, total))
    return tuple(out)


def _fits(said: Said, lo: float, hi: float) -> bool:
    """The gap, somewhere in [lo, hi] of ``said.base`` units, is what the hedged count may stand for: "nearly N"
    a little under N, "more than N" above N and under the next step, a bare N N rounded."""
    n, hedge = said.count, said.hedge
    slack = max(0.3, 0.1 * n)
    if hedge in ("nearly", "almost", "just under", "close to", "less than", "under"):
        low, high = n - slack, n
    elif hedge in ("more than", "over", "just over", "upwards of"):
        low, high = n + 1e-9, n + max(1.0, 0.2 * n)
    elif hedge == "at least":
        low, high = n, n + max(1.0, 0.2 * n)
    elif hedge:  # about, around, roughly, some
        low, high = n - slack, n + slack
    else:
        low, high = n - 0.5, n + 0.5
    return lo <= high and hi >= low


def _gap(a: When, b: When, base: str) -> tuple[float, float]:
    if a.first() > b.first():
        a, b = b, a
    lo, hi = max(0, (b.first() - a.last()).days), (b.last() - a.first()).days
    return lo / _DAYS_IN[base], hi / _DAYS_IN[base]


def _same(said: Said, mine: tuple[When, ...], theirs: tuple[When, ...]) -> bool:
    """"The same year" beside a year the claim states: the other text states that year and no other (so both
    of its facts have it)."""
    def key(w: When) -> tuple:
        return {"year": (w.year,), "month": (w.year, w.month), "day": (w.year, w.month, w.day)}[said.base]

    precise = [w for w in mine if said.base == "year" or (w.month and (said.base == "month" or w.day))]
    ours = {key(w) for w in precise}
    their = {key(w) for w in theirs if said.base == "year" or (w.month and (said.base == "month" or w.day))}
    return len(ours) == 1 and their == ours


def held(said: Said, mine: tuple[When, ...], theirs: tuple[When, ...]) -> bool:
    """Whether a span the claim states is what the dates imply: the gap between two dates the claim states (the
    fact check sees that the passage states them too), each as precise as the span's unit ("a month later" is no
    gap between "2021" and "July 2021"); for "the first time in N years", from a year the other text writes after
    "since" to the claim's latest year, else the other's latest."""
    if said.hedge == "same":
        return _same(said, mine, theirs)
    pairs = [(a, b) for i, a in enumerate(mine) for b in mine[i + 1:]]
    if said.first_in:
        since = [w for w in theirs if w.since]
        now = [w for w in mine if not w.since] or [w for w in theirs if not w.since]
        if since and now:
            pairs += [(s, max(now, key=When.first)) for s in since]
    return any(_fits(said, *_gap(a, b, said.base)) for a, b in pairs
               if _precise(a, said.base) and _precise(b, said.base) and a.first() != b.first())


def _precise(w: When, base: str) -> bool:
    return base == "year" or (w.month is not None and (base == "month" or w.day is not None))


def held_in(claim: str, other: str) -> list[Said]:
    """The spans ``claim`` states that its dates and ``other``'s imply."""
    said = said_spans(claim)
    if not said:
        return []
    mine, theirs = dates(claim), dates(other)
    return [s for s in said if held(s, mine, theirs)]
