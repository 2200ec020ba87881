"""What a question asks for, and which values of a unit can answer it: a count is no answer to "when", money
is none to "how many employees", the day of a written date is no count, and a question's number is read as the
verifier reads a claim's ("ten years" is stated by "the past decade")."""

from __future__ import annotations

import pytest

from assistant import nlp
from assistant.claims import passage_facts, passage_numbers
from assistant.lexical import BM25Index
from assistant.question import asked_kinds, expected_labels, read_question
from assistant.reader_features import FEATURES, answer_values, asked_numbers, build_units, measure
from assistant.types import Chunk, Hit


@pytest.mark.parametrize("question,wanted,not_wanted", [
    ("When was the Orlen ferry launched?", nlp.TIME, nlp.COUNT),
    ("What time does the Orlen ferry leave?", nlp.TIME, nlp.COUNT),
    ("How long did the Orlen crossing take?", nlp.TIME | nlp.COUNT, frozenset()),
    ("In what year was the Orlen line founded?", nlp.TIME | nlp.COUNT, frozenset()),
    ("How many employees does Orlen Rail have?", nlp.COUNT, nlp.MONEY),
    ("How many billion dollars did Orlen Rail raise?", nlp.COUNT | nlp.MONEY, frozenset()),
    ("How much did Orlen Rail pay for the ferry?", nlp.MONEY, frozenset()),
])
def test_the_kind_of_answer_follows_the_wh_phrase(question, wanted, not_wanted):
    labels = expected_labels(question)
    assert wanted <= labels, question
    assert not labels & not_wanted, question


def test_how_many_asks_one_kind_only():
    # "how many" matched the general amount pattern too: it must not add money as a second thing asked
    assert asked_kinds("How many depots does Orlen Rail run?") == [nlp.COUNT]
    assert asked_kinds("How many depots does Orlen Rail run, and when did it open the first?") == [nlp.COUNT,
                                                                                                 nlp.TIME]


def _values(question: str, text: str) -> list[str]:
    return [w for w, _ in answer_values(read_question(question), text, 0, tuple(nlp.entities([text])[0])).values()]


def test_the_day_of_a_written_date_is_no_count():
    # Synthetic snippet (not news), written as search results date theirs.
    text = "Apr 11, 2031 ... Ida Varga wins the Orlen Open by four strokes."
    found = _values("By how many strokes did Ida Varga win the Orlen Open?", text)
    assert "11" not in found and "2031" not in found
    assert "four" in found
    assert _values("By how many strokes did Ida Varga win the Orlen Open?",
                   "Apr 11, 2031 ... Ida Varga wins the Orlen Open.") == []


def test_a_bare_count_is_no_answer_to_when():
    # Synthetic sentence (not news): "5" names a model, not a time.
    found = _values("When was the Orlen Phone 7 announced?", "Orlen has announced a new phone, the Orlen Phone 5.")
    assert found == []


def test_money_is_no_answer_to_how_many():
    found = _values("How many employees did Orlen Rail have when Varna bought it?",
                    "In 2031 Varna bought Orlen Rail for $19 billion.")
    assert not any("19" in w for w in found)


def _measured_units(question: str, text: str) -> list:
    chunk = Chunk(id="c-0", article_id="c", text=text, start=0, end=len(text), title="Synthetic")
    q = read_question(question)
    hits = [Hit(chunk=chunk, score=1.0)]
    units = build_units(q, hits, {chunk.id: nlp.entities([text])[0]})
    measure(q, units, hits, BM25Index.build([chunk.id], [text], generation=1))
    return units


def _numbers_missing(question: str, text: str) -> float:
    return _measured_units(question, text)[0].x[FEATURES.index("numbers_missing")]


@pytest.mark.parametrize("question,text,missing", [
    # the same number in other words: not missing
    ("How many trains has Orlen Rail bought over the last ten years?",
     "Over the past decade, Orlen Rail has bought more than 400 trains.", 0.0),
    ("Did Orlen Rail spend about $56 billion?", "Orlen Rail spent $55.5 billion on new lines.", 0.0),
    ("Which line opened in the eleventh month?", "The 11th month saw the Varna line open.", 0.0),
    # another number: missing
    ("Who won the 2030 Orlen Open?", "Ida Varga won the 2031 Orlen Open.", 1.0),
    ("When did season 10 of Orlen Nights premiere?", "The eleventh season of Orlen Nights premiered in May.", 1.0),
])
def test_a_question_number_is_read_as_the_fact_check_reads_it(question, text, missing):
    assert _numbers_missing(question, text) == missing


