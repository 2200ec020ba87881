"""The eval's verifier figures: sentences left in the shown text and sentences removed are counted apart."""

from __future__ import annotations

from assistant.types import Answer, SentenceCheck
from eval.harness import attempt_from_answer


def answer(text: str, checks: list[SentenceCheck]) -> Answer:
    return Answer(question="q", text=text, citations=[], abstained=False, mode="openai", verification=checks)


def test_removed_sentences_are_not_counted_as_left_in():
    checks = [SentenceCheck("SenseTime bought 40,000 chips.", [1], True, "supported by [1]"),
              SentenceCheck("NVIDIA bought 40,000 SenseTime chips.", [], False, "the passage says ...", "role")]
    attempt = attempt_from_answer(answer("SenseTime bought 40,000 chips. [1]", checks), 10.0)
    assert attempt.unsupported == 0 and attempt.removed == 1


def test_an_unsupported_sentence_still_in_the_shown_text_is_left_in():
    checks = [SentenceCheck("Xu Bing is pessimistic.", [], False, "the passage says the reverse", "direction")]
    attempt = attempt_from_answer(answer("Xu  Bing is pessimistic. [1]", checks), 10.0)
    assert attempt.unsupported == 1 and attempt.removed == 0


def test_extractive_fallback_counts_the_llm_sentences_as_removed():
    checks = [SentenceCheck("The gap is fivefold.", [], False, "[1] does not mention 5", "facts"),
              SentenceCheck("The articles do not contain the answer.", [], False, "the model said ...", "abstention")]
    attempt = attempt_from_answer(answer("Xu Bing pointed out a tenfold gap. [1]", checks), 10.0)
    assert (attempt.unsupported, attempt.removed) == (0, 1)
