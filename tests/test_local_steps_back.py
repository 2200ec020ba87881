"""Mode local: the bundled 270M model only rephrases an answer whose value the reader found."""

from __future__ import annotations

from assistant import prompts


def test_when_the_reader_finds_no_value_the_local_model_is_not_asked(seed_llm_bot):
    answer = seed_llm_bot.ask("What is the capital of France?", mode="local")
    assert answer.abstained and answer.mode == "extractive"
    assert answer.note == prompts.LOCAL_STEPS_BACK_NOTE.format(mode="local")
    assert "llm_ms" not in answer.timings


TWO_PART = "How many chips did SenseTime's co-founder say the company bought, and on what date did he say it?"


class OnePartStandIn:
    """Stands in for the local model on a two-part question: it states the count and leaves out the date, as
    the bundled 270M model did on this question."""

    model = "one-part-stand-in"

    def __init__(self, text: str):
        self.text = text

    def stream(self, prompt):
        yield from self.text.split(" ")[:1] + [" " + w for w in self.text.split(" ")[1:]]


def _extractive(bot, question):
    from assistant.question import read_question

    q = read_question(question)
    hits = bot.retriever.search(question, bot.index.embedder.embed([question])[0], top_k=5, q=q)
    reading = bot.read(q, hits, bot.index.embedder.embed([question])[0])
    return reading, next(a for a in bot.ask_stream(question, mode="extractive") if not isinstance(a, str))


def test_a_rephrasing_must_state_a_value_of_every_kind_asked(seed_bot):
    from assistant.llm import answer_with_llm
    from assistant.reader import found_values

    reading, extractive = _extractive(seed_bot, TWO_PART)
    groups = found_values(reading, TWO_PART)
    assert groups[0] == (extractive.short_answer,) and any("May 28" in g for g in groups[1:]), groups

    def run(text):
        gen = answer_with_llm(OnePartStandIn(text), seed_bot.verifier, "local", TWO_PART,
                              _extractive(seed_bot, TWO_PART)[1], agree_with=groups)
        try:
            while True:
                next(gen)
        except StopIteration as done:
            return done.value

    partial = run("SenseTime's co-founder said it bought more than 40,000 NVIDIA chips [1].")
    assert partial.mode == "extractive" and "May 28" in partial.text and "set aside" in partial.note
    whole = run("On May 28, Xu Bing said SenseTime had acquired more than 40,000 NVIDIA chips [1].")
    assert whole.mode == "local" and whole.text.startswith("On May 28, Xu Bing said"), whole


def test_one_kind_asked_needs_only_the_short_answer(seed_bot):
    from assistant.reader import found_values

    question = "How many NVIDIA chips has SenseTime bought?"
    reading, extractive = _extractive(seed_bot, question)
    assert found_values(reading, question) == ((extractive.short_answer,),)
