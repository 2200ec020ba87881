"""Sentence vectors stored at ingest: every passage sentence has one, answers read them instead of
embedding, and they change no answer."""

from __future__ import annotations

import numpy as np

from assistant.sentence_vectors import SentenceVectors
from assistant.sentences import chunk_sentences

from .conftest import write_synthetic_articles


class CountingEmbedder:
    """The session's real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.identity, self.texts = inner, inner.identity, []

    def warm(self) -> None:
        self.inner.warm()

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


def _all_chunks(bot):
    return list(bot.index.catalog.chunks(sorted(bot.index.catalog.chunk_ids())).values())


def test_ingest_stores_a_vector_for_every_sentence_close_to_a_fresh_embedding(make_bot, embedder, tmp_path):
    facts = write_synthetic_articles(tmp_path / "articles", 4)
    bot = make_bot()
    bot.ingest(tmp_path / "articles", progress=False)
    texts = [s.text for c in _all_chunks(bot) for s in chunk_sentences(c)]
    stored = bot.index.sentence_vectors.get(embedder.identity, texts)
    assert set(stored) == set(texts) and len(facts) == 4
    fresh = embedder.embed(texts[:12])
    for text, vector in zip(texts[:12], fresh, strict=True):
        assert float(stored[text] @ vector) > 0.999


def test_an_extractive_answer_embeds_only_the_question(make_bot, embedder, tmp_path):
    facts = write_synthetic_articles(tmp_path / "articles", 6, seed=3)
    counting = CountingEmbedder(embedder)
    from assistant import Assistant

    bot = make_bot()
    bot.ingest(tmp_path / "articles", progress=False)
    reader = Assistant(bot.settings, embedder=counting)
    reader.warm()  # embeds a warm-up text
    counting.texts.clear()
    fact = next(iter(facts.values()))
    answer = reader.ask(fact["question"], mode="extractive")
    assert fact["answer"] in answer.text
    assert counting.texts == [fact["question"]]


def test_answers_are_the_same_with_and_without_stored_vectors(make_bot, tmp_path):
    facts = write_synthetic_articles(tmp_path / "articles", 6, seed=5)
    with_vectors = make_bot(data_dir=tmp_path / "with")
    without = make_bot(data_dir=tmp_path / "without", sentence_vectors_at_ingest=False)
    for bot in (with_vectors, without):
        bot.ingest(tmp_path / "articles", progress=False)
    assert not (tmp_path / "without" / "sentence_vectors.sqlite").exists()
    for fact in facts.values():
        a, b = with_vectors.ask(fact["question"], mode="extractive"), without.ask(fact["question"], mode="extractive")
        assert a.text == b.text and a.abstained == b.abstained
        assert abs(a.confidence - b.confidence) < 1e-3


def test_another_embedder_misses_and_rebuild_clears(make_bot, embedder, tmp_path):
    write_synthetic_articles(tmp_path / "articles", 2, seed=7)
    bot = make_bot()
    bot.ingest(tmp_path / "articles", progress=False)
    texts = [s.text for c in _all_chunks(bot) for s in chunk_sentences(c)]
    store = bot.index.sentence_vectors
    assert store.get("another-model", texts) == {}
    store.put("another-model", texts[:1], np.ones((1, 384), dtype=np.float32) / np.sqrt(384))
    assert set(store.get("another-model", texts)) == {texts[0]}
    bot.ingest(tmp_path / "articles", rebuild=True, progress=False)
    assert store.get("another-model", texts) == {}
    assert set(store.get(embedder.identity, texts)) == set(texts)


def test_a_folder_without_the_file_reads_as_empty(tmp_path):
    store = SentenceVectors(tmp_path / "nothing-here")
    assert store.get("any", ["a sentence"]) == {}
    assert not (tmp_path / "nothing-here" / "sentence_vectors.sqlite").exists()
