"""Benchmarks 1 and 2: ingest throughput against the ceiling and LlamaIndex's default path, retrieval
quality per embedder, re-ingest of an unchanged corpus; plus the thread and batch-size sweep.

All pipelines run in this one process, in interleaved rounds, each on a fresh data folder, with
the embedding models loaded once beforehand (model loading is reported, never timed as ingest).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from pathlib import Path

from . import common

log = logging.getLogger(__name__)

EMBEDDERS = ("local", "onnx", "onnx-int8")  # embed_backend values; "local" is fp32 sentence-transformers


def make_embedders(cache_dir: Path, batch_size: int = 32) -> tuple[dict, dict]:
    """The three local embedders, loaded and warm; the ONNX exports go to a fresh ``cache_dir``, timed."""
    from assistant.embeddings import LocalEmbedder, OnnxEmbedder, export_onnx, packaged_model_path

    model_dir = packaged_model_path()
    info: dict = {}
    t, _ = common.timed(export_onnx, model_dir, cache_dir, "fp32")
    info["export_fp32_s"] = round(t, 2)
    t, _ = common.timed(export_onnx, model_dir, cache_dir, "int8")
    info["quantize_int8_s"] = round(t, 2)
    embedders = {
        "local": LocalEmbedder(model_dir, batch_size=batch_size),
        "onnx": OnnxEmbedder(model_dir, cache_dir, quantized=False, batch_size=batch_size),
        "onnx-int8": OnnxEmbedder(model_dir, cache_dir, quantized=True, batch_size=batch_size),
    }
    for name, e in embedders.items():
        t, _ = common.timed(e.warm)
        e.embed(["warm up", "a second, somewhat longer sentence to warm up the kernels"])
        info[f"load_{name}_s"] = round(t, 2)
    info["identities"] = {name: e.identity for name, e in embedders.items()}
    return embedders, info


def _settings(data_dir: Path, backend: str, **overrides):
    from assistant.config import load_settings

    return load_settings(env={}, data_dir=data_dir, embed_backend=backend, **overrides)


def chunk_texts(folder: Path) -> list[str]:
    """Exactly what our ingest embeds for ``folder``: loading and chunking only, no model."""
    from assistant.chunking import Chunker, embedding_input
    from assistant.embeddings import embedding_tokenizer
    from assistant.loading import load_path

    settings = _settings(Path(tempfile.gettempdir()), "local")
    chunker = Chunker(settings.chunk_size, settings.chunk_overlap, embedding_tokenizer(settings))
    articles, _ = load_path(folder)
    return [embedding_input(c) for a in articles for c in chunker.chunk(a)]


def ours(embedder, backend: str, folder: Path, data_dir: Path, batch_chunks: int | None = None) -> dict:
    """Our ingest, end to end (loading, chunking, embedding, Chroma, catalog, BM25); then again, unchanged.
    ``batch_chunks`` overrides the setting ingest_batch_chunks (chunks per embed call, Chroma write and commit)."""
    from assistant.api import Assistant

    overrides = {"ingest_batch_chunks": batch_chunks} if batch_chunks else {}
    bot = Assistant(_settings(data_dir, backend, **overrides), embedder=embedder)
    wall, cpu, report = common.timed_cpu(bot.ingest, folder, progress=False)
    if report.failed:
        raise RuntimeError(f"ingest failed on {report.failed[:3]}")
    again, report2 = common.timed(bot.ingest, folder, progress=False)
    assert report2.chunks_embedded == 0, "re-ingest of an unchanged folder embedded something"
    bot.index.catalog.close()
    return {"seconds": wall, "cpu_seconds": cpu, "chunks": report.chunks_embedded, "reingest_seconds": again}


def llamaindex(folder: Path, chroma_dir: Path, embed_model) -> dict:
    """LlamaIndex's default path: SimpleDirectoryReader -> IngestionPipeline(SentenceSplitter,
    HuggingFaceEmbedding) -> ChromaVectorStore, with its defaults (chunk 1024 tokens, embed batch 10)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.ingestion import IngestionPipeline
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    start, cpu = time.perf_counter(), time.process_time()
    client = chromadb.PersistentClient(path=str(chroma_dir), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("llamaindex", embedding_function=None)
    pipeline = IngestionPipeline(transformations=[SentenceSplitter(), embed_model],
                                 vector_store=ChromaVectorStore(chroma_collection=collection))
    nodes = pipeline.run(documents=SimpleDirectoryReader(str(folder)).load_data())
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu, "chunks": len(nodes),
            "collection": collection}


