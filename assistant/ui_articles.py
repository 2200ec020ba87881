"""The Articles tab (a filterable list, a reader, uploads, removal after a confirmation), built in one
function, and the views of the index that the rest of the page shows (status line, source filter,
the article picker beside the chat). The work behind it is ``ui_corpus``.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from . import ui_corpus as corpus
from . import ui_format as fmt
from .errors import AssistantError
from .ui_sources import article_view_html

_PROGRESS = gr.Progress()  # Gradio finds a progress bar by a parameter defaulting to an instance


def corpus_views(assistant, query: str = ""):
    """(status line, article table, ids in the table, removal choices, source filter choices, the
    article picker beside the chat)."""
    articles = assistant.articles()
    shown = corpus.matching(articles, query)
    sources = sorted({a["source"] for a in articles if a.get("source")})
    return (corpus.status_line(assistant.status()), corpus.article_rows(shown), [a["id"] for a in shown],
            gr.update(choices=corpus.removal_choices(articles), value=[]),
            gr.update(choices=[("All sources", "")] + [(s, s) for s in sources]),
            gr.update(choices=corpus.picker_choices(articles)))


def articles_tab(assistant, status, source, picker):
    """The Articles tab: a filterable list, a reader, uploads and removal (with a confirmation).
    Returns (the filter box, the components ``corpus_views`` fills)."""
    with gr.Tab("Articles", id="articles"):
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=280):
                query = gr.Textbox(label="Filter articles", placeholder="title, source, date or file name",
                                   elem_id="na-article-filter")
                table = gr.Dataframe(headers=corpus.ARTICLE_HEADERS, interactive=False, elem_id="na-articles",
                                     wrap=True, label="Indexed articles (click one to read it)", show_label=True,
                                     column_widths=["52%", "16%", "20%", "12%"])
                shown_ids = gr.State([])
            with gr.Column(scale=2, min_width=280):
                viewer = gr.HTML(article_view_html(None, None), elem_id="na-viewer")
        with gr.Row(equal_height=False):
            with gr.Column(min_width=280):
                files = gr.File(label="Add articles (.txt, .md, .html, .jsonl)", file_count="multiple",
                                file_types=sorted(corpus.SUPPORTED_SUFFIXES), elem_id="na-upload")
                results = gr.HTML(elem_id="na-upload-results")
            with gr.Column(min_width=280):
                to_remove = gr.Dropdown([], label="Remove articles", multiselect=True, elem_id="na-remove-choice")
                remove_btn = gr.Button("Remove from index…", variant="stop", elem_id="na-remove")
                with gr.Group(visible=False, elem_id="na-confirm") as confirm:
                    question = gr.HTML()
                    with gr.Row():
                        yes = gr.Button("Yes, remove", variant="stop", elem_id="na-remove-yes")
                        no = gr.Button("Cancel", elem_id="na-remove-no")
                removed = gr.HTML(elem_id="na-remove-result")

    views = [status, table, shown_ids, to_remove, source, picker]
    query.change(lambda q: corpus_views(assistant, q), query, views, api_name=False, show_progress="hidden")

    def read(ids, evt: gr.SelectData):
        return _open_article(assistant, ids, evt)

    table.select(read, [shown_ids], viewer, api_name=False)

    def ask_first(ids):
        if not ids:
            return gr.update(visible=False), "", "Choose the articles to remove first."
        return gr.update(visible=True), corpus.removal_question(assistant.articles(), ids), ""

    def do_remove(ids, q):
        try:
            message = fmt.esc(corpus.remove_articles(assistant, ids))
        except AssistantError as exc:
            message = fmt.esc(f"Not removed: {exc}")
        return (gr.update(visible=False), message, *corpus_views(assistant, q))

    remove_btn.click(ask_first, to_remove, [confirm, question, removed], api_name=False)
    yes.click(do_remove, [to_remove, query], [confirm, removed, *views], api_name=False)
    no.click(lambda: (gr.update(visible=False), "Nothing removed."), outputs=[confirm, removed], api_name=False)

    def upload(f, q, progress=_PROGRESS):
        if not f:
            return (gr.skip(),) * (2 + len(views))
        uploads = [(p, Path(p).name) for p in f]
        done = corpus.ingest_uploads(assistant, uploads, progress=lambda frac, desc: progress(frac, desc=desc))
        return (corpus.upload_html(done), None, *corpus_views(assistant, q))

    files.upload(upload, [files, query], [results, files, *views], api_name=False)
    return query, views


def _open_article(assistant, ids: list[str], evt: gr.SelectData) -> str:
    row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
    if not isinstance(row, int) or not 0 <= row < len(ids):
        return gr.skip()
    return article_by_id(assistant, ids[row])


def article_by_id(assistant, article_id: str | None) -> str:
    article = next((a for a in assistant.articles() if a["id"] == article_id), None) if article_id else None
    return article_view_html(article, assistant.index.catalog.article_text(article_id) if article else None)
