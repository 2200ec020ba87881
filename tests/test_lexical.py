"""The BM25 index: Lucene scores (checked against bm25s), and incremental updates that equal a rebuild."""

from __future__ import annotations

import random

import pytest

from assistant import lexical
from assistant.lexical import BM25Index, tokenize

# Synthetic text, generated here: a Zipf-like vocabulary so that some words are common and most rare.
_WORDS = [f"word{i}" for i in range(400)] + ["chips", "nvidia", "sensetime", "40,000", "2.5", "shanghai"]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(_WORDS))]
    return [" ".join(rng.choices(_WORDS, weights, k=rng.randint(5, 120))) for _ in range(n)]


def _queries(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(_WORDS, rng.randint(1, 6))) for _ in range(40)] + ["nvidia nvidia chips", "40000"]


def test_scores_equal_bm25s_lucene():
    import bm25s  # the reference implementation (a test dependency)

    texts = _texts(300, seed=1)
    ids = [f"c{i}" for i in range(len(texts))]
    ours = BM25Index.build(ids, texts, generation=1)
    ref = bm25s.BM25(method="lucene", k1=lexical.K1, b=lexical.B)
    ref.index([tokenize(t) for t in texts], show_progress=False)
    for query in _queries(2):
        tokens = tokenize(query)
        expected = ref.get_scores(tokens)
        got = ours.scores(tokens)
        assert got, query
        for i, cid in enumerate(ids):
            assert got.get(cid, 0.0) == pytest.approx(float(expected[i]), rel=1e-5, abs=1e-6), (query, cid)


def test_search_orders_best_first_and_leaves_out_unmatched():
    texts = ["nvidia chips nvidia", "chips only here", "nothing relevant", "nvidia once"]
    index = BM25Index.build(["a", "b", "c", "d"], texts, generation=1)
    hits = index.search("nvidia chips", k=10)
    assert [cid for cid, _ in hits][0] == "a"
    assert "c" not in {cid for cid, _ in hits}
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert len(index.search("nvidia chips", k=1)) == 1
    assert index.search("zebra", k=5) == []


def test_incremental_update_equals_a_rebuild():
    texts = _texts(200, seed=3)
    ids = [f"c{i}" for i in range(len(texts))]
    base = BM25Index.build(ids[:150], texts[:150], generation=1)
    removed = set(random.Random(4).sample(ids[:150], 30))
    updated = base.updated(ids[150:], texts[150:], removed, generation=2)
    kept = [(cid, t) for cid, t in zip(ids, texts, strict=True) if cid not in removed]
    rebuilt = BM25Index.build([c for c, _ in kept], [t for _, t in kept], generation=2)
    assert sorted(updated.ids) == sorted(rebuilt.ids) and updated.generation == 2
    for query in _queries(5):
        a, b = updated.scores(tokenize(query)), rebuilt.scores(tokenize(query))
        assert a.keys() == b.keys()
        for cid in a:
            assert a[cid] == pytest.approx(b[cid], rel=1e-6)
        assert [c for c, _ in updated.search(query, 10)] == [c for c, _ in rebuilt.search(query, 10)]
    for word in ("word0", "word399", "chips", "absent"):
        assert updated.idf(word) == pytest.approx(rebuilt.idf(word))
    assert base.ids == ids[:150]  # the old index is left as it was, for the questions still using it


def test_update_tokenises_only_the_added_texts(monkeypatch):
    texts = _texts(120, seed=6)
    base = BM25Index.build([f"c{i}" for i in range(100)], texts[:100], generation=1)
    calls = []
    real = lexical.tokenize
    monkeypatch.setattr(lexical, "tokenize", lambda text: calls.append(text) or real(text))
    base.updated([f"c{i}" for i in range(100, 120)], texts[100:], {"c3"}, generation=2)
    assert calls == texts[100:]


def test_save_and_load_round_trip(tmp_path):
    texts = _texts(50, seed=7)
    index = BM25Index.build([f"c{i}" for i in range(50)], texts, generation=4, catalog_id="cat")
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded is not None and (loaded.generation, loaded.catalog_id, loaded.ids) == (4, "cat", index.ids)
    for query in _queries(8)[:10]:
        assert loaded.search(query, 5) == index.search(query, 5)


def test_an_index_of_the_old_format_is_not_loaded(tmp_path):
    folder = tmp_path / "bm25"
    folder.mkdir()
    (folder / "meta.json").write_text('{"generation": 1, "catalog_id": "x", "ids": ["a"], "doc_freq": {}}')
    assert BM25Index.load(folder) is None


def test_empty_index_answers_nothing():
    empty = BM25Index.empty()
    assert empty.search("anything", 5) == [] and len(empty) == 0
    one = empty.updated(["a"], [""], (), generation=1)  # a chunk with no content words
    assert one.search("anything", 5) == [] and one.ids == ["a"]
