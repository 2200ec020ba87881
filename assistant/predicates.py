"""Predicates stated the other way in two sentences: "the first X" or "the only X" (any copular complement)
denied in one and stated in the other ("was not the first", "became the first"), a verb denied by "no longer",
a statement denied in other words than the passage's ("does not regard X as an asset" against "X's potential as
an asset", which has no negation at all),
a name moved to the other side of a verb the two share, also out of a list ("Munich beat PyeongChang and
Annecy" against "the city beat Munich and Annecy"), and ranks moved between two things the passage ranks ("the
second Asian woman, and the first woman ever" against "the first Asian woman and second woman ever"). Firsts said
in other ways ("no X had ever V before Z", "Z was not the first X", the first X given to another name) are read
in :mod:`.firsts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import firsts, restrictions
from .arcs import sentence
from .claims import _ORDINAL_UNITS, _TEENTHS
from .contrasts import compared_alike
from .cues import _DIRECTION, PRONOUNS
from .frames import read
from .roles import Conflict, _best_frame

_COPULAS = {"be", "become", "remain", "stay"}
_MARKS = {"first", "only", "last", "sole", "second", "third", "fourth", "fifth", "biggest", "largest", "oldest"}
_HELPERS = {"neg", "aux", "auxpass", "punct", "mark", "cc"}
_CORE = ("subj", "obj")
SAME_COMPLEMENT = 0.6  # share of the claim's complement keys the unit's must have to be the same predicate
# What a denied statement says besides its verb: at least this many keys, this share of their weight in the unit
DENIED_KEYS, DENIED_SHARE = 3, 0.8
_FLAT_DENIALS = {"not", "n't", "never"}
_IMPLICATIVE = {"fail", "refuse"}  # "failed to win" denies the win as "did not win" does
# words by which a sentence denies, lacks or ends something without "not": a unit with one may say the claim's
# denial in its own words ("refused to", "lost", "absent", "voted against")
_NEGATIVE = {"not", "n't", "never", "no", "none", "nobody", "nothing", "nor", "neither", "without", "fail", "refuse",
             "lack", "cease", "stop", "quit", "halt", "end", "hardly", "barely", "rarely", "seldom", "unable",
             "unlikely", "absent", "miss", "skip", "avoid", "exclude", "omit", "ban", "prevent", "block", "lose",
             "decline", "against", "instead", "rather", "longer", "former", "formerly", "previously"} | {
    w for w, (dim, pol) in _DIRECTION.items() if pol < 0 and dim in ("assert", "support")}


@dataclass(frozen=True)
class Complement:
    """"X is / became (not) the first film to ...": what is said of the subject, and whether it is denied."""

    head: str  # the complement's own word, stemmed ("film")
    marks: frozenset[str]  # "first", "only"
    keys: frozenset[str]
    subject: frozenset[str]  # empty for a pronoun or no subject
    negation: str
    text: str


@lru_cache(maxsize=4096)
def complements(text: str) -> tuple[Complement, ...]:
    s = sentence(text)
    out = []
    for tok in s.t:
        head = s.t[tok.head]
        if tok.dep not in ("attr", "acomp") or head.lemma not in _COPULAS or tok.pos not in ("NOUN", "ADJ"):
            continue
        marks = frozenset(c.text.lower() for c in s.kids[tok.i] if c.text.lower() in _MARKS)
        subj = next((c for c in s.kids[head.i] if c.dep in ("nsubj", "nsubjpass")), None)
        if subj is None and head.dep in ("advcl", "conj", "xcomp"):  # ", becoming the first ...": its verb's subject
            subj = next((c for c in s.kids[head.head] if c.dep in ("nsubj", "nsubjpass")), None)
        subject = frozenset() if subj is None or subj.lemma in PRONOUNS else frozenset(s.keys(s.subtree(subj.i)))
        # what the copula says of its subject: its clause without the subject, the copula and its helpers
        own = {c.i for c in s.kids[head.i] if c.dep in _HELPERS} | {head.i}
        span = s.clause(head.i) - own - (s.subtree(subj.i) if subj is not None and subj.head == head.i else set())
        out.append(Complement(s.stem(tok.i), marks, frozenset(s.keys(span)), subject, s.negation(head.i),
                              s.text(span)))
    return tuple(out)


def _denied(claim: str, unit: str) -> Conflict | None:
    for c in complements(claim):
        for u in complements(unit):
            if u.head != c.head or u.marks != c.marks or bool(u.negation) == bool(c.negation):
                continue
            if c.subject and u.subject and not c.subject & u.subject:
                continue  # said of someone else
            if len(c.keys & u.keys) < SAME_COMPLEMENT * len(c.keys):
                continue
            if c.negation:
                return Conflict("negation", f"the passage says it is {_plain(u.text)}; the answer says it is not "
                                            f"(\"{c.negation} {_plain(c.text)}\")")
            return Conflict("negation", f"the passage says it is not {_plain(u.text)} (\"{u.negation}\"); the answer "
                                        f"says it is")
    return None


def _no_longer(claim: str, unit: str) -> Conflict | None:
    """A verb the frames read as stated in both, yet denied in one by "no longer"."""
    c, u = read(claim), read(unit)
    cs, us = sentence(claim), sentence(unit)
    for f in c.frames:
        g = _best_frame(f, u.frames)
        if g is None or not (f.word_is_verb and g.word_is_verb) or f.negated != g.negated:
            continue
        mine, theirs = cs.negation(f.index), us.negation(g.index)
        if mine and not theirs:
            return Conflict("negation", f"the passage says {_plain(g.phrase())}; the answer denies it (\"{mine}\")")
        if theirs and not mine:
            return Conflict("negation", f"the passage denies that {_plain(f.phrase())} (\"{theirs}\"); the answer "
                                        f"says it")
    return None


def _denied_statement(claim: str, unit: str) -> Conflict | None:
    """The claim denies with "not", "never" or "failed to" what the unit states with no negation of any kind, in
    other words ("Xu does not regard computing power as an asset" against "the investment potential of computing
    power as an asset"): what the denied verb says besides itself is in the unit. A verb that itself denies or changes
    ("did not reject", "did not rise") is left to the rules of direction."""
    cs = sentence(claim)
    denied = []
    for tok in cs.t:
        word = cs.negation(tok.i)
        if (word.lower() in _FLAT_DENIALS or cs.t[tok.head].lemma in _IMPLICATIVE and tok.dep == "xcomp") and \
                tok.lemma not in _NEGATIVE and tok.lemma not in _DIRECTION:
            denied.append((tok, word if word.lower() in _FLAT_DENIALS else f"{word} to"))
    if not denied:
        return None
    us = sentence(unit)
    shared = {t.lemma for t in cs.t} - _FLAT_DENIALS  # "former President Trump" in both says nothing of the denial
    if any(t.dep == "neg" or (t.lemma in _NEGATIVE or t.text.lower() in _NEGATIVE) and t.lemma not in shared
           for t in us.t):
        return None
    theirs = us.keys(set(range(len(us.t))))
    for tok, word in denied:
        said = cs.keys(cs.clause(tok.i) - {tok.i})
        said.pop(cs.key(tok.i), None)
        found = sum(w for k, w in said.items() if k in theirs)
        names_in = all(k in theirs for k, w in said.items() if w > 1)
        if len(said) >= DENIED_KEYS and names_in and found >= DENIED_SHARE * sum(said.values()):
            return Conflict("negation", f"the passage states it with no negation; the answer denies it "
                                        f"(\"{word} {tok.text}\")")
    return None


def _crossed(claim: str, unit: str) -> Conflict | None:
    """A name the claim gives one role of the shared verb that the unit gives the other role, and not this one:
    "Munich beat PyeongChang and Annecy" against "the city beat Munich, Germany, and Annecy"."""
    c, u = read(claim), read(unit)
    for f in c.frames:
        g = _best_frame(f, u.frames)
        if g is None or not (f.word_is_verb and g.word_is_verb):
            continue
        if not all(slot in f.slots and f.slots[slot].names and slot in g.slots for slot in _CORE):
            continue  # both parties named in the claim, both roles filled in the unit
        for mine, other in (_CORE, _CORE[::-1]):
            moved = (f.slots[mine].names & g.slots[other].names) - g.slots[mine].names - f.slots[other].names
            if moved:
                return Conflict("role", f"the passage says {_plain(g.phrase())}; the answer says "
                                        f"{_plain(f.phrase())}")
    return None


_ORDINALS = _ORDINAL_UNITS | _TEENTHS
_ORDINAL_DIGITS = re.compile(r"^(\d{1,3})(?:st|nd|rd|th)$")
_DESCRIBING = {"amod", "compound", "nmod"}


def _rank_of(word: str) -> int | None:
    m = _ORDINAL_DIGITS.match(word.lower())
    return int(m.group(1)) if m else _ORDINALS.get(word.lower())


@lru_cache(maxsize=4096)
def ordinals(text: str) -> tuple[tuple[int, frozenset[str], str], ...]:
    """(rank, what is ranked, as written) of each ordinal on a noun: "the first Asian woman" ->
    (1, {"asian", "woman"}, "first Asian woman"). What is ranked is the noun with its other describing words."""
    s = sentence(text)
    out = []
    for tok in s.t:
        rank = _rank_of(tok.text)
        head = s.t[tok.head]
        if rank is not None and tok.dep == "conj" and _rank_of(head.text) is not None:  # "first and second quarters"
            head = s.t[head.head]
        elif tok.dep != "amod":
            continue
        if rank is None or head.pos not in ("NOUN", "PROPN"):
            continue
        described = {head.i} | {c.i for c in s.kids[head.i] if c.dep in _DESCRIBING and _rank_of(c.text) is None}
        keys = frozenset(k for i in described if (k := s.key(i)))
        if keys:
            out.append((rank, keys, s.text(described | {tok.i})))
    return tuple(out)


def _reranked(claim: str, unit: str) -> Conflict | None:
    """Ranks moved between the things the unit ranks: "the second Asian woman, and the first woman ever" against
    "the first Asian woman and second woman ever". Only when the unit ranks the same thing, never as the claim
    does, and gives the claim's rank to something else (a rank the unit spells in a way not read here, "Q1",
    "seventy-fifth", must not look wrong)."""
    theirs = ordinals(unit)
    for rank, keys, written in ordinals(claim):
        same = [(r, w) for r, k, w in theirs if k == keys]
        if same and all(r != rank for r, _ in same) and any(r == rank and k != keys for r, k, _ in theirs):
            return Conflict("rank", f"the passage says \"{same[0][1]}\"; the answer says \"{written}\"")
    return None


@lru_cache(maxsize=4096)
def descriptions(text: str) -> tuple[tuple[frozenset[str], frozenset[str], str, str], ...]:
    """(keys of the description, names of whom it describes, both as written) for each description bound to a
    name: an apposition ("X, now one of the most sought-after directors,") or a copula's complement ("X is now
    one of the most sought-after directors")."""
    s = sentence(text)
    out = []
    for tok in s.t:
        head = s.t[tok.head]
        if tok.dep == "appos" and head.i in s.names:
            holder = head
        elif tok.dep == "attr" and head.lemma in _COPULAS:
            holder = next((c for c in s.kids[head.i] if c.dep in ("nsubj", "nsubjpass")), None)
        else:
            continue
        if holder is None:
            continue
        span = s.subtree(tok.i)
        whom = s.subtree(holder.i) - span
        names = frozenset(k for i in whom if i in s.names and (k := s.key(i)))
        if names:
            out.append((frozenset(s.keys(span)), names, s.text(span), _plain(s.text(whom))))
    return tuple(out)


def _redescribed(claim: str, unit: str) -> Conflict | None:
    """A description the unit binds to one name given to another name it gives: "Hurd, one of the most
    sought-after directors" against "Cameron is one of the most sought-after directors ... married to Hurd"."""
    theirs = descriptions(unit)
    us = sentence(unit)
    named = {us.key(i) for i in us.names}
    for keys, who, _, whom in descriptions(claim):
        same = [(w, t, h) for k, w, t, h in theirs if len(keys) >= DENIED_KEYS and
                len(keys & k) >= DENIED_SHARE * len(keys)]
        if same and not any(w & who for w, _, _ in same) and who <= named:
            return Conflict("role", f"the passage says {same[0][2]} is \"{same[0][1]}\"; the answer says it of "
                                    f"{whom}")
    return None


def _plain(phrase: str) -> str:
    return phrase.strip(" ,;:.…")


def conflict(claim: str, unit: str) -> Conflict | None:
    return _denied(claim, unit) or firsts.conflict(claim, unit) or _no_longer(claim, unit) or \
        restrictions.conflict(claim, unit) or _denied_statement(claim, unit) or _reranked(claim, unit) or \
        _redescribed(claim, unit) or \
        (None if compared_alike(claim, unit) else _crossed(claim, unit))
