"""The fit's error listing: dev questions the cross-validated reader got wrong, and nothing else."""

from __future__ import annotations

import numpy as np

from eval.datasets import Case
from eval.fit_reader import Item, dev_errors


def _item(question: str, must_abstain: bool = False) -> Item:
    return Item(Case(id=question, question=question, must_abstain=must_abstain), "facts", [], np.zeros(0))


def test_dev_errors_lists_each_wrong_question_with_what_went_wrong():
    held = [
        (_item("Where is Orlen's depot?"), {"correct": True, "abstained": False, "confidence": 0.9}),
        (_item("When did Orlen open it?"), {"correct": False, "abstained": True, "confidence": 0.3}),
        (_item("Who founded Orlen?", must_abstain=True), {"correct": False, "abstained": False, "confidence": 0.7}),
        (_item("How many depots?"), {"correct": False, "abstained": False, "confidence": 0.6}),
    ]
    lines = dev_errors(held)
    assert len(lines) == 3
    assert not any("Where is Orlen's depot?" in line for line in lines)
    by_question = {line.split("  ")[-1]: line for line in lines}
    assert "abstained" in by_question["When did Orlen open it?"]
    assert "must-abstain" in by_question["Who founded Orlen?"]
    assert "answered wrongly" in by_question["How many depots?"]
    assert lines[0].endswith("When did Orlen open it?")  # lowest confidence first


def test_must_abstain_questions_weigh_their_share_whatever_their_number():
    from eval.fit_reader import abstain_weight

    for n_abstain in (2, 10, 40):
        items = [_item(f"q{i}") for i in range(60)] + [_item(f"a{i}", must_abstain=True) for i in range(n_abstain)]
        w = abstain_weight(items, share=0.2)
        assert abs(w * n_abstain / (w * n_abstain + 60) - 0.2) < 1e-9
    assert abstain_weight([_item("q")]) == 1.0  # nothing to weigh
    assert abstain_weight([_item("a", must_abstain=True)]) == 1.0


def test_repeated_figures_are_the_mean_and_spread_per_dataset_and_overall():
    from eval.fit_reader import mean_figures

    answerable, abstain = _item("Where is Orlen's depot?"), _item("Who founded Orlen?", must_abstain=True)

    def run(right: bool, abstained: bool) -> list:
        return [(answerable, {"correct": right, "abstained": not right, "short": right, "confidence": 0.5}),
                (abstain, {"correct": abstained, "abstained": abstained, "short": None, "confidence": 0.5})]

    figures = mean_figures([run(True, True), run(False, True), run(True, False), run(True, True)])
    assert figures["facts"]["accuracy"] == 0.75
    assert figures["facts"]["abstention_recall"] == 0.75
    assert figures["facts"]["accuracy_sd"] == round(float(np.std([1, 0, 1, 1])), 3)
    assert figures["all"]["questions"] == 2 and figures["all"]["false_abstentions"] == 0.25
