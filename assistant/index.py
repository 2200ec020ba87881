"""The index in a data folder: the catalog, the Chroma vectors and the BM25 index together,
each opened once and shared by ingest, retrieval and answering.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path

from .catalog import Catalog
from .chunking import Chunker, embedding_input
from .config import Settings
from .embeddings import Embedder, embedding_tokenizer, make_embedder
from .errors import ConfigError
from .lexical import BM25Index
from .store import VectorStore

log = logging.getLogger(__name__)


class Index:
    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self.data_dir = Path(settings.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.data_dir / "catalog.sqlite3")
        self._embedder = embedder
        self._bm25: BM25Index | None = None
        self._bm25_lock = threading.Lock()
        # Ingests in one process run one at a time; readers never wait for them.
        self.ingest_lock = threading.Lock()

    @cached_property
    def store(self) -> VectorStore:
        return VectorStore(self.settings)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    @cached_property
    def chunker(self) -> Chunker:
        return Chunker(self.settings.chunk_size, self.settings.chunk_overlap, embedding_tokenizer(self.settings))

    def check_embedder(self) -> None:
        """Vectors from two different embedders cannot be compared: refuse to mix them."""
        recorded = self.catalog.get_meta("embedder")
        if recorded and recorded != self.embedder.identity and self.catalog.counts()[1]:
            raise ConfigError(
                f"the index in {self.data_dir} was embedded with {recorded}, but the configured embedder "
                f"is {self.embedder.identity}: run `assistant ingest PATH --rebuild` or choose another --data-dir"
            )

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    def bm25(self) -> BM25Index:
        """The BM25 index for the catalog's current generation, rebuilt or reloaded if stale."""
        generation = self.catalog.generation
        current = self._bm25
        if current is not None and current.generation == generation:
            return current
        with self._bm25_lock:
            if self._bm25 is not None and self._bm25.generation == generation:
                return self._bm25
            saved = BM25Index.load(self.bm25_dir)
            if saved is None or saved.generation != generation:
                saved = self.rebuild_bm25(generation)
            self._bm25 = saved
            return saved

    def rebuild_bm25(self, generation: int | None = None) -> BM25Index:
        generation = self.catalog.generation if generation is None else generation
        chunks = self.catalog.all_chunks()
        bm25 = BM25Index.build([c.id for c in chunks], [embedding_input(c) for c in chunks], generation)
        try:
            bm25.save(self.bm25_dir)
        except OSError as exc:  # a read-only data folder still answers, from memory
            log.warning("could not save the BM25 index to %s: %s", self.bm25_dir, exc)
        log.info("BM25 index rebuilt: %d chunks, generation %d", len(chunks), generation)
        return bm25
