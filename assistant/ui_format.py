"""What the chat UI shows, as HTML strings built from the domain types; no Gradio here.

Every piece of article or user text goes through :func:`esc`: an article holding
``<script>`` or ``<img onerror=...>`` is displayed as text and never runs.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .errors import AssistantError, BadInputError
from .loading import SUPPORTED_SUFFIXES
from .prompts import CANNOT_ANSWER
from .types import Answer, Citation, IngestReport, SentenceCheck

MODE_LABELS = {"extractive": "Extractive · quoted from the articles", "local": "Local model",
               "openai": "OpenAI-compatible endpoint"}
CONTEXT_CHARS = 320  # article text shown on each side of a quote in the sources panel
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def safe_url(url: str | None) -> str:
    """The URL if it is plain http(s), else "" (a ``javascript:`` link must never be rendered)."""
    url = (url or "").strip()
    try:
        return url if urlparse(url).scheme in {"http", "https"} and urlparse(url).netloc else ""
    except ValueError:
        return ""


def mode_label(mode: str, model: str = "") -> str:
    label = MODE_LABELS.get(mode, mode or "unknown mode")
    return f"{label} · {model}" if model else label


def anchor(turn: int, n: int) -> str:
    return f"src-{turn}-{n}"


# --- the answer, as a chat message ------------------------------------------------------


def streaming_html(partial: str, draft: bool = False) -> str:
    """The answer while it streams; ``draft`` for LLM text whose citations are not checked yet."""
    note = '<div class="na-drafting">Draft: each sentence is checked against its source before it stays.</div>'
    return (f'<div class="na-answer na-streaming{" na-draft" if draft else ""}">'
            f'<p class="na-text">{_lines(esc(partial))}</p>{note if draft else ""}</div>')


def error_html(message: str) -> str:
    return f'<div class="na-answer"><div class="na-error">{esc(message)}</div></div>'


def answer_html(answer: Answer, turn: int) -> str:
    """The answer with each ``[n]`` linked to its source card, then mode, notes and removed sentences."""
    parts = ['<div class="na-answer">']
    standalone = (answer.standalone_question or "").strip()
    if standalone and standalone != answer.question.strip():
        parts.append(f'<div class="na-standalone">Searched for: “{esc(standalone)}”</div>')
    if answer.note:
        parts.append(f'<div class="na-note">{esc(answer.note)}</div>')
    if answer.abstained:
        parts.append(f'<div class="na-abstain"><strong>{esc(CANNOT_ANSWER)}</strong>'
                     '<span>Try rephrasing, or widen the date and source filters in Settings.</span></div>')
    else:
        parts.append(f'<p class="na-text">{link_citations(answer.text, answer.citations, turn)}</p>')
    parts += [removed_html(answer.verification), _meta_html(answer), "</div>"]
    return "".join(parts)


def link_citations(text: str, citations: list[Citation], turn: int) -> str:
    """Escaped text with every known ``[n]`` made a link to ``#src-turn-n``; unknown numbers stay text."""
    known = {c.n for c in citations}

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="na-cite" href="#{anchor(turn, n)}" title="Show source {n}">[{n}]</a>'

    return _lines(re.sub(r"\[(\d{1,3})\]", link, esc(text)))


def removed_html(verification: list[SentenceCheck]) -> str:
    removed = [check for check in verification if not check.supported]
    if not removed:
        return ""
    items = "".join(f'<li><q>{esc(c.text)}</q><span class="na-reason">{esc(c.reason)}</span></li>' for c in removed)
    plural = "s" if len(removed) > 1 else ""
    return (f'<details class="na-removed"><summary>Show {len(removed)} sentence{plural} the verifier removed'
            f"</summary><ul>{items}</ul></details>")


def _meta_html(answer: Answer) -> str:
    bits = [f'<span class="na-mode">{esc(mode_label(answer.mode, answer.model))}</span>']
    if answer.verification:
        kept = sum(1 for c in answer.verification if c.supported)
        bits.append(f"{kept}/{len(answer.verification)} sentences verified")
    if answer.citations:
        bits.append(f"{len(answer.citations)} source{'s' if len(answer.citations) > 1 else ''}")
    if "total_ms" in answer.timings:
        bits.append(f"{answer.timings['total_ms']:.0f} ms")
    return f'<div class="na-meta">{" · ".join(bits)}</div>'


def _lines(escaped: str) -> str:
    # No blank lines may reach the chat's Markdown renderer: they would end the HTML block.
    return "<br>".join(line for line in escaped.splitlines() if line.strip())


# --- the sources panel ------------------------------------------------------------------

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


def source_card(turn: int, c: Citation, article_text: str | None) -> str:
    meta = [esc(x) for x in (c.date, c.source) if x]
    url = safe_url(c.url)
    if url:
        meta.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">open article ↗</a>')
    if article_text is not None and article_text[c.start : c.end] == c.quote:
        before, quote, after = passage(article_text, c.start, c.end)
    else:  # the article changed or was removed since the answer: show the quote alone
        before, quote, after = "", c.quote, ""
    return (
        f'<section class="na-card" id="{anchor(turn, c.n)}">'
        f'<div class="na-card-head"><span class="na-badge">{c.n}</span>'
        f'<span class="na-title">{esc(c.title or c.article_id)}</span></div>'
        + (f'<div class="na-card-meta">{" · ".join(meta)}</div>' if meta else "")
        + f'<p class="na-passage">{esc(before)}<mark>{esc(quote)}</mark>{esc(after)}</p>'
        f'<div class="na-card-id">{esc(c.article_id)} · characters {c.start}–{c.end}</div></section>'
    )


