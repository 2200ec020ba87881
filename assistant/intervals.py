"""Spans and counts a text states by arithmetic over its own dates and numbers: "four years later" between
"August 2014" and "November 2018", "three days before the Masters" from "April 5" to the date the passage gives the
Masters, "the same year" beside one year, "all but two of 22" for "20 of 22", "for the first time in 75 years"
beside "since 1943" and a 2018 dateline; and the dates a passage implies ("10 years ago" under its date line, "two
weeks later" after its date). Read by regex; the fact check (claims.py) and the addition check (coverage.py) count a
span held here as stated. Hedges are checked against the real gap, and a span compared with a norm ("a month later
than usual") is no gap between dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .written_dates import MONTHS, When, date_line, dates, written_at

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
_SAME = re.compile(r"\b(?:the\s+)?same\s+(day|week|month|year)\b", re.I)
_ALL_BUT = re.compile(rf"\ball\s+but\s+{_COUNT}\s+of\s+(?:the\s+|its\s+|their\s+)?(?:last\s+|past\s+|first\s+)?"
                      r"(\d+|[a-z]+)\b", re.I)
_AFTER = re.compile(r"\s+(?:later|earlier|after|before|afterwards|apart|on)\b(?!\s+than)", re.I)
_THAN = re.compile(r"\s+(?:later|earlier|sooner|longer|shorter)\s+than\b", re.I)
_FIRST_IN = re.compile(r"\bfirst\s+(?:\w+\s+){0,3}in\s+$", re.I)
_WAY = {"before": "before", "earlier": "before", "after": "after", "later": "after", "afterwards": "after"}
# what a claim's "N days before <event>" names, up to the clause's end
_TAIL = re.compile(r"[^,.;:!?()]*")
_TAIL_WORD = re.compile(r"\b[A-Za-z][A-Za-z'’-]+\b")
_LIGHT = frozenset("the a an of in on at to for its their his her this that these those it itself gets get got "
                   "began begin begins start starts started way under takes took was were is are be been will would "
                   "and or but with from by".split())
_WEEKDAYS = frozenset(d.lower() for d in (*calendar.day_name, *calendar.day_abbr))
_RELATIVE = re.compile(r"\s+(ago|later|earlier)\b", re.I)  # a passage's "10 years ago", "two weeks later"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")
_THE_DAY = re.compile(r"\b(?:the|that)\s+day(?:'s|’s)?(?!\s+(?:before|after)\b)", re.I)
_NAMES_A_DAY = re.compile(r"\b(?:today|tonight|yesterday|(?:on|last|this)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)"
                          r"day|(?:that|the)\s+day)\b", re.I)


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
    way: str = ""  # "before" / "after": on which side of the other end the claim's date lies
    tail: frozenset[str] = frozenset()  # the words naming the other end ("before the 2021 Masters": masters)


@dataclass(frozen=True)
class Dated:
    """A date a passage writes or implies, with the words of its sentence (what it dates); ``line``: the
    passage's date line (when it was written, not when what it tells happened); ``implied``: the relative span it
    is read from ("10 years ago") when it is not written."""

    when: When
    words: frozenset[str]
    line: bool = False
    implied: str = ""
    at: int = -1  # where the implied one's span is written
    anchor: str = ""  # the date it counts from, as written


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


def _words(text: str) -> frozenset[str]:
    """What a phrase names, its dates' words aside (a month names no event)."""
    return frozenset(w.lower() for w in _TAIL_WORD.findall(text) if w.lower() not in _LIGHT and len(w) > 2
                     and w.lower().rstrip(".") not in MONTHS and w.lower() not in _WEEKDAYS)


