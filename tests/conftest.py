"""Shared fixtures: the real embedding model loaded once, and real indexes in temporary folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_ID = "sensetime-40000-nvidia-chips.txt"


@pytest.fixture(scope="session")
def embedder():
    from assistant.config import Settings
    from assistant.embeddings import make_embedder

    e = make_embedder(Settings())
    e.warm()
    return e


@pytest.fixture
def make_bot(tmp_path, embedder):
    """Build an Assistant on a fresh data folder, sharing the session's embedding model."""
    from assistant import Assistant, load_settings

    def build(data_dir: Path | None = None, **overrides):
        settings = load_settings(env={}, data_dir=data_dir or tmp_path / "data", **overrides)
        return Assistant(settings, embedder=embedder)

    return build


@pytest.fixture(scope="session")
def seed_bot(tmp_path_factory, embedder):
    """The bundled corpus, ingested once for every test that only reads."""
    from assistant import Assistant, load_settings

    settings = load_settings(env={}, data_dir=tmp_path_factory.mktemp("seed") / "data")
    bot = Assistant(settings, embedder=embedder)
    report = bot.ingest(CORPUS)
    assert not report.failed, report.failed
    return bot