def sources_html(turns: Iterable[tuple[int, Answer]], article_text: Callable[[str], str | None]) -> str:
    """One group of source cards per answer, newest first and open; older ones folded."""
    turns = [(t, a) for t, a in turns if a.citations]
    if not turns:
        return EMPTY_SOURCES
    text_of = functools.cache(article_text)
    groups = []
    for i, (turn, answer) in enumerate(reversed(turns)):
        cards = "".join(source_card(turn, c, text_of(c.article_id)) for c in answer.citations)
        groups.append(f'<details class="na-turn" data-turn="{turn}"{" open" if i == 0 else ""}>'
                      f'<summary>{esc(answer.question)}</summary>{cards}</details>')
    return '<div class="na-sources">' + "".join(groups) + "</div>"


# --- settings and the corpus tab ---------------------------------------------------------


def parse_date(value: str | None, label: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _DATE.fullmatch(value):
        raise BadInputError(f"{label} must be a date like 2024-05-28, not {value!r}")
    return value


def article_rows(articles: list[dict]) -> list[list]:
    """Rows for the corpus table: title, date, source, chunks, id."""
    return [[a.get("title") or a["id"], a.get("date") or "", a.get("source") or "", a.get("chunks", 0), a["id"]]
            for a in articles]


def status_line(status: dict) -> str:
    n, chunks = status.get("articles", 0), status.get("chunks", 0)
    return f"{n} article{'s' if n != 1 else ''} · {chunks} passages indexed"


# --- uploads -----------------------------------------------------------------------------


@dataclass
class FileResult:
    """What happened to one uploaded file, as the corpus tab lists it."""

    name: str  # the sanitised name it was saved and ingested under
    status: str  # "added", "updated", "unchanged" or "skipped"
    detail: str  # the article ids, or why the file was skipped


def safe_filename(name: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no ``..``, no control characters."""
    name = unicodedata.normalize("NFKC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" .")[:80] or "upload"
    return f"{stem}.{suffix[:10]}" if suffix else stem


def save_uploads(uploads: Iterable[tuple[str | Path, str]], folder: Path) -> list[tuple[str, Path | None]]:
    """Copy each (temporary path, original name) into ``folder`` under a safe, unique name:
    (safe name, saved path, or None when ingest does not read that format)."""
    folder = folder.resolve()
    taken: set[str] = set()
    saved = []
    for src, original in uploads:
        name = safe_filename(original)
        stem, suffix = Path(name).stem, Path(name).suffix
        k = 2
        while name.lower() in taken:
            name, k = f"{stem}-{k}{suffix}", k + 1
        taken.add(name.lower())
        if suffix.lower() not in SUPPORTED_SUFFIXES:
            saved.append((name, None))
            continue
        dest = folder / name
        if dest.resolve().parent != folder:  # unreachable after safe_filename; kept as the last guard
            raise BadInputError(f"refusing to save an upload outside the upload folder: {original!r}")
        shutil.copyfile(src, dest)
        saved.append((name, dest))
    return saved


def ingest_uploads(assistant, uploads: list[tuple[str | Path, str]],
                   progress: Callable[[float, str], None] | None = None) -> list[FileResult]:
    """Save the uploads into a fresh temporary folder and ingest them one file at a time."""
    formats = ", ".join(sorted(SUPPORTED_SUFFIXES))
    results = []
    with tempfile.TemporaryDirectory(prefix="assistant-upload-") as tmp:
        saved = save_uploads(uploads, Path(tmp))
        for i, (name, path) in enumerate(saved):
            if progress:
                progress(i / max(len(saved), 1), f"Indexing {name}")
            if path is None:
                results.append(FileResult(name, "skipped", f"not an article format ingest reads ({formats})"))
                continue
            try:
                report = assistant.ingest(path, progress=False)
            except AssistantError as exc:
                results.append(FileResult(name, "skipped", str(exc)))
                continue
            results.append(_file_result(name, str(path), report))
    return results


def _file_result(name: str, path: str, report: IngestReport) -> FileResult:
    problems = [p.reason if p.path == path else f"{p.path.replace(path, name)}: {p.reason}" for p in report.failed]
    for status, ids in (("added", report.new), ("updated", report.updated), ("unchanged", report.unchanged)):
        if ids:
            detail = f"article{'s' if len(ids) > 1 else ''}: " + ", ".join(ids)
            detail += f" (skipped: {'; '.join(problems)})" if problems else ""
            return FileResult(name, status, detail)
    return FileResult(name, "skipped", "; ".join(problems) or "no article found in the file")


def upload_html(results: list[FileResult]) -> str:
    icons = {"added": "✓", "updated": "✓", "unchanged": "=", "skipped": "✗"}
    words = {"added": "added", "updated": "updated", "unchanged": "already indexed", "skipped": "skipped"}
    items = "".join(f'<li class="na-up-{r.status}"><span class="na-up-icon">{icons.get(r.status, "")}</span>'
                    f"<strong>{esc(r.name)}</strong> {words.get(r.status, esc(r.status))}"
                    f'<span class="na-up-detail">{esc(r.detail)}</span></li>' for r in results)
    return f'<ul class="na-uploads">{items}</ul>'


def remove_article(assistant, article_id: str) -> str:
    """Remove one article from the index; returns the message to show."""
    article_id = (article_id or "").strip()
    if not article_id:
        raise BadInputError("choose an article to remove")
    if not hasattr(assistant, "remove_article"):
        raise AssistantError("this version of the assistant cannot remove articles yet")
    assistant.remove_article(article_id)
    return f"Removed {article_id}."
