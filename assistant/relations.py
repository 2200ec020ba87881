"""Who holds which post where: "SenseTime's co-founder, Xu Bing" makes Xu Bing a founder of SenseTime, and
"Xu Bing founded NVIDIA" says something else, although both sentences name Xu Bing, NVIDIA and a founding.

Read from the words, not the parse (the small parser splits "co-founder" and misreads "co-founded"): a
post ("co-founder", "CEO", "chairman", ...) or its verb ("founded") between a person's name and an
organisation's, in the few shapes news writes them. A team member ("Team Ineos rider Caleb Ewan") is also
compared with a bare affiliation ("Lotto Soudal's Caleb Ewan", "Egan Bernal (Team Ineos)"), but moved only when
the passage gives the claimed team to someone else: a bare "X's Y" or "Y (X)" may say many things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MEMBER, OF = "member", "of"  # one plays for a team; a bare affiliation ("X's Y", "Y (X)") may say that
# post -> what it is compared as (a co-founder and a founder both founded)
_POSTS = {"co-founder": "found", "cofounder": "found", "founder": "found", "ceo": "ceo", "chief executive": "ceo",
          "chief executive officer": "ceo", "chairman": "chair", "chairwoman": "chair", "chair": "chair",
          "president": "president", "owner": "owner", "coach": "coach", "head coach": "coach",
          **{w: MEMBER for w in ("rider", "player", "driver", "striker", "midfielder", "defender", "goalkeeper",
                                 "forward", "cyclist", "pitcher", "quarterback", "teammate", "team-mate")}}
_VERBS = {"founded": "found", "co-founded": "found", "cofounded": "found", "owns": "owner", "owned": "owner",
          "coaches": "coach", "coached": "coach"}
_WORD = r"[A-Z][\w&-]*(?:['’](?!s\b)\w+)?"  # "Te'o", "O'Neill"; not the "'s" of a possessive
_NAME = rf"(?:{_WORD}(?:\s+(?:of\s+)?{_WORD}){{0,4}})"  # capitalised words, case-sensitive
_ORG = rf"(?:{_NAME}(?:\s+(?:and|&)\s+{_NAME})?)"  # "Google and Alphabet": both
_POST = "(?i:" + "|".join(sorted(map(re.escape, _POSTS), key=len, reverse=True)) + ")"
_VERB = "(?i:" + "|".join(sorted(map(re.escape, _VERBS), key=len, reverse=True)) + ")"
_S = r"(?:['’]s?)"
_MOD = r"(?i:(?:former|current|new|then)\s+)?"
_BE = r"(?i:(?:is|was|has been|became|remains)\s+)?(?i:(?:the|a|an)\s+)?"
# Each shape: (pattern, which group is the person, which the organisation, which the post or verb)
# "A, B and C, both of X" / "each from X": each one's side
_ALL_OF = re.compile(rf"(?P<list>{_NAME}(?:,\s+{_NAME})*,?\s+and\s+{_NAME}),?\s+(?i:both|each|all)\s+"
                     rf"(?i:of|from|at|with|for)\s+(?i:the\s+)?(?P<org>{_ORG})")
_SHAPES = [
    # "SenseTime's co-founder, Xu Bing" / "SenseTime co-founder Xu Bing"
    (re.compile(rf"(?P<org>{_ORG}){_S}?\s+{_MOD}(?P<post>{_POST}),?\s+(?P<who>{_NAME})"), "post"),
    # "Xu Bing, SenseTime's co-founder" / "Xu Bing, the co-founder of SenseTime" / "Xu Bing is the CEO of X"
    (re.compile(rf"(?P<who>{_NAME}),?\s+{_BE}(?:(?P<org1>{_ORG}){_S}\s+)?{_MOD}(?P<post>{_POST})"
                rf"(?:\s+(?i:of|at)\s+(?i:the\s+)?(?P<org2>{_ORG}))?"), "post"),
    # "Xu Bing founded NVIDIA" / "Xu Bing, who co-founded SenseTime"
    (re.compile(rf"(?P<who>{_NAME}),?\s+(?:who\s+)?(?:(?:has|had)\s+)?(?P<verb>{_VERB})\s+(?:the\s+)?"
                rf"(?P<org>{_ORG})"), "verb"),
    # "Lotto Soudal's Caleb Ewan" / "Egan Bernal (Team Ineos)": whose side, not which post
    (re.compile(rf"(?P<org>{_ORG})['’]s?\s+(?P<who>{_NAME})"), OF),
    (re.compile(rf"(?P<who>{_NAME})\s+\((?P<org>{_ORG})\)"), OF),
]


@dataclass(frozen=True)
class Post:
    kind: str  # "found", "ceo", ...
    who: str  # the person's name as written
    org: str  # the organisation's name as written

    @property
    def who_key(self) -> frozenset[str]:
        return _key(self.who)

    @property
    def org_key(self) -> frozenset[str]:
        return _key(self.org)


def _key(name: str) -> frozenset[str]:
    return frozenset(w.lower().strip("'’.") for w in re.findall(r"[\w'’.&-]+", name)
                     if w.lower() not in _GENERIC)


# Words any organisation may carry: "Team Zantor" and "Team Orlen" share no name.
_GENERIC = frozenset({"the", "of", "and", "inc", "inc.", "co", "co.", "corp", "ltd", "team", "club", "fc", "group"})


def posts(text: str) -> list[Post]:
    """The posts ``text`` says people hold, with the organisation each is held at."""
    out = []
    for pattern, kind in _SHAPES:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            org = groups.get("org") or groups.get("org1") or groups.get("org2")
            who = groups.get("who")
            word = (groups.get("post") or groups.get("verb") or "").lower()
            if not org or not who or _key(org) & _key(who):
                continue
            if kind == OF and (who.split()[0].lower() in _POSTS or any(p.who == who.strip() for p in out)):
                continue  # "SenseTime's CEO Xu Bing": the post says more, and another shape reads it
            what = OF if kind == OF else _POSTS.get(word) if kind == "post" else _VERBS.get(word)
            if what:
                out.append(Post(what, who.strip(), org.strip()))
    for m in _ALL_OF.finditer(text):
        for who in re.split(r",\s+(?:and\s+)?|,?\s+and\s+", m.group("list")):
            if who and not _key(who) & _key(m.group("org")):
                out.append(Post(OF, who.strip(), m.group("org").strip()))
    return out


@dataclass(frozen=True)
class Moved:
    said: Post  # what the passage says
    claimed: Post  # what the answer says

    @property
    def reason(self) -> str:
        if OF in (self.said.kind, self.claimed.kind):
            return (f"the passage puts {self.said.who} with {self.said.org}; the answer puts {self.claimed.who} "
                    f"with {self.claimed.org}")
        return (f"the passage gives {self.said.who} that post at {self.said.org}; the answer puts it at "
                f"{self.claimed.org}")


def _alike(a: str, b: str) -> bool:
    return a == b or {a, b} <= {MEMBER, OF}


def moved(claim: str, unit: str) -> Moved | None:
    """The claim gives a person of the unit a post at another organisation than the unit does (and the unit
    says nothing of that post there); for a team member or a bare affiliation, the unit gives that
    organisation to someone else."""
    said = posts(unit)
    if not said:
        return None
    for c in posts(claim):
        same_person = [s for s in said if _alike(s.kind, c.kind) and s.who_key & c.who_key]
        if not same_person or any(s.org_key & c.org_key for s in same_person):
            continue
        loose = ({c.kind} | {s.kind for s in same_person}) & {MEMBER, OF}
        if loose and not any(s.org_key & c.org_key and not s.who_key & c.who_key for s in said):
            continue
        return Moved(same_person[0], c)
    return None


_HELD = {"found", "ceo", "chair", "president", "owner", "coach"}  # posts one person holds at a time, compared
_BREAKS = {".", "·", ";", "|", "•"}
HOLDER_WINDOW = 8  # a post is the nearest person's named at most this many tokens before it


def holders(text: str) -> dict[str, dict[frozenset[str], str]]:
    """post -> the people the text gives it to (key -> as written): the person named nearest before the post
    word, in its clause ("Abigail Johnson Named CEO", "Ned Johnson will continue to serve as chairman"). Persons
    are those the parser's recogniser finds."""
    from . import nlp

    toks = nlp.parse(text).tokens
    out: dict[str, dict[frozenset[str], str]] = {}
    for tok in toks:
        low = tok.text.lower()
        chief = low == "executive" and tok.i > 0 and toks[tok.i - 1].text.lower() == "chief"
        kind = "ceo" if chief else _POSTS.get(low, "")
        if kind not in _HELD:
            continue
        words: list[str] = []
        for j in range(tok.i - 1, max(tok.i - HOLDER_WINDOW, 0) - 1, -1):
            t = toks[j]
            if t.text in _BREAKS:
                break
            if t.ent == "PERSON" and t.pos == "PROPN":
                words.insert(0, t.text)
            elif words:
                break
        if words:
            out.setdefault(kind, {})[_key(" ".join(words))] = " ".join(words)
    return out


def swapped(claim: str, unit: str) -> str | None:
    """The claim gives a post to a person the unit gives another post, while the unit gives this one to someone
    else ("Ned Johnson was named CEO, while Abigail Johnson stays chairman" against the reverse): why, or None."""
    theirs, mine = holders(unit), holders(claim)
    for kind, people in mine.items():
        for who, written in people.items():
            given = theirs.get(kind, {})
            if not given or any(who <= g or g <= who for g in given):
                continue
            elsewhere = [k for k, gs in theirs.items() if k != kind and who in gs and who not in mine.get(k, {})]
            if elsewhere:
                return (f"the passage gives the {kind} post to {next(iter(given.values()))} and the {elsewhere[0]} "
                        f"post to {theirs[elsewhere[0]][who]}; the answer gives {written} the {kind} post")
    return None
