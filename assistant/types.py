"""The nouns of the domain: the dataclasses that flow between stages.

Every other module speaks in these types; llama-index, chromadb and openai objects
stay inside the one module that adapts each library.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True)
class Article:
    """One news article as loaded from a file (or one line of a JSON Lines file)."""

    id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO yyyy-mm-dd when known, never invented
    source: str = ""
    url: str = ""
    path: str = ""  # the file it came from, for messages
    extra: dict[str, Any] = field(default_factory=dict)  # other front-matter keys

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything a chunk or citation carries changes."""
        return content_hash(self.id, self.text, self.title, self.date or "", self.source, self.url)


@dataclass(frozen=True)
class Chunk:
    """A span of an article: ``text == article.text[start:end]``."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    title: str = ""
    date: str | None = None
    source: str = ""
    url: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, with offsets into the article text."""

    text: str
    start: int
    end: int
    chunk_id: str = ""


@dataclass
class Hit:
    """A chunk returned by retrieval, with the evidence of how it ranked."""

    chunk: Chunk
    score: float  # fused score, higher is better
    vector_rank: int | None = None  # 1-based, None when that retriever missed it
    bm25_rank: int | None = None
    vector_score: float | None = None
    bm25_score: float | None = None
    # Other copies of the same story (syndicated elsewhere), as (article id, source); see stories.collapse.
    also: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Citation:
    """What a ``[n]`` marker in an answer leads to: the exact quoted span."""

    n: int
    article_id: str
    title: str
    date: str | None
    url: str
    source: str
    quote: str
    start: int  # offsets of ``quote`` in the article text
    end: int
    chunk_id: str


@dataclass
class SentenceCheck:
    """The verifier's verdict on one sentence of an answer."""

    text: str
    citations: list[int]
    supported: bool
    reason: str
    rule: str = ""  # what removed it: facts, meaning, negation, direction, comparison, rank, role, ...


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    mode: str  # "extractive", "local" or "openai"
    hits: list[Hit] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> milliseconds
    verification: list[SentenceCheck] = field(default_factory=list)
    note: str = ""  # e.g. why the LLM answer was replaced by the extractive one
    model: str = ""
    standalone_question: str | None = None  # a follow-up rewritten into a full question
    short_answer: str = ""  # the name, date, place, number or amount asked for, as the cited text writes it
    confidence: float = 0.0  # the reader's probability that its best evidence answers the question
    # When the articles that could answer state different values: (value, citation number) per article.
    disagreement: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "short_answer": self.short_answer,
            "answer": self.text,
            "confidence": round(self.confidence, 4),
            "disagreement": [{"value": v, "citation": n} for v, n in self.disagreement],
            "abstained": self.abstained,
            "mode": self.mode,
            "model": self.model,
            "note": self.note,
            "citations": [asdict(c) for c in self.citations],
            "verification": [asdict(v) for v in self.verification],
            "hits": [
                {
                    "chunk_id": h.chunk.id,
                    "article_id": h.chunk.article_id,
                    "title": h.chunk.title,
                    "score": round(h.score, 6),
                    "vector_rank": h.vector_rank,
                    "bm25_rank": h.bm25_rank,
                    "also": [list(pair) for pair in h.also],
                }
                for h in self.hits
            ],
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }


@dataclass(frozen=True)
class FileProblem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)  # article ids
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[FileProblem] = field(default_factory=list)
    chunks_embedded: int = 0
    repaired: int = 0  # chunks fixed up after an interrupted earlier run
    seconds: float = 0.0

    def summary(self) -> str:
        text = (
            f"{len(self.new)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed "
            f"({self.chunks_embedded} chunks embedded in {self.seconds:.1f} s)"
        )
        if self.repaired:
            text += f"; repaired {self.repaired} chunks left by an interrupted run"
        return text


@dataclass
class RefreshReport:
    """What one ``assistant refresh`` did: feeds fetched, and their entries' pages."""

    feeds: int = 0  # feeds followed
    feeds_fetched: int = 0  # answered with a feed (200)
    feeds_not_modified: int = 0  # answered 304 to the conditional request
    feeds_failed: int = 0
    new: int = 0  # entries whose article was ingested for the first time
    changed: int = 0  # entries whose article changed and was ingested again
    unchanged: int = 0
    failed: list[FileProblem] = field(default_factory=list)  # (url, why): feeds and pages that failed
    requests: int = 0  # HTTP requests made (robots.txt, redirects and retries included)
    seconds: float = 0.0

    def summary(self) -> str:
        entries_failed = len(self.failed) - self.feeds_failed
        return (f"{self.feeds_fetched + self.feeds_not_modified} of {self.feeds} feeds fetched "
                f"({self.feeds_not_modified} not modified, {self.feeds_failed} failed); entries: {self.new} new, "
                f"{self.changed} changed, {self.unchanged} unchanged, {entries_failed} failed "
                f"({self.requests} requests in {self.seconds:.1f} s)")
