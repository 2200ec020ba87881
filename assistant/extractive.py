"""The offline answer engine: picks the retrieved passages that best answer the question.

Evidence units are single sentences and pairs of adjacent sentences (news often names
the subject in one sentence and gives the fact in the next). A unit's score blends its
embedding similarity to the question with how much of the question's weighted vocabulary
it covers, then penalises what makes it a non-answer: a number or name asked about that
it lacks, an answer type it cannot supply ("who" without a name), or text that only
restates the question. Below ``abstain_threshold`` nothing counts and the answer abstains.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .answer_types import missing_types, names, numbers
from .citations import number_evidence
from .embeddings import Embedder
from .lexical import BM25Index, tokenize
from .prompts import CANNOT_ANSWER
from .sentences import chunk_sentences
from .types import Chunk, Citation, Hit, Sentence

SEMANTIC_WEIGHT = 0.6
PAIR_COST = 0.05  # a pair must beat its better sentence by more than this to be quoted whole
# Another unit joins the answer only if it scores close to the best one.
SECOND_UNIT_RATIO = 0.9
NUMBER_PENALTY = 0.5  # a number asked about is nowhere in the passage
NUMBER_ELSEWHERE_PENALTY = 0.85  # ... is in the passage but not in this unit
NAME_PENALTY = 0.75
TYPE_PENALTY = 0.5
RESTATEMENT_PENALTY = 0.6
_FAKE_MARKER = re.compile(r"\[(\d+)\]")
_EMBED_BATCH = 4  # sentences embedded per step while pruning; 2-4 measured best (fewer calls vs less work past the cut)


def _defuse_markers(text: str) -> str:
    return _FAKE_MARKER.sub(r"(\1)", text)


@dataclass
class Evidence:
    """One or two adjacent sentences of a chunk, scored as an answer to the question."""

    sentences: list[Sentence]
    chunk: Chunk
    score: float
    semantic: float
    coverage: float

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    @property
    def text(self) -> str:
        return self.chunk.text[self.start - self.chunk.start : self.end - self.chunk.start]


def candidate_sentences(hits: list[Hit]) -> list[tuple[Sentence, Chunk]]:
    """Sentences of the hit chunks in reading order, each once (overlapping chunks share sentences)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for hit in hits:
        for s in chunk_sentences(hit.chunk):
            key = (hit.chunk.article_id, s.start)
            if key not in seen:
                seen.add(key)
                out.append((s, hit.chunk))
    return out


