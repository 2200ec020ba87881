"""The chat UI in a real browser: `ui.py` runs as a subprocess on a free port and Debian's
chromium, driven by Playwright, uses it like a person would.

Needs /usr/bin/chromium (apt-get install -y chromium) and the playwright Python package;
`playwright install` is never needed. A missing browser fails these tests, it does not skip them.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SCREENSHOT = ROOT / "test-artifacts" / "ui-answer.png"
SEED_Q = "How many NVIDIA chips has SenseTime bought?"
FINAL = "#na-chat .na-answer:not(.na-streaming)"

# Synthetic test articles, invented for these tests (not news).
SYNTHETIC = """---
title: "Synthetic test article: the Lumen Valley observatory"
source: synthetic test article
date: 2031-03-14
---

This is a synthetic article written for the UI test. The Lumen Valley observatory opened on 14 March with a \
mirror 4.2 metres wide. Its first target was the comet Harrow-Vance.
"""
XSS = """---
title: "<img src=y onerror=\\"window.__xss=3\\">Synthetic harbour report"
source: synthetic test article
---

The Zorblax harbour council met on Tuesday. Harbour master Quill Varga said the <img src=x onerror="window.__xss=1"> \
dredging budget rose to 7 million krona <script>window.__xss=2</script> this year.
"""
# Records every partial text of a streaming answer, to prove the answer arrived in pieces.
WATCH_STREAM = """() => { window.__partials = new Set();
  new MutationObserver(() => document.querySelectorAll('#na-chat .na-streaming .na-text')
    .forEach(e => e.textContent && window.__partials.add(e.textContent)))
  .observe(document.body, {subtree: true, childList: true, characterData: true}); }"""


def expect(locator):
    from playwright.sync_api import expect as playwright_expect  # imported late: a missing package fails clearly

    return playwright_expect(locator)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ui(tmp, extra_env: dict):
    """Run ui.py on a free port with a data folder in ``tmp``; yields {"url", "tmp"} once it serves."""
    port = _free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp / "data"), "GRADIO_TEMP_DIR": str(tmp / "gradio"),
           "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **extra_env}
    for var in ("ASSISTANT_UI_PASSWORD", "GRADIO_SERVER_PORT", "ASSISTANT_CONFIG", "ASSISTANT_LLM_BASE_URL",
                "OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_API_KEY"):
        env.pop(var, None)
    log_path = tmp / "ui.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / "ui.py"), "--port", str(port)], cwd=tmp, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ui.py exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}", pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ui.py did not serve {url} within 180 s:\n{log_path.read_text()[-3000:]}", pytrace=False)
            time.sleep(0.3)
        yield {"url": url, "tmp": tmp}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from start_ui(tmp_path_factory.mktemp("ui"), {})


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install -y chromium)",
                    pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need the playwright package: pip install playwright", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, server):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(server["url"])
    page.locator("#na-question textarea").wait_for()
    return page


def _ask(page, question: str, timeout_ms: int = 90_000):
    """Type a question, send it, and return the locator of its finished answer."""
    before = page.locator(FINAL).count()
    page.locator("#na-question textarea").fill(question)
    page.locator("#na-send").click()
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=timeout_ms)
    return page.locator(FINAL).nth(before)


def _upload(page, path: Path, server) -> str:
    page.get_by_role("tab", name="Articles").click()
    page.locator("#na-upload input[type=file]").set_input_files(str(path))
    results = page.locator("#na-upload-results")
    results.get_by_text(re.compile("added|skipped|already indexed")).first.wait_for(timeout=60_000)
    text = results.inner_text()
    page.get_by_role("tab", name="Chat").click()
    return text


def test_seed_question_streams_cites_and_shows_the_quote(browser, server):
    page = _open(browser, server)
    page.evaluate(WATCH_STREAM)
    answer = _ask(page, SEED_Q)
    assert "40,000" in answer.inner_text()
    assert len(page.evaluate("[...window.__partials]")) >= 2, "the answer did not stream"
    cite = answer.locator("a.na-cite").first
    assert cite.inner_text() == "[1]"
    cite.click()
    card = page.locator("#src-1-1")
    expect(card).to_be_in_viewport()
    quote = card.locator("mark")
    expect(quote).to_be_visible()
    assert "acquired more than 40,000 NVIDIA chips" in quote.inner_text()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.context.close()


def test_uploaded_article_can_be_asked_about(browser, server):
    path = server["tmp"] / "lumen-valley-synthetic.md"
    path.write_text(SYNTHETIC, encoding="utf-8")
    page = _open(browser, server)
    assert "added" in _upload(page, path, server)
    answer = _ask(page, "How wide is the mirror of the Lumen Valley observatory?")
    assert "4.2 metres" in answer.inner_text()
    answer.locator("a.na-cite").first.click()
    card = page.locator(".na-card", has=page.locator("#src-1-1"))  # the article card holding quote [1]
    assert "Lumen Valley observatory" in card.locator(".na-title").inner_text()
    page.context.close()


def test_two_browser_sessions_keep_separate_histories(browser, server):
    a, b = _open(browser, server), _open(browser, server)
    qa, qb = "When does SenseTime aim to turn profitable?", "Who revealed how many NVIDIA chips SenseTime has acquired?"
    _ask(a, qa)
    _ask(b, qb)
    _ask(a, SEED_Q)
    chat_a, chat_b = a.locator("#na-chat").inner_text(), b.locator("#na-chat").inner_text()
    assert qa in chat_a and SEED_Q in chat_a and qb not in chat_a
    assert qb in chat_b and qa not in chat_b and SEED_Q not in chat_b
    assert a.locator(FINAL).count() == 2 and b.locator(FINAL).count() == 1
    assert qb not in a.locator("#na-sources").inner_text()
    a.locator(FINAL).first.locator("a.na-cite").first.click()  # an older answer: its folded sources open
    expect(a.locator("#src-1-1 mark")).to_be_in_viewport()
    a.context.close()
    b.context.close()


def test_article_payloads_stay_inert(browser, server):
    path = server["tmp"] / "harbour-synthetic.txt"
    path.write_text(XSS, encoding="utf-8")
    page = _open(browser, server)
    assert "added" in _upload(page, path, server)
    page.get_by_role("tab", name="Articles").click()
    page.locator("#na-articles").get_by_text("Synthetic harbour report").first.wait_for()
    page.get_by_role("tab", name="Chat").click()
    answer = _ask(page, "How much did the dredging budget rise to?")
    answer.locator("a.na-cite").first.click()
    panel = page.locator("#na-sources").inner_text()
    assert "<script>window.__xss=2</script>" in panel and 'onerror="window.__xss=1"' in panel
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    assert page.locator("img[src='x'], img[src='y'], #na-sources script, #na-chat script").count() == 0
    page.context.close()
