"""What an answer's sentences claim and cite: the facts that can be checked exactly (numbers, dates,
amounts, names) and the ``[n]`` markers.

Numbers are compared by value whatever their spelling ("40,000" / "40000" / "forty thousand",
"ten-fold" / "tenfold" / "10-fold", "$1.2 billion" / "1,200,000,000"); months count as names.
Also spots the sentences that are not claims at all: an abstention, or an instruction planted
in an article ("ignore previous instructions ...").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from . import intervals, written_dates
from .lexical import stopwords, tokenize
from .prompts import CANNOT_ANSWER
from .sentences import split_sentences

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_SCALES = {"thousand": 10**3, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9, "trillion": 10**12}
_NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_SCALES) | {"hundred", "dozen"}
_MULTIPLIERS = _SCALES | {"dozen": 12}  # what multiplies a count before it: "two dozen", "3 million"
_TOKEN = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W\d_]+")
_WORD = re.compile(r"[^\W\d_][\w'’]*")
# "one" is a pronoun after these words or before "another"; so is a lone "one" in "one of them".
_NOT_ONE_BEFORE = {"no", "any", "every", "each", "the", "this", "that", "which", "someone", "anyone"}
_NOT_ONE_AFTER = {"another"}
# Capitalised only because they open a sentence: never taken for names there.
_OPENERS = set("""however currently additionally overall yes no also furthermore moreover meanwhile today yesterday
tomorrow recently previously finally first second third both many most some several based according despite
although while since because therefore thus instead nevertheless notably specifically in on at this these that
those it he she they we you i there here as after before during over under with without within per last next
earlier later now then still such each every other another the a an its his her their our answer sources source
overall together ultimately initially eventually instead hence so but and or if when where what who why how""".split())
_ALIASES = [  # spellings of one name: any one in a passage stands for all
    ({"us", "usa", "america", "united states"},
     re.compile(r"\bU\.?S\.?A?\b|\bunited states\b|\bamerica\b|\bUSD\b|\bUS\$", re.I)),  # "USD 5" = "5 US dollars"
    ({"uk", "britain", "united kingdom"}, re.compile(r"\bU\.?K\.?\b|\bbritain\b|\bunited kingdom\b", re.I)),
    # North American time zones, as listings write them ("12:00 a.m. PT/3:00 a.m. ET"); capitals only
    *(({zone, f"{z}t", f"{z}st", f"{z}dt"}, re.compile(rf"\b{z.upper()}[SD]?T\b|\b{zone.title()} [Tt]ime\b"))
      for zone in ("pacific", "eastern", "central", "mountain") for z in [zone[0]]),
    # an officer's title as its letters ("CEO" = "chief executive"; capitals only: "ceo" is no short form)
    *(({f"c{o[0]}o", f"chief {o}"}, re.compile(rf"\bC{o[0].upper()}O\b|\b[Cc]hief {o}\b"))
      for o in ("executive", "financial", "operating", "technology")),
]
_MARKERS = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_ONLY_MARKERS = re.compile(r"^(\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+\s*[.,;:]?\s*$")
_LEADING_MARKERS = re.compile(r"^((?:\s*\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\])+)\s*")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_CANNOT = re.sub(r"\W+", " ", CANNOT_ANSWER.lower()).strip()
_REFUSAL = re.compile(r"\b(do(es)? not|don't|doesn't) (contain|say|mention|provide|answer)|\bcannot (be )?answer|"
                      r"\bno information\b|\bnot (mentioned|provided|specified|stated) in\b", re.I)
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.]{0,40}\b(instructions?|prompts?|rules|the (articles?|passages?))\b|"
    r"\b(system prompt|developer mode|you are now|from now on,? you|new instructions|respond only with|"
    r"answer only with|answer every question|always answers?|print the hidden|reveal your|"
    r"instructions? for the (ai|assistant|model))\b|<\|im_(start|end)\|>|\[/?INST\]|"
    r"^\W*(system|assistant|user|instruction)\s*:", re.I)


@dataclass
class Facts:
    """Checkable items: canonical form -> the text as written (for messages)."""

    numbers: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    rounded: frozenset[str] = frozenset()  # numbers the claim hedges ("nearly 620 million"): held when one rounds to it
    floors: frozenset[str] = frozenset()  # hedged as a lower bound ("more than 30"): also held by 33
    ratios: frozenset[str] = frozenset()  # multipliers ("sixfold", "6 times"): also held by two numbers they relate
    dates: tuple[written_dates.When, ...] = ()  # a claim's
    dated: tuple[intervals.Dated, ...] = ()  # a passage's, with what they date
    said: tuple[intervals.Said, ...] = ()  # a claim's spans ("four years later"): also held by two dates they span
    all_but: tuple[tuple[int, int], ...] = ()  # a claim's "all but N of M": N is also held by M - N and M
    cut: frozenset[str] = frozenset()  # a passage's names written last before an ellipsis ("Sony Interactive ...")
    follows: tuple[tuple[str, str], ...] = ()  # a claim's names written one after the other: (before, after)

    def missing_from(self, others: list[Facts]) -> set[str]:
        """What this claim states that none of ``others`` holds, as written. A multiplier the passage does not
        state is held when the claim also states the two numbers it relates and they are held ("grew sixfold,
        from two to twelve")."""
        numbers = set().union(*(o.numbers for o in others)) if others else set()
        names = set().union(*(o.names for o in others)) if others else set()
        held = self.roughly_held(numbers)
        missing = {c for c in self.numbers if c not in numbers and c not in held} | self.other_year(others)
        if missing and (self.said or self.all_but):
            missing -= self.derived(others, numbers)
        ratios = {c for c in missing & self.ratios if _relates(c, set(self.numbers) - missing - {c})}
        absent = {c for c in self.names if c not in names and not same_place(c, names) and not misspelt(c, names)}
        return {self.numbers[c] for c in missing - ratios} | {self.names[c] for c in absent - self._cut_off(others)}

    def _cut_off(self, others: list[Facts]) -> set[str]:
        """The claim's names that go on a name a passage breaks off at an ellipsis: "Sony Interactive
        Entertainment" is what a snippet ending "published by Sony Interactive ..." was cut from."""
        out, cut = set(), set().union(*(o.cut for o in others)) if others else set()
        for before, after in self.follows:  # in written order, so that a name goes on a name it excused
            if before in cut or before in out:
                out.add(after)
        return out

    def other_year(self, others: list[Facts]) -> set[str]:
        """The years of the claim's full dates whose day and month ``others`` date in another year only ("Nov 15,
        2020" for "November 15, 2012 ... a fitting one for 2020"): the year is held apart from the date."""
        theirs = {(d.when.year, d.when.month, d.when.day) for o in others for d in o.dated if not d.when.yearless}
        return {c for w in self.dates if w.day and not w.yearless and (c := str(w.year)) in self.numbers
                and (w.year, w.month, w.day) not in theirs and any(t[1:] == (w.month, w.day) for t in theirs)}

    def derived(self, others: list[Facts], numbers: set[str]) -> set[str]:
        """The claim's numbers that arithmetic over its dates and ``others``' implies: a span between two dates
        ("more than four years later"), or the N of an "all but N of M" when M - N and M are held."""
        theirs = tuple(d for o in others for d in o.dated)
        out = {s.value for s in self.said if s.value and intervals.held(s, self.dates, theirs)}
        return out | {str(n) for n, m in self.all_but if str(m - n) in numbers and str(m) in numbers}

    def roughly_held(self, numbers: set[str] | dict[str, str]) -> set[str]:
        """The claim's hedged numbers that ``numbers`` holds by rounding ("about 255,000" for 254,530)."""
        return {c for c in self.rounded if c not in numbers
                and any(rounds_to(o, c) or (c in self.floors and is_over(o, c)) for o in numbers)}


def _relates(ratio: str, numbers: set[str]) -> bool:
    """Two of ``numbers`` of which one is ``ratio`` times the other (12 is six times 2)."""
    try:
        r, values = Decimal(ratio), [Decimal(n) for n in numbers]
    except InvalidOperation:
        return False
    return r > 1 and any(a > 0 and b == a * r for a in values for b in values)


def misspelt(name: str, names: set[str]) -> bool:
    """A long name the passage writes with two neighbouring letters swapped ("Wimbeldon" for "Wimbledon")."""
    if len(name) < 7:
        return False
    for other in names:
        if len(other) == len(name) and other != name and sorted(other) == sorted(name):
            diff = [i for i, (a, b) in enumerate(zip(name, other, strict=True)) if a != b]
            if len(diff) == 2 and diff[1] == diff[0] + 1:
                return True
    return False


_DEMONYM = re.compile(r"^(\w{4,}?)(?:ian|ean|an|ese|ish|(?<=a)n)$")
# People's names whose spelling does not begin with their place's stem ("French" / "France").
_IRREGULAR_DEMONYMS = """french:france dutch:netherlands,holland swiss:switzerland welsh:wales greek:greece
spanish:spain spaniard:spain british:britain,uk briton:britain,uk danish:denmark dane:denmark swedish:sweden
swede:sweden finnish:finland polish:poland turkish:turkey irish:ireland scottish:scotland scots:scotland
english:england icelandic:iceland norwegian:norway portuguese:portugal peruvian:peru filipino:philippines
thai:thailand israeli:israel iraqi:iraq pakistani:pakistan qatari:qatar afghan:afghanistan argentine:argentina
argentinian:argentina belgian:belgium"""


@lru_cache(maxsize=1)
def _irregular_places() -> frozenset[tuple[str, str]]:
    """(people, place) pairs of :data:`_IRREGULAR_DEMONYMS` as :func:`names` reads them."""
    return frozenset((norm_name(d), norm_name(p)) for pair in _IRREGULAR_DEMONYMS.split()
                     for d, places in [pair.split(":")] for p in places.split(","))


def place_word(word: str) -> str:
    """The place an irregular people's name stands for ("french" -> "france"), else ``word``: for the word-by-word
    checks, which then read "the French" as the passage's "France"."""
    return _irregular_place_words().get(word, word)


@lru_cache(maxsize=1)
def _irregular_place_words() -> dict[str, str]:
    return {d: places.split(",")[0] for pair in _IRREGULAR_DEMONYMS.split() for d, places in [pair.split(":")]}


def is_demonym(word: str) -> bool:
    """A people's name by its ending or by table: "Slovenian", "Chinese", "Polish", "Dutch"."""
    low = word.lower()
    return low in _irregular_place_words() or bool(_DEMONYM.match(low))


def same_place(name: str, names: set[str]) -> bool:
    """A people's name and its place's name state the same thing: "Asian" / "Asia", "Chinese" / "China",
    "European" / "Europe". By spelling: the shorter one's stem begins the other (4 letters at least); the
    irregular ones ("French" / "France", "Dutch" / "Netherlands") by table."""
    if any((name, n) in _irregular_places() or (n, name) in _irregular_places() for n in names):
        return True
    for a, b in ((name, n) for n in names):
        for demonym, place in ((a, b), (b, a)):
            m = _DEMONYM.match(demonym)
            if m and place != demonym and len(place) < len(demonym) + 2 and place.startswith(m.group(1)) \
                    and not _DEMONYM.match(place.removeprefix(m.group(1)) or "x"):
                return True
    return False


ROUNDED_REL_TOL = Decimal("0.05")  # "nearly 10" is not 7: a hedged number is a rounding, not a guess


def rounds_to(value: str, rounded: str) -> bool:
    """``value`` rounded to the last significant digit of ``rounded`` is ``rounded`` (619.7 million is
    "nearly 620 million"; 40,312 is "more than 40,000"; 50,000 is not "about 40,000")."""
    try:
        v, r = Decimal(value), Decimal(rounded)
    except InvalidOperation:
        return False
    if r == 0 or v == r:
        return v == r
    step = Decimal(1).scaleb(r.normalize().as_tuple().exponent)
    return step > 1 and abs(v - r) * 2 <= step and abs(v - r) <= ROUNDED_REL_TOL * abs(r)


_MARKS = re.compile(r"[™®©℠]")


def _clean(text: str) -> str:
    # A trademark sign is no part of a name (NFKC would make "Chronicles™" "ChroniclesTM"); a date written in
    # figures states the month a written one names ("6/19/2020" as "June 19, 2020").
    text = written_dates.spelled_numeric(_MARKS.sub("", text))
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    text = _ROMAN.sub(_roman_value, text)
    return re.sub(r"[-‐‑‒–—]", " ", text)  # "ten-fold" = "ten fold", "2019–2020" = "2019 2020"


# A Roman numeral of two letters or more after a capitalised word numbers what that word names ("The Last of Us
# Part II", "World War II", "Super Bowl LV"): it states the number written in figures.
_ROMAN = re.compile(r"\b([A-Z][\w']*) ((?=[IVXL]{2})L?X{0,3}(?:IX|IV|V?I{0,3}))(?![\w'])")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman_value(m: re.Match) -> str:
    digits = [_ROMAN_DIGITS[c] for c in m.group(2)]
    value = sum(-d if k + 1 < len(digits) and d < digits[k + 1] else d for k, d in enumerate(digits))
    return f"{m.group(1)} {value}"


def _canonical(value: Decimal) -> str:
    return format(value.normalize(), "f")


def numbers(text: str) -> dict[str, str]:
    """Every number stated in ``text``, by value: canonical string -> as written."""
    found: dict[str, str] = {}
    # A quarter or half ("Q3", "3Q", "H1") is a period, no number: it is a fact of its own (periods), which "the
    # third quarter" states as well. Blanked, not removed, so that what is written keeps its place.
    clean = _PERIOD_LABEL.sub(lambda m: " " * len(m.group()), _clean(text))
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(clean.lower())]
    breaks = frozenset(j for j in range(1, len(tokens)) if "," in clean[tokens[j - 1][2] : tokens[j][1]])
    i = 0
    while i < len(tokens):
        value, j = _fold(tokens, i, breaks)
        if value is None and tokens[i][0] == "a" and i + 1 < len(tokens) and tokens[i + 1][0] in _MAJOR:
            value, j = _with_cents(tokens, i, Decimal(1), i + 1, clean)  # "a dollar and 20 cents"
            value, j = (value, j) if j > i + 1 else (None, i)
        if value is None:
            i += 1
            continue
        if (scale := _glued_scale(tokens, i, j, clean)) > 1:
            value, j = value * scale, j + 1
        if not (j == i + 1 and tokens[i][0] == "one" and _pronoun_one(tokens, i, clean)):
            value, j = _with_cents(tokens, i, value, j, clean)
            found.setdefault(_canonical(value), clean[tokens[i][1] : tokens[j - 1][2]])
        i = j
    return found


