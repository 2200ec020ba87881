"""The extractive scorer embeds only the sentences that can still reach the answer: answers must be
exactly those of scoring every sentence, for less embedding work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.claims import is_instruction
from assistant.extractive import candidate_sentences, extractive_answer, score_evidence

ROOT = Path(__file__).resolve().parent.parent
RGB = ROOT.parent / "shared" / "datasets" / "rgb-en-fact"


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed (a spy, not a fake)."""

    def __init__(self, inner):
        self.inner, self.identity, self.texts = inner, inner.identity, 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.inner.embed(texts)


def _answer(bot, question: str, prune: bool):
    vector = bot.index.embedder.embed([question])[0]
    hits = bot.retriever.search(question, vector)
    spy = CountingEmbedder(bot.index.embedder)
    threshold = bot.settings.abstain_threshold
    units = score_evidence(question, vector, candidate_sentences(hits), spy, bot.index.bm25(),
                           threshold=threshold if prune else None, keep=lambda t: not is_instruction(t))
    return extractive_answer(units, threshold, bot.settings.max_answer_sentences), spy.texts


def _compare(bot, questions: list[str]) -> tuple[int, int]:
    pruned_total = full_total = 0
    for question in questions:
        (text, citations, abstained), pruned = _answer(bot, question, prune=True)
        (text_all, citations_all, abstained_all), full = _answer(bot, question, prune=False)
        assert (text, abstained) == (text_all, abstained_all), question
        assert [(c.chunk_id, c.start, c.end) for c in citations] == \
            [(c.chunk_id, c.start, c.end) for c in citations_all], question
        assert pruned <= full, question
        pruned_total, full_total = pruned_total + pruned, full_total + full
    return pruned_total, full_total


def test_pruned_scoring_gives_the_same_answers_on_the_bundled_facts(seed_bot):
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "facts.jsonl").open(encoding="utf-8")]
    pruned, full = _compare(seed_bot, questions)
    assert pruned < full, (pruned, full)


@pytest.mark.slow
def test_pruned_scoring_gives_the_same_answers_on_rgb_questions(make_bot, tmp_path):
    dev = [json.loads(line) for line in (RGB / "dev.jsonl").open(encoding="utf-8")][:30]
    wanted = {pid for q in dev for pid in q["positive_ids"]}
    passages = [line for line in (RGB / "passages.jsonl").open(encoding="utf-8") if json.loads(line)["id"] in wanted]
    folder = tmp_path / "rgb"
    folder.mkdir()
    (folder / "passages.jsonl").write_text("".join(passages), encoding="utf-8")
    bot = make_bot()
    bot.ingest(folder, progress=False)
    pruned, full = _compare(bot, [q["query"] for q in dev])
    assert pruned < full, (pruned, full)
