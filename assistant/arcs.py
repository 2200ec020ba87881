"""One parsed sentence walked both ways (heads and children), with what each token names, counts or says as a
key: the spans :mod:`.contrasts` and :mod:`.predicates` compare. Built on :func:`assistant.nlp.parse`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from . import nlp
from .claims import norm_name, numbers
from .frames import denying_subject, stem

# words that tell nothing of which side of a comparison, or which change, a span is
LIGHT = {"be", "have", "do", "time", "much", "many", "as", "than", "around", "about", "nearly", "almost", "some",
         "just", "now", "also", "still", "even", "only", "other", "any", "all", "more", "less", "most"}
_NAMED = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "DATE"}
_NOMINAL = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "npadvmod", "appos", "conj", "dative", "oprd"}
_CLAUSES = {"conj", "cc", "parataxis"}  # a predicate's children that start another statement
_ENDED = {"cease", "stop", "quit", "fail", "refuse"}  # "ceased to lead" = "no longer leads"


class Sentence:
    def __init__(self, text: str):
        self.p = nlp.parse(text)
        self.t = self.p.tokens
        self.kids: dict[int, list[nlp.Token]] = {i: [] for i in range(len(self.t))}
        for tok in self.t:
            if tok.head != tok.i:
                self.kids[tok.head].append(tok)
        self.names = {t.i for t in self.t if (t.pos == "PROPN" or t.ent in _NAMED) and t.text[:1].isalnum()}

    def subtree(self, i: int, stop: frozenset[int] | set[int] = frozenset()) -> set[int]:
        out, todo = set(), [i]
        while todo:
            j = todo.pop()
            out.add(j)
            todo += [c.i for c in self.kids[j] if c.i not in stop]
        return out

    def clause(self, i: int) -> set[int]:
        """The token's subtree without the clauses joined to it ("..., and sales fell")."""
        stop = {c.i for c in self.kids[i] if c.dep in _CLAUSES and (c.pos in ("VERB", "AUX", "CCONJ"))}
        return self.subtree(i, stop)

    def stem(self, i: int) -> str:
        return stem(self.t[i].lemma)

    def key(self, i: int, numbers_too: bool = True) -> str:
        """A name (normalised), a number (canonical), a content word (stemmed lemma), or ""."""
        tok = self.t[i]
        if tok.pos == "NUM" or tok.text[:1].isdigit():
            found = numbers(tok.text) if numbers_too else {}
            return next(iter(found)) if found else ""
        if tok.pos not in ("NOUN", "PROPN", "VERB", "ADJ") or tok.lemma in LIGHT or not tok.text[:1].isalnum():
            return ""
        return norm_name(tok.text) if i in self.names else self.stem(i)

    def keys(self, idx: set[int], numbers_too: bool = True) -> dict[str, int]:
        """key -> weight: a name or a number says more about a span than a word does."""
        out: dict[str, int] = {}
        for i in idx:
            k = self.key(i, numbers_too)
            if k:
                out[k] = max(out.get(k, 0), 2 if i in self.names or self.t[i].pos == "NUM" else 1)
        return out

    def text(self, idx: set[int]) -> str:
        """The span from its first to its last token, as written."""
        idx = sorted(i for i in idx if self.t[i].pos != "PUNCT")
        if not idx:
            return ""
        last = self.t[idx[-1]]
        return self.p.text[self.t[idx[0]].start: last.start + len(last.text)]

    def predicate(self, i: int) -> int:
        """The nearest verb or copula above the token (the root when there is none)."""
        j = self.t[i].head
        for _ in range(8):
            if self.t[j].pos in ("VERB", "AUX") or self.t[j].head == j:
                return j
            j = self.t[j].head
        return j

    def negation(self, i: int) -> str:
        """The word that negates the token: "not", "never", "no longer", "ceased (to)" ("" when none)."""
        head = self.t[self.t[i].head]
        if self.t[i].dep == "xcomp" and head.lemma in _ENDED:
            return head.text
        if word := denying_subject(self.kids, i):
            return word
        for c in self.kids[i]:
            if c.dep == "neg" or c.lemma in ("never", "no"):
                return c.text
            if c.dep == "advmod" and any(g.lemma == "never" for g in self.kids[c.i]):  # "never before won"
                return "never"
            if c.text.lower() in ("longer", "more") and c.dep == "advmod" and any(
                    g.lemma == "no" for g in self.kids[c.i]):
                return f"no {c.text}"
        return ""

    def other_side(self, cue: int, word: str) -> tuple[int, set[int]] | None:
        """What the cue is compared with: the object of the "than" / "as" after it, or the clause that word
        opens ("than there were laureates"). (the "than" token, the other side's tokens), or None, also for a
        quantity ("more than 40,000 chips")."""
        head = self.t[cue].head
        for tok in self.t[cue + 1:]:
            if tok.lemma != word:
                continue
            if tok.dep == "prep" and tok.head in (cue, head, self.predicate(cue)):
                return tok.i, self._with_clause(self.subtree(tok.i) - {tok.i})
            if tok.dep == "mark" and tok.head in self.subtree(self.predicate(cue)):
                return tok.i, self.subtree(tok.head) - {tok.i}
            return None
        return None

    def _with_clause(self, idx: set[int]) -> set[int]:
        """A quantity and the clause right after it that the parser hung elsewhere: "the $1.65 billion Google
        spent to acquire the platform" (a relative clause without "that")."""
        if not idx or self.keys(idx, numbers_too=False):
            return idx
        j = max(idx) + 1
        for _ in range(4):  # from the next word up to its verb
            if j >= len(self.t) or self.t[j].pos == "VERB":
                break
            j = self.t[j].head
        if j >= len(self.t) or self.t[j].pos != "VERB" or self.t[j].dep not in ("advcl", "relcl", "acl", "ccomp"):
            return idx
        clause = self.subtree(j)
        return idx | clause if min(clause) == max(idx) + 1 else idx

    def counted(self, idx: set[int]) -> str:
        """The noun a span counts ("some other media companies", "there were laureates"), stemmed, or ""."""
        top = [i for i in idx if self.t[i].head not in idx or self.t[i].head == i]
        if len(top) != 1:
            return ""
        tok = self.t[top[0]]
        if tok.pos in ("VERB", "AUX"):
            tok = next((c for dep in ("attr", "nsubj", "nsubjpass", "dobj") for c in self.kids[tok.i]
                        if c.dep == dep), None)
        return self.stem(tok.i) if tok is not None and tok.pos == "NOUN" else ""

    def counts(self) -> dict[str, tuple[Decimal, str]]:
        """noun -> (the number it is counted with, as written): "awarded 115 times to 119 laureates". A noun
        counted twice with different numbers is left out."""
        out: dict[str, tuple[Decimal, str]] = {}
        seen: set[str] = set()
        for tok in self.t:
            if tok.pos != "NUM" or tok.dep != "nummod" or tok.ent in ("DATE", "TIME", "MONEY"):
                continue
            j = tok.head
            while self.t[j].dep == "compound" and self.t[j].head != j:
                j = self.t[j].head
            if self.t[j].dep not in _NOMINAL or not (found := numbers(tok.text)):
                continue
            noun = self.stem(j)
            value = Decimal(next(iter(found)))
            if noun in out and out[noun][0] != value:
                seen.add(noun)
            out.setdefault(noun, (value, self.text(self.subtree(tok.i) | {tok.i, j})))
        return {k: v for k, v in out.items() if k not in seen}


@lru_cache(maxsize=4096)
def sentence(text: str) -> Sentence:
    return Sentence(text)
