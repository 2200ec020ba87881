"""Incremental, idempotent, crash-repairing ingest against a real Chroma and the real model."""

import shutil

import numpy as np
import pytest

from .conftest import CORPUS, SEED_ID


@pytest.fixture
def corpus_copy(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    return folder


def _consistent(bot):
    """Catalog, Chroma and BM25 name exactly the same chunks."""
    catalog_ids = bot.index.catalog.chunk_ids()
    assert bot.index.store.ids() == catalog_ids
    assert set(bot.index.bm25().ids) == catalog_ids
    return catalog_ids


def test_first_ingest_keeps_offsets_and_metadata(make_bot, corpus_copy):
    bot = make_bot()
    report = bot.ingest(corpus_copy)
    assert report.new == [SEED_ID] and report.chunks_embedded > 0 and not report.failed
    text = bot.index.catalog.article_text(SEED_ID)
    assert not text.startswith("---") and "SEE ALSO" not in text
    chunks = bot.index.catalog.all_chunks()
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.title == "SenseTime Has Purchased Over 40,000 NVIDIA Chips in the Past Decade"
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    _consistent(bot)


def test_reingest_of_unchanged_folder_embeds_nothing(make_bot, corpus_copy):
    bot = make_bot()
    bot.ingest(corpus_copy)
    before = _consistent(bot)
    again = bot.ingest(corpus_copy)
    assert again.chunks_embedded == 0
    assert again.unchanged == [SEED_ID] and not again.new and not again.updated
    assert _consistent(bot) == before


def test_changed_article_replaces_its_chunks(make_bot, corpus_copy):
    bot = make_bot()
    bot.ingest(corpus_copy)
    old = _consistent(bot)
    path = corpus_copy / SEED_ID
    path.write_text(path.read_text(encoding="utf-8").replace("40,000", "55,555"), encoding="utf-8")
    report = bot.ingest(corpus_copy)
    assert report.updated == [SEED_ID]
    assert 0 < report.chunks_embedded <= len(old)
    new = _consistent(bot)
    assert new != old
    texts = " ".join(c.text for c in bot.index.catalog.all_chunks())
    assert "55,555" in texts and "40,000" not in texts
    assert "55,555" in bot.ask("How many NVIDIA chips has SenseTime bought?").text


def test_prune_removes_articles_whose_files_are_gone(make_bot, corpus_copy):
    bot = make_bot()
    (corpus_copy / "extra.md").write_text("---\ntitle: Extra\n---\n\nA synthetic extra article about tides.\n")
    assert len(bot.ingest(corpus_copy).new) == 2
    (corpus_copy / "extra.md").unlink()
    kept = bot.ingest(corpus_copy)
    assert kept.removed == [] and bot.index.catalog.counts()[0] == 2  # not asked to prune
    pruned = bot.ingest(corpus_copy, prune=True)
    assert pruned.removed == ["extra.md"]
    assert bot.index.catalog.counts()[0] == 1
    _consistent(bot)


def test_bad_files_are_reported_and_skipped_while_good_ones_ingest(make_bot, corpus_copy):
    (corpus_copy / "empty.txt").write_text("")
    (corpus_copy / "binary.txt").write_bytes(b"\x00\x01\x02 binary \xff" * 50)
    (corpus_copy / "latin1.txt").write_bytes("Caf\xe9 au lait, a synthetic line.".encode("latin-1"))
    (corpus_copy / "bad.jsonl").write_text('{"id": "ok-1", "text": "A synthetic good line."}\n{not json}\n')
    (corpus_copy / "frontmatter.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    (corpus_copy / "big.txt").write_text("word " * 300_000)
    bot = make_bot(max_file_mb=1)
    report = bot.ingest(corpus_copy)
    failed = {p.path.split("/")[-1]: p.reason for p in report.failed}
    for name in ("empty.txt", "binary.txt", "latin1.txt", "frontmatter.md", "big.txt"):
        assert name in failed, f"{name} not reported: {failed}"
        assert failed[name]
    assert any(k.startswith("bad.jsonl") for k in failed)
    assert SEED_ID in report.new and "ok-1" in report.new
    _consistent(bot)


def test_repair_after_an_interrupted_run(make_bot, corpus_copy):
    """A crash can leave vectors the catalog never committed, or lose some: the next run repairs both."""
    from assistant.types import Chunk

    bot = make_bot()
    bot.ingest(corpus_copy)
    ids = sorted(bot.index.catalog.chunk_ids())
    orphan = Chunk(id="orphan-from-crash", article_id="ghost", text="ghost", start=0, end=5)
    bot.index.unmark_store_in_step()  # as every ingest does before it writes a vector
    bot.index.store.upsert([orphan], np.ones((1, 384), dtype=np.float32) / np.sqrt(384))
    bot.index.store.delete([ids[0]])
    report = bot.ingest(corpus_copy)
    assert report.repaired == 2
    assert report.chunks_embedded == 0 and report.unchanged == [SEED_ID]
    _consistent(bot)


def test_reingest_in_step_skips_listing_vectors_but_notices_a_lost_one(make_bot, corpus_copy, monkeypatch):
    """Listing every id in Chroma costs seconds at 100,000 chunks: a clean re-ingest skips it, but a
    collection that lost a vector since (another count) is still listed and repaired."""
    bot = make_bot()
    bot.ingest(corpus_copy)
    listed = []
    real_ids = type(bot.index.store).ids
    monkeypatch.setattr(type(bot.index.store), "ids", lambda store: listed.append(1) or real_ids(store))
    report = bot.ingest(corpus_copy)
    assert listed == [] and report.repaired == 0 and report.unchanged == [SEED_ID]
    bot.index.store.delete([sorted(bot.index.catalog.chunk_ids())[0]])  # lost behind the assistant's back
    report = bot.ingest(corpus_copy)
    assert listed == [1] and report.repaired == 1
    _consistent(bot)


def test_bm25_index_is_rebuilt_when_stale_or_missing(make_bot, corpus_copy):
    bot = make_bot()
    bot.ingest(corpus_copy)
    shutil.rmtree(bot.index.bm25_dir)
    fresh = make_bot(data_dir=bot.settings.data_dir)
    assert set(fresh.index.bm25().ids) == bot.index.catalog.chunk_ids()
    assert (bot.index.bm25_dir / "meta.json").exists()


def test_index_from_another_format_version_is_refused(make_bot):
    from assistant.errors import IndexVersionError

    bot = make_bot()
    bot.index.catalog.set_meta("format_version", "999")
    bot.index.catalog.close()
    with pytest.raises(IndexVersionError, match="ingest"):
        make_bot(data_dir=bot.settings.data_dir)


def test_missing_path_is_a_clear_error(make_bot, tmp_path):
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError):
        make_bot().ingest(tmp_path / "does-not-exist")
