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
# Models prepared from the packages (the ONNX export of the default embedder, the GGUF file) are kept
# here for every test and the processes tests start, instead of once per temporary data folder.
MODELS = ROOT / ".cache" / "test-models"
os.environ.setdefault("ASSISTANT_MODELS_DIR", str(MODELS))


@pytest.fixture(scope="session")
def embedder():
    """The default embedder (ONNX Runtime, fp32), as a user gets it."""
    from assistant.config import load_settings
    from assistant.embeddings import make_embedder

    e = make_embedder(load_settings(env={"ASSISTANT_MODELS_DIR": os.environ["ASSISTANT_MODELS_DIR"]}))
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
def verifier(embedder):
    """The verifier at the default settings, with the session's embedding model."""
    from assistant.config import Settings
    from assistant.verification import Verifier

    return Verifier.from_settings(Settings(), embedder)


@pytest.fixture(scope="session")
def seed_bot(tmp_path_factory, embedder):
    """The bundled corpus, ingested once for every test that only reads."""
    from assistant import Assistant, load_settings

    settings = load_settings(env={}, data_dir=tmp_path_factory.mktemp("seed") / "data")
    bot = Assistant(settings, embedder=embedder)
    report = bot.ingest(CORPUS)
    assert not report.failed, report.failed
    return bot


# --- Vector store backends: the embedded store and a real Chroma server (issue 6) ---------------

TEST_CHROMA_URL_ENV = "ASSISTANT_TEST_CHROMA_URL"  # a server .ci/run started; else the session starts one


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """A real `chroma run` process on 127.0.0.1, for the session and for tests that stop or restart one."""

    def __init__(self, path: Path, port: int | None = None):
        self.path = path
        self.port = port or free_port()
        self.log = path.parent / f"{path.name}-chroma.log"
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ChromaServer:
        import shutil
        import subprocess
        import sys
        import time
        import urllib.request

        exe = Path(sys.executable).with_name("chroma")
        exe = str(exe) if exe.exists() else shutil.which("chroma")
        assert exe, "the `chroma` command (from the chromadb package) is not installed"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        tail = self.log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"chroma run did not come up on {self.url}:\n{tail}")

    def stop(self) -> None:
        from assistant.llm_server import stop_process

        stop_process(self.proc)
        self.proc = None


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """URL of a real Chroma server: $ASSISTANT_TEST_CHROMA_URL, or one started for this session."""
    url = os.environ.get(TEST_CHROMA_URL_ENV, "").strip().rstrip("/")
    if url:
        yield url
        return
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db").start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["embedded", "server"])
def store_backend(request):
    """Settings overrides for one vector store backend: {} for the embedded store in the test's data
    folder, or the session's Chroma server with a collection of this test's own (dropped afterwards)."""
    if request.param == "embedded":
        yield {}
        return
    import uuid

    overrides = {"chroma_url": request.getfixturevalue("chroma_url"),
                 "chroma_collection": f"test-{uuid.uuid4().hex[:20]}"}
    yield overrides
    from assistant import load_settings
    from assistant.errors import StoreUnavailable
    from assistant.store import VectorStore

    try:
        VectorStore(load_settings(env={}, **overrides)).drop()
    except StoreUnavailable:
        pass  # a test that stopped the server; nothing to clean up there


# --- Synthetic articles: generated, small, each with one fact a question can ask about ----------

_SYLLABLES = "ka lo mi ra ve nu to sa pe di fo ga li mo re zu ban tel dor vin".split()
_FILLER = [
    "Residents of {town} gathered at the {place} to discuss the {topic} plan.",
    "The council of {town} said the {topic} budget would be reviewed in the spring.",
    "Local traders in {town} reported that {topic} prices rose for a third month.",
    "A spokesperson for {company} declined to comment on the {topic} schedule.",
    "Engineers from {company} visited the {place} to inspect the new {topic} equipment.",
    "Weather in {town} delayed the {topic} works by several days, officials said.",
]
_TOPICS = ["water", "rail", "harbour", "school", "bridge", "solar", "library", "market", "tram", "museum"]
_PLACES = ["town hall", "old harbour", "market square", "community centre", "river bank"]


def _made_up_name(rng, syllables: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def write_synthetic_articles(folder: Path, n: int, *, seed: int = 0, prefix: str = "synthetic",
                             paragraphs: tuple[int, int] = (2, 4)) -> dict[str, dict]:
    """Write ``n`` generated news articles (labelled synthetic in their text) as Markdown files with
    front matter into ``folder``; returns article id -> its one fact and the question that asks for it."""
    import random

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    facts: dict[str, dict] = {}
    for i in range(n):
        aid = f"{prefix}-{i:03d}"
        town, company, mayor = _made_up_name(rng), _made_up_name(rng, 2) + " Works", _made_up_name(rng, 2)
        count = rng.randint(1000, 99999)
        body = [
            "This is a synthetic test article, generated for the test suite; none of it is real.",
            f"{company} opened a factory in {town} that will employ {count:,} people, mayor {mayor} said.",
        ]
        for _ in range(rng.randint(*paragraphs)):
            body.append(" ".join(
                rng.choice(_FILLER).format(town=town, company=company, topic=rng.choice(_TOPICS),
                                           place=rng.choice(_PLACES))
                for _ in range(rng.randint(2, 4))
            ))
        (folder / f"{aid}.md").write_text(
            f"---\nid: {aid}\ntitle: {company} opens a factory in {town}\n"
            f"date: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\nsource: Synthetic Wire\n---\n\n"
            + "\n\n".join(body) + "\n",
            encoding="utf-8",
        )
        facts[aid] = {"question": f"How many people will the {company} factory in {town} employ?",
                      "answer": f"{count:,}", "town": town, "company": company}
    return facts


# --- The bundled local model behind a real llama.cpp server (issue 3) ---------------------------

TEST_LLM_URL_ENV = "ASSISTANT_TEST_LLM_URL"  # ".../v1" of a server .ci/run started; else the session starts one


@pytest.fixture(scope="session")
def local_model(tmp_path_factory) -> Path:
    """The bundled GGUF (Gemma 3 270M), assembled once for the session."""
    from assistant.llm_server import bundled_model

    return bundled_model(tmp_path_factory.mktemp("llm-model"))


@pytest.fixture(scope="session")
def llm_url(request, tmp_path_factory):
    """URL of a real llama.cpp server with the bundled model: $ASSISTANT_TEST_LLM_URL, or one started here."""
    url = os.environ.get(TEST_LLM_URL_ENV, "").strip().rstrip("/")
    if url:
        yield url
        return
    from assistant.llm_server import LlamaServer

    log = tmp_path_factory.mktemp("llm-server") / "server.log"
    server = LlamaServer(request.getfixturevalue("local_model"), log_file=log).start(timeout=120)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seed_llm_bot(seed_bot, llm_url, embedder):
    """The seed corpus answered by the local model (same index as ``seed_bot``)."""
    from assistant import Assistant

    bot = Assistant(seed_bot.settings.replace(local_llm_url=llm_url), embedder=embedder)
    yield bot
    bot.close()
