"""The Python API: ``Assistant.from_config().ingest(path)`` and ``.ask(question)``.

The CLI, the UI and the eval suite all go through this class; it owns the index and
the models, loaded once and shared by every question (and every thread).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from .config import Settings, describe, load_settings
from .embeddings import Embedder
from .errors import BadInputError, NoIndexError
from .extractive import candidate_sentences, extractive_answer, score_evidence
from .index import Index
from .ingest import ingest
from .retrieval import Filters, Retriever
from .sentences import split_sentences
from .types import Answer, IngestReport

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise BadInputError("the question must be text")
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question)
    text = " ".join(text.split())
    if not text:
        raise BadInputError("the question is empty: type a question about the articles")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInputError(
            f"the question is {len(text):,} characters long; ask in at most {MAX_QUESTION_CHARS:,} characters"
        )
    return text


class Assistant:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.index = Index(settings, embedder=embedder)
        self.retriever = Retriever(self.index)
        self._warm = False

    @classmethod
    def from_config(cls, config_file: str | Path | None = None, **overrides: Any) -> "Assistant":
        """Settings from defaults, ``config_file`` (or $ASSISTANT_CONFIG), the environment, then ``overrides``."""
        return cls(load_settings(config_file, **overrides))

    # --- ingest -------------------------------------------------------------------------

    def ingest(self, path: str | Path, prune: bool = False, rebuild: bool = False,
               progress: bool | None = None) -> IngestReport:
        return ingest(self.index, path, prune=prune, rebuild=rebuild, progress=progress)

    def remove_article(self, article_id: str) -> None:
        """Drop one article: its catalog rows in one transaction, then its vectors."""
        catalog = self.index.catalog
        with self.index.ingest_lock:
            if article_id not in catalog.fingerprints():
                raise BadInputError(f"no article with id {article_id!r} is ingested")
            chunk_ids = [c.id for c in catalog.all_chunks([article_id])]
            with catalog.transaction() as db:
                catalog.delete_article(db, article_id)
            # A crash here leaves orphan vectors, which the next ingest's repair removes.
            self.index.store.delete(chunk_ids)

    # --- ask ----------------------------------------------------------------------------

    def warm(self) -> float:
        """Load the models now; returns the seconds it took."""
        start = time.perf_counter()
        self.index.embedder.warm()
        self.index.store.count()
        # First calls pay for lazy imports and tables; pay them here, not in the first answer.
        self.index.bm25().search("warm up", 1)
        split_sentences("Warm up. Twice.")
        self.index.embedder.embed(["warm up"])
        self._warm = True
        return time.perf_counter() - start

    def ask(self, question: str, *, mode: str | None = None, top_k: int | None = None,
            source: str | None = None, date_from: str | None = None, date_to: str | None = None) -> Answer:
        start = time.perf_counter()
        question = clean_question(question)
        filters = Filters(source=source or None, date_from=date_from or None, date_to=date_to or None)
        if top_k is not None and not 1 <= top_k <= 50:
            raise BadInputError("top_k must be between 1 and 50")
        if self.index.catalog.counts()[1] == 0:
            raise NoIndexError(
                f"no articles are ingested in {self.settings.data_dir}: run `assistant ingest corpus/` first"
            )
        self.index.check_embedder()
        timings: dict[str, float] = {}
        if not self._warm:
            timings["load_ms"] = self.warm() * 1000

        t = time.perf_counter()
        query_vector = self.index.embedder.embed([question])[0]
        timings["embed_ms"] = (time.perf_counter() - t) * 1000
        hits = self.retriever.search(question, query_vector, top_k=top_k, filters=filters, timings=timings)

        t = time.perf_counter()
        scored = score_evidence(question, query_vector, candidate_sentences(hits), self.index.embedder,
                                 self.index.bm25())
        text, citations, abstained = extractive_answer(
            scored, self.settings.abstain_threshold, self.settings.max_answer_sentences
        )
        timings["answer_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - start) * 1000 - timings.get("load_ms", 0.0)
        return Answer(question=question, text=text, citations=citations, abstained=abstained,
                      mode="extractive", hits=hits, timings=timings)

    # --- status -------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        articles, chunks = self.index.catalog.counts()
        return {
            "data_dir": str(self.settings.data_dir),
            "articles": articles,
            "chunks": chunks,
            "vector_store": self.settings.chroma_url or str(Path(self.settings.data_dir) / "chroma"),
            "embedder": self.index.catalog.get_meta("embedder") or "(nothing ingested yet)",
            "answer_mode": "extractive",
            "settings": describe(self.settings),
        }

    def articles(self) -> list[dict]:
        return self.index.catalog.articles()
