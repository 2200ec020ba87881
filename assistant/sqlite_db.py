"""One SQLite connection per file, shared by a process's threads under a lock: for the derived stores
(entities, sentence vectors) that are read and written in short transactions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path


class LockedDB:
    """Opened on first use (WAL, autocommit; ``setup`` creates the tables); hold ``lock`` around ``conn()``."""

    def __init__(self, path: Path, setup: Callable[[sqlite3.Connection], None]):
        self.path = Path(path)
        self.lock = threading.Lock()
        self._setup = setup
        self._db: sqlite3.Connection | None = None

    @property
    def opened(self) -> bool:
        return self._db is not None

    def conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            self._setup(db)
            self._db = db
        return self._db

    def close(self) -> None:
        with self.lock:
            if self._db is not None:
                self._db.close()
                self._db = None
