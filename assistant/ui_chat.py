"""The chat event: one question in, progress states and verified text out, then the finished answer.

Nothing unverified is shown: LLM modes stream only the sentences ``Assistant.ask_stream`` has
verified, under a "checking…" line. One question at a time per browser session: another one sent
meanwhile is refused with a notice, and its text stays in the box. No layout here (``ui_app``).
"""

from __future__ import annotations

import logging
import threading
import time

import gradio as gr

from . import ui_format as fmt
from .api import MAX_QUESTION_CHARS
from .errors import AssistantError
from .types import Answer
from .ui_sources import sources_html

log = logging.getLogger(__name__)

BUSY_NOTICE = "Still answering your last question: wait for it, or press Stop. Your new question is kept in the box."


class Sessions:
    """The browser sessions with an answer in progress (by Gradio's session hash), each with the
    ticket of that answer: Stop releases the session, and the answer it held sees so and ends."""

    def __init__(self):
        self._running: dict[str, int] = {}  # session hash -> ticket of the answer in progress
        self._tickets = 0
        self._lock = threading.Lock()

    def claim(self, key: str) -> int | None:
        """A ticket for a new answer, or None while another one is in progress in this session."""
        with self._lock:
            if key in self._running:
                return None
            self._tickets += 1
            self._running[key] = self._tickets
            return self._tickets

    def holds(self, key: str, ticket: int) -> bool:
        with self._lock:
            return self._running.get(key) == ticket

    def release(self, key: str, ticket: int | None = None) -> None:
        """End the session's answer (``ticket``: only if it is still that one)."""
        with self._lock:
            if ticket is None or self._running.get(key) == ticket:
                self._running.pop(key, None)


def notice_html(text: str, kind: str = "warn") -> str:
    return f'<div class="na-notice na-notice-{kind}" role="alert">{fmt.esc(text)}</div>' if text else ""


def filters_set(source: str | None, date_from: str | None, date_to: str | None) -> dict[str, str]:
    """The filters the user set, by the labels of their fields."""
    pairs = (("Source", source), ("From", date_from), ("To", date_to))
    return {label: value for label, value in pairs if value}


def respond(assistant, sessions: Sessions, key: str, question, messages, turns, mode, top_k, date_from, date_to,
            source):
    """Yields (messages, sources html, turns, question box, notice) as the answer is made."""
    question = (question or "").strip()
    if not question:
        yield messages, gr.skip(), turns, gr.skip(), ""
        return
    if len(question) > MAX_QUESTION_CHARS:
        yield (messages, gr.skip(), turns, gr.skip(),
               notice_html(f"The question is {len(question):,} characters long; shorten it to at most "
                           f"{MAX_QUESTION_CHARS:,}. Your text is kept in the box."))
        return
    try:  # a mistyped date is said before anything else, with the question kept
        date_from, date_to = fmt.parse_date(date_from, "From"), fmt.parse_date(date_to, "To")
    except AssistantError as exc:
        yield messages, gr.skip(), turns, gr.skip(), notice_html(f"{exc} (in {fmt.FILTER_PANEL}).")
        return
    ticket = sessions.claim(key)
    if ticket is None:
        yield messages, gr.skip(), turns, gr.skip(), notice_html(BUSY_NOTICE)
        return
    steps = _answer(assistant, question, messages, turns, mode, top_k, date_from, date_to, source)
    try:
        for step in steps:
            if not sessions.holds(key, ticket):  # Stop was pressed: nothing more of this answer is shown
                return
            yield step
    finally:
        steps.close()
        sessions.release(key, ticket)


def _answer(assistant, question, messages, turns, mode, top_k, date_from, date_to, source):
    turn = len(turns) + 1
    messages = [*messages, {"role": "user", "content": fmt.esc(question)},
                {"role": "assistant", "content": fmt.progress_html("searching")}]
    yield messages, gr.skip(), turns, "", ""
    try:
        options = {"mode": mode, "top_k": int(top_k), "source": source or None, "date_from": date_from,
                   "date_to": date_to}
        history = [(t["question"], t["answer"].text) for t in turns]
        answer = yield from _stream(assistant, question, history, options, messages)
    except AssistantError as exc:
        messages[-1]["content"] = fmt.error_html(str(exc))
        yield messages, gr.skip(), turns, gr.skip(), ""
        return
    filters = filters_set(source, date_from, date_to)
    turns = [*turns, {"turn": turn, "question": question, "answer": answer, "mode": mode, "filters": filters}]
    messages[-1]["content"] = fmt.answer_html(answer, turn, requested_mode=mode, filters=filters)
    yield messages, panel(assistant, turns), turns, gr.skip(), ""


def panel(assistant, turns: list[dict]) -> str:
    """The sources panel for these turns."""
    return sources_html([(t["turn"], t["answer"]) for t in turns], assistant.index.catalog.article_text)


def messages_for(turns: list[dict]) -> list[dict]:
    """The chat's messages rebuilt from turns (a conversation reopened from the browser's storage)."""
    messages = []
    for t in turns:
        messages += [{"role": "user", "content": fmt.esc(t["question"])},
                     {"role": "assistant", "content": fmt.answer_html(t["answer"], t["turn"], t.get("mode", ""),
                                                                      t.get("filters", {}))}]
    return messages


def _stream(assistant, question, history, options, messages):
    """Streams the verified text into the last message; falls back to extractive when an LLM mode fails."""
    mode = options["mode"]
    try:
        if mode == "local":  # starts the server when none runs (seconds); a no-op when one does
            messages[-1]["content"] = fmt.progress_html("starting")
            yield messages, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            assistant.llm_client("local")
            messages[-1]["content"] = fmt.progress_html("searching")
            yield messages, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        answer = yield from _pieces(assistant, question, history, options, messages)
    except AssistantError as exc:
        if mode == "extractive":
            raise
        log.warning("%s mode failed, answering extractively: %s", mode, exc)
        answer = assistant.ask(question, **{**options, "mode": "extractive"})
        answer.note = f"{fmt.mode_label(mode)} unavailable: {str(exc).rstrip('.')}. Showing the extractive answer."
    return answer


def _pieces(assistant, question, history, options, messages):
    start, shown, answer = time.perf_counter(), "", None
    llm = options["mode"] != "extractive"
    if llm:  # the model writes for seconds, and mode local shows nothing before its whole answer is checked
        messages[-1]["content"] = fmt.progress_html("checking")
        yield messages, gr.skip(), gr.skip(), gr.skip(), gr.skip()
    stream = assistant.ask_stream(question, history=history or None, **options)
    for item in stream:
        if isinstance(item, Answer):
            answer = item
            continue
        if not shown:
            log.info("first piece after %.0f ms (mode %s)", (time.perf_counter() - start) * 1000, options["mode"])
        shown += item
        # Pieces of an LLM mode are sentences that passed verification; the rest are still being checked.
        messages[-1]["content"] = fmt.progress_html("checking" if llm else None, shown)
        yield messages, gr.skip(), gr.skip(), gr.skip(), gr.skip()
    if answer is None:
        raise AssistantError("the assistant returned no answer; see the server log")
    return answer
