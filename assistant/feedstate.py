"""What ``assistant refresh`` remembers between runs, in <data_dir>/feeds.sqlite3: the feeds followed, each
entry seen (pending until its page is ingested, so an interrupted run resumes), and robots.txt files.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', added REAL NOT NULL,
    etag TEXT, last_modified TEXT, last_fetch REAL, status TEXT NOT NULL DEFAULT 'never fetched',
    error TEXT NOT NULL DEFAULT '', entries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE, key TEXT NOT NULL, link TEXT NOT NULL,
    hash TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, article_id TEXT,
    etag TEXT, last_modified TEXT, error TEXT NOT NULL DEFAULT '', PRIMARY KEY (feed_url, key)
);
CREATE INDEX IF NOT EXISTS entries_state ON entries(state);
CREATE TABLE IF NOT EXISTS robots (origin TEXT PRIMARY KEY, body TEXT NOT NULL, status INTEGER NOT NULL,
                                   fetched REAL NOT NULL);
"""
MAX_ATTEMPTS = 3  # an entry whose page failed this many refreshes in a row waits until the feed changes it


@dataclass
class Feed:
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    last_fetch: float | None
    status: str  # "ok", "not modified", "failed", "never fetched"
    error: str
    entries: int


@dataclass
class Entry:
    feed_url: str
    key: str  # the entry's id (guid), else its link
    link: str
    hash: str  # changes when the feed says the entry changed
    state: str = "pending"  # "pending", "done", "failed"
    attempts: int = 0
    article_id: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str = ""


class FeedState:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "feeds.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- feeds ---------------------------------------------------------------------------

    def add_feed(self, url: str, title: str) -> bool:
        """False when the feed was followed already."""
        cur = self._db().execute("INSERT OR IGNORE INTO feeds(url, title, added) VALUES (?, ?, ?)",
                                 (url, title, time.time()))
        return cur.rowcount == 1

    def remove_feed(self, url: str) -> bool:
        return self._db().execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 1

    def feeds(self) -> list[Feed]:
        rows = self._db().execute("SELECT url, title, etag, last_modified, last_fetch, status, error, entries "
                                  "FROM feeds ORDER BY url")
        return [Feed(*row) for row in rows]

    def feed_fetched(self, url: str, status: str, error: str = "", etag: str | None = None,
                     last_modified: str | None = None, title: str | None = None) -> None:
        db = self._db()
        if status == "ok":
            db.execute("UPDATE feeds SET etag = ?, last_modified = ?, title = COALESCE(NULLIF(?, ''), title) "
                       "WHERE url = ?", (etag, last_modified, title or "", url))
        db.execute("UPDATE feeds SET last_fetch = ?, status = ?, error = ?, "
                   "entries = (SELECT COUNT(*) FROM entries WHERE feed_url = ?) WHERE url = ?",
                   (time.time(), status, error, url, url))

    # --- entries -------------------------------------------------------------------------

    def merge_entries(self, feed_url: str, entries: list[Entry]) -> tuple[int, int, int]:
        """Record what the feed lists now, in one transaction. New entries and entries whose hash changed become
        pending; the rest keep their state. Returns (new, changed, unchanged)."""
        db = self._db()
        new = changed = same = 0
        db.execute("BEGIN IMMEDIATE")
        try:
            for e in entries:
                row = db.execute("SELECT hash FROM entries WHERE feed_url = ? AND key = ?",
                                 (feed_url, e.key)).fetchone()
                if row is None:
                    new += 1
                    db.execute("INSERT INTO entries(feed_url, key, link, hash, state) VALUES (?, ?, ?, ?, 'pending')",
                               (feed_url, e.key, e.link, e.hash))
                elif row[0] != e.hash:
                    changed += 1
                    db.execute("UPDATE entries SET link = ?, hash = ?, state = 'pending', attempts = 0, error = '' "
                               "WHERE feed_url = ? AND key = ?", (e.link, e.hash, feed_url, e.key))
                else:
                    same += 1
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return new, changed, same

    def to_fetch(self) -> list[Entry]:
        """Entries whose page still has to be fetched: pending ones, and failed ones not yet given up on."""
        rows = self._db().execute(
            "SELECT feed_url, key, link, hash, state, attempts, article_id, etag, last_modified, error FROM entries "
            "WHERE state = 'pending' OR (state = 'failed' AND attempts < ?) ORDER BY feed_url, key", (MAX_ATTEMPTS,))
        return [Entry(*row) for row in rows]

    def entry_done(self, e: Entry, article_id: str | None, etag: str | None, last_modified: str | None) -> None:
        self._db().execute("UPDATE entries SET state = 'done', attempts = 0, error = '', article_id = ?, etag = ?, "
                           "last_modified = ? WHERE feed_url = ? AND key = ?",
                           (article_id, etag, last_modified, e.feed_url, e.key))

    def entry_failed(self, e: Entry, error: str) -> None:
        self._db().execute("UPDATE entries SET state = 'failed', attempts = attempts + 1, error = ? "
                           "WHERE feed_url = ? AND key = ?", (error[:500], e.feed_url, e.key))

    def failures(self, limit: int = 50) -> list[tuple[str, str, str]]:
        """(feed url, link, why) of entries whose page could not be ingested."""
        return list(self._db().execute("SELECT feed_url, link, error FROM entries WHERE state = 'failed' "
                                       "ORDER BY feed_url, link LIMIT ?", (limit,)))

    # --- robots.txt ----------------------------------------------------------------------

    def robots(self, origin: str, max_age: float) -> tuple[int, str] | None:
        row = self._db().execute("SELECT status, body, fetched FROM robots WHERE origin = ?", (origin,)).fetchone()
        return (row[0], row[1]) if row and time.time() - row[2] < max_age else None

    def put_robots(self, origin: str, status: int, body: str) -> None:
        self._db().execute("INSERT OR REPLACE INTO robots(origin, body, status, fetched) VALUES (?, ?, ?, ?)",
                           (origin, body, status, time.time()))
