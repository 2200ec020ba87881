"""Named entities of every chunk, found once and kept in ``<data_dir>/entities.sqlite``.

Derived data: keyed by chunk id (a hash of the chunk's content), so an entry is never stale and
a missing one is found again when it is first needed. Ingest fills it for the chunks it adds, so
that answering a question never waits for the entity recogniser.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from . import nlp
from .sqlite_db import LockedDB
from .types import Chunk

log = logging.getLogger(__name__)

VERSION = f"{nlp.MODEL_PACKAGE}-3.8.0/1"  # another model or format: every chunk is read again


class EntityStore:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "entities.sqlite"
        self._db = LockedDB(self.path, _setup)

    def get(self, chunks: list[Chunk]) -> dict[str, tuple[nlp.Entity, ...]]:
        """chunk id -> its entities, offsets in the article's text; found now for chunks not seen before."""
        ids = list(dict.fromkeys(c.id for c in chunks))
        with self._db.lock:
            db = self._db.conn()
            found: dict[str, tuple[nlp.Entity, ...]] = {}
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = db.execute(f"SELECT chunk_id, ents FROM entities WHERE chunk_id IN ({marks})", part).fetchall()
                found.update({cid: tuple(nlp.Entity(*e) for e in json.loads(raw)) for cid, raw in rows})
        missing = {c.id: c for c in chunks if c.id not in found}
        if missing:
            found.update(self.add(list(missing.values())))
        return found

    def add(self, chunks: list[Chunk]) -> dict[str, tuple[nlp.Entity, ...]]:
        """Read the chunks' entities and keep them."""
        if not chunks:
            return {}
        out = {}
        for chunk, ents in zip(chunks, nlp.entities([c.text for c in chunks]), strict=True):
            out[chunk.id] = tuple(nlp.Entity(e.text, e.label, e.start + chunk.start, e.end + chunk.start) for e in ents)
        rows = [(cid, json.dumps([[e.text, e.label, e.start, e.end] for e in ents])) for cid, ents in out.items()]
        with self._db.lock:
            db = self._db.conn()
            db.execute("BEGIN")
            db.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?)", rows)
            db.execute("COMMIT")
        return out

    def forget_except(self, keep: set[str]) -> None:
        """Drop entries of chunks that are gone (after a prune or rebuild)."""
        with self._db.lock:
            db = self._db.conn()
            stored = {r[0] for r in db.execute("SELECT chunk_id FROM entities")}
            gone = list(stored - keep)
            db.execute("BEGIN")
            db.executemany("DELETE FROM entities WHERE chunk_id = ?", [(g,) for g in gone])
            db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


def _setup(db) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS entities (chunk_id TEXT PRIMARY KEY, ents TEXT NOT NULL)")
    row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    if row is None or row[0] != VERSION:
        db.execute("DELETE FROM entities")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (VERSION,))
