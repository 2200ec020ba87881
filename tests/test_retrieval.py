"""Hybrid retrieval over a small synthetic corpus (generated here, labelled synthetic)."""

import pytest

from assistant.errors import BadInputError
from assistant.retrieval import Filters

SYNTHETIC = {
    "alpha.md": "---\ntitle: Harbour opens\ndate: 2024-03-01\nsource: Daily Synthetic\n---\n\n"
    "The Qelvora harbour opened on Monday after three years of work. Officials said 1,250 ships are expected.\n",
    "beta.md": "---\ntitle: Rain in the valley\ndate: 2023-07-15\nsource: Synthetic Times\n---\n\n"
    "Heavy rain fell across the valley. Farmers said the harvest would be late this year.\n",
    "gamma.md": "---\ntitle: Budget vote\ndate: 2024-11-20\nsource: Daily Synthetic\n---\n\n"
    "The council approved a budget of 4.2 million for schools. The vote was 7 to 2.\n",
}


@pytest.fixture(scope="module")
def synth_bot(tmp_path_factory, embedder):
    from assistant import Assistant, load_settings

    root = tmp_path_factory.mktemp("synthetic")
    folder = root / "articles"
    folder.mkdir()
    for name, text in SYNTHETIC.items():
        (folder / name).write_text(text, encoding="utf-8")
    bot = Assistant(load_settings(env={}, data_dir=root / "data"), embedder=embedder)
    report = bot.ingest(folder)
    assert len(report.new) == 3 and not report.failed
    return bot


def _search(bot, question, **filters):
    vector = bot.index.embedder.embed([question])[0]
    return bot.retriever.search(question, vector, top_k=3, filters=Filters(**filters))


def test_rare_name_is_found_by_bm25_and_ranked_first(synth_bot):
    hits = _search(synth_bot, "Qelvora")
    assert hits[0].chunk.article_id == "alpha.md"
    assert hits[0].bm25_rank == 1


def test_both_retrievers_contribute_to_the_fused_score(synth_bot):
    hits = _search(synth_bot, "How much money did the council approve for schools?")
    assert hits[0].chunk.article_id == "gamma.md"
    assert hits[0].vector_rank is not None and hits[0].bm25_rank is not None
    assert hits[0].score == pytest.approx(1 / (60 + hits[0].vector_rank) + 1 / (60 + hits[0].bm25_rank))


def test_source_and_date_filters(synth_bot):
    hits = _search(synth_bot, "what happened", source="Daily Synthetic")
    assert {h.chunk.article_id for h in hits} == {"alpha.md", "gamma.md"}
    hits = _search(synth_bot, "what happened", date_from="2024-01-01", date_to="2024-06-30")
    assert [h.chunk.article_id for h in hits] == ["alpha.md"]
    assert _search(synth_bot, "rain", date_from="2030-01-01") == []


def test_bad_date_filter_is_a_clear_error(synth_bot):
    with pytest.raises(BadInputError, match="YYYY-MM-DD"):
        _search(synth_bot, "rain", date_from="last week")


def test_answer_quotes_the_synthetic_fact(synth_bot):
    answer = synth_bot.ask("How many ships are expected at the Qelvora harbour?")
    assert not answer.abstained
    assert "1,250" in answer.text
    assert answer.citations[0].article_id == "alpha.md"
    assert answer.citations[0].date == "2024-03-01"
    assert answer.citations[0].source == "Daily Synthetic"
