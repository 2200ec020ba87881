"""The Gradio chat UI: ``build_app(assistant)`` lays out the Blocks and wires the events.

Launching is ``ui.py``'s job. What the UI shows is built in ``ui_format``; this module only
moves data between the browser and the Assistant. Chat history lives in per-session state.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import gradio as gr

from . import ui_format as fmt
from .errors import AssistantError
from .types import Answer

log = logging.getLogger(__name__)

MODES = [("Extractive (quotes only)", "extractive"), ("Local model", "local"),
         ("OpenAI-compatible endpoint", "openai")]
EXAMPLES = ["How many NVIDIA chips has SenseTime bought?", "When does SenseTime aim to turn profitable?",
            "What was SenseTime's revenue in 2023?"]
_PROGRESS = gr.Progress()  # Gradio finds a progress bar by a parameter defaulting to an instance
_WORD_DELAY = 0.012  # seconds between words when an answer that arrived whole is streamed out


def default_mode(settings) -> str:
    if settings.mode in {"extractive", "local", "openai"}:
        return settings.mode
    return "openai" if settings.llm_base_url else "extractive"


def _accepts(fn, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def answer_stream(assistant, question: str, history: list[tuple[str, str]], **options) -> Iterator[str | Answer]:
    """Text pieces as they come, then the final Answer: from ``ask_stream`` when the API has it,
    else from ``ask``, streamed out word by word."""
    streams = hasattr(assistant, "ask_stream")
    fn = assistant.ask_stream if streams else assistant.ask
    if history and _accepts(fn, "history"):
        options["history"] = history
    if streams:
        yield from fn(question, **options)
        return
    answer = fn(question, **options)
    words = answer.text.split(" ")
    for i, word in enumerate(words):
        yield word if i == 0 else " " + word
        if i < len(words) - 1:
            time.sleep(_WORD_DELAY)
    yield answer


def respond(assistant, question, messages, session, mode, top_k, date_from, date_to, source):
    """The chat event: yields (messages, sources html, session, question box) as the answer streams."""
    question = (question or "").strip()
    if not question:
        yield messages, gr.skip(), session, ""
        return
    turn = len(session) + 1
    messages = [*messages, {"role": "user", "content": fmt.esc(question)},
                {"role": "assistant", "content": fmt.streaming_html("")}]
    yield messages, gr.skip(), session, ""
    try:
        options = {"mode": mode, "top_k": int(top_k), "source": source or None,
                   "date_from": fmt.parse_date(date_from, "From"), "date_to": fmt.parse_date(date_to, "To")}
        history = [(t["question"], t["answer"].text) for t in session]
        answer = yield from _stream_into(assistant, question, history, options, messages)
    except AssistantError as exc:
        messages[-1]["content"] = fmt.error_html(str(exc))
        yield messages, gr.skip(), session, gr.skip()
        return
    session = [*session, {"turn": turn, "question": question, "answer": answer}]
    messages[-1]["content"] = fmt.answer_html(answer, turn)
    sources = fmt.sources_html([(t["turn"], t["answer"]) for t in session], assistant.index.catalog.article_text)
    yield messages, sources, session, gr.skip()


def _stream_into(assistant, question, history, options, messages):
    """Streams the answer into the last message; falls back to extractive when an LLM mode fails."""
    start, partial, first = time.perf_counter(), "", None
    try:
        answer = None
        for item in answer_stream(assistant, question, history, **options):
            if isinstance(item, Answer):
                answer = item
                continue
            if first is None:
                first = time.perf_counter() - start
                log.info("first token after %.0f ms (mode %s)", first * 1000, options["mode"])
            partial += item
            messages[-1]["content"] = fmt.streaming_html(partial, draft=options["mode"] != "extractive")
            yield messages, gr.skip(), gr.skip(), gr.skip()
        if answer is None:
            raise AssistantError("the assistant returned no answer; see the server log")
    except AssistantError as exc:
        if options["mode"] == "extractive":
            raise
        log.warning("%s mode failed, answering extractively: %s", options["mode"], exc)
        answer = assistant.ask(question, **{**options, "mode": "extractive"})
        answer.note = f"{fmt.mode_label(options['mode'])} unavailable: {exc}. Showing the extractive answer."
    if answer.mode != options["mode"] and not answer.note:
        answer.note = f"{fmt.mode_label(options['mode'])} is not available here; showing the extractive answer."
    return answer


def corpus_views(assistant):
    """(status line, article table, removal choices, source filter choices) for the current index."""
    articles = assistant.articles()
    ids = [a["id"] for a in articles]
    sources = sorted({a["source"] for a in articles if a.get("source")})
    return (fmt.status_line(assistant.status()), fmt.article_rows(articles),
            gr.update(choices=ids, value=None), gr.update(choices=[("All sources", "")] + [(s, s) for s in sources]))


def upload(assistant, files, progress):
    if not files:
        return (gr.skip(),) * 6
    uploads = [(f, Path(f).name) for f in files]
    results = fmt.ingest_uploads(assistant, uploads, progress=lambda frac, desc: progress(frac, desc=desc))
    return (fmt.upload_html(results), None, *corpus_views(assistant))


def remove(assistant, article_id):
    try:
        message = fmt.remove_article(assistant, article_id)
    except AssistantError as exc:
        message = f"Not removed: {exc}"
    return (message, *corpus_views(assistant))


def build_app(assistant) -> gr.Blocks:
    with gr.Blocks(title="News Assistant", analytics_enabled=False) as app:
        session = gr.State([])  # this browser session's turns: {"turn", "question", "answer"}
        with gr.Row(elem_id="na-header"):
            gr.HTML('<div class="na-brand"><h1>News Assistant</h1><p>Answers only from your articles, every '
                    "claim cited to the sentence it comes from.</p></div>")
            status = gr.HTML(elem_id="na-status")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=420):
                        chatbot = gr.Chatbot(elem_id="na-chat", height=520, latex_delimiters=[], show_label=False,
                                             buttons=["copy"], placeholder="**Ask a question about the articles.**"
                                             "<br>Answers quote the articles and cite each sentence [n].")
                        with gr.Row(elem_id="na-ask-row"):
                            question = gr.Textbox(elem_id="na-question", show_label=False, scale=8, autofocus=True,
                                                  placeholder="Ask about the articles…", max_lines=4)
                            send = gr.Button("Ask", variant="primary", elem_id="na-send", scale=1, min_width=80)
                            clear = gr.Button("New chat", elem_id="na-clear", scale=1, min_width=120)
                        gr.Examples(EXAMPLES, inputs=question, label="Try")
                        with gr.Accordion("Answer settings", open=False, elem_id="na-settings"):
                            mode = gr.Radio(MODES, value=default_mode(assistant.settings), label="Answer mode")
                            top_k = gr.Slider(1, 20, value=assistant.settings.top_k, step=1,
                                              label="Passages to read")
                            with gr.Row():
                                date_from = gr.Textbox(label="From", placeholder="YYYY-MM-DD")
                                date_to = gr.Textbox(label="To", placeholder="YYYY-MM-DD")
                                source = gr.Dropdown([("All sources", "")], value="", label="Source",
                                                     allow_custom_value=True)
                    with gr.Column(scale=2, min_width=320):
                        gr.HTML('<h2 class="na-panel-title">Sources</h2>')
                        sources = gr.HTML(fmt.EMPTY_SOURCES, elem_id="na-sources")
            with gr.Tab("Articles", id="articles"):
                table = gr.Dataframe(headers=["Title", "Date", "Source", "Passages", "Id"], interactive=False,
                                     elem_id="na-articles", wrap=True, label="Indexed articles", show_label=True,
                                     column_widths=["38%", "12%", "18%", "9%", "23%"])
                with gr.Row(equal_height=False):
                    with gr.Column():
                        files = gr.File(label="Add articles (.txt, .md, .html, .jsonl)", file_count="multiple",
                                        file_types=sorted(fmt.SUPPORTED_SUFFIXES), elem_id="na-upload")
                        results = gr.HTML(elem_id="na-upload-results")
                    with gr.Column():
                        to_remove = gr.Dropdown([], label="Remove an article", elem_id="na-remove-choice")
                        remove_btn = gr.Button("Remove from index", variant="stop", elem_id="na-remove")
                        removed = gr.Markdown(elem_id="na-remove-result")
            from .ui_feeds import feeds_tab  # the Feeds tab (issue 14)
            feeds_tab(assistant)

        corpus_outputs = [status, table, to_remove, source]
        app.load(lambda: corpus_views(assistant), outputs=corpus_outputs, api_name=False)
        chat_inputs = [question, chatbot, session, mode, top_k, date_from, date_to, source]
        chat_outputs = [chatbot, sources, session, question]

        def chat(*args):
            yield from respond(assistant, *args)

        for trigger in (question.submit, send.click):
            trigger(chat, chat_inputs, chat_outputs, concurrency_limit=4, concurrency_id="chat", api_name=False)
        clear.click(lambda: ([], fmt.EMPTY_SOURCES, []), outputs=[chatbot, sources, session], api_name=False)
        chatbot.clear(lambda: (fmt.EMPTY_SOURCES, []), outputs=[sources, session], api_name=False)
        files.upload(lambda f, progress=_PROGRESS: upload(assistant, f, progress), files,
                     [results, files, *corpus_outputs], api_name=False)
        remove_btn.click(lambda a: remove(assistant, a), to_remove, [removed, *corpus_outputs], api_name=False)
    return app


def launch_options() -> dict:
    """Theme, CSS and the citation-click script: Gradio 6 takes them at launch, not in Blocks()."""
    return {"theme": gr.themes.Soft(primary_hue="indigo", neutral_hue="slate"), "css": CSS, "head": HEAD}


# A citation link opens its answer's group in the sources panel and scrolls its card into view.
HEAD = """<script>
document.addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a.na-cite');
  if (!a) return;
  e.preventDefault(); e.stopPropagation();
  var card = document.getElementById(a.getAttribute('href').slice(1));
  if (!card) return;
  var group = card.closest('details'); if (group) group.open = true;
  card.scrollIntoView({behavior: 'smooth', block: 'center'});
  card.classList.remove('na-flash'); void card.offsetWidth; card.classList.add('na-flash');
}, true);
</script>"""

CSS = """
#na-header {align-items: center; border-bottom: 1px solid var(--border-color-primary); padding-bottom: 6px;}
.na-brand h1 {font-size: 1.5rem; margin: 0;} .na-brand p {margin: 2px 0 0; color: var(--body-text-color-subdued);}
#na-status {text-align: right; color: var(--body-text-color-subdued); font-size: .9rem;}
.na-answer .na-text {margin: 0 0 6px;}
a.na-cite, span.na-cite {font-size: .78em; font-weight: 600; text-decoration: none; padding: 0 3px;
  border-radius: 4px; background: var(--color-accent-soft); color: var(--color-accent); cursor: pointer;}
