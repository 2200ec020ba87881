"""What the chat UI shows, on real indexes: answer and source formatting, escaping of article text,
the footer, refusals, the plain text that Copy takes, and the sources grouped by article."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assistant import CANNOT_ANSWER
from assistant import ui_format as fmt
from assistant import ui_sources as src
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
    html = fmt.answer_html(seed_answer, turn=3, requested_mode="extractive")
    assert "40,000" in html
    assert '<a class="na-cite" href="#src-3-1"' in html
    assert "Answered by Extractive" in html and "1 quote from 1 article" in html
    panel = src.sources_html([(3, seed_answer)], seed_bot.index.catalog.article_text)
    assert 'id="src-3-1"' in panel
    quote = seed_answer.citations[0].quote
    assert f"<mark>{fmt.esc(quote)}</mark>" in panel
    assert "SenseTime Has Purchased Over 40,000 NVIDIA Chips" in panel and SEED_ID in panel


def test_older_answers_fold_and_the_newest_is_open(seed_bot, seed_answer):
    panel = src.sources_html([(1, seed_answer), (2, seed_answer)], seed_bot.index.catalog.article_text)
    assert panel.index('data-turn="2" open') < panel.index('data-turn="1"')
    assert 'data-turn="1" open' not in panel


def test_abstention_is_said_plainly(seed_bot):
    answer = seed_bot.ask("What was SenseTime's revenue in 2023?")
    assert answer.abstained
    html = fmt.answer_html(answer, 1)
    assert CANNOT_ANSWER in html and "na-abstain" in html
    assert "Closest passages found (they do not answer the question)" in html and "SenseTime" in html
    assert "filter" not in html.lower()  # no filter was set: none is blamed
    filtered = fmt.answer_html(answer, 1, filters={"Source": "Wire", "From": "2024-01-01"})
    assert f"filters in {fmt.FILTER_PANEL}" in filtered and "Source: Wire; From: 2024-01-01" in filtered
    assert fmt.UNDATED_NOTE in filtered
    assert src.sources_html([(1, answer)], seed_bot.index.catalog.article_text) == src.EMPTY_SOURCES


def test_article_payloads_render_as_text(make_bot, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour.txt").write_text(XSS_ARTICLE, encoding="utf-8")
    bot = make_bot()
    assert not bot.ingest(folder).failed
    answer = bot.ask("How much did the dredging budget rise to?")
    assert answer.citations and "onerror" in answer.citations[0].quote
    shown = fmt.answer_html(answer, 1) + src.sources_html([(1, answer)], bot.index.catalog.article_text)
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
    assert "1 sentence not supported by the articles" in html
    assert "&lt;b&gt;90,000&lt;/b&gt;" in html and "90,000 is not in passage [1]" in html
    assert fmt.removed_html(checks[:1]) == ""


def test_mode_label_standalone_question_short_answer_and_fallback_footer():
    c = Citation(1, "a", "T", None, "https://example.org/a", "Wire", "Q.", 0, 2, "a#0")
    answer = Answer("and when?", "Q. [1] [7]", [c], False, "local", model="gemma-3-270m",
                    verification=[SentenceCheck("Q. [1]", [1], True, "ok"), SentenceCheck("No.", [1], False, "x")],
                    standalone_question="When did Xu Bing reveal it?")
    answer.short_answer = "In May <b>"
    html = fmt.answer_html(answer, 2, requested_mode="local")
    assert "Answered by Local model · gemma-3-270m" in html and "1 of 2 sentences kept" in html
    assert '<p class="na-short"><strong>In May &lt;b&gt;</strong></p>' in html
    assert "Searched for: “When did Xu Bing reveal it?”" in html
    assert 'href="#src-2-1"' in html and "[7]" in html and "#src-2-7" not in html
    fallback = Answer("q", "Q. [1]", [c], False, "extractive", note="The local model is unavailable (down).",
                      verification=[SentenceCheck("No.", [1], False, "x"), SentenceCheck("No!", [1], False, "y")])
    footer = fmt.footer_text(fallback, "local")
    assert footer.startswith("Answered by Extractive (quotes only) · The local model is unavailable (down)")
    assert "0 of the model's 2 sentences passed" in footer
    assert "did not answer" in fmt.footer_text(Answer("q", "t", [], False, "extractive"), "local")
    card = src.article_card(2, [c], text=None)
    assert 'href="https://example.org/a"' in card and "<mark>Q.</mark>" in card and src.REMOVED in card


def test_copy_takes_plain_text_with_numbered_sources(seed_answer):
    text = fmt.plain_text(seed_answer)
    assert "<" not in text and "na-cite" not in text
    lead = f"{seed_answer.short_answer}\n\n" if seed_answer.short_answer else ""  # the short answer comes first
    assert text.startswith(lead + seed_answer.text)
    c = seed_answer.citations[0]
    assert f"[1] {c.title}" in text and f"“{c.quote}”" in text
    html = fmt.answer_html(seed_answer, 1)
    assert f'<pre class="na-plain">{fmt.esc(text)}</pre>'.replace("\n", "&#10;") in html


def test_sources_are_grouped_by_article_with_the_full_text(seed_bot):
    a = seed_bot.ask("Who revealed how many NVIDIA chips SenseTime has acquired?", top_k=5)
    text = seed_bot.index.catalog.article_text(SEED_ID)
    start = text.index("SenseTime", max(c.end for c in a.citations))
    extra = Citation(len(a.citations) + 1, SEED_ID, a.citations[0].title, None, "", "", text[start:start + 9], start,
                     start + 9, "x")
    a.citations.append(extra)
    panel = src.sources_html([(1, a)], seed_bot.index.catalog.article_text)
    assert panel.count('class="na-card"') == 1  # one article, however many quotes
    assert panel.count('class="na-quote"') == len(a.citations)
    assert "Open the full article" in panel and f'<mark data-n="{extra.n}">' in panel


def test_highlighted_article_merges_overlapping_spans():
    out = src.highlighted("a <b> c d e", [(2, 7, 1), (4, 9, 2)])
    assert out == 'a <mark data-n="1">&lt;b&gt; c</mark><mark data-n="2"> d</mark> e'


def test_passage_keeps_the_quote_inside_word_boundaries():
    text = "word " * 200 + "The quoted sentence. " + "tail " * 200
    start = text.index("The quoted")
    before, quote, after = src.passage(text, start, start + len("The quoted sentence."), context=50)
    assert quote == "The quoted sentence."
    assert before.startswith("…word") and after.endswith("tail…")
    assert src.passage("Only this.", 0, 10) == ("", "Only this.", "")


def test_dates_are_checked_before_asking():
    assert fmt.parse_date(" 2024-05-28 ", "From") == "2024-05-28"
    assert fmt.parse_date("", "From") is None
    with pytest.raises(fmt.BadInputError, match="From must be a date"):
        fmt.parse_date("May 28", "From")


def test_progress_shows_only_verified_text():
    html = fmt.progress_html("checking", "Verified <b>.")
    assert fmt.PROGRESS["checking"] in html and "Verified &lt;b&gt;." in html
    assert fmt.PROGRESS["starting"] in fmt.progress_html("starting")
    assert "na-progress" not in fmt.progress_html(None, "words")
