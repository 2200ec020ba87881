"""Near-duplicate detection at ingest: syndicated copies of one wire story become one story.

MinHash signatures of word 3-shingles (datasketch), candidates from an LSH index, confirmed by the
estimated Jaccard similarity against ``dedup_threshold`` (measured in benchmarks/dedup_bench.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
SHINGLE_WORDS = 3
_SEED = 1
SCHEME = "affine32"  # datasketch's permutation scheme; stored signatures are only comparable within one
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash(text: str) -> MinHash | None:
    """The signature of ``text``, or None for a text with no words (it is a story of its own)."""
    grams = shingles(text)
    if not grams:
        return None
    from datasketch import MinHash  # imported on use: 0.4 s that `assistant --help` should not pay

    m = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)
    m.update_batch(list(grams))
    return m


def to_bytes(m: MinHash | None) -> bytes | None:
    return None if m is None else m.hashvalues.astype(np.uint32).tobytes()  # affine32 values fit 32 bits


def from_bytes(data: bytes | None) -> MinHash | None:
    if not data or len(data) != NUM_PERM * 4:
        return None
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint32))


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of two texts' shingles (what the detector compares to its threshold)."""
    ma, mb = minhash(a), minhash(b)
    return 0.0 if ma is None or mb is None else float(ma.jaccard(mb))


class StoryIndex:
    """Every article's story id and signature, with an LSH index to find an article's near-duplicates."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}
        self.story: dict[str, str] = {}  # article id -> story id

    @classmethod
    def load(cls, catalog, threshold: float) -> StoryIndex:
        index = cls(threshold)
        for article_id, story_id, data in catalog.story_rows():
            index._add(article_id, story_id, from_bytes(data))
        return index

    def _add(self, article_id: str, story_id: str, m: MinHash | None) -> None:
        self.story[article_id] = story_id
        if m is not None:
            self.signatures[article_id] = m
            self.lsh.insert(article_id, m)

    def _drop(self, article_id: str) -> None:
        self.story.pop(article_id, None)
        if self.signatures.pop(article_id, None) is not None:
            self.lsh.remove(article_id)

    def match(self, m: MinHash, exclude: str = "") -> tuple[str | None, float]:
        """(the most similar stored article at or above the threshold, its similarity), or (None, best)."""
        best, best_sim = None, 0.0
        for other in sorted(self.lsh.query(m)):
            if other == exclude:
                continue
            sim = float(m.jaccard(self.signatures[other]))
            if sim > best_sim:
                best, best_sim = other, sim
        return (best, best_sim) if best_sim >= self.threshold else (None, best_sim)

    def assign(self, article_id: str, text: str) -> tuple[str, bytes | None]:
        """(story id, signature bytes) for an article being (re)ingested: the story of its closest near-duplicate,
        else a story of its own named after it. The index learns it, for the articles that follow."""
        self._drop(article_id)
        m = minhash(text)
        story = article_id
        if m is not None:
            other, _ = self.match(m, exclude=article_id)
            if other is not None:
                story = self.story[other]
        self._add(article_id, story, m)
        return story, to_bytes(m)
