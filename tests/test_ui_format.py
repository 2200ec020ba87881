"""The functions behind the chat UI, on real indexes: answer and source formatting, escaping of
article text, upload sanitising and ingest, and the chat event driven without a server."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant import CANNOT_ANSWER, Assistant
from assistant import ui_format as fmt
from assistant.types import Answer, Citation, SentenceCheck

from .conftest import SEED_ID

SEED_Q = "How many NVIDIA chips has SenseTime bought?"
# Synthetic test article (invented, not news): its text carries script and event-handler payloads.
XSS_ARTICLE = """---
title: "<img src=y onerror=\\"window.__xss=3\\">Harbour report"
source: "synthetic test article"
url: "javascript:alert(1)"
---

The Zorblax harbour council met on Tuesday. Harbour master Quill Varga said the <img src=x onerror="window.__xss=1"> \
dredging budget rose to 7 million krona <script>window.__xss=2</script> this year.
"""


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from a piece of HTML."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


@pytest.fixture(scope="module")
def seed_answer(seed_bot):
    return seed_bot.ask(SEED_Q)


def test_answer_links_each_citation_to_its_source_card(seed_bot, seed_answer):
    html = fmt.answer_html(seed_answer, turn=3)
    assert "40,000" in html
    assert '<a class="na-cite" href="#src-3-1"' in html
    assert "Extractive" in html and "1 source" in html
    panel = fmt.sources_html([(3, seed_answer)], seed_bot.index.catalog.article_text)
    assert 'id="src-3-1"' in panel
    quote = seed_answer.citations[0].quote
    assert f"<mark>{fmt.esc(quote)}</mark>" in panel
    assert "SenseTime Has Purchased Over 40,000 NVIDIA Chips" in panel and SEED_ID in panel


def test_older_answers_fold_and_the_newest_is_open(seed_bot, seed_answer):
    panel = fmt.sources_html([(1, seed_answer), (2, seed_answer)], seed_bot.index.catalog.article_text)
    assert panel.index('data-turn="2" open') < panel.index('data-turn="1"')
    assert 'data-turn="1" open' not in panel


def test_abstention_is_said_plainly(seed_bot):
    answer = seed_bot.ask("What was SenseTime's revenue in 2023?")
    assert answer.abstained
    html = fmt.answer_html(answer, 1)
    assert CANNOT_ANSWER in html and "na-abstain" in html
    assert fmt.sources_html([(1, answer)], seed_bot.index.catalog.article_text) == fmt.EMPTY_SOURCES


def test_article_payloads_render_as_text(make_bot, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    bot = make_bot()
    assert not bot.ingest(folder).failed
    answer = bot.ask("How much did the dredging budget rise to?")
    assert answer.citations and "onerror" in answer.citations[0].quote
    shown = fmt.answer_html(answer, 1) + fmt.sources_html([(1, answer)], bot.index.catalog.article_text)
    built = _Elements(shown)
    assert not built.tags & {"script", "img"}, built.tags
    assert not [a for a in built.attrs if a.startswith("on")], built.attrs
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in shown
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in shown
    assert "javascript:" not in shown  # the url is dropped, not linked


def test_removed_sentences_are_listed_with_their_reason():
    checks = [SentenceCheck("Kept.", [1], True, "supported"),
              SentenceCheck("SenseTime bought <b>90,000</b> chips.", [1], False, "90,000 is not in passage [1]")]
    html = fmt.removed_html(checks)
    assert "Show 1 sentence the verifier removed" in html
    assert "&lt;b&gt;90,000&lt;/b&gt;" in html and "90,000 is not in passage [1]" in html
    assert fmt.removed_html(checks[:1]) == ""


def test_mode_label_standalone_question_and_note():
    c = Citation(1, "a", "T", None, "https://example.org/a", "Wire", "Q.", 0, 2, "a#0")
    answer = Answer("and when?", "Q. [1] [7]", [c], False, "local", model="gemma-3-270m",
                    note="endpoint slow", standalone_question="When did Xu Bing reveal it?")
    html = fmt.answer_html(answer, 2)
    assert "Local model · gemma-3-270m" in html
    assert "Searched for: “When did Xu Bing reveal it?”" in html and "endpoint slow" in html
    assert 'href="#src-2-1"' in html and "[7]" in html and "#src-2-7" not in html
    card = fmt.source_card(2, c, article_text=None)
    assert 'href="https://example.org/a"' in card and "<mark>Q.</mark>" in card


def test_passage_keeps_the_quote_inside_word_boundaries():
    text = "word " * 200 + "The quoted sentence. " + "tail " * 200
    start = text.index("The quoted")
    before, quote, after = fmt.passage(text, start, start + len("The quoted sentence."), context=50)
    assert quote == "The quoted sentence."
    assert before.startswith("…word") and after.endswith("tail…")
    assert fmt.passage("Only this.", 0, 10) == ("", "Only this.", "")


@pytest.mark.parametrize("raw,safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("..", "upload"),
    ("/abs/path/report.md", "report.md"),
    (".hidden.txt", "hidden.txt"),
    ("<script>alert(1)</script>.txt", "script_.txt"),
    ("a\x00b\nc.jsonl", "a_b_c.jsonl"),
    ("résumé de presse.md", "résumé de presse.md"),
    ("x" * 300 + ".txt", "x" * 80 + ".txt"),
])
def test_safe_filename(raw, safe):
    assert fmt.safe_filename(raw) == safe


def test_uploads_stay_in_their_folder_and_never_collide(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("Some text.", encoding="utf-8")
    folder = tmp_path / "upload"
    folder.mkdir()
    saved = fmt.save_uploads([(src, "../../escape.txt"), (src, "escape.txt"), (src, "tool.exe")], folder)
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
    results = fmt.ingest_uploads(bot, uploads, progress=lambda frac, desc: seen.append(desc))
    assert [(r.name, r.status) for r in results] == [("lumen.md", "added"), ("empty.txt", "skipped"),
                                                     ("paper.pdf", "skipped")]
    assert results[0].detail == "article: lumen.md"
    assert "empty" in results[1].detail.lower() and ".jsonl" in results[2].detail
    assert "Indexing lumen.md" in seen
    assert [a["id"] for a in bot.articles()] == ["lumen.md"]
    again = fmt.ingest_uploads(bot, uploads[:1])
    assert again[0].status == "unchanged"
    assert "<strong>lumen.md</strong> already indexed" in fmt.upload_html(again)
    assert "&lt;b&gt;" in fmt.upload_html([fmt.FileResult("<b>.txt", "skipped", "x")])


@pytest.mark.xfail(not hasattr(Assistant, "remove_article"), reason="needs Assistant.remove_article", strict=True)
def test_remove_article(make_bot, tmp_path):
    (tmp_path / "a.txt").write_text("The synthetic Orrin bridge opened in 2021.", encoding="utf-8")
    bot = make_bot()
    bot.ingest(tmp_path / "a.txt")
    assert fmt.remove_article(bot, "a.txt") == "Removed a.txt."
    assert bot.articles() == []


def test_dates_are_checked_before_asking():
    assert fmt.parse_date(" 2024-05-28 ", "From") == "2024-05-28"
    assert fmt.parse_date("", "From") is None
    with pytest.raises(fmt.BadInputError, match="From must be a date"):
        fmt.parse_date("May 28", "From")


def test_ui_entry_point_options(monkeypatch):
    import ui

    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    monkeypatch.delenv("ASSISTANT_UI_PASSWORD", raising=False)
    args = ui.parse_args([])
    assert (args.port, args.host) == (7999, "127.0.0.1")
    assert ui.parse_args(["--port", "8001"]).port == 8001
    assert ui.auth_from_env() is None
    monkeypatch.setenv("ASSISTANT_UI_PASSWORD", "s3cret")
    assert ui.auth_from_env() == ("admin", "s3cret")
    assert Path(ui.CORPUS).name == "corpus"


def _drive(bot, question, session, mode="extractive"):
    """Run the chat event as Gradio would; returns (contents of the last message at each step, final step)."""
    from assistant.ui_app import respond

    contents, last = [], None
    for last in respond(bot, question, [], session, mode, 5, "", "", ""):
        contents.append(last[0][-1]["content"])
    return contents, last


def test_chat_event_streams_then_shows_the_cited_answer(seed_bot):
    contents, (messages, sources, session, box) = _drive(seed_bot, SEED_Q, [])
    partials = [c for c in contents if "na-streaming" in c and "SenseTime" in c]
    assert partials and "40,000" not in partials[0], "the answer was not streamed in pieces"
    assert messages[0] == {"role": "user", "content": SEED_Q}
    assert "40,000" in messages[-1]["content"] and 'href="#src-1-1"' in messages[-1]["content"]
    assert 'id="src-1-1"' in sources and [t["turn"] for t in session] == [1]
    _, (_, sources2, session2, _) = _drive(seed_bot, "When does SenseTime aim to turn profitable?", session)
    assert [t["turn"] for t in session2] == [1, 2] and 'id="src-2-1"' in sources2 and len(session) == 1


def test_unavailable_llm_mode_gives_a_note_and_the_extractive_answer(make_bot, tmp_path):
    bot = make_bot(data_dir=tmp_path / "d", llm_base_url="http://127.0.0.1:9/v1", llm_timeout=2, llm_retries=0)
    bot.ingest(Path(__file__).resolve().parent.parent / "corpus")
    _, (messages, _, _, _) = _drive(bot, SEED_Q, [], mode="openai")
    assert "na-note" in messages[-1]["content"] and "40,000" in messages[-1]["content"]


def test_errors_are_shown_in_the_chat(seed_bot):
    _, (messages, _, session, _) = _drive(seed_bot, "x" * 3000, [])
    assert "na-error" in messages[-1]["content"] and "at most 2,000 characters" in messages[-1]["content"]
    assert session == []


def test_build_app(seed_bot):
    from assistant.ui_app import build_app

    app = build_app(seed_bot)
    assert app.title == "News Assistant"


def test_llm_text_is_marked_as_a_draft_while_it_streams():
    assert "na-draft" in fmt.streaming_html("SenseTime <b>", draft=True)
    assert "na-draft" not in fmt.streaming_html("SenseTime", draft=False)
    assert "&lt;b&gt;" in fmt.streaming_html("SenseTime <b>")