@lru_cache(maxsize=4096)
def dated(text: str) -> tuple[Dated, ...]:
    """The dates a passage writes, and those its relative spans imply: "10 years ago" from its date line, "two
    weeks later" / "earlier" from the date written last before it; each with the words of its sentence."""
    written = written_at(text)
    bounds = [0] + [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]

    def words_at(at: int) -> frozenset[str]:
        i = max(k for k in range(len(bounds) - 1) if bounds[k] <= at)
        return _words(text[bounds[i]: bounds[i + 1]])

    line = date_line(text)
    out = [Dated(w, words_at(start), (start, end, w) == line) for start, end, w in written]
    for m in _SPAN.finditer(text):
        rel, count = _RELATIVE.match(text, m.end()), _count(m.group(2))
        if not rel or count is None or m.group(1):  # a hedged span implies no one date
            continue
        base, factor = _UNITS[m.group(3).lower()]
        way = rel.group(1).lower()
        before = [d for d in written if d[0] < m.start() and d != line]
        if not (found := line if way == "ago" else (before[-1] if before else None)):
            continue
        anchor = found[2]
        n = count * factor * (1 if way == "later" else -1)
        if base == "year":  # "10 years ago" is rounded: a year, not a day
            when = When(anchor.year + n)
        elif base == "month" and anchor.month:
            months = anchor.year * 12 + anchor.month - 1 + n
            when = When(months // 12, months % 12 + 1)
        elif anchor.day:
            when = _day(anchor.first() + timedelta(days=n * (7 if base == "week" else 1)), anchor)
        else:
            continue
        out.append(Dated(when, words_at(m.start()), implied=text[m.start(): rel.end()], at=m.start(),
                         anchor=text[found[0]: found[1]]))
    return tuple(out)


def _day(d: date, like: When) -> When:
    return When(d.year, d.month, d.day, yearless=like.yearless)


def implied_numbers(found: tuple[Dated, ...]) -> dict[str, str]:
    """The years and days relative spans imply ("2011" for "10 years ago" under an August 2021 date line, "19"
    for "two weeks later" after "5 October"), as the fact check keys them -> the span as written."""
    out = {}
    for d in found:
        if d.implied:
            out |= {str(n): d.implied for n in (None if d.when.yearless else d.when.year, d.when.day) if n}
    return out


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
        way = _WAY.get(after.group().strip().lower(), "") if after else ""
        tail = _words(_TAIL.match(claim, after.end()).group()) if way else frozenset()
        out.append(Said(float(n), base, (m.group(1) or "").lower(), str(n), m.start(), after.end() if after else
                        m.end(), bool(_FIRST_IN.search(claim[: m.start()])), way, tail))
    for m in _SAME.finditer(claim):
        out.append(Said(0.0, m.group(1).lower(), "same", "", m.start(), m.end()))
    for m in _THE_DAY.finditer(claim):  # "the day's results": held by a passage's "today's results"
        out.append(Said(0.0, "day", "the", "", m.start(), m.end()))
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


def _same(said: Said, mine: tuple[When, ...], theirs: tuple[Dated, ...]) -> bool:
    """"The same year" beside a year the claim states: the other text states that year and no other (so both
    of its facts have it), its date line aside when it states another."""
    def key(w: When) -> tuple:
        if said.base == "week":
            return tuple(w.first().isocalendar()[:2])
        return {"year": (w.year,), "month": (w.year, w.month), "day": (w.year, w.month, w.day)}[said.base]

    ours = {key(w) for w in mine if _precise(w, said.base)}
    told = [d for d in theirs if _precise(d.when, said.base)]
    their = {key(d.when) for d in ([d for d in told if not d.line] or told)}
    return len(ours) == 1 and their == ours


def _resolve(mine: tuple[When, ...], theirs: tuple[Dated, ...]) -> tuple[When, ...]:
    """The claim's days written with no year, given the year of the same day in the other text, else of its date
    line."""
    line = next((d.when.year for d in theirs if d.line), None)

    def year(w: When) -> When:
        same = [d.when.year for d in theirs if (d.when.month, d.when.day) == (w.month, w.day) and not d.when.yearless]
        y = same[0] if same else line
        return When(y, w.month, w.day, w.since) if y else w

    return tuple(year(w) if w.yearless else w for w in mine)


def held(said: Said, mine: tuple[When, ...], theirs: tuple[Dated, ...]) -> bool:
    """Whether a span the claim states is what the dates imply: the gap between two dates the claim states (the
    fact check sees that the passage states them too), each as precise as the span's unit ("a month later" is no
    gap between "2021" and "July 2021"); or from a date the claim states to one the other text gives what the
    span names ("three days before the Masters": a date in a sentence naming the Masters), on the side the span
    says; for "the first time in N years", from a year the other text writes after "since" to the claim's latest
    year, else the other's latest."""
    mine = _resolve(mine, theirs)
    if said.hedge == "same":
        return _same(said, mine, theirs)
    if said.hedge == "the":
        return False  # "the day's results": a reference, only the text can hold it (held_in)
    pairs = [(a, b) for i, a in enumerate(mine) for b in mine[i + 1:]]
    if said.first_in:
        since = [d.when for d in theirs if d.when.since]
        now = [w for w in mine if not w.since] or [d.when for d in theirs if not d.when.since]
        if since and now:
            pairs += [(s, max(now, key=When.first)) for s in since]
    if said.tail:  # the claim's date on the side the span says: "before" the other end is earlier
        ends = [d.when for d in theirs if not d.line and said.tail & d.words]
        pairs += [(a, b) for a in mine for b in ends if (a.first() < b.first()) == (said.way == "before")]
    return any(_fits(said, *_gap(a, b, said.base)) for a, b in pairs
               if _precise(a, said.base) and _precise(b, said.base) and a.first() != b.first())


def _precise(w: When, base: str) -> bool:
    return (base == "year" and not w.yearless) or (w.month is not None and (base == "month" or w.day is not None))


def held_in(claim: str, other: str) -> list[Said]:
    """The spans ``claim`` states that its dates and ``other``'s imply."""
    said = said_spans(claim)
    if not said:
        return []
    mine, theirs = dates(claim), dated(other)
    return [s for s in said if held(s, mine, theirs) or (s.hedge == "the" and _NAMES_A_DAY.search(other))]