def test_the_question_numbers_have_no_names():
    asked = asked_numbers("How many Orlen trains ran in 2031?")
    assert asked.names == {} and "2031" in asked.numbers


def test_passage_numbers_are_those_of_the_passage_facts():
    text = "Over the past decade Orlen ran an eleventh line; all but two of 22 depots opened."
    numbers = passage_numbers(text)
    assert {"10", "11"} <= set(numbers)
    assert set(numbers) <= set(passage_facts(text).numbers)
    assert "20" in passage_facts(text).numbers and "20" not in numbers  # added by the facts, not into the cache
    assert "20" not in passage_numbers(text)


@pytest.mark.parametrize("question,names", [
    # a request or an opening phrase is capitalised only as the first word: no name
    ("Name the director of Orlen Nights.", {"orlen", "night"}),
    ("Apart from Varna, which city has a depot of Orlen Rail?", {"varna", "orlen", "rail"}),
    ("Besides trains, what did Orlen Rail buy?", {"orlen", "rail"}),
    # a name that opens the question stays one
    ("Orlen Rail bought how many trains?", {"orlen", "rail"}),
    # initials with dots are one name ("U.S." as "US")
    ("Who won the U.S. Orlen Open?", {"us", "orlen", "open"}),
])
def test_the_names_a_question_asks_about(question, names):
    assert names <= read_question(question).names, question
    assert not {"name", "apart", "besid", "u"} & read_question(question).names, question


@pytest.mark.parametrize("question", ["Name the filmmaker behind Orlen Nights.", "Which composer scored Orlen Nights?"])
def test_a_request_for_a_person_asks_for_one(question):
    assert nlp.PERSON <= expected_labels(question)


def _names_missing(question: str, text: str) -> float:
    units = _measured_units(question, text)
    last = next(u for u in units if u.start == max(x.start for x in units))  # the text's last sentence alone
    return last.x[FEATURES.index("names_missing")]


@pytest.mark.parametrize("question,text,missing", [
    # "the country" stands for the last country named before it
    ("Which rail lines has Poland built?", "Poland is growing fast. The country has built three rail lines.", 0.0),
    ("Which rail lines has Hungary built?", "Poland is growing fast. The country has built three rail lines.", 1.0),
    # initials, dotted or not, and an officer's title as its letters
    ("Who won the U.S. Orlen Open?", "Ida Varga won the US Orlen Open.", 0.0),
    ("Who is the CEO of Orlen Rail?", "Ida Varga is chief executive of Orlen Rail.", 0.0),
])
def test_a_name_stated_in_other_words_is_not_missing(question, text, missing):
    assert _names_missing(question, text) == missing


@pytest.mark.parametrize("question,wanted", [
    # a wh-word that opens a relative clause asks nothing: the question's own wh-phrase does
    ("According to the woman who runs Orlen Rail, how many trains has it bought?", nlp.COUNT),
    ("By when does the firm whose founder spoke want to open the Varna line?", nlp.TIME),
    ("What is the aim of the firm whose founder spoke on May 3?", frozenset()),
    # a count of years may be a span ("the past decade")
    ("Over how many years did Orlen Rail buy its trains?", nlp.TIME | nlp.COUNT),
    # an idiom is no question of time; after "what", only the noun it asks about says the kind
    ("What is Orlen Rail confident about when it comes to the Varna line?", frozenset()),
    ("What role in the European rail arena does Orlen want to play?", frozenset()),
    ("What is the premiere date of Orlen Nights season 3?", nlp.TIME),
    ("What is the name of the CEO of Orlen Rail?", nlp.PERSON),
    ("Name the person who ran Orlen Rail in the year 2031.", nlp.PERSON),
    ("Orlen Nights 2031 premiere date", nlp.TIME),
])
def test_the_kind_asked_is_the_question_s_own(question, wanted):
    labels = expected_labels(question)
    assert labels == wanted if not wanted else wanted <= labels, (question, labels)


def test_whose_asks_for_the_name_that_owns_the_thing():
    text = "On May 3, Orlen Rail's chief, Ida Varga, said the firm has bought more than 400 Kestrel trains."
    whose = read_question("Whose trains has Orlen Rail bought?")
    assert whose.whose and not read_question("What did the firm whose chief spoke buy?").whose
    found = {w for w, _ in answer_values(whose, text, 0, nlp.entities([text])[0]).values()}
    assert "Kestrel" in found and "Ida Varga" not in found
    who = {w for w, _ in answer_values(read_question("Who said Orlen Rail bought trains?"), text, 0,
                                       nlp.entities([text])[0]).values()}
    assert "Ida Varga" in who
