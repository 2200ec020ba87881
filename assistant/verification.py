"""Citation verification: every sentence shown must be supported by the passage it cites.

An LLM answer is split into sentences and its ``[n]`` markers parsed. A sentence is supported
when one sentence of a cited passage (or two adjacent ones, with the title) states every number,
date, amount and name in it, says the same in meaning (a decision fitted on labelled claims, see
:mod:`.meaning`) and puts its names in the same roles, directions and ranks (:mod:`.roles`). Unsupported ones are
dropped from the text but kept in the record; sentences without a marker get one when a passage
supports them; citations are renumbered 1..k in order of use and quote the supporting span.
Works on a finished answer or on a stream, sentence by sentence. Calls no LLM.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np

from . import claims, coverage, nlp, ordinals, quantities, roles
from .citations import cite
from .claims import Facts, content_words
from .evidence import CachedEmbedder, Passage, Unit, read_passages, span_unit
from .meaning import load_decision, surface_words, word_coverage
from .question import as_statement
from .types import Chunk, Citation, Hit, SentenceCheck

CONTRADICTIONS = {"negation", "direction", "comparison", "rank", "role"}  # roles.py rules
SPREAD = 4  # adjacent sentences of one passage a claim may gather its facts from (a pair is two)
MAX_CITED = 3  # passages one sentence may lean on when no single one holds all its facts
ADDED_PHRASE = 2  # a refused claim with a phrase this long the passage lacks is named as an addition
FRAGMENT_TOKENS = 5  # fewer content words than this: a bare answer, compared in meaning with its question


@dataclass
class Verified:
    text: str  # the supported sentences with their renumbered markers
    citations: list[Citation]
    checks: list[SentenceCheck]
    abstained: bool = False  # the model declined and said nothing the passages support

    @property
    def supported(self) -> int:
        return sum(c.supported for c in self.checks)


@dataclass
class Support:
    """The verdict on one claim: the passages and spans it rests on, and how close the best one is."""

    ok: bool
    reason: str
    used: list[tuple[Passage, Unit]] = field(default_factory=list)
    lexical: float = 0.0
    semantic: float = 0.0
    rule: str = ""  # what removed it: facts, meaning, negation, direction, comparison, rank, role


@dataclass
class Claim:
    """One answer sentence, ready to compare: its facts, content words and (embedded only when
    some unit has its facts and words) its meaning."""

    text: str
    facts: Facts
    tokens: set[str]
    forms: list[str]  # the sentence; a bare answer also read after its question
    embedder: CachedEmbedder
    statement: str = ""  # what roles are checked on: the sentence, or a bare answer put into its question
    question: str = ""  # for a bare answer: the question it answers (a bare "40,000" counts what it asks about)
    _vectors: np.ndarray | None = None

    def similarity(self, unit: Unit) -> float:
        if self._vectors is None:
            self._vectors = self.embedder.embed(self.forms)
        return float(np.max(self._vectors @ unit.vector))


@dataclass
class Match:
    """The unit of one passage that best fits a claim."""

    passage: Passage
    unit: Unit
    missing: set[str]  # claim facts neither the unit nor the passage title states
    lexical: float
    semantic: float


_ELIDED = re.compile(r"\W*(\.\.\.|\u2026)\W*")  # a line that is only an ellipsis: text left out
_AMOUNTS = nlp.TIME | nlp.COUNT | nlp.MONEY | nlp.PERCENT | {"ORDINAL"}  # entities that are no names
_YES_NO = re.compile(r"^\s*(is|are|was|were|do|does|did|can|could|will|would|should|has|have|had)\b|\bor\b", re.I)


class Verifier:
    def __init__(self, embedder, min_lexical: float = 0.7, min_semantic: float = 0.55, min_support: float = 0.5,
                 check_roles: bool = True, decision=...):
        self.embedder = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)
        self.min_lexical = min_lexical  # the fixed gates: used only when no fitted decision is found
        self.min_semantic = min_semantic
        self.min_support = min_support
        self.check_roles = check_roles
        self.decision = load_decision() if decision is ... else decision

    @classmethod
    def from_settings(cls, settings, embedder) -> Verifier:
        return cls(embedder, settings.verify_min_lexical, settings.verify_min_semantic, settings.verify_min_support,
                   settings.verify_roles)

    def features(self, claim: Claim, match: Match, added: coverage.Addition | None = None) -> dict[str, float]:
        """What the fitted decision reads about the claim and the unit it rests on."""
        title = match.passage.chunk.title
        unit_words = surface_words(" ".join([match.unit.text, title, *coverage.spelled_out(match.unit.text + title)]))
        mean, low, uncovered = word_coverage(surface_words(claim.text), unit_words, self.embedder)
        n_facts = len(claim.facts.numbers) + len(claim.facts.names)
        added = added or self.addition(claim, match)
        return {"lexical": match.lexical, "semantic": match.semantic, "words_mean": mean, "words_min": low,
                "uncovered": uncovered,
                "facts_share": n_facts / max(len(claim.tokens), 1),
                "added_phrase": float(added.largest if added.largest >= ADDED_PHRASE else 0)}

    def addition(self, claim: Claim, match: Match) -> coverage.Addition:
        """What the claim says that the unit does not: against the unit and against each pair that overlaps it
        (a claim joining two facts rests on both sentences), whichever leaves least."""
        u, title = match.unit, match.passage.chunk.title
        texts = [u.text] + [p.text for p in match.passage.units if p.pair and p is not u
                            and p.start < u.end and p.end > u.start]
        found = []
        for text in texts:
            words = list(surface_words(text + " " + title).values())
            found.append(coverage.uncovered(claim.text, coverage.unit_keys(text + " " + title), words, self.embedder,
                                            text + " " + title))
        return min(found, key=lambda a: (a.largest, a.share))

    def _says_the_same(self, claim: Claim, match: Match, where: str) -> Support | None:
        """None when the unit says what the claim says, else why not."""
        lex, sem = match.lexical, match.semantic
        if self.decision is None:
            if lex < self.min_lexical or sem < self.min_semantic:
                closeness = f"similarity {sem:.2f}" if lex >= self.min_lexical else f"word overlap {lex:.2f}"
                return Support(False, f"no sentence of {where} says this ({closeness})", [], lex, sem, "meaning")
            return None
        added = self.addition(claim, match)
        if added.qualifier:
            return Support(False, f"{where} does not say \"{added.qualifier}\": the answer adds it", [], lex, sem,
                           "addition")
        values = self.features(claim, match, added)
        p = self.decision.probability(values)
        if p < self.min_support and values["added_phrase"] >= ADDED_PHRASE:
            return Support(False, f"{where} does not say \"{added.phrase}\": the answer adds it (support {p:.2f} < "
                                  f"{self.min_support:.2f}; word overlap {lex:.2f}, meaning {sem:.2f})",
                           [], lex, sem, "addition")
        if p < self.min_support:
            return Support(False, f"no sentence of {where} says this in other words (support {p:.2f} < "
                                  f"{self.min_support:.2f}; word overlap {lex:.2f}, meaning {sem:.2f}, least-covered "
                                  f"word {values['words_min']:.2f})", [], lex, sem, "meaning")
        return None

    def _counts_the_same(self, claim: Claim, match: Match, where: str) -> Support | None:
        found = quantities.mismatch(claim.text, match.unit.text, claim.question)
        if found is None:
            return None
        return Support(False, f"{where} gives {found.value} for {found.stated}, not for {found.claimed}", [],
                       match.lexical, match.semantic, "quantity")

    def _numbers_in_series(self, claim: Claim, match: Match, where: str) -> Support | None:
        found = ordinals.mismatch(claim.text, match.unit.text)
        if found is None:
            return None
        return Support(False, f"{where}: {found.reason}", [], match.lexical, match.semantic, "ordinal")

    def _contradicts(self, claim: Claim, match: Match, where: str) -> Support | None:
        if not self.check_roles:
            return None
        names = set(claim.facts.names)
        others = tuple(u.text for u in match.passage.units if not u.pair and u is not match.unit
                       and len(names & set(u.facts.names)) >= 2)
        found = roles.conflict(claim.statement or claim.text, match.unit.text, others)
        # The sentence restating the claim's words may be another than the one holding its facts: "the US government
        # is stepping up its support" rests on "... the US" and "the Chinese government is stepping up its support".
        closer = max((u for u in match.passage.units if not u.pair and u is not match.unit),
                     key=lambda u: len(claim.tokens & u.tokens), default=None)
        if found is None and closer is not None and len(claim.tokens & closer.tokens) / len(claim.tokens) >= max(
                self.min_lexical, match.lexical + 1e-9):
            found = roles.conflict(claim.statement or claim.text, closer.text)
        if found is None:
            return None
        return Support(False, f"{where}: {found.reason}", [], match.lexical, match.semantic, found.rule)

    def passages(self, hits: list[Hit] | list[Chunk]) -> list[Passage]:
        """The hits numbered 1..n as in the prompt, read for checking (sentence vectors cached)."""
        return read_passages(hits, self.embedder)

    def verify(self, text: str, passages: list[Passage], question: str = "") -> Verified:
        stream = self.stream(passages, question)
        stream.feed(text)
        return stream.finish()

    def stream(self, passages: list[Passage], question: str = "") -> VerifyingStream:
        return VerifyingStream(self, passages, question)

    # --- one sentence ---------------------------------------------------------------------

    def check(self, text: str, cited: list[int], passages: list[Passage], question: str = "") -> Support:
        """Whether ``text`` is supported by the passages numbered ``cited``, else by any of ``passages``."""
        tokens = content_words(text)
        if not tokens:
            return Support(False, "says nothing that can be checked", rule="empty")
        if text.rstrip().endswith("?"):
            return Support(False, "a question, not an answer", rule="question")
        if question and tokens <= content_words(question) and not _YES_NO.search(question):
            return Support(False, "only restates the question", rule="question")
        # A bare answer ("Xu Bing", "40,000 chips") means something only next to its question.
        forms = [text, f"{question} {text}"] if len(tokens) < FRAGMENT_TOKENS and question else [text]
        statement = as_statement(question, text) if len(forms) > 1 else text
        claim = Claim(text, self._facts(text, statement), tokens, forms, self.embedder, statement,
                      question if len(forms) > 1 else "")
        by_n = {p.n: p for p in passages}
        if cited:
            first = self._support(claim, [by_n[n] for n in cited])
            if first.ok:
                first.reason = "supported by " + _marks(p.n for p, _ in first.used)
                return first
            if first.rule in CONTRADICTIONS:  # the cited passage says otherwise: no other passage excuses it
                return first
        found = self._search(claim, passages)
        if found.ok:
            where = _marks(p.n for p, _ in found.used)
            found.reason = (f"cites {_marks(cited)}, which does not support it; supported by {where}" if cited
                            else f"no citation; supported by {where}")
            return found
        return first if cited else found

    def _facts(self, text: str, statement: str = "") -> Facts:
        """The claim's facts. A capitalised first word is a name only by its looks ("Marking the third title,
        ..."): with the parser loaded for the role check (whose parse of the claim is cached), it stays a name
        only when the parser reads it as a proper noun or part of a named entity ("Half a century after ...",
        "Dozens of ..." open an amount or a time, which the number check reads)."""
        facts = claims.claim_facts(text)
        if not (self.check_roles and nlp.available()):
            return facts
        # A bare answer is read in the statement it makes with its question ("Facebook" in "Facebook acquired
        # Instagram"): parsed alone, one word is often tagged a common noun.
        first = next((t for t in nlp.parse(statement or text).tokens if t.text[:1].isalnum()), None)
        if first is None or first.pos == "PROPN" or (first.ent and first.ent not in _AMOUNTS):
            return facts  # a month is a proper noun: a fact
        key = next((k for k, w in facts.names.items() if w == first.text), None)
        if key is None:
            return facts
        return dataclasses.replace(facts, names={k: w for k, w in facts.names.items() if k != key})

    def _support(self, claim: Claim, group: list[Passage]) -> Support:
        """Every fact of the claim is stated in the best-fitting unit of one of the group's passages
        (or in its title), and the best of those units says much the same in words and meaning."""
        matches = [self._match(claim, p) for p in group]
        best = max(matches, key=lambda m: (m.lexical + m.semantic, -m.passage.n))
        lex, sem = best.lexical, best.semantic
        where = _marks(p.n for p in group)
        missing = claim.facts.missing_from([f for m in matches for f in (m.unit.facts, m.passage.title_facts)])
        if missing:
            absent = claim.facts.missing_from([p.facts for p in group])
            spread = None if absent or len(group) > 1 else self._spread(claim, group[0])
            if spread is None:
                what = ", ".join(sorted(absent or missing))
                reason = (f"{where} does not mention {what}" if absent
                          else f"{where} mentions {what} only apart from what this sentence says")
                return Support(False, reason, [], lex, sem, "facts")
            best, matches, lex, sem = spread, [spread], spread.lexical, spread.semantic
        refused = (self._counts_the_same(claim, best, where) or self._numbers_in_series(claim, best, where)
                   or self._says_the_same(claim, best, where)
                   or self._contradicts(claim, best, where))
        if refused:
            return refused
        # The best match is cited; another passage only for a fact the best one lacks, and only if it
        # is about the same thing (two unrelated passages do not make "NVIDIA is a Chinese company").
        used = [best]
        for m in matches:
            lacking = claim.facts.missing_from([x.unit.facts for x in used])
            if m is not best and lacking and claim.facts.missing_from([x.unit.facts for x in used + [m]]) < lacking:
                if m.lexical < self.min_lexical / 2 or m.semantic < self.min_semantic:
                    return Support(False, f"{_marks([m.passage.n])} states {', '.join(sorted(lacking))} about "
                                          "something else", [], lex, sem, "facts")
                used.append(m)
        return Support(True, "", [(m.passage, m.unit) for m in used], lex, sem)

    def _search(self, claim: Claim, passages: list[Passage]) -> Support:
        """The passage that supports the claim best, or a few that state its facts between them."""
        if not passages:
            return Support(False, "there are no passages to check it against", rule="facts")
        ranked = sorted((self._match(claim, p) for p in passages),
                        key=lambda m: (len(m.missing), -(m.lexical + m.semantic)))
        contradicted = None
        for m in ranked:
            result = self._support(claim, [m.passage])
            if result.ok:
                return result
            if result.rule in CONTRADICTIONS and contradicted is None and not m.missing:
                contradicted = result
        if contradicted is not None:  # a passage that states its facts says otherwise
            contradicted.reason = "no passage supports it: " + contradicted.reason
            return contradicted
        group = [ranked[0]]
        for m in ranked[1:]:
            lacking = claim.facts.missing_from([x.unit.facts for x in group])
            if not lacking or len(group) >= MAX_CITED:
                break
            if claim.facts.missing_from([x.unit.facts for x in group + [m]]) < lacking:
                group.append(m)
        result = self._support(claim, [m.passage for m in group])
        if not result.ok:
            result.reason = "no passage supports it: " + result.reason
        return result

    def _spread(self, claim: Claim, p: Passage) -> Match | None:
        """The fewest adjacent sentences of ``p`` (more than a pair, at most SPREAD) that state every fact of the
        claim between them, read as one unit; None when no such run exists."""
        sentences = sorted((u for u in p.units if not u.pair), key=lambda u: u.start)
        people = self._people(claim)
        for size in range(3, min(SPREAD, len(sentences)) + 1):
            runs = [sentences[i : i + size] for i in range(len(sentences) - size + 1)]
            # An ellipsis marks text left out: the lines around it are no run. Who did what is read within one
            # sentence ("Director. Justin Kurzel ; Screenwriters. Bill Collage"): a run only adds when, where
            # and how many to the people one of its sentences names.
            full = [r for r in runs if not any(_ELIDED.fullmatch(u.text) for u in r)
                    and not claim.facts.missing_from([*(u.facts for u in r), p.title_facts])
                    and any(all(w in u.text for w in people) for u in r)]
            if full:
                unit = span_unit(p, max(full, key=lambda r: sum(len(claim.tokens & u.tokens) for u in r)))
                lex = len(claim.tokens & (unit.tokens | p.title_tokens | claim.facts.roughly_held(unit.facts.numbers)))
                return Match(p, unit, set(), lex / len(claim.tokens), claim.similarity(unit))
        return None

    def _people(self, claim: Claim) -> list[str]:
        if not nlp.available():
            return list(claim.facts.names.values())  # without the tagger every name counts as a person
        return [e.text for e in nlp.entities([claim.text])[0] if e.label == "PERSON"]

    def _match(self, claim: Claim, p: Passage) -> Match:
        """The unit stating most of the claim's facts, then closest in words and meaning (compared in
        meaning only when its words come close enough to matter)."""
        rows = [(u, claim.facts.missing_from([u.facts, p.title_facts]),
                 len(claim.tokens & (u.tokens | p.title_tokens | claim.facts.roughly_held(u.facts.numbers)))
                 / len(claim.tokens)) for u in p.units]
        if not rows:
            return Match(p, Unit("", 0, 0, set(), Facts()), claim.facts.missing_from([]), 0.0, 0.0)
        fewest = min(len(missing) for _, missing, _ in rows)
        best: tuple | None = None
        for u, missing, lex in rows:
            near = lex >= self.min_lexical / 2 or self.decision is not None  # the fixed gates skip the far ones
            sem = claim.similarity(u) if len(missing) == fewest and near else 0.0
            key = (-len(missing), lex + sem)
            if best is None or key > best[0]:
                best = (key, Match(p, u, missing, lex, sem))
        return best[1]


def _marks(numbers) -> str:
    return "".join(f"[{n}]" for n in numbers)


class VerifyingStream:
    """Feed an answer as it streams; get back verified sentences as soon as each one is complete."""

    def __init__(self, verifier: Verifier, passages: list[Passage], question: str = ""):
        self.verifier = verifier
        self.passages = passages
        self.question = question
        self.raw = ""
        self.done = 0  # sentences of ``raw`` already decided
        self.checks: list[SentenceCheck] = []
        self.citations: list[Citation] = []
        self.shown: list[str] = []
        self.abstention = False
        self._numbers: dict[tuple[str, int, int], int] = {}  # quoted span -> citation number

    def feed(self, piece: str) -> list[str]:
        """Append streamed text; returns the verified sentences (with markers) now complete."""
        self.raw += piece
        if not re.search(r"[.!?\n\]]", piece):  # no sentence can have ended
            return []
        sentences = claims.answer_sentences(self.raw)
        pending = 2 if sentences and re.fullmatch(r"\s*\[[\d,;\s]*", sentences[-1]) else 1  # "... chips. [1"
        return self._decide(sentences[self.done : max(len(sentences) - pending, self.done)])

    def finish(self) -> Verified:
        self._decide(claims.answer_sentences(self.raw)[self.done :])
        text = " ".join(self.shown)
        return Verified(text, self.citations, self.checks, abstained=self.abstention and not self.shown)

    def _decide(self, sentences: list[str]) -> list[str]:
        out = []
        for sentence in sentences:
            self.done += 1
            claim, markers = claims.parse_markers(sentence)
            if not claim:
                continue
            if claims.is_abstention(claim):
                self.abstention = True
                self.checks.append(SentenceCheck(claim, [], False, "the model said the passages do not answer",
                                                 "abstention"))
                continue
            if claims.is_instruction(claim):
                self.checks.append(SentenceCheck(claim, [], False, "an instruction, not an answer", "instruction"))
                continue
            valid = [n for n in markers if 1 <= n <= len(self.passages)]
            result = self.verifier.check(claim, valid, self.passages, self.question)
            reason = result.reason
            if len(valid) < len(markers):
                bad = _marks(n for n in markers if n not in valid)
                reason = f"dropped {bad} (there are {len(self.passages)} passages); {reason}"
            numbers = [self._cite(p, u) for p, u in result.used] if result.ok else []
            self.checks.append(SentenceCheck(claim, numbers, result.ok, reason, result.rule))
            if result.ok:
                shown = f"{claim} {_marks(sorted(set(numbers), key=numbers.index))}"
                self.shown.append(shown)
                out.append(shown)
        return out

    def _cite(self, p: Passage, u: Unit) -> int:
        key = (p.chunk.article_id, u.start, u.end)
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            chunk = p.chunk
            quote = chunk.text[u.start - chunk.start : u.end - chunk.start]
            self.citations.append(cite(self._numbers[key], quote, u.start, u.end, chunk))
        return self._numbers[key]
