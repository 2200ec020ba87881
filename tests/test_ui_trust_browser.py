"""The chat UI's promises in a real browser (Debian's chromium through Playwright): nothing
unverified is ever on screen, Copy gives plain text, Stop, one question at a time, sources grouped
by article with the full article, conversations after a reload, removal by title, phone width.

Mode "local" is served here by STAND-IN: an OpenAI-compatible completions server on 127.0.0.1
(named as a stand-in; the real llama.cpp server is tested in test_llm.py) that streams, slowly
and always the same, a mix of sentences the seed article supports and one it does not.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import ROOT
from .test_ui_browser import FINAL, SEED_Q, browser, expect, start_ui  # noqa: F401 - browser is a fixture

ARTIFACTS = ROOT / "test-artifacts"
SUPPORTED = ["SenseTime has acquired more than 40,000 NVIDIA chips over the past decade [1].",
             "Xu Bing is a co-founder of SenseTime [1]."]
UNSUPPORTED = "SenseTime also bought 90,000 chips from Intel in 1850 [1]."
STANDIN_TEXT = " ".join([SUPPORTED[0], UNSUPPORTED, SUPPORTED[1]])
PIECE_DELAY = 0.12  # seconds between the stand-in's pieces: the answer takes a few seconds to arrive


class StandInLLM(BaseHTTPRequestHandler):
    """STAND-IN for an LLM endpoint: lists one model and streams STANDIN_TEXT word by word."""

    def log_message(self, *args):
        pass

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._json({"object": "list", "data": [{"id": "stand-in", "object": "model", "owned_by": "tests"}]})

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        words = STANDIN_TEXT.split(" ")
        if not request.get("stream"):
            self._json({"id": "c", "object": "text_completion", "created": 0, "model": "stand-in",
                        "choices": [{"text": STANDIN_TEXT, "index": 0, "finish_reason": "stop", "logprobs": None}]})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for i, word in enumerate(words):
                chunk = {"id": "c", "object": "text_completion", "created": 0, "model": "stand-in",
                         "choices": [{"text": (" " if i else "") + word, "index": 0, "finish_reason": None,
                                      "logprobs": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(PIECE_DELAY)
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (Stop)


@pytest.fixture(scope="module")
def standin_url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), StandInLLM)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory, standin_url):
    yield from start_ui(tmp_path_factory.mktemp("ui-trust"), {"ASSISTANT_LOCAL_LLM_URL": standin_url})


def _page(browser, server, width=1360, height=900, context=None):  # noqa: F811
    context = context or browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server["url"])
    page.locator("#na-question textarea").wait_for()
    return page


def _local_mode(page):
    page.locator("#na-settings").get_by_text("Answer settings").first.click()
    page.locator("#na-mode").get_by_text("Local model").click()


def _send(page, question):
    page.locator("#na-question textarea").fill(question)
    page.locator("#na-send").click()


# Seen text of the last answer, every 30 ms while it streams: what a person can read on screen
# (the fold-out of removed sentences and the hidden Copy text are not on screen unless opened).
WATCH_VISIBLE = """() => { window.__seen = []; window.__progress = new Set();
  window.__timer = setInterval(() => {
    const answers = document.querySelectorAll('#na-chat .na-answer');
    const last = answers[answers.length - 1];
    if (!last) return;
    window.__seen.push(last.innerText);
    last.querySelectorAll('.na-progress').forEach(p => window.__progress.add(p.innerText.trim()));
  }, 30); }"""


def test_no_unverified_sentence_is_ever_visible_in_local_mode(browser, server):  # noqa: F811
    page = _page(browser, server)
    _local_mode(page)
    page.evaluate(WATCH_VISIBLE)
    before = page.locator(FINAL).count()
    _send(page, SEED_Q)
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=90_000)
    page.evaluate("clearInterval(window.__timer)")
    seen, progress = page.evaluate("window.__seen"), page.evaluate("[...window.__progress]")
    assert len(seen) > 20, "the answer was not watched while it streamed"
    leaked = [s for s in seen if "90,000" in s or "Intel" in s or "1850" in s]
    assert not leaked, f"unverified text was visible: {leaked[:2]}"
    assert any("Checking each sentence" in p for p in progress), progress
    # Mode local buffers the model's answer until all of it is checked, so its text appears at the end, in
    # one step: whether a "checking" state with text is caught by the 30 ms poll depends on the load.
    answer = page.locator(FINAL).last
    text = answer.locator(".na-text").inner_text()
    assert "40,000" in text and "Xu Bing" in text and "Intel" not in text
    assert "Answered by Local model" in answer.locator(".na-meta").inner_text()
    assert "2 of 3 sentences kept" in answer.locator(".na-meta").inner_text()
    removed = answer.locator("details.na-removed")
    assert "not supported by the articles" in removed.locator("summary").inner_text()
    expect(removed.locator("li")).not_to_be_visible()
    removed.locator("summary").click()
    expect(removed.locator("li").first).to_be_visible()
    assert "90,000" in removed.inner_text() and "does not mention" in removed.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-local-verified.png"), full_page=True)
    page.context.close()


def test_copy_gives_plain_text_and_screen_readers_get_text(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server["url"].rstrip("/"))
    page = _page(browser, server, context=context)
    before = page.locator(FINAL).count()
    _send(page, SEED_Q)
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=90_000)
    answer = page.locator(FINAL).last
    answer.locator("a.na-copy").click()
    expect(answer.locator("a.na-copy")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "na-cite" not in copied
    assert "40,000" in copied and "Sources:" in copied and "[1] SenseTime Has Purchased" in copied
    labels = page.locator("#na-chat [aria-label]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert not [label for label in labels if "<" in label], labels
    assert any(label.startswith("Assistant: ") and "40,000" in label for label in labels), labels
    context.close()


def test_stop_and_one_question_at_a_time(browser, server):  # noqa: F811
    page = _page(browser, server)
    _local_mode(page)
    _send(page, SEED_Q)
    page.locator("#na-chat .na-streaming").wait_for(timeout=30_000)
    second = "When does SenseTime aim to turn profitable?"
    _send(page, second)  # while the first one streams
    expect(page.locator("#na-notice")).to_contain_text("Still answering your last question", timeout=10_000)
    assert page.locator("#na-question textarea").input_value() == second
    page.locator("#na-stop").click()
    expect(page.locator("#na-chat .na-stopped")).to_be_visible(timeout=10_000)
    page.wait_for_timeout(PIECE_DELAY * len(STANDIN_TEXT.split()) * 1000 + 500)  # the stream would be over by now
    assert page.locator(FINAL).filter(has_text="40,000").count() == 0, "a stopped answer came back"
    page.locator("#na-send").click()  # the kept question, now that nothing streams
    page.wait_for_function(f"[...document.querySelectorAll({FINAL!r})].some(e => e.innerText.includes('Answered'))",
                           timeout=90_000)
    assert second in page.locator("#na-chat").inner_text()
    page.context.close()


def test_sources_by_article_open_the_full_article(browser, server):  # noqa: F811
    page = _page(browser, server)
    _send(page, "Who revealed how many NVIDIA chips SenseTime has acquired?")
    page.locator(FINAL).first.wait_for(timeout=90_000)
    panel = page.locator("#na-sources")
    assert panel.locator(".na-card").count() == 1
    card = panel.locator(".na-card").first
    assert "SenseTime Has Purchased Over 40,000 NVIDIA Chips" in card.locator(".na-title").inner_text()
    full = card.locator("details.na-full")
    expect(full.locator(".na-full-text")).not_to_be_visible()
    full.locator("summary").click()
    expect(full.locator(".na-full-text mark").first).to_be_visible()
    assert "Xu Bing" in full.locator(".na-full-text mark").first.inner_text()
    assert len(full.locator(".na-full-text").inner_text()) > 1000  # the whole article, not the passage
    page.context.close()


def test_conversation_survives_a_reload_and_can_be_renamed_and_deleted(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = _page(browser, server, context=context)
    _send(page, SEED_Q)
    page.locator(FINAL).first.wait_for(timeout=90_000)
    page.wait_for_timeout(1000)  # the save runs after the answer
    page.reload()
    page.locator("#na-question textarea").wait_for()
    assert page.locator(FINAL).count() == 0
    page.locator("#na-history").get_by_text("Conversations").first.click()
    page.locator("#na-conv-list input").click()
    page.get_by_role("option", name=SEED_Q).click()
    page.locator("#na-conv-open").click()
    expect(page.locator(FINAL).first).to_contain_text("40,000", timeout=15_000)
    expect(page.locator("#na-sources mark").first).to_be_visible()
    page.locator("#na-conv-title textarea, #na-conv-title input").first.fill("SenseTime chips")
    page.locator("#na-conv-rename").click()
    page.wait_for_timeout(800)
    page.reload()
    page.locator("#na-history").get_by_text("Conversations").first.click()
    page.locator("#na-conv-list input").click()
    expect(page.get_by_role("option", name="SenseTime chips")).to_be_visible()
    page.get_by_role("option", name="SenseTime chips").click()
    page.locator("#na-conv-delete").click()
    page.wait_for_timeout(800)
    other = _page(browser, server)  # another browser (its own storage) never sees this one's list
    assert other.evaluate("localStorage.length") == 0 or "SenseTime chips" not in other.evaluate(
        "JSON.stringify(Object.assign({}, localStorage))")
    other.context.close()
    page.reload()
    page.locator("#na-history").get_by_text("Conversations").first.click()
    page.locator("#na-conv-list input").click()
    expect(page.get_by_role("option", name="SenseTime chips")).to_have_count(0)
    context.close()


def test_phone_width_has_no_horizontal_overflow(browser, server):  # noqa: F811
    page = _page(browser, server, width=390, height=844)
    page.wait_for_timeout(500)
    assert page.evaluate("window.scrollY") == 0, "the page scrolled itself on load"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _send(page, SEED_Q)
    page.locator(FINAL).first.wait_for(timeout=90_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator(FINAL).first.locator("a.na-cite").first.click()
    expect(page.locator("#src-1-1")).to_be_in_viewport()
    back = page.locator("#na-back")
    expect(back).to_be_visible()
    back.click()
    expect(page.locator(FINAL).first).to_be_in_viewport()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-phone-390.png"), full_page=True)
    page.get_by_role("tab", name="Articles").click()
    page.locator("#na-articles th").first.wait_for()
    heights = page.locator("#na-articles thead th").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and max(heights) < 48, f"the table's headers wrap: {heights}"  # one line of text each
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "ui-phone-390-articles.png"), full_page=True)
    page.context.close()


def test_modes_counter_and_theme(browser, server):  # noqa: F811
    page = _page(browser, server)
    page.locator("#na-settings").get_by_text("Answer settings").first.click()
    labels = page.locator("#na-mode label").all_inner_texts()
    assert any("Local model" in label for label in labels)
    assert not any("OpenAI" in label for label in labels)  # nothing is configured for it
    assert "llm_base_url" in page.locator("#na-modes-off").inner_text()
    long = "x" * 2001
    page.locator("#na-question textarea").fill(long)
    expect(page.locator("#na-count")).to_contain_text("2,001 / 2,000")
    assert "na-over" in page.locator("#na-count").get_attribute("class")
    page.locator("#na-send").click()
    expect(page.locator("#na-notice")).to_contain_text("shorten it")
    assert page.locator("#na-question textarea").input_value() == long
    dark = page.evaluate("document.body.classList.contains('dark')")
    fill = "getComputedStyle(document.body).getPropertyValue('--body-background-fill')"
    before = page.evaluate(fill)
    page.locator("#na-theme").click()
    assert page.evaluate("document.body.classList.contains('dark')") != dark
    assert page.evaluate(fill) != before  # the theme's colours changed, not just a class
    page.reload()
    page.locator("#na-question textarea").wait_for()
    assert page.evaluate("document.body.classList.contains('dark')") != dark
    page.context.close()


# Synthetic test article, invented for this test (not news).
REMOVABLE = """---
title: "Synthetic test article: the Orrin Ferry timetable"
source: synthetic test article
date: 2031-05-02
---

