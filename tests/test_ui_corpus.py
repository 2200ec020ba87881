"""The Articles tab's work on real indexes: uploads saved under the one sanitiser's names, ingested
file by file, and articles removed by title after a confirmation."""

from __future__ import annotations

import pytest

from assistant import ui_corpus as corpus
from assistant.errors import BadInputError
from assistant.loading import safe_upload_name


def test_uploads_use_the_hardened_sanitiser(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("Some text.", encoding="utf-8")
    names = ["CON.txt", "../../x.md", "a" * 400 + ".txt"]
    saved = corpus.save_uploads([(src, n) for n in names], tmp_path)
    assert [name for name, _ in saved] == [safe_upload_name(n) for n in names]
    assert saved[0][0] != "CON.txt"


def test_uploads_stay_in_their_folder_and_never_collide(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("Some text.", encoding="utf-8")
    folder = tmp_path / "upload"
    folder.mkdir()
    saved = corpus.save_uploads([(src, "../../escape.txt"), (src, "escape.txt"), (src, "tool.exe")], folder)
    assert [name for name, _ in saved] == ["escape.txt", "escape-2.txt", "tool.exe"]
    assert saved[2][1] is None
    assert sorted(p.name for p in folder.iterdir()) == ["escape-2.txt", "escape.txt"]
    assert not (tmp_path / "escape.txt").exists()


def test_ingest_uploads_reports_each_file(make_bot, tmp_path):
    good = tmp_path / "tmp1"
    good.write_text("---\ntitle: Synthetic article\nsource: synthetic test article\n---\n\n"
                    "The synthetic Lumen Valley observatory opened in March with a 4-metre mirror.\n", encoding="utf-8")
    empty = tmp_path / "tmp2"
    empty.write_text("", encoding="utf-8")
    bot = make_bot()
    uploads = [(good, "../lumen.md"), (empty, "empty.txt"), (good, "paper.pdf")]
    seen = []
    results = corpus.ingest_uploads(bot, uploads, progress=lambda frac, desc: seen.append(desc))
    assert [(r.name, r.status) for r in results] == [("lumen.md", "added"), ("empty.txt", "skipped"),
                                                     ("paper.pdf", "skipped")]
    assert results[0].detail == "article: lumen.md"
    assert "empty" in results[1].detail.lower() and ".jsonl" in results[2].detail
    assert "Indexing lumen.md" in seen
    assert [a["id"] for a in bot.articles()] == ["lumen.md"]
    again = corpus.ingest_uploads(bot, uploads[:1])
    assert again[0].status == "unchanged"
    assert "<strong>lumen.md</strong> already indexed" in corpus.upload_html(again)
    assert "&lt;b&gt;" in corpus.upload_html([corpus.FileResult("<b>.txt", "skipped", "x")])


def test_removal_names_titles_and_asks_first(make_bot, tmp_path):
    (tmp_path / "a.txt").write_text("---\ntitle: Synthetic Orrin bridge\n---\n\nThe synthetic Orrin bridge opened in "
                                    "2021.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("---\ntitle: Synthetic Orrin bridge\n---\n\nThe synthetic Orrin tunnel opened in "
                                    "2022.", encoding="utf-8")
    bot = make_bot()
    bot.ingest(tmp_path)
    articles = bot.articles()
    assert corpus.removal_choices(articles) == [("Synthetic Orrin bridge (a.txt)", "a.txt"),
                                                ("Synthetic Orrin bridge (b.txt)", "b.txt")]
    assert "<li>Synthetic Orrin bridge</li>" in corpus.removal_question(articles, ["a.txt"])
    assert corpus.remove_articles(bot, ["a.txt"]) == "Removed: “Synthetic Orrin bridge”."
    assert [a["id"] for a in bot.articles()] == ["b.txt"]
    with pytest.raises(BadInputError):
        corpus.remove_articles(bot, [])
    assert corpus.article_rows(bot.articles(), "TUNNEL") == []
    assert corpus.article_rows(bot.articles(), "b.t") == [["Synthetic Orrin bridge", "", "", 1]]


