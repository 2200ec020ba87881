"""Ordinals held to what they count, on synthetic sentences about the made-up town of Orlen."""

from __future__ import annotations

import pytest

from assistant import ordinals
from assistant.types import Chunk

UNIT = "Orlen Rovers won their second league title after beating Kelvara 3-1 in the 2019 final."


@pytest.mark.parametrize("claim,stated,claimed", [
    ("Orlen Rovers won their third league title by beating Kelvara 3-1 in the 2019 final.",
     "second league title", "third league title"),
    ("Orlen Rovers took a first league title in 2019.", "second league title", "first league title"),
])
def test_another_ordinal_for_the_same_thing_is_named(claim, stated, claimed):
    found = ordinals.mismatch(claim, UNIT)
    assert found is not None
    assert stated in found.reason and claimed in found.reason


@pytest.mark.parametrize("claim,unit", [
    ("Orlen Rovers won their 2nd league title in 2019.", UNIT),
    ("The seventy-fifth anniversary of the depot fell on March 3.", "The depot's 75th anniversary fell on March 3."),
    # the unit numbers two titles; the claim's is one of them
    ("Ida Varga's third novel sold well.", "Her second novel flopped, but her third novel sold well."),
    # the ordinals count different things
    ("Orlen Rovers won their second league title.", "It was the first final Orlen Rovers won in Kelvara: their "
     "second league title."),
    ("The second season of Orlen Nights debuts on May 5.",
     "The highly anticipated second season of the series Orlen Nights debuts on May 5."),
])
def test_the_same_ordinal_or_another_thing_counted_is_no_mismatch(claim, unit):
    assert ordinals.mismatch(claim, unit) is None


def test_an_ordinal_counting_nothing_is_not_compared():
    assert ordinals.ordinals("The vote is on July 2nd, and Kelvara came second.") == []


def test_the_verifier_removes_a_wrong_ordinal_and_says_so(verifier):
    passages = verifier.passages([Chunk("o-0", "o", UNIT, 0, len(UNIT))])
    wrong = verifier.verify("Orlen Rovers won their third league title in the 2019 final [1].", passages).checks[0]
    assert not wrong.supported and wrong.rule == "ordinal" and "second league title" in wrong.reason
    right = "Orlen Rovers beat Kelvara 3-1 in the 2019 final to win their second league title [1]."
    assert verifier.verify(right, passages).checks[0].supported
