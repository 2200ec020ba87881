"""`python -m benchmarks [--quick] [--out FILE] [--only ingest,tune,scale,e2e]`: run the benchmarks of
issue #7, write every figure to JSON and print a short table of the targets.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import common

SECTIONS = ("ingest", "tune", "scale", "e2e")
log = logging.getLogger("benchmarks")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="a tiny smoke run (seconds, not minutes); figures meaningless")
    p.add_argument("--rounds", type=int, help="interleaved rounds of the ingest comparison (default 5, quick 1)")
    p.add_argument("--out", type=Path, help="JSON results (default benchmarks/results[-quick].json)")
    p.add_argument("--only", help=f"comma-separated sections among {','.join(SECTIONS)}")
    p.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    p.add_argument("--update", action="store_true",
                   help="keep the other sections of an existing --out file (rerun some with --only)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr)
    log.setLevel(logging.INFO)
    common.offline()

    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    if only - set(SECTIONS):
        p.error(f"unknown sections: {', '.join(sorted(only - set(SECTIONS)))}")
    rounds = args.rounds or (1 if args.quick else 5)
    out_path = args.out or common.ROOT / "benchmarks" / ("results-quick.json" if args.quick else "results.json")
    work = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    results: dict = {}
    if args.update and out_path.exists():
        results = json.loads(out_path.read_text(encoding="utf-8"))
    results.update({"quick": args.quick, "machine": machine(), "started": time.strftime("%F %T")})
    models_dir = work / "models"
    try:
        if "ingest" in only:
            from . import ingest_bench

            log.info("1-2. ingest throughput, quality, re-ingest (%d rounds)", rounds)
            results["ingest"] = _section(ingest_bench.run, work, args.quick, rounds)
        if "tune" in only:
            from . import ingest_bench

            log.info("threads x batch size sweep")
            results["tune"] = _section(ingest_bench.tune, work, args.quick, 1 if args.quick else 2)
        if "scale" in only or "e2e" in only:
            from . import scale_bench

            if not models_dir.exists():
                from assistant.embeddings import export_onnx, packaged_model_path

                export_onnx(packaged_model_path(), models_dir, "int8")
            log.info("3. retrieval latency on synthetic indexes")
            results["scale"] = scale = _section(scale_bench.run, work, args.quick, min(rounds, 3), models_dir)
            if "e2e" in only and "data_dirs" in scale:
                from . import e2e_bench

                log.info("4-5. ask end to end, cold start, --help, verification")
                results["e2e"] = _section(e2e_bench.run, work, args.quick, scale, models_dir)
            if "data_dirs" in scale:
                log.info("small ingests into the large indexes")
                _section(scale_bench.small_ingests, scale, models_dir)
                scale.pop("data_dirs", None)
    finally:
        results["seconds"] = round(time.time() - time.mktime(time.strptime(results["started"], "%Y-%m-%d %H:%M:%S")))
        results["targets"] = targets(results)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        if args.keep:
            log.info("work folder kept: %s", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results["targets"]))
    print(f"\nfull results: {out_path}")
    failed = [k for k in SECTIONS if isinstance(results.get(k), dict) and "error" in results[k]]
    if failed:
        print(f"FAILED sections: {', '.join(failed)} (see the JSON)")
        return 1
    return 0


def _section(fn, *args):
    """One benchmark section; a failure (another engineer's half-saved file, say) is recorded, not fatal."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - reported in the results and the table
        log.exception("section %s failed", getattr(fn, "__qualname__", fn))
        return {"error": f"{type(exc).__name__}: {exc}"[:2000]}


def machine() -> dict:
    import os

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None}


def _get(d: dict, *keys, default=None):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return default
        d = d[k]
    return d


