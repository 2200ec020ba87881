"""Mode local: the bundled 270M model only rephrases an answer whose value the reader found."""

from __future__ import annotations

from assistant import prompts


def test_when_the_reader_finds_no_value_the_local_model_is_not_asked(seed_llm_bot):
    answer = seed_llm_bot.ask("What is the capital of France?", mode="local")
    assert answer.abstained and answer.mode == "extractive"
    assert answer.note == prompts.LOCAL_STEPS_BACK_NOTE.format(mode="local")
    assert "llm_ms" not in answer.timings
