"""The Articles tab's work: copy uploaded files, ingest them one by one, remove articles; and its tables.

No Gradio here. Upload names go through the one sanitiser, :func:`loading.safe_upload_name`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError, BadInputError
from .loading import SUPPORTED_SUFFIXES, safe_upload_name
from .types import IngestReport
from .ui_format import esc

ARTICLE_HEADERS = ["Title", "Date", "Source", "Passages"]


@dataclass
class FileResult:
    """What happened to one uploaded file, as the Articles tab lists it."""

    name: str  # the sanitised name it was saved and ingested under
    status: str  # "added", "updated", "unchanged" or "skipped"
    detail: str  # the article ids, or why the file was skipped


def save_uploads(uploads: Iterable[tuple[str | Path, str]], folder: Path) -> list[tuple[str, Path | None]]:
    """Copy each (temporary path, original name) into ``folder`` under a safe, unique name:
    (safe name, saved path, or None when ingest does not read that format)."""
    folder = folder.resolve()
    taken: set[str] = set()
    saved = []
    for src, original in uploads:
        name = safe_upload_name(original)
        stem, suffix = Path(name).stem, Path(name).suffix
        k = 2
        while name.lower() in taken:
            name, k = f"{stem}-{k}{suffix}", k + 1
        taken.add(name.lower())
        if suffix.lower() not in SUPPORTED_SUFFIXES:
            saved.append((name, None))
            continue
        dest = folder / name
        if dest.resolve().parent != folder:  # unreachable after safe_upload_name; kept as the last guard
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


def title_of(article: dict) -> str:
    return article.get("title") or article["id"]


def article_rows(articles: list[dict], query: str | None = "") -> list[list]:
    """Rows for the articles table (title, date, source, passages), only those whose title, source,
    date or id contain ``query`` (any case)."""
    return [[title_of(a), a.get("date") or "", a.get("source") or "", a.get("chunks", 0)]
            for a in matching(articles, query)]


def matching(articles: list[dict], query: str | None) -> list[dict]:
    query = (query or "").strip().lower()
    fields = ("title", "date", "source", "id")
    return [a for a in articles if not query or any(query in str(a.get(f) or "").lower() for f in fields)]


def removal_choices(articles: list[dict]) -> list[tuple[str, str]]:
    """(label, id) for the removal list: the title, with the id only where two titles are the same."""
    titles = [title_of(a) for a in articles]
    return [(t if titles.count(t) == 1 else f"{t} ({a['id']})", a["id"]) for t, a in zip(titles, articles, strict=True)]


def picker_choices(articles: list[dict]) -> list[tuple[str, str]]:
    """(title · date · source, id) for the article picker beside the chat."""
    return [(" · ".join(x for x in (title_of(a), a.get("date"), a.get("source")) if x), a["id"]) for a in articles]


def removal_question(articles: list[dict], ids: list[str]) -> str:
    """The confirmation asked before removing: every title that would go."""
    by_id = {a["id"]: a for a in articles}
    titles = "".join(f"<li>{esc(title_of(by_id[i]) if i in by_id else i)}</li>" for i in ids)
    n = len(ids)
    return (f'<div class="na-confirm-text">Remove {n} article{"s" if n > 1 else ""} from the index? Answers that '
            f"cited {'them' if n > 1 else 'it'} will say it was removed.<ul>{titles}</ul></div>")


def remove_articles(assistant, ids: list[str]) -> str:
    """Remove the chosen articles from the index; returns the message to show (with titles)."""
    ids = [i for i in (ids or []) if i and i.strip()]
    if not ids:
        raise BadInputError("choose an article to remove")
    by_id = {a["id"]: a for a in assistant.articles()}
    gone = []
    for article_id in ids:
        assistant.remove_article(article_id)
        gone.append(title_of(by_id[article_id]) if article_id in by_id else article_id)
    return "Removed: " + "; ".join(f"“{t}”" for t in gone) + "."


def status_line(status: dict) -> str:
    n, chunks = status.get("articles", 0), status.get("chunks", 0)
    return f"{n} article{'s' if n != 1 else ''} · {chunks} passages indexed"
