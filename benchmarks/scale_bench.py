"""Benchmark 3: hybrid retrieval latency at 10k and 100k chunks, memory and disk; what a small ingest
costs at that scale (is it the BM25 rebuild?); and the Chroma write batch size.

The large indexes are synthetic: articles of sentences recombined from the bundled corpus and
the RGB passages, with random unit vectors in place of embeddings, written straight into the
catalog, Chroma and BM25 of an Index in a temporary data folder. No model is needed to build them.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np

from . import common

CHUNKS_PER_ARTICLE = 5
SENTENCES_PER_CHUNK = (4, 8)
SOURCES = ("Reuters", "AP", "BBC", "The Guardian", "Nikkei", "Le Monde", "Der Spiegel", "Al Jazeera")
DIM = 384


def sentence_pool() -> list[str]:
    from assistant.sentences import split_sentences

    texts = [p.read_text(encoding="utf-8") for p in sorted(common.CORPUS.glob("*.txt"))]
    texts += [row["text"] for row in common.passages()]
    pool = {s.text for t in texts for s in split_sentences(t) if 20 <= len(s.text) <= 400}
    return sorted(pool)


def synthetic_articles(n_chunks: int, seed: int = 7):
    """(Article, [Chunk]) pairs whose chunks tile the article text exactly, n_chunks in all."""
    from assistant.types import Article, Chunk, content_hash

    rng = random.Random(seed)
    pool = sentence_pool()
    n_articles = max(1, n_chunks // CHUNKS_PER_ARTICLE)
    for a in range(n_articles):
        paragraphs = [" ".join(rng.choice(pool) for _ in range(rng.randint(*SENTENCES_PER_CHUNK)))
                      for _ in range(CHUNKS_PER_ARTICLE)]
        text = "\n\n".join(paragraphs)
        aid = f"synthetic/{a:06d}.txt"
        title = " ".join(rng.choice(pool).split()[:8]).rstrip(".,;:")
        date = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        article = Article(id=aid, text=text, title=title, date=date, source=rng.choice(SOURCES),
                          url=f"https://news.example/{a}", path=aid)
        chunks, pos = [], 0
        for seq, para in enumerate(paragraphs):
            chunks.append(Chunk(id=content_hash(aid, str(seq))[:32], article_id=aid, text=para, start=pos,
                                end=pos + len(para), title=title, date=date, source=article.source, url=article.url))
            pos += len(para) + 2
        yield article, chunks


def build(data_dir: Path, n_chunks: int, seed: int = 7) -> dict:
    """Write a synthetic index of ``n_chunks`` chunks into ``data_dir``; returns how long each part took."""
    from assistant.config import load_settings
    from assistant.index import Index

    index = Index(load_settings(env={}, data_dir=data_dir))
    rng = np.random.default_rng(seed)
    spent = {"catalog_s": 0.0, "chroma_s": 0.0}
    group: list = []

    def flush():
        chunks = [c for _, cs in group for c in cs]
        t = time.perf_counter()
        vectors = rng.standard_normal((len(chunks), DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.store.upsert(chunks, vectors)
        spent["chroma_s"] += time.perf_counter() - t
        t = time.perf_counter()
        with index.catalog.transaction() as db:
            for article, cs in group:
                index.catalog.put_article(db, article, cs)
        spent["catalog_s"] += time.perf_counter() - t
        group.clear()

    for article, chunks in synthetic_articles(n_chunks, seed):
        group.append((article, chunks))
        if len(group) * CHUNKS_PER_ARTICLE >= 2000:
            flush()
    if group:
        flush()
    t, _ = common.timed(index.rebuild_bm25)
    spent["bm25_rebuild_s"] = t
    # The rebuild's tokenisation alone, on a sample (it is plain Python, so it scales linearly).
    from assistant.chunking import embedding_input
    from assistant.lexical import tokenize

    chunks = index.catalog.all_chunks()
    sample = chunks[:: max(1, len(chunks) // 2000)]
    t, _ = common.timed(lambda: [tokenize(embedding_input(c)) for c in sample])
    spent["bm25_tokenize_s_est"] = t * len(chunks) / len(sample)
    index.catalog.close()
    return {"chunks": len(chunks), **{k: round(v, 2) for k, v in spent.items()}}


def queries(n: int, seed: int = 11) -> list[str]:
    """Questions as users ask them: the eval and RGB questions, then sentence fragments."""
    rng = random.Random(seed)
    out = [r["question"] for r in common.read_jsonl(common.FACTS)]
    out += [r["query"] for r in common.read_jsonl(common.RGB_DEV)]
    pool = sentence_pool()
    while len(out) < n:
        words = rng.choice(pool).split()
        out.append(" ".join(words[: rng.randint(4, 10)]) + "?")
    rng.shuffle(out)
    return out[:n]


def latency_child(data_dir: str, n: int) -> None:
    """In a fresh process: open the index, then time Retriever.search(top 10) per query. Prints JSON."""
    from assistant.config import load_settings
    from assistant.index import Index
    from assistant.retrieval import Retriever

    before = common.rss_mb()
    t0 = time.perf_counter()
    index = Index(load_settings(env={}, data_dir=Path(data_dir)))
    index.store.count()
    index.bm25()
    open_s = time.perf_counter() - t0
    retriever = Retriever(index)
    rng = np.random.default_rng(3)
    qs = queries(n + 10)
    vectors = rng.standard_normal((len(qs), DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    lat, parts = [], {"vector_ms": [], "bm25_ms": [], "fuse_ms": []}
    for i, (q, v) in enumerate(zip(qs, vectors, strict=True)):
        timings: dict = {}
        t = time.perf_counter()
        hits = retriever.search(q, v, top_k=10, timings=timings)
        ms = (time.perf_counter() - t) * 1000
        if i >= 10:  # the first few pay for lazy imports and caches
            lat.append(ms)
            for k in parts:
                parts[k].append(timings.get(k, 0.0))
        assert len(hits) <= 10
    print(json.dumps({"open_s": round(open_s, 2), "latency": common.dist(lat),
                      "parts_p50_ms": {k: round(common.percentile(v, 50), 2) for k, v in parts.items()},
                      "rss_before_open_mb": before.get("rss_mb"), **common.rss_mb()}))


def small_ingest_child(data_dir: str, models_dir: str) -> None:
    """In a fresh process: ingest one new short article into a large index, then another; where does the
    time go? The first ingest after the synthetic build lists Chroma's ids once (the build left no
    in-step mark); the second is the steady state of a running assistant."""
    import tempfile

    from assistant.config import load_settings
    from assistant.embeddings import OnnxEmbedder, packaged_model_path
    from assistant.index import Index
    from assistant.ingest import ingest

    embedder = OnnxEmbedder(packaged_model_path(), Path(models_dir), quantized=True)
    embedder.warm()
    index = Index(load_settings(env={}, data_dir=Path(data_dir), embed_backend="onnx-int8"), embedder=embedder)
    index.bm25()  # loaded, as a running assistant would have it
    spent: dict[str, float] = {}
    for obj, name in ((index, "_update_bm25"), (index, "rebuild_bm25"), (index.store, "ids"),
                      (embedder, "embed")):
        common.time_calls(obj, name, name.strip("_"), spent)
    out: dict = {}
    for run in ("first", "second"):
        spent.clear()
        folder = Path(tempfile.mkdtemp())
        (folder / f"breaking-{run}.txt").write_text(
            f"Breaking news, {run} edition\n\nA new article arrived this morning with a few sentences about "
            "chips. It says that the company bought more chips. Analysts were surprised.\n", encoding="utf-8")
        total, report = common.timed(ingest, index, folder, progress=False)
        out[run] = {"total_s": round(total, 3), "chunks_embedded": report.chunks_embedded,
                    **{f"{k}_s": round(v, 3) for k, v in spent.items()},
                    "bm25_share": round((spent.get("update_bm25", 0.0) + spent.get("rebuild_bm25", 0.0)) / total, 3)}
    print(json.dumps({**out, "chunks_embedded": out["second"]["chunks_embedded"]}))


def write_batch_sweep(work: Path, n: int, rounds: int) -> dict:
    """Chroma upsert throughput for several write batch sizes (store._WRITE_BATCH), side by side."""
    from assistant import store as store_module
    from assistant.config import load_settings
    from assistant.store import VectorStore

    chunks = [c for _, cs in synthetic_articles(n, seed=5) for c in cs]
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((len(chunks), DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    original = store_module._WRITE_BATCH
    sizes = (64, 256, 1024, 4096)
    times: dict[int, list[float]] = {s: [] for s in sizes}
    try:
        for r in range(rounds):
            for size in sizes:
                store_module._WRITE_BATCH = size
                vs = VectorStore(load_settings(env={}, data_dir=work / f"wb-{size}-{r}"))
                t, _ = common.timed(vs.upsert, chunks, vectors)
                times[size].append(t)
    finally:
        store_module._WRITE_BATCH = original
    return {"vectors": len(chunks), "current": original,
            "vectors_per_s": {str(s): round(len(chunks) / common.median(v)) for s, v in times.items()}}


def run(work: Path, quick: bool, rounds: int, models_dir: Path) -> dict:
    common.offline()
    sizes = (500, 1_000) if quick else (10_000, 100_000)
    n_queries = 20 if quick else 300
    out: dict = {"sizes": {}}
    for n in sizes:
        d = work / f"scale-{n}"
        info = build(d, n)
        child = common.run_python(
            f"from benchmarks.scale_bench import latency_child; latency_child({str(d)!r}, {n_queries})")
        out["sizes"][str(n)] = {"build": info, **child, "disk_mb": common.disk_mb(d),
                                "disk_parts_mb": {p.name: common.disk_mb(p) for p in sorted(d.iterdir()) if p.is_dir()}}
    out["write_batch"] = write_batch_sweep(work, 500 if quick else 10_000, rounds)
    out["data_dirs"] = {str(n): str(work / f"scale-{n}") for n in sizes}
    return out


def small_ingests(out: dict, models_dir: Path) -> None:
    """After the e2e benchmark has used the indexes: one small ingest into each (changes them)."""
    for n, d in out["data_dirs"].items():
        out["sizes"][n]["small_ingest"] = common.run_python(
            f"from benchmarks.scale_bench import small_ingest_child; small_ingest_child({d!r}, {str(models_dir)!r})")
