"""Benchmark 5: citation verification overhead per answer (assistant/verification.py).

LLM-like answers are made from the extractive answers over the bundled corpus plus the RGB
passages: each quoted sentence with the [n] of the passage it comes from, plus one sentence no
passage supports. Verification is timed as llm.py runs it (passages, then the stream), with a
fresh verifier (the passage sentences are embedded and parsed first: every cache cleared) and with a
warm one (vectors and parses cached, as for passages that recur).

    python -m benchmarks.verify_bench [--quick]
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from . import common

UNSUPPORTED = "The company also bought 12 aircraft from Airbus in 1999."


def clear_parse_caches() -> None:
    from assistant import arcs, contrasts, frames, nlp, owners, predicates

    frames.read.cache_clear()
    owners.read.cache_clear()
    arcs.sentence.cache_clear()
    contrasts.comparisons.cache_clear()
    contrasts.changes.cache_clear()
    predicates.complements.cache_clear()
    predicates.ordinals.cache_clear()
    nlp.clear_parses()


def answers(bot, quick: bool) -> list[tuple[str, list, str]]:
    """(question, passages in prompt order, answer text with [n] markers) for each answered question."""
    rows = [r["question"] for r in common.read_jsonl(common.FACTS)]
    rows += [r["query"] for r in common.read_jsonl(common.RGB_DEV)]
    out = []
    for q in rows[: 8 if quick else None]:
        answer = bot.ask(q)
        if answer.abstained or not answer.citations:
            continue
        passages = sorted((h.chunk for h in answer.hits), key=lambda c: (c.article_id, c.start))
        parts = []
        for c in answer.citations:
            n = next((i for i, p in enumerate(passages, start=1)
                      if p.article_id == c.article_id and p.start <= c.start < p.end), 1)
            parts.append(f"{c.quote} [{n}]")
        out.append((q, passages, " ".join(parts + [f"{UNSUPPORTED} [1]"])))
    return out


def run(work: Path, quick: bool) -> dict:
    from assistant.api import Assistant
    from assistant.config import load_settings
    from assistant.embeddings import LocalEmbedder, OnnxEmbedder, export_onnx, packaged_model_path
    from assistant.verification import Verifier

    model_dir = packaged_model_path()
    export_onnx(model_dir, work / "models", "int8")
    embedders = {"local": LocalEmbedder(model_dir), "onnx-int8": OnnxEmbedder(model_dir, work / "models", True)}
    data_dir = Path(tempfile.mkdtemp(dir=work, prefix="verify-"))
    bot = Assistant(load_settings(env={}, data_dir=data_dir, embed_backend="onnx-int8"),
                    embedder=embedders["onnx-int8"])
    bot.ingest(common.CORPUS, progress=False)
    passages_file = work / "verify-passages.jsonl"
    import json

    passages_file.write_text("".join(json.dumps(r) + "\n" for r in common.passages(quick)), encoding="utf-8")
    bot.ingest(passages_file, progress=False)
    cases = answers(bot, quick)
    out: dict = {"answers": len(cases)}
    for name, embedder in embedders.items():
        embedder.warm()
        settings = bot.settings
        cold, warm, checked = [], [], 0
        shared = Verifier.from_settings(settings, embedder)
        for q, passages, text in cases:  # fills the shared verifier's cache, untimed
            shared.verify(text, shared.passages(passages), q)
        for q, passages, text in cases:
            clear_parse_caches()
            fresh = Verifier.from_settings(settings, embedder)
            t = time.perf_counter()
            result = fresh.verify(text, fresh.passages(passages), q)
            cold.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            shared.verify(text, shared.passages(passages), q)
            warm.append((time.perf_counter() - t) * 1000)
            checked += len(result.checks)
        out[name] = {"first_time_passages": common.dist(cold), "passages_cached": common.dist(warm),
                     "sentences_checked": checked}
    out["p50_ms"] = out["onnx-int8"]["passages_cached"]["p50_ms"]
    bot.index.catalog.close()
    return out


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="verification time per answer")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(Path(tmp), args.quick), indent=2))
