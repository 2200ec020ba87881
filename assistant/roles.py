"""Roles and direction: whether an answer sentence gives the names of its cited sentence the same roles
(who did what to whom, whose date or amount, which side of a comparison, which rank) and states its changes,
stances and negations the same way round. Reads dependency parses from :mod:`assistant.nlp` (see :mod:`.frames`
and :mod:`.owners`); comparisons and changes read by their sides are checked in :mod:`.contrasts`, denied
complements ("not the first") and names moved across a shared verb in :mod:`.predicates` (firsts said in other ways,
"no X had ever V before Z", in :mod:`.firsts`), posts held at
another organisation ("Xu Bing founded NVIDIA" for "SenseTime's co-founder, Xu Bing") in :mod:`.relations`; a time
moved to another event the passage states apart (``_retimed``) from :mod:`.owners`. A description bound to one name
("freshman quarterback X", "the world No1, X", "China's growth") is a frame of :mod:`.frames` with its own subject
or owner; a relative clause given to another name ("Y, who received the prize") is read from the words (``_clauses``),
and so is a place, people or organisation given to another name ("X (Austria)", "Polish author Y") in
:mod:`.attributes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import attributes, intervals, lists, nlp, owners, relations
from .claims import misspelt, norm_name, numbers, spans_held
from .frames import _SAME, Frame, Reading, normalised, read, stem

# How roles are read: "dependency" (subject/object arcs of the parse, what the verifier uses) or "alignment"
# (names before / after the shared verb, passives turned round); eval.fit_verifier --roles compares them.
METHOD = "dependency"


@dataclass(frozen=True)
class Conflict:
    rule: str  # "negation", "direction", "comparison", "rank", "role"
    reason: str  # plain words: what the passage says and what the answer says


def conflict(claim: str, unit: str, others: tuple[str, ...] = ()) -> Conflict | None:
    """The first way ``claim`` contradicts ``unit`` (the sentence it rests on), or None. ``others``
    are further sentences of the cited passage, checked for comparisons and ranks only."""
    if claim.strip() == unit.strip():
        return None
    c, u = read(claim), read(unit)
    from . import contrasts, firsts, predicates  # they read Conflict from here

    rules: list = [_negation, _direction, _comparison, _rank, _doer_of_the_post]
    if not contrasts.compared_alike(claim, unit):  # "A has fewer than B" = "B has more than A": subjects differ
        nobody = firsts.nobody(claim) | firsts.nobody(unit)
        implied = frozenset(s.value for s in intervals.held_in(claim, unit))  # "in 75 years" for "since 1943"
        rules.append((lambda c, u: _roles(c, u, nobody, implied)) if METHOD == "dependency" else
                     lambda c, u: _roles_by_order(claim, unit))
    for rule in rules:
        found = rule(c, u)
        if found:
            return found
    found = (_attributes(claim, unit, others) or _pairings(claim, unit) or _clauses(claim, unit)
             or _absence(claim, unit) or _respectively(claim, unit) or _moved(claim, unit)
             or _retimed(claim, unit) or _listed(claim, unit))
    if found:
        return found
    if c.comparisons or c.ranks:
        for text in others:
            o = read(text)
            found = _comparison(c, o) or _rank(c, o)
            if found:
                return found
    return predicates.conflict(claim, unit) or contrasts.conflict(claim, unit) or _post(claim, unit)


def prepare(texts: list[str]) -> None:
    """Parse ``texts``, claims and units about to be compared, as one batch: :func:`conflict` then finds them
    parsed (in the forms :mod:`.frames` and the other readers parse)."""
    nlp.parse_many(list(texts) + [n for t in texts if (n := normalised(t)) != t])


def _attributes(claim: str, unit: str, others: tuple[str, ...]) -> Conflict | None:
    """A place, people or organisation the passage binds to one name ("X (Austria)") given to another."""
    reason = attributes.moved(claim, unit, others)
    return Conflict("role", reason) if reason else None


def _post(claim: str, unit: str) -> Conflict | None:
    """A post the unit gives a person ("SenseTime's co-founder, Xu Bing") put at another organisation."""
    found = relations.moved(claim, unit)
    reason = found.reason if found else relations.swapped(claim, unit)
    return Conflict("post", reason) if reason else None


def _best_frame(frame, frames):
    """The unit's occurrence of the claim's predicate that shares most of its arguments."""
    same = [f for f in frames if f.lemma == frame.lemma]
    if not same:
        return None
    return max(same, key=lambda f: (frame.shared(f), -abs(f.index - frame.index) * 0))


def _matched_better(f, g, frames) -> bool:
    """Another of the claim's frames of the same predicate shares more with ``g``: ``g`` is that one's event and
    ``f`` another ("X is the first to win the title since Y, who was 19 when she won the US Open": two wins)."""
    return any(h is not f and h.lemma == f.lemma and h.shared(g) > f.shared(g) for h in frames)


def _negation(c: Reading, u: Reading) -> Conflict | None:
    for f in c.frames:
        g = _best_frame(f, u.frames)
        if g is not None and f.negated != g.negated and f.word_is_verb and g.word_is_verb:
            word = f.negation_word if f.negated else g.negation_word
            return Conflict("negation", f"the passage says {g.phrase()}; the answer says the opposite "
                                        f"({f.phrase()}, \"{word}\")")
    return None


def _direction(c: Reading, u: Reading) -> Conflict | None:
    for d in c.directions:
        same_dim = [e for e in u.directions if e.dimension == d.dimension]
        matched = [e for e in same_dim if e.target == d.target]
        if d.word and any(e.word == d.word for e in matched):
            continue  # the same opposite word: agreement, or a negation for the negation rule to weigh
        if matched and all(e.polarity != d.polarity for e in matched):
            e = matched[0]
            what = f" about {e.target}" if e.target and e.target == d.target else ""
            return Conflict("direction", f"the passage says \"{e.phrase}\"{what}; the answer says the reverse "
                                         f"(\"{d.phrase}\")")
    return None


def _comparison(c: Reading, u: Reading) -> Conflict | None:
    """A said above B in the claim, while the unit puts B above A (or A below someone) by a comparison
    or by ranks."""
    unit_pairs = list(u.comparisons) + _rank_pairs(u)
    for cmp in c.comparisons:
        for other in unit_pairs:
            if (cmp.higher & other.lower and (cmp.lower & other.higher or not other.higher or not cmp.lower)) or \
               (cmp.lower & other.higher and (cmp.higher & other.lower or not other.lower or not cmp.higher)):
                return Conflict("comparison", f"the passage says {other.phrase}; the answer says the reverse "
                                              f"({cmp.phrase})")
            if cmp.owner and cmp.owner == other.owner and not cmp.higher & other.higher and cmp.higher <= u.names:
                return Conflict("comparison", f"the passage says {other.phrase}; the answer gives it to another "
                                              f"({cmp.phrase})")
    return None


def _rank_pairs(u: Reading):
    from .cues import Comparison

    ranks = sorted(u.ranks.items(), key=lambda kv: kv[1][0])
    out = []
    for i, (a, (ra, wa)) in enumerate(ranks):
        for b, (rb, wb) in ranks[i + 1:]:
            if ra < rb:
                said = f"{wa} ranks {_ordinal(ra)} and {wb} {_ordinal(rb)}"
                out.append(Comparison(frozenset({a}), frozenset({b}), said))
    winners = frozenset(k for k, (r, _) in u.ranks.items() if r == 1)
    if winners:  # the one ranked first is ahead of everyone else the sentence names ("won", "champions")
        said = " and ".join(sorted({w for r, w in u.ranks.values() if r == 1})) + " ranks first"
        out.append(Comparison(winners, u.names - winners, said))
    return out


def _rank(c: Reading, u: Reading) -> Conflict | None:
    for name, (rank, word) in c.ranks.items():
        theirs = u.ranks.get(name)
        if theirs and theirs[0] != rank:
            return Conflict("rank", f"the passage ranks {theirs[1]} {_ordinal(theirs[0])}; the answer ranks "
                                    f"{word} {_ordinal(rank)}")
    return None


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth"}.get(n, f"number {n}")


def _roles(c: Reading, u: Reading, nobody: frozenset[str] = frozenset(),
           implied: frozenset[str] = frozenset()) -> Conflict | None:
    """The shared predicate has another name in one of its roles: "Halep defeated Williams" against
    "Williams defeated Halep", "NVIDIA aims to turn profitable" against "the goal for SenseTime is to turn
    profitable". A "no X" that says who was the first X (``nobody``, see :mod:`.firsts`) names no one in its role:
    "until Bernal's victory, no Colombian rider had won the Tour" against "Bernal won the Tour". ``implied``: the
    claim's span counts the unit's dates imply, which no role of it contradicts."""
    from .firsts import squashed

    for g in u.frames:  # the claim's parse missed the verb: the names right before the word (alignment)
        key = stem(g.word)
        if key in c.unparsed and g.word_is_verb and not any(f.lemma == g.lemma for f in c.frames):
            names, written = c.unparsed[key]
            theirs = g.slots.get("subj")
            if theirs and theirs.names and not names & theirs.names:
                return Conflict("role", f"the passage says {g.phrase()}; the answer says {written} {g.word}")
    for f in c.frames:
        g = _best_frame(f, u.frames)
        if g is None or _matched_better(f, g, c.frames):
            continue
        for slot, mine in f.slots.items():
            theirs = g.slots.get(slot)
            if not theirs or nobody and {squashed(mine.text), squashed(theirs.text)} & nobody:
                continue
            for kind in ("names", "numbers"):
                a, b = getattr(mine, kind), getattr(theirs, kind)
                # names: none in common; dates: one is not part of the other (May 28 / 28 May 2024 agree)
                if a and b and (not a & b and not any(misspelt(x, b) for x in a) if kind == "names"
                                 else (a - b and b - a and not spans_held(mine.text, theirs.text)
                                       and not (implied and set(numbers(mine.text)) - set(numbers(theirs.text))
                                                <= implied))):
                    if kind == "names" and ((mine.named_head and theirs.described) or
                                            (theirs.named_head and mine.described)):
                        continue  # "The Blacklist" is "an American series": a name and a description, not two names
                    if kind == "names" and ((mine.modified and theirs.referred) or (theirs.modified and mine.referred)):
                        continue  # "the Chinese firm" and "the company" (read as SenseTime): two descriptions
                    return Conflict("role", f"the passage says {g.phrase(slot)}; the answer says {f.phrase(slot)}")
            if mine.owners and theirs.owners and not mine.owners & theirs.owners \
                    and not (mine.owners <= theirs.names and theirs.owners <= mine.names):  # "the US's", "China's"
                # (each owner named in the other's words is said another way: "Slovenia's X (Team)" for
                # "Slovenian X of Team")
                return Conflict("role", f"the passage says {g.phrase(slot)}; the answer says {f.phrase(slot)}")
        if (found := _exchanged(f, g)) is not None:
            return found
    return None


_PARTICIPLE = "VBN"
# Verbs whose subject and object may trade places and say the same ("A met B" is "B met A").
_SYMMETRIC = {"meet", "marry", "face", "play", "draw", "tie", "partner", "merge", "date", "fight", "battle", "split",
              "divorce", "resemble", "equal", "match", "join", "share"}


def _exchanged(f: Frame, g: Frame) -> Conflict | None:
    """A name the claim makes the doer of the shared predicate that the passage makes its object, and not its doer:
    "A tried to talk B out of it" for "(B tried) to talk A out of it", where the passage names no doer. Not of a
    participle ("with Germany crowned champions", "X, which was scheduled, ended up being held"), whose subject
    the parses often give the one it is done to; nor the other way round, as objects take in stray names."""
    if f.lemma in _SYMMETRIC or f.negated != g.negated or not (f.word_is_verb and g.word_is_verb) or \
            _PARTICIPLE in (f.tag, g.tag):
        return None
    mine, theirs = f.slots.get("subj"), g.slots.get("obj")
    if not mine or not theirs:
        return None
    moved = mine.names & theirs.names
    kept = (g.slots["subj"].names if "subj" in g.slots else frozenset()) | (
        f.slots["obj"].names if "obj" in f.slots else frozenset())
    if moved and not moved & kept and not (mine.referred or theirs.referred):
        return Conflict("role", f"the passage says {g.phrase()}, {theirs.text} the one it is done to; the answer "
                                f"says {f.phrase()}, {mine.text} the doer")
    return None


def _sides(text: str) -> dict[str, tuple[set[str], set[str]]]:
    """verb lemma -> (names before it, names after it), passives turned round ("X was beaten by Y")."""
    from .frames import _Reader

    r = _Reader(nlp.parse(text))
    out = {}
    for tok in r.t:
        if tok.pos != "VERB":
            continue
        before = {k[1] for k in r.keys[: tok.i] if k and k[0] == "names"}
        after = {k[1] for k in r.keys[tok.i + 1:] if k and k[0] == "names"}
        passive = tok.i and r.t[tok.i - 1].lemma == "be" and any(t.lemma == "by" for t in r.t[tok.i + 1: tok.i + 3])
        out.setdefault(_SAME.get(tok.lemma, tok.lemma), (after, before) if passive else (before, after))
    return out


def _verbs_of(noun: str) -> set[str]:
    """The verbs an agent noun may be the doer of: "director" -> direct, "producer" -> produce, "winner" -> win."""
    for end in ("er", "or"):
        if noun.endswith(end) and len(noun) > len(end) + 2:
            base = noun[: -len(end)]
            return {base, base + "e"} | ({base[:-1]} if len(base) > 2 and base[-1] == base[-2] else set())
    return set()


def _doer_of_the_post(c: Reading, u: Reading) -> Conflict | None:
    """The passage names X its film's director ("director Garry Marshall and screenwriter J. F. Lawton"); the answer
    says another name it also gives did it ("directed by J. F. Lawton"), and X something else."""
    named = set().union(*(s.names for g in u.frames for s in g.slots.values()))
    for f in c.frames:
        doers = f.slots.get("subj")
        if not f.word_is_verb or f.negated or not doers or not doers.names:
            continue
        if any(g.word_is_verb and g.lemma == f.lemma and (g.slots.get("subj") and
                                                         g.slots["subj"].names & doers.names) for g in u.frames):
            continue  # the passage also says they did it
        others = set().union(*(s.names for k, s in f.slots.items() if k != "subj"))
        for g in u.frames:
            holder = g.slots.get("subj")
            if g.word_is_verb or g.negated or not holder or f.lemma not in _verbs_of(g.lemma):
                continue
            if not holder.names & doers.names and doers.names <= named and holder.names & others:
                who = re.sub(r"^by\s+", "", doers.text)
                return Conflict("role", f"the passage says {holder.text} is the {g.word}; the answer says "
                                        f"{who} {f.word} it")
    return None


def _roles_by_order(claim: str, unit: str) -> Conflict | None:
    """Ordered alignment: the names the claim puts before the shared verb the unit puts after it, and back."""
    theirs = _sides(unit)
    for verb, (cb, ca) in _sides(claim).items():
        if verb in theirs:
            ub, ua = theirs[verb]
            if cb & ua and ca & ub and not cb & ub:
                return Conflict("role", f"the passage puts {', '.join(sorted(ub))} before \"{verb}\" and "
                                        f"{', '.join(sorted(ua))} after; the answer turns them round")
    return None


_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
_PAIRED = re.compile(rf"({_NAME})\s*(?:\(([^)]+)\)|,?\s+(?:\w+\s+)?as\s+({_NAME}(?:/{_NAME})?))")


def _pairs(text: str) -> list[tuple[frozenset[str], frozenset[str], str, str]]:
    """Names paired by a parenthesis or "as": "Gal Gadot (Wonder Woman)", "Chris Pine as Steve Trevor"."""
    out = []
    for m in _PAIRED.finditer(text):
        left, right = m.group(1), m.group(2) or m.group(3)
        keys = lambda t: frozenset(norm_name(w.rstrip('.')) for w in re.findall(r"[A-Z][\w'’.-]*", t))  # noqa: E731
        if keys(left) and keys(right):
            out.append((keys(left), keys(right), left, right.strip()))
    return out


def _pairings(claim: str, unit: str) -> Conflict | None:
    theirs = _pairs(unit)
    for who, what, written, role in _pairs(claim):
        same = [t for t in theirs if t[1] & what]
        if same and not any(t[0] & who for t in same):
            return Conflict("role", f"the passage pairs {same[0][3]} with {same[0][2]}; the answer pairs "
                                    f"{role} with {written}")
    return None


_RELATIVE = re.compile(rf"({_NAME})(?:\s*\([^)]*\))?,\s+(?:who|which)\s+((?:[\w'’-]+\s+){{2,}}[\w'’-]+)")


def _clauses(claim: str, unit: str) -> Conflict | None:
    """A relative clause the unit gives one name ("Handke, who received the 2019 prize") said of another name
    in the claim, word for word, as its own clause or predicate ("Tokarczuk received the 2019 prize"): read from
    the words, as the parser often takes the names around such a clause for one."""
    keys = lambda t: {norm_name(w) for w in re.findall(r"[A-Z][\w'’.-]*", t)}  # noqa: E731
    low = claim.lower()
    for m in _RELATIVE.finditer(unit):
        holder, clause = m.group(1), m.group(2).lower()
        at = low.find(clause)
        if at < 0:
            continue
        before = re.search(rf"({_NAME})(?:\s*\([^)]*\))?,?\s+(?:who\s+|which\s+)?$", claim[:at])
        if before and keys(before.group(1)) and not keys(before.group(1)) & keys(holder) \
                and keys(before.group(1)) & keys(unit):
            return Conflict("role", f"the passage says {holder}, who {m.group(2)}; the answer says it of "
                                    f"{before.group(1)}")
    return None


def _absent_nouns(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """(nouns said to be absent: "without any delays", "with no delays"; the other nouns), lemma -> as written.
    A "no X" that says who was the first X ("no freshman had ever done it") is neither (see :mod:`.firsts`)."""
    from .arcs import sentence
    from .firsts import nobody, squashed

    s = sentence(text)
    firsts = nobody(text)
    said_first = {i for t in s.t if firsts and squashed(s.text(s.subtree(t.i))) in firsts for i in s.subtree(t.i)}
    absent, present = {}, {}
    for t in s.t:
        if t.pos != "NOUN" or t.i in said_first:
            continue
        head = s.t[t.head]
        none = (t.dep == "pobj" and head.lemma == "without") or any(
            c.lemma in ("no", "zero") and c.dep == "det" for c in s.kids[t.i])
        (absent if none else present)[t.lemma] = t.text
    return absent, present


def _absence(claim: str, unit: str) -> Conflict | None:
    """One says "without X" (or "no X") of what the other says there was: "released without any delays"
    against "following some delays, it was released"."""
    c_absent, c_present = _absent_nouns(claim)
    u_absent, u_present = _absent_nouns(unit)
    for lemma, written in c_absent.items():
        if lemma in u_present and lemma not in u_absent:
            return Conflict("negation", f"the passage mentions {u_present[lemma]}; the answer says there were none "
                                        f"(\"without {written}\")")
    for lemma, written in u_absent.items():
        if lemma in c_present and lemma not in c_absent:
            return Conflict("negation", f"the passage says there were no {written}; the answer says there were "
                                        f"({c_present[lemma]})")
    return None


def _lists(p: nlp.Parse) -> list[tuple[int, list[tuple[set[str], str]]]]:
    """Coordinations "A and B (and C)": (position, items), each item its keys (names, numbers, noun lemmas)
    and its text."""
    toks = p.tokens
    kids: dict[int, list] = {}
    for t in toks:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t)

    def span(i: int, skip: set[int]) -> list[int]:
        out, todo = [], [i]
        while todo:
            j = todo.pop()
            out.append(j)
            todo += [c.i for c in kids.get(j, ()) if c.i not in skip]
        return sorted(out)

    def item(idx: list[int]) -> tuple[set[str], str]:
        idx = [i for i in idx if toks[i].pos != "PUNCT" and toks[i].dep not in ("det", "poss")]
        text = p.text[toks[idx[0]].start : toks[idx[-1]].start + len(toks[idx[-1]].text)] if idx else ""
        keys = {norm_name(toks[i].text) for i in idx if toks[i].text[:1].isupper()}
        keys |= set(numbers(text)) | {toks[i].lemma for i in idx if toks[i].pos == "NOUN"}
        return keys, text

    out = []
    for t in toks:
        conj = [c for c in kids.get(t.i, ()) if c.dep == "conj" and c.pos == t.pos or
                (c.dep == "conj" and {c.pos, t.pos} <= {"PROPN", "NOUN", "NUM", "SYM"})]
        if not conj:
            continue
        skip = {c.i for c in kids.get(t.i, ()) if c.dep in ("conj", "cc", "punct")}
        items = [item(span(t.i, skip))] + [item(span(c.i, {g.i for g in kids.get(c.i, ()) if g.dep == "conj"}))
                                           for c in conj]
        if all(keys for keys, _ in items):
            out.append((t.i, items))
    return out


def _which(items: list[tuple[set[str], str]], keys: set[str]) -> int | None:
    """The one item whose keys the claim states all of (the most specific, "Pixel 6 Pro" before "Pixel 6")."""
    found = [(len(k), i) for i, (k, _) in enumerate(items) if k <= keys]
    if not found:
        return None
    found.sort(reverse=True)
    return found[0][1] if len(found) == 1 or found[0][0] > found[1][0] else None


def _respectively(claim: str, unit: str) -> Conflict | None:
    """"A and B ... X and Y, respectively" pairs A with X and B with Y: the answer may not give A B's Y. The two
    lists are read from the parse, else from the words (names the parser runs together: "Ming-Na Wen, Eddie Murphy
    and ... star as Mulan, Mushu and ...")."""
    if "respectively" not in unit.lower():
        return None

    p = nlp.parse(unit)
    at = next(t.i for t in p.tokens if t.lemma == "respectively")
    lists = [items for i, items in _lists(p) if i < at]
    named = _named_lists(unit[: unit.lower().index("respectively")])
    c = nlp.parse(claim)
    keys = {norm_name(t.text) for t in c.tokens if t.text[:1].isupper()} | set(numbers(claim))
    keys |= {t.lemma for t in c.tokens if t.pos == "NOUN"}
    # each pair the claim makes ("A as X and B as Y"), else the whole claim as one
    pairs = [(set(a), set(b)) for a, b, _, _ in _pairs(claim)] or [(keys, keys)]
    for found in (lists, named):
        if len(found) < 2:
            continue
        right = found[-1]
        left = next((items for items in reversed(found[:-1]) if len(items) == len(right)), None)
        for who, what in pairs if left is not None else ():
            i, j = _which(left, who), _which(right, what)
            if i is not None and j is not None and i != j:
                return Conflict("role", f"the passage gives {left[i][1]} {right[i][1]} and {left[j][1]} "
                                        f"{right[j][1]} (\"respectively\"); the answer gives {left[i][1]} "
                                        f"{right[j][1]}")
    return None


_NAME_LIST = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+and\s+{_NAME}")


def _named_lists(text: str) -> list[list[tuple[set[str], str]]]:
    """Lists of names as written, "A, B, and C": each item its name keys and its text."""
    out = []
    for m in _NAME_LIST.finditer(text):
        items = [w for w in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group(0)) if w]
        out.append([({norm_name(w) for w in item.split()}, item) for item in items])
    return out


