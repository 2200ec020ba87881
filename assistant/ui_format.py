"""One answer as a chat message: HTML built from the domain types, and the same as plain text for Copy.

No Gradio and no files here. Every piece of article or user text goes through :func:`esc`: an
article holding ``<script>`` or ``<img onerror=...>`` is displayed as text and never runs.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlparse

from .errors import BadInputError
from .prompts import CANNOT_ANSWER
from .types import Answer, Citation, SentenceCheck

MODE_LABELS = {"extractive": "Extractive (quotes only)", "local": "Local model",
               "openai": "OpenAI-compatible endpoint"}
# What the user sees while an answer is being made; nothing unverified is ever shown beside it.
PROGRESS = {"starting": "Starting the local model…", "searching": "Searching the articles…",
            "checking": "Checking each sentence against the articles…"}
FILTER_PANEL = "Answer settings"  # the accordion that holds the filters, named as the page names it
UNDATED_NOTE = "Articles without a date are left out while a date is set."
CLOSEST_PASSAGES = 3
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


def _lines(escaped: str) -> str:
    # No blank lines may reach the chat's Markdown renderer: they would end the HTML block.
    return "<br>".join(line for line in escaped.splitlines() if line.strip())


def parse_date(value: str | None, label: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _DATE.fullmatch(value):
        raise BadInputError(f"{label} must be a date like 2024-05-28, not {value!r}")
    return value


# --- while the answer is being made -------------------------------------------------------


def progress_html(state: str | None, verified: str = "") -> str:
    """A progress line (none when ``state`` is None) under only the text that already passed
    verification (``verified``)."""
    line = (f'<div class="na-progress" role="status"><span class="na-spinner" aria-hidden="true"></span>'
            f"{esc(PROGRESS[state])}</div>") if state else ""
    return (f'<div class="na-answer na-streaming" aria-busy="true"><p class="na-text">{_lines(esc(verified))}</p>'
            f"{line}</div>")


def stopped_html() -> str:
    return '<div class="na-answer"><div class="na-stopped">Stopped. Nothing of this answer was kept.</div></div>'


def error_html(message: str) -> str:
    return f'<div class="na-answer"><div class="na-error">{esc(message)}</div></div>'


# --- the finished answer ------------------------------------------------------------------


def answer_html(answer: Answer, turn: int, requested_mode: str = "", filters: dict[str, str] | None = None) -> str:
    """The answer with each ``[n]`` linked to its source card, then the removed sentences, the footer
    and a Copy button. ``filters``: the filters that were set, by their label ("Source", "From", "To")."""
    parts = ['<div class="na-answer">']
    standalone = (answer.standalone_question or "").strip()
    if standalone and standalone != answer.question.strip():
        parts.append(f'<div class="na-standalone">Searched for: “{esc(standalone)}”</div>')
    short = (getattr(answer, "short_answer", "") or "").strip()
    if short and not answer.abstained:
        parts.append(f'<p class="na-short"><strong>{esc(short)}</strong></p>')
    if answer.abstained:
        parts.append(refusal_html(answer, filters or {}))
    else:
        parts.append(f'<p class="na-text">{link_citations(answer.text, answer.citations, turn)}</p>')
    parts += [removed_html(answer.verification), footer_html(answer, requested_mode),
              copy_html(plain_text(answer)), "</div>"]
    return "".join(parts)


def copy_html(plain: str) -> str:
    """A Copy link and the plain text it copies (kept hidden; the chat's sanitiser drops buttons and data-*)."""
    # Newlines as character references: a blank line would end the chat Markdown's HTML block.
    text = esc(plain).replace("\n", "&#10;")
    return f'<pre class="na-plain">{text}</pre><a class="na-copy" href="#copy" title="Copy as plain text">Copy</a>'


def link_citations(text: str, citations: list[Citation], turn: int) -> str:
    """Escaped text with every known ``[n]`` made a link to ``#src-turn-n``; unknown numbers stay text."""
    known = {c.n for c in citations}

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<a class="na-cite" href="#{anchor(turn, n)}" title="Show source {n}">[{n}]</a>'

    return _lines(re.sub(r"\[(\d{1,3})\]", link, esc(text)))


def refusal_html(answer: Answer, filters: dict[str, str]) -> str:
    """The refusal, what to try (naming the filters only when some are set), and the closest passages."""
    if filters:
        set_ = "; ".join(f"{k}: {v}" for k, v in filters.items())
        hint = f"Only articles matching the filters in {FILTER_PANEL} were searched ({set_}): widen them and ask again."
        if "From" in filters or "To" in filters:
            hint += " " + UNDATED_NOTE
    else:
        hint = "Try asking in other words, or add articles that cover it."
    parts = [f'<div class="na-abstain"><strong>{esc(CANNOT_ANSWER)}</strong><span>{esc(hint)}</span></div>']
    closest = answer.hits[:CLOSEST_PASSAGES]
    if closest:
        items = "".join(f'<li><span class="na-title">{esc(h.chunk.title or h.chunk.article_id)}</span>'
                        f'<span class="na-snippet">{esc(_snippet(h.chunk.text))}</span></li>' for h in closest)
        parts.append(f'<details class="na-closest"><summary>Closest passages found (they do not answer the '
                     f"question)</summary><ul>{items}</ul></details>")
    return "".join(parts)


def _snippet(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + "…"


def removed_html(verification: list[SentenceCheck]) -> str:
    removed = [check for check in verification if not check.supported]
    if not removed:
        return ""
    items = "".join(f'<li><q>{esc(c.text)}</q><span class="na-reason">{esc(c.reason)}</span></li>' for c in removed)
    plural = "s" if len(removed) > 1 else ""
    return (f'<details class="na-removed"><summary>{len(removed)} sentence{plural} not supported by the articles'
            f" (removed)</summary><ul>{items}</ul></details>")


def footer_text(answer: Answer, requested_mode: str = "") -> str:
    """What happened: which mode answered, why another one did not, how many sentences were kept."""
    bits = [f"Answered by {mode_label(answer.mode, answer.model)}"]
    if requested_mode and requested_mode != answer.mode and not answer.note:
        bits.append(f"{mode_label(requested_mode)} did not answer")
    if answer.note:
        bits.append(answer.note.rstrip("."))
    if answer.verification:
        kept = sum(1 for c in answer.verification if c.supported)
        n = len(answer.verification)
        sentences = "sentence" if n == 1 else "sentences"
        bits.append(f"{kept} of the model's {n} {sentences} passed" if answer.mode == "extractive"
                    else f"{kept} of {n} {sentences} kept")
    if answer.citations:
        articles = len({c.article_id for c in answer.citations})
        bits.append(f"{len(answer.citations)} quote{'s' if len(answer.citations) > 1 else ''} from "
                    f"{articles} article{'s' if articles > 1 else ''}")
    if "total_ms" in answer.timings:
        bits.append(f"{answer.timings['total_ms']:.0f} ms")
    return " · ".join(bits)


def footer_html(answer: Answer, requested_mode: str = "") -> str:
    fell_back = bool(answer.note) or (requested_mode and requested_mode != answer.mode)
    return f'<div class="na-meta{" na-fallback" if fell_back else ""}">{esc(footer_text(answer, requested_mode))}</div>'


def plain_text(answer: Answer) -> str:
    """What Copy puts on the clipboard: the answer, then the numbered sources with quotes and URLs."""
    short = (getattr(answer, "short_answer", "") or "").strip()
    lines = ([short, ""] if short and not answer.abstained else []) + [answer.text]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            meta = ", ".join(x for x in (c.source, c.date) if x)
            lines.append(f"[{c.n}] {c.title or c.article_id}" + (f" ({meta})" if meta else ""))
            lines.append(f"    “{c.quote}”")
            if safe_url(c.url):
                lines.append(f"    {c.url}")
    return "\n".join(lines)
