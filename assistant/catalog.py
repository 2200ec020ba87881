"""The catalog: a SQLite file in the data folder that is the source of truth for what is
ingested (articles, their fingerprints, their chunks with offsets and text).

Chroma and BM25 hold derived data keyed by chunk id; ingest writes vectors first and
commits the catalog after, so a crash leaves at worst orphan vectors, which the next
run removes (see ``ingest.repair``). BM25 is saved with the catalog's identity and
generation, and brought up to date (or rebuilt, for another catalog) when either differs.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

from .errors import IndexVersionError
from .types import Article, Chunk

log = logging.getLogger(__name__)

FORMAT_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, fingerprint TEXT NOT NULL,
    title TEXT, date TEXT, source TEXT, url TEXT, extra TEXT, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
-- Added in place (no format change): which story (near-duplicate group, see dedup.py) an article belongs
-- to, and its MinHash signature. An article without a row is a story of its own until the next ingest.
CREATE TABLE IF NOT EXISTS stories (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL, minhash BLOB
);
CREATE INDEX IF NOT EXISTS stories_story ON stories(story_id);
"""


class Catalog:
    def __init__(self, path: Path, reset_incompatible: bool = False):
        """Open (or create) the catalog at ``path``.

        An index written in another format raises IndexVersionError, unless ``reset_incompatible``
        (``assistant ingest PATH --rebuild``) asks to empty it and start again in this format.
        """
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        try:
            version = self._stored_version()
        except sqlite3.DatabaseError as exc:  # not an SQLite file at all, or a damaged one
            if not reset_incompatible:
                raise IndexVersionError(
                    f"the catalog {path} cannot be read ({exc}). Run `assistant ingest PATH --rebuild` to index "
                    "your articles again (or choose another --data-dir)"
                ) from None
            self._remove_files()
            version = self._stored_version()
        # Check before creating any table, so that an index of another format is left as it was.
        if version is not None and version != str(FORMAT_VERSION):
            if not reset_incompatible:
                raise IndexVersionError(self._version_message(version))
            self._reset(version)
            return
        self._conn().executescript(_SCHEMA)
        if version is None:
            self.set_meta("format_version", str(FORMAT_VERSION))
            self.set_meta("generation", "0")
        if self.get_meta("catalog_id") is None:
            self.set_meta("catalog_id", uuid.uuid4().hex)

    def _stored_version(self) -> str | None:
        db = self._conn()
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return None
        return self.get_meta("format_version")

    def _remove_files(self) -> None:
        self.close()
        log.warning("removing the unreadable catalog %s", self.path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def _version_message(self, version: str) -> str:
        newer = version.isdigit() and int(version) > FORMAT_VERSION
        return (
            f"the index in {self.path.parent} was written in format {version} by "
            f"{'a newer' if newer else 'an older'} version of the assistant; this version reads format "
            f"{FORMAT_VERSION}. Run `assistant ingest PATH --rebuild` to index your articles again in this "
            "format (or choose another --data-dir)"
        )

    def _reset(self, version: str) -> None:
        """Drop every table of the old format and start empty; the generation keeps counting up, so no
        derived index saved for the old catalog can pass for the new one."""
        db = self._conn()
        try:
            old_generation = int(self.get_meta("generation") or 0)
        except ValueError:
            old_generation = 0
        log.warning("resetting the index in %s from format %s to format %d", self.path.parent, version,
                    FORMAT_VERSION)
        with self._write_lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                db.execute("PRAGMA defer_foreign_keys = ON")
                for table in tables:
                    db.execute(f'DROP TABLE IF EXISTS "{table}"')
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                               [("format_version", str(FORMAT_VERSION)), ("generation", str(old_generation + 1)),
                                ("catalog_id", uuid.uuid4().hex)])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _conn(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 connections must not be shared across threads.
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @contextmanager
    def transaction(self):
        """One atomic write; bumps the generation so readers know derived indexes are stale."""
        with self._write_lock:
            db = self._conn()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._conn().execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    @property
    def identity(self) -> str:
        """Made at random when the catalog is created: a derived index saved for an earlier catalog in
        the same folder (deleted, reset) cannot pass for this one's by having the same generation."""
        return self.get_meta("catalog_id") or ""

    def snapshot(self) -> tuple[int, list[Chunk]]:
        """(generation, every chunk) read in one transaction, so the two agree even while ingest writes."""
        db = self._conn()
        db.execute("BEGIN")
        try:
            return self.generation, self.all_chunks()
        finally:
            db.execute("COMMIT")

    def chunk_delta(self, known: set[str]) -> tuple[int, list[Chunk], set[str]]:
        """(generation, the chunks whose ids are not in ``known``, the ids of ``known`` that are gone),
        read in one transaction."""
        db = self._conn()
        db.execute("BEGIN")
        try:
            generation, ids = self.generation, self.chunk_ids()
            added = ids - known
            if not known:
                chunks = self.all_chunks()
            else:
                chunks = sorted(self.chunks(sorted(added)).values(), key=lambda c: (c.article_id, c.start))
            return generation, chunks, known - ids
        finally:
            db.execute("COMMIT")

    # --- writes -------------------------------------------------------------------------

    @staticmethod
    def put_article(db: sqlite3.Connection, article: Article, chunks: list[Chunk]) -> None:
        db.execute("DELETE FROM chunks WHERE article_id = ?", (article.id,))
        db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.path, article.fingerprint, article.title, article.date, article.source,
             article.url, json.dumps(article.extra, default=str), article.text),
        )
        db.executemany(
            'INSERT INTO chunks(id, article_id, seq, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(c.id, c.article_id, i, c.start, c.end, c.text) for i, c in enumerate(chunks)],
        )

    @staticmethod
    def delete_article(db: sqlite3.Connection, article_id: str) -> None:
        db.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    @staticmethod
    def put_story(db: sqlite3.Connection, article_id: str, story_id: str, minhash: bytes | None) -> None:
        db.execute("INSERT OR REPLACE INTO stories(article_id, story_id, minhash) VALUES (?, ?, ?)",
                   (article_id, story_id, minhash))

    # --- reads --------------------------------------------------------------------------

    def story_rows(self) -> list[tuple[str, str, bytes | None]]:
        """(article id, story id, MinHash signature) of every article that has been given a story."""
        return list(self._conn().execute("SELECT article_id, story_id, minhash FROM stories ORDER BY article_id"))

    def articles_without_story(self) -> list[tuple[str, str]]:
        """(id, text) of articles ingested before stories were kept."""
        return list(self._conn().execute(
            "SELECT a.id, a.text FROM articles a LEFT JOIN stories s ON s.article_id = a.id "
            "WHERE s.article_id IS NULL ORDER BY a.id"))

    def story_members(self, article_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        """article id -> every (article id, source) of its story, itself included, in id order."""
        out: dict[str, list[tuple[str, str]]] = {aid: [] for aid in article_ids}
        if not article_ids:
            return out
        db = self._conn()
        marks = ",".join("?" * len(article_ids))
        stories = dict(db.execute(f"SELECT article_id, story_id FROM stories WHERE article_id IN ({marks})",
                                  article_ids))
        wanted = sorted(set(stories.values()))
        members: dict[str, list[tuple[str, str]]] = {}
        if wanted:
            marks = ",".join("?" * len(wanted))
            rows = db.execute("SELECT s.story_id, a.id, COALESCE(NULLIF(a.source, ''), a.url, '') FROM stories s "
                              f"JOIN articles a ON a.id = s.article_id WHERE s.story_id IN ({marks}) ORDER BY a.id",
                              wanted)
            for story, aid, source in rows:
                members.setdefault(story, []).append((aid, source))
        for aid in article_ids:
            out[aid] = members.get(stories.get(aid, ""), [])
        return out

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """article id -> (fingerprint, path)"""
        rows = self._conn().execute("SELECT id, fingerprint, path FROM articles")
        return {r[0]: (r[1], r[2]) for r in rows}

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self._conn().execute("SELECT id FROM chunks")}

    def counts(self) -> tuple[int, int]:
        db = self._conn()
        return (db.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
                db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    _CHUNK_SELECT = (
        'SELECT c.id, c.article_id, c.text, c.start, c."end", a.title, a.date, a.source, a.url '
        "FROM chunks c JOIN articles a ON a.id = c.article_id"
    )

    def chunks(self, ids: list[str]) -> dict[str, Chunk]:
        """The chunks that still exist among ``ids`` (a concurrent ingest may have replaced some)."""
        out: dict[str, Chunk] = {}
        db = self._conn()
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for row in db.execute(f"{self._CHUNK_SELECT} WHERE c.id IN ({marks})", part):
                out[row[0]] = Chunk(*row)
        return out

    def all_chunks(self, article_ids: list[str] | None = None) -> list[Chunk]:
        db = self._conn()
        if article_ids is None:
            rows = db.execute(f"{self._CHUNK_SELECT} ORDER BY c.article_id, c.seq")
        else:
            marks = ",".join("?" * len(article_ids))
            rows = db.execute(f"{self._CHUNK_SELECT} WHERE c.article_id IN ({marks}) ORDER BY c.seq", article_ids)
        return [Chunk(*row) for row in rows]

    def articles(self) -> list[dict]:
        rows = self._conn().execute(
            "SELECT a.id, a.title, a.date, a.source, a.url, a.path, COUNT(c.id) FROM articles a "
            "LEFT JOIN chunks c ON c.article_id = a.id GROUP BY a.id ORDER BY a.id"
        )
        keys = ("id", "title", "date", "source", "url", "path", "chunks")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def article_text(self, article_id: str) -> str | None:
        row = self._conn().execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None
