"""Feeds: parse RSS and Atom (feedparser, behind a defusedxml check), find the feed a site's page links to,
and a polite client (robots.txt, a pause between requests to one host) that refresh and add share.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from .errors import BadInputError
from .feedstate import Entry, FeedState
from .types import content_hash
from .web import FEED_TYPES, HTML_TYPES, Fetcher, FetchError, FetchRefused, Response

log = logging.getLogger(__name__)

ROBOTS_MAX_AGE = 24 * 3600.0
MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is read as this
_FEED_LINK_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+xml", "application/rdf+xml"}


class NotAFeed(FetchError):
    """What came back is not a feed (or is XML the assistant will not parse)."""


def _check_xml(body: bytes) -> None:
    """Refuse XML that declares entities or points outside itself ("billion laughs", external entities)."""
    import defusedxml
    import defusedxml.ElementTree as SafeET

    try:
        SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden) as e:
        raise NotAFeed(f"refused hostile XML: {type(e).__name__} ({e})") from None
    except SafeET.ParseError:
        if b"<!entity" in body[:65536].lower():  # feedparser's lenient parser gets malformed XML: no entities
            raise NotAFeed("refused XML that is malformed and declares entities") from None
    except (LookupError, ValueError, RecursionError) as e:  # e.g. an encoding="..." Python does not know
        raise NotAFeed(f"cannot read the XML: {e}") from None


def parse_feed(body: bytes, url: str, max_entries: int) -> tuple[str, list[Entry]]:
    """(feed title, its newest ``max_entries`` entries with a link). Raises NotAFeed."""
    import feedparser

    _check_xml(body)
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})  # a stream: no fetching
    if not parsed.get("version") and not parsed.entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise NotAFeed(f"{url[:120]} is not an RSS or Atom feed{why}")
    entries: list[Entry] = []
    for item in parsed.entries:
        link = urljoin(url, (item.get("link") or "").strip())
        if urlsplit(link).scheme not in ("http", "https"):
            continue
        key = (item.get("id") or link).strip()[:2000]
        stamp = dict.get(item, "updated") or dict.get(item, "published") or ""  # no feedparser alias warning
        digest = content_hash(key, link, stamp, item.get("title", ""), item.get("summary", ""))
        entries.append(Entry(feed_url=url, key=key, link=link, hash=digest))
        if len(entries) >= max_entries:
            break
    return " ".join(str(parsed.feed.get("title", "")).split())[:300], entries


def linked_feeds(html: bytes, base: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type="application/rss+xml" href="...">."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.LxmlError):
        return []
    out = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower().strip() in _FEED_LINK_TYPES and link.get("href"):
            out.append(urljoin(base, link.get("href").strip()))
    return list(dict.fromkeys(out))


class PoliteClient:
    """Fetches as a well-behaved feed reader: robots.txt honoured, one request at a time, and at least
    fetch_host_delay seconds (or the site's Crawl-delay) between two requests to one host."""

    def __init__(self, settings, state: FeedState, fetcher: Fetcher | None = None):
        self.settings = settings
        self.state = state
        self.fetcher = fetcher or Fetcher(settings)
        self._next: dict[str, float] = {}  # host:port -> time.monotonic() of its next allowed request
        self._robots: dict[str, tuple[RobotFileParser | None, float]] = {}  # origin -> (rules, crawl delay)
        self._hosts: dict[str, threading.RLock] = {}  # host:port -> held while a request to it runs
        self._hosts_lock = threading.Lock()

    @property
    def requests(self) -> int:
        return self.fetcher.requests_made

    def close(self) -> None:
        self.fetcher.close()

    def wait_for(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        pause = self._next.get(host, 0.0) - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def _done(self, url: str, delay: float) -> None:
        self._next[urlsplit(url).netloc.lower()] = time.monotonic() + delay

    def fetch(self, url: str, accept: tuple[str, ...], etag: str | None = None,
              last_modified: str | None = None) -> Response:
        self.fetcher.check_url(url)
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            lock = self._hosts.setdefault(host, threading.RLock())
        with lock:  # one request at a time per host, even when the UI and a refresh fetch together
            rules, delay = self._rules(url)
            if rules is not None and not rules.can_fetch(self.settings.fetch_user_agent, url):
                raise FetchError(f"robots.txt of {host} disallows {url[:120]}")
            self.wait_for(url)
            try:
                return self.fetcher.fetch(url, accept, etag, last_modified)
            finally:
                self._done(url, delay)

    def _rules(self, url: str) -> tuple[RobotFileParser | None, float]:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        return self._robots[origin]

    def _load_robots(self, origin: str) -> tuple[RobotFileParser | None, float]:
        cached = self.state.robots(origin, ROBOTS_MAX_AGE)
        if cached is None:
            robots_url = origin + "/robots.txt"
            self.wait_for(robots_url)
            try:
                r = self.fetcher.fetch(robots_url, ())  # any type: many sites label it wrongly
                cached = (200, r.body[:512_000].decode("utf-8", errors="replace"))
            except FetchRefused:
                raise  # the site itself is refused: say that, not "robots.txt disallows"
            except FetchError as e:
                # RFC 9309: a robots.txt that is missing (4xx) allows everything; an unreachable one (5xx,
                # network) means the site asks not to be crawled for now
                status = 404 if e.status and 400 <= e.status < 500 else 503
                cached = (status, "")
                log.info("robots.txt of %s: %s", origin, e)
            finally:
                self._done(robots_url, self.settings.fetch_host_delay)
            self.state.put_robots(origin, *cached)
        status, body = cached
        rules = RobotFileParser()
        if status == 200:
            rules.parse(body.splitlines())
        elif status >= 500:
            rules.disallow_all = True
        else:
            return None, self.settings.fetch_host_delay
        crawl = rules.crawl_delay(self.settings.fetch_user_agent)
        delay = max(self.settings.fetch_host_delay, min(float(crawl or 0), MAX_CRAWL_DELAY))
        return rules, delay


def find_feed(client: PoliteClient, url: str) -> tuple[str, str]:
    """(feed URL, title) for a feed URL, or for a page that links to a feed. Raises FetchError."""
    r = client.fetch(url, FEED_TYPES + HTML_TYPES)
    if r.content_type in HTML_TYPES or r.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        links = linked_feeds(r.body, r.url)
        if not links:
            raise BadInputError(f"{url} is a web page that links no RSS or Atom feed; give the feed's own URL")
        url, r = links[0], client.fetch(links[0], FEED_TYPES)
    title, _ = parse_feed(r.body, url, 1)
    return url, title
