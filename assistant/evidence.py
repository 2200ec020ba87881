"""Retrieved chunks as the citation verifier reads them: numbered as in the prompt, cut into
sentences and adjacent pairs (what a citation can quote), each with its facts, content words and
meaning. Sentences planted as instructions ("ignore previous instructions ...") are left out: they
are never evidence.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .claims import Facts, content_words, implied_in, is_instruction, passage_facts
from .sentences import split_sentences
from .types import Chunk, Hit, Sentence


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple((s.text, s.start, s.end) for s in split_sentences(text))


def _chunk_sentences(chunk: Chunk) -> list[Sentence]:
    """The chunk's sentences with offsets into its article (split once per chunk text: passages recur)."""
    return [Sentence(text=t, start=a + chunk.start, end=b + chunk.start, chunk_id=chunk.id)
            for t, a, b in _sentences(chunk.text)]


@lru_cache(maxsize=50_000)
def _read(text: str) -> tuple[frozenset[str], Facts]:
    """A unit's content words and facts (read once per text; callers do not change them)."""
    return frozenset(content_words(text)), passage_facts(text)


class CachedEmbedder:
    """An embedder that remembers the vectors of texts it has seen (passage sentences recur), and reads
    the ones ingest stored (``stored``, a :class:`~assistant.sentence_vectors.SentenceVectors`) before it
    embeds anything. What it embeds itself (questions, an LLM's sentences) is never written there."""

    def __init__(self, embedder, max_items: int = 20_000, stored=None):
        self.inner = embedder
        self.identity = getattr(embedder, "identity", "")
        self.stored = stored
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._max = max_items
        self._lock = threading.Lock()

    def warm(self) -> None:
        getattr(self.inner, "warm", lambda: None)()

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        found = self.stored.get(self.identity, missing) if missing and self.stored is not None else {}
        missing = [t for t in missing if t not in found]
        if found or missing:
            vectors = self.inner.embed(missing) if missing else []
            with self._lock:
                self._cache.update(found)
                for t, v in zip(missing, vectors, strict=True):
                    self._cache[t] = v
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        with self._lock:
            out = [self._cache.get(t) for t in texts]
            for t in texts:
                if t in self._cache:
                    self._cache.move_to_end(t)
        if any(v is None for v in out):  # evicted by a concurrent call meanwhile
            return self.inner.embed(texts)
        return np.stack(out) if out else np.zeros((0, 0), dtype=np.float32)


@dataclass
class Unit:
    """One sentence of a passage, or two adjacent ones: what a citation quotes."""

    text: str
    start: int  # offsets in the article text
    end: int
    tokens: set[str]
    facts: Facts
    pair: bool = False
    vector: np.ndarray | None = None


@dataclass
class Passage:
    """A retrieved chunk as the verifier sees it: numbered as in the prompt."""

    n: int
    chunk: Chunk
    units: list[Unit]
    facts: Facts  # of the whole passage: for messages
    title_facts: Facts
    title_tokens: set[str]


def read_passages(hits: list[Hit] | list[Chunk], embedder: CachedEmbedder) -> list[Passage]:
    """The hits numbered 1..n, as in the prompt."""
    out = []
    for n, item in enumerate(hits, start=1):
        chunk = item.chunk if isinstance(item, Hit) else item
        every = _chunk_sentences(chunk)
        kept = [not is_instruction(s.text) for s in every]
        sentences = [s for s, k in zip(every, kept, strict=True) if k]
        units = [Unit(s.text, s.start, s.end, *_read(s.text)) for s in sentences]
        for i in range(len(every) - 1):
            if kept[i] and kept[i + 1]:
                a, b = every[i], every[i + 1]
                text = chunk.text[a.start - chunk.start : b.end - chunk.start]
                units.append(Unit(text, a.start, b.end, *_read(text), pair=True))
        for u in units:  # "10 years ago" dated by the passage's date line, which the unit does not quote
            u.facts = implied_in(u.facts, chunk.text, u.start - chunk.start, u.end - chunk.start)
        title = "" if is_instruction(chunk.title) else chunk.title
        facts = _read(" \n".join([title] + [s.text for s in sentences]))[1]
        title_tokens, title_facts = _read(title)
        out.append(Passage(n, chunk, units, facts, title_facts, set(title_tokens)))
    singles = [u for p in out for u in p.units if not u.pair]
    if singles:
        for u, v in zip(singles, embedder.embed([u.text for u in singles]), strict=True):
            u.vector = v
    for p in out:  # a pair's meaning: the mean of its two sentences
        by_start = {u.start: u for u in p.units if not u.pair}
        by_end = {u.end: u for u in p.units if not u.pair}
        for u in p.units:
            if u.pair:
                v = by_start[u.start].vector + by_end[u.end].vector
                u.vector = v / max(float(np.linalg.norm(v)), 1e-12)
    return out


def span_unit(passage: Passage, sentences: list[Unit]) -> Unit:
    """Adjacent sentences of one passage read as one unit (its meaning the mean of theirs): a claim may gather
    facts a list spreads over short lines ("Date: ... Location: ... Number of Picks: 60 ...")."""
    chunk = passage.chunk
    start, end = sentences[0].start, sentences[-1].end
    text = chunk.text[start - chunk.start : end - chunk.start]
    tokens, facts = _read(text)
    v = np.sum([s.vector for s in sentences], axis=0)
    return Unit(text, start, end, tokens, implied_in(facts, chunk.text, start - chunk.start, end - chunk.start),
                pair=True, vector=v / max(float(np.linalg.norm(v)), 1e-12))
