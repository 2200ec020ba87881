"""A description is not a second name: "the Chinese firm" may be what "the company" refers to, so the role
check does not set them against each other; a name still is checked. Synthetic sentences."""

from __future__ import annotations

import pytest

from assistant import roles

PASSAGE = "On May 2, Orvane’s co-founder, Ilse Vanek, said that over the past decade, the company has bought " \
          "more than 40,000 chips."


@pytest.mark.parametrize("claim", ["The Chinese firm has bought more than 40,000 chips.",
                                   "The Norland AI company has bought more than 40,000 chips."])
def test_a_description_of_the_subject_is_no_role_conflict(claim):
    assert roles.conflict(claim, PASSAGE) is None


@pytest.mark.parametrize("claim", ["Telvik has bought more than 40,000 chips.",
                                   "The Norland chipmaker Telvik has bought more than 40,000 chips."])
def test_another_name_in_the_subject_still_is(claim):
    found = roles.conflict(claim, PASSAGE)
    assert found is not None and found.rule == "role"
