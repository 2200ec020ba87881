"""Comparisons and changes read by their sides: what each side of "more than" or "nine times as much as" holds
(its words, names and numbers, from the parse), and which way an amount went ("up 27 percent", "$40 million less
than in 2018", "halved", "was more than double what"). :func:`conflict` finds a comparison turned round or a change
stated the wrong way, and (:mod:`.bounds`) an amount's bound or a numbered rank stated the other way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import bounds, sequence
from .arcs import Sentence, sentence
from .claims import numbers
from .cues import _DIRECTION
from .roles import Conflict

# comparative -> (what is compared, +1 more / -1 less): only words of one dimension stand for one another
COMPARATIVES = {"more": ("amount", 1), "greater": ("amount", 1), "larger": ("amount", 1), "bigger": ("amount", 1),
                "higher": ("amount", 1), "less": ("amount", -1), "fewer": ("amount", -1), "smaller": ("amount", -1),
                "lower": ("amount", -1), "older": ("age", 1), "younger": ("age", -1), "longer": ("length", 1),
                "shorter": ("length", -1), "faster": ("speed", 1), "slower": ("speed", -1), "better": ("quality", 1),
                "worse": ("quality", -1), "cheaper": ("price", -1), "costlier": ("price", 1)}
# "N times as much as", "half as large as": the word after the first "as", and which way it points
_AS_WORDS = {"much": 1, "many": 1, "large": 1, "big": 1, "high": 1, "great": 1, "small": -1, "low": -1}
_FRACTIONS = {"half", "third", "quarter", "fifth", "tenth", "percent", "%", "dozen", "share", "proportion",
              "fraction", "majority", "minority", "lot", "bit"}
_FACTORS = {"twice": Decimal(2), "thrice": Decimal(3), "half": Decimal("0.5"), "quarter": Decimal("0.25")}
# the other side of "less than in 2018", "more than the year before" is an earlier time: a change, not two parties
_TIMES = {"year", "month", "quarter", "week", "day", "season", "period", "decade", "time", "before", "earlier", "ago"}
_TIME_WORDS = _TIMES | {"last", "previous", "prior", "in", "the", "a", "same", "over", "of", "at", "this"}
# verbs that state a change by a factor; the rest are the direction words of :mod:`.cues`
_FACTOR_VERBS = {"double": 1, "triple": 1, "treble": 1, "quadruple": 1, "halve": -1}
_AMOUNT_ARCS = {"npadvmod", "nummod", "compound", "amod", "dobj", "quantmod"}


@dataclass(frozen=True)
class Sides:
    """One comparison: key -> weight of the side said to be more and of the side said to be less, and the
    noun counted on each side ("times", "laureates") when there is one."""

    dimension: str
    higher: dict[str, int]
    lower: dict[str, int]
    higher_noun: str
    lower_noun: str
    phrase: str  # the comparison as written, with the subject of its verb
    holder: int  # +1: the sentence's own side is the higher one ("more than"), -1: the lower ("fewer than")


@dataclass(frozen=True)
class Change:
    """An amount said to go up (+1) or down (-1), by how much (canonical numbers) and of what (keys)."""

    polarity: int
    amount: frozenset[str]
    about: frozenset[str]
    names: frozenset[str]  # those of ``about`` that are names or numbers: whose, not what
    phrase: str


@lru_cache(maxsize=4096)
def comparisons(text: str) -> tuple[Sides, ...]:
    s = sentence(text)
    out = []
    for tok in s.t:
        low = tok.text.lower()
        if low in COMPARATIVES and tok.pos in ("ADJ", "ADV"):
            dim, pol = COMPARATIVES[low]
            other = s.other_side(tok.i, "than")
            if other is None or s.t[tok.head].pos == "NUM" or tok.dep == "quantmod":  # "more than 40,000 chips"
                continue
            than, theirs = other
            cue = s.subtree(tok.i)
        elif low in _AS_WORDS and (first := next((c for c in s.kids[tok.i] if c.lemma == "as" and c.i < tok.i),
                                                  None)):
            factor, start = _factor(s, first.i)
            other = s.other_side(tok.i, "as")
            if factor is None or factor == 1 or other is None:
                continue  # "as much as" with no multiplier says they are alike
            dim, pol = "amount", _AS_WORDS[low] * (1 if factor > 1 else -1)
            than, theirs = other
            cue = s.subtree(tok.i) | set(range(start, tok.i + 1))
        else:
            continue
        if _is_quantity(s, theirs) or _is_time(s, theirs):
            continue  # "more than $5 million": a quantity (the fact check's); "less than in 2018": a change
        head = s.predicate(tok.i)
        mine = s.clause(head) - theirs - cue - {than}
        holder_noun = _counted_by(s, tok)
        hi, lo = (mine, theirs) if pol > 0 else (theirs, mine)
        nouns = (holder_noun, s.counted(theirs)) if pol > 0 else (s.counted(theirs), holder_noun)
        subj = {i for c in s.kids[head] if c.dep in ("nsubj", "nsubjpass") for i in s.subtree(c.i)} - theirs
        out.append(Sides(dim, s.keys(hi), s.keys(lo), *nouns, s.text(subj | {head} | cue | {than} | theirs), pol))
    return tuple(out) + _multiples(s, text) + _orders(s)


def _orders(s: Sentence) -> tuple[Sides, ...]:
    """Time orders (:mod:`.sequence`) as comparisons of dates: the later side is the higher one."""
    return tuple(Sides("time", s.keys(later), s.keys(earlier), "", "", s.text(earlier | later | cue), pol)
                 for earlier, later, cue, pol in sequence.orders(s))


_MULTIPLE = re.compile(r"\b(?:is|was|are|were|been)\s+(?:(?:more|less) than |nearly |almost |about |roughly |over )?"
                       r"(double|twice|triple|treble|half|a third of|a quarter of|a tenth of|\w+ times)\s+"
                       r"(?:what|that of|those of)\s", re.I)


def _multiples(s: Sentence, text: str) -> tuple[Sides, ...]:
    """"X was more than double what Y brought in", "X is half that of Y": the sides of a multiple read from the
    words (the parser hangs them anywhere): what comes before the copula in its sentence, what comes after "what"."""
    out = []
    for m in _MULTIPLE.finditer(text):
        begin = max(text.rfind(stop, 0, m.start()) for stop in (". ", "; ", ": ", "... ")) + 1
        ends = [at for stop in (". ", "; ", "... ") if (at := text.find(stop, m.end())) >= 0]
        end = min(ends, default=len(text))
        left = {t.i for t in s.t if begin <= t.start < m.start()}
        right = {t.i for t in s.t if m.end() <= t.start < end}
        said = {t.i for t in s.t if m.start() <= t.start < m.end()}
        word = m.group(1).lower()
        if not left or not right or (word.endswith("times") and not numbers(word.split()[0])):
            continue
        pol = -1 if word in ("half", "a third of", "a quarter of", "a tenth of") else 1
        hi, lo = (left, right) if pol > 0 else (right, left)
        out.append(Sides("amount", s.keys(hi), s.keys(lo), "", "", s.text(left | said | right), pol))
    return tuple(out)


def _factor(s: Sentence, first_as: int) -> tuple[Decimal | None, int]:
    """The multiplier right before "as much as" ("nine times", "twice", "half") and where it starts."""
    j = first_as - 1
    if j >= 1 and s.t[j].lemma in ("time", "fold"):
        found = numbers(s.t[j - 1].text)
        return (Decimal(next(iter(found))), j - 1) if found else (None, j)
    if j >= 0 and s.t[j].text.lower() in _FACTORS:
        return _FACTORS[s.t[j].text.lower()], j
    return None, first_as


def _counted_by(s: Sentence, tok) -> str:
    """The noun a comparative counts: the one it modifies ("more times"), else its copula's subject."""
    head = s.t[tok.head]
    if tok.dep == "amod" and head.pos == "NOUN":
        return s.stem(head.i)
    if tok.dep in ("acomp", "attr") and head.pos == "AUX":
        subj = next((c for c in s.kids[head.i] if c.dep in ("nsubj", "nsubjpass")), None)
        return s.stem(subj.i) if subj is not None and subj.pos == "NOUN" else ""
    return ""


