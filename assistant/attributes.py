"""Attributes bound to names: which name a place, people's name or organisation belongs to, read from the words.
"Polish author X", "Austria's Y", "X of the Netherlands", "X (Austria)", "X, the Dutch midfielder", "X (HQ: Kyoto)",
"X ... headquartered in Z". A people's name and its place's name are one attribute ("Slovenian" / "Slovenia", by
:func:`.claims.same_place`). An answer that gives the passage's attribute of one name to another name the passage
gives something else (or nothing) is caught by :func:`moved`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import nlp
from .claims import is_demonym, norm_name, same_place
from .lexical import stopwords

_TOKEN = re.compile(r"\w[\w'’&-]*\w|\w|[(),;:.!?\-–—]")
# Words of a company's name that do not tell one company from another.
_SUFFIXES = frozenset({"co", "ltd", "inc", "corp", "llc", "plc", "ag", "sa", "gmbh"})
_UNNAMED = frozenset({"…"})  # the holder of a parenthesis the text begins with, or after "..."
_FULLWIDTH = str.maketrans("（）", "()")
_NOUNS_BETWEEN = 3  # "Polish author X", "Austria's former world champion X"
_BASED = re.compile(r"\b(?:headquarters|headquartered|hq|based|located)\s+(?:is\s+|are\s+)?in\b", re.I)


@dataclass(frozen=True)
class Binding:
    attribute: frozenset[str]  # name keys of the place, people or organisation
    name: frozenset[str]  # name keys of who it is bound to
    attribute_text: str
    name_text: str


@dataclass(frozen=True)
class _Run:
    """Capitalised words in a row: a name, or an attribute ("Austria's", "Polish")."""
    start: int  # token positions
    end: int
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def possessive(self) -> bool:
        return bool(re.search(r"['’]s?$", self.words[-1]))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in stopwords()


def keys(words) -> frozenset[str]:
    return frozenset(k for w in words if (k := norm_name(w)) and k not in _SUFFIXES and k not in stopwords())


def _runs(tokens: list[str]) -> list[_Run]:
    """Runs of capitalised words; a possessive ends one ("Austria's | Peter Handke"), a comma or a full stop
    after a company's suffix does not ("Nintendo Co., Ltd.")."""
    out, i = [], 0
    while i < len(tokens):
        if not _capitalised(tokens[i]):
            i += 1
            continue
        j = i
        words = []
        while j < len(tokens):
            t = tokens[j]
            if _capitalised(t):
                words.append(t)
                j += 1
                if re.search(r"['’]s?$", t):
                    break
            elif t in (",", ".") and words and (norm_name(words[-1]) in _SUFFIXES or len(words[-1]) == 1) \
                    or t == "," and j + 1 < len(tokens) and norm_name(tokens[j + 1]) in _SUFFIXES:
                j += 1  # "Co.," / "J. Smith" / "Nintendo Co., Ltd."
            else:
                break
        out.append(_Run(i, j, tuple(words)))
        i = j
    return out


def _lowercase_between(tokens: list[str], start: int, end: int) -> bool:
    """Only a few lowercase describing words between two runs: "author", "former world champion"."""
    between = tokens[start:end]
    return len(between) <= _NOUNS_BETWEEN and all(
        t[:1].islower() and t.lower() not in stopwords() and t.isalpha() for t in between)


@lru_cache(maxsize=4096)
def _first_names(text: str) -> frozenset[str]:
    """The first words of the people the recogniser finds: "Bryan" of "Bryan Singer" and "Julian" of "Julian
    Alaphilippe" end as a people's name does, yet are no attribute of the name after them."""
    if not nlp.available():
        return frozenset()
    return frozenset(e.text.split()[0] for e in nlp.entities([text])[0] if e.label == "PERSON" and " " in e.text)