def _same_name(mine: owners.Entity, names: tuple[owners.Entity, ...]) -> set[frozenset[str]]:
    """The names of a sentence that are the claim's: the same words, else the one that contains them or is
    contained ("Pixel 6" is not "Pixel 6 Pro" when both are named; "Gadot" is "Gal Gadot")."""
    same = {n.keys for n in names if n.keys == mine.keys}
    return same or {n.keys for n in names if n.keys < mine.keys or mine.keys < n.keys}


def _moved(claim: str, unit: str) -> Conflict | None:
    """A date, number or amount the passage gives for one event put on a name the passage gives another event:
    "the phone was released on 20 May, a day after the release of X" does not say X was released on 20 May; nor
    does "A costs $5, while B costs $9" say B costs $5. The other event must be of the claim's kind ("release"),
    or, when the passage names who the fact belongs to, carry a fact of its own of the same sort (a date)."""
    c, u = owners.read(claim), owners.read(unit)
    for mine in c.facts:
        theirs = [o for o in u.facts if mine.fact <= o.fact]
        if not theirs or any(not o.event.who and not o.event.described for o in theirs):
            continue  # not stated, or stated of "it": whose, the sentence does not say
        claimed = [(who, same) for who in mine.event.who if (same := _same_name(who, u.names))]
        if not claimed or any({n.keys for n in o.event.who} & same for o in theirs for _, same in claimed):
            continue
        named = any(o.event.who for o in theirs)
        owning = {o.event.index for o in theirs}
        for who, same in claimed:
            if _verbatim(claim, unit, who.text, mine.written) or _recast(c, mine, u, theirs, same):
                continue
            for e in sorted(u.events, key=lambda e: e.lemma != ""):  # a fact of its own put next to it first
                if e.index in owning or e.together or not {n.keys for n in e.who} & same:
                    continue
                if any(not o.event.who and u.inside(o.event, e) for o in theirs):
                    continue  # "X drew 61,870 fans, a 12% rise": a nameless event inside X's describes X's
                if any(u.argument_of(o.event, e) for o in theirs):
                    continue  # "X beats Y to win the 2019 title": the title's year is X's win's
                if not named and not any(u.related(e, o.event) for o in theirs):
                    continue  # "X came out in June, and the software was released in May": may be X
                kinds = {f.kind for f in u.facts if f.event.index == e.index}
                if mine.kind not in kinds and any(u.adverbial_of(o.event, e) for o in theirs):
                    continue  # "X won the title after beating Y in the 2019 final", with no time of its own
                if e.lemma in ("", mine.event.lemma) or (named and mine.kind in kinds):
                    o = theirs[0]
                    return Conflict("role", f"the passage gives {o.written} to \"{o.event.text}\", and "
                                            f"\"{e.text}\" is another; the answer gives it to {who.text}")
    return None


