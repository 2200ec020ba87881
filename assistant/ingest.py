"""Incremental, idempotent, crash-safe ingest of a file or folder into an :class:`Index`.

Order of writes for each batch of articles: vectors to Chroma, then one catalog
transaction, then deletion of vectors the catalog no longer names. Whatever point a crash
stops at, :func:`repair` brings the three back into agreement on the next run.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from .chunking import embedding_input
from .dedup import StoryIndex
from .index import Index
from .loading import load_path
from .types import Article, FileProblem, IngestReport

log = logging.getLogger(__name__)

_REPAIR_GROUP = 256


def repair(index: Index) -> tuple[int, set[str]]:
    """Make Chroma hold exactly the catalog's chunks. Returns how many vectors it fixed, and the chunk
    ids Chroma now holds."""
    wanted = index.catalog.chunk_ids()
    in_step = index.store_in_step(len(wanted))
    index.unmark_store_in_step()  # the caller writes to Chroma next
    if in_step:
        return 0, wanted
    stored = index.store.ids()
    orphans = sorted(stored - wanted)
    missing = sorted(wanted - stored)
    if orphans:
        index.store.delete(orphans)
    # In groups, so that restoring a whole collection (a server reset) keeps its progress if interrupted.
    for i in range(0, len(missing), _REPAIR_GROUP):
        chunks = list(index.catalog.chunks(missing[i : i + _REPAIR_GROUP]).values())
        index.store.upsert(chunks, index.embedder.embed([embedding_input(c) for c in chunks]))
    if orphans or missing:
        log.info("repair: removed %d orphan vectors, restored %d missing ones", len(orphans), len(missing))
    return len(orphans) + len(missing), wanted


def _progress(total: int, show: bool | None, desc: str):
    from tqdm import tqdm

    if show is None:
        show = sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="article", disable=not show, leave=False)


def _under(path: str, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(root)
        return True
    except (ValueError, OSError):
        return False


def ingest(index: Index, path: str | Path, prune: bool = False, rebuild: bool = False,
           progress: bool | None = None) -> IngestReport:
    start = time.perf_counter()
    root = Path(path).expanduser().resolve()
    articles, problems = load_path(root, index.settings.max_file_mb)
    report = ingest_articles(index, articles, problems, prune_root=root if prune else None, rebuild=rebuild,
                             progress=progress)
    report.seconds = time.perf_counter() - start
    log.info("ingest %s: %s", root, report.summary())
    return report


def ingest_articles(index: Index, articles: list[Article], problems: list[FileProblem] | None = None,
                    prune_root: Path | None = None, rebuild: bool = False,
                    progress: bool | None = None) -> IngestReport:
    """Ingest articles already loaded (from files, or fetched from the web); ``prune_root``: remove the
    articles once loaded from below that folder that ``articles`` no longer holds."""
    start = time.perf_counter()
    report = IngestReport()
    report.failed.extend(problems or [])
    catalog, store = index.catalog, index.store
    prune, root = prune_root is not None, prune_root

    with index.writing():
        if rebuild:
            with catalog.transaction() as db:
                db.execute("DELETE FROM chunks")
                db.execute("DELETE FROM articles")
                db.execute("DELETE FROM meta WHERE key = 'embedder'")
            index.sentence_vectors.clear()
        index.check_embedder()
        report.repaired, stored = repair(index)
        known = catalog.fingerprints()

        changed = any(known.get(a.id, ("",))[0] != a.fingerprint for a in articles)
        stories = _stories(index) if changed else None

        todo: list[Article] = []
        for article in articles:
            if article.id in known and known[article.id][0] == article.fingerprint:
                report.unchanged.append(article.id)
            else:
                todo.append(article)

        with _progress(len(todo), progress, "ingest") as bar:
            group: list[tuple[Article, list]] = []
            pending = 0
            for article in todo:
                chunks = index.chunker.chunk(article)
                if not chunks:
                    report.failed.append(FileProblem(article.path or article.id, "no text to index"))
                    bar.update(1)
                    continue
                group.append((article, chunks))
                pending += len(chunks)
                if pending >= index.settings.ingest_batch_chunks:
                    report.chunks_embedded += _commit(index, group, stored, known, report, stories)
                    bar.update(len(group))
                    group, pending = [], 0
            if group:
                report.chunks_embedded += _commit(index, group, stored, known, report, stories)
                bar.update(len(group))

        if prune:
            loaded = {a.id for a in articles}
            failed_paths = {str(Path(p.path.split(":")[0]).resolve()) for p in report.failed}
            gone = [aid for aid, (_, apath) in known.items()
                    if aid not in loaded and _under(apath, root) and str(Path(apath).resolve()) not in failed_paths]
            if gone:
                with catalog.transaction() as db:
                    for aid in gone:
                        catalog.delete_article(db, aid)
                report.removed.extend(sorted(gone))

        kept = catalog.chunk_ids()
        orphans = sorted(stored - kept)
        if orphans:
            store.delete(orphans)
        index.mark_store_in_step(len(kept))
        if report.new or report.updated or report.removed or report.repaired:
            index.bm25()  # update it now, so the first question does not pay for it
    report.seconds = time.perf_counter() - start
    return report


def _stories(index: Index) -> StoryIndex:
    """The near-duplicate index of what is ingested; articles from before stories were kept join it now."""
    stories = StoryIndex.load(index.catalog, index.settings.dedup_threshold)
    missing = index.catalog.articles_without_story()
    if missing:
        with index.catalog.transaction() as db:
            for article_id, text in missing:
                index.catalog.put_story(db, article_id, *stories.assign(article_id, text))
    return stories


def _commit(index: Index, group: list[tuple[Article, list]], stored: set[str],
            known: dict[str, tuple[str, str]], report: IngestReport, stories: StoryIndex | None) -> int:
    need = [c for _, chunks in group for c in chunks if c.id not in stored]
    if need:
        index.store.upsert(need, index.embedder.embed([embedding_input(c) for c in need]))
        stored.update(c.id for c in need)
    with index.catalog.transaction() as db:
        db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('embedder', ?)", (index.embedder.identity,))
        for article, chunks in group:
            index.catalog.put_article(db, article, chunks)
            if stories is not None:  # syndicated copies of one story share a story id (dedup.py)
                index.catalog.put_story(db, article.id, *stories.assign(article.id, article.text))
    for article, _ in group:
        (report.updated if article.id in known else report.new).append(article.id)
    if index.settings.annotate_at_ingest:  # so that no question waits for the entity recogniser
        index.entities.get([c for _, chunks in group for c in chunks])
    if index.settings.sentence_vectors_at_ingest:  # nor for its passage sentences to be embedded
        index.sentence_vectors.fill(index.embedder, [c for _, chunks in group for c in chunks])
    return len(need)
