"""Hybrid retrieval: Chroma vectors and BM25, fused by reciprocal rank fusion.

News questions hinge on names and numbers that embeddings blur, which is why BM25 is
a full partner here and not a fallback.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import numpy as np

from .errors import BadInputError
from .index import Index
from .question import Question
from .store import date_num
from .stories import collapse
from .types import Chunk, Hit


@dataclass(frozen=True)
class Filters:
    source: str | None = None
    date_from: str | None = None  # inclusive, YYYY-MM-DD
    date_to: str | None = None

    def __post_init__(self):
        for value in (self.date_from, self.date_to):
            if value is not None and not _is_iso_date(value):
                raise BadInputError(f"date filter {value!r} is not a date of the form YYYY-MM-DD")

    @property
    def active(self) -> bool:
        return bool(self.source or self.date_from or self.date_to)

    def chroma_where(self) -> dict | None:
        clauses: list[dict] = []
        if self.source:
            clauses.append({"source": self.source})
        if self.date_from:
            clauses.append({"date_num": {"$gte": date_num(self.date_from)}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": date_num(self.date_to)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, chunk: Chunk) -> bool:
        if self.source and chunk.source != self.source:
            return False
        if (self.date_from or self.date_to) and not chunk.date:
            return False
        if self.date_from and chunk.date < self.date_from:
            return False
        return not (self.date_to and chunk.date > self.date_to)


def _is_iso_date(value: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(value)
        return len(value) == 10
    except ValueError:
        return False


class Retriever:
    def __init__(self, index: Index):
        self.index = index

    def search(self, question: str, query_vector: np.ndarray, top_k: int | None = None,
               filters: Filters | None = None, timings: dict[str, float] | None = None,
               q: Question | None = None, trace: dict[str, list[str]] | None = None) -> list[Hit]:
        """The ``top_k`` best chunks. ``q``, the question as read (its time cues), adds a ranking by date to the fusion;
        ``trace`` receives the chunk ids each stage produced, best first (for the eval's recall figures)."""
        s = self.index.settings
        top_k = top_k or s.top_k
        filters = filters or Filters()
        timings = timings if timings is not None else {}
        n = max(s.candidates, top_k)

        t = time.perf_counter()
        vector_hits = self.index.store.query(query_vector, n, filters.chroma_where())
        timings["vector_ms"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        bm25 = self.index.bm25()
        # Filters apply after BM25 scoring, so ask for more when they will throw some away.
        lexical_hits = bm25.search(question, n * 5 if filters.active else n)
        timings["bm25_ms"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        fused: dict[str, dict] = {}
        for kind, hits in (("vector", vector_hits), ("bm25", lexical_hits)):
            for rank, (cid, score) in enumerate(hits, start=1):
                entry = fused.setdefault(cid, {"score": 0.0})
                entry["score"] += 1.0 / (s.rrf_k + rank)
                entry[f"{kind}_rank"] = rank
                entry[f"{kind}_score"] = score
        chunks = self.index.catalog.chunks(list(fused))
        hits = [
            Hit(chunk=chunks[cid], **entry)
            for cid, entry in fused.items()
            if cid in chunks and filters.accepts(chunks[cid])
        ]
        if q is not None and (q.recent or q.years):
            hits.sort(key=lambda h: (-h.score, h.chunk.id))
            for rank, hit in enumerate(by_date(hits, q), start=1):
                hit.score += 1.0 / (s.rrf_k + rank)
        hits.sort(key=lambda h: (-h.score, h.chunk.id))
        timings["fuse_ms"] = (time.perf_counter() - t) * 1000
        hits = collapse(hits, self.index.catalog)  # one hit per story, naming its other copies
        if trace is not None:
            trace["vector"] = [cid for cid, _ in vector_hits]
            trace["bm25"] = [cid for cid, _ in lexical_hits]
            trace["fused"] = [h.chunk.id for h in hits]
        return hits[:top_k]


def by_date(hits: list[Hit], q: Question) -> list[Hit]:
    """The candidates that match the question's time cues, best match first: a third ranking for the fusion,
    so the preference is soft (an undated or older chunk keeps its place from the other two rankings).

    A year the question names matches chunks dated in it or stating it; "latest" / "this week" prefer
    chunks dated closest before "today" (``q.as_of``); chunks dated after it are not news yet."""
    def year_ok(h: Hit) -> bool:
        c = h.chunk
        return bool((c.date and int(c.date[:4]) in q.years) or any(str(y) in c.text for y in q.years))

    ranked = [h for h in hits if year_ok(h)] if q.years else []
    if q.recent:
        today = (q.as_of or dt.date.today()).isoformat()
        dated = sorted((h for h in hits if h.chunk.date and h.chunk.date <= today and h not in ranked),
                       key=lambda h: h.chunk.date, reverse=True)
        ranked += dated
    return ranked