def _pronoun_one(tokens: list[tuple[str, int, int]], i: int, text: str) -> bool:
    """A lone "one" at tokens[i] that stands for a thing, not a count: "this one", "one of them", "the final one",
    "a new one". Still a count: "won one title", "one of the two", "a mere one percent"."""
    def at(k: int) -> str:  # the word at tokens[k]; "" outside the sentence
        return tokens[k][0] if 0 <= k < len(tokens) else ""

    if at(i + 1) == "of":
        k = i + 2 + (at(i + 2) in _OF_DETERMINERS)
        return k >= len(tokens) or _fold(tokens, k)[0] is None  # "one of three finalists" counts
    if at(i - 1) in _NOT_ONE_BEFORE or at(i + 1) in _NOT_ONE_AFTER:
        return True
    ends = i + 1 == len(tokens) or _PUNCT.search(text, tokens[i][2], tokens[i + 1][1]) or (
        at(i + 1) in stopwords() and not (at(i + 1) in ("to", "or", "and") and _fold(tokens, i + 2)[0] is not None))
    for k in range(i - 1, max(-1, i - 5), -1):  # "the final one", "a new one", "the show's final one"
        if at(k) in _ONE_DETERMINERS or (at(k) == "s" and text[tokens[k][1] - 1] == "'"):
            return bool(ends)
        if not _adjective(at(k)):
            return False  # "the team scored one"
    return False


