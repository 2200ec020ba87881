"""Whose: a title's own apposition as its holder, an apposition naming an "of" owner, the object before an -ing
verb of seeing ahead as what it is said of, a second event of one predicate, and a fact in a relative clause or
adjective on a name as that name's ("X, who was 18 years old"), all through roles.conflict. Every
sentence is made up (the town of Orlen, Kelvara, Ida Varga, Tomas Reid) and labelled by hand; real spaCy parses.
"""

from __future__ import annotations

import pytest

from assistant import roles

TEACHER = "The 2020 National Teacher of the Year is Orlen preschool teacher Ida Varga, the Kelvara Herald announced " \
          "Thursday, praising her colleague Tomas Reid."
SEASON = "Kelvara Media revealed Monday that the second season of its Tomas Reid Prize–winning series, Orlen Nights, " \
         "will debut May 5."
GAP = "In the long term, Tomas Reid foresees a diminishing gap between Orlen and Kelvara, Ida Varga said."
CUP = "MATCH REPORT: Ida Varga is the first teenager to win a Kelvara Open singles title since Tomas Reid " \
      "(18 years, 40 days) at the 2004 Orlen Cup."

# (answer sentence, passage sentence, rule, words the reason must quote): misstatements
MISSTATED = [
    ("The Orlen preschool teacher, Tomas Reid, is the 2020 National Teacher of the Year.", TEACHER, "role",
     ["Ida Varga is teacher", "Tomas Reid is teacher"]),
    ("Kelvara's second season will debut on May 5, Kelvara Media revealed on Monday.", SEASON, "role",
     ["Kelvara's second season"]),
    ("Ida Varga, who foresees the gap between Orlen and Kelvara diminishing over the long term, expects Orlen to "
     "grow.", GAP, "role", ["Tomas Reid foresees", "Ida Varga"]),
    ("Tomas Reid, who foresees Ida Varga diminishing the gap between Orlen and Kelvara over the long term, expects "
     "Orlen to grow.", GAP, "role", ["foresees Ida Varga"]),
    ("Tomas Reid is the first teenager to win a Kelvara Open singles title since Ida Varga, who was 18 years, 40 days "
     "old when she won the 2004 Orlen Cup.", CUP, "role", ["Ida Varga win", "Tomas Reid win"]),
    ("Ida Varga won the Orlen Cup in 2019 at 18 years old, beating Tomas Reid.",
     "Ida Varga won the Orlen Cup in 2019, beating Tomas Reid, who was 18 years old.", "role",
     ["18 years old to \"Tomas Reid\"", "gives it to Ida Varga"]),
]

# (answer sentence, passage sentence): faithful wordings of the same sentences
FAITHFUL = [
    ("The Kelvara Herald announced on Thursday that the Orlen preschool teacher, Ida Varga, is the 2020 National "
     "Teacher of the Year.", TEACHER),
    ("The Orlen preschool teacher, Ida Varga, is the 2020 National Teacher of the Year.", TEACHER),
    ("Orlen Nights's second season will debut on May 5, Kelvara Media revealed on Monday.", SEASON),
    ("Tomas Reid, who foresees the gap between Orlen and Kelvara diminishing over the long term, expects Orlen to "
     "grow.", GAP),
    ("She is the first teenager to win a Kelvara Open singles title since Tomas Reid, who was 18 years, 40 days old "
     "when he won the 2004 Orlen Cup.", CUP),
    ("Ida Varga is the first teenager to win a Kelvara Open singles title since Tomas Reid, who was 18 years, 40 "
     "days old when he won the 2004 Orlen Cup.", CUP),
]


@pytest.mark.parametrize("claim,unit,rule,words", MISSTATED)
def test_a_holder_or_owner_given_to_another_is_named(claim, unit, rule, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == rule, found
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", FAITHFUL)
def test_the_same_holders_and_owners_in_other_words_are_no_contradiction(claim, unit):
    assert roles.conflict(claim, unit) is None