def llamaindex_embed_model():
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from assistant.embeddings import packaged_model_path

    return HuggingFaceEmbedding(model_name=str(packaged_model_path()), device="cpu")


# --- quality -------------------------------------------------------------------------------------

def questions(quick: bool) -> tuple[list[dict], list[dict]]:
    facts = [r for r in common.read_jsonl(common.FACTS) if r.get("evidence")]
    dev = common.read_jsonl(common.RGB_DEV)
    return (facts[:6], dev[: common.QUICK_DEV_QUESTIONS]) if quick else (facts, dev)


def quality(embedder, backend: str, data_dir: Path, quick: bool, passages_file: Path) -> dict:
    """hit@5 on eval/facts.jsonl (a chunk contains an evidence string) and RGB dev (a chunk of a positive
    passage), for our hybrid retrieval and for the vectors alone, over corpus/ + passages.jsonl."""
    from assistant.api import Assistant

    bot = Assistant(_settings(data_dir, backend), embedder=embedder)
    bot.ingest(common.CORPUS, progress=False)
    bot.ingest(passages_file, progress=False)
    facts, dev = questions(quick)
    out = {}
    for name, rows, hit in (
        ("facts", facts, lambda chunk, row: any(ev in chunk.text for ev in row["evidence"])),
        ("rgb_dev", dev, lambda chunk, row: chunk.article_id in set(row["positive_ids"])),
    ):
        hybrid = vector = 0
        for row in rows:
            q = row["question"] if "question" in row else row["query"]
            qv = embedder.embed([q])[0]
            hits = bot.retriever.search(q, qv, top_k=5)
            hybrid += any(hit(h.chunk, row) for h in hits)
            ids = [cid for cid, _ in bot.index.store.query(qv, 5)]
            chunks = bot.index.catalog.chunks(ids)
            vector += any(hit(c, row) for c in chunks.values())
        out[name] = {"n": len(rows), "hybrid_hit@5": round(100 * hybrid / max(len(rows), 1), 1),
                     "vector_hit@5": round(100 * vector / max(len(rows), 1), 1)}
    bot.index.catalog.close()
    return out


def llamaindex_quality(collection, embed_model, quick: bool) -> dict:
    """LlamaIndex's vector retrieval (top 5) over the index its default pipeline built from the .txt files."""
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    index = VectorStoreIndex.from_vector_store(ChromaVectorStore(chroma_collection=collection),
                                               embed_model=embed_model)
    retriever = index.as_retriever(similarity_top_k=5)
    facts, dev = questions(quick)
    out = {}
    for name, rows in (("facts", facts), ("rgb_dev", dev)):
        n = 0
        for row in rows:
            nodes = retriever.retrieve(row.get("question") or row["query"])
            if name == "facts":
                n += any(any(ev in nws.node.get_content() for ev in row["evidence"]) for nws in nodes)
            else:
                stems = {Path(nws.node.metadata.get("file_name", "")).stem for nws in nodes}
                n += bool(stems & set(row["positive_ids"]))
        out[name] = {"n": len(rows), "vector_hit@5": round(100 * n / max(len(rows), 1), 1)}
    return out


# --- the whole benchmark -------------------------------------------------------------------------

