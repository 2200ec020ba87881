"""Deterministic answer matching: normalised text, numbers in any spelling, groups of aliases.

No model judges anything here. Only exact rules, so a figure changes only when an answer does.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from assistant.prompts import CANNOT_ANSWER

# A number matches within 1% of the expected value, and never beyond the precision it is written
# with ("10.4 billion" accepts 10.43 billion, not 10.5); whole numbers below 10,000 (counts, days,
# years) must match exactly, or "2015" would accept "2005".
NUMBER_REL_TOL = Decimal("0.01")
EXACT_BELOW = Decimal(10_000)

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")

# Phrases an LLM uses to decline, for pipelines (the LlamaIndex baseline) that have no fixed phrase.
REFUSALS = (
    "do not contain", "does not contain", "doesn t contain", "not mentioned", "no information",
    "cannot answer", "can not answer", "unable to answer", "do not know", "don t know",
    "not provided", "not specified", "no mention",
)


def normalise(text: str) -> str:
    """Lower case, quotes folded, thousands separators dropped, punctuation to spaces (a decimal
    point between digits stays), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    text = re.sub(r"[^\w\s.]|_", " ", text)
    return " ".join(text.split())


def _number_word(token: str) -> bool:
    return token in _UNITS or token in _TENS or token == "hundred" or token in _SCALES


def _fold_number(tokens: list[str], i: int) -> tuple[Decimal | None, int]:
    """The number spelled from tokens[i] on ("forty thousand", "10.4 billion", "40000"), and the
    index after it; (None, i) when no number starts there."""
    total, current, j, seen, digits = Decimal(0), Decimal(0), i, False, False
    while j < len(tokens):
        t = tokens[j]
        if _DIGITS.fullmatch(t) and not seen:
            current, digits = Decimal(t), True
        elif (t in _UNITS or t in _TENS) and not digits:
            if current % (100 if t in _TENS else 10) != 0:
                break  # "two three" and "forty fifty" are two numbers each
            current += _UNITS.get(t, _TENS.get(t, 0))
        elif t == "hundred" and seen:
            current = (current or 1) * 100
        elif t in _SCALES and seen:
            total += (current or 1) * _SCALES[t]
            current = Decimal(0)
        elif t == "and" and seen and j + 1 < len(tokens) and _number_word(tokens[j + 1]):
            pass
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None, i
    return total + current, j


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def tokens(text: str) -> list[str | Decimal]:
    """Normalised words, with every spelled or written number folded into one Decimal."""
    # "October 19th, 2021" states the date "October 19 2021": a digit ordinal is its number.
    words = [_ORDINAL.sub(r"\1", w) for w in normalise(text).split()]
    out: list[str | Decimal] = []
    i = 0
    while i < len(words):
        value, j = _fold_number(words, i)
        if value is None:
            out.append(words[i])
            i += 1
        else:
            out.append(value)
            i = j
    return out


def numbers_match(expected: Decimal, got: Decimal) -> bool:
    if expected == expected.to_integral_value() and abs(expected) < EXACT_BELOW:
        return got == expected
    half_unit = Decimal(5).scaleb(expected.normalize().as_tuple().exponent - 1)
    return abs(got - expected) <= min(NUMBER_REL_TOL * abs(expected), half_unit)


def _same(expected: str | Decimal, got: str | Decimal) -> bool:
    if isinstance(expected, Decimal) and isinstance(got, Decimal):
        return numbers_match(expected, got)
    return expected == got


def contains_alias(text: str, alias: str) -> bool:
    """The alias occurs in the text as whole words, numbers compared by value."""
    want, have = tokens(alias), tokens(text)
    if not want:
        return False
    n = len(want)
    return any(all(_same(w, h) for w, h in zip(want, have[k:k + n], strict=True))
               for k in range(len(have) - n + 1))


def match_groups(text: str, groups: list[list[str]]) -> list[str | None]:
    """For each group of aliases, the first alias found in the text (None when none is)."""
    return [next((a for a in group if contains_alias(text, a)), None) for group in groups]


def answer_matches(text: str, groups: list[list[str]]) -> bool:
    """Every group is matched by one of its aliases (an empty list of groups never matches)."""
    return bool(groups) and all(m is not None for m in match_groups(text, groups))


def is_abstention(text: str, flagged: bool = False, refusals: bool = False) -> bool:
    """The answer declines: flagged by the pipeline, or says the one CANNOT_ANSWER phrase (or,
    with ``refusals``, any common refusal phrase)."""
    said = normalise(text)
    if flagged or normalise(CANNOT_ANSWER) in said:
        return True
    return refusals and any(r in said for r in REFUSALS)


def quote_holds(quote: str, evidence: str, min_overlap: int = 20) -> bool:
    """The quote contains the evidence span, or lies inside it (a quote of one of the sentences of
    an evidence span that crosses a sentence boundary)."""
    q, e = normalise(quote), normalise(evidence)
    if not q or not e:
        return False
    return e in q or (len(q) >= min_overlap and q in e)


def parse_number(text: str) -> Decimal | None:
    """The single number a text spells ("forty thousand" -> 40000), else None."""
    found = tokens(text)
    if len(found) == 1 and isinstance(found[0], Decimal):
        return found[0]
    return None


def as_decimal(value: str | int | float) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as e:
        raise ValueError(f"not a number: {value!r}") from e