def _listed(claim: str, unit: str) -> Conflict | None:
    """A name put into a list the unit gives a fact to ("the careers of Coppola, Pacino and ...")."""
    reason = lists.added_member(claim, unit)
    return Conflict("role", reason) if reason else None


def _recast(c: owners.Sentence, mine: owners.Owned, u: owners.Sentence, theirs: list[owners.Owned],
            same: set[frozenset[str]]) -> bool:
    """The claim states the passage's event with its parts in other roles: "X will be held in L from D" is "L
    will host X from D". The claim's name is said inside the event the passage gives the fact to, and that
    event's own names are said inside the claim's event."""
    return any(o.event.who and same & u.names_in(o.event)
               and all(_same_name(n, c.names) & c.names_in(mine.event)
                       for n in o.event.who)
               for o in theirs)


def _retimed(claim: str, unit: str) -> Conflict | None:
    """A time the passage gives one event put on another event the passage states apart: "the company has
    acquired 40,000 chips. The goal is to turn profitable within two years" does not say it will acquire them
    within two years. Only when the claim does not state the passage's event too (then the parses may only
    hang the time differently)."""
    c, u = owners.read(claim), owners.read(unit)
    cv, uv = _verbs(claim), _verbs(unit)
    mine_events = {e.lemma for e in c.events} | {f.event.lemma for f in c.facts}
    dated = {o.event.index for o in u.facts if o.kind == "date"}
    for mine in c.facts:
        if mine.kind != "date" or mine.event.index not in cv:
            continue
        theirs = [o for o in u.facts if o.kind == "date" and mine.fact <= o.fact]
        if not theirs or any(o.event.index not in uv or o.event.lemma in (mine.event.lemma, *mine_events)
                             for o in theirs):
            continue
        # the claim's event, stated in the passage apart and with no time of its own there (one with its own
        # date would be a wrong date, and a parse hanging the date on the wrong verb looks like this); not when
        # the dated event is an adverbial clause of it, which tells when it happened
        apart = [e for e in u.events if e.lemma == mine.event.lemma and e.index in uv and e.index not in dated
                 and not e.together and not any(u.adverbial_of(o.event, e) for o in theirs)]
        if apart:
            o = theirs[0]
            return Conflict("role", f"the passage gives {o.written} to \"{o.event.text}\", and \"{apart[0].text}\" "
                                    f"is another; the answer gives it to \"{mine.event.text}\"")
    return None


def _verbs(text: str) -> set[int]:
    """Tokens that are verbs of an event (not a copula or a verb that only places a noun event in time)."""
    return {t.i for t in nlp.parse(text).tokens if t.pos == "VERB" and t.lemma not in owners._LIGHT}


def _verbatim(claim: str, unit: str, *parts: str) -> bool:
    """The claim's words from one part to the other stand as they are in the unit (whatever the parses say)."""
    at = [claim.find(p) for p in parts]
    if min(at) < 0:
        return False
    span = claim[min(at): max(a + len(p) for a, p in zip(at, parts, strict=True))]
    return " ".join(span.lower().split()) in " ".join(unit.lower().split())
