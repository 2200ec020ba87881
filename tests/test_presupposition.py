"""What a question takes as given: the statement read from it, and the reader refusing a unit that
contradicts it. Sentences are synthetic, written for these tests."""

from __future__ import annotations

import json

import pytest

from assistant.presupposition import presupposition


@pytest.mark.parametrize("question,given", [
    ("Why does Xu expect the gap between the two countries to keep widening?",
     "Xu does expect the gap between the two countries to keep widening."),
    ("How many chips does Orvane plan to buy next year?", "Orvane does plan to buy chips next year."),
    ("Which company's chips has Orvane been buying?", "Orvane has been buying chips."),
    ("On what date did Ilse Vanek announce her retirement?", "Ilse Vanek did announce her retirement."),
    ("Why is Orvane going to stop buying chips?", "Orvane is going to stop buying chips."),
    ("According to its founder, how many chips has the company bought?", "the company has bought chips."),
])
def test_inverted_questions_give_their_premise(question, given):
    assert presupposition(question) == given


@pytest.mark.parametrize("question", [
    "Who won the 2033 Lakeside Open?",  # the wh-word is the subject: as_statement puts the answer there
    "What is the capital of Norland?",  # a copula: nothing taken as given but that the capital exists
    "How large is the gap?",
    "How many chips did Orvane buy, and when did it buy them?",  # a second slot would be read as given
    "orvane chip count?",
])
def test_questions_without_a_readable_premise_give_none(question):
    assert presupposition(question) == ""


# A synthetic report (made up, not news): the gap narrows, and the question takes it as widening.
NARROWING = [{"id": "g1", "title": "Synthetic: Orvane closes in", "source": "Outlet A",
              "text": "Analysts at Norbank expect the gap between Orvane and Telvik to keep narrowing, helped by "
                      "cheaper chips and a larger sales team."}]


@pytest.mark.parametrize("check", [True, False])
def test_a_unit_that_contradicts_the_premise_does_not_answer(make_bot, tmp_path, check):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "synthetic.jsonl").write_text(json.dumps(NARROWING[0]) + "\n", encoding="utf-8")
    bot = make_bot(abstain_threshold=0.05, reader_presupposition=check)
    bot.ingest(folder, progress=False)
    answer = bot.ask("Why do analysts at Norbank expect the gap between Orvane and Telvik to keep widening?")
    # without the check the one sentence about the gap answers, at any bar this low: what the check is for
    assert answer.abstained is check
    assert bot.ask("Why do analysts at Norbank expect the gap between Orvane and Telvik to keep narrowing?") \
        .abstained is False