def score_evidence(question: str, query_vector: np.ndarray, candidates: list[tuple[Sentence, Chunk]],
                   embedder: Embedder, bm25: BM25Index, threshold: float | None = None,
                   keep: Callable[[str], bool] | None = None) -> list[Evidence]:
    """Single-sentence and adjacent-pair units, best first.

    Embedding the candidate sentences is most of the cost of an answer, so with a ``threshold`` they
    are embedded best bound first and only while they can matter: a unit's score is at most what a
    perfect similarity (1.0) would give it, and a unit whose bound is below the cut
    :func:`extractive_answer` applies (the threshold, and SECOND_UNIT_RATIO times the best score)
    cannot be in the answer, so it is left out unscored. The answer is the same as from every unit.
    Without a threshold every unit is scored. ``keep`` drops units by their text before anything else.
    """
    if not candidates:
        return []
    q_vector = np.asarray(query_vector, dtype=np.float32)
    q_tokens = set(tokenize(question))
    q_weight = sum(bm25.idf(t) for t in q_tokens) or 1.0
    q_numbers, q_names = numbers(question), names(question, skip_first=True)
    tokens = [set(tokenize(s.text)) for s, _ in candidates]
    context: dict[str, tuple[set[str], set[str]]] = {}  # chunk id -> (tokens, numbers) of headline + text

    def lexical(indices: list[int]) -> tuple[float, float, float]:
        """(coverage, penalty factor, pair cost): score = (w * similarity + (1 - w) * coverage) * factor - cost"""
        sentences = [candidates[i][0] for i in indices]
        chunk = candidates[indices[0]][1]
        if chunk.id not in context:
            context[chunk.id] = (set(tokenize(chunk.title)) | set(tokenize(chunk.text)),
                                 numbers(chunk.title) | numbers(chunk.text))
        ctx_tokens, ctx_numbers = context[chunk.id]
        text = " ".join(s.text for s in sentences)
        u_tokens = set().union(*(tokens[i] for i in indices)) | set(tokenize(chunk.title))
        coverage = sum(bm25.idf(t) for t in q_tokens & u_tokens) / q_weight
        factor = 1.0
        u_numbers = numbers(text)
        for n in q_numbers - u_numbers:
            factor *= NUMBER_ELSEWHERE_PENALTY if n in ctx_numbers else NUMBER_PENALTY
        factor *= NAME_PENALTY ** len(q_names - ctx_tokens)
        factor *= TYPE_PENALTY ** missing_types(question, text)
        if len(set().union(*(tokens[i] for i in indices)) - q_tokens) < 2 or text.rstrip().endswith("?"):
            factor *= RESTATEMENT_PENALTY
        return coverage, factor, PAIR_COST if len(indices) > 1 else 0.0

    def score(semantic: float, coverage: float, factor: float, cost: float) -> float:
        return (SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * coverage) * factor - cost

    # (score bound at similarity 1.0, sentence indices, coverage, factor, cost)
    units: list[tuple[float, list[int], float, float, float]] = []
    for i, (_, chunk) in enumerate(candidates):
        groups = [[i]]
        if i + 1 < len(candidates) and candidates[i + 1][1].id == chunk.id:
            groups.append([i, i + 1])
        for indices in groups:
            first, last = candidates[indices[0]][0], candidates[indices[-1]][0]
            if keep is None or keep(chunk.text[first.start - chunk.start : last.end - chunk.start]):  # Evidence.text
                coverage, factor, cost = lexical(indices)
                units.append((score(1.0, coverage, factor, cost), indices, coverage, factor, cost))

    units.sort(key=lambda u: -u[0])
    sims: dict[int, float] = {}
    scored: list[Evidence] = []
    best = -np.inf
    pos = 0
    while pos < len(units):
        if threshold is None:
            batch = units[pos:]
        else:
            cut = max(threshold, SECOND_UNIT_RATIO * best)
            if units[pos][0] < cut:
                break  # the rest are sorted by bound: none of them can reach the answer
            batch = []
            needed: set[int] = set()
            for u in units[pos:]:
                if u[0] < cut or (batch and len(needed | set(u[1]) - sims.keys()) > _EMBED_BATCH):
                    break
                batch.append(u)
                needed |= set(u[1]) - sims.keys()
        new = sorted({i for u in batch for i in u[1]} - sims.keys())
        if new:
            for i, sim in zip(new, embedder.embed([candidates[i][0].text for i in new]) @ q_vector, strict=True):
                sims[i] = float(sim)
        for _, indices, coverage, factor, cost in batch:
            semantic = max(sims[i] for i in indices)
            unit = Evidence([candidates[i][0] for i in indices], candidates[indices[0]][1],
                            score(semantic, coverage, factor, cost), semantic, coverage)
            scored.append(unit)
            best = max(best, unit.score)
        pos += len(batch)
    scored.sort(key=lambda u: (-u.score, u.chunk.id, u.start))
    return scored


def extractive_answer(units: list[Evidence], threshold: float,
                      max_sentences: int) -> tuple[str, list[Citation], bool]:
    """(answer text, citations, abstained)."""
    if not units or units[0].score < threshold:
        return CANNOT_ANSWER, [], True
    best = units[0].score
    chosen: list[Evidence] = []
    used = 0
    for u in units:
        if u.score < max(threshold, best * SECOND_UNIT_RATIO):
            break
        overlaps = any(u.chunk.article_id == c.chunk.article_id and u.start < c.end and c.start < u.end
                       for c in chosen)
        if not overlaps and used + len(u.sentences) <= max_sentences:
            chosen.append(u)
            used += len(u.sentences)
    if not chosen:  # the best unit alone is longer than max_sentences allows: quote its best sentence
        chosen = [next(u for u in units if len(u.sentences) == 1)]
    lead = chosen[0].chunk.article_id
    # Read in article order, as the reporter wrote it.
    chosen.sort(key=lambda u: (u.chunk.article_id != lead, u.chunk.article_id, u.start))
    citations, numbers_ = number_evidence([(u.text, u.start, u.end, u.chunk) for u in chosen])
    # A bracketed number inside article text is not ours: show it as "(7)" so no reader (or UI
    # link) takes it for a citation. Citation.quote keeps the article's text verbatim.
    parts = [f"{_defuse_markers(u.text)} [{numbers_[(u.chunk.article_id, u.start)]}]" for u in chosen]
    return " ".join(parts), citations, False
