"""The Gradio chat UI: ``build_app(assistant)`` lays out the Blocks and wires the events.

Launching is ``ui.py``'s job. What the UI shows is built in ``ui_format`` / ``ui_sources``, the chat
event is ``ui_chat``, the Articles tab ``ui_articles``, saved conversations ``ui_history``.
Another module adds a tab by passing ``extra_tabs``: callables ``tab(assistant)`` run inside ``gr.Tabs``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import gradio as gr

from . import ui_format as fmt
from . import ui_history as history
from .api import MAX_QUESTION_CHARS
from .llm_server import local_available
from .ui_articles import article_by_id, articles_tab, corpus_views
from .ui_assets import CSS, HEAD
from .ui_chat import Sessions, messages_for, notice_html, panel, respond
from .ui_sources import EMPTY_SOURCES

log = logging.getLogger(__name__)

EXAMPLES = ["How many NVIDIA chips has SenseTime bought?", "When does SenseTime aim to turn profitable?",
            "What was SenseTime's revenue in 2023?"]
OPENAI_HINT = ("set llm_base_url (or OPENAI_BASE_URL) and, if it asks for one, llm_api_key (or OPENAI_API_KEY), "
               "then restart")


def available_modes(settings) -> tuple[list[tuple[str, str]], list[str]]:
    """([(label, mode)] of the modes that can run here, [how to enable each of the others])."""
    modes, off = [(fmt.MODE_LABELS["extractive"], "extractive")], []
    ok, why = local_available(settings)
    if ok:
        modes.append((fmt.MODE_LABELS["local"], "local"))
    else:
        off.append(f"{fmt.MODE_LABELS['local']}: {why}")
    if settings.llm_base_url or settings.llm_api_key:
        modes.append((fmt.MODE_LABELS["openai"], "openai"))
    else:
        off.append(f"{fmt.MODE_LABELS['openai']}: {OPENAI_HINT}")
    return modes, off


def default_mode(settings, modes: list[tuple[str, str]] | None = None) -> str:
    offered = {m for _, m in modes} if modes is not None else {"extractive", "local", "openai"}
    mode = settings.mode if settings.mode in {"extractive", "local", "openai"} else (
        "openai" if settings.llm_base_url else "extractive")
    return mode if mode in offered else "extractive"


def build_app(assistant, extra_tabs: Iterable[Callable] = ()) -> gr.Blocks:
    modes, modes_off = available_modes(assistant.settings)
    sessions = Sessions()
    with gr.Blocks(title="News Assistant", analytics_enabled=False) as app:
        turns = gr.State([])  # this browser session's turns: {"turn", "question", "answer", "mode", "filters"}
        conv_id = gr.State("")  # the saved conversation these turns belong to ("" until its first answer)
        saved = gr.BrowserState([], storage_key="news-assistant-conversations",
                                secret=history.browser_secret(assistant.settings.data_dir))
        with gr.Row(elem_id="na-header"):
            gr.HTML('<div class="na-brand"><h1>News Assistant</h1><p>Answers only from your articles, every '
                    "claim cited to the sentence it comes from.</p></div>")
            status = gr.HTML(elem_id="na-status")
            theme = gr.Button("Light / dark", elem_id="na-theme", size="sm", scale=0, min_width=110)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        chatbot = gr.Chatbot(elem_id="na-chat", height=520, latex_delimiters=[], show_label=False,
                                             buttons=[], placeholder="**Ask a question about the articles.**"
                                             "<br>Answers quote the articles and cite each sentence [n].")
                        with gr.Row(elem_id="na-ask-row"):
                            question = gr.Textbox(elem_id="na-question", show_label=False, scale=8, autofocus=True,
                                                  placeholder="Ask about the articles…", max_lines=4, min_width=160)
                            send = gr.Button("Ask", variant="primary", elem_id="na-send", scale=1, min_width=70)
                            stop = gr.Button("Stop", variant="stop", elem_id="na-stop", scale=1, min_width=70)
                            clear = gr.Button("New chat", elem_id="na-clear", scale=1, min_width=90)
                        gr.HTML(f'<span id="na-count">0 / {MAX_QUESTION_CHARS:,} characters</span>'
                                '<button type="button" id="na-back" hidden>↑ Back to the answer</button>')
                        notice = gr.HTML(elem_id="na-notice")
                        gr.Examples(EXAMPLES, inputs=question, label="Try")
                        with gr.Accordion(fmt.FILTER_PANEL, open=False, elem_id="na-settings"):
                            mode = gr.Radio(modes, value=default_mode(assistant.settings, modes), label="Answer mode",
                                            elem_id="na-mode")
                            if modes_off:
                                gr.HTML('<div class="na-modes-off" id="na-modes-off">Not available here: '
                                        + "; ".join(fmt.esc(m) for m in modes_off) + "</div>")
                            top_k = gr.Slider(1, 20, value=assistant.settings.top_k, step=1,
                                              label="Passages to read")
                            with gr.Row():
                                date_from = gr.Textbox(label="From", placeholder="YYYY-MM-DD", info=fmt.UNDATED_NOTE)
                                date_to = gr.Textbox(label="To", placeholder="YYYY-MM-DD", info=fmt.UNDATED_NOTE)
                                source = gr.Dropdown([("All sources", "")], value="", label="Source",
                                                     allow_custom_value=True)
                        with gr.Accordion("Conversations (kept in this browser)", open=False, elem_id="na-history"):
                            conv_list = gr.Dropdown([], label="Saved conversations", elem_id="na-conv-list")
                            with gr.Row():
                                reopen = gr.Button("Open", elem_id="na-conv-open", size="sm")
                                delete = gr.Button("Delete", elem_id="na-conv-delete", size="sm", variant="stop")
                            with gr.Row():
                                new_title = gr.Textbox(label="New title", elem_id="na-conv-title", scale=3)
                                rename = gr.Button("Rename", elem_id="na-conv-rename", size="sm", scale=1)
                    with gr.Column(scale=2, min_width=280):
                        gr.HTML('<h2 class="na-panel-title">Sources</h2>')
                        sources = gr.HTML(EMPTY_SOURCES, elem_id="na-sources")
                        with gr.Accordion("Articles the assistant knows", open=False, elem_id="na-known"):
                            picker = gr.Dropdown([], value=None, label="Find an article (type to filter)",
                                                 elem_id="na-article-pick", filterable=True)
                            picked = gr.HTML(elem_id="na-article-view")
            query, corpus_outputs = articles_tab(assistant, status, source, picker)
            for tab in extra_tabs:  # e.g. the Feeds tab of assistant/ui_feeds.py
                tab(assistant)

        app.load(lambda q: corpus_views(assistant, q), query, corpus_outputs, api_name=False)
        app.load(lambda s: gr.update(choices=history.choices(s)), saved, conv_list, api_name=False)
        picker.change(lambda aid: article_by_id(assistant, aid), picker, picked, api_name=False,
                      show_progress="hidden")
        theme.click(None, js="() => window.naToggleTheme && window.naToggleTheme()")

        def chat(q, messages, t, m, k, d_from, d_to, src, request: gr.Request):
            yield from respond(assistant, sessions, request.session_hash if request else "", q, messages, t, m, k,
                               d_from, d_to, src)

        def keep(cid, t, s):
            if not t:
                return gr.skip(), gr.skip(), cid
            cid = cid or history.new_id()
            s = history.save_turns(s, cid, t)
            return s, gr.update(choices=history.choices(s), value=cid), cid

        chat_inputs = [question, chatbot, turns, mode, top_k, date_from, date_to, source]
        chat_outputs = [chatbot, sources, turns, question, notice]
        events = []
        for trigger in (question.submit, send.click):
            event = trigger(chat, chat_inputs, chat_outputs, concurrency_limit=4, concurrency_id="chat",
                            api_name=False, trigger_mode="multiple", show_progress="hidden")
            event.then(keep, [conv_id, turns, saved], [saved, conv_list, conv_id], api_name=False)
            events.append(event)

        def stopped(messages, request: gr.Request):
            sessions.release(request.session_hash if request else "")
            if messages and messages[-1].get("role") == "assistant" and "na-streaming" in str(
                    messages[-1].get("content")):
                messages = [*messages[:-1], {"role": "assistant", "content": fmt.stopped_html()}]
            return messages, notice_html("Stopped.", "info")

        stop.click(stopped, chatbot, [chatbot, notice], cancels=events, api_name=False, queue=False)
        fresh = ([], EMPTY_SOURCES, [], "", "")
        clear.click(lambda: fresh, outputs=[chatbot, sources, turns, conv_id, notice], api_name=False)
        chatbot.clear(lambda: fresh[1:], outputs=[sources, turns, conv_id, notice], api_name=False)

        def open_conv(cid, s):
            t = history.load_turns(s, cid)
            if not t:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), notice_html("Choose a saved conversation.")
            return messages_for(t), panel(assistant, t), t, cid, ""

        reopen.click(open_conv, [conv_list, saved], [chatbot, sources, turns, conv_id, notice], api_name=False)

        def rename_conv(cid, title, s):
            s = history.rename(s, cid, title)
            return s, gr.update(choices=history.choices(s), value=cid), ""

        rename.click(rename_conv, [conv_list, new_title, saved], [saved, conv_list, new_title], api_name=False)

        def delete_conv(cid, current, s):
            s = history.delete(s, cid)
            update = gr.update(choices=history.choices(s), value=None)
            if cid and cid == current:
                return (s, update, *fresh)
            return (s, update, *(gr.skip(),) * 5)

        delete.click(delete_conv, [conv_list, conv_id, saved],
                     [saved, conv_list, chatbot, sources, turns, conv_id, notice], api_name=False)
    return app


def launch_options() -> dict:
    """Theme, CSS and the page script: Gradio 6 takes them at launch, not in Blocks()."""
    return {"theme": gr.themes.Soft(primary_hue="indigo", neutral_hue="slate"), "css": CSS, "head": HEAD}