def _is_quantity(s: Sentence, idx: set[int]) -> bool:
    """"than $5 million", "than a third of the seats", "than 40 percent": a share or an amount, not a party."""
    top = [s.t[i] for i in idx if s.t[i].head not in idx or s.t[i].head == i]
    return not s.keys(idx, numbers_too=False) or any(t.lemma in _FRACTIONS for t in top)


def _is_time(s: Sentence, idx: set[int]) -> bool:
    words = [s.t[i] for i in idx if s.t[i].pos != "PUNCT"]
    timed = [t.ent in ("DATE", "TIME") or t.lemma in _TIMES for t in words]
    return any(timed) and all(d or t.text.lower() in _TIME_WORDS for t, d in zip(words, timed, strict=True))


@lru_cache(maxsize=4096)
def changes(text: str) -> tuple[Change, ...]:
    s = sentence(text)
    out = []
    for tok in s.t:
        low, kids = tok.text.lower(), s.kids[tok.i]
        if any(c.dep == "neg" for c in kids):
            continue  # "did not rise" is not "fell"
        spans = {tok.i}
        if tok.pos == "VERB" and tok.lemma in _FACTOR_VERBS:
            pol = _FACTOR_VERBS[tok.lemma]
        elif tok.lemma in ("up", "down") and tok.dep == "advmod" and any(
                (c.dep == "npadvmod" or c.lemma == "from") and numbers(s.text(s.subtree(c.i))) for c in kids):
            pol = 1 if tok.lemma == "up" else -1  # "up 27 percent", "down from $7 million" (not "step down from")
        elif low in COMPARATIVES and COMPARATIVES[low][0] == "amount" and tok.pos in ("ADJ", "ADV"):
            other = s.other_side(tok.i, "than")
            if other is None or not _is_time(s, other[1]) or _is_change(s.t[s.predicate(tok.i)]):
                continue  # "grew less than in 2020" compares two changes
            pol = COMPARATIVES[low][1]
            spans |= {other[0]} | other[1]
        elif (found := _DIRECTION.get(tok.lemma)) and found[0] == "change" and low not in COMPARATIVES and (
                tok.pos in ("VERB", "NOUN") or _modifies_change(s, tok)) and not any(c.dep == "xcomp" for c in kids):
            pol = found[1]  # "declined to comment" is no change
        else:
            continue
        amount = set()
        for c in kids:
            if c.dep in _AMOUNT_ARCS or (c.dep == "prep" and c.lemma in ("by", "of")):
                part = s.subtree(c.i)
                if numbers(s.text(part)) and not any(s.t[i].ent == "DATE" for i in part):
                    amount |= part
        about = s.keys(_about(s, tok) - amount - spans)
        out.append(Change(pol, frozenset(numbers(s.text(amount))), frozenset(about),
                          frozenset(k for k, w in about.items() if w > 1), s.text(spans | amount)))
    return tuple(out)