def _adjective(word: str) -> bool:
    """A word that may describe the thing a pronoun "one" stands for, by list or by ending."""
    return word in _ONE_ADJECTIVES or word in _ORDINAL_UNITS or word in _TEENTHS or _ADJECTIVE_ENDING.search(word)


_OF_DETERMINERS = {"the", "its", "their", "his", "her", "our", "these", "those"}
_ONE_DETERMINERS = {"the", "a", "an", "this", "that", "another", "its", "his", "her", "their", "our", "my", "your"}
_ONE_ADJECTIVES = set("""only other same very own most more and or last final next new old big small latest previous
original current single main real right wrong good bad little young early late whole""".split())
_ADJECTIVE_ENDING = re.compile(r"..(?:est|al|ous|ive|ic|ful|less|able|ible|ary|ior)$")
_PUNCT = re.compile(r"[.,;:!?)\]\"”]")
_CENTS = {"cent", "cents", "pence", "penny"}
_MAJOR = {"dollar", "dollars", "euro", "euros", "pound", "pounds"}


def _with_cents(tokens: list[tuple[str, int, int]], i: int, value: Decimal, j: int, text: str) -> tuple[Decimal, int]:
    """An amount in hundredths of its currency by value in the currency: "50 cents" = "$0.50", "5p" = "£0.05",
    "a dollar and 20 cents" = "$1.20". Else (value, j) as they are."""
    if _is_cents(tokens, j, text):
        return value / 100, j + 1
    if j + 2 < len(tokens) and tokens[j][0] in _MAJOR and tokens[j + 1][0] == "and":
        cents, k = _fold(tokens, j + 2)
        if cents is not None and _is_cents(tokens, k, text):
            return value + cents / 100, k + 1
    return value, j


