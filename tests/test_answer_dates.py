"""The dates a unit offers as answers: a day written without its year takes the year beside it, else the one nearest
the article's date; a snippet's date line dates its article and is the answer only when the text dates nothing
else; and what a question names in another spelling ("United States" for "US") or an adjective ("Democratic") is
no answer. Every text here is synthetic (invented names, future years), written as news and search snippets are."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import nlp
from assistant.question import read_question
from assistant.reader_features import answer_values, build_units, chunk_date
from assistant.relative_dates import year_for
from assistant.types import Chunk, Hit


def _chunk(text: str, date: str | None = None, start: int = 0) -> Chunk:
    return Chunk(id="c1", article_id="a1", text=text, start=start, end=start + len(text), date=date)


def _values(question: str, text: str, date: str | None = None) -> list[str]:
    chunk = _chunk(text, date)
    q = read_question(question)
    units = build_units(q, [Hit(chunk=chunk, score=1.0)], {chunk.id: tuple(nlp.entities([text])[0])})
    whole = next(u for u in units if u.text.strip() == text.strip())
    return list(whole.values.values())


@pytest.mark.parametrize("month,day,article,expected", [
    (11, 15, "2030-11-13", dt.date(2030, 11, 15)),
    (1, 5, "2031-12-28", dt.date(2032, 1, 5)),  # early next year, written in late December
    (12, 30, "2031-01-02", dt.date(2030, 12, 30)),  # the end of last year, written in early January
    (2, 29, "2031-03-01", None),  # no leap day within a year of the article
])
def test_a_day_without_a_year_is_the_one_nearest_the_article(month, day, article, expected):
    assert year_for(month, day, article) == expected


def test_a_date_line_dates_the_article_and_the_body_gives_the_answer():
    text = "Nov 13, 2030 ... All ten episodes of Orlen Nights debut on the Varna channel on Nov 15."
    assert chunk_date(_chunk(text))[0] == "2030-11-13"
    found = _values("When does Orlen Nights premiere?", text)
    assert found == ["Nov 15 (November 15, 2030)"]


def test_the_date_line_answers_when_the_text_dates_nothing_else():
    text = "Oct 19, 2031 ... Orlen has officially announced its new Orlen Phone 6."
    assert _values("When was the Orlen Phone 6 announced?", text) == ["Oct 19, 2031"]


def test_a_date_line_only_opens_an_article():
    # The same words in a later chunk are no date line: the chunk does not open the article.
    text = "Oct 19, 2031 ... Orlen has officially announced its new Orlen Phone 6."
    assert chunk_date(_chunk(text, start=400)) == ("", None)
    assert chunk_date(_chunk(text, date="2031-10-20", start=400)) == ("2031-10-20", None)


def test_the_articles_date_completes_a_day_written_without_its_year():
    text = "Orlen revealed the Orlen Phone 6 at its launch event on 19th October."
    assert _values("When was the Orlen Phone 6 unveiled?", text, date="2031-10-20") == [
        "19th October (October 19, 2031)"]
    # without an article date, no year is invented
    assert _values("When was the Orlen Phone 6 unveiled?", text) == ["19th October"]


def test_a_year_written_beside_the_day_comes_before_the_articles():
    text = "The Orlen line was planned in 2029, and its first train ran on 5 May that year."
    found = _values("When did the first Orlen train run?", text, date="2033-01-10")
    assert "5 May that year (May 5, 2029)" in found


def test_a_completed_day_agrees_with_an_article_writing_it_whole():
    q = read_question("When does Orlen Nights premiere?")
    short = "Nov 13, 2030 ... Orlen Nights debuts on Nov 15."
    whole = "Orlen Nights debuts on November 15, 2030."
    a = answer_values(q, short, 0, tuple(nlp.entities([short])[0]), *chunk_date(_chunk(short)))
    b = answer_values(q, whole, 0, tuple(nlp.entities([whole])[0]))
    assert set(a) == set(b) and len(a) == 1


def test_another_spelling_of_a_name_the_question_gives_is_no_answer():
    found = _values("Who won the US sprint title in Varna?",
                    "Ida Varga of the United States won the sprint title in Varna.")
    assert "United States" not in found
    assert any("Varga" in f for f in found)


def test_an_adjective_of_nationality_or_party_is_no_answer_to_who():
    found = _values("Who won the Orlen mayoral election?",
                    "The Democratic candidate Ida Varga won the Orlen mayoral election.")
    assert "Democratic" not in found
    assert any("Varga" in f for f in found)
