"""The UI's Feeds tab: the feeds followed (last fetch, failures and why), Refresh, follow a feed, and ingest
one article's web page by URL. Built inside an open ``gr.Blocks`` by ``feeds_tab(assistant)``.
"""

from __future__ import annotations

import html
from datetime import datetime

import gradio as gr

from .errors import AssistantError
from .stories import also_published_by

FEED_HEADERS = ["Feed", "Title", "Last fetched", "Status", "Entries", "Why it failed"]
FAILURE_HEADERS = ["Feed", "Page", "Why"]


def also_html(hit) -> str:
    """'<p class="na-also">also published by …</p>' for a hit whose story other outlets carry, else ''."""
    text = also_published_by(hit)
    return f'<p class="na-also">{html.escape(text)}</p>' if text else ""


def feed_rows(assistant) -> tuple[list[list], list[list]]:
    web = assistant.web
    feeds = [[f.url, f.title, datetime.fromtimestamp(f.last_fetch).strftime("%Y-%m-%d %H:%M") if f.last_fetch
              else "never", f.status, f.entries, f.error] for f in web.feeds()]
    return feeds, [list(row) for row in web.failures()]


def _views(assistant, message: str):
    feeds, failures = feed_rows(assistant)
    return message, feeds, failures


def refresh_now(assistant):
    try:
        report = assistant.web.refresh(progress=False)
        message = f"Refreshed: {report.summary()}"
    except AssistantError as e:
        message = f"Refresh failed: {e}"
    return _views(assistant, html.escape(message))


def follow(assistant, url: str):
    if not (url or "").strip():
        return _views(assistant, "Give the URL of a feed, or of a site's page that links to one.")
    try:
        feed_url, title, new = assistant.web.add_feed(url)
        message = f"{'Following' if new else 'Already following'} {feed_url} {title}. Press Refresh to fetch it."
    except AssistantError as e:
        message = f"Cannot follow {url}: {e}"
    return _views(assistant, html.escape(message))


def ingest_page(assistant, url: str):
    if not (url or "").strip():
        return _views(assistant, "Give the URL of an article's web page.")
    try:
        report = assistant.web.ingest_url(url)
        message = f"{url}: {report.summary()}"
    except AssistantError as e:
        message = f"Cannot ingest {url}: {e}"
    return _views(assistant, html.escape(message))


def feeds_tab(assistant) -> None:
    """The Feeds tab, inside the ``gr.Tabs`` of an open ``gr.Blocks``."""
    with gr.Tab("Feeds", id="feeds") as tab:
        table = gr.Dataframe(headers=FEED_HEADERS, interactive=False, wrap=True, label="Feeds followed",
                             elem_id="na-feeds")
        with gr.Row():
            refresh_btn = gr.Button("Refresh", variant="primary", elem_id="na-refresh", scale=1)
            feed_url = gr.Textbox(show_label=False, placeholder="Feed URL (RSS or Atom), or a site's page",
                                  elem_id="na-feed-url", scale=4)
            follow_btn = gr.Button("Follow", elem_id="na-feed-add", scale=1)
        with gr.Row():
            page_url = gr.Textbox(show_label=False, placeholder="https://… an article's web page to ingest",
                                  elem_id="na-page-url", scale=5)
            page_btn = gr.Button("Ingest page", elem_id="na-page-ingest", scale=1)
        result = gr.Markdown(elem_id="na-feeds-result")
        failures = gr.Dataframe(headers=FAILURE_HEADERS, interactive=False, wrap=True,
                                label="Pages that could not be ingested", elem_id="na-feed-failures")
    outputs = [result, table, failures]
    tab.select(lambda: _views(assistant, ""), outputs=outputs, api_name=False)
    refresh_btn.click(lambda: refresh_now(assistant), outputs=outputs, concurrency_limit=1,
                      concurrency_id="refresh", api_name=False)
    follow_btn.click(lambda u: follow(assistant, u), feed_url, outputs, api_name=False)
    page_btn.click(lambda u: ingest_page(assistant, u), page_url, outputs, api_name=False)