def _is_cents(tokens: list[tuple[str, int, int]], k: int, text: str) -> bool:
    """tokens[k] names hundredths of a currency: "cents", "pence", or a "p" written onto one or two digits ("5p";
    not "1080p")."""
    if k >= len(tokens):
        return False
    word, start, _ = tokens[k]
    before = tokens[k - 1]
    return word in _CENTS or (word == "p" and text[start] == "p" and start == before[2]
                              and before[0].isdigit() and len(before[0]) <= 2)


def _fold(tokens: list[tuple[str, int, int]], i: int,
          breaks: frozenset[int] = frozenset()) -> tuple[Decimal | None, int]:
    """The number spelled from tokens[i] on and the index after it; (None, i) when none starts there. A spelled
    number does not go on across a token in ``breaks`` (one a comma comes before)."""
    word = tokens[i][0]
    if word.endswith("fold") and word[:-4] in _UNITS | _TENS:  # "tenfold"
        return Decimal(_UNITS.get(word[:-4], _TENS.get(word[:-4], 0))), i + 1
    if word[0].isdigit():
        try:
            value = Decimal(word.replace(",", ""))
        except InvalidOperation:
            return None, i
        j = i + 1
        # thousands set apart by single spaces ("40 000"); only after a group of one to three digits
        while re.fullmatch(r"\d{1,3}", word) and j < len(tokens) and re.fullmatch(r"\d{3}", tokens[j][0]) \
                and tokens[j][1] == tokens[j - 1][2] + 1:
            value, j = value * 1000 + int(tokens[j][0]), j + 1
        if _and_a_half(tokens, j):  # "2 and a half million"
            value += Decimal("0.5")
            j += 3
        while j < len(tokens) and tokens[j][0] in _MULTIPLIERS:
            value *= _MULTIPLIERS[tokens[j][0]]
            j += 1
        return _after_a_half(tokens, j, value)
    if word == "dozen" or (word == "a" and i + 1 < len(tokens) and tokens[i + 1][0] == "dozen"):
        return Decimal(12), i + (2 if word == "a" else 1)
    fraction = _fraction(tokens, i)
    if fraction[0] is not None:
        return fraction
    total, current, j, seen, last = Decimal(0), Decimal(0), i, False, ""
    if word == "a" and i + 1 < len(tokens) and (tokens[i + 1][0] in _SCALES or tokens[i + 1][0] == "hundred"):
        current, j, seen, last = Decimal(1), i + 1, True, "unit"  # "a million", "a hundred million"
    while j < len(tokens):
        t = tokens[j][0]
        if seen and j in breaks:
            break  # "four thousand, forty thousand" are two numbers
        if t in _UNITS or t in _TENS:
            kind = "tens" if t in _TENS else "unit"
            if last == "unit" or (last == "tens" and kind == "tens"):
                break  # "six-one", "five three": two numbers (a score), not one
            current += _UNITS.get(t, _TENS.get(t, 0))
            last = kind
        elif t == "hundred" and seen:
            current *= 100
            last = "scale"
        elif t in _MULTIPLIERS and seen:
            total += current * _MULTIPLIERS[t]
            current = Decimal(0)
            last = "scale"
        elif t == "and" and seen and j + 1 < len(tokens) and tokens[j + 1][0] in _UNITS | _TENS:
            last = "and"
        elif t == "and" and seen and _and_a_half(tokens, j) and j + 3 < len(tokens) and tokens[j + 3][0] in _SCALES:
            current += Decimal("0.5")  # "two and a half million"
            j += 3
            last = "unit"
            continue
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None, i
    return _after_a_half(tokens, j, total + current) if total else (total + current, j)


_LETTER_SCALES = {"k": 10**3, "m": 10**6, "b": 10**9}
_CURRENCY = set("$€£¥")


def _glued_scale(tokens: list[tuple[str, int, int]], i: int, j: int, text: str) -> int:
    """The scale of a letter written onto an amount in a currency, "£40m", "$5k", "$2b" (tokens[i] its digits,
    tokens[j] the letter); 1 for none: a bare "100m" may be metres."""
    if j != i + 1 or j >= len(tokens) or tokens[j][0] not in _LETTER_SCALES or tokens[j][1] != tokens[i][2]:
        return 1
    before = text[:tokens[i][1]].rstrip()
    return _LETTER_SCALES[tokens[j][0]] if before[-1:] in _CURRENCY else 1


