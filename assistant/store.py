"""The vector store: Chroma, embedded on disk by default or a Chroma server when configured.

We always pass our own vectors: Chroma's default embedding function downloads a model,
so it must never be attached (``embedding_function=None`` everywhere).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .config import Settings
from .errors import ConfigError, StoreUnavailable
from .types import Chunk

log = logging.getLogger(__name__)

COLLECTION = "news_chunks"
_WRITE_BATCH = 256


def date_num(date: str | None) -> int:
    """'2024-05-28' -> 20240528, for Chroma's numeric range filters; 0 when unknown."""
    return int(date.replace("-", "")) if date else 0


class VectorStore:
    def __init__(self, settings: Settings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                if url.scheme not in {"http", "https"} or not url.hostname:
                    raise ConfigError(f"chroma_url {settings.chroma_url!r} is not an http(s) URL")
                headers = {"Authorization": f"Bearer {settings.chroma_token}"} if settings.chroma_token else None
                self.location = settings.chroma_url
                self._client = chromadb.HttpClient(
                    host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https", headers=headers, settings=chroma_settings,
                )
            else:
                path = Path(settings.data_dir) / "chroma"
                self.location = str(path)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self._collection = self._client.get_or_create_collection(
                COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        except ConfigError:
            raise
        except Exception as exc:  # chromadb raises many kinds; all mean "cannot use the store"
            raise StoreUnavailable(self._explain(exc)) from None

    def _explain(self, exc: Exception) -> str:
        where = getattr(self, "location", "the vector store")
        return f"cannot use the Chroma store at {where}: {exc}. Is the server running and the URL right?"

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise StoreUnavailable(self._explain(exc)) from None

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), _WRITE_BATCH):
            part = chunks[i : i + _WRITE_BATCH]
            self._call(
                self._collection.upsert,
                ids=[c.id for c in part],
                embeddings=vectors[i : i + _WRITE_BATCH],
                metadatas=[{"article_id": c.article_id, "source": c.source or "", "date_num": date_num(c.date)}
                           for c in part],
            )

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), _WRITE_BATCH):
            self._call(self._collection.delete, ids=ids[i : i + _WRITE_BATCH])

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self._call(self._collection.get, include=[], limit=page, offset=offset)["ids"]
            out.update(got)
            if len(got) < page:
                return out
            offset += page

    def count(self) -> int:
        return self._call(self._collection.count)

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first."""
        res = self._call(
            self._collection.query, query_embeddings=[vector], n_results=n, where=where or None,
            include=["distances"],
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]
