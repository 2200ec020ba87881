"""What a sentence says about direction, comparison and rank: the cue words, in opposite pairs (rise / fall,
invigorate / dampen, swift / sluggish, optimistic / pessimistic, acknowledge / deny, newest / oldest, extend / cut
short, push back / bring forward), the words that order two sides (leads / trails, outclasses, an upgrade to, with
most titles, a tenth of what Y has), ranks (champions / runners-up), whom each cue is about, and which way round.
Read by :class:`assistant.frames._Reader`, which this mixes into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import antonyms

PRONOUNS = {"he", "she", "it", "they", "we", "who", "which", "that", "this", "these", "those", "i", "you"}
# Opposite pairs, one per dimension: the words that go one way, then those that go the other (lemmas).
_OPPOSITES = (
    ("change",
     "rise increase grow growth widen expand improve accelerate soar surge climb gain boost strengthen invigorate "
     "energise energize stimulate spur revive jump rally more higher greater larger bigger expansion improvement "
     "acceleration skyrocket resurgence revival rebound upturn",
     "fall decrease decline drop shrink narrow reduce reduction diminish slow plunge plummet sink tumble slump weaken "
     "dampen stifle hamper depress less fewer lower smaller contraction slowdown cut"),
    ("stance", "optimistic confident hopeful positive upbeat bullish",
     "pessimistic doubtful doubt skeptical sceptical fear worried worry bleak bearish gloomy negative"),
    ("assert", "acknowledge admit confirm agree accept", "deny reject dispute refute"),
    ("support", "encourage promote support favour favor foster", "discourage oppose hinder obstruct curb restrict"),
    ("age", "newest newer latest youngest younger", "oldest older earliest eldest"),
    ("length", "extend extension lengthen prolong prolongation postpone postponement",
     "shorten curtail curtailment truncate hasten expedite"),
    # whether a thing goes on: read of what it acts on, not as an aspect verb ("continued to fall": see _ASPECT)
    ("continue", "continue continuation keep maintain retain renew renewal sustain preserve uphold resume reinstate "
                 "restore",
     "cancel cancellation end scrap terminate termination abandon halt stop axe ditch revoke rescind discontinue "
     "suspend suspension abolish abolition"))
# Change words that also say a thing goes on ("expand the contract" against "cancel the contract"), and those that
# say it ends when they act on it ("drop the contract"; "sales dropped" is only a change).
_ALSO = {w: ("continue", 1) for w in "expand extend extension increase boost strengthen widen grow".split()}
_ALSO_TRANSITIVE = {"drop": ("continue", -1)}
# How long the sentence's event takes, said by a comparative adverb of its verb ("move faster", "take longer"):
# -1 less time, +1 more (read only as a verb's adverb: not "a longer season", "no longer").
_TIMING = {"faster": -1, "quicker": -1, "sooner": -1, "speedier": -1, "swifter": -1, "slower": 1, "longer": 1}
_GOES_ON_NOUNS = {"continuation", "renewal", "cancellation", "termination", "suspension", "abolition"}
_ASPECT_DEPS = {"xcomp", "acomp", "ccomp"}  # "kept rising", "kept quiet", "stopped to": the verb is no cue
# The pace of a change, said of the change it describes ("swift advancement", "slowing growth"): read only as a
# noun's modifier, where it is the change's direction (a "rapid" and a "slowing" advance disagree).
_PACE = ("swift rapid quick brisk speedy", "sluggish")
# lemma -> (dimension, +1 / -1): the direction of a change, a stance or an assertion.
_DIRECTION: dict[str, tuple[str, int]] = {}
for _dim, _up, _down in _OPPOSITES + (("change",) + _PACE,):
    for _pol, _words in ((1, _up), (-1, _down)):
        for _w in _words.split():
            _DIRECTION[_w] = (_dim, _pol)
_PACE_WORDS = set(" ".join(_PACE).split())
_PHRASAL = {("step", "up"): ("change", 1), ("scale", "back"): ("change", -1), ("cut", "back"): ("change", -1),
            ("ramp", "up"): ("change", 1), ("pull", "back"): ("change", -1), ("speed", "up"): ("change", 1),
            ("cut", "short"): ("length", -1), ("bring", "forward"): ("length", -1), ("move", "up"): ("length", -1),
            ("push", "back"): ("length", 1), ("draw", "out"): ("length", 1), ("call", "off"): ("continue", -1),
            ("shut", "down"): ("continue", -1), ("phase", "out"): ("continue", -1), ("wind", "down"): ("continue", -1),
            ("carry", "on"): ("continue", 1), ("press", "ahead"): ("continue", 1)}
# Words that order their two sides: the holder (subject, owner) above or below the other (object, "than", "to")
_HIGHER = {"lead", "outpace", "surpass", "exceed", "dominate", "outperform", "overtake", "ahead", "dominance",
           "more", "higher", "greater", "larger", "bigger", "better", "advantage", "outclass", "outrank", "outdo",
           "outshine", "outsell", "outscore", "superior", "upgrade", "most"}
_LOWER = {"trail", "lag", "behind", "less", "fewer", "lower", "smaller", "weaker", "worse", "deficit", "shortfall",
          "inferior", "downgrade"}
_SHORT_VERBS = {"fall", "come", "run", "be", "remain", "stay", "stop"}  # "falls short of Y": below Y
_OVER = {"over", "to", "against", "on", "than"}  # the other side of a noun that orders: "an upgrade to X"
_COMPARATIVES = {"more", "higher", "greater", "larger", "bigger", "better", "less", "fewer", "lower", "smaller",
                 "weaker", "worse"}
# shares of what another holds: below it (-1) or a multiple of it (+1); and the verbs of holding it
_SHARES = {"half": -1, "third": -1, "quarter": -1, "fifth": -1, "tenth": -1, "fraction": -1, "time": 1, "twice": 1,
           "double": 1, "triple": 1}
_HOLD = {"have", "hold", "own", "possess", "control", "do", "enjoy"}
_MULTIPLE_AFTER = {"that", "those", "as", "the", "what", "more", "fewer", "less", "larger", "bigger", "greater",
                   "higher", "lower", "smaller", "faster", "slower", "longer"}  # "ten times that of Y", "... as Y"
RANKS = {"champion": 1, "champions": 1, "winner": 1, "winners": 1, "runner": 2, "runners": 2, "first": 1,
         "second": 2, "third": 3, "fourth": 4}


# A position in a table of standings: "T40" (tied), "1" before a full stop; what may come before an entry
_POSITION = re.compile(r"^(T)?(\d{1,3})$")
_ENTRY_BEFORE = {";", "|", "·", "•", ",", "\n", "..."}


class _NoItems:
    names: frozenset[str] = frozenset()


_NONE = _NoItems()


@dataclass(frozen=True)
class Direction:
    dimension: str
    target: str
    polarity: int
    phrase: str
    word: str = ""  # the lemma of a WordNet opposite: the same word negated is a negation, not this reversal


@dataclass(frozen=True)
class Comparison:
    higher: frozenset[str]
    lower: frozenset[str]
    phrase: str
    owner: str = ""  # the cue of a lead owned with no other side ("the US's dominance", "the lead X holds")




class CueReader:
    """Mixed into the sentence reader: uses its tokens, arcs, name keys and role frames."""

    def _directions(self, frames) -> list[Direction]:
        out = []
        has_than = any(t.lemma == "than" for t in self.t)
        for tok in self.t:
            prt = next((c.lemma for c in self.children[tok.i] if c.dep == "prt" or  # "pushed back": an advmod
                        c.dep == "advmod" and (tok.lemma, c.lemma) in _PHRASAL), "")
            found = self._timing(tok) or _PHRASAL.get((tok.lemma, prt)) or _DIRECTION.get(tok.lemma) or \
                _DIRECTION.get(tok.text.lower())
            if not found and tok.pos == "NOUN" and tok.lemma.endswith("ing"):  # "a widening of the gap"
                found = _DIRECTION.get(tok.lemma[:-3]) or _DIRECTION.get(tok.lemma[:-3] + "e")
            if not found:
                out.extend(self._opposite_words(tok))
                continue
            if found[0] != "length" and ((tok.lemma in _COMPARATIVES and has_than) or (
                    tok.lemma in _PACE_WORDS and tok.dep != "amod")):
                continue
            word = f"{tok.text} {prt}" if prt else tok.text
            for dim, pol in (found, *self._also(tok, found)):
                if dim == "continue" and not self._goes_on(tok, prt):
                    continue
                neg = self._cue_negation(tok)
                target = "" if dim == "stance" or tok.text.lower() in _TIMING else self._target(tok)
                out.append(Direction(dim, target, -pol if neg else pol, (f"{neg} " if neg else "") + word))
        return out

    def _opposite_words(self, tok) -> list[Direction]:
        """Any other pair of opposites (WordNet's: "convicted" / "acquitted", "legal" / "illegal"), said of the same
        doer and the same thing. Both must match: "A sold it to B" and "B bought it from A" are one event."""
        dims = antonyms.opposites(tok.lemma, tok.pos)
        if not dims or tok.dep in ("compound", "prt"):
            return []
        if tok.pos == "VERB":
            target = self._doer_and_done(tok)
        elif tok.dep in ("oprd", "acomp", "xcomp", "ccomp"):  # "was ruled illegal", "seems unlikely"
            target = next((c.lemma for c in self.children[tok.head] if c.dep in ("nsubj", "nsubjpass") and
                           c.lemma not in PRONOUNS), "")
        else:
            target = self._target(tok)
        if not target:
            return []
        neg = self._cue_negation(tok)
        phrase = (f"{neg} " if neg else "") + tok.text
        return [Direction(dim, target, -pol if neg else pol, phrase, tok.lemma) for dim, pol in dims]

    def _doer_and_done(self, tok) -> str:
        """"court>x" for "the court acquitted X" and for "X was acquitted by the court"; "" with neither."""
        doer = done = ""
        for c in self.children[tok.i]:
            if c.lemma in PRONOUNS:
                continue
            if c.dep == "nsubj":
                doer = c.lemma
            elif c.dep in ("dobj", "nsubjpass"):
                done = c.lemma
            elif c.dep == "agent":
                doer = next((g.lemma for g in self.children[c.i] if g.dep == "pobj"), doer)
        return f"{doer}>{done}" if doer or done else ""

    def _cue_negation(self, tok) -> str:
        """The word negating a cue, or the verb it completes ("did not seem optimistic", "not kept rising")."""
        return self._negation(tok) or (self._negation(self.t[tok.head]) if tok.dep in ("acomp", "xcomp") else "")

    def _timing(self, tok) -> tuple[str, int] | None:
        """"move faster", "take much longer": how long the verb's event takes (not "no longer", "any longer")."""
        pol = _TIMING.get(tok.text.lower())
        if pol is None or tok.dep != "advmod" or self.t[tok.head].pos not in ("VERB", "AUX") or any(
                c.lemma in ("no", "any") for c in self.children[tok.i]) or (tok.i and self.t[tok.i - 1].lemma in
                                                                            ("no", "any")):
            return None
        return ("length", pol)

    def _also(self, tok, found) -> list[tuple[str, int]]:
        """The other dimension a change word states: "expand the contract" says it goes on."""
        if found[0] != "change":
            return []
        extra = _ALSO.get(tok.lemma) or (_ALSO_TRANSITIVE.get(tok.lemma) if any(
            c.dep in ("dobj", "nsubjpass") for c in self.children[tok.i]) else None)
        return [extra] if extra else []

    def _goes_on(self, tok, prt: str) -> bool:
        """A word of going on or ending said of a thing ("cancel the contract", "the strike ended"), not of another
        verb ("continued to fall", "kept rising") nor in another phrase ("ended up", "keep in mind")."""
        if prt and (tok.lemma, prt) not in _PHRASAL:
            return False
        kids = self.children[tok.i]
        if any(c.dep in _ASPECT_DEPS for c in kids) or (tok.dep == "xcomp" and tok.pos != "VERB"):
            return False
        if tok.pos == "NOUN":  # "the cancellation of the deal"; "the end of the year" is a time
            return tok.lemma in _GOES_ON_NOUNS
        return tok.pos == "VERB" and not (tok.text.lower().endswith("ing") and tok.dep in ("amod", "compound"))

    def _target(self, tok) -> str:
        kids = self.children[tok.i]
        if tok.pos in ("VERB", "AUX"):
            for dep in ("dobj", "nsubj", "nsubjpass"):
                for c in kids:
                    if c.dep == dep:
                        return "" if c.lemma in PRONOUNS else c.lemma
            return ""
        if tok.dep in ("amod", "nummod") and tok.pos in ("ADJ", "VERB"):
            return self.t[tok.head].lemma
        if tok.pos == "NOUN":
            for c in kids:
                if c.dep == "poss" or (c.dep == "prep" and c.lemma in ("of", "in")):
                    sub = [c] if c.dep == "poss" else [g for g in self.children[c.i] if g.dep == "pobj"]
                    if sub:
                        return sub[0].lemma
            head = self.t[tok.head]
            if tok.dep == "pobj" and head.pos == "ADP" and head.dep == "prep":  # "the industry is in rapid decline"
                head = self.t[head.head]
            elif tok.dep not in ("dobj", "attr"):  # "the industry is seeing rapid growth"
                return ""
            if head.pos in ("VERB", "AUX"):
                subj = [c for c in self.children[head.i] if c.dep in ("nsubj", "nsubjpass")]
                return subj[0].lemma if subj and subj[0].lemma not in PRONOUNS else ""
        if tok.dep == "acomp":
            subj = [c for c in self.children[tok.head] if c.dep == "nsubj"]
            return subj[0].lemma if subj and subj[0].lemma not in PRONOUNS else ""
        return ""

    def _governing_subject(self, tok, frames) -> frozenset[str]:
        """The names of the subject of the verb or copula above the token ("X was the player with most titles")."""
        j = tok.i
        for _ in range(8):
            if j in frames and frames[j].word_is_verb and frames[j].slots.get("subj"):
                return frames[j].slots["subj"].names
            if self.t[j].lemma == "be" and j != tok.i:
                subj = [c for c in self.children[j] if c.dep in ("nsubj", "nsubjpass")]
                if subj:
                    return self._items(subj).names
            if self.t[j].head == j:
                break
            j = self.t[j].head
        return frozenset()

    def _named_before(self, tok) -> frozenset[str]:
        """The names written before the token since the sentence or its last colon began: the holder of a cue
        whose subject the parse lost ("Editor's note: The X released in 2022 and is an upgrade to Y")."""
        out = set()
        for j in range(tok.i - 1, -1, -1):
            if self.t[j].text in (":", ";", ".", "...", "…"):
                break
            if self.keys[j] and self.keys[j][0] == "names" and self.t[j].pos != "DET":
                out.add(self.keys[j][1])
        return frozenset(out)

    def _comparisons(self, frames) -> list[Comparison]:
        out = []
        than = frozenset(n for t in self.t if t.lemma == "than" for n in self._items([t]).names)
        compared = frozenset(n for t in self.t if t.lemma in ("compare", "relative")
                             for c in self.children[t.i] if c.dep == "prep" for n in self._items([c]).names)
        for tok in self.t:
            lemma = tok.lemma
            participle = tok.pos == "ADJ" and tok.dep == "acomp" and lemma.endswith("ed")  # "is outclassed by"
            if participle:
                lemma = next((w for w in (lemma[:-2], lemma[:-1]) if w in _HIGHER or w in _LOWER), lemma)
            if lemma == "short" and self._falls_short(tok):
                lemma = "trail"
            if lemma not in _HIGHER and lemma not in _LOWER:
                continue
            if lemma in _COMPARATIVES and not than and tok.pos != "VERB":  # "X is bettered by Y" needs no "than"
                continue
            if lemma == "most" and (tok.dep != "amod" or self._ranked(tok)):
                continue  # "most medals" says who has them all; "most of the talent", "second-most" do not
            owned = ""
            if tok.pos == "NOUN":
                over = self._preps(tok, _OVER)
                other = compared | frozenset(n for c in over for n in self._items([c]).names)
                own = frozenset(n for c in self.children[tok.i] if c.dep in ("poss", "prep")
                                for n in self._items([c]).names) - other or frozenset(
                    n for c in self.children[tok.i] if c.dep == "relcl"  # "the dominance China holds"
                    for s in self.children[c.i] if s.dep == "nsubj" for n in self._items([s]).names)
                holder = own or self._governing_subject(tok, frames)
                owned = lemma if own and not other else ""
                if over and not holder:
                    holder = self._named_before(tok)
            elif participle or any(c.dep == "auxpass" for c in self.children[tok.i]):  # "X is outclassed by Y"
                holder = frozenset(n for c in self._preps(tok, {"by"}) for n in self._items([c]).names)
                subject = self.children[tok.head] if participle else self.children[tok.i]
                other = frozenset(n for c in subject if c.dep in ("nsubj", "nsubjpass") for n in self._items([c]).names)
            else:
                holder = self._governing_subject(tok, frames)
                other = frozenset(n for c in self.children[tok.i] if c.dep in ("dobj", "pobj") or
                                  (c.dep == "prep" and c.lemma in ("of", "than", "to", "against"))
                                  for n in self._items([c]).names)
                if lemma in _COMPARATIVES:
                    other = than
            other -= holder
            if not holder and not other:
                continue
            hi, lo = (holder, other) if lemma in _HIGHER else (other, holder)
            out.append(Comparison(hi, lo, self._said(hi, lo, tok.text), owned))
        return out + self._ratios() + self._multiples()

    def _falls_short(self, tok) -> bool:
        """"X falls short of Y", "X comes up short against Y", "X is short of Y": X below Y (not "in short", "a
        short film")."""
        return self.t[tok.head].lemma in _SHORT_VERBS and tok.head != tok.i and any(
            c.dep == "prep" and c.lemma in ("of", "against") for c in self.children[tok.i])

    def _ratios(self) -> list[Comparison]:
        """"X has a tenth of the power that Y has" puts Y above X, "X has ten times the power Y has" X above Y:
        the subject of the verb holding the share against the subject of the clause on what is shared."""
        out = []
        for rel in self.t:
            if rel.dep != "relcl" or rel.lemma not in _HOLD:
                continue
            theirs = frozenset(n for c in self.children[rel.i] if c.dep == "nsubj" for n in self._items([c]).names)
            noun, share = self.t[rel.head], None
            for j in (noun.i, noun.head, self.t[noun.head].head):  # "a tenth (of) the power", "ten times the power"
                near = [self.t[j], *self.children[j]]
                near += [g for c in self.children[j] if c.dep == "nummod" for g in self.children[c.i]]
                share = next((t for t in near if t.lemma in _SHARES), None)
                if share is not None:
                    break
            if share is None or not theirs:
                continue
            verb = self._verb_over(share, 4)
            mine = frozenset(n for c in self.children[verb.i] if c.dep == "nsubj" for n in self._items([c]).names)
            mine -= theirs
            if mine:
                hi, lo = (mine, theirs) if _SHARES[share.lemma] > 0 else (theirs, mine)
                out.append(Comparison(hi, lo, self._said(hi, lo, share.text)))
        return out

    def _verb_over(self, tok, steps: int):
        """The nearest verb above ``tok`` within ``steps`` arcs, else where the climb stopped."""
        for _ in range(steps):
            if tok.pos in ("VERB", "AUX") or tok.head == tok.i:
                break
            tok = self.t[tok.head]
        return tok

    def _multiples(self) -> list[Comparison]:
        """"X's power is ten times that of Y", "X has three times as many titles as Y", "X has half Y's freight": the
        names of the subject of the verb over the share against the names written after the share. Only with what
        compares written right after it ("that of", "as many as", "Y's"): "Y beat X three times" counts, it does
        not compare."""
        out = []
        for share in self.t:
            if share.lemma not in _SHARES or share.lemma == "fraction" or share.i + 1 >= len(self.t):
                continue
            after = self.t[share.i + 1]
            if share.lemma in ("half", "third", "quarter", "fifth", "tenth") and share.dep not in ("predet", "nmod"):
                continue  # "a quarter of the freight" is a share of a thing, not of another's
            if after.text.lower() not in _MULTIPLE_AFTER and not (self.keys[after.i] and after.dep == "poss"):
                continue
            verb = self._verb_over(share, 5)
            if verb.pos not in ("VERB", "AUX"):
                continue
            mine = frozenset(n for c in self.children[verb.i] if c.dep in ("nsubj", "nsubjpass")
                             for n in self._items([c]).names)
            tail = [i for i in self._subtree(verb.i) if i > share.i]
            theirs = frozenset(k[1] for i in tail if (k := self.keys[i]) and k[0] == "names") - mine
            if mine and theirs:
                hi, lo = (mine, theirs) if _SHARES[share.lemma] > 0 else (theirs, mine)
                out.append(Comparison(hi, lo, self._said(hi, lo, share.text)))
        return out

    def _preps(self, tok, words) -> list:
        """The token's prepositions among ``words``, also one phrase down: "an upgrade (in every way) to X"."""
        out = []
        for c in self.children[tok.i]:
            if c.dep not in ("prep", "agent"):
                continue
            if c.lemma in words:
                out.append(c)
                continue
            out += [e for d in self.children[c.i] if d.dep == "pobj" for e in self.children[d.i]
                    if e.dep in ("prep", "agent") and e.lemma in words]
        return out

    def _ranked(self, tok) -> bool:
        return any(RANKS.get(self.t[j].text.lower()) for j in range(max(tok.i - 2, 0), tok.i))

    def _said(self, hi: frozenset[str], lo: frozenset[str], cue: str) -> str:
        """"Asia is behind the US ("deficit")", in the names as written."""
        name = lambda keys: " and ".join(self.written.get(k, k) for k in sorted(keys))  # noqa: E731
        if hi and lo:
            return f"{name(lo)} is behind {name(hi)} (\"{cue}\")"
        return f"{name(hi)} is ahead (\"{cue}\")" if hi else f"{name(lo)} is behind (\"{cue}\")"

    def _position(self, tok) -> int | None:
        """A position in a table of standings, "T40, Austria B. Wiesberger ; T46, ..." or "; 1. X ; 2. Y": a rank,
        when it opens an entry (at the start or after a separator) and names follow its comma ("T40") or full stop."""
        m = _POSITION.match(tok.text)
        if not m or tok.i + 2 >= len(self.t) or (tok.i and self.t[tok.i - 1].text not in _ENTRY_BEFORE):
            return None
        after = self.t[tok.i + 1].text
        if not (after == "," and m.group(1) or after == ".") or not self.keys[tok.i + 2] \
                or self.keys[tok.i + 2][0] != "names":
            return None
        return int(m.group(2)) if 0 < int(m.group(2)) <= 200 else None

    def _ranks(self, frames) -> dict[str, tuple[int, str]]:
        out: dict[str, tuple[int, str]] = {}
        for tok in self.t:
            low = tok.text.lower()
            position = self._position(tok)
            rank = RANKS.get(low) or RANKS.get(tok.lemma) or position
            if tok.lemma == "win" and tok.pos == "VERB" and tok.i in frames and not frames[tok.i].negated:
                for k in frames[tok.i].slots.get("subj", _NONE).names:  # "Argentina won the final": first
                    out.setdefault(k, (1, self.written.get(k, k)))
                continue
            if not rank:
                continue
            nxt = tok.i + 1
            if low in ("runner", "runners"):
                while nxt < len(self.t) and self.t[nxt].text in ("-", "up", "ups"):
                    nxt += 1
            elif low in ("first", "second", "third", "fourth"):
                if nxt >= len(self.t) or self.t[nxt].lemma != "place":
                    continue
                nxt += 1
            elif position:
                nxt += 1  # the comma or full stop after a standing's position
            names = []
            while nxt < len(self.t) and self.keys[nxt] and self.keys[nxt][0] == "names":
                names.append(nxt)
                nxt += 1
            if names:  # a list: "Champions Germany Runners-up Argentina"
                keys = {self.keys[i][1] for i in names}
                if position:  # an initial ("B." of "B. Wiesberger") is many players' in a table
                    keys = {k for k in keys if not k.endswith(".")} or keys
                written = " ".join(self.t[i].text for i in names)
            else:
                keys = set(self._governing_subject(tok, frames))
                head = tok
                for _ in range(3):  # "Germany was the runner-up": the copula's subject
                    head = self.t[head.head]
                    if head.lemma == "be":
                        keys |= {n for c in self.children[head.i] if c.dep in ("nsubj", "attr") for n in
                                 self._names_of([c]).names}
                        break
                written = " and ".join(self.written.get(k, k) for k in sorted(keys))
            for k in keys:
                out.setdefault(k, (rank, written))
        return out