This is a synthetic article written for the UI test. The Orrin Ferry will leave the north pier every 40 minutes \
from 2 May. Its new boat is called Calder Wren.
"""


def test_articles_filter_open_and_removal_by_title_after_a_confirmation(browser, server):  # noqa: F811
    from .test_ui_browser import _upload

    path = server["tmp"] / "orrin-ferry-synthetic.md"
    path.write_text(REMOVABLE, encoding="utf-8")
    page = _page(browser, server)
    assert "added" in _upload(page, path, server)
    before = page.locator(FINAL).count()
    _send(page, "How often will the Orrin Ferry leave the north pier?")
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=90_000)
    assert "40 minutes" in page.locator(FINAL).last.inner_text()

    page.get_by_role("tab", name="Articles").click()
    page.locator("#na-article-filter textarea, #na-article-filter input").first.fill("orrin")
    table = page.locator("#na-articles")
    expect(table).not_to_contain_text("SenseTime", timeout=10_000)
    table.locator("span:visible", has_text="Orrin Ferry timetable").first.click()
    expect(page.locator("#na-viewer")).to_contain_text("Calder Wren", timeout=10_000)

    page.locator("#na-remove-choice input").click()
    page.get_by_role("option", name="Synthetic test article: the Orrin Ferry timetable").click()
    page.keyboard.press("Escape")
    page.locator("#na-remove").click()
    confirm = page.locator(".na-confirm-text")
    expect(confirm).to_contain_text("Synthetic test article: the Orrin Ferry timetable")
    page.locator("#na-remove-no").click()
    expect(page.locator("#na-remove-result")).to_contain_text("Nothing removed")
    page.locator("#na-remove").click()
    page.locator("#na-remove-yes").click()
    expect(page.locator("#na-remove-result")).to_contain_text("Removed: “Synthetic test article: the Orrin Ferry")
    expect(table).not_to_contain_text("Orrin", timeout=10_000)

    page.get_by_role("tab", name="Chat").click()
    before = page.locator(FINAL).count()
    _send(page, SEED_Q)  # the next answer redraws the sources panel, older answers' cards included
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=90_000)
    old = page.locator("#na-sources details.na-turn").last
    old.locator("summary").click()
    expect(old).to_contain_text("since been removed")
    page.context.close()


def test_articles_beside_the_chat_can_be_found_and_read(browser, server):  # noqa: F811
    page = _page(browser, server)
    page.locator("#na-known").get_by_text("Articles the assistant knows").first.click()
    box = page.locator("#na-article-pick input")
    box.click()
    box.fill("nvidia")
    page.get_by_role("option", name="SenseTime Has Purchased Over 40,000 NVIDIA Chips in the Past Decade").click()
    expect(page.locator("#na-article-view")).to_contain_text("Xu Bing", timeout=10_000)
    assert len(page.locator("#na-article-view .na-full-text").inner_text()) > 1000
    page.context.close()


def test_a_refusal_shows_the_closest_passages_and_names_only_filters_that_are_set(browser, server):  # noqa: F811
    page = _page(browser, server)
    _send(page, "What was SenseTime's revenue in 2023?")
    page.locator(FINAL).first.wait_for(timeout=90_000)
    answer = page.locator(FINAL).first
    assert "do not contain the answer" in answer.inner_text()
    assert "filter" not in answer.locator(".na-abstain").inner_text().lower()
    closest = answer.locator("details.na-closest")
    assert "they do not answer the question" in closest.locator("summary").inner_text()
    closest.locator("summary").click()
    expect(closest.locator("li").first).to_be_visible()
    page.locator("#na-settings").get_by_text("Answer settings").first.click()
    page.get_by_label("From").fill("2030-01-01")
    _send(page, "What was SenseTime's revenue in 2023?")
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > 1", timeout=90_000)
    hint = page.locator(FINAL).nth(1).locator(".na-abstain").inner_text()
    assert "Answer settings" in hint and "From: 2030-01-01" in hint and "without a date are left out" in hint
    page.context.close()
