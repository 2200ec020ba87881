"""The sources panel and the article viewer, as HTML: each answer's citations grouped by article.

No Gradio here. A card per article (title, date, source), one quote per ``[n]`` with its passage
around it, and "open the full article": the whole text with every cited span highlighted.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from .stories import also_published_by
from .types import Answer, Citation
from .ui_format import anchor, esc, safe_url

CONTEXT_CHARS = 320  # article text shown on each side of a quote in the sources panel
REMOVED = "This article has since been removed from the index; the quote is shown as it was."
CHANGED = "The article has changed since this answer; its quotes are shown as they were."

EMPTY_SOURCES = ('<div class="na-sources-empty"><p>Sources appear here.</p><p>Every answer cites the exact '
                 "sentence it comes from: click a <span class=\"na-cite\">[n]</span> to see it in its article."
                 "</p></div>")


def passage(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, quote, after) around ``text[start:end]``, cut at word boundaries, with ellipses."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    before, after = text[lo:start], text[end:hi]
    return ("…" + before if lo > 0 else before), text[start:end], (after + "…" if hi < len(text) else after)


def highlighted(text: str, spans: list[tuple[int, int, int]]) -> str:
    """The whole article, escaped, with each (start, end, n) span marked; overlapping spans merge."""
    out, pos = [], 0
    for start, end, n in sorted(spans):
        start = max(start, pos)
        if start >= end:
            continue
        out += [esc(text[pos:start]), f'<mark data-n="{n}">{esc(text[start:end])}</mark>']
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _quote(turn: int, c: Citation, text: str | None) -> str:
    if text is not None and text[c.start : c.end] == c.quote:
        before, quote, after = passage(text, c.start, c.end)
    else:  # the article changed or was removed since the answer: show the quote alone
        before, quote, after = "", c.quote, ""
    return (f'<div class="na-quote" id="{anchor(turn, c.n)}"><span class="na-badge">{c.n}</span>'
            f'<p class="na-passage">{esc(before)}<mark>{esc(quote)}</mark>{esc(after)}</p>'
            f'<div class="na-card-id">characters {c.start}–{c.end}</div></div>')


def article_card(turn: int, citations: list[Citation], text: str | None, also: str = "") -> str:
    """One article of one answer: its title, date and source (and the other outlets that carry the same
    story), each quote from it, and the full article."""
    c = citations[0]
    meta = [esc(x) for x in (c.date, c.source, also) if x]
    url = safe_url(c.url)
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">original page ↗</a>')
    current = [x for x in citations if text is not None and text[x.start : x.end] == x.quote]
    if text is None:
        viewer = f'<div class="na-gone">{esc(REMOVED)}</div>'
    elif current:
        viewer = ('<details class="na-full"><summary>Open the full article</summary>'
                  f'<div class="na-full-text">{highlighted(text, [(x.start, x.end, x.n) for x in current])}</div>'
                  "</details>")
    else:
        viewer = f'<div class="na-gone">{esc(CHANGED)}</div>'
    return (f'<section class="na-card" data-article="{esc(c.article_id)}">'
            f'<div class="na-card-head"><span class="na-title">{esc(c.title or c.article_id)}</span></div>'
            + (f'<div class="na-card-meta">{" · ".join(meta)}</div>' if meta else "")
            + "".join(_quote(turn, x, text) for x in citations) + viewer + "</section>")


def by_article(citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by article, articles in order of first citation."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.article_id, []).append(c)
    return list(groups.values())


def sources_html(turns: Iterable[tuple[int, Answer]], article_text: Callable[[str], str | None]) -> str:
    """One group per answer, newest first and open, older ones folded; in each, one card per article."""
    turns = [(t, a) for t, a in turns if a.citations]
    if not turns:
        return EMPTY_SOURCES
    text_of = functools.cache(article_text)
    groups = []
    for i, (turn, answer) in enumerate(reversed(turns)):
        also = {h.chunk.article_id: also_published_by(h) for h in answer.hits}
        cards = "".join(article_card(turn, group, text_of(group[0].article_id), also.get(group[0].article_id, ""))
                        for group in by_article(answer.citations))
        groups.append(f'<details class="na-turn" data-turn="{turn}"{" open" if i == 0 else ""}>'
                      f'<summary>{esc(answer.question)}</summary>{cards}</details>')
    return '<div class="na-sources">' + "".join(groups) + "</div>"


def article_view_html(article: dict | None, text: str | None) -> str:
    """The article viewer of the Articles tab: title, date, source, link, and the whole text."""
    if article is None or text is None:
        return '<div class="na-sources-empty">Choose an article in the list to read it here.</div>'
    meta = [esc(x) for x in (article.get("date"), article.get("source")) if x]
    url = safe_url(article.get("url"))
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">original page ↗</a>')
    return (f'<article class="na-viewer"><h3>{esc(article.get("title") or article["id"])}</h3>'
            + (f'<div class="na-card-meta">{" · ".join(meta)}</div>' if meta else "")
            + f'<div class="na-full-text">{esc(text)}</div>'
            f'<div class="na-card-id">{esc(article["id"])}</div></article>')
