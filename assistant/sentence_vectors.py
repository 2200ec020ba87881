"""Embeddings of every passage sentence, computed at ingest and kept in ``<data_dir>/sentence_vectors.sqlite``.

The reader scores sentences by their similarity to the question and the verifier compares claims with
passage sentences; embedding those sentences was most of an answer's time. Entries are keyed by a hash
of the embedder's identity and the sentence text, so an entry is never stale, chunks that overlap share
theirs, and indexes read by another embedder simply miss. Vectors are kept as float16 (unit vectors:
a similarity moves by less than 1e-3). ``assistant ingest --rebuild`` clears the file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from .sentences import chunk_sentences
from .sqlite_db import LockedDB
from .types import Chunk

_BATCH = 500  # keys per SELECT


def _key(identity: str, text: str) -> bytes:
    return hashlib.blake2b(f"{identity}\0{text}".encode(), digest_size=16).digest()


class SentenceVectors:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "sentence_vectors.sqlite"
        self._db = LockedDB(self.path, lambda db: db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL) WITHOUT ROWID"))

    def get(self, identity: str, texts: list[str]) -> dict[str, np.ndarray]:
        """text -> its stored vector (float32), for the texts that have one."""
        if not identity or not texts:
            return {}
        keys = {_key(identity, t): t for t in dict.fromkeys(texts)}
        found: dict[str, np.ndarray] = {}
        with self._db.lock:
            if not self._db.opened and not self.path.exists():
                return {}
            db = self._db.conn()
            wanted = list(keys)
            for start in range(0, len(wanted), _BATCH):
                part = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(part))
                for key, blob in db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part):
                    found[keys[key]] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return found

    def put(self, identity: str, texts: list[str], vectors: np.ndarray) -> None:
        rows = [(_key(identity, t), np.asarray(v, dtype=np.float16).tobytes())
                for t, v in zip(texts, vectors, strict=True)]
        with self._db.lock:
            db = self._db.conn()
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            db.execute("COMMIT")

    def fill(self, embedder, chunks: list[Chunk]) -> int:
        """Embed and keep the sentences of ``chunks`` that have no vector yet; returns how many."""
        identity = getattr(embedder, "identity", "")
        if not identity:
            return 0
        texts = list(dict.fromkeys(s.text for c in chunks for s in chunk_sentences(c)))
        have = self.get(identity, texts)
        missing = [t for t in texts if t not in have]
        if missing:
            self.put(identity, missing, embedder.embed(missing))
        return len(missing)

    def clear(self) -> None:
        with self._db.lock:
            if self._db.opened or self.path.exists():
                self._db.conn().execute("DELETE FROM vectors")

    def close(self) -> None:
        self._db.close()
