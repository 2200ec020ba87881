"""Mode local: the bundled 270M model only rephrases an answer whose value the reader found, and is
set aside when it drops what the quotes give."""

from __future__ import annotations

import pytest

from assistant import prompts
from assistant.llm import answer_with_llm


def test_when_the_reader_finds_no_value_the_local_model_is_not_asked(seed_llm_bot):
    answer = seed_llm_bot.ask("What is the capital of France?", mode="local")
    assert answer.abstained and answer.mode == "extractive"
    assert answer.note == prompts.LOCAL_STEPS_BACK_NOTE.format(mode="local")
    assert "llm_ms" not in answer.timings


class StandInClient:
    """Stands in for a model that answers the count and leaves out the date (the bundled model did so
    once on the facts; it cannot be made to on demand)."""

    model = "stand-in"

    def __init__(self, reply: str):
        self.reply = reply

    def stream(self, prompt):
        words = self.reply.split(" ")
        yield from (w + " " for w in words[:-1])
        yield words[-1]


@pytest.mark.parametrize("reply, kept", [
    ("Xu Bing revealed that the company has acquired more than 40,000 NVIDIA chips [1].", False),
    ("On May 28, Xu Bing said SenseTime had acquired more than 40,000 NVIDIA chips over the past decade [1].", True),
])
def test_a_local_answer_that_drops_a_number_or_date_of_the_quote_is_set_aside(seed_bot, reply, kept):
    question = "How many chips did SenseTime's co-founder say the company bought, and on what date?"
    reader = seed_bot.ask(question, mode="extractive")
    assert not reader.abstained and "May 28" in reader.text and reader.short_answer
    gen = answer_with_llm(StandInClient(reply), seed_bot.verifier, "local", question,
                          reader, agree_with=reader.short_answer)
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        final = stop.value
    assert (final.text == reader.text) is not kept
    if not kept:
        assert final.note == prompts.LLM_DISAGREES_NOTE.format(mode="local", value=reader.short_answer)
