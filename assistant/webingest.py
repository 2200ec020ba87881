"""Web pages and feeds into the index: :func:`ingest_url` for one page, :func:`refresh` for every feed followed.

Resumable and idempotent: a feed's entries are recorded as pending before their pages are fetched, and
marked done only after their article is committed, so an interrupted refresh finishes in the next run;
an article's id is its canonical URL, so fetching a page again never makes a second copy.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import defaultdict
from urllib.parse import urlsplit

from .errors import AssistantError
from .feeds import PoliteClient, parse_feed
from .feedstate import Entry, FeedState
from .index import Index
from .ingest import ingest_articles
from .pages import page_article
from .types import Article, FileProblem, IngestReport, RefreshReport
from .web import FEED_TYPES, HTML_TYPES, Response

log = logging.getLogger(__name__)

BATCH = 25  # pages ingested (embedded, committed, marked done) together


def ingest_url(index: Index, client: PoliteClient, url: str) -> IngestReport:
    """Fetch one page and ingest its article. Raises FetchError or UnreadableArticle with the reason."""
    start = time.perf_counter()
    r = client.fetch(url.strip(), HTML_TYPES)
    report = ingest_articles(index, [page_article(r.body, r.charset, r.url)], progress=False)
    report.seconds = time.perf_counter() - start
    return report


def _bar(total: int, show: bool | None, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, disable=not (sys.stderr.isatty() if show is None else show), leave=False)


def _round_robin(items: list, url=lambda e: e.link) -> list:
    """Items (entries, feeds) interleaved by host, so that one host's pause between requests is spent on others."""
    by_host: dict[str, list] = defaultdict(list)
    for e in items:
        by_host[urlsplit(url(e)).netloc.lower()].append(e)
    queues = [by_host[h] for h in sorted(by_host)]
    out: list = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def refresh(index: Index, state: FeedState, client: PoliteClient, progress: bool | None = None) -> RefreshReport:
    """Fetch every feed (conditionally), then the page of every new or changed entry, and ingest them."""
    start = time.perf_counter()
    report = RefreshReport()
    requests_before = client.requests
    feeds = _round_robin(state.feeds(), lambda f: f.url)
    report.feeds = len(feeds)
    with _bar(len(feeds), progress, "feeds") as bar:
        for feed in feeds:
            _refresh_feed(feed, state, client, index.settings.feed_max_entries, report)
            bar.update(1)
    todo = _round_robin(state.to_fetch())
    batch: list[tuple[Entry, Article, Response]] = []
    with _bar(len(todo), progress, "pages") as bar:
        for entry in todo:
            conditional = entry.article_id is not None  # only a page already ingested can be "not modified"
            try:
                r = client.fetch(entry.link, HTML_TYPES, entry.etag if conditional else None,
                                 entry.last_modified if conditional else None)
                if r.status == 304:
                    state.entry_done(entry, entry.article_id, entry.etag, entry.last_modified)
                    report.unchanged += 1
                else:
                    batch.append((entry, page_article(r.body, r.charset, r.url), r))
            except AssistantError as e:
                state.entry_failed(entry, str(e))
                report.failed.append(FileProblem(entry.link, str(e)))
            if len(batch) >= BATCH:
                _flush(index, state, batch, report)
                batch = []
            bar.update(1)
        _flush(index, state, batch, report)
    report.requests = client.requests - requests_before
    report.seconds = time.perf_counter() - start
    log.info("refresh: %s", report.summary())
    return report


def _refresh_feed(feed, state: FeedState, client: PoliteClient, max_entries: int, report: RefreshReport) -> None:
    try:
        r = client.fetch(feed.url, FEED_TYPES, feed.etag, feed.last_modified)
        if r.status == 304:
            report.feeds_not_modified += 1
            report.unchanged += feed.entries
            state.feed_fetched(feed.url, "not modified")
            return
        title, entries = parse_feed(r.body, feed.url, max_entries)
        _, _, same = state.merge_entries(feed.url, entries)
        report.unchanged += same
        # the validators are saved only now that the entries are: an interrupted run fetches the feed again
        state.feed_fetched(feed.url, "ok", etag=r.headers.get("etag"), last_modified=r.headers.get("last-modified"),
                           title=title)
        report.feeds_fetched += 1
    except AssistantError as e:
        report.feeds_failed += 1
        report.failed.append(FileProblem(feed.url, str(e)))
        state.feed_fetched(feed.url, "failed", str(e))


def _flush(index: Index, state: FeedState, batch: list[tuple[Entry, Article, Response]],
           report: RefreshReport) -> None:
    if not batch:
        return
    unique = {article.id: article for _, article, _ in batch}  # two feeds may list one page
    try:
        ingested = ingest_articles(index, list(unique.values()), progress=False)
    except AssistantError as e:  # e.g. the vector store is down: these entries stay pending for the next run
        for entry, _, _ in batch:
            report.failed.append(FileProblem(entry.link, str(e)))
        return
    bad = {p.path: p.reason for p in ingested.failed}
    new, updated = set(ingested.new), set(ingested.updated)
    for entry, article, r in batch:
        if article.path in bad:
            state.entry_failed(entry, bad[article.path])
            report.failed.append(FileProblem(entry.link, bad[article.path]))
            continue
        state.entry_done(entry, article.id, r.headers.get("etag"), r.headers.get("last-modified"))
        if article.id in new:
            report.new += 1
            new.discard(article.id)
        elif article.id in updated:
            report.changed += 1
            updated.discard(article.id)
        else:
            report.unchanged += 1


def is_url(path) -> bool:
    return isinstance(path, str) and path.strip().lower().startswith(("http://", "https://"))


class WebSources:
    """Feeds followed and pages fetched for one index: what ``Assistant.web`` gives the CLI and the UI."""

    def __init__(self, index: Index):
        self.index = index
        self.state = FeedState(index.data_dir)
        self._client: PoliteClient | None = None

    @property
    def client(self) -> PoliteClient:
        if self._client is None:
            self._client = PoliteClient(self.index.settings, self.state)
        return self._client

    def ingest_url(self, url: str) -> IngestReport:
        return ingest_url(self.index, self.client, url)

    def add_feed(self, url: str) -> tuple[str, str, bool]:
        """(feed URL, title, whether it is new). ``url`` may be a site's page that links its feed."""
        from .feeds import find_feed

        feed_url, title = find_feed(self.client, url.strip())
        return feed_url, title, self.state.add_feed(feed_url, title)

    def remove_feed(self, url: str) -> None:
        from .errors import BadInputError

        if not self.state.remove_feed(url.strip()):
            raise BadInputError(f"no feed {url!r} is followed (see `assistant feeds list`)")

    def feeds(self):
        return self.state.feeds()

    def failures(self, limit: int = 50) -> list[tuple[str, str, str]]:
        return self.state.failures(limit)

    def refresh(self, progress: bool | None = None) -> RefreshReport:
        return refresh(self.index, self.state, self.client, progress)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        self.state.close()
