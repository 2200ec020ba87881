"""Hybrid retrieval: Chroma vectors and BM25, fused by reciprocal rank fusion.

News questions hinge on names and numbers that embeddings blur, which is why BM25 is
a full partner here and not a fallback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .errors import BadInputError
from .index import Index
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
               filters: Filters | None = None, timings: dict[str, float] | None = None) -> list[Hit]:
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
        hits.sort(key=lambda h: (-h.score, h.chunk.id))
        timings["fuse_ms"] = (time.perf_counter() - t) * 1000
        return collapse(hits, self.index.catalog)[:top_k]  # one hit per story, naming its other copies
