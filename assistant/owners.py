"""Whose fact it is: each date, number and amount of a sentence tied to the event it is said of ("was released
on May 5", "the launch of X on May 5", "X, released on May 5", "X (May 5)") and to the names taking part in that
event. Read from the dependency parse of :mod:`assistant.nlp`; :func:`assistant.roles.conflict` compares a claim's
with its passage's. Says nothing about whether a fact is right, only whose it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import nlp
from .claims import COMPARISON_ABBREVIATIONS, norm_name, numbers
from .cues import PRONOUNS
from .frames import _NAME_ALIASES, _SAME, stem

_FACT_LABELS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"}
_KIND = {"DATE": "date", "TIME": "date", "MONEY": "money", "PERCENT": "percent"}
_MONTHS = set("january february march april may june july august september october november december".split())
# Written before a number, these date it or number it ("Jul 13, 2019", "No. 1"): never a name taking part.
_BEFORE_NUMBER = set("jan feb mar apr jun jul aug sep sept oct nov dec no nos".split())
_WEEKDAYS = set("monday tuesday wednesday thursday friday saturday sunday".split())
_PARTICIPANT = {"nsubj", "nsubjpass", "csubj", "dobj", "dative", "agent"}  # not "attr", "oprd": "elected mayor"
_ARGUMENT = {"dobj", "nsubj", "nsubjpass", "attr"}  # a noun event as a core argument of a verb
_SUBJECT = {"nsubj", "nsubjpass", "csubj", "agent"}
_RELATIVE = {"who", "which", "that", "whom"}  # "X, who was elected": the subject is X
_HOLDER = {"acl", "relcl"}  # "X, released on May 5": the noun is what the verb is said of
_INHERIT = {"xcomp", "conj", "advcl"}  # a verb with no subject of its own shares its head's
_OF = {"poss", "compound", "nmod", "appos"}  # a noun's own names: "Apple's launch", "the iPhone launch"
_PHRASE = {"det", "amod", "compound", "poss", "nummod", "case", "quantmod", "nmod"}
# Verbs that only place a noun event in time: "the launch of X came on May 5" is X's launch.
_LIGHT = {"come", "happen", "occur", "take", "be", "fall", "arrive"}
_ANCHOR = {"appos", "npadvmod", "nmod", "nummod"}  # a fact put next to a name: "X (May 5)", "X, May 5"
_TOGETHER = {"alongside", "with", "like", "as", "amid", "during"}  # "alongside the release of X": the same time
_OPENERS = {".", "!", "?", ":", '"', "“", "”", ";"}


@dataclass(frozen=True)
class Entity:
    keys: frozenset[str]  # its words, lower case, numbers kept: "ios 13" and "ios 12" differ
    text: str


@dataclass(frozen=True)
class Event:
    index: int  # the verb, the event noun, or the name a fact is put next to
    lemma: str  # stemmed: "releas" for "was released" and "the release of"; "" for a fact next to a name
    text: str  # as written: "the phone was released", "the official public release of iOS 13"
    who: tuple[Entity, ...]  # the names taking part
    described: str  # a participant given only by a description: "the phone"
    together: bool  # tied to its head by "alongside", "with": it shares the head event's time


@dataclass(frozen=True)
class Owned:
    fact: frozenset[str]  # numbers and months: "September 20, 2019" -> {"september", "20", "2019"}
    written: str
    kind: str  # "date", "money", "percent" or "count"
    event: Event


@dataclass(frozen=True)
class Sentence:
    facts: tuple[Owned, ...]
    events: tuple[Event, ...]  # every event a name takes part in, with a fact or not
    names: tuple[Entity, ...]
    arcs: tuple[tuple[int, str], ...]  # token -> (its head, the label of the arc)
    spots: tuple[tuple[int, Entity], ...] = ()  # each name with its first token

    def names_in(self, e: Event) -> set[frozenset[str]]:
        """The names said inside event ``e``'s clause or phrase, in any role ("held in London": London)."""
        return {n.keys for i, n in self.spots if self._within(i, e.index)}

    def related(self, a: Event, b: Event) -> bool:
        """One event is placed inside the other ("released a day after the release of X"), not beside it
        ("X was released in May, and the software in June")."""
        return self._within(a.index, b.index) or self._within(b.index, a.index)

    def inside(self, a: Event, b: Event) -> bool:
        """Event ``a`` is placed inside event ``b`` (a clause or phrase hanging on it, not a conjunct)."""
        return a.index != b.index and self._within(a.index, b.index)

    def argument_of(self, a: Event, b: Event) -> bool:
        """Event ``a`` is a noun that takes part in event ``b`` ("to win the 2019 title"): what dates the title dates
        the win."""
        head, dep = self.arcs[a.index]
        return a.index != b.index and head == b.index and dep in _ARGUMENT

    def adverbial_of(self, a: Event, b: Event) -> bool:
        """Event ``a`` is an adverbial clause of event ``b`` ("won the title after beating Y in the final"): it
        tells how or when ``b`` happened."""
        head, dep = self.arcs[a.index]
        if dep == "pcomp":  # "after beating": the parser hangs the clause on the preposition
            head, dep = self.arcs[head]
            dep = "advcl" if dep == "prep" else dep
        return a.index != b.index and head == b.index and dep == "advcl"

    def _within(self, i: int, j: int) -> bool:
        for _ in range(len(self.arcs)):
            if i == j:
                return True
            head, dep = self.arcs[i]
            if head == i or dep == "conj":
                return False
            i = head
        return False


