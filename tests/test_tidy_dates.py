"""Time orders date their sides with the one reading of dates (assistant/written_dates.py), not a second set of
regexes in assistant/sequence.py. Every sentence is synthetic (the Orlen Open, Varna Steel), made up for the test."""

from __future__ import annotations

from datetime import date

import pytest

from assistant import sequence, written_dates
from assistant.arcs import sentence

# synthetic: the year is written once, in the event's name; the practice day takes it
TOURNAMENT = "The 2031 Orlen Open runs April 8-11 at Varna Park. Practice rounds at Varna Park begin Monday, April 5."
# synthetic: the year is written with the tournament's days only: the practice day's year is not written
TOURNAMENT_DATED = "The Orlen Open runs April 8-11, 2031 at Varna Park. Practice rounds at Varna Park begin April 5."


@pytest.mark.parametrize("text", ["Varna Steel opened on 5 October 2031.", "Varna Steel opened on October 5, 2031.",
                                  "The Orlen fair runs 2–15 July 2031.", "Varna Steel opened in May of 2031.",
                                  "Varna Steel opened in 2031.", "The Orlen fair runs April 8-11."])
def test_days_are_the_dates_written_dates_reads(text):
    (span,) = sequence.days(text)
    whens = written_dates.dates(text)
    assert span.first == min(w.first() for w in whens) and span.last == max(w.last() for w in whens)
    assert span.yearless == any(w.yearless for w in whens)


def test_a_range_is_one_span_and_a_day_comes_before_a_year():
    spans = sequence.days("In 2031 the Orlen fair ran 2–15 July.")
    assert (spans[0].first, spans[0].last) == (date(2031, 7, 2), date(2031, 7, 15))
    assert (spans[1].first, spans[1].last) == (date(2031, 1, 1), date(2031, 12, 31))


@pytest.mark.parametrize("text", ["The mayor 5 said so.", "Varna Steel earned $2031 million."])
def test_words_and_amounts_are_no_dates(text):
    assert sequence.days(text) == []


def test_a_yearless_day_names_the_same_day_of_a_written_year():
    (yearless,) = sequence.days("Practice begins April 5.")
    (dated,) = sequence.days("Practice begins April 5, 2031.")
    (other,) = sequence.days("Practice begins April 6, 2031.")
    assert yearless.names(dated) and not yearless.names(other) and not dated.names(yearless)


def test_an_order_the_passage_dates_turn_round_is_misdated():
    claim = sentence("Practice rounds at Varna Park begin after the Orlen Open has ended.")
    reason = sequence.misdated(claim, TOURNAMENT)
    assert "Practice rounds" in reason and "runs April 8-11" in reason


def test_a_year_written_with_one_side_only_is_no_day_by_day_order():
    claim = sentence("Practice rounds at Varna Park begin after the Orlen Open has ended.")
    assert sequence.misdated(claim, TOURNAMENT_DATED) == ""
    (practice,) = sequence.days("Practice rounds at Varna Park begin April 5, as the Orlen Open runs in 2031.")[:1]
    assert practice.yearless and practice.first == date(2031, 4, 5)  # dated in the year beside it, not written so


@pytest.mark.parametrize("passage", [TOURNAMENT, TOURNAMENT_DATED])
def test_the_order_the_passage_dates_give_is_not_misdated(passage):
    claim = sentence("Practice rounds at Varna Park begin before the Orlen Open runs.")
    assert sequence.misdated(claim, passage) == ""
