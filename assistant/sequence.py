"""Time order read by its sides: "X was released a week before Y", "ahead of", "after", "earlier / later than",
"prior to", "X preceded Y", "X was followed by Y", "After Y, X ...", "X begins once Y has ended". Each is a
comparison of two sides' dates, read from the words (parsers hang these cues anywhere); :mod:`.contrasts` turns
them into its sides, so that the sides swapped are a comparison turned round and the two ends of one order ("X came
before Y", "Y came after X") agree; :func:`misdated` checks an order against the dates a passage gives each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .arcs import Sentence
from .lexical import tokenize
from .written_dates import MONTHS, When, written_at

# cue words -> -1: the side before the cue is the earlier one; +1: the later one
CUES: dict[tuple[str, ...], int] = {
    ("before",): -1, ("ahead", "of"): -1, ("prior", "to"): -1, ("earlier", "than"): -1, ("sooner", "than"): -1,
    ("in", "advance", "of"): -1, ("preceded",): -1, ("precedes",): -1, ("predated",): -1, ("predates",): -1,
    ("followed", "by"): -1, ("follows", "by"): -1,
    ("after",): 1, ("beyond",): 1, ("past",): 1, ("later", "than"): 1, ("following",): 1, ("followed",): 1,
    ("follows",): 1,
    ("preceded", "by"): 1, ("postdated",): 1, ("postdates",): 1, ("once",): 1, ("as", "soon", "as"): 1}
_MARKS_ONLY = {"once"}  # a cue only as the conjunction opening a clause ("X begins once Y ends"; not "was once")
# a cue only as a preposition whose object is a time ("past the deadline", "beyond March"; not "past Spain")
_TIME_OBJECT_ONLY = {"past", "beyond"}
# what a time is called when it is not written as a date ("past the deadline", "beyond the end of the season")
_TIME_POINTS = {"deadline", "end", "start", "beginning", "close", "finish", "launch", "release", "opening", "expiry",
                "expiration", "date", "cutoff", "midnight", "noon", "dawn", "dusk"}
# a span of time ("over the past 12 months", "the past two years"): how long, not after what
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "fortnight", "month", "quarter", "year", "decade",
               "century", "millennium"}
_LONGEST = max(len(k) for k in CUES)
_STOPS = {".", ";", "...", "…", "!", "?"}  # a sentence ends: a side goes no further
_OPENERS = {"and", "but", "while", "whereas", "although", "though"}  # after a comma: another statement begins
_MEASURE = {"DATE", "TIME"}  # "a week before", "four years after": how far apart, on neither side
_HEDGES = {"nearly", "almost", "about", "just", "only", "some", "roughly", "around", "exactly", "shortly", "soon",
           "long", "well", "right", "immediately"}


def orders(s: Sentence) -> list[tuple[set[int], set[int], set[int], int]]:
    """(tokens of the earlier side, of the later side, of the cue, -1 when the side before the cue is the earlier
    one / +1 when it is the later one) for each time order the sentence states."""
    out = []
    low = [t.text.lower() for t in s.t]
    i = 0
    while i < len(s.t):
        found = next(((n, CUES[k]) for n in range(_LONGEST, 0, -1) if (k := tuple(low[i:i + n])) in CUES), None)
        if found is None:
            i += 1
            continue
        n, pol = found
        if s.t[i].dep == "amod" or low[i] in _MARKS_ONLY and s.t[i].dep != "mark" \
                or low[i] in _TIME_OBJECT_ONLY and not _governs_time(s, i):  # "the following year", "past Spain"
            i += n
            continue
        cue = set(range(i, i + n))
        begin, end = _start(s, i), _end(s, i + n)
        stop = i  # "a week", "nearly four years" right before the cue: the distance, on neither side
        while stop > begin and (s.t[stop - 1].ent in _MEASURE and s.t[stop - 1].pos != "PUNCT"
                                or s.t[stop - 1].lemma in _HEDGES):
            stop -= 1
        left = [j for j in range(begin, stop) if s.t[j].pos != "PUNCT"]
        right = set(range(i + n, end))
        if not s.keys(set(left)):  # "After Y, X ...": the cue opens the statement; its clause runs to the comma
            comma = next((j for j in sorted(right) if s.t[j].text == ","), None)
            if comma is None:
                i += n
                continue
            left, right = list(range(comma + 1, end)), set(range(i + n, comma))
        if s.keys(set(left)) and s.keys(right):
            earlier, later = (set(left), right) if pol < 0 else (right, set(left))
            out.append((earlier, later, cue, pol))
        i += n
    return out


def _governs_time(s: Sentence, i: int) -> bool:
    """Token ``i`` is a preposition whose object is a date ("past 2030", "beyond the March 4 deadline") or a point
    in time ("past the end of the strike"), not a span ("past 12 months"), a place or a rival."""
    obj = next((k for k in s.kids[i] if k.dep == "pobj"), None)
    if s.t[i].pos != "ADP" or obj is None or obj.lemma.lower() in _TIME_UNITS:
        return False
    words = s.subtree(obj.i)
    return obj.lemma.lower() in _TIME_POINTS or any(s.t[j].ent in _MEASURE for j in words) \
        or bool(written_at(s.text(words)))


def _start(s: Sentence, i: int) -> int:
    """Where the statement holding token ``i`` begins: after the last sentence stop, or the comma and
    conjunction that open another statement."""
    for j in range(i - 1, -1, -1):
        if s.t[j].text in _STOPS:
            return j + 1
        if s.t[j].text.lower() in _OPENERS and j and s.t[j - 1].text == ",":
            return j + 1
    return 0


def _end(s: Sentence, i: int) -> int:
    for j in range(i, len(s.t)):
        if s.t[j].text in _STOPS:
            return j
        if s.t[j].text == "," and j + 1 < len(s.t) and s.t[j + 1].text.lower() in _OPENERS:
            return j
    return len(s.t)


_CLAUSE_BREAK = re.compile(r"(?<=[.;!?])\s+|,\s+(?=(?:and|but|while|whereas|with)\s)")
_MONTH_STEMS = frozenset(m[:3] for m in MONTHS)  # a word beginning so is taken for a month, not a shared word
MIN_SHARED = 2  # content words a side must share with the passage's clause that dates it


@dataclass(frozen=True)
class Span:
    """The days one written date covers ("April 8-11", "June 2011", "2012"), and whether it is written without a
    year (its days then stand in the year written beside them, or in a stand-in one)."""

    first: date
    last: date
    precision: int  # 0: a day or a range of days, 1: a month, 2: a year
    yearless: bool

    def names(self, other: Span) -> bool:
        """``other`` is the date this one writes: the same days, in the same year unless this one gives none
        ("April 5" names the passage's "April 5, 2021")."""
        if self.yearless:
            return self.precision == other.precision and self._days() == other._days()
        return self == other

    def _days(self) -> tuple[int, int, int, int]:  # (month, day) of the first and of the last
        return self.first.month, self.first.day, self.last.month, self.last.day


def written_spans(text: str) -> list[tuple[int, int, Span]]:
    """(start, end, span) of each date the text writes, in order, as :func:`.written_dates.written_at` reads them
    (a day without a year in the nearest year written beside it)."""
    whens_at: dict[tuple[int, int], list[When]] = {}  # a range ("April 8-11") is written once with two Whens
    for start, end, when in written_at(text):
        whens_at.setdefault((start, end), []).append(when)
    return [(start, end, Span(min(w.first() for w in whens), max(w.last() for w in whens), _precision(whens[0]),
                              any(not w.year_written for w in whens)))
            for (start, end), whens in whens_at.items()]


def _precision(when: When) -> int:
    return 0 if when.day else 1 if when.month else 2


def _most_precise_first(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda span: span.precision)


def days(text: str) -> list[Span]:
    """The spans of days the text names, most precise first: a day (or a range of days), a month of a year, a
    year."""
    return _most_precise_first([span for _, _, span in written_spans(text)])


def misdated(claim: Sentence, unit: str) -> str:
    """A time order of the claim that the passage's own dates turn round ("practice begins once the tournament
    has finished" against "the tournament runs April 8-11" and "practice rounds begin April 5"): each side is
    dated by the passage's clause that shares most of its words, or that gives the date it names itself ("came
    before its June 2011 release"). The two clauses in the passage's order, or ""."""
    clauses = _dated_clauses(unit)
    if len(clauses) < 2:
        return ""
    for earlier, later, _cue, _pol in orders(claim):
        own = [_named(claim, side, clauses) for side in (earlier, later)]
        dated = [o or _dated(claim, side, [c for c in clauses if not any(c is d for d in own)])
                 for o, side in zip(own, (earlier, later), strict=True)]
        if None in dated or dated[0] is dated[1]:
            continue
        (first_text, _, first), (last_text, _, last) = dated
        if first.yearless == last.yearless and last.last < first.first:  # a year on both sides or on neither
            return f"\"{last_text.strip()}\" before \"{first_text.strip()}\""
    return ""


def _dated_clauses(unit: str) -> list[tuple[str, set[str], Span]]:
    """(text, words, its most precise date) of each clause of ``unit`` that writes a date. The dates are read
    over the whole unit, so that a day without a year is dated in the year written beside it (it stays
    :attr:`Span.yearless`: :func:`misdated` compares it only with another day written without one)."""
    spans = written_spans(unit)
    out = []
    for start, end in _clause_bounds(unit):
        inside = [span for a, _, span in spans if start <= a < end]
        if inside:
            text = unit[start:end]
            out.append((text, set(tokenize(text)), _most_precise_first(inside)[0]))
    return out


def _clause_bounds(text: str) -> list[tuple[int, int]]:
    cuts = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)]
    starts = [0] + [b for _, b in cuts]
    ends = [a for a, _ in cuts] + [len(text)]
    return list(zip(starts, ends, strict=True))


def _named(claim: Sentence, side: set[int], clauses):
    """The passage's one clause that gives the date the side names itself ("its June 2011 release"), or None."""
    own = days(claim.text(side))
    named = [c for c in clauses if own and own[0].names(c[2])]  # the date the clause is about ("2021 Masters" is not)
    return named[0] if len(named) == 1 else None


def _dated(claim: Sentence, side: set[int], clauses):
    """The clause (among those no side names by its date) that shares most words with the side."""
    if not clauses:
        return None
    words = {w for w in tokenize(claim.text(side)) if not w[0].isdigit() and w[:3] not in _MONTH_STEMS}
    scored = sorted(((len(words & c[1]), i) for i, c in enumerate(clauses)), reverse=True)
    best, i = scored[0]
    if best < MIN_SHARED or (len(scored) > 1 and best == scored[1][0]):
        return None
    return clauses[i]
