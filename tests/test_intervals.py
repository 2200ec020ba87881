"""Spans and counts implied by arithmetic over a sentence's own dates and numbers (assistant/intervals.py), on
synthetic sentences about the made-up town of Orlen: the faithful span kept, the wrong one still caught."""

from __future__ import annotations

import pytest

from assistant import claims, intervals, roles, written_dates
from assistant.types import Chunk

DEPOT = "Ida Varga has chaired the Orlen council since August 2014 and the Kelvara board since November 2018."


def _held(claim: str, unit: str) -> bool:
    """The claim's span numbers the unit's facts do not hold only by arithmetic are held."""
    return not claims.claim_facts(claim).missing_from([claims.passage_facts(unit)])


def test_dates_read_days_months_years_and_ranges():
    found = written_dates.dates("On 5 October 2021 the depot opened; the fair ran 2–15 July and closed on October 19.")
    assert written_dates.When(2021, 10, 5) in found and written_dates.When(2021, 10, 19) in found
    assert written_dates.When(2021, 7, 2) in found and written_dates.When(2021, 7, 15) in found
    when = written_dates.When
    assert written_dates.dates("from 2 to 15 July 2018") == (when(2018, 7, 2), when(2018, 7, 15))
    assert written_dates.dates("Orlen may open a depot.") == ()


@pytest.mark.parametrize("span,held", [
    ("more than four years later", True),  # 4 years 3 months
    ("over four years later", True),
    ("about four years later", True),
    ("four years later", True),
    ("nearly four years later", False),  # nearly: under four, and it is over
    ("two years later", False),
    ("more than five years later", False),
    ("51 months later", True),
    ("two months later", False),
])
def test_a_span_between_two_dates_the_claim_states_is_checked_against_the_real_gap(span, held):
    claim = f"Ida Varga, who chaired the Orlen council from August 2014, joined the Kelvara board in November 2018, " \
            f"{span}."
    assert _held(claim, DEPOT) is held


@pytest.mark.parametrize("claim,held", [
    ("The Orlen depot opened in May 2012, nearly four years after it was planned in June 2008.", True),
    ("The Orlen depot opened in May 2012, almost four years after it was planned in June 2008.", True),
    ("The Orlen depot opened in August 2012, nearly four years after it was planned in June 2008.", False),
    ("The Orlen depot opened in May 2012, nearly two years after it was planned in June 2008.", False),
    ("The Orlen depot opened in May 2012, more than four years after it was planned in June 2008.", False),
])
def test_a_hedge_says_on_which_side_of_the_count_the_gap_lies(claim, held):
    unit = "The Orlen depot was planned in June 2008 and opened in May 2012 and in August 2012."
    assert _held(claim, unit) is held


def test_weeks_and_days_need_days_and_a_comparison_with_the_usual_is_no_gap():
    unit = "On October 5, 2021, Tomas Reid announced the Orlen fair for October 19."
    assert _held("On 5 October 2021 Tomas Reid announced the Orlen fair, two weeks later on 19 October.", unit)
    assert not _held("On 5 October 2021 Tomas Reid announced the Orlen fair, three weeks later on 19 October.", unit)
    assert not _held("On 5 October 2021 Tomas Reid announced the Orlen fair, 12 days later on 19 October.", unit)
    assert intervals.said_spans("The Orlen fair of 2021 was held on July 29, 2021, a month later than usual.") == ()
    assert not intervals.held_in("The Orlen fair was held in July 2021, a month after the 2021 vote.",
                                 "The Orlen fair was held in July 2021 and the vote in 2021.")


@pytest.mark.parametrize("claim,held", [
    ("Orlen sent a rower to all but two of the last 22 Kelvara regattas.", True),
    ("Orlen sent a rower to all but three of the last 22 Kelvara regattas.", False),
    ("Orlen sent a rower to all but two of the last 24 Kelvara regattas.", False),
])
def test_all_but_n_of_m_is_m_minus_n_of_m(claim, held):
    assert _held(claim, "Orlen has sent a rower to 20 of the last 22 Kelvara regattas.") is held


def test_a_passage_s_all_but_states_the_rest():
    unit = "Orlen has sent a rower to all but two of the last 22 Kelvara regattas."
    assert _held("Orlen has sent a rower to 20 of the last 22 Kelvara regattas.", unit)
    assert not _held("Orlen has sent a rower to 19 of the last 22 Kelvara regattas.", unit)


@pytest.mark.parametrize("count,held", [("75", True), ("seventy-five", True), ("60", False), ("80", False)])
def test_the_first_time_in_n_years_counts_from_since_to_the_passage_date(count, held):
    unit = "Apr 30, 2018 ... ORLEN — For the first time since 1943, the Kelvara regatta may not be held this year."
    claim = f"For the first time in {count} years, the Kelvara regatta may not be held this year."
    assert _held(claim, unit) is held
    assert (roles.conflict(claim, unit) is None) is held


def test_the_same_year_holds_when_both_facts_share_the_one_year():
    one = "In 2014, Ida Varga became mayor of Orlen and chair of the Kelvara board."
    two = "In 2014, Ida Varga became mayor of Orlen. In 2016 she became chair of the Kelvara board."
    claim = "Ida Varga became mayor of Orlen in 2014, the same year she was named chair of the Kelvara board."
    assert intervals.held_in(claim, one) and not intervals.held_in(claim, two)
    assert not intervals.held_in(claim.replace("2014", "2016"), one)


