"""Benchmarks 4 and 5: `ask` end to end in extractive mode (warm, at 10k chunks), cold start from
process start to the first answer, `assistant --help`, what `import assistant` loads, and the
citation verification overhead per answer.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

from . import common

HEAVY = ("torch", "sentence_transformers", "transformers", "onnxruntime", "chromadb", "llama_index", "bm25s",
         "trafilatura", "openai", "gradio")


def prepare_as_ingest(data_dir: str, embedder) -> dict:
    """Give the synthetic index what ingest would have stored: every chunk's entities and, for the
    default embedder, its sentence vectors. Returns how long each took (not part of any ask)."""
    from assistant.config import load_settings
    from assistant.index import Index

    index = Index(load_settings(env={}, data_dir=Path(data_dir)))
    chunks = index.catalog.all_chunks()
    entities_s, _ = common.timed(index.entities.get, chunks)
    vectors_s, embedded = common.timed(index.sentence_vectors.fill, embedder, chunks)
    index.catalog.close()
    return {"chunks": len(chunks), "entities_s": round(entities_s, 1), "sentence_vectors_s": round(vectors_s, 1),
            "distinct_sentences_embedded": embedded}


def ask_child(data_dir: str, models_dir: str, n: int) -> None:
    """In a fresh process: one Assistant per embedder on the same index, warm, asked the same questions
    alternately (side by side). The index holds what ingest stores (entities; sentence vectors of the
    default ONNX fp32 embedder only, so the other two embed their sentences when asked). Then the same
    without stored sentence vectors (every answer embeds its candidate sentences, pruned), and, for onnx,
    without pruning either (every candidate sentence scored). Prints JSON."""
    import assistant.api as api_module
    from assistant import reader
    from assistant.api import Assistant
    from assistant.config import load_settings
    from assistant.embeddings import LocalEmbedder, OnnxEmbedder, packaged_model_path

    from .scale_bench import queries

    def every_sentence(*args, prune=True, **kwargs):
        return reader.score_units(*args, prune=False, **kwargs)

    model_dir = packaged_model_path()
    embedders = {"local": LocalEmbedder(model_dir),
                 "onnx": OnnxEmbedder(model_dir, Path(models_dir), quantized=False),
                 "onnx-int8": OnnxEmbedder(model_dir, Path(models_dir), quantized=True)}
    skip = min(5, n // 3)  # the first asks pay for lazy imports and caches
    qs = queries(n + skip, seed=23)
    out: dict = {"prepared_as_ingest": prepare_as_ingest(data_dir, embedders["onnx"])}
    sentences: dict = {}
    # Scoring every sentence only checks that pruning changes no answer: onnx alone (the slowest run).
    variants = (("", True, True, embedders), ("no stored sentence vectors, ", False, True, embedders),
                ("every sentence scored, ", False, False, ("onnx",)))
    for label, stored, prune, names in variants:
        api_module.score_units = reader.score_units if prune else every_sentence
        bots = {}
        for name in names:
            e = embedders[name]
            bots[name] = Assistant(load_settings(env={}, data_dir=Path(data_dir), embed_backend=name), embedder=e)
            bots[name].warm()
            if not stored:
                bots[name].verifier.embedder.stored = None
        wall: dict = {k: [] for k in bots}
        parts: dict = {k: {} for k in bots}
        for i, q in enumerate(qs):
            for name, bot in bots.items():
                t = time.perf_counter()
                answer = bot.ask(q)
                ms = (time.perf_counter() - t) * 1000
                if i < skip:
                    continue
                wall[name].append(ms)
                for key, value in answer.timings.items():
                    parts[name].setdefault(key, []).append(value)
                if name == "onnx":
                    sentences.setdefault(label, []).append(answer.text)
        for name in bots:
            out[label + name] = {**common.dist(wall[name]), "parts_p50_ms": {
                k: round(common.percentile(v, 50), 2) for k, v in parts[name].items()}}
    api_module.score_units = reader.score_units
    out["pruned_answers_equal_full"] = sentences["no stored sentence vectors, "] == sentences["every sentence scored, "]
    # Stored vectors are float16: a near tie between two sentences may break the other way.
    out["answers_equal_with_stored_vectors"] = sum(
        a == b for a, b in zip(sentences[""], sentences["every sentence scored, "], strict=True))
    out["answers_compared"] = len(sentences[""])
    out["int8_over_local_p50"] = round(out["onnx-int8"]["p50_ms"] / out["local"]["p50_ms"], 3)
    print(json.dumps(out))


def cold_start(data_dir: Path, models_dir: Path, repeats: int, quick: bool) -> dict:
    """`assistant --data-dir D ask Q` from process start to exit, per embedder (ONNX export done beforehand)."""
    import shutil

    shutil.copytree(models_dir, data_dir / "models", dirs_exist_ok=True)  # the export is a one-time cost
    cmd = [common.bin_path("assistant"), "--data-dir", str(data_dir), "ask",
           "How many NVIDIA chips has SenseTime bought?"]
    envs = {name: {"ASSISTANT_EMBED_BACKEND": name} for name in ("local", "onnx", "onnx-int8")}
    for env in envs.values() if not quick else ():  # untimed: fills the OS file cache
        common.wall(cmd, env=env)
    times: dict[str, list[float]] = {k: [] for k in envs}
    for _ in range(repeats):
        for name, env in envs.items():
            times[name].append(common.wall(cmd, env=env))
    imports = {"import torch + sentence_transformers": [], "import assistant": []}
    for _ in range(repeats):
        imports["import torch + sentence_transformers"].append(
            common.wall([common.sys.executable, "-c", "import torch, sentence_transformers"]))
        imports["import assistant"].append(common.wall([common.sys.executable, "-c", "import assistant"]))
    return {"first_answer_s": {k: round(common.median(v), 2) for k, v in times.items()},
            "imports_s": {k: round(common.median(v), 2) for k, v in imports.items()},
            "note": "process start to exit after printing the first answer; OS file cache warm"}


def help_time(repeats: int) -> dict:
    runs = [common.wall([common.bin_path("assistant"), "--help"]) * 1000 for _ in range(repeats)]
    loaded = common.run_python(
        "import json, sys, assistant; "
        f"print(json.dumps({{'loaded': sorted(m for m in {HEAVY!r} if m in sys.modules)}}))")
    return {**common.dist(runs), "max_ms": round(max(runs), 1),
            "heavy_modules_after_import_assistant": loaded["loaded"]}


def verification(work: Path, quick: bool) -> dict:
    """Time assistant.verification per answer, if that module exists yet."""
    if importlib.util.find_spec("assistant.verification") is None:
        return {"status": "not yet: assistant/verification.py does not exist"}
    from . import verify_bench

    return verify_bench.run(work, quick)


def run(work: Path, quick: bool, scale: dict, models_dir: Path) -> dict:
    common.offline()
    sizes = sorted(scale["data_dirs"], key=int)
    ask_size = "10000" if "10000" in scale["data_dirs"] else sizes[0]
    data_dir = scale["data_dirs"][ask_size]
    out: dict = {"ask_chunks": int(ask_size)}
    n = 6 if quick else 100
    out["ask_warm"] = common.run_python(
        f"from benchmarks.e2e_bench import ask_child; ask_child({data_dir!r}, {str(models_dir)!r}, {n})")
    out["cold_start"] = cold_start(Path(data_dir), models_dir, 1 if quick else 3, quick)
    out["help"] = help_time(2 if quick else 10)
    out["verification"] = verification(work, quick)
    return out
