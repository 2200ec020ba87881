"""The seed facts come back with a citation quoting them; questions the article cannot answer abstain."""

import pytest

from assistant import CANNOT_ANSWER

from .conftest import SEED_ID

SEED_FACTS = [
    ("How many NVIDIA chips has SenseTime bought?", "40,000"),
    ("Who revealed how many NVIDIA chips SenseTime has acquired?", "Xu Bing"),
    ("On what date did Xu Bing reveal SenseTime's chip purchases?", "May 28"),
    ("When does SenseTime aim to turn profitable?", "one to two years"),
    ("How large is the gap in AI computational power between Asia and the United States?", "tenfold"),
]

MUST_ABSTAIN = [
    "What was SenseTime's revenue in 2023?",
    "What is the capital of France?",
    "How much did SenseTime pay for its NVIDIA chips?",
    "Who is the CEO of NVIDIA?",
]


@pytest.mark.parametrize("question,fact", SEED_FACTS)
def test_seed_fact_answered_with_quoting_citation(seed_bot, question, fact):
    answer = seed_bot.ask(question)
    assert not answer.abstained
    assert answer.mode == "extractive"
    assert fact in answer.text
    assert "[1]" in answer.text
    quoting = [c for c in answer.citations if fact in c.quote]
    assert quoting, f"no citation quotes {fact!r}: {answer.citations}"
    c = quoting[0]
    assert c.article_id == SEED_ID
    assert c.title.startswith("SenseTime Has Purchased")
    assert c.date is None and c.url == ""  # unknown for the seed article, so never invented
    article = seed_bot.index.catalog.article_text(SEED_ID)
    assert article[c.start : c.end] == c.quote


@pytest.mark.parametrize("question", MUST_ABSTAIN)
def test_unanswerable_question_abstains(seed_bot, question):
    answer = seed_bot.ask(question)
    assert answer.abstained
    assert answer.text == CANNOT_ANSWER
    assert answer.citations == []


def test_answer_carries_hits_and_stage_timings(seed_bot):
    answer = seed_bot.ask("How many NVIDIA chips has SenseTime bought?")
    assert answer.hits and all(h.chunk.article_id == SEED_ID for h in answer.hits)
    assert [h.score for h in answer.hits] == sorted((h.score for h in answer.hits), reverse=True)
    for stage in ("embed_ms", "vector_ms", "bm25_ms", "answer_ms", "total_ms"):
        assert answer.timings[stage] >= 0
    data = answer.to_dict()
    assert data["citations"][0]["n"] == 1 and data["citations"][0]["quote"]


def test_citation_numbers_run_from_one(seed_bot):
    answer = seed_bot.ask("Who disclosed SenseTime's chip purchases, and what is the company's profitability goal?")
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert f"[{c.n}]" in answer.text


def test_bad_questions_get_clear_errors(seed_bot):
    from assistant.errors import BadInputError

    for bad in ("", "   \n\t ", "x" * 100_000):
        with pytest.raises(BadInputError):
            seed_bot.ask(bad)
    # Control characters and other scripts are a normal question, not a crash.
    assert seed_bot.ask("SenseTime\x00\x07 芯片 数量?").question


def test_asking_an_empty_index_says_what_to_do(make_bot):
    from assistant.errors import NoIndexError

    with pytest.raises(NoIndexError, match="assistant ingest"):
        make_bot().ask("How many chips?")
