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
