"""A fetcher for pages and feeds from strangers: http(s) only, no private addresses, bounded in size,
redirects and time. It returns bytes and headers; what they mean is for ``pages`` and ``feeds``.

httpx (already installed with openai) does HTTP, TLS and keep-alive; the connection itself goes through
``netguard.GuardedBackend``, which resolves the host once, refuses disallowed addresses and connects to
the address it checked, so a DNS answer that changes between the check and the connect cannot slip by.
"""

from __future__ import annotations

import logging
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .netguard import FetchError, FetchRefused, GuardedBackend, RetryableFetch

__all__ = ["FEED_TYPES", "HTML_TYPES", "TEXT_TYPES", "FetchError", "FetchRefused", "Fetcher", "Response",
           "RetryableFetch"]

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/feed+xml", "application/x-rss+xml")
TEXT_TYPES = ("text/plain",)
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request that found nothing new
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    requests: int = 0  # HTTP requests this fetch made (redirect hops and retries included)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None


class Fetcher:
    """One HTTP client per process part that fetches; thread-safe, one fetch per calling thread."""

    def __init__(self, settings):
        self.settings = settings
        self.allow = frozenset(h.strip().lower().rstrip(".") for h in settings.fetch_allow_hosts.split(",")
                               if h.strip())
        self.backend = GuardedBackend(self.allow)
        self.requests_made = 0
        transport = httpx.HTTPTransport(retries=0)
        if not hasattr(transport, "_pool"):  # httpx keeps its httpcore pool here (pinned <0.29 for it)
            raise RuntimeError("this httpx version hides its connection pool; pin httpx<0.29")
        transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=20,
                                                  max_keepalive_connections=10, keepalive_expiry=5.0,
                                                  network_backend=self.backend)
        timeout = settings.fetch_timeout
        self.client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                                   timeout=httpx.Timeout(timeout, pool=timeout))

    def close(self) -> None:
        self.client.close()

    def check_url(self, url: str) -> tuple[str, str]:
        """(scheme, host) of a URL the fetcher may try; raises FetchRefused or FetchError."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018  (raises ValueError for a bad port)
        except ValueError as e:
            raise FetchError(f"not a valid URL: {url!r} ({e})") from None
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"refused: only http and https URLs are fetched, not {parts.scheme or 'no'!s} "
                               f"scheme ({url[:80]!r})")
        if not parts.hostname:
            raise FetchError(f"the URL {url[:80]!r} names no host")
        if parts.username or parts.password:
            raise FetchRefused("refused: URLs with a user name or password are not fetched")
        return parts.scheme, parts.hostname

    def get(self, url: str, accept: tuple[str, ...], etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET ``url`` following at most fetch_max_redirects redirects, within fetch_deadline seconds in all.
        A 304 answer to the conditional headers comes back with status 304 and no body."""
        s = self.settings
        self.backend.local.deadline = time.monotonic() + s.fetch_deadline
        seen: set[str] = set()
        requests = 0
        headers = {"User-Agent": s.fetch_user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": ", ".join(accept) + ", */*;q=0.1" if accept else "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            while True:
                self.check_url(url)
                if url in seen:
                    raise FetchError(f"redirect loop at {url[:120]}")
                seen.add(url)
                if len(seen) > s.fetch_max_redirects + 1:
                    raise FetchError(f"more than {s.fetch_max_redirects} redirects (fetch_max_redirects)")
                requests += 1
                with self.client.stream("GET", url, headers=headers) as r:
                    if r.status_code in _REDIRECTS and r.headers.get("location"):
                        url = urljoin(url, r.headers["location"])
                        continue
                    out = Response(str(r.url), r.status_code, {k.lower(): v for k, v in r.headers.items()},
                                   requests=requests)
                    if r.status_code == 304:
                        return out
                    if r.status_code == 429 or r.status_code >= 500:
                        raise RetryableFetch(f"HTTP {r.status_code} from {url[:120]}", r.status_code)
                    if r.status_code != 200:
                        raise FetchError(f"HTTP {r.status_code} from {url[:120]}", r.status_code)
                    _check_type(out, accept)
                    out.body = self._read(r, out.headers.get("content-encoding", "identity"))
                    return out
        except httpx.TimeoutException:
            raise RetryableFetch(f"timed out fetching {url[:120]} (fetch_timeout = {s.fetch_timeout:g} s)") from None
        except httpx.TransportError as e:
            raise RetryableFetch(f"cannot fetch {url[:120]}: {type(e).__name__}: {e}") from None
        except httpx.HTTPError as e:
            raise FetchError(f"cannot fetch {url[:120]}: {type(e).__name__}: {e}") from None
        except (httpx.InvalidURL, ValueError) as e:  # e.g. an IPv4 address written with leading zeros
            raise FetchError(f"not a valid URL: {url[:120]!r} ({e})") from None
        finally:
            self.backend.local.deadline = None
            self.requests_made += requests

    def fetch(self, url: str, accept: tuple[str, ...], etag: str | None = None,
              last_modified: str | None = None) -> Response:
        """:meth:`get`, tried again up to fetch_retries times (with a growing pause) after a retryable failure."""
        for attempt in range(self.settings.fetch_retries + 1):
            try:
                return self.get(url, accept, etag, last_modified)
            except RetryableFetch as e:
                if attempt == self.settings.fetch_retries:
                    raise
                log.info("retrying %s after: %s", url, e)
                time.sleep(min(0.2 * 2 ** attempt, 5.0))
        raise AssertionError("unreachable")

    def _read(self, r: httpx.Response, encoding: str) -> bytes:
        limit = int(self.settings.fetch_max_mb * 1024 * 1024)
        too_big = f"the response is larger than {self.settings.fetch_max_mb:g} MB (fetch_max_mb)"
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(too_big)
        encoding = encoding.strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            inflater = zlib.decompressobj(47)  # 47: a gzip or zlib header (what "deflate" usually means)
        elif encoding in ("", "identity"):
            inflater = None
        else:
            raise FetchError(f"unsupported content encoding {encoding!r}")
        parts: list[bytes] = []
        size = raw = 0
        try:
            for data in r.iter_raw(_CHUNK):
                raw += len(data)
                if raw > limit:
                    raise FetchError(too_big)
                while data:
                    # max_length bounds what one step inflates, so a compression bomb never fills memory
                    piece = inflater.decompress(data, _CHUNK) if inflater else data
                    data = inflater.unconsumed_tail if inflater else b""
                    size += len(piece)
                    if size > limit:
                        raise FetchError(too_big + " after decompression")
                    parts.append(piece)
        except zlib.error as e:
            raise FetchError(f"the response's {encoding} data is corrupt ({e})") from None
        return b"".join(parts)


def _check_type(out: Response, accept: tuple[str, ...]) -> None:
    kind = out.content_type
    if accept and kind and kind not in accept:
        raise FetchError(f"{out.url[:120]} sent {kind!r}, not one of {', '.join(accept)}")