def test_the_verifier_keeps_a_right_span_and_removes_a_wrong_one(verifier):
    passages = verifier.passages([Chunk("d-0", "d", DEPOT, 0, len(DEPOT))])
    right = "Ida Varga, chair of the Orlen council since August 2014, took over the Kelvara board in November 2018, " \
            "more than four years later."
    assert verifier.verify(f"{right} [1]", passages).checks[0].supported
    wrong = right.replace("more than four", "two")
    check = verifier.verify(f"{wrong} [1]", passages).checks[0]
    assert not check.supported and "two" in check.reason


def test_a_span_that_fits_a_wrong_date_does_not_excuse_the_date():
    claim = "Ida Varga, who chaired the Orlen council from August 2014, joined the Kelvara board in November 2019, " \
            "more than five years later."
    assert claims.claim_facts(claim).missing_from([claims.passage_facts(DEPOT)]) == {"2019"}


FAIR = "Mar 30, 2021 ... The Orlen fair runs 8–11 May 2021 at the Kelvara grounds. Rehearsals begin on 5 May."


@pytest.mark.parametrize("span,held", [
    ("three days before the fair opens", True),
    ("four days before the fair opens", False),
    ("two days before the fair opens", False),
    ("three days after the fair opens", False),  # the rehearsals are before it, not after
    ("six days before the fair closes", True),  # 11 May, the fair's other end
])
def test_a_span_may_run_to_a_date_the_passage_gives_what_the_span_names(span, held):
    assert _held(f"Rehearsals begin on 5 May 2021, {span}.", FAIR) is held


def test_the_other_end_must_be_a_date_of_what_the_span_names():
    # 30 March is only the date line, 5 May dates the rehearsals: neither is the Kelvara vote's date
    assert not _held("Rehearsals begin on 5 May 2021, 36 days after the Kelvara vote.", FAIR)
    assert not _held("The Orlen fair opened on 8 May 2021, three days later than usual after the rehearsals.", FAIR)


@pytest.mark.parametrize("year,held", [("2011", True), ("2012", False), ("2010", False)])
def test_a_year_the_passage_implies_by_a_span_from_its_date_line_is_stated(year, held):
    unit = "Updated 9:25 AM, Tue August 24, 2021. Ida Varga became mayor of Orlen 10 years ago."
    assert _held(f"Ida Varga became mayor of Orlen in {year}.", unit) is held


def test_a_day_the_passage_implies_by_a_span_from_its_own_date_is_stated():
    unit = "Tomas Reid announced the Orlen fair on 5 October 2021. Two weeks later the fair opened."
    assert _held("The Orlen fair opened on 19 October 2021.", unit)
    assert not _held("The Orlen fair opened on 26 October 2021.", unit)
    assert _held("The Orlen fair opened on 19 October 2021, two weeks after Tomas Reid announced it.", unit)
    assert not _held("The Orlen fair opened on 19 October 2021, three weeks after Tomas Reid announced it.", unit)


@pytest.mark.parametrize("span,held", [
    ("roughly two months", True), ("nearly two months", True), ("roughly three months", False),
    ("more than two months", False)])  # 60 days: just under two months
def test_days_written_without_a_year_take_the_passage_s_year(span, held):
    unit = "Jun 20, 2020 ... The Orlen fair will be on October 16, with the entry deadline on August 17."
    assert _held(f"The Orlen fair will be on October 16, {span} after the August 17 entry deadline.", unit) is held


def test_the_same_day_or_week_beside_one_date_the_passage_shares_its_date_line_aside():
    claim = "Orlen said its depot would open on 3 March 2021, and the Kelvara depot {}."
    same = "Jan 12, 2021 ... Orlen said its depot will open on 3 March 2021, alongside the Kelvara depot."
    week = "Jan 12, 2021 ... Orlen's depot opens on 3 March 2021 and the Kelvara depot on {} March 2021."
    assert intervals.held_in(claim.format("that same day"), same)
    assert not intervals.held_in(claim.format("that same day"), week.format(4))
    assert intervals.held_in(claim.format("the same week"), week.format(5))  # Wednesday and Friday
    assert not intervals.held_in(claim.format("the same week"), week.format(10))


def test_the_day_s_is_held_by_a_passage_naming_a_day():
    claim = "Ida Varga clinched the Orlen title on the back of the day's results."
    assert intervals.held_in(claim, "Nov 14, 2019 ... Ida Varga clinched the Orlen title, following today's results.")
    assert not intervals.held_in(claim, "Nov 14, 2019 ... Ida Varga clinched the Orlen title after the results.")


def test_the_verifier_reads_a_year_implied_from_a_date_line_the_sentence_does_not_quote(verifier):
    text = "Updated 9:25 AM, Tue August 24, 2021. Ad Feedback. Ida Varga became mayor of Orlen 10 years ago."
    passages = verifier.passages([Chunk("m-0", "m", text, 0, len(text))])
    assert verifier.verify("Ida Varga became mayor of Orlen in 2011. [1]", passages).checks[0].supported
    check = verifier.verify("Ida Varga became mayor of Orlen in 2012. [1]", passages).checks[0]
    assert not check.supported and "2012" in check.reason


def test_a_date_line_is_set_apart_from_what_the_text_tells():
    assert written_dates.date_line("Jan 12, 2017 ... Orlen has opened a depot.")[2] == written_dates.When(2017, 1, 12)
    assert written_dates.date_line("GDANSK, 5 October 2021 (Reuters) - Orlen opened a depot.") is not None
    # a date inside the first clause is what the text tells, not when it was written
    assert written_dates.date_line("Orlen said on Sep 13, 2022 that it opened a depot.") is None
    assert written_dates.date_line("Orlen opened a depot. Jan 12, 2017 ... more") is None
