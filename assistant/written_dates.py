"""The dates a text writes, as precise as it writes them: "5 October 2021", "October 5, 2021", "2–15 July" (both
ends), "March 2019", a bare "2019", "6/19/2020", "2020-06-19". A day written without a year takes the nearest year
written beside it. Read by regex; :mod:`assistant.intervals` does the arithmetic over them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
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
# A date in figures: "6/19/2020" (month first, as American pages write it, unless the first number cannot be a
# month: "19/6/2020"), "2020-06-19". Only with a four-digit year: "6/19" alone may be a score or a share.
_SLASHED = re.compile(rf"(?<![\d/.])(\d{{1,2}})/(\d{{1,2}})/({_YEAR})(?![\d/])")
_ISO = re.compile(rf"(?<![\d-])({_YEAR})-(\d\d)-(\d\d)(?![\d-])")


@dataclass(frozen=True)
class When:
    """A date as precise as it is written: a year, a month of a year, or a day."""

    year: int
    month: int | None = None
    day: int | None = None
    since: bool = False  # written after "since": where a "first time in N years" counts from
    yearless: bool = False  # a day its text writes no year for: the year (2000) stands in until one is known
    # its own words give its year (a day without one takes the year beside it); not part of what the date is
    year_written: bool = field(default=True, compare=False)

    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


def _numeric(m: re.Match) -> tuple[int, int, int] | None:
    """(year, month, day) of a date in figures, or None when it is no date."""
    if m.re is _ISO:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        month, day = (a, b) if a <= 12 else (b, a)
    try:
        date(year, month, day)
    except ValueError:
        return None
    return year, month, day


@lru_cache(maxsize=8192)
def spelled_numeric(text: str) -> str:
    """``text`` with each date in figures written out ("6/19/2020" -> "June 19, 2020"), so that its month is a
    word and its day and year numbers, as in a written date."""
    def spell(m: re.Match) -> str:
        found = _numeric(m)
        return f"{calendar.month_name[found[1]]} {found[2]}, {found[0]}" if found else m.group()

    if "/" not in text and "-" not in text:
        return text
    return _ISO.sub(spell, _SLASHED.sub(spell, text))


@lru_cache(maxsize=8192)
def dates(text: str) -> tuple[When, ...]:
    """Every date ``text`` writes, in order; a day without a year takes the nearest year written beside it ("on 5
    October 2021 ... on 19 October"), and a range ("2–15 July") gives both its ends."""
    return tuple(dict.fromkeys(w for _, _, w in written_at(text)))


@lru_cache(maxsize=8192)
def written_at(text: str) -> tuple[tuple[int, int, When], ...]:
    """(start, end, date) of each date ``text`` writes, in order."""
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
            month_n = MONTHS[month.lower().rstrip(".")]
            for d in (day, other):
                if d and 1 <= int(d) <= 31:
                    found.append((m.start(), m.end(), int(year) if year else None, month_n, int(d)))
            taken.append((m.start(), m.end()))
    for m in (*_SLASHED.finditer(text), *_ISO.finditer(text)):
        if free(m) and (ymd := _numeric(m)):
            found.append((m.start(), m.end(), *ymd))
            taken.append((m.start(), m.end()))
    for m in _MONTH_YEAR.finditer(text):
        if free(m):
            found.append((m.start(), m.end(), int(m.group(2)), MONTHS[m.group(1).lower().rstrip(".")], None))
            taken.append((m.start(), m.end()))
    for m in _BARE_YEAR.finditer(text):
        if free(m):
            found.append((m.start(), m.end(), int(m.group(1)), None, None))
    found.sort()
    out = []
    for start, end, year, month, day in found:
        yearless, year_written = False, year is not None
        if year is None:  # the nearest written year, before it first; none written: a stand-in one
            near = sorted((abs(s - start) + (0 if s < start else 0.5), y) for s, _, y, _, _ in found if y)
            year, yearless = (near[0][1], False) if near else (2000, True)
        try:
            when = When(year, month, day, bool(_SINCE.search(text[max(0, start - 40): start])), yearless, year_written)
            when.last()
        except ValueError:
            continue
        out.append((start, end, when))
    return tuple(out)


def date_line(text: str) -> tuple[int, int, When] | None:
    """(start, end, date) of the date line a text opens with ("Jan 12, 2017 ... Nintendo has revealed", "LONDON,
    5 October 2021 (Reuters) - "): a full day among its first words, before any sentence ends, set apart from
    what follows. It says when the text was written, not when what it tells happened."""
    first = written_at(text)[:1]
    return next(((start, end, w) for start, end, w in first if start < 40 and w.day and not w.yearless
                 and "." not in text[:start] and len(text[:start].split()) <= 5
                 and _SET_APART.match(text, end)), None)


# What closes a date line: an ellipsis, a full stop ("Updated 9:25 AM, Tue August 24, 2021."), a dash, a colon,
# a bracket ("(Reuters)"), or the end of the line.
_SET_APART = re.compile(r"\s*(?:\.\.\.|…|\.(?=\s|$)|[-–—:(|]|\n|$)")