@lru_cache(maxsize=4096)
def bindings(text: str) -> tuple[Binding, ...]:
    """Every attribute ``text`` binds to a name, by the constructions of the module's docstring. Cached: a
    passage's sentences are read again for every claim checked against them."""
    tokens = _TOKEN.findall(text.translate(_FULLWIDTH))
    runs = _runs(tokens)
    out: list[Binding] = []

    def bind(attribute: tuple[str, ...], name: _Run) -> None:
        a, n = keys(attribute), keys(name.words)
        if a and n and not a & n:
            out.append(Binding(a, n, re.sub(r"['’]s?$", "", " ".join(attribute)), name.text))

    for k, run in enumerate(runs):
        nxt = runs[k + 1] if k + 1 < len(runs) else None
        # a people's name in front: "Slovenian Tadej Pogačar"
        if len(run.words) >= 2 and is_demonym(run.words[0]) and not run.possessive \
                and run.words[0] not in _first_names(text):  # the recogniser runs only on such a run
            bind(run.words[:1], _Run(run.start + 1, run.end, run.words[1:]))
        # "Polish author X", "Austria's Peter Handke", "Austria's former champion X"
        if nxt and (run.possessive or len(run.words) == 1 and is_demonym(run.words[0])) \
                and _lowercase_between(tokens, run.end, nxt.start) and not nxt.possessive:
            bind(run.words, nxt)
        if run.possessive:
            continue
        after = tokens[run.end:]
        # "X of (the) PLACE"
        if nxt and after[:1] == ["of"] and nxt.start in (run.end + 1, run.end + 2) \
                and (nxt.start == run.end + 1 or tokens[run.end + 1].lower() == "the"):
            bind(nxt.words, run)
        # "X (Austria)", "X (HQ: Kyoto Minami-ku; ...)"
        if after[:1] == ["("]:
            close = next((i for i in range(run.end + 1, len(tokens)) if tokens[i] == ")"), len(tokens))
            bind(tuple(t for t in tokens[run.end + 1: close] if _capitalised(t)), run)
        # "X, the Netherlands midfielder", "X, a Polish author"
        if nxt and after[:1] == [","] and len(after) > 2 and after[1].lower() in ("the", "a", "an") \
                and nxt.start == run.end + 2 and not nxt.possessive:
            rest = tokens[nxt.end: nxt.end + 1]
            if rest and rest[0][:1].islower() and rest[0].isalpha() or is_demonym(nxt.words[0]):
                bind(nxt.words, run)
    ends = {r.end for r in runs}
    for i, t in enumerate(tokens):  # "... (HQ: San Francisco) and Nintendo (HQ: Kyoto)": a holder not given
        if t == "(" and i not in ends:
            close = next((j for j in range(i + 1, len(tokens)) if tokens[j] == ")"), len(tokens))
            inside = keys(w for w in tokens[i + 1: close] if _capitalised(w))
            if inside:
                out.append(Binding(inside, _UNNAMED, " ".join(w for w in tokens[i + 1: close] if _capitalised(w)),
                                   "a name it does not give"))
    out += _based(text)
    return tuple(out)


def _based(text: str) -> list[Binding]:
    """"X is listed with its headquarters in Z", "X, based in Z": Z to the last name before the words."""
    out = []
    for m in _BASED.finditer(text):
        tokens = _TOKEN.findall(text[: m.start()])
        before = [r for r in _runs(tokens) if not r.possessive]
        place = _runs(_TOKEN.findall(text[m.end():]))
        if before and place and text[m.end():].lstrip()[:1].isupper() \
                and not set(tokens[before[-1].end:]) & {".", ";", "!", "?", "("}:  # in the name's own clause
            a, n = keys(place[0].words), keys(before[-1].words)
            if a and n and not a & n:
                out.append(Binding(a, n, place[0].text, before[-1].text))
    return out


def same_attribute(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """Every word of ``mine`` is one of ``theirs``, a people's name counting as its place's ("Austrian" is
    "(Austria)"; "San Francisco" is in "(HQ: San Francisco, CA USA)")."""
    return all(k in theirs or same_place(k, set(theirs)) for k in mine)


def moved(claim: str, unit: str, others: tuple[str, ...] = ()) -> str | None:
    """The reason the claim gives an attribute of one name to another, or None. Only when the unit binds the
    attribute to another name, the passage (``unit`` and ``others``) never binds it to the claim's name, and
    the claim's name is in the unit."""
    theirs = bindings(unit)
    if not theirs:
        return None
    passage = [*theirs, *(b for text in others for b in bindings(text))]
    named = keys(w for w in _TOKEN.findall(unit) if _capitalised(w))
    for mine in bindings(claim):
        if not mine.name & named:
            continue
        given = [b for b in theirs if same_attribute(mine.attribute, b.attribute) and not b.name & mine.name]
        held = any(b.name & mine.name and same_attribute(mine.attribute, b.attribute)
                   or b.attribute & mine.name and same_attribute(mine.attribute, b.name) for b in passage)
        own = list(dict.fromkeys(b.attribute_text for b in passage if b.name & mine.name))
        if not own:  # nameless: only against what the passage gives the claim's name instead
            given = [b for b in given if b.name != _UNNAMED]
        if given and not held:
            also = f" ({mine.name_text}: {', '.join(own)})" if own else ""
            said = given[0].attribute_text
            said = said if len(said.split()) <= len(mine.attribute_text.split()) else f"{mine.attribute_text} ({said})"
            return f"the passage gives {said} to {given[0].name_text}{also}; the answer gives it to {mine.name_text}"
    return None
