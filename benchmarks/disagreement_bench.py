"""How often the answer says the articles disagree: on RGB dev questions whose answer-bearing passages are
ingested together with their counterfactual copies (the same passages with the answer swapped: a real
conflict), and on the plain pooled passages, where no two sources are meant to conflict (false alarms).

    python -m benchmarks.disagreement_bench [--limit N] [--out benchmarks/disagreement_results.json]

RGB data is read from ../shared and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from assistant import Assistant, load_settings
from eval.datasets import RGB, load_dataset
from eval.scoring import contains_alias


def _folder(root: Path, name: str, records: list[dict]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "passages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def run(limit: int | None) -> dict:
    passages = {json.loads(line)["id"]: json.loads(line) for line in
                (RGB / "passages.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    dev = [json.loads(line) for line in (RGB / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = dev[:limit] if limit else dev
    start = time.perf_counter()
    conflict_rows = []
    with tempfile.TemporaryDirectory(prefix="disagree-") as work:
        root = Path(work)
        first = Assistant(load_settings(data_dir=root / "d0"))
        embedder = first.index.embedder
        for i, case in enumerate(dev):
            records = [passages[p] for p in case["positive_ids"] if p in passages]
            records += [{"id": f"counterfactual-{j}", "text": t} for j, t in enumerate(case["counterfactual_passages"])]
            bot = first if i == 0 else Assistant(load_settings(data_dir=root / f"d{i}"), embedder=embedder)
            bot.ingest(_folder(root, f"q{i}", records), progress=False)
            answer = bot.ask(case["query"])
            values = [v for v, _ in answer.disagreement]
            true_answers = [a for group in (case["answer"] if isinstance(case["answer"], list) else [[case["answer"]]])
                            for a in (group if isinstance(group, list) else [group])]
            conflict_rows.append({
                "id": case["id"], "disagreement": bool(values), "values": values,
                "names_both": bool(values) and any(contains_alias(v, a) for v in values for a in true_answers)
                and any(contains_alias(v, case["counterfactual_answer"]) for v in values),
                "abstained": answer.abstained,
            })
        pooled = Assistant(load_settings(data_dir=root / "pool"), embedder=embedder)
        rgb = load_dataset("rgb", limit=limit)
        pooled.ingest(rgb.corpus, progress=False)
        plain_rows = [{"id": c.id, "disagreement": bool(a.disagreement), "values": [v for v, _ in a.disagreement]}
                      for c in rgb.cases for a in [pooled.ask(c.question)]]
    n = len(conflict_rows)
    return {
        "questions": n,
        "conflict_detected": round(sum(r["disagreement"] for r in conflict_rows) / n, 3),
        "conflict_detected_naming_both_answers": round(sum(r["names_both"] for r in conflict_rows) / n, 3),
        "conflict_abstained": round(sum(r["abstained"] for r in conflict_rows) / n, 3),
        "false_alarms_on_plain_pool": round(sum(r["disagreement"] for r in plain_rows) / len(plain_rows), 3),
        "seconds": round(time.perf_counter() - start, 1),
        "conflict_cases": conflict_rows, "plain_cases": plain_rows,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.disagreement_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--limit", type=int, help="first N dev questions only")
    p.add_argument("--out", default="benchmarks/disagreement_results.json")
    args = p.parse_args(argv)
    result = run(args.limit)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if not k.endswith("_cases")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