def targets(r: dict) -> list[tuple[str, str, str, str]]:
    """(what, measured, target, verdict) rows for the table."""
    rows: list[tuple[str, str, str, str]] = []
    for name in SECTIONS:
        if isinstance(r.get(name), dict) and "error" in r[name]:
            rows.append((f"section {name} FAILED", r[name]["error"].splitlines()[0][:100], "", "NOT RUN"))
    r = {k: ({} if isinstance(v, dict) and "error" in v else v) for k, v in r.items()}

    def add(what: str, value, target: str, ok: bool | None, fmt: str = "{}"):
        shown = "n/a" if value is None else fmt.format(value)
        rows.append((what, shown, target, "-" if ok is None or value is None else ("met" if ok else "NOT MET")))

    ing = r.get("ingest", {})
    s = ing.get("summary", {})
    cps = s.get("chunks_per_s_median", {})
    ratios = s.get("ratios", {})
    if ing:
        n = ing["input"]
        rows.append((f"input: {n['files']} files, {n['chunks']} chunks (ours); ratios: best of "
                     f"{len(ing['rounds'])} interleaved rounds", "", "", ""))
        for name in ("ceiling-local", "ours-local", "llamaindex", "ceiling-onnx", "ours-onnx", "ceiling-onnx-int8",
                     "ours-onnx-int8"):
            add(f"  chunks/s {name} (median of rounds)", cps.get(name), "", None, "{:.1f}")
        def ratio(key: str, what: str, target: str = "", threshold: float | None = None):
            # Judged on the best rounds: on a shared machine a round's ratio swings with other users'
            # load; each pipeline's best of the interleaved rounds is its speed when left alone.
            best = _get(s, "ratios_best", key)
            med, cpu = ratios.get(key), _get(s, "ratios_cpu", key)
            shown = None if best is None else f"{best:.2f} (median {med:.2f}, cpu {cpu:.2f})"
            add(what, shown, target, None if threshold is None else best is not None and best >= threshold)

        ratio("ours-local / ceiling-local", "1. ours fp32 / raw fp32 encode (ceiling)", ">= 0.95", 0.95)
        ratio("llamaindex / ceiling-local", "   LlamaIndex default / ceiling", "(issue: 0.91)")
        ratio("ours-onnx-int8 / llamaindex", "1. ours ONNX int8 / LlamaIndex default", ">= 2.0", 2.0)
        ratio("ceiling-onnx-int8 / ceiling-local", "1. raw ONNX int8 / raw fp32 sentence-transformers", ">= 2.0", 2.0)
        ratio("ours-onnx-int8 / ceiling-onnx-int8", "   ours ONNX int8 / raw ONNX int8")
        ratio("ceiling-onnx / ceiling-local", "   raw ONNX fp32 / raw fp32 sentence-transformers", "(same speed)")
        ratio("ours-onnx / ceiling-local", "1. ours ONNX fp32 (default) / raw fp32 sentence-transformers encode",
              ">= 0.95", 0.95)
        ratio("ours-onnx / ceiling-onnx", "1. ours ONNX fp32 (default) / raw ONNX fp32 encode", ">= 0.95", 0.95)
        ratio("ours-onnx batch64 / ceiling-onnx", "   ingest_batch_chunks=64 (the old default): ours ONNX fp32 / raw")
        agree = ing.get("agreement", {})
        v = _get(agree, "onnx", "max_abs_diff")
        add("   ONNX fp32 vs sentence-transformers max |diff|", v, "<= 1e-4", v is not None and v <= 1e-4, "{:.1e}")
        v = _get(agree, "onnx-int8", "cosine_mean")
        add("   ONNX int8 vs fp32 mean cosine", v, "", None, "{:.4f}")
        q = ing.get("quality", {})
        for kind in ("facts", "rgb_dev"):
            base = _get(q, "local", kind, "hybrid_hit@5")
            for name in ("local", "onnx", "onnx-int8"):
                v = _get(q, name, kind, "hybrid_hit@5")
                vec = _get(q, name, kind, "vector_hit@5")
                ok = None if name == "local" or base is None or v is None else v >= base - 1.0
                add(f"1. hit@5 {kind} {name} (hybrid; vectors only {vec})", v,
                    "" if name == "local" else ">= local - 1 pt", ok, "{:.1f}")
            v = _get(q, "llamaindex", kind, "vector_hit@5")
            add(f"   hit@5 {kind} LlamaIndex default (vectors)", v, "", None, "{:.1f}")
        for name, d in s.get("reingest", {}).items():
            v = d["reingest_fraction"]
            add(f"2. re-ingest unchanged / first, {name} ({d['reingest_ms']:.0f} ms)", 100 * v, "<= 3 %", v <= 0.03,
                "{:.2f} %")
        b = ing.get("ingest_breakdown", {})
        if b:
            shares = ", ".join(f"{k.removesuffix('_share')} {100 * v:.0f}%"
                               for k, v in b.items() if k.endswith("_share"))
            rows.append(("   ours ONNX fp32 ingest time shares", shares, "", ""))
    tune = r.get("tune", {}).get("relative_throughput", {})
    if tune:
        rows.append(("   threads x batch, throughput relative to local t2 b32 (median of rounds)", "", "", ""))
        for backend in ("local", "onnx", "onnx-int8"):
            cells = [f"{k.removeprefix(backend).strip()}: {v:.2f}" for k, v in tune.items()
                     if k.split(" ")[0] == backend]
            rows.append((f"     {backend}", ", ".join(cells), "", ""))
    sc = r.get("scale", {}).get("sizes", {})
    for n, d in sc.items():
        lat = d.get("latency", {})
        big = int(n) >= 100_000
        add(f"3. hybrid top-10 p50 at {int(n):,} chunks", lat.get("p50_ms"), "<= 20 ms" if big else "",
            lat.get("p50_ms", 1e9) <= 20 if big else None, "{:.1f} ms")
        add(f"3. hybrid top-10 p95 at {int(n):,} chunks", lat.get("p95_ms"), "<= 50 ms" if big else "",
            lat.get("p95_ms", 1e9) <= 50 if big else None, "{:.1f} ms")
        rows.append((f"   RSS / disk at {int(n):,}", f"{d.get('rss_mb')} MB RSS, {d.get('disk_mb')} MB on disk",
                     "", ""))
        si = d.get("small_ingest")
        if si:
            rebuild = _get(d, "build", "bm25_rebuild_s")
            for run in ("first", "second"):
                one = si.get(run)
                if one:
                    rows.append((f"   1-article ingest at {int(n):,} ({run}): total / BM25 update / id listing",
                                 f"{one['total_s']:.2f} s / {one.get('update_bm25_s', 0):.2f} s / "
                                 f"{one.get('ids_s', 0):.2f} s (full BM25 rebuild: {rebuild} s)", "", ""))
    wb = r.get("scale", {}).get("write_batch", {}).get("vectors_per_s")
    if wb:
        rows.append(("   Chroma upsert vectors/s by write batch", ", ".join(f"{k}: {v}" for k, v in wb.items()),
                     "", ""))
    e2e = r.get("e2e", {})
    if e2e:
        for name in ("onnx", "local", "onnx-int8"):
            v = _get(e2e, "ask_warm", name, "p50_ms")
            answer = _get(e2e, "ask_warm", name, "parts_p50_ms", "answer_ms")
            add(f"4. ask extractive warm p50 at {e2e['ask_chunks']:,}, {name} (answer step p50 {answer} ms)", v,
                "<= 60 ms", v is not None and v <= 60, "{:.1f} ms")
        rows.append(("   (sentence vectors stored at ingest for onnx only; local and int8 embed theirs when asked)",
                     "", "", ""))
        for name in ("onnx", "local", "onnx-int8"):
            v = _get(e2e, "ask_warm", f"no stored sentence vectors, {name}", "p50_ms")
            add(f"   without stored sentence vectors (candidates embedded, pruned), {name}", v, "", None, "{:.1f} ms")
        v = _get(e2e, "ask_warm", "every sentence scored, onnx", "p50_ms")
        add("   without stored vectors or pruning (every candidate embedded), onnx", v, "", None, "{:.1f} ms")
        rows.append(("   pruned answers equal unpruned (onnx)", str(_get(e2e, "ask_warm", "pruned_answers_equal_full")),
                     "True", "-"))
        rows.append(("   answers with stored (float16) vectors equal to embedding them (onnx)",
                     f"{_get(e2e, 'ask_warm', 'answers_equal_with_stored_vectors')} of "
                     f"{_get(e2e, 'ask_warm', 'answers_compared')}", "report", "-"))
        for name, v in _get(e2e, "cold_start", "first_answer_s", default={}).items():
            add(f"4. cold start to first answer, {name}", v, "report", None, "{:.2f} s")
        v = _get(e2e, "help", "p50_ms")
        add("4. assistant --help (p50; max {})".format(_get(e2e, "help", "max_ms")), v, "< 1000 ms",
            v is not None and _get(e2e, "help", "max_ms", default=1e9) < 1000, "{:.0f} ms")
        ver = e2e.get("verification", {})
        if "p50_ms" in ver:
            add("5. verification per answer p50", ver["p50_ms"], "< 20 ms", ver["p50_ms"] < 20, "{:.2f} ms")
        else:
            rows.append(("5. verification per answer", ver.get("status", "n/a"), "< 20 ms", "-"))
    return rows


def table(rows: list[tuple[str, str, str, str]]) -> str:
    widths = [max(len(str(row[i])) for row in rows + [("benchmark", "measured", "target", "verdict")])
              for i in range(4)]
    head = ("benchmark", "measured", "target", "verdict")
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
             "-|-".join("-" * w for w in widths)]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
