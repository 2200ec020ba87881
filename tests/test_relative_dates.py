"""Days an article gives relative to its own date, made absolute for the short answer."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.relative_dates import resolve, spelled

TUESDAY = "2020-09-08"


@pytest.mark.parametrize("text, expected", [
    ("Monday", dt.date(2020, 9, 7)),
    ("Tuesday", dt.date(2020, 9, 8)),  # the day of publication itself
    ("Wednesday", dt.date(2020, 9, 2)),  # a bare weekday looks back: news reports what happened
    ("last Tuesday", dt.date(2020, 9, 1)),
    ("next Monday", dt.date(2020, 9, 14)),
    ("next Tuesday", dt.date(2020, 9, 15)),
    ("yesterday", dt.date(2020, 9, 7)),
    ("today", dt.date(2020, 9, 8)),
    ("Tomorrow", dt.date(2020, 9, 9)),
])
def test_relative_days_against_the_article_date(text, expected):
    assert resolve(text, TUESDAY) == expected


@pytest.mark.parametrize("text, date", [("Tuesday", ""), ("last week", TUESDAY), ("May 28", TUESDAY),
                                        ("Monday", "not a date")])
def test_what_is_not_a_relative_day_or_has_no_anchor_is_left_alone(text, date):
    assert resolve(text, date) is None


def test_spelled():
    assert spelled(dt.date(2020, 9, 7)) == "September 7, 2020"


def test_the_short_answer_names_the_day_a_weekday_stands_for(make_bot, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "synthetic-plant.md").write_text(
        "---\nid: synthetic-plant\ntitle: Quorvane Works opens a plant\ndate: 2020-09-08\n"
        "source: Synthetic Wire\n---\n\n"
        "This is a synthetic test article, generated for the test suite; none of it is real.\n\n"
        "Quorvane Works opened its new battery plant in Telmar on Monday, the company said.\n",
        encoding="utf-8")
    bot = make_bot()
    bot.ingest(folder, progress=False)
    answer = bot.ask("When did Quorvane Works open its battery plant in Telmar?", mode="extractive", top_k=3)
    assert not answer.abstained
    assert "September 7, 2020" in answer.short_answer
    assert "on Monday" in answer.text  # the quote stays verbatim
