"""The vector store: Chroma, embedded on disk by default or a Chroma server when configured.

We always pass our own vectors: Chroma's default embedding function downloads a model,
so it must never be attached (``embedding_function=None`` everywhere). Every call we make
is idempotent (upsert, delete, get, query), so a call that failed on the network is retried.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .config import Settings
from .errors import ConfigError, StoreUnavailable
from .types import Chunk

log = logging.getLogger(__name__)

COLLECTION = "news_chunks"  # the default of Settings.chroma_collection
_WRITE_BATCH = 256
_BACKOFF = 0.25  # seconds before the first retry; doubles each time


def date_num(date: str | None) -> int:
    """'2024-05-28' -> 20240528, for Chroma's numeric range filters; 0 when unknown."""
    return int(date.replace("-", "")) if date else 0


def _auth_headers(settings: Settings) -> dict[str, str] | None:
    if not settings.chroma_token:
        return None
    header = settings.chroma_auth_header.strip()
    if not header or header.lower() == "authorization":
        return {"Authorization": f"Bearer {settings.chroma_token}"}
    return {header: settings.chroma_token}


def _transient(exc: Exception) -> bool:
    """True for a failure that a retry may cure: the network, a restarting server, a busy database."""
    import httpx
    from chromadb.errors import ChromaError

    if isinstance(exc, httpx.TransportError):  # refused, reset, timed out, server closed a kept-alive socket
        return True
    if isinstance(exc, ChromaError):
        return exc.code() >= 500 or exc.code() == 429
    text = str(exc).lower()
    return any(s in text for s in ("502 bad gateway", "503 service", "504 gateway", "database is locked"))


