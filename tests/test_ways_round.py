"""Ways round that the verifier must read (assistant/cues.py, assistant/sequence.py, through roles.conflict):
whether a thing goes on or ends ("expand / keep / renew" against "cancel / scrap / end"), how long an event takes
("move faster" against "take longer"), a time order past a date ("beyond" against "ahead of"), and a time order
checked against the month or year the passage gives each side. Every sentence is made up (the town of Orlen, the
Kelvara rail firm, the Dunmore fair) and labelled by hand; real spaCy parses.
"""

from __future__ import annotations

import pytest

from assistant import roles
from assistant.frames import read

CANCEL = "A group of Orlen workers called on Kelvara Rail to cancel the depot contract."
KEEP = "The Orlen council voted to keep the depot contract with Kelvara Rail."
LONGER = "The Orlen depot could easily take much longer to finish, given the ongoing rail strike."
FASTER = "Work on the Orlen depot moved much faster after the rail strike ended."
BEYOND = "The rule gives Orlen traders up to two weeks beyond the original March 4 deadline to file."
FAIR = "The Dunmore fair was launched in May 2019, with the Orlen fair following in 2021."

# (answer sentence, passage sentence, rule, words the reason must quote): misstatements
MISSTATED = [
    ("A group of Orlen workers urged Kelvara Rail to expand the depot contract.", CANCEL, "direction",
     ["cancel", "expand"]),
    ("A group of Orlen workers urged Kelvara Rail to renew the depot contract.", CANCEL, "direction", ["renew"]),
    ("A group of Orlen workers called on Kelvara Rail to keep the depot contract.", CANCEL, "direction", ["keep"]),
    ("The Orlen council voted to scrap the depot contract with Kelvara Rail.", KEEP, "direction", ["scrap"]),
    ("The Orlen council voted to call off the depot contract with Kelvara Rail.", KEEP, "direction", ["call off"]),
    ("The Orlen depot could easily be finished much faster because of the ongoing rail strike.", LONGER, "direction",
     ["longer", "faster"]),
    ("The Orlen depot could be finished sooner, given the ongoing rail strike.", LONGER, "direction", ["sooner"]),
    ("Work on the Orlen depot moved much slower after the rail strike ended.", FASTER, "direction", ["slower"]),
    ("The rule requires Orlen traders to file up to two weeks ahead of the original March 4 deadline.", BEYOND,
     "comparison", ["turns the comparison round"]),
    ("The Orlen fair's launch came before the Dunmore fair's May 2019 launch.", FAIR, "comparison",
     ["other way round"]),
    ("The Dunmore fair was launched in 2019, after the Orlen fair.", FAIR, "comparison", ["round"]),
]

# (answer sentence, passage sentence): faithful wordings, with a word of the same way round
FAITHFUL = [
    ("A group of Orlen workers urged Kelvara Rail to scrap the depot contract.", CANCEL),
    ("Orlen workers asked Kelvara Rail to terminate the depot contract.", CANCEL),
    ("A group of Orlen workers called on Kelvara Rail to drop the depot contract.", CANCEL),
    ("The Orlen council voted to retain the depot contract with Kelvara Rail.", KEEP),
    ("The Orlen council voted to maintain the depot contract with Kelvara Rail.", KEEP),
    ("The Orlen depot could take much longer to finish because of the ongoing rail strike.", LONGER),
    ("The Orlen depot could be finished much slower, given the ongoing rail strike.", LONGER),
    ("Work on the Orlen depot went quicker after the rail strike ended.", FASTER),
    ("The rule lets Orlen traders file up to two weeks after the original March 4 deadline.", BEYOND),
    ("The rule lets Orlen traders file up to two weeks past the original March 4 deadline.", BEYOND),
    ("The Orlen fair's launch came after the Dunmore fair's May 2019 launch.", FAIR),
    ("The Dunmore fair was launched in May 2019, before the Orlen fair.", FAIR),
]


@pytest.mark.parametrize("claim,unit,rule,words", MISSTATED)
def test_a_way_turned_round_is_named(claim, unit, rule, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == rule, found
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", FAITHFUL)
def test_the_same_way_in_other_words_is_no_contradiction(claim, unit):
    assert roles.conflict(claim, unit) is None


@pytest.mark.parametrize("text", [
    "Freight in Orlen continued to fall in 2021.",  # an aspect verb: the change is the cue
    "Kelvara Rail kept rising in the rankings.",
    "The Orlen depot ended up costing more.",  # another phrase
    "By the end of the year, Orlen had a new depot.",  # the end of a time
    "Kelvara Rail no longer runs trains to Orlen.",  # not a pace
    "Orlen hosted a longer fair this year.",
])
def test_no_going_on_or_pace_where_none_is_said(text):
    assert not [d for d in read(text).directions if d.dimension == "continue" or d.phrase in ("longer", "faster")]


def test_without_negates_the_noun_it_governs():
    # synthetic: "without delays" says what "with no delays" says, and the reverse of "after long delays"
    same = ("The depot in Orlen opened with no delays.", "The depot in Orlen opened without delays.")
    assert roles.conflict(*same) is None
    found = roles.conflict("The depot in Orlen opened without any delays.",
                           "After long delays, the depot in Orlen opened.")
    assert found is not None and found.rule == "negation"