def kind(lemma: str) -> str:
    """The stem two predicates share when they say the same ("bought" and "the purchase" both "acquir")."""
    return stem(_SAME.get(lemma, lemma)) if lemma else ""


@lru_cache(maxsize=8192)
def read(text: str) -> Sentence:
    return _Reader(nlp.parse(text)).sentence()


class _Reader:
    def __init__(self, p: nlp.Parse):
        self.p, self.t = p, p.tokens
        self.kids: dict[int, list[nlp.Token]] = {i: [] for i in range(len(self.t))}
        for tok in self.t:
            if tok.head != tok.i:
                self.kids[tok.head].append(tok)
        self.run_of: dict[int, int] = {}  # token -> first token of the name it is part of
        self.members: dict[int, list[int]] = {}  # first token of a name -> its tokens
        self.runs: dict[int, Entity] = {}
        self._names()

    # --- names and phrases ----------------------------------------------------------------
    def _is_name(self, tok) -> bool:
        if (tok.lemma in _MONTHS or tok.lemma in _WEEKDAYS or tok.lemma in PRONOUNS or tok.text[:1].isdigit()
                or tok.text.lower() in COMPARISON_ABBREVIATIONS):
            return False
        if tok.ent in _FACT_LABELS and tok.pos != "PROPN":
            return False
        if not any(c.isalnum() for c in tok.text) or (tok.text.lower().rstrip(".") in _BEFORE_NUMBER
                                                       and self._number_after(tok.i)):
            return False
        if tok.pos == "PROPN":
            return True
        first = tok.i == 0 or self.t[tok.i - 1].text in _OPENERS
        return tok.pos in ("NOUN", "ADJ") and any(c.isupper() for c in tok.text) and not first

    def _number_after(self, i: int) -> bool:
        nxt = self.t[i + 1 : i + 3]
        if nxt and nxt[0].text == ".":
            nxt = nxt[1:]
        return bool(nxt) and nxt[0].text[:1].isdigit()

    def _names(self) -> None:
        """Runs of name words, with the numbers glued to them ("iOS 13", "Pixel 6 Pro")."""
        start = None
        for tok in self.t:
            glued = start is not None and tok.text[:1].isdigit() and (
                tok.ent in ("", "CARDINAL") or tok.ent == self.t[tok.i - 1].ent)  # "Nimbus 4", one entity
            if self._is_name(tok) or glued:
                start = tok.i if start is None else start
                self.run_of[tok.i] = start
                self.members.setdefault(start, []).append(tok.i)
            else:
                start = None
        for s, idx in self.members.items():
            keys = frozenset(_NAME_ALIASES.get(self.t[i].text.lower(), norm_name(self.t[i].text)) for i in idx)
            self.runs[s] = Entity(keys, self._text(idx))

    def _text(self, idx) -> str:
        """Tokens as written, spaced as in the sentence."""
        out, last = "", None
        for i in sorted(set(idx)):
            tok = self.t[i]
            joined = last is not None and i == last.i + 1 and tok.start == last.start + len(last.text)
            out += ("" if joined or last is None else " ") + tok.text
            last = tok
        return out

    def _phrase(self, i: int, depth: int = 0) -> set[int]:
        """A noun phrase with its names and its "of" part, not its clauses: "the official public release of iOS 13"."""
        idx = {i} | set(self.members.get(self.run_of.get(i, -1), ()))
        for c in self.kids[i]:
            if c.dep in _PHRASE or (c.dep == "prep" and c.lemma == "of" and depth < 2):
                idx |= self._phrase(c.i, depth + 1)
            elif c.dep == "pobj" and depth:
                idx |= self._phrase(c.i, depth)
        return idx

    def _entities(self, tok, depth: int = 0) -> tuple[list[Entity], str]:
        """The names a participant stands for, and its description when it names none ("the phone")."""
        found: list[Entity] = []
        if tok.i in self.run_of:
            found.append(self.runs[self.run_of[tok.i]])
        elif tok.pos == "NOUN" and depth < 3:
            for c in self.kids[tok.i]:
                if c.dep in _OF and c.i in self.run_of:
                    found.append(self.runs[self.run_of[c.i]])
                elif c.dep == "prep" and c.lemma == "of":
                    found += [e for g in self.kids[c.i] if g.dep == "pobj" for e in self._entities(g, depth + 1)[0]]
        for c in self.kids[tok.i]:
            if c.dep == "conj" and depth < 3:
                found += self._entities(c, depth + 1)[0]
        described = self._text(self._phrase(tok.i)) if not found and tok.pos == "NOUN" else ""
        return list(dict.fromkeys(found)), described

    # --- events ---------------------------------------------------------------------------
    def _participants(self, tok, deps=_PARTICIPANT) -> tuple[list[Entity], str, set[int], bool]:
        """(names, description, tokens to show, whether it has a subject) of a verb's subject, object and agent."""
        who: list[Entity] = []
        described, shown, subject = "", set(), False
        for c in self.kids[tok.i]:
            if c.dep not in deps or c.lemma in _RELATIVE:
                continue
            subject = subject or c.dep in _SUBJECT
            targets = [g for g in self.kids[c.i] if g.dep == "pobj"] if c.dep == "agent" else [c]
            shown |= {c.i} if c.dep == "agent" else set()
            for g in targets:
                names, desc = self._entities(g)
                who += names
                described = described or desc
                if g.lemma not in PRONOUNS:
                    shown |= self._phrase(g.i)
        return who, described, shown, subject

    def _event(self, i: int) -> Event | None:
        """The event token ``i`` states, if it is a verb, a copula or a noun with names of its own."""
        tok = self.t[i]
        if tok.pos == "VERB" or (tok.pos == "AUX" and tok.dep in ("ROOT", "conj", "ccomp", "advcl")):
            if tok.lemma in _LIGHT:  # "the launch of X came on May 5", "the price of X is $5"
                for c in self.kids[i]:
                    if c.dep in ("nsubj", "nsubjpass") and c.pos == "NOUN" and (noun := self._event(c.i)):
                        return noun
            return self._verb(tok)
        if tok.pos == "NOUN" and i not in self.run_of:
            names = [self.runs[self.run_of[c.i]] for c in self.kids[i] if c.dep in _OF and c.i in self.run_of]
            for c in self.kids[i]:
                if c.dep == "prep" and c.lemma == "of":
                    names += [e for g in self.kids[c.i] if g.dep == "pobj" for e in self._entities(g)[0]]
            if names:
                return Event(i, kind(tok.lemma), self._text(self._phrase(i)), tuple(dict.fromkeys(names)), "",
                             self._together(tok))
        if i in self.run_of and tok.dep == "conj" and self.t[tok.head].pos == "VERB":
            # gapping: "X was released on May 5 and Y on June 9": Y's release, with its own date
            verb, run = self.t[tok.head], self.runs[self.run_of[i]]
            return Event(i, kind(verb.lemma), f"{run.text} ({verb.text})", (run,), "", False)
        return None

    def _verb(self, tok) -> Event:
        who, described, shown, subject = self._participants(tok)
        dep, j = tok.dep, tok.head
        for _ in range(4):  # no subject of its own: the noun it describes, or its head verb's subject
            if subject or j == tok.i:
                break
            if dep in _HOLDER:
                holder = self.t[j]
                if holder.dep == "attr":  # "London became the first city to host": the city is London
                    holder = next((c for c in self.kids[holder.head] if c.dep in _SUBJECT), holder)
                names, desc = self._entities(holder)
                who, described = who + names, described or desc
                shown |= self._phrase(holder.i)
                break
            if dep not in _INHERIT:
                break
            names, desc, inherited, subject = self._participants(self.t[j], _SUBJECT)
            who, described, shown = who + names, described or desc, shown | inherited
            dep, j = self.t[j].dep, self.t[j].head
        shown |= {tok.i} | {c.i for c in self.kids[tok.i] if c.dep in ("aux", "auxpass", "neg")}
        return Event(tok.i, kind(tok.lemma), self._text(shown), tuple(dict.fromkeys(who)), described,
                     self._together(tok))

    def _together(self, tok) -> bool:
        """Tied to its head by a word that puts both at one time: "alongside the release of X"."""
        return tok.dep == "pobj" and self.t[tok.head].lemma in _TOGETHER

    def _owner(self, root: int) -> Event | None:
        """The event a fact is said of: the nearest verb or event noun above it, or the name it is put next to.
        A fact before the "after" that opens a clause is not the clause's ("On May 5, after X fell, Y rose")."""
        j = root
        for _ in range(8):
            tok = self.t[j]
            h = tok.head
            if h == j:
                return None
            # "X (May 5)", and "X, who was 19 years old", "X, 132 days old": a fact put next to a name, or in a
            # copula's relative clause or an adjective on it, is the name's
            if (tok.dep in _ANCHOR or (tok.dep == "relcl" and tok.lemma == "be") or tok.dep == "amod") and \
                    h in self.run_of and j not in self.run_of:
                run = self.runs[self.run_of[h]]
                return Event(h, "", run.text, (run,), "", False)
            found = self._event(h)
            opens = [c.i for c in self.kids[h] if c.dep == "mark"]
            if found is not None and not (opens and root < min(opens)):
                return found
            j = h
        return None

    def _facts(self) -> list[tuple[frozenset[str], str, str, int]]:
        """(keys, as written, kind, root token) of each date, number and amount not part of a name."""
        out = []
        seen: set[int] = set()
        spans = [(e.start, e.end, _KIND.get(e.label, "count")) for e in self.p.entities if e.label in _FACT_LABELS]
        spans += [(t.start, t.start + len(t.text), "count") for t in self.t if t.pos == "NUM" and not t.ent]
        for start, end, what in spans:
            idx = [t.i for t in self.t if start <= t.start < end and t.i not in self.run_of and t.i not in seen]
            if not idx:
                continue
            seen |= set(idx)
            first = idx[0] - 1 if idx[0] and self.t[idx[0] - 1].pos == "SYM" else idx[0]  # the "$" of "$599"
            text = self.p.text[self.t[first].start : self.t[idx[-1]].start + len(self.t[idx[-1]].text)]
            keys = set(numbers(text)) | {self.t[i].lemma for i in idx if self.t[i].lemma in _MONTHS}
            if keys:
                out.append((frozenset(keys), text, what, next((i for i in idx if self.t[i].head not in idx), idx[0])))
        return out

    def sentence(self) -> Sentence:
        owned = []
        for keys, text, what, root in self._facts():
            event = self._owner(root)
            if event is not None:
                owned.append(Owned(keys, text, what, event))
        events = [e for i in range(len(self.t)) if (e := self._event(i)) is not None and e.who]
        events += [o.event for o in owned if not o.event.lemma]
        return Sentence(tuple(owned), tuple(events), tuple(self.runs.values()), tuple((t.head, t.dep) for t in self.t),
                        tuple(self.runs.items()))
