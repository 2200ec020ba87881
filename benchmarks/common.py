"""Helpers shared by the benchmarks: inputs, timing statistics, memory and disk sizes, subprocesses.

Every figure a benchmark reports is either a ratio of runs made side by side in one process
(interleaved rounds, median of the per-round ratios) or a distribution over many runs: the
machine is shared, so an absolute time from one run means little.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FACTS = ROOT / "eval" / "facts.jsonl"
RGB = ROOT.parent / "shared" / "datasets" / "rgb-en-fact"  # read from there, never copied into the repo
PASSAGES = RGB / "passages.jsonl"
RGB_DEV = RGB / "dev.jsonl"

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
               "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False"}


def offline() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


QUICK_DEV_QUESTIONS = 4


def passages(quick: bool = False) -> list[dict]:
    """The RGB passages; for --quick, the positives of the first few dev questions and a few others."""
    rows = read_jsonl(PASSAGES)
    if not quick:
        return rows
    wanted = {pid for q in read_jsonl(RGB_DEV)[:QUICK_DEV_QUESTIONS] for pid in q["positive_ids"]}
    return [r for r in rows if r["id"] in wanted] + [r for r in rows if r["id"] not in wanted][:4]


def write_txt_folder(folder: Path, quick: bool = False) -> int:
    """The issue's ingest input: the bundled corpus files plus each RGB passage as one .txt file."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in sorted(CORPUS.iterdir()):
        if f.is_file() and not f.name.startswith("."):
            (folder / f.name).write_bytes(f.read_bytes())
            n += 1
    for row in passages(quick):
        (folder / f"{row['id']}.txt").write_text(row["text"] + "\n", encoding="utf-8")
        n += 1
    return n


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return float("nan")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def dist(values_ms: list[float]) -> dict:
    return {"n": len(values_ms), "p50_ms": round(percentile(values_ms, 50), 2),
            "p95_ms": round(percentile(values_ms, 95), 2), "min_ms": round(min(values_ms), 2) if values_ms else None}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def rss_mb() -> dict:
    """This process's resident memory now and at its peak, from /proc (Linux)."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key = "rss_mb" if line.startswith("VmRSS") else "peak_rss_mb"
                out[key] = round(int(line.split()[1]) / 1024, 1)
    except OSError:  # pragma: no cover - not Linux
        import resource

        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def disk_mb(path: Path) -> float:
    total = 0
    for p in Path(path).rglob("*"):
        try:
            if p.is_file() and not p.is_symlink():
                total += p.stat().st_size
        except OSError:
            pass
    return round(total / 1024 / 1024, 1)


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def time_calls(obj, name: str, label: str, spent: dict[str, float]) -> None:
    """Replace ``obj.name`` by a wrapper that adds the seconds of each call to ``spent[label]``."""
    fn = getattr(obj, name)

    def timed_call(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t

    setattr(obj, name, timed_call)


def timed_cpu(fn, *args, **kwargs) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process's threads, result). CPU time is a cross-check that other
    users' load disturbs less than wall time (a descheduled thread costs wall time, not CPU time)."""
    cpu, start = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu, result


def run_python(code: str, env: dict | None = None, timeout: float = 900) -> dict:
    """Run ``code`` in a fresh interpreter of this venv; it prints one JSON object on its last line."""
    full_env = {**os.environ, **OFFLINE_ENV, **(env or {})}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full_env,
                          timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], env: dict | None = None, timeout: float = 300) -> float:
    """Seconds from process start to exit of ``cmd``; raises if it fails."""
    full_env = {**os.environ, **OFFLINE_ENV, **(env or {})}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds


def bin_path(name: str) -> str:
    """A console script of this venv (``assistant``), next to the interpreter."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name
