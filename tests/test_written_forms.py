"""One fact written two ways: a pronoun "one" is no count, "50 cents" is "$0.50", "Oct." is "October". Synthetic
sentences about the made-up town of Orlen, both ways: the faithful paraphrase kept, the misstatement caught."""

from __future__ import annotations

import pytest

from assistant.claims import claim_facts, names, numbers, passage_facts
from assistant.types import Chunk


def _missing(claim: str, passage: str) -> set[str]:
    return claim_facts(claim).missing_from([passage_facts(passage)])


@pytest.mark.parametrize("text", [
    "The fifth season of Orlen Nights was the final one.", "The council wants a new one.", "Orlen kept this one.",
    "The bridge was the first one in Orlen.", "It was the third and final one, which closed in May.",
    "Orlen Mills is one of the biggest employers.", "The only other one is in Kelvara.",
    "Orlen's new one, the Kelvara line, opened."])
def test_a_pronoun_one_is_no_count(text):
    assert "1" not in numbers(text)


@pytest.mark.parametrize("text", [
    "Ida Varga was one of the two finalists.", "Orlen scored one goal.", "Orlen FC won one title.",
    "Orlen FC won one.", "The team scored only one.", "Prices rose a mere one percent.",
    "Orlen won the match two to one.",
    "Orlen hopes to profit within the next one to two years."])
def test_one_that_counts_stays_a_number(text):
    assert "1" in numbers(text)
    assert "1000000000" in numbers("The Orlen fund holds one billion euros.")


def test_a_pronoun_one_needs_no_one_in_the_passage_and_a_counted_one_does():
    passage = "The fifth and last season of the Orlen drama was ordered on May 2, 2022 and premiered on May 9."
    assert not _missing("The Orlen drama's fifth season, ordered on May 2, 2022, was the show's last one and "
                        "premiered on May 9.", passage)
    two = "Two of the three Orlen finalists, Ida Varga and Tomas Reid, won medals."
    assert _missing("One of the three Orlen finalists won a medal.", two) == {"One"}
    assert _missing("Orlen FC won one title in 2020.", "Orlen FC won two titles in 2020.") == {"one"}


@pytest.mark.parametrize(("text", "value"), [
    ("a profit of 50 cents per share", "0.5"), ("a profit of $0.50 per share", "0.5"), ("fifty cents a share", "0.5"),
    ("a dollar and 20 cents", "1.2"), ("two pounds and 5 pence", "2.05"), ("milk rose by 5p a litre", "0.05")])
def test_hundredths_of_a_currency_are_read_in_the_currency(text, value):
    assert value in numbers(text)


def test_cents_are_not_read_into_other_numbers():
    assert numbers("a 1080p screen") == {"1080": "1080"}
    assert numbers("up 5 per cent") == {"5": "5"}


def test_cents_hold_the_same_amount_in_dollars_and_not_another():
    passage = "Orlen Mills made $6 billion in revenue and reported a small profit of $0.50 per share in Q2 2020."
    assert not _missing("Orlen Mills reported a profit of 50 cents per share in Q2 2020.", passage)
    assert _missing("Orlen Mills reported a profit of 60 cents per share in Q2 2020.", passage) == {"60 cents"}
    cents = "Orlen Mills reported a profit of 50 cents per share in Q2 2020."
    assert not _missing("Orlen Mills reported a profit of $0.50 per share in Q2 2020.", cents)
    assert _missing("Orlen Mills reported a profit of $50 per share in Q2 2020.", cents) == {"50"}


def test_a_month_abbreviation_is_the_month():
    assert set(names("Orlen voted on Oct. 9 and Sept 3.")) == {"orlen", "october", "september"}
    assert "march" not in names("Mars Orlen") and "mar" in names("Mars Orlen")
    assert not _missing("Orlen Mills announced the sale on October 9, 2006.", "Oct 9, 2006 ... Orlen Mills "
                        "announced this afternoon that it would sell its mill.")
    assert not _missing("Orlen Mills announced the sale on Oct. 9, 2006.", "On October 9, 2006 Orlen Mills "
                        "announced that it would sell its mill.")
    assert _missing("Orlen Mills announced the sale on November 9, 2006.", "Oct 9, 2006 ... Orlen Mills "
                    "announced this afternoon that it would sell its mill.") == {"November"}