.na-meta {font-size: .78rem; color: var(--body-text-color-subdued); margin-top: 4px;}
.na-mode {font-weight: 600;}
.na-standalone {font-size: .8rem; color: var(--body-text-color-subdued); font-style: italic; margin-bottom: 4px;}
.na-note {font-size: .85rem; border-left: 3px solid #d97706; padding: 2px 8px; margin-bottom: 6px;}
.na-error {border-left: 3px solid #dc2626; padding: 2px 8px;}
.na-abstain {border-left: 3px solid #64748b; padding: 2px 8px;} .na-abstain span {display: block; font-size: .85rem;}
.na-removed summary {cursor: pointer; font-size: .8rem; color: var(--body-text-color-subdued);}
.na-removed li {font-size: .85rem; margin: 4px 0;} .na-reason {display: block; color: #b45309; font-size: .78rem;}
.na-draft .na-text {color: var(--body-text-color-subdued);} .na-drafting {font-size: .75rem; font-style: italic;}
.na-streaming .na-text::after {content: '▍'; animation: na-blink 1s steps(1) infinite;}
@keyframes na-blink {50% {opacity: 0;}}
.na-panel-title {font-size: 1.1rem; margin: 4px 0;}
#na-sources {max-height: 640px; overflow-y: auto;}
.na-sources-empty {color: var(--body-text-color-subdued); padding: 12px; border: 1px dashed
  var(--border-color-primary); border-radius: 8px;}
.na-turn > summary {cursor: pointer; font-weight: 600; margin: 6px 0; font-size: .9rem;}
.na-card {border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px; margin: 8px 0;
  background: var(--block-background-fill); scroll-margin: 80px;}
.na-card-head {display: flex; gap: 8px; align-items: baseline;}
.na-badge {background: var(--color-accent); color: white; border-radius: 6px; padding: 0 7px; font-size: .8rem;
  font-weight: 700;}
.na-title {font-weight: 600;} .na-card-meta, .na-card-id {font-size: .78rem; color: var(--body-text-color-subdued);}
.na-passage {font-size: .9rem; line-height: 1.5; margin: 6px 0; white-space: pre-wrap;}
.na-passage mark {background: #fde68a; color: #1f2937; padding: 1px 2px; border-radius: 3px;}
.na-uploads {list-style: none; padding: 0;} .na-uploads li {margin: 6px 0;}
.na-up-icon {display: inline-block; width: 1.2em; font-weight: 700;} .na-up-skipped .na-up-icon {color: #dc2626;}
.na-up-added .na-up-icon, .na-up-updated .na-up-icon {color: #16a34a;}
.na-up-detail {display: block; margin-left: 1.2em; font-size: .8rem; color: var(--body-text-color-subdued);}
.na-flash {animation: na-flash 1.6s ease-out;}
@keyframes na-flash {0% {box-shadow: 0 0 0 3px var(--color-accent);} 100% {box-shadow: 0 0 0 0 transparent;}}
"""