def _and_a_half(tokens: list[tuple[str, int, int]], j: int) -> bool:
    return [t[0] for t in tokens[j:j + 3]] == ["and", "a", "half"]


def _after_a_half(tokens: list[tuple[str, int, int]], j: int, value: Decimal) -> tuple[Decimal, int]:
    """"a million and a half" = 1,500,000: half of the scale the number ended on is added."""
    if not _and_a_half(tokens, j) or not value:
        return value, j
    scale = next((Decimal(s) for s in (10**12, 10**9, 10**6, 10**3) if value % s == 0 and value >= s), None)
    return (value + scale / 2, j + 3) if scale else (value, j)


_FRACTIONS = {"third": Decimal(1) / 3, "quarter": Decimal("0.25"), "fifth": Decimal("0.2"),
              "tenth": Decimal("0.1")}
_FRACTION_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
# What may follow a share ("up a quarter year on year", "a third of"): not "a third title", "a quarter mile".
_AFTER_SHARE = {"of", "from", "on", "in", "than", "since", "over", "compared", "yoy", "year", "and", "to"}
# "in a quarter" is a time; "two and a third" a mixed number
_NOT_SHARE_BEFORE = {"in", "per", "each", "every", "this", "that", "last", "next", "for", "and"}


def _fraction(tokens: list[tuple[str, int, int]], i: int) -> tuple[Decimal | None, int]:
    """"a quarter of a million" = 250,000, "half a billion" = 500,000,000; a bare share ("up nearly a quarter",
    "two thirds of") as a percentage, rounded to a whole one: "a quarter" = 25 (the passage's "25%")."""
    word = tokens[i][0]
    at = lambda k: tokens[k][0] if k < len(tokens) else ""  # noqa: E731
    if word == "half" and at(i + 1) == "a" and at(i + 2) in _MULTIPLIERS:  # "half a dozen" = 6
        return Decimal("0.5") * _MULTIPLIERS[at(i + 2)], i + 3
    count = _FRACTION_COUNTS.get(word)
    part = at(i + 1).removesuffix("s")
    if count is None or part not in _FRACTIONS or (count == 1) != (at(i + 1) == part) or (i and at(i - 1) in
                                                                                      _NOT_SHARE_BEFORE):
        return None, i
    share = count * _FRACTIONS[part]
    if at(i + 2) == "of" and at(i + 3) == "a" and at(i + 4) in _SCALES:
        return share * _SCALES[at(i + 4)], i + 5
    if i + 2 < len(tokens) and at(i + 2) not in _AFTER_SHARE:
        return None, i
    return (share * 100).quantize(Decimal(1)), i + 2