def _is_change(tok) -> bool:
    found = _DIRECTION.get(tok.lemma)
    return tok.lemma in _FACTOR_VERBS or bool(found and found[0] == "change")


def _modifies_change(s: Sentence, tok) -> bool:
    """"the slowing advancement", "swift progress": a direction word describing the noun that changes (not a
    change noun that says its own direction, as in "a rapid decline")."""
    head = s.t[tok.head]
    return tok.dep == "amod" and tok.pos in ("ADJ", "VERB") and head.pos == "NOUN" and head.lemma not in _DIRECTION


def _about(s: Sentence, tok) -> set[int]:
    """The tokens that say what changed: the subject and object of the change (of the verb it modifies, for
    "up", "down" and "less than in 2018"), the owner of a change noun ("WhatsApp's growth", "growth in sales"), or
    the noun a direction word describes ("the shrinking global audience")."""
    if _modifies_change(s, tok):
        return s.subtree(tok.head) - s.subtree(tok.i)
    idx: set[int] = set()
    if tok.pos == "NOUN":
        for c in s.kids[tok.i]:
            if c.dep in ("poss", "compound") or (c.dep == "prep" and c.lemma in ("of", "in")):
                idx |= s.subtree(c.i)
        if tok.dep not in ("dobj", "attr", "pobj"):
            return idx
    verb = tok if tok.pos == "VERB" else s.t[s.predicate(tok.i)]
    for c in s.kids[verb.i]:
        if c.dep in ("nsubj", "nsubjpass", "dobj") or (c.dep == "prep" and c.lemma == "in"):
            idx |= s.subtree(c.i)
    return idx - {tok.i}


