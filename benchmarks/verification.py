"""`python -m benchmarks.verification [--quick] [--no-llm] [--work DIR] [--out FILE]`: the figures of issue #3.

1. Verifier precision and recall on RGB's counterfactual pairs (no LLM): the true answer claimed
   against its positive passages (supported) and against the counterfactual ones (unsupported),
   and the counterfactual answer the other way round. "Positive" means flagged unsupported.
2. The bundled local model on the seed questions (eval/facts.jsonl over corpus/) and the RGB dev
   questions (over passages.jsonl): accuracy before and after verification, share of sentences
   removed, unsupported claims left (by a separate, naive check of names and digits against the
   cited chunks), verification time per answer.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

from . import common

log = logging.getLogger("benchmarks.verification")


def _aliases(answer) -> list[list[str]]:
    return [[answer]] if isinstance(answer, str) else answer


def counterfactual_pairs(verifier, limit: int | None = None) -> dict:
    """Verifier verdicts on the RGB dev pairs; the claim is the bare answer, read with its question."""
    from assistant.types import Chunk
    from eval.scoring import contains_alias

    texts = {p["id"]: p["text"] for p in common.passages()}
    rows = common.read_jsonl(common.RGB_DEV)[:limit]
    tp = fp = fn = tn = 0
    errors, times = [], []

    def chunks(items: list[str], tag: str) -> list[Chunk]:
        return [Chunk(id=f"{tag}{i}", article_id=f"{tag}{i}", text=t, start=0, end=len(t)) for i, t in enumerate(items)]

    for row in rows:
        positive = [texts[i] for i in row["positive_ids"] if i in texts]
        true = next((a for g in _aliases(row["answer"]) for a in g if any(contains_alias(p, a) for p in positive)),
                    _aliases(row["answer"])[0][0])
        cases = [(true, positive, False), (true, row["counterfactual_passages"], True),
                 (row["counterfactual_answer"], row["counterfactual_passages"], False),
                 (row["counterfactual_answer"], positive, True)]
        for claim, passages, unsupported in cases:
            t = time.perf_counter()
            result = verifier.verify(claim, verifier.passages(chunks(passages, "p")), question=row["query"])
            times.append((time.perf_counter() - t) * 1000)
            flagged = result.supported == 0
            tp, fp = tp + (flagged and unsupported), fp + (flagged and not unsupported)
            fn, tn = fn + (not flagged and unsupported), tn + (not flagged and not unsupported)
            if flagged != unsupported:
                errors.append({"id": row["id"], "query": row["query"], "claim": claim,
                               "should_be_unsupported": unsupported,
                               "reason": result.checks[0].reason if result.checks else ""})
    return {"pairs": len(rows), "claims": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(tp / max(tp + fp, 1), 4), "recall": round(tp / max(tp + fn, 1), 4),
            "verify_ms": common.dist(times), "errors": errors}


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CAPITAL = re.compile(r"(?<=\s)[A-Z][A-Za-z]+")


def naive_unsupported(sentence: str, cited_text: str) -> list[str]:
    """Digits and non-initial capitalised words of ``sentence`` missing from the cited text: a check
    that shares no code with the verifier."""
    hay = cited_text.replace(",", "").lower()
    body = re.sub(r"\s*\[\d+\]", "", sentence)
    missing = [d for d in _DIGITS.findall(body) if d.replace(",", "").rstrip(".") not in hay]
    return missing + [w for w in _CAPITAL.findall(" " + body)[1:] if w.lower() not in hay]


def llm_run(bot, cases, name: str, dump, replay_embedders: dict) -> dict:
    from assistant.claims import is_abstention
    from eval.scoring import answer_matches

    stats = {"questions": 0, "before": 0, "after": 0, "after_llm_only": 0, "fallback": 0, "abstained": 0,
             "sentences": 0, "removed": 0, "unsupported_left": 0, "errors": 0}
    from assistant.evidence import CachedEmbedder
    from assistant.verification import Verifier

    verify_ms, llm_ms, first_ms, left = [], [], [], []
    replay_ms: dict[str, list[float]] = {key: [] for key in replay_embedders}
    verifiers = {key: Verifier.from_settings(bot.settings, e) for key, e in replay_embedders.items()}
    for case in cases:
        try:
            answer = bot.ask(case.question, mode="local")
        except Exception as exc:  # a benchmark reports failures and goes on
            log.warning("%s: %s", case.id, exc)
            stats["errors"] += 1
            continue
        stats["questions"] += 1
        raw = " ".join(c.text for c in answer.verification)
        kept = " ".join(c.text for c in answer.verification if c.supported)

        def correct(text: str, abstained: bool, case=case) -> bool:
            return abstained if case.must_abstain else (not abstained and answer_matches(text, case.answers))

        stats["before"] += correct(raw, is_abstention(raw) or not raw)
        stats["after"] += correct(answer.text, answer.abstained)
        stats["after_llm_only"] += correct(kept, not kept)
        stats["fallback"] += answer.mode != "local"
        stats["abstained"] += answer.abstained
        stats["sentences"] += len(answer.verification)
        stats["removed"] += sum(not c.supported for c in answer.verification)
        chunks = {h.chunk.id: h.chunk for h in answer.hits}
        by_n = {c.n: c for c in answer.citations}
        if answer.mode == "local":
            for check in (c for c in answer.verification if c.supported):
                cited = " ".join(chunks[by_n[n].chunk_id].title + " " + chunks[by_n[n].chunk_id].text
                                 for n in check.citations)
                missing = naive_unsupported(check.text, cited)
                if missing:
                    stats["unsupported_left"] += 1
                    left.append({"id": case.id, "sentence": check.text, "missing": missing})
        verify_ms.append(answer.timings.get("verify_ms", 0.0))
        # The same answer verified again with no LLM running beside it, streamed word by word; passage
        # vectors are shared with the extractive answer, so they are ready, as in the real pipeline.
        passages = sorted((h.chunk for h in answer.hits), key=lambda c: (c.article_id, c.start))
        for key, verifier in verifiers.items():
            checked = verifier.passages(passages)  # vectors shared with the extractive answer: not timed
            verifier.embedder = CachedEmbedder(verifier.embedder.inner)  # this answer's sentences: not seen yet
            t = time.perf_counter()
            stream = verifier.stream(checked, answer.standalone_question or case.question)
            for word in raw.split(" "):
                stream.feed(word + " ")
            stream.finish()
            replay_ms[key].append((time.perf_counter() - t) * 1000)
        llm_ms.append(answer.timings.get("llm_ms", 0.0))
        first_ms.append(answer.timings.get("first_token_ms", 0.0))
        dump.write(json.dumps({"set": name, "id": case.id, "question": case.question, "answer": answer.text,
                               "mode": answer.mode, "note": answer.note,
                               "checks": [c.__dict__ for c in answer.verification]}, ensure_ascii=False) + "\n")
    n = max(stats["questions"], 1)
    return {**stats, "accuracy_before": round(stats["before"] / n, 3), "accuracy_after": round(stats["after"] / n, 3),
            "accuracy_after_llm_only": round(stats["after_llm_only"] / n, 3),
            "removed_share": round(stats["removed"] / max(stats["sentences"], 1), 3),
            "verify_ms": common.dist(verify_ms),
            "verify_replay_ms": {key: common.dist(ms) for key, ms in replay_ms.items()},
            "llm_ms": common.dist(llm_ms), "first_token_ms": common.dist(first_ms),
            "left": left}


def _bot(data_dir: Path, corpus: Path, embedder, **overrides):
    from assistant import Assistant, load_settings

    bot = Assistant(load_settings(env={}, data_dir=data_dir, **overrides), embedder=embedder)
    report = bot.ingest(corpus, progress=False)
    log.info("%s: %s", corpus.name, report.summary())
    return bot


def run(work: Path, quick: bool, llm: bool = False, llm_url: str = "", onnx: bool = False) -> dict:
    """The figures; ``llm`` adds the local-model runs (minutes). Used by benchmarks/e2e_bench.py too."""
    common.offline()
    import torch

    torch.set_num_threads(1)  # on 2 shared cores, 2 torch threads embed one sentence 20x slower
    from assistant.config import Settings
    from assistant.embeddings import make_embedder
    from assistant.evidence import CachedEmbedder
    from assistant.verification import Verifier
    from eval.datasets import load_dataset

    settings = Settings()
    embedder = CachedEmbedder(make_embedder(settings))
    embedder.warm()
    verifier = Verifier.from_settings(settings, embedder)
    out: dict = {"thresholds": {"min_lexical": settings.verify_min_lexical,
                                "min_semantic": settings.verify_min_semantic}}
    log.info("counterfactual pairs")
    out["counterfactual"] = counterfactual_pairs(verifier, 10 if quick else None)
    out["p50_ms"] = out["counterfactual"]["verify_ms"]["p50_ms"]
    if not llm:
        return out
    from assistant.llm_server import bundled_model

    replay = {"local (torch, 1 thread)": embedder.inner}
    if onnx:
        from assistant.embeddings import OnnxEmbedder, export_onnx, packaged_model_path

        export_onnx(packaged_model_path(), work / "onnx", "int8")
        replay["onnx-int8"] = OnnxEmbedder(packaged_model_path(), work / "onnx", quantized=True)

    overrides = {"local_llm_url": llm_url} if llm_url else {"local_llm_model": str(bundled_model(work / "models"))}
    with open(work / "answers.jsonl", "w", encoding="utf-8") as dump:
        for name, spec in (("seed", None), ("rgb_dev", "rgb")):
            data = load_dataset(spec, limit=5 if quick else None)
            bot = _bot(work / name, data.corpus, embedder.inner, **overrides)
            bot.warm()
            log.info("%s: %d questions through the local model", name, len(data.cases))
            out[name] = llm_run(bot, data.cases, name, dump, replay)
            bot.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.verification", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="a few questions only")
    p.add_argument("--no-llm", action="store_true", help="only the counterfactual pairs")
    p.add_argument("--onnx", action="store_true", help="also time verification with the ONNX int8 embedder")
    p.add_argument("--llm-url", default="", help="a running local model server (default: start one)")
    p.add_argument("--work", type=Path, help="folder for the indexes and answers.jsonl (default: temporary)")
    p.add_argument("--out", type=Path, default=common.ROOT / "benchmarks" / "results-verification.json")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr)
    log.setLevel(logging.INFO)
    work = args.work or Path(tempfile.mkdtemp(prefix="assistant-verify-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.time()
    results = run(work, args.quick, llm=not args.no_llm, llm_url=args.llm_url, onnx=args.onnx)
    results["seconds"] = round(time.time() - start)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cf = results["counterfactual"]
    print(f"counterfactual pairs: precision {cf['precision']:.3f}, recall {cf['recall']:.3f} on {cf['claims']} claims; "
          f"verify p50 {cf['verify_ms']['p50_ms']} ms")
    for name in ("seed", "rgb_dev"):
        if name in results:
            r = results[name]
            print(f"{name}: accuracy {r['accuracy_before']:.2f} before -> {r['accuracy_after']:.2f} after "
                  f"(LLM sentences only {r['accuracy_after_llm_only']:.2f}); removed {r['removed_share']:.0%} of "
                  f"{r['sentences']} sentences; unsupported left {r['unsupported_left']}; fallback {r['fallback']}; "
                  f"verify p50 {r['verify_ms']['p50_ms']} ms p95 {r['verify_ms']['p95_ms']} ms in the pipeline"
                  + "; replayed alone: " + ", ".join(f"{k} {d['p50_ms']} / {d['p95_ms']} ms"
                                                      for k, d in r["verify_replay_ms"].items()))
    print(f"answers: {work / 'answers.jsonl'}; results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
