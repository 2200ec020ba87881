"""The run written out: report.json (every figure, per case), report.md (summary, then failures)
and headline.png (the headline metrics per mode)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .harness import EvalRun
from .metrics import HEADLINE

MD_FIGURES = HEADLINE + ("short_answer_exact", "unsupported_sentences", "removed_sentences", "passed", "errors")


def to_dict(run: EvalRun) -> dict[str, Any]:
    modes = {r.mode: {"status": r.status, "reason": r.reason, "seconds": round(r.seconds, 2), **r.headline}
             for r in run.runs}
    first = next((r for r in run.runs if r.status == "ran"), None)
    out: dict[str, Any] = {
        "dataset": {"name": run.dataset.name, "kind": run.dataset.kind, "path": str(run.dataset.path),
                    "cases": len(run.dataset.cases), "fingerprint": run.dataset.fingerprint},
        "started": run.started, "commit": run.commit,
        "seconds": round(run.seconds, 2), "ingest_seconds": round(run.ingest_seconds, 2),
        "headline_mode": first.mode if first else None,
    }
    # The first mode that ran gives the top-level headline figures; every mode's are under "modes".
    out.update({k: v for k, v in (first.headline if first else {}).items()})
    out["modes"] = modes
    out["settings"] = run.settings
    out["cases"] = [{"mode": r.mode, **asdict(c), "passed": c.passed} for r in run.runs for c in r.results]
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def summary_table(report: dict[str, Any]) -> list[str]:
    ran = {m: v for m, v in report["modes"].items() if v["status"] != "skipped"}
    if not ran:
        return ["No mode ran."]
    rows = [[name] + [_fmt(v.get(name)) for v in ran.values()] for name in MD_FIGURES]
    rows.append(["seconds"] + [_fmt(v["seconds"]) for v in ran.values()])
    return _table(["metric"] + list(ran), rows)


def latency_table(report: dict[str, Any]) -> list[str]:
    ran = {m: v for m, v in report["modes"].items() if v["status"] != "skipped"}
    stages = list(dict.fromkeys(s for v in ran.values() for s in v.get("latency_ms", {})))
    rows = []
    for s in stages:
        cells = []
        for v in ran.values():
            lat = v.get("latency_ms", {}).get(s)
            cells.append(f"{lat['p50']:.1f} / {lat['p95']:.1f}" if lat else "")
        rows.append([s] + cells)
    return _table(["stage (p50 / p95 ms)"] + list(ran), rows) if rows else []


def _failure(case: dict[str, Any]) -> list[str]:
    expected = "must abstain" if case["must_abstain"] else " AND ".join(" / ".join(g) for g in case["expected"])
    lines = [f"- **{case['id']}**: {case['question']}", f"  - expected: {expected}",
             f"  - got: {case['answer'] or '(nothing)'}", f"  - why: {'; '.join(case['failures'])}"]
    for c in case["citations"]:
        mark = {True: "supports", False: "does not support", None: "n/a"}[c["supports"]]
        lines.append(f"  - cited ({mark}) `{c['article_id']}`: \"{c['quote']}\"")
    return lines


def to_markdown(report: dict[str, Any], comparison: list[str] | None = None) -> str:
    ds = report["dataset"]
    lines = [f"# Evaluation: {ds['name']} ({ds['cases']} questions)", "",
             f"Started {report['started']}; {report['seconds']:.1f} s in all, "
             f"{report['ingest_seconds']:.1f} s of it ingesting.", ""]
    lines += summary_table(report) + [""]
    skipped = {m: v["reason"] for m, v in report["modes"].items() if v["status"] != "ran"}
    for mode, reason in skipped.items():
        lines.append(f"- **{mode}**: {report['modes'][mode]['status']}: {reason}")
    if skipped:
        lines.append("")
    lines += ["## Latency", ""] + latency_table(report) + [""]
    if comparison:
        lines += ["## Against the baseline", ""] + comparison + [""]
    for mode, info in report["modes"].items():
        if info["status"] != "ran":
            continue
        failed = [c for c in report["cases"] if c["mode"] == mode and not c["passed"]]
        lines += [f"## Failures: {mode} ({len(failed)} of {info['cases']})", ""]
        for case in failed:
            lines += _failure(case)
        lines.append("")
    return "\n".join(lines)


def write_chart(report: dict[str, Any], path: Path) -> Path | None:
    ran = {m: v for m, v in report["modes"].items() if v["status"] != "skipped"}
    if not ran:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(ran)
    for i, (mode, figures) in enumerate(ran.items()):
        values = [figures.get(name) for name in HEADLINE]
        xs = [j + (i - (len(ran) - 1) / 2) * width for j in range(len(HEADLINE))]
        ax.bar(xs, [v if v is not None else 0 for v in values], width, label=mode)
        for x, v in zip(xs, values, strict=True):
            ax.text(x, (v or 0) + 0.01, "n/a" if v is None else f"{v:.2f}", ha="center", fontsize=7)
    labels = [h.replace("_at_", "@").replace("_", "\n") for h in HEADLINE]
    ax.set_xticks(range(len(HEADLINE)), labels, fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_title(f"{report['dataset']['name']}: headline metrics per mode")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_reliability(report: dict[str, Any], path: Path) -> Path | None:
    """The reader's stated confidence against how often it was right, per mode that states one."""
    curves = {m: v["reliability"] for m, v in report["modes"].items() if v.get("reliability")}
    if not curves:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="calibrated")
    for mode, rows in curves.items():
        ax.plot([r["mean_confidence"] for r in rows], [r["answered_right"] for r in rows], marker="o", label=mode)
        for r in rows:
            ax.annotate(str(r["n"]), (r["mean_confidence"], r["answered_right"]), fontsize=7,
                        textcoords="offset points", xytext=(3, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("stated confidence (the reader's probability that its best evidence answers)")
    ax.set_ylabel("share answered right")
    ax.set_title(f"{report['dataset']['name']}: reliability (labels: questions per band)", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(run: EvalRun, out: str | Path, comparison: list[str] | None = None) -> dict[str, Path]:
    """Writes the three files into ``out``; returns their paths by kind."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = to_dict(run)
    paths = {"json": out / "report.json", "md": out / "report.md"}
    paths["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["md"].write_text(to_markdown(report, comparison), encoding="utf-8")
    chart = write_chart(report, out / "headline.png")
    if chart:
        paths["png"] = chart
    plot = write_reliability(report, out / "reliability.png")
    if plot:
        paths["reliability"] = plot
    return paths