def _weight(keys: set[str], *sides: dict[str, int]) -> int:
    return sum(max(side.get(k, 0) for side in sides) for k in keys)


def _turned_round(c: Sides, u: Sides) -> bool:
    """Whether the claim puts on the higher side what the unit puts on the lower one, and back. Keys that are
    on both sides of one sentence ("revenue" in "X's revenue beat Y's revenue") tell nothing."""
    ch, cl = set(c.higher) - set(c.lower), set(c.lower) - set(c.higher)
    uh, ul = set(u.higher) - set(u.lower), set(u.lower) - set(u.higher)
    cross_a, cross_b = _weight(ch & ul, c.higher, u.lower), _weight(cl & uh, c.lower, u.higher)
    straight = _weight(ch & uh, c.higher, u.higher) + _weight(cl & ul, c.lower, u.lower)
    return cross_a > 0 and cross_b > 0 and cross_a + cross_b > straight


def compared_alike(claim: str, unit: str) -> bool:
    """Whether the two state one comparison from its two ends ("A handled fewer trains than B" and "B handled
    more trains than A", "twice as much as" and "half as much as", "X came out a week after Y" and "Y came out a
    week before X"): then their subjects differ by right."""
    for c in comparisons(claim):
        for u in comparisons(unit):
            if u.dimension != c.dimension or u.holder == c.holder or _turned_round(c, u):
                continue
            ch, cl = set(c.higher) - set(c.lower), set(c.lower) - set(c.higher)
            uh, ul = set(u.higher) - set(u.lower), set(u.lower) - set(u.higher)
            if ch & uh and cl & ul:
                return True
    return False


def _overlap(c: Sides, u: Sides) -> int:
    mine, theirs = set(c.higher) | set(c.lower), set(u.higher) | set(u.lower)
    return len(mine & theirs)


def _by_counts(c: Sides, unit: str) -> Conflict | None:
    """"awarded more times than there were laureates" against "awarded 115 times to 119 laureates"."""
    if not c.higher_noun or not c.lower_noun or c.higher_noun == c.lower_noun:
        return None
    counts = sentence(unit).counts()
    hi, lo = counts.get(c.higher_noun), counts.get(c.lower_noun)
    if hi is None or lo is None or hi[0] > lo[0]:
        return None
    return Conflict("comparison", f"the passage gives {hi[1]} and {lo[1]}; the answer says otherwise "
                                  f"(\"{c.phrase}\")")


def conflict(claim: str, unit: str) -> Conflict | None:
    mine, theirs = comparisons(claim), comparisons(unit)
    for c in mine:
        same = [u for u in theirs if u.dimension == c.dimension and _overlap(c, u)]
        if same:
            u = max(same, key=lambda u: _overlap(c, u))
            if _turned_round(c, u):
                return Conflict("comparison", f"the passage says \"{u.phrase}\"; the answer turns the comparison "
                                              f"round (\"{c.phrase}\")")
        elif found := _by_counts(c, unit):
            return found
    if dated := sequence.misdated(sentence(claim), unit):
        return Conflict("comparison", f"the passage dates {dated}; the answer puts them the other way round")
    return _changed(changes(claim), changes(unit)) or bounds.conflict(claim, unit)


def _changed(mine: tuple[Change, ...], theirs: tuple[Change, ...]) -> Conflict | None:
    """A change the claim states the other way round: the unit's change by the same amount, else about the
    same thing, goes the other way (and no such change of the unit goes the claim's way)."""
    for c in mine:
        scored = []
        for u in theirs:
            if c.amount and u.amount and not c.amount & u.amount:
                continue  # another change
            same = bool(c.amount & u.amount)
            if same or (c.about & u.about) - c.names - u.names:  # "Tesla's profit" is not "Tesla's revenue"
                scored.append((3 * same + len(c.about & u.about), u))
        if not scored:
            continue
        best = max(score for score, _ in scored)
        top = [u for score, u in scored if score == best]
        if all(u.polarity != c.polarity for u in top):
            return Conflict("direction", f"the passage says \"{top[0].phrase}\"; the answer says the reverse "
                                         f"(\"{c.phrase}\")")
    return None
