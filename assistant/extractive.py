"""The offline answer engine: picks the retrieved sentences that best answer the question.

A sentence's score blends its embedding similarity to the question with how much of the
question's weighted vocabulary it covers; a number or year asked about must appear in
it. Below ``abstain_threshold`` nothing counts as evidence and the answer abstains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .citations import number_sentences
from .embeddings import Embedder
from .lexical import BM25Index, tokenize
from .prompts import CANNOT_ANSWER
from .sentences import chunk_sentences
from .types import Chunk, Citation, Hit, Sentence

SEMANTIC_WEIGHT = 0.6
# A second sentence joins the answer only if it scores close to the best one.
SECOND_SENTENCE_RATIO = 0.9
NUMBER_PENALTY = 0.5
NAME_PENALTY = 0.75
TYPE_PENALTY = 0.5
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class ScoredSentence:
    sentence: Sentence
    chunk: Chunk
    score: float
    semantic: float
    coverage: float


def _numbers(text: str) -> set[str]:
    return {m.group().replace(",", "") for m in _NUMBER.finditer(text)}


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion|trillion"
# (question pattern, what a sentence must contain to answer it)
_ANSWER_TYPES = [
    (re.compile(r"\b(which|what) year\b", re.I), re.compile(r"\b(1[89]|20)\d\d\b")),
    (re.compile(r"\bhow (many|much)\b", re.I), re.compile(rf"\d|\b({_NUMBER_WORDS}|several|dozens|\w+fold)\b", re.I)),
    (re.compile(r"\bhow much\b.*\b(pay|paid|cost|spen[dt]|worth|price|revenue|earn|invest)|\bwhat price\b", re.I),
     re.compile(r"[$€£¥]|\b(dollars?|yuan|euros?|usd|rmb|billion|million|price|cost)\b", re.I)),
    (re.compile(r"^\s*when\b|\bwhat date\b|\bon what day\b", re.I),
     re.compile(rf"\d|\b({_MONTHS}|today|yesterday|ago|years?|months?|weeks?|decades?|days?)\b", re.I)),
]


def _answer_type_missing(question: str, sentence: str) -> int:
    """How many of the question's expected answer types the sentence cannot supply."""
    return sum(1 for asks, supplies in _ANSWER_TYPES if asks.search(question) and not supplies.search(sentence))


def _names(question: str) -> set[str]:
    """Stemmed tokens of capitalised words after the first: the names a question is about."""
    words = re.findall(r"[\w’'-]+", question)
    return {t for w in words[1:] if w[:1].isupper() for t in tokenize(w)}


def candidate_sentences(hits: list[Hit]) -> list[tuple[Sentence, Chunk]]:
    """Sentences of the hit chunks, each once (overlapping chunks share sentences)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for hit in hits:
        for s in chunk_sentences(hit.chunk):
            key = (hit.chunk.article_id, s.start)
            if key not in seen:
                seen.add(key)
                out.append((s, hit.chunk))
    return out


def score_sentences(question: str, query_vector: np.ndarray, candidates: list[tuple[Sentence, Chunk]],
                    embedder: Embedder, bm25: BM25Index) -> list[ScoredSentence]:
    if not candidates:
        return []
    vectors = embedder.embed([s.text for s, _ in candidates])
    semantic = vectors @ np.asarray(query_vector, dtype=np.float32)
    q_tokens = set(tokenize(question))
    q_weight = sum(bm25.idf(t) for t in q_tokens) or 1.0
    q_numbers = _numbers(question)
    q_names = _names(question)
    out = []
    context: dict[str, set[str]] = {}  # chunk id -> tokens of its headline and text
    for (sentence, chunk), sim in zip(candidates, semantic):
        if chunk.id not in context:
            context[chunk.id] = set(tokenize(chunk.title)) | set(tokenize(chunk.text))
        # The headline counts as context: "He said ..." is about the article's subject.
        s_tokens = set(tokenize(sentence.text)) | set(tokenize(chunk.title))
        coverage = sum(bm25.idf(t) for t in q_tokens & s_tokens) / q_weight
        score = SEMANTIC_WEIGHT * float(sim) + (1 - SEMANTIC_WEIGHT) * coverage
        # A number the question asks about must be in the sentence, a name at least in its passage.
        if q_numbers - _numbers(sentence.text):
            score *= NUMBER_PENALTY
        score *= NAME_PENALTY ** len(q_names - context[chunk.id])
        score *= TYPE_PENALTY ** _answer_type_missing(question, sentence.text)
        out.append(ScoredSentence(sentence, chunk, score, float(sim), coverage))
    out.sort(key=lambda x: -x.score)
    return out


def extractive_answer(scored: list[ScoredSentence], threshold: float,
                      max_sentences: int) -> tuple[str, list[Citation], bool]:
    """(answer text, citations, abstained)."""
    if not scored or scored[0].score < threshold:
        return CANNOT_ANSWER, [], True
    best = scored[0].score
    chosen = [x for x in scored[:max_sentences] if x.score >= max(threshold, best * SECOND_SENTENCE_RATIO)]
    # Read in article order, as the reporter wrote it.
    lead = chosen[0].chunk.article_id
    chosen.sort(key=lambda x: (x.chunk.article_id != lead, x.chunk.article_id, x.sentence.start))
    citations, numbers = number_sentences([(x.sentence, x.chunk) for x in chosen])
    parts = [f"{x.sentence.text} [{numbers[(x.chunk.article_id, x.sentence.start)]}]" for x in chosen]
    return " ".join(parts), citations, False
