"""`python -m eval`: parses options, runs the harness, writes the report, prints.

Exit status: 0, 1 when --check-baseline finds a regression, 2 on an error the user can fix.
"""

from __future__ import annotations

import argparse
import logging
import sys

from .datasets import ROOT
from .harness import ALL_MODES

DEFAULT_OUT = ROOT / "eval" / "out"
DEFAULT_BASELINE = ROOT / "eval" / "baseline.json"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval", description="Score the assistant on known facts or on RGB.")
    p.add_argument("--dataset", metavar="PATH",
                   help="a facts file (.jsonl/.yaml), a folder with the RGB files, or 'rgb' for "
                        "../shared/datasets/rgb-en-fact (default: eval/facts.jsonl over corpus/)")
    p.add_argument("--corpus", metavar="DIR", help="articles a facts file asks about (default: corpus/)")
    p.add_argument("--modes", help=f"comma-separated, from {','.join(ALL_MODES)} (default: all; unavailable "
                                   "ones are reported as skipped; only extractive with the baseline options)")
    p.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR", help="where report.json/.md/.png go")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N questions")
    p.add_argument("--compare", metavar="BASELINE.json", help="show the figures against a baseline or a report.json")
    p.add_argument("--check-baseline", metavar="BASELINE.json",
                   help="exit 1 when accuracy, citation precision or abstention recall fall below it")
    p.add_argument("--write-baseline", nargs="?", const=str(DEFAULT_BASELINE), metavar="PATH",
                   help="write the extractive figures as the new baseline (default eval/baseline.json)")
    p.add_argument("--baseline-completions", action="store_true",
                   help="LlamaIndex baseline: plain completions, for a base model without a chat template")
    p.add_argument("--config", help="assistant TOML config (default: $ASSISTANT_CONFIG or ./assistant.toml)")
    p.add_argument("--data-dir", help="index folder to ingest into (default: a temporary one; reuse one to skip "
                                      "re-embedding, but it must hold nothing else)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (it is off anyway when not a terminal)")
    p.add_argument("-v", "--verbose", action="store_true")
    return p


def _modes(args) -> list[str]:
    if args.modes:
        return [m.strip() for m in args.modes.split(",") if m.strip()]
    if args.write_baseline or args.check_baseline:
        return ["extractive"]
    return list(ALL_MODES)


def run(args) -> int:
    from .datasets import load_dataset
    from .gate import check, comparison, load_baseline, write_baseline
    from .harness import run_eval
    from .report import summary_table, to_dict, write_report

    data = load_dataset(args.dataset, corpus=args.corpus, limit=args.limit)
    run_ = run_eval(data, modes=_modes(args), progress=False if args.no_progress else None, config=args.config,
                    data_dir=args.data_dir, baseline_chat=not args.baseline_completions)
    report = to_dict(run_)
    against = args.check_baseline or args.compare
    baseline = load_baseline(against) if against else None
    paths = write_report(run_, args.out, comparison(report, baseline) if baseline else None)

    print(f"{data.name}: {len(data.cases)} questions, {run_.seconds:.1f} s ({run_.ingest_seconds:.1f} s ingest)")
    print("\n".join(summary_table(report)))
    for mode, info in report["modes"].items():
        if info["status"] != "ran":
            print(f"{mode}: {info['status']}: {info['reason']}")
    print("wrote " + ", ".join(str(p) for p in paths.values()))
    if args.write_baseline:
        print(f"wrote baseline {write_baseline(report, args.write_baseline)}")
    if args.check_baseline:
        regressions, warnings = check(report, baseline)
        for w in warnings:
            print(f"warning: {w}", file=sys.stderr)
        if regressions:
            for r in regressions:
                print(f"REGRESSION: {r}", file=sys.stderr)
            return 1
        print(f"baseline check passed ({', '.join(baseline['gated'])} at or above {args.check_baseline})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    handler = logging.StreamHandler()
    handler.setLevel(level)  # on the handler too: libraries of the baseline set their own loggers' levels
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", handlers=[handler])
    from assistant.errors import AssistantError, error_exit

    try:
        return run(args)
    except (AssistantError, KeyboardInterrupt) as exc:
        return error_exit(exc)
