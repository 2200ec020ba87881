"""The index in a data folder: the catalog, the Chroma vectors and the BM25 index together,
each opened once and shared by ingest, retrieval and answering.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .annotations import EntityStore
from .catalog import Catalog
from .chunking import Chunker, embedding_input
from .config import Settings
from .embeddings import Embedder, embedding_tokenizer, make_embedder, same_vectors
from .errors import AssistantError, ConfigError
from .lexical import BM25Index
from .sentence_vectors import SentenceVectors
from .store import VectorStore

log = logging.getLogger(__name__)

_LOCK_WAIT = 300.0  # seconds a writer waits for another process's writer on the same data folder


class Index:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, reset_incompatible: bool = False):
        self.settings = settings
        self.data_dir = Path(settings.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.data_dir / "catalog.sqlite3", reset_incompatible=reset_incompatible)
        self._embedder = embedder
        self._store: VectorStore | None = None
        self._chunker: Chunker | None = None
        self.entities = EntityStore(self.data_dir)
        self.sentence_vectors = SentenceVectors(self.data_dir)
        # Loads of the store, the embedder and the chunker happen once, whichever thread asks first.
        self._load_lock = threading.Lock()
        self._bm25: BM25Index | None = None
        self._bm25_lock = threading.Lock()
        # Ingests in one process run one at a time; readers never wait for them.
        self.ingest_lock = threading.Lock()

    @property
    def store(self) -> VectorStore:
        if self._store is None:
            with self._load_lock:
                if self._store is None:
                    self._store = VectorStore(self.settings)
        return self._store

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._load_lock:
                if self._embedder is None:
                    self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def chunker(self) -> Chunker:
        if self._chunker is None:
            with self._load_lock:
                if self._chunker is None:
                    self._chunker = Chunker(self.settings.chunk_size, self.settings.chunk_overlap,
                                            embedding_tokenizer(self.settings))
        return self._chunker

    @contextmanager
    def writing(self):
        """The right to change the index: one thread of this process at a time (``ingest_lock``) and one
        process per data folder. Ingest and article removal hold it; readers never wait for it."""
        with self.ingest_lock, _folder_lock(self.data_dir):
            yield

    def check_embedder(self) -> None:
        """Vectors from two different embedders cannot be compared: refuse to mix them."""
        recorded = self.catalog.get_meta("embedder")
        if recorded and not same_vectors(recorded, self.embedder.identity) and self.catalog.counts()[1]:
            raise ConfigError(
                f"the index in {self.data_dir} was embedded with {recorded}, but the configured embedder "
                f"is {self.embedder.identity}: run `assistant ingest PATH --rebuild` or choose another --data-dir"
            )

    def _step_mark(self, count: int) -> str:
        return "|".join((self.store.location, self.store.collection_name, self.catalog.identity,
                         str(self.catalog.generation), str(count)))

    def mark_store_in_step(self, count: int) -> None:
        """Record that Chroma holds exactly the catalog's ``count`` chunks (call while writing)."""
        self.catalog.set_meta("store_in_step", self._step_mark(count))

    def unmark_store_in_step(self) -> None:
        """Call before a write to Chroma: if it is interrupted, the next ingest lists and compares."""
        self.catalog.set_meta("store_in_step", "")

    def store_in_step(self, count: int) -> bool:
        """Whether Chroma is known to hold exactly the catalog's chunks, without listing them (1.6 s per
        100,000 ids): the last write left them in step, nothing has written since (writers unmark first),
        and the count still agrees, which catches a lost or replaced collection."""
        return self.catalog.get_meta("store_in_step") == self._step_mark(count) and self.store.count() == count

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    def bm25(self) -> BM25Index:
        """The BM25 index for the catalog's current generation: the one in memory or on disk, brought
        up to date with the chunks added and removed since (only those are tokenised)."""
        want = (self.catalog.identity, self.catalog.generation)
        current = self._bm25
        if current is not None and (current.catalog_id, current.generation) == want:
            return current
        with self._bm25_lock:
            identity = self.catalog.identity
            base = self._bm25 if self._bm25 is not None and self._bm25.catalog_id == identity else None
            if base is None:  # first use in this process: start from the saved index, if it is this catalog's
                base = BM25Index.load(self.bm25_dir)
                base = base if base is not None and base.catalog_id == identity else None
            if base is None or base.generation != self.catalog.generation:
                base = self._update_bm25(base)
            self._bm25 = base
            return base

    def _update_bm25(self, base: BM25Index | None) -> BM25Index:
        start = time.perf_counter()
        generation, added, removed = self.catalog.chunk_delta(set(base.ids) if base is not None else set())
        if base is None:
            base = BM25Index.empty(generation, self.catalog.identity)
        bm25 = base.updated([c.id for c in added], [embedding_input(c) for c in added], removed, generation,
                            self.catalog.identity)
        self._save_bm25(bm25)
        log.info("BM25 index updated to generation %d: +%d -%d chunks, %d in all, %.2f s", generation,
                 len(added), len(removed), len(bm25), time.perf_counter() - start)
        return bm25

    def rebuild_bm25(self) -> BM25Index:
        """A BM25 index built from scratch from the catalog (and saved)."""
        generation, chunks = self.catalog.snapshot()
        bm25 = BM25Index.build([c.id for c in chunks], [embedding_input(c) for c in chunks], generation,
                               self.catalog.identity)
        self._save_bm25(bm25)
        log.info("BM25 index rebuilt: %d chunks, generation %d", len(chunks), generation)
        return bm25

    def _save_bm25(self, bm25: BM25Index) -> None:
        try:
            bm25.save(self.bm25_dir)
        except OSError as exc:  # a read-only data folder still answers, from memory
            log.warning("could not save the BM25 index to %s: %s", self.bm25_dir, exc)


@contextmanager
def _folder_lock(data_dir: Path):
    """One ingest per data folder across processes: a second one would take the first one's fresh,
    not yet committed vectors for orphans. The kernel drops the lock when its process dies, even by SIGKILL."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no cross-process lock
        yield
        return
    with open(data_dir / "ingest.lock", "a+") as f:
        deadline = time.monotonic() + _LOCK_WAIT
        waiting = False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    log.warning("another ingest is running on %s; waiting for it to finish", data_dir)
                    waiting = True
                if time.monotonic() > deadline:
                    f.seek(0)
                    holder = f.read().strip() or "unknown"
                    raise AssistantError(
                        f"another ingest (process {holder}) has been running on {data_dir} for more than "
                        f"{_LOCK_WAIT:.0f} s: wait for it to finish or stop it, then run this one again"
                    ) from None
                time.sleep(0.2)
        try:
            f.seek(0)
            f.truncate()
            f.write(str(os.getpid()))
            f.flush()
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