def norm_name(word: str) -> str:
    """A name's key: lower case, without a possessive or a plural "s" ("Nintendo's" / "Nintendos" -> "nintendo")."""
    word = word.lower().replace("’", "'")
    word = re.sub(r"'s?$", "", word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# Capitalised, yet comparisons over time rather than names: "up 12% YoY".
COMPARISON_ABBREVIATIONS = frozenset({"yoy", "qoq", "mom", "ytd", "y/y", "q/q"})


def names(sentence: str) -> dict[str, str]:
    """Capitalised words that are not stopwords: names, months, acronyms. A sentence's first word
    counts only when it looks like a name (not a common opener or an -ly adverb)."""
    out: dict[str, str] = {}
    text = _clean(sentence)
    for k, m in enumerate(_WORD.finditer(text)):
        w = m.group()
        low = re.sub(r"'s?$", "", w.lower())
        if len(w) < 2 or not w[0].isupper() or low in stopwords() or low in _NUMBER_WORDS \
                or low in COMPARISON_ABBREVIATIONS:
            continue
        first = k == 0 or re.search(r"[.!?:\"“]\s*$", text[: m.start()])
        if first and (low in _OPENERS or (low.endswith("ly") and not any(c.isupper() for c in w[1:]))):
            continue
        out[name_key(w)] = w
    for key, written in period_spans(text):  # "3Q 2019" and "the third quarter" name a quarter as "Q3" does
        out.setdefault(key, written)
    return out


def name_key(word: str) -> str:
    """How :func:`names` and :func:`passage_facts` file a word: a capitalised month abbreviation under its month's
    name ("Oct" / "Sept" as "october" / "september"), any other word by :func:`norm_name`."""
    full = _month_names().get(word.lower()) if word[:1].isupper() else None
    return full or norm_name(word)


@lru_cache(maxsize=1)
def _month_names() -> dict[str, str]:
    full: dict[int, str] = {}  # a month's longest spelling is its name
    for m, n in written_dates.MONTHS.items():
        full[n] = max(full.get(n, ""), m, key=len)
    return {m: full[n] for m, n in written_dates.MONTHS.items()}


@lru_cache(maxsize=1)
def _stemmed_number_words() -> frozenset[str]:
    return frozenset(tokenize(" ".join(_NUMBER_WORDS))) | {"fold", "a"}


def without_hedges(text: str) -> str:
    """``text`` without the hedges of its numbers ("roughly 510,000" -> "510,000"): a hedge belongs to the number,
    which the fact check compares by rounding, not to the words compared for meaning."""
    return _HEDGE.sub("", text)


def content_words(text: str) -> set[str]:
    """Stemmed content words, with numbers by value whatever their spelling ("ten-fold" = "tenfold" = "10");
    the hedges of numbers are left out."""
    skip = _stemmed_number_words()
    words = {t for t in tokenize(_clean(without_hedges(text))) if t not in skip and not t[0].isdigit() and
             not (t.endswith("fold") and t[:-4] in skip)}
    return words | set(numbers(text))


_ORDINAL_UNITS = {w: i for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth".split(), 1)}
_ORDINAL_TENS = {w: 10 * i for i, w in enumerate("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth "
                                                 "ninetieth".split(), start=2)}
_TEENTHS = {w: i for i, w in enumerate("tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth "
                                       "seventeenth eighteenth nineteenth".split(), start=10)}
_ORDINAL = re.compile(rf"\b(?:({'|'.join(_TENS)})[-\s]({'|'.join(_ORDINAL_UNITS)})|"
                      rf"({'|'.join(_ORDINAL_TENS | _TEENTHS)}))\b", re.I)
# Connectives that open a sentence with a capital and a comma ("Indeed, ..."): never names there.
_CONNECTIVES = {"indeed", "besides", "likewise", "nonetheless", "regardless", "namely", "plus", "yet", "again",
                "otherwise", "anyway", "thereafter", "afterwards", "alongside", "notwithstanding", "altogether"}


def _ordinals_as_digits(text: str) -> str:
    """"seventy-fifth" -> "75th", "eleventh" -> "11th" (the verifier's facts; "first" to "ninth" stay words:
    they are ranks as often as numbers)."""
    def digits(m: re.Match) -> str:
        if m.group(3):
            low = m.group(3).lower()
            return f"{_ORDINAL_TENS.get(low, _TEENTHS.get(low))}th"
        return f"{_TENS[m.group(1).lower()] + _ORDINAL_UNITS[m.group(2).lower()]}th"

    return _STREAK.sub(lambda m: f"{_ORDINAL_UNITS[m.group(1).lower()]}th", _ORDINAL.sub(digits, text))


# "the fourth straight quarter", "a second title in a row": a count of what came in a row, not a rank, so a number
_STREAK = re.compile(rf"\b({'|'.join(_ORDINAL_UNITS)})(?=\s+(?:straight|consecutive|successive)\b|"
                     rf"\s+(?:[\w-]+\s+){{1,2}}in\s+a\s+row\b)", re.I)


def claim_facts(sentence: str) -> Facts:
    found = names(sentence)
    first = re.match(r"\s*([^\W\d_]+)\s*,", sentence)
    if first and first.group(1).lower() in _CONNECTIVES:
        found.pop(norm_name(first.group(1)), None)
    text = _ordinals_as_digits(sentence)
    stated = _with_spans(numbers(text), sentence)
    hedged = {c for c, w in stated.items()
              if (at := text.find(w)) > 0 and _HEDGE_BEFORE.search(text[max(0, at - 24) : at])}
    floors = set()  # a span is a coarser measure: "more than three decades" holds 33 years, as "nearly" would 29
    for span in _spans(sentence):  # the hedge is before the span's count
        hedge = span.start > 0 and span.value in stated and _HEDGE_BEFORE.search(sentence[max(0, span.start - 24):
                                                                                          span.start])
        if hedge:
            hedged.add(span.value)
            floors |= {span.value} if hedge.group(1).lower() in _FLOOR_HEDGES else set()
    clean = _clean(text)
    ratios = {c for c, w in stated.items() if w.lower().endswith("fold") or
              ((at := clean.find(w)) >= 0 and _MULTIPLIER_AFTER.match(clean, at + len(w)))}
    return Facts(stated, found, frozenset(hedged), frozenset(floors), frozenset(ratios), written_dates.dates(sentence),
                 said=intervals.said_spans(sentence), all_but=intervals.all_but(sentence), follows=_follows(sentence))


_NAME_RUN = re.compile(r"[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)+")
_CUT_NAME = re.compile(r"([A-Z][\w'’]*)\s*(?:\.\.\.|…)")


def _follows(sentence: str) -> tuple[tuple[str, str], ...]:
    out = []
    for run in _NAME_RUN.finditer(_clean(sentence)):
        keys = [name_key(w) for w in run.group().split()]
        out += zip(keys, keys[1:], strict=False)
    return tuple(out)


_MULTIPLIER_AFTER = re.compile(r"\s*(?:fold|times|x)\b", re.I)


_HEDGE = re.compile(r"\b(?:nearly|almost|about|around|roughly|approximately|close to|upwards of|just under|just over|"
                    r"an estimated|estimated|circa)\s+(?=[$€£]?\d|(?:" + "|".join(sorted(_UNITS | _TENS)) + r")\b)",
                    re.I)
_HEDGE_BEFORE = re.compile(r"\b(nearly|almost|about|around|roughly|approximately|some|close to|more than|over|"
                           r"upwards of|just under|just over|an estimated|estimated|circa)\s*[$€£]?\s*$", re.I)


def alias_words(text: str) -> set[str]:
    """The words of every spelling of each name the text writes one way ("US" stands for "United States" and
    "America")."""
    return {w for spellings, pattern in _ALIASES if pattern.search(text) for s in spellings for w in s.split()}


def implied_in(facts: Facts, passage: str, start: int, end: int) -> Facts:
    """``facts`` of the unit at [start, end) of ``passage``, with the dates its relative spans imply from the
    passage's own date line or dates ("10 years ago" under a date line the unit does not quote), and those dates
    they count from: the unit says "10 years before August 24, 2021"."""
    found = tuple(d for d in intervals.dated(passage) if d.implied and start <= d.at < end and d not in facts.dated)
    if not found:
        return facts
    anchors = [passage_facts(d.anchor) for d in found]
    return replace(facts, numbers=intervals.implied_numbers(found) | {k: v for a in anchors for k, v in
                                                                      a.numbers.items()} | facts.numbers,
                   names={k: v for a in anchors for k, v in a.names.items()} | facts.names,
                   dated=facts.dated + found + tuple(d for a in anchors for d in a.dated))


@lru_cache(maxsize=50_000)
def passage_numbers(text: str) -> dict[str, str]:
    """The numbers a passage states as the fact check reads them: ordinals as digits ("eleventh" states 11),
    time spans by value ("a decade" states 10 years, "one to two years" 12 to 24 months). Cached: callers
    copy before they add to it."""
    return _with_spans(numbers(_ordinals_as_digits(text)), text, ranges=True)


def passage_facts(text: str) -> Facts:
    """Numbers of a passage, and every word in it whatever its case (a claim's name must be one)."""
    words = {name_key(w): w for w in _WORD.findall(_clean(text))}
    words.update({norm_name(w): w for w in alias_words(text)})
    words.update({key: key.upper() for key in periods(text)})
    found = dict(passage_numbers(text))
    for n, m in intervals.all_but(text):  # "all but two of 22" states 20 of 22
        found.setdefault(str(m - n), f"all but {n} of {m}")
    for n, span in intervals.implied_numbers(intervals.dated(text)).items():  # "10 years ago" under a 2021 date
        found.setdefault(n, span)
    cut = frozenset(name_key(m.group(1)) for m in _CUT_NAME.finditer(_clean(text)))
    return Facts(_shared_scale(text, found), words, dated=intervals.dated(text), cut=cut)


QUARTER_WORDS = ("first", "second", "third", "fourth")
# A quarter or half of a year: "Q3", "3Q", "H1", "1H" (capitals only: "h1" is no period), or in words
_PERIOD_LABEL = re.compile(r"\b(?:(?:Q([1-4])|([1-4])Q)|(?:H([12])|([12])H))\b")
_PERIOD_WORDS = re.compile(rf"\b({'|'.join(QUARTER_WORDS)})[ -](quarter|half)\b", re.I)


def _period(m: re.Match) -> str | None:
    if m.re is _PERIOD_LABEL:
        return f"q{m.group(1) or m.group(2)}" if m.group(1) or m.group(2) else f"h{m.group(3) or m.group(4)}"
    n = QUARTER_WORDS.index(m.group(1).lower()) + 1
    return f"q{n}" if m.group(2).lower() == "quarter" else (f"h{n}" if n <= 2 else None)


def period_spans(text: str) -> list[tuple[str, str]]:
    """(key, as written) of each quarter or half of a year the text names: "Q1", "1Q" and "the first quarter"
    are all "q1", "H2" and "the second half" "h2"."""
    found = sorted([m for pattern in (_PERIOD_LABEL, _PERIOD_WORDS) for m in pattern.finditer(text)],
                   key=lambda m: m.start())
    return [(key, m.group()) for m in found if (key := _period(m))]


def periods(text: str) -> set[str]:
    return {key for key, _ in period_spans(text)}


_AMOUNT = re.compile(r"([$€£¥])\s?(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion|bn|mn)\b)?", re.I)


def _shared_scale(text: str, found: dict[str, str]) -> dict[str, str]:
    """A bare amount beside amounts of one scale in the same currency takes that scale: "revenue of $18.76 billion,
    up from $10.389" also states $10.389 billion."""
    amounts = list(_AMOUNT.finditer(text))
    scales: dict[str, set[str]] = {}
    for m in amounts:
        if m.group(3):
            scales.setdefault(m.group(1), set()).add(_SCALES[m.group(3).lower()])
    for m in amounts:
        shared = scales.get(m.group(1), set())
        if not m.group(3) and len(shared) == 1:
            value = Decimal(m.group(2).replace(",", "")) * next(iter(shared))
            found.setdefault(_canonical(value), m.group())
    return found


def _with_spans(found: dict[str, str], text: str, ranges: bool = False) -> dict[str, str]:
    """The numbers of ``text`` and the values of its time spans ("a decade" states 10 years, as "ten years"
    does): which unit of time is the coverage check's. "A year" or "last year" states no number. The count of
    a span in a longer unit ("three decades") is stated by the span's value (30 years), not as a 3."""
    for span in _spans(text):
        if span.start < 0 and not ranges:
            continue  # a passage's "from 1921 to 1954" states 33 years; a claim's need not have it said
        if span.value not in ("yoy", "1", "0.5"):
            found.setdefault(span.value, span.text)
        if ranges and span.value != "yoy" and (other := _other_unit(span)) is not None:
            found.setdefault(other, span.text)  # a passage's "one to two years" states "12 to 24 months"
        if span.factor != 1 and span.count_text:
            for c, w in list(found.items()):
                if w.lower() == span.count_text:
                    del found[c]
    return found


@dataclass(frozen=True)
class _Span:
    value: str  # "30" for "three decades"
    base: str  # "year"
    text: str  # "30 year"
    factor: int = 1  # years in its unit: 10 for a decade
    count_text: str = ""  # "three"
    start: int = 0  # where its count is written; -1 for a span read from two years


def spans(text: str) -> set[str]:
    """The time spans a text states, by value ("a decade" = "ten years" = "10 years" -> "10 year"), and
    "yoy" for a comparison with the year before ("year over year", "year on year", "YoY"); "from 1921 to 1954"
    states 33 years."""
    return {s.text if s.value != "yoy" else "yoy" for s in _spans(text)}


def _spans(text: str) -> list[_Span]:
    low = text.lower().replace("’", "'")
    found = [_Span("yoy", "", "yoy")] if _YOY.search(low) else []
    for m in _SPAN.finditer(low):
        count, unit = m.group(1), m.group(2)
        value = Decimal("0.5") if count.startswith("half") else (Decimal(1) if count in _ONE_SPAN else
                                                                 _span_count(count))
        if value is None:
            continue
        factor, base = _SPAN_UNITS[unit]
        found.append(_span(value, factor, base, count, m.start()))
        low_end = _RANGE_BEFORE.search(low[: m.start()])  # "one to two years": the first count is a span too
        if low_end and (first := _span_count(low_end.group(1))) is not None:
            found.append(_span(first, factor, base, low_end.group(1), low_end.start(1)))
    for m in _YEARS.finditer(low):
        years = int(m.group(2)) - int(m.group(1))
        if 0 < years < 200:
            found.append(_Span(str(years), "year", f"{years} year", start=-1))
    return found


def _span(count: Decimal, factor: int, base: str, count_text: str, start: int) -> _Span:
    value = format((count * factor).normalize(), "f")
    return _Span(value, base, f"{value} {base}", factor, count_text, start)


def _in_years(span: _Span) -> tuple[str, str]:
    """(base, value) with whole years of months in years: "24 months" is "2 year", as "two years" is."""
    if span.base == "month" and (years := Decimal(span.value) / 12) == years.to_integral_value() and years:
        return "year", format(years.normalize(), "f")
    return span.base, span.value


def _other_unit(span: _Span) -> str | None:
    """The value of a span in the other of months and years ("two years" also states 24, "24 months" a 2)."""
    if span.base == "year" and span.factor == 1 and span.start >= 0 and span.count_text not in _ONE_SPAN - {"one"}:
        return format((Decimal(span.value) * 12).normalize(), "f")
    base, value = _in_years(span)
    return value if base != span.base else None


def spans_held(claim: str, unit: str) -> set[str]:
    """The claim's time spans the unit states: the same, or one a hedged span rounds to ("more than three decades"
    for 33 years, "nearly a decade" for nine years)."""
    theirs = _spans(unit)
    out = set()
    for mine in _spans(claim):
        hedge = mine.start > 0 and _HEDGE_BEFORE.search(claim[max(0, mine.start - 24) : mine.start])
        base, value = _in_years(mine)
        for t in map(_in_years, theirs):
            if t[0] == base and (t[1] == value or (hedge and _near(t[1], value, hedge.group(1)))):
                out.add(mine.text)
    return out


def _near(value: str, said: str, hedge: str) -> bool:
    """``value`` is what a hedged ``said`` ("nearly 620 million", "more than 40,000") may stand for."""
    if hedge.lower() in _FLOOR_HEDGES:
        return is_over(value, said) or rounds_to(value, said)
    return rounds_to(value, said)


def is_over(value: str, floor: str) -> bool:
    """"More than 30" for a value above 30 and below the next step of its last digit (33 is "more than three
    decades"; 45 is not "more than 30")."""
    try:
        v, r = Decimal(value), Decimal(floor)
    except InvalidOperation:
        return False
    step = Decimal(1).scaleb(r.normalize().as_tuple().exponent)
    return step > 1 and r < v < r + step


def _span_count(word: str) -> Decimal | None:
    found = numbers(word)
    return Decimal(next(iter(found))) if len(found) == 1 else None


_ONE_SPAN = {"a", "an", "one", "past", "last", "next", "previous", "coming"}
_YOY = re.compile(r"\b(yoy|y/y|year[- ](over|on)[- ]year)\b")
_SPAN_UNITS = {"decade": (10, "year"), "century": (100, "year"), "year": (1, "year"), "month": (1, "month"),
               "week": (1, "week"), "day": (1, "day"), "hour": (60, "minute"), "minute": (1, "minute")}
_SPAN = re.compile(r"\b(half an?|half|an?|one|\d+(?:\.\d+)?|"
                   r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[ -])?[a-z]+)"  # "seventy-five years"
                   r"[ -](decade|century|year|month|week|day|hour|minute)(?:s|ies)?\b")
