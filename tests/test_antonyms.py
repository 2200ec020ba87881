"""Opposite words beyond the hand-written cue pairs (assistant/antonyms.py, WordNet 3.0's antonym pointers, read
by assistant/cues.py through roles.conflict). Every sentence is made up (the town of Orlen, the Kelvara rail firm,
Varna Steel) and labelled by hand; real spaCy parses.
"""

from __future__ import annotations

import pytest

from assistant import antonyms, roles, wordnet

# (answer sentence, passage sentence, words the reason must quote): the same doer and thing, the opposite word
MISSTATED = [
    ("Varna Steel closed its Orlen mill in May.", "Varna Steel opened its Orlen mill in May.", ["opened", "closed"]),
    ("The Orlen jury acquitted the former Kelvara Rail director.",
     "The Orlen jury convicted the former Kelvara Rail director.", ["convicted", "acquitted"]),
    ("Varna Steel's takeover of the Orlen mill was ruled illegal.",
     "Varna Steel's takeover of the Orlen mill was ruled legal.", ["legal", "illegal"]),
    ("Varna Steel sold its stake in Kelvara Rail last year.",
     "Varna Steel bought a stake in Kelvara Rail last year.", ["bought", "sold"]),
    ("Kelvara Rail hired 300 workers at its Orlen depot.",
     "Kelvara Rail fired 300 workers at its Orlen depot.", ["fired", "hired"]),
    ("The Orlen team lost the regional final.", "The Orlen team won the regional final.", ["won", "lost"]),
]

# (answer sentence, passage sentence): the same meaning, or opposite words said of different doers or things
FAITHFUL = [
    ("Kelvara Rail bought the Orlen depot from Varna Steel.", "Varna Steel sold the Orlen depot to Kelvara Rail."),
    ("Varna Steel lost the Orlen contract to Kelvara Rail.", "Kelvara Rail won the Orlen contract from Varna Steel."),
    ("The Orlen court upheld the ban on night trains.", "The Orlen court upheld the ban on night trains."),
    ("The Orlen jury did not acquit the Kelvara Rail director.",
     "The Orlen jury did not acquit the Kelvara Rail director."),
    ("Varna Steel hired 300 workers at its Orlen mill.",
     "Varna Steel hired 300 workers at its Orlen mill, while Kelvara Rail fired 40."),
]


@pytest.mark.parametrize("claim,unit,words", MISSTATED)
def test_an_opposite_word_of_the_same_doer_and_thing_is_a_reversal(claim, unit, words):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == "direction", found
    assert all(w in found.reason for w in words), found.reason


@pytest.mark.parametrize("claim,unit", FAITHFUL)
def test_converses_and_opposites_of_others_are_no_reversal(claim, unit):
    assert roles.conflict(claim, unit) is None


def test_the_table_reads_both_ends_and_only_its_part_of_speech():
    win = {dim for dim, _ in antonyms.opposites("win", "VERB")}
    lose = dict(antonyms.opposites("lose", "VERB"))
    assert win & lose.keys() and all(lose[d] == -dict(antonyms.opposites("win", "VERB"))[d] for d in win & lose.keys())
    assert antonyms.opposites("win", "PROPN") == () and antonyms.opposites("zzyzx", "VERB") == ()


def test_the_table_is_rebuilt_from_a_wordnet_database(tmp_path):
    # synthetic WNDB file: two verb synsets whose first words point at each other as antonyms
    line = "{own} 29 v 01 {word} 0 001 ! {other} v 0101 | made up\n"
    (tmp_path / "data.verb").write_text("  licence line\n" + line.format(own="00000001", word="orlenise",
                                                                        other="00000002") +
                                        line.format(own="00000002", word="unorlenise", other="00000001"))
    for pos in ("adj", "noun"):
        (tmp_path / f"data.{pos}").write_text("  licence line\n")
    assert wordnet.antonym_pairs(tmp_path) == [("verb", "orlenise", "unorlenise")]


@pytest.mark.parametrize("claim,unit", [
    ("Ida Varga is not the head of the Orlen rail club.", "Ida Varga, the former head of the Orlen rail club, spoke."),
    ("Varna Steel did not close its Orlen mill in May.", "Varna Steel closed its Orlen mill in May."),
    # both ends in the answer, one of them the passage's own word: a listing, no reversal
    ("Between its first and last Orlen depots, opened in 2008 and 2019, Kelvara Rail took 11 years.",
     "Kelvara Rail opened its first Orlen depot in 2008 and its last depot in 2019."),
])
def test_the_same_opposite_word_negated_is_left_to_the_negation_rule(claim, unit):
    found = roles.conflict(claim, unit)
    assert found is None or found.rule != "direction", found