def _check(verifier, claim: str, unit: str):
    passages = verifier.passages([Chunk("o-9", "o", unit, 0, len(unit))])
    return verifier.verify(f"{claim} [1]", passages).checks[0]


def test_the_verifier_keeps_the_same_fact_written_another_way_and_removes_another_fact(verifier):
    unit = "Orlen Mills made $6 billion in revenue and reported a small profit of $0.50 per share (GAAP) in Q2 2020."
    kept = _check(verifier, "In Q2 2020 Orlen Mills reported $6 billion in revenue and a small GAAP profit of 50 "
                            "cents per share.", unit)
    assert kept.supported, kept.reason
    wrong = _check(verifier, "In Q2 2020 Orlen Mills reported $6 billion in revenue and a small GAAP profit of 70 "
                             "cents per share.", unit)
    assert not wrong.supported and wrong.rule == "facts", wrong.reason


def test_a_full_date_is_held_as_one_date_not_by_its_year_elsewhere():
    passage = "November 15, 2012 ... The opening of the Orlen fair is a fitting one for 2020, because it is bleak."
    assert _missing("The Orlen fair opened on Nov 15, 2020.", passage) == {"2020"}
    assert not _missing("The Orlen fair opened on Nov 15, 2012.", passage)
    assert not _missing("The Orlen fair opened on Nov. 15, 2020.", "The Orlen fair opened on November 15, 2020.")


@pytest.mark.parametrize("claim", [
    "Orlen Mills posted $6.3 billion in revenue in Q3 2031.", "Orlen Mills posted $6.3 billion in revenue in 3Q 2031.",
    "Orlen Mills posted $6.3 billion in revenue in the third quarter of 2031."])
@pytest.mark.parametrize("unit", [
    "Orlen Mills's third-quarter results for 2031 showed $6.3 billion in revenue, meeting estimates.",
    "Orlen Mills made $6.3 billion in revenue in Q3 2031, meeting estimates."])
def test_a_quarter_is_the_same_period_however_it_is_written(verifier, claim, unit):
    # "Q3" is no number 3: the passage writing "third-quarter" states it
    assert "3" not in numbers(claim)
    kept = _check(verifier, claim, unit)
    assert kept.supported, kept.reason


@pytest.mark.parametrize("claim", [
    "Orlen Mills posted $6.3 billion in revenue in Q4 2031.", "Orlen Mills posted $6.3 billion in revenue in 4Q 2031.",
    "Orlen Mills posted $6.3 billion in revenue in the fourth quarter of 2031.",
    "Orlen Mills posted $6.3 billion in revenue in Q3 2030."])
@pytest.mark.parametrize("unit", [
    "Orlen Mills's third-quarter results for 2031 showed $6.3 billion in revenue, meeting estimates.",
    "Orlen Mills made $6.3 billion in revenue in Q3 2031, meeting estimates."])
def test_another_quarter_is_another_fact(verifier, claim, unit):
    wrong = _check(verifier, claim, unit)
    assert not wrong.supported, claim


def test_a_half_year_is_read_like_a_quarter(verifier):
    unit = "Orlen Mills made $2.1 billion in revenue in the first half of 2031, up 5% on a year earlier."
    assert "1" not in numbers("Orlen Mills made $2.1 billion in H1 2031.")
    assert _check(verifier, "Orlen Mills made $2.1 billion in revenue in H1 2031.", unit).supported
    assert not _check(verifier, "Orlen Mills made $2.1 billion in revenue in H2 2031.", unit).supported
    assert not _check(verifier, "Orlen Mills made $2.1 billion in revenue in the second half of 2031.", unit).supported
