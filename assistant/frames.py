"""One sentence read for roles: its predicates with the names and numbers in each role, the changes and
stances it states, comparisons and ranks (:mod:`.cues`). Built on :func:`assistant.nlp.parse`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import nlp
from .claims import _OPENERS, norm_name, numbers
from .cues import PRONOUNS, RANKS, Comparison, CueReader, Direction
from .lexical import tokenize

# Predicates that mean the same in a role check ("beat" a rival = "defeat" one).
_SAME = {"beat": "defeat", "overcome": "defeat", "purchase": "acquire", "buy": "acquire", "bid": "acquire",
         "claim": "win", "take": "win", "disclose": "reveal", "helm": "direct", "found": "found"}
# "A sold X to B" is "B acquired X from A"; "A lost to B" is "B defeated A": (verb, its role, role of A).
_CONVERSE = {"sell": ("acquire", "prep:to", "prep:from"), "lose": ("defeat", "prep:to", "obj"),
             "star": ("star", "prep:in", "obj"), "feature": ("feature", "prep:in", "obj")}
# ("X stars in the film" is "the film stars X": the same verb turned round stands for the frame it was read as)
_SUBJ = {"nsubj", "csubj", "expl", "agent"}
_OBJ = {"nsubjpass", "csubjpass", "dobj", "attr", "oprd", "dative"}
_INHERIT = {"xcomp", "conj", "advcl", "pcomp"}  # a verb with no subject of its own takes its head's
_HOLDER = {"relcl", "acl", "amod"}  # a verb modifying a noun: the noun is its subject
_WHERE = {"where": "prep:in", "when": "prep:at"}  # relative adverbs: the noun is the verb's place or time
# Verbs of seeing ahead: "foresees the gap diminishing", the object is what the -ing verb after it is said of
_SEE = {"see", "foresee", "expect", "predict", "envisage", "envision", "imagine", "anticipate", "forecast", "picture",
        "watch", "find", "want", "project"}
_NAME_ALIASES = {"united": "us", "states": "us", "u.s.": "us", "usd": "us", "america": "us", "american": "us",
                 "americans": "us",
                 "chinese": "china", "japanese": "japan", "british": "uk", "britain": "uk", "polish": "poland",
                 "german": "germany", "french": "france", "canadian": "canada", "indian": "india",
                 "russian": "russia", "korean": "korea", "swiss": "switzerland", "italian": "italy",
                 "slovenian": "slovenia", "asian": "asia", "european": "europe"}
# Verbs whose negation carries to the verb they govern: "does not plan to open" says it will not open.
_INTEND = {"aim", "plan", "intend", "expect", "want", "try", "seek", "hope", "manage", "mean", "wish", "attempt",
           "go", "need"}
_MODEL = re.compile(r"\d+[a-z]{1,2}")
_MONTHS = set("january february march april may june july august september october november december".split())

_TITLES = {"ceo", "president", "chairman", "chairwoman", "director", "founder", "co-founder", "chief", "coach",
           "captain", "chancellor", "minister", "governor", "mayor", "cfo", "cto"}


@dataclass(frozen=True)
class Items:
    names: frozenset[str]
    numbers: frozenset[str]
    words: frozenset[str]
    text: str
    named_head: bool = False  # the phrase's own word is a name ("The Blacklist")
    described: bool = False  # its names only describe it ("an American crime drama series")
    modified: bool = False  # ... as modifiers of a common noun ("the Chinese AI firm", "NVIDIA chips")
    referred: bool = False  # its name is only a guess at what "the company" refers to
    owners: frozenset[str] = frozenset()  # whose it is: "China's growth", "the growth of China" -> {"china"}


@dataclass
class Frame:
    lemma: str
    word: str
    index: int
    negated: bool
    negation_word: str
    word_is_verb: bool
    slots: dict[str, Items] = field(default_factory=dict)
    tag: str = ""  # the word's fine-grained part of speech (VBN: a past participle)

    def shared(self, other: Frame) -> int:
        n = 0
        for slot, mine in self.slots.items():
            theirs = other.slots.get(slot)
            if theirs:
                n += len(mine.names & theirs.names) + len(mine.numbers & theirs.numbers)
                n += len(mine.words & theirs.words)
        return n

    def phrase(self, slot: str = "obj") -> str:
        """Who does it, the verb and the role in question: "Simona Halep defeated Serena Williams"."""
        verb = ("not " if self.negated else "") + self.word
        parts = [self.slots["subj"].text if "subj" in self.slots else "", verb if self.word_is_verb else f"is {verb}"]
        if not self.word_is_verb:
            parts += [v.text for k, v in self.slots.items() if k.startswith("prep:")][:1]
            slot = ""
        if slot != "subj" and slot in self.slots:
            parts.append(self.slots[slot].text)
        elif "obj" in self.slots:
            parts.append(self.slots["obj"].text)
        return " ".join(p for p in parts if p).replace(" ,", ",").replace(" 's", "'s").replace(" ’s", "’s")


@dataclass
class Reading:
    frames: list[Frame]
    directions: list[Direction]
    comparisons: list[Comparison]
    ranks: dict[str, tuple[int, str]]
    unparsed: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)  # verb read as a noun ->
    # the names just before it: "foresees the United States birthing companies"
    names: frozenset[str] = frozenset()  # every name of the sentence


def _winner(items: Items) -> Items:
    """The subject of a defeat as the subject of the win it implies ("lost to A", "beaten by A": A)."""
    first, _, rest = items.text.partition(" ")
    return replace(items, text=rest) if first in ("to", "by") and rest else items


def stem(word: str) -> str:
    """"birthing" and "birth" alike (the parser's lemma of a verb it read as a noun is the -ing form)."""
    found = tokenize(word)
    return found[0] if found else word.lower()


_NUMBERED = re.compile(r"\b(No|no)\.\s?(?=\d)")  # "World No. 1" parses as a negation; "World No1" as a title


def normalised(text: str) -> str:
    """The text as :func:`read` parses it."""
    return _NUMBERED.sub(r"\1", text)


def denying_subject(kids: dict[int, list], i: int) -> str:
    """The word by which the subject of token ``i`` denies it ("Neither X nor Y won": neither did, as "X and Y did
    not win" says; "neither of them"), given each token's children."""
    for c in kids[i]:
        if c.dep in ("nsubj", "nsubjpass"):
            if c.lemma == "neither":
                return c.text
            if any(g.lemma == "neither" for g in kids[c.i]) and any(g.lemma == "nor" for g in kids[c.i]):
                return next(g.text for g in kids[c.i] if g.lemma == "neither")
    return ""


@lru_cache(maxsize=8192)
def read(text: str) -> Reading:
    p = nlp.parse(normalised(text))
    return _Reader(p).reading()


class _Reader(CueReader):
    def __init__(self, p: nlp.Parse):
        self.t = p.tokens
        self.children: dict[int, list] = {i: [] for i in range(len(self.t))}
        for tok in self.t:
            if tok.head != tok.i:
                self.children[tok.head].append(tok)
        self.keys = [self._key(tok) for tok in self.t]
        self.written: dict[str, str] = {}
        for tok, k in zip(self.t, self.keys, strict=True):
            if k and k[0] == "names":
                self.written.setdefault(k[1], "the US" if k[1] == "us" else tok.text)

    # --- what a token names ------------------------------------------------------------------
    def _key(self, tok) -> tuple[str, str] | None:
        low = tok.text.lower()
        if tok.pos == "PROPN" and _MODEL.fullmatch(low):  # "the Pixel 6a": a model, named by its number
            return ("names", low)
        if tok.pos == "NUM" or tok.text[:1].isdigit():
            if tok.ent not in ("DATE", "TIME"):  # counts and scores are the exact fact check's; dates have roles
                return None
            found = numbers(tok.text)
            return ("numbers", next(iter(found))) if found else None
        if low in _MONTHS:
            return ("names", low)
        if low in RANKS or low == "place":  # "Champions Germany": a rank, then the name
            return None
        if tok.text[:1].isupper() and (tok.pos == "PROPN" or tok.ent) and not (tok.i == 0 and low in _OPENERS):
            if low == "states" and tok.i and self.t[tok.i - 1].text == "United":
                return ("names", "us")
            if low == "us" or low == "u.s":
                return ("names", "us")
            return ("names", _NAME_ALIASES.get(low, norm_name(tok.text)))
        return None

    def _items(self, roots) -> Items:
        names, nums, words, idx = set(), set(), set(), set()
        for r in roots:
            for i in self._subtree(r.i):
                idx.add(i)
        for r in roots:
            ref = self._referent(r)
            if ref:
                names.add(ref)
        for i in sorted(idx):
            k = self.keys[i]
            tok = self.t[i]
            if k:
                (names if k[0] == "names" else nums).add(k[1])
            elif tok.pos in ("NOUN", "ADJ", "VERB") and tok.lemma not in PRONOUNS:
                words.add(tok.lemma)
        text = " ".join(self.t[i].text for i in sorted(idx)) if idx else ""
        named = [i for i in idx if self.keys[i] and self.keys[i][0] == "names"]
        head = any(self.keys[r.i] and self.keys[r.i][0] == "names" for r in roots)
        described = bool(named) and all(self.t[i].dep == "amod" for i in named)
        modified = bool(named) and not head and all(self.t[i].dep in ("amod", "compound") for i in named)
        return Items(frozenset(names), frozenset(nums), frozenset(words), text, head, described, modified,
                     referred=bool(names) and not named, owners=self._owners(roots))

    def _owners(self, roots) -> frozenset[str]:
        """The names a phrase is said to belong to: its possessive ("China's growth") or its "of" ("the growth
        of China"), with the words that spell them."""
        found = [c for r in roots for c in self.children[r.i] if c.dep == "poss" and self.keys[c.i]]
        of = [(c, g) for r in roots for c in self.children[r.i] if c.dep == "prep" and c.lemma == "of"
              for g in self.children[c.i] if g.dep == "pobj" and self.keys[g.i] and g.ent != "MONEY"]
        found += [g for _, g in of]
        # the apposition that names what the "of" part is ("the third season of its series, The Crown"), on it or,
        # as parsers hang it, on the phrase after the "of" part
        found += [a for _, g in of for a in self._appositions(g)]
        found += [a for r in roots for c in self.children[r.i] if c.dep == "appos" and of and c.i > of[0][0].i
                  for a in self._appositions(c, True)]
        return self._names_of(found).names if found else frozenset()

    def _appositions(self, tok, itself: bool = False) -> list:
        """The named tokens of the appositions hanging on ``tok`` (and ``tok`` when ``itself``), down a chain of
        them ("its series, The Crown")."""
        out, todo = [], [tok] if itself else [c for c in self.children[tok.i] if c.dep == "appos"]
        while todo:
            a = todo.pop()
            if self.keys[a.i]:
                out.append(a)
            todo += [c for c in self.children[a.i] if c.dep == "appos"]
        return out

    def _referent(self, tok) -> str:
        """"the company" / "the country": the nearest organisation / place named before it, if any."""
        kinds = {"company": ("ORG",), "firm": ("ORG",), "group": ("ORG",), "country": ("GPE",), "nation": ("GPE",)}
        if tok.lemma not in kinds or not any(c.lemma in ("the", "this") for c in self.children[tok.i]):
            return ""
        for j in range(tok.i - 1, -1, -1):
            if self.t[j].ent in kinds[tok.lemma] and self.keys[j] and self.keys[j][0] == "names":
                return self.keys[j][1]
        return ""

    def _subtree(self, i: int, stop=frozenset()) -> list[int]:
        out, todo = [], [i]
        while todo:
            j = todo.pop()
            out.append(j)
            todo += [c.i for c in self.children[j] if c.i not in stop and not (self._is_pred(c) and c.dep != "amod"
                     and c.dep not in ("compound",)) and not (c.dep == "conj" and c.pos == "AUX")]
            # a copula joined to a noun ("X, ..., and it was Y") is a clause of its own, not part of the noun's phrase
        return out

    def _is_pred(self, tok) -> bool:
        return tok.pos == "VERB" or (tok.pos == "AUX" and tok.lemma != "be" and tok.dep in ("ROOT", "conj"))

    # --- predicates and their roles ----------------------------------------------------------
    def _negation(self, tok) -> str:
        if word := denying_subject(self.children, tok.i):
            return word
        for c in self.children[tok.i]:
            if c.dep == "neg" or c.lemma in ("never", "no"):
                return c.text
            if c.dep == "advmod" and any(g.lemma == "never" for g in self.children[c.i]):  # "never before won"
                return "never"
        head = self.t[tok.head]
        if tok.dep == "pobj" and head.lemma == "without":  # "opened without delays": no delays
            return head.text
        if tok.dep == "xcomp" and head.lemma in ("fail", "refuse"):
            return head.text
        if tok.dep == "xcomp" and head.lemma in _INTEND and head.i != tok.i:  # "does not aim to turn profitable"
            return self._negation(head)
        if tok.dep in ("acomp", "attr", "xcomp") and head.i != tok.i and head.pos == "AUX":
            return self._negation(head)
        return ""

    def _frames(self) -> list[Frame]:
        frames: dict[int, Frame] = {}
        for tok in self.t:
            if self._is_pred(tok):
                slots: dict[str, list] = {}
                for c in self.children[tok.i]:
                    slot = self._slot(c)
                    if slot:
                        slots.setdefault(slot, []).append(c)
                neg = self._negation(tok)
                frames[tok.i] = Frame(_SAME.get(tok.lemma, tok.lemma), tok.text, tok.i, bool(neg), neg, True,
                                      {s: self._items(cs) for s, cs in slots.items()}, tok.tag)
        for i, f in frames.items():  # "written and directed by X": the last participle's agent is each one's
            if "subj" not in f.slots and (agent := self._shared_agent(self.t[i])) is not None:
                f.slots["subj"] = self._items([agent])
        for i, f in frames.items():
            if (seen := self._seen(self.t[i])) is not None:  # over the parse's subject: "X, who foresees Y V-ing"
                f.slots["subj"] = self._items([seen])
        for i, f in frames.items():  # the subject it shares: the governing verb's, or the noun it modifies
            own = f.slots.get("subj")
            if self._named(own) and self.t[i].dep not in _HOLDER:
                continue
            found = [own] if own else []
            dep, j = self.t[i].dep, self.t[i].head
            for _ in range(5):
                if j == i or dep not in _INHERIT | _HOLDER | {"prep", "pobj", "attr", "acomp", "ccomp"}:
                    break
                if dep in _HOLDER and self.t[j].pos in ("NOUN", "PROPN"):
                    noun = self._items([self.t[j]] + [c for c in self.children[j] if c.dep == "appos"])
                    role = self._role_of_noun(self.t[i], dep)
                    if role != "subj":  # "a technology based on X": the noun is what is based
                        f.slots.setdefault(role, noun)
                        break
                    found.append(noun)
                    if noun.named_head and dep == "relcl":  # "Y stars with X, who was cast": X, not Y, was cast
                        break
                if j in frames and self._named(frames[j].slots.get("subj")):
                    if dep != "ccomp":
                        found.append(frames[j].slots["subj"])
                    break
                if self.t[j].lemma == "be":
                    found += [self._items([c]) for c in self.children[j] if c.dep in ("nsubj", "nsubjpass")]
                    break
                if self.t[j].head == j:
                    break
                dep, j = self.t[j].dep, self.t[j].head
            if found:
                f.slots["subj"] = Items(frozenset().union(*(x.names for x in found)),
                                        frozenset().union(*(x.numbers for x in found)),
                                        frozenset().union(*(x.words for x in found)), found[-1].text)
        out = list(frames.values())
        for f in frames.values():
            if f.lemma in _CONVERSE and _CONVERSE[f.lemma][1] in f.slots:
                lemma, theirs, mine = _CONVERSE[f.lemma]
                slots = {k: v for k, v in f.slots.items() if k not in (theirs, "subj", mine)}
                slots["subj"] = f.slots[theirs]
                if "subj" in f.slots:
                    slots[mine] = f.slots["subj"]
                turned = Frame(lemma, f.word, f.index, f.negated, f.negation_word, True, slots, f.tag)
                out = [turned if g is f else g for g in out] if lemma == f.lemma else out + [turned]
        # Beating a rival is winning: "A beat B", "B lost to A" and "B was beaten by A" each say A won (what
        # was won is not named, so only the winner can disagree).
        out += [Frame("win", "won", f.index, False, "", True, {"subj": _winner(f.slots["subj"])}) for f in out
                if f.lemma == "defeat" and "subj" in f.slots and not f.negated]
        return out + self._noun_frames()

    def _shared_agent(self, verb):
        """The agent ("by X") of the last of the past participles coordinated with ``verb``, when ``verb`` is one
        with no subject or agent of its own: "written, produced and directed by X" says X wrote it."""
        if verb.tag != "VBN" or any(c.dep in _SUBJ for c in self.children[verb.i]):
            return None
        for c in sorted(self.children[verb.i], key=lambda c: -c.i):
            if c.dep == "conj" and c.tag == "VBN":
                agents = [g for g in self.children[c.i] if g.dep == "agent"]
                if agents:
                    return agents[0]
        return None

    def _seen(self, verb):
        """The object right before an -ing verb of a verb of seeing ahead ("foresees the gap between X and Y
        diminishing"): what the -ing verb is said of, however the parser hangs it; None when there is none."""
        if not verb.text.lower().endswith("ing") or verb.i == 0:
            return None
        j = verb.i - 1
        for _ in range(6):
            tok = self.t[j]
            if tok.dep == "dobj" and self.t[tok.head].lemma in _SEE:
                span = [k for k in range(tok.i, verb.i) if self._under(k, tok.i)]
                return tok if len(span) == verb.i - tok.i else None
            if tok.head == j or tok.head >= verb.i:
                return None
            j = tok.head
        return None

    def _under(self, k: int, top: int) -> bool:
        for _ in range(8):
            if k == top:
                return True
            if self.t[k].head == k:
                return False
            k = self.t[k].head
        return False

    def _role_of_noun(self, verb, dep: str) -> str:
        """The role the modified noun plays for a verb that modifies it: "the woman who won" (subj), "the
        title which she won" (obj), "the synthesizer on which it is based" (prep:on), "a film directed by" (obj)."""
        if dep == "relcl":
            for j in self._subtree(verb.i):
                tok = self.t[j]
                if tok.lemma in ("who", "which", "that", "whom"):
                    if tok.dep in ("nsubj",):
                        return "subj"
                    if tok.dep == "pobj":
                        return "prep:" + self.t[tok.head].lemma
                    return "obj"
                if tok.lemma in _WHERE and tok.dep == "advmod" and tok.head == verb.i:
                    return _WHERE[tok.lemma]  # "it was Morocco where X hoisted the trophy": a place, not who
            return "subj"
        if self._predicate_of(verb):
            return "subj"
        return "subj" if verb.text.lower().endswith("ing") else "obj"

    def _predicate_of(self, verb) -> bool:
        """A participle the parser hung on a sentence's noun root after that noun's own relative clause, with no
        named agent: the noun's predicate ("South Africa, which had been bidding, missed out by four votes"), not a
        description of it ("the film, directed by X")."""
        noun = self.t[verb.head]
        if noun.dep != "ROOT" or verb.i < noun.i:
            return False
        clauses = [c for c in self.children[noun.i] if c.dep == "relcl" and c.i < verb.i]
        agents = [g for c in self.children[verb.i] if c.dep == "agent" for g in self._subtree(c.i)]
        return bool(clauses) and not any(self.keys[g] and self.keys[g][0] == "names" for g in agents)

    @staticmethod
    def _named(items: Items | None) -> bool:
        return bool(items and (items.names or items.numbers))

    def _slot(self, c) -> str:
        if c.dep in _SUBJ:
            return "subj" if c.lemma not in PRONOUNS or c.dep == "agent" else ""
        if c.dep in _OBJ:
            return "obj"
        if c.dep == "prep" and c.lemma != "by":
            return "prep:" + c.lemma
        return ""

    def _noun_frames(self) -> list[Frame]:
        """Copulas, appositions and titles: "X is the CEO of Y", "X, CEO of Y", "CEO X"."""
        out = []
        for tok in self.t:
            if tok.pos != "NOUN" and tok.text.lower() not in _TITLES and not self._capitalised_title(tok):
                continue
            parts = self._hyphenated(tok)
            if parts is None:
                continue
            tok = parts[-1]
            ids = {p.i for p in parts}
            kids = [c for p in parts for c in self.children[p.i] if c.i not in ids]
            holder = None
            head = self.t[tok.head]
            if len(parts) > 1:  # "co-founder": the first part carries the arcs
                first = parts[0]
                head = self.t[first.head] if first.head not in {p.i for p in parts} else head
                tok = nlp.Token(first.i, "".join(p.text for p in parts), "".join(p.lemma for p in parts).lower(),
                                first.pos, first.dep, first.head, first.start, first.ent)
            if tok.dep == "attr" and head.lemma == "be":
                holder = [c for c in self.children[head.i] if c.dep in ("nsubj", "nsubjpass")]
            elif tok.dep == "nsubj" and head.lemma == "be":  # "the CEO is X", but "teacher X is the Y of Z": X
                holder = [c for c in kids if c.dep == "appos" and self.keys[c.i]] or [
                    c for c in self.children[head.i] if c.dep == "attr" and self.keys[c.i]]
            elif tok.dep == "appos" and self.keys[head.i]:
                holder = [head]
            elif tok.dep in ("compound", "nmod") and self.keys[head.i]:
                holder = [head]
            elif tok.dep in ("compound", "nmod", "amod") and (named := self._described(head)) is not None:
                holder = [named]  # "freshman quarterback X": X is a freshman
            else:
                apps = [c for c in kids if c.dep == "appos" and self.keys[c.i]]
                holder = apps or self._named_after(tok) or None
            if not holder:
                continue
            subj = self._names_of(holder)
            if not subj.names:
                continue
            slots = {"subj": subj}
            for c in kids:
                if c.dep == "prep":
                    slots["prep:" + c.lemma] = self._items([c])
                elif c.dep == "poss" and self.keys[c.i]:  # "SenseTime's co-founder" = "co-founder of SenseTime"
                    slots["prep:of"] = self._names_of([c])
            neg = self._negation(head) if head.lemma == "be" else ""
            out.append(Frame(tok.lemma, tok.text, tok.i, bool(neg), neg, False, slots))
        return out

    def _capitalised_title(self, tok) -> bool:
        """A post written with a capital in apposition to a name, with what it is of: "X, Head of the School of
        English", "Y, Director of Research" (the parser reads the capital as a proper name)."""
        return (tok.pos == "PROPN" and tok.dep == "appos" and bool(self.keys[tok.head])
                and any(c.dep == "prep" and c.lemma == "of" for c in self.children[tok.i]))

    def _named_after(self, tok) -> list:
        """"the world No1, Novak Djokovic": the name right after a definite title and its comma, however the
        parser hangs it."""
        if not any(c.dep == "det" and c.lemma == "the" for c in self.children[tok.i]) or tok.i + 2 >= len(self.t):
            return []
        if self.t[tok.i + 1].text != "," or not self.keys[tok.i + 2] or self.keys[tok.i + 2][0] != "names":
            return []
        j = tok.i + 2
        while self.t[j].dep in ("compound", "flat") and self.t[j].head > j and self.keys[self.t[j].head]:
            j = self.t[j].head
        return [self.t[j]]

    def _described(self, tok):
        """The name a chain of describing nouns ends on ("quarterback" of "freshman quarterback Collin Klein")."""
        for _ in range(3):
            if tok.dep not in ("compound", "nmod", "amod") or tok.pos != "NOUN" or tok.head == tok.i:
                return None
            tok = self.t[tok.head]
            if self.keys[tok.i]:
                return tok
        return None

    def _hyphenated(self, tok):
        """The parts of a hyphenated word the tokenizer split ("co", "-", "founder"), or None for a part that
        is not the last."""
        nxt = self.t[tok.i + 1] if tok.i + 1 < len(self.t) else None
        if nxt is not None and nxt.text == "-" and nxt.start == tok.start + len(tok.text):
            return None
        if tok.text == "-":
            return None
        parts = [tok]
        while parts[0].i >= 2 and self.t[parts[0].i - 1].text == "-" and \
                self.t[parts[0].i - 1].start == self.t[parts[0].i - 2].start + len(self.t[parts[0].i - 2].text):
            parts[:0] = [self.t[parts[0].i - 2], self.t[parts[0].i - 1]]
        return parts

    def _names_of(self, roots) -> Items:
        """A name and the words that spell it (compounds), not the clauses hanging on it."""
        idx = []
        for r in roots:
            idx.append(r.i)
            idx += [c.i for c in self.children[r.i] if c.dep in ("compound", "flat") and self.keys[c.i]]
        names = {self.keys[i][1] for i in idx if self.keys[i] and self.keys[i][0] == "names"}
        return Items(frozenset(names), frozenset(), frozenset(), " ".join(self.t[i].text for i in sorted(idx)))

    def reading(self) -> Reading:
        frames = self._frames()
        by_index = {f.index: f for f in frames}
        return Reading(frames, self._directions(by_index), self._comparisons(by_index), self._ranks(by_index),
                       self._unparsed(by_index), frozenset(k[1] for k in self.keys if k and k[0] == "names"))

    def _unparsed(self, frames) -> dict[str, tuple[frozenset[str], str]]:
        """Words ending in -ing the parser did not take for verbs, with the names right before them."""
        out = {}
        for tok in self.t:
            if tok.i in frames or tok.pos == "VERB" or not tok.text.endswith("ing") or tok.i == 0:
                continue
            names, j = [], tok.i - 1
            while j >= 0 and self.keys[j] and self.keys[j][0] == "names":
                names.append(j)
                j -= 1
            if names:
                out.setdefault(stem(tok.text), (
                    frozenset(self.keys[i][1] for i in names), " ".join(self.t[i].text for i in sorted(names))))
        return out

    # --- direction, comparison, rank ---------------------------------------------------------
