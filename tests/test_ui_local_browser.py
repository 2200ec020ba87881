"""Mode "local" in a real browser with the real llama.cpp server and the bundled model (the
session's ``llm_url``): at no point of the answer is a sentence on screen that the verifier
removed, and the footer says which mode answered and how many sentences were kept."""

from __future__ import annotations

import re

import pytest

from .test_ui_browser import FINAL, SEED_Q, browser, expect  # noqa: F401 - browser is a fixture
from .test_ui_trust_browser import WATCH_VISIBLE, _local_mode, _page, _send, start_ui


@pytest.fixture(scope="module")
def server(tmp_path_factory, llm_url):
    yield from start_ui(tmp_path_factory.mktemp("ui-local"), {"ASSISTANT_LOCAL_LLM_URL": llm_url})


def test_local_model_answer_never_shows_a_removed_sentence(browser, server):  # noqa: F811
    page = _page(browser, server)
    _local_mode(page)
    page.evaluate(WATCH_VISIBLE)
    _send(page, SEED_Q)
    page.locator(FINAL).first.wait_for(timeout=120_000)
    page.evaluate("clearInterval(window.__timer)")
    seen = page.evaluate("window.__seen")
    answer = page.locator(FINAL).first
    footer = answer.locator(".na-meta").inner_text()
    assert footer.startswith("Answered by"), footer
    removed = answer.locator("details.na-removed q").all_text_contents()
    for sentence in removed:
        leaked = [s for s in seen if sentence.strip() in s]
        assert not leaked, f"a removed sentence was visible while the answer was made: {sentence!r}"
    if "Local model" in footer:  # the model answered: its sentences were counted
        assert re.search(r"\d+ of \d+ sentences? kept", footer), footer
    progress = page.evaluate("[...window.__progress]")
    assert progress, "no progress state was shown while the answer was made"
