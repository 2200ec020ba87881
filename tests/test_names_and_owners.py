"""Names and whose fact it is, on synthetic sentences about the made-up town of Orlen: irregular people's names
("the Dutch" for "the Netherlands"), a speaker described in other words, an event recast with its host as subject,
a list of names given a fact, and "both of X" given to names the passage puts with different sides."""

from __future__ import annotations

import pytest

from assistant import claims, relations, roles
from assistant.types import Chunk


@pytest.mark.parametrize("claim,unit,missing", [
    ("Orlen lost to the Dutch in the final.", "Orlen lost to the Netherlands in the final.", set()),
    ("The Swiss beat Orlen.", "Switzerland beat Orlen.", set()),
    ("The French beat Orlen.", "Orlen lost to Spain.", {"French"}),
    ("The Dutch beat Orlen.", "Orlen lost to Belgium.", {"Dutch"}),
])
def test_an_irregular_peoples_name_is_its_place(claim, unit, missing):
    assert claims.claim_facts(claim).missing_from([claims.claim_facts(unit)]) == missing


def test_a_peoples_name_is_no_added_word_where_the_passage_names_its_place():
    from assistant import coverage

    keys = coverage.unit_keys("Orlen lost to the Netherlands in the final.")
    assert coverage._key("Dutch") in keys and coverage._key("Belgian") not in keys


def test_a_speaker_described_in_other_words_is_the_passages_own(verifier):
    unit = "Last week, the Orlen-based furnishings manufacturer announced that Ida Varga would become chief executive."
    passages = verifier.passages([Chunk("o-0", "o", unit, 0, len(unit))])
    kept = "A furniture maker based in Orlen said last week that Ida Varga would become chief executive."
    assert verifier.verify(f"{kept} [1]", passages).checks[0].supported
    added = "Rail analysts said last week that Ida Varga would become chief executive."
    check = verifier.verify(f"{added} [1]", passages).checks[0]
    assert not check.supported and "analysts" in check.reason


HELD = "The 2030 Kelvara Games will be held in Orlen from July 27 to August 12. Kelvara hosted the Games in 1990."


def test_an_event_recast_with_its_host_as_subject_keeps_its_date():
    assert roles.conflict("From July 27 to August 12, Orlen will play host to the 2030 Kelvara Games.", HELD) is None


def test_the_date_of_an_event_given_to_another_hosts_event_is_still_moved():
    unit = "The Kelvara Games were held on May 5, a day after Orlen hosted the harbour fair."
    found = roles.conflict("Orlen hosted the harbour fair on May 5.", unit)
    assert found is not None and found.rule == "role" and "May 5" in found.reason


def test_a_name_put_into_a_list_is_moved():
    unit = "The festival launched the careers of Ida Varga, Tomas Reid, and other newcomers. It also revived Ana Brel."
    found = roles.conflict("The festival launched the careers of Ida Varga, Ana Brel and other newcomers.", unit)
    assert found is not None and found.rule == "role" and "Ana Brel" in found.reason
    same = "The festival launched the careers of Ida Varga, Tomas Reid and other newcomers."
    assert roles.conflict(same, unit) is None


def test_both_of_a_side_is_checked_for_each_name():
    unit = "Joining Ida Varga will be Tomas Reid (Orlen Rovers) and Ana O'Neill (Kelvara United)."
    moved = relations.moved("Ida Varga will be joined by Tomas Reid and Ana O'Neill, both of Orlen Rovers.", unit)
    assert moved is not None and moved.claimed.who == "Ana O'Neill" and moved.said.org == "Kelvara United"
    same = "Joining Ida Varga will be Tomas Reid (Orlen Rovers) and Ana O'Neill (Orlen Rovers)."
    claim = "Ida Varga will be joined by Tomas Reid and Ana O'Neill, both of Orlen Rovers."
    assert relations.moved(claim, same) is None
