"""Time order read by its sides: "X was released a week before Y", "ahead of", "after", "earlier / later than",
"prior to", "X preceded Y", "X was followed by Y", "After Y, X ...", "X begins once Y has ended". Each is a
comparison of two sides' dates, read from the words (parsers hang these cues anywhere); :mod:`.contrasts` turns
them into its sides, so that the sides swapped are a comparison turned round and the two ends of one order ("X came
before Y", "Y came after X") agree; :func:`misdated` checks an order against the dates a passage gives each side.
"""

from __future__ import annotations

import re

from .arcs import Sentence
from .lexical import tokenize

# cue words -> -1: the side before the cue is the earlier one; +1: the later one
CUES: dict[tuple[str, ...], int] = {
    ("before",): -1, ("ahead", "of"): -1, ("prior", "to"): -1, ("earlier", "than"): -1, ("sooner", "than"): -1,
    ("in", "advance", "of"): -1, ("preceded",): -1, ("precedes",): -1, ("predated",): -1, ("predates",): -1,
    ("followed", "by"): -1, ("follows", "by"): -1,
    ("after",): 1, ("beyond",): 1, ("past",): 1, ("later", "than"): 1, ("following",): 1, ("followed",): 1,
    ("follows",): 1,
    ("preceded", "by"): 1, ("postdated",): 1, ("postdates",): 1, ("once",): 1, ("as", "soon", "as"): 1}
_MARKS_ONLY = {"once"}  # a cue only as the conjunction opening a clause ("X begins once Y ends"; not "was once")
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
        if s.t[i].dep == "amod" or low[i] in _MARKS_ONLY and s.t[i].dep != "mark":  # "the following year"
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


# "April 8-11", "Apr. 5, 2021", "June 2011", "2012": the first and last day each names, (year or 0, month, day)
_DATE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})"
                   r"(?:\s*[-–]\s*(\d{1,2}))?\b(?:,?\s+((?:1[89]|20)\d\d)\b)?", re.I)
_MONTH_YEAR = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:1[89]|20)\d\d)\b",
                         re.I)
_YEAR = re.compile(r"\b((?:1[89]|20)\d\d)\b")
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_CLAUSE_BREAK = re.compile(r"(?<=[.;!?])\s+|,\s+(?=(?:and|but|while|whereas|with)\s)")
MIN_SHARED = 2  # content words a side must share with the passage's clause that dates it


def days(text: str) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """The spans of days the text names, most precise first: a day, a month of a year, a year."""
    out, taken = [], []
    for m in _DATE.finditer(text):
        year, month = int(m.group(4) or 0), _MONTHS.index(m.group(1).lower()[:3])
        out.append(((year, month, int(m.group(2))), (year, month, int(m.group(3) or m.group(2)))))
        taken.append(m.span())
    for m in _MONTH_YEAR.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            month = _MONTHS.index(m.group(1).lower()[:3])
            out.append(((int(m.group(2)), month, 1), (int(m.group(2)), month, 31)))
            taken.append(m.span())
    for m in _YEAR.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            out.append(((int(m.group(1)), 0, 1), (int(m.group(1)), 11, 31)))
    return out


def misdated(claim: Sentence, unit: str) -> str:
    """A time order of the claim that the passage's own dates turn round ("practice begins once the tournament
    has finished" against "the tournament runs April 8-11" and "practice rounds begin April 5"): each side is
    dated by the passage's clause that shares most of its words, or that gives the date it names itself ("came
    before its June 2011 release"). The two clauses in the passage's order, or ""."""
    clauses = []
    for text in _CLAUSE_BREAK.split(unit):
        if found := days(text):
            clauses.append((text, set(tokenize(text)), found[0]))
    if len(clauses) < 2:
        return ""
    for earlier, later, _cue, _pol in orders(claim):
        own = [_named(claim, side, clauses) for side in (earlier, later)]
        dated = [o or _dated(claim, side, [c for c in clauses if not any(c is d for d in own)])
                 for o, side in zip(own, (earlier, later), strict=True)]
        if None in dated or dated[0] is dated[1]:
            continue
        (first_text, _, (first, _)), (last_text, _, (_, last)) = dated
        if (first[0] == 0) == (last[0] == 0) and last < first:  # a year on both sides or on neither
            return f"\"{last_text.strip()}\" before \"{first_text.strip()}\""
    return ""


def _named(claim: Sentence, side: set[int], clauses):
    """The passage's one clause that gives the date the side names itself ("its June 2011 release"), or None."""
    own = days(claim.text(side))
    named = [c for c in clauses if own and own[0] == c[2]]  # the date the clause is about ("2021 Masters" is not)
    return named[0] if len(named) == 1 else None


def _dated(claim: Sentence, side: set[int], clauses):
    """The clause (among those no side names by its date) that shares most words with the side."""
    if not clauses:
        return None
    words = {w for w in tokenize(claim.text(side)) if not w[0].isdigit() and w[:3] not in _MONTHS}
    scored = sorted(((len(words & c[1]), i) for i, c in enumerate(clauses)), reverse=True)
    best, i = scored[0]
    if best < MIN_SHARED or (len(scored) > 1 and best == scored[1][0]):
        return None
    return clauses[i]
