"""The evaluation suite: known facts and the RGB benchmark, scored without any model as judge.

    from eval import load_dataset, run_eval, write_report
    run = run_eval(load_dataset(), modes=["extractive"])
    write_report(run, "eval/out")
"""

from .datasets import Case, Dataset, load_dataset
from .harness import EvalRun, ModeRun, run_eval
from .report import to_dict, write_report

__all__ = ["Case", "Dataset", "EvalRun", "ModeRun", "load_dataset", "run_eval", "to_dict", "write_report"]
