"""How web snippets and fact pages write facts: a trademark sign on a name, a date in figures, "two dozen", a name
cut off by an ellipsis, a span in hours or minutes. Synthetic sentences about the made-up town of Orlen and its
Kelvara Rail company, both ways: the faithful paraphrase keeps its facts, a misstatement still lacks one."""

from __future__ import annotations

import pytest

from assistant.claims import claim_facts, names, numbers, passage_facts
from assistant.written_dates import When, dates, spelled_numeric, written_at


def _missing(claim: str, passage: str) -> set[str]:
    return claim_facts(claim).missing_from([passage_facts(passage)])


def test_a_trademark_sign_is_no_part_of_the_name():
    assert names("Orlen Quest™ 2 and Orlen Kart® are out.") == {"orlen": "Orlen", "quest": "Quest", "kart": "Kart"}
    assert not _missing("Orlen Quest 2 came out on 1st December 2017.",
                        "Digital. Orlen Quest™ 2. Release date. December 1, 2017 ...")


@pytest.mark.parametrize("written,day", [
    ("Release: 6/19/2020 ;", When(2020, 6, 19)),  # month first, as American pages write it
    ("on 19/6/2020 in Orlen", When(2020, 6, 19)),  # 19 cannot be a month
    ("updated 2020-06-19.", When(2020, 6, 19)),
    ("09/02/2022 launch", When(2022, 9, 2)),
])
def test_a_date_in_figures_is_a_day(written, day):
    assert dates(written) == (day,)
    start, end, _ = written_at(written)[0]
    assert written[start:end].strip(" ;.").replace("-", "/").count("/") == 2


@pytest.mark.parametrize("text", ["a 6/19 split", "won 6/4 6/3", "13/13/2020", "rated 4/5", "1/2 of 2020"])
def test_figures_that_are_no_day_stay_as_they_are(text):
    assert spelled_numeric(text) == text
    assert not any(w.day for w in dates(text))


def test_a_date_in_figures_states_the_written_date_and_no_other():
    passage = "Orlen Quest II ; Platform: PS4 ; Release: 6/19/2020 ; Publisher: Kelvara Rail"
    assert not _missing("Orlen Quest II was released for PS4 on June 19, 2020.", passage)
    assert _missing("Orlen Quest II was released for PS4 on July 19, 2020.", passage) == {"July"}
    assert _missing("Orlen Quest II was released on June 18, 2020.", passage) == {"18"}
    # and the other way round: a claim in figures, a passage in words
    assert not _missing("It was released on 6/19/2020.", "Orlen Quest II was released on June 19, 2020.")
    assert _missing("It was released on 7/19/2020.", "Orlen Quest II was released on June 19, 2020.") == {"July"}


@pytest.mark.parametrize("text,value", [("two dozen yellow cards", "24"), ("3 dozen eggs", "36"),
                                        ("half a dozen titles", "6"), ("a dozen bridges", "12")])
def test_dozens_count(text, value):
    assert value in numbers(text)


def test_dozens_without_a_count_are_no_number():
    assert numbers("dozens of bridges") == {}


def test_a_name_a_snippet_cuts_off_goes_on_as_the_claim_writes_it():
    passage = "Orlen Quest, developed by Varna Games and published by Kelvara Rail ..."
    assert not _missing("Kelvara Rail Entertainment published Orlen Quest.", passage)
    assert not _missing("Kelvara Rail Entertainment Europe published Orlen Quest.", passage)
    # only the name the ellipsis cuts: another name, or one not going on from it, is still not stated
    assert _missing("Varna Games Entertainment published Orlen Quest.", passage) == {"Entertainment"}
    assert _missing("Kelvara Sports Entertainment published Orlen Quest.", passage) == {"Sports", "Entertainment"}
    assert _missing("Kelvara Rail published it with Sony.", passage) == {"Sony"}


@pytest.mark.parametrize("claim,passage", [
    ("Orlen's half-hour rail show airs on Monday.", "Orlen's 30-minute rail show will air on Monday."),
    ("The Orlen film runs two hours.", "The Orlen film runs 120 minutes."),
    ("The Orlen film runs 90 minutes.", "The Orlen film runs 1.5 hours."),
])
def test_a_span_in_hours_states_the_same_span_in_minutes(claim, passage):
    assert not _missing(claim, passage)


def test_another_span_in_hours_or_minutes_is_still_missing():
    assert _missing("The Orlen film runs three hours.", "The Orlen film runs 120 minutes.")
    assert _missing("The Orlen show lasts 45 minutes.", "Orlen's half-hour rail show airs on Monday.")


@pytest.mark.parametrize("claim,passage", [
    ("Orlen Rail posted a fourth consecutive quarterly profit.",
     "Orlen Rail posted its fourth straight quarterly profit."),
    ("Ida Varga won the Orlen title for a second straight year.", "Ida Varga won the Orlen title for the second year "
                                                                  "in a row."),
    ("Ida Varga won the Orlen title for the second time.", "Ida Varga won the Orlen title for a second straight year."),
])
def test_a_streak_is_a_count_stated_in_any_of_its_words(claim, passage):
    assert not _missing(claim, passage)


def test_a_streak_the_passage_does_not_count_is_missing():
    assert _missing("Orlen Rail posted a fourth straight quarterly profit.",
                    "Orlen Rail posted its third straight quarterly profit.") == {"4"}
    assert _missing("Orlen Rail released its Q2 report, its fourth straight quarterly profit.",
                    "Orlen Rail has just released its Q2 2020 report.") == {"4"}


def test_a_time_zone_written_short_states_its_name():
    passage = "On Jan. 6, 2023, at 12:00 a.m. PT/3:00 a.m. ET the Orlen show will release on Kelvara TV."
    assert not _missing("The Orlen show comes out at 12:00 a.m. Pacific time (3:00 a.m. Eastern) on January 6, 2023.",
                        passage)
    assert not _missing("It airs at 9 p.m. ET.", "It airs at 9 p.m. Eastern Time.")
    assert _missing("The Orlen show comes out at 12:00 a.m. Central time.", passage) == {"Central"}


def test_a_time_zone_written_short_is_kept_by_the_verifier(verifier):
    from assistant.types import Chunk

    passage = "On Jan. 6, 2023, at 12:00 a.m. PT/3:00 a.m. ET the Orlen show will release on Kelvara TV."
    passages = verifier.passages([Chunk("z-0", "z", passage, 0, len(passage))])
    claim = "The Orlen show was set to release on Kelvara TV at 12:00 a.m. Pacific time on January 6, 2023 [1]."
    check = verifier.verify(claim, passages).checks[0]
    assert check.supported, check.reason
