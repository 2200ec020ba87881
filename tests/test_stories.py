"""Syndicated copies are one story: detection at ingest, one hit per story, "also published by", and the
in-place migration of catalogs written before stories were kept. Copies are SYNTHETIC edits of the seed article.
"""

from __future__ import annotations

import sqlite3

from assistant.dedup import StoryIndex, similarity
from assistant.stories import also_published_by
from assistant.ui_feeds import also_html
from tests.conftest import CORPUS, SEED_ID
from tests.synthetic_web import synthetic_text

SEED = (CORPUS / SEED_ID).read_text(encoding="utf-8")


def syndicated_copy(text: str) -> str:
    """A SYNTHETIC wire copy: a byline, one paragraph dropped, a few words changed, boilerplate at the end."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    del paragraphs[len(paragraphs) // 2]
    body = "\n\n".join(paragraphs).replace(" said ", " stated ").replace(" company ", " firm ")
    return f"By Staff Reporter, Wire Service\n\n{body}\n\nCopyright 2024 Wire Service. All rights reserved."


def write(folder, name, text, source):
    (folder / name).write_text(f"---\nsource: {source}\n---\n{text}\n", encoding="utf-8")


def test_the_detector_joins_copies_and_keeps_different_stories_apart():
    index = StoryIndex(0.3)
    assert similarity(SEED, syndicated_copy(SEED)) >= 0.5
    assert index.assign("orig", SEED)[0] == "orig"
    assert index.assign("copy", syndicated_copy(SEED))[0] == "orig"
    assert index.assign("other", synthetic_text(3, 30))[0] == "other"
    # an article edited into another story leaves the first one
    assert index.assign("copy", synthetic_text(4, 30))[0] == "copy"


def test_retrieval_returns_a_story_once_and_names_its_other_sources(tmp_path, make_bot):
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "original.txt", SEED, "Original Times")
    write(folder, "wire-copy.txt", syndicated_copy(SEED), "Wire Daily")
    write(folder, "unrelated.txt", synthetic_text(8, 20), "Synthetic Gazette")
    bot = make_bot()
    assert len(bot.ingest(folder).new) == 3
    members = bot.index.catalog.story_members(["original.txt", "unrelated.txt"])
    assert [aid for aid, _ in members["original.txt"]] == ["original.txt", "wire-copy.txt"]
    assert [aid for aid, _ in members["unrelated.txt"]] == ["unrelated.txt"]

    answer = bot.ask("How many NVIDIA chips has SenseTime bought?", top_k=10)
    articles = [h.chunk.article_id for h in answer.hits]
    assert {"original.txt", "wire-copy.txt"} & set(articles)
    assert not {"original.txt", "wire-copy.txt"} <= set(articles)  # one copy of the story, not both
    kept = next(h for h in answer.hits if h.chunk.article_id in ("original.txt", "wire-copy.txt"))
    other = ({"original.txt", "wire-copy.txt"} - {kept.chunk.article_id}).pop()
    assert kept.also == [(other, "Wire Daily" if other == "wire-copy.txt" else "Original Times")]
    assert also_published_by(kept).startswith("also published by ")
    assert "also published by" in also_html(kept)
    hit = next(h for h in answer.to_dict()["hits"] if h["article_id"] == kept.chunk.article_id)
    assert hit["also"] == [list(pair) for pair in kept.also]
    assert all(h.also == [] for h in answer.hits if h.chunk.article_id == "unrelated.txt")

    bot.remove_article(other)  # the story's other copy is gone: nothing left to name
    answer = bot.ask("How many NVIDIA chips has SenseTime bought?", top_k=10)
    assert all(h.also == [] for h in answer.hits)


def test_a_catalog_from_before_stories_is_migrated_in_place(tmp_path, make_bot):
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "original.txt", SEED, "Original Times")
    bot = make_bot()
    bot.ingest(folder)
    path = bot.index.catalog.path
    bot.index.catalog.close()
    with sqlite3.connect(path) as db:  # what a catalog written by the previous version looks like
        db.execute("DROP TABLE stories")
    bot = make_bot()
    assert bot.index.catalog.story_rows() == []  # opened without re-ingesting; the table is back, empty
    write(folder, "wire-copy.txt", syndicated_copy(SEED), "Wire Daily")
    report = bot.ingest(folder)
    assert report.new == ["wire-copy.txt"] and report.unchanged == ["original.txt"]
    assert {aid: story for aid, story, _ in bot.index.catalog.story_rows()} == {
        "original.txt": "original.txt", "wire-copy.txt": "original.txt"}


def test_copies_that_disagree_on_a_fact_are_both_returned(tmp_path, make_bot):
    # a SYNTHETIC variant of the seed story with another number in the same sentence: one story, two claims
    variant = SEED.replace("40,000", "25,000")
    assert variant != SEED
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "original.txt", SEED, "Original Times")
    write(folder, "variant.txt", variant, "Other Daily")
    bot = make_bot()
    bot.ingest(folder)
    assert {story for _, story, _ in bot.index.catalog.story_rows()} == {"original.txt"}  # one story
    answer = bot.ask("How many NVIDIA chips has SenseTime bought?", top_k=10)
    assert {"original.txt", "variant.txt"} <= {h.chunk.article_id for h in answer.hits}