def run(work: Path, quick: bool, rounds: int) -> dict:
    common.offline()
    folder = work / "input"
    files = common.write_txt_folder(folder, quick)
    passages_file = work / "passages.jsonl"
    with open(passages_file, "w", encoding="utf-8") as f:  # a temporary copy for the quality index
        for row in common.passages(quick):
            f.write(json.dumps(row) + "\n")

    embedders, info = make_embedders(work / "models")
    texts = chunk_texts(folder)
    result: dict = {"input": {"files": files, "chunks": len(texts)}, "models": info, "rounds": []}
    result["agreement"] = agreement(embedders, texts[:300])

    try:
        li_model = llamaindex_embed_model()
        li_model.get_text_embedding("warm up")
    except ImportError as exc:
        li_model = None
        result["llamaindex_skipped"] = f"not installed: {exc}"

    li_collection = None
    steps = ["ceiling-local", "ours-local", "llamaindex", "ceiling-onnx", "ours-onnx", "ceiling-onnx-int8",
             "ours-onnx-int8", "ours-onnx batch64"]
    for r in range(rounds):
        row: dict = {}
        # Rotate the order each round, so a slow patch of the shared machine does not always hit one pipeline.
        for name in steps[r % len(steps):] + steps[: r % len(steps)]:
            if name.startswith("ceiling-"):
                wall, cpu, _ = common.timed_cpu(embedders[name.removeprefix("ceiling-")].embed, texts)
                row[name] = {"seconds": wall, "cpu_seconds": cpu, "chunks": len(texts)}
            elif name == "llamaindex":
                if li_model is None:
                    continue
                d = Path(tempfile.mkdtemp(dir=work, prefix="li-"))
                row[name] = llamaindex(folder, d, li_model)
                if r == 0:
                    li_collection = row[name]["collection"]
                else:
                    shutil.rmtree(d, ignore_errors=True)
                del row[name]["collection"]
            else:
                backend, _, variant = name.removeprefix("ours-").partition(" ")
                d = Path(tempfile.mkdtemp(dir=work, prefix=f"{backend}-"))
                batch = int(variant.removeprefix("batch")) if variant else None
                row[name] = ours(embedders[backend], backend, folder, d, batch_chunks=batch)
                shutil.rmtree(d, ignore_errors=True)
            row[name]["chunks_per_s"] = round(row[name]["chunks"] / row[name]["seconds"], 1)
        result["rounds"].append(row)
        log.info("ingest round %d/%d: %s", r + 1, rounds, {k: v["chunks_per_s"] for k, v in row.items()})

    result["summary"] = summarise(result["rounds"])
    result["quality"] = {}
    for backend in EMBEDDERS:
        d = Path(tempfile.mkdtemp(dir=work, prefix=f"q-{backend}-"))
        result["quality"][backend] = quality(embedders[backend], backend, d, quick, passages_file)
    if li_collection is not None:
        result["quality"]["llamaindex"] = llamaindex_quality(li_collection, li_model, quick)
    result["ingest_breakdown"] = breakdown(embedders["onnx"], folder, work / "profile")
    return result


def agreement(embedders: dict, texts: list[str]) -> dict:
    """How far each ONNX variant's vectors are from fp32 sentence-transformers on the same chunk texts."""
    import numpy as np

    ref = embedders["local"].embed(texts)
    out = {}
    for name in ("onnx", "onnx-int8"):
        v = embedders[name].embed(texts)
        cos = (v * ref).sum(axis=1)
        out[name] = {"max_abs_diff": float(np.abs(v - ref).max()), "cosine_min": round(float(cos.min()), 4),
                     "cosine_mean": round(float(cos.mean()), 4)}
    out["texts"] = len(texts)
    return out


RATIOS = (
    ("ours-local", "ceiling-local"),
    ("llamaindex", "ceiling-local"),
    ("ours-onnx", "ceiling-local"),
    ("ceiling-onnx", "ceiling-local"),
    ("ceiling-onnx-int8", "ceiling-local"),
    ("ours-onnx-int8", "ceiling-local"),
    ("ours-onnx-int8", "ceiling-onnx-int8"),
    ("ours-local", "llamaindex"),
    ("ours-onnx-int8", "llamaindex"),
    ("ours-onnx", "ceiling-onnx"),
    ("ours-onnx batch64", "ceiling-onnx"),
)


