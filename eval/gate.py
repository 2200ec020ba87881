"""The regression gate: a committed baseline of headline figures, and the check against it.

The baseline is only ever written from a real run (``python -m eval --write-baseline``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import BadInputError

from .metrics import HEADLINE

GATED = ("accuracy", "citation_precision", "abstention_recall")
BASELINE_MODE = "extractive"
TOLERANCE = 1e-9  # extractive answers are deterministic; only float noise is forgiven


@dataclass
class Regression:
    metric: str
    baseline: float
    now: float | None

    def __str__(self) -> str:
        now = "n/a" if self.now is None else f"{self.now:.4f}"
        return f"{self.metric} fell from {self.baseline:.4f} to {now}"


def make_baseline(report: dict[str, Any], mode: str = BASELINE_MODE, facts_only: bool = True) -> dict[str, Any]:
    if facts_only and report["dataset"]["kind"] != "facts":
        raise BadInputError("the baseline is measured on the bundled facts: "
                            "run without --dataset (or with a facts file)")
    info = report["modes"].get(mode)
    if not info or info["status"] != "ran":
        raise BadInputError(f"mode {mode} did not run, so there is no baseline to write: include it in --modes")
    return {
        "dataset": report["dataset"]["name"], "fingerprint": report["dataset"]["fingerprint"],
        "cases": report["dataset"]["cases"], "mode": mode, "measured": report["started"],
        "commit": report.get("commit", ""), "gated": list(GATED),
        "figures": {name: info.get(name) for name in HEADLINE},
        "abstain_threshold": report["settings"].get("abstain_threshold"),
    }


def write_baseline(report: dict[str, Any], path: str | Path, mode: str = BASELINE_MODE) -> Path:
    path = Path(path)
    path.write_text(json.dumps(make_baseline(report, mode), indent=2) + "\n", encoding="utf-8")
    return path


def load_baseline(path: str | Path) -> dict[str, Any]:
    """A baseline file, or a report.json whose extractive figures serve as one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInputError(f"baseline {path} does not exist: "
                            "write one with `python -m eval --write-baseline`") from None
    except json.JSONDecodeError as e:
        raise BadInputError(f"baseline {path} is not JSON: {e.msg}") from None
    if "figures" in data:
        return data
    if "modes" in data:
        return make_baseline(data, data.get("headline_mode") or BASELINE_MODE, facts_only=False)
    raise BadInputError(f"{path} is neither a baseline (with 'figures') nor a report.json (with 'modes')")


def check(report: dict[str, Any], baseline: dict[str, Any],
          tolerance: float = TOLERANCE) -> tuple[list[Regression], list[str]]:
    """(regressions of the gated figures, warnings). A mode that did not run regresses everything."""
    warnings = []
    if report["dataset"].get("fingerprint") != baseline.get("fingerprint"):
        warnings.append(f"the questions differ from those of the baseline ({baseline.get('dataset')}): "
                        "if the facts file changed on purpose, write a new baseline")
    info = report["modes"].get(baseline["mode"], {})
    regressions = []
    for name in baseline.get("gated", GATED):
        want = baseline["figures"].get(name)
        if want is None:
            continue
        now = info.get(name) if info.get("status") == "ran" else None
        if now is None or now < want - tolerance:
            regressions.append(Regression(name, want, now))
    return regressions, warnings


def comparison(report: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """A Markdown table: each headline figure in the baseline and now."""
    info = report["modes"].get(baseline["mode"], {})
    gated = set(baseline.get("gated", GATED))
    lines = [f"Baseline: {baseline['mode']} mode on {baseline.get('dataset')}, measured {baseline.get('measured')} "
             f"(commit {baseline.get('commit') or '?'}).", "",
             "| metric | baseline | now | change |", "|---|---|---|---|"]
    for name in HEADLINE:
        want, now = baseline["figures"].get(name), info.get(name)
        delta = f"{now - want:+.3f}" if want is not None and now is not None else ""
        flag = " (gated)" if name in gated else ""
        lines.append(f"| {name}{flag} | {_f(want)} | {_f(now)} | {delta} |")
    return lines


def _f(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"