_RANGE_BEFORE = re.compile(r"\b(\d+(?:\.\d+)?|[a-z]+)\s+(?:to|or)\s+$")
_YEARS = re.compile(r"\b(?:from|between)\s+((?:1[5-9]|20)\d\d)\s+(?:to|and|until|till|through)\s+((?:1[5-9]|20)\d\d)\b")
_FLOOR_HEDGES = {"more than", "over", "upwards of", "just over"}


def is_abstention(sentence: str) -> bool:
    said = re.sub(r"\W+", " ", sentence.lower()).strip()
    return _CANNOT in said or bool(_REFUSAL.search(sentence))


def is_instruction(sentence: str) -> bool:
    """Text addressed to a model, not news: it is never evidence for anything."""
    return bool(_INSTRUCTION.search(sentence))


# --- an answer's sentences and their [n] markers ---------------------------------------------


def parse_markers(sentence: str) -> tuple[str, list[int]]:
    """(the sentence without its markers, the numbers they hold in order, each once)."""
    numbers: list[int] = []
    for m in _MARKERS.finditer(sentence):
        for n in re.split(r"\s*[,;]\s*", m.group(1)):
            if int(n) not in numbers:
                numbers.append(int(n))
    text = _MARKERS.sub("", sentence)
    text = re.sub(r"\s+([.,;:!?])", r"\1", _BULLET.sub("", text)).strip()
    return text, numbers


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer, with markers that follow a full stop kept on its sentence."""
    out: list[str] = []
    for s in split_sentences(text):
        raw = s.text
        lead = _LEADING_MARKERS.match(raw)
        if out and lead:
            out[-1] += " " + lead.group(1).strip()
            raw = raw[lead.end():]
        if out and _ONLY_MARKERS.match(raw):
            out[-1] += " " + raw.strip()
        elif raw.strip():
            out.append(raw)
    return out