def summarise(rounds: list[dict]) -> dict:
    """Throughput ratios three ways: the median of the per-round ratios (the figure we judge by), the
    ratio of the best rounds, and the median per-round ratio of CPU time (less disturbed by other users)."""
    names = sorted({k for row in rounds for k in row})
    out: dict = {"chunks_per_s_median": {n: round(common.median([row[n]["chunks_per_s"] for row in rounds
                                                                 if n in row]), 1) for n in names}}
    out["ratios"], out["ratios_best"], out["ratios_cpu"] = {}, {}, {}
    for a, b in RATIOS:
        both = [row for row in rounds if a in row and b in row]
        if not both:
            continue
        key = f"{a} / {b}"
        out["ratios"][key] = round(common.median([row[a]["chunks_per_s"] / row[b]["chunks_per_s"] for row in both]), 3)
        best = {n: max(row[n]["chunks"] / row[n]["seconds"] for row in both) for n in (a, b)}
        out["ratios_best"][key] = round(best[a] / best[b], 3)
        per_cpu = [(row[a]["chunks"] / row[a]["cpu_seconds"]) / (row[b]["chunks"] / row[b]["cpu_seconds"])
                   for row in both]
        out["ratios_cpu"][key] = round(common.median(per_cpu), 3)
    reingest = {}
    for n in names:
        if n.startswith("ours-"):
            vals = [row[n]["reingest_seconds"] / row[n]["seconds"] for row in rounds if n in row]
            reingest[n] = {"reingest_fraction": round(common.median(vals), 4),
                           "reingest_ms": round(1000 * common.median([row[n]["reingest_seconds"] for row in rounds
                                                                        if n in row]), 1)}
    out["reingest"] = reingest
    return out


def breakdown(embedder, folder: Path, data_dir: Path) -> dict:
    """Where our ingest with the default embedder (ONNX fp32) spends its time (one extra, separate run)."""
    from assistant.api import Assistant
    from assistant.index import Index

    spent: dict[str, float] = {}
    bot = Assistant(_settings(data_dir, "onnx"), embedder=embedder)
    index: Index = bot.index
    common.time_calls(embedder, "embed", "embed", spent)
    try:
        common.time_calls(index.store, "upsert", "chroma_upsert", spent)
        common.time_calls(index.chunker, "chunk", "chunking", spent)
        common.time_calls(index, "_update_bm25", "bm25_update", spent)
        total, _ = common.timed(bot.ingest, folder, progress=False)
    finally:
        del embedder.embed  # back to the class's method
    out = {"total_s": round(total, 2)}
    for label, seconds in sorted(spent.items()):
        out[f"{label}_share"] = round(seconds / total, 3)
    out["other_share"] = round(1 - sum(spent.values()) / total, 3)
    bot.index.catalog.close()
    return out


def tune(work: Path, quick: bool, rounds: int) -> dict:
    """Threads (torch / ONNX Runtime intra-op) x batch size on the same chunk texts, side by side."""
    import torch

    from assistant.embeddings import LocalEmbedder, OnnxEmbedder, packaged_model_path

    common.offline()
    model_dir = packaged_model_path()
    folder = work / "input"
    if not folder.exists():
        common.write_txt_folder(folder, quick)
    texts = chunk_texts(folder)[: 20 if quick else 300]
    default_threads = torch.get_num_threads()
    candidates: dict[str, object] = {}
    for threads in (1, 2):
        for b in (32,) if quick else (16, 32, 64):
            candidates[f"local t{threads} b{b}"] = (LocalEmbedder(model_dir, batch_size=b), threads)
        for b in (32,) if quick else (1, 4, 16, 32):
            candidates[f"onnx-int8 t{threads} b{b}"] = (
                OnnxEmbedder(model_dir, work / "models", quantized=True, batch_size=b, threads=threads), threads)
        candidates[f"onnx t{threads} b32"] = (
            OnnxEmbedder(model_dir, work / "models", quantized=False, batch_size=32, threads=threads), threads)
    times: dict[str, list[float]] = {k: [] for k in candidates}
    try:
        for e, _ in candidates.values():
            e.embed(texts[:8])
        for _ in range(rounds):
            for name, (e, threads) in candidates.items():
                torch.set_num_threads(threads if name.startswith("local") else default_threads)
                t, _ = common.timed(e.embed, texts)
                times[name].append(t)
    finally:
        torch.set_num_threads(default_threads)
    base = common.median(times["local t2 b32"])
    return {
        "texts": len(texts), "cores": default_threads,
        "relative_throughput": {k: round(base / common.median(v), 2) for k, v in times.items()},
        "note": "relative to sentence-transformers fp32 on 2 threads, batch 32 (= 1.00); median of rounds",
    }
