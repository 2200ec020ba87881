"""Whom a list of names is given a fact: "the careers of Coppola, Pacino and other newcomers" says it of Coppola and
Pacino, and "the careers of Coppola, Brando and ..." puts another name in that list. Read from the words: runs of
capitalised words joined by commas and "and"/"or", and the content word the list hangs on ("careers")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import norm_name
from .lexical import stopwords, tokenize

_WORD = r"[A-Z][\w&-]*(?:['’](?!s\b)\w+)?"
_MEMBER = rf"{_WORD}(?:\s+{_WORD}){{0,3}}"
_JOIN = r"(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
_LIST = re.compile(rf"(?<![\w'’])(?P<list>{_MEMBER}(?:{_JOIN}{_MEMBER})+)(?![\w'’])")
_BEFORE = re.compile(r"[A-Za-z][\w'’-]*")
CONTEXT_WORDS = 3  # the list hangs on the nearest content word at most this many words before it


@dataclass(frozen=True)
class NameList:
    on: str  # the content word it hangs on, stemmed ("career")
    members: tuple[frozenset[str], ...]  # each name's words
    written: tuple[str, ...]


def lists(text: str) -> list[NameList]:
    """The lists of two or more names in ``text`` that hang on a content word before them."""
    out = []
    for m in _LIST.finditer(text):
        before = _BEFORE.findall(text[: m.start()])[-CONTEXT_WORDS:]
        on = next((w for w in reversed(before) if w.lower() not in stopwords() and not w[0].isupper()), "")
        if not on:
            continue
        written = tuple(w.strip() for w in re.split(_JOIN, m.group("list")) if w.strip())
        out.append(NameList(tokenize(on.lower())[0] if tokenize(on.lower()) else on.lower(),
                            tuple(frozenset(norm_name(x) for x in w.split()) for w in written), written))
    return out


def added_member(claim: str, unit: str) -> str | None:
    """The claim's list of names shares what it hangs on and a member with one of the unit's, and has a member
    that list lacks: why, or None."""
    theirs = lists(unit)
    for mine in lists(claim):
        for other in theirs:
            if other.on != mine.on or not any(_same(a, b) for a in mine.members for b in other.members):
                continue
            extra = [w for a, w in zip(mine.members, mine.written, strict=True)
                     if not any(_same(a, b) for b in other.members)]
            if extra:
                return (f"the passage says it of {', '.join(other.written)}; the answer also says it of "
                        f"{extra[0]}")
    return None


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a
