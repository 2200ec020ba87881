"""Firsts: "Z was the first / oldest / only X" said outright or as a denial about the others ("no X had ever V
before", "until Z, no X had V", "no X is older than Z") is kept against a passage stating it, and read as no
absence and no other party; a denial of it ("was not the first", "another X had already V") and the first given
to another name the passage gives are caught. Synthetic sentences about Orlen."""

from __future__ import annotations

import pytest

from assistant import firsts, roles

FERRY = "Ida Varga, the mayor of Orlen, became the first woman to captain the Kelvara ferry in 2019."
FERRY_APPOSED = "Ida Varga—the first woman and first Norland captain of the Kelvara ferry—retired in 2019."
FAIR = "The Orlen Fair, often called the Fair, is the oldest market in the region, and one of the busiest."
ROWER = "Orlen rower Tomas Reid has won the Kelvara Cup, becoming the first teenager to win the race."
CLINIC = "Orvane, which offers the first booking robot for dental clinics, announced a partnership with Kelvara Health."


@pytest.mark.parametrize("claim, unit", [
    ("Until Ida Varga's 2019 voyage, no woman had ever captained the Kelvara ferry.", FERRY),
    ("Until Ida Varga's 2019 voyage, no woman or Norland captain had ever sailed the Kelvara ferry.",
     FERRY_APPOSED),
    ("No woman had captained the Kelvara ferry before Ida Varga.", FERRY),
    ("Orlen rower Tomas Reid won the Kelvara Cup, something no teenager had ever done before.", ROWER),
    ("No market in the region is older than the Orlen Fair, which is also called the Fair.", FAIR),
    ("Ida Varga was the first woman to captain the Kelvara ferry.", FERRY),
    ("Orvane offers the first booking robot for dental clinics.", CLINIC),
    ("The first woman to captain the Kelvara ferry was Ida Varga.", FERRY),
    ("Ida Varga made history in 2019 as the first woman to captain the Kelvara ferry.", FERRY),
])
def test_a_first_said_either_way_is_kept(claim, unit):
    assert roles.conflict(claim, unit) is None


@pytest.mark.parametrize("claim, unit, rule", [
    ("Ida Varga was not the first woman to captain the Kelvara ferry.", FERRY, "negation"),
    ("Ida Varga, the mayor of Orlen, was not the first Norland captain of the Kelvara ferry.", FERRY_APPOSED,
     "negation"),
    ("Another woman had already captained the Kelvara ferry before Ida Varga.", FERRY, "negation"),
    ("The Orlen Fair is not the oldest market in the region.", FAIR, "negation"),
    ("Tomas Reid was not the first teenager to win the Kelvara Cup.", ROWER, "negation"),
    ("Kelvara Health is the first booking robot for dental clinics.", CLINIC, "role"),
    ("The first woman to captain the Kelvara ferry was not Ida Varga.", FERRY, "negation"),
    ("Ida Varga did not make history as the first woman to captain the Kelvara ferry.", FERRY, "negation"),
    ("Tomas Reid is the first woman to captain the Kelvara ferry.",
     "Ida Varga, not Tomas Reid, became the first woman to captain the Kelvara ferry in 2019.", "role"),
])
def test_a_denied_or_moved_first_is_caught(claim, unit, rule):
    found = roles.conflict(claim, unit)
    assert found is not None and found.rule == rule, found


def test_a_denial_about_the_others_reads_as_a_first_of_the_named_holder():
    (found,) = firsts.firsts("Until Ida Varga's 2019 voyage, no woman had ever captained the Kelvara ferry.")
    assert (found.mark, found.head, found.denied) == ("first", "woman", False)
    assert found.holder.names == {"ida", "varga"}
    (oldest,) = firsts.firsts("No market in the region is older than the Orlen Fair.")
    assert oldest.mark == "oldest" and {"orlen", "fair"} <= oldest.holder.names


def test_no_x_without_a_first_is_still_an_absence():
    assert firsts.nobody("The Kelvara ferry sailed with no passengers on board.") == frozenset()
    found = roles.conflict("The Kelvara ferry sailed with no passengers on board.",
                           "The Kelvara ferry sailed with forty passengers on board.")
    assert found is not None and found.rule == "negation"


def test_the_first_given_to_another_name_needs_that_name_in_the_passage():
    # the passage does not name Telvik: nothing says the first robot is another's, so no role conflict is read
    assert firsts.conflict("Telvik is the first booking robot for dental clinics.", CLINIC) is None


def test_no_x_ever_of_no_one_named_is_an_absence():
    claim = "No team from Orlen has ever hosted the Kelvara Cup."
    assert firsts.nobody(claim) == frozenset()
    found = roles.conflict(claim, "A team from Orlen has hosted the Kelvara Cup twice.")
    assert found is not None and found.rule == "negation"
