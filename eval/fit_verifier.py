"""Fit the verifier's meaning decision on the dev split of eval/verifier/claims.jsonl and report per class.

    python -m eval.fit_verifier            # fit, cross-validate, write assistant/verifier_weights.json, report
    python -m eval.fit_verifier --report   # only report what the committed weights do (dev and held-out)

Training rows: each dev claim against the unit of its passage the verifier rests it on. Faithful
paraphrases are positives; unsupported additions are negatives, and so is every faithful paraphrase
with a synthetic clause put after it or before it (a cause, purpose or attribution no passage gives) and
against the best unit of another labelled passage (a unit that does not say it). Misstatements of
roles, direction and negation are left to assistant/roles.py and not fitted here; wrong facts are caught
by the exact fact check, and superlatives, records and time spans the passage lacks by
assistant/coverage.py, before the decision is asked. The report lists dev and pending mistakes one by one (a
pending batch is neither fitted nor gated) and only counts held-out ones (``--show-heldout`` lists them too: for a
final look, never for tuning).
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from assistant.meaning import FEATURES, WEIGHTS, fit_logistic

from .verifier_set import FAITHFUL, MISSTATEMENTS, Case, cases

FOLDS = 5
# Synthetic (generated here, not news): clauses no passage states, appended to each faithful dev claim to make
# negatives of the kind "true sentence plus an unsupported addition".
SYNTHETIC_TAILS = ("largely because of falling demand", "after months of delays and legal disputes",
                   "which surprised most observers", "mainly to cut costs", "despite strong opposition from regulators",
                   "in front of a record crowd", "its first such move in a decade", "to the dismay of its rivals",
                   "on a rainy evening", "by a wide margin", "to widespread criticism", "for a modest fee",
                   "with little fanfare", "amid heavy losses")
# ... and phrases put before it: an attribution or a cause the passage does not give.
SYNTHETIC_HEADS = ("According to industry analysts,", "Largely thanks to heavy marketing,", "To the surprise of many,",
                   "Under pressure from investors,", "In a widely criticised move,", "After a long legal battle,",
                   "Citing rising costs,", "As expected by most experts,")
OTHER_PASSAGES = 4  # other passages each faithful dev claim is set against as a negative


def make_verifier(decision=None, check_roles: bool = True):
    from assistant.config import load_settings
    from assistant.embeddings import make_embedder
    from assistant.verification import Verifier

    root = Path(__file__).resolve().parent.parent
    os.environ.setdefault("ASSISTANT_MODELS_DIR", str(root / ".cache" / "test-models"))
    settings = load_settings(env={"ASSISTANT_MODELS_DIR": os.environ["ASSISTANT_MODELS_DIR"]})
    embedder = make_embedder(settings)
    embedder.warm()
    v = Verifier.from_settings(settings, embedder)
    if decision is not ...:
        v.decision = decision
        v.min_lexical = 0.0  # features of every unit, not only of those the fixed gate would compare
    v.check_roles = check_roles
    return v


def row(verifier, claim_text: str, chunk) -> np.ndarray:
    from assistant import claims
    from assistant.claims import content_words
    from assistant.verification import Claim

    passage = verifier.passages([chunk])[0]
    claim = Claim(claim_text, claims.claim_facts(claim_text), content_words(claim_text), [claim_text],
                  verifier.embedder)
    values = verifier.features(claim, verifier._match(claim, passage))
    return np.array([values[f] for f in FEATURES])


def training_rows(verifier, dev: list[Case]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    xs, ys, groups = [], [], []
    chunks = list({c.chunk.id: c.chunk for c in dev}.values())
    rng = np.random.default_rng(12)
    for case in dev:
        if case.supported:
            xs.append(row(verifier, case.claim, case.chunk))
            ys.append(1)
            groups.append(case.id)
            tail = SYNTHETIC_TAILS[len(xs) % len(SYNTHETIC_TAILS)]
            head = SYNTHETIC_HEADS[len(xs) % len(SYNTHETIC_HEADS)]
            for made in (f"{case.claim.rstrip('.')}, {tail}.", f"{head} {case.claim[0].lower()}{case.claim[1:]}"):
                xs.append(row(verifier, made, case.chunk))
                ys.append(0)
                groups.append(case.id)
            others = [ch for ch in chunks if ch.id != case.chunk.id]
            for i in rng.choice(len(others), size=min(OTHER_PASSAGES, len(others)), replace=False):
                xs.append(row(verifier, case.claim, others[i]))
                ys.append(0)
                groups.append(case.id)
        elif case.cls == "unsupported_addition":
            xs.append(row(verifier, case.claim, case.chunk))
            ys.append(0)
            groups.append(case.id)
    return np.array(xs), np.array(ys), groups


def cross_validate(x: np.ndarray, y: np.ndarray, groups: list[str]) -> dict:
    ids = sorted(set(groups))
    rng = np.random.default_rng(7)
    fold_of = {g: int(f) for g, f in zip(ids, rng.permutation(len(ids)) % FOLDS, strict=True)}
    folds = np.array([fold_of[g] for g in groups])
    right = np.zeros(len(y), dtype=bool)
    for k in range(FOLDS):
        train, test = folds != k, folds == k
        d = fit_logistic(x[train], y[train], FEATURES)
        p = np.array([d.probability(dict(zip(FEATURES, r, strict=True))) for r in x[test]])
        right[test] = (p >= 0.5) == (y[test] == 1)
    return {"folds": FOLDS, "accuracy": round(float(right.mean()), 3),
            "positives_kept": round(float(right[y == 1].mean()), 3),
            "negatives_refused": round(float(right[y == 0].mean()), 3), "rows": int(len(y))}


def report(verifier) -> dict[str, dict[str, tuple[int, int]]]:
    """class -> split -> (right, total): kept for faithful classes, removed for misstatements."""
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    wrong = []
    for case in cases():
        passages = verifier.passages([case.chunk])
        result = verifier.verify(f"{case.claim} [1]", passages)
        kept = bool(result.checks) and all(c.supported for c in result.checks)
        cell = out[case.cls][case.split]
        cell[0] += kept == case.supported
        cell[1] += 1
        if kept != case.supported:
            wrong.append((case.id, case.split, case.claim, result.checks[0].reason if result.checks else ""))
    return {k: {s: tuple(v) for s, v in d.items()} for k, d in out.items()}, wrong


SPLITS = ("dev", "heldout", "pending")


def print_report(table, wrong, show_heldout: bool = False) -> None:
    """Per class and split; the dev and pending mistakes one by one (held-out ones only counted: they are not for
    tuning). Pending: a blind batch not yet fixed against, neither fitted nor held to the dev targets."""
    splits = [s for s in SPLITS if s != "pending" or any("pending" in cells for cells in table.values())]
    print(f"{'class':22} " + " ".join(f"{s.replace('heldout', 'held-out'):>10}" for s in splits))
    for group in (FAITHFUL, MISSTATEMENTS):
        for cls in group:
            cells = table.get(cls, {})
            shown = [f"{r}/{t} {r / t:.2f}" if t else "-" for r, t in (cells.get(s, (0, 0)) for s in splits)]
            what = "kept" if cls in FAITHFUL else "removed"
            print(f"{cls:22} " + " ".join(f"{x:>10}" for x in shown) + f"  ({what})")
        totals = [[sum(table.get(c, {}).get(s, (0, 0))[i] for c in group) for i in (0, 1)] for s in splits]
        name = "all faithful" if group is FAITHFUL else "all misstatements"
        print(f"{name:22} " + " ".join(f"{f'{r}/{t} {r / t:.2f}' if t else '-':>10}" for r, t in totals))
    for cid, split, claim, reason in wrong:
        if split != "heldout" or show_heldout:
            print(f"  WRONG {cid} [{split}] {claim}\n        -> {reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only report the committed weights")
    parser.add_argument("--show-heldout", action="store_true",
                        help="also list the held-out mistakes (for the final report only, never for tuning)")
    parser.add_argument("--roles", choices=["dependency", "alignment"], default="dependency",
                        help="how roles are read (to compare the two on the labelled claims)")
    args = parser.parse_args(argv)
    from assistant import roles

    roles.METHOD = args.roles
    if not args.report:
        verifier = make_verifier(decision=None, check_roles=False)
        x, y, groups = training_rows(verifier, cases("dev"))
        cv = cross_validate(x, y, groups)
        decision = fit_logistic(x, y, FEATURES)
        WEIGHTS.write_text(decision.to_json(
            fitted_on="eval/verifier/claims.jsonl split=dev", produced_by="python -m eval.fit_verifier",
            cross_validation=cv), encoding="utf-8")
        print(f"wrote {WEIGHTS} ({len(y)} rows); cross-validation: {cv}")
        print("weights:", dict(zip(FEATURES, decision.weights.round(3), strict=True)), "bias", round(decision.bias, 3))
        from assistant.meaning import load_decision

        load_decision.cache_clear()
    verifier = make_verifier(decision=...)
    t = time.perf_counter()
    table, wrong = report(verifier)
    print(f"checked {sum(t for d in table.values() for _, t in d.values())} claims in {time.perf_counter() - t:.1f} s")
    print_report(table, wrong, args.show_heldout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
