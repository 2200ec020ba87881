"""Time orders read as comparisons of dates (assistant/sequence.py: "a week before", "ahead of", "after", "earlier
than", "preceded") and "falls short of" as the lower side (assistant/cues.py), through roles.conflict. Every sentence
is made up (the town of Orlen, Kelvara, Ida Varga) and labelled by hand; real spaCy parses.
"""

from __future__ import annotations

import pytest

from assistant import contrasts, roles

OPENINGS = "The Orlen tram line will open on May 5, 2024, a week before the Kelvara bridge will open, on May 12, 2024."
LATER = "The Orlen tram line opened in 2019, two years after the Kelvara bridge."
DEFICIT = "Ida Varga acknowledged the current deficit in rail capacity in Orlen, pointing out a threefold gap " \
          "compared to Kelvara."

# (answer sentence, passage sentence, rule, words the reason must quote): misstatements
MISSTATED = [
    ("The Kelvara bridge will open a week ahead of the Orlen tram line.", OPENINGS, "comparison",
     ["a week before", "turns the comparison round"]),
    ("The Orlen tram line will open a week after the Kelvara bridge.", OPENINGS, "comparison", ["a week after"]),
    ("The Kelvara bridge will open earlier than the Orlen tram line.", OPENINGS, "comparison", ["earlier than"]),
    ("The Orlen tram line preceded the Kelvara bridge by two years.", LATER, "comparison", ["preceded"]),
    ("After the Orlen tram line opened, the Kelvara bridge followed two years later.", LATER, "comparison",
     ["two years after"]),
    ("According to Ida Varga, Kelvara falls short of Orlen in rail capacity by a factor of three.", DEFICIT,
     "comparison", ["Kelvara is behind Orlen (\"short\")"]),
    ("According to Ida Varga, Kelvara comes up short against Orlen in rail capacity.", DEFICIT, "comparison",
     ["reverse"]),
]

# (answer sentence, passage sentence): faithful wordings of the same sentences
FAITHFUL = [
    ("The Orlen tram line will open a week ahead of the Kelvara bridge.", OPENINGS),
    ("The Kelvara bridge will open a week after the Orlen tram line.", OPENINGS),
    ("The Kelvara bridge opens on May 12, 2024, a week after the Orlen tram line.", OPENINGS),
    ("The Kelvara bridge preceded the Orlen tram line by two years.", LATER),
    ("According to Ida Varga, Orlen falls short of Kelvara in rail capacity by a factor of three.", DEFICIT),
]


@pytest.mark.parametrize("claim,unit,rule,words", MISSTATED)
def test_an_order_turned_round_is_named(claim, unit, rule, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == rule, found
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", FAITHFUL)
def test_the_same_order_in_other_words_is_no_contradiction(claim, unit):
    assert roles.conflict(claim, unit) is None


def test_a_time_order_is_a_comparison_of_dates_without_its_distance():
    (order,) = [s for s in contrasts.comparisons(OPENINGS) if s.dimension == "time"]
    assert {"orlen", "tram", "5"} <= set(order.lower) and "week" not in order.lower  # earlier: lower
    assert {"kelvara", "bridg", "12"} <= set(order.higher)
    (opened,) = [s for s in contrasts.comparisons("After the Kelvara bridge opened, Orlen built a tram line.")
                 if s.dimension == "time"]
    assert "kelvara" in opened.lower and "orlen" in opened.higher  # "After Y, X": the clause is the earlier side


def test_the_two_ends_of_one_time_order_state_it_alike():
    assert contrasts.compared_alike("The Kelvara bridge will open a week after the Orlen tram line.", OPENINGS)
    assert not contrasts.compared_alike("The Kelvara bridge will open a week before the Orlen tram line.", OPENINGS)


@pytest.mark.parametrize("text", ["In short, Ida Varga says Orlen lags Kelvara.", "Orlen showed a short film.",
                                  "The following year, Kelvara opened a depot."])
def test_short_and_following_alone_order_nothing(text):
    from assistant.frames import read

    assert not [c for c in read(text).comparisons if "short" in c.phrase]
    assert not [s for s in contrasts.comparisons(text) if s.dimension == "time"]
