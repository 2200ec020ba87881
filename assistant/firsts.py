"""Firsts: "Z was the first / oldest / only X (to V)", stated outright, said as a denial about all the others ("no X
had ever V before", "until Z, no X had V", "no X is older than Z"), or denied ("Z was not the first X", "another X
had already V"). Read from the words and arcs of the parse :mod:`assistant.nlp` caches; :func:`conflict` compares
two sentences' firsts, :func:`nobody` gives the "no X" phrases that say a first rather than an absence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .arcs import sentence
from .claims import norm_name
from .frames import stem
from .roles import Conflict

# the mark on X, as one word for the ways of saying it ("sole" is "only", "earliest" is "first")
_MARKS = {"first": "first", "earliest": "first", "only": "only", "sole": "only", "oldest": "oldest",
          "youngest": "youngest", "longest": "longest", "largest": "largest", "biggest": "biggest"}
# "no X is older than Z": the comparative's superlative
_COMPARATIVES = {"older": "oldest", "younger": "youngest", "longer": "longest", "larger": "largest",
                 "bigger": "biggest", "earlier": "first"}
_COPULAS = {"be", "become", "remain"}
_EVER = {"ever", "before", "previously"}  # "no X had ever V", "no X had V before"
_ALREADY = {"already", "before", "previously", "earlier"}  # "another X had already V"
_LIMITS = {"until", "till", "before"}  # "until Z, no X had V": Z is the first
_DESCRIBING = {"amod", "compound", "nmod"}
_NAMED = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}
_NAME_POS = {"PROPN", "NOUN", "ADJ", "X"}  # a named entity's own words, not its "The" or "'s"
_OWN = {"compound", "flat", "poss", "case", "det", "amod", "nmod"}  # what of a holder's phrase names it


@dataclass(frozen=True)
class First:
    """Z is the first (only, oldest) X: ``kind`` is X (stems of the noun and its describing words), ``holder`` the
    names of Z (empty when the sentence does not name Z), ``denied`` whether the sentence says Z is not."""

    mark: str
    head: str  # X's own word, stemmed
    kind: frozenset[str]
    holder: Holder
    denied: bool
    text: str  # X as written, with its mark or its "no"
    nobody: str = ""  # the "no X" phrase (lower case, no spaces) when the first is said as a denial about the others


def _kind(s, i: int) -> tuple[str, frozenset[str]]:
    own = {i} | {c.i for c in s.kids[i] if c.dep in _DESCRIBING and c.text.lower() not in _MARKS}
    return stem(s.t[i].lemma.lower()), frozenset(stem(s.t[j].lemma.lower()) for j in own if s.t[j].text[:1].isalnum())


@dataclass(frozen=True)
class Holder:
    """Z: its names (normalised) and as written."""

    names: frozenset[str]
    written: str


_NOBODY = Holder(frozenset(), "")


def _names(s, i: int | None) -> Holder:
    """The names of the phrase headed by ``i``, without its clauses and prepositions ("Egan Bernal, who won the
    Tour" -> Egan Bernal)."""
    if i is None:
        return _NOBODY
    out, todo = set(), [i]
    while todo:
        j = todo.pop()
        tok = s.t[j]
        if (tok.pos == "PROPN" or tok.ent in _NAMED) and tok.pos in _NAME_POS and tok.text[:1].isalnum():
            out.add(j)
        todo += [c.i for c in s.kids[j] if c.dep in _OWN]
    keys = frozenset(k for j in out if (k := norm_name(s.t[j].text)))
    return Holder(keys, " ".join(s.t[j].text for j in sorted(out))) if keys else _NOBODY


def _subject(s, verb: int) -> int | None:
    """The subject of the verb, or of the verb its clause hangs on (", becoming the first ...", "something no X
    had done"), or the noun a relative clause is about ("Nimblr, which offers the first ...")."""
    for _ in range(4):
        subj = next((c for c in s.kids[verb] if c.dep in ("nsubj", "nsubjpass")), None)
        if subj is not None and s.t[subj.i].pos != "PRON":
            return subj.i
        tok = s.t[verb]
        if tok.dep == "relcl" and subj is not None:  # "which offers": the noun it is about
            return tok.head
        if tok.head == verb or tok.dep not in ("advcl", "conj", "xcomp", "relcl", "npadvmod", "acl"):
            return None
        verb = tok.head
        while s.t[verb].pos not in ("VERB", "AUX") and s.t[verb].head != verb:  # "something" -> its verb
            verb = s.t[verb].head
    return None


def _holder_of_mark(s, noun: int) -> tuple[Holder, bool]:
    """Whom "the first X" at ``noun`` is said of, and whether that is denied."""
    tok = s.t[noun]
    while tok.dep == "conj" and s.t[tok.head].pos in ("NOUN", "PROPN", "ADJ"):  # "the first A and first B"
        tok = s.t[tok.head]
    head = s.t[tok.head]
    if tok.dep in ("attr", "acomp") and head.lemma in _COPULAS:
        return _names(s, _subject(s, head.i)), bool(s.negation(head.i))
    if tok.dep == "appos":
        return _names(s, head.i), False
    if tok.dep in ("nsubj", "nsubjpass") and head.lemma in _COPULAS:  # "the first X was Z"
        attr = next((c for c in s.kids[head.i] if c.dep == "attr"), None)
        return _names(s, attr.i if attr is not None else None), bool(s.negation(head.i))
    if tok.dep == "pobj" and head.lemma == "as":  # "Z made history as the first X"
        return _names(s, _subject(s, s.predicate(head.i))), bool(s.negation(s.predicate(head.i)))
    if tok.dep in ("dobj", "oprd") and head.pos == "VERB":  # "Nimblr, which offers the first ..."
        return _names(s, _subject(s, head.i)), False
    return _NOBODY, False


def _limit(s, verb: int) -> Holder:
    """Z of "until Z" / "before Z" on the verb."""
    for c in s.kids[verb]:
        if c.dep == "prep" and c.lemma in _LIMITS:
            obj = next((g for g in s.kids[c.i] if g.dep == "pobj"), None)
            if obj is not None:
                found = _names(s, obj.i)
                if found.names:
                    return found
    return _NOBODY


def _items(s, i: int) -> list[int]:
    """The noun and the nouns joined to it: "no Colombian or Latin American rider"."""
    out, todo = [], [i]
    while todo:
        j = todo.pop()
        out.append(j)
        todo += [c.i for c in s.kids[j] if c.dep == "conj" and c.pos in ("NOUN", "PROPN", "ADJ")]
    return out


@lru_cache(maxsize=4096)
def firsts(text: str) -> tuple[First, ...]:
    s = sentence(text)
    out = []
    for tok in s.t:
        low = tok.text.lower()
        head = s.t[tok.head]
        # "the first X", "the oldest X": stated or denied of whom the phrase is said
        if low in _MARKS and tok.dep == "amod" and head.pos in ("NOUN", "PROPN", "ADJ"):
            holder, denied = _holder_of_mark(s, head.i)
            word, kind = _kind(s, head.i)
            out.append(First(_MARKS[low], word, kind, holder, denied, f"{tok.text} {head.text}"))
            continue
        if tok.dep != "det" or head.dep not in ("nsubj", "nsubjpass"):
            continue
        noun, verb = head, s.t[head.head]
        kids = {c.lemma.lower() for c in s.kids[verb.i]}
        mark, holder, denied = "", _NOBODY, False
        if low == "no":
            comparative = next((c for c in s.kids[verb.i] if c.dep == "acomp" and c.text.lower() in _COMPARATIVES),
                               None)
            if comparative is not None and verb.lemma in _COPULAS:  # "no X is older than Z"
                than = s.other_side(comparative.i, "than")
                obj = min(than[1]) if than and than[1] else None
                top = next((i for i in (than[1] if than else ()) if s.t[i].head not in than[1]), obj)
                mark, holder = _COMPARATIVES[comparative.text.lower()], _names(s, top)
            elif kids & _EVER or _limit(s, verb.i).names:  # "no X had ever V", "until Z, no X had V"
                mark, holder = "first", _limit(s, verb.i)
                if not holder.names and verb.dep != "ROOT":  # "Z won it, something no X had done before"
                    holder = _names(s, _subject(s, verb.head))
        elif low in ("another", "other") and kids & _ALREADY:  # "another X had already V (before Z)"
            mark, holder, denied = "first", _limit(s, verb.i), True
        if not mark or low == "no" and not holder.names:  # "no X had ever V" of no one named: an absence
            continue
        phrase = squashed(s.text(s.subtree(noun.i))) if low == "no" else ""
        for i in _items(s, noun.i):
            word, kind = _kind(s, i)
            out.append(First(mark, word, kind, holder, denied, f"{tok.text} {s.t[i].text}", phrase))
    return tuple(out)


def squashed(phrase: str) -> str:
    """A phrase as :func:`nobody` gives it: lower case, no spaces (parses join "Bernal 's" apart)."""
    return "".join(phrase.lower().split())


def nobody(text: str) -> frozenset[str]:
    """The "no X" phrases (see :func:`squashed`) that say Z was the first X, not that there was no X."""
    return frozenset(f.nobody for f in firsts(text) if f.nobody)


def _same_kind(a: First, b: First) -> bool:
    return a.mark == b.mark and (a.head == b.head or a.kind <= b.kind or b.kind <= a.kind)


def _whom(f: First) -> str:
    return f.holder.written or "it"


def conflict(claim: str, unit: str) -> Conflict | None:
    """The claim denies a first the unit states of the same holder (or states one the unit denies), or gives the
    unit's first to another name the unit gives."""
    theirs = firsts(unit)
    if not theirs:
        return None
    named = {norm_name(t.text) for t in sentence(unit).t if t.pos == "PROPN" or t.ent in _NAMED}
    for c in firsts(claim):
        mine = c.holder.names
        same = [u for u in theirs if _same_kind(c, u)]
        for u in same:
            if (not mine or not u.holder.names or mine & u.holder.names) and c.denied != u.denied:
                if c.denied:
                    return Conflict("negation", f"the passage says {_whom(u)} was the {u.text}; the answer denies it")
                return Conflict("negation", f"the passage denies that {_whom(u)} was the {u.text}; the answer "
                                            f"says it")
        given = [u for u in same if not u.denied and u.holder.names]
        if not c.denied and mine and mine <= named and given and not any(u.holder.names & mine for u in given):
            return Conflict("role", f"the passage says {_whom(given[0])} is the {given[0].text}; the answer says "
                                    f"it of {_whom(c)}")
    return None