class VectorStore:
    def __init__(self, settings: Settings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.collection_name = settings.chroma_collection or COLLECTION
        self._retries = settings.chroma_retries
        self._remote = bool(settings.chroma_url)
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self._remote:
            url = urlparse(settings.chroma_url)
            if url.scheme not in {"http", "https"} or not url.hostname:
                raise ConfigError(f"chroma_url {settings.chroma_url!r} is not an http(s) URL")
            self.location = f"{url.scheme}://{url.netloc}"
            self._preflight(settings)
            self._client = self._call(
                chromadb.HttpClient,
                host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", headers=_auth_headers(settings), settings=chroma_settings,
            )
            self._set_timeout(settings.chroma_timeout)
        else:
            path = Path(settings.data_dir) / "chroma"
            self.location = str(path)
            self._client = self._call(chromadb.PersistentClient, path=str(path), settings=chroma_settings)
        self._collection = self._open_collection()

    # --- errors and retries ---------------------------------------------------------------

    def _preflight(self, settings: Settings) -> None:
        """One heartbeat with our own client, so that "not running" and "wrong token" get their own message."""
        import httpx

        url = f"{self.location}/api/v2/heartbeat"
        last: Exception | None = None
        for attempt in range(self._retries + 1):
            try:
                resp = httpx.get(url, headers=_auth_headers(settings), timeout=min(settings.chroma_timeout, 10.0))
            except httpx.TransportError as exc:
                last = exc
                if attempt < self._retries:
                    time.sleep(_BACKOFF * 2**attempt)
                continue
            if resp.status_code in (401, 403):
                hint = ("set chroma_token (ASSISTANT_CHROMA_TOKEN)" if not settings.chroma_token
                        else "check chroma_token and chroma_auth_header")
                raise StoreUnavailable(f"the Chroma server at {self.location} refused the request "
                                       f"(HTTP {resp.status_code}): {hint}")
            if resp.status_code == 404:
                raise StoreUnavailable(f"{self.location} answered, but not as a Chroma server with the v2 API "
                                       "(HTTP 404 on /api/v2/heartbeat): check chroma_url and the server version")
            return  # other statuses: let the Chroma client report them
        raise StoreUnavailable(
            f"cannot reach the Chroma server at {self.location} ({type(last).__name__}: {last}): is it running? "
            "Start one with `chroma run --path DIR --host 127.0.0.1 --port PORT`, or unset chroma_url "
            "(ASSISTANT_CHROMA_URL) to use the embedded store in the data folder"
        )

    def _set_timeout(self, seconds: float) -> None:
        # chromadb's HttpClient waits forever on a server that accepts but never answers; its httpx
        # session is not public, so set the timeout only where it is found.
        import httpx

        session = getattr(getattr(self._client, "_server", None), "_session", None)
        if isinstance(session, httpx.Client):
            session.timeout = httpx.Timeout(seconds, connect=min(seconds, 10.0))
        else:  # pragma: no cover - a chromadb version that moved it
            log.warning("cannot set a timeout on the Chroma client; a hung server will block")

    def _explain(self, exc: Exception) -> str:
        from chromadb.errors import NotFoundError

        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if self._remote and isinstance(exc, NotFoundError):
            return (f"the collection {self.collection_name!r} is gone from the Chroma server at {self.location} "
                    f"(was the server reset?) ({detail}): run `assistant ingest PATH` to restore the vectors")
        if self._remote:
            return (f"the Chroma server at {self.location} failed ({detail}). Is it running and is chroma_url "
                    "right? Nothing is lost: the next `assistant ingest` repairs any half-written batch")
        return (f"cannot use the Chroma store in {self.location} ({detail}). Is another program using that "
                "folder? If it is damaged, delete it and run `assistant ingest PATH`: the vectors are rebuilt "
                "from the catalog")

    def _call(self, fn, *args, **kwargs):
        """``fn(...)``, retried with backoff when the failure is transient; StoreUnavailable when it fails."""
        for attempt in range(self._retries + 1):
            try:
                return fn(*args, **kwargs)
            except (ConfigError, StoreUnavailable):
                raise
            except Exception as exc:  # chromadb raises many kinds; all mean "cannot use the store"
                if attempt < self._retries and _transient(exc):
                    delay = _BACKOFF * 2**attempt
                    log.warning("Chroma call %s failed (%s); retrying in %.2f s",
                                getattr(fn, "__name__", fn), exc, delay)
                    time.sleep(delay)
                    continue
                raise StoreUnavailable(self._explain(exc)) from None

    def _open_collection(self):
        return self._call(
            self._client.get_or_create_collection, self.collection_name, embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )

    def _op(self, name: str, **kwargs):
        """A call on the collection. If a server lost the collection (reset, new storage), the error says
        so and the next call opens a new one, which the next ingest's repair fills again."""
        from chromadb.errors import NotFoundError

        collection = self._collection
        try:
            return self._call(getattr(collection, name), **kwargs)
        except StoreUnavailable as exc:
            if self._remote and isinstance(exc.__context__, NotFoundError):
                try:
                    self._collection = self._open_collection()
                except StoreUnavailable:
                    pass
            raise

    # --- the operations ingest and retrieval use ------------------------------------------

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), _WRITE_BATCH):
            part = chunks[i : i + _WRITE_BATCH]
            self._op(
                "upsert",
                ids=[c.id for c in part],
                embeddings=vectors[i : i + _WRITE_BATCH],
                metadatas=[{"article_id": c.article_id, "source": c.source or "", "date_num": date_num(c.date)}
                           for c in part],
            )

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), _WRITE_BATCH):
            self._op("delete", ids=ids[i : i + _WRITE_BATCH])

    def ids(self) -> set[str]:
        return set(self.id_list())

    def id_list(self) -> list[str]:
        """Every stored id as Chroma lists them (a set would hide duplicates)."""
        out: list[str] = []
        offset, page = 0, 5000
        while True:
            got = self._op("get", include=[], limit=page, offset=offset)["ids"]
            out.extend(got)
            if len(got) < page:
                return out
            offset += page

    def get(self, ids: list[str]) -> dict[str, tuple[dict, np.ndarray]]:
        """chunk id -> (metadata, vector) for the ids that are stored."""
        res = self._op("get", ids=ids, include=["metadatas", "embeddings"])
        return {cid: (meta, np.asarray(vec, dtype=np.float32))
                for cid, meta, vec in zip(res["ids"], res["metadatas"], res["embeddings"], strict=True)}

    def count(self) -> int:
        return self._op("count")

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first."""
        res = self._op(
            "query", query_embeddings=[vector], n_results=n, where=where or None,
            include=["distances"],
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def drop(self) -> None:
        """Delete the whole collection (tests, and a user who moves to another store)."""
        self._call(self._client.delete_collection, self.collection_name)
